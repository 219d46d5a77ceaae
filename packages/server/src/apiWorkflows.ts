/**
 * Request and answer shapes of the workflow endpoints (`/api/workflows/...`): image segmentation,
 * documents by topic, customers (RFM), social media and anomalies. Types only (no runtime code), so
 * the dashboard imports them as it imports `api.ts`.
 */

/** The five workflow pages. */
export type WorkflowKind = "image" | "text" | "rfm" | "social" | "anomalies";

export interface WorkflowColumn {
  name: string;
  /** DuckDB type (`VARCHAR`, `DOUBLE`, `DATE`, ...). */
  type: string;
  numeric: boolean;
}

/** A bundled example (examples/data) of one workflow. */
export interface WorkflowSample {
  /** The id to send as `dataset` (or `image`). */
  id: string;
  /** The file name. */
  name: string;
  workflow: WorkflowKind;
  /** One line: what it is and where it comes from. */
  description: string;
  /** Rows of a table; null for an image. */
  nRows: number | null;
  /** Columns of a table; [] for an image. */
  columns: WorkflowColumn[];
  /** Suggested settings for this file (column names, label column). */
  defaults: Record<string, string | string[] | null>;
  /** Pixel size of an image; null for a table. */
  width: number | null;
  height: number | null;
}

/** `GET /api/workflows/samples`. */
export interface WorkflowSampleList {
  samples: WorkflowSample[];
  /** Largest image upload, in MB. */
  maxImageMb: number;
  /** Largest image, in pixels (width x height). */
  maxImagePixels: number;
}

/** Fields shared by every workflow request. */
export interface WorkflowJobFields {
  /** A client-chosen id, to read the progress (`GET /api/jobs/:id`) and to cancel. */
  jobId?: string;
  seed?: number;
}

// --- image -------------------------------------------------------------------------------------

/** `POST /api/workflows/images?name=FILE` (the raw file as the body): an uploaded image. */
export interface WorkflowImage {
  id: string;
  name: string;
  width: number;
  height: number;
  format: "jpeg" | "png" | "webp";
  /** Address of the original as PNG (`GET /api/workflows/images/:id/original.png`). */
  originalUrl: string;
}

export type ImageSpace = "lab" | "rgb";

/** `POST /api/workflows/image`. */
export interface ImageSegmentRequest extends WorkflowJobFields {
  /** A bundled image id (`coffee`) or an uploaded one. */
  image: string;
  k: number;
  space?: ImageSpace;
  /** Weight of the pixel position (0: colour only). Default 0. */
  spatial?: number;
}

export interface ImagePaletteEntry {
  hex: string;
  rgb: [number, number, number];
  lab: [number, number, number];
  share: number;
  pixels: number;
}

export interface ImageSegmentResult {
  image: string;
  width: number;
  height: number;
  /** Clusters found (k may be lowered to the number of distinct colours). */
  k: number;
  space: ImageSpace;
  spatial: number;
  palette: ImagePaletteEntry[];
  /** The segmented image (every pixel its cluster's colour), PNG data URL. */
  segmented: string;
  /** The label mask (pixel value = cluster, 255 = transparent), one-channel PNG data URL. */
  mask: string;
  /** The original with the cluster boundaries drawn, PNG data URL. */
  overlay: string;
  /** Pixels the clusterer was fitted on, of `pixels`. */
  sampleSize: number;
  pixels: number;
  distinctColors: number;
  warnings: string[];
  /** True when this exact segmentation was cached (no refit). */
  cached: boolean;
  /** Seconds of `segmentImage` itself (features, fit, assigning every pixel), in the worker. */
  segmentSeconds: number;
  /** Seconds of the whole request (with the images' encoding and any wait for a worker). */
  seconds: number;
}

// --- documents -----------------------------------------------------------------------------------

export type TextAlgorithmName = "kmeans" | "agglomerative" | "hdbscan";

/** `POST /api/workflows/text`. */
export interface TextClusterRequest extends WorkflowJobFields {
  dataset: string;
  /** Text columns (joined with a newline when several). */
  textColumns: string[];
  /** Known classes, for external metrics (never used to cluster). */
  labelColumn?: string | null;
  /** Clusters (k-means, agglomerative). Default 8. */
  k?: number;
  algorithm?: TextAlgorithmName;
  /** LSA dimensions (0: none, k-means only). Default 100. */
  lsa?: number;
  /** HDBSCAN's smallest cluster. Default 10. */
  minClusterSize?: number;
}

