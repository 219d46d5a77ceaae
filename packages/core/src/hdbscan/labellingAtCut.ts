import type { Matrix } from "../matrix.js";

/**
 * DBSCAN* labels from a single linkage tree cut at a distance (the hdbscan library's and scikit-learn's
 * `labelling_at_cut`): rows linked by merges strictly below `cut` form a component; components with at
 * least `minClusterSize` rows are clusters (numbered in the order scikit-learn numbers them), the rest are
 * noise (-1). On an HDBSCAN tree this is DBSCAN with eps = `cut` and `minSamples`, without border points.
 */
export function labellingAtCut(slt: Matrix, cut: number, minClusterSize: number): Int32Array {
  const m = slt.rows;
  const n = m + 1;
  const z = slt.data;
  const total = 2 * m + 1;
  // The union-find of scikit-learn's `TreeUnionFind` (union by rank, path compression), replicated so that
  // the component representatives, and hence the label numbers, are the same.
  const parent = new Int32Array(total);
  const rank = new Int32Array(total);
  for (let i = 0; i < total; i++) parent[i] = i;
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root];
    while (parent[x] !== root) {
      const next = parent[x];
      parent[x] = root;
      x = next;
    }
    return root;
  };
  const union = (x: number, y: number): void => {
    const xr = find(x);
    const yr = find(y);
    if (rank[xr] < rank[yr]) parent[xr] = yr;
    else if (rank[xr] > rank[yr]) parent[yr] = xr;
    else {
      parent[yr] = xr;
      rank[xr] += 1;
    }
  };
  for (let r = 0; r < m; r++) {
    if (z[4 * r + 2] < cut) {
      union(z[4 * r], n + r);
      union(z[4 * r + 1], n + r);
    }
  }
  const result = new Int32Array(n);
  const size = new Int32Array(total);
  for (let i = 0; i < n; i++) {
    const c = find(i);
    size[c]++;
    result[i] = c;
  }
  // Clusters numbered by increasing representative id (scikit-learn iterates `np.unique`).
  const labelOf = new Int32Array(total).fill(-1);
  const seen = new Uint8Array(total);
  for (let i = 0; i < n; i++) seen[result[i]] = 1;
  let next = 0;
  for (let c = 0; c < total; c++) if (seen[c] && size[c] >= minClusterSize) labelOf[c] = next++;
  for (let i = 0; i < n; i++) result[i] = labelOf[result[i]];
  return result;
}
