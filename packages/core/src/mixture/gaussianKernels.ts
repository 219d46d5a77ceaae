/**
 * The Gaussian mixture's hot loops for full and tied covariances, as kernels over a block of rows
 * (internal to the mixture area). Each has a WebAssembly SIMD transcription of the same name in
 * `packages/core/assembly/mixture.ts` that adds the same numbers in the same order, so both
 * backends return the same bits (vectorised across rows in the E-step and across features in the
 * M-step: every SIMD lane does one scalar computation of this file).
 *
 * The EM driver (gaussianMixture.ts) splits the rows into fixed blocks (`blockRows`, as k-means),
 * runs these kernels per block (on worker threads when an executor is set) and combines the
 * per-block sums in block order: results do not depend on the number of threads.
 */
import { blockRows } from "../cluster/kmeansKernels.js";

export { blockRows };

/** Rows per sub-chunk of the E-step (keeps the chunk of X in cache across the components). */
export const E_CHUNK = 256;
/** Rows per chunk of the scatter (gathered into `wBuf` / `dBuf`). */
export const CHUNK = 64;

/**
 * Weighted log-probabilities of rows [i0, i1): `out[outOffset + (i - i0) k + c] = constants[c] -
 * 1/2 ||(x_i - mu_c) U_c||^2` where `factors` holds U_c^T packed by rows (`c * step + j (j + 1)
 * / 2 + t` is U_c[t][j], t <= j; step 0 shares one factor, for tied). The Mahalanobis term of a
 * row is summed as: for j = 0, 2, 4, ...: `a = sum_{t <= j} U[t][j] e_t`, `b = sum_{t <= j + 1}
 * U[t][j + 1] e_t` (t ascending from 0), `s += a * a + b * b`; then for odd d the last `a`, `s +=
 * a * a`. `diff` needs 4 d entries.
 */
export function logProbRows(
  x: Float64Array,
  d: number,
  k: number,
  means: Float64Array,
  factors: Float64Array,
  step: number,
  constants: Float64Array,
  i0: number,
  i1: number,
  out: Float64Array,
  outOffset: number,
  diff: Float64Array,
): void {
  for (let start = i0; start < i1; start += E_CHUNK) {
    const end = Math.min(i1, start + E_CHUNK);
    const end4 = start + ((end - start) & ~3);
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      const p0 = c * step;
      const cst = constants[c];
      for (let i = start; i < end4; i += 4) {
        const x0 = i * d;
        for (let t = 0; t < d; t++) {
          const mu = means[mo + t];
          const q = 4 * t;
          diff[q] = x[x0 + t] - mu;
          diff[q + 1] = x[x0 + d + t] - mu;
          diff[q + 2] = x[x0 + 2 * d + t] - mu;
          diff[q + 3] = x[x0 + 3 * d + t] - mu;
        }
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let j = 0;
        for (; j + 1 < d; j += 2) {
          const pa = p0 + (j * (j + 1)) / 2;
          const pb = pa + j + 1;
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          let b0 = 0;
          let b1 = 0;
          let b2 = 0;
          let b3 = 0;
          for (let t = 0, q = 0; t <= j; t++, q += 4) {
            const fa = factors[pa + t];
            const fb = factors[pb + t];
            const e0 = diff[q];
            const e1 = diff[q + 1];
            const e2 = diff[q + 2];
            const e3 = diff[q + 3];
            a0 += fa * e0;
            a1 += fa * e1;
            a2 += fa * e2;
            a3 += fa * e3;
            b0 += fb * e0;
            b1 += fb * e1;
            b2 += fb * e2;
            b3 += fb * e3;
          }
          const fb = factors[pb + j + 1];
          const q = 4 * (j + 1);
          b0 += fb * diff[q];
          b1 += fb * diff[q + 1];
          b2 += fb * diff[q + 2];
          b3 += fb * diff[q + 3];
          s0 += a0 * a0 + b0 * b0;
          s1 += a1 * a1 + b1 * b1;
          s2 += a2 * a2 + b2 * b2;
          s3 += a3 * a3 + b3 * b3;
        }
        if (j < d) {
          const pa = p0 + (j * (j + 1)) / 2;
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          for (let t = 0, q = 0; t <= j; t++, q += 4) {
            const f = factors[pa + t];
            a0 += f * diff[q];
            a1 += f * diff[q + 1];
            a2 += f * diff[q + 2];
            a3 += f * diff[q + 3];
          }
          s0 += a0 * a0;
          s1 += a1 * a1;
          s2 += a2 * a2;
          s3 += a3 * a3;
        }
        const o = outOffset + (i - i0) * k + c;
        out[o] = cst - 0.5 * s0;
        out[o + k] = cst - 0.5 * s1;
        out[o + 2 * k] = cst - 0.5 * s2;
        out[o + 3 * k] = cst - 0.5 * s3;
      }
      for (let i = end4; i < end; i++) {
        const x0 = i * d;
        for (let t = 0; t < d; t++) diff[t] = x[x0 + t] - means[mo + t];
        let s = 0;
        let j = 0;
        for (; j + 1 < d; j += 2) {
          const pa = p0 + (j * (j + 1)) / 2;
          const pb = pa + j + 1;
          let a = 0;
          let b = 0;
          for (let t = 0; t <= j; t++) {
            a += factors[pa + t] * diff[t];
            b += factors[pb + t] * diff[t];
          }
          b += factors[pb + j + 1] * diff[j + 1];
          s += a * a + b * b;
        }
        if (j < d) {
          const pa = p0 + (j * (j + 1)) / 2;
          let a = 0;
          for (let t = 0; t <= j; t++) a += factors[pa + t] * diff[t];
          s += a * a;
        }
        out[outOffset + (i - i0) * k + c] = cst - 0.5 * s;
      }
    }
  }
}

