import type { MatrixLike } from "../matrix.js";
import { asMatrix } from "../validate.js";
import { checkLabelsForRows } from "./checkLabelsForRows.js";

/**
 * The Calinski-Harabasz score (variance ratio criterion): between-cluster dispersion over
 * within-cluster dispersion, each divided by its degrees of freedom,
 * `[B / (k - 1)] / [W / (n - k)]`. Higher is better.
 *
 * As scikit-learn's `calinski_harabasz_score`: requires `2 <= number of labels <= n - 1` (the error
 * names the count) and returns 1.0 when the within-cluster dispersion is 0. -1 is an ordinary
 * label value. O(n d) time, O(k d) extra memory.
 */
export function calinskiHarabaszScore(X: MatrixLike, labels: ArrayLike<number>): number {
  const m = asMatrix(X);
  const { codes, counts } = checkLabelsForRows(m, labels);
  const { rows: n, cols: d, data } = m;
  const k = counts.length;
  const mean = new Float64Array(d);
  const centroids = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const cb = codes[i] * d;
    for (let t = 0; t < d; t++) {
      mean[t] += data[base + t];
      centroids[cb + t] += data[base + t];
    }
  }
  for (let t = 0; t < d; t++) mean[t] /= n;
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) centroids[c * d + t] /= counts[c];
  const intraPerCluster = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const cb = codes[i] * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = data[base + t] - centroids[cb + t];
      s += diff * diff;
    }
    intraPerCluster[codes[i]] += s;
  }
  let extra = 0;
  let intra = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = centroids[c * d + t] - mean[t];
      s += diff * diff;
    }
    extra += counts[c] * s;
    intra += intraPerCluster[c];
  }
  return intra === 0 ? 1.0 : (extra * (n - k)) / (intra * (k - 1));
}
