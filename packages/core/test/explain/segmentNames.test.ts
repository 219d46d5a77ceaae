import { describe, expect, it } from "vitest";
import { featurePhrase, frame, humanizeName, levelWord, segmentNames, segmentProfiles } from "../../src/index.js";
import { loadDatasets } from "../fixtures.js";

describe("segmentNames", () => {
  it("names segments from their top features with level words", () => {
    const X = [
      [90, 20],
      [95, 25],
      [85, 15],
      [30, 80],
      [25, 85],
      [35, 90],
      [60, 50],
      [62, 52],
      [58, 48],
    ];
    const p = segmentProfiles(X, [0, 0, 0, 1, 1, 1, 2, 2, 2], { featureNames: ["income", "spending_score"] });
    const names = segmentNames(p);
    expect(names[0]).toBe("Very high income, very low spending score");
    expect(names[1]).toBe("Very high spending score, very low income");
    expect(new Set(names).size).toBe(3);
  });

  it("words, phrases and column names", () => {
    expect([1.2, 0.5, 0.1, 0, -0.1, -0.5, -1.5].map(levelWord)).toEqual([
      "very high",
      "high",
      "above-average",
      "average",
      "below-average",
      "low",
      "very low",
    ]);
    expect(humanizeName("petal_length_cm")).toBe("petal length cm");
    expect(humanizeName("totalBill")).toBe("total bill");
    expect(featurePhrase({ feature: "time", kind: "categorical", effect: 0.5, category: "Dinner" })).toBe(
      "time: Dinner",
    );
    expect(featurePhrase({ feature: "x", kind: "numeric", effect: 0.5, z: -0.4 })).toBe("low x");
  });

  it("guarantees unique names: adds features, then suffixes", () => {
    // Segments 0 and 1 are both "very low a"; b (a weaker feature) tells them apart.
    const X = [
      [0, 1.1],
      [0.1, 1.1],
      [0, 1.3],
      [0.1, 1.3],
      [10, 1],
      [10, 1.4],
      [10, 1],
      [10, 1.4],
      [10, 1],
      [10, 1.4],
    ];
    const p = segmentProfiles(X, [0, 0, 1, 1, 2, 2, 2, 2, 2, 2], { featureNames: ["a", "b"] });
    expect(p.segments[0].topFeatures[0].feature).toBe("a");
    expect(segmentNames(p, { parts: 1 })).toEqual(["Very low a, low b", "Very low a, high b", "High a"]);
    // Identical segments can only be told apart by a suffix.
    const same = segmentProfiles([[1], [2], [1], [2], [5], [5]], [0, 0, 1, 1, 2, 2]);
    const names = segmentNames(same);
    expect(names).toEqual(["Low x0", "Low x0 (2)", "Very high x0"]);
    // Featureless segments are "Typical".
    expect(segmentNames(segmentProfiles([[1], [2], [1], [2]], [0, 0, 1, 1]))).toEqual(["Typical", "Typical (2)"]);
  });

  it("names noise and featureless segments, and the iris clusters by their petals", () => {
    const p = segmentProfiles([[1], [1], [1], [9]], [0, 0, 0, -1]);
    expect(segmentNames(p)).toEqual(["Low x0", "Noise"]);
    const { X, labelsTrue } = loadDatasets().iris;
    const iris = segmentProfiles(X, labelsTrue, {
      featureNames: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
    });
    const names = segmentNames(iris);
    expect(names[0]).toBe("Very low petal length, very low petal width");
    expect(new Set(names).size).toBe(3);
    expect(iris.segments[0].topFeatures[0].feature).toBe("petal_length");
    // Versicolor stands out most by its narrow sepals; over all segments the petals matter most.
    expect(iris.segments[1].topFeatures[0].feature).toBe("sepal_width");
    expect(iris.ranking.slice(0, 2).map((f) => f.feature)).toEqual(["petal_length", "petal_width"]);
    const mixed = segmentProfiles(
      frame({ time: ["Dinner", "Dinner", "Lunch", "Lunch"], bill: Float64Array.of(1, 1.1, 1, 1.1) }),
      [0, 0, 1, 1],
    );
    expect(segmentNames(mixed)).toEqual(["Time: Dinner", "Time: Lunch"]);
  });
});
