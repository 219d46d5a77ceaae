import { homogeneityCompletenessVMeasure, type VMeasureOptions } from "./homogeneityCompletenessVMeasure.js";

/**
 * The V-measure, `(1 + beta) h c / (beta h + c)` of homogeneity h and completeness c, in [0, 1]. With
 * the default beta = 1 it equals `normalizedMutualInfoScore` with the arithmetic average and is
 * symmetric. See `homogeneityCompletenessVMeasure` for the special cases.
 */
export function vMeasureScore(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
  options: VMeasureOptions = {},
): number {
  return homogeneityCompletenessVMeasure(labelsTrue, labelsPred, options).vMeasure;
}
