/**
 * Shared k-means kernels (internal to the cluster area; not exported from the barrel).
 *
 * Everything works on flat row-major `Float64Array`s: `X` is n x d, centres are k x d.
 * The single-run drivers (`runLloyd`, `runElkan`) follow scikit-learn 1.9's loop exactly:
 *
 * 1. E-step: label every sample with its nearest centre (first index wins ties).
 * 2. M-step: weighted sums per cluster; empty clusters are relocated to the samples farthest from
 *    their assigned centre (as `_relocate_empty_clusters_dense`); then each centre is scaled by
 *    `1 / weight` and the shift of every centre is measured.
 * 3. Stop on strict convergence (labels unchanged from the previous iteration) or when the sum of
 *    squared centre shifts is `<= tol`.
 * 4. Unless strictly converged, run a final E-step so the labels match the returned centres.
 *
 * Both drivers make every assignment decision by comparing exactly computed squared distances
 * (`sqDist`, the same arithmetic everywhere), so they return bit-identical labels, centres,
 * inertia and iteration counts. Their triangle-inequality bounds (Hamerly's for Lloyd, Elkan's
 * for Elkan) only decide which distances need computing; they carry a small safety margin so
 * rounding can never prune a centre that ties or wins.
 *
 * The per-cluster sums are kept up to date as samples change cluster (`ClusterSums`, compensated
 * arithmetic), so a late iteration costs work only for the samples near a boundary. They equal
 * the correctly rounded sums of the members; scikit-learn re-adds every member each iteration,
 * so the centres agree with its centres to rounding (about 1e-15 relative).
 *
 * Two implementations run the hot loops (the assignment steps with their bounds, the inertia and
 * the nearest-centre scan): the TypeScript code below and WebAssembly SIMD kernels compiled from
 * `packages/core/assembly/kmeans.ts`, chosen by `setKernelBackend` (see `src/wasm/`). The
 * WebAssembly kernels are transcriptions of these functions, working on the same arrays laid out in
 * WebAssembly memory (the data copied in once per run); every squared distance is summed in the
 * same "two-lane" order (see `sqDist`), which is what one `f64x2` accumulator computes, so both
 * give the same bits. The centre updates (O(k d) per iteration) stay in TypeScript for both.
 *
 * The rows are processed in fixed blocks (`blockRows`), each with its own cluster sums and
 * inertia term, combined in block order; with a parallel executor (`setParallelExecutor`) the
 * blocks of an assignment step run on several threads, with results identical to one thread.
 */

import type { Matrix } from "../matrix.js";
import type { KernelCall } from "../wasm/parallel.js";
import { type Allocator, acquireWorkspace, addr, runCalls, type Workspace } from "../wasm/workspace.js";
import { centerOrder, orderLength, scanLabel, scanSecond, scanSorted } from "./lloydScan.js";

/** Per-iteration report passed to an `onIteration` hook. */
export interface KMeansIterationInfo {
  /** Index of the run among the `nInit` runs (0-based). */
  run: number;
  /** Iteration number within the run (1-based). */
  iteration: number;
  /**
   * Weighted inertia of this iteration's assignment, measured against the centres the samples
   * were assigned to (before this iteration's centre update). Never increases from one iteration
   * to the next (up to rounding).
   */
  inertia: number;
  /** Sum over centres of the squared distance each centre moved in this iteration's update. */
  centerShift: number;
  /** Number of samples whose label changed in this iteration (all samples on iteration 1). */
  labelsChanged: number;
}

/** Callback receiving a `KMeansIterationInfo` after every iteration of a run. */
export type KMeansIterationHook = (info: KMeansIterationInfo) => void;

/** The outcome of one k-means run from given initial centres. */
export interface KMeansRun {
  labels: Int32Array;
  /** Final centres, k x d row-major. */
  centers: Float64Array;
  inertia: number;
  nIter: number;
  /** True when the loop stopped by strict or tolerance convergence before running out of iterations. */
  converged: boolean;
  /** Lloyd only: the safety margin its pruning tests used (internal, for tests). */
  margin?: number;
}

/**
 * Squared Euclidean distance between the row at offset `ao` of `a` and the row at offset `bo` of
 * `b` (offsets in elements), in "two-lane order": the squared differences of the even features are
 * added in feature order into one sum, those of the odd features into another, an odd last
 * feature goes to the first sum, and the two sums are added at the end. This is the order of an
 * `f64x2` SIMD accumulator, so the WebAssembly kernels compute the very same value. Every k-means
 * kernel computes distances with exactly this arithmetic, so all assignment decisions agree bit
 * for bit.
 */
export function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let t = 0;
  for (; t + 1 < d; t += 2) {
    const e0 = a[ao + t] - b[bo + t];
    const e1 = a[ao + t + 1] - b[bo + t + 1];
    s0 += e0 * e0;
    s1 += e1 * e1;
  }
  if (t < d) {
    const e = a[ao + t] - b[bo + t];
    s0 += e * e;
  }
  return s0 + s1;
}

/**
 * Nearest centre of every sample (first index wins ties); writes `labels` and, when given,
 * `minSq` (squared distance to the chosen centre). Returns the weighted inertia (weights 1 when
 * `w` is omitted).
 */
