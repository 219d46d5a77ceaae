import { type Column, type Frame, frame, type Matrix } from "@clusterlab/core";
import { columnNames, DataError, getColumn, numericMatrix, type Table, type TableColumn } from "@clusterlab/lab";
import type { AlgorithmInput } from "./algorithms.js";

/** The features of a run: numeric columns as a matrix, categorical columns as frame columns. */
export interface Features {
  /** The numeric feature columns (n x numericColumns.length; 0 columns for kmodes). */
  matrix: Matrix;
  numericColumns: string[];
  /** Columns clustered as categories (kmodes, kprototypes); empty for numeric algorithms. */
  categoricalColumns: string[];
  /** The categorical columns' values at the kept rows (text: null = missing; numbers: NaN = missing). */
  categorical: Column[];
  /** Rows left out for missing values (--drop-missing). */
  rowsDropped: number;
  /** Table row of each kept row; present only when rows were dropped. */
  rowIndex?: Int32Array;
}

/** How the command line chose the columns. */
export interface FeatureSelection {
  columns?: readonly string[];
  exclude: readonly string[];
  dropMissing: boolean;
  /** kprototypes' `--categorical`: the columns clustered as categories (default: the text columns). */
  categorical?: readonly string[];
}

const DROP_HINT = "--drop-missing";

/**
 * Selects the features of `--algo` from the table: numeric algorithms take the numeric columns
 * (`numericMatrix`); kmodes takes the text columns (or the `--columns` named, any type, as
 * categories); kprototypes takes the numeric and the text columns (`--categorical` names the
 * categorical ones). A missing category (empty cell) is a category of its own unless
 * `--drop-missing`; a missing number is an error unless `--drop-missing`.
 */
export function selectFeatures(table: Table, input: AlgorithmInput, sel: FeatureSelection): Features {
  if (input === "numeric") {
    const r = numericMatrix(table, {
      columns: sel.columns,
      exclude: sel.exclude,
      dropMissing: sel.dropMissing,
      dropMissingHint: DROP_HINT,
    });
    return {
      matrix: r.matrix,
      numericColumns: r.columns,
      categoricalColumns: [],
      categorical: [],
      rowsDropped: r.rowsDropped,
      ...(r.rowIndex && { rowIndex: r.rowIndex }),
    };
  }
  for (const name of sel.exclude) getColumn(table, name);
  const excluded = new Set(sel.exclude);
  let used: TableColumn[];
  if (sel.columns !== undefined) {
    if (sel.columns.length === 0) throw new DataError("no columns selected (the column list is empty)");
    const seen = new Set<string>();
    used = sel.columns.map((name) => {
      if (seen.has(name)) throw new DataError(`column ${JSON.stringify(name)} is selected twice`);
      seen.add(name);
      return getColumn(table, name);
    });
  } else {
    used = table.columns.filter((c) => !excluded.has(c.name));
    if (input === "categorical") {
      used = used.filter((c) => c.kind === "string");
      if (used.length === 0) {
        throw new DataError(
          `no text columns in ${table.source} for kmodes (columns: ${columnNames(table).join(", ")}); name the categorical columns with --columns`,
        );
      }
    }
  }
  used = used.filter((c) => !excluded.has(c.name));
  if (used.length === 0) {
    throw new DataError(`no columns left in ${table.source} after excluding ${sel.exclude.join(", ")}`);
  }

  if (input === "categorical")
    return gatherFeatures(
      table,
      [],
      used.map((c) => c.name),
      sel.dropMissing,
    );

  let categorical: string[];
  if (sel.categorical !== undefined) {
    const names = new Set(used.map((c) => c.name));
    for (const name of sel.categorical) {
      getColumn(table, name);
      if (!names.has(name)) {
        throw new DataError(`--categorical column ${JSON.stringify(name)} is not among the used columns`);
      }
    }
    categorical = [...sel.categorical];
  } else {
    categorical = used.filter((c) => c.kind === "string").map((c) => c.name);
  }
  const isCategorical = new Set(categorical);
  const numeric = used.filter((c) => !isCategorical.has(c.name)).map((c) => c.name);
  if (numeric.length === 0 || categorical.length === 0) {
    throw new DataError(
      `kprototypes needs numeric and categorical columns (numeric: ${numeric.join(", ") || "none"}; categorical: ${categorical.join(", ") || "none"}); use kmodes for categorical columns only, another algorithm for numeric ones`,
    );
  }
  return gatherFeatures(table, numeric, categorical, sel.dropMissing);
}

/**
 * The features for known numeric and categorical column names (a saved model's), with the same
 * checks as `selectFeatures`: numeric columns must be numeric, finite and (unless `dropMissing`)
 * complete; categorical columns may be of any type.
 */
