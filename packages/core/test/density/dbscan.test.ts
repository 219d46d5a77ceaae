import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DBSCAN,
  type DBSCANAlgorithm,
  DBSCANModel,
  type Matrix,
  matrix,
  modelFromJSON,
  Random,
  takeRows,
} from "../../src/index.js";
import { samePartition } from "../fixtures.js";
import { loadDensityFixture } from "./densityFixture.js";

const f = loadDensityFixture();

function algorithmsFor(X: Matrix, metric: string): DBSCANAlgorithm[] {
  if (metric === "cosine") return ["auto", "brute"];
  return X.cols <= 3 ? ["auto", "grid", "kdtree", "brute"] : ["auto", "kdtree", "brute"];
}

describe("DBSCAN against scikit-learn", () => {
  it("covers the datasets, metrics and weights of the fixture", () => {
    const datasets = new Set(f.dbscan.map((c) => c.dataset));
    expect(datasets.size).toBeGreaterThanOrEqual(14);
    expect(f.dbscan.filter((c) => c.metric === "manhattan").length).toBeGreaterThanOrEqual(3);
    expect(f.dbscan.filter((c) => c.metric === "cosine").length).toBeGreaterThanOrEqual(3);
    expect(f.dbscan.filter((c) => c.sampleWeight).length).toBeGreaterThanOrEqual(3);
  });

  for (const c of f.dbscan) {
    const X = f.data[c.dataset];
    const name = `${c.dataset} eps=${c.eps.toPrecision(4)} minSamples=${c.minSamples} ${c.metric}${c.sampleWeight ? " weighted" : ""}`;
    it(`${name}: labels and core samples equal exactly (every algorithm)`, () => {
      for (const algorithm of algorithmsFor(X, c.metric)) {
        const model = new DBSCAN({ eps: c.eps, minSamples: c.minSamples, metric: c.metric, algorithm }).fit(X, {
          sampleWeight: c.sampleWeight,
        });
        expect(Array.from(model.labels), algorithm).toEqual(c.labels);
        expect(Array.from(model.coreSampleIndices), algorithm).toEqual(c.coreSampleIndices);
        expect(model.nClusters).toBe(c.nClusters);
        expect(model.components.rows).toBe(c.coreSampleIndices.length);
      }
    });
  }
});

/** Random low-dimensional data with clumps, duplicates and points on lattice distances. */
function clumpy(rng: Random, n: number, d: number): Matrix {
  const data = new Float64Array(n * d);
  const centres = Array.from({ length: 3 }, () => Array.from({ length: d }, () => rng.float() * 6));
  for (let i = 0; i < n; i++) {
    const c = centres[rng.int(3)];
    for (let t = 0; t < d; t++) {
      data[i * d + t] = rng.float() < 0.3 ? Math.round(c[t] * 2) / 2 : c[t] + rng.normal() * 0.6;
    }
  }
  for (let i = 3; i < n; i += 9) data.copyWithin(i * d, (i - 3) * d, (i - 2) * d);
  return matrix(n, d, data);
}

