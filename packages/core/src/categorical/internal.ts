/**
 * Helpers shared by k-modes, k-prototypes and Gower distance: category encoding, the mode kernels
 * (Huang's and Cao's initialisations, the frequency tables with kmodes' update rules) and JSON
 * readers. Internal: not re-exported from the barrel.
 */
import { invalid, ValidationError } from "../errors.js";
import type { ModelJSON } from "../estimator.js";
import type { Logger } from "../logger.js";
import {
  type Column,
  checkFrame,
  defaultNames,
  type Frame,
  frameColumn,
  isNumericColumn,
} from "../preprocessing/frame.js";
import type { Random } from "../random.js";
import type { CategoricalCodes, CategoryOrder } from "./categoricalCodes.js";

// ---------------------------------------------------------------------------------------------
// Encoding

/** Compares strings by Unicode code point (Python's order), not by UTF-16 code unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
  }
  return a.length - b.length;
}

/** Cell `i` of a column as a category key: the string, `String(v)` for numbers, null when missing. */
export function cellKey(col: Column, i: number): string | null {
  if (isNumericColumn(col)) {
    const v = col[i];
    return Number.isNaN(v) ? null : String(v);
  }
  return col[i];
}

/** Encodes one column. */
export function encodeColumn(col: Column, order: CategoryOrder): { codes: Int32Array; categories: (string | null)[] } {
  const n = col.length;
  const index = new Map<string | null, number>();
  const firstSeen: (string | null)[] = [];
  const raw = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = cellKey(col, i);
    let c = index.get(key);
    if (c === undefined) {
      c = firstSeen.length;
      index.set(key, c);
      firstSeen.push(key);
    }
    raw[i] = c;
  }
  if (order === "appearance") return { codes: raw, categories: firstSeen };
  const perm = firstSeen.map((_, c) => c);
  const numeric = isNumericColumn(col);
  perm.sort((a, b) => {
    const x = firstSeen[a];
    const y = firstSeen[b];
    if (x === null) return y === null ? 0 : -1;
    if (y === null) return 1;
    return numeric ? Number(x) - Number(y) : compareCodePoints(x, y);
  });
  const remap = new Int32Array(perm.length);
  for (let r = 0; r < perm.length; r++) remap[perm[r]] = r;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = remap[raw[i]];
  return { codes, categories: perm.map((c) => firstSeen[c]) };
}

/** Validates `CategoricalCodes` and returns its column names. */
export function checkCategoricalCodes(x: CategoricalCodes, name = "X"): string[] {
  const { codes, rows, categories } = x;
  if (!(codes instanceof Int32Array)) throw new ValidationError(`invalid ${name}: codes must be an Int32Array`);
  if (!Number.isInteger(rows) || rows < 0) throw invalid(`${name}.rows`, rows, "must be an integer >= 0");
  if (!Array.isArray(categories)) throw new ValidationError(`invalid ${name}: categories must be an array of arrays`);
  const p = categories.length;
  if (p === 0) throw new ValidationError(`invalid ${name}: no columns (categories is empty)`);
  if (codes.length !== rows * p) {
    throw new ValidationError(`invalid ${name}: ${codes.length} codes, expected rows x columns = ${rows} x ${p}`);
  }
  const names = x.names === undefined ? defaultNames(p) : [...x.names];
  if (names.length !== p) throw new ValidationError(`invalid ${name}: ${names.length} names for ${p} columns`);
  for (let j = 0; j < p; j++) {
    const cats = categories[j];
    if (!Array.isArray(cats))
      throw new ValidationError(`invalid ${name}: categories of column ${names[j]} is not an array`);
    const seen = new Set<string | null>();
    for (const c of cats) {
      if (c !== null && typeof c !== "string") {
        throw new ValidationError(
          `invalid ${name}: category ${String(c)} of column ${names[j]} is not a string or null`,
        );
      }
      if (seen.has(c))
        throw new ValidationError(`invalid ${name}: category ${JSON.stringify(c)} repeated in column ${names[j]}`);
      seen.add(c);
    }
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < p; j++) {
      const c = codes[i * p + j];
      if (c < 0 || c >= categories[j].length) {
        throw new ValidationError(
          `invalid ${name}: code ${c} at row ${i}, column ${j} (${names[j]}) (must be in [0, ${categories[j].length}))`,
        );
      }
    }
  }
  return names;
}

