import type { Matrix } from "../../matrix.js";
import { ActiveSet } from "./activeSet.js";
import { squaredDistanceAt } from "./distances.js";
import { relabelSorted } from "./relabel.js";

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
 * Memory: the n x d centroids plus O(n) integers. Time: O(n^2 d) (each of the O(n) chain steps
 * scans the live clusters).
 */
export function wardChainVectors(X: Matrix): Matrix {
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
    const nx = size[x];
    const ny = size[y];
    ra[k] = x;
    rb[k] = y;
    rh[k] = Math.sqrt(2 * currentMin);
    const px = x * d;
    const py = y * d;
    const inv = 1 / (nx + ny);
    for (let u = 0; u < d; u++) c[py + u] = (nx * c[px + u] + ny * c[py + u]) * inv;
    size[x] = 0;
    size[y] = nx + ny;
    active.remove(x);
  }
  return relabelSorted(n, ra, rb, rh);
}
