import { invalid, ValidationError } from "../errors.js";
import type { MatrixLike } from "../matrix.js";
import { asMatrix, checkChoice, checkInt } from "../validate.js";

/** Metrics a `KDTree` supports: the Minkowski family (`"minkowski"` takes `p`). */
export type KDTreeMetric = "euclidean" | "manhattan" | "chebyshev" | "minkowski";

/** Options for `new KDTree(X, options)`. */
export interface KDTreeOptions {
  /** Most points in a leaf (a node with more points is split at its median). Default 32. */
  leafSize?: number;
  /**
   * Distance: `"euclidean"` (p = 2), `"manhattan"` (p = 1), `"chebyshev"` (p = Infinity) or
   * `"minkowski"` with `p`. Default `"euclidean"`.
   */
  metric?: KDTreeMetric;
  /** Power for `metric: "minkowski"`: a number >= 1 or Infinity. Default 2. Ignored by the other metrics. */
  p?: number;
}

/** Result of `KDTree.knn`: the k nearest rows, nearest first, ties broken by the smaller row index. */
export interface KnnResult {
  indices: Int32Array;
  distances: Float64Array;
}

/** Metric kinds used by the inner loops. */
const EUCLIDEAN = 0;
const MANHATTAN = 1;
const CHEBYSHEV = 2;
const GENERAL = 3;

/**
 * A k-d tree over the rows of a matrix, for exact radius and k-nearest-neighbour queries under a
 * Minkowski distance.
 *
 * Layout: the rows are copied once into tree order (a flat `Float64Array`, so a leaf is contiguous
 * memory), `indices` maps tree position to the original row index, and every node stores its point
 * range and its bounding box (`lower`/`upper`, flat `nodes x d`). A node is split at the median of its
 * widest dimension until it holds at most `leafSize` points (or all its points coincide). Queries walk
 * the tree with an explicit stack and never allocate per point.
 *
 * Exactness: a row is within radius r of a query when its *reduced* distance (the sum of |x_j - q_j|^p
 * in feature order, or the max for Chebyshev) is `<=` the reduced radius (r^2 for Euclidean). That is
 * bit-for-bit the test of scikit-learn's trees and of Clusterlab's brute-force and grid paths, so every
 * path returns the same neighbour sets. Whole-node acceptance and pruning use box bounds computed with
 * the same rounding, which are monotone, so they never disagree with the per-point test (for p = 1, 2
 * and Infinity; for other p they rely on `Math.pow` being monotone).
 */
export class KDTree {
  /** Number of indexed rows. */
  readonly rows: number;
  /** Number of features. */
  readonly cols: number;
  readonly leafSize: number;
  /** Minkowski power (2 for Euclidean, 1 for Manhattan, Infinity for Chebyshev). */
  readonly p: number;
  /** Tree position -> original row index (a permutation of 0..rows-1). */
  readonly indices: Int32Array;
  /** Number of nodes. */
  readonly nodeCount: number;

  private readonly kind: number;
  /** Original row index -> tree position. */
  private readonly position: Int32Array;
  /** Coordinates in tree order, row-major. */
  private readonly points: Float64Array;
  private readonly nodeStart: Int32Array;
  private readonly nodeEnd: Int32Array;
  /** Left child index (the right child is left + 1), or -1 for a leaf. */
  private readonly nodeLeft: Int32Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly stack: Int32Array;
  private readonly stackBound: Float64Array;
  private readonly queryBuffer: Float64Array;
  private heapD: Float64Array = new Float64Array(0);
  private heapI: Int32Array = new Int32Array(0);
  /** Unmarked rows per node, the leaf of each tree position, node parents and marks (see `mark`). */
  private active: Int32Array | null = null;
  private leafOf: Int32Array | null = null;
  private parent: Int32Array | null = null;
  private marked: Uint8Array | null = null;

