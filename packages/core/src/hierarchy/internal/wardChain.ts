import type { Matrix } from "../../matrix.js";
import { ActiveSet } from "./activeSet.js";
import { squaredDistanceAt } from "./distances.js";
import { buildPointTree } from "./pointTree.js";
import { relabelSorted } from "./relabel.js";

/** Largest number of columns for which the nearest-neighbour search uses a k-d tree. */
export const WARD_TREE_MAX_COLS = 16;
/** Smallest number of rows for which the k-d tree is used. */
export const WARD_TREE_MIN_ROWS = 64;
const LEAF_SIZE = 16;

/**
 * The live cluster with the smallest Ward criterion to cluster x that beats `bound` (first in
 * slot order on ties), or -1; its value is written to `out[0]`. A standalone function with typed
 * array parameters so the engine compiles one tight loop.
 */
function nearestWard(
  c: Float64Array,
  size: Float64Array,
  ids: Int32Array,
  count: number,
  d: number,
  x: number,
  bound: number,
  out: Float64Array,
): number {
  const nx = size[x];
  const px = x * d;
  let best = -1;
  let cur = bound;
  for (let t = 0; t < count; t++) {
    const i = ids[t];
    if (i === x) continue;
    const ni = size[i];
    const v = ((nx * ni) / (nx + ni)) * squaredDistanceAt(c, px, i * d, d);
    if (v < cur) {
      cur = v;
      best = i;
    }
  }
  out[0] = cur;
  return best;
}

/**
 * Ward linkage by the nearest-neighbour chain on stored centroids (Müllner 2011, section 6,
 * "vector data"): no distance matrix. Each live cluster keeps its centroid and size; the Ward
 * distance between clusters a and b is `sqrt(2 na nb / (na + nb)) * |ca - cb|`, which equals the
 * Lance-Williams Ward update that scipy applies to Euclidean distances. The chain compares the
 * squared form `na nb / (na + nb) * |ca - cb|^2` (same order) and takes one square root per merge.
 *
 * Memory: the n x d centroids plus O(n) integers. Each chain step looks for the nearest live
 * cluster: with at most 16 columns through a k-d tree over the centroids (`wardChainTree`; same
 * results), otherwise by scanning all live clusters (O(n^2 d) time). `mode` forces one path (tests).
 */
export function wardChainVectors(X: Matrix, mode: "auto" | "tree" | "scan" = "auto"): Matrix {
  const useTree = mode === "tree" || (mode === "auto" && X.cols <= WARD_TREE_MAX_COLS && X.rows >= WARD_TREE_MIN_ROWS);
  return useTree ? wardChainTree(X) : wardChainScan(X);
}

function wardChainScan(X: Matrix): Matrix {
  const n = X.rows;
  const d = X.cols;
  const c = X.data.slice();
  const size = new Float64Array(n).fill(1);
  const active = new ActiveSet(n);
  const ids = active.ids;
  const chain = new Int32Array(n);
  let chainLength = 0;
  const ra = new Int32Array(n - 1);
  const rb = new Int32Array(n - 1);
  const rh = new Float64Array(n - 1);
  const found = new Float64Array(1);

  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chain[0] = ids[0];
      chainLength = 1;
    }
    let x = 0;
    let y = 0;
    let currentMin = 0;
    for (;;) {
      x = chain[chainLength - 1];
      const nx = size[x];
      if (chainLength > 1) {
        y = chain[chainLength - 2];
        const ny = size[y];
        currentMin = ((nx * ny) / (nx + ny)) * squaredDistanceAt(c, x * d, y * d, d);
      } else {
        currentMin = Number.POSITIVE_INFINITY;
      }
      const best = nearestWard(c, size, ids, active.count, d, x, currentMin, found);
      if (best >= 0) {
        y = best;
        currentMin = found[0];
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    ra[k] = x;
    rb[k] = y;
    rh[k] = Math.sqrt(2 * currentMin);
    mergeInto(c, size, x, y, d);
    active.remove(x);
  }
  return relabelSorted(n, ra, rb, rh);
}

