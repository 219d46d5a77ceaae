import { homogeneityCompletenessVMeasure } from "./homogeneityCompletenessVMeasure.js";

/**
 * Completeness: 1.0 when all members of each class of `labelsTrue` fall in the same cluster of
 * `labelsPred` (`MI / H(pred)`, 1.0 when `labelsPred` has one label). Not symmetric: swapping the
 * arguments gives `homogeneityScore`. See `homogeneityCompletenessVMeasure`.
 */
export function completenessScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  return homogeneityCompletenessVMeasure(labelsTrue, labelsPred).completeness;
}
