// The WebAssembly and TypeScript kernels give bit-identical results (labels, centres, inertia,
// iteration counts, silhouette values) on random data and on the reference datasets.
import { afterEach, describe, expect, it } from "vitest";
import {
  KMeans,
  type KMeansModel,
  kmeansPlusPlusInit,
  type Matrix,
  Random,
  setKernelBackend,
  silentLogger,
  silhouetteSamples,
  wasmKernelsAvailable,
} from "../../src/index.js";
import type { SilhouetteMetric } from "../../src/metrics/silhouetteSamples.js";
import { acquireWorkspace } from "../../src/wasm/workspace.js";
import { loadDatasets } from "../fixtures.js";
import { blobs } from "./blobs.js";

afterEach(() => setKernelBackend("auto"));

function both<T>(f: () => T): { js: T; wasm: T } {
  setKernelBackend("js");
  const js = f();
  setKernelBackend("wasm");
  const wasm = f();
  setKernelBackend("auto");
  return { js, wasm };
}

function expectSameModel(a: KMeansModel, b: KMeansModel): void {
  expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
  expect(Array.from(b.clusterCenters.data)).toEqual(Array.from(a.clusterCenters.data));
  expect(Object.is(b.inertia, a.inertia)).toBe(true);
  expect(b.nIter).toBe(a.nIter);
  expect(b.converged).toBe(a.converged);
}

describe("kernel backends", () => {
  it("WebAssembly SIMD is available here and actually selected by setKernelBackend('wasm')", () => {
    expect(wasmKernelsAvailable()).toBe(true);
    setKernelBackend("wasm");
    const ws = acquireWorkspace((a) => a.f64(4), 1);
    try {
      expect(ws.kernels).not.toBeNull();
    } finally {
      ws.release();
    }
    setKernelBackend("js");
    const js = acquireWorkspace((a) => a.f64(4), 1 << 30);
    expect(js.kernels).toBeNull();
    js.release();
  });

  it("rejects an unknown backend", () => {
    expect(() => setKernelBackend("gpu" as "js")).toThrow(/backend/);
  });
});

describe("KMeans: WebAssembly and TypeScript kernels agree bit for bit", () => {
  const shapes = [
    { n: 3000, d: 16, k: 16 },
    { n: 2500, d: 7, k: 9 },
    { n: 2000, d: 1, k: 5 },
    { n: 2000, d: 3, k: 33 },
    { n: 2000, d: 3, k: 70 }, // more centres than a rescan lists (lloydScan.ts ORDER_LENGTH)
    { n: 9000, d: 4, k: 6 }, // several blocks of rows
  ];
  for (const { n, d, k } of shapes) {
    for (const algorithm of ["lloyd", "elkan"] as const) {
      it(`${n} x ${d}, k = ${k}, ${algorithm}`, () => {
        const X = blobs(n, d, Math.max(2, Math.floor(k / 2)), n + d + k);
        const w = Float64Array.from({ length: n }, (_, i) => 0.5 + ((i * 7) % 5));
        const opts = { nClusters: k, seed: 3, algorithm, maxIter: 100, tol: 0, logger: silentLogger };
        const { js, wasm } = both(() => new KMeans(opts).fit(X, { sampleWeight: w }));
        expectSameModel(js, wasm);
        const pred = both(() => js.predict(X));
        expect(Array.from(pred.wasm)).toEqual(Array.from(pred.js));
        expect(Array.from(pred.js)).toEqual(Array.from(js.labels));
        const score = both(() => js.score(X, { sampleWeight: w }));
        expect(Object.is(score.wasm, score.js)).toBe(true);
      });
    }
  }

  it("data on a coarse grid (many exact ties), random init, several runs", () => {
    const X = blobs(4000, 3, 5, 11, 2);
    for (const algorithm of ["lloyd", "elkan"] as const) {
      const opts = { nClusters: 7, init: "random" as const, nInit: 3, seed: 5, algorithm, logger: silentLogger };
      const { js, wasm } = both(() => new KMeans(opts).fit(X));
      expectSameModel(js, wasm);
    }
  });

  it("k-means++ seeding picks the same centres", () => {
    const X = blobs(20000, 5, 8, 2);
    const { js, wasm } = both(() => kmeansPlusPlusInit(X, 12, { seed: 9 }));
    expect(Array.from(wasm.data)).toEqual(Array.from(js.data));
  });

  it("the reference datasets, k-means++ with several runs", () => {
    for (const [name, ds] of Object.entries(loadDatasets())) {
      const k = Math.min(ds.k + 1, ds.X.rows);
      for (const algorithm of ["lloyd", "elkan"] as const) {
        const opts = { nClusters: k, nInit: 3, seed: 1, algorithm, logger: silentLogger };
        const { js, wasm } = both(() => new KMeans(opts).fit(ds.X));
        expect({ name, same: Object.is(js.inertia, wasm.inertia) }).toEqual({ name, same: true });
        expectSameModel(js, wasm);
      }
    }
  });

  it("an onIteration hook that fits again (nested use falls back to TypeScript) changes nothing", () => {
    const X = blobs(3000, 4, 5, 4);
    const inner = blobs(500, 2, 3, 5);
    const innerRef = new KMeans({ nClusters: 3, seed: 1 }).fit(inner);
    const run = () =>
      new KMeans({
        nClusters: 6,
        seed: 2,
        onIteration: () => {
          const m = new KMeans({ nClusters: 3, seed: 1 }).fit(inner);
          expect(m.inertia).toBe(innerRef.inertia);
        },
      }).fit(X);
    const { js, wasm } = both(run);
    expectSameModel(js, wasm);
  });
});

describe("silhouette: WebAssembly and TypeScript kernels agree bit for bit", () => {
  const metrics: SilhouetteMetric[] = ["euclidean", "sqeuclidean", "manhattan", "cosine"];
  for (const metric of metrics) {
    it(`${metric}: several shapes and block sizes`, () => {
      for (const [n, d, k, blockSize] of [
        [1500, 16, 6, 256],
        [1201, 5, 3, 7],
        [999, 1, 4, 64],
        [777, 3, 9, 1000],
      ]) {
        const X = blobs(n, d, k, n + d);
        const labels = Int32Array.from({ length: n }, (_, i) => (i * 7919) % k);
        const { js, wasm } = both(() => silhouetteSamples(X, labels, { metric, blockSize }));
        expect(Array.from(wasm)).toEqual(Array.from(js));
      }
    });
  }

  it("the row-block schedule (many labels) agrees too", () => {
    // n x labels > 2^21 switches to the schedule that holds one block of rows' sums.
    const n = 2600;
    const X = blobs(n, 6, 4, 8);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 1300);
    for (const metric of metrics) {
      const { js, wasm } = both(() => silhouetteSamples(X, labels, { metric, blockSize: 100 }));
      expect(Array.from(wasm)).toEqual(Array.from(js));
    }
  });
});
