/**
 * Private kernels of `KMedoids`: dissimilarities (dense n x n or computed on the fly), BUILD,
 * FasterPAM eager swaps (Schubert & Rousseeuw 2021), the "alternate" (Voronoi iteration) method,
 * k-medoids++ seeding, and the final assignment. Flat typed arrays only.
 */
import type { Matrix } from "../matrix.js";
import { unitRows } from "../neighbors/neighborMetric.js";
import type { Random } from "../random.js";

/** Dissimilarities `KMedoids` supports. */
export type KMedoidsMetric = "euclidean" | "manhattan" | "cosine" | "sqeuclidean";

const EUCLIDEAN = 0;
const SQEUCLIDEAN = 1;
const MANHATTAN = 2;
const COSINE = 3;

/** The kernel code of a metric, for `pairDistance`. */
export function metricKind(metric: KMedoidsMetric): number {
  return metric === "euclidean"
    ? EUCLIDEAN
    : metric === "sqeuclidean"
      ? SQEUCLIDEAN
      : metric === "manhattan"
        ? MANHATTAN
        : COSINE;
}

/**
 * The metric's working copy of the rows: unit rows for cosine (zero rows stay zero), the data itself
 * otherwise.
 */
export function metricRows(m: Matrix, metric: KMedoidsMetric): Float64Array {
  return metric === "cosine" ? unitRows(m) : m.data;
}

/**
 * Dissimilarity between row i of `a` and row j of `b` (flat, d columns; for cosine both hold unit rows):
 * Euclidean and squared Euclidean sum the squared differences in feature order, Manhattan the absolute
 * differences, cosine is 1 - dot clipped to [0, 2] (a zero row is at distance 1 from everything).
 */
export function pairDistance(kind: number, a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  const ai = i * d;
  const bj = j * d;
  let s = 0;
  if (kind === MANHATTAN) {
    for (let t = 0; t < d; t++) s += Math.abs(a[ai + t] - b[bj + t]);
    return s;
  }
  if (kind === COSINE) {
    for (let t = 0; t < d; t++) s += a[ai + t] * b[bj + t];
    const v = 1 - s;
    return v < 0 ? 0 : Math.min(v, 2);
  }
  for (let t = 0; t < d; t++) {
    const diff = a[ai + t] - b[bj + t];
    s += diff * diff;
  }
  return kind === EUCLIDEAN ? Math.sqrt(s) : s;
}

/** Distances of each row of `x` (working rows, see `metricRows`) to each row of `c`, n x k row-major. */
export function distancesTo(
  x: Float64Array,
  n: number,
  c: Float64Array,
  k: number,
  d: number,
  metric: KMedoidsMetric,
): Float64Array {
  const kind = metricKind(metric);
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = pairDistance(kind, x, i, c, j, d);
  return out;
}

/** Pairwise dissimilarities between the samples; d(i, i) = 0 always. */
export interface DistanceSource {
  readonly n: number;
  /** Distances from sample j to every sample; valid until the next `row` call (do not keep it). */
  row(j: number): Float64Array;
  /** d(i, j). */
  get(i: number, j: number): number;
}

/** The full n x n matrix (8 n^2 bytes), computed once; symmetric and exact (the same value both ways). */
export class DenseDistances implements DistanceSource {
  readonly n: number;
  private readonly data: Float64Array;

  constructor(m: Matrix, metric: KMedoidsMetric) {
    const n = m.rows;
    const d = m.cols;
    const x = metricRows(m, metric);
    const kind = metricKind(metric);
    const data = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = pairDistance(kind, x, i, x, j, d);
        data[i * n + j] = v;
        data[j * n + i] = v;
      }
    }
    this.n = n;
    this.data = data;
  }

  row(j: number): Float64Array {
    return this.data.subarray(j * this.n, (j + 1) * this.n);
  }

  get(i: number, j: number): number {
    return this.data[i * this.n + j];
  }
}

/** Distances computed when asked (O(n) memory, O(d) per value): the same values as `DenseDistances`. */
export class LazyDistances implements DistanceSource {
  readonly n: number;
  private readonly x: Float64Array;
  private readonly d: number;
  private readonly kind: number;
  private readonly buffer: Float64Array;

  constructor(m: Matrix, metric: KMedoidsMetric) {
    this.n = m.rows;
    this.d = m.cols;
    this.x = metricRows(m, metric);
    this.kind = metricKind(metric);
    this.buffer = new Float64Array(m.rows);
  }

