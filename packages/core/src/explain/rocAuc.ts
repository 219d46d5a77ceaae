import { checkScoresAndTruth } from "./anomalyInternal.js";

/**
 * Area under the ROC curve of `scores` (higher = more likely positive) against `positive` (1/true =
 * positive): the Mann-Whitney U statistic divided by nPositive x nNegative, with tied scores given
 * their average rank, so a tied positive/negative pair counts 1/2. Equals scikit-learn's
 * `roc_auc_score(positive, scores)`: 1 = every positive above every negative, 0.5 = no better than
 * chance. Needs at least one positive and one negative; NaN scores are an error.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): number {
  const truth = checkScoresAndTruth(scores, positive, "rocAuc");
  const n = scores.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (scores[a] < scores[b] ? -1 : scores[a] > scores[b] ? 1 : 0));
  let nPos = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    // Ranks start + 1 .. end (1-based) share their average.
    const rank = (start + 1 + end) / 2;
    for (let t = start; t < end; t++) {
      if (truth[order[t]]) {
        nPos++;
        rankSum += rank;
      }
    }
    start = end;
  }
  const nNeg = n - nPos;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
