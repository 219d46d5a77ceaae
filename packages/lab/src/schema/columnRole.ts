/**
 * What a column is for in an analysis:
 * - `"numeric"`: a measurement, used as a numeric feature;
 * - `"categorical"`: a small set of labels (strings, booleans, small integer codes), used as a
 *   categorical feature (encoded before clustering);
 * - `"datetime"`: dates and times (excluded from features);
 * - `"text"`: free text or high-cardinality strings (excluded from features);
 * - `"identifier"`: a row key, unique per row (excluded from features);
 * - `"target"`: the known outcome, named by the user (excluded from features, kept for evaluation);
 * - `"constant"`: a single distinct value (excluded: it cannot separate rows).
 */
export type ColumnRole = "numeric" | "categorical" | "datetime" | "text" | "identifier" | "target" | "constant";

/** Every role, in the order they are documented. */
export const COLUMN_ROLES: readonly ColumnRole[] = [
  "numeric",
  "categorical",
  "datetime",
  "text",
  "identifier",
  "target",
  "constant",
];

/** The roles whose columns are clustering features by default. */
export const FEATURE_ROLES: readonly ColumnRole[] = ["numeric", "categorical"];

/** True when `value` is one of `COLUMN_ROLES`. */
export function isColumnRole(value: unknown): value is ColumnRole {
  return typeof value === "string" && (COLUMN_ROLES as readonly string[]).includes(value);
}