/** True when `x` looks like `CategoricalCodes`. */
export function isCategoricalCodes(x: unknown): x is CategoricalCodes {
  return typeof x === "object" && x !== null && (x as CategoricalCodes).codes instanceof Int32Array;
}

/** Categorical data as the algorithms use it: codes plus the per-column layout of the count tables. */
export interface CatData {
  n: number;
  p: number;
  /** Row-major codes, n x p. */
  codes: Int32Array;
  /** Number of categories of each column. */
  nCat: Int32Array;
  /** offsets[j]: start of column j in a cluster's count table; offsets[p] = table size. */
  offsets: Int32Array;
}

export function makeCatData(codes: Int32Array, n: number, categories: ReadonlyArray<ReadonlyArray<unknown>>): CatData {
  const p = categories.length;
  const nCat = new Int32Array(p);
  const offsets = new Int32Array(p + 1);
  for (let j = 0; j < p; j++) {
    nCat[j] = categories[j].length;
    offsets[j + 1] = offsets[j] + nCat[j];
  }
  return { n, p, codes, nCat, offsets };
}

/** Encoded categorical columns with their names and category lists. */
export interface PreparedCategorical {
  names: string[];
  categories: (string | null)[][];
  codes: Int32Array;
  n: number;
}

/**
 * Turns KModes input into codes. Frame: `columns` (default: the string columns; numeric columns are
 * then skipped with a warning) are encoded with `order`. CategoricalCodes: validated, optionally
 * restricted to `columns`.
 */
export function prepareCategorical(
  X: Frame | CategoricalCodes,
  columns: readonly string[] | undefined,
  order: CategoryOrder,
  logger: Logger,
  who: string,
): PreparedCategorical {
  if (isCategoricalCodes(X)) {
    const names = checkCategoricalCodes(X);
    const p = names.length;
    const pick = columns === undefined ? names.map((_, j) => j) : columns.map((c) => columnIndex(names, c));
    const q = pick.length;
    if (q === 0) throw new ValidationError("invalid columns: empty (at least 1 column required)");
    const codes = new Int32Array(X.rows * q);
    for (let i = 0; i < X.rows; i++) for (let t = 0; t < q; t++) codes[i * q + t] = X.codes[i * p + pick[t]];
    return { names: pick.map((j) => names[j]), categories: pick.map((j) => [...X.categories[j]]), codes, n: X.rows };
  }
  if (X == null || typeof X !== "object" || !Array.isArray((X as Frame).columns)) {
    throw new ValidationError(`invalid X: expected a Frame or CategoricalCodes, got ${X === null ? "null" : typeof X}`);
  }
  checkFrame(X);
  let cols: readonly string[];
  if (columns === undefined) {
    cols = X.names.filter((_, j) => !isNumericColumn(X.columns[j]));
    const skipped = X.names.filter((_, j) => isNumericColumn(X.columns[j]));
    if (cols.length === 0) {
      throw new ValidationError(
        "invalid X: no string columns (name numeric columns in `columns` to use their values as categories)",
      );
    }
    if (skipped.length > 0) {
      logger.warn(
        `${who}: ignoring numeric column(s) ${skipped.join(", ")} (name them in \`columns\` to use their values as categories)`,
      );
    }
  } else {
    if (columns.length === 0) throw new ValidationError("invalid columns: empty (at least 1 column required)");
    for (const c of columns) frameColumn(X, c);
    if (new Set(columns).size !== columns.length) throw invalid("columns", columns, "names must be distinct");
    cols = columns;
  }
  const p = cols.length;
  const n = X.rows;
  const codes = new Int32Array(n * p);
  const categories: (string | null)[][] = [];
  for (let j = 0; j < p; j++) {
    const enc = encodeColumn(frameColumn(X, cols[j]), order);
    categories.push(enc.categories);
    for (let i = 0; i < n; i++) codes[i * p + j] = enc.codes[i];
  }
  return { names: [...cols], categories, codes, n };
}

function columnIndex(names: readonly string[], name: string): number {
  const j = names.indexOf(name);
  if (j < 0) throw invalid("column", name, `not in the data; columns: ${names.join(", ")}`);
  return j;
}

/** Lookup tables category -> code for each column (for predict). */
export function categoryIndex(categories: ReadonlyArray<ReadonlyArray<string | null>>): Map<string | null, number>[] {
  return categories.map((cats) => {
    const m = new Map<string | null, number>();
    cats.forEach((c, i) => {
      m.set(c, i);
    });
    return m;
  });
}

