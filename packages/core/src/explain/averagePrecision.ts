import { checkScoresAndTruth } from "./anomalyInternal.js";

/**
 * Average precision of `scores` (higher = more likely positive) against `positive`: the
 * precision-recall curve summarised as sum over the distinct score thresholds, highest first, of
 * (recall_t - recall_{t-1}) x precision_t. Rows with equal scores enter together (one step), so
 * the value does not depend on the row order. Equals scikit-learn's
 * `average_precision_score(positive, scores)`; a random ranking scores about the positive share.
 * Needs at least one positive and one negative; NaN scores are an error.
 */
export function averagePrecision(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): number {
  const truth = checkScoresAndTruth(scores, positive, "averagePrecision");
  const n = scores.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (scores[a] > scores[b] ? -1 : scores[a] < scores[b] ? 1 : 0));
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += truth[i];
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && scores[order[end]] === scores[order[start]]) {
      tp += truth[order[end]];
      end++;
    }
    seen = end;
    const recall = tp / nPos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    start = end;
  }
  return ap;
}
