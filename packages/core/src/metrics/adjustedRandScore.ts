import { pairConfusionMatrix } from "./pairConfusionMatrix.js";

/**
 * The adjusted Rand index (Hubert and Arabie, 1985): the Rand index corrected for chance, 1.0 for
 * identical partitions, about 0 for independent ones, bounded below by -0.5. As scikit-learn's
 * `adjusted_rand_score`, including the special case: 1.0 whenever no pair is split differently
 * (identical partitions, a single cluster on both sides, empty or one-sample labelings).
 * Symmetric; invariant to renaming labels; -1 is an ordinary label value.
 *
 * The products of pair counts reach n^4 (beyond 2^53 for n in the tens of thousands), so they are
 * formed exactly with BigInt and converted once, as Python's integers do.
 */
export function adjustedRandScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const [tn, fp, fn, tp] = pairConfusionMatrix(labelsTrue, labelsPred).data;
  if (fn === 0 && fp === 0) return 1.0;
  const TN = BigInt(tn);
  const FP = BigInt(fp);
  const FN = BigInt(fn);
  const TP = BigInt(tp);
  const numerator = TP * TN - FN * FP;
  const denominator = (TP + FN) * (FN + TN) + (TP + FP) * (FP + TN);
  return (2.0 * Number(numerator)) / Number(denominator);
}
