// Reference values: reference/categorical.py, a pure-Python re-implementation of the `kmodes` package's
// k-prototypes (de Vos, 0.12; the package is not installable here) with Clusterlab's Random ported, so
// seeded runs are compared too. The toy cases are hand-computed.
import { describe, expect, it } from "vitest";
import {
  frame,
  KPrototypes,
  type KPrototypesInitPrototypes,
  KPrototypesModel,
  memoryLogger,
  modelFromJSON,
  StandardScaler,
} from "../../src/index.js";
import { closeTo, maxAbsDiff } from "../fixtures.js";
import { categoricalFixture, toFrame } from "./helpers.js";

const fx = categoricalFixture();

describe("KPrototypes vs the kmodes reference", () => {
  let worst = 0;
  for (const c of fx.kprototypes) {
    it(c.name, () => {
      const X = toFrame(fx.datasets[c.dataset]);
      const init = typeof c.init === "string" ? (c.init as "cao") : (c.init as KPrototypesInitPrototypes);
      const model = new KPrototypes({
        nClusters: c.k,
        init,
        nInit: c.nInit,
        maxIter: c.maxIter,
        seed: c.seed,
        gamma: c.gammaOption ?? undefined,
        logger: memoryLogger(),
      }).fit(X);
      expect(model.gamma).toBe(c.gamma);
      expect(Array.from(model.labels)).toEqual(c.labels);
      expect(model.clusterCentroids.categorical).toEqual(c.categoricalCentroids);
      const num = model.clusterCentroids.numeric;
      expect([num.rows, num.cols]).toEqual([c.kUsed, c.numericCentroids[0].length]);
      const d = maxAbsDiff(num.data, c.numericCentroids.flat());
      worst = Math.max(worst, d);
      expect(d).toBeLessThanOrEqual(1e-12);
      expect(closeTo(model.cost, c.cost, 1e-12)).toBe(true);
      expect(model.nIter).toBe(c.nIter);
      expect(model.epochCosts.length).toBe(c.epochCosts.length);
      for (let i = 0; i < c.epochCosts.length; i++)
        expect(closeTo(model.epochCosts[i], c.epochCosts[i], 1e-12)).toBe(true);
    });
  }
  it("agreement summary", () => {
    // All centroids agree to the last bit with the reference (same operations in the same order).
    expect(worst).toBe(0);
  });

  it("default gamma equals kmodes' 0.5 * np.mean(Xnum.std(axis=0))", () => {
    for (const [name, g] of Object.entries(fx.gammaNumpy)) {
      const m = new KPrototypes({ nClusters: 2, nInit: 1, maxIter: 1 }).fit(toFrame(fx.datasets[name]));
      expect(closeTo(m.gamma, g, 1e-12)).toBe(true);
    }
  });
});

describe("KPrototypes hand-computed", () => {
  it("explicit prototypes, two moves in the first pass", () => {
    // x = [0, 2, 3, 10], c = [p, q, q, q], gamma 1, prototypes (0, p), (3, q).
    // Assignment: r0 -> 0; r1: 4+1 vs 1 -> 1; r2 -> 1; r3: 101 vs 49 -> 1. Update: (0, p), (5, q).
    // Cost: 0 + min(5, 9) + min(10, 4) + min(101, 25) = 34.
    // Pass 1: r1 moves to 0 (5 < 9): means 1, 6.5; mode 0 stays p (1:1 tie keeps the current mode).
    // r2: 4+1 = 5 < 12.25 -> moves to 0: means 5/3, 10; mode 0 becomes q (2:1). r3 stays.
    // Cost: (25/9 + 1) + 1/9 + 16/9 + 0 = 51/9. Pass 2: no move.
    const X = frame({ x: Float64Array.of(0, 2, 3, 10), c: ["p", "q", "q", "q"] });
    const m = new KPrototypes({ gamma: 1, init: { numeric: [[0], [3]], categorical: [["p"], ["q"]] } }).fit(X);
    expect(Array.from(m.labels)).toEqual([0, 0, 0, 1]);
    expect(Array.from(m.clusterCentroids.numeric.data)).toEqual([5 / 3, 10]);
    expect(m.clusterCentroids.categorical).toEqual([["q"], ["q"]]);
    expect(closeTo(m.cost, 51 / 9, 1e-15)).toBe(true);
    expect(m.nIter).toBe(2);
    expect(m.epochCosts[0]).toBe(34);
    expect(m.numericColumns).toEqual(["x"]);
    expect(m.categoricalColumns).toEqual(["c"]);
  });

  it("default gamma: half the mean population standard deviation", () => {
    // std of [0, 1, 10, 11] = sqrt(25.25); of [2, 2, 2, 6] = sqrt(3).
    const X = frame({ a: Float64Array.of(0, 1, 10, 11), b: Float64Array.of(2, 2, 2, 6), c: ["p", "p", "q", "q"] });
    const m = new KPrototypes({ nClusters: 2, nInit: 1 }).fit(X);
    expect(closeTo(m.gamma, 0.5 * ((Math.sqrt(25.25) + Math.sqrt(3)) / 2), 1e-15)).toBe(true);
  });
});

