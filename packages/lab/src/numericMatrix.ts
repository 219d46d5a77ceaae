import type { Matrix } from "@clusterlab/core";
import { DataError } from "./errors.js";
import { columnNames, getColumn, type NumericColumn, type Table } from "./table.js";

/** Options for `numericMatrix`. */
export interface NumericMatrixOptions {
  /** Columns to use, in this order; each must be numeric. Default: every numeric column. */
  columns?: readonly string[];
  /** Columns to leave out (applied after `columns`). Default: none. */
  exclude?: readonly string[];
  /**
   * Drop rows with a missing (NULL/NaN) value in a used column instead of failing. Default false:
   * a missing value is an error naming the column and how many values are missing.
   */
  dropMissing?: boolean;
  /** How to name the option that drops rows in the missing-value error. Default `"dropMissing: true"`. */
  dropMissingHint?: string;
}

/** The result of `numericMatrix`. */
export interface NumericMatrixResult {
  /** Row-major `rows x columns.length` matrix of the used columns. */
  matrix: Matrix;
  /** Names of the used columns, in matrix column order. */
  columns: string[];
  /** Number of rows dropped for missing values (0 unless `dropMissing`). */
  rowsDropped: number;
  /** Table row index of each matrix row; present only when rows were dropped. */
  rowIndex?: Int32Array;
}

/**
 * Builds the feature matrix for clustering from the numeric columns of a table (or the named
 * ones). Errors (`DataError`): an unknown name lists the available columns, a named text column
 * is refused, a table without numeric columns says so (`no numeric columns in x.csv (columns: a, b)`),
 * missing values name the column (`column "age" has 3 missing values; impute them or pass ...`),
 * infinite values likewise.
 */
export function numericMatrix(table: Table, options: NumericMatrixOptions = {}): NumericMatrixResult {
  const { exclude = [], dropMissing = false, dropMissingHint = "dropMissing: true" } = options;
  for (const name of exclude) getColumn(table, name);
  let selected: NumericColumn[];
  if (options.columns !== undefined) {
    if (options.columns.length === 0) throw new DataError("no columns selected (the column list is empty)");
    const seen = new Set<string>();
    selected = [];
    for (const name of options.columns) {
      if (seen.has(name)) throw new DataError(`column ${JSON.stringify(name)} is selected twice`);
      seen.add(name);
      const column = getColumn(table, name);
      if (column.kind !== "numeric") {
        throw new DataError(
          `column ${JSON.stringify(name)} in ${table.source} is not numeric (type ${column.type}); choose numeric columns or encode it first`,
        );
      }
      selected.push(column);
    }
  } else {
    selected = table.columns.filter((c): c is NumericColumn => c.kind === "numeric");
    if (selected.length === 0) {
      throw new DataError(`no numeric columns in ${table.source} (columns: ${columnNames(table).join(", ")})`);
    }
  }
  const excluded = new Set(exclude);
  selected = selected.filter((c) => !excluded.has(c.name));
  if (selected.length === 0) {
    throw new DataError(`no columns left in ${table.source} after excluding ${exclude.join(", ")}`);
  }

  const n = table.nRows;
  const d = selected.length;
  let keep: Uint8Array | undefined;
  let kept = n;
  for (const column of selected) {
    const v = column.values;
    let missing = 0;
    let infinite = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x - x !== 0) {
        if (Number.isNaN(x)) missing++;
        else infinite++;
      }
    }
    if (infinite > 0) {
      throw new DataError(
        `column ${JSON.stringify(column.name)} has ${infinite} infinite ${infinite === 1 ? "value" : "values"}; clustering needs finite numbers`,
      );
    }
    if (missing > 0) {
      if (!dropMissing) {
        throw new DataError(
          `column ${JSON.stringify(column.name)} has ${missing} missing ${missing === 1 ? "value" : "values"}; impute them or pass ${dropMissingHint}`,
        );
      }
      keep ??= new Uint8Array(n).fill(1);
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(v[i]) && keep[i]) {
          keep[i] = 0;
          kept--;
        }
      }
    }
  }
  if (kept === 0) throw new DataError(`no rows left in ${table.source} after dropping rows with missing values`);

  let rowIndex: Int32Array | undefined;
  if (keep) {
    rowIndex = new Int32Array(kept);
    for (let i = 0, r = 0; i < n; i++) if (keep[i]) rowIndex[r++] = i;
  }
  const data = new Float64Array(kept * d);
  for (let j = 0; j < d; j++) {
    const v = selected[j].values;
    if (rowIndex) {
      for (let r = 0; r < kept; r++) data[r * d + j] = v[rowIndex[r]];
    } else {
      for (let i = 0; i < n; i++) data[i * d + j] = v[i];
    }
  }
  const result: NumericMatrixResult = {
    matrix: { rows: kept, cols: d, data },
    columns: selected.map((c) => c.name),
    rowsDropped: n - kept,
  };
  if (rowIndex) result.rowIndex = rowIndex;
  return result;
}
