import { frameToMatrix, type Logger, type Matrix, Pipeline } from "@clusterlab/core";
import { DataError } from "../errors.js";
import { quantileSorted } from "../profile/numericSummary.js";
import { sortFloat64 } from "../schema/sortFloat64.js";
import { getColumn, type Table } from "../table.js";
import { type NormalizedPreprocessing, numericSteps } from "./buildPreprocessing.js";
import { featureFrame } from "./resolveFeatures.js";

/** The rows a run can use after the spec's missing-value rules "drop" and "error". */
export interface UsableRows {
  /** Table rows kept, ascending. */
  rows: Int32Array;
  /** Rows dropped for a missing value (imputation "drop"). */
  dropped: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Applies `imputation.numeric` / `imputation.categorical` "drop" (rows with a missing value in a
 * feature of that kind are left out) and "error" (a missing value is a `DataError` naming the column,
 * the count and the first row). Infinite numbers are always an error. `candidates` restricts the
 * rows considered (default all).
 */
export function usableRows(
  table: Table,
  numeric: readonly string[],
  categorical: readonly string[],
  pre: NormalizedPreprocessing,
  candidates?: Int32Array,
): UsableRows {
  const n = table.nRows;
  const keep = new Uint8Array(n);
  if (candidates) for (const r of candidates) keep[r] = 1;
  else keep.fill(1);
  const check = (names: readonly string[], rule: string, kind: "numeric" | "categorical") => {
    for (const name of names) {
      const column = getColumn(table, name);
      let missing = 0;
      let first = -1;
      for (let i = 0; i < n; i++) {
        if (!keep[i] && rule !== "error") continue;
        const v = column.values[i];
        if (column.kind === "numeric") {
          const x = v as number;
          if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) {
            throw new DataError(
              `column ${JSON.stringify(name)} has an infinite value at row ${i + 1}; clustering needs finite numbers`,
            );
          }
          if (!Number.isNaN(x)) continue;
        } else if (v !== null) continue;
        missing++;
        if (first < 0) first = i;
        if (rule === "drop") keep[i] = 0;
      }
      if (missing > 0 && rule === "error") {
        throw new DataError(
          `column ${JSON.stringify(name)} has ${plural(missing, "missing value")} (first at row ${first + 1}); preprocessing.imputation.${kind} is "error": impute them ("${kind === "numeric" ? "mean" : "mostFrequent"}") or "drop" the rows`,
        );
      }
    }
  };
  check(numeric, pre.imputation.numeric, "numeric");
  check(categorical, pre.imputation.categorical, "categorical");
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i];
  const before = candidates ? candidates.length : n;
  if (count === 0) {
    throw new DataError(`no rows left in ${table.source} after dropping rows with missing values`);
  }
  const rows = new Int32Array(count);
  for (let i = 0, r = 0; i < n; i++) if (keep[i]) rows[r++] = i;
  return { rows, dropped: before - count };
}

/** Tukey's fences of each column. */
export interface IqrFences {
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Tukey's rule on each column of `X`: a row is an outlier when a value lies outside
 * `[q25 - factor IQR, q75 + factor IQR]` (quantiles by linear interpolation; NaN ignored).
 * Returns 1 per outlier row, and the fences.
 */
export function iqrOutliers(X: Matrix, factor: number): { outlier: Uint8Array; fences: IqrFences } {
  const { rows, cols, data } = X;
  const outlier = new Uint8Array(rows);
  const lower = new Float64Array(cols);
  const upper = new Float64Array(cols);
  const column = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    let count = 0;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j];
      if (!Number.isNaN(v)) column[count++] = v;
    }
    const sorted = sortFloat64(column.slice(0, count));
    const q1 = quantileSorted(sorted, 0.25);
    const q3 = quantileSorted(sorted, 0.75);
    const iqr = q3 - q1;
    lower[j] = q1 - factor * iqr;
    upper[j] = q3 + factor * iqr;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j];
      if (v < lower[j] || v > upper[j]) outlier[i] = 1;
    }
  }
  return { outlier, fences: { lower, upper } };
}

/**
 * The spec's outlier removal on `rows`: the numeric features are imputed and transformed as the
 * spec says (fitted on these rows; not scaled), then Tukey's IQR rule drops every row with a value
 * outside the fences. Returns the rows kept and how many were removed; with no numeric feature or
 * `outliers: "none"` nothing is removed (`warning` says why when there was a rule).
 */
export function removeOutliers(
  table: Table,
  numeric: readonly string[],
  rows: Int32Array,
  pre: NormalizedPreprocessing,
  logger?: Logger,
): { rows: Int32Array; removed: number; warning?: string } {
  if (pre.outliers === "none") return { rows, removed: 0 };
  if (numeric.length === 0) {
    return {
      rows,
      removed: 0,
      warning: "outlier removal looks at numeric features; there are none, so no row was removed",
    };
  }
  const frame = featureFrame(table, numeric, rows);
  const steps = numericSteps(pre, { ...(logger && { logger }), withoutScaling: true });
  const values = steps.length > 0 ? new Pipeline({ steps }).fitTransform(frame).output : frameToMatrix(frame);
  const { outlier } = iqrOutliers(values, pre.outliers.factor);
  const kept: number[] = [];
  for (let r = 0; r < rows.length; r++) if (!outlier[r]) kept.push(rows[r]);
  if (kept.length < 2) {
    throw new DataError(
      `outlier removal (IQR factor ${pre.outliers.factor}) leaves ${kept.length} of ${rows.length} rows; raise preprocessing.outliers.factor`,
    );
  }
  return { rows: Int32Array.from(kept), removed: rows.length - kept.length };
}
