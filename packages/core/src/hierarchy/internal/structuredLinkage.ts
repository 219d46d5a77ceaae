import type { Matrix } from "../../matrix.js";
import { COSINE, cosineNorms, EUCLIDEAN, type MetricCode, squaredDistanceAt } from "./distances.js";
import type { StructuredWardResult } from "./structuredWard.js";

/**
 * A binary min-heap of weighted edges (weight, a, b) that replays CPython's `heapq` exactly
 * (`heapify`, `heappush`, `heappop` with the same sift loops), comparing weights only, like
 * scikit-learn's `WeightedEdge`. Equal weights therefore leave the heap in the very order
 * scikit-learn's does, so ties are broken the same way.
 */
class PyEdgeHeap {
  w: Float64Array;
  a: Int32Array;
  b: Int32Array;
  size = 0;

  constructor(capacity: number) {
    const c = Math.max(capacity, 16);
    this.w = new Float64Array(c);
    this.a = new Int32Array(c);
    this.b = new Int32Array(c);
  }

  /** Appends without restoring the heap order (call `heapify` after the initial fill). */
  append(weight: number, a: number, b: number): void {
    if (this.size === this.w.length) this.grow();
    const i = this.size++;
    this.w[i] = weight;
    this.a[i] = a;
    this.b[i] = b;
  }

  private grow(): void {
    const c = this.w.length * 2;
    const w = new Float64Array(c);
    const a = new Int32Array(c);
    const b = new Int32Array(c);
    w.set(this.w);
    a.set(this.a);
    b.set(this.b);
    this.w = w;
    this.a = a;
    this.b = b;
  }

  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftUp(i);
  }

  push(weight: number, a: number, b: number): void {
    this.append(weight, a, b);
    this.siftDown(0, this.size - 1);
  }

  topW = 0;
  topA = 0;
  topB = 0;

  /** Removes the smallest edge into `topW`, `topA`, `topB`. */
  pop(): void {
    const last = --this.size;
    const { w, a, b } = this;
    if (last === 0) {
      this.topW = w[0];
      this.topA = a[0];
      this.topB = b[0];
      return;
    }
    this.topW = w[0];
    this.topA = a[0];
    this.topB = b[0];
    w[0] = w[last];
    a[0] = a[last];
    b[0] = b[last];
    this.siftUp(0);
  }

  /** CPython's `_siftdown(heap, startpos, pos)`: moves the item at pos up towards startpos. */
  private siftDown(start: number, pos: number): void {
    const { w, a, b } = this;
    const nw = w[pos];
    const na = a[pos];
    const nb = b[pos];
    while (pos > start) {
      const parent = (pos - 1) >> 1;
      if (nw < w[parent]) {
        w[pos] = w[parent];
        a[pos] = a[parent];
        b[pos] = b[parent];
        pos = parent;
        continue;
      }
      break;
    }
    w[pos] = nw;
    a[pos] = na;
    b[pos] = nb;
  }

  /** CPython's `_siftup(heap, pos)`: the smaller child moves up to the leaves, then `_siftdown`. */
  private siftUp(pos: number): void {
    const { w, a, b } = this;
    const end = this.size;
    const start = pos;
    const nw = w[pos];
    const na = a[pos];
    const nb = b[pos];
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !(w[child] < w[right])) child = right;
      w[pos] = w[child];
      a[pos] = a[child];
      b[pos] = b[child];
      pos = child;
      child = 2 * pos + 1;
    }
    w[pos] = nw;
    a[pos] = na;
    b[pos] = nb;
    this.siftDown(start, pos);
  }
}

/**
 * Distance between rows i and j as scikit-learn's `paired_distances` computes it for the graph
 * edges: Euclidean `sqrt(sum (xi - xj)^2)`, Manhattan `sum |xi - xj|`, cosine
 * `0.5 |xi/|xi| - xj/|xj||^2` (= 1 - cos). `unit` holds the unit rows for cosine.
 */
