import { invalid } from "../errors.js";
import { checkNClusters, checkNumber } from "../validate.js";
import { subtreeMax } from "./internal/tree.js";
import { asLinkageMatrix, type LinkageMatrixLike } from "./linkageMatrix.js";

/** Where `cutTree` cuts: a number of clusters or a height. */
export type CutTreeOptions = { nClusters: number; height?: undefined } | { height: number; nClusters?: undefined };

/**
 * Cuts the tree into flat clusters (scipy's `cut_tree` for one `n_clusters` or `height`).
 * Returns **0-based** labels numbered by first appearance (the cluster of observation 0 is 0,
 * the next new cluster met in row order is 1, ...), which is exactly scipy's `cut_tree` output.
 *
 * - `{ nClusters: k }`: undoes the k - 1 highest merges, giving exactly k clusters (1 <= k <= n).
 * - `{ height: h }`: keeps the merges strictly below h (scipy's `cut_tree` uses `<`, while
 *   `fcluster(..., { criterion: "distance" })` keeps merges `<= t`).
 *
 * Merges are applied in order of height, ties in scipy's order (the later one in a
 * breadth-first walk from the root first). For trees with inversions (centroid, median), where
 * scipy's `cut_tree` is not defined, each merge is ranked by the largest height in its subtree,
 * so a cut never splits a cluster below a merge that is kept.
 */
export function cutTree(Z: LinkageMatrixLike, options: CutTreeOptions): Int32Array {
  const z = asLinkageMatrix(Z);
  const rows = z.rows;
  const n = rows + 1;
  const zd = z.data;
  if (options == null || typeof options !== "object") {
    throw invalid("options", options, "expected { nClusters } or { height }");
  }
  const hasK = options.nClusters !== undefined;
  const hasH = options.height !== undefined;
  if (hasK === hasH) {
    throw invalid("options", options, "set exactly one of nClusters and height");
  }
  const md = subtreeMax(z, (r) => zd[4 * r + 2]);

  // Breadth-first order of the merges from the root, right child queued before left (scipy).
  const bfs = new Int32Array(rows);
  const queue = new Int32Array(rows);
  let head = 0;
  let tail = 0;
  queue[tail++] = rows - 1;
  while (head < tail) {
    const r = queue[head];
    bfs[r] = head++;
    const a = zd[4 * r];
    const b = zd[4 * r + 1];
    if (b >= n) queue[tail++] = b - n;
    if (a >= n) queue[tail++] = a - n;
  }
  const order = new Array<number>(rows);
  for (let r = 0; r < rows; r++) order[r] = r;
  order.sort((p, q) => md[p] - md[q] || bfs[q] - bfs[p]);

  let applied: number;
  if (hasK) {
    checkNClusters(options.nClusters as number, n, "nClusters");
    applied = n - (options.nClusters as number);
  } else {
    const h = checkNumber(options.height as number, "height");
    applied = 0;
    while (applied < rows && md[order[applied]] < h) applied++;
  }

  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let j = 0; j < applied; j++) {
    const r = order[j];
    parent[find(zd[4 * r])] = n + r;
    parent[find(zd[4 * r + 1])] = n + r;
  }
  const labels = new Int32Array(n);
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    let label = seen.get(root);
    if (label === undefined) {
      label = seen.size;
      seen.set(root, label);
    }
    labels[i] = label;
  }
  return labels;
}
