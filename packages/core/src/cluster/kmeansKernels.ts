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
 */

import type { Matrix } from "../matrix.js";

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
}

/**
 * Squared Euclidean distance between the row at offset `ao` of `a` and the row at offset `bo` of
 * `b` (offsets in elements), summed feature by feature in order. Every k-means kernel computes
 * distances with exactly this arithmetic, so all assignment decisions agree bit for bit.
 */
export function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const e = a[ao + t] - b[bo + t];
    s += e * e;
  }
  return s;
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
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const best = nearest2(X, i * d, centers, k, d);
    const lab = nearestLabel;
    labels[i] = lab;
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
 * Per-cluster weighted sums of the members (k x d) and their total weights, kept up to date as
 * samples change cluster, so an iteration costs work only for the samples that moved.
 * Compensated (two-sum) arithmetic keeps each sum accurate to about 1e-32 relative however many
 * samples come and go, so the materialised sums are the correctly rounded sums of the current
 * members (scikit-learn re-adds all members each iteration; the two agree to rounding).
 */
class ClusterSums {
  readonly hi: Float64Array;
  readonly lo: Float64Array;
  readonly whi: Float64Array;
  readonly wlo: Float64Array;
  /** Members with a positive weight (a cluster with none has weight exactly 0). */
  readonly npos: Int32Array;

  constructor(
    readonly k: number,
    readonly d: number,
  ) {
    this.hi = new Float64Array(k * d);
    this.lo = new Float64Array(k * d);
    this.whi = new Float64Array(k);
    this.wlo = new Float64Array(k);
    this.npos = new Int32Array(k);
  }

  /** Adds (`sign` 1) or removes (`sign` -1) sample `xo / d` with weight `wi` to cluster `j`. */
  update(X: Float64Array, xo: number, j: number, wi: number, sign: number): void {
    const { hi, lo, d } = this;
    const o = j * d;
    const sw = sign * wi;
    for (let t = 0; t < d; t++) {
      const v = X[xo + t] * sw;
      const a = hi[o + t];
      const s = a + v;
      const bb = s - a;
      lo[o + t] += a - (s - bb) + (v - bb);
      hi[o + t] = s;
    }
    const a = this.whi[j];
    const s = a + sw;
    const bb = s - a;
    this.wlo[j] += a - (s - bb) + (sw - bb);
    this.whi[j] = s;
    if (wi > 0) this.npos[j] += sign;
  }

  /** Writes the sums to `out` (k x d) and the weights to `wsum`; a cluster without positive weight gets exactly 0. */
  materialize(out: Float64Array, wsum: Float64Array): void {
    const { hi, lo, d } = this;
    for (let j = 0; j < this.k; j++) {
      const o = j * d;
      if (this.npos[j] === 0) {
        for (let t = 0; t < d; t++) {
          hi[o + t] = 0;
          lo[o + t] = 0;
          out[o + t] = 0;
        }
        this.whi[j] = 0;
        this.wlo[j] = 0;
        wsum[j] = 0;
      } else {
        for (let t = 0; t < d; t++) out[o + t] = hi[o + t] + lo[o + t];
        wsum[j] = this.whi[j] + this.wlo[j];
      }
    }
  }
}

/** Safety margin of the pruning tests: rounding in distances and accumulated shifts stays far below it. */
function pruneMargin(X: Matrix, init: Float64Array, maxIter: number): number {
  return boundingDiagonal(X, init) * Math.max(1e-9, 4e-15 * maxIter);
}

/** Working state of `runLloyd` (a plain object with a fixed shape, passed to the assignment kernel). */
interface LloydState {
  n: number;
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
  margin: number;
  sums: ClusterSums;
  cand: Int32Array;
  dist2: Float64Array;
}

/**
 * Lloyd's assignment step with Hamerly's bounds; `first` scans every sample from centre 0.
 * Keeps the cluster sums in step when `update`. Returns the number of changed labels.
 */
