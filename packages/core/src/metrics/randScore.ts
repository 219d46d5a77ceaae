import { pairConfusionMatrix } from "./pairConfusionMatrix.js";

/**
 * The Rand index: the fraction of sample pairs on which the two labelings agree (both together or
 * both apart), in [0, 1]. As scikit-learn's `rand_score`: 1.0 when there are no pairs (n <= 1) or
 * the labelings agree on every pair. Symmetric; -1 is an ordinary label value.
 */
export function randScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const [tn, fp, fn, tp] = pairConfusionMatrix(labelsTrue, labelsPred).data;
  const numerator = tn + tp;
  const denominator = tn + fp + fn + tp;
  if (numerator === denominator || denominator === 0) return 1.0;
  return numerator / denominator;
}
