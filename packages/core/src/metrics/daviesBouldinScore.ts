import type { MatrixLike } from "../matrix.js";
import { asMatrix } from "../validate.js";
import { checkLabelsForRows } from "./checkLabelsForRows.js";

/** scikit-learn's `isclose(x, 0)` tolerance (numpy's default absolute tolerance). */
const ZERO_TOLERANCE = 1e-8;

/**
 * The Davies-Bouldin score: the mean over clusters of the largest similarity
 * `(s_i + s_j) / d(c_i, c_j)` to another cluster, where s is the mean Euclidean distance of a
 * cluster's points to its centroid and d the distance between centroids. Lower is better; 0 is the
 * minimum.
 *
 * As scikit-learn's `davies_bouldin_score`: requires `2 <= number of labels <= n - 1` (the error
 * names the count); returns 0.0 when every s or every centroid distance is within 1e-8 of 0;
 * pairs of clusters with identical centroids are ignored (distance treated as infinite). -1 is an
 * ordinary label value. O(n d + k^2 d) time, O(k d) extra memory (no k x k matrix).
 */
export function daviesBouldinScore(X: MatrixLike, labels: ArrayLike<number>): number {
  const m = asMatrix(X);
  const { codes, counts } = checkLabelsForRows(m, labels);
  const { rows: n, cols: d, data } = m;
  const k = counts.length;
  const centroids = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const cb = codes[i] * d;
    for (let t = 0; t < d; t++) centroids[cb + t] += data[base + t];
  }
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) centroids[c * d + t] /= counts[c];
  const intra = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const cb = codes[i] * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = data[base + t] - centroids[cb + t];
      s += diff * diff;
    }
    intra[codes[i]] += Math.sqrt(s);
  }
  let allIntraZero = true;
  for (let c = 0; c < k; c++) {
    intra[c] /= counts[c];
    if (Math.abs(intra[c]) > ZERO_TOLERANCE) allIntraZero = false;
  }
  // One pass over the pairs, keeping each cluster's worst ratio (no k x k matrix: k can be in the
  // thousands, as DBSCAN's micro-clusters).
  const worst = new Float64Array(k);
  let allCentroidsClose = true;
  for (let a = 0; a < k; a++) {
    const ca = a * d;
    const intraA = intra[a];
    let worstA = worst[a];
    for (let b = a + 1; b < k; b++) {
      const cb = b * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = centroids[ca + t] - centroids[cb + t];
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      if (dist > ZERO_TOLERANCE) allCentroidsClose = false;
      if (dist === 0) continue; // identical centroids: ratio 0 against an infinite distance
      const ratio = (intraA + intra[b]) / dist;
      if (ratio > worstA) worstA = ratio;
      if (ratio > worst[b]) worst[b] = ratio;
    }
    worst[a] = worstA;
  }
  if (allIntraZero || allCentroidsClose) return 0.0;
  let total = 0;
  for (let a = 0; a < k; a++) total += worst[a];
  return total / k;
}
