import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KMedoids, type KMedoidsMetric, KMedoidsModel } from "../../src/cluster/kMedoids.js";
import { buildInit, DenseDistances } from "../../src/cluster/kMedoidsKernels.js";
import { ValidationError } from "../../src/errors.js";
import { asMatrix, type Matrix } from "../../src/index.js";
import { memoryLogger, silentLogger } from "../../src/logger.js";
import { modelFromJSON } from "../../src/serialize.js";
import { closeTo, loadDatasets, loadFixture } from "../fixtures.js";

interface KMedoidsCase {
  name: string;
  dataset: string;
  k: number;
  metric: KMedoidsMetric;
  method: "pam" | "alternate";
  init: "build" | number[];
  maxIter: number;
  medoids: number[];
  buildMedoids: number[];
  labels: number[];
  inertia: number;
  nIter: number;
  converged: boolean;
  classicPamInertia?: number;
}
interface ExhaustiveCase {
  dataset: string;
  k: number;
  metric: KMedoidsMetric;
  optimalInertia: number;
  optimalMedoids: number[];
  fasterPamInertia: number;
  fasterPamMedoids: number[];
  classicPamInertia: number;
}

const fixture = loadFixture<{ kMedoids: KMedoidsCase[]; kMedoidsExhaustive: ExhaustiveCase[] }>("exemplar");
const datasets = loadDatasets();

/** Inertia of a medoid set (sum over samples of the distance to the nearest medoid). */
function cost(D: DenseDistances, medoids: ArrayLike<number>): number {
  let s = 0;
  for (let o = 0; o < D.n; o++) {
    let best = Number.POSITIVE_INFINITY;
    for (let c = 0; c < medoids.length; c++) best = Math.min(best, D.get(medoids[c], o));
    s += best;
  }
  return s;
}

/** Best inertia over all k-subsets of the n samples. */
function exhaustive(D: DenseDistances, k: number): number {
  let best = Number.POSITIVE_INFINITY;
  const pick: number[] = [];
  const rec = (start: number) => {
    if (pick.length === k) {
      best = Math.min(best, cost(D, pick));
      return;
    }
    for (let i = start; i <= D.n - (k - pick.length); i++) {
      pick.push(i);
      rec(i + 1);
      pick.pop();
    }
  };
  rec(0);
  return best;
}

/** True when no single medoid / non-medoid swap lowers the inertia by more than rounding. */
function swapOptimal(D: DenseDistances, medoids: ArrayLike<number>): boolean {
  const base = cost(D, medoids);
  const med = Array.from(medoids);
  for (let c = 0; c < med.length; c++) {
    for (let j = 0; j < D.n; j++) {
      if (med.includes(j)) continue;
      const trial = med.slice();
      trial[c] = j;
      if (cost(D, trial) < base - 1e-9 * Math.max(1, base)) return false;
    }
  }
  return true;
}

describe("KMedoids vs the Python reference (BUILD, FasterPAM, alternate)", () => {
  for (const c of fixture.kMedoids) {
    it(c.name, () => {
      const log = memoryLogger();
      const X = datasets[c.dataset].X;
      const model = new KMedoids({
        nClusters: c.k,
        metric: c.metric,
        method: c.method,
        init: c.init,
        maxIter: c.maxIter,
        logger: log,
      }).fit(X);
      expect(Array.from(model.medoidIndices)).toEqual(c.medoids);
      expect(Array.from(model.labels)).toEqual(c.labels);
      expect(closeTo(model.inertia, c.inertia, 1e-12)).toBe(true);
      expect(model.nIter).toBe(c.nIter);
      expect(model.converged).toBe(c.converged);
      if (!c.converged) expect(log.messages.some((m) => /did not converge/.test(m))).toBe(true);
      for (let k = 0; k < c.k; k++) {
        for (let t = 0; t < X.cols; t++) {
          expect(model.clusterCenters.data[k * X.cols + t]).toBe(X.data[c.medoids[k] * X.cols + t]);
        }
      }
      expect(Array.from(model.predict(X))).toEqual(Array.from(model.labels));
      // On these sets FasterPAM's eager swaps end at classic PAM's inertia (best-swap PAM) or below.
      if (c.classicPamInertia !== undefined && c.method === "pam" && c.init === "build") {
        expect(model.inertia).toBeLessThanOrEqual(c.classicPamInertia * (1 + 1e-12));
      }
    });
  }

  it("BUILD picks the reference's initial medoids", () => {
    for (const c of fixture.kMedoids) {
      const D = new DenseDistances(datasets[c.dataset].X, c.metric);
      expect(Array.from(buildInit(D, c.k)), c.name).toEqual(c.buildMedoids);
    }
  });
});

