import { uniqueLabels } from "./uniqueLabels.js";

/**
 * The Shannon entropy of a labeling in nats, `-sum p_k log p_k` over the label frequencies.
 * As scikit-learn's `entropy`: 0.0 for a single label and 1.0 for an empty labeling (a convention
 * that makes homogeneity and completeness of empty labelings 1.0). -1 is an ordinary label value.
 */
export function entropy(labels: ArrayLike<number>): number {
  return entropyOfCounts(uniqueLabels(labels).counts);
}

/** Entropy of the frequencies `counts` (all > 0), with `entropy`'s conventions. */
export function entropyOfCounts(counts: ArrayLike<number>): number {
  const k = counts.length;
  if (k === 0) return 1.0;
  if (k === 1) return 0.0;
  let total = 0;
  for (let c = 0; c < k; c++) total += counts[c];
  const logTotal = Math.log(total);
  let s = 0;
  for (let c = 0; c < k; c++) s += (counts[c] / total) * (Math.log(counts[c]) - logTotal);
  return -s;
}
