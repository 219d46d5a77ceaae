// Reference values: reference/categorical.py applies Gower's formula with numpy (vectorised over pairs);
// the small example is hand-computed.
import { describe, expect, it } from "vitest";
import { frame, gowerDistance, gowerDistanceTo } from "../../src/index.js";
import { categoricalFixture, maxDiffNaN, nullToNaN, toFrame } from "./helpers.js";

const fx = categoricalFixture();

// age range 10, size range 4.
const toy = frame({
  age: Float64Array.of(20, 30, Number.NaN, Number.NaN),
  color: ["red", "blue", "red", null],
  size: Float64Array.of(1, 1, 5, Number.NaN),
});

describe("gowerDistance hand-computed", () => {
  it("numeric range-normalised, categorical mismatch, missing features left out", () => {
    // d(0,1) = (1 + 1 + 0) / 3; d(0,2) = (0 + 1) / 2 (age missing); d(1,2) = (1 + 1) / 2;
    // row 3 is entirely missing: NaN against everything.
    const d = gowerDistance(toy);
    expect(maxDiffNaN(d, [2 / 3, 0.5, Number.NaN, 1, Number.NaN, Number.NaN])).toBeLessThanOrEqual(1e-15);
  });

  it("weights (array and record), ranges, categorical numeric columns", () => {
    // weights age 2: d(0,1) = (2*1 + 1 + 0) / 4.
    const w = gowerDistance(toy, { weights: [2, 1, 1] });
    expect(maxDiffNaN(w, [0.75, 0.5, Number.NaN, 1, Number.NaN, Number.NaN])).toBeLessThanOrEqual(1e-15);
    expect(Array.from(gowerDistance(toy, { weights: { age: 2 } }))).toEqual(Array.from(w));
    // range of age 20: d(0,1) = (0.5 + 1 + 0) / 3.
    expect(gowerDistance(toy, { ranges: { age: 20 } })[0]).toBeCloseTo(0.5, 15);
    // size compared by equality: d(0,2) = (0 + 1) / 2, d(0,1) = (1 + 1 + 0) / 3.
    const c = gowerDistance(toy, { categorical: ["color", "size"] });
    expect(c[0]).toBeCloseTo(2 / 3, 15);
    expect(c[1]).toBe(0.5);
    // a weight of 0 drops the column.
    expect(gowerDistance(toy, { weights: { color: 0 } })[0]).toBe(0.5);
  });

  it("a zero-range column contributes 0 but still counts", () => {
    const X = frame({ a: Float64Array.of(3, 3, 3), b: ["x", "y", "x"] });
    expect(Array.from(gowerDistance(X))).toEqual([0.5, 0, 0.5]);
  });

  it("gowerDistanceTo is a row of the square matrix", () => {
    const d = gowerDistance(toy);
    const r1 = gowerDistanceTo(toy, 1);
    expect(maxDiffNaN(r1, [d[0], 0, d[3], Number.NaN])).toBe(0);
  });

  it("names its errors", () => {
    expect(() => gowerDistance(toy, { weights: { weight: 1 } })).toThrow(/invalid column: "weight"/);
    expect(() => gowerDistance(toy, { weights: [1, -1, 1] })).toThrow(/invalid weights.color: -1/);
    expect(() => gowerDistance(toy, { weights: [1, 1] })).toThrow(/length 2, expected 3/);
    expect(() => gowerDistance(toy, { weights: [0, 0, 0] })).toThrow(/all zero/);
    expect(() => gowerDistance(toy, { categorical: ["colour"] })).toThrow(/invalid column: "colour"/);
    expect(() => gowerDistance(toy, { ranges: { color: 1 } })).toThrow(/categorical column/);
    expect(() => gowerDistanceTo(toy, 4)).toThrow(/invalid i: 4/);
  });
});

describe("gowerDistance vs numpy", () => {
  for (const g of fx.gower) {
    it(g.name, () => {
      const X = toFrame(g.frame);
      const d = gowerDistance(X, g.weights ? { weights: g.weights } : {});
      expect(d.length).toBe((X.rows * (X.rows - 1)) / 2);
      expect(maxDiffNaN(d, nullToNaN(g.condensed))).toBeLessThanOrEqual(1e-12);
    });
  }

  it("gowerDistanceTo on all penguins", () => {
    const X = toFrame(fx.gowerTo.frame);
    for (const [i, row] of Object.entries(fx.gowerTo.rows)) {
      expect(maxDiffNaN(gowerDistanceTo(X, Number(i)), nullToNaN(row))).toBeLessThanOrEqual(1e-12);
    }
  });
});
