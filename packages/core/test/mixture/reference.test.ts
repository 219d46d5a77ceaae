/**
 * GaussianMixture against scikit-learn (reference/mixture.py -> reference/fixtures/mixture.json).
 * Every case starts from the same explicit weights/means/precisions, so EM follows the same path.
 *
 * Tolerance: every fitted value agrees elementwise to 1e-9 relative (plus 1e-12 x the largest
 * entry of the array, for entries that are ~0, such as off-diagonal covariances); the measured
 * worst case is ~2e-12 (floating-point summation order is the only difference). Iteration counts,
 * convergence flags, warnings and labels are equal.
 */
import { describe, expect, it } from "vitest";
import { GaussianMixture, type GaussianMixtureModel, memoryLogger, takeRows } from "../../src/index.js";
import { loadDatasets } from "../fixtures.js";
import { loadMixtureCases, type MixtureCase } from "./helpers.js";

const RTOL = 1e-9;
const datasets = loadDatasets();
const cases = loadMixtureCases();

function expectClose(name: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = RTOL): void {
  expect(actual.length, `${name} length`).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  const atol = 1e-12 * scale;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (!(Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b)) + atol)) {
      throw new Error(`${name}[${i}]: ${a} vs scikit-learn ${b} (|diff| ${Math.abs(a - b)})`);
    }
  }
}

function fitCase(c: MixtureCase): { model: GaussianMixtureModel; warnings: string[] } {
  const X = datasets[c.dataset].X;
  const logger = memoryLogger();
  const model = new GaussianMixture({
    nComponents: c.nComponents,
    covarianceType: c.covarianceType,
    tol: c.tol,
    maxIter: c.maxIter,
    regCovar: c.regCovar,
    weightsInit: c.weightsInit,
    meansInit: { rows: c.nComponents, cols: X.cols, data: Float64Array.from(c.meansInit) },
    precisionsInit: c.precisionsInit,
    logger,
  }).fit(X);
  return { model, warnings: logger.messages };
}

describe("GaussianMixture matches scikit-learn from the same explicit initialisation", () => {
  it("fixture has the expected cases", () => {
    expect(cases.length).toBe(52);
  });

  for (const c of cases) {
    const title = `${c.dataset} ${c.covarianceType} (init ${c.init}, tol ${c.tol}, maxIter ${c.maxIter})`;
    it(title, () => {
      const X = datasets[c.dataset].X;
      const { model, warnings } = fitCase(c);
      expect(model.nIter).toBe(c.nIter);
      expect(model.converged).toBe(c.converged);
      expect(warnings.length > 0).toBe(c.warned);
      expect(model.nComponents).toBe(c.nComponents);
      expect(model.nFeaturesIn).toBe(X.cols);
      expect(model.nParameters).toBe(c.nParameters);
      expectClose("weights", model.weights, c.weights);
      expectClose("means", model.means.data, c.means);
      expectClose("covariances", model.covariances, c.covariances);
      expectClose("precisions", model.precisions, c.precisions);
      expectClose("precisionsCholesky", model.precisionsCholesky, c.precisionsCholesky);
      expectClose("lowerBound", [model.lowerBound], [c.lowerBound]);
      expect(model.lowerBounds.length).toBe(c.nIter);
      expect(model.lowerBounds[c.nIter - 1]).toBe(model.lowerBound);
      expect(Array.from(model.labels)).toEqual(c.labels);
      expect(Array.from(model.predict(X))).toEqual(c.labels);
      expectClose("scoreSamples", model.scoreSamples(X), c.scoreSamples);
      expectClose("score", [model.score(X)], [c.score]);
      expectClose("bic", [model.bic(X)], [c.bic]);
      expectClose("aic", [model.aic(X)], [c.aic]);
      const proba = model.predictProba(takeRows(X, c.probaRows));
      expect(proba.rows).toBe(c.probaRows.length);
      expect(proba.cols).toBe(c.nComponents);
      // Probabilities: absolute tolerance (tiny posteriors carry no relative accuracy).
      for (let i = 0; i < c.proba.length; i++) expect(Math.abs(proba.data[i] - c.proba[i])).toBeLessThan(1e-10);
    });
  }
});
