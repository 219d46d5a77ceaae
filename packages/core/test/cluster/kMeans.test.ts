import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  KMeans,
  type KMeansIterationInfo,
  KMeansModel,
  kmeansPlusPlusInit,
  type Matrix,
  matrix,
  memoryLogger,
  modelFromJSON,
  Random,
  silentLogger,
  takeRows,
  toRows,
} from "../../src/index.js";
import { closeTo, loadDatasets, loadFixture, maxAbsDiff, samePartition } from "../fixtures.js";

interface RunRef {
  labels: number[];
  inertia: number;
  nIter: number;
  centers: number[][];
  warnings: string[];
}
interface CaseRef {
  name: string;
  dataset: string;
  k: number;
  init: number[][];
  sampleWeight: number[] | null;
  maxIter: number;
  tol: number;
  lloyd: RunRef;
  elkan: RunRef;
}
interface KMeansFixture {
  cases: CaseRef[];
  kmeansPlusPlusBestOf10: Record<string, number>;
}

const fixture = loadFixture<KMeansFixture>("kmeans");
const datasets = loadDatasets();

/** Centres of `a` permuted to match `b` via the label correspondence; max abs difference. */
function centerDiff(labelsA: Int32Array, centersA: Matrix, labelsB: ArrayLike<number>, centersB: number[][]): number {
  const map = new Map<number, number>();
  for (let i = 0; i < labelsA.length; i++) map.set(labelsA[i], labelsB[i]);
  let m = 0;
  for (let j = 0; j < centersA.rows; j++) {
    const jb = map.get(j);
    if (jb === undefined) continue; // empty cluster: no correspondence from labels
    for (let t = 0; t < centersA.cols; t++) {
      m = Math.max(m, Math.abs(centersA.data[j * centersA.cols + t] - centersB[jb][t]));
    }
  }
  return m;
}

describe("KMeans vs scikit-learn from explicit initial centres", () => {
  for (const c of fixture.cases) {
    for (const algorithm of ["lloyd", "elkan"] as const) {
      it(`${c.name} (${algorithm})`, () => {
        const X = datasets[c.dataset].X;
        const logger = memoryLogger();
        const model = new KMeans({
          nClusters: c.k,
          init: c.init,
          maxIter: c.maxIter,
          tol: c.tol,
          algorithm,
          logger,
        }).fit(X, { sampleWeight: c.sampleWeight ?? undefined });
        const ref = c[algorithm];
        expect(samePartition(model.labels, ref.labels)).toBe(true);
        expect(closeTo(model.inertia, ref.inertia, 1e-9, 1e-12)).toBe(true);
        expect(model.nIter).toBe(ref.nIter);
        expect(centerDiff(model.labels, model.clusterCenters, ref.labels, ref.centers)).toBeLessThan(1e-9);
        const distinctWarnings = ref.warnings.filter((m) => m.startsWith("Number of distinct clusters"));
        expect(logger.messages.length).toBe(distinctWarnings.length);
      });
    }
  }
});

describe("KMeans k-means++ quality", () => {
  for (const [name, ds] of Object.entries(datasets)) {
    it(`${name}: best of nInit=10 within 0.5% of scikit-learn's best of 10`, () => {
      const model = new KMeans({ nClusters: ds.k, nInit: 10, seed: 0, logger: silentLogger }).fit(ds.X);
      const ref = fixture.kmeansPlusPlusBestOf10[name];
      expect(model.inertia).toBeLessThanOrEqual(ref * 1.005 + 1e-9);
    });
  }

  it("random init with the default nInit (10) reaches the same optimum on iris", () => {
    const model = new KMeans({ nClusters: 3, init: "random", seed: 3, logger: silentLogger }).fit(datasets.iris.X);
    expect(model.inertia).toBeLessThanOrEqual(fixture.kmeansPlusPlusBestOf10.iris * 1.005);
  });
});

