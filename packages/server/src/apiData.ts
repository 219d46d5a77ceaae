/**
 * The JSON shapes of the Data page and of preprocessing: `GET /api/datasets/:id/profile`,
 * `POST /api/preprocess/preview`, and the optional `preprocess` object of every feature request
 * (`FeatureRequest.preprocess`). Types and constant lists only, with no imports, so the dashboard
 * (compiled with DOM typings) imports them as it imports `api.ts`.
 *
 * The profile mirrors `@clusterlab/lab`'s `DatasetProfile` (`profileRoutes.ts` checks at compile
 * time that lab's result fits these types).
 */

/**
 * What a column is for: `@clusterlab/lab`'s roles (`numeric`, `categorical`, `datetime`, `text`,
 * `identifier`, `target`, `constant`) plus `ignored` (left out of the features by the user; the
 * profile still describes it).
 */
export const COLUMN_ROLE_NAMES = [
  "numeric",
  "categorical",
  "datetime",
  "text",
  "identifier",
  "target",
  "constant",
  "ignored",
] as const;
export type ColumnRoleName = (typeof COLUMN_ROLE_NAMES)[number];

/** Roles a user can set on the Data page (`constant` is only ever inferred). */
export const EDITABLE_ROLES: readonly ColumnRoleName[] = [
  "numeric",
  "categorical",
  "datetime",
  "text",
  "identifier",
  "target",
  "ignored",
];

// ---------------------------------------------------------------------------------------------
// Preprocessing (mirrors the analysis spec's `preprocessing`, see packages/lab/src/spec/analysisSpec.ts)

/**
 * Missing values in numeric features: drop the rows (default; with `dropMissing: false` a missing
 * value is an error, as without `preprocess`), or fill them with the feature's mean, median or most
 * frequent value (learnt on the rows used).
 */
export const NUMERIC_IMPUTATIONS = ["drop", "mean", "median", "mostFrequent"] as const;
export type NumericImputationName = (typeof NUMERIC_IMPUTATIONS)[number];

/**
 * Missing values in categorical features: the most frequent category (default), a category of
 * their own (`constant`: one-hot `column_nan`, ordinal code -1), or drop the rows.
 */
export const CATEGORICAL_IMPUTATIONS = ["mostFrequent", "constant", "drop"] as const;
export type CategoricalImputationName = (typeof CATEGORICAL_IMPUTATIONS)[number];

/** Categorical features: one 0/1 column per category, the category's index, or not used. */
export const ENCODINGS = ["none", "onehot", "ordinal"] as const;
export type EncodingName = (typeof ENCODINGS)[number];

/** Transform of the numeric features before outlier removal and scaling. */
export const TRANSFORMS = ["none", "log1p", "yeoJohnson"] as const;
export type TransformName = (typeof TRANSFORMS)[number];

/** PCA after scaling and encoding: off, a number of components, or the share of variance to keep. */
export type PcaRequest = "none" | { nComponents: number } | { varianceRatio: number };

/** Outlier removal: off, or Tukey's IQR rule on the numeric features (imputed and transformed, not scaled). */
export type OutliersRequest = "none" | { method: "iqr"; factor?: number };

/**
 * `FeatureRequest.preprocess`: how the feature columns are prepared before the scaling and the
 * clustering, in the analysis spec's order: imputation, transform, outlier removal, scaling (the
 * request's `scaling`, numeric features only), encoding of categorical features, PCA. Every field
 * is optional; a request without `preprocess` is prepared exactly as before (numeric columns only,
 * all of them scaled).
 */
export interface PreprocessRequest {
  imputation?: {
    /** Default "drop". */
    numeric?: NumericImputationName;
    /** Default "mostFrequent". */
    categorical?: CategoricalImputationName;
  };
  /** Default "none": categorical columns are refused, as without `preprocess`. */
  encoding?: EncodingName;
  /**
   * Columns of `columns` read as numbers that are categories (codes such as `year` or `size`); they
   * are encoded with the text columns. Text columns are always categorical. Default [].
   */
  categorical?: string[];
  /** Default "none". */
  transform?: TransformName;
  /** Default "none". */
  pca?: PcaRequest;
  /** Default "none". `factor` defaults to 1.5. */
  outliers?: OutliersRequest;
}

