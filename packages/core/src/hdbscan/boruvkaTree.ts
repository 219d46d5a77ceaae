import type { Matrix } from "../matrix.js";

/**
 * The k-d tree behind `boruvkaMST`: rows copied into tree order (a node is a contiguous range), each
 * node with its bounding box and the smallest core distance inside it, so that a node can be skipped
 * when `max(coreOfQuery, minCore, boxDistance / alpha)` cannot beat the best edge found so far.
 * Nodes split at the median of their widest dimension until they hold at most `leafSize` rows.
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
    const data = X.data;
    this.rows = n;
    this.cols = d;
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    const capacity = countNodes(n, leafSize);
    const nodeStart = new Int32Array(capacity);
    const nodeEnd = new Int32Array(capacity);
    const nodeLeft = new Int32Array(capacity).fill(-1);
    const nodeRight = new Int32Array(capacity).fill(-1);
    const nodeParent = new Int32Array(capacity).fill(-1);
    const nodeDepth = new Int32Array(capacity);
    const lower = new Float64Array(capacity * d);
    const upper = new Float64Array(capacity * d);
    let count = 1;
    nodeStart[0] = 0;
    nodeEnd[0] = n;
    let maxDepth = 0;
    // Nodes are built in creation order (a queue), so a child's index is larger than its parent's.
    for (let node = 0; node < count; node++) {
      const start = nodeStart[node];
      const end = nodeEnd[node];
      const lo = node * d;
      for (let t = 0; t < d; t++) {
        lower[lo + t] = Number.POSITIVE_INFINITY;
        upper[lo + t] = Number.NEGATIVE_INFINITY;
      }
      for (let s = start; s < end; s++) {
        const base = perm[s] * d;
        for (let t = 0; t < d; t++) {
          const v = data[base + t];
          if (v < lower[lo + t]) lower[lo + t] = v;
          if (v > upper[lo + t]) upper[lo + t] = v;
        }
      }
      if (nodeDepth[node] > maxDepth) maxDepth = nodeDepth[node];
      if (end - start <= leafSize) continue;
      let dim = 0;
      let spread = -1;
      for (let t = 0; t < d; t++) {
        const w = upper[lo + t] - lower[lo + t];
        if (w > spread) {
          spread = w;
          dim = t;
        }
      }
      if (!(spread > 0)) continue; // all rows coincide: keep as a leaf
      const mid = (start + end) >> 1;
      selectNth(perm, data, d, dim, start, end - 1, mid);
      const left = count++;
      const right = count++;
      nodeStart[left] = start;
      nodeEnd[left] = mid;
      nodeStart[right] = mid;
      nodeEnd[right] = end;
      nodeParent[left] = node;
      nodeParent[right] = node;
      nodeDepth[left] = nodeDepth[node] + 1;
      nodeDepth[right] = nodeDepth[node] + 1;
      nodeLeft[node] = left;
      nodeRight[node] = right;
    }
    this.nodeCount = count;
    this.depth = maxDepth;
    this.perm = perm;
    this.nodeStart = nodeStart;
    this.nodeEnd = nodeEnd;
    this.nodeLeft = nodeLeft;
    this.nodeRight = nodeRight;
    this.nodeParent = nodeParent;
    this.lower = lower;
    this.upper = upper;
    const points = new Float64Array(n * d);
    for (let s = 0; s < n; s++) {
      const i = perm[s];
      for (let t = 0; t < d; t++) points[s * d + t] = data[i * d + t];
    }
    this.points = points;
    this.core = new Float64Array(n);
    this.minCore = new Float64Array(count);
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

/** Upper bound on the number of nodes for `n` rows (every split halves a range of more than `leafSize`). */
function countNodes(n: number, leafSize: number): number {
  if (n <= leafSize) return 1;
  const half = n >> 1;
  return 1 + countNodes(half, leafSize) + countNodes(n - half, leafSize);
}

/** Reorders `perm[lo..hi]` so that position `k` holds the row with the k-th smallest coordinate `dim`. */
function selectNth(
  perm: Int32Array,
  data: Float64Array,
  d: number,
  dim: number,
  lo: number,
  hi: number,
  k: number,
): void {
  while (hi > lo) {
    // median of three as pivot
    const mid = (lo + hi) >> 1;
    const a = data[perm[lo] * d + dim];
    const b = data[perm[mid] * d + dim];
    const c = data[perm[hi] * d + dim];
    const pivot = a < b ? (b < c ? b : Math.max(a, c)) : a < c ? a : Math.max(b, c);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (data[perm[i] * d + dim] < pivot) i++;
      while (data[perm[j] * d + dim] > pivot) j--;
      if (i <= j) {
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
