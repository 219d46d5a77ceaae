import { ValidationError } from "../errors.js";
import type { MatrixLike } from "../matrix.js";
import { asMatrix, checkChoice } from "../validate.js";
import {
  COSINE,
  checkCondensedSize,
  condensedLength,
  condensedObservations,
  condensedRowBase,
  cosineNorms,
  HIERARCHY_METRICS,
  metricCode,
  rowDistance,
} from "./internal/distances.js";
import type { LinkageMetric } from "./linkage.js";
import { asLinkageMatrix, type LinkageMatrixLike } from "./linkageMatrix.js";

/**
 * Cophenetic distances (scipy's `cophenet(Z)`): for every pair of observations i < j, the
 * height of the merge that first joins them, in scipy's condensed order (pairs (0,1), (0,2),
 * ..., (n-2,n-1)). Returns n(n-1)/2 doubles; O(n^2) time.
 */
export function cophenet(Z: LinkageMatrixLike): Float64Array {
  const z = asLinkageMatrix(Z);
  const rows = z.rows;
  const n = rows + 1;
  checkCondensedSize(n, "cophenet");
  const zd = z.data;
  const base = condensedRowBase(n);
  const out = new Float64Array(condensedLength(n));
  // Members of each cluster as linked lists over the observations.
  const first = new Int32Array(2 * n - 1);
  const last = new Int32Array(2 * n - 1);
  const next = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    first[i] = i;
    last[i] = i;
  }
  for (let r = 0; r < rows; r++) {
    const a = zd[4 * r];
    const b = zd[4 * r + 1];
    const h = zd[4 * r + 2];
    for (let i = first[a]; i !== -1; i = next[i]) {
      for (let j = first[b]; j !== -1; j = next[j]) {
        if (i < j) out[base[i] + j] = h;
        else out[base[j] + i] = h;
      }
    }
    next[last[a]] = first[b];
    first[n + r] = first[a];
    last[n + r] = last[b];
  }
  return out;
}

/** Options for `copheneticCorrelation`. */
export interface CopheneticCorrelationOptions {
  /** Distance between the rows of X (ignored when condensed distances are passed). Default "euclidean". */
  metric?: LinkageMetric;
}

/**
 * Cophenetic correlation coefficient (scipy's `cophenet(Z, Y)[0]`): the Pearson correlation
 * between the cophenetic distances of `Z` and the original distances, which are either computed
 * from the rows of `X` with `metric` (on the fly, without storing them) or given as scipy's
 * condensed array (a Float64Array of length n(n-1)/2). 1 means the tree preserves the
 * distances perfectly. NaN when either set of distances is constant.
 */
export function copheneticCorrelation(
  Z: LinkageMatrixLike,
  X: MatrixLike | Float64Array,
  options: CopheneticCorrelationOptions = {},
): number {
  const z = asLinkageMatrix(Z);
  const n = z.rows + 1;
  const c = cophenet(z);
  let distance: (i: number, j: number, p: number) => number;
  if (X instanceof Float64Array) {
    const nY = condensedObservations(X, "X");
    if (nY !== n) throw new ValidationError(`invalid X: condensed distances for ${nY} observations, Z has ${n}`);
    distance = (_i, _j, p) => X[p];
  } else {
    const m = asMatrix(X);
    if (m.rows !== n) throw new ValidationError(`invalid X: ${m.rows} rows, Z has ${n} observations`);
    const metric = checkChoice(options.metric ?? "euclidean", "metric", HIERARCHY_METRICS);
    const code = metricCode(metric);
    const norms = code === COSINE ? cosineNorms(m) : null;
    distance = (i, j) => rowDistance(m.data, i, j, m.cols, code, norms);
  }
  // Two passes (means, then centred sums), as scipy does; distances are recomputed, not stored.
  let sumY = 0;
  let sumC = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, p++) {
      sumY += distance(i, j, p);
      sumC += c[p];
    }
  }
  const meanY = sumY / c.length;
  const meanC = sumC / c.length;
  let num = 0;
  let dy = 0;
  let dc = 0;
  p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, p++) {
      const y = distance(i, j, p) - meanY;
      const v = c[p] - meanC;
      num += y * v;
      dy += y * y;
      dc += v * v;
    }
  }
  return num / Math.sqrt(dy * dc);
}
