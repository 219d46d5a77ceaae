/**
 * The JSON shapes of Clusterlab's HTTP API, shared by the server and the dashboard. Types only,
 * with no imports, so the dashboard (compiled with DOM typings) can import them too.
 */

/** Error body of every 4xx/5xx answer: one line for the user, naming the field at fault. */
export interface ApiError {
  error: string;
}

/** `GET /api/config`: what the page needs to know before the first request. */
export interface ServerConfig {
  version: string;
  /** Largest accepted upload, in MB. */
  maxUploadMb: number;
  /** The dataset the page opens on (`--open-dataset`), or null. */
  openDataset: string | null;
  /** Largest number of rows agglomerative clustering accepts (its memory grows with n^2). */
  agglomerativeMaxRows: number;
}

export type DatasetKind = "sample" | "upload";

/** One entry of `GET /api/datasets`. */
export interface DatasetSummary {
  /** Stable id: the sample's name (`iris`) or a generated id for an upload (`u-...`). */
  id: string;
  /** Display name: the sample's or the uploaded file's name (never used as a path). */
  name: string;
  kind: DatasetKind;
  format: "csv" | "tsv" | "parquet" | "json" | "ndjson";
  sizeBytes: number;
  /** ISO time of the upload (uploads only). */
  createdAt?: string;
}

export interface DatasetList {
  datasets: DatasetSummary[];
}

/** One column of `GET /api/datasets/:id`. */
export interface ColumnInfo {
  name: string;
  /** DuckDB type, e.g. `DOUBLE`, `BIGINT`, `VARCHAR`. */
  type: string;
  numeric: boolean;
  /** Missing (NULL/NaN) values. */
  missing: number;
  /** Whether the dashboard ticks it by default: numeric and not target- or id-like (`target`, `id`, `year`...). */
  suggested: boolean;
}

/** `GET /api/datasets/:id`. */
export interface DatasetDetail extends DatasetSummary {
  nRows: number;
  columns: ColumnInfo[];
  /** The first rows, as JSON values (numbers, strings, null). */
  preview: (string | number | null)[][];
}

/** `POST /api/datasets` answer. */
export interface UploadResult {
  dataset: DatasetDetail;
}

export const SCALINGS = ["standard", "minmax", "robust", "none"] as const;
export type Scaling = (typeof SCALINGS)[number];

