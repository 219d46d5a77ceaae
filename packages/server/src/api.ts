/**
 * The JSON shapes of Clusterlab's HTTP API, shared by the server and the dashboard. Types only,
 * with no imports, so the dashboard (compiled with DOM typings) can import them too.
 */

import type { PreprocessRequest } from "./apiData.js";

export type { PreprocessRequest } from "./apiData.js";

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
  /** Largest number of rows agglomerative clustering accepts (ward and single linkage; see `rowLimits`). */
  agglomerativeMaxRows: number;
  /**
   * Most rows each algorithm accepts, where it is limited (time or memory grow with n^2); for
   * agglomerative clustering, per linkage (`agglomerative-ward`, ...).
   */
  rowLimits: Record<string, number>;
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

export const ALGORITHMS = [
  "kmeans",
  "minibatch-kmeans",
  "bisecting-kmeans",
  "kmedoids",
  "gmm",
  "agglomerative",
  "dbscan",
  "optics",
  "hdbscan",
  "meanshift",
  "affinity-propagation",
  "spectral",
  "birch",
] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Algorithms whose number of clusters is the parameter `k`. */
export const K_ALGORITHMS: readonly Algorithm[] = [
  "kmeans",
  "minibatch-kmeans",
  "bisecting-kmeans",
  "kmedoids",
  "gmm",
  "agglomerative",
  "spectral",
  "birch",
];

/** Algorithms that can leave rows unassigned (label -1, "noise"). */
export const NOISE_ALGORITHMS: readonly Algorithm[] = ["dbscan", "optics", "hdbscan"];

export const LINKAGES = ["ward", "complete", "average", "single"] as const;
export type Linkage = (typeof LINKAGES)[number];

export const COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"] as const;
export type CovarianceTypeName = (typeof COVARIANCE_TYPES)[number];

/** Distances of the algorithms that take a `metric` (agglomerative except ward, k-medoids, DBSCAN, OPTICS, HDBSCAN). */
export const METRICS = ["euclidean", "manhattan", "cosine"] as const;
export type MetricName = (typeof METRICS)[number];

/** HDBSCAN's flat clustering: excess of mass, the leaves, or a DBSCAN* cut of its tree at `eps`. */
export const CLUSTER_SELECTION_METHODS = ["eom", "leaf", "dbscan"] as const;
export type ClusterSelectionMethodName = (typeof CLUSTER_SELECTION_METHODS)[number];

export const SPECTRAL_AFFINITIES = ["rbf", "nearestNeighbors"] as const;
export type SpectralAffinityName = (typeof SPECTRAL_AFFINITIES)[number];

/**
 * Algorithm parameters of `POST /api/cluster`. Each algorithm reads its own (see `ALGORITHM_PARAMS`);
 * the others are accepted and ignored, so a client can send one settings object for every algorithm.
 */
export interface ClusterParams {
  /** Number of clusters (2..50). Default 3. k-means family, k-medoids, mixture, agglomerative, spectral, BIRCH. */
  k?: number;
  /** Agglomerative linkage. Default "ward". */
  linkage?: Linkage;
  /**
   * Agglomerative: cut the tree at this height instead of into k clusters (merges at or above it are
   * undone, as scikit-learn's `distance_threshold`). Default null (cut into k).
   */
  distanceThreshold?: number | null;
  /** Gaussian mixture covariance type. Default "full". */
  covarianceType?: CovarianceTypeName;
  /** Distance. Default "euclidean"; ward linkage takes only "euclidean". */
  metric?: MetricName;
  /**
   * DBSCAN radius (on the scaled features), or HDBSCAN's DBSCAN* cut distance with
   * `clusterSelectionMethod: "dbscan"`. Default null: the knee of the sorted core distances.
   */
  eps?: number | null;
  /** Neighbourhood size of a core point, itself included (DBSCAN, OPTICS, HDBSCAN). Default 5. */
  minSamples?: number;
  /** Smallest cluster (HDBSCAN, OPTICS xi). Default 5 for HDBSCAN; null means `minSamples` for OPTICS. */
  minClusterSize?: number | null;
  /** HDBSCAN: "eom" (default), "leaf", or "dbscan" (flat cut at `eps`). */
  clusterSelectionMethod?: ClusterSelectionMethodName;
  /** OPTICS steepness in [0, 1). Default 0.05. */
  xi?: number;
  /** Affinity propagation damping in [0.5, 1). Default 0.5. */
  damping?: number;
  /** Mean shift kernel bandwidth (scaled features). Default null: estimated from the data. */
  bandwidth?: number | null;
  /** BIRCH subcluster radius threshold. Default 0.5. */
  threshold?: number;
  /** BIRCH branching factor (2..1000). Default 50. */
  branchingFactor?: number;
  /** Spectral clustering affinity. Default "rbf". */
  affinity?: SpectralAffinityName;
  /** Spectral clustering neighbours for `affinity: "nearestNeighbors"`. Default 10. */
  nNeighbors?: number;
  /** Mini-batch k-means batch size. Default 1024. */
  batchSize?: number;
}

