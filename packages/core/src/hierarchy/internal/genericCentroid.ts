import type { Matrix } from "../../matrix.js";
import { ActiveSet } from "./activeSet.js";
import { squaredDistanceAt } from "./distances.js";

/**
 * Binary min-heap over keys 0..m-1 with changeable values: the same structure and sift rules as
 * scipy's `Heap` (cluster/_structures.pxi), so ties pop in the same order.
 */
class KeyedHeap {
  private readonly indexByKey: Int32Array;
  private readonly keyByIndex: Int32Array;
  private readonly values: Float64Array;
  private size: number;

  constructor(values: Float64Array) {
    const m = values.length;
    this.size = m;
    this.indexByKey = new Int32Array(m);
    this.keyByIndex = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      this.indexByKey[i] = i;
      this.keyByIndex[i] = i;
    }
    this.values = values.slice();
    for (let i = (m >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  minKey(): number {
    return this.keyByIndex[0];
  }

  minValue(): number {
    return this.values[0];
  }

  removeMin(): void {
    this.swap(0, this.size - 1);
    this.size--;
    this.siftDown(0);
  }

  changeValue(key: number, value: number): void {
    const index = this.indexByKey[key];
    const old = this.values[index];
    this.values[index] = value;
    if (value < old) this.siftUp(index);
    else this.siftDown(index);
  }

  private siftUp(index: number): void {
    let parent = (index - 1) >> 1;
    while (index > 0 && this.values[parent] > this.values[index]) {
      this.swap(index, parent);
      index = parent;
      parent = (index - 1) >> 1;
    }
  }

  private siftDown(index: number): void {
    let child = 2 * index + 1;
    while (child < this.size) {
      if (child + 1 < this.size && this.values[child + 1] < this.values[child]) child++;
      if (this.values[index] > this.values[child]) {
        this.swap(index, child);
        index = child;
        child = 2 * index + 1;
      } else break;
    }
  }

  private swap(i: number, j: number): void {
    const v = this.values[i];
    this.values[i] = this.values[j];
    this.values[j] = v;
    const ki = this.keyByIndex[i];
    const kj = this.keyByIndex[j];
    this.keyByIndex[i] = kj;
    this.keyByIndex[j] = ki;
    this.indexByKey[ki] = j;
    this.indexByKey[kj] = i;
  }
}

/**
 * Centroid (UPGMC) and median (WPGMC) linkage with Müllner's generic algorithm (2011, section
 * 3.1; scipy's `fast_linkage`) working on stored cluster centres instead of a distance matrix:
 * the distance between clusters is the Euclidean distance between their centres, and a merge
 * replaces the centre by the size-weighted mean (centroid) or the plain midpoint (median). This
 * is exactly what the Lance-Williams formulas compute on Euclidean distances.
 *
 * Each cluster keeps a candidate nearest neighbour among higher slots and a lower bound of that
 * distance in a heap; stale candidates are re-searched lazily. Memory: n x d centres plus O(n).
 * Time: O(n^2 d) in practice (worst case O(n^3 d)). Rows are in merge order and can have
 * inversions (a merge lower than an earlier one), as in scipy.
 */
export function genericCentroidVectors(X: Matrix, median: boolean): Matrix {
  const n = X.rows;
  const d = X.cols;
  const c = X.data.slice();
  const size = new Int32Array(n).fill(1);
  const clusterId = new Int32Array(n);
  for (let i = 0; i < n; i++) clusterId[i] = i;
  const live = new ActiveSet(n);
  const ids = live.ids;
  const neighbor = new Int32Array(Math.max(n - 1, 0));
  const minDist = new Float64Array(Math.max(n - 1, 0));
  const Z = new Float64Array((n - 1) * 4);

  const dist = (a: number, b: number): number => Math.sqrt(squaredDistanceAt(c, a * d, b * d, d));

  // Nearest live cluster among slots > x (first minimum in slot order).
  let foundKey = -1;
  let foundValue = Number.POSITIVE_INFINITY;
  const findMinDist = (x: number): void => {
    let currentMin = Number.POSITIVE_INFINITY;
    let y = -1;
    const count = live.count;
    for (let t = live.lowerBound(x + 1); t < count; t++) {
      const i = ids[t];
      const v = dist(x, i);
      if (v < currentMin) {
        currentMin = v;
        y = i;
      }
    }
    foundKey = y;
    foundValue = currentMin;
  };

  for (let x = 0; x < n - 1; x++) {
    findMinDist(x);
    neighbor[x] = foundKey;
    minDist[x] = foundValue;
  }
  const heap = new KeyedHeap(minDist);

  for (let k = 0; k < n - 1; k++) {
    let x = 0;
    let y = 0;
    let current = 0;
    for (let i = 0; i < n - k; i++) {
      x = heap.minKey();
      current = heap.minValue();
      y = neighbor[x];
      if (current === dist(x, y)) break;
      findMinDist(x);
      y = foundKey;
      current = foundValue;
      neighbor[x] = y;
      minDist[x] = current;
      heap.changeValue(x, current);
    }
    heap.removeMin();

    let idX = clusterId[x];
    let idY = clusterId[y];
    const nx = size[x];
    const ny = size[y];
    if (idX > idY) {
      const t = idX;
      idX = idY;
      idY = t;
    }
    Z[4 * k] = idX;
    Z[4 * k + 1] = idY;
    Z[4 * k + 2] = current;
    Z[4 * k + 3] = nx + ny;

    // The merged cluster lives in slot y; its centre replaces y's.
    const px = x * d;
    const py = y * d;
    if (median) {
      for (let t = 0; t < d; t++) c[py + t] = 0.5 * (c[px + t] + c[py + t]);
    } else {
      const inv = 1 / (nx + ny);
      for (let t = 0; t < d; t++) c[py + t] = (nx * c[px + t] + ny * c[py + t]) * inv;
    }
    size[x] = 0;
    size[y] = nx + ny;
    clusterId[y] = n + k;
    live.remove(x);

    // Candidates that pointed at the dropped slot x now point at y (a guess, checked lazily).
    const xEnd = live.lowerBound(x);
    for (let t = 0; t < xEnd; t++) {
      const z = ids[t];
      if (neighbor[z] === x) neighbor[z] = y;
    }
    // Lower bounds for slots below y can only drop through the new cluster.
    const yEnd = live.lowerBound(y);
    for (let t = 0; t < yEnd; t++) {
      const z = ids[t];
      const v = dist(z, y);
      if (v < minDist[z]) {
        neighbor[z] = y;
        minDist[z] = v;
        heap.changeValue(z, v);
      }
    }
    if (y < n - 1) {
      findMinDist(y);
      if (foundKey !== -1) {
        neighbor[y] = foundKey;
        minDist[y] = foundValue;
        heap.changeValue(y, foundValue);
      }
    }
  }
  return { rows: n - 1, cols: 4, data: Z };
}
