import type { Matrix } from "../../matrix.js";
import { squaredDistanceAt } from "./distances.js";

/**
 * The symmetric k-nearest-neighbour graph scikit-learn's structured Ward uses:
 * `kneighbors_graph(X, k, include_self=False)` plus its transpose, then completed to a single
 * connected component by linking every pair of components through their closest pair of points
 * (`_fix_connectivity`). Brute force with Euclidean distances: O(n^2 d) time, O(n k) memory.
 * Ties between equally distant neighbours go to the lower index.
 *
 * Returns sorted neighbour lists (CSR: `offsets`, `indices`) and the number of connected
 * components before completion.
 */
export function knnConnectivity(
  X: Matrix,
  k: number,
): { offsets: Int32Array; indices: Int32Array; nComponents: number } {
  const n = X.rows;
  const d = X.cols;
  const data = X.data;
  const nbr = new Int32Array(n * k);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    let filled = 0;
    const pi = i * d;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const s = squaredDistanceAt(data, pi, j * d, d);
      if (filled === k && !(s < bestD[k - 1])) continue;
      let p = filled === k ? k - 1 : filled++;
      while (p > 0 && bestD[p - 1] > s) {
        bestD[p] = bestD[p - 1];
        bestI[p] = bestI[p - 1];
        p--;
      }
      bestD[p] = s;
      bestI[p] = j;
    }
    nbr.set(bestI, i * k);
  }

  // Symmetrise: i ~ j when j is among i's neighbours or i among j's.
  const sets: Set<number>[] = new Array(n);
  for (let i = 0; i < n; i++) sets[i] = new Set<number>();
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = nbr[i * k + t];
      sets[i].add(j);
      sets[j].add(i);
    }
  }

  // Connected components, labelled in order of their lowest index.
  const comp = new Int32Array(n).fill(-1);
  let nComponents = 0;
  const queue = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    if (comp[s] !== -1) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    comp[s] = nComponents;
    while (head < tail) {
      const u = queue[head++];
      for (const v of sets[u]) {
        if (comp[v] === -1) {
          comp[v] = nComponents;
          queue[tail++] = v;
        }
      }
    }
    nComponents++;
  }
  if (nComponents > 1) {
    const members: number[][] = [];
    for (let c = 0; c < nComponents; c++) members.push([]);
    for (let i = 0; i < n; i++) members[comp[i]].push(i);
    for (let a = 0; a < nComponents; a++) {
      for (let b = 0; b < a; b++) {
        let best = Number.POSITIVE_INFINITY;
        let bi = -1;
        let bj = -1;
        for (const i of members[a]) {
          for (const j of members[b]) {
            const s = squaredDistanceAt(data, i * d, j * d, d);
            if (s < best) {
              best = s;
              bi = i;
              bj = j;
            }
          }
        }
        sets[bi].add(bj);
        sets[bj].add(bi);
      }
    }
  }

  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + sets[i].size;
  const indices = new Int32Array(offsets[n]);
  for (let i = 0; i < n; i++) {
    const row = Int32Array.from(sets[i]).sort();
    indices.set(row, offsets[i]);
  }
  return { offsets, indices, nComponents };
}
