// PCA's blocked passes (pcaKernels.ts): the WebAssembly SIMD kernels, the TypeScript kernels and
// worker threads give the same bits; fitTransform's output equals transform(X).
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createNodeExecutor } from "../../node/nodeExecutor.mjs";
import {
  type Matrix,
  PCA,
  type PCAModel,
  Random,
  setKernelBackend,
  setParallelExecutor,
  wasmKernelsAvailable,
} from "../../src/index.js";

const executor = createNodeExecutor(1);
afterEach(() => {
  setParallelExecutor(null);
  setKernelBackend("auto");
});
afterAll(() => executor.close());

function correlated(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    for (let t = 0; t < d; t++) data[i * d + t] = 100 + (t + 1) * z + rng.normal() * (1 + t / 3);
  }
  return { rows: n, cols: d, data };
}

function fields(m: PCAModel) {
  return [m.components.data, m.explainedVariance, m.singularValues, m.mean].map((a) => Array.from(a));
}

const wasm = wasmKernelsAvailable();

describe("PCA over blocks of rows", () => {
  for (const [n, d, k, whiten] of [
    [20_001, 7, 3, false],
    [9_000, 16, 2, true],
    [5_003, 1, 1, false],
    [12_345, 4, 4, true],
  ] as const) {
    it.skipIf(!wasm)(`${n} x ${d} -> ${k}${whiten ? " whitened" : ""}: WebAssembly = TypeScript = 2 threads`, () => {
      const X = correlated(n, d, n + d);
      const run = () => {
        const { model, output } = new PCA({ nComponents: k, whiten }).fitTransform(X);
        return { model, output: Array.from(output.data), transformed: Array.from(model.transform(X).data) };
      };
      setKernelBackend("js");
      const js = run();
      setKernelBackend("wasm");
      const one = run();
      setParallelExecutor(executor);
      const two = run();
      for (const r of [one, two]) {
        expect(fields(r.model)).toEqual(fields(js.model));
        expect(r.output).toEqual(js.output);
        expect(r.transformed).toEqual(js.output);
      }
      expect(js.transformed).toEqual(js.output);
    });
  }

  it("fitTransform with a variance fraction equals fit + transform", () => {
    const X = correlated(3000, 6, 1);
    const { model, output } = new PCA({ nComponents: 0.9 }).fitTransform(X);
    expect(output.cols).toBe(model.nComponents);
    expect(Array.from(output.data)).toEqual(Array.from(model.transform(X).data));
  });

  it("rejects non-finite values in a Matrix (found through the column sums), naming the first", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const X = correlated(10_000, 3, 2);
      X.data[7001 * 3 + 1] = bad;
      X.data[9000 * 3 + 2] = bad;
      expect(() => new PCA({ nComponents: 2 }).fit(X)).toThrow(`invalid X: ${bad} at row 7001, column 1`);
      expect(() => new PCA({ nComponents: 2 }).fitTransform(X)).toThrow(/at row 7001, column 1/);
    }
  });
});
