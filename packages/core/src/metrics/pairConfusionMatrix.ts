import type { Matrix } from "../matrix.js";
import { type SparseContingency, sparseContingency } from "./sparseContingency.js";

/**
 * The 2 x 2 pair confusion matrix of two labelings (scikit-learn's `pair_confusion_matrix`),
 * counting ordered pairs of distinct samples (each unordered pair twice), so the entries sum to
 * n * (n - 1):
 *
 * - `[0, 0]` (tn): pairs in different classes and different clusters;
 * - `[0, 1]` (fp): different classes, same cluster;
 * - `[1, 0]` (fn): same class, different clusters;
 * - `[1, 1]` (tp): same class and same cluster.
 *
 * Returned as a row-major `Matrix` (`data = [tn, fp, fn, tp]`). Counts are held in doubles, exact
 * up to 2^53 (n up to about 9.4e7), so they never overflow like 32-bit integers would. -1 is an
 * ordinary label value.
 */
export function pairConfusionMatrix(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): Matrix {
  return pairConfusionOf(sparseContingency(labelsTrue, labelsPred));
}

/** `pairConfusionMatrix` of a contingency table already built. */
export function pairConfusionOf(c: SparseContingency): Matrix {
  const n = c.n;
  let sumSquares = 0;
  for (let p = 0; p < c.cellCounts.length; p++) sumSquares += c.cellCounts[p] * c.cellCounts[p];
  let rowSquares = 0;
  for (let r = 0; r < c.rowSums.length; r++) rowSquares += c.rowSums[r] * c.rowSums[r];
  let colSquares = 0;
  for (let s = 0; s < c.colSums.length; s++) colSquares += c.colSums[s] * c.colSums[s];
  const tp = sumSquares - n;
  const fp = colSquares - sumSquares;
  const fn = rowSquares - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  return { rows: 2, cols: 2, data: Float64Array.of(tn, fp, fn, tp) };
}