export function assignNearest(
  X: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  w?: Float64Array,
  minSq?: Float64Array,
): number {
  const ws = acquireWorkspace(
    (a: Allocator) =>
      a.wasm
        ? {
            X: a.input(X.subarray(0, n * d)),
            C: a.input(centers.subarray(0, k * d)),
            labels: a.i32(n),
            w: w ? a.input(w.subarray(0, n)) : null,
            minSq: minSq ? a.f64(n) : null,
          }
        : null,
    n * k * d,
  );
  try {
    const wk = ws.kernels;
    const v = ws.arrays;
    if (wk === null || v === null) return assignNearestJS(X, n, d, centers, k, labels, w, minSq);
    const inertia = wk.assignNearest(
      n,
      d,
      k,
      addr(v.X),
      addr(v.C),
      addr(v.labels),
      v.w ? addr(v.w) : 0,
      v.minSq ? addr(v.minSq) : 0,
    );
    labels.set(v.labels);
    if (minSq && v.minSq) minSq.set(v.minSq);
    return inertia;
  } finally {
    ws.release();
  }
}

function assignNearestJS(
  X: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  w?: Float64Array,
  minSq?: Float64Array,
): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const best = nearest(X, i * d, centers, k, d);
    labels[i] = nearestLabel;
    if (minSq) minSq[i] = best;
    inertia += w ? best * w[i] : best;
  }
  return inertia;
}

/** Weighted inertia of a labelling: sum of `w[i] * ||x_i - c_labels[i]||^2`. */
export function inertiaOf(
  X: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  labels: Int32Array,
  w?: Float64Array,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(X, i * d, centers, labels[i] * d, d);
    s += w ? v * w[i] : v;
  }
  return s;
}

/**
 * scikit-learn's data-dependent tolerance: `tol` times the mean over features of the (population)
 * variance of X. Returns 0 when `tol` is 0.
 */
export function scaledTolerance(X: Matrix, tol: number): number {
  if (tol === 0) return 0;
  const { rows: n, cols: d, data } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) mean[t] += data[o + t];
  }
  for (let t = 0; t < d; t++) mean[t] /= n;
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) {
      const e = data[o + t] - mean[t];
      v[t] += e * e;
    }
  }
  let s = 0;
  for (let t = 0; t < d; t++) s += v[t] / n;
  return (s / d) * tol;
}

/** True when two labelings are the same partition up to a renaming (scikit-learn's `_is_same_clustering`). */
export function sameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (map[x] === -1) map[x] = b[i];
    else if (map[x] !== b[i]) return false;
  }
  return true;
}

/** Number of distinct values in a label vector with values in [0, k). */
export function countDistinct(labels: Int32Array, k: number): number {
  const seen = new Uint8Array(k);
  let c = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l >= 0 && l < k && seen[l] === 0) {
      seen[l] = 1;
      c++;
    }
  }
  return c;
}

/**
 * The M-step after the weighted sums were accumulated into `sums` (k x d) and `wsum` (k):
 * relocates empty clusters, averages, and writes each centre's shift (Euclidean distance moved)
 * into `shift`. On return `sums` holds the new centres.
 */
function updateCenters(
  X: Float64Array,
  n: number,
  d: number,
  w: Float64Array,
  labels: Int32Array,
  old: Float64Array,
  k: number,
  sums: Float64Array,
  wsum: Float64Array,
  shift: Float64Array,
): void {
  relocateEmptyClusters(X, n, d, w, labels, old, k, sums, wsum);
  for (let j = 0; j < k; j++) {
    const o = j * d;
    if (wsum[j] > 0) {
      const alpha = 1 / wsum[j];
      for (let t = 0; t < d; t++) sums[o + t] *= alpha;
    } else {
      // Still empty: nothing could be relocated (every sample sits exactly on its centre) or the
      // relocated sample has zero weight. The centre keeps its previous position.
      for (let t = 0; t < d; t++) sums[o + t] = old[o + t];
    }
  }
  for (let j = 0; j < k; j++) shift[j] = Math.sqrt(sqDist(sums, j * d, old, j * d, d));
}

/**
 * scikit-learn's empty-cluster relocation: each empty cluster (zero total weight) takes the sample
 * farthest from its assigned centre (the farthest for the first empty cluster, the next farthest
 * for the second, ...), moving that sample's weighted contribution out of its old cluster's sums.
 * Labels are left unchanged (as scikit-learn does). Does nothing when every sample sits on its centre.
 */
function relocateEmptyClusters(
  X: Float64Array,
  n: number,
  d: number,
  w: Float64Array,
  labels: Int32Array,
  old: Float64Array,
  k: number,
  sums: Float64Array,
  wsum: Float64Array,
): void {
  let nEmpty = 0;
  for (let j = 0; j < k; j++) if (wsum[j] === 0) nEmpty++;
  if (nEmpty === 0) return;
  const empty = new Int32Array(nEmpty);
  for (let j = 0, c = 0; j < k; j++) if (wsum[j] === 0) empty[c++] = j;
  // The nEmpty largest distances, largest first (ties: lower index first).
  const farIdx = new Int32Array(nEmpty).fill(-1);
  const farDist = new Float64Array(nEmpty).fill(-1);
  let maxDist = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(X, i * d, old, labels[i] * d, d);
    if (v > maxDist) maxDist = v;
    if (v > farDist[nEmpty - 1]) {
      let p = nEmpty - 1;
      while (p > 0 && v > farDist[p - 1]) {
        farDist[p] = farDist[p - 1];
        farIdx[p] = farIdx[p - 1];
        p--;
      }
      farDist[p] = v;
      farIdx[p] = i;
    }
  }
  if (maxDist === 0) return;
  for (let e = 0; e < nEmpty; e++) {
    const far = farIdx[e];
    if (far < 0) break;
    const target = empty[e];
    const wt = w[far];
    const from = labels[far];
    const xo = far * d;
    for (let t = 0; t < d; t++) {
      sums[from * d + t] -= X[xo + t] * wt;
      sums[target * d + t] = X[xo + t] * wt;
    }
    wsum[target] = wt;
    wsum[from] -= wt;
  }
}

