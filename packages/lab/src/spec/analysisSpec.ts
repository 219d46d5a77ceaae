/**
 * The declarative analysis spec, format version 1: what to read, which columns are features, how
 * to preprocess them and which clustering algorithm to run with which parameters.
 *
 * These interfaces are the source of truth: `npm run schema` generates
 * `packages/lab/schema/analysis-spec.schema.json` from them (descriptions and defaults come from
 * the comments), `validateSpec` checks any JSON against that schema, and `normalizeSpec` writes
 * every default out so that a saved run is fully explicit. Parameter names, choices and defaults
 * are those of the `@clusterlab/core` estimators' options (which follow scikit-learn, and the
 * `kmodes` package for k-modes and k-prototypes); options that only make sense in code (loggers,
 * callbacks, explicit initial centres) are left out, and `null` stands for "computed from the data"
 * where core leaves an option undefined.
 *
 * Keep this file free of imports other than types that the schema generator can follow, and of
 * anything that is not part of the JSON format.
 */

import type { ColumnRole } from "../schema/columnRole.js";

/** An analysis: data, columns, preprocessing, algorithm. */
export interface AnalysisSpec {
  /** Format version of the spec. Always 1. */
  version: 1;
  /** The input table. */
  data: DataSpec;
  /**
   * Column roles and the choice of feature columns.
   * @default {}
   */
  columns?: ColumnsSpec;
  /**
   * How the features are prepared before clustering, in this order: imputation, transform, outlier
   * removal, scaling, encoding of categorical features, PCA.
   * @default {}
   */
  preprocessing?: PreprocessingSpec;
  /** The clustering algorithm and its parameters. */
  algorithm: AlgorithmSpec;
  /**
   * Seed of every random choice of the run (initialisation, sampling, split).
   * @asType integer
   * @minimum 0
   * @default 0
   */
  seed?: number;
  /**
   * Hold rows out to check how stable the clustering is on unseen data: `"none"`, or a random split.
   * @default "none"
   */
  split?: SplitSpec;
}

/** Where the rows come from: a file, or a dataset of the Clusterlab store. */
export type DataSpec = FileDataSpec | DatasetDataSpec;

/** File formats of the input table (`arrow`: Arrow IPC; `duckdb`: a table of a DuckDB database file). */
export type DataFormat = "csv" | "tsv" | "parquet" | "json" | "ndjson" | "arrow" | "duckdb";

/** Rows read from a file (CSV, TSV, Parquet, JSON, NDJSON, Arrow IPC, a DuckDB database table). */
export interface FileDataSpec {
  /**
   * Path of the file, absolute or relative to the directory the analysis runs in.
   * @minLength 1
   */
  path: string;
  /**
   * File format. Default: from the extension of `path` (`.csv`, `.tsv`, `.txt`, `.parquet`, `.pq`,
   * `.json`, `.ndjson`, `.jsonl`, `.arrow`, `.feather`, `.ipc`, `.arrows`, `.duckdb`, `.ddb`; a
   * trailing `.gz` or `.zst` is ignored); `normalizeSpec` writes it out.
   */
  format?: DataFormat;
  /**
   * Field delimiter of a delimited text file (`"\t"` for tab, `"auto"` to let DuckDB sniff it).
   * Default: `","` for csv, tab for tsv, `"auto"` for a `.txt` file read as csv. Not allowed for
   * other formats.
   * @minLength 1
   */
  delimiter?: string;
  /**
   * Whether the first line of a delimited text file holds the column names.
   * @default true
   */
  header?: boolean;
  /**
   * Text encoding of a delimited text file: `"utf-8"`, `"latin-1"`, `"windows-1252"`, `"utf-16"`,
   * `"utf-16le"`, `"utf-16be"` or another WHATWG encoding label. A UTF-16 byte-order mark wins; a
   * UTF-8 one is skipped. Not allowed for other formats. Default: UTF-8.
   * @minLength 1
   */
  encoding?: string;
  /**
   * The table (or view) of a DuckDB database file, `name` or `schema.name`. Default: the file's
   * only table. Only for the `duckdb` format.
   * @minLength 1
   */
  table?: string;
}

