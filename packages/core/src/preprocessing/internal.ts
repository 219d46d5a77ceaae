/**
 * Helpers shared by the preprocessing estimators. Internal: not re-exported from the barrel, so their
 * names cannot clash with other areas.
 */
import { invalid, ValidationError } from "../errors.js";
import type { ModelJSON } from "../estimator.js";
import type { Matrix } from "../matrix.js";
import { decodeFloats } from "../serialize.js";
import { asFrame, type Column, defaultNames, type Frame, isFrame, isNumericColumn, type TableLike } from "./frame.js";

const EPS = 2.220446049250313e-16;

// ---------------------------------------------------------------------------------------------
// JSON

/** Checks `json` is `{ type, version: 1 }` and returns it as a record. */
export function expectJSON(json: unknown, type: string): Record<string, unknown> {
  if (typeof json !== "object" || json === null) throw new ValidationError(`invalid ${type} JSON: not an object`);
  const j = json as ModelJSON;
  if (j.type !== type) {
    throw new ValidationError(`invalid ${type} JSON: type ${JSON.stringify(j.type)}, expected ${JSON.stringify(type)}`);
  }
  if (j.version !== 1) throw new ValidationError(`invalid ${type} JSON: version ${String(j.version)} (supported: 1)`);
  return j as Record<string, unknown>;
}

/** Numbers for JSON, NaN written as null. */
export function encodeNaN(a: ArrayLike<number>): (number | null)[] {
  const out: (number | null)[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number.isNaN(a[i]) ? null : a[i];
  return out;
}

/** A per-feature vector from JSON (null entries = NaN), checked to have length `n`. */
export function readVec(j: Record<string, unknown>, key: string, n: number): Float64Array {
  const a = decodeFloats(j[key], key);
  if (a.length !== n) throw new ValidationError(`invalid model JSON: ${key} has ${a.length} values, expected ${n}`);
  return a;
}

/** As `readVec`, with `null` for an absent vector. */
export function readVecOrNull(j: Record<string, unknown>, key: string, n: number): Float64Array | null {
  return j[key] === null || j[key] === undefined ? null : readVec(j, key, n);
}

export function encodeNullable(a: Float64Array | null): (number | null)[] | null {
  return a === null ? null : encodeNaN(a);
}

/** A number from JSON, where null stands for NaN. */
export function decodeNumber(v: unknown, name: string): number {
  if (v === null) return Number.NaN;
  if (typeof v !== "number") throw new ValidationError(`invalid model JSON: ${name} is not a number`);
  return v;
}

export function encodeNumber(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

export function readBool(j: Record<string, unknown>, key: string): boolean {
  const v = j[key];
  if (typeof v !== "boolean") throw new ValidationError(`invalid model JSON: ${key} is not a boolean`);
  return v;
}

export function readString<T extends string>(j: Record<string, unknown>, key: string, choices?: readonly T[]): T {
  const v = j[key];
  if (typeof v !== "string" || (choices && !choices.includes(v as T))) {
    throw new ValidationError(`invalid model JSON: ${key} is ${JSON.stringify(v)}`);
  }
  return v as T;
}

export function readInt(j: Record<string, unknown>, key: string): number {
  const v = j[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new ValidationError(`invalid model JSON: ${key} is not an integer >= 0`);
  }
  return v;
}

export function readNames(v: unknown, key: string): string[] | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) {
    throw new ValidationError(`invalid model JSON: ${key} is not an array of strings`);
  }
  return [...(v as string[])];
}

// ---------------------------------------------------------------------------------------------
// Scaling statistics

/**
 * scikit-learn's `_handle_zeros_in_scale`: scales below `10 * eps` (or flagged in `constantMask`) become 1,
 * so constant features are left unscaled instead of dividing by ~0. NaN stays NaN.
 */
export function handleZerosInScale(scale: Float64Array, constantMask?: Uint8Array): Float64Array {
  for (let j = 0; j < scale.length; j++) {
    const constant = constantMask ? constantMask[j] === 1 : scale[j] < 10 * EPS;
    if (constant) scale[j] = 1;
  }
  return scale;
}

