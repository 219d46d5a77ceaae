import { invalid, ValidationError } from "../errors.js";
import { isMatrix, type Matrix, type MatrixLike } from "../matrix.js";
import { checkFinite } from "../validate.js";

/**
 * One column of a `Frame`: numbers (`Float64Array`, NaN = missing) or strings (`null` = missing).
 */
export type Column = Float64Array | ReadonlyArray<string | null>;

/**
 * A small column table for mixed numeric / categorical data (what a CSV or a DataFrame holds).
 * `columns[j]` has `rows` entries and is named `names[j]`.
 */
export interface Frame {
  names: string[];
  columns: Column[];
  rows: number;
}

/** One cell of a row-wise table: `null` (and NaN) is missing; booleans become `"true"` / `"false"`. */
export type Cell = string | number | boolean | null;

/**
 * Anything the table-aware estimators (encoders, `ColumnTransformer`, a `Pipeline` starting with
 * one) accept:
 * - a `Frame` (column names are kept and checked at transform time);
 * - a numeric `Matrix` / array of numeric rows (columns named `x0`, `x1`, ...);
 * - an array of rows of `string | number | boolean | null` (columns named `x0`, `x1`, ...). Each column
 *   must be all numbers or all strings/booleans (missing values aside); booleans become `"true"`/`"false"`.
 */
export type TableLike = Frame | MatrixLike | ReadonlyArray<ReadonlyArray<Cell>>;

/**
 * Builds a `Frame` from named columns: `frame({ color: ["red", null], size: Float64Array.of(1, 2) })`.
 * All columns must have the same length.
 */
export function frame(columns: Record<string, Column>): Frame {
  const names = Object.keys(columns);
  const cols = names.map((n) => columns[n]);
  const rows = cols.length > 0 ? cols[0].length : 0;
  const f: Frame = { names, columns: cols, rows };
  checkFrame(f);
  return f;
}

/** True when `x` has the `Frame` shape (names, columns, rows). */
export function isFrame(x: unknown): x is Frame {
  return (
    typeof x === "object" &&
    x !== null &&
    Array.isArray((x as Frame).names) &&
    Array.isArray((x as Frame).columns) &&
    typeof (x as Frame).rows === "number"
  );
}

/** True for a numeric column. */
export function isNumericColumn(c: Column): c is Float64Array {
  return c instanceof Float64Array;
}

/** The column called `name`; throws naming the known columns when it is absent. */
export function frameColumn(f: Frame, name: string): Column {
  const j = f.names.indexOf(name);
  if (j < 0) throw invalid("column", name, `not in the frame; columns: ${f.names.join(", ")}`);
  return f.columns[j];
}

/** A frame with only the named columns, in the given order (columns are shared, not copied). */
export function selectColumns(f: Frame, names: readonly string[]): Frame {
  return { names: [...names], columns: names.map((n) => frameColumn(f, n)), rows: f.rows };
}

/**
 * The numeric columns of a frame as a `Matrix` (NaN kept as missing). Throws on a string column or an
 * infinite value, naming it.
 */
export function frameToMatrix(f: Frame, name = "X"): Matrix {
  const { rows } = f;
  const cols = f.columns.length;
  const data = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const c = f.columns[j];
    if (!isNumericColumn(c)) {
      throw new ValidationError(
        `invalid ${name}: column ${j} (${f.names[j]}) holds strings; a numeric matrix is needed here`,
      );
    }
    for (let i = 0; i < rows; i++) data[i * cols + j] = c[i];
  }
  const m = { rows, cols, data };
  checkFinite(m, name, true);
  return m;
}

/** Default column names `x0`, `x1`, ... (as scikit-learn uses for arrays). */
export function defaultNames(n: number): string[] {
  return Array.from({ length: n }, (_, j) => `x${j}`);
}

/** Validates a frame's shape and cell types; throws naming the first problem. */
export function checkFrame(f: Frame, name = "X"): Frame {
  if (!Number.isInteger(f.rows) || f.rows < 0) throw new ValidationError(`invalid ${name}: rows ${f.rows}`);
  if (f.names.length !== f.columns.length) {
    throw new ValidationError(`invalid ${name}: ${f.names.length} names for ${f.columns.length} columns`);
  }
  const seen = new Set<string>();
  for (let j = 0; j < f.columns.length; j++) {
    const n = f.names[j];
    if (typeof n !== "string") throw new ValidationError(`invalid ${name}: column ${j} name is not a string`);
    if (seen.has(n)) throw new ValidationError(`invalid ${name}: duplicate column name ${JSON.stringify(n)}`);
    seen.add(n);
    const c = f.columns[j];
    if (c == null || typeof c.length !== "number") {
      throw new ValidationError(`invalid ${name}: column ${j} (${n}) is not an array`);
    }
    if (c.length !== f.rows) {
      throw new ValidationError(`invalid ${name}: column ${j} (${n}) has ${c.length} values, expected ${f.rows}`);
    }
    if (!isNumericColumn(c)) {
      for (let i = 0; i < c.length; i++) {
        const v = c[i];
        if (v !== null && typeof v !== "string") {
          throw new ValidationError(
            `invalid ${name}: value ${String(v)} at row ${i} of column ${j} (${n}) (a string column holds strings or null)`,
          );
        }
      }
    }
  }
  return f;
}