function pairedDistance(
  data: Float64Array,
  unit: Float64Array | null,
  i: number,
  j: number,
  d: number,
  metric: MetricCode,
): number {
  if (metric === EUCLIDEAN) return Math.sqrt(squaredDistanceAt(data, i * d, j * d, d));
  if (metric === COSINE) return 0.5 * squaredDistanceAt(unit as Float64Array, i * d, j * d, d);
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) s += Math.abs(data[a + t] - data[b + t]);
  return s;
}

function unitRows(X: Matrix, metric: MetricCode): Float64Array | null {
  if (metric !== COSINE) return null;
  const norms = cosineNorms(X);
  const out = new Float64Array(X.data.length);
  const d = X.cols;
  for (let i = 0; i < X.rows; i++) for (let t = 0; t < d; t++) out[i * d + t] = X.data[i * d + t] / norms[i];
  return out;
}

/** Linkage criteria the graph-restricted merge supports. */
export type StructuredCriterion = "complete" | "average";

/**
 * scikit-learn's `linkage_tree` with a connectivity graph, for complete and average linkage:
 * every graph edge (i, j) starts with the distance between the two points; only clusters joined
 * by an edge can merge, the closest pair first. When clusters a (the larger node id) and b
 * merge into k, the edge from k to each cluster c adjacent to a or b gets
 * - complete: max(w(a, c), w(b, c)), or the one that exists;
 * - average: (na w(a, c) + nb w(b, c)) / (na + nb), or the one that exists;
 * so the linkage uses only the distances along graph edges, not all pairs between the two
 * clusters (as scikit-learn; with a complete graph it is ordinary complete / average linkage).
 * The heap replays Python's `heapq` (see `PyEdgeHeap`), so ties are broken as scikit-learn
 * breaks them. Memory O(n k) for a graph with k neighbours per point; no n x n matrix.
 *
 * `offsets` / `indices`: the symmetric, connected graph (CSR, sorted rows). Stops after
 * `n - stopAt` merges (`stopAt` = 1 for the full tree). Merges are (smaller id, larger id).
 */
export function structuredLinkage(
  X: Matrix,
  offsets: Int32Array,
  indices: Int32Array,
  criterion: StructuredCriterion,
  metric: MetricCode,
  stopAt: number,
): StructuredWardResult {
  const n = X.rows;
  const d = X.cols;
  const nNodes = 2 * n - stopAt;
  const unit = unitRows(X, metric);
  const keys: number[][] = new Array(nNodes);
  const vals: number[][] = new Array(nNodes);
  const heap = new PyEdgeHeap(offsets[n] >> 1);
  for (let i = 0; i < n; i++) {
    const rk: number[] = [];
    const rv: number[] = [];
    for (let p = offsets[i]; p < offsets[i + 1]; p++) {
      const j = indices[p];
      const w = pairedDistance(X.data, unit, i, j, d, metric);
      rk.push(j);
      rv.push(w);
      if (j < i) heap.append(w, i, j);
    }
    keys[i] = rk;
    vals[i] = rv;
  }
  heap.heapify();

  const parent = new Int32Array(nNodes);
  for (let i = 0; i < nNodes; i++) parent[i] = i;
  const size = new Float64Array(nNodes);
  size.fill(1, 0, n);
  const merges = nNodes - n;
  const children = new Int32Array(2 * merges);
  const distances = new Float64Array(merges);
  const average = criterion === "average";

  for (let k = n; k < nNodes; k++) {
    let i = 0;
    let j = 0;
    for (;;) {
      heap.pop();
      i = heap.topA;
      j = heap.topB;
      if (size[i] > 0 && size[j] > 0) break;
    }
    const r = k - n;
    distances[r] = heap.topW;
    parent[i] = k;
    parent[j] = k;
    children[2 * r] = j;
    children[2 * r + 1] = i;
    const ni = size[i];
    const nj = size[j];
    size[k] = ni + nj;
    size[i] = 0;
    size[j] = 0;

    // Merge the two sorted adjacency lists, keeping active neighbours only.
    const ak = keys[i];
    const av = vals[i];
    const bk = keys[j];
    const bv = vals[j];
    const ok: number[] = [];
    const ov: number[] = [];
    const total = ni + nj;
    let p = 0;
    let q = 0;
    while (p < ak.length || q < bk.length) {
      const ka = p < ak.length ? ak[p] : Number.POSITIVE_INFINITY;
      const kb = q < bk.length ? bk[q] : Number.POSITIVE_INFINITY;
      if (ka < kb) {
        if (size[ka] > 0) {
          ok.push(ka);
          ov.push(av[p]);
        }
        p++;
      } else if (kb < ka) {
        if (size[kb] > 0) {
          ok.push(kb);
          ov.push(bv[q]);
        }
        q++;
      } else {
        if (size[ka] > 0) {
          ok.push(ka);
          ov.push(average ? (ni * av[p] + nj * bv[q]) / total : Math.max(av[p], bv[q]));
        }
        p++;
        q++;
      }
    }
    for (let t = 0; t < ok.length; t++) {
      const c = ok[t];
      keys[c].push(k);
      vals[c].push(ov[t]);
      heap.push(ov[t], k, c);
    }
    keys[k] = ok;
    vals[k] = ov;
    keys[i] = [];
    vals[i] = [];
    keys[j] = [];
    vals[j] = [];
  }
  return { children, distances, parent };
}

