import { invalid } from "../errors.js";
import { checkScoresAndTruth } from "./anomalyInternal.js";
import { averagePrecision } from "./averagePrecision.js";
import { rocAuc } from "./rocAuc.js";

/** Precision and recall of one set of flagged rows against the true outliers. */
export interface FlaggedQuality {
  /** Rows flagged. */
  nFlagged: number;
  /** Flagged rows that are true outliers (fractional at the true contamination when the cut falls in a tie). */
  truePositives: number;
  /** truePositives / nFlagged (0 when nothing is flagged). */
  precision: number;
  /** truePositives / nPositive. */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
}

/** What `evaluateAnomalyScores` returns. */
export interface AnomalyEvaluation {
  nRows: number;
  /** True outliers. */
  nPositive: number;
  /** nPositive / nRows: the true contamination. */
  positiveShare: number;
  /** Area under the ROC curve (`rocAuc`, ties as average rank). */
  rocAuc: number;
  /** Average precision (`averagePrecision`). */
  averagePrecision: number;
  /**
   * Flagging exactly nPositive rows, the highest scores (the true contamination). Precision equals
   * recall here (both TP / nPositive). When the cut falls inside a group of tied scores, the tied
   * rows count by expectation (as if the tie were broken at random), so row order cannot help.
   */
  atTrueContamination: FlaggedQuality;
  /** The rows flagged by the caller's rule (`options.flagged`), or null when not given. */
  flagged: FlaggedQuality | null;
}

/** Options for `evaluateAnomalyScores`. */
export interface EvaluateAnomalyScoresOptions {
  /** The rows flagged by a contamination or threshold (1 = flagged), to score as a set. Default: none. */
  flagged?: ArrayLike<number>;
}

function quality(nFlagged: number, tp: number, nPositive: number): FlaggedQuality {
  const precision = nFlagged > 0 ? tp / nFlagged : 0;
  const recall = tp / nPositive;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { nFlagged, truePositives: tp, precision, recall, f1 };
}

/**
 * Evaluates anomaly scores (higher = more anomalous) against known outliers (`positive`: 1/true for
 * an outlier): ROC AUC, average precision, precision and recall at the true contamination (the
 * nPositive highest scores flagged) and, with `options.flagged`, of the rows actually flagged.
 * Needs at least one outlier and one inlier; NaN scores are an error.
 */
export function evaluateAnomalyScores(
  scores: ArrayLike<number>,
  positive: ArrayLike<number | boolean>,
  options: EvaluateAnomalyScoresOptions = {},
): AnomalyEvaluation {
  const truth = checkScoresAndTruth(scores, positive, "evaluateAnomalyScores");
  const n = scores.length;
  let nPositive = 0;
  for (let i = 0; i < n; i++) nPositive += truth[i];
  // At the true contamination: rows strictly above the cut score, plus a share of the tied rows.
  const sorted = Float64Array.from(scores).sort().reverse();
  const cut = sorted[nPositive - 1];
  let above = 0;
  let tpAbove = 0;
  let tied = 0;
  let tpTied = 0;
  for (let i = 0; i < n; i++) {
    if (scores[i] > cut) {
      above++;
      tpAbove += truth[i];
    } else if (scores[i] === cut) {
      tied++;
      tpTied += truth[i];
    }
  }
  const tpAtTrue = tpAbove + ((nPositive - above) * tpTied) / tied;
  let flagged: FlaggedQuality | null = null;
  if (options.flagged !== undefined) {
    const f = options.flagged;
    if (f.length !== n) throw invalid("flagged", `${f.length} values`, `must have one value per score (${n})`);
    let nFlagged = 0;
    let tp = 0;
    for (let i = 0; i < n; i++) {
      if (f[i]) {
        nFlagged++;
        tp += truth[i];
      }
    }
    flagged = quality(nFlagged, tp, nPositive);
  }
  return {
    nRows: n,
    nPositive,
    positiveShare: nPositive / n,
    rocAuc: rocAuc(scores, truth),
    averagePrecision: averagePrecision(scores, truth),
    atTrueContamination: quality(nPositive, tpAtTrue, nPositive),
    flagged,
  };
}