function lloydAssign(st: LloydState, C: Float64Array, first: boolean, update: boolean): number {
  const { n, d, k, data, w, labels, upperS, lowerS, cum, nextHalf, half, margin, sums, cand, dist2 } = st;
  const cumMax = st.cumMax;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const lab = labels[i];
    let start = 0;
    let sStart: number;
    if (first) {
      sStart = sqDist(data, xo, C, 0, d);
    } else {
      const z = Math.max(lowerS[i] - cumMax, nextHalf[lab]);
      if (upperS[i] + cum[lab] + margin <= z) continue;
      sStart = sqDist(data, xo, C, lab * d, d);
      const u = Math.sqrt(sStart);
      if (u + margin <= z) {
        upperS[i] = u - cum[lab];
        continue;
      }
      start = lab;
    }
    const dist = scanFrom(data, xo, C, k, d, half, margin, start, sStart, cand, dist2);
    const nl = nearestLabel;
    upperS[i] = dist - cum[nl];
    lowerS[i] = secondBest + cumMax;
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
  const { rows: n, cols: d, data } = X;
  const { maxIter, tol, run = 0, onIteration } = opts;
  let centers = init.slice();
  let next = new Float64Array(k * d);
  const labels = new Int32Array(n).fill(-1);
  const sums = new ClusterSums(k, d);
  const wsum = new Float64Array(k);
  const shift = new Float64Array(k);
  const half = new Float64Array(k * k);
  const nextHalf = new Float64Array(k);
  // Bounds are stored shift-free: upper = upperS + cum[label], lower = lowerS - cumMax, where
  // cum[j] is the total distance centre j has moved and cumMax the total of per-iteration maxima.
  const upperS = new Float64Array(n);
  const lowerS = new Float64Array(n);
  const cum = new Float64Array(k);
  const margin = pruneMargin(X, init, maxIter);

  const st: LloydState = {
    n,
    d,
    k,
    data,
    w,
    labels,
    upperS,
    lowerS,
    cum,
    cumMax: 0,
    nextHalf,
    half,
    margin,
    sums,
    cand: new Int32Array(4),
    dist2: new Float64Array(4),
  };

  let strict = false;
  let converged = false;
  let it = 0;
  for (; it < maxIter; it++) {
    centerHalfDistances(centers, k, d, half, nextHalf);
    const changed = lloydAssign(st, centers, it === 0, true);
    const inertia = onIteration ? inertiaOf(data, n, d, centers, labels, w) : 0;
    sums.materialize(next, wsum);
    updateCenters(data, n, d, w, labels, centers, k, next, wsum, shift);
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
    centerHalfDistances(centers, k, d, half, nextHalf);
    lloydAssign(st, centers, false, false);
  }
  const inertia = inertiaOf(data, n, d, centers, labels, w);
  return { labels, centers, inertia, nIter, converged };
}

// Results of the last `nearest2` call besides its return value (avoids allocating per call).
let nearestLabel = 0;
let secondBest = 0;

/**
 * Squared distance from the sample at offset `xo` to its nearest centre; the centre's index is
 * left in `nearestLabel` (ties: lowest index) and the second-smallest squared distance in
 * `secondBest` (+Infinity when k = 1). Four centres are scanned per pass over the sample's
 * features (four independent sums, each accumulated in feature order, so every value equals
 * `sqDist`).
 */
function nearest2(X: Float64Array, xo: number, C: Float64Array, k: number, d: number): number {
  let best = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  let lab = 0;
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    const c0 = j * d;
    const c1 = c0 + d;
    const c2 = c1 + d;
    const c3 = c2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < d; t++) {
      const x = X[xo + t];
      const e0 = x - C[c0 + t];
      const e1 = x - C[c1 + t];
      const e2 = x - C[c2 + t];
      const e3 = x - C[c3 + t];
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    if (s0 < second) {
      if (s0 < best) {
        second = best;
        best = s0;
        lab = j;
      } else second = s0;
    }
    if (s1 < second) {
      if (s1 < best) {
        second = best;
        best = s1;
        lab = j + 1;
      } else second = s1;
    }
    if (s2 < second) {
      if (s2 < best) {
        second = best;
        best = s2;
        lab = j + 2;
      } else second = s2;
    }
    if (s3 < second) {
      if (s3 < best) {
        second = best;
        best = s3;
        lab = j + 3;
      } else second = s3;
    }
  }
  for (; j < k; j++) {
    const co = j * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const e = X[xo + t] - C[co + t];
      s += e * e;
    }
    if (s < second) {
      if (s < best) {
        second = best;
        best = s;
        lab = j;
      } else second = s;
    }
  }
  nearestLabel = lab;
  secondBest = second;
  return best;
}

/**
 * Exact nearest centre of the sample at offset `xo`, given the squared distance `sStart` to
 * centre `start`. Centres are visited in index order, in groups of up to four candidates: a centre
 * that the centre-centre half distances prove farther than the best so far (triangle inequality,
 * with `margin` against rounding) is skipped; the squared distances to a group's candidates are
 * computed exactly in one pass over the sample (each sum in feature order, so every value equals
 * `sqDist`). Ties go to the lowest index, as in a plain scan. Returns the distance to the nearest
 * centre, leaves its index in `nearestLabel` and a lower bound on the distance to every other
 * centre in `secondBest`. `cand` and `dist2` are scratch (length >= 4).
 */
