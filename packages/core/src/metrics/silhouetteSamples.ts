import type { Matrix, MatrixLike } from "../matrix.js";
import { asMatrix, checkChoice, checkInt } from "../validate.js";
import { type Allocator, acquireWorkspace, addr } from "../wasm/workspace.js";
import { checkLabelsForRows } from "./checkLabelsForRows.js";

/** Distances the silhouette can use. */
export type SilhouetteMetric = "euclidean" | "sqeuclidean" | "manhattan" | "cosine";

/** The accepted `SilhouetteMetric` values. */
export const SILHOUETTE_METRICS: readonly SilhouetteMetric[] = ["euclidean", "sqeuclidean", "manhattan", "cosine"];

/** Options for `silhouetteSamples` (and, with sampling, `silhouetteScore`). */
export interface SilhouetteOptions {
  /**
   * Distance between samples. Default `"euclidean"`. `"sqeuclidean"` is the squared Euclidean
   * distance, `"manhattan"` the L1 distance, `"cosine"` is `1 - cos(angle)` clipped to [0, 2]; as in
   * scikit-learn, a row of zeros has cosine distance 1 to every other row. The distance of a sample
   * to itself is always 0.
   */
  metric?: SilhouetteMetric;
  /**
   * Rows per block (an integer >= 1). Distances are never stored: a block of rows is compared with
   * the points a block at a time and the distances are added to per-cluster sums on the fly, so the
   * working set is two blocks of rows plus their sums. Default 256 (a block of 256 rows of 16
   * features is 32 KB, cache-resident). The result does not depend on it, bit for bit: every
   * sample's sums are accumulated in the same order whatever the block size.
   */
  blockSize?: number;
}

/**
 * Largest per-sample x per-cluster sum table (doubles) for the symmetric schedule, which computes
 * each pair's distance once; beyond it (very many clusters), rows are processed a block at a time
 * and each distance is computed from both ends.
 */
const MAX_SUM_TABLE = 1 << 21; // 16 MB

const DEFAULT_BLOCK_SIZE = 256;

/**
 * Raw pair sums from row `i` (into `out0`) and, for the two-row form, row `i + 1` (into `out1`) to
 * the rows [j0, j1), written at offset `j - j0`: sum of squared differences, of absolute
 * differences, or of products. Every form adds the d terms of a pair in the same order with one
 * accumulator, so a pair's value does not depend on which form computed it, nor on which of its
 * two samples was the row (d(i, j) === d(j, i) bit for bit).
 */
interface PairKernels {
  one(data: Float64Array, d: number, i: number, j0: number, j1: number, out0: Float64Array): void;
  two(data: Float64Array, d: number, i: number, j0: number, j1: number, out0: Float64Array, out1: Float64Array): void;
}

/**
 * The silhouette coefficient of every sample, `(b - a) / max(a, b)`, where a is the mean distance
 * to the other members of its cluster and b the smallest mean distance to the members of another
 * cluster (Rousseeuw, 1987). Values in [-1, 1]; samples alone in their cluster get 0, as do samples
 * with a = b = 0 (as scikit-learn's `silhouette_samples`).
 *
 * Requires `2 <= number of labels <= n - 1`; the error names the count
 * (`invalid labels: number of labels is 1 (...)`). -1 is an ordinary cluster label here, as in
 * scikit-learn (drop noise points first if they should not count).
 *
 * Cost: O(n^2 d) time. Memory: the n x n distance matrix is never formed. The per-sample sums of
 * distances to each cluster are accumulated block by block. When n x (number of labels) <= 2^21
 * (16 MB of sums, O(n) for a bounded number of clusters) each pair's distance is computed once
 * and credited to both samples; otherwise each block of `blockSize` rows is compared with all
 * points, holding only `blockSize` x (number of labels) sums, and each distance is computed twice.
 */
