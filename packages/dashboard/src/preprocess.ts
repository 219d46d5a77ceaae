/**
 * The Preprocess section's settings and the request they make (`FeatureRequest.preprocess`), and
 * the column roles the user sets on the Data page, which decide the features the Cluster page
 * offers. Pure functions, shared by the Cluster page (App, ControlPanel) and the Data page.
 */
import type {
  CategoricalImputationName,
  ColumnRoleName,
  DatasetDetail,
  EncodingName,
  NumericImputationName,
  PreprocessRequest,
  ProfileColumn,
  TransformName,
} from "./api.js";

/** The Preprocess section of the Cluster page's panel. */
export interface PreprocessSettings {
  numericImputation: NumericImputationName;
  categoricalImputation: CategoricalImputationName;
  encoding: EncodingName;
  transform: TransformName;
  pca: "none" | "components" | "variance";
  pcaComponents: number;
  pcaVariance: number;
  outliers: "none" | "iqr";
  outlierFactor: number;
}

/** The defaults: nothing changes the features (the request carries no `preprocess`). */
export const DEFAULT_PREPROCESS: PreprocessSettings = {
  numericImputation: "drop",
  categoricalImputation: "mostFrequent",
  encoding: "none",
  transform: "none",
  pca: "none",
  pcaComponents: 2,
  pcaVariance: 0.9,
  outliers: "none",
  outlierFactor: 1.5,
};

/** Role overrides per dataset id, then per column (what the user set on the Data page). */
export type RoleOverrides = Record<string, Record<string, ColumnRoleName>>;

/** What the preprocessing needs from the page's settings. */
export interface PreprocessInput {
  dataset: string;
  columns: string[];
  roles: RoleOverrides;
  preprocess: PreprocessSettings;
}

/**
 * The request's `preprocess` for these settings, or undefined when every choice is the default (the
 * request is then exactly as without preprocessing). Numeric columns the user set to categorical
 * are listed in `categorical`; text columns are categorical anyway. The PCA keeps at most as many
 * components as there are feature columns.
 */
export function preprocessFor(s: PreprocessInput, detail: DatasetDetail | null): PreprocessRequest | undefined {
  const p = s.preprocess;
  const out: PreprocessRequest = {};
  if (p.numericImputation !== "drop" || p.categoricalImputation !== "mostFrequent") {
    out.imputation = { numeric: p.numericImputation, categorical: p.categoricalImputation };
  }
  if (p.encoding !== "none") {
    out.encoding = p.encoding;
    const roles = s.roles[s.dataset] ?? {};
    const numeric = new Set(detail?.columns.filter((c) => c.numeric).map((c) => c.name) ?? []);
    const categorical = s.columns.filter((c) => numeric.has(c) && roles[c] === "categorical");
    if (categorical.length > 0) out.categorical = categorical;
  }
  if (p.transform !== "none") out.transform = p.transform;
  if (p.pca === "components") {
    out.pca = { nComponents: Math.max(1, Math.min(p.pcaComponents, s.columns.length)) };
  } else if (p.pca === "variance") {
    out.pca = { varianceRatio: Math.min(0.99, Math.max(0.01, p.pcaVariance)) };
  }
  if (p.outliers === "iqr") out.outliers = { method: "iqr", factor: p.outlierFactor };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A column's role: the user's for this dataset, else the inferred one from the profile, else null. */
export function roleOf(
  name: string,
  overrides: Record<string, ColumnRoleName> | undefined,
  profile: readonly ProfileColumn[] | null,
): ColumnRoleName | null {
  const set = overrides?.[name];
  if (set) return set;
  return profile?.find((c) => c.name === name)?.inferredRole ?? null;
}

/**
 * Names that read as labels or keys rather than features (as the server's `isTargetLike`): they
 * are not ticked when the categorical features are switched on.
 */
const LABEL_LIKE =
  /^(target|target_name|label|labels|class|classes|cluster|clusters|segment|species|id|idx|index|row|row_id|rownum|year|date|time|timestamp)$/;

export function looksLikeLabel(name: string): boolean {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return LABEL_LIKE.test(key) || /(^|_)id$/.test(key);
}

/** The feature columns of a dataset, by kind, as the Cluster page offers them. */
export interface FeatureOptions {
  /** Columns read as numbers, used as numbers (all but those the user gave another role). */
  numeric: string[];
  /** Text columns whose role is categorical, and number columns the user set to categorical. */
  categorical: string[];
  /** Columns that are not features, with their role (the user's or the inferred one). */
  excluded: { name: string; role: ColumnRoleName | "text" }[];
}

/**
 * Which columns the Cluster page offers: a column read as numbers is a numeric feature unless the
 * user gave it another role on the Data page; a text column is a categorical feature when its role
 * (the user's, else the inferred one) is categorical. Everything else is listed as not used.
 */
export function featureOptions(
  detail: DatasetDetail | null,
  overrides: Record<string, ColumnRoleName> | undefined,
  profile: readonly ProfileColumn[] | null,
): FeatureOptions {
  const out: FeatureOptions = { numeric: [], categorical: [], excluded: [] };
  for (const c of detail?.columns ?? []) {
    const set = overrides?.[c.name];
    if (c.numeric) {
      if (!set || set === "numeric") out.numeric.push(c.name);
      else if (set === "categorical") out.categorical.push(c.name);
      else out.excluded.push({ name: c.name, role: set });
    } else {
      const role = roleOf(c.name, overrides, profile);
      if (role === "categorical") out.categorical.push(c.name);
      else out.excluded.push({ name: c.name, role: role ?? "text" });
    }
  }
  return out;
}

/** The categorical features ticked when an encoding is switched on: all but label-like ones. */
export function suggestedCategorical(options: FeatureOptions): string[] {
  return options.categorical.filter((name) => !looksLikeLabel(name));
}

/** The columns after the user sets `name`'s role: dropped when it is no longer a usable feature. */
export function columnsAfterRole(
  columns: readonly string[],
  name: string,
  role: ColumnRoleName,
  readAsNumber: boolean,
  encoding: EncodingName,
): string[] {
  const usable = (role === "numeric" && readAsNumber) || (role === "categorical" && encoding !== "none");
  if (!usable) return columns.filter((c) => c !== name);
  if (role === "categorical" && !columns.includes(name)) return [...columns, name];
  return [...columns];
}

/** "Yeo-Johnson, standardised": what the preprocessing does to a numeric feature, for the before/after chart. */
export function afterLabel(p: PreprocessSettings, scaling: string): string {
  const parts: string[] = [];
  if (p.numericImputation !== "drop")
    parts.push(`${p.numericImputation === "mostFrequent" ? "most frequent" : p.numericImputation}-imputed`);
  if (p.transform === "log1p") parts.push("log1p");
  else if (p.transform === "yeoJohnson") parts.push("Yeo-Johnson");
  const scaled: Record<string, string> = {
    standard: "standardised",
    minmax: "min-max scaled",
    robust: "robust-scaled",
    none: "",
  };
  if (scaled[scaling]) parts.push(scaled[scaling]);
  return parts.length > 0 ? parts.join(", ") : "unchanged";
}
