// Private helpers of the anomaly metrics (not exported from the barrel).
import { invalid } from "../errors.js";

/**
 * Checks a score vector and a matching 0/1 truth vector (`true`/non-zero = positive) and returns
 * the truth as bytes. Scores may be infinite but not NaN. Throws when there is not at least one
 * positive and one negative.
 */
export function checkScoresAndTruth(
  scores: ArrayLike<number>,
  positive: ArrayLike<number | boolean>,
  what: string,
): Uint8Array {
  if (scores.length !== positive.length) {
    throw invalid("positive", `${positive.length} values`, `must have one value per score (${scores.length})`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw invalid("scores", `NaN at row ${i}`, "scores must be numbers");
  }
  const truth = Uint8Array.from(positive as ArrayLike<number>, (v) => (v ? 1 : 0));
  let nPos = 0;
  for (let i = 0; i < truth.length; i++) nPos += truth[i];
  if (nPos === 0 || nPos === truth.length) {
    throw invalid(
      "positive",
      `${nPos} positives of ${truth.length}`,
      `${what} needs at least one positive and one negative row`,
    );
  }
  return truth;
}