/** The parameters each algorithm reads (the rest of `ClusterParams` is ignored for it). */
export const ALGORITHM_PARAMS: Record<Algorithm, readonly (keyof ClusterParams)[]> = {
  kmeans: ["k"],
  "minibatch-kmeans": ["k", "batchSize"],
  "bisecting-kmeans": ["k"],
  kmedoids: ["k", "metric"],
  gmm: ["k", "covarianceType"],
  agglomerative: ["k", "linkage", "metric", "distanceThreshold"],
  dbscan: ["eps", "minSamples", "metric"],
  optics: ["minSamples", "xi", "minClusterSize", "metric"],
  hdbscan: ["minClusterSize", "minSamples", "clusterSelectionMethod", "eps", "metric"],
  meanshift: ["bandwidth"],
  "affinity-propagation": ["damping"],
  spectral: ["k", "affinity", "nNeighbors"],
  birch: ["k", "threshold", "branchingFactor"],
};

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
  /**
   * A client-chosen id (6 to 64 letters, digits, `_` or `-`) under which the request's progress can
   * be read (`GET /api/jobs/:id`) and the request cancelled (`DELETE /api/jobs/:id`) while it runs.
   */
  jobId?: string;
  /**
   * Imputation, categorical encoding, transform, outlier removal and PCA (see `PreprocessRequest` in
   * `apiData.ts`). Without it the features are prepared as they always were.
   */
  preprocess?: PreprocessRequest;
}

/** `POST /api/cluster` body. */
export interface ClusterRequest extends FeatureRequest {
  algorithm: Algorithm;
  params?: ClusterParams;
  /**
   * The `projection.geometryId` of an earlier answer on the same features: when it still matches, the
   * answer leaves out the point coordinates and values (`projection.x`, `y`, `row`, `values` are
   * empty) and the client reuses its copy. Labels and centroids are always sent.
   */
  geometryId?: string;
}

export interface ClusterMetricsResult {
  /**
   * Mean silhouette (exact up to 5,000 clustered rows, else on a seeded 5,000-row sample); noise rows
   * are left out of every metric; null when undefined.
   */
  silhouette: number | null;
  calinskiHarabasz: number | null;
  daviesBouldin: number | null;
  /** Within-cluster sum of squares (k-means family and k-medoids). */
  inertia: number | null;
  /** Bayesian information criterion (Gaussian mixture only). */
  bic: number | null;
}

/** The 2-D PCA view of the scaled data. */
export interface ProjectionResult {
  /** Identifies the displayed points (features, scaling and sample); see `ClusterRequest.geometryId`. */
  geometryId: string;
  /** True when x, y, row and values were left out because the client already has them. */
  geometryOmitted: boolean;
  /** Share of the variance on each axis. */
  explainedVarianceRatio: number[];
  /** Displayed points (all rows, or a seeded sample of 20,000). */
  x: number[];
  y: number[];
  /** Cluster of each displayed point (-1: noise). */
  label: number[];
  /** HDBSCAN membership strength or Gaussian mixture responsibility of each displayed point, in [0, 1]; else null. */
  probability: number[] | null;
  /** 0-based row of each displayed point in the file. */
  row: number[];
  /** Raw values of the feature columns for each displayed point (for the hover and the lasso). */
  values: number[][];
  /** True when the points are a sample of the rows. */
  sampled: boolean;
  /** Cluster means (of the scaled data) projected, one per cluster (null for an empty cluster). */
  centroids: { x: (number | null)[]; y: (number | null)[] };
}