/**
 * Converts any `TableLike` input to a validated `Frame` (see `TableLike` for the rules). A `Frame`
 * input is checked, not copied.
 */
export function asFrame(x: TableLike, name = "X"): Frame {
  if (isFrame(x)) return checkFrame(x, name);
  if (isMatrix(x)) {
    const { rows, cols, data } = x;
    if (data.length !== rows * cols) {
      throw new ValidationError(`invalid ${name}: data length ${data.length} does not match rows x cols`);
    }
    const columns: Column[] = [];
    for (let j = 0; j < cols; j++) {
      const c = new Float64Array(rows);
      for (let i = 0; i < rows; i++) c[i] = data[i * cols + j];
      columns.push(c);
    }
    return { names: defaultNames(cols), columns, rows };
  }
  if (x == null || typeof (x as ArrayLike<unknown>).length !== "number") {
    throw new ValidationError(`invalid ${name}: expected a Frame, a Matrix or an array of rows, got ${typeof x}`);
  }
  const rowsIn = x as ArrayLike<ArrayLike<unknown>>;
  const rows = rowsIn.length;
  if (rows === 0) throw new ValidationError(`invalid ${name}: empty (0 rows; at least 1 required)`);
  const first = rowsIn[0];
  if (first == null || typeof first.length !== "number") {
    throw new ValidationError(`invalid ${name}: row 0 is not an array`);
  }
  const cols = first.length;
  for (let i = 0; i < rows; i++) {
    const r = rowsIn[i];
    if (r == null || typeof r.length !== "number")
      throw new ValidationError(`invalid ${name}: row ${i} is not an array`);
    if (r.length !== cols)
      throw new ValidationError(`invalid ${name}: row ${i} has ${r.length} values, expected ${cols}`);
  }
  const columns: Column[] = [];
  for (let j = 0; j < cols; j++) {
    let numberRow = -1;
    let stringRow = -1;
    for (let i = 0; i < rows; i++) {
      const v = rowsIn[i][j];
      if (v == null) continue;
      if (typeof v === "number") {
        if (numberRow < 0 && !Number.isNaN(v)) numberRow = i;
      } else if (typeof v === "string" || typeof v === "boolean") {
        if (stringRow < 0) stringRow = i;
      } else {
        throw new ValidationError(
          `invalid ${name}: value ${String(v)} at row ${i}, column ${j} (cells are strings, numbers, booleans or null)`,
        );
      }
    }
    if (numberRow >= 0 && stringRow >= 0) {
      throw new ValidationError(
        `invalid ${name}: column ${j} mixes numbers and strings (row ${numberRow}: ${String(rowsIn[numberRow][j])}, row ${stringRow}: ${JSON.stringify(rowsIn[stringRow][j])})`,
      );
    }
    if (stringRow >= 0) {
      const c: (string | null)[] = new Array(rows);
      for (let i = 0; i < rows; i++) {
        const v = rowsIn[i][j];
        c[i] = v == null || (typeof v === "number" && Number.isNaN(v)) ? null : String(v);
      }
      columns.push(c);
    } else {
      const c = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        const v = rowsIn[i][j];
        c[i] = v == null ? Number.NaN : (v as number);
      }
      columns.push(c);
    }
  }
  return { names: defaultNames(cols), columns, rows };
}

/**
 * Marks estimators and models that take a `TableLike` (a `Frame`) rather than a numeric matrix:
 * `ColumnTransformer` hands them the selected columns as a `Frame`; other transformers get a `Matrix`.
 */
export interface AcceptsFrame {
  readonly acceptsFrame: true;
}

/** True when `x` declares `acceptsFrame: true` (encoders, `ColumnTransformer`, pipelines starting with one). */
export function acceptsFrame(x: unknown): boolean {
  return typeof x === "object" && x !== null && (x as { acceptsFrame?: unknown }).acceptsFrame === true;
}
