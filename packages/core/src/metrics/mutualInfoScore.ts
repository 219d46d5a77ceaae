import { type SparseContingency, sparseContingency } from "./sparseContingency.js";

/**
 * The mutual information between two labelings in nats, `sum_ij (n_ij / n) log(n n_ij / (a_i b_j))`
 * over the contingency table (a_i, b_j its row and column sums), as scikit-learn's
 * `mutual_info_score`: 0.0 when either labeling has a single label, per-cell terms below machine
 * epsilon set to 0, and the sum clipped at 0. Symmetric; -1 is an ordinary label value.
 *
 * Difference from scikit-learn: empty labelings give 0.0 (scikit-learn raises a math domain error).
 */
export function mutualInfoScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  return mutualInfoOf(sparseContingency(labelsTrue, labelsPred));
}

/** `mutualInfoScore` of a contingency table already built. */
export function mutualInfoOf(c: SparseContingency): number {
  const { n, rowSums, colSums, cellRows, cellCols, cellCounts } = c;
  if (rowSums.length <= 1 || colSums.length <= 1) return 0.0;
  const logN = Math.log(n);
  const eps = Number.EPSILON;
  let mi = 0;
  for (let p = 0; p < cellCounts.length; p++) {
    const nij = cellCounts[p];
    const pij = nij / n;
    const outer = rowSums[cellRows[p]] * colSums[cellCols[p]];
    const logOuter = -Math.log(outer) + logN + logN;
    const term = pij * (Math.log(nij) - logN) + pij * logOuter;
    if (Math.abs(term) >= eps) mi += term;
  }
  return mi > 0 ? mi : 0.0;
}
