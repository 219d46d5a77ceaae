import { checkChoice } from "../validate.js";
import { entropyOfCounts } from "./entropy.js";
import { AVERAGE_METHODS, type AverageMethod, generalizedAverage } from "./generalizedAverage.js";
import { mutualInfoOf } from "./mutualInfoScore.js";
import { sparseContingency } from "./sparseContingency.js";

/** Options for `normalizedMutualInfoScore` and `adjustedMutualInfoScore`. */
export interface MutualInfoOptions {
  /**
   * How the two entropies are averaged into the normalizer: `"arithmetic"` (equals the V-measure),
   * `"geometric"`, `"min"` or `"max"`. Default `"arithmetic"`.
   */
  averageMethod?: AverageMethod;
}

/**
 * Normalized mutual information, `MI / mean(H(true), H(pred))`, in [0, 1]. As scikit-learn's
 * `normalized_mutual_info_score`: 1.0 when both labelings have a single label (or both are empty),
 * 0.0 when the mutual information is 0 (including one single-label side). Not adjusted for chance
 * (see `adjustedMutualInfoScore`). Symmetric; -1 is an ordinary label value.
 */
export function normalizedMutualInfoScore(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
  options: MutualInfoOptions = {},
): number {
  const { averageMethod = "arithmetic" } = options;
  checkChoice(averageMethod, "averageMethod", AVERAGE_METHODS);
  const c = sparseContingency(labelsTrue, labelsPred);
  const kTrue = c.classes.length;
  const kPred = c.clusters.length;
  if ((kTrue === 1 && kPred === 1) || (kTrue === 0 && kPred === 0)) return 1.0;
  const mi = mutualInfoOf(c);
  if (mi === 0) return 0.0;
  const normalizer = generalizedAverage(entropyOfCounts(c.rowSums), entropyOfCounts(c.colSums), averageMethod);
  return mi / normalizer;
}
