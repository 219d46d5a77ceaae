/**
 * Evaluation of `log w_k + log N(x | mu_k, Sigma_k)` for every row and component (the E-step
 * kernel), from precision Cholesky factors, and the row-wise log-sum-exp that turns it into
 * responsibilities. Internal to the mixture area: not re-exported from the package.
 */
import type { Matrix } from "../matrix.js";
import { logProbRows } from "./gaussianKernels.js";
import { type CovarianceType, logDetPrecisionCholesky } from "./gaussianParameters.js";

const LOG_2PI = Math.log(2 * Math.PI);

/** Rows evaluated per block (keeps the block of log-probabilities in cache). */
export const ROW_BLOCK = 256;

/**
 * Precomputed per-component quantities for fast log-density evaluation. For full and tied
 * covariances the Mahalanobis term is `||(x - mu) U||^2` with U the upper triangular precision
 * Cholesky factor; it is computed as `sum_j (sum_{t <= j} U[t][j] (x_t - mu_t))^2` from a packed
 * copy of U^T, touching d (d + 1) / 2 numbers per component.
 */
export class GaussianLogDensity {
  readonly k: number;
  readonly d: number;
  readonly type: CovarianceType;
  /** log w_k - d/2 log(2 pi) + log det U_k. */
  readonly constants: Float64Array;
  /** full: k packed lower triangles (U^T); tied: one; diag: k x d precisions; spherical: k. */
  readonly factors: Float64Array;
  readonly means: Float64Array;
  private readonly diff4: Float64Array;

  constructor(
    type: CovarianceType,
    k: number,
    d: number,
    weights: Float64Array,
    means: Float64Array,
    precisionsCholesky: Float64Array,
  ) {
    this.type = type;
    this.k = k;
    this.d = d;
    this.means = means;
    this.diff4 = new Float64Array(4 * d);
    const logDet = logDetPrecisionCholesky(type, k, d, precisionsCholesky);
    this.constants = new Float64Array(k);
    for (let c = 0; c < k; c++) this.constants[c] = Math.log(weights[c]) - 0.5 * d * LOG_2PI + logDet[c];
    if (type === "full" || type === "tied") {
      const count = type === "full" ? k : 1;
      const packed = (d * (d + 1)) / 2;
      this.factors = new Float64Array(count * packed);
      for (let c = 0; c < count; c++) {
        let p = c * packed;
        const o = c * d * d;
        for (let j = 0; j < d; j++) {
          for (let t = 0; t <= j; t++) this.factors[p++] = precisionsCholesky[o + t * d + j];
        }
      }
    } else {
      this.factors = new Float64Array(precisionsCholesky.length);
      for (let p = 0; p < this.factors.length; p++) this.factors[p] = precisionsCholesky[p] * precisionsCholesky[p];
    }
  }

  /**
   * Weighted log-probabilities of rows [start, end) of `X`, written row-major (k per row) into
   * `out` from `outOffset`.
   */
  weightedLogProb(X: Matrix, start: number, end: number, out: Float64Array, outOffset: number): void {
    const { k, d, constants, factors, means } = this;
    const x = X.data;
    switch (this.type) {
      case "full":
      case "tied":
        this.triangular(x, start, end, out, outOffset);
        return;
      case "diag": {
        for (let i = start; i < end; i++) {
          const xo = i * d;
          const oo = outOffset + (i - start) * k;
          for (let c = 0; c < k; c++) {
            const mo = c * d;
            let s = 0;
            for (let t = 0; t < d; t++) {
              const v = x[xo + t] - means[mo + t];
              s += v * v * factors[mo + t];
            }
            out[oo + c] = constants[c] - 0.5 * s;
          }
        }
        return;
      }
      case "spherical": {
        for (let i = start; i < end; i++) {
          const xo = i * d;
          const oo = outOffset + (i - start) * k;
          for (let c = 0; c < k; c++) {
            const mo = c * d;
            let s = 0;
            for (let t = 0; t < d; t++) {
              const v = x[xo + t] - means[mo + t];
              s += v * v;
            }
            out[oo + c] = constants[c] - 0.5 * s * factors[c];
          }
        }
        return;
      }
    }
  }

