import type { Matrix } from "../matrix.js";
import { checkInt } from "../validate.js";
import { asLinkageMatrix, type LinkageMatrixLike } from "./linkageMatrix.js";

/**
 * Inconsistency statistics of every merge (scipy's `inconsistent`): row i of the (n-1) x 4
 * result describes the heights of merge i and the merges up to `depth - 1` levels below it:
 * `[mean, standard deviation (n - 1 denominator), number of merges, inconsistency coefficient]`
 * with coefficient `(height_i - mean) / std` (0 when std is 0). `depth` defaults to 2.
 */
export function inconsistent(Z: LinkageMatrixLike, depth = 2): Matrix {
  const z = asLinkageMatrix(Z);
  checkInt(depth, "depth", 0);
  const rows = z.rows;
  const n = rows + 1;
  const zd = z.data;
  const R = new Float64Array(rows * 4);
  const stack = new Int32Array(n);
  const visited = new Uint8Array(2 * n - 1);
  const touched: number[] = [];
  for (let i = 0; i < rows; i++) {
    let k = 0;
    let count = 0;
    let sum = 0;
    let sumSq = 0;
    for (const t of touched) visited[t] = 0;
    touched.length = 0;
    stack[0] = i;
    while (k >= 0) {
      const root = stack[k];
      if (k < depth - 1) {
        const a = zd[4 * root];
        if (a >= n && !visited[a]) {
          visited[a] = 1;
          touched.push(a);
          stack[++k] = a - n;
          continue;
        }
        const b = zd[4 * root + 1];
        if (b >= n && !visited[b]) {
          visited[b] = 1;
          touched.push(b);
          stack[++k] = b - n;
          continue;
        }
      }
      const h = zd[4 * root + 2];
      count++;
      sum += h;
      sumSq += h * h;
      k--;
    }
    R[4 * i] = sum / count;
    R[4 * i + 2] = count;
    const variance = count < 2 ? (sumSq - sum * sum) / count : (sumSq - (sum * sum) / count) / (count - 1);
    if (variance > 0) {
      const std = Math.sqrt(variance);
      R[4 * i + 1] = std;
      R[4 * i + 3] = (zd[4 * i + 2] - R[4 * i]) / std;
    }
  }
  return { rows, cols: 4, data: R };
}
