import type { Matrix, MatrixLike } from "../matrix.js";
import { asRandom, type Random } from "../random.js";
import { asMatrix, checkInt, checkNClusters, checkSampleWeight } from "../validate.js";
import { defaultLocalTrials, gatherRows, kmeansPlusPlusIndices } from "./kmeansInitKernels.js";

/**
 * Lower-level seeding on validated input: `kmeansPlusPlusIndices(X, k, w, rng, nLocalTrials)`
 * returns the chosen row indices (X a Matrix, w a Float64Array with a positive sum, rng a Random);
 * `defaultLocalTrials(k)` is `2 + floor(ln k)`.
 */
export { defaultLocalTrials, kmeansPlusPlusIndices } from "./kmeansInitKernels.js";

/** Options for `kmeansPlusPlusInit`. */
export interface KMeansPlusPlusOptions {
  /** Seed (or generator) for the random choices. Default 0. */
  seed?: number | Random;
  /** Per-sample weights: sampling probabilities are proportional to weight times squared distance. Default: all 1. */
  sampleWeight?: ArrayLike<number>;
  /**
   * Candidates tried for each centre after the first; the one that lowers the potential (weighted
   * sum of squared distances to the nearest chosen centre) most is kept. Default
   * `2 + floor(ln k)` (scikit-learn's greedy k-means++); 1 gives the original k-means++.
   */
  nLocalTrials?: number;
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, greedy variant as in scikit-learn):
 * the first centre is a sample drawn with probability proportional to its weight; each further
 * centre is the best of `nLocalTrials` samples drawn with probability proportional to
 * weight x squared distance to the nearest centre chosen so far. Returns the k centres (rows of X).
 */
export function kmeansPlusPlusInit(X: MatrixLike, nClusters: number, options: KMeansPlusPlusOptions = {}): Matrix {
  const m = asMatrix(X);
  checkNClusters(nClusters, m.rows);
  const w = checkSampleWeight(options.sampleWeight, m.rows);
  const trials = options.nLocalTrials ?? defaultLocalTrials(nClusters);
  checkInt(trials, "nLocalTrials", 1);
  const idx = kmeansPlusPlusIndices(m, nClusters, w, asRandom(options.seed), trials);
  return { rows: nClusters, cols: m.cols, data: gatherRows(m, idx) };
}
