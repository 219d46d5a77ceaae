import type { ProfileResult } from "@clusterlab/charts";
import type { Matrix } from "@clusterlab/core";

/** Per-cluster means of the rows of X (NaN for an empty cluster); noise (-1) left out. */
export function clusterMeans(X: Matrix, labels: Int32Array, k: number, sizes: number[]): Float64Array {
  const d = X.cols;
  const sums = new Float64Array(k * d);
  for (let i = 0; i < X.rows; i++) {
    const c = labels[i];
    if (c < 0) continue;
    for (let j = 0; j < d; j++) sums[c * d + j] += X.data[i * d + j];
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) sums[c * d + j] = sizes[c] > 0 ? sums[c * d + j] / sizes[c] : Number.NaN;
  }
  return sums;
}

/**
 * Feature means per cluster of the rows of X (raw values: the profile heatmap's hover), and the
 * standardised means ((mean - overall mean) / overall std, the heatmap's colour). Noise (-1) is
 * left out of the cluster means, not of the overall ones.
 */
export function clusterProfile(
  X: Matrix,
  labels: Int32Array,
  k: number,
  sizes: number[],
  columns: string[],
): ProfileResult {
  const n = X.rows;
  const d = X.cols;
  const means = clusterMeans(X, labels, k, sizes);
  const overallMean = new Array<number>(d).fill(0);
  const overallStd = new Array<number>(d).fill(0);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X.data[i * d + j];
    const m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (X.data[i * d + j] - m) ** 2;
    overallMean[j] = m;
    overallStd[j] = Math.sqrt(ss / n);
  }
  const rows: number[][] = [];
  const z: number[][] = [];
  for (let c = 0; c < k; c++) {
    const r: number[] = [];
    const zr: number[] = [];
    for (let j = 0; j < d; j++) {
      const v = means[c * d + j];
      r.push(v);
      zr.push(overallStd[j] > 0 && Number.isFinite(v) ? (v - overallMean[j]) / overallStd[j] : 0);
    }
    rows.push(r);
    z.push(zr);
  }
  return { columns, means: rows, z, overallMean, overallStd };
}
