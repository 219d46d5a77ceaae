import { symmetricEigen } from "../linalg/symmetricEigen.js";
import type { Matrix } from "../matrix.js";
import { Random } from "../random.js";
import { type CsrMatrix, csrMultiplyDense, csrTransposeMultiplyDense } from "./csrMatrix.js";

/** Options for `randomizedSvd`. */
export interface RandomizedSvdOptions {
  /** Power iterations (each one multiplies by `A^T` then `A`, re-orthonormalising). Default 5. */
  nIter?: number;
  /** Extra random directions beyond k in the sketch (l = k + nOversamples, at most min(n, d)). Default 10. */
  nOversamples?: number;
  /** Seed of the Gaussian test matrix. Default 0. */
  seed?: number;
}

/** The k leading singular triplets: `A ~ U diag(s) V^T`. */
export interface RandomizedSvdResult {
  /** Left singular vectors, n x k, row-major. */
  u: Float64Array;
  /** Singular values, decreasing, length k. */
  s: Float64Array;
  /** Right singular vectors as rows: k x d, row-major (row j is the j-th right singular vector). */
  vt: Float64Array;
}

/** `A B` for row-major A (n x l) and B (l x k). */
function multiplyBlocks(a: Float64Array, n: number, l: number, b: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    for (let p = 0; p < l; p++) {
      const v = a[i * l + p];
      if (v === 0) continue;
      const r = p * k;
      for (let j = 0; j < k; j++) out[o + j] += v * b[r + j];
    }
  }
  return out;
}

/** A matrix seen only through products with dense blocks. */
interface Operator {
  rows: number;
  cols: number;
  /** `A X`, X cols x l -> rows x l. */
  mul(x: Float64Array, l: number): Float64Array;
  /** `A^T X`, X rows x l -> cols x l. */
  tmul(x: Float64Array, l: number): Float64Array;
}

function csrOperator(a: CsrMatrix): Operator {
  return {
    rows: a.rows,
    cols: a.cols,
    mul: (x, l) => csrMultiplyDense(a, x, l),
    tmul: (x, l) => csrTransposeMultiplyDense(a, x, l),
  };
}

function denseMul(a: Matrix, x: Float64Array, l: number): Float64Array {
  const { rows: n, cols: d, data } = a;
  const out = new Float64Array(n * l);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      if (v === 0) continue;
      for (let c = 0; c < l; c++) out[i * l + c] += v * x[j * l + c];
    }
  }
  return out;
}

function denseTmul(a: Matrix, x: Float64Array, l: number): Float64Array {
  const { rows: n, cols: d, data } = a;
  const out = new Float64Array(d * l);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      if (v === 0) continue;
      for (let c = 0; c < l; c++) out[j * l + c] += v * x[i * l + c];
    }
  }
  return out;
}

function denseOperator(a: Matrix): Operator {
  return { rows: a.rows, cols: a.cols, mul: (x, l) => denseMul(a, x, l), tmul: (x, l) => denseTmul(a, x, l) };
}

function transposed(op: Operator): Operator {
  return { rows: op.cols, cols: op.rows, mul: op.tmul, tmul: op.mul };
}

/**
 * Orthonormalises the columns of the n x l row-major block `y` in place (modified Gram-Schmidt, each
 * column orthogonalised twice, on a column-major copy for contiguous access). A column that is
 * numerically in the span of the previous ones (its norm falls below 1e-12 of what it was) becomes zero.
 */
export function orthonormalizeColumns(y: Float64Array, n: number, l: number): void {
  const c = new Float64Array(n * l);
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) c[j * n + i] = y[i * l + j];
  for (let j = 0; j < l; j++) {
    const v = c.subarray(j * n, (j + 1) * n);
    let before = 0;
    for (let i = 0; i < n; i++) before += v[i] * v[i];
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < j; q++) {
        const u = c.subarray(q * n, (q + 1) * n);
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i] * v[i];
        if (dot === 0) continue;
        for (let i = 0; i < n; i++) v[i] -= dot * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    const scale = norm > 0 && norm > 1e-12 * Math.sqrt(before) ? 1 / norm : 0;
    for (let i = 0; i < n; i++) v[i] *= scale;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) y[i * l + j] = c[j * n + i];
}

/**
 * The k leading singular values and vectors of `a` (sparse or dense, n x d) by the randomized range
 * finder with power iterations (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.1; scikit-learn's
 * `randomized_svd`): a Gaussian sketch of l = k + nOversamples directions is multiplied by `A`, then
 * `nIter` times by `A A^T`, the basis being re-orthonormalised (QR by Gram-Schmidt) after every
 * multiplication by `A A^T` on the smaller side of `A` (orthonormalising the long side as well, as
 * scikit-learn does, costs far more and changes little: `A^T Q` is no worse conditioned than `A`); `A`
 * projected onto the resulting basis is a small l x max(n, d) matrix whose SVD (here from the
 * eigendecomposition of its l x l Gram matrix, by Jacobi rotations) gives the triplets. The sketch is
 * taken on the smaller side of `A`. When l reaches the rank of `A` the result is exact to rounding.
 * Signs are as computed (the caller fixes a convention). Requires 1 <= k <= min(n, d).
 */
export function randomizedSvd(
  a: CsrMatrix | Matrix,
  k: number,
  options: RandomizedSvdOptions = {},
): RandomizedSvdResult {
  const nIter = options.nIter ?? 5;
  const nOversamples = options.nOversamples ?? 10;
  const rng = new Random(options.seed ?? 0);
  const base = "indptr" in a ? csrOperator(a) : denseOperator(a);
  const flip = base.rows > base.cols;
  const op = flip ? transposed(base) : base;
  const m = op.rows; // the smaller side
  const d = op.cols;
  const l = Math.min(k + nOversamples, m);

  const omega = new Float64Array(d * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  let q = op.mul(omega, l);
  orthonormalizeColumns(q, m, l);
  for (let it = 0; it < nIter; it++) {
    q = op.mul(op.tmul(q, l), l);
    orthonormalizeColumns(q, m, l);
  }
  // B = Q^T A (l x d), held as its transpose bt (d x l); G = B B^T (l x l).
  const bt = op.tmul(q, l);
  const g = new Float64Array(l * l);
  for (let i = 0; i < d; i++) {
    const r = i * l;
    for (let p = 0; p < l; p++) {
      const v = bt[r + p];
      if (v === 0) continue;
      for (let c = p; c < l; c++) g[p * l + c] += v * bt[r + c];
    }
  }
  const eig = symmetricEigen(g, l);
  const s = new Float64Array(k);
  // uhat (l x k): column j is the j-th eigenvector of G.
  const uhat = new Float64Array(l * k);
  for (let j = 0; j < k; j++) {
    s[j] = Math.sqrt(Math.max(eig.values[j], 0));
    for (let p = 0; p < l; p++) uhat[p * k + j] = eig.vectors[j * l + p];
  }
  // Left vectors of the operator (m x k) = Q uhat; right vectors (d x k) = B^T uhat / s.
  const left = multiplyBlocks(q, m, l, uhat, k);
  const right = multiplyBlocks(bt, d, l, uhat, k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) right[i * k + j] = s[j] > 0 ? right[i * k + j] / s[j] : 0;
  // Back to A's orientation: u is n x k, vt is k x d.
  const u = flip ? right : left;
  const v = flip ? left : right;
  const cols = base.cols;
  const vt = new Float64Array(k * cols);
  for (let i = 0; i < cols; i++) for (let j = 0; j < k; j++) vt[j * cols + i] = v[i * k + j];
  return { u, s, vt };
}