/**
 * Per-column mean and (biased) variance ignoring NaN, with the corrected two-pass algorithm scikit-learn
 * uses (Chan, Golub & LeVeque 1983): `var = (sum d^2 - (sum d)^2 / n) / n` with `d = x - mean`.
 * A column without observed values gets NaN.
 */
export function nanMeanVar(X: Matrix): { mean: Float64Array; var: Float64Array; count: Float64Array } {
  const { rows, cols, data } = X;
  const sum = new Float64Array(cols);
  const count = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j];
      if (!Number.isNaN(v)) {
        sum[j] += v;
        count[j] += 1;
      }
    }
  }
  const mean = new Float64Array(cols);
  for (let j = 0; j < cols; j++) mean[j] = sum[j] / count[j];
  const corr = new Float64Array(cols);
  const sq = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j];
      if (!Number.isNaN(v)) {
        const d = v - mean[j];
        corr[j] += d;
        sq[j] += d * d;
      }
    }
  }
  const variance = new Float64Array(cols);
  for (let j = 0; j < cols; j++) variance[j] = (sq[j] - (corr[j] * corr[j]) / count[j]) / count[j];
  return { mean, var: variance, count };
}

/**
 * scikit-learn's `_is_constant_feature`: a variance within the error bound of the two-pass algorithm,
 * `var <= n * eps * var + (n * mean * eps)^2`, counts as zero.
 */
export function constantFeatureMask(variance: Float64Array, mean: Float64Array, count: Float64Array): Uint8Array {
  const out = new Uint8Array(variance.length);
  for (let j = 0; j < variance.length; j++) {
    const n = count[j];
    const bound = n * EPS * variance[j] + (n * mean[j] * EPS) ** 2;
    out[j] = variance[j] <= bound ? 1 : 0;
  }
  return out;
}

/** The observed (non-NaN) values of column `j`, sorted ascending. */
export function sortedColumn(X: Matrix, j: number): Float64Array {
  const { rows, cols, data } = X;
  let n = 0;
  for (let i = 0; i < rows; i++) if (!Number.isNaN(data[i * cols + j])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const v = data[i * cols + j];
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out.sort();
}

/** Median of sorted values (mean of the two middle ones for an even count); NaN when empty. */
export function sortedMedian(s: Float64Array): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Percentile `q` in [0, 100] of sorted values with numpy's default "linear" method (including its
 * interpolation formula, so results agree to the last bit); NaN when empty.
 */
