import { invalid, ValidationError } from "../errors.js";
import { checkFrame, type Frame, frameColumn, isNumericColumn } from "../preprocessing/frame.js";
import { encodeColumn } from "./internal.js";

/** Options for `gowerDistance` and `gowerDistanceTo`. */
export interface GowerDistanceOptions {
  /**
   * Columns compared by equality (0 when equal, 1 otherwise). Default: the string columns. A numeric
   * column named here is compared by equality too. Every other column is numeric.
   */
  categorical?: readonly string[];
  /**
   * Weight of each column (finite, >= 0): an array in frame column order, or a record by column name
   * (unnamed columns weigh 1). Default: all 1. A weight of 0 leaves the column out.
   */
  weights?: ArrayLike<number> | Readonly<Record<string, number>>;
  /**
   * Ranges of numeric columns by name (finite, >= 0), replacing max - min of the frame's values, e.g.
   * to reuse a training set's ranges. Default: max - min over the column's non-missing values.
   */
  ranges?: Readonly<Record<string, number>>;
}

/** Per-column data prepared once. */
interface GowerColumns {
  n: number;
  /** Numeric columns: values (NaN missing), range and weight. */
  num: { x: Float64Array; range: number; w: number }[];
  /** Categorical columns: codes (-1 missing) and weight. */
  cat: { c: Int32Array; w: number }[];
}

/**
 * Gower's (1971) dissimilarity between all pairs of rows of a mixed frame, as a condensed vector:
 * entry `n*i - i*(i+1)/2 + (j - i - 1)` holds the pair i < j (scipy's `pdist` / `squareform` order),
 * n(n-1)/2 doubles in all.
 *
 * d(i, j) = sum_f w_f delta_ijf d_ijf / sum_f w_f delta_ijf, where for a numeric column
 * d_ijf = |x_if - x_jf| / R_f (R_f = max - min of the column; a column of zero range contributes 0)
 * and for a categorical column d_ijf = 0 when the categories are equal and 1 otherwise; delta_ijf = 0
 * when either value is missing (NaN or null), so a missing value drops that column from the pair's
 * weighted average (as R's `cluster::daisy`), and a pair without any usable column gets NaN. Values
 * lie in [0, 1] (numeric values outside a given `ranges` entry can exceed 1).
 *
 * Numeric columns are used as given (the range normalisation makes their scales irrelevant).
 *
 * The condensed vector is what hierarchical clustering on precomputed distances consumes (scipy's
 * `linkage(y)` with a condensed `y`): average, complete, single or weighted linkage, not Ward,
 * centroid or median, which assume Euclidean geometry. Clusterlab's `linkage` currently takes
 * observations and computes its own metric; a precomputed-distance entry point can take this vector
 * as is. O(n^2 x columns) time, n(n-1)/2 doubles of memory.
 */
export function gowerDistance(X: Frame, options: GowerDistanceOptions = {}): Float64Array {
  const g = prepareGower(X, options);
  const n = g.n;
  const pairs = (n * (n - 1)) / 2;
  if (pairs > 2 ** 31 - 1) {
    throw new ValidationError(`invalid X: ${n} rows give ${pairs} pairs, too many for a condensed distance vector`);
  }
  const out = new Float64Array(pairs);
  let t = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) out[t++] = gowerPair(g, i, j);
  }
  return out;
}

/** Gower dissimilarity of row `i` to every row of `X` (length n; entry i is 0 unless row i is entirely missing). */
export function gowerDistanceTo(X: Frame, i: number, options: GowerDistanceOptions = {}): Float64Array {
  const g = prepareGower(X, options);
  if (!Number.isInteger(i) || i < 0 || i >= g.n) throw invalid("i", i, `must be a row index in [0, ${g.n})`);
  const out = new Float64Array(g.n);
  for (let j = 0; j < g.n; j++) out[j] = gowerPair(g, i, j);
  return out;
}