export function gatherFeatures(
  table: Table,
  numericNames: readonly string[],
  categoricalNames: readonly string[],
  dropMissing: boolean,
): Features {
  const n = table.nRows;
  const numeric = numericNames.map((name) => {
    const c = getColumn(table, name);
    if (c.kind !== "numeric") {
      throw new DataError(
        `column ${JSON.stringify(name)} in ${table.source} is not numeric (type ${c.type}); list it in --categorical or leave it out`,
      );
    }
    return c;
  });
  const categorical = categoricalNames.map((name) => getColumn(table, name));
  const keep = new Uint8Array(n).fill(1);
  let kept = n;
  const drop = (i: number) => {
    if (keep[i]) {
      keep[i] = 0;
      kept--;
    }
  };
  for (const c of numeric) {
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const x = c.values[i];
      if (Number.isNaN(x)) {
        missing++;
        drop(i);
      } else if (!Number.isFinite(x)) {
        throw new DataError(`column ${JSON.stringify(c.name)} has infinite values; clustering needs finite numbers`);
      }
    }
    if (missing > 0 && !dropMissing) {
      throw new DataError(
        `column ${JSON.stringify(c.name)} has ${missing} missing ${missing === 1 ? "value" : "values"}; impute them or pass ${DROP_HINT}`,
      );
    }
  }
  if (dropMissing) {
    for (const c of categorical) {
      for (let i = 0; i < n; i++) {
        const v = c.values[i];
        if (v === null || (typeof v === "number" && Number.isNaN(v))) drop(i);
      }
    }
  }
  if (kept === 0) throw new DataError(`no rows left in ${table.source} after dropping rows with missing values`);
  let rowIndex: Int32Array | undefined;
  if (kept < n) {
    rowIndex = new Int32Array(kept);
    for (let i = 0, r = 0; i < n; i++) if (keep[i]) rowIndex[r++] = i;
  }
  const d = numeric.length;
  const data = new Float64Array(kept * d);
  for (let j = 0; j < d; j++) {
    const v = numeric[j].values;
    for (let r = 0; r < kept; r++) data[r * d + j] = v[rowIndex ? rowIndex[r] : r];
  }
  const pick = (c: TableColumn): Column => {
    if (c.kind === "numeric") {
      if (!rowIndex) return c.values;
      const out = new Float64Array(kept);
      for (let r = 0; r < kept; r++) out[r] = c.values[rowIndex[r]];
      return out;
    }
    if (!rowIndex) return c.values;
    const out = new Array<string | null>(kept);
    for (let r = 0; r < kept; r++) out[r] = c.values[rowIndex[r]];
    return out;
  };
  return {
    matrix: { rows: kept, cols: d, data },
    numericColumns: [...numericNames],
    categoricalColumns: [...categoricalNames],
    categorical: categorical.map(pick),
    rowsDropped: n - kept,
    ...(rowIndex && { rowIndex }),
  };
}

/** The `Frame` kmodes / kprototypes fit on: the (scaled) numeric columns, then the categorical ones. */
export function featureFrame(features: Features, numeric: Matrix): Frame {
  const columns: Record<string, Column> = {};
  const { rows, cols, data } = numeric;
  for (let j = 0; j < cols; j++) {
    const c = new Float64Array(rows);
    for (let i = 0; i < rows; i++) c[i] = data[i * cols + j];
    columns[features.numericColumns[j]] = c;
  }
  features.categoricalColumns.forEach((name, j) => {
    columns[name] = features.categorical[j];
  });
  return frame(columns);
}

/**
 * A numeric encoding whose squared Euclidean distance between two rows is the k-modes /
 * k-prototypes dissimilarity: the numeric columns as given, then each categorical column one-hot
 * encoded with value sqrt(weight / 2), so that a differing category adds `weight` (1 for k-modes,
 * gamma for k-prototypes). A missing category is a category of its own, as in the models.
 */
export function mismatchEncoding(features: Features, numeric: Matrix, weight: number): Matrix {
  const n = numeric.rows;
  const codes = features.categorical.map((column) => {
    const index = new Map<string | number | null, number>();
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const raw = column[i];
      const v = typeof raw === "number" && Number.isNaN(raw) ? null : raw;
      let code = index.get(v);
      if (code === undefined) {
        code = index.size;
        index.set(v, code);
      }
      out[i] = code;
    }
    return { out, size: index.size };
  });
  const width = numeric.cols + codes.reduce((a, c) => a + c.size, 0);
  const data = new Float64Array(n * width);
  const hot = Math.sqrt(weight / 2);
  for (let i = 0; i < n; i++) {
    const row = i * width;
    for (let j = 0; j < numeric.cols; j++) data[row + j] = numeric.data[i * numeric.cols + j];
    let offset = numeric.cols;
    for (const c of codes) {
      data[row + offset + c.out[i]] = hot;
      offset += c.size;
    }
  }
  return { rows: n, cols: width, data };
}

/** Width of `mismatchEncoding` without building it (to refuse a huge one). */
export function mismatchEncodingWidth(features: Features): number {
  let width = features.numericColumns.length;
  for (const column of features.categorical) {
    const seen = new Set<string | number | null>();
    for (let i = 0; i < column.length; i++) {
      const raw = column[i];
      seen.add(typeof raw === "number" && Number.isNaN(raw) ? null : raw);
    }
    width += seen.size;
  }
  return width;
}
