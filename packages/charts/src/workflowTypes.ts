/**
 * The inputs of the workflow pages' charts (image segmentation, documents, customers, social media,
 * anomalies): the answers of the server's `/api/workflows/...` endpoints, which `apiWorkflows.ts`
 * re-exports. Types only.
 */

export interface ImagePaletteEntry {
  hex: string;
  rgb: [number, number, number];
  lab: [number, number, number];
  share: number;
  pixels: number;
}

export type TextAlgorithmName = "kmeans" | "agglomerative" | "hdbscan";

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

/** Scoring methods: k-means distance, HDBSCAN GLOSH, GMM likelihood, DBSCAN noise distance. */
export type AnomalyMethod = "kmeans" | "glosh" | "gmm" | "dbscan";

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