/**
 * Partial sums of the M-step over rows [i0, i1) (zeroed first): `nk[c] = sum_i r_ic` and
 * `sums[c][t] = sum_i r_ic x_it`, rows in order, zero responsibilities skipped.
 */
export function meansBlock(
  x: Float64Array,
  d: number,
  k: number,
  resp: Float64Array,
  i0: number,
  i1: number,
  nk: Float64Array,
  nkOffset: number,
  sums: Float64Array,
  sumsOffset: number,
): void {
  for (let c = 0; c < k; c++) nk[nkOffset + c] = 0;
  for (let p = 0; p < k * d; p++) sums[sumsOffset + p] = 0;
  for (let i = i0; i < i1; i++) {
    const xo = i * d;
    const ro = i * k;
    for (let c = 0; c < k; c++) {
      const r = resp[ro + c];
      if (r === 0) continue;
      nk[nkOffset + c] += r;
      const mo = sumsOffset + c * d;
      for (let t = 0; t < d; t++) sums[mo + t] += r * x[xo + t];
    }
  }
}

/**
 * Partial scatter over rows [i0, i1) (zeroed first): adds `sum_i r_ic (x_i - mu_c)(x_i -
 * mu_c)^T` (lower triangle, packed: row a at `a (a + 1) / 2`) of every component c to
 * `acc[accOffset + c * step ..]` (step 0 sums all components into one matrix, for tied). Rows go
 * by chunks of `CHUNK`; within a chunk, for each c, the rows with non-zero responsibility are
 * gathered into `wBuf` (r (x - mu)) and `dBuf` (x - mu), and `addLowerProduct` adds W^T D.
 * `wBuf` and `dBuf` need `CHUNK * d` entries.
 */
