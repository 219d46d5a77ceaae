// With worker threads (Node executor), results are identical to one thread and to the TypeScript kernels.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createNodeExecutor } from "../../node/nodeExecutor.mjs";
import { KMeans, type Matrix, Random, setKernelBackend, setParallelExecutor, silentLogger } from "../../src/index.js";
import { blobs } from "./blobs.js";

const executor = createNodeExecutor(1);
afterEach(() => {
  setParallelExecutor(null);
  setKernelBackend("auto");
});
afterAll(() => executor.close());

describe("KMeans on 1 and 2 threads", () => {
  for (const algorithm of ["lloyd", "elkan"] as const) {
    it(`${algorithm}: 2 threads = 1 thread = TypeScript, bit for bit (many blocks of rows)`, () => {
      const X = blobs(60000, 6, 10, 1);
      const opts = { nClusters: 12, seed: 4, algorithm, maxIter: 60, tol: 0, logger: silentLogger };
      setKernelBackend("wasm");
      const one = new KMeans(opts).fit(X);
      setParallelExecutor(executor);
      const two = new KMeans(opts).fit(X);
      setParallelExecutor(null);
      setKernelBackend("js");
      const js = new KMeans(opts).fit(X);
      for (const m of [two, js]) {
        expect(Array.from(m.labels)).toEqual(Array.from(one.labels));
        expect(Array.from(m.clusterCenters.data)).toEqual(Array.from(one.clusterCenters.data));
        expect(m.inertia).toBe(one.inertia);
        expect(m.nIter).toBe(one.nIter);
      }
    });
  }
});
