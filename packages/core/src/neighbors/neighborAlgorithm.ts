import { invalid } from "../errors.js";
import { checkChoice } from "../validate.js";
import type { NeighborMetric } from "./neighborMetric.js";

/** How neighbour searches are done: a k-d tree, brute force, or `"auto"` (see `resolveNeighborAlgorithm`). */
export type NeighborAlgorithm = "auto" | "kdtree" | "brute";

/** Above this many features `"auto"` uses brute force (a k-d tree prunes little in high dimension; as scikit-learn). */
export const KDTREE_MAX_FEATURES = 15;

/**
 * The rule behind `algorithm: "auto"`: a k-d tree for Euclidean or Manhattan distance with at most
 * `KDTREE_MAX_FEATURES` (15) features, brute force otherwise (cosine, or more than 15 features).
 * An explicit `"kdtree"` with cosine is an error (cosine is not a Minkowski distance).
 */
export function resolveNeighborAlgorithm(
  algorithm: NeighborAlgorithm,
  metric: NeighborMetric,
  nFeatures: number,
): "kdtree" | "brute" {
  checkChoice(algorithm, "algorithm", ["auto", "kdtree", "brute"]);
  if (algorithm === "kdtree" && metric === "cosine") {
    throw invalid("algorithm", algorithm, 'cosine distance needs "brute" or "auto"');
  }
  if (algorithm !== "auto") return algorithm;
  return metric === "cosine" || nFeatures > KDTREE_MAX_FEATURES ? "brute" : "kdtree";
}