/** Rows of a dataset registered in the Clusterlab store. */
export interface DatasetDataSpec {
  /**
   * Id of the dataset.
   * @minLength 1
   */
  dataset: string;
}

/** Column roles and the feature selection. */
export interface ColumnsSpec {
  /**
   * Roles by column name, replacing the inferred ones (see `inferSchema`): `"numeric"`,
   * `"categorical"`, `"datetime"`, `"text"`, `"identifier"`, `"target"` or `"constant"`. Only
   * numeric and categorical columns are features.
   * @default {}
   */
  roles?: Record<string, ColumnRole>;
  /**
   * The feature columns, in this order; null uses every column whose role is numeric or categorical.
   * @uniqueItems true
   * @default null
   */
  include?: string[] | null;
  /**
   * Columns to leave out of the features (applied after `include`).
   * @uniqueItems true
   * @default []
   */
  exclude?: string[];
  /**
   * The target column: kept out of the features and used to evaluate the clustering (role `"target"`).
   * @default null
   */
  target?: string | null;
}

/** Missing-value handling for numeric features. */
export type NumericImputation = "mean" | "median" | "constant" | "drop" | "error";
/** Missing-value handling for categorical features. */
export type CategoricalImputation = "mostFrequent" | "constant" | "drop" | "error";
/** How categorical features become numbers. */
export type EncodingMethod = "onehot" | "ordinal" | "none";
/** Per-feature scaling of the numeric features. */
export type ScalingMethod = "standard" | "minmax" | "robust" | "maxabs" | "none";
/** A transform of the numeric features, applied before scaling. */
export type TransformMethod = "none" | "log1p" | "yeoJohnson";

/** Feature preparation. */
export interface PreprocessingSpec {
  /**
   * What to do with missing values, per type of feature.
   * @default {}
   */
  imputation?: ImputationSpec;
  /**
   * Encoding of categorical features: `"onehot"` (one 0/1 column per category), `"ordinal"`
   * (category index), `"none"` (categorical features are left out, except for algorithms that take
   * categories directly: kmodes, kprototypes).
   * @default "onehot"
   */
  encoding?: EncodingMethod;
  /**
   * Scaling of numeric features: `"standard"` (zero mean, unit variance), `"minmax"` (to [0, 1]),
   * `"robust"` (median and interquartile range), `"maxabs"` (to [-1, 1]), `"none"`.
   * @default "standard"
   */
  scaling?: ScalingMethod;
  /**
   * Transform of numeric features before outlier removal and scaling: `"none"`, `"log1p"`
   * (`log(1 + x)`, for counts and amounts; needs x > -1), `"yeoJohnson"` (a power transform that
   * makes each feature more Gaussian; any sign).
   * @default "none"
   */
  transform?: TransformMethod;
  /**
   * Principal component analysis after scaling: `"none"`, a number of components, or the share of
   * variance to keep.
   * @default "none"
   */
  pca?: PcaSpec;
  /**
   * Rows removed as outliers before clustering (they get no cluster): `"none"` or a rule.
   * @default "none"
   */
  outliers?: OutlierSpec;
}

/** Missing-value handling. */
export interface ImputationSpec {
  /**
   * Numeric features: replace missing values by the feature's `"mean"` or `"median"` or by
   * `numericFillValue` (`"constant"`), `"drop"` the rows, or stop with an `"error"`.
   * @default "mean"
   */
  numeric?: NumericImputation;
  /**
   * The value used by `numeric: "constant"`.
   * @default 0
   */
  numericFillValue?: number;
  /**
   * Categorical features: replace missing values by the most frequent category or by
   * `categoricalFillValue` (`"constant"`), `"drop"` the rows, or stop with an `"error"`.
   * @default "mostFrequent"
   */
  categorical?: CategoricalImputation;
  /**
   * The value used by `categorical: "constant"`.
   * @default "missing"
   */
  categoricalFillValue?: string;
}

