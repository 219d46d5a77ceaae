import { describe, expect, it } from "vitest";
import {
  adjustedMutualInfoScore,
  adjustedRandScore,
  calinskiHarabaszScore,
  completenessScore,
  contingencyMatrix,
  daviesBouldinScore,
  entropy,
  expectedMutualInfo,
  fowlkesMallowsScore,
  homogeneityCompletenessVMeasure,
  homogeneityScore,
  mutualInfoScore,
  normalizedMutualInfoScore,
  pairConfusionMatrix,
  randScore,
  silhouetteSamples,
  silhouetteScore,
  sparseContingency,
  uniqueLabels,
  vMeasureScore,
} from "../../src/index.js";
import { closeTo } from "../fixtures.js";

const near = (actual: number, expected: number) =>
  expect(closeTo(actual, expected, 1e-12), `${actual} vs ${expected}`).toBe(true);

describe("hand-computed toy cases (rtol 1e-12)", () => {
  it("uniqueLabels sorts values, counts them and codes samples (dense and sparse ranges)", () => {
    const u = uniqueLabels([5, -1, 5, 3, -1, 5]);
    expect(Array.from(u.values)).toEqual([-1, 3, 5]);
    expect(Array.from(u.counts)).toEqual([2, 1, 3]);
    expect(Array.from(u.codes)).toEqual([2, 0, 2, 1, 0, 2]);
    const wide = uniqueLabels([2147483647, -2147483648, 0, 2147483647]);
    expect(Array.from(wide.values)).toEqual([-2147483648, 0, 2147483647]);
    expect(Array.from(wide.codes)).toEqual([2, 0, 1, 2]);
    expect(Array.from(wide.counts)).toEqual([1, 1, 2]);
  });

  it("contingencyMatrix: rows are sorted classes (-1 included), columns sorted clusters, row-major counts", () => {
    const c = contingencyMatrix([0, 0, 1, 1, -1], [1, 1, 1, 0, 0]);
    expect(Array.from(c.classes)).toEqual([-1, 0, 1]);
    expect(Array.from(c.clusters)).toEqual([0, 1]);
    expect(Array.from(c.counts)).toEqual([1, 0, 0, 2, 1, 1]);
    const empty = contingencyMatrix([], []);
    expect(empty.counts.length).toBe(0);
  });

  it("sparseContingency agrees with the dense table on the dense and the sorted path", () => {
    // 3000 x 3000 labels: 9e6 cells is far above 4n, so the cells are found by sorting.
    const n = 3000;
    const a = Array.from({ length: n }, (_, i) => i);
    const b = Array.from({ length: n }, (_, i) => (i * 7) % n);
    const s = sparseContingency(a, b);
    expect(s.cellCounts.length).toBe(n);
    for (let p = 0; p < n; p++) {
      expect(s.cellCols[p]).toBe((s.cellRows[p] * 7) % n);
      expect(s.cellCounts[p]).toBe(1);
    }
    const small = sparseContingency([0, 0, 1, 1, -1], [1, 1, 1, 0, 0]);
    expect(Array.from(small.cellRows)).toEqual([0, 1, 2, 2]);
    expect(Array.from(small.cellCols)).toEqual([0, 1, 0, 1]);
    expect(Array.from(small.cellCounts)).toEqual([1, 2, 1, 1]);
  });

  it("pairConfusionMatrix counts ordered pairs", () => {
    expect(Array.from(pairConfusionMatrix([0, 0, 1, 1], [0, 0, 1, 1]).data)).toEqual([8, 0, 0, 4]);
    expect(Array.from(pairConfusionMatrix([0, 0, 0, 0], [0, 1, 2, 3]).data)).toEqual([0, 0, 12, 0]);
    expect(Array.from(pairConfusionMatrix([0, 0, 1, 1], [0, 0, 1, 2]).data)).toEqual([8, 0, 2, 2]);
  });

  it("Rand, adjusted Rand and Fowlkes-Mallows of [0,0,1,1] vs [0,0,1,2]", () => {
    near(randScore([0, 0, 1, 1], [0, 0, 1, 2]), 5 / 6);
    near(adjustedRandScore([0, 0, 1, 1], [0, 0, 1, 2]), 4 / 7);
    near(fowlkesMallowsScore([0, 0, 1, 1], [0, 0, 1, 2]), Math.sqrt(0.5));
  });

  it("ARI special cases: identical single cluster 1.0, one sample 1.0, singletons vs one cluster 0.0", () => {
    expect(adjustedRandScore([4, 4, 4], [4, 4, 4])).toBe(1.0);
    expect(adjustedRandScore([1], [2])).toBe(1.0);
    expect(adjustedRandScore([0, 1, 2, 3], [0, 0, 0, 0])).toBe(0.0);
  });

  it("entropy, mutual information, NMI of small labelings", () => {
    near(entropy([0, 0, 1, 1]), Math.log(2));
    near(entropy([0, 1, 2, 3]), Math.log(4));
    expect(entropy([7, 7, 7])).toBe(0);
    expect(entropy([])).toBe(1);
    near(mutualInfoScore([0, 0, 1, 1], [5, 5, -1, -1]), Math.log(2));
    expect(mutualInfoScore([0, 1, 0, 1], [0, 0, 1, 1])).toBe(0);
    expect(normalizedMutualInfoScore([0, 1, 0, 1], [0, 0, 1, 1])).toBe(0);
    near(normalizedMutualInfoScore([0, 0, 1, 1], [0, 1, 2, 3]), Math.log(2) / ((Math.log(2) + Math.log(4)) / 2));
    near(
      normalizedMutualInfoScore([0, 0, 1, 1], [0, 1, 2, 3], { averageMethod: "geometric" }),
      Math.log(2) / Math.sqrt(Math.log(2) * Math.log(4)),
    );
    near(normalizedMutualInfoScore([0, 0, 1, 1], [0, 1, 2, 3], { averageMethod: "min" }), 1);
    near(normalizedMutualInfoScore([0, 0, 1, 1], [0, 1, 2, 3], { averageMethod: "max" }), 0.5);
    expect(normalizedMutualInfoScore([3, 3], [1, 1])).toBe(1);
    expect(normalizedMutualInfoScore([], [])).toBe(1);
  });

  it("expected mutual information of two 2+2 labelings is log(2) / 3; AMI of identical labelings is 1", () => {
    near(expectedMutualInfo([0, 0, 1, 1], [0, 0, 1, 1]), Math.log(2) / 3);
    near(adjustedMutualInfoScore([0, 0, 1, 1], [1, 1, 0, 0]), 1);
    expect(adjustedMutualInfoScore([0, 0, 0], [1, 1, 1])).toBe(1);
    expect(adjustedMutualInfoScore([0, 0, 0, 0], [0, 0, 1, 1])).toBe(0);
    expect(adjustedMutualInfoScore([], [])).toBe(1);
  });

  it("homogeneity, completeness and V-measure", () => {
    near(homogeneityScore([0, 0, 1, 1], [0, 1, 2, 3]), 1);
    near(completenessScore([0, 0, 1, 1], [0, 1, 2, 3]), 0.5);
    near(vMeasureScore([0, 0, 1, 1], [0, 1, 2, 3]), 2 / 3);
    near(vMeasureScore([0, 0, 1, 1], [0, 1, 2, 3], { beta: 2 }), (3 * 0.5) / (2 + 0.5));
    expect(homogeneityCompletenessVMeasure([], [])).toEqual({ homogeneity: 1, completeness: 1, vMeasure: 1 });
    expect(homogeneityCompletenessVMeasure([0, 1, 0, 1], [0, 0, 1, 1])).toEqual({
      homogeneity: 0,
      completeness: 0,
      vMeasure: 0,
    });
  });

  it("silhouette of two 1-D pairs: (7/9 + 5/7) / 2; singleton cluster scores 0", () => {
    const X = [[0], [1], [4], [5]];
    const s = silhouetteSamples(X, [0, 0, 1, 1]);
    for (const [i, v] of [7 / 9, 5 / 7, 5 / 7, 7 / 9].entries()) near(s[i], v);
    near(silhouetteScore(X, [0, 0, 1, 1]), (7 / 9 + 5 / 7) / 2);
    near(silhouetteScore(X, [0, 0, 1, 1], { metric: "manhattan" }), (7 / 9 + 5 / 7) / 2);
    near(silhouetteSamples(X, [0, 0, 1, 1], { metric: "sqeuclidean" })[0], 19.5 / 20.5);
    const single = silhouetteSamples([[0], [1], [10]], [0, 0, 1]);
    expect(Array.from(single)).toEqual([0.9, 8 / 9, 0]);
    // cosine: directions only; a zero row is at distance 1 from every other row.
    const cos = silhouetteSamples(
      [
        [1, 0],
        [2, 0],
        [0, 3],
        [0, 1],
      ],
      [0, 0, 1, 1],
      { metric: "cosine" },
    );
    expect(Array.from(cos)).toEqual([1, 1, 1, 1]);
  });

  it("Calinski-Harabasz and Davies-Bouldin of two 1-D pairs: 32 and 0.25", () => {
    const X = [[0], [1], [4], [5]];
    near(calinskiHarabaszScore(X, [0, 0, 1, 1]), 32);
    near(daviesBouldinScore(X, [0, 0, 1, 1]), 0.25);
    // Zero within-cluster dispersion: CH is 1.0 and DB is 0.0, as scikit-learn.
    expect(calinskiHarabaszScore([[0], [0], [1], [1]], [0, 0, 1, 1])).toBe(1);
    expect(daviesBouldinScore([[0], [0], [1], [1]], [0, 0, 1, 1])).toBe(0);
    // All centroids equal: DB is 0.0.
    expect(daviesBouldinScore([[0], [2], [0], [2]], [0, 0, 1, 1])).toBe(0);
  });
});
