// Davies-Bouldin with thousands of clusters (daviesBouldinScore.ts, one pass over the pairs without a
// k x k matrix): the score must be that of the plain k x k computation, bit for bit, with
// duplicated centroids, equal ratios and wide value ranges.
import { describe, expect, it } from "vitest";
import { daviesBouldinScore, Random } from "../../src/index.js";

/** The textbook computation: the k x k ratio matrix, each row's maximum, their mean. */
function plain(data: Float64Array, n: number, d: number, labels: Int32Array): number {
  const k = Math.max(...labels) + 1;
  const c = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    counts[labels[i]]++;
    for (let t = 0; t < d; t++) c[labels[i] * d + t] += data[i * d + t];
  }
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) c[j * d + t] /= counts[j];
  const s = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let q = 0;
    for (let t = 0; t < d; t++) q += (data[i * d + t] - c[labels[i] * d + t]) ** 2;
    s[labels[i]] += Math.sqrt(q);
  }
  for (let j = 0; j < k; j++) s[j] /= counts[j];
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = 0;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      let q = 0;
      for (let t = 0; t < d; t++) {
        const diff = c[a * d + t] - c[b * d + t];
        q += diff * diff;
      }
      const dist = Math.sqrt(q);
      if (dist === 0) continue;
      const r = (s[a] + s[b]) / dist;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / k;
}

describe("daviesBouldinScore: many clusters", () => {
  it("equals the k x k computation on many small clusters (k = 1,500)", () => {
    const rng = new Random(5);
    const n = 6000;
    const d = 3;
    const data = new Float64Array(n * d).map(() => rng.float() * 100);
    const labels = new Int32Array(n).map((_, i) => i % 1500);
    expect(daviesBouldinScore({ rows: n, cols: d, data }, labels)).toBe(plain(data, n, d, labels));
  });

  it("equals it with duplicated centroids, equal ratios and values from 1e-6 to 1e6", () => {
    // A lattice of clusters, each two points placed symmetrically: many equal ratios; clusters 0
    // and 1 share a centroid; one far, wide cluster.
    const pts: number[] = [];
    const labels: number[] = [];
    for (let c = 0; c < 60; c++) {
      const x = (c % 8) * 10;
      const y = Math.floor(c / 8) * 10;
      const r = c === 1 ? 3 : 1;
      const cx = c === 1 ? 0 : x;
      const cy = c === 1 ? 0 : y;
      pts.push(cx - r, cy, cx + r, cy);
      labels.push(c, c);
    }
    pts.push(1e6, 1e6, 1e6 + 2e5, 1e6, 1e-6, 5e-7, 2e-6, 5e-7);
    labels.push(60, 60, 61, 61);
    const data = Float64Array.from(pts);
    const lab = Int32Array.from(labels);
    const n = lab.length;
    expect(daviesBouldinScore({ rows: n, cols: 2, data }, lab)).toBe(plain(data, n, 2, lab));
  });
});