export function silhouetteSamples(
  X: MatrixLike,
  labels: ArrayLike<number>,
  options: SilhouetteOptions = {},
): Float64Array {
  const { metric = "euclidean", blockSize = DEFAULT_BLOCK_SIZE } = options;
  checkChoice(metric, "metric", SILHOUETTE_METRICS);
  checkInt(blockSize, "blockSize", 1);
  const m = asMatrix(X);
  const { codes, counts } = checkLabelsForRows(m, labels);
  const data = metric === "cosine" ? normalizeRows(m) : m.data;
  if (m.rows * counts.length > MAX_SUM_TABLE) return sortedByLabel(data, m.cols, codes, counts, metric, blockSize);
  return silhouetteOf(data, m.cols, codes, counts, metric, blockSize);
}

/**
 * The many-labels schedule on the rows sorted by label (a stable sort), the values put back in the
 * rows' order: a row's distances then go to its per-label sums in runs rather than scattered over
 * the whole table. Each sum still gets its terms in the rows' order (the sort is stable), so every
 * value is the one of the unsorted computation, bit for bit.
 */
function sortedByLabel(
  data: Float64Array,
  d: number,
  codes: Int32Array,
  counts: Int32Array,
  metric: SilhouetteMetric,
  blockSize: number,
): Float64Array {
  const n = codes.length;
  const k = counts.length;
  const startOf = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) startOf[c + 1] = startOf[c] + counts[c];
  const order = new Int32Array(n);
  const next = startOf.slice(0, k);
  for (let i = 0; i < n; i++) order[next[codes[i]]++] = i;
  const sorted = new Float64Array(n * d);
  const sortedCodes = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const i = order[p];
    sorted.set(data.subarray(i * d, i * d + d), p * d);
    sortedCodes[p] = codes[i];
  }
  const values = silhouetteOf(sorted, d, sortedCodes, counts, metric, blockSize);
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) out[order[p]] = values[p];
  return out;
}

/** `silhouetteSamples` of validated rows (`data`, n x d; cosine rows already normalised) and label codes. */
function silhouetteOf(
  data: Float64Array,
  d: number,
  codes: Int32Array,
  counts: Int32Array,
  metric: SilhouetteMetric,
  blockSize: number,
): Float64Array {
  const n = codes.length;
  const k = counts.length;
  const out = new Float64Array(n);
  const symmetric = n * k <= MAX_SUM_TABLE;
  const rowsPerBlock = Math.min(blockSize, n);
  if (silhouetteWasm(data, d, n, codes, counts, metric, blockSize, symmetric, out)) return out;
  const { kernels, post } = KERNELS[metric];
  if (symmetric) {
    const sums = new Float64Array(n * k);
    accumulateSymmetric(data, d, n, codes, k, kernels, post, blockSize, sums);
    finish(sums, 0, n, codes, counts, out);
  } else {
    const sums = new Float64Array(rowsPerBlock * k);
    for (let start = 0; start < n; start += blockSize) {
      const end = Math.min(n, start + blockSize);
      sums.fill(0);
      accumulateRows(data, d, n, start, end, codes, k, kernels, post, blockSize, sums);
      finish(sums, start, end, codes, counts, out);
    }
  }
  return out;
}

/** Kernel kind and post step of each metric, as numbered by the WebAssembly kernels. */
const WASM_METRIC: Record<SilhouetteMetric, { kind: number; post: number }> = {
  euclidean: { kind: 0, post: 1 },
  sqeuclidean: { kind: 0, post: 0 },
  manhattan: { kind: 1, post: 0 },
  cosine: { kind: 2, post: 2 },
};

/**
 * The same computation with the WebAssembly kernels (`packages/core/assembly/silhouette.ts`: the
 * schedules below, with SIMD across pairs, each pair summed in feature order as here), when they
 * are selected: returns false (nothing written) otherwise. The data are copied once into
 * WebAssembly memory, with a transposed copy for the SIMD loads.
 */
