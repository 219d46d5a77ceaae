// silhouetteSamples with many labels (n x labels > 2^21: the schedule that holds one block of rows'
// sums, run on the rows sorted by label, silhouetteSamples.ts `sortedByLabel`): every value must be
// the one of the plain computation in the rows' order, bit for bit, on both backends.
import { afterEach, describe, expect, it } from "vitest";
import { Random, setKernelBackend, silhouetteSamples, wasmKernelsAvailable } from "../../src/index.js";

afterEach(() => setKernelBackend("auto"));

/** The definition, pair by pair: each label's sum over the other rows in index order, features in order. */
function plain(data: Float64Array, n: number, d: number, labels: Int32Array, metric: "euclidean" | "manhattan") {
  const k = Math.max(...labels) + 1;
  const counts = new Int32Array(k);
  for (const c of labels) counts[c]++;
  const out = new Float64Array(n);
  const sums = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t] - data[j * d + t];
        s += metric === "euclidean" ? diff * diff : Math.abs(diff);
      }
      sums[labels[j]] += metric === "euclidean" ? Math.sqrt(s) : s;
    }
    const own = labels[i];
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && sums[c] / counts[c] < b) b = sums[c] / counts[c];
    const a = sums[own] / (counts[own] - 1);
    const v = (b - a) / Math.max(a, b);
    out[i] = Number.isNaN(v) ? 0 : v;
  }
  return out;
}

describe("silhouetteSamples with many labels", () => {
  it("equals the plain computation bit for bit, labels in random order, on both backends", () => {
    const rng = new Random(12);
    const n = 2200;
    const d = 3;
    // Coarse values: many equal distances; 1,100 labels, shuffled over the rows, some singletons.
    const data = new Float64Array(n * d).map(() => Math.floor(rng.float() * 20) / 4);
    const labels = new Int32Array(n).map((_, i) => (i < 1100 ? i : Math.floor(rng.float() * 1000)));
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.float() * (i + 1));
      [labels[i], labels[j]] = [labels[j], labels[i]];
    }
    expect(n * 1100).toBeGreaterThan(2 ** 21);
    for (const metric of ["euclidean", "manhattan"] as const) {
      const expected = plain(data, n, d, labels, metric);
      setKernelBackend("js");
      expect(Array.from(silhouetteSamples({ rows: n, cols: d, data }, labels, { metric }))).toEqual(
        Array.from(expected),
      );
      if (!wasmKernelsAvailable()) continue;
      setKernelBackend("wasm");
      const wasm = silhouetteSamples({ rows: n, cols: d, data }, labels, { metric, blockSize: 100 });
      expect(Array.from(wasm)).toEqual(Array.from(expected));
    }
  });
});
