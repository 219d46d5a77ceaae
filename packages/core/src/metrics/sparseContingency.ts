import { ValidationError } from "../errors.js";
import { uniqueLabels } from "./uniqueLabels.js";

/**
 * The contingency table of two labelings in sparse form: only the non-zero cells, in row-major
 * order (by class, then by cluster). Rows are the distinct values of `labelsTrue` ("classes"),
 * columns the distinct values of `labelsPred` ("clusters"), both sorted ascending.
 */
export interface SparseContingency {
  /** Number of samples. */
  readonly n: number;
  /** Distinct values of `labelsTrue`, ascending. */
  readonly classes: Int32Array;
  /** Distinct values of `labelsPred`, ascending. */
  readonly clusters: Int32Array;
  /** Samples per class (row sums). */
  readonly rowSums: Int32Array;
  /** Samples per cluster (column sums). */
  readonly colSums: Int32Array;
  /** Row (class index) of each non-zero cell. */
  readonly cellRows: Int32Array;
  /** Column (cluster index) of each non-zero cell. */
  readonly cellCols: Int32Array;
  /** Count of each non-zero cell (> 0). */
  readonly cellCounts: Int32Array;
}

/** Throws unless both labelings have the same length, naming both lengths. */
export function checkLabelingLengths(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): void {
  if (labelsTrue == null || typeof labelsTrue.length !== "number") {
    throw new ValidationError(`invalid labelsTrue: expected an array of integer labels, got ${typeof labelsTrue}`);
  }
  if (labelsPred == null || typeof labelsPred.length !== "number") {
    throw new ValidationError(`invalid labelsPred: expected an array of integer labels, got ${typeof labelsPred}`);
  }
  if (labelsTrue.length !== labelsPred.length) {
    throw new ValidationError(
      `invalid labelsPred: length ${labelsPred.length} does not match labelsTrue length ${labelsTrue.length}`,
    );
  }
}

/**
 * Builds the sparse contingency table of two labelings (validated: integers, equal lengths). Memory
 * is O(n + non-zero cells) whatever the numbers of classes and clusters, so it also serves labelings
 * where almost every sample is its own cluster.
 */
export function sparseContingency(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): SparseContingency {
  checkLabelingLengths(labelsTrue, labelsPred);
  const a = uniqueLabels(labelsTrue, "labelsTrue");
  const b = uniqueLabels(labelsPred, "labelsPred");
  const n = a.codes.length;
  const nRows = a.values.length;
  const nCols = b.values.length;
  const ca = a.codes;
  const cb = b.codes;
  let cellRows: Int32Array;
  let cellCols: Int32Array;
  let cellCounts: Int32Array;
  const cells = nRows * nCols;
  if (cells <= 4 * n + 4096) {
    const dense = new Int32Array(cells);
    for (let i = 0; i < n; i++) dense[ca[i] * nCols + cb[i]]++;
    let nz = 0;
    for (let p = 0; p < cells; p++) if (dense[p] !== 0) nz++;
    cellRows = new Int32Array(nz);
    cellCols = new Int32Array(nz);
    cellCounts = new Int32Array(nz);
    let c = 0;
    for (let r = 0, p = 0; r < nRows; r++) {
      for (let s = 0; s < nCols; s++, p++) {
        if (dense[p] !== 0) {
          cellRows[c] = r;
          cellCols[c] = s;
          cellCounts[c++] = dense[p];
        }
      }
    }
  } else {
    // Many classes and clusters: sort the cell keys (exact in doubles: key < n^2 <= 2^53).
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = ca[i] * nCols + cb[i];
    keys.sort();
    let nz = n > 0 ? 1 : 0;
    for (let i = 1; i < n; i++) if (keys[i] !== keys[i - 1]) nz++;
    cellRows = new Int32Array(nz);
    cellCols = new Int32Array(nz);
    cellCounts = new Int32Array(nz);
    let c = -1;
    for (let i = 0; i < n; i++) {
      if (i === 0 || keys[i] !== keys[i - 1]) {
        c++;
        const r = Math.floor(keys[i] / nCols);
        cellRows[c] = r;
        cellCols[c] = keys[i] - r * nCols;
      }
      cellCounts[c]++;
    }
  }
  return {
    n,
    classes: a.values,
    clusters: b.values,
    rowSums: a.counts,
    colSums: b.counts,
    cellRows,
    cellCols,
    cellCounts,
  };
}
