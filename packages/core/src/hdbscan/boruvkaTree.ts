import { buildPointTree } from "../hierarchy/internal/pointTree.js";
import type { Matrix } from "../matrix.js";

/**
 * The k-d tree behind `boruvkaMST`: rows copied into tree order (a node is a contiguous range), each
 * node with its bounding box and the smallest core distance inside it, so that a node can be skipped
 * when `max(coreOfQuery, minCore, boxDistance / alpha)` cannot beat the best edge found so far.
 * The tree itself is `buildPointTree`'s (shared with the vector linkages).
 */
export class BoruvkaTree {
  readonly rows: number;
  readonly cols: number;
  /** Tree position -> original row index. */
  readonly perm: Int32Array;
  /** Coordinates in tree order, row-major. */
  readonly points: Float64Array;
  /** Core distances in tree order (set by `setCore`). */
  core: Float64Array;
  readonly nodeCount: number;
  readonly nodeStart: Int32Array;
  readonly nodeEnd: Int32Array;
  /** Left child (the right child is `nodeRight`), or -1 for a leaf. */
  readonly nodeLeft: Int32Array;
  readonly nodeRight: Int32Array;
  /** Parent node, -1 for the root. Children always have larger indices than their parent. */
  readonly nodeParent: Int32Array;
  /** Bounding boxes, `nodeCount x cols`. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Smallest core distance in each node (set by `setCore`). */
  minCore: Float64Array;
  /** Depth of the deepest node (root = 0). */
  readonly depth: number;

  constructor(X: Matrix, leafSize: number) {
    const n = X.rows;
    const d = X.cols;
    const tree = buildPointTree(X.data, n, d, leafSize);
    this.rows = n;
    this.cols = d;
    this.nodeCount = tree.nodeCount;
    this.perm = tree.perm;
    this.points = tree.points;
    this.nodeStart = tree.nodeStart;
    this.nodeEnd = tree.nodeEnd;
    this.nodeLeft = tree.nodeLeft;
    this.nodeRight = tree.nodeRight;
    this.nodeParent = tree.nodeParent;
    this.lower = tree.lower;
    this.upper = tree.upper;
    // children have larger indices than their parent: one forward pass gives every depth
    const nodeDepth = new Int32Array(tree.nodeCount);
    let maxDepth = 0;
    for (let node = 1; node < tree.nodeCount; node++) {
      const depth = nodeDepth[tree.nodeParent[node]] + 1;
      nodeDepth[node] = depth;
      if (depth > maxDepth) maxDepth = depth;
    }
    this.depth = maxDepth;
    this.core = new Float64Array(n);
    this.minCore = new Float64Array(tree.nodeCount);
  }

  /** Stores the core distances (given by original row index) in tree order, with each node's minimum. */
  setCore(core: Float64Array): void {
    const { perm, nodeCount: count, nodeLeft, nodeRight, nodeStart, nodeEnd } = this;
    const coreT = this.core;
    for (let s = 0; s < this.rows; s++) coreT[s] = core[perm[s]];
    const minCore = this.minCore;
    for (let node = count - 1; node >= 0; node--) {
      const l = nodeLeft[node];
      if (l < 0) {
        let m = Number.POSITIVE_INFINITY;
        for (let s = nodeStart[node]; s < nodeEnd[node]; s++) if (coreT[s] < m) m = coreT[s];
        minCore[node] = m;
      } else {
        const r = nodeRight[node];
        minCore[node] = Math.min(minCore[l], minCore[r]);
      }
    }
  }

  /**
   * The k nearest rows of every row (itself included), Euclidean or Manhattan: returns, by original row
   * index, the distance to the k-th nearest row (the core distance for `minSamples = k`) and the k
   * neighbour indices (row-major `rows x k`, in no particular order). Distances are computed as
   * sqrt(sum of squared differences in feature order) or sum |differences|, the same doubles as
   * scikit-learn's k-d tree; among equal distances any rows may be returned (the k-th distance is the same).
   */
  knn(k: number, euclidean: boolean): { kth: Float64Array; neighbors: Int32Array } {
    const { rows: n, cols: d, points, perm, nodeStart, nodeEnd, nodeLeft, nodeRight, lower, upper } = this;
    const kth = new Float64Array(n);
    const neighbors = new Int32Array(n * k);
    const heapD = new Float64Array(k);
    const heapI = new Int32Array(k);
    const stackNode = new Int32Array(2 * this.depth + 4);
    const stackBound = new Float64Array(2 * this.depth + 4);
    const boxReduced = (qa: number, node: number): number => {
      const base = node * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = points[qa + t];
        const lo = lower[base + t];
        const hi = upper[base + t];
        const gap = v < lo ? lo - v : v > hi ? v - hi : 0;
        s += euclidean ? gap * gap : gap;
      }
      return s;
    };
    for (let q = 0; q < n; q++) {
      const qa = q * d;
      let size = 0;
      let sp = 0;
      stackNode[sp] = 0;
      stackBound[sp++] = 0;
      while (sp > 0) {
        sp--;
        const node = stackNode[sp];
        if (size === k && stackBound[sp] > heapD[0]) continue;
        const left = nodeLeft[node];
        if (left < 0) {
          for (let s = nodeStart[node]; s < nodeEnd[node]; s++) {
            const sa = s * d;
            let r = 0;
            if (euclidean) {
              for (let t = 0; t < d; t++) {
                const diff = points[qa + t] - points[sa + t];
                r += diff * diff;
              }
            } else {
              for (let t = 0; t < d; t++) r += Math.abs(points[qa + t] - points[sa + t]);
            }
            if (size < k) {
              let c = size++;
              while (c > 0) {
                const p = (c - 1) >> 1;
                if (heapD[p] >= r) break;
                heapD[c] = heapD[p];
                heapI[c] = heapI[p];
                c = p;
              }
              heapD[c] = r;
              heapI[c] = s;
            } else if (r < heapD[0]) {
              let c = 0;
              for (;;) {
                const l = 2 * c + 1;
                if (l >= k) break;
                const rr = l + 1;
                const m = rr < k && heapD[rr] > heapD[l] ? rr : l;
                if (heapD[m] <= r) break;
                heapD[c] = heapD[m];
                heapI[c] = heapI[m];
                c = m;
              }
              heapD[c] = r;
              heapI[c] = s;
            }
          }
          continue;
        }
        const right = nodeRight[node];
        const lb = boxReduced(qa, left);
        const rb = boxReduced(qa, right);
        const full = size === k;
        if (lb <= rb) {
          if (!full || rb <= heapD[0]) {
            stackNode[sp] = right;
            stackBound[sp++] = rb;
          }
          stackNode[sp] = left;
          stackBound[sp++] = lb;
        } else {
          if (!full || lb <= heapD[0]) {
            stackNode[sp] = left;
            stackBound[sp++] = lb;
          }
          stackNode[sp] = right;
          stackBound[sp++] = rb;
        }
      }
      const i = perm[q];
      kth[i] = euclidean ? Math.sqrt(heapD[0]) : heapD[0];
      for (let r = 0; r < k; r++) neighbors[i * k + r] = perm[heapI[r]];
    }
    return { kth, neighbors };
  }
}
