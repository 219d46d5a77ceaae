import { sparseContingency } from "./sparseContingency.js";

/**
 * The Fowlkes-Mallows index: the geometric mean of pairwise precision and recall,
 * `TP / sqrt((TP + FP) (TP + FN))`, in [0, 1]. As scikit-learn's `fowlkes_mallows_score`: 0.0 when
 * no pair is together in both labelings (including empty labelings and all-singleton clusters).
 * Symmetric; -1 is an ordinary label value.
 */
export function fowlkesMallowsScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const c = sparseContingency(labelsTrue, labelsPred);
  const n = c.n;
  let tk = 0;
  for (let p = 0; p < c.cellCounts.length; p++) tk += c.cellCounts[p] * c.cellCounts[p];
  tk -= n;
  let pk = 0;
  for (let s = 0; s < c.colSums.length; s++) pk += c.colSums[s] * c.colSums[s];
  pk -= n;
  let qk = 0;
  for (let r = 0; r < c.rowSums.length; r++) qk += c.rowSums[r] * c.rowSums[r];
  qk -= n;
  return tk !== 0 ? Math.sqrt(tk / pk) * Math.sqrt(tk / qk) : 0.0;
}