/** Options shared by the single-run drivers. */
export interface RunOptions {
  maxIter: number;
  /** Absolute tolerance on the sum of squared centre shifts (already scaled). */
  tol: number;
  /** Index of this run among nInit (passed to the hook). */
  run?: number;
  onIteration?: KMeansIterationHook;
}

/**
 * Rows per block of the assignment steps: the rows are processed in fixed blocks, each with its
 * own cluster sums and inertia term, combined in block order, so the arithmetic does not depend on
 * how many threads run the blocks (see `src/wasm/parallel.ts`). At most 64 blocks; one block (the
 * plain sequential arithmetic) up to 4096 rows.
 */
export function blockRows(n: number): number {
  return Math.max(4096, Math.ceil(n / 64));
}

/**
 * Per-cluster weighted sums of the members (k x d) and their total weights, kept up to date as
 * samples change cluster, so an iteration costs work only for the samples that moved.
 * Compensated (two-sum) arithmetic keeps each sum accurate to about 1e-32 relative however many
 * samples come and go, so the materialised sums are the correctly rounded sums of the current
 * members (scikit-learn re-adds all members each iteration; the two agree to rounding).
 * One set of sums per block of rows (`blockRows`), combined in block order by `materialize`.
 */
class ClusterSums {
  readonly hi: Float64Array;
  readonly lo: Float64Array;
  readonly whi: Float64Array;
  readonly wlo: Float64Array;
  /** Members with a positive weight (a cluster with none has weight exactly 0). */
  readonly npos: Int32Array;
  /** Block that `update` works on. */
  private block = 0;

  /** Zero sums for k clusters of d features in `nb` blocks, in arrays from `a`. */
  constructor(
    readonly k: number,
    readonly d: number,
    readonly nb: number,
    a: Allocator,
  ) {
    this.hi = a.f64(nb * k * d);
    this.lo = a.f64(nb * k * d);
    this.whi = a.f64(nb * k);
    this.wlo = a.f64(nb * k);
    this.npos = a.i32(nb * k);
  }

  /** Selects the block that `update` changes. */
  setBlock(b: number): void {
    this.block = b;
  }

  /** Adds (`sign` 1) or removes (`sign` -1) sample `xo / d` with weight `wi` to cluster `j` of the current block. */
  update(X: Float64Array, xo: number, j: number, wi: number, sign: number): void {
    const { hi, lo, d, k } = this;
    const jb = this.block * k + j;
    const o = jb * d;
    const sw = sign * wi;
    for (let t = 0; t < d; t++) {
      const v = X[xo + t] * sw;
      const a = hi[o + t];
      const s = a + v;
      const bb = s - a;
      lo[o + t] += a - (s - bb) + (v - bb);
      hi[o + t] = s;
    }
    const a = this.whi[jb];
    const s = a + sw;
    const bb = s - a;
    this.wlo[jb] += a - (s - bb) + (sw - bb);
    this.whi[jb] = s;
    if (wi > 0) this.npos[jb] += sign;
  }

  /**
   * Writes the sums to `out` (k x d) and the weights to `wsum`; a cluster without positive weight
   * gets exactly 0 (and a block without positive-weight members of a cluster is reset to 0). With
   * several blocks, the blocks' compensated sums are added in block order with a two-sum.
   */
  materialize(out: Float64Array, wsum: Float64Array): void {
    const { hi, lo, whi, wlo, npos, d, k, nb } = this;
    for (let j = 0; j < k; j++) {
      let members = 0;
      for (let b = 0; b < nb; b++) {
        const jb = b * k + j;
        if (npos[jb] === 0) {
          const o = jb * d;
          for (let t = 0; t < d; t++) {
            hi[o + t] = 0;
            lo[o + t] = 0;
          }
          whi[jb] = 0;
          wlo[jb] = 0;
        } else members += npos[jb];
      }
      const o = j * d;
      if (members === 0) {
        for (let t = 0; t < d; t++) out[o + t] = 0;
        wsum[j] = 0;
      } else if (nb === 1) {
        for (let t = 0; t < d; t++) out[o + t] = hi[o + t] + lo[o + t];
        wsum[j] = whi[j] + wlo[j];
      } else {
        for (let t = 0; t < d; t++) out[o + t] = combine(hi, lo, j * d + t, k * d, nb);
        wsum[j] = combine(whi, wlo, j, k, nb);
      }
    }
  }
}

/** Sum over blocks b of hi[at + b * stride] + lo[at + b * stride], with a compensated (two-sum) accumulator. */
function combine(hi: Float64Array, lo: Float64Array, at: number, stride: number, nb: number): number {
  let h = 0;
  let l = 0;
  for (let b = 0, p = at; b < nb; b++, p += stride) {
    const v = hi[p];
    const s = h + v;
    const bb = s - h;
    l += h - (s - bb) + (v - bb) + lo[p];
    h = s;
  }
  return h + l;
}

