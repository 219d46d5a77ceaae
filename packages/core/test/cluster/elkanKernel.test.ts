// Elkan's bounds kernel (runElkan) called directly: `KMeans({ algorithm: "elkan" })` runs it only
// from 128 features on (below, Hamerly's bounds are faster and return the same result), so the
// kernel is checked here at low dimension too, on both backends and with worker threads.
import { afterEach, describe, expect, it } from "vitest";
import { createNodeExecutor } from "../../node/nodeExecutor.mjs";
import { runElkan, runLloyd, scaledTolerance } from "../../src/cluster/kmeansKernels.js";
import {
  KMeans,
  type Matrix,
  Random,
  setKernelBackend,
  setParallelExecutor,
  wasmKernelsAvailable,
} from "../../src/index.js";

afterEach(() => {
  setKernelBackend("auto");
  setParallelExecutor(null);
});

function blobs(n: number, d: number, k: number, seed: number): { X: Matrix; init: Float64Array } {
  const rng = new Random(seed);
  const centres = new Float64Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.float() * 6;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let t = 0; t < d; t++) data[i * d + t] = centres[c * d + t] + rng.normal();
  }
  const pick = rng.sampleWithoutReplacement(n, k);
  const init = new Float64Array(k * d);
  for (let c = 0; c < k; c++) init.set(data.subarray(pick[c] * d, (pick[c] + 1) * d), c * d);
  return { X: { rows: n, cols: d, data }, init };
}

const backends = wasmKernelsAvailable() ? (["js", "wasm"] as const) : (["js"] as const);

describe("runElkan", () => {
  for (const [n, d, k] of [
    [3000, 2, 7],
    [9000, 8, 32],
    [2500, 17, 5],
  ] as const) {
    it(`returns exactly runLloyd's result (${n} x ${d}, k ${k}) on every backend`, () => {
      const { X, init } = blobs(n, d, k, n + d);
      const w = new Float64Array(n).fill(1);
      const opts = { maxIter: 100, tol: scaledTolerance(X, 1e-4) };
      setKernelBackend("js");
      const ref = runLloyd(X, w, init, k, opts);
      for (const backend of backends) {
        setKernelBackend(backend);
        const e = runElkan(X, w, init, k, opts);
        expect(e.nIter).toBe(ref.nIter);
        expect(e.inertia).toBe(ref.inertia);
        expect(Array.from(e.labels)).toEqual(Array.from(ref.labels));
        expect(Array.from(e.centers)).toEqual(Array.from(ref.centers));
      }
    });
  }

  it("gives the same result with worker threads", async () => {
    const { X, init } = blobs(20_000, 8, 16, 3);
    const w = new Float64Array(X.rows).fill(1);
    const opts = { maxIter: 100, tol: 0 };
    const one = runElkan(X, w, init, 16, opts);
    const executor = createNodeExecutor(1);
    try {
      setParallelExecutor(executor);
      const two = runElkan(X, w, init, 16, opts);
      expect(two.inertia).toBe(one.inertia);
      expect(Array.from(two.labels)).toEqual(Array.from(one.labels));
    } finally {
      setParallelExecutor(null);
      await executor.close();
    }
  });
});

describe('KMeans({ algorithm: "elkan" })', () => {
  it("equals lloyd bit for bit at and above the Elkan threshold (130 features)", () => {
    const { X, init } = blobs(1500, 130, 6, 9);
    const lloyd = new KMeans({ nClusters: 6, init: { rows: 6, cols: 130, data: init }, algorithm: "lloyd" }).fit(X);
    const elkan = new KMeans({ nClusters: 6, init: { rows: 6, cols: 130, data: init }, algorithm: "elkan" }).fit(X);
    expect(elkan.nIter).toBe(lloyd.nIter);
    expect(elkan.inertia).toBe(lloyd.inertia);
    expect(Array.from(elkan.labels)).toEqual(Array.from(lloyd.labels));
    expect(Array.from(elkan.clusterCenters.data)).toEqual(Array.from(lloyd.clusterCenters.data));
  });
});
