import type { Matrix } from "../matrix.js";
import { type NeighborMetric, unitRows } from "../neighbors/neighborMetric.js";

/**
 * Distances HDBSCAN supports, as in scikit-learn:
 * - `"euclidean"`: sqrt(sum (x_j - y_j)^2), summed in feature order (scikit-learn's k-d tree and
 *   `DistanceMetric` give the same doubles);
 * - `"manhattan"`: sum |x_j - y_j|;
 * - `"cosine"`: 1 - u.v on unit rows, clipped to [0, 2], and exactly 0 from a row to itself (as
 *   scikit-learn's `cosine_distances`, which zeroes the diagonal). A zero row has distance 1 to every
 *   other row.
 */
export type HDBSCANMetric = NeighborMetric;

/** The metrics `HDBSCAN` accepts. */
export const HDBSCAN_METRICS: readonly HDBSCANMetric[] = ["euclidean", "manhattan", "cosine"];

/**
 * The coordinates the distance kernels read: the data itself for Euclidean and Manhattan, unit rows for
 * cosine (so that the cosine distance is `1 - dot`).
 */
export function hdbscanMetricPoints(X: Matrix, metric: HDBSCANMetric): Float64Array {
  return metric === "cosine" ? unitRows(X) : X.data;
}

/**
 * Distance between rows `i` and `j` of the flat `points` (`d` columns, prepared by `hdbscanMetricPoints`), the
 * way every HDBSCAN kernel computes it (0 for `i === j`). Not for hot loops, which inline the same sums.
 */
export function hdbscanPointDistance(
  metric: HDBSCANMetric,
  points: Float64Array,
  i: number,
  q: Float64Array,
  j: number,
  d: number,
): number {
  const a = i * d;
  const b = j * d;
  let s = 0;
  if (metric === "euclidean") {
    for (let t = 0; t < d; t++) {
      const diff = points[a + t] - q[b + t];
      s += diff * diff;
    }
    return Math.sqrt(s);
  }
  if (metric === "manhattan") {
    for (let t = 0; t < d; t++) s += Math.abs(points[a + t] - q[b + t]);
    return s;
  }
  for (let t = 0; t < d; t++) s += points[a + t] * q[b + t];
  s = 1 - s;
  return s < 0 ? 0 : Math.min(s, 2);
}