export interface TextClusterSummary {
  cluster: number;
  size: number;
  share: number;
  topTerms: { term: string; weight: number }[];
  representatives: { row: number; similarity: number; preview: string; label: string | null }[];
}

export interface TextExternalScores {
  labelColumn: string;
  adjustedRandIndex: number;
  normalizedMutualInfo: number;
  vMeasure: number;
  homogeneity: number;
  completeness: number;
  contingency: { clusters: number[]; classes: string[]; counts: number[][] };
}

export interface TextClusterResult {
  dataset: string;
  nDocuments: number;
  nEmpty: number;
  nNoise: number;
  vocabularySize: number;
  algorithm: TextAlgorithmName;
  nClusters: number;
  lsa: { nComponents: number; explainedVarianceRatio: number };
  clusters: TextClusterSummary[];
  /** The 2-D map (PCA of the LSA embedding), at most 5 000 documents (a seeded sample beyond). */
  map: {
    x: number[];
    y: number[];
    cluster: number[];
    row: number[];
    /** The first characters of each shown document. */
    preview: string[];
    /** Known class of each shown document, or null without a label column. */
    label: (string | null)[] | null;
    explainedVarianceRatio: [number, number];
    sampled: boolean;
  };
  external: TextExternalScores | null;
  warnings: string[];
  seconds: number;
}

// --- customers (RFM) -----------------------------------------------------------------------------

/** `POST /api/workflows/rfm`. */
export interface RfmRequest extends WorkflowJobFields {
  dataset: string;
  customerId: string;
  date: string;
  amount: string;
  orderId?: string | null;
  /** YYYY-MM-DD; default the day after the last transaction. */
  asOf?: string | null;
  /** Clusters; null or absent: chosen by a silhouette sweep over 2..8. */
  k?: number | null;
}

export interface RfmMeasureSummary {
  mean: number;
  median: number;
}

export interface RfmSegmentRow {
  segment: string;
  description: string;
  count: number;
  share: number;
  recency: RfmMeasureSummary;
  frequency: RfmMeasureSummary;
  monetary: RfmMeasureSummary;
}

export interface RfmClusterRow {
  cluster: number;
  name: string;
  size: number;
  share: number;
  recency: RfmMeasureSummary;
  frequency: RfmMeasureSummary;
  monetary: RfmMeasureSummary;
}

export interface RfmResult {
  /** Id of the per-customer table: `GET /api/workflows/rfm/:resultId/customers.csv`. */
  resultId: string;
  dataset: string;
  columns: { customerId: string; date: string; amount: string; orderId: string | null };
  asOf: string;
  asOfDefault: boolean;
  nRows: number;
  nExcludedAfterAsOf: number;
  nCustomers: number;
  segments: RfmSegmentRow[];
  clustering: {
    k: number;
    chosenBy: "user" | "silhouette" | "elbow" | "fallback";
    reason: string;
    silhouette: number | null;
    sweep: { k: number; inertia: number; silhouette: number | null }[] | null;
    profiles: RfmClusterRow[];
  };
  comparison: { ari: number; segments: string[]; clusters: number[]; counts: number[][] };
  /** Customers per (R score, F score): `grid[r - 1][f - 1]`. */
  scoreGrid: number[][];
  /** The segment of each (R, F) cell: `scoreGridSegments[5 - r][f - 1]` (lab's `RFM_SEGMENT_GRID`). */
  scoreGridSegments: string[][];
  /** Customers for the scatter (at most 3 000, a seeded sample beyond). */
  points: { recency: number[]; frequency: number[]; monetary: number[]; cluster: number[]; segment: string[] };
  /** The first customers of the table, for a preview. */
  preview: { columns: string[]; rows: (string | number | null)[][] };
  seconds: number;
}

// --- social media --------------------------------------------------------------------------------

/** `POST /api/workflows/social`. */
export interface SocialRequest extends WorkflowJobFields {
  dataset: string;
  /** Account clusters; null or absent: chosen by a silhouette sweep. */
  accountK?: number | null;
  /** Post clusters; null or absent: chosen by a silhouette sweep. */
  postK?: number | null;
}

