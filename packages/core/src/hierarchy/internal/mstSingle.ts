import type { Matrix } from "../../matrix.js";
import { ActiveSet } from "./activeSet.js";
import { COSINE, cosineNorms, EUCLIDEAN, type MetricCode, rowDistance, squaredDistanceAt } from "./distances.js";
import { relabelSorted } from "./relabel.js";

/**
 * Single linkage as a minimum spanning tree grown by Prim's algorithm (Rohlf 1973; Müllner
 * 2011, section 3.3), computing each distance on the fly from the rows of X: O(n^2 d) time,
 * O(n) memory, no distance matrix. Same scan order and tie rules as scipy's
 * `mst_single_linkage`, then the same stable sort and relabelling. `sklearnOrientation` keeps
 * each pair as (tree side, new point), which is scikit-learn's `children_` for single linkage.
 */
export function mstSingleVectors(X: Matrix, metric: MetricCode, sklearnOrientation = false): Matrix {
  const n = X.rows;
  const d = X.cols;
  const data = X.data;
  const norms = metric === COSINE ? cosineNorms(X) : null;
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const open = new ActiveSet(n);
  const ids = open.ids;
  const ra = new Int32Array(n - 1);
  const rb = new Int32Array(n - 1);
  const rh = new Float64Array(n - 1);

  let x = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    open.remove(x);
    let currentMin = Number.POSITIVE_INFINITY;
    const count = open.count;
    if (metric === EUCLIDEAN) {
      y = primStepEuclidean(data, d, x, ids, count, best, y);
      currentMin = best[y];
    } else {
      for (let t = 0; t < count; t++) {
        const i = ids[t];
        const dist = rowDistance(data, x, i, d, metric, norms);
        if (best[i] > dist) best[i] = dist;
        if (best[i] < currentMin) {
          y = i;
          currentMin = best[i];
        }
      }
    }
    ra[k] = x;
    rb[k] = y;
    rh[k] = currentMin;
    x = y;
  }
  return relabelSorted(n, ra, rb, rh, sklearnOrientation);
}

/** One Prim step for Euclidean distances (a monomorphic loop); returns the next point. */
function primStepEuclidean(
  data: Float64Array,
  d: number,
  x: number,
  ids: Int32Array,
  count: number,
  best: Float64Array,
  y: number,
): number {
  let currentMin = Number.POSITIVE_INFINITY;
  const px = x * d;
  for (let t = 0; t < count; t++) {
    const i = ids[t];
    const dist = Math.sqrt(squaredDistanceAt(data, px, i * d, d));
    let b = best[i];
    if (b > dist) {
      b = dist;
      best[i] = dist;
    }
    if (b < currentMin) {
      y = i;
      currentMin = b;
    }
  }
  return y;
}
