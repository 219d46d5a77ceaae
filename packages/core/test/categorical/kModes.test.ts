// Reference values: reference/categorical.py, a pure-Python re-implementation of the `kmodes` package
// (de Vos, 0.12; the package itself is not installable here) with Clusterlab's Random ported, so that
// seeded runs ("huang", "random", empty-cluster repairs) are compared too. Toy cases are hand-computed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adjustedRandScore,
  type CategoricalCodes,
  encodeCategories,
  type Frame,
  frame,
  KModes,
  KModesModel,
  memoryLogger,
  modelFromJSON,
  Random,
  silentLogger,
} from "../../src/index.js";
import { closeTo, samePartition } from "../fixtures.js";
import { categoricalFixture, toFrame } from "./helpers.js";

const fx = categoricalFixture();

describe("Random port used by the reference", () => {
  it("reproduces Clusterlab's Random stream", () => {
    const r = fx.randomCheck;
    const rng = new Random(r.seed);
    expect(r.uint32.map(() => rng.uint32())).toEqual(r.uint32);
    expect(r.int7.map(() => rng.int(7))).toEqual(r.int7);
    expect(r.float.map(() => rng.float())).toEqual(r.float);
    const normals = r.normal.map(() => rng.normal());
    for (let i = 0; i < normals.length; i++) expect(closeTo(normals[i], r.normal[i], 1e-14, 1e-15)).toBe(true);
  });
});

describe("KModes vs the kmodes reference", () => {
  for (const c of fx.kmodes) {
    it(c.name, () => {
      const X = toFrame(fx.datasets[c.dataset]);
      const log = memoryLogger();
      const model = new KModes({
        nClusters: c.k,
        init: c.init as "huang",
        nInit: c.nInit,
        maxIter: c.maxIter,
        seed: c.seed,
        logger: log,
      }).fit(X);
      expect(Array.from(model.labels)).toEqual(c.labels);
      expect(model.clusterCentroids).toEqual(c.modes);
      expect(model.cost).toBe(c.cost);
      expect(model.nIter).toBe(c.nIter);
      expect(Array.from(model.epochCosts)).toEqual(c.epochCosts);
      expect(model.nClusters).toBe(c.modes.length);
    });
  }

  it("warns when there are fewer distinct rows than clusters", () => {
    const log = memoryLogger();
    const model = new KModes({ nClusters: 25, logger: log }).fit(toFrame(fx.datasets.tipsCat));
    expect(model.nClusters).toBe(20);
    expect(model.cost).toBe(0);
    expect(log.messages.some((m) => m.includes("only 20 distinct rows"))).toBe(true);
  });
});

// Six rows, two columns. Categories: c0 [a, b], c1 [x, y, z].
const toy = frame({ c0: ["a", "a", "a", "b", "b", "b"], c1: ["x", "y", "x", "y", "z", "y"] });