describe("KMeans hand-computed toy cases (values checked against scikit-learn)", () => {
  it("two pairs of points", () => {
    const X = [
      [0, 0],
      [0, 1],
      [10, 0],
      [10, 1],
    ];
    const model = new KMeans({
      nClusters: 2,
      init: [
        [0, 0],
        [10, 0],
      ],
    }).fit(X);
    expect(Array.from(model.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(model.clusterCenters.data)).toEqual([0, 0.5, 10, 0.5]);
    expect(model.inertia).toBe(1);
    expect(model.nIter).toBe(2); // iteration 2 reproduces the labels of iteration 1
    expect(model.converged).toBe(true);
    expect(model.score(X)).toBe(-1);
    const t = model.transform([[0, 0]]);
    expect(t.data[0]).toBeCloseTo(0.5, 15);
    expect(t.data[1]).toBeCloseTo(Math.sqrt(100.25), 12);
  });

  it("sample weights pull the centre", () => {
    const X = [[0], [1], [10], [11]];
    const model = new KMeans({ nClusters: 2, init: [[0], [10]] }).fit(X, { sampleWeight: [1, 3, 1, 1] });
    expect(Array.from(model.clusterCenters.data)).toEqual([0.75, 10.5]);
    expect(model.inertia).toBeCloseTo(1.25, 14);
    expect(model.nIter).toBe(2);
    expect(model.score(X)).toBeCloseTo(-1.125, 14);
    expect(model.score(X, { sampleWeight: [1, 3, 1, 1] })).toBeCloseTo(-1.25, 14);
  });

  it("relocates an empty cluster to the farthest point", () => {
    // Iteration 1: [10] is assigned to centre 1 and centre 2 (at 100) gets nothing, so it takes
    // [10], the point farthest from its centre. Iteration 2 moves no centre: tol convergence.
    const model = new KMeans({ nClusters: 3, init: [[0], [1], [100]] }).fit([[0], [1], [2], [10]]);
    expect(Array.from(model.labels)).toEqual([0, 1, 1, 2]);
    expect(Array.from(model.clusterCenters.data)).toEqual([0, 1.5, 10]);
    expect(model.inertia).toBe(0.5);
    expect(model.nIter).toBe(2);
  });

  it("k-means++ finds the two columns of scikit-learn's docstring example for any seed", () => {
    const X = [
      [1, 2],
      [1, 4],
      [1, 0],
      [10, 2],
      [10, 4],
      [10, 0],
    ];
    for (let seed = 0; seed < 10; seed++) {
      const model = new KMeans({ nClusters: 2, seed }).fit(X);
      expect(model.inertia).toBe(16);
      expect(samePartition(model.labels, [0, 0, 0, 1, 1, 1])).toBe(true);
      const p = model.predict([
        [0, 0],
        [12, 3],
      ]);
      expect(p[0]).toBe(model.labels[0]);
      expect(p[1]).toBe(model.labels[3]);
    }
  });

  it("k = 1 gives the (weighted) mean", () => {
    const model = new KMeans({ nClusters: 1, algorithm: "elkan" }).fit([[0], [2], [4]], { sampleWeight: [1, 1, 2] });
    expect(Array.from(model.clusterCenters.data)).toEqual([2.5]);
    expect(model.inertia).toBeCloseTo(6.25 + 0.25 + 2 * 2.25, 12);
  });
});

describe("KMeans behaviour on the reference datasets", () => {
  for (const [name, ds] of Object.entries(datasets)) {
    it(`${name}: predict(X) equals the training labels; lloyd and elkan agree bit for bit`, () => {
      const opts = { nClusters: ds.k, nInit: 3, seed: 5, logger: silentLogger };
      const lloyd = new KMeans({ ...opts, algorithm: "lloyd" }).fit(ds.X);
      const elkan = new KMeans({ ...opts, algorithm: "elkan" }).fit(ds.X);
      expect(Array.from(lloyd.predict(ds.X))).toEqual(Array.from(lloyd.labels));
      expect(Array.from(elkan.labels)).toEqual(Array.from(lloyd.labels));
      expect(elkan.nIter).toBe(lloyd.nIter);
      expect(elkan.inertia).toBe(lloyd.inertia);
      expect(Array.from(elkan.clusterCenters.data)).toEqual(Array.from(lloyd.clusterCenters.data));
      expect(-lloyd.score(ds.X)).toBeCloseTo(lloyd.inertia, 8);
      expect(new KMeans(opts).fitPredict(ds.X)).toEqual(lloyd.labels);
    });
  }
});

/** A random matrix with small integer coordinates (many exact ties and duplicate points). */
const intMatrix = (maxRows: number, maxCols: number) =>
  fc.tuple(fc.integer({ min: 2, max: maxRows }), fc.integer({ min: 1, max: maxCols })).chain(([n, d]) =>
    fc.array(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: d, maxLength: d }), {
      minLength: n,
      maxLength: n,
    }),
  );

