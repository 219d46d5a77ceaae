/**
 * Private kernels of `MeanShift` and `estimateBandwidth`: flat-kernel hill climbing, bin seeding,
 * near-duplicate centre suppression and nearest-centre assignment. Flat typed arrays only.
 */
import type { Matrix } from "../matrix.js";
import { KDTree } from "../neighbors/kdTree.js";

/**
 * numpy's pairwise summation of `a[start .. start + n)` (the algorithm behind `np.sum` of a contiguous
 * float64 array: blocks of up to 128 values summed with 8 accumulators, larger ranges split in halves at a
 * multiple of 8), so sums match numpy to the last bit.
 */
export function numpySum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i];
    return s;
  }
  if (n <= 128) {
    let r0 = a[start];
    let r1 = a[start + 1];
    let r2 = a[start + 2];
    let r3 = a[start + 3];
    let r4 = a[start + 4];
    let r5 = a[start + 5];
    let r6 = a[start + 6];
    let r7 = a[start + 7];
    const stop = n - (n % 8);
    let i = 8;
    for (; i < stop; i += 8) {
      const p = start + i;
      r0 += a[p];
      r1 += a[p + 1];
      r2 += a[p + 2];
      r3 += a[p + 3];
      r4 += a[p + 4];
      r5 += a[p + 5];
      r6 += a[p + 6];
      r7 += a[p + 7];
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) s += a[start + i];
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(a, start, n2) + numpySum(a, start + n2, n - n2);
}

/** Rounds half to even, as `np.round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** Radius search over the rows of one matrix: a k-d tree or brute force, identical neighbour sets. */
export class RadiusSearch {
  private readonly tree: KDTree | null;
  private readonly data: Float64Array;
  private readonly rows: number;
  private readonly cols: number;

  constructor(m: Matrix, useTree: boolean) {
    this.tree = useTree ? new KDTree(m) : null;
    this.data = m.data;
    this.rows = m.rows;
    this.cols = m.cols;
  }

  /**
   * Writes the indices of the rows within Euclidean distance `r` (inclusive: sum of squared differences
   * in feature order <= r * r, the test of scikit-learn's trees) of `point[offset .. offset + cols)` into
   * `out` and returns their count. `point` must not alias the indexed data when `offset` is used.
   */
  query(point: Float64Array, offset: number, r: number, out: Int32Array): number {
    const d = this.cols;
    if (this.tree) {
      const q = offset === 0 && point.length === d ? point : point.subarray(offset, offset + d);
      return this.tree.radiusQuery(q, r, out);
    }
    const rr = r * r;
    const x = this.data;
    let count = 0;
    for (let i = 0; i < this.rows; i++) {
      const base = i * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[base + t] - point[offset + t];
        s += diff * diff;
      }
      if (s <= rr) out[count++] = i;
    }
    return count;
  }
}

/** Result of climbing every seed. */
export interface ClimbResult {
  /** Final mean of each seed (nSeeds x d). */
  means: Float64Array;
  /** Number of samples within the bandwidth of the final mean's predecessor; 0 drops the seed. */
  intensity: Int32Array;
  /** Largest number of completed iterations over the seeds. */
  nIter: number;
}

/**
 * Flat-kernel mean shift from every seed (scikit-learn's `_mean_shift_single_seed`): the mean moves to the
 * average of the samples within `bandwidth`; it stops when it moves by at most 1e-3 * bandwidth, after
 * `maxIter` completed iterations, or when no sample is within reach (intensity 0).
 */
export function climbSeeds(
  X: Matrix,
  seeds: Float64Array,
  nSeeds: number,
  bandwidth: number,
  maxIter: number,
  search: RadiusSearch,
): ClimbResult {
  const d = X.cols;
  const x = X.data;
  const stop = 1e-3 * bandwidth;
  const means = new Float64Array(nSeeds * d);
  const intensity = new Int32Array(nSeeds);
  const hits = new Int32Array(X.rows);
  const mean = new Float64Array(d);
  const next = new Float64Array(d);
  let nIter = 0;
  for (let s = 0; s < nSeeds; s++) {
    for (let t = 0; t < d; t++) mean[t] = seeds[s * d + t];
    let completed = 0;
    let count = 0;
    for (;;) {
      const c = search.query(mean, 0, bandwidth, hits);
      count = c;
      if (c === 0) break; // depending on the seeds this can happen; the seed is dropped
      next.fill(0);
      for (let h = 0; h < c; h++) {
        const base = hits[h] * d;
        for (let t = 0; t < d; t++) next[t] += x[base + t];
      }
      let shift = 0;
      for (let t = 0; t < d; t++) {
        const v = next[t] / c;
        const diff = v - mean[t];
        shift += diff * diff;
        mean[t] = v;
      }
      if (Math.sqrt(shift) <= stop || completed === maxIter) break;
      completed++;
    }
    intensity[s] = count;
    means.set(mean, s * d);
    if (completed > nIter) nIter = completed;
  }
  return { means, intensity, nIter };
}