/** Sum of integers (changed-label counts of the blocks). */
function sumOf(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * `inertiaOf` of the workspace's arrays, block by block (`blockRows`), the blocks' sums added in
 * block order (the same arithmetic on either backend and for any number of threads).
 */
function blockedInertia(
  ws: Workspace<unknown>,
  data: Float64Array,
  n: number,
  d: number,
  C: Float64Array,
  labels: Int32Array,
  w: Float64Array,
  rows: number,
): number {
  const nb = Math.ceil(n / rows);
  let total = 0;
  if (ws.kernels === null) {
    for (let b = 0; b < nb; b++) {
      const i0 = b * rows;
      const i1 = Math.min(n, i0 + rows);
      total += inertiaOf(data.subarray(i0 * d, i1 * d), i1 - i0, d, C, labels.subarray(i0, i1), w.subarray(i0, i1));
    }
    return total;
  }
  const calls: KernelCall[] = [];
  for (let b = 0; b < nb; b++) {
    calls.push(["inertia", b * rows, Math.min(n, (b + 1) * rows), d, addr(data), addr(C), addr(labels), addr(w)]);
  }
  for (const v of runCalls(ws, calls)) total += v;
  return total;
}

/**
 * Safety margin of the pruning tests: rounding in distances and accumulated shifts stays far below
 * it. `data` is the workspace's copy of X and `range` its scratch of 2 d values per block of `rows`.
 */
function pruneMargin(
  ws: Workspace<unknown>,
  X: Matrix,
  data: Float64Array,
  range: Float64Array,
  init: Float64Array,
  maxIter: number,
  rows: number,
): number {
  return marginOf(boundingDiagonal(ws, X, data, range, init, rows), maxIter);
}

/** The pruning margin for a bounding-box diagonal and an iteration budget. */
function marginOf(diagonal: number, maxIter: number): number {
  return diagonal * Math.max(1e-9, 4e-15 * maxIter);
}

/** Working state of `runLloyd` (a plain object with a fixed shape, passed to the assignment kernel). */
interface LloydState {
  d: number;
  k: number;
  data: Float64Array;
  w: Float64Array;
  labels: Int32Array;
  /** Upper bound on the distance to the sample's centre, minus `cum[label]`. */
  upperS: Float64Array;
  /** Lower bound on the distance to every other centre, plus `cumMax`. */
  lowerS: Float64Array;
  /** Total distance each centre has moved. */
  cum: Float64Array;
  /** Total of the per-iteration largest centre moves. */
  cumMax: number;
  nextHalf: Float64Array;
  half: Float64Array;
  /** Per centre, its nearest other centres by distance (`centerOrder`: k x orderLength(k)). */
  order: Int32Array;
  /** Safety margin of the pruning tests (set after the first pass, which needs none). */
  margin: number;
  /** Per block of rows, the bounding box of its rows (d minima, d maxima), written by the first pass. */
  range: Float64Array;
  sums: ClusterSums;
}

/**
 * Lloyd's assignment step with Hamerly's bounds for the rows [i0, i1); `first` scans every sample
 * from centre 0. Keeps the cluster sums of the current block in step when `update`. Returns the
 * number of changed labels.
 */
function lloydAssign(st: LloydState, C: Float64Array, first: boolean, update: boolean, i0: number, i1: number): number {
  const { d, k, data, w, labels, upperS, lowerS, cum, nextHalf, half, order, margin, sums, range } = st;
  const cumMax = st.cumMax;
  let changed = 0;
  // The block's box first (the WebAssembly kernel does the same with `columnRange`).
  if (first) columnRangeBlock(data, d, i0, i1, range, Math.floor(i0 / blockRows(labels.length)) * 2 * d);
  for (let i = i0; i < i1; i++) {
    const xo = i * d;
    const lab = labels[i];
    let start = 0;
    let sStart = 0;
    if (!first) {
      // The nearest centre is still `lab` when its distance (upper bound) is at most the half
      // distance to the nearest other centre or the lower bound on the other centres.
      const nh = nextHalf[lab];
      const lb = lowerS[i] - cumMax;
      const ub = upperS[i] + cum[lab] + margin;
      if (ub <= nh || ub <= lb) continue;
      sStart = sqDist(data, xo, C, lab * d, d);
      const u = Math.sqrt(sStart);
      const um = u + margin;
      if (um <= nh || um <= lb) {
        upperS[i] = u - cum[lab];
        continue;
      }
      start = lab;
    }
    let dist: number;
    let nl: number;
    if (first) {
      // No bounds yet: every centre, the second-nearest for the lower bound.
      dist = Math.sqrt(nearest(data, xo, C, k, d));
      nl = nearestLabel;
      lowerS[i] = Math.sqrt(nearestSecondSq) + cumMax;
    } else {
      dist = scanSorted(data, xo, C, k, d, half, order, margin, start, sStart);
      nl = scanLabel;
      lowerS[i] = scanSecond + cumMax;
    }
    upperS[i] = dist - cum[nl];
    if (nl !== lab) {
      changed++;
      labels[i] = nl;
      if (update) {
        if (lab >= 0) sums.update(data, xo, lab, w[i], -1);
        sums.update(data, xo, nl, w[i], 1);
      }
    }
  }
  return changed;
}

/**
 * One run of Lloyd's algorithm from `init` (k x d, copied). `w` holds one weight per sample.
 *
 * The assignment step is accelerated without changing its result: each sample keeps an upper
 * bound on the distance to its centre and one lower bound on the distance to every other centre
 * (Hamerly 2010); when these, or the half distance from its centre to the nearest other centre,
 * prove that the nearest centre cannot have changed, the sample is not rescanned. A rescan skips
 * centres that the centre-centre distances prove farther than the sample's current centre, and
 * computes the exact squared distance to the others. Bounds carry a safety margin against rounding, so labels,
 * centres, inertia and iteration counts are those of the plain algorithm. Extra memory: two
 * numbers per sample.
 */
export function runLloyd(X: Matrix, w: Float64Array, init: Float64Array, k: number, opts: RunOptions): KMeansRun {
  const { rows: n, cols: d } = X;
  const rows = blockRows(n);
  const nb = Math.ceil(n / rows);
  const ws = acquireWorkspace(
    (a: Allocator) => ({
      data: a.input(X.data.subarray(0, n * d)),
      w: a.input(w.subarray(0, n)),
      c0: a.copy(init.subarray(0, k * d)),
      c1: a.f64(k * d),
      labels: a.i32(n),
      upperS: a.f64(n),
      lowerS: a.f64(n),
      cum: a.f64(k),
      half: a.f64(k * k),
      nextHalf: a.f64(k),
      order: a.i32(k * orderLength(k)),
      sums: new ClusterSums(k, d, nb, a),
      range: a.f64(nb * 2 * d),
    }),
    n * k * d,
  );
  try {
    const v = ws.arrays;
    v.labels.fill(-1);
    const orderKeys = new Float64Array(k);
    // The first pass (a full scan, no pruning) also finds the bounding box of X, block by block
    // into `range` (each block's d minima, then its d maxima), which sizes the margin of the later
    // pruning tests (as `pruneMargin`, from the same exact box).
    resetRange(v.range, nb, d);
    // Bounds are stored shift-free: upper = upperS + cum[label], lower = lowerS - cumMax, where
    // cum[j] is the total distance centre j has moved and cumMax the total of per-iteration maxima.
    const st: LloydState = {
      d,
      k,
      data: v.data,
      w: v.w,
      labels: v.labels,
      upperS: v.upperS,
      lowerS: v.lowerS,
      cum: v.cum,
      cumMax: 0,
      nextHalf: v.nextHalf,
      half: v.half,
      order: v.order,
      margin: 0,
      range: v.range,
      sums: v.sums,
    };
    const wk = ws.kernels;
    const kd8 = k * d * 8;
    const assign = (C: Float64Array, first: boolean, update: boolean): number => {
      const sums = st.sums;
      if (wk === null) {
        let changed = 0;
        for (let b = 0; b < nb; b++) {
          sums.setBlock(b);
          changed += lloydAssign(st, C, first, update, b * rows, Math.min(n, (b + 1) * rows));
        }
        return changed;
      }
      const calls: KernelCall[] = [];
      for (let b = 0; b < nb; b++) {
        calls.push([
          "lloydAssign",
          b * rows,
          Math.min(n, (b + 1) * rows),
          d,
          k,
          addr(st.data),
          addr(st.w),
          addr(st.labels),
          addr(st.upperS),
          addr(st.lowerS),
          addr(st.cum),
          addr(st.nextHalf),
          addr(st.half),
          addr(st.order),
          orderLength(k),
          st.margin,
          st.cumMax,
          addr(C),
          first ? 1 : 0,
          update ? 1 : 0,
          addr(sums.hi) + b * kd8,
          addr(sums.lo) + b * kd8,
          addr(sums.whi) + b * k * 8,
          addr(sums.wlo) + b * k * 8,
          addr(sums.npos) + b * k * 4,
          addr(st.range) + b * 2 * d * 8,
          addr(st.range) + (b * 2 + 1) * d * 8,
        ]);
      }
      return sumOf(runCalls(ws, calls));
    };
    const inertiaFn = (C: Float64Array) => blockedInertia(ws, st.data, n, d, C, st.labels, st.w, rows);

    const { maxIter, tol, run = 0, onIteration } = opts;
    const { data, labels, cum, half, nextHalf, sums } = st;
    let centers = v.c0;
    let next = v.c1;
    const wsum = new Float64Array(k);
    const shift = new Float64Array(k);
    let strict = false;
    let converged = false;
    let it = 0;
    const prepare = (C: Float64Array) => {
      centerHalfDistances(C, k, d, half, nextHalf);
      centerOrder(half, k, st.order, orderKeys);
    };
    for (; it < maxIter; it++) {
      prepare(centers);
      const changed = assign(centers, it === 0, true);
      if (it === 0) st.margin = marginOf(rangeDiagonal(v.range, nb, d, init), opts.maxIter);
      const inertia = onIteration ? inertiaFn(centers) : 0;
      sums.materialize(next, wsum);
      updateCenters(data, n, d, st.w, labels, centers, k, next, wsum, shift);
      let shiftTot = 0;
      let maxShift = 0;
      for (let j = 0; j < k; j++) {
        shiftTot += shift[j] * shift[j];
        cum[j] += shift[j];
        if (shift[j] > maxShift) maxShift = shift[j];
      }
      st.cumMax += maxShift;
      onIteration?.({ run, iteration: it + 1, inertia, centerShift: shiftTot, labelsChanged: changed });
      const tmp = centers;
      centers = next;
      next = tmp;
      if (changed === 0 && it > 0) {
        strict = true;
        converged = true;
        break;
      }
      if (shiftTot <= tol) {
        converged = true;
        break;
      }
    }
    const nIter = Math.min(it + 1, maxIter);
    if (!strict) {
      prepare(centers);
      assign(centers, false, false);
    }
    const inertia = inertiaFn(centers);
    const margin = st.margin;
    return wk === null
      ? { labels, centers, inertia, nIter, converged, margin }
      : { labels: labels.slice(), centers: centers.slice(), inertia, nIter, converged, margin };
  } finally {
    ws.release();
  }
}

// Results of the last `nearest` call besides the return value (avoids allocating per call).
export let nearestLabel = 0;
/** Squared distance to the second-nearest centre (+Infinity when k = 1). */
export let nearestSecondSq = 0;

/**
 * Squared distance from the sample at offset `xo` to its nearest centre; the centre's index is
 * left in `nearestLabel` (ties: lowest index) and the squared distance to the second-nearest in
 * `nearestSecondSq`. Four centres are scanned per pass over the sample's features (four
 * independent two-lane sums, so every value equals `sqDist`). The WebAssembly kernels' `nearest`
 * is its transcription.
 */
export function nearest(X: Float64Array, xo: number, C: Float64Array, k: number, d: number): number {
  let best = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  let lab = 0;
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    dist4(X, xo, C, j * d, (j + 1) * d, (j + 2) * d, (j + 3) * d, d);
    for (let q = 0; q < 4; q++) {
      const s = q === 0 ? r0 : q === 1 ? r1 : q === 2 ? r2 : r3;
      if (s < best) {
        second = best;
        best = s;
        lab = j + q;
      } else if (s < second) second = s;
    }
  }
  for (; j < k; j++) {
    const s = sqDist(X, xo, C, j * d, d);
    if (s < best) {
      second = best;
      best = s;
      lab = j;
    } else if (s < second) second = s;
  }
  nearestLabel = lab;
  nearestSecondSq = second;
  return best;
}

