/**
 * The JSON shapes of Clusterlab's HTTP API, shared by the server and the dashboard. Types and
 * constant lists only, with type-only imports (the results the charts draw are @clusterlab/charts'
 * types, re-exported here), so the dashboard (compiled with DOM typings) can import them too.
 */

import type {
  ClustermapNormalization,
  CondensedTreeResult,
  CovarianceTypeName,
  DendrogramResult,
  ProfileResult,
  ProjectionResult,
  ReachabilityResult,
  SilhouettePlotResult,
} from "@clusterlab/charts";
import type { PreprocessRequest } from "./apiData.js";

// The results the charts draw are defined by @clusterlab/charts (its inputs); re-exported here so
// that every API shape is still importable from this file.
export type {
  BicSweepResult,
  ClustermapNormalization,
  ClustermapResult,
  CondensedClusterResult,
  CondensedTreeResult,
  CovarianceTypeName,
  DendrogramLinks,
  DendrogramResult,
  ProfileResult,
  ProjectionResult,
  ReachabilityResult,
  SilhouettePlotResult,
  SweepResult,
} from "@clusterlab/charts";
export type { PreprocessRequest } from "./apiData.js";

/**
 * A constant list's type when it names every member of the union `U` (else `never`, so the list
 * does not compile): keeps the lists below in step with the union types @clusterlab/charts defines.
 */
export type EveryMember<U, L extends readonly unknown[]> = [U] extends [L[number]] ? L : never;

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

const covarianceTypes = ["full", "tied", "diag", "spherical"] as const satisfies readonly CovarianceTypeName[];
export const COVARIANCE_TYPES: EveryMember<CovarianceTypeName, typeof covarianceTypes> = covarianceTypes;

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

/** `POST /api/sweep/bic` body: Gaussian mixtures for each k. */
export interface BicSweepRequest extends FeatureRequest {
  kMin?: number;
  kMax?: number;
  /** Default "full". */
  covarianceType?: CovarianceTypeName;
}

const clustermapNormalizations = [
  "none",
  "z-score-columns",
  "z-score-rows",
  "standard-scale-columns",
  "standard-scale-rows",
] as const satisfies readonly ClustermapNormalization[];
/** How the clustermap's values are normalised (seaborn's clustermap; see `ClustermapNormalization`). */
export const CLUSTERMAP_NORMALIZATIONS: EveryMember<ClustermapNormalization, typeof clustermapNormalizations> =
  clustermapNormalizations;

/** `POST /api/clustermap` body. */
export interface ClustermapRequest extends FeatureRequest {
  /** Default "none". */
  normalization?: ClustermapNormalization;
  /** Most rows drawn (a seeded sample above). Default 2,000, at most 5,000. */
  maxRows?: number;
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
