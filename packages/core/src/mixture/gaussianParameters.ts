/**
 * Parameters of a Gaussian mixture and their maximum-likelihood estimate from responsibilities
 * (the M-step), following scikit-learn's `_estimate_gaussian_parameters` and
 * `_compute_precision_cholesky`. Internal to the mixture area: not re-exported from the package.
 *
 * Flat layouts (row-major), with k components and d features:
 * - full: k matrices d x d (k * d * d numbers); tied: one d x d matrix; diag: k x d; spherical: k.
 * - precisions Cholesky factors use the same layout; for full and tied they are upper triangular
 *   U with precision = U U^T (scikit-learn's `precisions_cholesky_`).
 */
import { ClusterlabError } from "../errors.js";
import type { Matrix } from "../matrix.js";
import { choleskyLowerInPlace, choleskyUpperOfReversed, invertLowerTransposed } from "./cholesky.js";
import { CHUNK, meansBlock, scatterBlock } from "./gaussianKernels.js";

/** How each component's covariance is parameterised. */
export type CovarianceType = "full" | "tied" | "diag" | "spherical";

export const COVARIANCE_TYPES: readonly CovarianceType[] = ["full", "tied", "diag", "spherical"];

/** Shape of the covariance (and precision) array for a covariance type. */
export function covarianceShape(type: CovarianceType, k: number, d: number): number[] {
  switch (type) {
    case "full":
      return [k, d, d];
    case "tied":
      return [d, d];
    case "diag":
      return [k, d];
    case "spherical":
      return [k];
  }
}

/** Number of entries in the flat covariance (and precision) array. */
export function covarianceLength(type: CovarianceType, k: number, d: number): number {
  return covarianceShape(type, k, d).reduce((a, b) => a * b, 1);
}

/** Number of free parameters (for BIC and AIC), as scikit-learn's `_n_parameters`. */
export function mixtureParameterCount(type: CovarianceType, k: number, d: number): number {
  let covParams: number;
  if (type === "full") covParams = (k * d * (d + 1)) / 2;
  else if (type === "diag") covParams = k * d;
  else if (type === "tied") covParams = (d * (d + 1)) / 2;
  else covParams = k;
  return Math.trunc(covParams + d * k + k - 1);
}

export const ILL_DEFINED_COVARIANCE =
  "fitting the mixture model failed because some components have ill-defined empirical covariance " +
  "(for instance caused by singleton or collapsed samples); try decreasing nComponents or increasing regCovar";

/** 10 * machine epsilon, added to every component's total responsibility (as scikit-learn). */
export const NK_EPS = 10 * Number.EPSILON;

/**
 * The M-step with preallocated workspace: from responsibilities (n x k, row-major) computes
 * `nk` (total responsibility of each component + 10 eps), the means and the covariances
 * (+ `regCovar` on the diagonal). Covariances are accumulated around each component's mean
 * (no `E[x^2] - E[x]^2` cancellation); the sums skip responsibilities that are exactly 0.
 */
export class GaussianMStep {
  private readonly acc: Float64Array;
  private readonly wBuf: Float64Array;
  private readonly dBuf: Float64Array;
  private readonly packed: number;

  constructor(
    readonly type: CovarianceType,
    readonly k: number,
    readonly d: number,
    readonly regCovar: number,
  ) {
    this.packed = (d * (d + 1)) / 2;
    const size = type === "full" ? k * this.packed : type === "tied" ? this.packed : k * d;
    this.acc = new Float64Array(size);
    this.wBuf = new Float64Array(CHUNK * d);
    this.dBuf = new Float64Array(CHUNK * d);
  }

  /** Fills `nk` (length k), `means` (k x d) and `covariances` (layout of the type). */
  estimate(X: Matrix, resp: Float64Array, nk: Float64Array, means: Float64Array, covariances: Float64Array): void {
    const { k, d, type } = this;
    const x = X.data;
    const n = X.rows;
    meansBlock(x, d, k, resp, 0, n, nk, 0, means, 0);
    for (let c = 0; c < k; c++) {
      nk[c] += NK_EPS;
      const inv = nk[c];
      const mo = c * d;
      for (let t = 0; t < d; t++) means[mo + t] /= inv;
    }
    if (type === "full" || type === "tied") this.scatter(x, n, resp, means, nk, covariances);
    else this.diagonal(x, n, resp, means, nk, covariances);
  }

  /** Full/tied: see `scatterBlock`; then divide by nk (or its total for tied) and add regCovar. */
  private scatter(
    x: Float64Array,
    n: number,
    resp: Float64Array,
    means: Float64Array,
    nk: Float64Array,
    covariances: Float64Array,
  ): void {
    const { k, d, acc, packed, regCovar, wBuf, dBuf } = this;
    const tied = this.type === "tied";
    scatterBlock(x, d, k, resp, means, 0, n, acc, 0, tied ? 0 : packed, wBuf, dBuf);
    scatterToCovariances(this.type, k, d, acc, nk, regCovar, covariances);
  }

  private diagonal(
    x: Float64Array,
    n: number,
    resp: Float64Array,
    means: Float64Array,
    nk: Float64Array,
    covariances: Float64Array,
  ): void {
    const { k, d, acc, regCovar } = this;
    acc.fill(0);
    for (let i = 0; i < n; i++) {
      const xo = i * d;
      const ro = i * k;
      for (let c = 0; c < k; c++) {
        const r = resp[ro + c];
        if (r === 0) continue;
        const mo = c * d;
        for (let t = 0; t < d; t++) {
          const v = x[xo + t] - means[mo + t];
          acc[mo + t] += r * v * v;
        }
      }
    }
    if (this.type === "diag") {
      for (let c = 0; c < k; c++) {
        for (let t = 0; t < d; t++) covariances[c * d + t] = acc[c * d + t] / nk[c] + regCovar;
      }
    } else {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += acc[c * d + t] / nk[c] + regCovar;
        covariances[c] = s / d;
      }
    }
  }
}

