import { describe, expect, it } from "vitest";
import { HDBSCAN } from "../../src/index.js";

/*
 * Hand-worked case, 1-D, minSamples = 2 (core distance = distance to the nearest other row),
 * minClusterSize = 3:
 *
 *   rows    0    1    2      3     4     5     6
 *   x       0    1   2.5    10   11.5  12.5   30
 *   core    1    1   1.5   1.5    1     1    17.5
 *
 * Mutual reachability MST: (0,1) 1, (4,5) 1, (1,2) 1.5, (3,4) 1.5, (2,3) 7.5, (5,6) 17.5.
 * Condensed tree (lambda = 1 / distance): row 6 leaves the root (id 7) at 1/17.5; the root splits at 1/7.5
 * into A = {0,1,2} (id 8) and B = {3,4,5} (id 9); in A the merge at 1.5 joins sides of sizes 2 and 1 (< 3),
 * so rows 0, 1, 2 leave A at 1/1.5 = 2/3 (B likewise).
 * Stability: A = B = 3 * (2/3 - 2/15) = 1.6; both leaves are selected (EOM and leaf).
 * Probabilities: min(2/3, 2/3) / (2/3) = 1. GLOSH: lambdaMax(root) = 2/3, row 6 scores
 * (2/3 - 1/17.5) / (2/3) = 32/35; rows of A and B score 0.
 */
const X = [[0], [1], [2.5], [10], [11.5], [12.5], [30]];
const base = { minClusterSize: 3, minSamples: 2 } as const;