/** PCA after scaling. */
export type PcaSpec = "none" | PcaComponentsSpec | PcaVarianceSpec;

/** Keep a fixed number of principal components. */
export interface PcaComponentsSpec {
  /**
   * Number of components (at most the number of features).
   * @asType integer
   * @minimum 1
   */
  nComponents: number;
}

/** Keep the fewest components whose cumulative explained-variance ratio exceeds a share. */
export interface PcaVarianceSpec {
  /**
   * Share of the variance to keep, in (0, 1).
   * @exclusiveMinimum 0
   * @exclusiveMaximum 1
   */
  varianceRatio: number;
}

/** Outlier removal. */
export type OutlierSpec = "none" | IqrOutlierSpec;

/**
 * Tukey's rule: a row is an outlier when a numeric feature lies outside
 * `[q25 - factor IQR, q75 + factor IQR]`.
 */
export interface IqrOutlierSpec {
  method: "iqr";
  /**
   * The IQR multiplier (1.5 is Tukey's "outlier", 3 "far out").
   * @exclusiveMinimum 0
   * @default 1.5
   */
  factor?: number;
}

/** A held-out split. */
export type SplitSpec = "none" | HoldoutSplitSpec;

/** A seeded random split into a fitting set and a test set. */
export interface HoldoutSplitSpec {
  /**
   * Share of the rows held out, in (0, 1).
   * @exclusiveMinimum 0
   * @exclusiveMaximum 1
   */
  testSize: number;
  /**
   * Seed of the split. Default: the spec's `seed`.
   * @asType integer
   * @minimum 0
   */
  seed?: number;
}

/** The clustering algorithm, by name, with its parameters. */
export type AlgorithmName = AlgorithmSpec["name"];

/**
 * The algorithm and its parameters; `name` decides which parameters are allowed.
 * @discriminator name
 */
export type AlgorithmSpec =
  | KMeansSpec
  | MiniBatchKMeansSpec
  | BisectingKMeansSpec
  | KMedoidsSpec
  | AgglomerativeSpec
  | DBSCANSpec
  | HDBSCANSpec
  | OPTICSSpec
  | GaussianMixtureSpec
  | MeanShiftSpec
  | AffinityPropagationSpec
  | SpectralSpec
  | BirchSpec
  | KModesSpec
  | KPrototypesSpec;

/** Distances for the neighbour-based algorithms. */
export type DistanceMetric = "euclidean" | "manhattan" | "cosine";

/** k-means (Lloyd or Elkan). */
export interface KMeansSpec {
  name: "kmeans";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: KMeansParams;
}

/** Parameters of k-means. */
export interface KMeansParams {
  /**
   * Number of clusters k.
   * @asType integer
   * @minimum 1
   * @default 8
   */
  nClusters?: number;
  /**
   * Initial centres: greedy `"k-means++"` or `"random"` rows.
   * @default "k-means++"
   */
  init?: "k-means++" | "random";
  /**
   * Runs from different initialisations; the lowest inertia wins. Default: 1 for k-means++, 10 for random.
   * @asType integer
   * @minimum 1
   */
  nInit?: number;
  /**
   * Maximum iterations per run.
   * @asType integer
   * @minimum 1
   * @default 300
   */
  maxIter?: number;
  /**
   * Convergence tolerance on the centre shift, relative to the mean feature variance.
   * @minimum 0
   * @default 0.0001
   */
  tol?: number;
  /**
   * `"lloyd"` or `"elkan"` (triangle-inequality bounds; same result).
   * @default "lloyd"
   */
  algorithm?: "lloyd" | "elkan";
}

/** Mini-batch k-means. */
export interface MiniBatchKMeansSpec {
  name: "minibatch-kmeans";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: MiniBatchKMeansParams;
}

