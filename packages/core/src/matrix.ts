import { ValidationError } from "./errors.js";

/**
 * A dense row-major matrix of 64-bit floats: element (i, j) is `data[i * cols + j]`.
 * All numeric kernels in Clusterlab work on this shape; `number[][]` is accepted only at the
 * API boundary (see `asMatrix`) and converted once.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Anything the public API accepts as a data matrix. */
export type MatrixLike = Matrix | ArrayLike<ArrayLike<number>>;

/** Creates a matrix; allocates zeros when `data` is omitted. */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || rows < 0) throw new ValidationError(`invalid rows: ${rows} (must be an integer >= 0)`);
  if (!Number.isInteger(cols) || cols < 0) throw new ValidationError(`invalid cols: ${cols} (must be an integer >= 0)`);
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new ValidationError(`invalid data: length ${d.length} (expected rows * cols = ${rows * cols})`);
  }
  return { rows, cols, data: d };
}

/** True when `x` has the `Matrix` shape (rows, cols, Float64Array data). */
export function isMatrix(x: unknown): x is Matrix {
  return (
    typeof x === "object" &&
    x !== null &&
    (x as Matrix).data instanceof Float64Array &&
    typeof (x as Matrix).rows === "number" &&
    typeof (x as Matrix).cols === "number"
  );
}

/** A zero-copy view of row `i`. */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Converts a matrix to nested arrays (for JSON output and tests). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(row(m, i));
  return out;
}

/** Copies the rows with the given indices into a new matrix. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const { cols } = m;
  const out = new Float64Array(indices.length * cols);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    out.set(m.data.subarray(i * cols, (i + 1) * cols), r * cols);
  }
  return { rows: indices.length, cols, data: out };
}

/** Copies the columns with the given indices into a new matrix. */
export function takeColumns(m: Matrix, columns: ArrayLike<number>): Matrix {
  const { rows, cols, data } = m;
  const k = columns.length;
  const out = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < k; j++) out[i * k + j] = data[base + columns[j]];
  }
  return { rows, cols: k, data: out };
}

/** Column `j` as a new array. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}

/** A deep copy. */
export function cloneMatrix(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}
