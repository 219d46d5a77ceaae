// Bit-level replicas of the floating-point kernels scikit-learn's BIRCH goes through when it
// splits a node, so the farthest pair (whose two mirror entries d(i, j) and d(j, i) differ only by
// rounding) comes out the same. Private helper of birchTree.ts.
//
// - `fma(a, b, c)`: round(a * b + c) with one rounding, emulated (JavaScript has no fused
//   multiply-add) by Boldo & Melquiond's algorithm: exact product (Dekker), 2Sum, and an addition
//   rounded to odd ("Emulation of FMA and correctly rounded sums: proved algorithms using rounding
//   to odd", IEEE Trans. Computers 57(4), 2008). Exact for finite inputs without overflow or
//   underflow in the intermediate terms, which holds for data of ordinary magnitude.
// - `gramFma`: the inner product as OpenBLAS's dgemm/dsyrk kernels compute `X @ X.T` on x86-64
//   (one FMA per term, in feature order).
// - `squaredNormEinsum`: `np.einsum("ij,ij->i", X, X)` (scikit-learn's `row_norms`) as NumPy 2's
//   einsum kernel computes it on its x86-64 baseline (two SSE lanes, multiply then add).
// Both were checked bit for bit against NumPy 2.4 / OpenBLAS 0.3 (Haswell kernels) on x86-64;
// other CPUs or BLAS builds can round differently, in which case scikit-learn's own output
// differs between machines too.

const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp)

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = (() => {
  f64[0] = 1; // 0x3FF00000_00000000
  return u32[1] === 0x3ff00000;
})();
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

/** x + y rounded to odd: the exact sum if representable, else the neighbour with an odd last bit. */
function addRoundToOdd(x: number, y: number): number {
  const s = x + y;
  const bb = s - x;
  const err = x - (s - bb) + (y - bb);
  if (err === 0) return s;
  f64[0] = s;
  if ((u32[LO] & 1) === 1) return s;
  // s is even and inexact: step one unit in the last place towards the exact sum.
  const awayFromZero = s > 0 === err > 0;
  if (awayFromZero) {
    u32[LO] += 1; // even low word: no carry
  } else if (u32[LO] === 0) {
    u32[LO] = 0xffffffff;
    u32[HI] -= 1;
  } else {
    u32[LO] -= 1;
  }
  return f64[0];
}

/** `a * b + c` with a single rounding (an emulated fused multiply-add). */
export function fma(a: number, b: number, c: number): number {
  // Exact product uh + ul = a * b (Dekker's algorithm with Veltkamp splitting).
  const uh = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const ul = ah * bh - uh + ah * bl + al * bh + al * bl;
  // th + tl = c + uh exactly (2Sum).
  const th = c + uh;
  const z = th - c;
  const tl = c - (th - z) + (uh - z);
  return th + addRoundToOdd(tl, ul);
}

/** Inner product of rows i and j of a row-major matrix, one FMA per term in feature order. */
export function gramFma(data: Float64Array, i: number, j: number, d: number): number {
  let g = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) g = fma(data[a + t], data[b + t], g);
  return g;
}

/**
 * Squared norm of row i as NumPy's einsum kernel computes `np.einsum("ij,ij->i", X, X)` on its
 * x86-64 baseline (SSE, two lanes, separate multiply and add): feature t goes to lane t mod 2;
 * blocks of 8 features are accumulated from the last pair to the first; the lanes are added last.
 */
export function squaredNormEinsum(data: Float64Array, i: number, d: number): number {
  const base = i * d;
  let l0 = 0;
  let l1 = 0;
  let t = 0;
  for (; d - t >= 8; t += 8) {
    for (let q = 3; q >= 0; q--) {
      const v0 = data[base + t + 2 * q];
      const v1 = data[base + t + 2 * q + 1];
      l0 = v0 * v0 + l0;
      l1 = v1 * v1 + l1;
    }
  }
  for (; t < d; t++) {
    const v = data[base + t];
    if ((t & 1) === 0) l0 = v * v + l0;
    else l1 = v * v + l1;
  }
  return l0 + l1;
}
