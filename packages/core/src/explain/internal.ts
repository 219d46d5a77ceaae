// Private helpers of the explain area (not exported from the barrel).
import { invalid, ValidationError } from "../errors.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { checkFrame, defaultNames, type Frame, isFrame, isNumericColumn } from "../preprocessing/frame.js";
import { asMatrix } from "../validate.js";

/** A numeric column (NaN = missing) or a categorical one (`null` = missing). */
export type ExplainColumn =
  | { readonly name: string; readonly kind: "numeric"; readonly values: Float64Array }
  | { readonly name: string; readonly kind: "categorical"; readonly values: ReadonlyArray<string | null> };

/** What the explain functions accept as data: a `Frame` (numeric and string columns) or a numeric matrix. */
export type ExplainInput = Frame | MatrixLike;

/**
 * The columns of `X`: a `Frame`'s own (numeric columns numeric, string columns categorical) or a
 * matrix's columns, named by `featureNames` (default `x0`, `x1`, ...). NaN is allowed (missing).
 */
export function explainColumns(X: ExplainInput, featureNames?: readonly string[]): ExplainColumn[] {
  if (isFrame(X)) {
    const f = checkFrame(X);
    if (featureNames !== undefined) {
      throw invalid(
        "featureNames",
        featureNames,
        "a Frame names its own columns; pass featureNames with a matrix only",
      );
    }
    if (f.columns.length === 0) throw new ValidationError("invalid X: no columns (at least 1 feature required)");
    return f.columns.map((c, j) =>
      isNumericColumn(c)
        ? { name: f.names[j], kind: "numeric" as const, values: checkNoInfinity(c, f.names[j]) }
        : { name: f.names[j], kind: "categorical" as const, values: c },
    );
  }
  const m = asMatrix(X, { allowNaN: true });
  const names = featureNames === undefined ? defaultNames(m.cols) : [...featureNames];
  if (names.length !== m.cols) {
    throw invalid("featureNames", featureNames, `${names.length} names for ${m.cols} columns`);
  }
  if (new Set(names).size !== names.length) throw invalid("featureNames", featureNames, "names must be unique");
  const out: ExplainColumn[] = [];
  for (let j = 0; j < m.cols; j++) {
    const v = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) v[i] = m.data[i * m.cols + j];
    out.push({ name: names[j], kind: "numeric", values: v });
  }
  return out;
}

function checkNoInfinity(c: Float64Array, name: string): Float64Array {
  for (let i = 0; i < c.length; i++) {
    if (c[i] === Number.POSITIVE_INFINITY || c[i] === Number.NEGATIVE_INFINITY) {
      throw new ValidationError(`invalid X: ${c[i]} at row ${i} of column ${name} (values must be finite or NaN)`);
    }
  }
  return c;
}

/** Number of rows of an explain input. */
export function inputRows(X: ExplainInput): number {
  if (isFrame(X)) return X.rows;
  return asMatrix(X, { allowNaN: true }).rows;
}

/**
 * Validates cluster labels for `n` rows: integers >= 0, or -1 for noise. Returns them as an
 * Int32Array and the sorted distinct values (noise, when present, last).
 */
export function checkSegmentLabels(labels: ArrayLike<number>, n: number): { labels: Int32Array; groups: number[] } {
  if (labels == null || typeof labels.length !== "number") throw new ValidationError("invalid labels: not an array");
  if (labels.length !== n) {
    throw new ValidationError(`invalid labels: length ${labels.length}, expected ${n} (one per row)`);
  }
  const out = new Int32Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < -1 || v > 2147483647) {
      throw new ValidationError(`invalid labels: ${v} at index ${i} (must be an integer >= 0, or -1 for noise)`);
    }
    out[i] = v;
    seen.add(v);
  }
  const groups = [...seen].filter((v) => v >= 0).sort((a, b) => a - b);
  if (seen.has(-1)) groups.push(-1);
  return { labels: out, groups };
}

/** The display id of a segment label: `"0"`, `"1"`, ... and `"noise"` for -1. */
export function segmentId(label: number): string {
  return label === -1 ? "noise" : String(label);
}

/** Category codes of a categorical column (categories in order of first appearance; `null` is a category). */
export function categoryCodes(values: ReadonlyArray<string | null>): {
  codes: Int32Array;
  categories: (string | null)[];
} {
  const index = new Map<string | null, number>();
  const categories: (string | null)[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let c = index.get(v);
    if (c === undefined) {
      c = categories.length;
      index.set(v, c);
      categories.push(v);
    }
    codes[i] = c;
  }
  return { codes, categories };
}

/** Sorted copy of the finite values of `values` at the given rows (all rows when `rows` is null). */
export function sortedValues(values: Float64Array, rows: ArrayLike<number> | null): Float64Array {
  const n = rows === null ? values.length : rows.length;
  const out = new Float64Array(n);
  let c = 0;
  for (let r = 0; r < n; r++) {
    const v = values[rows === null ? r : rows[r]];
    if (!Number.isNaN(v)) out[c++] = v;
  }
  return out.subarray(0, c).sort();
}

/** Median of sorted values (NaN when empty). */
export function medianOfSorted(s: Float64Array): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Rows of a matrix or frame (copies; frame columns keep their kind). */
export function takeInputRows<T extends Matrix | Frame>(X: T, rows: ArrayLike<number>): T {
  if (isFrame(X)) {
    const f = X as Frame;
    const columns = f.columns.map((c) => {
      if (isNumericColumn(c)) {
        const out = new Float64Array(rows.length);
        for (let r = 0; r < rows.length; r++) out[r] = c[rows[r]];
        return out;
      }
      const out = new Array<string | null>(rows.length);
      for (let r = 0; r < rows.length; r++) out[r] = c[rows[r]];
      return out;
    });
    return { names: [...f.names], columns, rows: rows.length } as Frame as T;
  }
  const m = X as Matrix;
  const out = new Float64Array(rows.length * m.cols);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), r * m.cols);
  }
  return { rows: rows.length, cols: m.cols, data: out } as Matrix as T;
}

/** Labels as an Int32Array of length `n`, checked to be integers. */
export function fittedLabels(labels: ArrayLike<number>, n: number, what: string): Int32Array {
  if (labels == null || typeof labels.length !== "number" || labels.length !== n) {
    throw new ValidationError(
      `invalid ${what}: expected ${n} labels, got ${labels == null ? "none" : String(labels.length)}`,
    );
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!Number.isInteger(v)) throw new ValidationError(`invalid ${what}: ${v} at index ${i} (must be an integer)`);
    out[i] = v;
  }
  return out;
}
