import type { Column, Frame } from "@clusterlab/core";
import { DataError } from "../errors.js";
import { type DatasetSchema, inferSchema } from "../schema/inferSchema.js";
import type { NormalizedAnalysisSpec } from "../spec/normalizeSpec.js";
import { getColumn, type Table } from "../table.js";
import type { AlgorithmInputKind } from "./estimatorFromSpec.js";

/** The features of a run, by kind, after applying the spec's column roles and selection. */
export interface ResolvedFeatures {
  /** Column roles (inferred, with the spec's overrides). */
  schema: DatasetSchema;
  /** Numeric feature columns (role numeric), in feature order. */
  numeric: string[];
  /** Categorical feature columns (role categorical; every feature for kmodes), in feature order. */
  categorical: string[];
  /** Categorical features the algorithm does not use (encoding "none" with a numeric algorithm). */
  unusedCategorical: string[];
  /** The target column, or null. */
  target: string | null;
  /** Notes for the run's warnings. */
  warnings: string[];
}

const NON_FEATURE_HINT = 'set its role to "numeric" or "categorical" in columns.roles to use it as a feature';

/**
 * Applies the spec's `columns` to a table: infers every column's role (`inferSchema`) with the
 * spec's `roles` and `target` on top, takes `include` (or every numeric/categorical column) minus
 * `exclude`, and splits the features by role for the algorithm's input kind (kmodes treats every
 * feature as categorical; numeric algorithms drop categorical features when `encoding` is "none").
 * Errors (`DataError`) name the column: an unknown column, an included column whose role is not a
 * feature role (with the reason of the inferred role, e.g. all values missing), no feature left.
 */
export function resolveFeatures(
  table: Table,
  spec: NormalizedAnalysisSpec,
  input: AlgorithmInputKind,
): ResolvedFeatures {
  const { roles, include, exclude, target } = spec.columns;
  for (const name of exclude) getColumn(table, name);
  if (include) for (const name of include) getColumn(table, name);
  const schema = inferSchema(table, { roles, ...(target !== null && { target }) });
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const excluded = new Set(exclude);
  let chosen: string[];
  if (include) {
    chosen = include.filter((name) => !excluded.has(name));
    for (const name of chosen) {
      const c = byName.get(name)!;
      if (c.role !== "numeric" && c.role !== "categorical") {
        throw new DataError(
          `column ${JSON.stringify(name)} is in columns.include but its role is ${c.role} (${c.reason}); ${NON_FEATURE_HINT}`,
        );
      }
    }
  } else {
    chosen = schema.features.filter((name) => !excluded.has(name));
  }
  if (chosen.length === 0) {
    const roleList = schema.columns.map((c) => `${c.name}: ${c.role}`).join(", ");
    throw new DataError(`no feature columns in ${table.source} (roles: ${roleList})`);
  }
  const warnings: string[] = [];
  let numeric = chosen.filter((name) => byName.get(name)!.role === "numeric");
  let categorical = chosen.filter((name) => byName.get(name)!.role === "categorical");
  let unusedCategorical: string[] = [];
  if (input === "categorical") {
    // kmodes clusters categories: every included column, or by default the categorical ones.
    if (include) categorical = [...chosen];
    else if (numeric.length > 0) {
      warnings.push(`kmodes clusters categorical features; numeric features left out: ${numeric.join(", ")}`);
    }
    numeric = [];
    if (categorical.length === 0) {
      throw new DataError(
        `no categorical features in ${table.source} for kmodes; name the columns to cluster in columns.include`,
      );
    }
  } else if (input === "mixed") {
    if (numeric.length === 0 || categorical.length === 0) {
      throw new DataError(
        `kprototypes needs numeric and categorical features (numeric: ${numeric.join(", ") || "none"}; categorical: ${categorical.join(", ") || "none"}); use kmodes for categorical features only, another algorithm for numeric ones`,
      );
    }
  } else if (spec.preprocessing.encoding === "none" && categorical.length > 0) {
    unusedCategorical = categorical;
    categorical = [];
    warnings.push(`categorical features left out (preprocessing.encoding is "none"): ${unusedCategorical.join(", ")}`);
    if (numeric.length === 0) {
      throw new DataError(
        `no numeric features in ${table.source} and categorical ones are left out (preprocessing.encoding is "none"); use "onehot" or "ordinal", or kmodes`,
      );
    }
  }
  for (const name of numeric) {
    const column = getColumn(table, name);
    if (column.kind !== "numeric") {
      throw new DataError(`column ${JSON.stringify(name)} has role numeric but was read as ${column.type}`);
    }
  }
  return { schema, numeric, categorical, unusedCategorical, target: schema.target, warnings };
}

/** The named table columns at the given rows (all rows when `rows` is undefined) as a core `Frame`. */
export function featureFrame(table: Table, names: readonly string[], rows?: ArrayLike<number>): Frame {
  const columns: Column[] = names.map((name) => {
    const column = getColumn(table, name);
    if (rows === undefined) return column.values;
    if (column.kind === "numeric") {
      const out = new Float64Array(rows.length);
      for (let r = 0; r < rows.length; r++) out[r] = column.values[rows[r]];
      return out;
    }
    const out = new Array<string | null>(rows.length);
    for (let r = 0; r < rows.length; r++) out[r] = column.values[rows[r]];
    return out;
  });
  return { names: [...names], columns, rows: rows === undefined ? table.nRows : rows.length };
}