/** Parameters of mini-batch k-means. */
export interface MiniBatchKMeansParams {
  /**
   * Number of clusters k.
   * @asType integer
   * @minimum 1
   * @default 8
   */
  nClusters?: number;
  /**
   * Initial centres: `"k-means++"` or `"random"` rows.
   * @default "k-means++"
   */
  init?: "k-means++" | "random";
  /**
   * Initialisations tried. Default: 1 for k-means++, 3 for random.
   * @asType integer
   * @minimum 1
   */
  nInit?: number;
  /**
   * Maximum passes over the data.
   * @asType integer
   * @minimum 1
   * @default 100
   */
  maxIter?: number;
  /**
   * Rows per mini-batch.
   * @asType integer
   * @minimum 1
   * @default 1024
   */
  batchSize?: number;
  /**
   * Early stopping on the centre change (0 disables it).
   * @minimum 0
   * @default 0
   */
  tol?: number;
  /**
   * Early stopping after this many steps without improvement of the smoothed inertia; null disables it.
   * @multipleOf 1
   * @minimum 0
   * @default 10
   */
  maxNoImprovement?: number | null;
  /**
   * Rows the initialisation runs on; null: 3 x batchSize (at least 3 x nClusters), capped at the rows.
   * @multipleOf 1
   * @minimum 1
   * @default null
   */
  initSize?: number | null;
  /**
   * Centres lighter than this share of the heaviest are moved to random rows (0 disables it).
   * @minimum 0
   * @default 0.01
   */
  reassignmentRatio?: number;
}

/** Bisecting k-means. */
export interface BisectingKMeansSpec {
  name: "bisecting-kmeans";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: BisectingKMeansParams;
}

/** Parameters of bisecting k-means. */
export interface BisectingKMeansParams {
  /**
   * Number of clusters k.
   * @asType integer
   * @minimum 1
   * @default 8
   */
  nClusters?: number;
  /**
   * Initial centres of each bisection.
   * @default "random"
   */
  init?: "k-means++" | "random";
  /**
   * 2-means runs per bisection.
   * @asType integer
   * @minimum 1
   * @default 1
   */
  nInit?: number;
  /**
   * Maximum iterations of each 2-means run.
   * @asType integer
   * @minimum 1
   * @default 300
   */
  maxIter?: number;
  /**
   * Tolerance of each 2-means run.
   * @minimum 0
   * @default 0.0001
   */
  tol?: number;
  /**
   * 2-means algorithm.
   * @default "lloyd"
   */
  algorithm?: "lloyd" | "elkan";
  /**
   * Which cluster to split next: the one with the largest inertia, or the largest one.
   * @default "biggestInertia"
   */
  bisectingStrategy?: "biggestInertia" | "largestCluster";
}

/** k-medoids: clusters around actual rows, for any distance. */
export interface KMedoidsSpec {
  name: "kmedoids";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: KMedoidsParams;
}

/** Parameters of k-medoids. */
export interface KMedoidsParams {
  /**
   * Number of clusters k.
   * @asType integer
   * @minimum 1
   * @default 8
   */
  nClusters?: number;
  /**
   * Dissimilarity between rows (`"cosine"` is 1 - cosine similarity).
   * @default "euclidean"
   */
  metric?: "euclidean" | "manhattan" | "cosine" | "sqeuclidean";
  /**
   * `"pam"` (swaps until no swap helps; better optima), `"alternate"` (k-means-like updates; faster) or
   * `"clara"` (PAM on random samples, scored on all rows; for large n, no n x n matrix).
   * @default "pam"
   */
  method?: "pam" | "alternate" | "clara";
  /**
   * Initial medoids: PAM's greedy `"build"` (deterministic), `"k-medoids++"` or `"random"` rows.
   * @default "build"
   */
  init?: "build" | "k-medoids++" | "random";
  /**
   * Maximum iterations.
   * @asType integer
   * @minimum 1
   * @default 300
   */
  maxIter?: number;
  /**
   * Refuse more rows than this (k-medoids needs all pairwise distances: O(n^2) time and memory).
   * Not applied with `"clara"`.
   * @asType integer
   * @minimum 1
   * @default 10000
   */
  maxSamples?: number;
  /**
   * `"clara"` only: number of random samples clustered.
   * @asType integer
   * @minimum 1
   * @default 5
   */
  nSamplings?: number;
  /**
   * `"clara"` only: rows per sample; null: 40 + 2 nClusters, capped at the number of rows.
   * @multipleOf 1
   * @minimum 1
   * @default null
   */
  samplingSize?: number | null;
}

