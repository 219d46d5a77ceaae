import { describe, expect, it } from "vitest";
import { type KneedleOptions, kneedle, ValidationError } from "../../src/index.js";
import { loadFixture, maxAbsDiff } from "../fixtures.js";

// The reference values are NOT from a third-party package: kneed is not installed, so
// reference/pca.py contains our own Python re-implementation of Kneedle (Satopaa et al. 2011, kneed's
// offline defaults; numpy/scipy argrelextrema for the extrema). The curves and the hand-worked
// cases below (the paper's figure 2, a step) check the method independently of that code.
interface KneedleCase {
  name: string;
  x: number[];
  y: number[];
  options: { S: number; curve: "concave" | "convex"; direction: "increasing" | "decreasing"; online: boolean };
  expected: { index: number | null; allIndices: number[]; difference: number[] };
}
interface KSweepFixture {
  kSweep: {
    kneedleCases: KneedleCase[];
    inertiaCurves: Record<string, { ks: number[]; inertia: number[]; elbowIndex: number | null; elbow: number | null }>;
  };
}
const { kneedleCases, inertiaCurves } = loadFixture<KSweepFixture>("pca").kSweep;

describe("kneedle vs our Python reference (reference/pca.py)", () => {
  for (const c of kneedleCases) {
    it(c.name, () => {
      const options: KneedleOptions = {
        sensitivity: c.options.S,
        curve: c.options.curve,
        direction: c.options.direction,
        online: c.options.online,
      };
      const r = kneedle(c.x, c.y, options);
      expect(r.index).toBe(c.expected.index);
      expect(r.allIndices).toEqual(c.expected.allIndices);
      expect(maxAbsDiff(r.difference, c.expected.difference)).toBeLessThan(1e-15);
      if (r.index !== null) {
        expect(r.x).toBe(c.x[r.index]);
        expect(r.y).toBe(c.y[r.index]);
      } else {
        expect(r.x).toBeNull();
        expect(r.y).toBeNull();
      }
    });
  }
  for (const [name, curve] of Object.entries(inertiaCurves)) {
    it(`elbow of scikit-learn KMeans inertia on ${name}`, () => {
      const r = kneedle(curve.ks, curve.inertia, { curve: "convex", direction: "decreasing" });
      expect(r.index).toBe(curve.elbowIndex);
      expect(r.x).toBe(curve.elbow);
    });
  }
});

describe("kneedle hand-worked curves", () => {
  it("figure 2 of the paper: knee at x = 0.2222 (y = 1.8966)", () => {
    const x = Array.from({ length: 10 }, (_, i) => i / 9);
    const y = x.map((v) => -1 / (v + 0.1) + 5);
    const r = kneedle(x, y);
    expect(r.index).toBe(2);
    expect(r.x).toBeCloseTo(0.2222222222, 9);
    expect(r.y).toBeCloseTo(1.8965517241379306, 12);
  });

  it("an inertia-like elbow: 100, 40, 20, 15, 12, 10 at k = 1..6 → k = 3", () => {
    // Normalised: x = 0, .2, .4, .6, .8, 1; 1 - y = 0, .667, .889, .944, .978, 1;
    // difference = 0, .467, .489, .344, .178, 0 → maximum at index 2 (0.489), threshold 0.489 - 0.2
    // = 0.289; D[3] = 0.344 is above, D[4] = 0.178 is below → knee at index 2 (k = 3).
    const r = kneedle([1, 2, 3, 4, 5, 6], [100, 40, 20, 15, 12, 10], { curve: "convex", direction: "decreasing" });
    expect(r.index).toBe(2);
    expect(r.x).toBe(3);
    expect(Array.from(r.difference, (v) => Math.round(v * 1000) / 1000)).toEqual([0, 0.467, 0.489, 0.344, 0.178, 0]);
  });

  it("sensitivity: a larger S needs a deeper drop (here: none)", () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = [100, 40, 20, 15, 12, 10];
    // threshold 0.489 - S * 0.2 must exceed D[3..4] = .344, .178 → below for S = 1, not for S = 2.5
    expect(kneedle(x, y, { curve: "convex", direction: "decreasing", sensitivity: 2.5 }).index).toBeNull();
    expect(kneedle(x, y, { curve: "convex", direction: "decreasing", sensitivity: 0 }).index).toBe(2);
  });

  it("the four shapes find the same bend of mirrored curves", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const convexDec = x.map((v) => 1 / v);
    const k1 = kneedle(x, convexDec, { curve: "convex", direction: "decreasing" }).index;
    // mirror horizontally: convex increasing; the knee moves to the mirrored index
    const k2 = kneedle(x, [...convexDec].reverse(), { curve: "convex", direction: "increasing" }).index;
    // mirror vertically: concave increasing
    const k3 = kneedle(
      x,
      convexDec.map((v) => -v),
      { curve: "concave", direction: "increasing" },
    ).index;
    // both: concave decreasing
    const k4 = kneedle(
      x,
      [...convexDec].reverse().map((v) => -v),
      { curve: "concave", direction: "decreasing" },
    ).index;
    expect(k1).not.toBeNull();
    expect(k2).toBe(7 - k1!);
    expect(k3).toBe(k1);
    expect(k4).toBe(7 - k1!);
  });

  it("invariant to affine rescaling of x and y", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = x.map((v) => 200 / v + 3);
    const a = kneedle(x, y, { curve: "convex", direction: "decreasing" });
    const b = kneedle(
      x.map((v) => 10 * v - 4),
      y.map((v) => 0.01 * v + 7),
      { curve: "convex", direction: "decreasing" },
    );
    expect(b.index).toBe(a.index);
  });

  it("no knee: too few points, constant y, a straight line", () => {
    expect(kneedle([1, 2], [5, 1]).index).toBeNull();
    expect(kneedle([], []).index).toBeNull();
    expect(kneedle([1, 2, 3], [2, 2, 2]).index).toBeNull();
    expect(kneedle([1, 2, 3, 4, 5], [1, 3, 5, 7, 9]).index).toBeNull();
    expect(Array.from(kneedle([1, 2, 3], [2, 2, 2]).difference)).toEqual([0, 0, 0]);
  });
});

describe("kneedle errors name the value", () => {
  it("rejects bad input", () => {
    expect(() => kneedle([1, 2, 3], [1, 2])).toThrow(ValidationError);
    expect(() => kneedle([1, 2, 3], [1, 2])).toThrow("invalid y: length 2, expected 3 (same as x)");
    expect(() => kneedle([1, 3, 2], [1, 2, 3])).toThrow("invalid x: 2 at index 2 (x must be strictly increasing");
    expect(() => kneedle([1, 1, 2], [1, 2, 3])).toThrow("strictly increasing");
    expect(() => kneedle([1, 2, 3], [1, Number.NaN, 3])).toThrow("invalid y: NaN at index 1 (must be finite)");
    expect(() => kneedle([1, 2, 3], [1, 2, 3], { sensitivity: -1 })).toThrow("invalid sensitivity: -1");
    expect(() => kneedle([1, 2, 3], [1, 2, 3], { curve: "wavy" as "convex" })).toThrow(
      'invalid curve: "wavy" (must be one of "concave", "convex")',
    );
    expect(() => kneedle([1, 2, 3], [1, 2, 3], { direction: "up" as "increasing" })).toThrow('invalid direction: "up"');
  });
});