/**
 * Bin seeds (scikit-learn's `get_bin_seeds` with a float64 bin size): every sample is snapped to the grid
 * of spacing `binSize` (round half to even of x / binSize), and the grid points holding at least
 * `minBinFreq` samples become seeds, in order of first occurrence. Returns null when every bin is kept
 * and there are as many bins as samples (binning failed: the caller uses the samples themselves).
 */
export function binSeeds(
  X: Matrix,
  binSize: number,
  minBinFreq: number,
): { seeds: Float64Array; count: number } | null {
  const { rows, cols, data } = X;
  const index = new Map<string, number>();
  const cells: number[] = [];
  const freq: number[] = [];
  const cell = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < cols; t++) cell[t] = roundHalfEven(data[i * cols + t] / binSize);
    const key = cell.join(",");
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, freq.length);
      freq.push(1);
      for (let t = 0; t < cols; t++) cells.push(cell[t]);
    } else freq[at]++;
  }
  let count = 0;
  for (const f of freq) if (f >= minBinFreq) count++;
  if (count === rows) return null;
  const seeds = new Float64Array(count * cols);
  let s = 0;
  for (let b = 0; b < freq.length; b++) {
    if (freq[b] < minBinFreq) continue;
    // scikit-learn stores the bin coordinates as float32 before scaling them back.
    for (let t = 0; t < cols; t++) seeds[s * cols + t] = Math.fround(cells[b * cols + t]) * binSize;
    s++;
  }
  return { seeds, count };
}

/**
 * Merges the converged means into cluster centres as scikit-learn does: identical means are one candidate
 * (the intensity of the last seed that reached it wins); candidates are sorted by intensity, then by their
 * coordinates (lexicographically), both descending; walking that order, each kept centre suppresses every
 * later candidate within `bandwidth` (inclusive). Returns the kept centres in that order.
 */
export function mergeCenters(
  means: Float64Array,
  intensity: Int32Array,
  nSeeds: number,
  d: number,
  bandwidth: number,
  useTree: boolean,
): Matrix {
  const index = new Map<string, number>();
  const candidates: number[] = []; // seed index holding the coordinates
  const weight: number[] = [];
  for (let s = 0; s < nSeeds; s++) {
    if (intensity[s] === 0) continue;
    const key = Array.from(means.subarray(s * d, (s + 1) * d)).join(",");
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, candidates.length);
      candidates.push(s);
      weight.push(intensity[s]);
    } else weight[at] = intensity[s];
  }
  const c = candidates.length;
  const order = Array.from({ length: c }, (_, i) => i);
  order.sort((a, b) => {
    if (weight[a] !== weight[b]) return weight[b] - weight[a];
    const pa = candidates[a] * d;
    const pb = candidates[b] * d;
    for (let t = 0; t < d; t++) {
      const va = means[pa + t];
      const vb = means[pb + t];
      if (va !== vb) return va < vb ? 1 : -1;
    }
    return 0;
  });
  const sorted = new Float64Array(c * d);
  for (let r = 0; r < c; r++)
    sorted.set(means.subarray(candidates[order[r]] * d, (candidates[order[r]] + 1) * d), r * d);
  const sortedMatrix: Matrix = { rows: c, cols: d, data: sorted };
  const search = new RadiusSearch(sortedMatrix, useTree && c > 32);
  const unique = new Uint8Array(c).fill(1);
  const hits = new Int32Array(c);
  for (let i = 0; i < c; i++) {
    if (!unique[i]) continue;
    const h = search.query(sorted, i * d, bandwidth, hits);
    for (let j = 0; j < h; j++) unique[hits[j]] = 0;
    unique[i] = 1;
  }
  let kept = 0;
  for (let i = 0; i < c; i++) kept += unique[i];
  const out = new Float64Array(kept * d);
  let r = 0;
  for (let i = 0; i < c; i++) {
    if (!unique[i]) continue;
    out.set(sorted.subarray(i * d, (i + 1) * d), r * d);
    r++;
  }
  return { rows: kept, cols: d, data: out };
}

/**
 * Index of the nearest centre for each row of X (squared differences summed in feature order; ties go to
 * the lower centre index) and, when `distances` is given, the Euclidean distance to it.
 */
export function nearestCenters(
  X: Matrix,
  centers: Matrix,
  useTree: boolean,
  labels: Int32Array,
  distances?: Float64Array,
): void {
  const n = X.rows;
  const d = X.cols;
  const k = centers.rows;
  const x = X.data;
  if (useTree && k > 32) {
    const tree = new KDTree(centers);
    const idx = new Int32Array(n);
    const dist = distances ?? new Float64Array(n);
    for (let i = 0; i < n; i++) tree.knnInto(x.subarray(i * d, (i + 1) * d), 1, idx, dist, i);
    labels.set(idx);
    return;
  }
  const c = centers.data;
  for (let i = 0; i < n; i++) {
    const base = i * d;
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const cb = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[base + t] - c[cb + t];
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        best = j;
      }
    }
    labels[i] = best;
    if (distances) distances[i] = Math.sqrt(bestD);
  }
}