/** Linkage criteria of agglomerative clustering. */
export type LinkageMethod = "ward" | "complete" | "average" | "single" | "weighted" | "centroid" | "median";

/** Agglomerative (hierarchical) clustering. */
export interface AgglomerativeSpec {
  name: "agglomerative";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: AgglomerativeParams;
}

/** Parameters of agglomerative clustering. */
export interface AgglomerativeParams {
  /**
   * Number of clusters to cut the tree into; null when cutting at `distanceThreshold`. Default: 2,
   * or null when `distanceThreshold` is set.
   * @multipleOf 1
   * @minimum 1
   */
  nClusters?: number | null;
  /**
   * Cut the tree at this merge height instead of a number of clusters.
   * @minimum 0
   * @default null
   */
  distanceThreshold?: number | null;
  /**
   * Merge criterion. ward, centroid and median need the euclidean metric.
   * @default "ward"
   */
  linkage?: LinkageMethod;
  /**
   * Distance between rows.
   * @default "euclidean"
   */
  metric?: DistanceMetric;
  /**
   * Only merge clusters joined in the k-nearest-neighbour graph with this k (ward, complete, average or
   * single linkage); null: no constraint.
   * @multipleOf 1
   * @minimum 1
   * @default null
   */
  connectivityNeighbors?: number | null;
}

/** Neighbour search of DBSCAN. */
export type DBSCANSearch = "auto" | "kdtree" | "grid" | "brute";

/** DBSCAN: density-based clusters and noise. */
export interface DBSCANSpec {
  name: "dbscan";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: DBSCANParams;
}

/** Parameters of DBSCAN. */
export interface DBSCANParams {
  /**
   * Neighbourhood radius (on the preprocessed features).
   * @exclusiveMinimum 0
   * @default 0.5
   */
  eps?: number;
  /**
   * Neighbours (the row included) that make a row a core point.
   * @asType integer
   * @minimum 1
   * @default 5
   */
  minSamples?: number;
  /**
   * Distance between rows.
   * @default "euclidean"
   */
  metric?: DistanceMetric;
  /**
   * Neighbour search (all give the same result).
   * @default "auto"
   */
  algorithm?: DBSCANSearch;
  /**
   * Leaf size of the k-d tree.
   * @asType integer
   * @minimum 1
   * @default 32
   */
  leafSize?: number;
}

/** HDBSCAN: hierarchical density-based clusters of varying density. */
export interface HDBSCANSpec {
  name: "hdbscan";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: HDBSCANParams;
}

