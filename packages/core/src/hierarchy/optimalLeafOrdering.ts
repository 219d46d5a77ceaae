import { ValidationError } from "../errors.js";
import type { MatrixLike } from "../matrix.js";
import { asMatrix, checkChoice } from "../validate.js";
import {
  COSINE,
  condensedLength,
  condensedObservations,
  condensedRowBase,
  cosineNorms,
  HIERARCHY_METRICS,
  metricCode,
  rowDistance,
} from "./internal/distances.js";
import { leafOrder } from "./internal/tree.js";
import type { LinkageMetric } from "./linkage.js";
import { asLinkageMatrix, type LinkageMatrix, type LinkageMatrixLike } from "./linkageMatrix.js";

/** Options for `optimalLeafOrdering`. */
export interface OptimalLeafOrderingOptions {
  /** Distance between the rows of X (ignored when a condensed distance array is passed). Default "euclidean". */
  metric?: LinkageMetric;
}

const BIG = 1073741824; // 2^30, scipy's "infinity" for the float32 table

/**
 * Flips the children of merges so that the sum of distances between adjacent leaves of the
 * dendrogram is minimal, without changing the tree (Bar-Joseph, Gifford & Jaakkola, "Fast
 * optimal leaf ordering for hierarchical clustering", 2001). Returns a new linkage matrix whose
 * rows have the same merges and heights, some with `idx1`/`idx2` swapped (so `idx1 > idx2` can
 * occur), exactly like scipy's `optimal_leaf_ordering`; `leavesList` of the result is the order.
 *
 * `X` is either the data (rows are observations; distances from `metric`) or scipy's condensed
 * distance array (a Float64Array of length n(n-1)/2). Follows scipy's implementation, including
 * its float32 table, so results match scipy's leaf order.
 *
 * Cost: an n x n float32 table and an n x n byte table (about 5 n^2 bytes; 80 MB at n = 4000)
 * plus n(n-1)/2 doubles of distances, and roughly O(n^3) time: meant for up to a few thousand
 * observations.
 */
export function optimalLeafOrdering(
  Z: LinkageMatrixLike,
  X: MatrixLike | Float64Array,
  options: OptimalLeafOrderingOptions = {},
): LinkageMatrix {
  const z = asLinkageMatrix(Z);
  const n = z.rows + 1;
  const metric = checkChoice(options.metric ?? "euclidean", "metric", HIERARCHY_METRICS);
  const leaves = leafOrder(z.data, n);
  const base = condensedRowBase(n);

  // Distances between leaves, indexed by their position in the current leaf order.
  const sortedD = new Float64Array(condensedLength(n));
  if (X instanceof Float64Array) {
    const nY = condensedObservations(X, "X");
    if (nY !== n) {
      throw new ValidationError(`invalid X: condensed distances for ${nY} observations, Z has ${n}`);
    }
    for (let p = 0; p < n; p++) {
      const a = leaves[p];
      for (let q = p + 1; q < n; q++) {
        const b = leaves[q];
        sortedD[base[p] + q] = a < b ? X[base[a] + b] : X[base[b] + a];
      }
    }
  } else {
    const m = asMatrix(X);
    if (m.rows !== n) throw new ValidationError(`invalid X: ${m.rows} rows, Z has ${n} observations`);
    const code = metricCode(metric);
    const norms = code === COSINE ? cosineNorms(m) : null;
    for (let p = 0; p < n; p++) {
      const a = leaves[p];
      for (let q = p + 1; q < n; q++) {
        const b = leaves[q];
        sortedD[base[p] + q] =
          a < b ? rowDistance(m.data, a, b, m.cols, code, norms) : rowDistance(m.data, b, a, m.cols, code, norms);
      }
    }
  }

  // Tree with leaves renamed to their positions; each cluster covers a contiguous range.
  const position = new Int32Array(n);
  for (let p = 0; p < n; p++) position[leaves[p]] = p;
  const rows = n - 1;
  const sz = new Int32Array(2 * rows);
  const lo = new Int32Array(2 * n - 1);
  const hi = new Int32Array(2 * n - 1);
  for (let p = 0; p < n; p++) {
    lo[p] = p;
    hi[p] = p + 1;
  }
  for (let r = 0; r < rows; r++) {
    let a = z.data[4 * r];
    let b = z.data[4 * r + 1];
    if (a < n) a = position[a];
    if (b < n) b = position[b];
    sz[2 * r] = a;
    sz[2 * r + 1] = b;
    lo[n + r] = lo[a];
    hi[n + r] = hi[b];
  }

  const mustSwap = identifySwaps(sz, sortedD, base, lo, hi, n);

  // A node is flipped when an odd number of its ancestors-or-self must swap.
  const parity = new Uint8Array(rows);
  const parentRow = new Int32Array(rows).fill(-1);
  for (let r = 0; r < rows; r++) {
    const a = sz[2 * r];
    const b = sz[2 * r + 1];
    if (a >= n) parentRow[a - n] = r;
    if (b >= n) parentRow[b - n] = r;
  }
  for (let r = rows - 1; r >= 0; r--) {
    const p = parentRow[r];
    parity[r] = mustSwap[r] ^ (p >= 0 ? parity[p] : 0);
  }
  const out = z.data.slice();
  for (let r = 0; r < rows; r++) {
    if (parity[r]) {
      out[4 * r] = z.data[4 * r + 1];
      out[4 * r + 1] = z.data[4 * r];
    }
  }
  return { rows, cols: 4, data: out };
}

