import { invalid, ValidationError } from "./errors.js";
import { isMatrix, type Matrix, type MatrixLike } from "./matrix.js";

/** Options for `asMatrix`. */
export interface AsMatrixOptions {
  /** Name used in error messages. Default `"X"`. */
  name?: string;
  /** Accept NaN (missing values), e.g. for imputers. Infinity is always rejected. Default false. */
  allowNaN?: boolean;
  /** Reject a matrix with zero rows. Default true. */
  requireRows?: boolean;
  /** Expected number of columns (for transform/predict after fit). */
  cols?: number;
}

/**
 * Validates input once at the API boundary and returns a `Matrix`: every row has the same
 * length, every value is a finite number (NaN allowed only with `allowNaN`), at least one
 * row and one column. A `Matrix` input is checked but not copied.
 *
 * Errors name the problem: `invalid X: row 17 has 3 values, expected 4`,
 * `invalid X: NaN at row 2, column 0`.
 */
export function asMatrix(x: MatrixLike, options: AsMatrixOptions = {}): Matrix {
  const { name = "X", allowNaN = false, requireRows = true, cols: expectedCols } = options;
  let m: Matrix;
  if (isMatrix(x)) {
    if (x.data.length !== x.rows * x.cols) {
      throw new ValidationError(
        `invalid ${name}: data length ${x.data.length} does not match rows x cols = ${x.rows} x ${x.cols}`,
      );
    }
    m = x;
  } else {
    if (x == null || typeof (x as ArrayLike<unknown>).length !== "number") {
      throw new ValidationError(`invalid ${name}: expected a Matrix or an array of rows, got ${typeof x}`);
    }
    const rows = x.length;
    if (rows === 0) {
      if (requireRows) throw new ValidationError(`invalid ${name}: empty (0 rows; at least 1 required)`);
      return { rows: 0, cols: expectedCols ?? 0, data: new Float64Array(0) };
    }
    const first = x[0];
    if (first == null || typeof first.length !== "number") {
      throw new ValidationError(`invalid ${name}: row 0 is not an array`);
    }
    const cols = first.length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = x[i];
      if (r == null || typeof r.length !== "number")
        throw new ValidationError(`invalid ${name}: row ${i} is not an array`);
      if (r.length !== cols) {
        throw new ValidationError(`invalid ${name}: row ${i} has ${r.length} values, expected ${cols}`);
      }
      for (let j = 0; j < cols; j++) {
        const v = r[j];
        if (typeof v !== "number") {
          if (v == null && allowNaN) {
            data[i * cols + j] = Number.NaN;
            continue;
          }
          throw new ValidationError(
            `invalid ${name}: value ${JSON.stringify(v)} at row ${i}, column ${j} is not a number`,
          );
        }
        data[i * cols + j] = v;
      }
    }
    m = { rows, cols, data };
  }
  if (requireRows && m.rows === 0) throw new ValidationError(`invalid ${name}: empty (0 rows; at least 1 required)`);
  if (m.cols === 0 && m.rows > 0)
    throw new ValidationError(`invalid ${name}: no columns (at least 1 feature required)`);
  if (expectedCols !== undefined && m.cols !== expectedCols) {
    throw new ValidationError(`invalid ${name}: ${m.cols} features, expected ${expectedCols} (as seen in fit)`);
  }
  checkFinite(m, name, allowNaN);
  return m;
}

/** Throws on the first non-finite value, naming its row and column. */
export function checkFinite(m: Matrix, name = "X", allowNaN = false): void {
  const { data, cols } = m;
  const n = data.length;
  let start = 0;
  // Eight values per test while all are finite (x * 0 is 0 for finite x, NaN otherwise): about
  // twice as fast as one test per value on 16M values; the first block with a non-finite value is
  // then checked value by value.
  for (; start + 8 <= n; start += 8) {
    const s =
      data[start] * 0 +
      data[start + 1] * 0 +
      data[start + 2] * 0 +
      data[start + 3] * 0 +
      data[start + 4] * 0 +
      data[start + 5] * 0 +
      data[start + 6] * 0 +
      data[start + 7] * 0;
    if (s !== 0) break;
  }
  for (let p = start; p < n; p++) {
    const v = data[p];
    if (v - v !== 0) {
      // NaN or +-Infinity
      if (allowNaN && Number.isNaN(v)) continue;
      const i = Math.floor(p / cols);
      const j = p - i * cols;
      throw new ValidationError(`invalid ${name}: ${v} at row ${i}, column ${j} (values must be finite)`);
    }
  }
}

/** Validates a cluster count against the number of samples: `1 <= k <= n`. */
export function checkNClusters(k: number, nSamples: number, name = "nClusters"): void {
  if (!Number.isInteger(k) || k < 1) throw invalid(name, k, "must be an integer >= 1");
  if (k > nSamples) {
    throw new ValidationError(`invalid ${name}: ${k} (n_samples=${nSamples} should be >= ${name}=${k})`);
  }
}

/** Validates an integer parameter with a lower bound. */
export function checkInt(value: number, name: string, min: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range =
      max === Number.POSITIVE_INFINITY ? `must be an integer >= ${min}` : `must be an integer in [${min}, ${max}]`;
    throw invalid(name, value, range);
  }
  return value;
}

/** Validates a finite number with optional bounds (inclusive unless stated). */
export function checkNumber(
  value: number,
  name: string,
  { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, minExclusive = false } = {},
): number {
  const ok =
    typeof value === "number" && Number.isFinite(value) && (minExclusive ? value > min : value >= min) && value <= max;
  if (!ok) {
    const parts: string[] = [];
    if (min !== Number.NEGATIVE_INFINITY) parts.push(minExclusive ? `> ${min}` : `>= ${min}`);
    if (max !== Number.POSITIVE_INFINITY) parts.push(`<= ${max}`);
    throw invalid(
      name,
      value,
      parts.length ? `must be a finite number ${parts.join(" and ")}` : "must be a finite number",
    );
  }
  return value;
}

/** Validates that `value` is one of `choices`. */
export function checkChoice<T extends string>(value: T, name: string, choices: readonly T[]): T {
  if (!choices.includes(value))
    throw invalid(name, value, `must be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`);
  return value;
}

/** Validates per-sample weights: length n, finite, >= 0, not all zero. Returns a Float64Array. */
export function checkSampleWeight(w: ArrayLike<number> | undefined, n: number): Float64Array {
  if (w === undefined) return new Float64Array(n).fill(1);
  if (w.length !== n)
    throw new ValidationError(`invalid sampleWeight: length ${w.length}, expected ${n} (one per sample)`);
  const out = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new ValidationError(`invalid sampleWeight: ${v} at index ${i} (must be a finite number >= 0)`);
    }
    out[i] = v;
    total += v;
  }
  if (total <= 0) throw new ValidationError("invalid sampleWeight: all weights are zero");
  return out;
}

/** Validates a label vector (integers, -1 allowed as noise). */
export function asLabels(labels: ArrayLike<number>, name = "labels"): Int32Array {
  if (labels == null || typeof labels.length !== "number") throw new ValidationError(`invalid ${name}: not an array`);
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v)) throw new ValidationError(`invalid ${name}: ${v} at index ${i} (must be an integer)`);
    out[i] = v;
  }
  return out;
}
