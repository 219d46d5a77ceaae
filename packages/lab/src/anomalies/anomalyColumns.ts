import type { AnomalyDetection } from "./detectAnomalies.js";

/** The output columns of an anomaly detection, one value per table row. */
export interface AnomalyColumns {
  /** The score (higher = more anomalous); NaN (written as NULL) for rows not scored. */
  anomaly_score: Float64Array;
  /** 1 flagged, 0 not; null for rows not scored. */
  is_anomaly: (number | null)[];
}

/**
 * The `anomaly_score` and `is_anomaly` columns to add to a table of `nRows` rows (for `writeTable`):
 * row i of the detection goes to table row `rowIndex[i]` (default i); rows left out (missing values
 * dropped) get NULL.
 */
export function anomalyColumns(
  detection: Pick<AnomalyDetection, "scores" | "flags">,
  nRows: number,
  rowIndex?: Int32Array,
): AnomalyColumns {
  const score = new Float64Array(nRows).fill(Number.NaN);
  const flag: (number | null)[] = new Array(nRows).fill(null);
  detection.scores.forEach((s, i) => {
    const row = rowIndex ? rowIndex[i] : i;
    score[row] = s;
    flag[row] = detection.flags.isAnomaly[i];
  });
  return { anomaly_score: score, is_anomaly: flag };
}