describe("KModes hand-computed", () => {
  it("explicit modes: ties go to the first mode, converges in one pass", () => {
    // Assignment: r1 (a,y) is 1 from both modes -> mode 0. Modes stay (a,x), (b,y); cost 1 + 1.
    const m = new KModes({
      init: [
        ["a", "x"],
        ["b", "y"],
      ],
    }).fit(toy);
    expect(Array.from(m.labels)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(m.clusterCentroids).toEqual([
      ["a", "x"],
      ["b", "y"],
    ]);
    expect(m.cost).toBe(2);
    expect(m.nIter).toBe(1);
    expect(Array.from(m.epochCosts)).toEqual([2, 2]);
  });

  it("Cao's initialisation", () => {
    // density (freq/n/p summed): r0 5/12, r1 1/2, r2 5/12, r3 1/2, r4 1/3, r5 1/2 -> first mode r1 (a,y).
    // min dissim x density: r0 5/12, r1 0, r2 5/12, r3 1/2, r4 2/3, r5 1/2 -> second mode r4 (b,z).
    // r3 (b,y) is 1 from both -> cluster 0 = {r0,r1,r2,r3,r5}: mode (a, y) (a 3:2, y 3:2); cost 4.
    const m = new KModes({ nClusters: 2 }).fit(toy);
    expect(Array.from(m.labels)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(m.clusterCentroids).toEqual([
      ["a", "y"],
      ["b", "z"],
    ]);
    expect(m.cost).toBe(4);
    expect(m.nIter).toBe(1);
  });

  it("a missing value is a category of its own", () => {
    const X = frame({ c: ["a", null, null, "b", null, "a"] });
    const m = new KModes({ nClusters: 2, init: [["a"], [null]] }).fit(X);
    expect(Array.from(m.labels)).toEqual([0, 1, 1, 0, 1, 0]);
    expect(m.clusterCentroids).toEqual([["a"], [null]]);
    expect(m.categories).toEqual([[null, "a", "b"]]);
    expect(Array.from(m.predict(frame({ c: [null, "a", "zzz"] })))).toEqual([1, 0, 0]);
  });

  it("k = 1 gives the column modes, ties to the smallest category", () => {
    const X = frame({ u: ["q", "p", "q", "p"], v: ["m", "m", "n", "m"] });
    const m = new KModes({ nClusters: 1 }).fit(X);
    expect(m.clusterCentroids).toEqual([["p", "m"]]);
    expect(m.cost).toBe(3);
  });
});

describe("KModes behaviour", () => {
  const planted = fx.datasets.plantedCat;
  const plantedFrame = toFrame(planted);

  it("recovers planted clusters (ARI = 1) with every initialisation", () => {
    for (const init of ["cao", "huang", "random"] as const) {
      const m = new KModes({ nClusters: 3, init, seed: 1 }).fit(plantedFrame);
      expect(adjustedRandScore(planted.labelsTrue as number[], m.labels)).toBe(1);
    }
  });

  it("same seed, same result; runs are independent of other options' defaults", () => {
    const X = toFrame(fx.datasets.penguinsCat);
    const a = new KModes({ nClusters: 4, init: "huang", nInit: 3, seed: 11 }).fit(X);
    const b = new KModes({ nClusters: 4, init: "huang", nInit: 3, seed: 11 }).fit(X);
    expect(a.toJSON()).toEqual(b.toJSON());
  });

  it("Frame input and CategoricalCodes input give the same model", () => {
    const coded = encodeCategories(plantedFrame);
    for (const init of ["cao", "huang"] as const) {
      const a = new KModes({ nClusters: 4, init, seed: 2 }).fit(plantedFrame);
      const b = new KModes({ nClusters: 4, init, seed: 2 }).fit(coded);
      expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
      expect(b.clusterCentroids).toEqual(a.clusterCentroids);
      expect(b.cost).toBe(a.cost);
      expect(Array.from(b.predict(coded))).toEqual(Array.from(a.predict(plantedFrame)));
    }
  });

  it("CategoricalCodes: the given codes decide ties (smallest code wins)", () => {
    const X: CategoricalCodes = { codes: Int32Array.of(1, 0, 1, 0), rows: 4, categories: [["zeta", "alpha"]] };
    expect(new KModes({ nClusters: 1 }).fit(X).clusterCentroids).toEqual([["zeta"]]);
  });

  it("predict on the training data gives the labels; JSON round trip", () => {
    const X = toFrame(fx.datasets.tipsCat);
    const m = new KModes({ nClusters: 4, init: "huang", nInit: 2, seed: 5 }).fit(X);
    expect(Array.from(m.predict(X))).toEqual(Array.from(m.labels));
    const back = modelFromJSON<KModesModel>(JSON.parse(JSON.stringify(m)));
    expect(back).toBeInstanceOf(KModesModel);
    expect(back.toJSON()).toEqual(m.toJSON());
    expect(Array.from(back.predict(X))).toEqual(Array.from(m.labels));
    expect(m.nFeaturesIn).toBe(4);
    const d = m.transform(X);
    expect([d.rows, d.cols]).toEqual([X.rows, 4]);
    expect(d.data[m.labels[0]]).toBe(Math.min(...Array.from(d.data.subarray(0, 4))));
  });

  it("skips numeric columns by default (warning), uses them when named", () => {
    const X = frame({ s: ["a", "b", "a", "b"], y: Float64Array.of(1, 2, 1, 3) });
    const log = memoryLogger();
    const m = new KModes({ nClusters: 2, logger: log }).fit(X);
    expect(m.columns).toEqual(["s"]);
    expect(log.messages[0]).toMatch(/ignoring numeric column\(s\) y/);
    const m2 = new KModes({ nClusters: 2, columns: ["s", "y"], logger: silentLogger }).fit(X);
    expect(m2.categories).toEqual([
      ["a", "b"],
      ["1", "2", "3"],
    ]);
  });

  it("names its errors", () => {
    const X = toFrame(fx.datasets.tipsCat);
    expect(() => new KModes({ nClusters: 245 }).fit(X)).toThrow(/invalid nClusters: 245/);
    expect(() => new KModes({ nClusters: 0 }).fit(X)).toThrow(/invalid nClusters: 0/);
    expect(() => new KModes({ columns: ["sex", "nope"] }).fit(X)).toThrow(/invalid column: "nope"/);
    expect(() => new KModes({ init: "kmeans++" as "cao" }).fit(X)).toThrow(/invalid init: "kmeans\+\+"/);
    expect(() => new KModes({ init: [["Male", "No", "Mon", "Dinner"]] }).fit(X)).toThrow(
      /"Mon" at row 0, column day is not a category/,
    );
    expect(() => new KModes({ nClusters: 3, init: [["Male", "No", "Sun", "Dinner"]] }).fit(X)).toThrow(
      /1 modes, expected nClusters = 3/,
    );
    expect(() => new KModes({ maxIter: 0 }).fit(X)).toThrow(/invalid maxIter: 0/);
    expect(() => new KModes().fit(frame({ x: Float64Array.of(1, 2) }))).toThrow(/no string columns/);
    const bad: CategoricalCodes = { codes: Int32Array.of(0, 2), rows: 2, categories: [["a", "b"]] };
    expect(() => new KModes({ nClusters: 1 }).fit(bad)).toThrow(/code 2 at row 1, column 0/);
  });
});

describe("KModes properties", () => {
  /** Small categorical data sets: n rows, p columns, up to 4 categories per column. */
  const dataArb = fc
    .record({
      n: fc.integer({ min: 4, max: 24 }),
      p: fc.integer({ min: 1, max: 4 }),
      k: fc.integer({ min: 1, max: 4 }),
      seed: fc.integer({ min: 0, max: 1000 }),
      init: fc.constantFrom("cao" as const, "huang" as const, "random" as const),
    })
    .chain((s) =>
      fc.record({
        s: fc.constant(s),
        cells: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: s.n, maxLength: s.n }), {
          minLength: s.p,
          maxLength: s.p,
        }),
        perms: fc.array(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), {
          minLength: s.p,
          maxLength: s.p,
        }),
      }),
    );

  const build = (cells: number[][], name: (j: number, v: number) => string): Frame => {
    const cols: Record<string, string[]> = {};
    cells.forEach((col, j) => {
      cols[`c${j}`] = col.map((v) => name(j, v));
    });
    return frame(cols);
  };

  it("renaming categories leaves the result unchanged (appearance order: any renaming)", () => {
    fc.assert(
      fc.property(dataArb, ({ s, cells, perms }) => {
        const base = build(cells, (_, v) => `v${v}`);
        const renamed = build(cells, (j, v) => `w${perms[j][v]}${"xyz"[v % 3]}`);
        const opts = { nClusters: Math.min(s.k, s.n), init: s.init, seed: s.seed, nInit: 2, logger: silentLogger };
        const a = new KModes({ ...opts, categoryOrder: "appearance" }).fit(base);
        const b = new KModes({ ...opts, categoryOrder: "appearance" }).fit(renamed);
        expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
        expect(b.cost).toBe(a.cost);
        expect(b.nIter).toBe(a.nIter);
        const rename = (j: number, x: string | null) => {
          const v = Number((x as string).slice(1));
          return `w${perms[j][v]}${"xyz"[v % 3]}`;
        };
        expect(b.clusterCentroids).toEqual(a.clusterCentroids.map((r) => r.map((x, j) => rename(j, x))));
      }),
      { seed: 20240611, numRuns: 60 },
    );
  });

  it("order-preserving renaming leaves the result unchanged (sorted order); any renaming keeps the partition on planted data", () => {
    fc.assert(
      fc.property(dataArb, ({ s, cells, perms }) => {
        const base = build(cells, (_, v) => `v${v}`);
        // v0 < v1 < v2 < v3 maps to strings in the same order.
        const renamed = build(cells, (j, v) => `${String.fromCharCode(65 + v)}-${perms[j][v]}`);
        const opts = { nClusters: Math.min(s.k, s.n), init: s.init, seed: s.seed, logger: silentLogger };
        const a = new KModes(opts).fit(base);
        const b = new KModes(opts).fit(renamed);
        expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
        expect(b.cost).toBe(a.cost);
      }),
      { seed: 7, numRuns: 60 },
    );
    const planted = fx.datasets.plantedCat;
    const names = planted.columns.map((c) => [...new Set(c as string[])]);
    fc.assert(
      fc.property(
        fc.array(fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }), {
          minLength: names.length,
          maxLength: names.length,
        }),
        (perms) => {
          const cols: Record<string, string[]> = {};
          planted.columns.forEach((c, j) => {
            cols[planted.names[j]] = (c as string[]).map((x) => `r${perms[j][names[j].indexOf(x)]}`);
          });
          const a = new KModes({ nClusters: 3 }).fit(toFrame(planted));
          const b = new KModes({ nClusters: 3 }).fit(frame(cols));
          expect(samePartition(a.labels, b.labels)).toBe(true);
        },
      ),
      { seed: 3, numRuns: 15 },
    );
  });
});