/**
 * Codes of new data in a fitted model's coding: columns found by name; a category not seen in fit
 * gets code -1 (it matches no mode); `null` maps to the missing-value category when fit saw one.
 */
export function codesForPredict(
  X: Frame | CategoricalCodes,
  names: readonly string[],
  index: Map<string | null, number>[],
): { codes: Int32Array; n: number } {
  const p = names.length;
  if (isCategoricalCodes(X)) {
    const xn = checkCategoricalCodes(X);
    const q = xn.length;
    const pick =
      X.names === undefined
        ? names.map((_, j) => {
            if (q !== p) throw new ValidationError(`invalid X: ${q} columns, expected ${p} (as seen in fit)`);
            return j;
          })
        : names.map((c) => columnIndex(xn, c));
    const n = X.rows;
    const codes = new Int32Array(n * p);
    for (let j = 0; j < p; j++) {
      const src = X.categories[pick[j]];
      const map = src.map((c) => index[j].get(c) ?? -1);
      for (let i = 0; i < n; i++) codes[i * p + j] = map[X.codes[i * q + pick[j]]];
    }
    return { codes, n };
  }
  checkFrame(X);
  const n = X.rows;
  const codes = new Int32Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = frameColumn(X, names[j]);
    const m = index[j];
    for (let i = 0; i < n; i++) codes[i * p + j] = m.get(cellKey(col, i)) ?? -1;
  }
  return { codes, n };
}

/** Explicit initial modes (category names) as codes; throws naming an unknown category. */
export function modesToCodes(
  init: ReadonlyArray<ReadonlyArray<string | null>>,
  names: readonly string[],
  index: Map<string | null, number>[],
  name: string,
): Int32Array {
  if (!Array.isArray(init) || init.length === 0)
    throw new ValidationError(`invalid ${name}: expected a non-empty array of rows`);
  const p = names.length;
  const out = new Int32Array(init.length * p);
  for (let r = 0; r < init.length; r++) {
    const row = init[r];
    if (!Array.isArray(row) || row.length !== p) {
      throw new ValidationError(
        `invalid ${name}: row ${r} has ${Array.isArray(row) ? row.length : "no"} values, expected ${p} (${names.join(", ")})`,
      );
    }
    for (let j = 0; j < p; j++) {
      const c = index[j].get(row[j]);
      if (c === undefined) {
        throw new ValidationError(
          `invalid ${name}: ${JSON.stringify(row[j])} at row ${r}, column ${names[j]} is not a category of that column`,
        );
      }
      out[r * p + j] = c;
    }
  }
  return out;
}

/** Modes (codes) as category names. */
export function codesToModes(
  modes: Int32Array,
  k: number,
  categories: ReadonlyArray<ReadonlyArray<string | null>>,
): (string | null)[][] {
  const p = categories.length;
  const out: (string | null)[][] = [];
  for (let c = 0; c < k; c++) {
    const row: (string | null)[] = new Array(p);
    for (let j = 0; j < p; j++) row[j] = categories[j][modes[c * p + j]];
    out.push(row);
  }
  return out;
}

/**
 * Indices of the first occurrence of each distinct row, in order of first appearance, when there are
 * at most `limit` distinct rows; null as soon as there are more.
 */
export function distinctRowsUpTo(n: number, keyOf: (i: number) => string, limit: number): Int32Array | null {
  const seen = new Set<string>();
  const first: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    if (!seen.has(key)) {
      seen.add(key);
      first.push(i);
      if (first.length > limit) return null;
    }
  }
  return Int32Array.from(first);
}

/** The numeric columns of a frame as a row-major matrix; NaN or an infinity is an error naming the cell. */
export function numericBlock(X: Frame, names: readonly string[]): Float64Array {
  const n = X.rows;
  const d = names.length;
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const col = frameColumn(X, names[j]);
    if (!isNumericColumn(col)) {
      throw new ValidationError(
        `invalid X: column ${JSON.stringify(names[j])} holds strings, expected numbers (as in fit)`,
      );
    }
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) {
        throw new ValidationError(
          `invalid X: ${Number.isNaN(v) ? "missing value (NaN)" : String(v)} in numeric column ${JSON.stringify(names[j])} at row ${i} (numeric columns must be complete and finite; impute first, e.g. with SimpleImputer, or drop the row)`,
        );
      }
      out[i * d + j] = v;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mode kernels (kmodes 0.12 semantics)