// Results of `dist4`.
export let r0 = 0;
export let r1 = 0;
export let r2 = 0;
export let r3 = 0;

/**
 * Squared distances from the sample at offset `xo` of X to the centres at offsets c0..c3 of C, in
 * one pass over the sample (each a two-lane sum, equal to `sqDist`); results in r0..r3.
 */
export function dist4(
  X: Float64Array,
  xo: number,
  C: Float64Array,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  d: number,
): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let t = 0;
  for (; t + 1 < d; t += 2) {
    const x = X[xo + t];
    const y = X[xo + t + 1];
    const e0 = x - C[c0 + t];
    const e1 = x - C[c1 + t];
    const e2 = x - C[c2 + t];
    const e3 = x - C[c3 + t];
    const f0 = y - C[c0 + t + 1];
    const f1 = y - C[c1 + t + 1];
    const f2 = y - C[c2 + t + 1];
    const f3 = y - C[c3 + t + 1];
    a0 += e0 * e0;
    a1 += e1 * e1;
    a2 += e2 * e2;
    a3 += e3 * e3;
    b0 += f0 * f0;
    b1 += f1 * f1;
    b2 += f2 * f2;
    b3 += f3 * f3;
  }
  if (t < d) {
    const x = X[xo + t];
    const e0 = x - C[c0 + t];
    const e1 = x - C[c1 + t];
    const e2 = x - C[c2 + t];
    const e3 = x - C[c3 + t];
    a0 += e0 * e0;
    a1 += e1 * e1;
    a2 += e2 * e2;
    a3 += e3 * e3;
  }
  r0 = a0 + b0;
  r1 = a1 + b1;
  r2 = a2 + b2;
  r3 = a3 + b3;
}

