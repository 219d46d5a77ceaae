/**
 * The inputs of the clustering charts: the results the server computes (its API answers re-export
 * these types) and lab's `plotModel` builds. Types only, no imports.
 */

/** Gaussian mixture covariance types (the server's `COVARIANCE_TYPES`). */
export type CovarianceTypeName = "full" | "tied" | "diag" | "spherical";

/** 2-D/3-D projections of the scatter views (the server's `PROJECTION_METHODS`). */
export type ProjectionMethod = "pca" | "tsne" | "umap";

/**
 * How the clustermap's values are normalised after the scaling, as seaborn's clustermap: z-score
 * (subtract the mean, divide by the standard deviation) or standard-scale (subtract the minimum,
 * divide by the range) of each column or each row (the server's `CLUSTERMAP_NORMALIZATIONS`).
 */
export type ClustermapNormalization =
  | "none"
  | "z-score-columns"
  | "z-score-rows"
  | "standard-scale-columns"
  | "standard-scale-rows";

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

/** A box of a box plot: the five numbers of one feature in one segment. */
export interface BoxStats {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  /** Tukey's whiskers: the most extreme values within 1.5 IQR of the box. */
  lowerFence: number;
  upperFence: number;
  mean: number;
}

/** Clusterwise bootstrap stability (Hennig 2007): mean Jaccard per cluster. */
export interface StabilityResult {
  nBootstrap: number;
  meanJaccard: number | null;
  clusters: { label: number; size: number; meanJaccard: number | null; band: string | null }[];
}

/** A contingency table of two labelings (rows: labels of a, columns: labels of b; -1 is noise). */
export interface ContingencyTable {
  /** Labels of a (rows of `counts`) and of b (columns), ascending; -1 is noise. */
  labelsA: number[];
  labelsB: number[];
  /** Rows in cluster labelsA[i] of a and labelsB[j] of b. */
  counts: number[][];
}