describe("HDBSCAN on a hand-worked example", () => {
  const model = new HDBSCAN(base).fit(X);

  it("builds the expected trees", () => {
    expect(Array.from(model.coreDistances)).toEqual([1, 1, 1.5, 1.5, 1, 1, 17.5]);
    const heights = Array.from({ length: 6 }, (_, r) => model.singleLinkageTree.data[4 * r + 2]);
    expect(heights).toEqual([1, 1, 1.5, 1.5, 7.5, 17.5]);
    const sizes = Array.from({ length: 6 }, (_, r) => model.singleLinkageTree.data[4 * r + 3]);
    expect(sizes).toEqual([2, 2, 3, 3, 6, 7]);
    const t = model.condensedTree;
    const rows = Array.from(t.parent, (p, r) => [p, t.child[r], t.lambdaVal[r], t.childSize[r]]);
    expect(rows).toEqual([
      [7, 6, 1 / 17.5, 1],
      [7, 8, 1 / 7.5, 3],
      [7, 9, 1 / 7.5, 3],
      [8, 0, 1 / 1.5, 1],
      [8, 1, 1 / 1.5, 1],
      [8, 2, 1 / 1.5, 1],
      [9, 3, 1 / 1.5, 1],
      [9, 4, 1 / 1.5, 1],
      [9, 5, 1 / 1.5, 1],
    ]);
  });

  it("labels, probabilities, stability and GLOSH scores", () => {
    expect(Array.from(model.labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
    expect(model.nClusters).toBe(2);
    expect(Array.from(model.selectedClusters)).toEqual([8, 9]);
    expect(Array.from(model.probabilities)).toEqual([1, 1, 1, 1, 1, 1, 0]);
    expect(model.clusterStability[0]).toBeCloseTo(1.6, 12);
    expect(model.clusterStability[1]).toBeCloseTo(1.6, 12);
    const scores = Array.from(model.outlierScores);
    expect(scores.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(scores[6]).toBeCloseTo(32 / 35, 14);
  });

  it("leaf selection and Boruvka give the same here", () => {
    expect(Array.from(new HDBSCAN({ ...base, clusterSelectionMethod: "leaf" }).fit(X).labels)).toEqual([
      0, 0, 0, 1, 1, 1, -1,
    ]);
    expect(Array.from(new HDBSCAN({ ...base, algorithm: "boruvka" }).fit(X).labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
  });

  it("allowSingleCluster keeps the split when the children are more stable than the root", () => {
    // root stability = 1/17.5 + 6 * (1/7.5) = 0.857... < 3.2
    expect(Array.from(new HDBSCAN({ ...base, allowSingleCluster: true }).fit(X).labels)).toEqual([
      0, 0, 0, 1, 1, 1, -1,
    ]);
  });

  it("clusterSelectionEpsilon", () => {
    // A and B are born at distance 7.5 < 10, but their parent is the root: they stay without allowSingleCluster.
    expect(Array.from(new HDBSCAN({ ...base, clusterSelectionEpsilon: 10 }).fit(X).labels)).toEqual([
      0, 0, 0, 1, 1, 1, -1,
    ]);
    // With allowSingleCluster the root is selected; rows join it when lambda >= 1/10: row 6 (1/17.5) is noise.
    const single = new HDBSCAN({ ...base, clusterSelectionEpsilon: 10, allowSingleCluster: true }).fit(X);
    expect(Array.from(single.labels)).toEqual([0, 0, 0, 0, 0, 0, -1]);
    expect(Array.from(single.selectedClusters)).toEqual([7]);
    // probabilities against the root's largest lambda (1/7.5): min(2/3, 2/15) / (2/15) = 1
    expect(Array.from(single.probabilities)).toEqual([1, 1, 1, 1, 1, 1, 0]);
    // epsilon below the birth distance changes nothing
    expect(Array.from(new HDBSCAN({ ...base, clusterSelectionEpsilon: 5 }).fit(X).labels)).toEqual([
      0, 0, 0, 1, 1, 1, -1,
    ]);
  });

  it("maxClusterSize rejects the 3-row clusters", () => {
    const m = new HDBSCAN({ ...base, maxClusterSize: 2 }).fit(X);
    expect(Array.from(m.labels)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
    expect(m.nClusters).toBe(0);
  });

  it("DBSCAN* cut of the single linkage tree", () => {
    expect(Array.from(model.dbscanClustering(2, 3))).toEqual([0, 0, 0, 1, 1, 1, -1]);
    // below 1.2 only {0,1} and {4,5} are linked (scikit-learn: [0, 0, -1, -1, 1, 1, -1])
    expect(Array.from(model.dbscanClustering(1.2, 2))).toEqual([0, 0, -1, -1, 1, 1, -1]);
    expect(Array.from(model.dbscanClustering(1, 2))).toEqual([-1, -1, -1, -1, -1, -1, -1]); // strict: 1 < 1 is false
    expect(Array.from(model.dbscanClustering(100, 1))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  /*
   * approximatePredict (minSamples = 2: a new row's core distance is the distance to its nearest training row):
   * - 0.5: nearest rows 0 and 1 (0.5); reachability max(0.5, 1, 0.5) = 1 to both, row 0 first; lambda 1 >= row 0's
   *   2/3, so it stays in A: label 0, probability min(2/3, 1) / (2/3) = 1;
   * - 11: reachability 1 to row 4 (B): label 1, probability 1;
   * - 6: core 3.5, reachability 3.5 to row 2; lambda 1/3.5 < 2/3, A is born at 1/7.5 < 1/3.5 so it is alive:
   *   label 0, probability (1/3.5) / (2/3) = 3/7;
   * - 20: core 7.5, reachability 7.5 to row 5; lambda 1/7.5: B is born at 1/7.5 >= lambda, climb to the root: noise;
   * - 30.5: nearest row 6, reachability 17.5; row 6 sits at the root: noise.
   */
  it("predict / approximatePredict", () => {
    const { labels, probabilities } = model.approximatePredict([[0.5], [11], [6], [20], [30.5]]);
    expect(Array.from(labels)).toEqual([0, 1, 0, -1, -1]);
    expect(probabilities[0]).toBe(1);
    expect(probabilities[1]).toBe(1);
    expect(probabilities[2]).toBeCloseTo(3 / 7, 14);
    expect(probabilities[3]).toBe(0);
    expect(probabilities[4]).toBe(0);
    expect(Array.from(model.predict([[0.5], [11], [6], [20], [30.5]]))).toEqual([0, 1, 0, -1, -1]);
    expect(Array.from(model.predict(X))).toEqual(Array.from(model.labels));
  });
});

describe("HDBSCAN edge cases", () => {
  it("two rows", () => {
    const m = new HDBSCAN({ minClusterSize: 2, minSamples: 1 }).fit([[0], [1]]);
    expect(Array.from(m.labels)).toEqual([-1, -1]);
    expect(m.singleLinkageTree.rows).toBe(1);
    const single = new HDBSCAN({ minClusterSize: 2, minSamples: 1, allowSingleCluster: true }).fit([[0], [1]]);
    expect(single.nClusters).toBeLessThanOrEqual(1);
  });

  // Expected values from scikit-learn 1.9.1 (HDBSCAN(min_cluster_size=3), with and without allow_single_cluster).
  it("duplicate rows (zero distances, infinite lambdas)", () => {
    const X = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [5, 5],
      [5, 5],
      [5, 5],
      [5, 5],
      [5, 5],
      [2, 9],
    ];
    for (const allowSingleCluster of [false, true]) {
      const m = new HDBSCAN({ minClusterSize: 3, allowSingleCluster }).fit(X);
      expect(Array.from(m.labels)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
      expect(Array.from(m.probabilities)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
      for (const v of m.outlierScores) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      // row 10 leaves its cluster at lambda 0.2 while the rest stay forever: lambdaMax is infinite, the score is
      // the limit 1 (the hdbscan library computes inf / inf = NaN)
      expect(m.outlierScores[10]).toBe(1);
      expect(m.condensedTree.lambdaVal.includes(Number.POSITIVE_INFINITY)).toBe(true);
    }
  });

  it("all rows identical: noise, as scikit-learn", () => {
    const m = new HDBSCAN({ minClusterSize: 2 }).fit(Array.from({ length: 6 }, () => [1, 2]));
    expect(Array.from(m.labels)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(Array.from(m.probabilities)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("no clusters: every prediction is noise", () => {
    const m = new HDBSCAN({ minClusterSize: 5 }).fit([[0], [1], [3], [7], [15], [31]]);
    expect(m.nClusters).toBe(0);
    expect(Array.from(m.predict([[0.5], [100]]))).toEqual([-1, -1]);
    expect(m.predict([]).length).toBe(0);
  });
});
