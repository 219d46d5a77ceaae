import { homogeneityCompletenessVMeasure } from "./homogeneityCompletenessVMeasure.js";

/**
 * Homogeneity: 1.0 when every cluster of `labelsPred` contains members of a single class of
 * `labelsTrue` (`MI / H(true)`, 1.0 when `labelsTrue` has one label). Not symmetric: swapping the
 * arguments gives `completenessScore`. See `homogeneityCompletenessVMeasure`.
 */
export function homogeneityScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  return homogeneityCompletenessVMeasure(labelsTrue, labelsPred).homogeneity;
}
