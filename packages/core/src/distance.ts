import type { Matrix } from "./matrix.js";

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (same number of columns). */
export function squaredDistanceRows(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  const ai = i * d;
  const bj = j * d;
  for (let t = 0; t < d; t++) {
    const diff = a[ai + t] - b[bj + t];
    s += diff * diff;
  }
  return s;
}

/** Squared Euclidean norm of every row. */
export function rowSquaredNorms(m: Matrix): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const base = i * cols;
    for (let t = 0; t < cols; t++) s += data[base + t] * data[base + t];
    out[i] = s;
  }
  return out;
}

/**
 * Squared Euclidean distances from rows [start, end) of `x` to every row of `y`, written
 * row-major into `out` (length >= (end - start) * y.rows). Computed directly as sum of squared
 * differences (no norm expansion), so results are exact to rounding and never negative.
 */
export function squaredDistanceBlock(x: Matrix, start: number, end: number, y: Matrix, out: Float64Array): void {
  const d = x.cols;
  const xd = x.data;
  const yd = y.data;
  const m = y.rows;
  for (let i = start; i < end; i++) {
    const xi = i * d;
    const o = (i - start) * m;
    for (let j = 0; j < m; j++) {
      const yj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = xd[xi + t] - yd[yj + t];
        s += diff * diff;
      }
      out[o + j] = s;
    }
  }
}
