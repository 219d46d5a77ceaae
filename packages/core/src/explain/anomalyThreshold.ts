import { invalid, ValidationError } from "../errors.js";
import { scoreOrder } from "./scoreOrder.js";

/** Default share of rows flagged by `anomalyThreshold`. */
export const DEFAULT_CONTAMINATION = 0.05;

/** Options for `anomalyThreshold`: give at most one of `contamination` and `threshold`. */
export interface AnomalyThresholdOptions {
  /**
   * Share of the rows to flag, in (0, 0.5]: the round(contamination x n) rows with the highest
   * scores (at least 1). Default 0.05 when `threshold` is not given.
   */
  contamination?: number;
  /** Flag every row whose score is strictly greater than this. Default: none (use `contamination`). */
  threshold?: number;
}

/** Which rows `anomalyThreshold` flags. */
export interface AnomalyFlags {
  /** How the cut was chosen. */
  rule: "contamination" | "threshold";
  /** The contamination asked for (null with `threshold`). */
  contamination: number | null;
  /**
   * With `threshold`: the threshold given (flagged iff score > threshold). With `contamination`:
   * the lowest flagged score (the cut), or NaN when nothing is flagged.
   */
  threshold: number;
  /** 1 for a flagged row, else 0. */
  isAnomaly: Uint8Array;
  nAnomalies: number;
  /** Every row ranked by score, highest first; ties by lower row index; NaN last (`scoreOrder`). */
  order: Int32Array;
  /**
   * With `contamination`: rows left unflagged although their score equals the lowest flagged one
   * (a tie at the cut, broken by row order). 0 with `threshold`.
   */
  tiedAtCut: number;
}

/**
 * Flags the anomalous rows of a score vector (higher = more anomalous). With `contamination` the
 * top round(contamination x n) rows (at least one) are flagged: exactly that many, in `scoreOrder`
 * (a tie at the cut is broken by the lower row index, deterministically, and counted in
 * `tiedAtCut`). With `threshold` every row scoring strictly above it is flagged. NaN scores are
 * never flagged.
 */
export function anomalyThreshold(scores: ArrayLike<number>, options: AnomalyThresholdOptions = {}): AnomalyFlags {
  const n = scores.length;
  if (options.contamination !== undefined && options.threshold !== undefined) {
    throw new ValidationError("invalid options: give contamination or threshold, not both");
  }
  const order = scoreOrder(scores);
  const isAnomaly = new Uint8Array(n);
  if (options.threshold !== undefined) {
    const t = options.threshold;
    if (Number.isNaN(t)) throw invalid("threshold", t, "must be a number");
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (scores[i] > t) {
        isAnomaly[i] = 1;
        count++;
      }
    }
    return { rule: "threshold", contamination: null, threshold: t, isAnomaly, nAnomalies: count, order, tiedAtCut: 0 };
  }
  const contamination = options.contamination ?? DEFAULT_CONTAMINATION;
  if (!(contamination > 0 && contamination <= 0.5)) {
    throw invalid("contamination", contamination, "must be in (0, 0.5]");
  }
  let valid = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(scores[i])) valid++;
  const m = Math.min(valid, Math.max(1, Math.round(contamination * n)));
  for (let r = 0; r < m; r++) isAnomaly[order[r]] = 1;
  const cut = m > 0 ? scores[order[m - 1]] : Number.NaN;
  let tiedAtCut = 0;
  for (let r = m; r < n && scores[order[r]] === cut; r++) tiedAtCut++;
  return { rule: "contamination", contamination, threshold: cut, isAnomaly, nAnomalies: m, order, tiedAtCut };
}