/**
 * The same nearest-neighbour chain as `wardChainScan` (same merges, same doubles, same ties), with
 * the nearest-cluster search on a k-d tree built once over the rows. Each cluster stays at the tree
 * position of its slot (the merged cluster at the larger slot, as in the scan); every node keeps
 * the bounding box of its live centroids, their smallest size m and their count, refreshed along
 * the two leaf-to-root paths a merge touches. A node is skipped when
 * `nx m / (nx + m) * boxDistance^2` exceeds the best criterion so far: the criterion grows with
 * the size and the squared distance, and the bound is computed with the same operations in the same
 * column order on smaller inputs, so (rounding being monotone) it never exceeds a computed
 * criterion and no cluster that the scan would choose is skipped.
 */
function wardChainTree(X: Matrix): Matrix {
  const n = X.rows;
  const d = X.cols;
  const tree = buildPointTree(X.data, n, d, LEAF_SIZE);
  const { perm, position, nodeCount, nodeStart, nodeEnd, nodeLeft, nodeRight, nodeParent, leafOf } = tree;
  const c = tree.points; // centroids by tree position (the tree's own copy of the rows)
  const lower = tree.lower;
  const upper = tree.upper;
  const size = new Float64Array(n).fill(1); // by tree position; 0 = merged away
  const nodeMinSize = new Float64Array(nodeCount).fill(1);
  const nodeLive = new Int32Array(nodeCount);
  for (let node = 0; node < nodeCount; node++) nodeLive[node] = nodeEnd[node] - nodeStart[node];
  const stack = new Int32Array(2 * nodeCount + 2);
  const stackBound = new Float64Array(2 * nodeCount + 2);
  const chain = new Int32Array(n); // tree positions
  let chainLength = 0;
  const ra = new Int32Array(n - 1);
  const rb = new Int32Array(n - 1);
  const rh = new Float64Array(n - 1);
  let firstLiveSlot = 0;

  /** Recomputes a leaf's box, smallest size and count from its live clusters, then its ancestors'. */
  const refresh = (pos: number): void => {
    let node = leafOf[pos];
    const lo = node * d;
    for (let t = 0; t < d; t++) {
      lower[lo + t] = Number.POSITIVE_INFINITY;
      upper[lo + t] = Number.NEGATIVE_INFINITY;
    }
    let m = Number.POSITIVE_INFINITY;
    let live = 0;
    for (let s = nodeStart[node]; s < nodeEnd[node]; s++) {
      const ns = size[s];
      if (ns === 0) continue;
      live++;
      if (ns < m) m = ns;
      const p = s * d;
      for (let t = 0; t < d; t++) {
        const v = c[p + t];
        if (v < lower[lo + t]) lower[lo + t] = v;
        if (v > upper[lo + t]) upper[lo + t] = v;
      }
    }
    nodeMinSize[node] = m;
    nodeLive[node] = live;
    for (node = nodeParent[node]; node >= 0; node = nodeParent[node]) {
      const l = nodeLeft[node];
      const r = nodeRight[node];
      const a = node * d;
      const pl = l * d;
      const pr = r * d;
      for (let t = 0; t < d; t++) {
        lower[a + t] = Math.min(lower[pl + t], lower[pr + t]);
        upper[a + t] = Math.max(upper[pl + t], upper[pr + t]);
      }
      nodeMinSize[node] = Math.min(nodeMinSize[l], nodeMinSize[r]);
      nodeLive[node] = nodeLive[l] + nodeLive[r];
    }
  };

  // Nearest live cluster to x (tree position) whose criterion beats `bound`: result in these two.
  let foundPos = -1;
  let foundValue = 0;
  const nearest = (x: number, bound: number): void => {
    const nx = size[x];
    const px = x * d;
    let cur = bound;
    let bestPos = -1;
    let bestSlot = -1;
    let top = 0;
    stack[top] = 0;
    stackBound[top++] = 0;
    while (top > 0) {
      top--;
      const node = stack[top];
      if (stackBound[top] > cur) continue;
      const l = nodeLeft[node];
      if (l < 0) {
        for (let s = nodeStart[node]; s < nodeEnd[node]; s++) {
          const ni = size[s];
          if (ni === 0 || s === x) continue;
          const v = ((nx * ni) / (nx + ni)) * squaredDistanceAt(c, px, s * d, d);
          if (v < cur || (v === cur && bestPos >= 0 && perm[s] < bestSlot)) {
            cur = v;
            bestPos = s;
            bestSlot = perm[s];
          }
        }
        continue;
      }
      const r = nodeRight[node];
      const bl =
        nodeLive[l] === 0 ? Number.POSITIVE_INFINITY : wardBound(c, px, nx, lower, upper, l, d, nodeMinSize[l]);
      const br =
        nodeLive[r] === 0 ? Number.POSITIVE_INFINITY : wardBound(c, px, nx, lower, upper, r, d, nodeMinSize[r]);
      // the nearer child is searched first
      if (bl <= br) {
        if (br <= cur) {
          stack[top] = r;
          stackBound[top++] = br;
        }
        if (bl <= cur) {
          stack[top] = l;
          stackBound[top++] = bl;
        }
      } else {
        if (bl <= cur) {
          stack[top] = l;
          stackBound[top++] = bl;
        }
        if (br <= cur) {
          stack[top] = r;
          stackBound[top++] = br;
        }
      }
    }
    foundPos = bestPos;
    foundValue = cur;
  };

  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      while (size[position[firstLiveSlot]] === 0) firstLiveSlot++;
      chain[0] = position[firstLiveSlot];
      chainLength = 1;
    }
    let x = 0;
    let y = 0;
    let currentMin = 0;
    for (;;) {
      x = chain[chainLength - 1];
      const nx = size[x];
      if (chainLength > 1) {
        y = chain[chainLength - 2];
        const ny = size[y];
        currentMin = ((nx * ny) / (nx + ny)) * squaredDistanceAt(c, x * d, y * d, d);
      } else {
        currentMin = Number.POSITIVE_INFINITY;
      }
      nearest(x, currentMin);
      if (foundPos >= 0) {
        y = foundPos;
        currentMin = foundValue;
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    // the merged cluster takes the larger slot
    if (perm[x] > perm[y]) {
      const t = x;
      x = y;
      y = t;
    }
    ra[k] = perm[x];
    rb[k] = perm[y];
    rh[k] = Math.sqrt(2 * currentMin);
    mergeInto(c, size, x, y, d);
    refresh(x);
    refresh(y);
  }
  return relabelSorted(n, ra, rb, rh);
}

