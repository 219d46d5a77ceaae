import { type Matrix, Random } from "../../src/index.js";

/**
 * Overlapping Gaussian blobs (ties are rare but boundaries crowded), optionally rounded to a grid:
 * k centres uniform in [0, 6)^d, each row a random centre plus standard normal noise.
 */
export function blobs(n: number, d: number, k: number, seed: number, grid = 0): Matrix {
  const rng = new Random(seed);
  const centres = new Float64Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.float() * 6;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let t = 0; t < d; t++) {
      const v = centres[c * d + t] + rng.normal();
      data[i * d + t] = grid > 0 ? Math.round(v * grid) / grid : v;
    }
  }
  return { rows: n, cols: d, data };
}
