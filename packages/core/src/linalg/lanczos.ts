import { ClusterlabError, invalid, ValidationError } from "../errors.js";
import { Random } from "../random.js";
import { symmetricEigen } from "./symmetricEigen.js";

/** A symmetric linear operator given by its product: writes `A x` into `y` (both length n; `y` is not `x`). */
export type SymmetricOperator = (x: Float64Array, y: Float64Array) => void;

/** Options for `lanczosEigen`. */
export interface LanczosOptions {
  /** Which end of the spectrum: `"largest"` or `"smallest"` algebraic eigenvalues. Default `"largest"`. */
  which?: "largest" | "smallest";
  /**
   * Size of the Krylov basis kept between restarts (ARPACK's `ncv`): an integer in [k + 1, n].
   * Default `min(n', max(2k + 1, 20))`, where n' is n minus the number of deflation vectors.
   */
  ncv?: number;
  /**
   * Convergence tolerance: a Ritz pair (theta, v) is accepted when `||A v - theta v|| <= tol * ||A||`,
   * with `||A||` estimated by the largest Ritz value in magnitude. Default 1e-12.
   */
  tol?: number;
  /** Maximum number of restarts before giving up (a `ClusterlabError`). Default 1000. */
  maxRestarts?: number;
  /** Seed for the random start vector (and for fresh directions after an exact breakdown). Default 0. */
  seed?: number;
  /**
   * Known orthonormal eigenvectors to exclude, as the rows of a `count x n` row-major array: every
   * Krylov vector is kept orthogonal to them, so the solver returns the k extreme eigenpairs of A
   * restricted to their orthogonal complement. Default: none.
   */
  deflate?: Float64Array;
}

/** Result of `lanczosEigen`. */
export interface LanczosResult {
  /** The k eigenvalues: decreasing for `"largest"`, increasing for `"smallest"`. */
  values: Float64Array;
  /** The matching orthonormal eigenvectors as the rows of a `k x n` row-major array (signs arbitrary). */
  vectors: Float64Array;
  /** Residual norms `||A v - theta v||` estimated from the projected problem. */
  residuals: Float64Array;
  /** Number of operator applications. */
  matvecs: number;
  /** Number of restarts. */
  restarts: number;
}

const EPS = 2.220446049250313e-16;

/**
 * The k largest (or smallest) eigenpairs of a symmetric operator, by the thick-restart Lanczos
 * method (Wu & Simon 2000; equivalently Stewart's Krylov-Schur for symmetric matrices) with full
 * reorthogonalisation.
 *
 * Each cycle extends an orthonormal Krylov basis to `ncv` vectors, orthogonalising every new
 * vector against the whole basis by classical Gram-Schmidt, repeated when the first pass cancels
 * more than 1/sqrt(2) of its norm (DGKS; "twice is enough"), so the basis stays orthonormal to
 * machine precision and no spurious copies of converged eigenvalues appear.
 * The projected matrix is diagonalised (Jacobi, `symmetricEigen`); the Ritz pairs' residuals are
 * read off its last row. If the k wanted pairs have not converged, the basis is compressed to the
 * wanted Ritz vectors plus half the remaining room (a thick restart) and extended again.
 *
 * Cost: `ncv` operator applications per cycle plus `O(n ncv^2)` for the orthogonalisation; memory
 * `(ncv + 1) n` doubles. Deterministic for a given seed; the result does not depend on the seed
 * beyond the tolerance (except for repeated eigenvalues, where any orthonormal basis of the
 * eigenspace is valid). A single-vector Krylov method finds one copy of an exactly repeated
 * eigenvalue per start vector in exact arithmetic; rounding usually reveals the others, but known
 * eigenvectors (e.g. the constant vector of a graph Laplacian) should be passed in `deflate`.
 */
