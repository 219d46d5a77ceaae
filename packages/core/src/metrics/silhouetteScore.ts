import type { MatrixLike } from "../matrix.js";
import { takeRows } from "../matrix.js";
import { Random } from "../random.js";
import { asMatrix, checkInt } from "../validate.js";
import { type SilhouetteOptions, silhouetteSamples } from "./silhouetteSamples.js";
import { uniqueLabels } from "./uniqueLabels.js";

/** Options for `silhouetteScore`. */
export interface SilhouetteScoreOptions extends SilhouetteOptions {
  /**
   * Score a random subset of this many samples (an integer >= 1) instead of all of them, as
   * scikit-learn's `sample_size`: distances are then computed within the subset only, so the cost
   * falls from O(n^2 d) to O(sampleSize^2 d). At or above n, every sample is used. Default: all.
   */
  sampleSize?: number;
  /**
   * Seed of the subset drawn with `sampleSize` (the same seed gives the same subset and score).
   * The stream is Clusterlab's own, so subsets differ from scikit-learn's. Default 0.
   */
  seed?: number;
}

/**
 * The mean silhouette coefficient over all samples (or over a random subset with `sampleSize`), in
 * [-1, 1]; higher means denser, better separated clusters. See `silhouetteSamples` for the
 * definition, special cases (singleton clusters count 0) and the required
 * `2 <= number of labels <= n - 1` (checked on the subset when sampling). -1 is an ordinary label.
 */
export function silhouetteScore(
  X: MatrixLike,
  labels: ArrayLike<number>,
  options: SilhouetteScoreOptions = {},
): number {
  const { sampleSize, seed = 0, ...rest } = options;
  const m = asMatrix(X);
  let data = m;
  let subsetLabels = labels;
  if (sampleSize !== undefined) {
    checkInt(sampleSize, "sampleSize", 1);
    if (labels != null && typeof labels.length === "number" && labels.length === m.rows && sampleSize < m.rows) {
      // Validate every label (errors name the original index), then keep the subset's codes.
      const { codes } = uniqueLabels(labels, "labels");
      const indices = new Random(seed).sampleWithoutReplacement(m.rows, sampleSize).sort();
      data = takeRows(m, indices);
      const picked = new Int32Array(sampleSize);
      for (let r = 0; r < sampleSize; r++) picked[r] = codes[indices[r]];
      subsetLabels = picked;
    }
  }
  const values = silhouetteSamples(data, subsetLabels, rest);
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total / values.length;
}
