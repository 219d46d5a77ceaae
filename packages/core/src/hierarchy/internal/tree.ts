import type { Matrix } from "../../matrix.js";

/** Post-order maximum of `value(row)` over each subtree (rows reference only earlier rows). */
export function subtreeMax(Z: Matrix, value: (row: number) => number): Float64Array {
  const rows = Z.rows;
  const n = rows + 1;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let v = value(r);
    const a = Z.data[4 * r];
    const b = Z.data[4 * r + 1];
    if (a >= n && out[a - n] > v) v = out[a - n];
    if (b >= n && out[b - n] > v) v = out[b - n];
    out[r] = v;
  }
  return out;
}

/** Pre-order leaves of a validated linkage matrix (`idx1` before `idx2`), without recursion. */
export function leafOrder(z: Float64Array, n: number): Int32Array {
  const out = new Int32Array(n);
  if (n === 1) return out;
  const stack = new Int32Array(n + 1);
  let top = 0;
  let p = 0;
  stack[0] = 2 * n - 2;
  while (top >= 0) {
    const node = stack[top--];
    if (node < n) {
      out[p++] = node;
      continue;
    }
    const r = node - n;
    stack[++top] = z[4 * r + 1];
    stack[++top] = z[4 * r];
  }
  return out;
}
