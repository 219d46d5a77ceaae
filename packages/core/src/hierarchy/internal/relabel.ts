import type { Matrix } from "../../matrix.js";

/**
 * Turns merges recorded as pairs of *observation slots* (not cluster ids) into a scipy linkage
 * matrix: rows are stably sorted by height (numpy `argsort(kind="mergesort")`), then a
 * union-find assigns the new cluster ids n, n+1, ... in row order, writes the smaller id first
 * and recomputes the sizes. This is scipy's `label` step after `nn_chain` and
 * `mst_single_linkage`, so ties keep scipy's order. With `keepOrientation` the pair keeps the
 * order of the recorded merge instead (scikit-learn's `_single_linkage_label`).
 */
export function relabelSorted(
  n: number,
  a: Int32Array,
  b: Int32Array,
  h: Float64Array,
  keepOrientation = false,
): Matrix {
  const m = n - 1;
  const order = new Array<number>(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((p, q) => h[p] - h[q] || p - q);

  const parent = new Int32Array(2 * n - 1);
  const size = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) {
    parent[i] = i;
    size[i] = 1;
  }
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) {
      const next = parent[x];
      parent[x] = r;
      x = next;
    }
    return r;
  };

  const Z = new Float64Array(m * 4);
  for (let r = 0; r < m; r++) {
    const src = order[r];
    const xr = find(a[src]);
    const yr = find(b[src]);
    const next = n + r;
    const swap = !keepOrientation && xr > yr;
    Z[4 * r] = swap ? yr : xr;
    Z[4 * r + 1] = swap ? xr : yr;
    Z[4 * r + 2] = h[src];
    parent[xr] = next;
    parent[yr] = next;
    size[next] = size[xr] + size[yr];
    Z[4 * r + 3] = size[next];
  }
  return { rows: m, cols: 4, data: Z };
}
