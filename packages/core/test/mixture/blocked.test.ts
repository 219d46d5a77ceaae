// The blocked EM of full and tied mixtures (gaussianEM.ts): the WebAssembly SIMD kernels, the
// TypeScript kernels and worker threads give the same bits; the blocked sums agree with the
// sequential M-step to rounding; the kernels equal naive formulas.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createNodeExecutor } from "../../node/nodeExecutor.mjs";
import {
  GaussianMixture,
  type GaussianMixtureModel,
  type Matrix,
  Random,
  setKernelBackend,
  setParallelExecutor,
  silentLogger,
  wasmKernelsAvailable,
} from "../../src/index.js";
import { BlockedEM } from "../../src/mixture/gaussianEM.js";
import { GaussianMStep, precisionCholeskyFromCovariances } from "../../src/mixture/gaussianParameters.js";
import { maxRelativeError } from "./helpers.js";

const executor = createNodeExecutor(1);
afterEach(() => {
  setParallelExecutor(null);
  setKernelBackend("auto");
});
afterAll(() => executor.close());

function blobs(n: number, d: number, k: number, seed: number): Matrix {
  const rng = new Random(seed);
  const centres = Float64Array.from({ length: k * d }, () => rng.float() * 8);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let t = 0; t < d; t++) data[i * d + t] = centres[c * d + t] + rng.normal() * (1 + (c % 3) * 0.5);
  }
  return { rows: n, cols: d, data };
}

function expectSame(a: GaussianMixtureModel, b: GaussianMixtureModel): void {
  expect(b.nIter).toBe(a.nIter);
  expect(Array.from(b.lowerBounds)).toEqual(Array.from(a.lowerBounds));
  expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
  expect(Array.from(b.means.data)).toEqual(Array.from(a.means.data));
  expect(Array.from(b.covariances)).toEqual(Array.from(a.covariances));
  expect(Array.from(b.precisionsCholesky)).toEqual(Array.from(a.precisionsCholesky));
  expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
}

const wasm = wasmKernelsAvailable();

describe("GaussianMixture full / tied over blocks of rows", () => {
  // n > 4096: several blocks; n not a multiple of 4 and odd d exercise every tail of the kernels.
  for (const [n, d, k, type] of [
    [9001, 5, 4, "full"],
    [10_243, 2, 3, "full"],
    [8999, 1, 3, "full"],
    [12_002, 6, 5, "tied"],
    [2001, 7, 3, "full"],
  ] as const) {
    it.skipIf(!wasm)(`${type} ${n} x ${d}, k ${k}: WebAssembly = TypeScript = 2 threads, bit for bit`, () => {
      const X = blobs(n, d, k, n + d);
      const opts = { nComponents: k, covarianceType: type, seed: 3, maxIter: 25, tol: 0, logger: silentLogger };
      setKernelBackend("js");
      const js = new GaussianMixture(opts).fit(X);
      setKernelBackend("wasm");
      const one = new GaussianMixture(opts).fit(X);
      setParallelExecutor(executor);
      const two = new GaussianMixture(opts).fit(X);
      expectSame(js, one);
      expectSame(js, two);
    });
  }

  it("the blocked M-step agrees with the sequential one to rounding (many blocks)", () => {
    const n = 40_000;
    const d = 4;
    const k = 3;
    const X = blobs(n, d, k, 5);
    const rng = new Random(8);
    const weights = Float64Array.of(0.3, 0.3, 0.4);
    const means = Float64Array.from({ length: k * d }, () => rng.float() * 8);
    const cov = new Float64Array(k * d * d);
    for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) cov[c * d * d + t * d + t] = 2 + c;
    const pc = new Float64Array(k * d * d);
    precisionCholeskyFromCovariances("full", k, d, cov, pc);
    for (const backend of wasm ? (["js", "wasm"] as const) : (["js"] as const)) {
      setKernelBackend(backend);
      const em = new BlockedEM(X, "full", k, d, 1e-6);
      try {
        em.eStep(weights, means, pc);
        const nk = new Float64Array(k);
        const mu = new Float64Array(k * d);
        const covs = new Float64Array(k * d * d);
        em.mStep(nk, mu, covs);
        const seqNk = new Float64Array(k);
        const seqMu = new Float64Array(k * d);
        const seqCovs = new Float64Array(k * d * d);
        new GaussianMStep("full", k, d, 1e-6).estimate(X, em.resp.slice(), seqNk, seqMu, seqCovs);
        expect(maxRelativeError(nk, seqNk)).toBeLessThan(1e-12);
        expect(maxRelativeError(mu, seqMu)).toBeLessThan(1e-12);
        expect(maxRelativeError(covs, seqCovs)).toBeLessThan(1e-11);
      } finally {
        em.release();
      }
    }
  });

  it("the labels of the fit equal predict(X) (the same log-probabilities)", () => {
    const X = blobs(9000, 3, 4, 2);
    const model = new GaussianMixture({ nComponents: 4, seed: 1, logger: silentLogger }).fit(X);
    expect(Array.from(model.predict(X))).toEqual(Array.from(model.labels));
  });
});
