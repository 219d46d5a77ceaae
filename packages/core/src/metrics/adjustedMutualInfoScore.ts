import { checkChoice } from "../validate.js";
import { entropyOfCounts } from "./entropy.js";
import { expectedMutualInfoOf } from "./expectedMutualInfo.js";
import { AVERAGE_METHODS, generalizedAverage } from "./generalizedAverage.js";
import { mutualInfoOf } from "./mutualInfoScore.js";
import type { MutualInfoOptions } from "./normalizedMutualInfoScore.js";
import { sparseContingency } from "./sparseContingency.js";

/**
 * Adjusted mutual information, `(MI - E[MI]) / (mean(H(true), H(pred)) - E[MI])`: 1.0 for identical
 * partitions, about 0 for independent ones (can be negative). The expected mutual information is
 * exact (see `expectedMutualInfo`), accurate also for n in the tens of thousands.
 *
 * As scikit-learn's `adjusted_mutual_info_score`: 1.0 when both labelings have a single label (or
 * both are empty), 0.0 when exactly one has a single label; numerator and denominator are kept at
 * least machine epsilon away from 0 (with their sign). Symmetric; -1 is an ordinary label value.
 *
 * When one labeling puts every sample in its own cluster, MI equals its expectation exactly, so the
 * score is 0/0 with the "min" average (or when both labelings are all singletons) and about 1e-16
 * otherwise. scikit-learn's result there depends on rounding (it gives 1.0 and +-1e-16 on the
 * cases tested); here it is 1.0 and a tiny positive number (eps / denominator) deterministically.
 */
export function adjustedMutualInfoScore(
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
  if (kTrue === 1 || kPred === 1) return 0.0;
  const mi = mutualInfoOf(c);
  let emi: number;
  if (kTrue === c.n || kPred === c.n) {
    // Every sample alone on one side: every relabelling has the same MI (the other side's entropy),
    // so E[MI] = MI exactly and the numerator is 0. With the "min" average (or singletons on both
    // sides) the denominator is 0 as well; scikit-learn's rounding then yields 1.0, fixed here.
    if (averageMethod === "min" || kTrue === kPred) return 1.0;
    emi = mi;
  } else {
    emi = expectedMutualInfoOf(c);
  }
  const normalizer = generalizedAverage(entropyOfCounts(c.rowSums), entropyOfCounts(c.colSums), averageMethod);
  const eps = Number.EPSILON;
  let denominator = normalizer - emi;
  denominator = denominator < 0 ? Math.min(denominator, -eps) : Math.max(denominator, eps);
  let numerator = mi - emi;
  numerator = numerator < 0 ? Math.min(numerator, -eps) : Math.max(numerator, eps);
  return numerator / denominator;
}