/** Number of attributes where row `i` differs from mode `c` (simple matching dissimilarity). */
export function mismatch(codes: Int32Array, i: number, modes: Int32Array, c: number, p: number): number {
  let d = 0;
  const a = i * p;
  const b = c * p;
  for (let j = 0; j < p; j++) if (codes[a + j] !== modes[b + j]) d++;
  return d;
}

/** The most frequent category in a count table slice; ties go to the smallest code (kmodes' get_max_value_key). */
export function maxKey(counts: Int32Array, base: number, nc: number): number {
  let best = 0;
  let bv = counts[base];
  for (let v = 1; v < nc; v++) {
    const x = counts[base + v];
    if (x > bv) {
      bv = x;
      best = v;
    }
  }
  return best;
}

/** Frequency tables and membership of a k-modes / k-prototypes run. */
export interface ModeState {
  k: number;
  /** counts[c * total + offsets[j] + v]: members of cluster c with category v in column j. */
  counts: Int32Array;
  labels: Int32Array;
  sizes: Int32Array;
  /** Current modes, k x p codes. */
  modes: Int32Array;
}

/**
 * Moves row `i` from cluster `from` to `to`, updating the counts and both modes as kmodes'
 * `_move_point_cat`: the destination's mode switches to the row's category only when that category
 * becomes strictly more frequent than the current mode; the source's mode is recomputed (ties to the
 * smallest code) when the row carried it.
 */
export function movePointCat(data: CatData, s: ModeState, i: number, to: number, from: number): void {
  const { p, codes, nCat, offsets } = data;
  const total = offsets[p];
  const { counts, modes } = s;
  s.labels[i] = to;
  s.sizes[to]++;
  s.sizes[from]--;
  for (let j = 0; j < p; j++) {
    const v = codes[i * p + j];
    const tb = to * total + offsets[j];
    const fb = from * total + offsets[j];
    counts[tb + v]++;
    if (counts[tb + modes[to * p + j]] < counts[tb + v]) modes[to * p + j] = v;
    counts[fb + v]--;
    if (modes[from * p + j] === v) modes[from * p + j] = maxKey(counts, fb, nCat[j]);
  }
}

/** Adds row `i` to cluster `c`'s counts (initial assignment). */
export function addToCounts(data: CatData, s: ModeState, i: number, c: number): void {
  const { p, codes, offsets } = data;
  const base = c * offsets[p];
  for (let j = 0; j < p; j++) s.counts[base + offsets[j] + codes[i * p + j]]++;
}

/** The largest cluster (first on ties) and a random member of it (kmodes' empty-cluster refill). */
export function refillSource(s: ModeState, rng: Random): { from: number; row: number } {
  let from = 0;
  for (let c = 1; c < s.k; c++) if (s.sizes[c] > s.sizes[from]) from = c;
  let pick = rng.int(s.sizes[from]);
  const { labels } = s;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === from) {
      if (pick === 0) return { from, row: i };
      pick--;
    }
  }
  throw new Error("unreachable: cluster sizes out of sync");
}

export function newModeState(data: CatData, k: number, modes: Int32Array): ModeState {
  return {
    k,
    counts: new Int32Array(k * data.offsets[data.p]),
    labels: new Int32Array(data.n),
    sizes: new Int32Array(k),
    modes,
  };
}

/**
 * Huang's initialisation as kmodes' `init_huang`: each attribute of each mode is drawn from the
 * column's values (so with the category frequencies), then each mode is replaced by the nearest row
 * (rows ordered by distance, then index) that equals none of the current modes (the last row in that
 * order if all do).
 */
export function initHuang(data: CatData, k: number, rng: Random): Int32Array {
  const { n, p, codes, nCat } = data;
  const modes = new Int32Array(k * p);
  for (let j = 0; j < p; j++) {
    const cum = new Int32Array(nCat[j] + 1);
    for (let i = 0; i < n; i++) cum[codes[i * p + j] + 1]++;
    for (let v = 0; v < nCat[j]; v++) cum[v + 1] += cum[v];
    for (let c = 0; c < k; c++) {
      const pos = rng.int(n);
      let v = 0;
      while (cum[v + 1] <= pos) v++;
      modes[c * p + j] = v;
    }
  }
  const dist = new Int32Array(n);
  const start = new Int32Array(p + 2);
  const order = new Int32Array(n);
  for (let c = 0; c < k; c++) {
    start.fill(0);
    for (let i = 0; i < n; i++) {
      dist[i] = mismatch(codes, i, modes, c, p);
      start[dist[i] + 1]++;
    }
    for (let d = 0; d <= p; d++) start[d + 1] += start[d];
    for (let i = 0; i < n; i++) order[start[dist[i]]++] = i;
    let chosen = order[n - 1];
    for (let t = 0; t < n - 1; t++) {
      const i = order[t];
      if (!equalsAnyMode(codes, i, modes, k, p)) {
        chosen = i;
        break;
      }
    }
    modes.set(codes.subarray(chosen * p, chosen * p + p), c * p);
  }
  return modes;
}

