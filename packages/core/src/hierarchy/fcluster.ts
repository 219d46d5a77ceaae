import { invalid, ValidationError } from "../errors.js";
import type { Matrix } from "../matrix.js";
import { asMatrix, checkChoice, checkInt, checkNumber } from "../validate.js";
import { inconsistent } from "./inconsistent.js";
import { subtreeMax } from "./internal/tree.js";
import { asLinkageMatrix, type LinkageMatrix, type LinkageMatrixLike } from "./linkageMatrix.js";

/**
 * How `fcluster` cuts the tree:
 * - "maxclust": `t` is the largest number of clusters wanted; the tree is cut at the lowest
 *   height that gives at most `t` clusters.
 * - "distance": observations stay together when their merge (and every merge below it) is at
 *   height <= `t`.
 * - "inconsistent": like "distance" but on the inconsistency coefficient (column 3 of
 *   `inconsistent(Z, depth)` or of `R`).
 */
export type FclusterCriterion = "maxclust" | "distance" | "inconsistent";

/** Options for `fcluster`. */
export interface FclusterOptions {
  /** The cut rule. Required (scipy defaults to "inconsistent", a common surprise). */
  criterion: FclusterCriterion;
  /** Depth of the inconsistency statistics for "inconsistent" when `R` is not given. Default 2. */
  depth?: number;
  /** Precomputed `inconsistent(Z, depth)` matrix for "inconsistent". Default: computed. */
  R?: Matrix;
}

const CRITERIA: readonly FclusterCriterion[] = ["maxclust", "distance", "inconsistent"];

/**
 * Flat clusters from a hierarchy (scipy's `fcluster`). Returns one label per observation,
 * **1-based like scipy** (1..k, never 0), numbered in the order the clusters are met by a
 * depth-first walk from the root that visits `idx1` before `idx2`; the labels equal scipy's
 * exactly. Use `cutTree` for 0-based labels.
 *
 * A cluster is formed at the highest node whose criterion value and all values below it are
 * <= the threshold (the per-node maximum over the subtree, so trees with inversions are cut
 * consistently).
 */
export function fcluster(Z: LinkageMatrixLike, t: number, options: FclusterOptions): Int32Array {
  const z = asLinkageMatrix(Z);
  if (options == null || typeof options !== "object") {
    throw invalid("options", options, 'expected an object with a criterion, e.g. { criterion: "maxclust" }');
  }
  const criterion = checkChoice(options.criterion, "criterion", CRITERIA);
  const n = z.rows + 1;
  if (criterion === "maxclust") {
    checkInt(t, "t", 1);
    const md = subtreeMax(z, (r) => z.data[4 * r + 2]);
    return maxclustMonocrit(z, md, t);
  }
  checkNumber(t, "t");
  if (criterion === "distance") {
    const md = subtreeMax(z, (r) => z.data[4 * r + 2]);
    return clusterMonocrit(z, md, t);
  }
  let R: Matrix;
  if (options.R !== undefined) {
    R = asMatrix(options.R, { name: "R" });
    if (R.rows !== n - 1 || R.cols !== 4) {
      throw new ValidationError(
        `invalid R: ${R.rows} x ${R.cols}, expected ${n - 1} x 4 (an inconsistency matrix for Z)`,
      );
    }
  } else {
    R = inconsistent(z, options.depth ?? 2);
  }
  const mi = subtreeMax(z, (r) => R.data[4 * r + 3]);
  return clusterMonocrit(z, mi, t);
}

/** scipy's `cluster_monocrit`: depth-first from the root; a node with MC <= cutoff leads a cluster. */
function clusterMonocrit(z: LinkageMatrix, MC: Float64Array, cutoff: number): Int32Array {
  const n = z.rows + 1;
  const zd = z.data;
  const T = new Int32Array(n);
  const stack = new Int32Array(n);
  const visited = new Uint8Array(2 * n - 1);
  let nCluster = 0;
  let leader = -1;
  let k = 0;
  stack[0] = 2 * n - 2;
  while (k >= 0) {
    const root = stack[k] - n;
    const a = zd[4 * root];
    const b = zd[4 * root + 1];
    if (leader === -1 && MC[root] <= cutoff) {
      leader = root;
      nCluster++;
    }
    if (a >= n && !visited[a]) {
      visited[a] = 1;
      stack[++k] = a;
      continue;
    }
    if (b >= n && !visited[b]) {
      visited[b] = 1;
      stack[++k] = b;
      continue;
    }
    if (a < n) {
      if (leader === -1) nCluster++;
      T[a] = nCluster;
    }
    if (b < n) {
      if (leader === -1) nCluster++;
      T[b] = nCluster;
    }
    if (leader === root) leader = -1;
    k--;
  }
  return T;
}

/**
 * scipy's `cluster_maxclust_monocrit`: binary search over the thresholds `MC[i]` (sorted for a
 * monotone tree) for the smallest one giving at most `maxNc` clusters, then `clusterMonocrit`.
 */
function maxclustMonocrit(z: LinkageMatrix, MC: Float64Array, maxNc: number): Int32Array {
  const n = z.rows + 1;
  const zd = z.data;
  if (maxNc >= n) {
    const T = new Int32Array(n);
    for (let i = 0; i < n; i++) T[i] = i + 1;
    return T;
  }
  const stack = new Int32Array(n);
  const visited = new Uint8Array(2 * n - 1);
  let lower = -1;
  let upper = n - 1;
  while (upper - lower > 1) {
    const i = (lower + upper) >> 1;
    const thresh = MC[i];
    visited.fill(0);
    let nc = 0;
    let k = 0;
    stack[0] = 2 * n - 2;
    while (k >= 0) {
      const root = stack[k] - n;
      const a = zd[4 * root];
      const b = zd[4 * root + 1];
      if (MC[root] <= thresh) {
        nc++;
        if (nc > maxNc) break;
        k--;
        visited[a] = 1;
        visited[b] = 1;
        continue;
      }
      if (!visited[a]) {
        visited[a] = 1;
        if (a >= n) {
          stack[++k] = a;
          continue;
        }
        nc++;
        if (nc > maxNc) break;
      }
      if (!visited[b]) {
        visited[b] = 1;
        if (b >= n) {
          stack[++k] = b;
          continue;
        }
        nc++;
        if (nc > maxNc) break;
      }
      k--;
    }
    if (nc > maxNc) lower = i;
    else upper = i;
  }
  return clusterMonocrit(z, MC, MC[upper]);
}
