import type { CsrMatrix } from "../cluster/spectralGraph.js";
import { invalid } from "../errors.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { checkNeighborMetric, type NeighborMetric } from "../neighbors/neighborMetric.js";
import { asMatrix, checkNumber } from "../validate.js";
import { manifoldNeighborAlgorithm } from "./internalNeighbors.js";
import { fuzzyUnion, membershipStrengths, smoothKnnDist } from "./umapKernels.js";

/** Options for `fuzzySimplicialSet`. */
export interface FuzzySimplicialSetOptions {
  /** Neighbours per point, the point itself included (umap-learn's `n_neighbors`): an integer in [2, n - 1]. Default 15. */
  nNeighbors?: number;
  /** Input distance. Default `"euclidean"`. */
  metric?: NeighborMetric;
  /** Number of nearest neighbours assumed fully connected (may be fractional, >= 0). Default 1. */
  localConnectivity?: number;
  /** 1 = fuzzy union, 0 = fuzzy intersection of the local fuzzy sets, in between a mix. Default 1. */
  setOpMixRatio?: number;
}

/** Result of `fuzzySimplicialSet`. */
export interface FuzzySimplicialSet {
  /** Symmetric n x n membership strengths in (0, 1], CSR with sorted columns, no diagonal. */
  graph: CsrMatrix;
  /** Per-point kernel width sigma_i. */
  sigmas: Float64Array;
  /** Per-point distance to the `localConnectivity`-th nearest neighbour rho_i. */
  rhos: Float64Array;
  /** The exact k nearest neighbours used (`n x k`, self first unless tied with duplicates). */
  knnIndices: Int32Array;
  /** Their distances (`n x k`, ascending; the point's distance to itself is exactly 0). */
  knnDistances: Float64Array;
}

/** Validates the graph options shared with `UMAP`. */
export function checkGraphOptions(o: FuzzySimplicialSetOptions, n: number) {
  const nNeighbors = o.nNeighbors ?? 15;
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2)
    throw invalid("nNeighbors", nNeighbors, "must be an integer >= 2");
  if (nNeighbors > n - 1) {
    throw invalid("nNeighbors", nNeighbors, `must be at most nSamples - 1 = ${n - 1}`);
  }
  const metric = checkNeighborMetric(o.metric ?? "euclidean");
  const localConnectivity = checkNumber(o.localConnectivity ?? 1, "localConnectivity", { min: 0 });
  const setOpMixRatio = checkNumber(o.setOpMixRatio ?? 1, "setOpMixRatio", { min: 0, max: 1 });
  return { nNeighbors, metric, localConnectivity, setOpMixRatio };
}

/**
 * UMAP's high-dimensional graph (umap-learn's `fuzzy_simplicial_set`) over exact nearest neighbours:
 * per point, `rho_i` (distance to the nearest neighbour) and `sigma_i` (binary search so the
 * memberships `exp(-(d_ij - rho_i) / sigma_i)` of its `nNeighbors` neighbours sum to
 * `log2(nNeighbors)`), then the fuzzy union `W + W^T - W o W^T` of the directed weights.
 *
 * Computed in float64 (umap-learn stores distances, sigmas and weights in float32), and with exact
 * neighbours (umap-learn uses exact ones below 4096 samples, NN-descent above).
 */
export function fuzzySimplicialSet(X: MatrixLike, options: FuzzySimplicialSetOptions = {}): FuzzySimplicialSet {
  const data = asMatrix(X);
  const o = checkGraphOptions(options, data.rows);
  return buildFuzzyGraph(data, o.nNeighbors, o.metric, o.localConnectivity, o.setOpMixRatio);
}

/** `fuzzySimplicialSet` on validated arguments. */
export function buildFuzzyGraph(
  data: Matrix,
  k: number,
  metric: NeighborMetric,
  localConnectivity: number,
  setOpMixRatio: number,
): FuzzySimplicialSet {
  const n = data.rows;
  const knn = kNeighbors(data, k, { metric, algorithm: manifoldNeighborAlgorithm(metric, data.cols) });
  const { indices, distances } = knn;
  // The distance of a point to itself is 0 (cosine's 1 - u.u can round to a tiny positive value).
  for (let c = 0; c < n * k; c++) if (indices[c] === Math.floor(c / k)) distances[c] = 0;
  const { sigmas, rhos } = smoothKnnDist(distances, n, k, localConnectivity);
  const weights = membershipStrengths(indices, distances, n, k, sigmas, rhos, false);
  const graph = fuzzyUnion(n, k, indices, weights, setOpMixRatio);
  return { graph, sigmas, rhos, knnIndices: indices, knnDistances: distances };
}