  constructor(X: MatrixLike, options: KDTreeOptions = {}) {
    const m = asMatrix(X);
    const { leafSize = 32, metric = "euclidean" } = options;
    checkInt(leafSize, "leafSize", 1);
    checkChoice(metric, "metric", ["euclidean", "manhattan", "chebyshev", "minkowski"]);
    let p = 2;
    if (metric === "manhattan") p = 1;
    else if (metric === "chebyshev") p = Number.POSITIVE_INFINITY;
    else if (metric === "minkowski") {
      p = options.p ?? 2;
      if (typeof p !== "number" || !(p >= 1)) throw invalid("p", p, "must be a number >= 1 or Infinity");
    }
    this.p = p;
    this.kind = p === 2 ? EUCLIDEAN : p === 1 ? MANHATTAN : p === Number.POSITIVE_INFINITY ? CHEBYSHEV : GENERAL;
    this.leafSize = leafSize;
    const n = m.rows;
    const d = m.cols;
    this.rows = n;
    this.cols = d;
    const data = m.data;

    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    // A split of s > leafSize points gives halves of at least ceil(leafSize / 2), so there are at most
    // n / ceil(leafSize / 2) leaves and twice as many nodes.
    const maxNodes = 2 * Math.max(1, Math.ceil(n / Math.ceil(leafSize / 2))) + 1;
    const nodeStart = new Int32Array(maxNodes);
    const nodeEnd = new Int32Array(maxNodes);
    const nodeLeft = new Int32Array(maxNodes).fill(-1);
    const nodeDepth = new Int32Array(maxNodes);
    const lower = new Float64Array(maxNodes * d);
    const upper = new Float64Array(maxNodes * d);
    let nodeCount = 1;
    nodeStart[0] = 0;
    nodeEnd[0] = n;
    let maxDepth = 0;
    const todo: number[] = [0];
    while (todo.length > 0) {
      const node = todo.pop()!;
      const start = nodeStart[node];
      const end = nodeEnd[node];
      const nb = node * d;
      for (let t = 0; t < d; t++) {
        lower[nb + t] = Number.POSITIVE_INFINITY;
        upper[nb + t] = Number.NEGATIVE_INFINITY;
      }
      for (let s = start; s < end; s++) {
        const base = idx[s] * d;
        for (let t = 0; t < d; t++) {
          const v = data[base + t];
          if (v < lower[nb + t]) lower[nb + t] = v;
          if (v > upper[nb + t]) upper[nb + t] = v;
        }
      }
      if (nodeDepth[node] > maxDepth) maxDepth = nodeDepth[node];
      if (end - start <= leafSize) continue;
      let dim = 0;
      let spread = -1;
      for (let t = 0; t < d; t++) {
        const w = upper[nb + t] - lower[nb + t];
        if (w > spread) {
          spread = w;
          dim = t;
        }
      }
      if (spread <= 0) continue; // all points coincide: keep them in one leaf
      const mid = start + ((end - start) >> 1);
      selectNth(idx, data, d, dim, start, end - 1, mid);
      const left = nodeCount;
      nodeCount += 2;
      nodeLeft[node] = left;
      nodeStart[left] = start;
      nodeEnd[left] = mid;
      nodeStart[left + 1] = mid;
      nodeEnd[left + 1] = end;
      nodeDepth[left] = nodeDepth[left + 1] = nodeDepth[node] + 1;
      todo.push(left + 1, left);
    }
    this.nodeCount = nodeCount;
    this.nodeStart = nodeStart.slice(0, nodeCount);
    this.nodeEnd = nodeEnd.slice(0, nodeCount);
    this.nodeLeft = nodeLeft.slice(0, nodeCount);
    this.lower = lower.slice(0, nodeCount * d);
    this.upper = upper.slice(0, nodeCount * d);
    const points = new Float64Array(n * d);
    const position = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const i = idx[s];
      position[i] = s;
      points.set(data.subarray(i * d, (i + 1) * d), s * d);
    }
    this.indices = idx;
    this.position = position;
    this.points = points;
    this.stack = new Int32Array(2 * maxDepth + 4);
    this.stackBound = new Float64Array(2 * maxDepth + 4);
    this.queryBuffer = new Float64Array(d);
  }

  /** The reduced form of a distance (r^2 for Euclidean, r^p in general, r for p = 1 or Infinity). */
  toReduced(r: number): number {
    const k = this.kind;
    return k === EUCLIDEAN ? r * r : k === MANHATTAN || k === CHEBYSHEV ? r : r ** this.p;
  }

  /** The distance from its reduced form. */
  fromReduced(rd: number): number {
    const k = this.kind;
    return k === EUCLIDEAN ? Math.sqrt(rd) : k === MANHATTAN || k === CHEBYSHEV ? rd : rd ** (1 / this.p);
  }

  /**
   * Writes the original indices of all rows within distance `r` (inclusive) of `query` into `out` and
   * returns how many there are; with `outDistances`, also their distances. `query` is either a row index
   * of the indexed matrix or a point (length `cols`). Results come in tree order (not sorted). `out`
   * needs room for every hit (`rows` always suffices); a full buffer throws.
   */
  radiusQuery(query: number | ArrayLike<number>, r: number, out: Int32Array, outDistances?: Float64Array): number {
    const rr = this.checkRadius(r);
    const [qa, qo] = this.resolveQuery(query);
    const { points, indices, nodeStart, nodeEnd, nodeLeft, stack } = this;
    const d = this.cols;
    const cap = outDistances ? Math.min(out.length, outDistances.length) : out.length;
    let count = 0;
    let sp = 0;
    if (this.rows === 0) return 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp];
      const minR = this.minReduced(node, qa, qo);
      if (minR > rr) continue;
      const start = nodeStart[node];
      const end = nodeEnd[node];
      const left = nodeLeft[node];
      if (left >= 0 && this.maxReduced(node, qa, qo) > rr) {
        stack[sp++] = left + 1;
        stack[sp++] = left;
        continue;
      }
      const all = left >= 0; // inner node entirely within r
      for (let s = start; s < end; s++) {
        let rd = 0;
        if (!all || outDistances) rd = this.reduced(qa, qo, points, s * d);
        if (all || rd <= rr) {
          if (count >= cap) throw new ValidationError(`invalid out: buffer of ${cap} is too small for the hits`);
          out[count] = indices[s];
          if (outDistances) outDistances[count] = this.fromReduced(rd);
          count++;
        }
      }
    }
    return count;
  }

  /**
   * Number of rows within distance `r` (inclusive) of `query` (a row index or a point), stopping early
   * once `limit` is reached (then the result is `limit` or more).
   */
  radiusCount(query: number | ArrayLike<number>, r: number, limit = Number.POSITIVE_INFINITY): number {
    const rr = this.checkRadius(r);
    const [qa, qo] = this.resolveQuery(query);
    const { points, nodeStart, nodeEnd, nodeLeft, stack } = this;
    const d = this.cols;
    let count = 0;
    let sp = 0;
    if (this.rows === 0) return 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp];
      if (this.minReduced(node, qa, qo) > rr) continue;
      const start = nodeStart[node];
      const end = nodeEnd[node];
      if (this.maxReduced(node, qa, qo) <= rr) {
        count += end - start;
      } else if (nodeLeft[node] >= 0) {
        stack[sp++] = nodeLeft[node] + 1;
        stack[sp++] = nodeLeft[node];
        continue;
      } else {
        for (let s = start; s < end; s++) if (this.reduced(qa, qo, points, s * d) <= rr) count++;
      }
      if (count >= limit) return count;
    }
    return count;
  }

  /**
   * The `k` nearest rows to `query` (a row index, which then finds itself at distance 0, or a point),
   * nearest first; equal distances are ordered by row index.
   */
  knn(query: number | ArrayLike<number>, k: number): KnnResult {
    checkInt(k, "k", 1, this.rows);
    const indices = new Int32Array(k);
    const distances = new Float64Array(k);
    this.knnInto(query, k, indices, distances, 0);
    return { indices, distances };
  }

  /**
   * `knn` writing into `outIndices` / `outDistances` at `offset` (k entries each), for bulk queries
   * without allocation. `k` must be in [1, rows].
   */
  knnInto(
    query: number | ArrayLike<number>,
    k: number,
    outIndices: Int32Array,
    outDistances: Float64Array,
    offset: number,
  ): void {
    if (!(k >= 1 && k <= this.rows)) throw invalid("k", k, `must be an integer in [1, ${this.rows}]`);
    const [qa, qo] = this.resolveQuery(query);
    if (this.heapD.length < k) {
      this.heapD = new Float64Array(k);
      this.heapI = new Int32Array(k);
    }
    const { heapD, heapI, points, indices, nodeStart, nodeEnd, nodeLeft, stack, stackBound } = this;
    const d = this.cols;
    let size = 0;
    let sp = 0;
    stack[sp] = 0;
    stackBound[sp++] = this.minReduced(0, qa, qo);
    while (sp > 0) {
      sp--;
      const node = stack[sp];
      const bound = stackBound[sp];
      if (size === k && bound > heapD[0]) continue;
      const left = nodeLeft[node];
      if (left < 0) {
        for (let s = nodeStart[node]; s < nodeEnd[node]; s++) {
          const rd = this.reduced(qa, qo, points, s * d);
          const id = indices[s];
          if (size < k) {
            // sift up in a max-heap ordered by (distance, index)
            let c = size++;
            while (c > 0) {
              const par = (c - 1) >> 1;
              if (heapD[par] > rd || (heapD[par] === rd && heapI[par] > id)) break;
              heapD[c] = heapD[par];
              heapI[c] = heapI[par];
              c = par;
            }
            heapD[c] = rd;
            heapI[c] = id;
          } else if (rd < heapD[0] || (rd === heapD[0] && id < heapI[0])) {
            siftDown(heapD, heapI, size, rd, id);
          }
        }
        continue;
      }
      const bl = this.minReduced(left, qa, qo);
      const br = this.minReduced(left + 1, qa, qo);
      // push the farther child first so the nearer one is visited first
      if (bl <= br) {
        stack[sp] = left + 1;
        stackBound[sp++] = br;
        stack[sp] = left;
        stackBound[sp++] = bl;
      } else {
        stack[sp] = left;
        stackBound[sp++] = bl;
        stack[sp] = left + 1;
        stackBound[sp++] = br;
      }
    }
    // pop the max repeatedly to write the results in ascending order
    for (let t = size - 1; t >= 0; t--) {
      const topD = heapD[0];
      const topI = heapI[0];
      const lastD = heapD[t];
      const lastI = heapI[t];
      if (t > 0) siftDown(heapD, heapI, t, lastD, lastI);
      outIndices[offset + t] = topI;
      outDistances[offset + t] = this.fromReduced(topD);
    }
  }

  /**
   * Marks row `i` (original index). Marks exclude rows from `radiusQueryUnmarked`, and subtrees whose
   * rows are all marked are skipped without a distance computation: a search that only wants rows it has
   * not handled yet (e.g. cluster expansion) gets cheaper as it progresses. Costs O(depth) per row.
   */
  mark(i: number): void {
    if (!this.active) this.resetMarks();
    const pos = this.position[i];
    const marked = this.marked!;
    if (marked[pos]) return;
    marked[pos] = 1;
    const active = this.active!;
    const parent = this.parent!;
    for (let node = this.leafOf![pos]; node >= 0; node = parent[node]) active[node]--;
  }

  /** True when row `i` is marked. */
  isMarked(i: number): boolean {
    return this.marked !== null && this.marked[this.position[i]] === 1;
  }

  /** Clears every mark. */
  resetMarks(): void {
    const nodes = this.nodeCount;
    if (!this.active) {
      const parent = new Int32Array(nodes).fill(-1);
      const leafOf = new Int32Array(this.rows);
      for (let node = 0; node < nodes; node++) {
        const left = this.nodeLeft[node];
        if (left >= 0) {
          parent[left] = node;
          parent[left + 1] = node;
        } else for (let s = this.nodeStart[node]; s < this.nodeEnd[node]; s++) leafOf[s] = node;
      }
      this.parent = parent;
      this.leafOf = leafOf;
      this.active = new Int32Array(nodes);
      this.marked = new Uint8Array(this.rows);
    }
    for (let node = 0; node < nodes; node++) this.active[node] = this.nodeEnd[node] - this.nodeStart[node];
    this.marked!.fill(0);
  }

  /**
   * `radiusQuery` restricted to unmarked rows (see `mark`); returns how many were written to `out`.
   */
  radiusQueryUnmarked(query: number | ArrayLike<number>, r: number, out: Int32Array): number {
    if (!this.active) this.resetMarks();
    const rr = this.checkRadius(r);
    const [qa, qo] = this.resolveQuery(query);
    const { points, indices, nodeStart, nodeEnd, nodeLeft, stack } = this;
    const active = this.active!;
    const marked = this.marked!;
    const d = this.cols;
    const cap = out.length;
    let count = 0;
    let sp = 0;
    if (this.rows === 0) return 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp];
      if (active[node] === 0 || this.minReduced(node, qa, qo) > rr) continue;
      const left = nodeLeft[node];
      const all = this.maxReduced(node, qa, qo) <= rr;
      if (left >= 0 && !all) {
        stack[sp++] = left + 1;
        stack[sp++] = left;
        continue;
      }
      for (let s = nodeStart[node]; s < nodeEnd[node]; s++) {
        if (marked[s] || !(all || this.reduced(qa, qo, points, s * d) <= rr)) continue;
        if (count >= cap) throw new ValidationError(`invalid out: buffer of ${cap} is too small for the hits`);
        out[count++] = indices[s];
      }
    }
    return count;
  }

  private checkRadius(r: number): number {
    if (typeof r !== "number" || !(r >= 0)) throw invalid("r", r, "must be a number >= 0");
    return this.toReduced(r);
  }

  private resolveQuery(query: number | ArrayLike<number>): [Float64Array, number] {
    if (typeof query === "number") {
      if (!Number.isInteger(query) || query < 0 || query >= this.rows) {
        throw invalid("query", query, `must be a row index in [0, ${this.rows - 1}] or a point`);
      }
      return [this.points, this.position[query] * this.cols];
    }
    if (query == null || query.length !== this.cols) {
      throw new ValidationError(`invalid query: ${query?.length} values, expected ${this.cols}`);
    }
    const q = this.queryBuffer;
    for (let t = 0; t < this.cols; t++) {
      const v = query[t];
      if (typeof v !== "number" || Number.isNaN(v)) throw invalid("query", v, `value at ${t} must be a number`);
      q[t] = v;
    }
    return [q, 0];
  }

  /** Reduced distance between the query and the point at flat offset `po` of `pts`. */
  private reduced(qa: Float64Array, qo: number, pts: Float64Array, po: number): number {
    const d = this.cols;
    let s = 0;
    switch (this.kind) {
      case EUCLIDEAN:
        for (let t = 0; t < d; t++) {
          const diff = qa[qo + t] - pts[po + t];
          s += diff * diff;
        }
        return s;
      case MANHATTAN:
        for (let t = 0; t < d; t++) s += Math.abs(qa[qo + t] - pts[po + t]);
        return s;
      case CHEBYSHEV:
        for (let t = 0; t < d; t++) {
          const a = Math.abs(qa[qo + t] - pts[po + t]);
          if (a > s) s = a;
        }
        return s;
      default: {
        const p = this.p;
        for (let t = 0; t < d; t++) s += Math.abs(qa[qo + t] - pts[po + t]) ** p;
        return s;
      }
    }
  }

  /**
   * Lower bound on the reduced distance from the query to any point of the node's box. The per-axis
   * gap is computed as `lower - q` or `q - upper`, the same subtraction a contained point would give
   * at the box face, so rounding never makes the bound exceed a real point's distance.
   */
  private minReduced(node: number, qa: Float64Array, qo: number): number {
    const d = this.cols;
    const nb = node * d;
    const lower = this.lower;
    const upper = this.upper;
    let s = 0;
    const kind = this.kind;
    for (let t = 0; t < d; t++) {
      const q = qa[qo + t];
      const lo = lower[nb + t];
      const hi = upper[nb + t];
      let g = 0;
      if (q < lo) g = lo - q;
      else if (q > hi) g = q - hi;
      if (kind === EUCLIDEAN) s += g * g;
      else if (kind === MANHATTAN) s += g;
      else if (kind === CHEBYSHEV) {
        if (g > s) s = g;
      } else s += g ** this.p;
    }
    return s;
  }

  /** Upper bound on the reduced distance from the query to any point of the node's box. */
  private maxReduced(node: number, qa: Float64Array, qo: number): number {
    const d = this.cols;
    const nb = node * d;
    const lower = this.lower;
    const upper = this.upper;
    let s = 0;
    const kind = this.kind;
    for (let t = 0; t < d; t++) {
      const q = qa[qo + t];
      const a = Math.abs(q - lower[nb + t]);
      const b = Math.abs(q - upper[nb + t]);
      const g = Math.max(a, b);
      if (kind === EUCLIDEAN) s += g * g;
      else if (kind === MANHATTAN) s += g;
      else if (kind === CHEBYSHEV) {
        if (g > s) s = g;
      } else s += g ** this.p;
    }
    return s;
  }
}