/**
 * Bounding-box diagonal of the rows of `X` together with the rows of `extra` (k x d): an upper
 * bound on every distance the algorithm will meet (centres stay in the hull of X and the initial
 * centres). Used to size the safety margin of the pruning tests. Each block of `rows` rows gets
 * its box in its own slot of `range` (its d minima, then its d maxima), with the WebAssembly
 * kernel (on the workers too) or `columnRangeBlock`; min and max are exact, so the box is the same
 * on either backend.
 */
export function boundingDiagonal(
  ws: Workspace<unknown>,
  X: Matrix,
  data: Float64Array,
  range: Float64Array,
  extra: Float64Array,
  rows: number,
): number {
  const { rows: n, cols: d } = X;
  const nb = Math.ceil(n / rows);
  resetRange(range, nb, d);
  if (ws.kernels === null) {
    for (let b = 0; b < nb; b++) columnRangeBlock(X.data, d, b * rows, Math.min(n, (b + 1) * rows), range, b * 2 * d);
  } else {
    const calls: KernelCall[] = [];
    for (let b = 0; b < nb; b++) {
      const at = addr(range) + b * 2 * d * 8;
      calls.push(["columnRange", b * rows, Math.min(n, (b + 1) * rows), d, addr(data), at, at + d * 8]);
    }
    runCalls(ws, calls);
  }
  return rangeDiagonal(range, nb, d, extra);
}

/** Empties the nb block boxes of `range` (minima +Infinity, maxima -Infinity). */
function resetRange(range: Float64Array, nb: number, d: number): void {
  for (let b = 0; b < nb; b++) {
    range.fill(Number.POSITIVE_INFINITY, b * 2 * d, b * 2 * d + d);
    range.fill(Number.NEGATIVE_INFINITY, b * 2 * d + d, (b + 1) * 2 * d);
  }
}

/** Widens the box at `range[at..]` (d minima, then d maxima) to the rows [i0, i1) of `data` (`columnRange`'s TypeScript form). */
function columnRangeBlock(
  data: Float64Array,
  d: number,
  i0: number,
  i1: number,
  range: Float64Array,
  at: number,
): void {
  for (let i = i0; i < i1; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) {
      const v = data[o + t];
      if (v < range[at + t]) range[at + t] = v;
      if (v > range[at + d + t]) range[at + d + t] = v;
    }
  }
}

/** Diagonal of the union of the nb block boxes of `range` and the rows of `extra`. */
function rangeDiagonal(range: Float64Array, nb: number, d: number, extra: Float64Array): number {
  const lo = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
  for (let b = 0; b < nb; b++) {
    for (let t = 0; t < d; t++) {
      if (range[b * 2 * d + t] < lo[t]) lo[t] = range[b * 2 * d + t];
      if (range[b * 2 * d + d + t] > hi[t]) hi[t] = range[b * 2 * d + d + t];
    }
  }
  for (let i = 0; i < extra.length / d; i++) {
    for (let t = 0; t < d; t++) {
      if (extra[i * d + t] < lo[t]) lo[t] = extra[i * d + t];
      if (extra[i * d + t] > hi[t]) hi[t] = extra[i * d + t];
    }
  }
  let s = 0;
  for (let t = 0; t < d; t++) s += (hi[t] - lo[t]) * (hi[t] - lo[t]);
  return Math.sqrt(s);
}

