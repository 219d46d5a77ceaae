import type { ModelJSON } from "@clusterlab/core";
import type { NormalizedAnalysisSpec } from "../spec/normalizeSpec.js";
import type { Table } from "../table.js";
import type { AnalysisModel } from "./analysisModel.js";
import type { ExternalMetrics, InternalMetrics } from "./scoreClustering.js";

/**
 * The label of a row that was not clustered: dropped for a missing value (imputation "drop"),
 * removed as an outlier, or not predictable. Noise is -1; clusters are 0, 1, ...
 */
export const UNASSIGNED = -2;

/** The metrics of a run, on the rows the model was fitted on (noise excluded from internal metrics). */
export interface RunMetrics extends InternalMetrics {
  /** Within-cluster sum of squares (k-means family, k-medoids: the sum of distances to the medoids). */
  inertia?: number;
  /** Bayesian and Akaike information criteria (gmm; lower is better). */
  bic?: number;
  aic?: number;
  /** Final cost (kmodes, kprototypes). */
  cost?: number;
  /** Agreement with the target column, when the spec names one. */
  external?: ExternalMetrics | null;
}

/** The held-out evaluation of a run with a `split`. */
export interface TestEvaluation {
  /** Rows held out (table rows, ascending). */
  rows: Int32Array;
  /** Labels predicted for the held-out rows by the model fitted on the training rows. */
  predicted: Int32Array;
  /** Internal metrics of the predicted labels on the held-out rows. */
  metrics: InternalMetrics & { external?: ExternalMetrics | null };
  /** Labels of the same spec refitted on the held-out rows alone. */
  refitLabels: Int32Array;
  /** Adjusted Rand index between `predicted` and `refitLabels` (1: the model generalises). */
  adjustedRandWithRefit: number;
  /** Clusters of the refit. */
  refitNClusters: number;
}

/** Wall-clock seconds of each phase of a run. */
export interface RunTimings {
  /** Reading the input table. */
  readSeconds: number;
  /** Column roles, missing values, split, outlier pass. */
  prepareSeconds: number;
  /** Fitting the pipeline (preprocessing + algorithm). */
  fitSeconds: number;
  /** Internal and external metrics. */
  metricsSeconds: number;
  /** Held-out evaluation (0 without a split). */
  testSeconds: number;
  /** Saving to the store (0 without one). */
  saveSeconds: number;
  totalSeconds: number;
}

/** Where the rows of the table went. */
export interface RowCounts {
  /** Rows in the input table. */
  total: number;
  /** Dropped for a missing value (imputation "drop"). */
  droppedMissing: number;
  /** Removed as outliers (IQR rule) from the fitting rows. */
  outliers: number;
  /** Rows the model was fitted on. */
  fitted: number;
  /** Rows held out (split). */
  test: number;
}

/** The outcome of `runSpec`. */
export interface RunResult {
  /** Id of the saved run (when `runSpec` was given a store). */
  runId: string | null;
  /** The normalised spec that was run (re-running it gives the same labels). */
  spec: NormalizedAnalysisSpec;
  /** Where the data was read from (absolute path, or the dataset's path). */
  source: string;
  /** The input table (as read; `labels` has one entry per row). */
  table: Table;
  /** One label per table row: cluster >= 0, noise -1, `UNASSIGNED` (-2) for rows not clustered. Held-out rows get their predicted cluster. */
  labels: Int32Array;
  /** Number of clusters of the model (noise not counted). */
  nClusters: number;
  /** Fitted rows per cluster (index = cluster). */
  clusterSizes: number[];
  /** Fitted rows labelled noise. */
  nNoise: number;
  rows: RowCounts;
  /** Feature columns by kind, and the names of the matrix the clusterer saw. */
  features: { numeric: string[]; categorical: string[]; unused: string[]; target: string | null; output: string[] };
  metrics: RunMetrics;
  /** Held-out evaluation, with a `split`. */
  test: TestEvaluation | null;
  /** The fitted pipeline as JSON (`modelFromJSON` restores it). */
  model: ModelJSON;
  /** The fitted analysis (pipeline + feature layout), for predicting new rows. */
  analysis: AnalysisModel;
  timings: RunTimings;
  /** Everything worth knowing that did not stop the run (estimator warnings, left-out columns, ...). */
  warnings: string[];
}

/** The labels as a column for `writeTable`: `UNASSIGNED` becomes null. */
export function clusterColumn(labels: Int32Array): (number | null)[] | Int32Array {
  if (!labels.includes(UNASSIGNED)) return labels;
  return Array.from(labels, (l) => (l === UNASSIGNED ? null : l));
}
