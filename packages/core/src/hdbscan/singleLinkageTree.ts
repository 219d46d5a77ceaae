import type { Matrix } from "../matrix.js";
import type { MSTEdges } from "./mstEdges.js";

/**
 * The single linkage tree of a minimum spanning tree, in scipy's linkage format: an (n-1) x 4 `Matrix`
 * whose row r merges clusters `[left, right, distance, size]` into cluster `n + r` (ids < n are rows).
 *
 * As scikit-learn's `_process_mst` + `make_single_linkage`: edges sorted by weight, then merged in that
 * order; `left` is the cluster holding the edge's `from` row and `right` the one holding its `to` row.
 * Equal weights keep the order in which the MST algorithm found them (a stable sort; scikit-learn's
 * `np.argsort` is not stable, so its order among equal weights is unspecified).
 */
export function singleLinkageTree(edges: MSTEdges, n: number): Matrix {
  const m = n - 1;
  const { from, to, weight } = edges;
  const order = new Int32Array(m);
  for (let e = 0; e < m; e++) order[e] = e;
  order.sort((a, b) => weight[a] - weight[b] || a - b);
  const parent = new Int32Array(2 * n - 1).fill(-1);
  const size = new Int32Array(2 * n - 1);
  for (let i = 0; i < n; i++) size[i] = 1;
  const out = new Float64Array(m * 4);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== -1) root = parent[root];
    while (x !== root) {
      const next = parent[x];
      parent[x] = root;
      x = next;
    }
    return root;
  };
  for (let r = 0; r < m; r++) {
    const e = order[r];
    const a = find(from[e]);
    const b = find(to[e]);
    const s = size[a] + size[b];
    out[4 * r] = a;
    out[4 * r + 1] = b;
    out[4 * r + 2] = weight[e];
    out[4 * r + 3] = s;
    const c = n + r;
    parent[a] = c;
    parent[b] = c;
    size[c] = s;
  }
  return { rows: m, cols: 4, data: out };
}
