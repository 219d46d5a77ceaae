import type { HDBSCANMetric } from "./hdbscanMetric.js";
import { allocateMSTEdges, type MSTEdges } from "./mstEdges.js";

/**
 * Prim's algorithm on the complete mutual reachability graph, with distances computed on the fly:
 * O(n^2 d) time, O(n) memory (no n x n matrix).
 *
 * The mutual reachability distance of rows i and j is `max(core[i], core[j], dist(i, j) / alpha)`.
 * The tree grows from row 0; at each step the row outside the tree with the smallest reachability
 * joins (ties: the smaller row index), exactly as scikit-learn's `mst_from_data_matrix`, so the edges
 * and their weights are the same doubles. Two ways of recording an edge, both from scikit-learn:
 * - `pathEdges = false` (`mst_from_data_matrix`, used for Euclidean and Manhattan): the edge joins the
 *   new row to the tree row that first gave it its reachability;
 * - `pathEdges = true` (`mst_from_mutual_reachability`, the dense path scikit-learn uses for cosine): the
 *   edge joins the new row to the row added just before it. These "edges" form a path with the same
 *   weights; the single linkage tree built from them is the same (up to the order of equal-height merges).
 *
 * `points` are prepared by `hdbscanMetricPoints` (unit rows for cosine).
 */
export function primMST(
  points: Float64Array,
  n: number,
  d: number,
  metric: HDBSCANMetric,
  core: Float64Array,
  alpha: number,
  pathEdges: boolean,
): MSTEdges {
  const edges = allocateMSTEdges(n);
  if (n < 2) return edges;
  const { from, to, weight } = edges;
  const kind = metric === "euclidean" ? 0 : metric === "manhattan" ? 1 : 2;
  const scale = alpha !== 1;
  // Rows outside the tree, in increasing index order (compacted as rows join, so ties keep index order).
  const remaining = new Int32Array(n - 1);
  for (let j = 1; j < n; j++) remaining[j - 1] = j;
  let m = n - 1;
  const minReach = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const source = new Int32Array(n);
  let current = 0;
  for (let e = 0; e < n - 1; e++) {
    const cc = core[current];
    const ca = current * d;
    let best = Number.MAX_VALUE;
    let bestPos = 0;
    for (let r = 0; r < m; r++) {
      const j = remaining[r];
      const jb = j * d;
      let dist = 0;
      if (kind === 0) {
        for (let t = 0; t < d; t++) {
          const diff = points[ca + t] - points[jb + t];
          dist += diff * diff;
        }
        dist = Math.sqrt(dist);
      } else if (kind === 1) {
        for (let t = 0; t < d; t++) dist += Math.abs(points[ca + t] - points[jb + t]);
      } else {
        for (let t = 0; t < d; t++) dist += points[ca + t] * points[jb + t];
        dist = 1 - dist;
        dist = dist < 0 ? 0 : Math.min(dist, 2);
      }
      if (scale) dist /= alpha;
      const cj = core[j];
      let mrd = Math.max(cc, cj);
      if (dist > mrd) mrd = dist;
      const old = minReach[j];
      if (mrd < old) {
        minReach[j] = mrd;
        source[j] = current;
        if (mrd < best) {
          best = mrd;
          bestPos = r;
        }
      } else if (old < best) {
        best = old;
        bestPos = r;
      }
    }
    const next = remaining[bestPos];
    remaining.copyWithin(bestPos, bestPos + 1, m);
    m--;
    from[e] = pathEdges ? current : source[next];
    to[e] = next;
    weight[e] = best;
    current = next;
  }
  return edges;
}
