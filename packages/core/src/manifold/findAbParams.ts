import { ClusterlabError, invalid } from "../errors.js";

/** The fitted curve parameters of `findAbParams`. */
export interface AbParams {
  a: number;
  b: number;
}

const SAMPLES = 300;
const MAX_ITER = 500;

/**
 * UMAP's low-dimensional similarity curve `1 / (1 + a d^(2b))`, fitted by least squares to the
 * offset exponential `1` for `d < minDist`, `exp(-(d - minDist) / spread)` beyond, on 300 evenly
 * spaced d in [0, 3 spread] (umap-learn's `find_ab_params`, which calls scipy's `curve_fit` from
 * a = b = 1). Solved here by Levenberg-Marquardt with the analytic Jacobian from the same start;
 * agrees with scipy to about 1e-8. For `minDist` 0.1 and `spread` 1: a = 1.5769, b = 0.8951.
 */
export function findAbParams(spread: number, minDist: number): AbParams {
  if (typeof spread !== "number" || !Number.isFinite(spread) || spread <= 0)
    throw invalid("spread", spread, "must be a finite number > 0");
  if (typeof minDist !== "number" || !Number.isFinite(minDist) || minDist < 0)
    throw invalid("minDist", minDist, "must be a finite number >= 0");
  const x = new Float64Array(SAMPLES);
  const y = new Float64Array(SAMPLES);
  const stop = spread * 3;
  for (let i = 0; i < SAMPLES; i++) {
    // numpy.linspace: start + i * step, the last point exactly `stop`.
    x[i] = i === SAMPLES - 1 ? stop : (i * stop) / (SAMPLES - 1);
    y[i] = x[i] < minDist ? 1 : Math.exp(-(x[i] - minDist) / spread);
  }
  const cost = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const r = 1 / (1 + a * x[i] ** (2 * b)) - y[i];
      s += r * r;
    }
    return s;
  };
  let a = 1;
  let b = 1;
  let f = cost(a, b);
  let lambda = 1e-3;
  for (let iter = 0; iter < MAX_ITER; iter++) {
    // J^T J and J^T r for the residuals r_i = 1 / (1 + a x_i^(2b)) - y_i (both derivatives vanish at x = 0).
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const p = xi ** (2 * b);
      const den = 1 + a * p;
      const r = 1 / den - y[i];
      const da = -p / (den * den);
      const db = (-2 * a * p * Math.log(xi)) / (den * den);
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    // Marquardt's damping of the diagonal; raise it until the step lowers the cost.
    let accepted = false;
    let stepA = 0;
    let stepB = 0;
    while (lambda < 1e16) {
      const m11 = jaa * (1 + lambda);
      const m22 = jbb * (1 + lambda);
      const det = m11 * m22 - jab * jab;
      stepA = -(m22 * ga - jab * gb) / det;
      stepB = -(m11 * gb - jab * ga) / det;
      const nb = b + stepB;
      const nf = det > 0 && nb > 0 ? cost(a + stepA, nb) : Number.POSITIVE_INFINITY;
      if (nf < f) {
        a += stepA;
        b = nb;
        f = nf;
        lambda = Math.max(lambda / 10, 1e-12);
        accepted = true;
        break;
      }
      lambda *= 10;
    }
    if (!accepted) break;
    if (Math.abs(stepA) <= 1e-14 * Math.abs(a) && Math.abs(stepB) <= 1e-14 * Math.abs(b)) break;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new ClusterlabError(`findAbParams: the curve fit failed for spread ${spread}, minDist ${minDist}`);
  }
  return { a, b };
}
