import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ClusterlabError,
  type CovarianceType,
  GaussianMixture,
  type GaussianMixtureModel,
  type Matrix,
  memoryLogger,
  modelFromJSON,
  silentLogger,
  takeRows,
  ValidationError,
} from "../../src/index.js";
import { loadDatasets } from "../fixtures.js";
import { loadMixtureCases, maxRelativeError, scaledError } from "./helpers.js";

const SEED = 20240611;
const datasets = loadDatasets();
const iris = datasets.iris.X;
const TYPES: CovarianceType[] = ["full", "tied", "diag", "spherical"];
const cases = loadMixtureCases();

/** The explicit "truth" initialisation recorded in the fixture for a dataset and covariance type. */
function truthInit(dataset: string, covarianceType: CovarianceType) {
  const c = cases.find((x) => x.dataset === dataset && x.covarianceType === covarianceType && x.init === "truth");
  if (!c) throw new Error(`no fixture case ${dataset} ${covarianceType}`);
  const d = datasets[dataset].X.cols;
  return {
    nComponents: c.nComponents,
    covarianceType,
    tol: 1e-6,
    maxIter: 1000,
    weightsInit: c.weightsInit,
    meansInit: { rows: c.nComponents, cols: d, data: Float64Array.from(c.meansInit) },
    precisionsInit: c.precisionsInit,
  };
}

function fittedArrays(m: GaussianMixtureModel): Record<string, ArrayLike<number>> {
  return {
    weights: m.weights,
    means: m.means.data,
    covariances: m.covariances,
    precisionsCholesky: m.precisionsCholesky,
    lowerBound: [m.lowerBound],
  };
}

function expectSameFit(a: GaussianMixtureModel, b: GaussianMixtureModel, rtol: number): void {
  const fa = fittedArrays(a);
  const fb = fittedArrays(b);
  for (const key of Object.keys(fa)) {
    const err = scaledError(fa[key], fb[key]);
    if (!(err <= rtol)) throw new Error(`${key} differs: ${err}`);
  }
  expect(a.nIter).toBe(b.nIter);
}

