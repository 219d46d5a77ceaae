import { Random } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { gapRule, gapStatistic, recommend, withinDispersion } from "../../src/index.js";

/** n points per centre, Gaussian with the given spread (seeded). */
function blobs(centres: number[][], n: number, spread: number, seed: number): number[][] {
  const random = new Random(seed);
  const out: number[][] = [];
  for (const c of centres) for (let i = 0; i < n; i++) out.push(c.map((v) => v + spread * random.normal()));
  return out;
}

describe("withinDispersion", () => {
  it("is the pooled within-cluster sum of squares, noise left out", () => {
    const X = [
      [0, 0],
      [2, 0],
      [10, 10],
      [10, 12],
      [50, 50],
    ];
    // cluster 0: mean (1, 0): 1 + 1; cluster 1: mean (10, 11): 1 + 1; the last row is noise.
    expect(withinDispersion(X, [0, 0, 1, 1, -1])).toBe(4);
    expect(withinDispersion([[1], [3]], [0, 0])).toBe(2);
  });
});

describe("gapRule", () => {
  it("picks the smallest k with Gap(k) >= Gap(k+1) - s(k+1)", () => {
    expect(gapRule([0.1, 0.5, 0.9, 0.95], [0.01, 0.01, 0.01, 0.1])).toBe(2);
    expect(gapRule([0.5, 0.45, 0.9], [0.1, 0.1, 0.1])).toBe(0);
    expect(gapRule([0.1, 0.2, 0.3], [0.01, 0.01, 0.01])).toBe(2); // still growing: the last k
  });
});

describe("gapStatistic (Tibshirani, Walther and Hastie 2001)", () => {
  it("finds three well-separated blobs", () => {
    const X = blobs(
      [
        [0, 0],
        [8, 0],
        [4, 7],
      ],
      40,
      0.7,
      1,
    );
    const r = gapStatistic(X, { kMin: 1, kMax: 6, b: 10, seed: 3 });
    expect(r.k).toBe(3);
    expect(r.ks).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < r.ks.length; i++) {
      expect(r.gap[i]).toBeCloseTo(r.expectedLogW[i] - r.logW[i], 12);
      expect(r.s[i]).toBeCloseTo(r.sd[i] * Math.sqrt(1 + 1 / 10), 12);
    }
    expect(r.reason).toMatch(/k=3/);
    const pca = gapStatistic(X, { kMin: 1, kMax: 5, b: 8, seed: 3, reference: "pca" });
    expect(pca.k).toBe(3);
  });

  it("says 1 for data without clusters, and is deterministic for a seed", () => {
    const random = new Random(9);
    const X = Array.from({ length: 150 }, () => [random.float(), random.float()]);
    const a = gapStatistic(X, { kMin: 1, kMax: 5, b: 10, seed: 2 });
    expect(a.k).toBe(1);
    const b = gapStatistic(X, { kMin: 1, kMax: 5, b: 10, seed: 2 });
    expect(b.gap).toEqual(a.gap);
    expect(b.s).toEqual(a.s);
  });

  it("checks its options", () => {
    expect(() => gapStatistic([[1], [2], [3]], { kMax: 5 })).toThrow(/kMax/);
    expect(() => gapStatistic([[1], [2], [3]], { b: 1 })).toThrow(/invalid b/);
  });
});

describe("recommend", () => {
  it("takes the k with most votes; ties go to the silhouette's k, else the smallest", () => {
    expect(recommend({ silhouette: 2, calinskiHarabasz: 3, daviesBouldin: 3, gap: 3 }, 2).k).toBe(3);
    expect(recommend({ silhouette: 4, elbow: 3 }, 2).k).toBe(4);
    expect(recommend({ elbow: 5, gap: 3 }, 2).k).toBe(3);
    expect(recommend({}, 2)).toMatchObject({ k: 2, by: [] });
  });
});