function scanFrom(
  X: Float64Array,
  xo: number,
  C: Float64Array,
  k: number,
  d: number,
  half: Float64Array,
  margin: number,
  start: number,
  sStart: number,
  cand: Int32Array,
  dist2: Float64Array,
): number {
  let cur = start;
  let sCur = sStart;
  let dCur = Math.sqrt(sStart);
  let second = Number.POSITIVE_INFINITY;
  let j = 0;
  while (j < k) {
    // Gather up to four candidates that may beat (or tie) the best so far.
    let nc = 0;
    const ho = cur * k;
    const limit = dCur + margin;
    for (; j < k && nc < 4; j++) {
      if (j === start) continue;
      // d(x, c_j) >= d(c_cur, c_j) - d(x, c_cur) = b.
      const b = 2 * half[ho + j] - dCur;
      if (b > limit) {
        const lb = b - margin;
        if (lb < second) second = lb;
      } else cand[nc++] = j;
    }
    if (nc === 4) {
      const c0 = cand[0] * d;
      const c1 = cand[1] * d;
      const c2 = cand[2] * d;
      const c3 = cand[3] * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < d; t++) {
        const x = X[xo + t];
        const e0 = x - C[c0 + t];
        const e1 = x - C[c1 + t];
        const e2 = x - C[c2 + t];
        const e3 = x - C[c3 + t];
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      dist2[0] = s0;
      dist2[1] = s1;
      dist2[2] = s2;
      dist2[3] = s3;
    } else {
      for (let q = 0; q < nc; q++) {
        const co = cand[q] * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const e = X[xo + t] - C[co + t];
          s += e * e;
        }
        dist2[q] = s;
      }
    }
    for (let q = 0; q < nc; q++) {
      const cj = cand[q];
      const sj = dist2[q];
      if (sj < sCur || (sj === sCur && cj < cur)) {
        if (dCur < second) second = dCur;
        cur = cj;
        sCur = sj;
        dCur = Math.sqrt(sj);
      } else {
        const dj = Math.sqrt(sj);
        if (dj < second) second = dj;
      }
    }
  }
  nearestLabel = cur;
  secondBest = second;
  return dCur;
}

/**
 * Bounding-box diagonal of the rows of `X` together with the rows of `extra` (k x d): an upper
 * bound on every distance the algorithm will meet (centres stay in the hull of X and the initial
 * centres). Used to size the safety margin of the pruning tests.
 */
function boundingDiagonal(X: Matrix, extra: Float64Array): number {
  const { rows: n, cols: d, data } = X;
  const lo = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
  const scan = (a: Float64Array, m: number) => {
    for (let i = 0; i < m; i++) {
      const o = i * d;
      for (let t = 0; t < d; t++) {
        const v = a[o + t];
        if (v < lo[t]) lo[t] = v;
        if (v > hi[t]) hi[t] = v;
      }
    }
  };
  scan(data, n);
  scan(extra, extra.length / d);
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
  n: number;
  d: number;
  k: number;
  data: Float64Array;
  w: Float64Array;
  labels: Int32Array;
  /** Upper bound on the distance to the sample's centre, minus `cum[label]`. */
  upperS: Float64Array;
  /** Lower bound on the distance to each centre j (n x k), plus `cum[j]`. */
  lowerS: Float64Array;
  /** Total distance each centre has moved. */
  cum: Float64Array;
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
function elkanAssign(st: ElkanState, C: Float64Array, first: boolean, update: boolean): number {
  const { n, d, k, data, w, labels, upperS, lowerS, cum, nextHalf, half, margin, sums } = st;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const old = labels[i];
    let lab = old;
    let u = upperS[i] + cum[lab];
    if (u + margin > nextHalf[lab]) {
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
  const { rows: n, cols: d, data } = X;
  const { maxIter, tol, run = 0, onIteration } = opts;
  let centers = init.slice();
  let next = new Float64Array(k * d);
  const labels = new Int32Array(n);
  const sums = new ClusterSums(k, d);
  const wsum = new Float64Array(k);
  const shift = new Float64Array(k);
  const half = new Float64Array(k * k);
  const nextHalf = new Float64Array(k);
  // Bounds are stored shift-free: upper = upperS + cum[label], lower(j) = lowerS(j) - cum[j],
  // where cum[j] is the total distance centre j has moved.
  const upperS = new Float64Array(n);
  const lowerS = new Float64Array(n * k);
  const cum = new Float64Array(k);
  const margin = pruneMargin(X, init, maxIter);

  centerHalfDistances(centers, k, d, half, nextHalf);
  // Initial labels and bounds (scikit-learn's init_bounds).
  for (let i = 0; i < n; i++) {
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
  }

  const st: ElkanState = { n, d, k, data, w, labels, upperS, lowerS, cum, nextHalf, half, margin, sums };

  let strict = false;
  let converged = false;
  let it = 0;
  for (; it < maxIter; it++) {
    const changed = elkanAssign(st, centers, it === 0, true);
    const inertia = onIteration ? inertiaOf(data, n, d, centers, labels, w) : 0;
    sums.materialize(next, wsum);
    updateCenters(data, n, d, w, labels, centers, k, next, wsum, shift);
    let shiftTot = 0;
    for (let j = 0; j < k; j++) {
      shiftTot += shift[j] * shift[j];
      cum[j] += shift[j];
    }
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
  if (!strict) elkanAssign(st, centers, false, false);
  const inertia = inertiaOf(data, n, d, centers, labels, w);
  return { labels, centers, inertia, nIter, converged };
}