export const ALGORITHMS = ["kmeans", "minibatch-kmeans", "bisecting-kmeans", "gmm", "agglomerative"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const LINKAGES = ["ward", "complete", "average", "single"] as const;
export type Linkage = (typeof LINKAGES)[number];

export const COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"] as const;
export type CovarianceTypeName = (typeof COVARIANCE_TYPES)[number];

/** Algorithm parameters of `POST /api/cluster`. */
export interface ClusterParams {
  /** Number of clusters (2..50). Default 3. */
  k?: number;
  /** Agglomerative linkage. Default "ward". */
  linkage?: Linkage;
  /** Gaussian mixture covariance type. Default "full". */
  covarianceType?: CovarianceTypeName;
}

/** Which rows and columns to use and how to scale them (shared by cluster and sweep requests). */
export interface FeatureRequest {
  dataset: string;
  /** Numeric feature columns, in order. */
  columns: string[];
  /** Default "standard". */
  scaling?: Scaling;
  /** Drop rows with a missing value in a used column (default true); otherwise such a row is an error. */
  dropMissing?: boolean;
  /** Seed of every random choice (initialisations, samples). Default 0. */
  seed?: number;
}

/** `POST /api/cluster` body. */
export interface ClusterRequest extends FeatureRequest {
  algorithm: Algorithm;
  params?: ClusterParams;
}

export interface ClusterMetricsResult {
  /** Mean silhouette (exact up to 10,000 rows, else on a seeded 10,000-row sample); null when undefined. */
  silhouette: number | null;
  calinskiHarabasz: number | null;
  daviesBouldin: number | null;
  /** Within-cluster sum of squares (k-means family only). */
  inertia: number | null;
  /** Bayesian information criterion (Gaussian mixture only). */
  bic: number | null;
}

/** The 2-D PCA view of the scaled data. */
export interface ProjectionResult {
  /** Share of the variance on each axis. */
  explainedVarianceRatio: number[];
  /** Displayed points (all rows, or a seeded sample of `maxPoints`). */
  x: number[];
  y: number[];
  /** Cluster of each displayed point. */
  label: number[];
  /** 0-based row of each displayed point in the file. */
  row: number[];
  /** Raw values of the feature columns for each displayed point (for the hover). */
  values: number[][];
  /** True when the points are a sample of the rows. */
  sampled: boolean;
  /** Cluster means (of the scaled data) projected, one per cluster (null for an empty cluster). */
  centroids: { x: (number | null)[]; y: (number | null)[] };
}

/** Silhouette values per cluster, sorted in decreasing order, for the classic silhouette plot. */
export interface SilhouettePlotResult {
  /** Rows the values were computed on (all rows, or a seeded sample). */
  sampleSize: number;
  perCluster: number[][];
  /** Mean silhouette of each cluster (null when it has no sampled member). */
  clusterMeans: (number | null)[];
}

/** Feature means per cluster, raw and standardised ((mean - overall mean) / overall std). */
export interface ProfileResult {
  columns: string[];
  means: number[][];
  z: number[][];
  overallMean: number[];
  overallStd: number[];
}

/** A dendrogram of the last merges (scipy's truncate_mode="lastp", p = 30), coloured by cluster. */
export interface DendrogramResult {
  /** x of each link (left, left, right, right); leaf i sits at 5 + 10 i. */
  icoord: number[][];
  /** Heights of each link. */
  dcoord: number[][];
  /** Leaf labels: a row number, or "(size)" for a collapsed subtree. */
  ivl: string[];
  /** Cluster of each leaf. */
  leafClusters: number[];
  /** Cluster of each link, or -1 for links above the cut. */
  linkClusters: number[];
  /** Height at which the tree is cut into k clusters. */
  cutHeight: number;
}

/** `POST /api/cluster` answer. */
export interface ClusterResult {
  /** Id for `GET /api/runs/:id/labelled.csv`. */
  runId: string;
  dataset: string;
  algorithm: Algorithm;
  scaling: Scaling;
  params: Required<ClusterParams>;
  seed: number;
  columns: string[];
  /** Rows clustered (after dropping rows with missing values). */
  nRows: number;
  rowsDropped: number;
  /** Number of clusters. */
  k: number;
  /** Rows per cluster. */
  sizes: number[];
  /** Cluster of each clustered row, in file order. */
  labels: number[];
  metrics: ClusterMetricsResult;
  projection: ProjectionResult;
  silhouette: SilhouettePlotResult | null;
  profile: ProfileResult;
  dendrogram: DendrogramResult | null;
  warnings: string[];
  /** Seconds spent fitting and on the whole request. */
  timings: { fitSeconds: number; totalSeconds: number };
}

/** `POST /api/sweep` body. */
export interface SweepRequest extends FeatureRequest {
  /** Smallest k (>= 2). Default 2. */
  kMin?: number;
  /** Largest k (<= 20). Default 12 (lowered to the number of rows). */
  kMax?: number;
}

/** `POST /api/sweep` answer: k-means scores per k and the suggestion of `chooseK`. */
export interface SweepResult {
  ks: number[];
  inertia: number[];
  silhouette: (number | null)[];
  calinskiHarabasz: (number | null)[];
  daviesBouldin: (number | null)[];
  /** Elbow of the inertia curve (Kneedle), or null. */
  elbow: number | null;
  suggestion: { k: number; by: "silhouette" | "elbow" | "fallback"; reason: string };
  nRows: number;
  rowsDropped: number;
}