describe("DBSCAN properties", () => {
  it("grid, k-d tree and brute force agree exactly (d = 1..3, weights, both Minkowski metrics)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 160 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom("euclidean" as const, "manhattan" as const),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (n, d, eps, minSamples, metric, weighted, seed) => {
          const rng = new Random(seed);
          const X = clumpy(rng, n, d);
          const sampleWeight = weighted ? Array.from({ length: n }, () => rng.int(4) * 0.75) : undefined;
          if (sampleWeight) sampleWeight[0] = 1;
          const runs = (["grid", "kdtree", "brute"] as const).map((algorithm) =>
            new DBSCAN({ eps, minSamples, metric, algorithm, leafSize: 4 }).fit(X, { sampleWeight }),
          );
          for (const m of runs.slice(1)) {
            expect(Array.from(m.labels)).toEqual(Array.from(runs[0].labels));
            expect(Array.from(m.coreSampleIndices)).toEqual(Array.from(runs[0].coreSampleIndices));
          }
        },
      ),
      { seed: 11, numRuns: 150 },
    );
  });

  // Permuting rows keeps the core samples, their partition into clusters and the noise set. A border
  // sample within eps of cores of two clusters goes to the lower-numbered one, and numbers follow row
  // order, so border samples may legitimately change cluster.
  it("permuting rows keeps core samples, their partition and the noise set", () => {
    const sets = [
      { name: "moons", eps: 0.09, minSamples: 5 },
      { name: "noisyBlobs", eps: 0.35, minSamples: 6 },
      { name: "duplicates", eps: 1, minSamples: 6 },
      { name: "aniso", eps: 0.25, minSamples: 4 },
    ];
    fc.assert(
      fc.property(fc.constantFrom(...sets), fc.integer({ min: 0, max: 1e6 }), (set, seed) => {
        const X = f.data[set.name];
        const perm = new Random(seed).shuffle(Int32Array.from({ length: X.rows }, (_, i) => i));
        const a = new DBSCAN({ eps: set.eps, minSamples: set.minSamples }).fit(X);
        const b = new DBSCAN({ eps: set.eps, minSamples: set.minSamples }).fit(takeRows(X, perm));
        // b's row r is a's row perm[r]
        const coreA = new Set(a.coreSampleIndices);
        const coreB = new Set(Array.from(b.coreSampleIndices, (r) => perm[r]));
        expect([...coreB].sort((x, y) => x - y)).toEqual([...coreA].sort((x, y) => x - y));
        const labelsB = new Int32Array(X.rows);
        for (let r = 0; r < X.rows; r++) labelsB[perm[r]] = b.labels[r];
        const cores = [...coreA];
        expect(
          samePartition(
            cores.map((i) => a.labels[i]),
            cores.map((i) => labelsB[i]),
          ),
        ).toBe(true);
        for (let i = 0; i < X.rows; i++) expect(labelsB[i] === -1).toBe(a.labels[i] === -1);
      }),
      { seed: 5, numRuns: 40 },
    );
  });

  it("a sample weight of w counts like w copies of the row", () => {
    const rng = new Random(8);
    const X = clumpy(rng, 120, 2);
    const w = Array.from({ length: 120 }, () => rng.int(3));
    w[0] = 1;
    const rows: number[] = [];
    w.forEach((k, i) => {
      for (let c = 0; c < k; c++) rows.push(i);
    });
    const weighted = new DBSCAN({ eps: 0.4, minSamples: 6 }).fit(X, { sampleWeight: w });
    const copies = new DBSCAN({ eps: 0.4, minSamples: 6 }).fit(takeRows(X, rows));
    const coreCopies = new Set(Array.from(copies.coreSampleIndices, (r) => rows[r]));
    // a row is core in both or in neither (a weight-0 row can still be core through its neighbours)
    for (let i = 0; i < 120; i++) {
      if (w[i] > 0) expect(coreCopies.has(i)).toBe(weighted.coreSampleIndices.includes(i));
    }
  });

  it("treats eps as inclusive and counts the row itself", () => {
    const X = [[0], [1], [2], [10]];
    const m = new DBSCAN({ eps: 1, minSamples: 3 }).fit(X);
    expect(Array.from(m.labels)).toEqual([0, 0, 0, -1]);
    expect(Array.from(m.coreSampleIndices)).toEqual([1]);
    expect(Array.from(new DBSCAN({ eps: 1, minSamples: 1 }).fit(X).labels)).toEqual([0, 0, 0, 1]);
  });
});