/** Half the distance between every pair of centres (k x k) and, per centre, to its nearest other centre. */
function centerHalfDistances(C: Float64Array, k: number, d: number, half: Float64Array, nextHalf: Float64Array): void {
  for (let a = 0; a < k; a++) {
    half[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const v = Math.sqrt(sqDist(C, a * d, C, b * d, d)) / 2;
      half[a * k + b] = v;
      half[b * k + a] = v;
    }
  }
  for (let a = 0; a < k; a++) {
    let m = Number.POSITIVE_INFINITY;
    for (let b = 0; b < k; b++) if (b !== a && half[a * k + b] < m) m = half[a * k + b];
    nextHalf[a] = m;
  }
}

/** Working state of `runElkan`. */
interface ElkanState {
  d: number;
  k: number;
  data: Float64Array;
  w: Float64Array;
  labels: Int32Array;
  /** Upper bound on the distance to the sample's centre, minus `cum[label]`. */
  upperS: Float64Array;
  /** Lower bound on the distance to each centre j (n x k), plus `cum[j]`. */
  lowerS: Float64Array;
  /** Lower bound on the distance to every centre but the sample's own, plus `cumMax`. */
  lowerG: Float64Array;
  /** Total distance each centre has moved. */
  cum: Float64Array;
  /** Total of the per-iteration largest centre moves. */
  cumMax: number;
  nextHalf: Float64Array;
  half: Float64Array;
  margin: number;
  sums: ClusterSums;
}

/**
 * Elkan's assignment step. On the first iteration (`first`) every sample is added to the cluster
 * sums; later, samples that change cluster are moved between sums when `update`. Returns the
 * number of changed labels.
 */
function elkanAssign(st: ElkanState, C: Float64Array, first: boolean, update: boolean, i0: number, i1: number): number {
  const { d, k, data, w, labels, upperS, lowerS, lowerG, cum, nextHalf, half, margin, sums } = st;
  const cumMax = st.cumMax;
  let changed = 0;
  for (let i = i0; i < i1; i++) {
    const xo = i * d;
    const old = labels[i];
    let lab = old;
    let u = upperS[i] + cum[lab];
    const um0 = u + margin;
    // Hamerly's tests first (the nearest other centre, one bound for all other centres), then
    // Elkan's bound for each centre.
    if (um0 > nextHalf[lab] && um0 > lowerG[i] - cumMax) {
      const lo = i * k;
      let tight = false;
      let sLab = 0;
      let ho = lab * k;
      for (let j = 0; j < k; j++) {
        if (j === lab) continue;
        let um = u + margin;
        // The cached centre-centre test first: it often spares the load of the lower bound.
        if (um > half[ho + j] && um > lowerS[lo + j] - cum[j]) {
          if (!tight) {
            sLab = sqDist(data, xo, C, lab * d, d);
            u = Math.sqrt(sLab);
            lowerS[lo + lab] = u + cum[lab];
            tight = true;
            um = u + margin;
            if (!(um > half[ho + j] && um > lowerS[lo + j] - cum[j])) continue;
          }
          const s = sqDist(data, xo, C, j * d, d);
          const dist = Math.sqrt(s);
          lowerS[lo + j] = dist + cum[j];
          if (s < sLab || (s === sLab && j < lab)) {
            lab = j;
            ho = lab * k;
            sLab = s;
            u = dist;
          }
        }
      }
      upperS[i] = u - cum[lab];
      // Each bound is raised to d(c_lab, c_j) - u when that is larger (the triangle inequality,
      // less the margin, as for a pruned centre), and their smallest is the sample's one bound.
      let g = Number.POSITIVE_INFINITY;
      const base = u + margin;
      for (let j = 0; j < k; j++) {
        if (j === lab) continue;
        let v = lowerS[lo + j] - cum[j];
        const h = 2 * half[ho + j] - base;
        if (h > v) {
          v = h;
          lowerS[lo + j] = h + cum[j];
        }
        if (v < g) g = v;
      }
      lowerG[i] = g + cumMax;
    }
    if (lab !== old) {
      changed++;
      labels[i] = lab;
      if (update && !first) {
        sums.update(data, xo, old, w[i], -1);
        sums.update(data, xo, lab, w[i], 1);
      }
    }
    if (first) sums.update(data, xo, lab, w[i], 1);
  }
  return changed;
}

/**
 * One run of Elkan's algorithm from `init` (k x d, copied): per sample an upper bound on the
 * distance to its centre and a lower bound for every centre (n x k), plus the centre-centre
 * half distances, so most distance computations are skipped. Returns exactly what `runLloyd`
 * returns for the same input.
 */