function gowerPair(g: GowerColumns, i: number, j: number): number {
  let num = 0;
  let den = 0;
  for (const f of g.num) {
    const a = f.x[i];
    const b = f.x[j];
    if (Number.isNaN(a) || Number.isNaN(b) || f.w === 0) continue;
    num += f.w * (f.range > 0 ? Math.abs(a - b) / f.range : 0);
    den += f.w;
  }
  for (const f of g.cat) {
    const a = f.c[i];
    const b = f.c[j];
    if (a < 0 || b < 0 || f.w === 0) continue;
    if (a !== b) num += f.w;
    den += f.w;
  }
  return den > 0 ? num / den : Number.NaN;
}

function prepareGower(X: Frame, options: GowerDistanceOptions): GowerColumns {
  if (X == null || typeof X !== "object" || !Array.isArray((X as Frame).columns)) {
    throw new ValidationError(`invalid X: expected a Frame, got ${X === null ? "null" : typeof X}`);
  }
  checkFrame(X);
  const p = X.names.length;
  if (p === 0) throw new ValidationError("invalid X: no columns (at least 1 required)");
  const catSet = new Set<string>();
  if (options.categorical !== undefined) {
    for (const c of options.categorical) {
      frameColumn(X, c);
      catSet.add(c);
    }
  } else {
    X.names.forEach((nm, j) => {
      if (!isNumericColumn(X.columns[j])) catSet.add(nm);
    });
  }
  const weights = resolveWeights(X, options.weights);
  const ranges = options.ranges ?? {};
  for (const [nm, r] of Object.entries(ranges)) {
    const col = frameColumn(X, nm);
    if (!isNumericColumn(col) || catSet.has(nm)) throw invalid(`ranges.${nm}`, r, "given for a categorical column");
    if (typeof r !== "number" || !Number.isFinite(r) || r < 0)
      throw invalid(`ranges.${nm}`, r, "must be a finite number >= 0");
  }
  let total = 0;
  for (let j = 0; j < p; j++) total += weights[j];
  if (!(total > 0)) throw new ValidationError("invalid weights: all zero (at least one column must weigh > 0)");
  const out: GowerColumns = { n: X.rows, num: [], cat: [] };
  for (let j = 0; j < p; j++) {
    const nm = X.names[j];
    const col = X.columns[j];
    if (catSet.has(nm)) {
      const enc = encodeColumn(col, "appearance");
      const nullCode = enc.categories.indexOf(null);
      const c = enc.codes;
      if (nullCode >= 0) for (let i = 0; i < c.length; i++) if (c[i] === nullCode) c[i] = -1;
      out.cat.push({ c, w: weights[j] });
    } else {
      if (!isNumericColumn(col)) {
        throw new ValidationError(
          `invalid X: column ${JSON.stringify(nm)} holds strings but is not in \`categorical\``,
        );
      }
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (Number.isNaN(v)) continue;
        if (!Number.isFinite(v)) {
          throw new ValidationError(
            `invalid X: ${v} in column ${JSON.stringify(nm)} at row ${i} (values must be finite)`,
          );
        }
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const range = Object.hasOwn(ranges, nm) ? ranges[nm] : hi >= lo ? hi - lo : 0;
      out.num.push({ x: col, range, w: weights[j] });
    }
  }
  return out;
}

function resolveWeights(X: Frame, w: GowerDistanceOptions["weights"]): Float64Array {
  const p = X.names.length;
  const out = new Float64Array(p).fill(1);
  if (w === undefined) return out;
  if (typeof (w as ArrayLike<number>).length === "number") {
    const a = w as ArrayLike<number>;
    if (a.length !== p)
      throw new ValidationError(`invalid weights: length ${a.length}, expected ${p} (one per column)`);
    for (let j = 0; j < p; j++) out[j] = a[j];
  } else {
    for (const [nm, v] of Object.entries(w as Record<string, number>)) {
      frameColumn(X, nm);
      out[X.names.indexOf(nm)] = v;
    }
  }
  for (let j = 0; j < p; j++) {
    const v = out[j];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw invalid(`weights.${X.names[j]}`, v, "must be a finite number >= 0");
    }
  }
  return out;
}
