// Neighbour-search choice for the manifold methods. Private helper (not in the manifold barrel).
import type { NeighborAlgorithm } from "../neighbors/neighborAlgorithm.js";
import type { NeighborMetric } from "../neighbors/neighborMetric.js";

/** Up to this many features the manifold methods search neighbours with a k-d tree. */
export const MANIFOLD_KDTREE_MAX_FEATURES = 32;

/**
 * The search for the all-points kNN of t-SNE and UMAP: a k-d tree for Euclidean/Manhattan data with
 * up to 32 features (the points have cluster structure there, where the tree beats brute force about
 * 3x even at 16-32 features; `"auto"` switches at 15), brute force otherwise. Both paths return the
 * same neighbours and distances.
 */
export function manifoldNeighborAlgorithm(metric: NeighborMetric, cols: number): NeighborAlgorithm {
  return metric !== "cosine" && cols <= MANIFOLD_KDTREE_MAX_FEATURES ? "kdtree" : "brute";
}
