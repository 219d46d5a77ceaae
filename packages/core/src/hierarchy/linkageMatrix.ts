import { ValidationError } from "../errors.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { asMatrix } from "../validate.js";
import { subtreeMax } from "./internal/tree.js";

/**
 * A hierarchical clustering of n observations in scipy's linkage-matrix format: an (n-1) x 4
 * `Matrix` whose row i records the merge that creates cluster `n + i`:
 * `[idx1, idx2, height, size]`. Ids `< n` are observations, ids `>= n` are earlier merges;
 * `idx1 < idx2` for trees built by `linkage`; `height` is the distance between the two merged
 * clusters; `size` is the number of observations in the new cluster. Rows are sorted by height
 * for the monotone methods; centroid and median keep merge order and can have inversions.
 * The numbers are stored as doubles, exactly as in scipy, so `toRows(Z)` can be fed to
 * `scipy.cluster.hierarchy` functions and scipy's `Z.tolist()` can be passed back in.
 */
export type LinkageMatrix = Matrix;

/** A linkage matrix as a `Matrix` or nested arrays (e.g. scipy's `Z.tolist()`). */
export type LinkageMatrixLike = MatrixLike;

/**
 * Validates a linkage matrix like scipy's `is_valid_linkage`, plus consistent sizes, and returns
 * it as a `Matrix` (a `Matrix` input is not copied). Errors name the row:
 * `invalid Z: row 3 uses cluster 12 before it is formed`.
 */
export function asLinkageMatrix(Z: LinkageMatrixLike, name = "Z"): LinkageMatrix {
  const m = asMatrix(Z, { name });
  if (m.cols !== 4) throw new ValidationError(`invalid ${name}: ${m.cols} columns, expected 4 (a linkage matrix)`);
  const rows = m.rows;
  const n = rows + 1;
  const data = m.data;
  const used = new Uint8Array(2 * n - 1);
  const size = new Float64Array(2 * n - 1);
  for (let i = 0; i < n; i++) size[i] = 1;
  for (let r = 0; r < rows; r++) {
    const a = data[4 * r];
    const b = data[4 * r + 1];
    const h = data[4 * r + 2];
    const s = data[4 * r + 3];
    for (const v of [a, b]) {
      if (!Number.isInteger(v) || v < 0) {
        throw new ValidationError(`invalid ${name}: row ${r} has cluster id ${v} (must be an integer >= 0)`);
      }
      if (v >= n + r) throw new ValidationError(`invalid ${name}: row ${r} uses cluster ${v} before it is formed`);
      if (used[v]) throw new ValidationError(`invalid ${name}: cluster ${v} is merged twice (again in row ${r})`);
      used[v] = 1;
    }
    if (a === b) throw new ValidationError(`invalid ${name}: row ${r} merges cluster ${a} with itself`);
    if (!(h >= 0)) throw new ValidationError(`invalid ${name}: row ${r} has height ${h} (must be >= 0)`);
    const expected = size[a] + size[b];
    if (s !== expected) {
      throw new ValidationError(`invalid ${name}: row ${r} has size ${s}, expected ${expected} (sum of its children)`);
    }
    size[n + r] = expected;
  }
  return m;
}

/** True when no merge is lower than an earlier one (scipy's `is_monotonic`). */
export function isMonotonic(Z: LinkageMatrixLike): boolean {
  const m = asLinkageMatrix(Z);
  for (let r = 1; r < m.rows; r++) if (m.data[4 * r + 2] < m.data[4 * (r - 1) + 2]) return false;
  return true;
}

/**
 * For every merge, the largest height in its subtree (scipy's `maxdists`). Equals the heights for
 * a monotone tree; for centroid/median trees with inversions it is the height at which a
 * `distance` cut keeps the cluster whole.
 */
export function maxDists(Z: LinkageMatrixLike): Float64Array {
  const m = asLinkageMatrix(Z);
  return subtreeMax(m, (r) => m.data[4 * r + 2]);
}
