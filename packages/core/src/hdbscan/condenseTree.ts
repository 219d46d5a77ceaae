import type { Matrix } from "../matrix.js";

/**
 * The condensed cluster tree (Campello et al., 2013; McInnes' hdbscan), one row per edge:
 * `parent` (a cluster id, >= n; the root is n), `child` (a row index < n, or a cluster id),
 * `lambdaVal` (1 / distance at which the child leaves the parent; Infinity at distance 0) and
 * `childSize` (1 for a row). Rows come in scikit-learn's order (breadth first over the single linkage
 * tree), cluster ids are numbered in that order too, so a child's id is always larger than its parent's.
 */
export interface CondensedTree {
  readonly parent: Int32Array;
  readonly child: Int32Array;
  readonly lambdaVal: Float64Array;
  readonly childSize: Int32Array;
}

/**
 * Condenses a single linkage tree (scipy format, (n-1) x 4) with a minimum cluster size, as
 * scikit-learn's `_condense_tree`: walking the tree breadth first from the top, a merge whose two sides
 * both have at least `minClusterSize` rows is a split into two new clusters; otherwise the smaller sides
 * "fall out" of the current cluster (every row of a side below `minClusterSize` becomes a child of the
 * cluster at that lambda) and a large side continues as the same cluster.
 */
export function condenseTree(slt: Matrix, minClusterSize: number): CondensedTree {
  const m = slt.rows;
  const n = m + 1;
  const z = slt.data;
  const root = 2 * m;
  const total = 2 * n - 1;
  const sizeOf = (node: number): number => (node >= n ? z[4 * (node - n) + 3] : 1);
  // Breadth-first order over the whole hierarchy.
  const order = new Int32Array(total);
  order[0] = root;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const node = order[head];
    if (node >= n) {
      order[tail++] = z[4 * (node - n)];
      order[tail++] = z[4 * (node - n) + 1];
    }
  }
  const relabel = new Int32Array(total);
  const ignore = new Uint8Array(total);
  relabel[root] = n;
  let nextLabel = n + 1;
  const capacity = 2 * n;
  const parent = new Int32Array(capacity);
  const child = new Int32Array(capacity);
  const lambdaVal = new Float64Array(capacity);
  const childSize = new Int32Array(capacity);
  let rows = 0;
  const queue = new Int32Array(total);
  const fallOut = (top: number, cluster: number, lambda: number): void => {
    queue[0] = top;
    let qt = 1;
    for (let qh = 0; qh < qt; qh++) {
      const node = queue[qh];
      ignore[node] = 1;
      if (node < n) {
        parent[rows] = cluster;
        child[rows] = node;
        lambdaVal[rows] = lambda;
        childSize[rows] = 1;
        rows++;
      } else {
        queue[qt++] = z[4 * (node - n)];
        queue[qt++] = z[4 * (node - n) + 1];
      }
    }
  };
  for (let o = 0; o < total; o++) {
    const node = order[o];
    if (ignore[node] || node < n) continue;
    const r = 4 * (node - n);
    const left = z[r];
    const right = z[r + 1];
    const distance = z[r + 2];
    const lambda = distance > 0 ? 1 / distance : Number.POSITIVE_INFINITY;
    const leftCount = sizeOf(left);
    const rightCount = sizeOf(right);
    const cluster = relabel[node];
    if (leftCount >= minClusterSize && rightCount >= minClusterSize) {
      relabel[left] = nextLabel++;
      parent[rows] = cluster;
      child[rows] = relabel[left];
      lambdaVal[rows] = lambda;
      childSize[rows] = leftCount;
      rows++;
      relabel[right] = nextLabel++;
      parent[rows] = cluster;
      child[rows] = relabel[right];
      lambdaVal[rows] = lambda;
      childSize[rows] = rightCount;
      rows++;
    } else if (leftCount < minClusterSize && rightCount < minClusterSize) {
      fallOut(left, cluster, lambda);
      fallOut(right, cluster, lambda);
    } else if (leftCount < minClusterSize) {
      relabel[right] = cluster;
      fallOut(left, cluster, lambda);
    } else {
      relabel[left] = cluster;
      fallOut(right, cluster, lambda);
    }
  }
  return {
    parent: parent.slice(0, rows),
    child: child.slice(0, rows),
    lambdaVal: lambdaVal.slice(0, rows),
    childSize: childSize.slice(0, rows),
  };
}
