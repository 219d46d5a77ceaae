/**
 * The JSON shapes of the Data page and of preprocessing: `GET /api/datasets/:id/profile`,
 * `POST /api/preprocess/preview`, and the optional `preprocess` object of every feature request
 * (`FeatureRequest.preprocess`). Types and constant lists only, with type-only imports, so the dashboard
 * (compiled with DOM typings) imports them as it imports `api.ts`.
 *
 * The profile mirrors `@clusterlab/lab`'s `DatasetProfile` (`profileRoutes.ts` checks at compile
 * time that lab's result fits these types). The shapes the Data page's charts draw are defined by
 * @clusterlab/charts and re-exported here.
 */
import type { ColumnRoleName, PreprocessPreviewFeature, ProfileColumn, ProfileCorrelation } from "@clusterlab/charts";
import type { EveryMember } from "./api.js";

export type {
  ColumnRoleName,
  DistributionSummary,
  PreprocessPreviewFeature,
  ProfileCategorySummary,
  ProfileColumn,
  ProfileCorrelation,
  ProfileHistogram,
  ProfileNumericSummary,
} from "@clusterlab/charts";

/**
 * What a column is for: `@clusterlab/lab`'s roles (`numeric`, `categorical`, `datetime`, `text`,
 * `identifier`, `target`, `constant`) plus `ignored` (left out of the features by the user; the
 * profile still describes it).
 */
const columnRoleNames = [
  "numeric",
  "categorical",
  "datetime",
  "text",
  "identifier",
  "target",
  "constant",
  "ignored",
] as const satisfies readonly ColumnRoleName[];
export const COLUMN_ROLE_NAMES: EveryMember<ColumnRoleName, typeof columnRoleNames> = columnRoleNames;

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

// ---------------------------------------------------------------------------------------------
// Profile (mirrors @clusterlab/lab's DatasetProfile)

export interface ProfileMissing {
  cells: number;
  cellShare: number;
  rows: number;
  rowShare: number;
  featureRows: number;
  columns: { name: string; missing: number; share: number }[];
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
