import { ValidationError } from "../../errors.js";
import type { Matrix } from "../../matrix.js";

/** Internal metric codes for the distance kernels. */
export const EUCLIDEAN = 0;
export const MANHATTAN = 1;
export const COSINE = 2;
export type MetricCode = typeof EUCLIDEAN | typeof MANHATTAN | typeof COSINE;

/** The metric names accepted by the hierarchy functions (`cityblock` is scipy's name for `manhattan`). */
export type HierarchyMetric = "euclidean" | "manhattan" | "cityblock" | "cosine";

export const HIERARCHY_METRICS: readonly HierarchyMetric[] = ["euclidean", "manhattan", "cityblock", "cosine"];

export function metricCode(metric: HierarchyMetric): MetricCode {
  return metric === "euclidean" ? EUCLIDEAN : metric === "cosine" ? COSINE : MANHATTAN;
}

/**
 * Per-row Euclidean norms, needed by the cosine distance. A zero row has no direction, so the
 * cosine distance to it is undefined (scipy returns NaN): that is an error here, naming the row.
 */
export function cosineNorms(X: Matrix, name = "X"): Float64Array {
  const { rows, cols, data } = X;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const b = i * cols;
    for (let t = 0; t < cols; t++) s += data[b + t] * data[b + t];
    if (s === 0) {
      throw new ValidationError(
        `invalid ${name}: row ${i} is all zeros (the cosine distance to a zero vector is undefined)`,
      );
    }
    out[i] = Math.sqrt(s);
  }
  return out;
}

/**
 * Squared Euclidean distance between the d values at offsets `pa` and `pb` of `c`, summed in
 * column order (unrolled by four without reassociating, so the result is bit-identical to the
 * plain loop).
 */
export function squaredDistanceAt(c: Float64Array, pa: number, pb: number, d: number): number {
  let s = 0;
  let t = 0;
  for (; t + 3 < d; t += 4) {
    const a0 = c[pa + t] - c[pb + t];
    const a1 = c[pa + t + 1] - c[pb + t + 1];
    const a2 = c[pa + t + 2] - c[pb + t + 2];
    const a3 = c[pa + t + 3] - c[pb + t + 3];
    s += a0 * a0;
    s += a1 * a1;
    s += a2 * a2;
    s += a3 * a3;
  }
  for (; t < d; t++) {
    const diff = c[pa + t] - c[pb + t];
    s += diff * diff;
  }
  return s;
}

/**
 * Distance between rows i and j of the row-major `data` (d columns). Summation runs over the
 * columns in order, which reproduces scipy's `pdist` bit for bit for euclidean and cityblock.
 * Cosine: `1 - u.v / (|u| |v|)` with the ratio clipped to [-1, 1] like scipy.
 */
export function rowDistance(
  data: Float64Array,
  i: number,
  j: number,
  d: number,
  metric: MetricCode,
  norms: Float64Array | null,
): number {
  const a = i * d;
  const b = j * d;
  if (metric === EUCLIDEAN) return Math.sqrt(squaredDistanceAt(data, a, b, d));
  let s = 0;
  if (metric === MANHATTAN) {
    for (let t = 0; t < d; t++) s += Math.abs(data[a + t] - data[b + t]);
    return s;
  }
  for (let t = 0; t < d; t++) s += data[a + t] * data[b + t];
  let c = s / ((norms as Float64Array)[i] * (norms as Float64Array)[j]);
  if (c > 1) c = 1;
  else if (c < -1) c = -1;
  return 1 - c;
}

/** Largest n for which the n(n-1)/2 condensed array fits a typed array (2^31 - 1 entries). */
export const MAX_CONDENSED_N = 65536;

/** Number of entries of a condensed distance matrix over n observations. */
export function condensedLength(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Throws a named error when an n(n-1)/2 array would be too large. */
export function checkCondensedSize(n: number, what: string): void {
  if (n > MAX_CONDENSED_N) {
    const gib = (condensedLength(n) * 8) / 2 ** 30;
    throw new ValidationError(
      `invalid X: ${n} rows (${what} needs an n(n-1)/2 distance array, ${gib.toFixed(1)} GiB; at most ${MAX_CONDENSED_N} rows)`,
    );
  }
}

/**
 * Offsets so that the condensed index of pair (i, j), i < j, is `base[i] + j`
 * (scipy's `n*i - i*(i+1)/2 + (j - i - 1)`). Float64Array: the values exceed 2^31 for large n.
 */
export function condensedRowBase(n: number): Float64Array {
  const base = new Float64Array(n);
  for (let i = 0; i < n; i++) base[i] = n * i - (i * (i + 1)) / 2 - i - 1;
  return base;
}

/** Condensed pairwise distances (scipy's `pdist` layout: pairs (0,1), (0,2), ..., (n-2,n-1)). */
export function condensedDistances(X: Matrix, metric: MetricCode, name = "X"): Float64Array {
  const n = X.rows;
  const d = X.cols;
  checkCondensedSize(n, "a condensed distance matrix");
  const norms = metric === COSINE ? cosineNorms(X, name) : null;
  const out = new Float64Array(condensedLength(n));
  const data = X.data;
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) out[p++] = rowDistance(data, i, j, d, metric, norms);
  }
  return out;
}

/** Checks a user-supplied condensed distance array and returns n. */
export function condensedObservations(y: Float64Array, name = "Y"): number {
  const n = Math.round((1 + Math.sqrt(1 + 8 * y.length)) / 2);
  if (condensedLength(n) !== y.length || n < 2) {
    throw new ValidationError(
      `invalid ${name}: length ${y.length} is not n(n-1)/2 for an integer n >= 2 (expected a condensed distance matrix)`,
    );
  }
  for (let p = 0; p < y.length; p++) {
    const v = y[p];
    if (!(v >= 0) || v === Number.POSITIVE_INFINITY) {
      throw new ValidationError(`invalid ${name}: ${v} at index ${p} (distances must be finite and >= 0)`);
    }
  }
  return n;
}