/** `POST /api/preprocess/preview` answer: each numeric feature before and after preprocessing. */
export interface PreprocessPreviewResult {
  /** One entry per numeric feature (categorical ones are encoded, not transformed). */
  features: PreprocessPreviewFeature[];
  /** Rows of the table, rows used after the missing-value rule, rows removed as outliers. */
  nRowsTotal: number;
  nRows: number;
  rowsDropped: number;
  outliersRemoved: number;
  /** The columns the clusterer sees (after encoding), and how many PCA keeps (null without PCA). */
  outputColumns: string[];
  pcaComponents: number | null;
  /** Share of the variance the kept components explain (null without PCA). */
  pcaExplained: number | null;
}

/** Box-plot statistics and an equal-width histogram of some values. */
export interface DistributionSummary {
  count: number;
  min: number;
  q25: number;
  median: number;
  q75: number;
  max: number;
  mean: number;
  /** Tukey's whiskers: the most extreme values within 1.5 IQR of the quartiles. */
  lowerFence: number;
  upperFence: number;
  histogram: { edges: number[]; counts: number[] };
}

export interface PreprocessPreviewFeature {
  name: string;
  /** The raw observed values of the column (all rows). */
  before: DistributionSummary | null;
  /** The values the clusterer sees before PCA: imputed, transformed, scaled, on the rows used. */
  after: DistributionSummary | null;
}

// ---------------------------------------------------------------------------------------------
// Profile (mirrors @clusterlab/lab's DatasetProfile)

export interface ProfileHistogram {
  edges: number[];
  counts: number[];
}

export interface ProfileNumericSummary {
  mean: number | null;
  std: number | null;
  min: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
  max: number;
  skewness: number | null;
  /** Values outside Tukey's fences. */
  outliers: number;
  outlierFences: [number, number];
  histogram: ProfileHistogram | null;
}

export interface ProfileCategorySummary {
  top: { value: string; count: number; share: number }[];
  otherCount: number;
  otherValues: number;
}

export interface ProfileColumn {
  name: string;
  /** DuckDB type. */
  type: string;
  role: ColumnRoleName;
  /** Why this role (e.g. "unique per row (150 of 150 distinct)", "set by the user"). */
  reason: string;
  inferredRole: ColumnRoleName;
  userSet: boolean;
  count: number;
  missing: number;
  missingShare: number;
  distinct: number;
  numeric: ProfileNumericSummary | null;
  categories: ProfileCategorySummary | null;
  lengths: { min: number; mean: number; max: number } | null;
  range: { min: string; max: string } | null;
}

export interface ProfileMissing {
  cells: number;
  cellShare: number;
  rows: number;
  rowShare: number;
  featureRows: number;
  columns: { name: string; missing: number; share: number }[];
}

export interface ProfileCorrelation {
  columns: string[];
  matrix: (number | null)[][];
  top: { a: string; b: string; r: number }[];
}

export interface ProfileHopkins {
  /** H in [0, 1]: about 0.5 for uniform data, towards 1 for clustered data. */
  statistic: number;
  sampleSize: number;
  referenceSize: number;
  columns: string[];
  rows: number;
  /** e.g. "strong clustering tendency". */
  interpretation: string;
}

export interface ProfilePca {
  columns: string[];
  rows: number;
  explainedVarianceRatio: [number, number];
  components: [number[], number[]];
  indices: number[];
  x: number[];
  y: number[];
}

/** `GET /api/datasets/:id/profile` answer. */
export interface DatasetProfileResult {
  dataset: string;
  nRows: number;
  nColumns: number;
  seed: number;
  columns: ProfileColumn[];
  /** Feature columns (roles numeric and categorical), in table order. */
  features: string[];
  target: string | null;
  missing: ProfileMissing;
  correlation: ProfileCorrelation | null;
  hopkins: ProfileHopkins | null;
  pca: ProfilePca | null;
  notes: string[];
  /** Seconds the profile took (0 when it came from the cache). */
  seconds: number;
}