function equalsAnyMode(codes: Int32Array, i: number, modes: Int32Array, k: number, p: number): boolean {
  for (let c = 0; c < k; c++) if (mismatch(codes, i, modes, c, p) === 0) return true;
  return false;
}

/**
 * Cao et al.'s (2009) density-based initialisation as kmodes' `init_cao`: the densest row first,
 * then repeatedly the row maximising min over chosen modes of (distance x density). Deterministic.
 */
export function initCao(data: CatData, k: number): Int32Array {
  const { n, p, codes, nCat } = data;
  const dens = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const freq = new Int32Array(nCat[j]);
    for (let i = 0; i < n; i++) freq[codes[i * p + j]]++;
    for (let i = 0; i < n; i++) dens[i] += freq[codes[i * p + j]] / n / p;
  }
  const modes = new Int32Array(k * p);
  let first = 0;
  for (let i = 1; i < n; i++) if (dens[i] > dens[first]) first = i;
  modes.set(codes.subarray(first * p, first * p + p), 0);
  const minScore = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let c = 1; c < k; c++) {
    // minScore holds min over modes 0..c-1 of mismatch * dens (the same products kmodes forms).
    let best = 0;
    for (let i = 0; i < n; i++) {
      const v = mismatch(codes, i, modes, c - 1, p) * dens[i];
      if (v < minScore[i]) minScore[i] = v;
      if (minScore[i] > minScore[best]) best = i;
    }
    modes.set(codes.subarray(best * p, best * p + p), c * p);
  }
  return modes;
}

/** `k` rows drawn uniformly with replacement (kmodes' "random" init). */
export function initRandomRows(data: CatData, k: number, rng: Random): Int32Array {
  const { n, p, codes } = data;
  const modes = new Int32Array(k * p);
  for (let c = 0; c < k; c++) {
    const r = rng.int(n);
    modes.set(codes.subarray(r * p, r * p + p), c * p);
  }
  return modes;
}

/** Per-run seeds drawn up front from the `seed` stream (kmodes: `randint(int32 max, size=n_init)`). */
export function runSeeds(master: Random, nInit: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < nInit; r++) out.push(master.int(2147483647));
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON

export function expectModelJSON(json: unknown, type: string): Record<string, unknown> {
  if (typeof json !== "object" || json === null) throw new ValidationError(`invalid ${type} JSON: not an object`);
  const j = json as ModelJSON;
  if (j.type !== type) {
    throw new ValidationError(`invalid ${type} JSON: type ${JSON.stringify(j.type)}, expected ${JSON.stringify(type)}`);
  }
  if (j.version !== 1) throw new ValidationError(`invalid ${type} JSON: version ${String(j.version)} (supported: 1)`);
  return j as Record<string, unknown>;
}

export function readStrings(j: Record<string, unknown>, key: string): string[] {
  const v = j[key];
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) {
    throw new ValidationError(`invalid model JSON: ${key} is not an array of strings`);
  }
  return v as string[];
}

/** An array of rows of `string | null`, each of length `p` when given. */
export function readCategoryRows(j: Record<string, unknown>, key: string, p?: number): (string | null)[][] {
  const v = j[key];
  const ok =
    Array.isArray(v) &&
    v.every(
      (r) =>
        Array.isArray(r) && (p === undefined || r.length === p) && r.every((s) => s === null || typeof s === "string"),
    );
  if (!ok) throw new ValidationError(`invalid model JSON: ${key} is not an array of rows of strings or null`);
  return (v as (string | null)[][]).map((r) => [...r]);
}

export function readNumber(j: Record<string, unknown>, key: string): number {
  const v = j[key];
  if (typeof v !== "number") throw new ValidationError(`invalid model JSON: ${key} is not a number`);
  return v;
}

export function readLabels(j: Record<string, unknown>, key: string): Int32Array {
  const v = j[key];
  if (!Array.isArray(v) || v.some((x) => !Number.isInteger(x))) {
    throw new ValidationError(`invalid model JSON: ${key} is not an array of integers`);
  }
  return Int32Array.from(v as number[]);
}