export function runElkan(X: Matrix, w: Float64Array, init: Float64Array, k: number, opts: RunOptions): KMeansRun {
  if (k === 1) return runLloyd(X, w, init, k, opts);
  const { rows: n, cols: d } = X;
  const rows = blockRows(n);
  const nb = Math.ceil(n / rows);
  // Bounds are stored shift-free: upper = upperS + cum[label], lower(j) = lowerS(j) - cum[j],
  // where cum[j] is the total distance centre j has moved.
  const ws = acquireWorkspace(
    (a: Allocator) => ({
      data: a.input(X.data.subarray(0, n * d)),
      w: a.input(w.subarray(0, n)),
      c0: a.copy(init.subarray(0, k * d)),
      c1: a.f64(k * d),
      labels: a.i32(n),
      upperS: a.f64(n),
      lowerS: a.f64(n * k),
      lowerG: a.f64(n),
      cum: a.f64(k),
      half: a.f64(k * k),
      nextHalf: a.f64(k),
      sums: new ClusterSums(k, d, nb, a),
      range: a.f64(nb * 2 * d),
    }),
    n * k * d,
  );
  try {
    const v = ws.arrays;
    const margin = pruneMargin(ws, X, v.data, v.range, init, opts.maxIter, rows);
    const wk = ws.kernels;
    const { data, labels, upperS, lowerS, lowerG, cum, half, nextHalf, sums } = v;
    const st: ElkanState = {
      d,
      k,
      data,
      w: v.w,
      labels,
      upperS,
      lowerS,
      lowerG,
      cum,
      cumMax: 0,
      nextHalf,
      half,
      margin,
      sums,
    };
    const kd8 = k * d * 8;
    const assign = (C: Float64Array, first: boolean, update: boolean): number => {
      if (wk === null) {
        let changed = 0;
        for (let b = 0; b < nb; b++) {
          sums.setBlock(b);
          changed += elkanAssign(st, C, first, update, b * rows, Math.min(n, (b + 1) * rows));
        }
        return changed;
      }
      const calls: KernelCall[] = [];
      for (let b = 0; b < nb; b++) {
        calls.push([
          "elkanAssign",
          b * rows,
          Math.min(n, (b + 1) * rows),
          d,
          k,
          addr(data),
          addr(st.w),
          addr(labels),
          addr(upperS),
          addr(lowerS),
          addr(lowerG),
          addr(cum),
          st.cumMax,
          addr(nextHalf),
          addr(half),
          margin,
          addr(C),
          first ? 1 : 0,
          update ? 1 : 0,
          addr(sums.hi) + b * kd8,
          addr(sums.lo) + b * kd8,
          addr(sums.whi) + b * k * 8,
          addr(sums.wlo) + b * k * 8,
          addr(sums.npos) + b * k * 4,
        ]);
      }
      return sumOf(runCalls(ws, calls));
    };
    const inertiaFn = (C: Float64Array) => blockedInertia(ws, data, n, d, C, labels, st.w, rows);
    const initBounds = (C: Float64Array) => {
      if (wk === null) {
        for (let b = 0; b < nb; b++) elkanInit(st, C, b * rows, Math.min(n, (b + 1) * rows));
        return;
      }
      const calls: KernelCall[] = [];
      for (let b = 0; b < nb; b++) {
        calls.push([
          "elkanInit",
          b * rows,
          Math.min(n, (b + 1) * rows),
          d,
          k,
          addr(data),
          addr(C),
          addr(half),
          margin,
          addr(labels),
          addr(upperS),
          addr(lowerS),
          addr(lowerG),
        ]);
      }
      runCalls(ws, calls);
    };

    const { maxIter, tol, run = 0, onIteration } = opts;
    let centers = v.c0;
    let next = v.c1;
    const wsum = new Float64Array(k);
    const shift = new Float64Array(k);
    centerHalfDistances(centers, k, d, half, nextHalf);
    initBounds(centers);

    let strict = false;
    let converged = false;
    let it = 0;
    for (; it < maxIter; it++) {
      const changed = assign(centers, it === 0, true);
      const inertia = onIteration ? inertiaFn(centers) : 0;
      sums.materialize(next, wsum);
      updateCenters(data, n, d, st.w, labels, centers, k, next, wsum, shift);
      let shiftTot = 0;
      let maxShift = 0;
      for (let j = 0; j < k; j++) {
        shiftTot += shift[j] * shift[j];
        cum[j] += shift[j];
        if (shift[j] > maxShift) maxShift = shift[j];
      }
      st.cumMax += maxShift;
      centerHalfDistances(next, k, d, half, nextHalf);
      onIteration?.({ run, iteration: it + 1, inertia, centerShift: shiftTot, labelsChanged: it === 0 ? n : changed });
      const tmp = centers;
      centers = next;
      next = tmp;
      if (changed === 0 && it > 0) {
        strict = true;
        converged = true;
        break;
      }
      if (shiftTot <= tol) {
        converged = true;
        break;
      }
    }
    const nIter = Math.min(it + 1, maxIter);
    if (!strict) assign(centers, false, false);
    const inertia = inertiaFn(centers);
    return wk === null
      ? { labels, centers, inertia, nIter, converged }
      : { labels: labels.slice(), centers: centers.slice(), inertia, nIter, converged };
  } finally {
    ws.release();
  }
}

/** Initial labels and bounds (scikit-learn's init_bounds): the nearest centre, skipping those the half distances rule out. */
function elkanInit(st: ElkanState, centers: Float64Array, i0: number, i1: number): void {
  const { d, k, data, labels, upperS, lowerS, lowerG, half, margin } = st;
  for (let i = i0; i < i1; i++) {
    const xo = i * d;
    const lo = i * k;
    let best = 0;
    let sBest = sqDist(data, xo, centers, 0, d);
    let dBest = Math.sqrt(sBest);
    lowerS[lo] = dBest;
    for (let j = 1; j < k; j++) {
      if (dBest + margin > half[best * k + j]) {
        const s = sqDist(data, xo, centers, j * d, d);
        const dist = Math.sqrt(s);
        lowerS[lo + j] = dist;
        if (s < sBest) {
          best = j;
          sBest = s;
          dBest = dist;
        }
      }
    }
    labels[i] = best;
    upperS[i] = dBest;
    let g = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) if (j !== best && lowerS[lo + j] < g) g = lowerS[lo + j];
    lowerG[i] = g;
  }
}