function silhouetteWasm(
  data: Float64Array,
  d: number,
  n: number,
  codes: Int32Array,
  counts: Int32Array,
  metric: SilhouetteMetric,
  tile: number,
  symmetric: boolean,
  out: Float64Array,
): boolean {
  const k = counts.length;
  tile = Math.max(Math.min(tile, n), 1);
  const len = tile;
  const ws = acquireWorkspace(
    (a: Allocator) =>
      a.wasm
        ? {
            X: a.input(data.subarray(0, n * d)),
            XT: a.f64(n * d),
            codes: a.inputI32(codes),
            sums: a.f64((symmetric ? n : len) * k),
            dist0: a.f64(len),
            dist1: a.f64(len),
            scratch: a.f64(4 * d),
          }
        : null,
    (n * n * d) / 2,
  );
  try {
    const wk = ws.kernels;
    const v = ws.arrays;
    if (wk === null || v === null) return false;
    const { kind, post } = WASM_METRIC[metric];
    wk.transpose(addr(v.X), n, d, addr(v.XT));
    const common = [addr(v.X), addr(v.XT), d, n] as const;
    if (symmetric) {
      // One call per tile row, in order (the same schedule as one loop).
      for (let i0 = 0; i0 < n; i0 += tile) {
        wk.silhouetteSymmetric(
          kind,
          post,
          ...common,
          addr(v.codes),
          k,
          tile,
          i0,
          addr(v.sums),
          addr(v.dist0),
          addr(v.dist1),
          addr(v.scratch),
        );
      }
      finish(v.sums, 0, n, codes, counts, out);
    } else {
      for (let start = 0; start < n; start += tile) {
        const end = Math.min(n, start + tile);
        v.sums.fill(0);
        wk.silhouetteRows(
          kind,
          post,
          ...common,
          start,
          end,
          addr(v.codes),
          k,
          tile,
          addr(v.sums),
          addr(v.dist0),
          addr(v.dist1),
          addr(v.scratch),
        );
        finish(v.sums, start, end, codes, counts, out);
      }
    }
    return true;
  } finally {
    ws.release();
  }
}

/**
 * Sums over all pairs, each distance computed once: tiles (I, J) with J >= I, rows taken two at a
 * time. For every sample the contributions arrive in ascending order of the other sample's index
 * (j < i as the column side of earlier rows, then j > i as a row), the same order as
 * `accumulateRows`, so the sums are identical whatever the schedule and block size.
 */
function accumulateSymmetric(
  data: Float64Array,
  d: number,
  n: number,
  codes: Int32Array,
  k: number,
  kernels: PairKernels,
  post: (out: Float64Array, len: number) => void,
  tile: number,
  sums: Float64Array,
): void {
  const len = Math.min(tile, n);
  const dist0 = new Float64Array(Math.max(len, 1));
  const dist1 = new Float64Array(Math.max(len, 1));
  for (let i0 = 0; i0 < n; i0 += tile) {
    const i1 = Math.min(n, i0 + tile);
    for (let j0 = i0; j0 < n; j0 += tile) {
      const j1 = Math.min(n, j0 + tile);
      const diagonal = j0 === i0;
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        const ca = codes[i];
        const cb = codes[i + 1];
        const ra = i * k;
        const rb = ra + k;
        let from = j0;
        if (diagonal) {
          // The pair (i, i + 1) first: row i's next column, row i + 1's last before its own.
          kernels.one(data, d, i, i + 1, i + 2, dist0);
          post(dist0, 1);
          sums[ra + cb] += dist0[0];
          sums[rb + ca] += dist0[0];
          from = i + 2;
        }
        if (from >= j1) continue;
        const count = j1 - from;
        kernels.two(data, d, i, from, j1, dist0, dist1);
        post(dist0, count);
        post(dist1, count);
        for (let j = from; j < j1; j++) {
          const v = dist0[j - from];
          const w = dist1[j - from];
          const cj = codes[j];
          sums[ra + cj] += v;
          sums[rb + cj] += w;
          const rj = j * k;
          sums[rj + ca] += v;
          sums[rj + cb] += w;
        }
      }
      if (i < i1) {
        // A last, unpaired row.
        const from = diagonal ? i + 1 : j0;
        if (from >= j1) continue;
        const count = j1 - from;
        const ca = codes[i];
        const ra = i * k;
        kernels.one(data, d, i, from, j1, dist0);
        post(dist0, count);
        for (let j = from; j < j1; j++) {
          const v = dist0[j - from];
          sums[ra + codes[j]] += v;
          sums[j * k + ca] += v;
        }
      }
    }
  }
}