  /** Full/tied: `logProbRows` (gaussianKernels.ts, the kernel the WebAssembly E-step mirrors). */
  private triangular(x: Float64Array, start: number, end: number, out: Float64Array, outOffset: number): void {
    const { k, d, constants, factors, means } = this;
    const step = this.type === "full" ? (d * (d + 1)) / 2 : 0;
    logProbRows(x, d, k, means, factors, step, constants, start, end, out, outOffset, this.diff4);
  }

  /**
   * The E-step: fills `resp` (n x k) with responsibilities and returns the mean over rows of
   * `log sum_k w_k N(x | k)` (scikit-learn's lower bound for GaussianMixture).
   */
  responsibilities(X: Matrix, resp: Float64Array): number {
    const n = X.rows;
    const k = this.k;
    let sum = 0;
    let comp = 0; // Neumaier compensation
    for (let start = 0; start < n; start += ROW_BLOCK) {
      const end = Math.min(n, start + ROW_BLOCK);
      this.weightedLogProb(X, start, end, resp, start * k);
      for (let i = start; i < end; i++) {
        const v = normalizeLogRow(resp, i * k, k);
        const t = sum + v;
        comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
        sum = t;
      }
    }
    return (sum + comp) / n;
  }

  /** Log density `log sum_k w_k N(x | k)` of every row of `X`. */
  scoreSamples(X: Matrix): Float64Array {
    const n = X.rows;
    const k = this.k;
    const out = new Float64Array(n);
    const block = new Float64Array(Math.min(n, ROW_BLOCK) * k);
    for (let start = 0; start < n; start += ROW_BLOCK) {
      const end = Math.min(n, start + ROW_BLOCK);
      this.weightedLogProb(X, start, end, block, 0);
      for (let i = start; i < end; i++) out[i] = logSumExpRow(block, (i - start) * k, k);
    }
    return out;
  }

  /** Index of the most probable component for every row (first one on ties). */
  argmax(X: Matrix): Int32Array {
    const n = X.rows;
    const k = this.k;
    const out = new Int32Array(n);
    const block = new Float64Array(Math.min(n, ROW_BLOCK) * k);
    for (let start = 0; start < n; start += ROW_BLOCK) {
      const end = Math.min(n, start + ROW_BLOCK);
      this.weightedLogProb(X, start, end, block, 0);
      for (let i = start; i < end; i++) out[i] = argmaxRow(block, (i - start) * k, k);
    }
    return out;
  }
}

/** Index of the largest of `w[o + c]` for c in [0, k) (the first one on ties). */
export function argmaxRow(w: Float64Array, o: number, k: number): number {
  let best = 0;
  let max = w[o];
  for (let c = 1; c < k; c++) {
    if (w[o + c] > max) {
      max = w[o + c];
      best = c;
    }
  }
  return best;
}

/**
 * `log sum_c exp(w[o + c])` for c in [0, k), computed as `max + log1p(sum of the others'
 * exp(w - max))` (accurate when one term dominates, as scipy's logsumexp).
 */
export function logSumExpRow(w: Float64Array, o: number, k: number): number {
  const arg = argmaxRow(w, o, k);
  const max = w[o + arg];
  if (!(max > Number.NEGATIVE_INFINITY)) return max;
  let s = 0;
  for (let c = 0; c < k; c++) if (c !== arg) s += Math.exp(w[o + c] - max);
  return max + Math.log1p(s);
}

/**
 * Replaces the k log-weights at `w[o..]` by the normalised probabilities and returns their
 * log-sum-exp (same formula as `logSumExpRow`).
 */
export function normalizeLogRow(w: Float64Array, o: number, k: number): number {
  const arg = argmaxRow(w, o, k);
  const max = w[o + arg];
  if (!(max > Number.NEGATIVE_INFINITY)) {
    for (let c = 0; c < k; c++) w[o + c] = Number.NaN;
    return max;
  }
  let s = 0;
  for (let c = 0; c < k; c++) {
    if (c === arg) continue;
    const e = Math.exp(w[o + c] - max);
    w[o + c] = e;
    s += e;
  }
  const inv = 1 / (1 + s);
  for (let c = 0; c < k; c++) w[o + c] = c === arg ? inv : w[o + c] * inv;
  return max + Math.log1p(s);
}