/** Parameters of HDBSCAN. */
export interface HDBSCANParams {
  /**
   * Smallest group of rows that counts as a cluster.
   * @asType integer
   * @minimum 2
   * @default 5
   */
  minClusterSize?: number;
  /**
   * Neighbours for the core distance; null: `minClusterSize`.
   * @multipleOf 1
   * @minimum 1
   * @default null
   */
  minSamples?: number | null;
  /**
   * Clusters closer than this distance are merged.
   * @minimum 0
   * @default 0
   */
  clusterSelectionEpsilon?: number;
  /**
   * Largest cluster allowed; null: no limit.
   * @multipleOf 1
   * @minimum 1
   * @default null
   */
  maxClusterSize?: number | null;
  /**
   * Distance between rows.
   * @default "euclidean"
   */
  metric?: DistanceMetric;
  /**
   * Distance scaling of the robust single linkage.
   * @exclusiveMinimum 0
   * @default 1
   */
  alpha?: number;
  /**
   * `"eom"` (excess of mass: the most persistent clusters) or `"leaf"` (the finest clusters).
   * @default "eom"
   */
  clusterSelectionMethod?: "eom" | "leaf";
  /**
   * Allow the result to be a single cluster.
   * @default false
   */
  allowSingleCluster?: boolean;
  /**
   * Minimum spanning tree algorithm: `"prim"` (any metric), `"boruvka"` (k-d tree; euclidean or
   * manhattan, at most 15 features), `"auto"` (Boruvka where it applies on more than 4096 rows).
   * @default "auto"
   */
  algorithm?: "auto" | "prim" | "boruvka";
  /**
   * Leaf size of the k-d trees.
   * @asType integer
   * @minimum 1
   * @default 40
   */
  leafSize?: number;
}

/** OPTICS: a reachability ordering, cut into clusters. */
export interface OPTICSSpec {
  name: "optics";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: OPTICSParams;
}

/** Parameters of OPTICS. */
export interface OPTICSParams {
  /**
   * Neighbours (the row included) of a core point: an integer >= 2, or a share of the rows in (0, 1).
   * @exclusiveMinimum 0
   * @default 5
   */
  minSamples?: number;
  /**
   * Largest neighbourhood radius considered; null: no limit.
   * @minimum 0
   * @default null
   */
  maxEps?: number | null;
  /**
   * Distance between rows.
   * @default "euclidean"
   */
  metric?: DistanceMetric;
  /**
   * How clusters are extracted: `"xi"` (steep areas of the reachability plot) or `"dbscan"` (a cut at `eps`).
   * @default "xi"
   */
  clusterMethod?: "xi" | "dbscan";
  /**
   * Steepness threshold of `"xi"`, in [0, 1).
   * @minimum 0
   * @exclusiveMaximum 1
   * @default 0.05
   */
  xi?: number;
  /**
   * Predecessor correction of `"xi"`.
   * @default true
   */
  predecessorCorrection?: boolean;
  /**
   * Smallest cluster for `"xi"`: an integer >= 2 or a share of the rows; null: `minSamples`.
   * @exclusiveMinimum 0
   * @default null
   */
  minClusterSize?: number | null;
  /**
   * Cut radius for `"dbscan"`; null: `maxEps`.
   * @minimum 0
   * @default null
   */
  eps?: number | null;
  /**
   * Neighbour search.
   * @default "auto"
   */
  algorithm?: "auto" | "kdtree" | "brute";
  /**
   * Leaf size of the k-d tree.
   * @asType integer
   * @minimum 1
   * @default 32
   */
  leafSize?: number;
}

/** Gaussian mixture model fitted by EM. */
export interface GaussianMixtureSpec {
  name: "gmm";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: GaussianMixtureParams;
}

/** Parameters of the Gaussian mixture. */
export interface GaussianMixtureParams {
  /**
   * Number of mixture components (clusters).
   * @asType integer
   * @minimum 1
   * @default 1
   */
  nComponents?: number;
  /**
   * Covariance shape: `"full"` (own general), `"tied"` (shared general), `"diag"` (own diagonal), `"spherical"` (own single variance).
   * @default "full"
   */
  covarianceType?: "full" | "tied" | "diag" | "spherical";
  /**
   * EM stops when the mean log-likelihood changes by less than this.
   * @minimum 0
   * @default 0.001
   */
  tol?: number;
  /**
   * Added to the covariance diagonals.
   * @minimum 0
   * @default 0.000001
   */
  regCovar?: number;
  /**
   * Maximum EM iterations.
   * @asType integer
   * @minimum 0
   * @default 100
   */
  maxIter?: number;
  /**
   * Initialisations; the best likelihood wins.
   * @asType integer
   * @minimum 1
   * @default 1
   */
  nInit?: number;
  /**
   * Initial responsibilities.
   * @default "kmeans"
   */
  initParams?: "kmeans" | "k-means++" | "random" | "random_from_data";
}