export function sortedPercentile(s: Float64Array, q: number): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const vi = (n - 1) * (q / 100);
  let lo = Math.floor(vi);
  if (lo < 0) lo = 0;
  if (lo > n - 1) lo = n - 1;
  const hi = Math.min(lo + 1, n - 1);
  const t = vi - lo;
  const a = s[lo];
  const b = s[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Inverse of the standard normal CDF (Wichura 1988, algorithm AS 241 "PPND16"; relative error about
 * 1e-16). `p` in (0, 1); 0 and 1 give -Infinity and Infinity.
 */
export function normalPpf(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    v =
      (((((((r * 2.0103343992922881e-7 + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -v : v;
}

// ---------------------------------------------------------------------------------------------
// Feature names

/** Validates user-supplied input feature names, or returns the fitted / default ones. */
export function inputNames(
  given: readonly string[] | undefined,
  fitted: readonly string[] | null,
  nFeaturesIn: number,
): string[] {
  if (given === undefined) return fitted ? [...fitted] : defaultNames(nFeaturesIn);
  if (!Array.isArray(given) || given.length !== nFeaturesIn || given.some((s) => typeof s !== "string")) {
    throw new ValidationError(
      `invalid inputNames: ${JSON.stringify(given)} (expected ${nFeaturesIn} strings, one per input feature)`,
    );
  }
  if (fitted) {
    for (let j = 0; j < nFeaturesIn; j++) {
      if (given[j] !== fitted[j]) {
        throw new ValidationError(
          `invalid inputNames: ${JSON.stringify(given[j])} at ${j} does not match ${JSON.stringify(fitted[j])} seen in fit`,
        );
      }
    }
  }
  return [...given];
}

// ---------------------------------------------------------------------------------------------
// Categories (encoders)

/** A category value: a string or number; `null` is the missing category (also NaN in numeric columns). */
export type Category = string | number | null;

/** Lookup from a category value to its index in `categories`; `missing` is the index of the missing one or -1. */
export interface CategoryIndex {
  readonly map: Map<string | number, number>;
  readonly missing: number;
  readonly size: number;
}

/** Python's string order (by code point), which scikit-learn's categories follow. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xd800-0xdfff) encode code points above 0xffff: they sort after every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorted unique values of a column, missing (NaN / null) last, as scikit-learn's `_unique`. */
export function uniqueCategories(c: Column): Column {
  if (isNumericColumn(c)) {
    const s = c.slice().sort(); // NaN sorts last
    const out: number[] = [];
    let hasNaN = false;
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (Number.isNaN(v)) {
        hasNaN = true;
        break;
      }
      if (out.length === 0 || out[out.length - 1] !== v) out.push(v === 0 ? 0 : v);
    }
    if (hasNaN) out.push(Number.NaN);
    return Float64Array.from(out);
  }
  const set = new Set<string>();
  let hasNull = false;
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (v === null) hasNull = true;
    else set.add(v);
  }
  const out: (string | null)[] = [...set].sort(compareCodePoints);
  if (hasNull) out.push(null);
  return out;
}

/** Validates user-given categories for feature `j`: all numbers or all strings, no duplicates, null = missing. */
export function explicitCategories(list: ReadonlyArray<Category>, j: number): Column {
  if (!Array.isArray(list)) throw new ValidationError(`invalid categories[${j}]: not an array`);
  const numeric = list.every((v) => v === null || typeof v === "number");
  const strings = list.every((v) => v === null || typeof v === "string");
  if (!numeric && !strings) {
    throw new ValidationError(`invalid categories[${j}]: ${JSON.stringify(list)} (must be all numbers or all strings)`);
  }
  const col: Column =
    numeric && !list.every((v) => v === null)
      ? Float64Array.from(list, (v) => (v === null ? Number.NaN : (v as number)))
      : (list as ReadonlyArray<string | null>).slice();
  const seen = new Set<string | number>();
  let missing = false;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v === null || (typeof v === "number" && Number.isNaN(v))) {
      if (missing) throw new ValidationError(`invalid categories[${j}]: missing (null/NaN) listed twice`);
      missing = true;
      continue;
    }
    if (typeof v === "number" && !Number.isFinite(v)) {
      throw new ValidationError(`invalid categories[${j}]: ${v} (numeric categories must be finite)`);
    }
    if (seen.has(v)) throw new ValidationError(`invalid categories[${j}]: duplicate value ${formatCategory(v)}`);
    seen.add(v);
  }
  if (col.length === 0) throw new ValidationError(`invalid categories[${j}]: empty (at least one category needed)`);
  return col;
}

export function isMissing(v: Category | undefined): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

export function categoryIndex(cats: Column): CategoryIndex {
  const map = new Map<string | number, number>();
  let missing = -1;
  for (let i = 0; i < cats.length; i++) {
    const v = cats[i];
    if (isMissing(v)) missing = i;
    else map.set(v as string | number, i);
  }
  return { map, missing, size: cats.length };
}

/** Index of `v` in the categories, -1 when unknown. */
export function lookupCategory(idx: CategoryIndex, v: Category): number {
  if (isMissing(v)) return idx.missing;
  const k = idx.map.get(v as string | number);
  return k === undefined ? -1 : k;
}

/** How a category appears in feature names and messages: strings as is, missing as `nan`. */
export function categoryName(v: Category): string {
  if (isMissing(v)) return "nan";
  return String(v);
}

/** How a category appears in error messages: strings quoted, missing as `null (missing)`. */
export function formatCategory(v: Category): string {
  if (isMissing(v)) return "null (missing)";
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

export function encodeCategories(c: Column): { kind: "number" | "string"; values: (string | number | null)[] } {
  if (isNumericColumn(c)) return { kind: "number", values: encodeNaN(c) };
  return { kind: "string", values: [...c] };
}

export function decodeCategories(v: unknown, name: string): Column {
  const o = v as { kind?: unknown; values?: unknown };
  if (typeof o !== "object" || o === null || !Array.isArray(o.values)) {
    throw new ValidationError(`invalid model JSON: ${name} is not a category list`);
  }
  if (o.kind === "number") return decodeFloats(o.values, name);
  if (o.kind === "string") {
    if (o.values.some((s) => s !== null && typeof s !== "string")) {
      throw new ValidationError(`invalid model JSON: ${name} holds a non-string`);
    }
    return [...(o.values as (string | null)[])];
  }
  throw new ValidationError(`invalid model JSON: ${name}.kind is ${JSON.stringify(o.kind)}`);
}

/** Checks a table's columns against the names seen in fit (only when fit saw a `Frame`). */
export function checkColumnNames(names: readonly string[], fitted: readonly string[] | null, isFrameInput: boolean) {
  if (!fitted || !isFrameInput) return;
  for (let j = 0; j < fitted.length; j++) {
    if (names[j] !== fitted[j]) {
      throw new ValidationError(
        `invalid X: column ${j} is ${JSON.stringify(names[j])}, expected ${JSON.stringify(fitted[j])} (as seen in fit)`,
      );
    }
  }
}

/** The `categories` option of the encoders: `"auto"` (sorted unique values) or one list per feature. */
export type CategoriesOption = "auto" | ReadonlyArray<ReadonlyArray<Category>>;

/** Categories per feature: learnt (sorted, missing last) or the explicit lists, validated. */
export function fitCategories(f: Frame, option: CategoriesOption | undefined, errorOnUnknown: boolean): Column[] {
  if (option === undefined || option === "auto") return f.columns.map(uniqueCategories);
  if (!Array.isArray(option) || option.length !== f.columns.length) {
    throw invalid("categories", option, `must be "auto" or one list per feature (${f.columns.length})`);
  }
  const cats = option.map((list, j) => explicitCategories(list, j));
  if (errorOnUnknown) encodeCodes(f, cats.map(categoryIndex), true);
  return cats;
}

/**
 * Category codes (row-major, n x p) of a table; -1 for a value not among the categories, or an error
 * naming the value and the column when `errorOnUnknown`.
 */
export function encodeCodes(f: Frame, idx: readonly CategoryIndex[], errorOnUnknown: boolean): Int32Array {
  const p = f.columns.length;
  const n = f.rows;
  const out = new Int32Array(n * p);
  for (let j = 0; j < p; j++) {
    const c = f.columns[j];
    const ix = idx[j];
    for (let i = 0; i < n; i++) {
      const v = c[i];
      const k = lookupCategory(ix, v);
      if (k < 0 && errorOnUnknown) {
        throw new ValidationError(`invalid X: unknown category ${formatCategory(v)} in column ${j} (${f.names[j]})`);
      }
      out[i * p + j] = k;
    }
  }
  return out;
}

/** Validates a table for an encoder fitted on `nFeaturesIn` columns (names checked when both are frames). */
export function encoderInput(X: TableLike, nFeaturesIn: number, featureNamesIn: readonly string[] | null): Frame {
  const f = asFrame(X);
  if (f.columns.length !== nFeaturesIn) {
    throw new ValidationError(`invalid X: ${f.columns.length} features, expected ${nFeaturesIn} (as seen in fit)`);
  }
  checkColumnNames(f.names, featureNamesIn, isFrame(X));
  return f;
}

/** An empty column of the same kind as `cats`, to fill by `inverseTransform`. */
export function emptyLike(cats: Column, n: number): Float64Array | (string | null)[] {
  return isNumericColumn(cats) ? new Float64Array(n) : new Array<string | null>(n).fill(null);
}