/** Sums for rows [start, end) against every point, in tiles of `tile` points in ascending order. */
function accumulateRows(
  data: Float64Array,
  d: number,
  n: number,
  start: number,
  end: number,
  codes: Int32Array,
  k: number,
  kernels: PairKernels,
  post: (out: Float64Array, len: number) => void,
  tile: number,
  sums: Float64Array,
): void {
  const len = Math.min(tile, n);
  const dist0 = new Float64Array(len);
  const dist1 = new Float64Array(len);
  for (let j0 = 0; j0 < n; j0 += tile) {
    const j1 = Math.min(n, j0 + tile);
    const count = j1 - j0;
    let i = start;
    for (; i + 1 < end; i += 2) {
      kernels.two(data, d, i, j0, j1, dist0, dist1);
      post(dist0, count);
      post(dist1, count);
      // The distance to itself is 0 (also for cosine rounding and zero rows).
      if (i >= j0 && i < j1) dist0[i - j0] = 0;
      if (i + 1 >= j0 && i + 1 < j1) dist1[i + 1 - j0] = 0;
      const ra = (i - start) * k;
      const rb = ra + k;
      for (let j = j0; j < j1; j++) {
        const cj = codes[j];
        sums[ra + cj] += dist0[j - j0];
        sums[rb + cj] += dist1[j - j0];
      }
    }
    if (i < end) {
      kernels.one(data, d, i, j0, j1, dist0);
      post(dist0, count);
      if (i >= j0 && i < j1) dist0[i - j0] = 0;
      const ra = (i - start) * k;
      for (let j = j0; j < j1; j++) sums[ra + codes[j]] += dist0[j - j0];
    }
  }
}

/** Silhouette of rows [start, end) from their per-cluster distance sums (row r at sums[(r - start) * k]). */
function finish(
  sums: Float64Array,
  start: number,
  end: number,
  codes: Int32Array,
  counts: Int32Array,
  out: Float64Array,
): void {
  const k = counts.length;
  for (let i = start; i < end; i++) {
    const base = (i - start) * k;
    const own = codes[i];
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c === own) continue;
      const mean = sums[base + c] / counts[c];
      if (mean < b) b = mean;
    }
    // A singleton cluster gives 0 / 0 = NaN, and a = b = 0 gives 0 / 0: both end as 0.
    const a = sums[base + own] / (counts[own] - 1);
    const s = (b - a) / Math.max(a, b);
    out[i] = Number.isNaN(s) ? 0 : s;
  }
}

/** Rows scaled to unit Euclidean norm (rows of zeros stay zero), for the cosine distance. */
function normalizeRows(m: Matrix): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(data.length);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let s = 0;
    for (let t = 0; t < cols; t++) s += data[base + t] * data[base + t];
    const norm = Math.sqrt(s);
    const scale = norm === 0 ? 1 : norm;
    for (let t = 0; t < cols; t++) out[base + t] = data[base + t] / scale;
  }
  return out;
}

// Pair kernels. Four columns at a time (eight accumulators for two rows) so that each value
// loaded serves several pairs and the additions of different pairs overlap; within a pair the
// terms are added in order t = 0 .. d - 1 by every form.

