// Greedy k-means++ with worker threads: the candidate potentials are computed in fixed blocks of
// rows (blockRows) whose partial sums are added in block order, so the chosen indices are the same
// with the TypeScript kernels, the WebAssembly kernels on one thread and on three (two workers).
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createNodeExecutor } from "../../node/nodeExecutor.mjs";
import { defaultLocalTrials, kmeansPlusPlusIndices } from "../../src/cluster/kmeansInitKernels.js";
import { blockRows } from "../../src/cluster/kmeansKernels.js";
import {
  kmeansPlusPlusInit,
  type Matrix,
  type ParallelExecutor,
  Random,
  setKernelBackend,
  setParallelExecutor,
} from "../../src/index.js";
import { blobs } from "./blobs.js";

const executor = createNodeExecutor(2);
/** Forwards to `executor`, counting the runs and calls it was handed. */
const counted = { runs: 0, calls: 0 };
const counting: ParallelExecutor = {
  workers: executor.workers,
  run(module, memory, calls, runLocal) {
    counted.runs++;
    counted.calls += calls.length;
    return executor.run(module, memory, calls, runLocal);
  },
};
afterEach(() => {
  setParallelExecutor(null);
  setKernelBackend("auto");
});
afterAll(() => executor.close());

/** The indices on the TypeScript kernels, the WebAssembly kernels, and those with two workers. */
function threeWays(X: Matrix, k: number, w: Float64Array, seed: number, trials: number) {
  setKernelBackend("js");
  const js = kmeansPlusPlusIndices(X, k, w, new Random(seed), trials);
  setKernelBackend("wasm");
  const one = kmeansPlusPlusIndices(X, k, w, new Random(seed), trials);
  setParallelExecutor(counting);
  const before = { ...counted };
  const two = kmeansPlusPlusIndices(X, k, w, new Random(seed), trials);
  setParallelExecutor(null);
  return { js, one, two, runs: counted.runs - before.runs, calls: counted.calls - before.calls };
}

describe("greedy k-means++ on 1 and 3 threads", () => {
  const n = 70001;
  const X = blobs(n, 5, 9, 3);
  const blocks = Math.ceil(n / blockRows(n));

  it("spans many blocks of rows", () => {
    expect(blocks).toBeGreaterThanOrEqual(16);
  });

  it("TypeScript = WebAssembly = WebAssembly on two workers (default trials: potentials4)", () => {
    const k = 12;
    const trials = defaultLocalTrials(k);
    expect(trials).toBe(4);
    const w = new Float64Array(n).fill(1);
    for (const seed of [0, 1, 2]) {
      const r = threeWays(X, k, w, seed, trials);
      expect(Array.from(r.one)).toEqual(Array.from(r.js));
      expect(Array.from(r.two)).toEqual(Array.from(r.js));
      expect(new Set(r.js).size).toBe(k);
      // The first potential and one group of four candidates per further centre, every block a call.
      expect(r.runs).toBe(k);
      expect(r.calls).toBe(k * blocks);
    }
  });

  it("the same with weights and single candidates (potential1), several groups of candidates", () => {
    const rng = new Random(8);
    const w = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : 0.25 + 2 * rng.float()));
    for (const trials of [1, 3, 6]) {
      const r = threeWays(X, 10, w, 5, trials);
      expect(Array.from(r.one)).toEqual(Array.from(r.js));
      expect(Array.from(r.two)).toEqual(Array.from(r.js));
      for (const i of r.js) expect(w[i]).toBeGreaterThan(0);
    }
  });

  it("kmeansPlusPlusInit returns the same centres on every backend and thread count", () => {
    const Y = blobs(40000, 16, 16, 11);
    setKernelBackend("js");
    const js = kmeansPlusPlusInit(Y, 16, { seed: 4 });
    setKernelBackend("wasm");
    const one = kmeansPlusPlusInit(Y, 16, { seed: 4 });
    setParallelExecutor(executor);
    const two = kmeansPlusPlusInit(Y, 16, { seed: 4 });
    expect(Array.from(one.data)).toEqual(Array.from(js.data));
    expect(Array.from(two.data)).toEqual(Array.from(js.data));
  });

  it("one block (small n) runs on the calling thread with the same result", () => {
    const Y = blobs(3000, 3, 4, 2);
    const w = new Float64Array(3000).fill(1);
    const r = threeWays(Y, 6, w, 1, 4);
    expect(Array.from(r.one)).toEqual(Array.from(r.js));
    expect(Array.from(r.two)).toEqual(Array.from(r.js));
    expect(r.runs).toBe(0);
  });
});
