import { fileURLToPath } from "node:url";
import { KMeans, type NumericFeatureProfile, StandardScaler, silentLogger } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { DataError, explainSegments, numericMatrix, readTable, segmentFrame, type Table } from "../../src/index.js";

const data = (name: string) => fileURLToPath(new URL(`../../../../examples/data/${name}`, import.meta.url));

const tiny: Table = {
  source: "tiny",
  nRows: 6,
  columns: [
    { name: "income", type: "DOUBLE", kind: "numeric", values: Float64Array.of(20, 22, 24, 80, 82, 84) },
    { name: "size", type: "BIGINT", kind: "numeric", values: Float64Array.of(1, 1, 2, 2, 3, Number.NaN) },
    { name: "city", type: "VARCHAR", kind: "string", values: ["A", "A", "B", "B", "B", null] },
  ],
};

describe("segmentFrame", () => {
  it("takes numeric columns as numbers, text and listed columns as categories, at the given rows", () => {
    const f = segmentFrame(tiny, ["income", "size", "city"], {
      categorical: ["size"],
      rowIndex: Int32Array.of(0, 4, 5),
    });
    expect(f.names).toEqual(["income", "size", "city"]);
    expect(f.rows).toBe(3);
    expect(Array.from(f.columns[0] as Float64Array)).toEqual([20, 82, 84]);
    expect(f.columns[1]).toEqual(["1", "3", null]);
    expect(f.columns[2]).toEqual(["A", "B", null]);
    expect(() => segmentFrame(tiny, ["income", "income"])).toThrow(/listed twice/);
    expect(() => segmentFrame(tiny, ["nope"])).toThrow(DataError);
  });
});

describe("explainSegments", () => {
  it("profiles, names and describes segments of a small table with rules", () => {
    const e = explainSegments(tiny, [0, 0, 0, 1, 1, 1], { features: ["income"], describe: ["city", "size"] });
    expect(e).toMatchObject({ source: "tiny", nSamples: 6, features: ["income"], describe: ["city", "size"] });
    expect(e.segments.map((s) => [s.id, s.name, s.size, s.share, s.rule, s.precision, s.recall])).toEqual([
      ["0", "Low income, low size", 3, 0.5, "income <= 50", 1, 1],
      ["1", "High income, high size", 3, 0.5, "income > 50", 1, 1],
    ]);
    // Described columns are profiled: size (with a missing value) and city (with a null category).
    const size1 = e.profiles.segments[1].features[2] as NumericFeatureProfile;
    expect(size1).toMatchObject({ feature: "size", count: 2, mean: 2.5, restMean: 4 / 3 });
    expect(e.segments[0].topFeatures[0]).toMatchObject({ feature: "income", direction: "lower" });
    expect(e.rules.rules).toHaveLength(2);
  });

  it("follows rowIndex and checks its input", () => {
    const e = explainSegments(tiny, [0, 0, 1, 1], {
      features: ["income", "size"],
      rowIndex: Int32Array.of(0, 1, 3, 4),
    });
    expect(e.nSamples).toBe(4);
    expect(e.segments.map((s) => s.size)).toEqual([2, 2]);
    expect(() => explainSegments(tiny, [0, 1], { features: ["income"] })).toThrow(/2 labels for 6 rows/);
    expect(() => explainSegments(tiny, [0, 0, 0, 1, 1, 1], { features: [] })).toThrow(/no feature columns/);
    expect(() => explainSegments(tiny, [0, 0, 0, 1, 1, 1], { features: ["income"], describe: ["income"] })).toThrow(
      /is a feature/,
    );
    // A feature with a missing value cannot be used by the rules.
    expect(() => explainSegments(tiny, [0, 0, 0, 1, 1, 1], { features: ["size"] })).toThrow(/missing value at row 5/);
  });

  it("iris: the petal features rank top", async () => {
    const table = await readTable(data("iris.csv"));
    const { matrix, columns } = numericMatrix(table, { exclude: ["target"] });
    const scaled = new StandardScaler().fit(matrix).transform(matrix);
    const labels = new KMeans({ nClusters: 3, seed: 0, logger: silentLogger }).fit(scaled).labels;
    const e = explainSegments(table, labels, { features: columns });
    expect(
      e.profiles.ranking
        .slice(0, 2)
        .map((f) => f.feature)
        .sort(),
    ).toEqual(["petal_length_cm", "petal_width_cm"]);
    const setosa = e.segments.find((s) => s.size === 50)!;
    expect(setosa.topFeatures[0].feature.startsWith("petal")).toBe(true);
    expect(setosa.name).toMatch(/^Very low petal/);
    expect(setosa.precision).toBe(1);
    expect(setosa.recall).toBe(1);
    expect(new Set(e.segments.map((s) => s.name)).size).toBe(3);
  });

  it("tips: mixed types, with category lifts", async () => {
    const table = await readTable(data("tips.csv"));
    const { matrix, columns } = numericMatrix(table, { columns: ["total_bill", "tip", "size"] });
    const scaled = new StandardScaler().fit(matrix).transform(matrix);
    const labels = new KMeans({ nClusters: 3, seed: 0, logger: silentLogger }).fit(scaled).labels;
    const e = explainSegments(table, labels, { features: [...columns, "time", "day"], describe: ["sex", "smoker"] });
    expect(e.profiles.features.map((f) => [f.name, f.kind])).toEqual([
      ["total_bill", "numeric"],
      ["tip", "numeric"],
      ["size", "numeric"],
      ["time", "categorical"],
      ["day", "categorical"],
      ["sex", "categorical"],
      ["smoker", "categorical"],
    ]);
    for (const s of e.profiles.segments) {
      const time = s.features.find((f) => f.feature === "time")!;
      expect(time.kind).toBe("categorical");
      if (time.kind !== "categorical") continue;
      const shares = time.categories.reduce((a, c) => a + c.share, 0);
      expect(shares).toBeCloseTo(1, 12);
      for (const c of time.categories) expect(c.lift).toBeCloseTo(c.share / c.overallShare, 12);
    }
    for (const s of e.segments) {
      expect(s.rule.length).toBeGreaterThan(0);
      expect(s.precision).toBeGreaterThan(0.5);
    }
  });
});