export interface SocialLevelRow {
  value: string;
  posts: number;
  share: number;
  medianRate: number;
  lift: number;
}

export interface SocialDimensionRow {
  dimension: string;
  levels: SocialLevelRow[];
  best: string | null;
  worst: string | null;
}

export interface SocialGroupRow {
  group: string;
  cluster: number | null;
  accounts: number;
  posts: number;
  medianRate: number;
  dimensions: SocialDimensionRow[];
  summary: string[];
}

export interface SocialAccountClusterRow {
  cluster: number;
  name: string;
  size: number;
  share: number;
  accounts: string[];
  posts: number;
  postsPerWeek: number;
  followers: number;
  medianRate: number;
  typeMix: Record<string, number>;
  daypartMix: Record<string, number>;
}

export interface SocialPostClusterRow {
  cluster: number;
  name: string;
  size: number;
  share: number;
  medianRate: number;
  lift: number;
  typeMix: Record<string, number>;
  peakHour: number;
  weekendShare: number;
  medianTextLength: number;
}

export interface SocialResult {
  dataset: string;
  nPosts: number;
  nAccounts: number;
  firstPost: string;
  lastPost: string;
  windowDays: number;
  rateBasis: "impressions" | "followers";
  types: string[];
  accounts: {
    k: number;
    chosenBy: string;
    reason: string;
    silhouette: number | null;
    profiles: SocialAccountClusterRow[];
  };
  posts: { k: number; chosenBy: string; silhouette: number | null; profiles: SocialPostClusterRow[] };
  /** Account clusters vs the file's segment column (synthetic data: the planted segments). */
  comparison: { ari: number; segmentColumn: string } | null;
  whatWorks: SocialGroupRow[];
  warnings: string[];
  seconds: number;
}

// --- anomalies -----------------------------------------------------------------------------------

/** Scoring methods: k-means distance, HDBSCAN GLOSH, GMM likelihood, DBSCAN noise distance. */
export type AnomalyMethod = "kmeans" | "glosh" | "gmm" | "dbscan";

/** `POST /api/workflows/anomalies`. */
export interface AnomalyRequest extends WorkflowJobFields {
  dataset: string;
  method: AnomalyMethod;
  /** Feature columns; default every numeric column except the label column. */
  columns?: string[];
  /** Known outliers, for the evaluation (never a feature). */
  labelColumn?: string | null;
  /** The label column's value of an outlier. Default "1". */
  positive?: string;
  /** Share of rows flagged, in (0, 0.5]. Default 0.05. */
  contamination?: number;
  /** k-means / GMM. Default 2. */
  k?: number;
  /** GMM covariance. Default "full". */
  covarianceType?: "full" | "diag" | "spherical" | "tied";
  /** DBSCAN (on standardised features). Default 2.5. */
  eps?: number;
  /** DBSCAN. Default 5. */
  minSamples?: number;
  /** HDBSCAN. Default 5. */
  minClusterSize?: number;
}

export interface AnomalyRow {
  rank: number;
  row: number;
  score: number;
  cluster: number;
  comparedWith: number;
  /** Known outlier (label column), or null without one. */
  known: boolean | null;
  features: { feature: string; value: number; typical: number; z: number; direction: "higher" | "lower" }[];
}

export interface AnomalyQuality {
  nFlagged: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface AnomalyResult {
  dataset: string;
  method: AnomalyMethod;
  /** What the score is, in one line. */
  description: string;
  columns: string[];
  nRows: number;
  rowsDropped: number;
  nClusters: number;
  nNoise: number;
  contamination: number;
  /** The lowest flagged score. */
  threshold: number | null;
  nAnomalies: number;
  /** The flagged rows, highest score first (at most 50). */
  anomalies: AnomalyRow[];
  evaluation: {
    labelColumn: string;
    positive: string;
    nPositive: number;
    rocAuc: number;
    averagePrecision: number;
    atTrueContamination: AnomalyQuality;
    flagged: AnomalyQuality | null;
  } | null;
  /** Every row on the first two principal components of the standardised features. */
  map: {
    x: number[];
    y: number[];
    score: number[];
    flagged: boolean[];
    known: boolean[] | null;
    row: number[];
    explainedVarianceRatio: [number, number];
  };
  warnings: string[];
  seconds: number;
}