/** Merges cluster x into y: y's centroid becomes the size-weighted mean, x's size becomes 0. */
function mergeInto(c: Float64Array, size: Float64Array, x: number, y: number, d: number): void {
  const nx = size[x];
  const ny = size[y];
  const px = x * d;
  const py = y * d;
  const inv = 1 / (nx + ny);
  for (let u = 0; u < d; u++) c[py + u] = (nx * c[px + u] + ny * c[py + u]) * inv;
  size[x] = 0;
  size[y] = nx + ny;
}

/**
 * Lower bound of the Ward criterion between the cluster at `px` (size nx) and any live cluster of
 * `node`: `nx m / (nx + m) * boxDistance^2`, with m the node's smallest size and the squared box
 * distance summed in column order (a zero for columns inside the box). The box sum is written out here
 * rather than shared with mstSingle's `boxSquared`: it is the tree search's hot loop (~10% faster inline).
 */
function wardBound(
  c: Float64Array,
  px: number,
  nx: number,
  lower: Float64Array,
  upper: Float64Array,
  node: number,
  d: number,
  m: number,
): number {
  const pb = node * d;
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = c[px + t];
    const lo = lower[pb + t];
    const hi = upper[pb + t];
    if (v < lo) {
      const g = lo - v;
      s += g * g;
    } else if (v > hi) {
      const g = v - hi;
      s += g * g;
    }
  }
  return ((nx * m) / (nx + m)) * s;
}
