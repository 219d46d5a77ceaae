import { type Matrix, Random } from "../../src/index.js";

/** `perBlob` rows around each centre (normal, sd `spread`), seeded; labels are the blob index. */
export function blobs(
  centres: number[][],
  perBlob: number,
  spread: number,
  seed = 1,
): { X: Matrix; labels: Int32Array } {
  const random = new Random(seed);
  const d = centres[0].length;
  const n = centres.length * perBlob;
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let c = 0; c < centres.length; c++) {
    for (let r = 0; r < perBlob; r++) {
      const i = c * perBlob + r;
      labels[i] = c;
      for (let t = 0; t < d; t++) data[i * d + t] = centres[c][t] + spread * random.normal();
    }
  }
  return { X: { rows: n, cols: d, data }, labels };
}

/** n rows uniform in the unit square (d = 2), seeded. */
export function uniform(n: number, seed = 2): Matrix {
  const random = new Random(seed);
  const data = new Float64Array(n * 2);
  for (let p = 0; p < data.length; p++) data[p] = random.float();
  return { rows: n, cols: 2, data };
}

export const THREE_BLOBS = [
  [0, 0],
  [10, 10],
  [-10, 10],
];
