import { ValidationError } from "../errors.js";
import { sparseContingency } from "./sparseContingency.js";

/** A dense contingency table (see `contingencyMatrix`). */
export interface ContingencyMatrix {
  /** Distinct values of `labelsTrue`, ascending: the rows. */
  readonly classes: Int32Array;
  /** Distinct values of `labelsPred`, ascending: the columns. */
  readonly clusters: Int32Array;
  /**
   * Row-major counts, `classes.length x clusters.length`: `counts[r * clusters.length + c]` is the
   * number of samples with `labelsTrue === classes[r]` and `labelsPred === clusters[c]`.
   */
  readonly counts: Int32Array;
}

/** Largest dense table `contingencyMatrix` builds (cells); beyond it use `sparseContingency`. */
const MAX_DENSE_CELLS = 2 ** 28;

/**
 * The contingency table of two labelings, as scikit-learn's `contingency_matrix`: rows are the
 * sorted distinct values of `labelsTrue`, columns those of `labelsPred`. Labels are any 32-bit
 * integers; -1 is an ordinary label value (not dropped as noise), as in scikit-learn.
 *
 * The table is dense (`classes.length * clusters.length` cells); `sparseContingency` gives the
 * non-zero cells only. Throws when the lengths differ or a label is not an integer.
 */
export function contingencyMatrix(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): ContingencyMatrix {
  const c = sparseContingency(labelsTrue, labelsPred);
  const nCols = c.clusters.length;
  const cells = c.classes.length * nCols;
  if (cells > MAX_DENSE_CELLS) {
    throw new ValidationError(
      `invalid labels: a dense ${c.classes.length} x ${nCols} contingency table is too large (use sparseContingency)`,
    );
  }
  const counts = new Int32Array(cells);
  for (let p = 0; p < c.cellCounts.length; p++) counts[c.cellRows[p] * nCols + c.cellCols[p]] = c.cellCounts[p];
  return { classes: c.classes, clusters: c.clusters, counts };
}