  row(j: number): Float64Array {
    const { n, x, d, kind, buffer } = this;
    for (let o = 0; o < n; o++) buffer[o] = o === j ? 0 : pairDistance(kind, x, j, x, o, d);
    return buffer;
  }

  get(i: number, j: number): number {
    return i === j ? 0 : pairDistance(this.kind, this.x, i, this.x, j, this.d);
  }
}

/** Index of the sample with the smallest sum of distances to all samples (ties: the lowest index). */
export function mostCentral(D: DistanceSource): number {
  const n = D.n;
  let best = 0;
  let bestSum = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const r = D.row(i);
    let s = 0;
    for (let j = 0; j < n; j++) s += r[j];
    if (s < bestSum) {
      bestSum = s;
      best = i;
    }
  }
  return best;
}

/**
 * PAM's BUILD (Kaufman & Rousseeuw): the most central sample first, then k - 1 times the non-medoid with
 * the largest total decrease of the distance to the nearest medoid (sum over samples of
 * max(0, dn_j - d(i, j)), in index order; ties: the lowest index).
 */
export function buildInit(D: DistanceSource, k: number): Int32Array {
  const n = D.n;
  const med = new Int32Array(k);
  const isMed = new Uint8Array(n);
  med[0] = mostCentral(D);
  isMed[med[0]] = 1;
  const dn = D.row(med[0]).slice();
  for (let c = 1; c < k; c++) {
    let best = -1;
    let bestGain = -1;
    for (let i = 0; i < n; i++) {
      if (isMed[i]) continue;
      const r = D.row(i);
      let s = 0;
      for (let j = 0; j < n; j++) {
        const g = dn[j] - r[j];
        if (g > 0) s += g;
      }
      if (s > bestGain) {
        bestGain = s;
        best = i;
      }
    }
    med[c] = best;
    isMed[best] = 1;
    const r = D.row(best);
    for (let j = 0; j < n; j++) if (r[j] < dn[j]) dn[j] = r[j];
  }
  return med;
}

/**
 * k-medoids++ (as scikit-learn-extra's, on squared dissimilarities): a uniformly random first medoid,
 * then each next one the best of 2 + floor(ln k) candidates drawn with probability proportional to the
 * squared distance to the nearest medoid chosen so far (best: the smallest resulting sum).
 */
export function kMedoidsPlusPlusInit(D: DistanceSource, k: number, rng: Random): Int32Array {
  const n = D.n;
  const med = new Int32Array(k);
  const isMed = new Uint8Array(n);
  const trials = 2 + Math.floor(Math.log(k));
  med[0] = rng.int(n);
  isMed[med[0]] = 1;
  const closest = new Float64Array(n);
  const cumulative = new Float64Array(n);
  const candidate = new Float64Array(n);
  const bestDist = new Float64Array(n);
  let r0 = D.row(med[0]);
  let pot = 0;
  for (let j = 0; j < n; j++) {
    closest[j] = r0[j] * r0[j];
    pot += closest[j];
  }
  for (let c = 1; c < k; c++) {
    let s = 0;
    for (let j = 0; j < n; j++) cumulative[j] = s += closest[j];
    let best = -1;
    let bestPot = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      let id: number;
      if (pot > 0) {
        const r = rng.float() * pot;
        // first index whose cumulative weight exceeds r (never a zero-weight sample)
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid] > r) hi = mid;
          else lo = mid + 1;
        }
        id = lo;
        while (closest[id] === 0 && id > 0) id--; // rounding at the top end: step back to a positive weight
      } else {
        id = 0;
        while (isMed[id]) id++; // every sample sits on a medoid: take the first free one
      }
      if (isMed[id]) continue;
      r0 = D.row(id);
      let p = 0;
      for (let j = 0; j < n; j++) {
        const v = r0[j] * r0[j];
        const nd = Math.min(v, closest[j]);
        candidate[j] = nd;
        p += nd;
      }
      if (p < bestPot) {
        bestPot = p;
        best = id;
        bestDist.set(candidate);
      }
    }
    if (best < 0) {
      best = 0;
      while (isMed[best]) best++;
      r0 = D.row(best);
      bestPot = 0;
      for (let j = 0; j < n; j++) {
        const v = r0[j] * r0[j];
        bestDist[j] = Math.min(v, closest[j]);
        bestPot += bestDist[j];
      }
    }
    med[c] = best;
    isMed[best] = 1;
    closest.set(bestDist);
    pot = bestPot;
  }
  return med;
}

