import {
  type AnomalyEvaluation,
  type AnomalyFlags,
  anomalyContributions,
  anomalyThreshold,
  type ClusterAnomalyScoreKind,
  clusterAnomalyScores,
  evaluateAnomalyScores,
  type FeatureDeviation,
  type MatrixLike,
} from "@clusterlab/core";

/** Default of `DetectAnomaliesOptions.top`. */
export const DEFAULT_TOP_ANOMALIES = 20;
/** Default of `DetectAnomaliesOptions.nFeatures`. */
export const DEFAULT_ANOMALY_FEATURES = 3;

/** Options for `detectAnomalies`. */
export interface DetectAnomaliesOptions {
  /** Names of the columns of `X` (the features the model was fitted on). Default `x0`, `x1`, ... */
  featureNames?: readonly string[];
  /** Share of rows to flag, in (0, 0.5] (see core `anomalyThreshold`). Default 0.05 unless `threshold` is given. */
  contamination?: number;
  /** Flag the rows scoring strictly above this instead. Default: none. */
  threshold?: number;
  /** Flagged rows explained and listed, highest score first. Default 20. */
  top?: number;
  /** Features listed per anomaly. Default 3. */
  nFeatures?: number;
  /** Known outliers (1/true) for an evaluation (ROC AUC, average precision, precision / recall). Default: none. */
  truth?: ArrayLike<number | boolean>;
  /** Table row of each row of `X`, when rows were dropped; the anomalies name table rows. Default: row i of `X` is table row i. */
  rowIndex?: Int32Array;
}

/** One flagged row, explained. */
export interface RankedAnomaly {
  /** 1 = the highest score. */
  rank: number;
  /** Table row (0-based). */
  row: number;
  score: number;
  /** The cluster it was scored against (-1: noise); see core `clusterAnomalyScores`. */
  cluster: number;
  /** The cluster its features are compared with (the nearest one for a noise row; -1: the whole data). */
  comparedWith: number;
  /** The features that make it unusual: largest |standardised deviation| from that cluster's typical values first. */
  features: FeatureDeviation[];
}

/** What `detectAnomalies` returns. */
export interface AnomalyDetection {
  kind: ClusterAnomalyScoreKind;
  /** What the score is, in one line. */
  description: string;
  /** One score per row of `X`, higher = more anomalous. */
  scores: Float64Array;
  /** Cluster each row was scored against (-1 = noise). */
  clusters: Int32Array;
  /** The cut: rule, contamination, threshold, flags, ranking, ties at the cut. */
  flags: AnomalyFlags;
  /** The flagged rows, highest score first, at most `top`, each with its unusual features. */
  anomalies: RankedAnomaly[];
  /** Against `truth`, or null without it. */
  evaluation: AnomalyEvaluation | null;
}

/**
 * Finds the anomalous rows of `X` with a fitted clustering model (usually the `[scaler,] clusterer`
 * pipeline fitted on `X`): scores every row (core `clusterAnomalyScores`: distance to the nearest
 * centre relative to the cluster's spread, Gaussian-mixture negative log-likelihood, HDBSCAN GLOSH,
 * DBSCAN distance to the nearest core sample, OPTICS core distance), flags the top `contamination`
 * share or the rows above `threshold` (core `anomalyThreshold`), explains the `top` flagged rows by
 * the features that deviate most from their cluster's typical values (core `anomalyContributions`,
 * in the units of `X`, typical values taken from the rows not flagged) and, with `truth`, evaluates
 * the scores (core `evaluateAnomalyScores`).
 */
export function detectAnomalies(model: object, X: MatrixLike, options: DetectAnomaliesOptions = {}): AnomalyDetection {
  const scored = clusterAnomalyScores(model, X);
  const flags = anomalyThreshold(scored.scores, {
    ...(options.contamination !== undefined && { contamination: options.contamination }),
    ...(options.threshold !== undefined && { threshold: options.threshold }),
  });
  const top = options.top ?? DEFAULT_TOP_ANOMALIES;
  const listed = flags.order.slice(0, Math.min(top, flags.nAnomalies));
  const explained = anomalyContributions(X, scored.clusters, listed, {
    top: options.nFeatures ?? DEFAULT_ANOMALY_FEATURES,
    reference: flags.isAnomaly.map((f) => 1 - f),
    ...(options.featureNames !== undefined && { featureNames: options.featureNames }),
  });
  const anomalies = explained.map(
    (e, r): RankedAnomaly => ({
      rank: r + 1,
      row: options.rowIndex ? options.rowIndex[e.row] : e.row,
      score: scored.scores[e.row],
      cluster: scored.clusters[e.row],
      comparedWith: e.cluster,
      features: e.features,
    }),
  );
  const evaluation =
    options.truth !== undefined
      ? evaluateAnomalyScores(scored.scores, options.truth, { flagged: flags.isAnomaly })
      : null;
  return {
    kind: scored.kind,
    description: scored.description,
    scores: scored.scores,
    clusters: scored.clusters,
    flags,
    anomalies,
    evaluation,
  };
}
