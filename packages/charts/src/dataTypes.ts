/**
 * The inputs of the Data page's charts: the dataset profile and the preprocessing preview (mirroring
 * `@clusterlab/lab`'s `DatasetProfile`; the server's `apiData.ts` re-exports these types). Types only.
 */

/**
 * What a column is for: `@clusterlab/lab`'s roles (`numeric`, `categorical`, `datetime`, `text`,
 * `identifier`, `target`, `constant`) plus `ignored` (the server's `COLUMN_ROLE_NAMES`).
 */
export type ColumnRoleName =
  | "numeric"
  | "categorical"
  | "datetime"
  | "text"
  | "identifier"
  | "target"
  | "constant"
  | "ignored";

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

export interface ProfileCorrelation {
  columns: string[];
  matrix: (number | null)[][];
  top: { a: string; b: string; r: number }[];
}