const squaredDifferences: PairKernels = {
  one(data, d, i, j0, j1, out0) {
    const xi = i * d;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const y0 = j * d;
      const y1 = y0 + d;
      const y2 = y1 + d;
      const y3 = y2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < d; t++) {
        const x = data[xi + t];
        const e0 = x - data[y0 + t];
        const e1 = x - data[y1 + t];
        const e2 = x - data[y2 + t];
        const e3 = x - data[y3 + t];
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      const o = j - j0;
      out0[o] = s0;
      out0[o + 1] = s1;
      out0[o + 2] = s2;
      out0[o + 3] = s3;
    }
    for (; j < j1; j++) {
      const y = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const e = data[xi + t] - data[y + t];
        s += e * e;
      }
      out0[j - j0] = s;
    }
  },
  two(data, d, i, j0, j1, out0, out1) {
    const xa = i * d;
    const xb = xa + d;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const y0 = j * d;
      const y1 = y0 + d;
      const y2 = y1 + d;
      const y3 = y2 + d;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let t = 0; t < d; t++) {
        const p = data[xa + t];
        const q = data[xb + t];
        const w0 = data[y0 + t];
        const w1 = data[y1 + t];
        const w2 = data[y2 + t];
        const w3 = data[y3 + t];
        const e0 = p - w0;
        const e1 = p - w1;
        const e2 = p - w2;
        const e3 = p - w3;
        a0 += e0 * e0;
        a1 += e1 * e1;
        a2 += e2 * e2;
        a3 += e3 * e3;
        const f0 = q - w0;
        const f1 = q - w1;
        const f2 = q - w2;
        const f3 = q - w3;
        b0 += f0 * f0;
        b1 += f1 * f1;
        b2 += f2 * f2;
        b3 += f3 * f3;
      }
      const o = j - j0;
      out0[o] = a0;
      out0[o + 1] = a1;
      out0[o + 2] = a2;
      out0[o + 3] = a3;
      out1[o] = b0;
      out1[o + 1] = b1;
      out1[o + 2] = b2;
      out1[o + 3] = b3;
    }
    for (; j < j1; j++) {
      const y = j * d;
      let a = 0;
      let b = 0;
      for (let t = 0; t < d; t++) {
        const w = data[y + t];
        const e = data[xa + t] - w;
        const f = data[xb + t] - w;
        a += e * e;
        b += f * f;
      }
      out0[j - j0] = a;
      out1[j - j0] = b;
    }
  },
};

const absoluteDifferences: PairKernels = {
  one(data, d, i, j0, j1, out0) {
    const xi = i * d;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const y0 = j * d;
      const y1 = y0 + d;
      const y2 = y1 + d;
      const y3 = y2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < d; t++) {
        const x = data[xi + t];
        s0 += Math.abs(x - data[y0 + t]);
        s1 += Math.abs(x - data[y1 + t]);
        s2 += Math.abs(x - data[y2 + t]);
        s3 += Math.abs(x - data[y3 + t]);
      }
      const o = j - j0;
      out0[o] = s0;
      out0[o + 1] = s1;
      out0[o + 2] = s2;
      out0[o + 3] = s3;
    }
    for (; j < j1; j++) {
      const y = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += Math.abs(data[xi + t] - data[y + t]);
      out0[j - j0] = s;
    }
  },
  two(data, d, i, j0, j1, out0, out1) {
    const xa = i * d;
    const xb = xa + d;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const y0 = j * d;
      const y1 = y0 + d;
      const y2 = y1 + d;
      const y3 = y2 + d;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let t = 0; t < d; t++) {
        const p = data[xa + t];
        const q = data[xb + t];
        const w0 = data[y0 + t];
        const w1 = data[y1 + t];
        const w2 = data[y2 + t];
        const w3 = data[y3 + t];
        a0 += Math.abs(p - w0);
        a1 += Math.abs(p - w1);
        a2 += Math.abs(p - w2);
        a3 += Math.abs(p - w3);
        b0 += Math.abs(q - w0);
        b1 += Math.abs(q - w1);
        b2 += Math.abs(q - w2);
        b3 += Math.abs(q - w3);
      }
      const o = j - j0;
      out0[o] = a0;
      out0[o + 1] = a1;
      out0[o + 2] = a2;
      out0[o + 3] = a3;
      out1[o] = b0;
      out1[o + 1] = b1;
      out1[o + 2] = b2;
      out1[o + 3] = b3;
    }
    for (; j < j1; j++) {
      const y = j * d;
      let a = 0;
      let b = 0;
      for (let t = 0; t < d; t++) {
        const w = data[y + t];
        a += Math.abs(data[xa + t] - w);
        b += Math.abs(data[xb + t] - w);
      }
      out0[j - j0] = a;
      out1[j - j0] = b;
    }
  },
};

