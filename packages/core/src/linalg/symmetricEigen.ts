import { ClusterlabError, ValidationError } from "../errors.js";

/** Options for `symmetricEigen`. */
export interface SymmetricEigenOptions {
  /** Maximum number of Jacobi sweeps before giving up (each sweep visits every off-diagonal pair once). Default 100. */
  maxSweeps?: number;
}

/** The eigendecomposition of a symmetric matrix `A = V^T diag(values) V`. */
export interface SymmetricEigenResult {
  /** Eigenvalues sorted in decreasing order (largest first). */
  values: Float64Array;
  /**
   * Orthonormal eigenvectors as the rows of an `n x n` row-major array: eigenvector `k` (for
   * `values[k]`) is `vectors.subarray(k * n, (k + 1) * n)`. Signs are as the algorithm leaves them;
   * callers that need a deterministic sign apply their own rule.
   */
  vectors: Float64Array;
  /** Number of sweeps performed. */
  sweeps: number;
}

const EPS = 2.220446049250313e-16;

/**
 * Eigenvalues and eigenvectors of a real symmetric `n x n` matrix given row-major in `a` (only
 * the upper triangle is read; `a` is not modified).
 *
 * Algorithm: cyclic Jacobi rotations (row-cyclic order) with Rutishauser's stable update
 * formulas. A pair `(p, q)` is skipped when `|a_pq| <= eps * sqrt(|a_pp * a_qq|)`, the relative
 * criterion that gives eigenvalues to high relative accuracy on positive (semi-)definite input
 * such as covariance matrices, or when `|a_pq|` is below `eps^2 * ||A||_F` (numerically zero; guards
 * exact zeros on the diagonal). Iteration stops after a sweep with no rotation. Cost is about
 * `8 n^3` flops per sweep and typically 5-10 sweeps: fine for `n` up to a few hundred.
 *
 * Throws a `ValidationError` for a wrong length or a non-finite entry, a `ClusterlabError` if the
 * iteration does not converge within `maxSweeps` (not observed in practice: convergence is quadratic).
 */
export function symmetricEigen(
  a: ArrayLike<number>,
  n: number,
  options: SymmetricEigenOptions = {},
): SymmetricEigenResult {
  const { maxSweeps = 100 } = options;
  if (!Number.isInteger(n) || n < 0) throw new ValidationError(`invalid n: ${n} (must be an integer >= 0)`);
  if (a.length !== n * n) throw new ValidationError(`invalid A: length ${a.length}, expected n * n = ${n * n}`);
  // Work on a full symmetric copy built from the upper triangle.
  const A = new Float64Array(n * n);
  let frob2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = a[i * n + j];
      if (!Number.isFinite(v)) throw new ValidationError(`invalid A: ${v} at row ${i}, column ${j} (must be finite)`);
      A[i * n + j] = v;
      A[j * n + i] = v;
      frob2 += i === j ? v * v : 2 * v * v;
    }
  }
  // V holds the eigenvectors as rows (contiguous, so a rotation updates two rows): V[k * n + r] is
  // component r of vector k.
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  const absTol = EPS * EPS * Math.sqrt(frob2);

  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let rotations = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        const app = A[p * n + p];
        const aqq = A[q * n + q];
        const mag = Math.abs(apq);
        if (mag <= absTol || mag <= EPS * Math.sqrt(Math.abs(app * aqq))) {
          A[p * n + q] = 0;
          A[q * n + p] = 0;
          continue;
        }
        rotations++;
        const theta = (aqq - app) / (2 * apq);
        const absTheta = Math.abs(theta);
        // t = tan of the rotation angle, the smaller root of t^2 + 2 theta t - 1 = 0.
        let t = absTheta > 1e150 ? 1 / (2 * absTheta) : 1 / (absTheta + Math.sqrt(theta * theta + 1));
        if (theta < 0) t = -t;
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const tau = s / (1 + c);
        A[p * n + p] = app - t * apq;
        A[q * n + q] = aqq + t * apq;
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        const pb = p * n;
        const qb = q * n;
        // Rows p and q are read and written contiguously; columns p and q mirror them.
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = A[pb + r];
          const arq = A[qb + r];
          const nrp = arp - s * (arq + tau * arp);
          const nrq = arq + s * (arp - tau * arq);
          A[pb + r] = nrp;
          A[qb + r] = nrq;
          A[r * n + p] = nrp;
          A[r * n + q] = nrq;
        }
        for (let r = 0; r < n; r++) {
          const vpr = V[pb + r];
          const vqr = V[qb + r];
          V[pb + r] = vpr - s * (vqr + tau * vpr);
          V[qb + r] = vqr + s * (vpr - tau * vqr);
        }
      }
    }
    if (rotations === 0) break;
  }
  if (sweeps >= maxSweeps) {
    throw new ClusterlabError(`symmetricEigen: no convergence after ${maxSweeps} sweeps (n=${n})`);
  }

  // Sort decreasing (stable on ties: keeps the lower index first) and transpose to rows.
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => A[j * n + j] - A[i * n + i] || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = order[k];
    values[k] = A[src * n + src];
    vectors.set(V.subarray(src * n, (src + 1) * n), k * n);
  }
  return { values, vectors, sweeps };
}