/** A random matrix with real coordinates. */
const realMatrix = (maxRows: number, maxCols: number) =>
  fc.tuple(fc.integer({ min: 2, max: maxRows }), fc.integer({ min: 1, max: maxCols })).chain(([n, d]) =>
    fc.array(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: d, maxLength: d }), {
      minLength: n,
      maxLength: n,
    }),
  );

describe("KMeans properties", () => {
  const params = { seed: 20240601, numRuns: 150 };

  it("lloyd and elkan give identical results (ties, duplicates, empty clusters included)", () => {
    fc.assert(
      fc.property(
        fc.oneof(intMatrix(40, 4), realMatrix(40, 5)),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(1000),
        (X, k0, seed) => {
          const k = Math.min(k0, X.length);
          const opts = { nClusters: k, seed, nInit: 2, logger: silentLogger };
          const a = new KMeans({ ...opts, algorithm: "lloyd" }).fit(X);
          const b = new KMeans({ ...opts, algorithm: "elkan" }).fit(X);
          expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
          expect(b.nIter).toBe(a.nIter);
          expect(b.inertia).toBe(a.inertia);
          expect(Array.from(a.predict(X))).toEqual(Array.from(a.labels));
        },
      ),
      params,
    );
  });

  it("permuting the rows permutes the labels (explicit init)", () => {
    // Generic positions (a small integer grid plus distinct offsets), so no distance ties make the
    // outcome depend on the order of the rows.
    fc.assert(
      fc.property(intMatrix(30, 3), fc.integer({ min: 1, max: 4 }), fc.nat(1000), (Xi, k0, seed) => {
        const X = Xi.map((r, i) => r.map((v, t) => v + ((i * 7919 + t * 104729) % 1009) * 1e-4));
        const k = Math.min(k0, X.length);
        const init = X.slice(0, k);
        const perm = Array.from(new Random(seed).shuffle(Array.from({ length: X.length }, (_, i) => i)));
        const Xp = perm.map((i) => X[i]);
        const a = new KMeans({ nClusters: k, init, logger: silentLogger }).fit(X);
        const b = new KMeans({ nClusters: k, init, logger: silentLogger }).fit(Xp);
        expect(Array.from(b.labels)).toEqual(perm.map((i) => a.labels[i]));
        expect(b.nIter).toBe(a.nIter);
        expect(Array.from(a.predict(Xp))).toEqual(perm.map((i) => a.labels[i]));
      }),
      params,
    );
  });

  it("the same seed gives the same result", () => {
    fc.assert(
      fc.property(realMatrix(30, 3), fc.integer({ min: 1, max: 5 }), fc.nat(1000), (X, k0, seed) => {
        const k = Math.min(k0, X.length);
        for (const init of ["k-means++", "random"] as const) {
          const a = new KMeans({ nClusters: k, init, seed, nInit: 2, logger: silentLogger }).fit(X);
          const b = new KMeans({ nClusters: k, init, seed, nInit: 2, logger: silentLogger }).fit(X);
          expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
          expect(Array.from(b.clusterCenters.data)).toEqual(Array.from(a.clusterCenters.data));
        }
      }),
      params,
    );
  });

  it("the inertia never increases across iterations", () => {
    fc.assert(
      fc.property(
        realMatrix(60, 4),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(1000),
        fc.boolean(),
        (X, k0, seed, elkan) => {
          const k = Math.min(k0, X.length);
          const seen: KMeansIterationInfo[] = [];
          new KMeans({
            nClusters: k,
            seed,
            tol: 0,
            algorithm: elkan ? "elkan" : "lloyd",
            logger: silentLogger,
            onIteration: (info) => seen.push(info),
          }).fit(X);
          for (let i = 1; i < seen.length; i++) {
            expect(seen[i].iteration).toBe(seen[i - 1].iteration + 1);
            expect(seen[i].inertia).toBeLessThanOrEqual(seen[i - 1].inertia * (1 + 1e-12) + 1e-12);
          }
          expect(seen[0].labelsChanged).toBe(X.length);
        },
      ),
      params,
    );
  });
});