describe("KPrototypes behaviour", () => {
  const penguins = toFrame(fx.datasets.penguinsMixed);

  it("same seed, same result; predict reproduces the labels; JSON round trip", () => {
    const a = new KPrototypes({ nClusters: 3, init: "huang", nInit: 2, seed: 4 }).fit(penguins);
    const b = new KPrototypes({ nClusters: 3, init: "huang", nInit: 2, seed: 4 }).fit(penguins);
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(Array.from(a.predict(penguins))).toEqual(Array.from(a.labels));
    const back = modelFromJSON<KPrototypesModel>(JSON.parse(JSON.stringify(a)));
    expect(back).toBeInstanceOf(KPrototypesModel);
    expect(back.toJSON()).toEqual(a.toJSON());
    expect(Array.from(back.predict(penguins))).toEqual(Array.from(a.labels));
    expect(a.nFeaturesIn).toBe(7);
  });

  it("numeric columns scaled with StandardScaler give the reference's standardised result", () => {
    // tipsRaw holds the unscaled columns; the reference standardised them with numpy for tipsMixed.
    const raw = toFrame(fx.datasets.tipsRaw);
    const numeric = ["total_bill", "tip", "size"];
    const rows = toRowsOf(raw, numeric);
    const Z = new StandardScaler().fit(rows).transform(rows);
    const cols: Record<string, Float64Array | (string | null)[]> = {};
    numeric.forEach((nm, j) => {
      cols[nm] = Float64Array.from({ length: Z.rows }, (_, i) => Z.data[i * Z.cols + j]);
    });
    for (const nm of ["sex", "smoker", "day", "time"]) cols[nm] = raw.columns[raw.names.indexOf(nm)] as string[];
    const scaled = frame(cols);
    const ref = toFrame(fx.datasets.tipsMixed);
    numeric.forEach((nm) => {
      expect(
        maxAbsDiff(
          scaled.columns[scaled.names.indexOf(nm)] as Float64Array,
          ref.columns[ref.names.indexOf(nm)] as Float64Array,
        ),
      ).toBeLessThan(1e-12);
    });
    const c = fx.kprototypes.find((x) => x.name === "tipsMixed-k3-rows");
    if (!c) throw new Error("missing case");
    const m = new KPrototypes({ init: c.init as KPrototypesInitPrototypes }).fit(scaled);
    expect(Array.from(m.labels)).toEqual(c.labels);
    expect(closeTo(m.cost, c.cost, 1e-9)).toBe(true);
  });

  it("names its errors", () => {
    const X = frame({ x: Float64Array.of(1, Number.NaN, 3), c: ["a", "b", "a"] });
    expect(() => new KPrototypes({ nClusters: 2 }).fit(X)).toThrow(
      /missing value \(NaN\) in numeric column "x" at row 1/,
    );
    const Y = frame({ x: Float64Array.of(1, 2, 3), c: ["a", "b", "a"], s: ["u", "v", "u"] });
    expect(() => new KPrototypes({ nClusters: 4 }).fit(Y)).toThrow(/invalid nClusters: 4/);
    expect(() => new KPrototypes({ nClusters: 2, categorical: ["c", "zz"] }).fit(Y)).toThrow(/invalid column: "zz"/);
    expect(() => new KPrototypes({ nClusters: 2, categorical: ["c"] }).fit(Y)).toThrow(
      /column "s" holds strings but is not named in `categorical`/,
    );
    expect(() => new KPrototypes({ nClusters: 2, categorical: ["x", "c", "s"] }).fit(Y)).toThrow(/no numeric columns/);
    expect(() => new KPrototypes({ nClusters: 2 }).fit(frame({ x: Float64Array.of(1, 2) }))).toThrow(
      /no categorical columns/,
    );
    expect(() => new KPrototypes({ nClusters: 2, gamma: -1 }).fit(Y)).toThrow(/invalid gamma: -1/);
    expect(() =>
      new KPrototypes({
        init: {
          numeric: [[1], [2]],
          categorical: [
            ["a", "u"],
            ["b", "w"],
          ],
        },
      }).fit(Y),
    ).toThrow(/"w" at row 1, column s is not a category/);
    const m = new KPrototypes({ nClusters: 2, nInit: 1 }).fit(Y);
    expect(() => m.predict(frame({ x: Float64Array.of(1), c: ["a"] }))).toThrow(/invalid column: "s"/);
  });
});

function toRowsOf(f: ReturnType<typeof toFrame>, names: string[]): number[][] {
  const cols = names.map((nm) => f.columns[f.names.indexOf(nm)] as Float64Array);
  return Array.from({ length: f.rows }, (_, i) => cols.map((c) => c[i]));
}
