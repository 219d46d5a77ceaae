/**
 * CLARA (Clustering LARge Applications; Kaufman & Rousseeuw, "Finding Groups in Data", 1990, ch. 3),
 * the large-n method of `KMedoids`: PAM (BUILD or another start, then FasterPAM swaps) on small random
 * samples, each result scored on the whole data set. Memory: samplingSize^2 distances for the sample
 * plus O(n) for the draw; never n x n. Private to `KMedoids`.
 */
import { type Matrix, takeRows } from "../matrix.js";
import type { Random } from "../random.js";
import {
  buildInit,
  DenseDistances,
  fasterPam,
  type KMedoidsMetric,
  kMedoidsPlusPlusInit,
  metricKind,
  metricRows,
  mostCentral,
  pairDistance,
} from "./kMedoidsKernels.js";

/** Settings of one CLARA run (already validated by `KMedoids`). */
export interface ClaraSettings {
  k: number;
  metric: KMedoidsMetric;
  init: "build" | "k-medoids++" | "random";
  maxIter: number;
  /** Samples drawn (>= 1). */
  nSamplings: number;
  /** Rows per sample, in [k, n]. */
  samplingSize: number;
}

/** The best medoids found, with the full-data assignment. */
export interface ClaraResult {
  /** Medoids as row indices of the full data. */
  medoids: Int32Array;
  /** Nearest medoid slot of every row (ties: the lower slot). */
  labels: Int32Array;
  /** Sum over all rows of the distance to the nearest medoid. */
  inertia: number;
  /** Swap passes of the PAM run that produced the best medoids. */
  nIter: number;
  converged: boolean;
  /** Index (0-based) of the sampling that produced the best medoids. */
  bestSampling: number;
}

/**
 * CLARA as Kaufman & Rousseeuw describe it: the first sample is `samplingSize` rows drawn uniformly
 * without replacement; every later sample holds the best medoids found so far plus
 * `samplingSize - k` other rows drawn uniformly. Each sample (sorted by row index) is clustered by
 * PAM; its medoids are scored by the total dissimilarity of all n rows to their nearest medoid, and
 * the lowest total wins (ties: the earlier sampling). When `samplingSize = n` the only possible sample
 * is the whole data set: PAM runs once, and the result is exactly `method: "pam"`'s (same start, same
 * seed). All draws come from `rng`.
 */
export function clara(m: Matrix, s: ClaraSettings, rng: Random): ClaraResult {
  const n = m.rows;
  const d = m.cols;
  const { k, samplingSize } = s;
  const x = metricRows(m, s.metric);
  const kind = metricKind(s.metric);
  const whole = samplingSize === n;
  const runs = whole ? 1 : s.nSamplings;

  const mark = whole ? null : new Uint8Array(n);
  const sample = new Int32Array(samplingSize);
  const candidate = new Int32Array(k);
  let best: Int32Array | null = null;
  let bestCost = Number.POSITIVE_INFINITY;
  let bestIter = 0;
  let bestConverged = true;
  let bestSampling = 0;

  for (let t = 0; t < runs; t++) {
    if (mark === null) {
      for (let i = 0; i < n; i++) sample[i] = i;
    } else {
      drawSample(n, best, sample, mark, rng);
    }
    const D = new DenseDistances(takeRows(m, sample), s.metric);
    let local: Int32Array;
    let nIter = 1;
    let converged = true;
    if (s.init === "build") local = buildInit(D, k);
    else if (s.init === "random") local = rng.sampleWithoutReplacement(samplingSize, k);
    else local = kMedoidsPlusPlusInit(D, k, rng);
    if (k === 1) {
      local[0] = mostCentral(D);
    } else {
      const run = fasterPam(D, local, s.maxIter);
      nIter = run.nIter;
      converged = run.converged;
    }
    for (let c = 0; c < k; c++) candidate[c] = sample[local[c]];
    const cost = totalCost(x, n, d, kind, candidate, null);
    if (cost < bestCost) {
      bestCost = cost;
      best = candidate.slice();
      bestIter = nIter;
      bestConverged = converged;
      bestSampling = t;
    }
  }
  const medoids = best as Int32Array;
  const labels = new Int32Array(n);
  const inertia = totalCost(x, n, d, kind, medoids, labels);
  return { medoids, labels, inertia, nIter: bestIter, converged: bestConverged, bestSampling };
}

/**
 * Fills `out` (sorted ascending) with `out.length` distinct rows of [0, n): the `forced` rows (the best
 * medoids so far; none for the first sample) and uniform draws for the rest, by rejection against the
 * `mark` bytes (left cleared on return).
 */
function drawSample(n: number, forced: Int32Array | null, out: Int32Array, mark: Uint8Array, rng: Random): void {
  let c = 0;
  if (forced !== null) {
    for (let i = 0; i < forced.length; i++) {
      mark[forced[i]] = 1;
      out[c++] = forced[i];
    }
  }
  while (c < out.length) {
    const r = rng.int(n);
    if (mark[r]) continue;
    mark[r] = 1;
    out[c++] = r;
  }
  for (let i = 0; i < out.length; i++) mark[out[i]] = 0;
  out.sort();
}

/**
 * Sum over all rows (in index order) of the distance to the nearest of `medoids`; with `labels`, also
 * records the nearest slot (ties: the lower slot). O(n k d) time, no allocation.
 */
function totalCost(
  x: Float64Array,
  n: number,
  d: number,
  kind: number,
  medoids: Int32Array,
  labels: Int32Array | null,
): number {
  const k = medoids.length;
  let total = 0;
  for (let o = 0; o < n; o++) {
    let bestC = 0;
    let bestD = o === medoids[0] ? 0 : pairDistance(kind, x, medoids[0], x, o, d);
    for (let c = 1; c < k; c++) {
      const med = medoids[c];
      const v = o === med ? 0 : pairDistance(kind, x, med, x, o, d);
      if (v < bestD) {
        bestD = v;
        bestC = c;
      }
    }
    if (labels !== null) labels[o] = bestC;
    total += bestD;
  }
  return total;
}