/** scipy's `identify_swaps`: dynamic programme over the tree with a float32 table M. */
function identifySwaps(
  sz: Int32Array,
  D: Float64Array,
  base: Float64Array,
  lo: Int32Array,
  hi: Int32Array,
  n: number,
): Uint8Array {
  const fr = Math.fround;
  const rows = n - 1;
  const M = new Float32Array(n * n);
  const swapStatus = new Uint8Array(n * n); // bit 0: swap left child, bit 1: swap right child
  const mustSwap = new Uint8Array(rows);
  const mVals = new Float32Array(n);
  const mIdx = new Int32Array(n);
  const kVals = new Float32Array(n);
  const kIdx = new Int32Array(n);
  let kSorted = new Int32Array(n);
  const uC = [0, 0];
  const mC = [0, 0];
  const wC = [0, 0];
  const kC = [0, 0];

  for (let i = 0; i < rows; i++) {
    const vl = sz[2 * i];
    const vr = sz[2 * i + 1];
    let totalU: number;
    let totalW: number;
    if (vl < n) {
      totalU = 1;
      uC[0] = vl;
      mC[0] = vl;
    } else {
      totalU = 2;
      uC[0] = sz[2 * (vl - n)];
      mC[0] = sz[2 * (vl - n) + 1];
      uC[1] = sz[2 * (vl - n) + 1];
      mC[1] = sz[2 * (vl - n)];
    }
    if (vr < n) {
      totalW = 1;
      wC[0] = vr;
      kC[0] = vr;
    } else {
      totalW = 2;
      wC[0] = sz[2 * (vr - n) + 1];
      wC[1] = sz[2 * (vr - n)];
      kC[0] = sz[2 * (vr - n)];
      kC[1] = sz[2 * (vr - n) + 1];
    }
    for (let swapL = 0; swapL < totalU; swapL++) {
      for (let swapR = 0; swapR < totalW; swapR++) {
        const uMin = lo[uC[swapL]];
        const uMax = hi[uC[swapL]];
        const mMin = lo[mC[swapL]];
        const mMax = hi[mC[swapL]];
        const wMin = lo[wC[swapR]];
        const wMax = hi[wC[swapR]];
        const kMin = lo[kC[swapR]];
        const kMax = hi[kC[swapR]];

        let minKm = BIG;
        for (let m = mMin; m < mMax; m++) {
          const bm = base[m];
          for (let k = kMin; k < kMax; k++) {
            const v = D[bm + k];
            if (v < minKm) minKm = fr(v);
          }
        }
        const mCount = mMax - mMin;
        const kCount = kMax - kMin;
        const wCount = wMax - wMin;
        // M[{k}, w] does not change while this node is processed (k and w are both in the right
        // child), so each w's sorted k list is computed once instead of once per u as in scipy;
        // the lists, and therefore the results, are identical.
        if (kSorted.length < wCount * kCount) kSorted = new Int32Array(wCount * kCount);
        for (let w = wMin; w < wMax; w++) {
          sortSlice(M, n, kVals, kIdx, kMin, kMax, w);
          kSorted.set(kIdx.subarray(0, kCount), (w - wMin) * kCount);
        }
        for (let u = uMin; u < uMax; u++) {
          sortSlice(M, n, mVals, mIdx, mMin, mMax, u);
          const uRow = u * n;
          for (let w = wMin; w < wMax; w++) {
            const ks = (w - wMin) * kCount;
            const wRow = w * n;
            let cur = BIG;
            const firstK = M[wRow + kSorted[ks]];
            for (let mi = 0; mi < mCount; mi++) {
              const m = mIdx[mi];
              const um = M[uRow + m];
              if (fr(fr(um + firstK) + minKm) >= cur) break;
              const bm = base[m];
              for (let ki = 0; ki < kCount; ki++) {
                const k = kSorted[ks + ki];
                const sum = fr(um + M[wRow + k]);
                if (fr(sum + minKm) >= cur) break;
                const current = fr(sum + D[bm + k]);
                if (current < cur) cur = current;
              }
            }
            M[uRow + w] = cur;
            M[wRow + u] = cur;
            const status = swapL | (swapR << 1);
            swapStatus[uRow + w] = status;
            swapStatus[wRow + u] = status;
          }
        }
      }
    }
    let cur = BIG;
    let bestU = 0;
    let bestW = 0;
    for (let u = lo[vl]; u < hi[vl]; u++) {
      for (let w = lo[vr]; w < hi[vr]; w++) {
        if (M[u * n + w] < cur) {
          cur = M[u * n + w];
          bestU = u;
          bestW = w;
        }
      }
    }
    const status = swapStatus[bestU * n + bestW];
    if (vl >= n) mustSwap[vl - n] = status & 1;
    if (vr >= n) mustSwap[vr - n] = (status >> 1) & 1;
  }
  return mustSwap;
}