/** Silhouette values per cluster, sorted in decreasing order, for the classic silhouette plot. */
export interface SilhouettePlotResult {
  /** Rows the values were computed on (all clustered rows, or a seeded sample). */
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
  /** Height at which the tree is cut (between two merges when cut into k; the threshold when cut at a height). */
  cutHeight: number;
  /** How the tree was cut: into `k` clusters or at `distanceThreshold`. */
  cutBy: "k" | "height";
  /**
   * Heights of the highest merges, decreasing (at most 60): cutting at a height h gives
   * 1 + (number of these >= h) clusters, so a client can show the k of a cut while it is dragged.
   */
  topHeights: number[];
}

/** OPTICS reachability plot (DBSCAN and OPTICS): reachability distances in the OPTICS ordering. */
export interface ReachabilityResult {
  /**
   * Reachability of each bar, in the ordering (null: infinite, the start of a region). Above 4,000
   * rows, each bar is a block of `binSize` consecutive rows and shows their largest reachability.
   */
  reachability: (number | null)[];
  /** Cluster of each bar (the most common cluster of its block; -1: noise). */
  labels: number[];
  /** Rows per bar (1 when not binned). */
  binSize: number;
  /** eps of the DBSCAN cut (DBSCAN only), else null. */
  eps: number | null;
  /** Useful eps range for a slider: [min, max] (max is the largest eps precomputed, see `maxEps`). */
  epsRange: [number, number];
  /** Suggested eps: the knee of the sorted core distances. */
  suggestedEps: number;
  /** Largest neighbourhood radius of the OPTICS run (null: unbounded); eps may not exceed it. */
  maxEps: number | null;
  minSamples: number;
}

/** One cluster of the HDBSCAN condensed tree, drawn as an icicle. */
export interface CondensedClusterResult {
  /** Condensed-tree id (the root is n). */
  id: number;
  /** Parent id, or -1 for the root. */
  parent: number;
  /** Lambda (1 / distance) at which it appears and at which it splits or empties. */
  birth: number;
  death: number;
  /** Rows when it appears. */
  size: number;
  /** Stability (excess of mass). */
  stability: number;
  /** Its flat cluster when selected, else -1. */
  label: number;
  /** Outline of the icicle: x (centred on the cluster's slot) and lambda, a closed polygon. */
  polygonX: number[];
  polygonY: number[];
  /** x centre. */
  x: number;
}

/** HDBSCAN condensed tree for an icicle plot (lambda grows downwards). */
export interface CondensedTreeResult {
  clusters: CondensedClusterResult[];
  /** Largest finite lambda shown (infinite lambdas are drawn at this value). */
  maxLambda: number;
  /** Total width (rows). */
  width: number;
  /** True when only the largest clusters are drawn (at most 300). */
  truncated: boolean;
  /** Useful range of the DBSCAN* cut distance (the tree's merge heights), and a suggestion. */
  cutRange: [number, number];
  suggestedCut: number;
  /** The cut distance used (`clusterSelectionMethod: "dbscan"`), else null. */
  cut: number | null;
}

