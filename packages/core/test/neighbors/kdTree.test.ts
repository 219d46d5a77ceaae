import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KDTree, type KDTreeMetric, matrix } from "../../src/index.js";

const SEED = 20240611;

/** Reduced distance exactly as the tree computes it (feature order). */
function reduced(a: Float64Array, i: number, q: ArrayLike<number>, d: number, p: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const g = Math.abs(q[t] - a[i * d + t]);
    if (p === 2) s += g * g;
    else if (p === 1) s += g;
    else if (p === Number.POSITIVE_INFINITY) s = Math.max(s, g);
    else s += g ** p;
  }
  return s;
}

const metricArb = fc.constantFrom<[KDTreeMetric, number]>(
  ["euclidean", 2],
  ["manhattan", 1],
  ["chebyshev", Number.POSITIVE_INFINITY],
  ["minkowski", 3],
  ["minkowski", 1.5],
);

/** Random data with many exact duplicates and ties: values drawn from a small grid or continuous. */
const dataArb = fc
  .record({
    n: fc.integer({ min: 1, max: 90 }),
    d: fc.integer({ min: 1, max: 8 }),
    discrete: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1e9 }),
  })
  .map(({ n, d, discrete, seed }) => {
    let h = seed >>> 0;
    const next = () => {
      h = (Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return h / 4294967296;
    };
    const data = new Float64Array(n * d);
    for (let i = 0; i < data.length; i++) data[i] = discrete ? Math.floor(next() * 4) * 0.5 : next() * 10 - 5;
    // duplicate a few rows exactly
    for (let i = 1; i < n; i += 7) data.copyWithin(i * d, (i - 1) * d, i * d);
    return { n, d, data, next };
  });

function bruteRadius(data: Float64Array, n: number, d: number, q: ArrayLike<number>, rr: number, p: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (reduced(data, i, q, d, p) <= rr) out.push(i);
  return out;
}

describe("KDTree", () => {
  it("radiusQuery and radiusCount equal brute force (d = 1..8, duplicates, all metrics)", () => {
    fc.assert(
      fc.property(
        dataArb,
        metricArb,
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ n, d, data, next }, [metric, p], leafSize, rFrac) => {
          const tree = new KDTree(matrix(n, d, data), { metric, p, leafSize });
          const out = new Int32Array(n);
          const dist = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const q = data.subarray(i * d, (i + 1) * d);
            // radius: a fraction of the spread, or exactly a pairwise distance (ties on the boundary)
            const j = Math.floor(next() * n);
            const r = i % 2 === 0 ? rFrac * 4 : tree.fromReduced(reduced(data, j, q, d, p));
            const rr = tree.toReduced(r);
            const expected = bruteRadius(data, n, d, q, rr, p);
            const byIndex = tree.radiusQuery(i, r, out, dist);
            expect(Array.from(out.subarray(0, byIndex)).sort((a, b) => a - b)).toEqual(expected);
            for (let h = 0; h < byIndex; h++) {
              expect(dist[h]).toBe(tree.fromReduced(reduced(data, out[h], q, d, p)));
            }
            const byPoint = tree.radiusQuery(Array.from(q), r, out);
            expect(Array.from(out.subarray(0, byPoint)).sort((a, b) => a - b)).toEqual(expected);
            expect(tree.radiusCount(i, r)).toBe(expected.length);
            const limit = 1 + Math.floor(next() * 5);
            const limited = tree.radiusCount(i, r, limit);
            if (expected.length >= limit) expect(limited).toBeGreaterThanOrEqual(limit);
            else expect(limited).toBe(expected.length);
          }
        },
      ),
      { seed: SEED, numRuns: 120 },
    );
  });

  it("knn equals brute force: sorted by distance, ties by index", () => {
    fc.assert(
      fc.property(
        dataArb,
        metricArb,
        fc.integer({ min: 1, max: 12 }),
        ({ n, d, data, next }, [metric, p], leafSize) => {
          const tree = new KDTree(matrix(n, d, data), { metric, p, leafSize });
          for (let i = 0; i < n; i++) {
            const k = 1 + Math.floor(next() * n);
            const q =
              i % 3 === 0 ? Array.from({ length: d }, () => next() * 10 - 5) : data.subarray(i * d, (i + 1) * d);
            const all = Array.from({ length: n }, (_, j) => ({ j, r: reduced(data, j, q, d, p) }));
            all.sort((a, b) => a.r - b.r || a.j - b.j);
            const res = i % 3 === 0 ? tree.knn(q, k) : tree.knn(i, k);
            expect(Array.from(res.indices)).toEqual(all.slice(0, k).map((e) => e.j));
            expect(Array.from(res.distances)).toEqual(all.slice(0, k).map((e) => tree.fromReduced(e.r)));
          }
        },
      ),
      { seed: SEED + 1, numRuns: 100 },
    );
  });

  it("indices is a permutation and the tree splits down to leafSize", () => {
    const n = 1000;
    const data = new Float64Array(n * 3).map(
      (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453),
    );
    const tree = new KDTree(matrix(n, 3, data), { leafSize: 10 });
    expect(Array.from(tree.indices).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(tree.nodeCount).toBeGreaterThanOrEqual(2 * Math.ceil(n / 10) - 1);
  });

  it("keeps identical points in one leaf and handles a single row", () => {
    const same = new KDTree(matrix(50, 2, new Float64Array(100).fill(3)), { leafSize: 4 });
    expect(same.nodeCount).toBe(1);
    expect(same.radiusCount([3, 3], 0)).toBe(50);
    expect(same.radiusCount([3, 3.5], 0.49)).toBe(0);
    const one = new KDTree([[1, 2]]);
    expect(Array.from(one.knn([0, 0], 1).distances)).toEqual([Math.sqrt(5)]);
  });

  it("an infinite radius returns every row", () => {
    const tree = new KDTree([[0], [1e300], [-1e300]]);
    expect(tree.radiusCount(0, Number.POSITIVE_INFINITY)).toBe(3);
  });

  it("names invalid arguments", () => {
    const X = [
      [0, 0],
      [1, 1],
    ];
    expect(() => new KDTree(X, { leafSize: 0 })).toThrow("invalid leafSize: 0");
    expect(() => new KDTree(X, { metric: "cosine" as KDTreeMetric })).toThrow('invalid metric: "cosine"');
    expect(() => new KDTree(X, { metric: "minkowski", p: 0.5 })).toThrow("invalid p: 0.5");
    const tree = new KDTree(X);
    expect(() => tree.knn(0, 3)).toThrow("invalid k: 3");
    expect(() => tree.radiusCount(0, -1)).toThrow("invalid r: -1");
    expect(() => tree.radiusCount([1], 1)).toThrow("invalid query: 1 values, expected 2");
    expect(() => tree.radiusCount(2, 1)).toThrow("invalid query: 2");
    expect(() => tree.radiusQuery(0, 5, new Int32Array(1))).toThrow("invalid out");
  });
});