describe("DBSCANModel", () => {
  const X = f.data.noisyBlobs;
  const model = new DBSCAN({ eps: 0.4, minSamples: 6 }).fit(X);

  it("predicts the cluster of the nearest core sample within eps, else noise", () => {
    const labels = model.predict(model.components);
    expect(Array.from(labels)).toEqual(Array.from(model.coreSampleIndices, (i) => model.labels[i]));
    expect(Array.from(model.predict([[100, 100]]))).toEqual([-1]);
    // within eps of both clusters: the nearest core sample decides, not the lower cluster number
    const two = new DBSCAN({ eps: 2.5, minSamples: 2 }).fit([[0], [1], [5], [6]]);
    expect(Array.from(two.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(two.predict([[3.2], [2.9], [-3], [9]]))).toEqual([1, 0, -1, -1]);
    const cos = new DBSCAN({ eps: 0.01, minSamples: 2, metric: "cosine" }).fit([
      [1, 0],
      [2, 0.01],
      [0, 1],
      [0.01, 3],
    ]);
    expect(Array.from(cos.labels)).toEqual([0, 0, 1, 1]);
    expect(
      Array.from(
        cos.predict([
          [5, 0],
          [0, 2],
          [1, 1],
        ]),
      ),
    ).toEqual([0, 1, -1]);
  });

  it("round-trips through JSON", () => {
    const json = JSON.parse(JSON.stringify(model));
    expect(json.type).toBe("DBSCANModel");
    const back = modelFromJSON<DBSCANModel>(json);
    expect(back).toBeInstanceOf(DBSCANModel);
    expect(Array.from(back.labels)).toEqual(Array.from(model.labels));
    expect(Array.from(back.coreSampleIndices)).toEqual(Array.from(model.coreSampleIndices));
    expect(back.nClusters).toBe(model.nClusters);
    expect(Array.from(back.predict(X))).toEqual(Array.from(model.predict(X)));
    const empty = new DBSCAN({ eps: 0.1, minSamples: 3 }).fit([[0], [5]]);
    const emptyBack = modelFromJSON<DBSCANModel>(JSON.parse(JSON.stringify(empty)));
    expect(emptyBack.components.rows).toBe(0);
    expect(Array.from(emptyBack.predict([[0]]))).toEqual([-1]);
    expect(() => DBSCANModel.fromJSON({ ...json, version: 2 })).toThrow("invalid model JSON");
  });

  it("names invalid options and data", () => {
    const Y = [
      [0, 0],
      [1, 1],
    ];
    expect(() => new DBSCAN({ eps: 0 }).fit(Y)).toThrow("invalid eps: 0 (must be a finite number > 0)");
    expect(() => new DBSCAN({ eps: -1 }).fit(Y)).toThrow("invalid eps: -1");
    expect(() => new DBSCAN({ minSamples: 0 }).fit(Y)).toThrow("invalid minSamples: 0 (must be an integer >= 1)");
    expect(() => new DBSCAN({ minSamples: 2.5 }).fit(Y)).toThrow("invalid minSamples: 2.5");
    expect(() => new DBSCAN({ metric: "l3" as "cosine" }).fit(Y)).toThrow('invalid metric: "l3"');
    expect(() => new DBSCAN({ algorithm: "ball" as "grid" }).fit(Y)).toThrow('invalid algorithm: "ball"');
    expect(() => new DBSCAN({ algorithm: "grid" }).fit([[1, 2, 3, 4]])).toThrow(
      'invalid algorithm: "grid" (the grid needs at most 3 features; X has 4)',
    );
    expect(() => new DBSCAN({ algorithm: "kdtree", metric: "cosine" }).fit(Y)).toThrow('invalid algorithm: "kdtree"');
    expect(() => new DBSCAN().fit(Y, { sampleWeight: [1] })).toThrow("invalid sampleWeight: length 1, expected 2");
    expect(() => new DBSCAN().fit([[0, Number.NaN]])).toThrow("invalid X: NaN at row 0, column 1");
    expect(() => model.predict([[1, 2, 3]])).toThrow("invalid X: 3 features, expected 2");
  });

  it("falls back to the k-d tree when the grid would be too large", () => {
    const Y = [
      [0, 0],
      [1e7, 1e7],
      [1e-6, 0],
      [1e7, 1e7 + 1e-6],
    ];
    const grid = new DBSCAN({ eps: 1e-5, minSamples: 2, algorithm: "grid" }).fit(Y);
    expect(Array.from(grid.labels)).toEqual([0, 1, 0, 1]);
  });
});