/** Mean shift: modes of the density. */
export interface MeanShiftSpec {
  name: "meanshift";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: MeanShiftParams;
}

/** Parameters of mean shift. */
export interface MeanShiftParams {
  /**
   * Radius of the flat kernel; null: estimated from the data (see `quantile` and `nSamples`).
   * @exclusiveMinimum 0
   * @default null
   */
  bandwidth?: number | null;
  /**
   * Quantile of the nearest-neighbour distances used to estimate the bandwidth, in [0, 1].
   * @minimum 0
   * @maximum 1
   * @default 0.3
   */
  quantile?: number;
  /**
   * Rows (a seeded sample) used to estimate the bandwidth; null: all.
   * @multipleOf 1
   * @minimum 1
   * @default null
   */
  nSamples?: number | null;
  /**
   * Start from a grid of binned points instead of every row (faster).
   * @default false
   */
  binSeeding?: boolean;
  /**
   * With `binSeeding`, only bins with at least this many rows seed.
   * @asType integer
   * @minimum 1
   * @default 1
   */
  minBinFreq?: number;
  /**
   * Assign every row, also the ones outside every kernel (else they are noise, -1).
   * @default true
   */
  clusterAll?: boolean;
  /**
   * Maximum iterations per seed.
   * @asType integer
   * @minimum 0
   * @default 300
   */
  maxIter?: number;
  /**
   * Radius search (all give the same result).
   * @default "auto"
   */
  algorithm?: "auto" | "kdtree" | "brute";
}

/** Affinity propagation: exemplars chosen by message passing. */
export interface AffinityPropagationSpec {
  name: "affinity-propagation";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: AffinityPropagationParams;
}

/** Parameters of affinity propagation. */
export interface AffinityPropagationParams {
  /**
   * Damping of the messages, in [0.5, 1).
   * @minimum 0.5
   * @exclusiveMaximum 1
   * @default 0.5
   */
  damping?: number;
  /**
   * Maximum iterations.
   * @asType integer
   * @minimum 1
   * @default 200
   */
  maxIter?: number;
  /**
   * Stop after this many iterations without change of the exemplars.
   * @asType integer
   * @minimum 1
   * @default 15
   */
  convergenceIter?: number;
  /**
   * Preference of each row to be an exemplar (higher: more clusters); null: the median similarity.
   * @default null
   */
  preference?: number | null;
  /**
   * Add tiny seeded noise to the similarities to break ties (as scikit-learn).
   * @default true
   */
  addNoise?: boolean;
}

/** Spectral clustering. */
export interface SpectralSpec {
  name: "spectral";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: SpectralParams;
}

/** Parameters of spectral clustering. */
export interface SpectralParams {
  /**
   * Number of clusters k.
   * @asType integer
   * @minimum 1
   * @default 8
   */
  nClusters?: number;
  /**
   * Similarity graph: `"rbf"` (dense Gaussian kernel, n x n) or `"nearestNeighbors"` (sparse k-nearest-neighbour graph).
   * @default "rbf"
   */
  affinity?: "rbf" | "nearestNeighbors";
  /**
   * Kernel coefficient of `"rbf"`: `exp(-gamma d^2)`.
   * @minimum 0
   * @default 1
   */
  gamma?: number;
  /**
   * Neighbours of `"nearestNeighbors"` (the row included).
   * @asType integer
   * @minimum 1
   * @default 10
   */
  nNeighbors?: number;
  /**
   * How the spectral embedding is turned into labels.
   * @default "kmeans"
   */
  assignLabels?: "kmeans" | "discretize" | "clusterQr";
  /**
   * k-means runs on the embedding.
   * @asType integer
   * @minimum 1
   * @default 10
   */
  nInit?: number;
  /**
   * Eigenvectors in the embedding; null: `nClusters`.
   * @multipleOf 1
   * @minimum 1
   * @default null
   */
  nComponents?: number | null;
  /**
   * Eigensolver of the Laplacian: `"dense"`, `"lanczos"`, or `"auto"` (dense up to 100 rows).
   * @default "auto"
   */
  eigenSolver?: "auto" | "dense" | "lanczos";
  /**
   * Lanczos tolerance on the relative eigen-residual.
   * @exclusiveMinimum 0
   * @default 1e-12
   */
  tol?: number;
  /**
   * Refuse more rows than this with `"rbf"` (its dense n x n matrix takes 8 n^2 bytes).
   * @asType integer
   * @minimum 1
   * @default 10000
   */
  maxSamples?: number;
}