describe("GaussianMixture", () => {
  it("defaults: one full component, kmeans init, converges on iris", () => {
    const logger = memoryLogger();
    const m = new GaussianMixture({ logger }).fit(iris);
    expect(m.nComponents).toBe(1);
    expect(m.nClusters).toBe(1);
    expect(m.covarianceType).toBe("full");
    expect(m.converged).toBe(true);
    expect(logger.messages).toEqual([]);
    // One component: the mean is the sample mean and the covariance the biased sample covariance + 1e-6.
    const n = iris.rows;
    const d = iris.cols;
    for (let t = 0; t < d; t++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += iris.data[i * d + t];
      expect(m.means.data[t]).toBeCloseTo(s / n, 12);
    }
    expect(Array.from(m.weights)).toEqual([1]);
  });

  it("predictProba rows sum to 1 and agree with labels; scoreSamples is the log-sum-exp; score is its mean", () => {
    for (const covarianceType of TYPES) {
      const m = new GaussianMixture({ ...truthInit("blobsOverlap", covarianceType) }).fit(datasets.blobsOverlap.X);
      const X = datasets.blobsOverlap.X;
      const p = m.predictProba(X);
      const labels = m.predict(X);
      const s = m.scoreSamples(X);
      let mean = 0;
      for (let i = 0; i < X.rows; i++) {
        let sum = 0;
        let best = 0;
        for (let c = 0; c < p.cols; c++) {
          sum += p.data[i * p.cols + c];
          if (p.data[i * p.cols + c] > p.data[i * p.cols + best]) best = c;
        }
        if (!(Math.abs(sum - 1) < 1e-12)) throw new Error(`row ${i} sums to ${sum}`);
        if (labels[i] !== best) throw new Error(`row ${i}: label ${labels[i]}, most probable ${best}`);
        mean += s[i];
      }
      expect(m.score(X)).toBeCloseTo(mean / X.rows, 12);
    }
  });

  it("fit(X).predict(X) equals labels for every init method", () => {
    for (const initParams of ["kmeans", "k-means++", "random", "random_from_data"] as const) {
      const m = new GaussianMixture({ nComponents: 3, initParams, seed: 3, logger: silentLogger }).fit(iris);
      expect(Array.from(m.predict(iris))).toEqual(Array.from(m.labels));
      expect(
        Array.from(new GaussianMixture({ nComponents: 3, initParams, seed: 3, logger: silentLogger }).fitPredict(iris)),
      ).toEqual(Array.from(m.labels));
    }
  });

  it("same seed gives the same model; the seed matters for random inits", () => {
    for (const initParams of ["kmeans", "k-means++", "random", "random_from_data"] as const) {
      for (const covarianceType of TYPES) {
        const opts = { nComponents: 3, covarianceType, initParams, maxIter: 20, logger: silentLogger };
        const a = new GaussianMixture({ ...opts, seed: 7 }).fit(datasets.wine.X);
        const b = new GaussianMixture({ ...opts, seed: 7 }).fit(datasets.wine.X);
        expect(Array.from(a.means.data)).toEqual(Array.from(b.means.data));
        expect(Array.from(a.covariances)).toEqual(Array.from(b.covariances));
        expect(a.lowerBound).toBe(b.lowerBound);
        expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
      }
    }
    const r1 = new GaussianMixture({
      nComponents: 3,
      initParams: "random",
      maxIter: 2,
      seed: 1,
      logger: silentLogger,
    }).fit(iris);
    const r2 = new GaussianMixture({
      nComponents: 3,
      initParams: "random",
      maxIter: 2,
      seed: 2,
      logger: silentLogger,
    }).fit(iris);
    expect(Array.from(r1.means.data)).not.toEqual(Array.from(r2.means.data));
  });

  it("kmeans init finds the blobs of variedVariance", () => {
    const d = datasets.variedVariance;
    const m = new GaussianMixture({ nComponents: 3, seed: 0 }).fit(d.X);
    expect(m.converged).toBe(true);
    let agree = 0;
    // Majority mapping from components to true labels.
    const counts = new Map<string, number>();
    for (let i = 0; i < d.X.rows; i++) {
      const key = `${m.labels[i]}:${d.labelsTrue[i]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (let c = 0; c < 3; c++) {
      let best = 0;
      for (let t = 0; t < 3; t++) best = Math.max(best, counts.get(`${c}:${t}`) ?? 0);
      agree += best;
    }
    expect(agree / d.X.rows).toBeGreaterThan(0.95);
  });

  it("nInit keeps the initialisation with the largest lower bound", () => {
    const opts = { nComponents: 5, initParams: "random_from_data" as const, seed: 4, logger: silentLogger };
    const one = new GaussianMixture({ ...opts, nInit: 1 }).fit(datasets.blobsOverlap.X);
    const many = new GaussianMixture({ ...opts, nInit: 4 }).fit(datasets.blobsOverlap.X);
    expect(many.lowerBound).toBeGreaterThanOrEqual(one.lowerBound);
  });

  it("explicit init ignores the seed and initParams; partial explicit init overrides the matching parameter", () => {
    const init = truthInit("iris", "full");
    const a = new GaussianMixture({ ...init, seed: 1, initParams: "random" }).fit(iris);
    const b = new GaussianMixture({ ...init, seed: 2, initParams: "kmeans" }).fit(iris);
    expect(Array.from(a.means.data)).toEqual(Array.from(b.means.data));
    // maxIter 0 keeps the initial parameters.
    const onlyMeans = new GaussianMixture({
      nComponents: 3,
      meansInit: init.meansInit,
      initParams: "random_from_data",
      maxIter: 0,
      logger: silentLogger,
    }).fit(iris);
    expect(Array.from(onlyMeans.means.data)).toEqual(Array.from(init.meansInit.data));
  });

  it("maxIter 0 keeps the initialisation: nIter 0, lowerBound -Infinity, covariances = inverse precisions, no warning", () => {
    for (const covarianceType of TYPES) {
      const logger = memoryLogger();
      const init = truthInit("wine", covarianceType);
      const m = new GaussianMixture({ ...init, maxIter: 0, logger }).fit(datasets.wine.X);
      expect(m.nIter).toBe(0);
      expect(m.converged).toBe(false);
      expect(m.lowerBound).toBe(Number.NEGATIVE_INFINITY);
      expect(logger.messages).toEqual([]);
      expect(Array.from(m.weights)).toEqual(init.weightsInit);
      expect(maxRelativeError(m.precisions, init.precisionsInit)).toBeLessThan(1e-12);
      // covariance(c) x precision(c) = I
      const d = m.nFeaturesIn;
      for (let c = 0; c < m.nComponents; c++) {
        const cov = m.covariance(c).data;
        const po = covarianceType === "full" ? c * d * d : 0;
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            let s = 0;
            for (let t = 0; t < d; t++) {
              const prec =
                covarianceType === "full" || covarianceType === "tied"
                  ? m.precisions[po + t * d + b]
                  : t === b
                    ? m.precisions[covarianceType === "diag" ? c * d + b : c]
                    : 0;
              s += cov[a * d + t] * prec;
            }
            expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-9);
          }
        }
      }
    }
  });

  it("warns through the logger when the best initialisation did not converge", () => {
    const logger = memoryLogger();
    const m = new GaussianMixture({ nComponents: 3, maxIter: 2, tol: 0, logger }).fit(iris);
    expect(m.converged).toBe(false);
    expect(m.nIter).toBe(2);
    expect(logger.messages).toHaveLength(1);
    expect(logger.messages[0]).toMatch(/did not converge in 2 iterations/);
  });

  it("accepts precisionsInit flat, nested and as matrices", () => {
    const X = datasets.blobsOverlap.X;
    const d = X.cols;
    for (const covarianceType of TYPES) {
      const init = truthInit("blobsOverlap", covarianceType);
      const flat = init.precisionsInit;
      const k = init.nComponents;
      let nested: unknown;
      if (covarianceType === "full") {
        nested = Array.from({ length: k }, (_, c) =>
          Array.from({ length: d }, (_, a) => flat.slice(c * d * d + a * d, c * d * d + (a + 1) * d)),
        );
      } else if (covarianceType === "tied") {
        nested = Array.from({ length: d }, (_, a) => flat.slice(a * d, (a + 1) * d));
      } else if (covarianceType === "diag") {
        nested = Array.from({ length: k }, (_, c) => flat.slice(c * d, (c + 1) * d));
      } else nested = flat;
      const a = new GaussianMixture({ ...init, maxIter: 3, logger: silentLogger }).fit(X);
      const b = new GaussianMixture({
        ...init,
        precisionsInit: nested as number[][],
        maxIter: 3,
        logger: silentLogger,
      }).fit(X);
      expect(Array.from(b.means.data)).toEqual(Array.from(a.means.data));
      if (covarianceType === "full") {
        const matrices: Matrix[] = Array.from({ length: k }, (_, c) => ({
          rows: d,
          cols: d,
          data: Float64Array.from(flat.slice(c * d * d, (c + 1) * d * d)),
        }));
        const m = new GaussianMixture({ ...init, precisionsInit: matrices, maxIter: 3, logger: silentLogger }).fit(X);
        expect(Array.from(m.means.data)).toEqual(Array.from(a.means.data));
      }
    }
  });

  it("covariance(c) expands every covariance type to a d x d matrix", () => {
    for (const covarianceType of TYPES) {
      const m = new GaussianMixture({ ...truthInit("iris", covarianceType), maxIter: 5, logger: silentLogger }).fit(
        iris,
      );
      const d = 4;
      for (let c = 0; c < 3; c++) {
        const cov = m.covariance(c);
        expect(cov.rows).toBe(d);
        for (let a = 0; a < d; a++) {
          const expected =
            covarianceType === "full"
              ? m.covariances[c * 16 + a * 5]
              : covarianceType === "tied"
                ? m.covariances[a * 5]
                : covarianceType === "diag"
                  ? m.covariances[c * d + a]
                  : m.covariances[c];
          expect(cov.data[a * d + a]).toBe(expected);
        }
      }
      expect(() => m.covariance(3)).toThrow("invalid component: 3");
    }
  });
});

describe("GaussianMixtureModel serialisation", () => {
  it("round-trips through JSON (every covariance type, also maxIter 0)", () => {
    for (const covarianceType of TYPES) {
      for (const maxIter of [0, 50]) {
        const m = new GaussianMixture({ ...truthInit("wine", covarianceType), maxIter, logger: silentLogger }).fit(
          datasets.wine.X,
        );
        const r = modelFromJSON<GaussianMixtureModel>(JSON.parse(JSON.stringify(m)));
        expect(r.covarianceType).toBe(covarianceType);
        expect(r.lowerBound).toBe(m.lowerBound);
        expect(r.nIter).toBe(m.nIter);
        expect(r.converged).toBe(m.converged);
        expect(Array.from(r.weights)).toEqual(Array.from(m.weights));
        expect(Array.from(r.means.data)).toEqual(Array.from(m.means.data));
        expect(Array.from(r.covariances)).toEqual(Array.from(m.covariances));
        expect(Array.from(r.precisions)).toEqual(Array.from(m.precisions));
        expect(Array.from(r.lowerBounds)).toEqual(Array.from(m.lowerBounds));
        expect(Array.from(r.labels)).toEqual(Array.from(m.labels));
        expect(Array.from(r.scoreSamples(datasets.wine.X))).toEqual(Array.from(m.scoreSamples(datasets.wine.X)));
        expect(r.toJSON()).toEqual(JSON.parse(JSON.stringify(m)));
      }
    }
  });

  it("rejects malformed JSON", () => {
    const m = new GaussianMixture({ nComponents: 2, logger: silentLogger }).fit(iris);
    const json = JSON.parse(JSON.stringify(m));
    expect(() => modelFromJSON({ ...json, means: [1, 2] })).toThrow(
      "invalid model JSON: means has 2 values, expected 8",
    );
    expect(() => modelFromJSON({ ...json, covarianceType: "banana" })).toThrow(ValidationError);
    expect(() => modelFromJSON({ ...json, version: 2 })).toThrow("version 2");
  });
});

describe("GaussianMixtureModel.sample", () => {
  it("draws from the mixture: deterministic per seed, grouped by component, right moments", () => {
    const m = new GaussianMixture({ ...truthInit("aniso", "full") }).fit(datasets.aniso.X);
    const n = 30000;
    const a = m.sample(n, 5);
    const b = m.sample(n, 5);
    expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data));
    expect(Array.from(m.sample(10, 6).X.data)).not.toEqual(Array.from(a.X.data.subarray(0, 20)));
    expect(a.X.rows).toBe(n);
    expect(a.labels.every((v, i) => i === 0 || v >= a.labels[i - 1])).toBe(true);
    const d = 2;
    for (let c = 0; c < m.nComponents; c++) {
      const idx: number[] = [];
      for (let i = 0; i < n; i++) if (a.labels[i] === c) idx.push(i);
      expect(Math.abs(idx.length / n - m.weights[c])).toBeLessThan(0.015);
      const Xc = takeRows(a.X, idx);
      const mean = [0, 0];
      for (let i = 0; i < Xc.rows; i++) for (let t = 0; t < d; t++) mean[t] += Xc.data[i * d + t] / Xc.rows;
      const cov = [0, 0, 0, 0];
      for (let i = 0; i < Xc.rows; i++) {
        for (let s = 0; s < d; s++) {
          for (let t = 0; t < d; t++)
            cov[s * d + t] += ((Xc.data[i * d + s] - mean[s]) * (Xc.data[i * d + t] - mean[t])) / Xc.rows;
        }
      }
      const model = m.covariance(c).data;
      const scale = Math.sqrt(model[0] * model[3]);
      for (let t = 0; t < d; t++)
        expect(Math.abs(mean[t] - m.means.data[c * d + t])).toBeLessThan(0.1 * Math.sqrt(model[t * 3]));
      for (let p = 0; p < 4; p++) expect(Math.abs(cov[p] - model[p])).toBeLessThan(0.08 * scale);
    }
  });

  it("samples diag, spherical and tied mixtures with the model's variances", () => {
    for (const covarianceType of ["tied", "diag", "spherical"] as const) {
      const m = new GaussianMixture({ ...truthInit("oneFeature", covarianceType) }).fit(datasets.oneFeature.X);
      const { X, labels } = m.sample(20000, 1);
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let s2 = 0;
        let count = 0;
        for (let i = 0; i < X.rows; i++) {
          if (labels[i] !== c) continue;
          s += X.data[i];
          s2 += X.data[i] * X.data[i];
          count++;
        }
        const mean = s / count;
        const variance = s2 / count - mean * mean;
        const expected = m.covariance(c).data[0];
        expect(Math.abs(variance / expected - 1)).toBeLessThan(0.1);
        expect(Math.abs(mean - m.means.data[c])).toBeLessThan(0.1 * Math.sqrt(expected));
      }
    }
  });
});

describe("GaussianMixture errors name the value", () => {
  it("rejects bad options", () => {
    expect(() => new GaussianMixture({ nComponents: 151 }).fit(iris)).toThrow(
      "invalid nComponents: 151 (n_samples=150 should be >= nComponents=151)",
    );
    expect(() => new GaussianMixture({ nComponents: 0 }).fit(iris)).toThrow("invalid nComponents: 0");
    expect(() => new GaussianMixture({ covarianceType: "ful" as CovarianceType }).fit(iris)).toThrow(
      'invalid covarianceType: "ful" (must be one of "full", "tied", "diag", "spherical")',
    );
    expect(() => new GaussianMixture({ regCovar: -1e-6 }).fit(iris)).toThrow("invalid regCovar: -0.000001");
    expect(() => new GaussianMixture({ tol: -1 }).fit(iris)).toThrow("invalid tol: -1");
    expect(() => new GaussianMixture({ maxIter: 1.5 }).fit(iris)).toThrow("invalid maxIter: 1.5");
    expect(() => new GaussianMixture({ nInit: 0 }).fit(iris)).toThrow("invalid nInit: 0");
    expect(() => new GaussianMixture({ initParams: "kmeans++" as "kmeans" }).fit(iris)).toThrow(
      'invalid initParams: "kmeans++"',
    );
    expect(() => new GaussianMixture({}).fit(iris, { sampleWeight: new Float64Array(150) })).toThrow(
      "invalid sampleWeight: GaussianMixture does not support sample weights",
    );
  });

  it("rejects bad explicit initial parameters", () => {
    const init = truthInit("iris", "full");
    expect(() => new GaussianMixture({ ...init, weightsInit: [0.5, 0.5] }).fit(iris)).toThrow(
      "invalid weightsInit: length 2, expected nComponents = 3",
    );
    expect(() => new GaussianMixture({ ...init, weightsInit: [0.5, 0.5, 0.5] }).fit(iris)).toThrow(
      "invalid weightsInit: sum 1.5 (the weights must sum to 1)",
    );
    expect(() => new GaussianMixture({ ...init, weightsInit: [1.5, -0.5, 0] }).fit(iris)).toThrow(
      "invalid weightsInit: 1.5 at index 0",
    );
    expect(() => new GaussianMixture({ ...init, meansInit: [[1, 2, 3, 4]] }).fit(iris)).toThrow(
      "invalid meansInit: shape 1 x 4, expected nComponents x features = 3 x 4",
    );
    expect(() => new GaussianMixture({ ...init, precisionsInit: [1, 2, 3] }).fit(iris)).toThrow(
      'invalid precisionsInit: shape [3], expected [3, 4, 4] for covarianceType "full"',
    );
    const asym = init.precisionsInit.slice();
    asym[1] += 1;
    expect(() => new GaussianMixture({ ...init, precisionsInit: asym }).fit(iris)).toThrow(
      "invalid precisionsInit: matrix 0 is not symmetric",
    );
    const notPD = init.precisionsInit.slice();
    for (let a = 0; a < 4; a++) notPD[16 + a * 5] = -1;
    expect(() => new GaussianMixture({ ...init, precisionsInit: notPD }).fit(iris)).toThrow(
      "invalid precisionsInit: matrix 1 is not positive definite",
    );
    expect(() =>
      new GaussianMixture({ ...truthInit("iris", "spherical"), precisionsInit: [1, 0, 1] }).fit(iris),
    ).toThrow("invalid precisionsInit: component 1 is not positive");
  });

  it("explains an ill-defined covariance (collapsed component, regCovar 0)", () => {
    for (const covarianceType of TYPES) {
      const fit = () =>
        new GaussianMixture({ nComponents: 3, covarianceType, regCovar: 0, initParams: "random_from_data" }).fit(
          datasets.duplicates.X,
        );
      expect(fit).toThrow(ClusterlabError);
      expect(fit).toThrow(
        "fitting the mixture model failed because some components have ill-defined empirical covariance " +
          "(for instance caused by singleton or collapsed samples); try decreasing nComponents or increasing regCovar",
      );
    }
  });

  it("checks the feature count on predict", () => {
    const m = new GaussianMixture({ nComponents: 2, logger: silentLogger }).fit(iris);
    expect(() => m.predict([[1, 2, 3]])).toThrow("invalid X: 3 features, expected 4 (as seen in fit)");
    expect(() => m.sample(0)).toThrow("invalid nSamples: 0");
  });
});

describe(`GaussianMixture properties (fast-check, seed ${SEED})`, () => {
  const permutation = (n: number) =>
    fc
      .array(fc.nat(), { minLength: n, maxLength: n })
      .map((keys) => Array.from({ length: n }, (_, i) => i).sort((p, q) => keys[p] - keys[q] || p - q));

  for (const dataset of ["iris", "blobsOverlap"]) {
    it(`permuting the rows of ${dataset} does not change the fit from the same explicit init (1e-9)`, () => {
      const X = datasets[dataset].X;
      for (const covarianceType of TYPES) {
        const init = truthInit(dataset, covarianceType);
        const base = new GaussianMixture(init).fit(X);
        fc.assert(
          fc.property(permutation(X.rows), (perm) => {
            const m = new GaussianMixture(init).fit(takeRows(X, perm));
            expectSameFit(m, base, 1e-9);
            for (let i = 0; i < perm.length; i++) if (m.labels[i] !== base.labels[perm[i]]) throw new Error("labels");
          }),
          { seed: SEED, numRuns: 5 },
        );
      }
    });
  }

  it("the lower bound never decreases along EM (up to rounding)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(...TYPES), (seed, covarianceType) => {
        const m = new GaussianMixture({
          nComponents: 3,
          covarianceType,
          initParams: "random",
          seed,
          maxIter: 30,
          regCovar: 0,
          logger: silentLogger,
        }).fit(iris);
        for (let i = 1; i < m.lowerBounds.length; i++) {
          if (m.lowerBounds[i] < m.lowerBounds[i - 1] - 1e-9) throw new Error(`decrease at ${i}`);
        }
      }),
      { seed: SEED, numRuns: 12 },
    );
  });
});
