import { ValidationError } from "../errors.js";
import type { Matrix } from "../matrix.js";

/**
 * A sparse matrix in compressed sparse row form (as scipy's `csr_matrix`): the non-zeros of row `i`
 * are `data[p]` at column `indices[p]` for `p` in `[indptr[i], indptr[i + 1])`, columns increasing
 * within a row. Document-term matrices (`TfidfVectorizerModel.transform`) use it.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row start offsets, length rows + 1, `indptr[0] = 0`, `indptr[rows] = nnz`. */
  readonly indptr: Int32Array;
  /** Column index of each stored value, length nnz. */
  readonly indices: Int32Array;
  /** The stored values, length nnz. */
  readonly data: Float64Array;
}

/** True for an object shaped like a `CsrMatrix` (has `indptr`, `indices` and `data` typed arrays). */
export function isCsrMatrix(x: unknown): x is CsrMatrix {
  if (typeof x !== "object" || x === null) return false;
  const m = x as Partial<CsrMatrix>;
  return m.indptr instanceof Int32Array && m.indices instanceof Int32Array && m.data instanceof Float64Array;
}

/**
 * Checks a `CsrMatrix` (shape, offsets, column indices increasing within each row and in range, finite
 * values) and returns it. Throws a `ValidationError` naming the first problem.
 */
export function checkCsrMatrix(m: CsrMatrix, name = "X"): CsrMatrix {
  const { rows, cols, indptr, indices, data } = m;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new ValidationError(`invalid ${name}: shape ${rows} x ${cols} (must be non-negative integers)`);
  }
  if (indptr.length !== rows + 1 || indptr[0] !== 0) {
    throw new ValidationError(`invalid ${name}: indptr must have rows + 1 = ${rows + 1} entries starting at 0`);
  }
  const nnz = indptr[rows];
  if (indices.length !== nnz || data.length !== nnz) {
    throw new ValidationError(`invalid ${name}: indices and data must have indptr[rows] = ${nnz} entries`);
  }
  for (let i = 0; i < rows; i++) {
    const start = indptr[i];
    const end = indptr[i + 1];
    if (end < start) throw new ValidationError(`invalid ${name}: indptr decreases at row ${i}`);
    let prev = -1;
    for (let p = start; p < end; p++) {
      const j = indices[p];
      if (j <= prev || j >= cols) {
        throw new ValidationError(`invalid ${name}: column index ${j} at row ${i} (must increase and be < ${cols})`);
      }
      if (!Number.isFinite(data[p])) throw new ValidationError(`invalid ${name}: ${data[p]} at row ${i}, column ${j}`);
      prev = j;
    }
  }
  return m;
}

/** The dense form of a sparse matrix (rows x cols, row-major). */
export function csrToDense(m: CsrMatrix): Matrix {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) out[i * m.cols + m.indices[p]] = m.data[p];
  }
  return { rows: m.rows, cols: m.cols, data: out };
}

/** The sparse form of a dense matrix (exact zeros are not stored). */
export function csrFromDense(m: Matrix): CsrMatrix {
  let nnz = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i] !== 0) nnz++;
  const indptr = new Int32Array(m.rows + 1);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j];
      if (v !== 0) {
        indices[p] = j;
        data[p++] = v;
      }
    }
    indptr[i + 1] = p;
  }
  return { rows: m.rows, cols: m.cols, indptr, indices, data };
}

/** The rows `rowIndices` of a sparse matrix, in that order. */
export function csrTakeRows(m: CsrMatrix, rowIndices: ArrayLike<number>): CsrMatrix {
  const r = rowIndices.length;
  const indptr = new Int32Array(r + 1);
  for (let t = 0; t < r; t++) {
    const i = rowIndices[t];
    indptr[t + 1] = indptr[t] + m.indptr[i + 1] - m.indptr[i];
  }
  const indices = new Int32Array(indptr[r]);
  const data = new Float64Array(indptr[r]);
  for (let t = 0; t < r; t++) {
    const i = rowIndices[t];
    indices.set(m.indices.subarray(m.indptr[i], m.indptr[i + 1]), indptr[t]);
    data.set(m.data.subarray(m.indptr[i], m.indptr[i + 1]), indptr[t]);
  }
  return { rows: r, cols: m.cols, indptr, indices, data };
}

/** Euclidean (L2) norm of each row. */
export function csrRowNorms(m: CsrMatrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) s += m.data[p] * m.data[p];
    out[i] = Math.sqrt(s);
  }
  return out;
}

/**
 * `A B` for a sparse `A` (n x d) and a dense `B` (d x l, row-major, given as its flat data): returns the
 * flat n x l product.
 */
export function csrMultiplyDense(a: CsrMatrix, b: Float64Array, l: number): Float64Array {
  if (b.length !== a.cols * l) throw new ValidationError(`invalid B: length ${b.length}, expected ${a.cols * l}`);
  const out = new Float64Array(a.rows * l);
  for (let i = 0; i < a.rows; i++) {
    const o = i * l;
    for (let p = a.indptr[i]; p < a.indptr[i + 1]; p++) {
      const v = a.data[p];
      const r = a.indices[p] * l;
      for (let c = 0; c < l; c++) out[o + c] += v * b[r + c];
    }
  }
  return out;
}

/**
 * `A^T B` for a sparse `A` (n x d) and a dense `B` (n x l, row-major flat data): returns the flat d x l
 * product.
 */
export function csrTransposeMultiplyDense(a: CsrMatrix, b: Float64Array, l: number): Float64Array {
  if (b.length !== a.rows * l) throw new ValidationError(`invalid B: length ${b.length}, expected ${a.rows * l}`);
  const out = new Float64Array(a.cols * l);
  for (let i = 0; i < a.rows; i++) {
    const r = i * l;
    for (let p = a.indptr[i]; p < a.indptr[i + 1]; p++) {
      const v = a.data[p];
      const o = a.indices[p] * l;
      for (let c = 0; c < l; c++) out[o + c] += v * b[r + c];
    }
  }
  return out;
}