/** Loads M[dimMin..dimMax, col] with their row indices and sorts both (scipy's quicksort). */
function sortSlice(
  M: Float32Array,
  n: number,
  vals: Float32Array,
  idx: Int32Array,
  dimMin: number,
  dimMax: number,
  col: number,
): void {
  const size = dimMax - dimMin;
  for (let i = 0; i < size; i++) {
    vals[i] = M[(dimMin + i) * n + col];
    idx[i] = dimMin + i;
  }
  simultaneousSort(vals, idx, 0, size);
}

function dualSwap(vals: Float32Array, idx: Int32Array, i: number, j: number): void {
  const v = vals[i];
  vals[i] = vals[j];
  vals[j] = v;
  const t = idx[i];
  idx[i] = idx[j];
  idx[j] = t;
}

/** scikit-learn's median-of-three quicksort on `vals[off..off+size)`, carrying `idx` along. */
function simultaneousSort(vals: Float32Array, idx: Int32Array, off: number, size: number): void {
  // Explicit stack of (offset, size) segments instead of recursion; same partitions.
  const stack: number[] = [off, size];
  while (stack.length > 0) {
    const sz = stack.pop() as number;
    const o = stack.pop() as number;
    if (sz <= 1) continue;
    if (sz === 2) {
      if (vals[o] > vals[o + 1]) dualSwap(vals, idx, o, o + 1);
      continue;
    }
    if (sz === 3) {
      if (vals[o] > vals[o + 1]) dualSwap(vals, idx, o, o + 1);
      if (vals[o + 1] > vals[o + 2]) {
        dualSwap(vals, idx, o + 1, o + 2);
        if (vals[o] > vals[o + 1]) dualSwap(vals, idx, o, o + 1);
      }
      continue;
    }
    let pivotIdx = o + (sz >> 1);
    const last = o + sz - 1;
    if (vals[o] > vals[last]) dualSwap(vals, idx, o, last);
    if (vals[last] > vals[pivotIdx]) {
      dualSwap(vals, idx, last, pivotIdx);
      if (vals[o] > vals[last]) dualSwap(vals, idx, o, last);
    }
    const pivot = vals[last];
    let store = o;
    for (let i = o; i < last; i++) {
      if (vals[i] < pivot) {
        dualSwap(vals, idx, i, store);
        store++;
      }
    }
    dualSwap(vals, idx, store, last);
    pivotIdx = store - o;
    if (pivotIdx + 2 < sz) stack.push(o + pivotIdx + 1, sz - pivotIdx - 1);
    if (pivotIdx > 1) stack.push(o, pivotIdx);
  }
}