/**
 * scikit-learn's single linkage with a connectivity graph: the minimum spanning tree of the
 * graph (edges weighted by the distance between their points; Kruskal, ties in the graph's
 * row order), turned into merges with a union-find as scikit-learn's `_single_linkage_label`
 * (each merge joins the clusters of the edge's two ends and gets the next node id). The
 * partition at any level equals scikit-learn's; with equal edge weights the MST, and so the
 * label numbering, can differ. The whole tree is built; `parent` records only the first
 * `n - stopAt` merges (scikit-learn's early-stopped forest).
 */
export function structuredSingle(
  X: Matrix,
  offsets: Int32Array,
  indices: Int32Array,
  metric: MetricCode,
  stopAt: number,
): StructuredWardResult {
  const n = X.rows;
  const d = X.cols;
  const unit = unitRows(X, metric);
  let m = 0;
  for (let i = 0; i < n; i++) for (let p = offsets[i]; p < offsets[i + 1]; p++) if (indices[p] > i) m++;
  const eu = new Int32Array(m);
  const ev = new Int32Array(m);
  const ew = new Float64Array(m);
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let p = offsets[i]; p < offsets[i + 1]; p++) {
      const j = indices[p];
      if (j <= i) continue;
      eu[e] = i;
      ev[e] = j;
      ew[e] = pairedDistance(X.data, unit, i, j, d, metric);
      e++;
    }
  }
  const order = new Int32Array(m);
  for (let t = 0; t < m; t++) order[t] = t;
  order.sort((x, y) => ew[x] - ew[y] || x - y);

  // Kruskal with a union-find over the points, and scikit-learn's labelling union-find over nodes.
  const root = new Int32Array(n);
  for (let i = 0; i < n; i++) root[i] = i;
  const find = (x: number): number => {
    while (root[x] !== x) {
      root[x] = root[root[x]];
      x = root[x];
    }
    return x;
  };
  const label = new Int32Array(2 * n - 1).fill(-1);
  const findLabel = (x: number): number => {
    let top = x;
    while (label[top] !== -1) top = label[top];
    while (x !== top && label[x] !== top) {
      const next = label[x];
      label[x] = top;
      x = next;
    }
    return top;
  };
  const children = new Int32Array(2 * (n - 1));
  const distances = new Float64Array(n - 1);
  let r = 0;
  for (let t = 0; t < m && r < n - 1; t++) {
    const edge = order[t];
    const ru = find(eu[edge]);
    const rv = find(ev[edge]);
    if (ru === rv) continue;
    root[ru] = rv;
    const a = findLabel(eu[edge]);
    const b = findLabel(ev[edge]);
    children[2 * r] = a;
    children[2 * r + 1] = b;
    distances[r] = ew[edge];
    label[a] = n + r;
    label[b] = n + r;
    r++;
  }
  const nNodes = 2 * n - stopAt;
  const parent = new Int32Array(nNodes);
  for (let i = 0; i < nNodes; i++) parent[i] = i;
  for (let q = 0; q < nNodes - n; q++) {
    parent[children[2 * q]] = n + q;
    parent[children[2 * q + 1]] = n + q;
  }
  return { children, distances, parent };
}
