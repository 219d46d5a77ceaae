import { invalid, ValidationError } from "../errors.js";
import type { MatrixLike } from "../matrix.js";
import { asMatrix, checkChoice } from "../validate.js";
import { condensedDistances, HIERARCHY_METRICS, type HierarchyMetric, metricCode } from "./internal/distances.js";
import { genericCentroidVectors } from "./internal/genericCentroid.js";
import { mstSingleVectors } from "./internal/mstSingle.js";
import { AVERAGE, COMPLETE, nnChainCondensed, WEIGHTED } from "./internal/nnChain.js";
import { wardChainVectors } from "./internal/wardChain.js";
import type { LinkageMatrix } from "./linkageMatrix.js";
import { optimalLeafOrdering } from "./optimalLeafOrdering.js";

/** The agglomeration schemes of scipy's `linkage`. */
export type LinkageMethod = "ward" | "complete" | "average" | "single" | "weighted" | "centroid" | "median";

export const LINKAGE_METHODS: readonly LinkageMethod[] = [
  "ward",
  "complete",
  "average",
  "single",
  "weighted",
  "centroid",
  "median",
];

/** Distances between observations: Euclidean, Manhattan (alias `cityblock`, scipy's name), cosine. */
export type LinkageMetric = HierarchyMetric;

/** Options for `linkage`. */
export interface LinkageOptions {
  /** Agglomeration scheme. Required (scipy defaults to "single", scikit-learn to "ward"). */
  method: LinkageMethod;
  /**
   * Distance between observations. Default "euclidean". "ward", "centroid" and "median" are
   * defined on Euclidean geometry and accept only "euclidean".
   */
  metric?: LinkageMetric;
  /** Reorder the children of each merge to minimise the sum of adjacent leaf distances (see `optimalLeafOrdering`). Default false. */
  optimalOrdering?: boolean;
}

const EUCLIDEAN_ONLY: readonly LinkageMethod[] = ["ward", "centroid", "median"];

/**
 * Agglomerative hierarchical clustering of the rows of `X`, returning scipy's linkage matrix
 * (see `LinkageMatrix`): the same rows as `scipy.cluster.hierarchy.linkage(X, method, metric)`,
 * heights equal up to rounding, and the same merge order and tie handling wherever the input
 * distances are equal bit for bit (always for euclidean and manhattan on single, complete,
 * average and weighted).
 *
 * Algorithms (Müllner, "Modern hierarchical, agglomerative clustering algorithms", 2011), with
 * n rows and d features:
 * - `single`: Prim's minimum spanning tree with distances computed on the fly (squared for
 *   Euclidean, over the packed outside points). O(n^2 d) time, O(n d) memory.
 * - `ward`: nearest-neighbour chain on cluster centroids and sizes (Ward distance
 *   `sqrt(2 na nb / (na + nb)) |ca - cb|`), O(n d) memory: no distance matrix. Up to 16 features
 *   the nearest cluster is searched in a k-d tree over the centroids (boxes and smallest sizes
 *   kept up to date), far below O(n^2 d) time on clustered data (100 000 x 8 in seconds);
 *   beyond 16 features each search scans the live clusters, O(n^2 d).
 * - `centroid`, `median`: the generic algorithm on stored cluster centres. O(n^2 d) time in
 *   practice, O(n d) memory. Their trees can have inversions (rows are in merge order).
 * - `complete`, `average`, `weighted`: nearest-neighbour chain with Lance-Williams updates on
 *   a condensed distance matrix: O(n^2) time and n(n-1)/2 doubles of memory (0.8 GB at
 *   n = 14 000, limit n = 65 536).
 *
 * Ties (equal distances) are broken as scipy does: lowest index first. The result is not
 * invariant to row order when there are ties, only its sorted heights are.
 */
export function linkage(X: MatrixLike, options: LinkageOptions): LinkageMatrix {
  if (options == null || typeof options !== "object") {
    throw invalid("options", options, 'expected an object with a method, e.g. { method: "ward" }');
  }
  const method = checkChoice(options.method, "method", LINKAGE_METHODS);
  const metric = checkChoice(options.metric ?? "euclidean", "metric", HIERARCHY_METRICS);
  if (EUCLIDEAN_ONLY.includes(method) && metric !== "euclidean") {
    throw new ValidationError(
      `invalid metric: ${JSON.stringify(metric)} (method ${JSON.stringify(method)} requires "euclidean")`,
    );
  }
  const m = asMatrix(X);
  if (m.rows < 2) {
    throw new ValidationError(`invalid X: ${m.rows} row (linkage needs at least 2 observations)`);
  }
  const code = metricCode(metric);
  let Z: LinkageMatrix;
  switch (method) {
    case "single":
      Z = mstSingleVectors(m, code);
      break;
    case "ward":
      Z = wardChainVectors(m);
      break;
    case "centroid":
    case "median":
      Z = genericCentroidVectors(m, method === "median");
      break;
    default: {
      const D = condensedDistances(m, code);
      Z = nnChainCondensed(D, m.rows, method === "complete" ? COMPLETE : method === "average" ? AVERAGE : WEIGHTED);
    }
  }
  if (options.optimalOrdering) return optimalLeafOrdering(Z, m, { metric });
  return Z;
}