/** Replaces the heap root with (rd, id) and restores the max-heap order on (distance, index). */
function siftDown(heapD: Float64Array, heapI: Int32Array, size: number, rd: number, id: number): void {
  let c = 0;
  for (;;) {
    let child = 2 * c + 1;
    if (child >= size) break;
    const r = child + 1;
    if (r < size && (heapD[r] > heapD[child] || (heapD[r] === heapD[child] && heapI[r] > heapI[child]))) child = r;
    if (heapD[child] < rd || (heapD[child] === rd && heapI[child] < id)) break;
    heapD[c] = heapD[child];
    heapI[c] = heapI[child];
    c = child;
  }
  heapD[c] = rd;
  heapI[c] = id;
}

/**
 * Quickselect (Hoare partition, median-of-three pivot): reorders `idx[lo..hi]` so that position `k`
 * holds the element of rank k by coordinate `dim`, smaller-or-equal ones before it, larger-or-equal after.
 */
function selectNth(idx: Int32Array, data: Float64Array, d: number, dim: number, lo: number, hi: number, k: number) {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three into idx[mid]
    if (data[idx[mid] * d + dim] < data[idx[lo] * d + dim]) swap(idx, mid, lo);
    if (data[idx[hi] * d + dim] < data[idx[lo] * d + dim]) swap(idx, hi, lo);
    if (data[idx[hi] * d + dim] < data[idx[mid] * d + dim]) swap(idx, hi, mid);
    const pivot = data[idx[mid] * d + dim];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (data[idx[i] * d + dim] < pivot) i++;
      while (data[idx[j] * d + dim] > pivot) j--;
      if (i <= j) {
        swap(idx, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
