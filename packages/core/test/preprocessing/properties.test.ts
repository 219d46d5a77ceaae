import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ColumnTransformer,
  type Frame,
  type Matrix,
  MaxAbsScaler,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
  silentLogger,
} from "../../src/index.js";

const COLS = 3;

/** Rows of numbers with some NaN (missing) and a permutation of their indices. */
const numericCase = fc
  .array(
    fc.array(fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constant(Number.NaN)), {
      minLength: COLS,
      maxLength: COLS,
    }),
    { minLength: 2, maxLength: 25 },
  )
  .chain((rows) =>
    fc.tuple(
      fc.constant(rows),
      fc.shuffledSubarray(
        rows.map((_, i) => i),
        { minLength: rows.length, maxLength: rows.length },
      ),
    ),
  );

/** Rows of categories (small alphabet, null = missing) and a permutation. */
const categoricalCase = fc
  .array(
    fc.array(fc.constantFrom("a", "b", "c", "d", null), {
      minLength: 2,
      maxLength: 2,
    }),
    { minLength: 2, maxLength: 25 },
  )
  .chain((rows) =>
    fc.tuple(
      fc.constant(rows),
      fc.shuffledSubarray(
        rows.map((_, i) => i),
        { minLength: rows.length, maxLength: rows.length },
      ),
    ),
  );

/** Output row r of `b` (fitted on permuted input) equals row perm[r] of `a`, up to summation-order rounding. */
function expectPermuted(a: Matrix, b: Matrix, perm: readonly number[], rtol: number): void {
  expect(b.rows).toBe(a.rows);
  expect(b.cols).toBe(a.cols);
  const c = a.cols;
  for (let r = 0; r < perm.length; r++) {
    for (let j = 0; j < c; j++) {
      const x = a.data[perm[r] * c + j];
      const y = b.data[r * c + j];
      if (Number.isNaN(x) || Number.isNaN(y)) {
        expect(Number.isNaN(x) && Number.isNaN(y), `row ${r} col ${j}: ${x} vs ${y}`).toBe(true);
      } else if (Math.abs(x - y) > rtol * Math.max(1, Math.abs(x))) {
        expect.fail(`row ${r} col ${j}: ${x} vs ${y}`);
      }
    }
  }
}

const numericTransformers: Array<[string, () => { fitTransform(X: number[][]): { output: Matrix } }, number]> = [
  ["StandardScaler", () => new StandardScaler(), 1e-9],
  ["MinMaxScaler", () => new MinMaxScaler({ featureRange: [-1, 2] }), 0],
  ["RobustScaler", () => new RobustScaler({ quantileRange: [10, 90], unitVariance: true }), 0],
  ["MaxAbsScaler", () => new MaxAbsScaler(), 0],
  ["SimpleImputer(mean)", () => new SimpleImputer({ logger: silentLogger }), 1e-12],
  ["SimpleImputer(median)", () => new SimpleImputer({ strategy: "median", logger: silentLogger }), 0],
  ["SimpleImputer(mostFrequent)", () => new SimpleImputer({ strategy: "mostFrequent", logger: silentLogger }), 0],
];

describe("permuting rows permutes outputs", () => {
  for (const [name, make, rtol] of numericTransformers) {
    it(name, () => {
      fc.assert(
        fc.property(numericCase, ([rows, perm]) => {
          const a = make().fitTransform(rows).output;
          const b = make().fitTransform(perm.map((i) => rows[i])).output;
          expectPermuted(a, b, perm, rtol);
        }),
        { seed: 20240601, numRuns: 100 },
      );
    });
  }

  it("OneHotEncoder and OrdinalEncoder", () => {
    fc.assert(
      fc.property(categoricalCase, ([rows, perm]) => {
        for (const make of [() => new OneHotEncoder(), () => new OrdinalEncoder()]) {
          const a = make().fitTransform(rows).output;
          const b = make().fitTransform(perm.map((i) => rows[i])).output;
          expectPermuted(a, b, perm, 0);
        }
      }),
      { seed: 20240602, numRuns: 100 },
    );
  });

  it("ColumnTransformer", () => {
    fc.assert(
      fc.property(numericCase, categoricalCase, ([num], [cat]) => {
        const n = Math.min(num.length, cat.length);
        const toFrame = (idx: number[]): Frame => ({
          names: ["x", "y", "c"],
          columns: [
            Float64Array.from(idx, (i) => num[i][0]),
            Float64Array.from(idx, (i) => num[i][1]),
            idx.map((i) => cat[i][0]),
          ],
          rows: idx.length,
        });
        const ids = Array.from({ length: n }, (_, i) => i);
        const perm = [...ids].reverse();
        const make = () =>
          new ColumnTransformer({
            transformers: [
              { name: "num", transformer: new RobustScaler(), columns: ["x"] },
              { name: "cat", transformer: new OneHotEncoder(), columns: ["c"] },
            ],
            remainder: "passthrough",
          });
        const a = make().fitTransform(toFrame(ids)).output;
        const b = make().fitTransform(toFrame(perm)).output;
        expectPermuted(a, b, perm, 0);
      }),
      { seed: 20240603, numRuns: 50 },
    );
  });
});
