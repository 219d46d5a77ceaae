import { checkNumber } from "../validate.js";
import { entropyOfCounts } from "./entropy.js";
import { mutualInfoOf } from "./mutualInfoScore.js";
import { sparseContingency } from "./sparseContingency.js";

/** Options for `vMeasureScore` and `homogeneityCompletenessVMeasure`. */
export interface VMeasureOptions {
  /**
   * Weight of homogeneity against completeness in the V-measure: above 1 favours completeness,
   * below 1 homogeneity. A finite number >= 0. Default 1.
   */
  beta?: number;
}

/** Homogeneity, completeness and V-measure of one comparison. */
export interface HomogeneityCompletenessVMeasure {
  readonly homogeneity: number;
  readonly completeness: number;
  readonly vMeasure: number;
}

/**
 * Homogeneity (each cluster holds one class: `MI / H(true)`), completeness (each class falls in one
 * cluster: `MI / H(pred)`) and their weighted harmonic mean, the V-measure
 * `(1 + beta) h c / (beta h + c)` (Rosenberg and Hirschberg, 2007), all in [0, 1].
 *
 * As scikit-learn's `homogeneity_completeness_v_measure`: all 1.0 for empty labelings; homogeneity
 * is 1.0 when `labelsTrue` has a single label, completeness 1.0 when `labelsPred` has; V is 0.0
 * when h + c = 0. -1 is an ordinary label value.
 */
export function homogeneityCompletenessVMeasure(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
  options: VMeasureOptions = {},
): HomogeneityCompletenessVMeasure {
  const { beta = 1 } = options;
  checkNumber(beta, "beta", { min: 0 });
  const c = sparseContingency(labelsTrue, labelsPred);
  if (c.n === 0) return { homogeneity: 1.0, completeness: 1.0, vMeasure: 1.0 };
  const entropyTrue = entropyOfCounts(c.rowSums);
  const entropyPred = entropyOfCounts(c.colSums);
  const mi = mutualInfoOf(c);
  const homogeneity = entropyTrue !== 0 ? mi / entropyTrue : 1.0;
  const completeness = entropyPred !== 0 ? mi / entropyPred : 1.0;
  const vMeasure =
    homogeneity + completeness === 0
      ? 0.0
      : ((1 + beta) * homogeneity * completeness) / (beta * homogeneity + completeness);
  return { homogeneity, completeness, vMeasure };
}