export function scatterBlock(
  x: Float64Array,
  d: number,
  k: number,
  resp: Float64Array,
  means: Float64Array,
  i0: number,
  i1: number,
  acc: Float64Array,
  accOffset: number,
  step: number,
  wBuf: Float64Array,
  dBuf: Float64Array,
): void {
  const packed = (d * (d + 1)) / 2;
  const size = step === 0 ? packed : k * packed;
  for (let p = 0; p < size; p++) acc[accOffset + p] = 0;
  for (let start = i0; start < i1; start += CHUNK) {
    const end = Math.min(i1, start + CHUNK);
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      let m = 0;
      for (let i = start; i < end; i++) {
        const r = resp[i * k + c];
        if (r === 0) continue;
        const xo = i * d;
        const o = m * d;
        for (let t = 0; t < d; t++) {
          const e = x[xo + t] - means[mo + t];
          dBuf[o + t] = e;
          wBuf[o + t] = r * e;
        }
        m++;
      }
      if (m > 0) addLowerProduct(wBuf, dBuf, m, d, acc, accOffset + c * step);
    }
  }
}

/**
 * Adds the lower triangle of `W^T D` (W, D: m x d row-major) to the packed lower triangle at
 * `acc[p0..]` (row a starts at p0 + a (a + 1) / 2). Blocks of 2 rows x 4 columns keep eight
 * sums in registers (each a sum over the m rows in order, then added to acc); blocks straddling
 * the diagonal compute a few unused upper entries.
 */
export function addLowerProduct(
  w: Float64Array,
  dm: Float64Array,
  m: number,
  d: number,
  acc: Float64Array,
  p0: number,
): void {
  const d4 = d - (d % 4);
  let a0 = 0;
  for (; a0 + 1 < d; a0 += 2) {
    const a1 = a0 + 1;
    const pa0 = p0 + (a0 * (a0 + 1)) / 2;
    const pa1 = p0 + (a1 * (a1 + 1)) / 2;
    let b0 = 0;
    for (; b0 <= a1 && b0 < d4; b0 += 4) {
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let g = 0, o = 0; g < m; g++, o += d) {
        const u = w[o + a0];
        const v = w[o + a1];
        const e0 = dm[o + b0];
        const e1 = dm[o + b0 + 1];
        const e2 = dm[o + b0 + 2];
        const e3 = dm[o + b0 + 3];
        s00 += u * e0;
        s01 += u * e1;
        s02 += u * e2;
        s03 += u * e3;
        s10 += v * e0;
        s11 += v * e1;
        s12 += v * e2;
        s13 += v * e3;
      }
      // Row a0 keeps columns <= a0, row a1 columns <= a1.
      if (b0 <= a0) acc[pa0 + b0] += s00;
      if (b0 + 1 <= a0) acc[pa0 + b0 + 1] += s01;
      if (b0 + 2 <= a0) acc[pa0 + b0 + 2] += s02;
      if (b0 + 3 <= a0) acc[pa0 + b0 + 3] += s03;
      acc[pa1 + b0] += s10;
      if (b0 + 1 <= a1) acc[pa1 + b0 + 1] += s11;
      if (b0 + 2 <= a1) acc[pa1 + b0 + 2] += s12;
      if (b0 + 3 <= a1) acc[pa1 + b0 + 3] += s13;
    }
    // Columns left over when d is not a multiple of 4.
    for (let b = b0; b <= a1; b++) {
      let s0 = 0;
      let s1 = 0;
      for (let g = 0, o = 0; g < m; g++, o += d) {
        s0 += w[o + a0] * dm[o + b];
        s1 += w[o + a1] * dm[o + b];
      }
      if (b <= a0) acc[pa0 + b] += s0;
      acc[pa1 + b] += s1;
    }
  }
  if (a0 < d) {
    // Last row when d is odd.
    const pa = p0 + (a0 * (a0 + 1)) / 2;
    for (let b = 0; b <= a0; b++) {
      let s = 0;
      for (let g = 0, o = 0; g < m; g++, o += d) s += w[o + a0] * dm[o + b];
      acc[pa + b] += s;
    }
  }
}
