/**
 * PCA's passes over the data as kernels over a block of rows (internal to the decomposition
 * area). Each has a WebAssembly SIMD transcription of the same name in
 * `packages/core/assembly/pca.ts` that adds the same numbers in the same order (every `f64x2`
 * lane does one scalar computation of this file), so both backends return the same bits. The
 * driver (pca.ts) splits the rows into fixed blocks (`blockRows`, as k-means) and combines the
 * per-block sums in block order, so results do not depend on the number of threads.
 */
import { addLowerProduct } from "../mixture/gaussianKernels.js";

/** Rows per sub-block of the column sums (each sub-block summed on its own, then added). */
export const SUM_BLOCK = 256;
/** Rows per chunk of the scatter (centred into `buf`, then multiplied). */
export const GRAM_CHUNK = 64;

/**
 * Column sums of rows [i0, i1) into `out[outOffset..]` (d entries, zeroed first): per sub-block
 * of `SUM_BLOCK` rows, `part[j]` sums the rows in order from 0, then `out[j] += part[j]`. `part`
 * needs d entries.
 */
export function columnSumsBlock(
  x: Float64Array,
  d: number,
  i0: number,
  i1: number,
  out: Float64Array,
  outOffset: number,
  part: Float64Array,
): void {
  for (let j = 0; j < d; j++) out[outOffset + j] = 0;
  for (let start = i0; start < i1; start += SUM_BLOCK) {
    const end = Math.min(i1, start + SUM_BLOCK);
    for (let j = 0; j < d; j++) part[j] = 0;
    for (let i = start; i < end; i++) {
      const base = i * d;
      for (let j = 0; j < d; j++) part[j] += x[base + j];
    }
    for (let j = 0; j < d; j++) out[outOffset + j] += part[j];
  }
}

/**
 * Scatter of the centred rows [i0, i1): the packed lower triangle (row a at `a (a + 1) / 2`) of
 * `sum_i (x_i - mean)(x_i - mean)^T` into `acc[accOffset..]` (zeroed first), by chunks of
 * `GRAM_CHUNK` rows centred into `buf` (GRAM_CHUNK * d entries) and added by `addLowerProduct`.
 */
export function gramBlock(
  x: Float64Array,
  d: number,
  mean: Float64Array,
  i0: number,
  i1: number,
  acc: Float64Array,
  accOffset: number,
  buf: Float64Array,
): void {
  const packed = (d * (d + 1)) / 2;
  for (let p = 0; p < packed; p++) acc[accOffset + p] = 0;
  for (let start = i0; start < i1; start += GRAM_CHUNK) {
    const end = Math.min(i1, start + GRAM_CHUNK);
    for (let i = start, o = 0; i < end; i++, o += d) {
      const base = i * d;
      for (let j = 0; j < d; j++) buf[o + j] = x[base + j] - mean[j];
    }
    addLowerProduct(buf, buf, end - start, d, acc, accOffset);
  }
}

/**
 * Projection of rows [i0, i1): `out[(i - i0) k + c] = sum_j (x_ij - mean_j) comps[c][j]`, divided by
 * `scale[c]` when `whiten` is 1. The sum is that of the WebAssembly kernel's two lanes: the even
 * columns' terms in order, plus the odd columns' terms in order, plus the last column's term when
 * d is odd.
 */
export function projectBlock(
  x: Float64Array,
  d: number,
  mean: Float64Array,
  comps: Float64Array,
  k: number,
  scale: Float64Array,
  whiten: number,
  i0: number,
  i1: number,
  out: Float64Array,
  outOffset: number,
): void {
  const pairs = d & ~1;
  for (let i = i0; i < i1; i++) {
    const base = i * d;
    const o = outOffset + (i - i0) * k;
    for (let c = 0; c < k; c++) {
      const cb = c * d;
      let even = 0;
      let odd = 0;
      for (let j = 0; j < pairs; j += 2) {
        even += (x[base + j] - mean[j]) * comps[cb + j];
        odd += (x[base + j + 1] - mean[j + 1]) * comps[cb + j + 1];
      }
      let s = even + odd;
      if (pairs < d) s += (x[base + d - 1] - mean[d - 1]) * comps[cb + d - 1];
      out[o + c] = whiten === 1 ? s / scale[c] : s;
    }
  }
}
