import { Random } from "@clusterlab/core";

/** Rows [0, n) or a seeded sample of `max` of them, in increasing order. */
export function sampleRows(n: number, max: number, seed: number): Int32Array {
  if (n <= max) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  return new Random(seed).sampleWithoutReplacement(n, max).sort();
}