describe("KMedoids optimality on small data", () => {
  it("the Python exhaustive optimum agrees with ours; PAM is optimal on most, swap-optimal on all", () => {
    let optimal = 0;
    for (const c of fixture.kMedoidsExhaustive) {
      const X = datasets[c.dataset].X;
      const D = new DenseDistances(X, c.metric);
      if (X.rows <= 12) expect(closeTo(exhaustive(D, c.k), c.optimalInertia, 1e-12)).toBe(true);
      const model = new KMedoids({ nClusters: c.k, metric: c.metric, logger: silentLogger }).fit(X);
      expect(Array.from(model.medoidIndices)).toEqual(c.fasterPamMedoids);
      expect(closeTo(model.inertia, c.fasterPamInertia, 1e-12)).toBe(true);
      expect(model.inertia).toBeGreaterThanOrEqual(c.optimalInertia * (1 - 1e-12));
      expect(swapOptimal(D, model.medoidIndices)).toBe(true);
      expect(model.inertia).toBeLessThanOrEqual(c.classicPamInertia * (1 + 1e-12));
      if (closeTo(model.inertia, c.optimalInertia, 1e-12)) optimal++;
    }
    // 11 of the 14 small cases reach the global optimum; kEqualsN with k = 5 (euclidean) and k = 2, 3
    // (manhattan) end in a swap-local optimum above it, for classic best-swap PAM as well.
    expect(optimal).toBe(11);
  });

  it("property: on random small sets PAM is swap-optimal and never below the exhaustive optimum", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 })), {
          minLength: 3,
          maxLength: 9,
        }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<KMedoidsMetric>("euclidean", "manhattan", "sqeuclidean"),
        (pts, k, metric) => {
          const X = asMatrix(pts);
          const D = new DenseDistances(X, metric);
          const model = new KMedoids({ nClusters: k, metric, logger: silentLogger }).fit(X);
          expect(model.inertia).toBeGreaterThanOrEqual(exhaustive(D, k) - 1e-9);
          expect(swapOptimal(D, model.medoidIndices)).toBe(true);
          expect(closeTo(model.inertia, cost(D, model.medoidIndices), 1e-12, 1e-12)).toBe(true);
        },
      ),
      { seed: 11, numRuns: 80 },
    );
  });

  it("hand-computed toy case", () => {
    // Two groups on a line: {0, 1, 2} and {10, 11}. With k = 2 the optimal medoids are 1 and 10 (10 and 11
    // tie), inertia |0-1| + |2-1| + |11-10| = 3.
    const X = [[0], [1], [2], [10], [11]];
    const model = new KMedoids({ nClusters: 2 }).fit(X);
    expect(Array.from(model.medoidIndices)).toEqual([1, 3]);
    expect(model.inertia).toBe(3);
    expect(Array.from(model.labels)).toEqual([0, 0, 0, 1, 1]);
    // BUILD: the most central sample is x = 2 (distance sum 2+1+0+8+9 = 20; x = 1 has 21). Adding x = 10
    // gains 8 + 9 = 17 - 1 = 16 (from 8 and 9 down to 0 and 1), as does x = 11; the lower index wins. BUILD
    // gives {2, 10} with inertia 2+1+0+0+1 = 4; the swap 2 -> 1 lowers it to 3 and no swap helps further.
    expect(Array.from(buildInit(new DenseDistances(asMatrix(X), "euclidean"), 2))).toEqual([2, 3]);
    expect(model.medoidIndices[0]).toBe(1);
    expect(model.nIter).toBe(2); // one pass with the swap, one pass confirming
    // One alternate round from {2, 10}: cluster {0, 1, 2} moves to 1 (sum 2 < 3), {10, 11} ties and stays.
    const alt = new KMedoids({ maxIter: 1, method: "alternate", init: [2, 3], logger: silentLogger }).fit(X);
    expect(Array.from(alt.medoidIndices)).toEqual([1, 3]);
    expect(alt.converged).toBe(false);
    const one = new KMedoids({ nClusters: 1 }).fit(X);
    expect(Array.from(one.medoidIndices)).toEqual([2]);
    expect(one.inertia).toBe(2 + 1 + 0 + 8 + 9);
  });
});