/**
 * A direct transcription of scikit-learn's single run (plain scan over every centre, naive sums,
 * relocation of empty clusters, strict/tol convergence, final E-step), for exact comparisons on
 * integer data (where every sum is exact, so no rounding can differ).
 */
function plainKMeans(X: number[][], init: number[][], maxIter: number, tolAbs: number) {
  const n = X.length;
  const d = X[0].length;
  const k = init.length;
  const sq = (a: number[], b: number[]) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (a[t] - b[t]) * (a[t] - b[t]);
    return s;
  };
  const assign = (C: number[][]) =>
    X.map((x) => {
      let best = Number.POSITIVE_INFINITY;
      let lab = 0;
      C.forEach((c, j) => {
        const s = sq(x, c);
        if (s < best) {
          best = s;
          lab = j;
        }
      });
      return lab;
    });
  let C = init.map((c) => c.slice());
  let labels: number[] = [];
  let old: number[] = new Array(n).fill(-1);
  let strict = false;
  let it = 0;
  for (; it < maxIter; it++) {
    labels = assign(C);
    const sums = Array.from({ length: k }, () => new Array(d).fill(0));
    const wsum = new Array(k).fill(0);
    labels.forEach((l, i) => {
      wsum[l] += 1;
      for (let t = 0; t < d; t++) sums[l][t] += X[i][t];
    });
    const empty = wsum.map((v, j) => (v === 0 ? j : -1)).filter((j) => j >= 0);
    if (empty.length > 0) {
      const dist = X.map((x, i) => sq(x, C[labels[i]]));
      if (Math.max(...dist) > 0) {
        const order = dist.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
        empty.forEach((j, e) => {
          const far = order[e][1];
          for (let t = 0; t < d; t++) {
            sums[labels[far]][t] -= X[far][t];
            sums[j][t] = X[far][t];
          }
          wsum[j] = 1;
          wsum[labels[far]] -= 1;
        });
      }
    }
    const next = sums.map((s, j) => (wsum[j] > 0 ? s.map((v) => v * (1 / wsum[j])) : C[j].slice()));
    let shift = 0;
    for (let j = 0; j < k; j++) shift += Math.sqrt(sq(next[j], C[j])) ** 2;
    C = next;
    if (labels.every((l, i) => l === old[i])) {
      strict = true;
      break;
    }
    if (shift <= tolAbs) break;
    old = labels;
  }
  if (!strict) labels = assign(C);
  return { labels, centers: C, nIter: Math.min(it + 1, maxIter) };
}