/** BIRCH: a clustering-feature tree, then a global clustering of its leaves. */
export interface BirchSpec {
  name: "birch";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: BirchParams;
}

/** Parameters of BIRCH. */
export interface BirchParams {
  /**
   * Largest radius of a subcluster in a leaf.
   * @exclusiveMinimum 0
   * @default 0.5
   */
  threshold?: number;
  /**
   * Maximum subclusters per node.
   * @asType integer
   * @minimum 2
   * @default 50
   */
  branchingFactor?: number;
  /**
   * Clusters of the final global step (agglomerative on the subclusters); null: the subclusters themselves.
   * @multipleOf 1
   * @minimum 1
   * @default 3
   */
  nClusters?: number | null;
}

/** Initialisations of k-modes and k-prototypes. */
export type KModesInit = "huang" | "cao" | "random";

/** k-modes: k-means for categorical features (matching dissimilarity). */
export interface KModesSpec {
  name: "kmodes";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: KModesParams;
}

/** Parameters of k-modes. */
export interface KModesParams {
  /**
   * Number of clusters k.
   * @asType integer
   * @minimum 1
   * @default 8
   */
  nClusters?: number;
  /**
   * Initial modes.
   * @default "cao"
   */
  init?: KModesInit;
  /**
   * Runs from different initialisations; the lowest cost wins.
   * @asType integer
   * @minimum 1
   * @default 10
   */
  nInit?: number;
  /**
   * Maximum iterations per run.
   * @asType integer
   * @minimum 1
   * @default 100
   */
  maxIter?: number;
  /**
   * How categories are numbered, which decides ties between equally frequent ones: `"sorted"` or `"appearance"`.
   * @default "sorted"
   */
  categoryOrder?: "sorted" | "appearance";
}

/** k-prototypes: k-means for mixed numeric and categorical features. */
export interface KPrototypesSpec {
  name: "kprototypes";
  /**
   * The parameters; omitted ones take their defaults.
   * @default {}
   */
  params?: KPrototypesParams;
}

/** Parameters of k-prototypes. */
export interface KPrototypesParams {
  /**
   * Number of clusters k.
   * @asType integer
   * @minimum 1
   * @default 8
   */
  nClusters?: number;
  /**
   * Initial prototypes.
   * @default "cao"
   */
  init?: KModesInit;
  /**
   * Runs from different initialisations; the lowest cost wins.
   * @asType integer
   * @minimum 1
   * @default 10
   */
  nInit?: number;
  /**
   * Maximum iterations per run.
   * @asType integer
   * @minimum 1
   * @default 100
   */
  maxIter?: number;
  /**
   * Weight of the categorical mismatches against the numeric distance; null: half the mean
   * standard deviation of the numeric features.
   * @minimum 0
   * @default null
   */
  gamma?: number | null;
  /**
   * How categories are numbered, which decides ties between equally frequent ones: `"sorted"` or `"appearance"`.
   * @default "sorted"
   */
  categoryOrder?: "sorted" | "appearance";
}