/** Outcome of a swap or alternate run. */
export interface MedoidRun {
  medoids: Int32Array;
  nIter: number;
  converged: boolean;
  nSwaps: number;
}

/**
 * FasterPAM (Schubert & Rousseeuw 2021): for each non-medoid candidate j in turn, the change of the total
 * deviation for swapping j with every medoid is found in one O(n) pass (shared gain for samples that move
 * to j, per-medoid removal losses kept up to date), and the best swap is done at once if it lowers the
 * total ("eager"). A pass that reaches the last swapped candidate again without a swap ends the run.
 * `medoids` is modified in place. k must be >= 2 (k = 1 is solved exactly by `mostCentral`).
 */
export function fasterPam(D: DistanceSource, medoids: Int32Array, maxIter: number): MedoidRun {
  const n = D.n;
  const k = medoids.length;
  const nearI = new Int32Array(n);
  const nearD = new Float64Array(n);
  const secoI = new Int32Array(n);
  const secoD = new Float64Array(n);
  // Initial assignment: nearest and second nearest medoid; a medoid is always assigned to itself.
  let loss = 0;
  for (let o = 0; o < n; o++) {
    nearI[o] = 0;
    nearD[o] = D.get(o, medoids[0]);
    secoI[o] = -1;
    secoD[o] = 0;
    for (let c = 1; c < k; c++) {
      const v = D.get(o, medoids[c]);
      if (v < nearD[o] || o === medoids[c]) {
        secoI[o] = nearI[o];
        secoD[o] = nearD[o];
        nearI[o] = c;
        nearD[o] = v;
      } else if (secoI[o] === -1 || v < secoD[o]) {
        secoI[o] = c;
        secoD[o] = v;
      }
    }
    loss += nearD[o];
  }
  const removal = new Float64Array(k);
  const ploss = new Float64Array(k);
  const updateRemoval = () => {
    removal.fill(0);
    for (let o = 0; o < n; o++) removal[nearI[o]] += secoD[o] - nearD[o];
  };
  updateRemoval();

  let lastSwap = n;
  let nSwaps = 0;
  let iter = 0;
  let converged = false;
  while (iter < maxIter) {
    iter++;
    const swapsBefore = nSwaps;
    const lastLoss = loss;
    for (let j = 0; j < n; j++) {
      if (j === lastSwap) break;
      if (j === medoids[nearI[j]]) continue; // already a medoid
      const row = D.row(j);
      ploss.set(removal);
      let acc = 0;
      for (let o = 0; o < n; o++) {
        const djo = row[o];
        if (djo < nearD[o]) {
          acc += djo - nearD[o];
          ploss[nearI[o]] += nearD[o] - secoD[o];
        } else if (djo < secoD[o]) {
          ploss[nearI[o]] += djo - secoD[o];
        }
      }
      let b = 0;
      for (let c = 1; c < k; c++) if (ploss[c] < ploss[b]) b = c;
      if (ploss[b] + acc >= 0) continue; // no improvement
      nSwaps++;
      lastSwap = j;
      const newLoss = doSwap(D, medoids, row, b, j, nearI, nearD, secoI, secoD);
      if (newLoss >= loss) break; // rounding only: stop rather than cycle
      loss = newLoss;
      updateRemoval();
    }
    if (nSwaps === swapsBefore || loss >= lastLoss) {
      converged = true;
      break;
    }
  }
  return { medoids, nIter: iter, converged, nSwaps };
}