describe("KMeans equals a plain transcription of scikit-learn's loop", () => {
  it("on random integer data with duplicates, ties and empty clusters (explicit init)", () => {
    fc.assert(
      fc.property(
        intMatrix(40, 3),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(1000),
        (X, k0, maxIter, seed) => {
          const k = Math.min(k0, X.length);
          // Initial centres: random rows (possibly repeated values) shifted by an integer offset.
          const rng = new Random(seed);
          const init = Array.from({ length: k }, () => X[rng.int(X.length)].map((v) => v + rng.int(3) - 1));
          const ref = plainKMeans(X, init, maxIter, 0);
          for (const algorithm of ["lloyd", "elkan"] as const) {
            const m = new KMeans({ nClusters: k, init, maxIter, tol: 0, algorithm, logger: silentLogger }).fit(X);
            expect(Array.from(m.labels)).toEqual(ref.labels);
            expect(m.nIter).toBe(ref.nIter);
            expect(toRows(m.clusterCenters)).toEqual(ref.centers);
          }
        },
      ),
      { seed: 77, numRuns: 300 },
    );
  });
});

describe("KMeans warnings", () => {
  it("warns when fewer distinct clusters than nClusters are found", () => {
    const logger = memoryLogger();
    const model = new KMeans({ nClusters: 4, logger }).fit([[0], [0], [1], [1], [5], [5]]);
    expect(logger.messages).toEqual([
      "Number of distinct clusters (3) found smaller than nClusters (4). Possibly due to duplicate points in X.",
    ]);
    expect(model.inertia).toBe(0);
  });

  it("warns that explicit centres force a single run", () => {
    const logger = memoryLogger();
    new KMeans({ nClusters: 1, init: [[0]], nInit: 5, logger }).fit([[0], [1]]);
    expect(logger.messages).toEqual([
      "Explicit initial center position passed: performing only one init in KMeans instead of nInit=5.",
    ]);
  });

  it("is silent on well-posed data", () => {
    const logger = memoryLogger();
    new KMeans({ nClusters: 3, logger }).fit(datasets.iris.X);
    expect(logger.messages).toEqual([]);
  });
});

describe("KMeans validation errors", () => {
  const X = [
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
  ];
  it("rejects k > n, k = 0 and non-integer k", () => {
    expect(() => new KMeans({ nClusters: 5 }).fit(X)).toThrow(
      "invalid nClusters: 5 (n_samples=4 should be >= nClusters=5)",
    );
    expect(() => new KMeans({ nClusters: 0 }).fit(X)).toThrow("invalid nClusters: 0 (must be an integer >= 1)");
    expect(() => new KMeans({ nClusters: 1.5 }).fit(X)).toThrow("invalid nClusters: 1.5");
  });

  it("rejects initial centres of the wrong shape", () => {
    expect(() =>
      new KMeans({
        nClusters: 3,
        init: [
          [0, 0],
          [1, 1],
        ],
      }).fit(X),
    ).toThrow("invalid init: shape 2 x 2 does not match nClusters x nFeatures = 3 x 2");
    expect(() => new KMeans({ nClusters: 2, init: [[0], [1]] }).fit(X)).toThrow(
      "invalid init: shape 2 x 1 does not match nClusters x nFeatures = 2 x 2",
    );
    expect(() => new KMeans({ nClusters: 2, init: "kmeans" as "random" }).fit(X)).toThrow('invalid init: "kmeans"');
    expect(() => new KMeans({ nClusters: 1, init: [[0, Number.NaN]] }).fit(X)).toThrow(
      "invalid init: NaN at row 0, column 1",
    );
  });

  it("rejects bad maxIter, tol, nInit, algorithm, sample weights and data", () => {
    expect(() => new KMeans({ nClusters: 2, maxIter: 0 }).fit(X)).toThrow(
      "invalid maxIter: 0 (must be an integer >= 1)",
    );
    expect(() => new KMeans({ nClusters: 2, tol: -1 }).fit(X)).toThrow("invalid tol: -1");
    expect(() => new KMeans({ nClusters: 2, nInit: 0 }).fit(X)).toThrow("invalid nInit: 0 (must be an integer >= 1)");
    expect(() => new KMeans({ nClusters: 2, algorithm: "full" as "lloyd" }).fit(X)).toThrow(
      'invalid algorithm: "full"',
    );
    expect(() => new KMeans({ nClusters: 2 }).fit(X, { sampleWeight: [1, 2] })).toThrow(
      "invalid sampleWeight: length 2, expected 4",
    );
    expect(() => new KMeans({ nClusters: 2 }).fit(X, { sampleWeight: [1, -1, 1, 1] })).toThrow(
      "invalid sampleWeight: -1 at index 1",
    );
    expect(() => new KMeans({ nClusters: 2, init: "random" }).fit(X, { sampleWeight: [0, 0, 0, 1] })).toThrow(
      "only 1 samples have a positive weight",
    );
    expect(() => new KMeans({ nClusters: 2 }).fit([[0], [Number.POSITIVE_INFINITY]])).toThrow(
      "invalid X: Infinity at row 1",
    );
  });

  it("predict and transform check the number of features", () => {
    const model = new KMeans({ nClusters: 2 }).fit(X);
    expect(() => model.predict([[1, 2, 3]])).toThrow("invalid X: 3 features, expected 2 (as seen in fit)");
    expect(() => model.transform([[1]])).toThrow("invalid X: 1 features, expected 2");
  });
});

