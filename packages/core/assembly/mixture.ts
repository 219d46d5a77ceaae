/**
 * Gaussian mixture kernels (WebAssembly SIMD) for full and tied covariances: the E-step's
 * weighted log-probabilities and the M-step's partial sums over a block of rows. Each is a
 * transcription of the TypeScript kernel of the same name in `src/mixture/gaussianKernels.ts`:
 * every `f64x2` lane does exactly one scalar computation of the TypeScript code (two rows per
 * vector in the E-step, two features per vector in the M-step), in the same order, so both
 * backends return the same bits. Addresses are byte offsets into linear memory.
 */
import { M } from "./mem";

const E_CHUNK: i32 = 256;
const CHUNK: i32 = 64;

function pair(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/**
 * `logProbRows` of gaussianKernels.ts: for rows [i0, i1), `out[(i - i0) k + c] = constants[c] -
 * 1/2 ||(x_i - mu_c) U_c||^2` (`out` is the address of row i0's first entry). Four rows at a time
 * (two vectors of two rows); `diff` (4 d numbers) holds their centred values, row pairs interleaved.
 */
export function logProbRows(
  x: usize,
  d: i32,
  k: i32,
  means: usize,
  factors: usize,
  step: i32,
  constants: usize,
  i0: i32,
  i1: i32,
  out: usize,
  diff: usize,
): void {
  const half = f64x2.splat(0.5);
  for (let start = i0; start < i1; start += E_CHUNK) {
    const end = min(i1, start + E_CHUNK);
    const end4 = start + ((end - start) & ~3);
    for (let c = 0; c < k; c++) {
      const mo = M.row(means, c, d);
      const p0 = factors + ((<usize>(c * step)) << 3);
      const cst = M.f(constants, c);
      const cstv = f64x2.splat(cst);
      for (let i = start; i < end4; i += 4) {
        const x0 = M.row(x, i, d);
        const x1 = M.row(x, i + 1, d);
        const x2 = M.row(x, i + 2, d);
        const x3 = M.row(x, i + 3, d);
        for (let t = 0; t < d; t++) {
          const mu = f64x2.splat(M.f(mo, t));
          const q = diff + ((<usize>t) << 5);
          v128.store(q, f64x2.sub(pair(M.f(x0, t), M.f(x1, t)), mu));
          v128.store(q + 16, f64x2.sub(pair(M.f(x2, t), M.f(x3, t)), mu));
        }
        let s01 = f64x2.splat(0);
        let s23 = f64x2.splat(0);
        let j = 0;
        for (; j + 1 < d; j += 2) {
          const pa = p0 + ((<usize>((j * (j + 1)) >> 1)) << 3);
          const pb = pa + ((<usize>(j + 1)) << 3);
          let a01 = f64x2.splat(0);
          let a23 = f64x2.splat(0);
          let b01 = f64x2.splat(0);
          let b23 = f64x2.splat(0);
          for (let t = 0; t <= j; t++) {
            const fa = f64x2.splat(M.f(pa, t));
            const fb = f64x2.splat(M.f(pb, t));
            const q = diff + ((<usize>t) << 5);
            const e01 = v128.load(q);
            const e23 = v128.load(q + 16);
            a01 = f64x2.add(a01, f64x2.mul(fa, e01));
            a23 = f64x2.add(a23, f64x2.mul(fa, e23));
            b01 = f64x2.add(b01, f64x2.mul(fb, e01));
            b23 = f64x2.add(b23, f64x2.mul(fb, e23));
          }
          const fb = f64x2.splat(M.f(pb, j + 1));
          const q = diff + ((<usize>(j + 1)) << 5);
          b01 = f64x2.add(b01, f64x2.mul(fb, v128.load(q)));
          b23 = f64x2.add(b23, f64x2.mul(fb, v128.load(q + 16)));
          s01 = f64x2.add(s01, f64x2.add(f64x2.mul(a01, a01), f64x2.mul(b01, b01)));
          s23 = f64x2.add(s23, f64x2.add(f64x2.mul(a23, a23), f64x2.mul(b23, b23)));
        }
        if (j < d) {
          const pa = p0 + ((<usize>((j * (j + 1)) >> 1)) << 3);
          let a01 = f64x2.splat(0);
          let a23 = f64x2.splat(0);
          for (let t = 0; t <= j; t++) {
            const f = f64x2.splat(M.f(pa, t));
            const q = diff + ((<usize>t) << 5);
            a01 = f64x2.add(a01, f64x2.mul(f, v128.load(q)));
            a23 = f64x2.add(a23, f64x2.mul(f, v128.load(q + 16)));
          }
          s01 = f64x2.add(s01, f64x2.mul(a01, a01));
          s23 = f64x2.add(s23, f64x2.mul(a23, a23));
        }
        const r01 = f64x2.sub(cstv, f64x2.mul(half, s01));
        const r23 = f64x2.sub(cstv, f64x2.mul(half, s23));
        const o = (i - i0) * k + c;
        M.setf(out, o, f64x2.extract_lane(r01, 0));
        M.setf(out, o + k, f64x2.extract_lane(r01, 1));
        M.setf(out, o + 2 * k, f64x2.extract_lane(r23, 0));
        M.setf(out, o + 3 * k, f64x2.extract_lane(r23, 1));
      }
      for (let i = end4; i < end; i++) {
        const x0 = M.row(x, i, d);
        for (let t = 0; t < d; t++) M.setf(diff, t, M.f(x0, t) - M.f(mo, t));
        let s: f64 = 0;
        let j = 0;
        for (; j + 1 < d; j += 2) {
          const pa = p0 + ((<usize>((j * (j + 1)) >> 1)) << 3);
          const pb = pa + ((<usize>(j + 1)) << 3);
          let a: f64 = 0;
          let b: f64 = 0;
          for (let t = 0; t <= j; t++) {
            const e = M.f(diff, t);
            a += M.f(pa, t) * e;
            b += M.f(pb, t) * e;
          }
          b += M.f(pb, j + 1) * M.f(diff, j + 1);
          s += a * a + b * b;
        }
        if (j < d) {
          const pa = p0 + ((<usize>((j * (j + 1)) >> 1)) << 3);
          let a: f64 = 0;
          for (let t = 0; t <= j; t++) a += M.f(pa, t) * M.f(diff, t);
          s += a * a;
        }
        M.setf(out, (i - i0) * k + c, cst - 0.5 * s);
      }
    }
  }
}

/**
 * `meansBlock` of gaussianKernels.ts: `nk[c] = sum_i r_ic`, `sums[c][t] = sum_i r_ic x_it` over
 * rows [i0, i1) in order (zeroed first; zero responsibilities skipped). Two features per vector.
 */
export function meansBlock(x: usize, d: i32, k: i32, resp: usize, i0: i32, i1: i32, nk: usize, sums: usize): void {
  memory.fill(nk, 0, (<usize>k) << 3);
  memory.fill(sums, 0, (<usize>(k * d)) << 3);
  const d2 = d & ~1;
  for (let i = i0; i < i1; i++) {
    const xo = M.row(x, i, d);
    const ro = M.row(resp, i, k);
    for (let c = 0; c < k; c++) {
      const r = M.f(ro, c);
      if (r === 0) continue;
      M.addf(nk, c, r);
      const mo = M.row(sums, c, d);
      const rv = f64x2.splat(r);
      for (let t = 0; t < d2; t += 2) {
        const p = mo + ((<usize>t) << 3);
        v128.store(p, f64x2.add(v128.load(p), f64x2.mul(rv, v128.load(xo + ((<usize>t) << 3)))));
      }
      if (d2 < d) M.addf(mo, d2, r * M.f(xo, d2));
    }
  }
}

/** Adds `s` to the packed lower-triangle entry (a, b) at `acc` when b <= a (an entry of the lower triangle). */
function addLower(acc: usize, a: i32, b: i32, s: f64): void {
  if (b <= a) M.addf(acc, ((a * (a + 1)) >> 1) + b, s);
}

/**
 * `addLowerProduct` of gaussianKernels.ts: adds the lower triangle of W^T D (m x d each) to the
 * packed triangle at `acc` (row a at a (a + 1) / 2). Each entry is, as there, its sum over the m
 * rows in order from 0, added to acc once; only the register blocking differs (it does not change
 * any entry's arithmetic): rows four at a time (4 x 4 blocks, eight vectors of two columns), then
 * two at a time (2 x 4 blocks), then the last row.
 */
export function addLowerProduct(w: usize, dm: usize, m: i32, d: i32, acc: usize): void {
  const d4 = d - (d % 4);
  const rowBytes = (<usize>d) << 3;
  let a0 = 0;
  for (; a0 + 3 < d; a0 += 4) {
    const a3 = a0 + 3;
    let b0 = 0;
    for (; b0 <= a3 && b0 < d4; b0 += 4) {
      let s0lo = f64x2.splat(0);
      let s0hi = f64x2.splat(0);
      let s1lo = f64x2.splat(0);
      let s1hi = f64x2.splat(0);
      let s2lo = f64x2.splat(0);
      let s2hi = f64x2.splat(0);
      let s3lo = f64x2.splat(0);
      let s3hi = f64x2.splat(0);
      let wo = w + ((<usize>a0) << 3);
      let eo = dm + ((<usize>b0) << 3);
      for (let g = 0; g < m; g++) {
        const elo = v128.load(eo);
        const ehi = v128.load(eo + 16);
        const u0 = f64x2.splat(load<f64>(wo));
        const u1 = f64x2.splat(load<f64>(wo + 8));
        const u2 = f64x2.splat(load<f64>(wo + 16));
        const u3 = f64x2.splat(load<f64>(wo + 24));
        s0lo = f64x2.add(s0lo, f64x2.mul(u0, elo));
        s0hi = f64x2.add(s0hi, f64x2.mul(u0, ehi));
        s1lo = f64x2.add(s1lo, f64x2.mul(u1, elo));
        s1hi = f64x2.add(s1hi, f64x2.mul(u1, ehi));
        s2lo = f64x2.add(s2lo, f64x2.mul(u2, elo));
        s2hi = f64x2.add(s2hi, f64x2.mul(u2, ehi));
        s3lo = f64x2.add(s3lo, f64x2.mul(u3, elo));
        s3hi = f64x2.add(s3hi, f64x2.mul(u3, ehi));
        wo += rowBytes;
        eo += rowBytes;
      }
      addLower(acc, a0, b0, f64x2.extract_lane(s0lo, 0));
      addLower(acc, a0, b0 + 1, f64x2.extract_lane(s0lo, 1));
      addLower(acc, a0, b0 + 2, f64x2.extract_lane(s0hi, 0));
      addLower(acc, a0, b0 + 3, f64x2.extract_lane(s0hi, 1));
      addLower(acc, a0 + 1, b0, f64x2.extract_lane(s1lo, 0));
      addLower(acc, a0 + 1, b0 + 1, f64x2.extract_lane(s1lo, 1));
      addLower(acc, a0 + 1, b0 + 2, f64x2.extract_lane(s1hi, 0));
      addLower(acc, a0 + 1, b0 + 3, f64x2.extract_lane(s1hi, 1));
      addLower(acc, a0 + 2, b0, f64x2.extract_lane(s2lo, 0));
      addLower(acc, a0 + 2, b0 + 1, f64x2.extract_lane(s2lo, 1));
      addLower(acc, a0 + 2, b0 + 2, f64x2.extract_lane(s2hi, 0));
      addLower(acc, a0 + 2, b0 + 3, f64x2.extract_lane(s2hi, 1));
      addLower(acc, a3, b0, f64x2.extract_lane(s3lo, 0));
      addLower(acc, a3, b0 + 1, f64x2.extract_lane(s3lo, 1));
      addLower(acc, a3, b0 + 2, f64x2.extract_lane(s3hi, 0));
      addLower(acc, a3, b0 + 3, f64x2.extract_lane(s3hi, 1));
    }
    // Columns left over when d is not a multiple of 4.
    for (let b = b0; b <= a3; b++) {
      let s0: f64 = 0;
      let s1: f64 = 0;
      let s2: f64 = 0;
      let s3: f64 = 0;
      let wo = w + ((<usize>a0) << 3);
      let eo = dm;
      for (let g = 0; g < m; g++) {
        const e = M.f(eo, b);
        s0 += load<f64>(wo) * e;
        s1 += load<f64>(wo + 8) * e;
        s2 += load<f64>(wo + 16) * e;
        s3 += load<f64>(wo + 24) * e;
        wo += rowBytes;
        eo += rowBytes;
      }
      addLower(acc, a0, b, s0);
      addLower(acc, a0 + 1, b, s1);
      addLower(acc, a0 + 2, b, s2);
      addLower(acc, a3, b, s3);
    }
  }
  for (; a0 + 1 < d; a0 += 2) {
    const a1 = a0 + 1;
    const pa0 = acc + ((<usize>((a0 * (a0 + 1)) >> 1)) << 3);
    const pa1 = acc + ((<usize>((a1 * (a1 + 1)) >> 1)) << 3);
    let b0 = 0;
    for (; b0 <= a1 && b0 < d4; b0 += 4) {
      let s0lo = f64x2.splat(0);
      let s0hi = f64x2.splat(0);
      let s1lo = f64x2.splat(0);
      let s1hi = f64x2.splat(0);
      let wo = w;
      let eo = dm + ((<usize>b0) << 3);
      for (let g = 0; g < m; g++) {
        const u = f64x2.splat(M.f(wo, a0));
        const v = f64x2.splat(M.f(wo, a1));
        const elo = v128.load(eo);
        const ehi = v128.load(eo + 16);
        s0lo = f64x2.add(s0lo, f64x2.mul(u, elo));
        s0hi = f64x2.add(s0hi, f64x2.mul(u, ehi));
        s1lo = f64x2.add(s1lo, f64x2.mul(v, elo));
        s1hi = f64x2.add(s1hi, f64x2.mul(v, ehi));
        wo += rowBytes;
        eo += rowBytes;
      }
      if (b0 <= a0) M.addf(pa0, b0, f64x2.extract_lane(s0lo, 0));
      if (b0 + 1 <= a0) M.addf(pa0, b0 + 1, f64x2.extract_lane(s0lo, 1));
      if (b0 + 2 <= a0) M.addf(pa0, b0 + 2, f64x2.extract_lane(s0hi, 0));
      if (b0 + 3 <= a0) M.addf(pa0, b0 + 3, f64x2.extract_lane(s0hi, 1));
      M.addf(pa1, b0, f64x2.extract_lane(s1lo, 0));
      if (b0 + 1 <= a1) M.addf(pa1, b0 + 1, f64x2.extract_lane(s1lo, 1));
      if (b0 + 2 <= a1) M.addf(pa1, b0 + 2, f64x2.extract_lane(s1hi, 0));
      if (b0 + 3 <= a1) M.addf(pa1, b0 + 3, f64x2.extract_lane(s1hi, 1));
    }
    for (let b = b0; b <= a1; b++) {
      let s0: f64 = 0;
      let s1: f64 = 0;
      let wo = w;
      let eo = dm;
      for (let g = 0; g < m; g++) {
        const e = M.f(eo, b);
        s0 += M.f(wo, a0) * e;
        s1 += M.f(wo, a1) * e;
        wo += rowBytes;
        eo += rowBytes;
      }
      if (b <= a0) M.addf(pa0, b, s0);
      M.addf(pa1, b, s1);
    }
  }
  if (a0 < d) {
    const pa = acc + ((<usize>((a0 * (a0 + 1)) >> 1)) << 3);
    for (let b = 0; b <= a0; b++) {
      let s: f64 = 0;
      let wo = w;
      let eo = dm;
      for (let g = 0; g < m; g++) {
        s += M.f(wo, a0) * M.f(eo, b);
        wo += rowBytes;
        eo += rowBytes;
      }
      M.addf(pa, b, s);
    }
  }
}

/**
 * `scatterBlock` of gaussianKernels.ts: the packed lower triangles of `sum_i r_ic (x_i - mu_c)
 * (x_i - mu_c)^T` over rows [i0, i1), component c at `acc + c * step` entries (step 0: all into
 * one, for tied); zeroed first. `wBuf` and `dBuf` need CHUNK * d numbers.
 */
export function scatterBlock(
  x: usize,
  d: i32,
  k: i32,
  resp: usize,
  means: usize,
  i0: i32,
  i1: i32,
  acc: usize,
  step: i32,
  wBuf: usize,
  dBuf: usize,
): void {
  const packed = (d * (d + 1)) >> 1;
  const size = step === 0 ? packed : k * packed;
  memory.fill(acc, 0, (<usize>size) << 3);
  const d2 = d & ~1;
  for (let start = i0; start < i1; start += CHUNK) {
    const end = min(i1, start + CHUNK);
    for (let c = 0; c < k; c++) {
      const mo = M.row(means, c, d);
      let m = 0;
      for (let i = start; i < end; i++) {
        const r = M.f(resp, i * k + c);
        if (r === 0) continue;
        const xo = M.row(x, i, d);
        const dOut = M.row(dBuf, m, d);
        const wOut = M.row(wBuf, m, d);
        const rv = f64x2.splat(r);
        for (let t = 0; t < d2; t += 2) {
          const off = (<usize>t) << 3;
          const e = f64x2.sub(v128.load(xo + off), v128.load(mo + off));
          v128.store(dOut + off, e);
          v128.store(wOut + off, f64x2.mul(rv, e));
        }
        if (d2 < d) {
          const e = M.f(xo, d2) - M.f(mo, d2);
          M.setf(dOut, d2, e);
          M.setf(wOut, d2, r * e);
        }
        m++;
      }
      if (m > 0) addLowerProduct(wBuf, dBuf, m, d, acc + ((<usize>(c * step)) << 3));
    }
  }
}