/** Replaces medoid slot b by sample j, updating nearest / second nearest; returns the new total. */
function doSwap(
  D: DistanceSource,
  medoids: Int32Array,
  rowJ: Float64Array,
  b: number,
  j: number,
  nearI: Int32Array,
  nearD: Float64Array,
  secoI: Int32Array,
  secoD: Float64Array,
): number {
  const n = D.n;
  medoids[b] = j;
  let loss = 0;
  for (let o = 0; o < n; o++) {
    if (o === j) {
      if (nearI[o] !== b) {
        secoI[o] = nearI[o];
        secoD[o] = nearD[o];
      }
      nearI[o] = b;
      nearD[o] = 0;
      continue;
    }
    const djo = rowJ[o];
    if (nearI[o] === b) {
      // the nearest medoid was replaced
      if (djo < secoD[o]) {
        nearD[o] = djo;
      } else {
        nearI[o] = secoI[o];
        nearD[o] = secoD[o];
        secondNearest(D, medoids, nearI[o], b, o, djo, secoI, secoD);
      }
    } else if (djo < nearD[o]) {
      secoI[o] = nearI[o];
      secoD[o] = nearD[o];
      nearI[o] = b;
      nearD[o] = djo;
    } else if (djo < secoD[o]) {
      secoI[o] = b;
      secoD[o] = djo;
    } else if (secoI[o] === b) {
      // the second nearest was replaced
      secondNearest(D, medoids, nearI[o], b, o, djo, secoI, secoD);
    }
    loss += nearD[o];
  }
  return loss;
}

/** Second nearest medoid of o given its nearest slot `near` and the new medoid in slot b at distance djo. */
function secondNearest(
  D: DistanceSource,
  medoids: Int32Array,
  near: number,
  b: number,
  o: number,
  djo: number,
  secoI: Int32Array,
  secoD: Float64Array,
): void {
  let si = b;
  let sd = djo;
  for (let c = 0; c < medoids.length; c++) {
    if (c === near || c === b) continue;
    const v = D.get(o, medoids[c]);
    if (v < sd) {
      si = c;
      sd = v;
    }
  }
  secoI[o] = si;
  secoD[o] = sd;
}

/**
 * The "alternate" method (Voronoi iteration, as scikit-learn-extra): assign every sample to its nearest
 * medoid, then move each medoid to the member with the smallest summed distance to its cluster (only if
 * that is strictly smaller than the current medoid's); repeat until no medoid moves. Empty clusters keep
 * their medoid and are reported through `onEmpty`. `medoids` is modified in place.
 */
export function alternate(
  D: DistanceSource,
  medoids: Int32Array,
  maxIter: number,
  onEmpty: (cluster: number) => void,
): MedoidRun {
  const n = D.n;
  const k = medoids.length;
  const labels = new Int32Array(n);
  const members = new Int32Array(n);
  const start = new Int32Array(k + 1);
  let converged = false;
  let iter = 0;
  let nSwaps = 0;
  while (iter < maxIter) {
    iter++;
    assignNearestMedoid(D, medoids, labels);
    // members grouped by cluster, ascending within each (counting sort)
    start.fill(0);
    for (let o = 0; o < n; o++) start[labels[o] + 1]++;
    for (let c = 0; c < k; c++) start[c + 1] += start[c];
    const fill = start.slice(0, k);
    for (let o = 0; o < n; o++) members[fill[labels[o]]++] = o;
    let moved = false;
    for (let c = 0; c < k; c++) {
      const a0 = start[c];
      const a1 = start[c + 1];
      if (a0 === a1) {
        onEmpty(c);
        continue;
      }
      let best = -1;
      let bestCost = Number.POSITIVE_INFINITY;
      let current = Number.POSITIVE_INFINITY;
      for (let a = a0; a < a1; a++) {
        const i = members[a];
        const r = D.row(i);
        let s = 0;
        for (let bb = a0; bb < a1; bb++) s += r[members[bb]];
        if (s < bestCost) {
          bestCost = s;
          best = i;
        }
        if (i === medoids[c]) current = s;
      }
      if (bestCost < current) {
        medoids[c] = best;
        moved = true;
        nSwaps++;
      }
    }
    if (!moved) {
      converged = true;
      break;
    }
  }
  return { medoids, nIter: iter, converged, nSwaps };
}

/** labels[o] = the medoid slot nearest to o (ties: the lowest slot). */
export function assignNearestMedoid(D: DistanceSource, medoids: Int32Array, labels: Int32Array): void {
  const n = D.n;
  const k = medoids.length;
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let c = 0; c < k; c++) {
    const r = D.row(medoids[c]);
    for (let o = 0; o < n; o++) {
      if (r[o] < best[o]) {
        best[o] = r[o];
        labels[o] = c;
      }
    }
  }
}

/** Sum over samples (in index order) of the distance to the medoid of their label. */
export function totalDeviation(D: DistanceSource, medoids: Int32Array, labels: Int32Array): number {
  let s = 0;
  for (let o = 0; o < D.n; o++) s += D.get(medoids[labels[o]], o);
  return s;
}
