// The bounding box behind k-means's pruning margin (kmeansKernels.ts `boundingDiagonal`): the
// WebAssembly kernel (`columnRange`, a block of rows per call, on worker threads too) must give the
// box of the TypeScript scan exactly, or the bounds' safety margin would be wrong without any
// result showing it (labels stay right for most data whatever the margin).
import { afterEach, describe, expect, it } from "vitest";
import { createNodeExecutor } from "../../node/nodeExecutor.mjs";
import { blockRows, boundingDiagonal, runLloyd } from "../../src/cluster/kmeansKernels.js";
import { Random, setKernelBackend, setParallelExecutor, wasmKernelsAvailable } from "../../src/index.js";
import { type Allocator, acquireWorkspace } from "../../src/wasm/workspace.js";

afterEach(() => {
  setKernelBackend("auto");
  setParallelExecutor(null);
});

function diagonal(n: number, d: number, data: Float64Array, extra: Float64Array): number {
  const ws = acquireWorkspace(
    (a: Allocator) => ({ data: a.input(data), range: a.f64(Math.ceil(n / blockRows(n)) * 2 * d) }),
    n * d * 1000,
  );
  try {
    return boundingDiagonal(ws, { rows: n, cols: d, data }, ws.arrays.data, ws.arrays.range, extra, blockRows(n));
  } finally {
    ws.release();
  }
}

describe("boundingDiagonal", () => {
  for (const [n, d] of [
    [7, 3],
    [20_001, 5],
    [30_000, 16],
    [9_000, 1],
  ]) {
    it(`is the box diagonal on every backend and thread count (${n} x ${d})`, () => {
      const rng = new Random(n + d);
      const data = new Float64Array(n * d);
      // Each column has its own range; the extremes sit in different blocks.
      for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) data[i * d + t] = (rng.float() - 0.3) * (t + 1) * 10;
      data[(n - 1) * d] = -1e6;
      data[Math.floor(n / 2) * d + (d - 1)] = 2e6;
      const extra = Float64Array.from({ length: 2 * d }, (_, i) => (i === 1 ? 5e6 : 0));
      let s = 0;
      for (let t = 0; t < d; t++) {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < n; i++) {
          lo = Math.min(lo, data[i * d + t]);
          hi = Math.max(hi, data[i * d + t]);
        }
        for (let i = 0; i < 2; i++) {
          lo = Math.min(lo, extra[i * d + t]);
          hi = Math.max(hi, extra[i * d + t]);
        }
        s += (hi - lo) * (hi - lo);
      }
      const expected = Math.sqrt(s);
      setKernelBackend("js");
      expect(diagonal(n, d, data, extra)).toBe(expected);
      if (!wasmKernelsAvailable()) return;
      setKernelBackend("wasm");
      expect(diagonal(n, d, data, extra)).toBe(expected);
      setParallelExecutor(createNodeExecutor(1));
      expect(diagonal(n, d, data, extra)).toBe(expected);
    });

    it(`Lloyd's first pass finds the same box for its margin on every backend (${n} x ${d})`, () => {
      const rng = new Random(n * 3 + d);
      const data = new Float64Array(n * d);
      for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) data[i * d + t] = (rng.float() - 0.6) * (t + 2) * 7;
      data[(n - 1) * d] = -3e5;
      data[Math.floor(n / 3) * d + (d - 1)] = 4e5;
      const init = Float64Array.from({ length: 2 * d }, (_, i) => (i === d ? 9e5 : data[i]));
      const maxIter = 300;
      const X = { rows: n, cols: d, data };
      const expected = diagonal(n, d, data, init) * Math.max(1e-9, 4e-15 * maxIter);
      const run = () => runLloyd(X, new Float64Array(n).fill(1), init, 2, { maxIter, tol: 0 }).margin;
      setKernelBackend("js");
      expect(run()).toBe(expected);
      if (!wasmKernelsAvailable()) return;
      setKernelBackend("wasm");
      expect(run()).toBe(expected);
      setParallelExecutor(createNodeExecutor(1));
      expect(run()).toBe(expected);
    });
  }
});