describe("KMeansModel serialisation", () => {
  it("round-trips through JSON with identical predictions", () => {
    const ds = datasets.wine;
    const model = new KMeans({ nClusters: 3, seed: 2 }).fit(ds.X);
    const json = JSON.parse(JSON.stringify(model));
    expect(json.type).toBe("KMeansModel");
    expect(json.version).toBe(1);
    const back = modelFromJSON<KMeansModel>(json);
    expect(back).toBeInstanceOf(KMeansModel);
    expect(Array.from(back.predict(ds.X))).toEqual(Array.from(model.predict(ds.X)));
    expect(Array.from(back.labels)).toEqual(Array.from(model.labels));
    expect(Array.from(back.clusterCenters.data)).toEqual(Array.from(model.clusterCenters.data));
    expect(back.inertia).toBe(model.inertia);
    expect(back.nIter).toBe(model.nIter);
    expect(back.converged).toBe(model.converged);
    expect(back.nFeaturesIn).toBe(13);
    expect(KMeansModel.fromJSON(json).nClusters).toBe(3);
  });

  it("rejects malformed JSON", () => {
    const json = new KMeans({ nClusters: 2 }).fit([[0], [1], [5]]).toJSON();
    expect(() => KMeansModel.fromJSON({ ...json, clusterCenters: [1] })).toThrow(
      "clusterCenters has 1 values, expected 2",
    );
    expect(() => KMeansModel.fromJSON({ ...json, version: 2 })).toThrow("version 2");
    expect(() => KMeansModel.fromJSON({ ...json, type: "PCAModel" })).toThrow('expected "KMeansModel"');
  });
});