/**
 * Full/tied covariances from the packed scatter `acc` (k triangles, or one for tied): divided by
 * nk (for tied, by the total of nk) plus `regCovar` on the diagonal.
 */
export function scatterToCovariances(
  type: CovarianceType,
  k: number,
  d: number,
  acc: Float64Array,
  nk: Float64Array,
  regCovar: number,
  covariances: Float64Array,
): void {
  const packed = (d * (d + 1)) / 2;
  if (type === "tied") {
    let total = 0;
    for (let c = 0; c < k; c++) total += nk[c];
    unpackSymmetric(acc, 0, d, total, regCovar, covariances, 0);
  } else {
    for (let c = 0; c < k; c++) unpackSymmetric(acc, c * packed, d, nk[c], regCovar, covariances, c * d * d);
  }
}

/** Packed lower triangle / divisor (+ reg on the diagonal) -> full symmetric d x d. */
function unpackSymmetric(
  acc: Float64Array,
  p: number,
  d: number,
  divisor: number,
  reg: number,
  out: Float64Array,
  o: number,
): void {
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = acc[p++] / divisor;
      out[o + a * d + b] = v;
      out[o + b * d + a] = v;
    }
    out[o + a * d + a] += reg;
  }
}

/**
 * Precision Cholesky factors from covariances: for full/tied `(chol(S)^-1)^T` (upper
 * triangular), for diag/spherical `1 / sqrt(S)`. Throws a `ClusterlabError` naming the failing
 * component when a covariance is not positive definite.
 */
export function precisionCholeskyFromCovariances(
  type: CovarianceType,
  k: number,
  d: number,
  covariances: Float64Array,
  out: Float64Array,
  work: Float64Array = new Float64Array(d * d),
): void {
  if (type === "full" || type === "tied") {
    const count = type === "full" ? k : 1;
    const dd = d * d;
    for (let c = 0; c < count; c++) {
      work.set(covariances.subarray(c * dd, (c + 1) * dd));
      if (choleskyLowerInPlace(work, d, 0) >= 0) {
        const which = type === "tied" ? "the tied covariance" : `component ${c}`;
        throw new ClusterlabError(`${ILL_DEFINED_COVARIANCE} (${which} is not positive definite)`);
      }
      invertLowerTransposed(work, d, 0, out, c * dd);
    }
    return;
  }
  const len = type === "diag" ? k * d : k;
  for (let p = 0; p < len; p++) {
    const v = covariances[p];
    if (!(v > 0)) {
      const c = type === "diag" ? Math.floor(p / d) : p;
      throw new ClusterlabError(`${ILL_DEFINED_COVARIANCE} (component ${c} has variance ${v})`);
    }
    out[p] = 1 / Math.sqrt(v);
  }
}

/**
 * Precision Cholesky factors from precisions (for `precisionsInit`), as scikit-learn's
 * `_compute_precision_cholesky_from_precisions`: upper triangular U with U U^T = P for
 * full/tied, `sqrt(P)` for diag/spherical. Returns the index of a matrix that is not positive
 * definite, or -1.
 */
export function precisionCholeskyFromPrecisions(
  type: CovarianceType,
  k: number,
  d: number,
  precisions: Float64Array,
  out: Float64Array,
): number {
  if (type === "full" || type === "tied") {
    const count = type === "full" ? k : 1;
    const dd = d * d;
    const work = new Float64Array(dd);
    for (let c = 0; c < count; c++) {
      if (choleskyUpperOfReversed(precisions, d, c * dd, out, c * dd, work) >= 0) return c;
    }
    return -1;
  }
  for (let p = 0; p < precisions.length; p++) {
    if (!(precisions[p] > 0)) return type === "diag" ? Math.floor(p / d) : p;
    out[p] = Math.sqrt(precisions[p]);
  }
  return -1;
}

/** Precisions from their Cholesky factors: U U^T (full, tied) or the square (diag, spherical). */
export function precisionsFromCholesky(
  type: CovarianceType,
  k: number,
  d: number,
  precisionsCholesky: Float64Array,
): Float64Array {
  const out = new Float64Array(precisionsCholesky.length);
  if (type === "full" || type === "tied") {
    const count = type === "full" ? k : 1;
    const dd = d * d;
    for (let c = 0; c < count; c++) {
      const o = c * dd;
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) {
          let s = 0;
          for (let m = b; m < d; m++) s += precisionsCholesky[o + a * d + m] * precisionsCholesky[o + b * d + m];
          out[o + a * d + b] = s;
          out[o + b * d + a] = s;
        }
      }
    }
    return out;
  }
  for (let p = 0; p < out.length; p++) out[p] = precisionsCholesky[p] * precisionsCholesky[p];
  return out;
}

/**
 * Log-determinant of each component's precision Cholesky factor (= -1/2 log det covariance),
 * length k.
 */
export function logDetPrecisionCholesky(
  type: CovarianceType,
  k: number,
  d: number,
  precisionsCholesky: Float64Array,
): Float64Array {
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    if (type === "full" || type === "tied") {
      const o = type === "full" ? c * d * d : 0;
      for (let j = 0; j < d; j++) s += Math.log(precisionsCholesky[o + j * d + j]);
    } else if (type === "diag") {
      for (let j = 0; j < d; j++) s += Math.log(precisionsCholesky[c * d + j]);
    } else {
      s = d * Math.log(precisionsCholesky[c]);
    }
    out[c] = s;
  }
  return out;
}
