import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HDBSCAN, type HDBSCANMetric, type Matrix, matrix, Random, takeRows } from "../../src/index.js";
import { samePartition } from "../fixtures.js";

/** Three Gaussian groups plus a few uniform rows: continuous values, so no two distances coincide. */
function sample(seed: number, n: number, d: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const g = i % 4;
    for (let t = 0; t < d; t++) {
      data[i * d + t] = g === 3 ? rng.float() * 20 - 5 : g * 5 + (t === 0 ? 0 : 1) + rng.normal() * (0.5 + g * 0.3);
    }
  }
  return matrix(n, d, data);
}

function sameClustering(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] === -1) !== (b[i] === -1)) return false;
  return samePartition(a, b);
}

/*
 * "Tie-free" here: with minSamples = 1 the mutual reachability distance is the distance itself, and with
 * minSamples = 2 a row's core distance is reached by one edge only (its nearest neighbour), so on continuous
 * data the MST is unique and so is the single linkage tree up to the order of children. Larger minSamples
 * create equal weights (every edge inside a core ball weighs the core distance), where the result may
 * legitimately depend on row order (as scikit-learn's depends on its sort), so they are not used here.
 */
describe("HDBSCAN properties (fast-check, tie-free data)", () => {
  const params = fc.record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    n: fc.integer({ min: 8, max: 90 }),
    d: fc.integer({ min: 1, max: 3 }),
    minClusterSize: fc.integer({ min: 2, max: 9 }),
    minSamples: fc.constantFrom(1, 2),
    method: fc.constantFrom("eom" as const, "leaf" as const),
    allowSingleCluster: fc.boolean(),
    metric: fc.constantFrom<HDBSCANMetric>("euclidean", "manhattan", "cosine"),
  });

  it("the result does not depend on row order", () => {
    fc.assert(
      fc.property(params, (p) => {
        const X = sample(p.seed, p.n, p.d);
        const perm = new Random(p.seed + 1).shuffle(Int32Array.from({ length: p.n }, (_, i) => i));
        const options = {
          minClusterSize: p.minClusterSize,
          minSamples: p.minSamples,
          clusterSelectionMethod: p.method,
          allowSingleCluster: p.allowSingleCluster,
          metric: p.metric,
        };
        const a = new HDBSCAN(options).fit(X);
        const b = new HDBSCAN(options).fit(takeRows(X, perm));
        const aPermuted = Array.from(perm, (i) => a.labels[i]);
        expect(sameClustering(aPermuted, b.labels)).toBe(true);
        expect(b.nClusters).toBe(a.nClusters);
        for (let r = 0; r < p.n; r++) {
          expect(b.probabilities[r]).toBeCloseTo(a.probabilities[perm[r]], 12);
          expect(b.outlierScores[r]).toBeCloseTo(a.outlierScores[perm[r]], 12);
        }
      }),
      { seed: 20260401, numRuns: 80 },
    );
  });

  it("Prim and Boruvka agree, and outputs are well formed", () => {
    fc.assert(
      fc.property(params, (p) => {
        const X = sample(p.seed, p.n, p.d);
        const metric = p.metric === "cosine" ? "euclidean" : p.metric;
        const options = {
          minClusterSize: p.minClusterSize,
          minSamples: p.minSamples,
          clusterSelectionMethod: p.method,
          allowSingleCluster: p.allowSingleCluster,
          metric,
        };
        const prim = new HDBSCAN({ ...options, algorithm: "prim" }).fit(X);
        const boruvka = new HDBSCAN({ ...options, algorithm: "boruvka", leafSize: 4 }).fit(X);
        expect(sameClustering(prim.labels, boruvka.labels)).toBe(true);
        for (let i = 0; i < p.n; i++) {
          expect(boruvka.probabilities[i]).toBeCloseTo(prim.probabilities[i], 12);
          const label = prim.labels[i];
          expect(label).toBeGreaterThanOrEqual(-1);
          expect(label).toBeLessThan(prim.nClusters);
          expect(prim.probabilities[i] > 0).toBe(label >= 0);
          expect(prim.probabilities[i]).toBeLessThanOrEqual(1);
          expect(prim.outlierScores[i]).toBeGreaterThanOrEqual(0);
          expect(prim.outlierScores[i]).toBeLessThanOrEqual(1);
        }
        // the single linkage tree is a valid scipy linkage: sorted heights, sizes add up to n
        const z = prim.singleLinkageTree.data;
        for (let r = 1; r < p.n - 1; r++) expect(z[4 * r + 2]).toBeGreaterThanOrEqual(z[4 * r - 2]);
        expect(z[4 * (p.n - 2) + 3]).toBe(p.n);
      }),
      { seed: 20260402, numRuns: 80 },
    );
  });
});