describe("KMedoids behaviour", () => {
  const X = datasets.blobsOverlap.X;

  it("computing distances on the fly gives the same model as the stored matrix", () => {
    for (const method of ["pam", "alternate"] as const) {
      for (const metric of ["euclidean", "cosine"] as const) {
        const a = new KMedoids({ nClusters: 5, method, metric, precompute: true }).fit(X);
        const b = new KMedoids({ nClusters: 5, method, metric, precompute: false }).fit(X);
        expect(b.toJSON()).toEqual(a.toJSON());
      }
    }
  });

  it("same seed, same result for random and k-medoids++ starts; they reach BUILD's quality", () => {
    const build = new KMedoids({ nClusters: 5 }).fit(X);
    for (const init of ["random", "k-medoids++"] as const) {
      const a = new KMedoids({ nClusters: 5, init, seed: 9 }).fit(X);
      const b = new KMedoids({ nClusters: 5, init, seed: 9 }).fit(X);
      expect(b.toJSON()).toEqual(a.toJSON());
      expect(a.inertia).toBeLessThan(build.inertia * 1.05);
      expect(new Set(a.medoidIndices).size).toBe(5);
    }
  });

  it("k equals n: every sample is a medoid, inertia 0", () => {
    const Y = datasets.kEqualsN.X;
    for (const method of ["pam", "alternate"] as const) {
      const model = new KMedoids({ nClusters: Y.rows, method }).fit(Y);
      expect(model.inertia).toBe(0);
      expect(Array.from(model.medoidIndices).sort((a, b) => a - b)).toEqual(
        Array.from({ length: Y.rows }, (_, i) => i),
      );
    }
  });

  it("warns when there are more clusters than distinct samples", () => {
    const log = memoryLogger();
    const model = new KMedoids({ nClusters: 8, logger: log }).fit(datasets.duplicates.X);
    expect(model.inertia).toBe(0);
    expect(log.messages.some((m) => /non-empty clusters/.test(m))).toBe(true);
  });

  it("names bad options and data", () => {
    const Y = [
      [0, 0],
      [1, 1],
      [4, 4],
    ];
    expect(() => new KMedoids({ nClusters: 4 }).fit(Y)).toThrow(ValidationError);
    expect(() => new KMedoids({ nClusters: 4 }).fit(Y)).toThrow(/invalid nClusters: 4/);
    expect(() => new KMedoids({ nClusters: 0 }).fit(Y)).toThrow(/invalid nClusters: 0/);
    expect(() => new KMedoids({ nClusters: 2, metric: "chebyshev" as "euclidean" }).fit(Y)).toThrow(/invalid metric/);
    expect(() => new KMedoids({ nClusters: 2, method: "clarans" as "pam" }).fit(Y)).toThrow(/invalid method/);
    expect(() => new KMedoids({ nClusters: 2, init: "heuristic" as "build" }).fit(Y)).toThrow(/invalid init/);
    expect(() => new KMedoids({ nClusters: 2, init: [0, 0] }).fit(Y)).toThrow(/invalid init: 0 appears twice/);
    expect(() => new KMedoids({ nClusters: 2, init: [0, 3] }).fit(Y)).toThrow(/invalid init: 3 at position 1/);
    expect(() => new KMedoids({ nClusters: 3, init: [0, 1] }).fit(Y)).toThrow(/invalid init: 2 medoid indices/);
    expect(() => new KMedoids({ nClusters: 2, maxIter: 0 }).fit(Y)).toThrow(/invalid maxIter: 0/);
    expect(() => new KMedoids({ nClusters: 2, maxSamples: 2 }).fit(Y)).toThrow(
      /invalid maxSamples: 2 \(X has 3 samples/,
    );
    expect(() => new KMedoids({ nClusters: 2, precompute: "yes" as "auto" }).fit(Y)).toThrow(/invalid precompute/);
    expect(new KMedoids({ init: [2, 0] }).fit(Y).nClusters).toBe(2);
    const model = new KMedoids({ nClusters: 2 }).fit(Y);
    expect(() => model.predict([[1, 2, 3]])).toThrow(/invalid X: 3 features, expected 2/);
  });

  it("round-trips through JSON; predict and transform agree with fit", () => {
    const model = new KMedoids({ nClusters: 4, metric: "manhattan" }).fit(X);
    const back = modelFromJSON<KMedoidsModel>(JSON.parse(JSON.stringify(model)));
    expect(back).toBeInstanceOf(KMedoidsModel);
    expect(back.toJSON()).toEqual(model.toJSON());
    expect(Array.from(back.predict(X))).toEqual(Array.from(model.labels));
    const t: Matrix = model.transform(X);
    let s = 0;
    for (let i = 0; i < X.rows; i++) s += t.data[i * 4 + model.labels[i]];
    expect(closeTo(s, model.inertia, 1e-12)).toBe(true);
  });
});
