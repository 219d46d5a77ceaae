import { describe, expect, it } from "vitest";
import {
  type CategoricalFeatureProfile,
  frame,
  type NumericFeatureProfile,
  segmentProfiles,
  ValidationError,
} from "../../src/index.js";

// x: segment 0 = 1, 2, 3; segment 1 = 10, 11, 12. color: segment 0 = r, r, b; segment 1 = b, b, r.
const tiny = frame({
  x: Float64Array.of(1, 2, 3, 10, 11, 12),
  color: ["r", "r", "b", "b", "b", "r"],
});
const labels = [0, 0, 0, 1, 1, 1];

describe("segmentProfiles", () => {
  it("matches hand-computed sizes, means, medians, Cohen's d, z and point-biserial r", () => {
    const p = segmentProfiles(tiny, labels);
    expect(p.nSamples).toBe(6);
    expect(p.nNoise).toBe(0);
    expect(p.segments.map((s) => [s.id, s.size, s.share])).toEqual([
      ["0", 3, 0.5],
      ["1", 3, 0.5],
    ]);
    const x0 = p.segments[0].features[0] as NumericFeatureProfile;
    expect(x0.mean).toBeCloseTo(2, 12);
    expect(x0.median).toBe(2);
    expect(x0.std).toBeCloseTo(1, 12);
    expect(x0.restMean).toBeCloseTo(11, 12);
    expect(x0.overallMean).toBeCloseTo(6.5, 12);
    // pooled SD = sqrt((2 * 1 + 2 * 1) / 4) = 1, so d = (2 - 11) / 1.
    expect(x0.d).toBeCloseTo(-9, 12);
    expect(x0.direction).toBe("lower");
    // overall sample SD = sqrt(125.5 / 5); z = (2 - 6.5) / SD.
    expect(x0.z).toBeCloseTo(-4.5 / Math.sqrt(125.5 / 5), 12);
    // point-biserial r = 9 * sqrt(0.25) / population SD sqrt(125.5 / 6).
    expect(x0.effect).toBeCloseTo(4.5 / Math.sqrt(125.5 / 6), 12);
    const x1 = p.segments[1].features[0] as NumericFeatureProfile;
    expect(x1.d).toBeCloseTo(9, 12);
    expect(x1.direction).toBe("higher");
    const summary = p.features[0];
    expect(summary).toMatchObject({ name: "x", kind: "numeric", count: 6, mean: 6.5, median: 6.5 });
  });

  it("matches hand-computed category shares, lifts and Cramér's V", () => {
    const p = segmentProfiles(tiny, labels);
    const c0 = p.segments[0].features[1] as CategoricalFeatureProfile;
    expect(c0.kind).toBe("categorical");
    // r and b are 3 each overall: order by count, ties by first appearance (r first).
    expect(c0.categories.map((c) => c.category)).toEqual(["r", "b"]);
    const [r, b] = c0.categories;
    expect(r).toMatchObject({ count: 2, overallShare: 0.5 });
    expect(r.share).toBeCloseTo(2 / 3, 12);
    expect(r.lift).toBeCloseTo(4 / 3, 12);
    expect(b.lift).toBeCloseTo(2 / 3, 12);
    // 2x2 table [[2, 1], [1, 2]], expected 1.5 each: chi2 = 4 * 0.25 / 1.5; V = sqrt(chi2 / 6) = 1/3.
    expect(c0.cramersV).toBeCloseTo(1 / 3, 12);
    expect(c0.effect).toBe(c0.cramersV);
    expect(c0.topCategory?.category).toBe("r");
    const c1 = p.segments[1].features[1] as CategoricalFeatureProfile;
    expect(c1.topCategory?.category).toBe("b");
    expect(p.features[1]).toEqual({
      name: "color",
      kind: "categorical",
      count: 6,
      categories: [
        { category: "r", count: 3, share: 0.5 },
        { category: "b", count: 3, share: 0.5 },
      ],
    });
  });

  it("ranks features by effect on one scale (numeric |r| vs categorical V)", () => {
    const p = segmentProfiles(tiny, labels);
    const top = p.segments[0].topFeatures;
    expect(top.map((f) => f.feature)).toEqual(["x", "color"]);
    expect(top[0]).toMatchObject({ kind: "numeric", direction: "lower" });
    expect(top[1]).toMatchObject({ kind: "categorical", category: "r" });
    expect(top[1].lift).toBeCloseTo(4 / 3, 12);
    // A categorical column that determines the segment outranks a weak numeric one.
    const f = frame({ noisy: Float64Array.of(1, 2, 1, 2, 1, 2.5), tag: ["a", "a", "a", "z", "z", "z"] });
    const q = segmentProfiles(f, labels, { topFeatures: 1 });
    expect(q.segments[1].topFeatures).toHaveLength(1);
    expect(q.segments[1].topFeatures[0]).toMatchObject({ feature: "tag", category: "z", effect: 1, lift: 2 });
  });

  it("ranks features over the whole segmentation by eta and Cramér's V", () => {
    const p = segmentProfiles(tiny, labels);
    // With two segments these equal the per-segment effects.
    expect(p.ranking.map((f) => f.feature)).toEqual(["x", "color"]);
    expect(p.ranking[0].effect).toBeCloseTo(p.segments[0].features[0].effect, 12);
    expect(p.ranking[1].effect).toBeCloseTo(1 / 3, 12);
    // Three segments: eta^2 = between SS / total SS = (2 * 4.5^2 + 0 + 2 * 4.5^2) / (4 * 4.5^2 + 2 * 0.5^2).
    const q = segmentProfiles([[0], [1], [5], [5], [9], [10]], [0, 0, 1, 1, 2, 2]);
    const total = 2 * 5 ** 2 + 2 * 4 ** 2 + 0;
    const between = 2 * 4.5 ** 2 * 2;
    expect(q.ranking[0].effect).toBeCloseTo(Math.sqrt(between / total), 12);
  });

  it("ranks numeric features exactly as |d| within a segment", () => {
    const X = [
      [1, 5, 0],
      [2, 4, 1],
      [3, 6, 0],
      [4, 1, 1],
      [5, 2, 0],
      [6, 0, 1],
      [7, 3, 0],
    ];
    const p = segmentProfiles(X, [0, 0, 0, 1, 1, 1, 1], { featureNames: ["a", "b", "c"] });
    for (const s of p.segments) {
      const byD = [...s.features].sort(
        (u, v) => Math.abs((v as NumericFeatureProfile).d) - Math.abs((u as NumericFeatureProfile).d),
      );
      expect(s.topFeatures.map((f) => f.feature)).toEqual(byD.map((f) => f.feature));
    }
  });

  it("profiles noise (-1) as its own group, last, against all other rows", () => {
    const X = [[0], [0], [10], [10], [100]];
    const p = segmentProfiles(X, [0, 0, 1, 1, -1]);
    expect(p.nNoise).toBe(1);
    expect(p.segments.map((s) => [s.label, s.id, s.isNoise, s.size])).toEqual([
      [0, "0", false, 2],
      [1, "1", false, 2],
      [-1, "noise", true, 1],
    ]);
    const noise = p.segments[2].features[0] as NumericFeatureProfile;
    expect(noise.mean).toBe(100);
    expect(noise.restMean).toBe(5);
    expect(noise.std).toBe(0);
    // Cluster 0's rest includes the noise row: mean of 10, 10, 100.
    expect((p.segments[0].features[0] as NumericFeatureProfile).restMean).toBe(40);
  });

  it("skips missing numbers per feature, counts null as a category, and handles one segment", () => {
    const f = frame({ v: Float64Array.of(1, Number.NaN, 3, 5), c: ["a", null, null, "a"] });
    const p = segmentProfiles(f, [0, 0, 1, 1]);
    const v0 = p.segments[0].features[0] as NumericFeatureProfile;
    expect(v0.count).toBe(1);
    expect(v0.mean).toBe(1);
    expect(v0.restMean).toBe(4);
    const c1 = p.segments[1].features[1] as CategoricalFeatureProfile;
    expect(c1.categories.map((c) => [c.category, c.count])).toEqual([
      ["a", 1],
      [null, 1],
    ]);
    const one = segmentProfiles([[1], [2], [3]], [0, 0, 0]);
    expect(one.segments).toHaveLength(1);
    expect(one.segments[0].features[0]).toMatchObject({ d: 0, effect: 0, restMean: null, mean: 2 });
  });

  it("rejects bad labels and names", () => {
    expect(() => segmentProfiles([[1], [2]], [0])).toThrow(/labels: length 1, expected 2/);
    expect(() => segmentProfiles([[1], [2]], [0, -2])).toThrow(ValidationError);
    expect(() => segmentProfiles([[1], [2]], [0, 1.5])).toThrow(/1.5 at index 1/);
    expect(() => segmentProfiles([[1, 2]], [0], { featureNames: ["a"] })).toThrow(/1 names for 2 columns/);
    expect(() => segmentProfiles(tiny, labels, { featureNames: ["a", "b"] })).toThrow(/Frame names its own/);
  });
});
