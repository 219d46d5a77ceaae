/**
 * A static k-d tree over the rows of a matrix for the vector linkages (`mstSingle`, `wardChain`) and
 * HDBSCAN's `BoruvkaTree`: the rows are permuted into tree order so that every node is a contiguous
 * range of positions, nodes split at the median (median-of-three quickselect) of their widest
 * dimension until they hold at most `leafSize` rows.
 * Children always have larger node indices than their parent, so a loop from the last node to the
 * first visits children before parents. Built once, O(n log n); the algorithms keep their own
 * per-node summaries (bounding boxes, bounds) beside it.
 */
export interface PointTree {
  readonly n: number;
  readonly d: number;
  /** Tree position -> original row index. */
  readonly perm: Int32Array;
  /** Original row index -> tree position. */
  readonly position: Int32Array;
  /** The rows in tree order, row-major (`n x d`). */
  readonly points: Float64Array;
  readonly nodeCount: number;
  readonly nodeStart: Int32Array;
  readonly nodeEnd: Int32Array;
  /** Left child, or -1 for a leaf (the right child is `nodeRight`). */
  readonly nodeLeft: Int32Array;
  readonly nodeRight: Int32Array;
  /** Parent node, -1 for the root. */
  readonly nodeParent: Int32Array;
  /** Leaf node holding each tree position. */
  readonly leafOf: Int32Array;
  /** Bounding box of each node's rows (`nodeCount x d`). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

export function buildPointTree(data: Float64Array, n: number, d: number, leafSize: number): PointTree {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const capacity = countNodes(n, leafSize);
  const nodeStart = new Int32Array(capacity);
  const nodeEnd = new Int32Array(capacity);
  const nodeLeft = new Int32Array(capacity).fill(-1);
  const nodeRight = new Int32Array(capacity).fill(-1);
  const nodeParent = new Int32Array(capacity).fill(-1);
  const lower = new Float64Array(capacity * d);
  const upper = new Float64Array(capacity * d);
  const leafOf = new Int32Array(n);
  let count = 1;
  nodeEnd[0] = n;
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
    let dim = 0;
    let spread = -1;
    for (let t = 0; t < d; t++) {
      const w = upper[lo + t] - lower[lo + t];
      if (w > spread) {
        spread = w;
        dim = t;
      }
    }
    if (end - start <= leafSize || !(spread > 0)) {
      for (let s = start; s < end; s++) leafOf[s] = node;
      continue;
    }
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
    nodeLeft[node] = left;
    nodeRight[node] = right;
  }
  const points = new Float64Array(n * d);
  const position = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const i = perm[s];
    position[i] = s;
    for (let t = 0; t < d; t++) points[s * d + t] = data[i * d + t];
  }
  return {
    n,
    d,
    perm,
    position,
    points,
    nodeCount: count,
    nodeStart,
    nodeEnd,
    nodeLeft,
    nodeRight,
    nodeParent,
    leafOf,
    lower,
    upper,
  };
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
