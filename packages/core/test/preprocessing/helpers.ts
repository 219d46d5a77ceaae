import { expect } from "vitest";
import type { Column, Frame, Matrix } from "../../src/index.js";
import { closeTo, loadFixture } from "../fixtures.js";

type Num = number | null;
type Cell = string | number | null;

export interface ScalerCase {
  input: string;
  scaler: "StandardScaler" | "MinMaxScaler" | "RobustScaler" | "MaxAbsScaler";
  params: Record<string, unknown>;
  attrs: Record<string, Num[] | null>;
  transform: Num[][];
  transformTest: Num[][];
}

export interface ImputerCase {
  input: string;
  X: Num[][];
  Xtest: Num[][];
  params: { strategy: string; keep_empty_features?: boolean; fill_value?: number; missing_values?: number };
  statistics: Num[];
  transform: Num[][];
  transformTest: Num[][];
}

export interface EncoderCase {
  input: string;
  encoder: "OneHotEncoder" | "OrdinalEncoder";
  params: Record<string, unknown>;
  categories: Cell[][];
  transform: Num[][];
  transformSeen: Num[][];
  inverseSeen: Cell[][];
  featureNamesOut: string[];
  dropIdx?: (number | null)[] | null;
  transformTest?: Num[][];
  inverseTest?: Cell[][];
}

export interface PreprocessingFixture {
  numeric: Record<string, { X: Num[][]; Xtest: Num[][] }>;
  scalers: ScalerCase[];
  imputer: ImputerCase[];
  categorical: Record<string, { names: string[]; columns: Cell[][]; test: Cell[][] }>;
  encoders: EncoderCase[];
  columnTransformer: {
    names: string[];
    columns: Cell[][];
    numeric: string[];
    categorical: string[];
    output: Num[][];
    featureNamesOut: string[];
    testRows: number[];
    testIsland0: string;
    outputTest: Num[][];
  };
}

let cached: PreprocessingFixture | undefined;

/** reference/fixtures/preprocessing.json (written by reference/preprocessing.py). */
export function fixture(): PreprocessingFixture {
  cached ??= loadFixture<PreprocessingFixture>("preprocessing");
  return cached;
}

/** Rows with null as NaN -> Matrix. */
export function mat(rows: readonly (readonly Num[])[]): Matrix {
  const r = rows.length;
  const c = r > 0 ? rows[0].length : 0;
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[i * c + j] = rows[i][j] ?? Number.NaN;
  return { rows: r, cols: c, data };
}

/** A fixture column (strings or numbers, null = missing) -> a Frame column. */
export function col(values: readonly Cell[]): Column {
  const numeric = values.every((v) => v === null || typeof v === "number");
  if (numeric && values.some((v) => v !== null))
    return Float64Array.from(values, (v) => (v === null ? Number.NaN : (v as number)));
  return values.map((v) => (v === null ? null : String(v)));
}

/** A frame from fixture columns. */
export function frameOf(names: readonly string[], columns: readonly (readonly Cell[])[]): Frame {
  return { names: [...names], columns: columns.map(col), rows: columns[0].length };
}

/** Row-wise cells -> Frame (same names). */
export function rowsToFrame(names: readonly string[], rows: readonly (readonly Cell[])[], like: Frame): Frame {
  const columns = names.map((_, j) => {
    const values = rows.map((r) => r[j]);
    if (like.columns[j] instanceof Float64Array) {
      return Float64Array.from(values, (v) => (v === null ? Number.NaN : (v as number)));
    }
    return values.map((v) => (v === null ? null : String(v)));
  });
  return { names: [...names], columns, rows: rows.length };
}

/** Every entry equal within 1e-9 relative / 1e-12 absolute; null in `expected` means NaN. */
export function expectValues(actual: ArrayLike<number>, expected: readonly Num[], label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let p = 0; p < expected.length; p++) {
    const e = expected[p];
    const a = actual[p];
    if (e === null) {
      if (!Number.isNaN(a)) expect.fail(`${label}[${p}]: expected NaN, got ${a}`);
    } else if (!closeTo(a, e)) {
      expect.fail(`${label}[${p}]: expected ${e}, got ${a} (diff ${a - e})`);
    }
  }
}

export function expectMatrix(actual: Matrix, expected: readonly (readonly Num[])[], label: string): void {
  expect(actual.rows, `${label}: rows`).toBe(expected.length);
  if (expected.length > 0) expect(actual.cols, `${label}: cols`).toBe(expected[0].length);
  expectValues(actual.data, expected.flat(), label);
}

/** A frame column's cells with NaN as null (for comparing with fixture cells). */
export function cells(c: Column): Cell[] {
  return Array.from(c as ArrayLike<string | number | null>, (v) =>
    typeof v === "number" && Number.isNaN(v) ? null : v,
  );
}

/** Frame -> rows of cells (NaN as null). */
export function frameRows(f: Frame): Cell[][] {
  const cs = f.columns.map(cells);
  return Array.from({ length: f.rows }, (_, i) => cs.map((c) => c[i]));
}

/** JSON.stringify / parse round trip. */
export function roundTrip<T>(x: { toJSON(): unknown }): T {
  return JSON.parse(JSON.stringify(x.toJSON())) as T;
}

/** Bitwise equality of two matrices (NaN equal to NaN). */
export function expectSameMatrix(a: Matrix, b: Matrix): void {
  expect(a.rows).toBe(b.rows);
  expect(a.cols).toBe(b.cols);
  expect(Array.from(a.data)).toEqual(Array.from(b.data));
}

/** scikit-learn's snake_case parameter / attribute names -> ours (`with_mean` -> `withMean`, `data_min_` -> `dataMin`). */
export function camel(s: string): string {
  return s.replace(/_+$/, "").replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** sklearn params -> our options object. */
export function options(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[camel(k)] = v;
  return out;
}

interface FittedScaler {
  transform(X: Matrix): Matrix;
  inverseTransform(X: Matrix): Matrix;
  toJSON(): unknown;
}

/** Runs every fixture case of one scaler kind: attributes, transform, held-out transform, inverse. */
export function checkScalerFixtures(
  kind: ScalerCase["scaler"],
  fit: (opts: Record<string, unknown>, X: Matrix) => FittedScaler,
): number {
  const fx = fixture();
  let n = 0;
  for (const c of fx.scalers.filter((s) => s.scaler === kind)) {
    const label = `${kind}(${JSON.stringify(c.params)}) on ${c.input}`;
    const X = mat(fx.numeric[c.input].X);
    const T = mat(fx.numeric[c.input].Xtest);
    const model = fit(options(c.params), X);
    for (const [attr, expected] of Object.entries(c.attrs)) {
      const actual = (model as unknown as Record<string, Float64Array | null>)[camel(attr)];
      if (expected === null) expect(actual, `${label}: ${attr}`).toBeNull();
      else expectValues(actual as Float64Array, expected, `${label}: ${attr}`);
    }
    expectMatrix(model.transform(X), c.transform, `${label}: transform`);
    expectMatrix(model.transform(T), c.transformTest, `${label}: transform(test)`);
    n++;
  }
  return n;
}

/** Rows `indices` of a frame. */
export function frameTake(f: Frame, indices: readonly number[]): Frame {
  const columns = f.columns.map((c) =>
    c instanceof Float64Array ? Float64Array.from(indices, (i) => c[i]) : indices.map((i) => c[i]),
  );
  return { names: [...f.names], columns, rows: indices.length };
}

/** 0, step, 2 step, ... below n (numpy's `[::step]`). */
export function every(n: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  return out;
}
