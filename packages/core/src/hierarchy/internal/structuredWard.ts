import type { Matrix } from "../../matrix.js";

/** A binary min-heap of (value, a, b) triples in lexicographic order (Python tuple order). */
class EdgeHeap {
  private v = new Float64Array(64);
  private a = new Int32Array(64);
  private b = new Int32Array(64);
  size = 0;

  private less(i: number, j: number): boolean {
    const vi = this.v[i];
    const vj = this.v[j];
    if (vi !== vj) return vi < vj;
    if (this.a[i] !== this.a[j]) return this.a[i] < this.a[j];
    return this.b[i] < this.b[j];
  }

  private swap(i: number, j: number): void {
    const v = this.v[i];
    this.v[i] = this.v[j];
    this.v[j] = v;
    const a = this.a[i];
    this.a[i] = this.a[j];
    this.a[j] = a;
    const b = this.b[i];
    this.b[i] = this.b[j];
    this.b[j] = b;
  }

  push(value: number, a: number, b: number): void {
    if (this.size === this.v.length) {
      const grow = <T extends Float64Array | Int32Array>(x: T): T => {
        const y = new (x.constructor as new (len: number) => T)(x.length * 2);
        y.set(x);
        return y;
      };
      this.v = grow(this.v);
      this.a = grow(this.a);
      this.b = grow(this.b);
    }
    let i = this.size++;
    this.v[i] = value;
    this.a[i] = a;
    this.b[i] = b;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Removes the minimum; its fields are left in `top*`. */
  topValue = 0;
  topA = 0;
  topB = 0;
  pop(): void {
    this.topValue = this.v[0];
    this.topA = this.a[0];
    this.topB = this.b[0];
    this.size--;
    if (this.size > 0) {
      this.v[0] = this.v[this.size];
      this.a[0] = this.a[this.size];
      this.b[0] = this.b[this.size];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= this.size) break;
        let c = l;
        if (l + 1 < this.size && this.less(l + 1, l)) c = l + 1;
        if (!this.less(c, i)) break;
        this.swap(c, i);
        i = c;
      }
    }
  }
}

export interface StructuredWardResult {
  /** Merges as (smaller id, larger id) pairs, row-major; new node ids n, n+1, ... */
  children: Int32Array;
  /** Ward distance of each merge (`sqrt(2 * increase of inertia)`, comparable with `linkage`). */
  distances: Float64Array;
  /** Parent of every node (itself for the roots of the forest when the tree is cut early). */
  parent: Int32Array;
}

/**
 * scikit-learn's structured Ward (`ward_tree` with a connectivity graph): only clusters joined
 * by an edge of the graph can merge; the cheapest allowed merge by Ward's criterion is taken
 * first. A heap holds candidate edges (inertia increase, larger id, smaller id) with lazy
 * deletion, and cluster moments (sizes and coordinate sums) give the criterion
 * `na nb / (na + nb) * |ca - cb|^2` exactly as scikit-learn computes it. Stops after
 * `n - stopAt` merges (`stopAt` = 1 for the full tree). The graph must be connected.
 */
export function structuredWard(
  X: Matrix,
  offsets: Int32Array,
  indices: Int32Array,
  stopAt: number,
): StructuredWardResult {
  const n = X.rows;
  const d = X.cols;
  const nNodes = 2 * n - stopAt;
  const m1 = new Float64Array(nNodes);
  const m2 = new Float64Array(nNodes * d);
  m1.fill(1, 0, n);
  m2.set(X.data);
  const adjacency: number[][] = new Array(nNodes);
  for (let i = 0; i < n; i++) adjacency[i] = Array.from(indices.subarray(offsets[i], offsets[i + 1]));

  const wardIncrease = (row: number, col: number): number => {
    const nr = m1[row];
    const nc = m1[col];
    const f = (nr * nc) / (nr + nc);
    let pa = 0;
    const pr = row * d;
    const pc = col * d;
    for (let t = 0; t < d; t++) {
      const diff = m2[pr + t] / nr - m2[pc + t] / nc;
      pa += diff * diff;
    }
    return pa * f;
  };

  const heap = new EdgeHeap();
  for (let i = 0; i < n; i++) {
    for (let p = offsets[i]; p < offsets[i + 1]; p++) {
      const j = indices[p];
      if (j < i) heap.push(wardIncrease(i, j), i, j);
    }
  }

  const parent = new Int32Array(nNodes);
  for (let i = 0; i < nNodes; i++) parent[i] = i;
  const used = new Uint8Array(nNodes).fill(1);
  const stamp = new Int32Array(nNodes).fill(-1);
  const merges = nNodes - n;
  const children = new Int32Array(2 * merges);
  const distances = new Float64Array(merges);
  const root = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };

  for (let k = n; k < nNodes; k++) {
    let i = 0;
    let j = 0;
    let inertia = 0;
    for (;;) {
      heap.pop();
      i = heap.topA;
      j = heap.topB;
      inertia = heap.topValue;
      if (used[i] && used[j]) break;
    }
    parent[i] = k;
    parent[j] = k;
    const r = k - n;
    children[2 * r] = j;
    children[2 * r + 1] = i;
    used[i] = 0;
    used[j] = 0;
    distances[r] = Math.sqrt(2 * inertia);
    m1[k] = m1[i] + m1[j];
    for (let t = 0; t < d; t++) m2[k * d + t] = m2[i * d + t] + m2[j * d + t];

    // Current clusters adjacent to i or j become the neighbours of k.
    stamp[k] = k;
    const heads: number[] = [];
    for (const side of [adjacency[i], adjacency[j]]) {
      for (const node of side) {
        const h = root(node);
        if (stamp[h] !== k) {
          stamp[h] = k;
          heads.push(h);
        }
      }
    }
    for (const h of heads) {
      adjacency[h].push(k);
      heap.push(wardIncrease(k, h), k, h);
    }
    adjacency[k] = heads;
    adjacency[i] = [];
    adjacency[j] = [];
  }
  return { children, distances, parent };
}
