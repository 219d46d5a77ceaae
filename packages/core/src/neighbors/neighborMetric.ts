import { invalid } from "../errors.js";
import type { Matrix } from "../matrix.js";

/**
 * Distances supported by the neighbour searches (`KDTree`, `bruteNeighbors`, `kNeighbors`) and by the
 * density-based clusterers:
 * - `"euclidean"`: sqrt(sum (x_j - y_j)^2), summed in feature order (bit-identical to scikit-learn's
 *   k-d tree and to scipy's `cdist`);
 * - `"manhattan"`: sum |x_j - y_j|;
 * - `"cosine"`: 1 - x.y / (|x| |y|), clipped to [0, 2]; a zero row has similarity 0 (distance 1) to
 *   every row, itself included, as in scikit-learn. Cosine is not a metric (no triangle inequality), so it
 *   always uses the brute-force path.
 */
export type NeighborMetric = "euclidean" | "manhattan" | "cosine";

/** The metrics accepted by `checkNeighborMetric`. */
export const NEIGHBOR_METRICS: readonly NeighborMetric[] = ["euclidean", "manhattan", "cosine"];

/** Validates a metric name (`invalid metric: "l3" (must be one of ...)`). */
export function checkNeighborMetric(metric: string, name = "metric"): NeighborMetric {
  if (!(NEIGHBOR_METRICS as readonly string[]).includes(metric)) {
    throw invalid(name, metric, `must be one of ${NEIGHBOR_METRICS.map((m) => JSON.stringify(m)).join(", ")}`);
  }
  return metric as NeighborMetric;
}

/**
 * Rows scaled to unit Euclidean norm (zero rows stay zero), as scikit-learn's `normalize` does before a
 * cosine product. Cosine distance between rows i and j is then `1 - dot(u_i, u_j)`, clipped to [0, 2].
 */
export function unitRows(m: Matrix): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let s = 0;
    for (let t = 0; t < cols; t++) s += data[base + t] * data[base + t];
    const norm = Math.sqrt(s);
    if (norm === 0) continue;
    for (let t = 0; t < cols; t++) out[base + t] = data[base + t] / norm;
  }
  return out;
}

/**
 * Distance between row `i` of `a` and row `j` of `b` (both flat, `d` columns) for a metric; for
 * `"cosine"` both arrays must already hold unit rows (`unitRows`).
 */
export function rowDistance(
  metric: NeighborMetric,
  a: Float64Array,
  i: number,
  b: Float64Array,
  j: number,
  d: number,
): number {
  const ai = i * d;
  const bj = j * d;
  let s = 0;
  if (metric === "euclidean") {
    for (let t = 0; t < d; t++) {
      const diff = a[ai + t] - b[bj + t];
      s += diff * diff;
    }
    return Math.sqrt(s);
  }
  if (metric === "manhattan") {
    for (let t = 0; t < d; t++) s += Math.abs(a[ai + t] - b[bj + t]);
    return s;
  }
  for (let t = 0; t < d; t++) s += a[ai + t] * b[bj + t];
  return clipCosine(1 - s);
}

/** Clips a cosine distance to [0, 2] (rounding can push 1 - cos slightly outside). */
export function clipCosine(v: number): number {
  return v < 0 ? 0 : Math.min(v, 2);
}
