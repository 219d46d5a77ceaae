import { type Matrix, type MatrixLike, takeRows } from "../matrix.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { Random } from "../random.js";
import { asMatrix, checkInt, checkNumber } from "../validate.js";
import { numpySum } from "./meanShiftKernels.js";

/** Options for `estimateBandwidth` (scikit-learn's `estimate_bandwidth`). */
export interface EstimateBandwidthOptions {
  /**
   * Fraction of the samples used as the neighbour count: k = floor(n * quantile), at least 1. A number in
   * [0, 1]. Default 0.3 (0.5 means the median of the pairwise distances, roughly).
   */
  quantile?: number;
  /**
   * Number of samples to use (an integer >= 1): a random subset of that size, drawn with `seed`. Values
   * >= n use every sample. Default: every sample. The subset differs from scikit-learn's (numpy's random
   * stream cannot be reproduced), so only the full-data estimate matches scikit-learn exactly.
   */
  nSamples?: number;
  /** Seed for the subset drawn when `nSamples` < n. Default 0. */
  seed?: number;
}

/** Rows per batch when summing the k-th neighbour distances (scikit-learn's batch size). */
const BATCH = 500;

/**
 * A bandwidth for `MeanShift`, scikit-learn's definition: the mean over the (possibly subsampled) samples
 * of the distance to their k-th nearest neighbour, k = floor(n * quantile) (at least 1), the sample itself
 * counting as its first neighbour at distance 0. Euclidean distance; exact k-nearest-neighbour search
 * (k-d tree up to 15 features, brute force above). The distances are summed per batch of 500 with numpy's
 * pairwise summation, so on the full data the result equals scikit-learn's to the last bit whenever the
 * neighbour distances do (always for scikit-learn's k-d tree path: k < n / 2 and at most 15 features).
 *
 * ```ts
 * const bw = estimateBandwidth(X, { quantile: 0.2 });
 * ```
 */
export function estimateBandwidth(X: MatrixLike, options: EstimateBandwidthOptions = {}): number {
  const m = asMatrix(X);
  const quantile = checkNumber(options.quantile ?? 0.3, "quantile", { min: 0, max: 1 });
  const seed = checkNumber(options.seed ?? 0, "seed");
  let data: Matrix = m;
  if (options.nSamples !== undefined) {
    const nSamples = checkInt(options.nSamples, "nSamples", 1);
    if (nSamples < m.rows) data = takeRows(m, new Random(seed).sampleWithoutReplacement(m.rows, nSamples));
  }
  return bandwidthOf(data, quantile);
}

/** The estimate on already validated data (all rows used). */
function bandwidthOf(data: Matrix, quantile: number): number {
  const n = data.rows;
  let k = Math.floor(n * quantile);
  if (k < 1) k = 1;
  const { distances } = kNeighbors(data, k);
  const kth = new Float64Array(Math.min(BATCH, n));
  let total = 0;
  for (let start = 0; start < n; start += BATCH) {
    const end = Math.min(n, start + BATCH);
    for (let i = start; i < end; i++) kth[i - start] = distances[i * k + k - 1];
    total += numpySum(kth, 0, end - start);
  }
  return total / n;
}