/** `POST /api/cluster` answer. */
export interface ClusterResult {
  /** Id for `GET /api/runs/:id/labelled.csv`. */
  runId: string;
  /** The job id of the request (the one sent, or a generated one). */
  jobId: string;
  dataset: string;
  algorithm: Algorithm;
  scaling: Scaling;
  /** The parameters the algorithm used, defaults filled in (only the algorithm's own, see `ALGORITHM_PARAMS`). */
  params: ClusterParams;
  seed: number;
  columns: string[];
  /** Rows clustered (after dropping rows with missing values). */
  nRows: number;
  rowsDropped: number;
  /** Number of clusters found (noise not counted). */
  k: number;
  /** Rows per cluster (noise not counted). */
  sizes: number[];
  /** Rows labelled noise (-1). */
  nNoise: number;
  /** Cluster of each clustered row, in file order (-1: noise). */
  labels: number[];
  metrics: ClusterMetricsResult;
  projection: ProjectionResult;
  silhouette: SilhouettePlotResult | null;
  profile: ProfileResult;
  dendrogram: DendrogramResult | null;
  reachability: ReachabilityResult | null;
  condensedTree: CondensedTreeResult | null;
  warnings: string[];
  /**
   * Seconds spent fitting (0 when the labels came from a precomputed structure), on the views, and on
   * the whole request; `precomputed` says whether the labels were read off a cached k sweep, linkage
   * tree, OPTICS ordering, HDBSCAN hierarchy or earlier fit.
   */
  timings: { fitSeconds: number; viewSeconds: number; totalSeconds: number; precomputed: boolean };
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

/** `POST /api/sweep/bic` body: Gaussian mixtures for each k. */
export interface BicSweepRequest extends FeatureRequest {
  kMin?: number;
  kMax?: number;
  /** Default "full". */
  covarianceType?: CovarianceTypeName;
}

/** `POST /api/sweep/bic` answer: the BIC of a Gaussian mixture per k (lower is better). */
export interface BicSweepResult {
  ks: number[];
  bic: (number | null)[];
  /** The k with the lowest BIC. */
  best: number;
  covarianceType: CovarianceTypeName;
  nRows: number;
  rowsDropped: number;
}

export const CLUSTERMAP_NORMALIZATIONS = [
  "none",
  "z-score-columns",
  "z-score-rows",
  "standard-scale-columns",
  "standard-scale-rows",
] as const;
/**
 * How the clustermap's values are normalised after the scaling, as seaborn's clustermap: z-score
 * (subtract the mean, divide by the standard deviation) or standard-scale (subtract the minimum,
 * divide by the range) of each column or each row.
 */
export type ClustermapNormalization = (typeof CLUSTERMAP_NORMALIZATIONS)[number];

/** `POST /api/clustermap` body. */
export interface ClustermapRequest extends FeatureRequest {
  /** Default "none". */
  normalization?: ClustermapNormalization;
  /** Most rows drawn (a seeded sample above). Default 2,000, at most 5,000. */
  maxRows?: number;
}

/** A dendrogram's link coordinates (scipy's icoord/dcoord; leaf i at 5 + 10 i). */
export interface DendrogramLinks {
  icoord: number[][];
  dcoord: number[][];
}

/** `POST /api/clustermap` answer: the heatmap with its row and column dendrograms (average linkage, Euclidean). */
export interface ClustermapResult {
  /** Feature columns in dendrogram order. */
  columns: string[];
  /** Index, among the clustered rows (`ClusterResult.labels`), of each heatmap row, in dendrogram order. */
  rowIndex: number[];
  /** 0-based file row of each heatmap row. */
  fileRow: number[];
  /** Values, rows x columns, in dendrogram order. */
  values: number[][];
  rowDendrogram: DendrogramLinks;
  /** Null with a single column. */
  columnDendrogram: DendrogramLinks | null;
  normalization: ClustermapNormalization;
  /** True when the rows are a sample. */
  sampled: boolean;
  nRows: number;
}

export type JobState = "running" | "done" | "failed" | "cancelled";

/** `GET /api/jobs/:id`: where a request stands. */
export interface JobStatus {
  id: string;
  /** "cluster", "sweep", "bic-sweep" or "clustermap". */
  kind: string;
  state: JobState;
  /** What it is doing, e.g. "k-means for k = 5 (4 of 11)". */
  message: string;
  /** Share done in [0, 1], or null when unknown. */
  progress: number | null;
  elapsedSeconds: number;
  /** The error message of a failed or cancelled job. */
  error?: string;
}

/** `GET /api/jobs`: the running jobs and the last finished ones. */
export interface JobList {
  jobs: JobStatus[];
}
