import { describe, expect, it } from "vitest";
import { type Matrix, Random, silhouetteSamples, silhouetteScore } from "../../src/index.js";
import { closeTo } from "../fixtures.js";

/** n points in d dimensions around k centres, with labels (label values -1 .. k - 2). */
function blobs(n: number, d: number, k: number, seed: number): { X: Matrix; labels: Int32Array } {
  const r = new Random(seed);
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = r.int(k);
    labels[i] = c - 1;
    for (let t = 0; t < d; t++) data[i * d + t] = 3 * Math.cos(c * (t + 1)) + r.normal();
  }
  return { X: { rows: n, cols: d, data }, labels };
}

/** Straightforward O(n^2) silhouette, for comparison. */
function naiveSilhouette(X: Matrix, labels: ArrayLike<number>): Float64Array {
  const { rows: n, cols: d, data } = X;
  const values = [...new Set(Array.from(labels))];
  const index = new Map(values.map((v, c) => [v, c]));
  const k = values.length;
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[index.get(labels[i])!]++;
  const out = new Float64Array(n);
  const sums = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (data[i * d + t] - data[j * d + t]) ** 2;
      sums[index.get(labels[j])!] += Math.sqrt(s);
    }
    const own = index.get(labels[i])!;
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, sums[c] / counts[c]);
    const a = counts[own] > 1 ? sums[own] / (counts[own] - 1) : Number.NaN;
    const s = (b - a) / Math.max(a, b);
    out[i] = Number.isNaN(s) ? 0 : s;
  }
  return out;
}

/** Runs `f` while recording the largest Float64Array allocated through the constructor. */
function largestAllocation<T>(f: () => T): { result: T; largest: number } {
  const Original = globalThis.Float64Array;
  let largest = 0;
  const Tracking = new Proxy(Original, {
    construct(target, args: unknown[]) {
      const created = Reflect.construct(target, args) as Float64Array;
      largest = Math.max(largest, created.length);
      return created;
    },
  });
  globalThis.Float64Array = Tracking;
  try {
    return { result: f(), largest };
  } finally {
    globalThis.Float64Array = Original;
  }
}

describe("silhouette: blocking, memory, sampling", () => {
  it("n = 5000: no n x n allocation, and blockSize 7 / 300 / 5000 / default give bit-identical samples", () => {
    const { X, labels } = blobs(5000, 4, 5, 1);
    const { result: reference, largest } = largestAllocation(() => silhouetteSamples(X, labels));
    // Largest buffer: per-sample sums over 5 clusters (n * 5), far below n^2 = 25e6. (The output,
    // n values, proves the tracker sees the allocations.)
    expect(largest).toBeGreaterThanOrEqual(5000);
    expect(largest).toBeLessThanOrEqual(5000 * 5);
    for (const blockSize of [7, 300, 5000, 100000]) {
      expect(silhouetteSamples(X, labels, { blockSize }), `blockSize ${blockSize}`).toEqual(reference);
    }
    const mean = reference.reduce((s, v) => s + v, 0) / reference.length;
    expect(silhouetteScore(X, labels, { blockSize: 7 })).toBe(mean);
  });

  it("many clusters (n x labels above 2^21): row blocks, identical across blockSize, equal to the naive loop (rtol 1e-12)", () => {
    const n = 2200;
    const { X } = blobs(n, 3, 2, 2);
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 37) % 1000);
    const { result: a, largest } = largestAllocation(() => silhouetteSamples(X, labels, { blockSize: 13 }));
    expect(largest).toBeLessThanOrEqual(13 * 1000); // one block of 13 rows x 1000 cluster sums
    expect(silhouetteSamples(X, labels, { blockSize: n })).toEqual(a);
    const naive = naiveSilhouette(X, labels);
    for (let i = 0; i < n; i++) expect(closeTo(a[i], naive[i], 1e-12, 1e-14), `sample ${i}`).toBe(true);
  });

  it("euclidean agrees with the naive O(n^2) loop on blobs with -1 labels (rtol 1e-12)", () => {
    const { X, labels } = blobs(700, 3, 4, 3);
    const naive = naiveSilhouette(X, labels);
    const ours = silhouetteSamples(X, labels, { blockSize: 64 });
    for (let i = 0; i < naive.length; i++) expect(closeTo(ours[i], naive[i], 1e-12, 1e-14), `sample ${i}`).toBe(true);
  });

  it("sampleSize: the same seed gives the same subset and score; sizes >= n use every sample", () => {
    const { X, labels } = blobs(3000, 4, 3, 4);
    const a = silhouetteScore(X, labels, { sampleSize: 500, seed: 7 });
    expect(silhouetteScore(X, labels, { sampleSize: 500, seed: 7 })).toBe(a);
    expect(silhouetteScore(X, labels, { sampleSize: 500, seed: 7, blockSize: 11 })).toBe(a);
    expect(silhouetteScore(X, labels, { sampleSize: 500, seed: 8 })).not.toBe(a);
    expect(silhouetteScore(X, labels, { sampleSize: 500 })).toBe(
      silhouetteScore(X, labels, { sampleSize: 500, seed: 0 }),
    );
    const full = silhouetteScore(X, labels);
    expect(silhouetteScore(X, labels, { sampleSize: 3000 })).toBe(full);
    expect(silhouetteScore(X, labels, { sampleSize: 10000 })).toBe(full);
    // A 500-sample estimate of a 3000-sample mean: close, not equal.
    expect(Math.abs(a - full)).toBeLessThan(0.05);
  });
});