export function lanczosEigen(op: SymmetricOperator, n: number, k: number, options: LanczosOptions = {}): LanczosResult {
  if (!Number.isInteger(n) || n < 1) throw invalid("n", n, "must be an integer >= 1");
  const which = options.which ?? "largest";
  if (which !== "largest" && which !== "smallest") throw invalid("which", which, 'must be "largest" or "smallest"');
  const deflate = options.deflate ?? new Float64Array(0);
  if (deflate.length % n !== 0) {
    throw new ValidationError(`invalid deflate: length ${deflate.length} is not a multiple of n = ${n}`);
  }
  const nDefl = deflate.length / n;
  const dim = n - nDefl; // dimension of the space the solver works in
  if (!Number.isInteger(k) || k < 1 || k > dim) {
    throw invalid("k", k, `must be an integer in [1, ${dim}] (n minus the number of deflation vectors)`);
  }
  const tol = options.tol ?? 1e-12;
  if (!(tol > 0) || !Number.isFinite(tol)) throw invalid("tol", tol, "must be a finite number > 0");
  const maxRestarts = options.maxRestarts ?? 1000;
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0)
    throw invalid("maxRestarts", maxRestarts, "must be an integer >= 0");
  const m = options.ncv ?? Math.min(dim, Math.max(2 * k + 1, 20));
  if (!Number.isInteger(m) || m < Math.min(k + 1, dim) || m > dim) {
    throw invalid("ncv", m, `must be an integer in [${Math.min(k + 1, dim)}, ${dim}]`);
  }
  const sign = which === "largest" ? 1 : -1;
  const rng = new Random(options.seed ?? 0);

  // V: m + 1 basis vectors (rows). H: (m + 1) x m projected matrix, H[i * m + j] = v_i . A v_j.
  const V = new Float64Array((m + 1) * n);
  const H = new Float64Array((m + 1) * m);
  const w = new Float64Array(n);
  const coef = new Float64Array(m + 1);
  const proj = new Float64Array(m + 1);

  const norm = (vec: Float64Array): number => {
    let s = 0;
    for (let t = 0; t < n; t++) s += vec[t] * vec[t];
    return Math.sqrt(s);
  };

  // One classical Gram-Schmidt pass of `vec` against the deflation vectors and V rows [0, count),
  // adding the coefficients into coef[0..count).
  const cgsPass = (vec: Float64Array, count: number): void => {
    for (let q = 0; q < nDefl; q++) {
      const base = q * n;
      let c = 0;
      for (let t = 0; t < n; t++) c += deflate[base + t] * vec[t];
      for (let t = 0; t < n; t++) vec[t] -= c * deflate[base + t];
    }
    for (let i = 0; i < count; i++) {
      const base = i * n;
      let c = 0;
      for (let t = 0; t < n; t++) c += V[base + t] * vec[t];
      proj[i] = c;
      coef[i] += c;
    }
    for (let i = 0; i < count; i++) {
      const base = i * n;
      const c = proj[i];
      for (let t = 0; t < n; t++) vec[t] -= c * V[base + t];
    }
  };

  // Gram-Schmidt of `vec` against the deflation vectors and V rows [0, count): one pass, and a
  // second one unless the first kept most of the norm (Daniel-Gragg-Kaufman-Stewart criterion,
  // 1/sqrt(2)); the accumulated coefficients are left in coef[0..count).
  const gs2 = (vec: Float64Array, count: number): void => {
    for (let i = 0; i < count; i++) coef[i] = 0;
    const before = norm(vec);
    cgsPass(vec, count);
    if (norm(vec) < Math.SQRT1_2 * before) cgsPass(vec, count);
  };

  // A random unit vector orthogonal to the deflation vectors and V rows [0, count), written to V row `row`.
  const randomDirection = (count: number, row: number): void => {
    for (let attempt = 0; attempt < 10; attempt++) {
      for (let t = 0; t < n; t++) w[t] = rng.normal();
      const before = norm(w);
      gs2(w, count);
      const after = norm(w);
      if (after > 1e-8 * before) {
        const inv = 1 / after;
        for (let t = 0; t < n; t++) V[row * n + t] = w[t] * inv;
        return;
      }
    }
    throw new ClusterlabError("lanczosEigen: could not find a direction orthogonal to the basis");
  };

  randomDirection(0, 0);
  let start = 0; // number of basis vectors already in place (their columns of H known)
  let matvecs = 0;
  let restarts = 0;
  const T = new Float64Array(m * m);

  for (;;) {
    // Extend the basis from `start` to m vectors.
    let full = false;
    let betaLast = 0;
    for (let j = start; j < m; j++) {
      const vj = V.subarray(j * n, (j + 1) * n);
      op(vj, w);
      matvecs++;
      const before = norm(w);
      gs2(w, j + 1);
      for (let i = 0; i <= j; i++) H[i * m + j] = coef[i];
      for (let i = j + 1; i <= m; i++) H[i * m + j] = 0;
      const beta = norm(w);
      if (j + 1 === dim) {
        // The basis spans the whole space: the projection is exact.
        full = true;
        betaLast = 0;
        break;
      }
      if (beta <= 1e-12 * before || before === 0) {
        // Invariant subspace found: continue with a fresh direction, coupling zero.
        randomDirection(j + 1, j + 1);
        H[(j + 1) * m + j] = 0;
        betaLast = 0;
        continue;
      }
      const inv = 1 / beta;
      const base = (j + 1) * n;
      for (let t = 0; t < n; t++) V[base + t] = w[t] * inv;
      H[(j + 1) * m + j] = beta;
      betaLast = beta;
    }

    // Symmetrised projected matrix on the m basis vectors.
    const p = m;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) T[i * p + j] = 0.5 * (H[i * m + j] + H[j * m + i]);
    }
    const eig = symmetricEigen(T.subarray(0, p * p), p);
    // Order wanted-first: decreasing for largest, increasing for smallest.
    const order = new Int32Array(p);
    for (let i = 0; i < p; i++) order[i] = sign > 0 ? i : p - 1 - i;
    let anorm = 0;
    for (let i = 0; i < p; i++) anorm = Math.max(anorm, Math.abs(eig.values[i]));
    const resTol = tol * Math.max(anorm, EPS);
    let converged = 0;
    const residuals = new Float64Array(k);
    for (let r = 0; r < k; r++) {
      const y = eig.vectors.subarray(order[r] * p, (order[r] + 1) * p);
      const res = Math.abs(betaLast * y[p - 1]);
      residuals[r] = res;
      if (res <= resTol) converged++;
    }
    const exhausted = full;
    if (converged === k || exhausted || restarts >= maxRestarts) {
      if (converged < k && !exhausted) {
        throw new ClusterlabError(
          `lanczosEigen: ${converged} of ${k} eigenpairs converged after ${restarts} restarts (tol ${tol}; raise maxRestarts or ncv)`,
        );
      }
      const values = new Float64Array(k);
      const vectors = new Float64Array(k * n);
      for (let r = 0; r < k; r++) {
        const y = eig.vectors.subarray(order[r] * p, (order[r] + 1) * p);
        values[r] = eig.values[order[r]];
        const out = vectors.subarray(r * n, (r + 1) * n);
        for (let j = 0; j < p; j++) {
          const c = y[j];
          if (c === 0) continue;
          const base = j * n;
          for (let t = 0; t < n; t++) out[t] += c * V[base + t];
        }
      }
      return { values, vectors, residuals, matvecs, restarts };
    }

    // Thick restart: keep the `keep` most wanted Ritz vectors, then the residual direction.
    restarts++;
    const keep = Math.min(m - 1, k + Math.max(1, Math.floor((m - k) / 2)));
    const kept = new Float64Array(keep * n);
    const coupling = new Float64Array(keep);
    for (let r = 0; r < keep; r++) {
      const y = eig.vectors.subarray(order[r] * p, (order[r] + 1) * p);
      const out = kept.subarray(r * n, (r + 1) * n);
      for (let j = 0; j < p; j++) {
        const c = y[j];
        if (c === 0) continue;
        const base = j * n;
        for (let t = 0; t < n; t++) out[t] += c * V[base + t];
      }
      coupling[r] = betaLast * y[p - 1];
    }
    // The residual direction v_m moves to row `keep`.
    V.copyWithin(keep * n, m * n, (m + 1) * n);
    V.set(kept, 0);
    H.fill(0);
    for (let r = 0; r < keep; r++) {
      H[r * m + r] = eig.values[order[r]];
      H[keep * m + r] = coupling[r];
    }
    start = keep;
  }
}
