import type { MatrixLike } from "../matrix.js";
import { asMatrix, checkInt } from "../validate.js";
import { bruteKNeighbors } from "./bruteNeighbors.js";
import { KDTree } from "./kdTree.js";
import { type NeighborAlgorithm, resolveNeighborAlgorithm } from "./neighborAlgorithm.js";
import { checkNeighborMetric, type NeighborMetric } from "./neighborMetric.js";

/** Options for `kNeighbors`. */
export interface KNeighborsOptions {
  /** Distance. Default `"euclidean"`. */
  metric?: NeighborMetric;
  /** Search method; `"auto"` follows `resolveNeighborAlgorithm` (k-d tree up to 15 features). Default `"auto"`. */
  algorithm?: NeighborAlgorithm;
  /** Leaf size of the k-d tree. Default 32. */
  leafSize?: number;
  /**
   * Rows to find neighbours for (same number of features as `X`). Default: `X` itself, in which case
   * each row counts as its own neighbour at distance 0 (as scikit-learn's `kneighbors(X)`), so the k-th
   * neighbour distance is a core distance with `minSamples = k`.
   */
  query?: MatrixLike;
}

/** Result of `kNeighbors`: `rows x k`, row-major, nearest first. */
export interface KNeighborsResult {
  /** Neighbour row indices into `X`; equal distances are ordered by smaller index. */
  indices: Int32Array;
  /** The matching distances (ascending along each row). */
  distances: Float64Array;
  /** Neighbours per row. */
  k: number;
}

/**
 * The `k` nearest rows of `X` for every query row (default: every row of `X`, itself included).
 * Exact: Euclidean and Manhattan distances are summed in feature order, so the values are bit-identical
 * across the k-d tree and brute-force paths (and to scikit-learn's k-d tree).
 */
export function kNeighbors(X: MatrixLike, k: number, options: KNeighborsOptions = {}): KNeighborsResult {
  const data = asMatrix(X);
  const { algorithm = "auto", leafSize = 32 } = options;
  const metric = checkNeighborMetric(options.metric ?? "euclidean");
  const query = options.query === undefined ? data : asMatrix(options.query, { name: "query", cols: data.cols });
  checkInt(k, "k", 1, data.rows);
  const method = resolveNeighborAlgorithm(algorithm, metric, data.cols);
  if (method === "brute") return { ...bruteKNeighbors(data, query, k, metric), k };
  const tree = new KDTree(data, { leafSize, metric: metric === "manhattan" ? "manhattan" : "euclidean" });
  const m = query.rows;
  const indices = new Int32Array(m * k);
  const distances = new Float64Array(m * k);
  const same = query === data;
  const d = query.cols;
  for (let i = 0; i < m; i++) {
    tree.knnInto(same ? i : query.data.subarray(i * d, (i + 1) * d), k, indices, distances, i * k);
  }
  return { indices, distances, k };
}