const products: PairKernels = {
  one(data, d, i, j0, j1, out0) {
    const xi = i * d;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const y0 = j * d;
      const y1 = y0 + d;
      const y2 = y1 + d;
      const y3 = y2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < d; t++) {
        const x = data[xi + t];
        s0 += x * data[y0 + t];
        s1 += x * data[y1 + t];
        s2 += x * data[y2 + t];
        s3 += x * data[y3 + t];
      }
      const o = j - j0;
      out0[o] = s0;
      out0[o + 1] = s1;
      out0[o + 2] = s2;
      out0[o + 3] = s3;
    }
    for (; j < j1; j++) {
      const y = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += data[xi + t] * data[y + t];
      out0[j - j0] = s;
    }
  },
  two(data, d, i, j0, j1, out0, out1) {
    const xa = i * d;
    const xb = xa + d;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const y0 = j * d;
      const y1 = y0 + d;
      const y2 = y1 + d;
      const y3 = y2 + d;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let t = 0; t < d; t++) {
        const p = data[xa + t];
        const q = data[xb + t];
        const w0 = data[y0 + t];
        const w1 = data[y1 + t];
        const w2 = data[y2 + t];
        const w3 = data[y3 + t];
        a0 += p * w0;
        a1 += p * w1;
        a2 += p * w2;
        a3 += p * w3;
        b0 += q * w0;
        b1 += q * w1;
        b2 += q * w2;
        b3 += q * w3;
      }
      const o = j - j0;
      out0[o] = a0;
      out0[o + 1] = a1;
      out0[o + 2] = a2;
      out0[o + 3] = a3;
      out1[o] = b0;
      out1[o + 1] = b1;
      out1[o + 2] = b2;
      out1[o + 3] = b3;
    }
    for (; j < j1; j++) {
      const y = j * d;
      let a = 0;
      let b = 0;
      for (let t = 0; t < d; t++) {
        const w = data[y + t];
        a += data[xa + t] * w;
        b += data[xb + t] * w;
      }
      out0[j - j0] = a;
      out1[j - j0] = b;
    }
  },
};

function squareRoot(out: Float64Array, len: number): void {
  for (let p = 0; p < len; p++) out[p] = Math.sqrt(out[p]);
}

function unchanged(_out: Float64Array, _len: number): void {}

/** Dot products of unit-norm rows to `1 - dot`, clipped to [0, 2] as scikit-learn does. */
function cosineFromDot(out: Float64Array, len: number): void {
  for (let p = 0; p < len; p++) {
    const v = 1 - out[p];
    out[p] = v < 0 ? 0 : Math.min(v, 2);
  }
}

const KERNELS: Record<SilhouetteMetric, { kernels: PairKernels; post: (out: Float64Array, len: number) => void }> = {
  euclidean: { kernels: squaredDifferences, post: squareRoot },
  sqeuclidean: { kernels: squaredDifferences, post: unchanged },
  manhattan: { kernels: absoluteDifferences, post: unchanged },
  cosine: { kernels: products, post: cosineFromDot },
};
