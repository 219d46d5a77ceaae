import { type Matrix, takeRows } from "../../matrix.js";
import { KDTree } from "../../neighbors/kdTree.js";
import { kNeighbors } from "../../neighbors/kNeighbors.js";
import { COSINE, cosineNorms, EUCLIDEAN, type MetricCode, rowDistance } from "./distances.js";

/**
 * The symmetric k-nearest-neighbour graph of scikit-learn's structured agglomerative clustering:
 * `kneighbors_graph(X, k, include_self=False)` plus its transpose, then completed to a single
 * connected component by linking every pair of components through their closest pair of points
 * (`_fix_connectivity`). The neighbours come from `kNeighbors` (a k-d tree up to 15 features,
 * brute force above), O(n k) memory; ties between equally distant neighbours go to the lower
 * index. The neighbours are always Euclidean (`kneighbors_graph`'s default); the closest pairs
 * that complete a disconnected graph are measured with the linkage's `metric`, as scikit-learn
 * does (one k-d tree per component; brute force for cosine).
 *
 * Returns sorted neighbour lists (CSR: `offsets`, `indices`) and the number of connected
 * components before completion.
 */
export function knnConnectivity(
  X: Matrix,
  k: number,
  metric: MetricCode = EUCLIDEAN,
): { offsets: Int32Array; indices: Int32Array; nComponents: number } {
  const n = X.rows;
  const d = X.cols;
  const data = X.data;
  // k + 1 nearest of every row, itself included (ordered by distance, then index); dropping the row
  // itself (or, if k + 1 rows tie at distance 0 before it, the last one) leaves its k nearest others.
  const nbr = new Int32Array(n * k);
  const found = kNeighbors(X, k + 1).indices;
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let t = 0; t <= k && c < k; t++) {
      const j = found[i * (k + 1) + t];
      if (j !== i) nbr[i * k + c++] = j;
    }
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
    const norms = metric === COSINE ? cosineNorms(X) : null;
    const members: number[][] = [];
    for (let c = 0; c < nComponents; c++) members.push([]);
    for (let i = 0; i < n; i++) members[comp[i]].push(i);
    // Euclidean and Manhattan: one k-d tree per component, each row of component a asks for its
    // nearest row of component b (ties: the lower index); cosine: brute force over the pairs.
    const trees: (KDTree | null)[] = new Array(nComponents).fill(null);
    const point = new Float64Array(d);
    const hitI = new Int32Array(1);
    const hitD = new Float64Array(1);
    for (let a = 0; a < nComponents; a++) {
      for (let b = 0; b < a; b++) {
        let best = Number.POSITIVE_INFINITY;
        let bi = -1;
        let bj = -1;
        if (metric !== COSINE) {
          let tree = trees[b];
          if (tree === null) {
            tree = new KDTree(takeRows(X, members[b]), { metric: metric === EUCLIDEAN ? "euclidean" : "manhattan" });
            trees[b] = tree;
          }
          for (const i of members[a]) {
            for (let t = 0; t < d; t++) point[t] = data[i * d + t];
            tree.knnInto(point, 1, hitI, hitD, 0);
            if (hitD[0] < best) {
              best = hitD[0];
              bi = i;
              bj = members[b][hitI[0]];
            }
          }
          sets[bi].add(bj);
          sets[bj].add(bi);
          continue;
        }
        for (const i of members[a]) {
          for (const j of members[b]) {
            const s = rowDistance(data, i, j, d, metric, norms);
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