describe("kmeansPlusPlusInit", () => {
  const X = datasets.blobsOverlap.X;
  it("returns k distinct rows of X, the same for the same seed", () => {
    const a = kmeansPlusPlusInit(X, 5, { seed: 1 });
    const b = kmeansPlusPlusInit(X, 5, { seed: 1 });
    expect(a.rows).toBe(5);
    expect(a.cols).toBe(3);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    const rows = new Set<string>();
    for (let c = 0; c < 5; c++) {
      const r = Array.from(a.data.subarray(c * 3, c * 3 + 3));
      let found = false;
      for (let i = 0; i < X.rows && !found; i++) found = maxAbsDiff(r, X.data.subarray(i * 3, i * 3 + 3)) === 0;
      expect(found).toBe(true);
      rows.add(r.join(","));
    }
    expect(rows.size).toBe(5);
  });

  it("never picks a zero-weight sample", () => {
    const w = Array.from({ length: X.rows }, (_, i) => (i % 2 === 0 ? 1 : 0));
    for (let seed = 0; seed < 5; seed++) {
      const c = kmeansPlusPlusInit(X, 5, { seed, sampleWeight: w, nLocalTrials: 1 });
      for (let j = 0; j < 5; j++) {
        const r = c.data.subarray(j * 3, j * 3 + 3);
        const hits: number[] = [];
        for (let i = 0; i < X.rows; i++) if (maxAbsDiff(r, X.data.subarray(i * 3, i * 3 + 3)) === 0) hits.push(i);
        expect(hits.some((i) => i % 2 === 0)).toBe(true);
      }
    }
  });

  it("greedy trials give a lower potential than vanilla k-means++ on average", () => {
    const potential = (c: Matrix) => -new KMeans({ nClusters: 5, init: c, maxIter: 1 }).fit(X).score(X);
    let greedy = 0;
    let vanilla = 0;
    for (let seed = 0; seed < 20; seed++) {
      greedy += potential(kmeansPlusPlusInit(X, 5, { seed }));
      vanilla += potential(kmeansPlusPlusInit(X, 5, { seed, nLocalTrials: 1 }));
    }
    expect(greedy).toBeLessThan(vanilla);
  });

  it("validates its arguments", () => {
    expect(() => kmeansPlusPlusInit(X, 0)).toThrow("invalid nClusters: 0");
    expect(() => kmeansPlusPlusInit(X, 2, { nLocalTrials: 0 })).toThrow("invalid nLocalTrials: 0");
  });
});

describe("KMeans on a larger problem", () => {
  it("matches a brute-force Lloyd iteration on 20k x 8 (k = 12) for both algorithms", () => {
    const rng = new Random(7);
    const n = 20000;
    const d = 8;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const c = rng.int(12);
      for (let t = 0; t < d; t++) data[i * d + t] = c * 0.7 + ((t * 13 + c) % 5) + rng.normal();
    }
    const X = matrix(n, d, data);
    const init = takeRows(
      X,
      Array.from({ length: 12 }, (_, j) => j * 997),
    );
    const fast = new KMeans({ nClusters: 12, init, maxIter: 300, tol: 0 }).fit(X);
    const elkan = new KMeans({ nClusters: 12, init, maxIter: 300, tol: 0, algorithm: "elkan" }).fit(X);
    // Brute force: plain Lloyd with a scan over every centre.
    let C = Float64Array.from(init.data);
    const labels = new Int32Array(n).fill(-1);
    let iter = 0;
    for (; iter < 300; iter++) {
      let changed = 0;
      for (let i = 0; i < n; i++) {
        let best = Number.POSITIVE_INFINITY;
        let lab = 0;
        for (let j = 0; j < 12; j++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += (data[i * d + t] - C[j * d + t]) ** 2;
          if (s < best) {
            best = s;
            lab = j;
          }
        }
        if (labels[i] !== lab) changed++;
        labels[i] = lab;
      }
      const sums = new Float64Array(12 * d);
      const cnt = new Float64Array(12);
      for (let i = 0; i < n; i++) {
        cnt[labels[i]]++;
        for (let t = 0; t < d; t++) sums[labels[i] * d + t] += data[i * d + t];
      }
      const next = sums.map((v, p) => v / cnt[Math.floor(p / d)]);
      let shift = 0;
      for (let p = 0; p < next.length; p++) shift += (next[p] - C[p]) ** 2;
      C = next;
      if (changed === 0 || shift <= 0) break;
    }
    expect(iter).toBeLessThan(299); // converged
    expect(fast.nIter).toBe(iter + 1);
    expect(samePartition(fast.labels, labels)).toBe(true);
    expect(maxAbsDiff(fast.clusterCenters.data, C)).toBeLessThan(1e-10);
    expect(Array.from(elkan.labels)).toEqual(Array.from(fast.labels));
    expect(elkan.nIter).toBe(fast.nIter);
  });
});
