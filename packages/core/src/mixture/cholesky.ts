/**
 * Small dense Cholesky helpers for the Gaussian mixture (d x d matrices, row-major, stored at an
 * offset inside a larger flat array so that k matrices can live in one Float64Array).
 * Internal to the mixture area: not re-exported from the package.
 */

/**
 * Lower Cholesky factor in place: the n x n matrix at `a[offset..]` becomes L with L L^T = A.
 * Only the lower triangle of A is read; the strict upper triangle is set to 0.
 * Returns -1 on success, else the index of the first pivot that is not > 0 (A is not
 * numerically positive definite, or contains NaN). Same pivot test as LAPACK dpotrf.
 */
export function choleskyLowerInPlace(a: Float64Array, n: number, offset = 0): number {
  for (let j = 0; j < n; j++) {
    const rj = offset + j * n;
    let s = a[rj + j];
    for (let t = 0; t < j; t++) s -= a[rj + t] * a[rj + t];
    if (!(s > 0)) return j;
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = offset + i * n;
      let v = a[ri + j];
      for (let t = 0; t < j; t++) v -= a[ri + t] * a[rj + t];
      a[ri + j] = v / ljj;
    }
    for (let t = j + 1; t < n; t++) a[rj + t] = 0;
  }
  return -1;
}

/**
 * Writes `(L^-1)^T` (upper triangular, row-major, zeros below the diagonal) for the lower
 * triangular n x n matrix L at `l[lOffset..]` into `out[outOffset..]`. Row c of the output is
 * column c of L^-1, found by forward substitution.
 */
export function invertLowerTransposed(
  l: Float64Array,
  n: number,
  lOffset: number,
  out: Float64Array,
  outOffset: number,
): void {
  for (let c = 0; c < n; c++) {
    const oc = outOffset + c * n;
    for (let i = 0; i < c; i++) out[oc + i] = 0;
    out[oc + c] = 1 / l[lOffset + c * n + c];
    for (let i = c + 1; i < n; i++) {
      const li = lOffset + i * n;
      let s = 0;
      for (let m = c; m < i; m++) s += l[li + m] * out[oc + m];
      out[oc + i] = -s / l[li + i];
    }
  }
}

/**
 * Upper triangular U with U U^T = P for the symmetric positive-definite n x n matrix P at
 * `p[pOffset..]` (the Cholesky factor of the row- and column-reversed matrix, reversed back),
 * written into `out[outOffset..]`. `work` needs n * n entries. Returns -1 on success or the
 * failing pivot index, as `choleskyLowerInPlace`.
 */
export function choleskyUpperOfReversed(
  p: Float64Array,
  n: number,
  pOffset: number,
  out: Float64Array,
  outOffset: number,
  work: Float64Array,
): number {
  const last = n - 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) work[i * n + j] = p[pOffset + (last - i) * n + (last - j)];
  }
  const failed = choleskyLowerInPlace(work, n, 0);
  if (failed >= 0) return failed;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out[outOffset + i * n + j] = work[(last - i) * n + (last - j)];
  }
  return -1;
}

/**
 * The matrix `(U U^T)^-1 = V^T V` with `V = U^-1`, for the upper triangular n x n matrix U at
 * `u[uOffset..]` (a precision Cholesky factor), written into `out[outOffset..]`: the covariance
 * whose precision is U U^T. `work` needs n * n entries.
 */
export function covarianceFromPrecisionCholesky(
  u: Float64Array,
  n: number,
  uOffset: number,
  out: Float64Array,
  outOffset: number,
  work: Float64Array,
): void {
  // U^T is lower triangular; (U^T)^-1 transposed is U^-1 = V (upper).
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) work[i * n + j] = u[uOffset + j * n + i];
  }
  const v = new Float64Array(n * n);
  invertLowerTransposed(work, n, 0, v, 0);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      const top = Math.min(a, b);
      for (let m = 0; m <= top; m++) s += v[m * n + a] * v[m * n + b];
      out[outOffset + a * n + b] = s;
      out[outOffset + b * n + a] = s;
    }
  }
}
