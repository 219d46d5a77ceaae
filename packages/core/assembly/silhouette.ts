/**
 * Silhouette kernels (WebAssembly SIMD): the per-sample, per-cluster sums of distances that
 * `silhouetteSamples` (src/metrics/silhouetteSamples.ts) accumulates, in exactly its schedule and
 * order. A pair's distance is the sum over features, in feature order with one accumulator, of
 * (x - y)^2, |x - y| or x * y, then the metric's post step (square root, cosine clip or none):
 * the TypeScript kernels' arithmetic. SIMD runs across pairs (two columns per f64x2 lane pair),
 * reading the columns from a transposed copy of the data (`XT`, d x n), so every lane computes
 * one pair's sum exactly as the scalar code does. Arrays are byte addresses in linear memory.
 *
 * Kinds (`kind`): 0 squared differences, 1 absolute differences, 2 products.
 * Post steps (`post`): 0 none, 1 square root, 2 cosine distance from the dot product.
 */
import { M } from "./mem";

// Scratch: two rows broadcast to both lanes, one v128 per feature (grown by the loader's layout).
let splatA: usize = 0;
let splatB: usize = 0;

// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods marked @inline (not plain functions)
class Pair {
  /** One term added to a vector of sums (kind chosen at compile time by the size of K). */
  @inline static vec<K>(acc: v128, x: v128, y: v128): v128 {
    if (sizeof<K>() === 1) {
      const e = f64x2.sub(x, y);
      return f64x2.add(acc, f64x2.mul(e, e));
    } else if (sizeof<K>() === 2) {
      return f64x2.add(acc, f64x2.abs(f64x2.sub(x, y)));
    } else {
      return f64x2.add(acc, f64x2.mul(x, y));
    }
  }

  /** The same term for one pair. */
  @inline static one<K>(acc: f64, x: f64, y: f64): f64 {
    if (sizeof<K>() === 1) {
      const e = x - y;
      return acc + e * e;
    } else if (sizeof<K>() === 2) {
      return acc + Math.abs(x - y);
    } else {
      return acc + x * y;
    }
  }
}

/** Raw sum between rows i and j, scalar (the TypeScript kernels' arithmetic). */
function pairScalar<K>(X: usize, d: i32, i: i32, j: i32): f64 {
  const xi = M.row(X, i, d);
  const xj = M.row(X, j, d);
  let s: f64 = 0;
  for (let t = 0; t < d; t++) s = Pair.one<K>(s, M.f(xi, t), M.f(xj, t));
  return s;
}

/** Broadcasts row i into `dst` (d vectors). */
function splatRow(X: usize, d: i32, i: i32, dst: usize): void {
  const xi = M.row(X, i, d);
  for (let t = 0; t < d; t++) v128.store(dst + ((<usize>t) << 4), f64x2.splat(M.f(xi, t)));
}

/** Raw sums from row i to the columns [j0, j1), written to out0 at offset j - j0. */
function rowOne<K>(X: usize, XT: usize, n: i32, d: i32, i: i32, j0: i32, j1: i32, out0: usize): void {
  splatRow(X, d, i, splatA);
  const stride = (<usize>n) << 3;
  const sa = splatA;
  let j = j0;
  for (; j + 8 <= j1; j += 8) {
    let a0 = f64x2.splat(0.0);
    let a1 = f64x2.splat(0.0);
    let a2 = f64x2.splat(0.0);
    let a3 = f64x2.splat(0.0);
    let p = XT + ((<usize>j) << 3);
    for (let t = 0; t < d; t++) {
      const xa = v128.load(sa + ((<usize>t) << 4));
      a0 = Pair.vec<K>(a0, xa, v128.load(p));
      a1 = Pair.vec<K>(a1, xa, v128.load(p, 16));
      a2 = Pair.vec<K>(a2, xa, v128.load(p, 32));
      a3 = Pair.vec<K>(a3, xa, v128.load(p, 48));
      p += stride;
    }
    const o = out0 + ((<usize>(j - j0)) << 3);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
  for (; j + 2 <= j1; j += 2) {
    let a0 = f64x2.splat(0.0);
    let p = XT + ((<usize>j) << 3);
    for (let t = 0; t < d; t++) {
      a0 = Pair.vec<K>(a0, v128.load(sa + ((<usize>t) << 4)), v128.load(p));
      p += stride;
    }
    v128.store(out0 + ((<usize>(j - j0)) << 3), a0);
  }
  for (; j < j1; j++) M.setf(out0, j - j0, pairScalar<K>(X, d, i, j));
}

/** Raw sums from rows i (to out0) and i + 1 (to out1) to the columns [j0, j1). */
function rowTwo<K>(X: usize, XT: usize, n: i32, d: i32, i: i32, j0: i32, j1: i32, out0: usize, out1: usize): void {
  splatRow(X, d, i, splatA);
  splatRow(X, d, i + 1, splatB);
  const stride = (<usize>n) << 3;
  const sa = splatA;
  const sb = splatB;
  let j = j0;
  for (; j + 8 <= j1; j += 8) {
    let a0 = f64x2.splat(0.0);
    let a1 = f64x2.splat(0.0);
    let a2 = f64x2.splat(0.0);
    let a3 = f64x2.splat(0.0);
    let b0 = f64x2.splat(0.0);
    let b1 = f64x2.splat(0.0);
    let b2 = f64x2.splat(0.0);
    let b3 = f64x2.splat(0.0);
    let p = XT + ((<usize>j) << 3);
    for (let t = 0; t < d; t++) {
      const to = (<usize>t) << 4;
      const xa = v128.load(sa + to);
      const xb = v128.load(sb + to);
      const y0 = v128.load(p);
      const y1 = v128.load(p, 16);
      const y2 = v128.load(p, 32);
      const y3 = v128.load(p, 48);
      a0 = Pair.vec<K>(a0, xa, y0);
      a1 = Pair.vec<K>(a1, xa, y1);
      a2 = Pair.vec<K>(a2, xa, y2);
      a3 = Pair.vec<K>(a3, xa, y3);
      b0 = Pair.vec<K>(b0, xb, y0);
      b1 = Pair.vec<K>(b1, xb, y1);
      b2 = Pair.vec<K>(b2, xb, y2);
      b3 = Pair.vec<K>(b3, xb, y3);
      p += stride;
    }
    const o = (<usize>(j - j0)) << 3;
    v128.store(out0 + o, a0);
    v128.store(out0 + o, a1, 16);
    v128.store(out0 + o, a2, 32);
    v128.store(out0 + o, a3, 48);
    v128.store(out1 + o, b0);
    v128.store(out1 + o, b1, 16);
    v128.store(out1 + o, b2, 32);
    v128.store(out1 + o, b3, 48);
  }
  for (; j + 2 <= j1; j += 2) {
    let a0 = f64x2.splat(0.0);
    let b0 = f64x2.splat(0.0);
    let p = XT + ((<usize>j) << 3);
    for (let t = 0; t < d; t++) {
      const to = (<usize>t) << 4;
      const y0 = v128.load(p);
      a0 = Pair.vec<K>(a0, v128.load(sa + to), y0);
      b0 = Pair.vec<K>(b0, v128.load(sb + to), y0);
      p += stride;
    }
    const o = (<usize>(j - j0)) << 3;
    v128.store(out0 + o, a0);
    v128.store(out1 + o, b0);
  }
  for (; j < j1; j++) {
    M.setf(out0, j - j0, pairScalar<K>(X, d, i, j));
    M.setf(out1, j - j0, pairScalar<K>(X, d, i + 1, j));
  }
}

/** The metric's post step on out[0, len). */
function postStep(post: i32, out: usize, len: i32): void {
  if (post === 1) {
    let p = 0;
    for (; p + 2 <= len; p += 2) {
      const a = out + ((<usize>p) << 3);
      v128.store(a, f64x2.sqrt(v128.load(a)));
    }
    if (p < len) M.setf(out, p, Math.sqrt(M.f(out, p)));
  } else if (post === 2) {
    for (let p = 0; p < len; p++) {
      const v = 1 - M.f(out, p);
      M.setf(out, p, v < 0 ? 0 : Math.min(v, 2));
    }
  }
}

function symmetric<K>(
  X: usize,
  XT: usize,
  d: i32,
  n: i32,
  codes: usize,
  k: i32,
  post: i32,
  tile: i32,
  i0: i32,
  sums: usize,
  dist0: usize,
  dist1: usize,
): void {
  const i1 = min(n, i0 + tile);
  for (let j0 = i0; j0 < n; j0 += tile) {
    const j1 = min(n, j0 + tile);
    const diagonal = j0 === i0;
    let i = i0;
    for (; i + 1 < i1; i += 2) {
      const ca = M.i(codes, i);
      const cb = M.i(codes, i + 1);
      const ra = i * k;
      const rb = ra + k;
      let from = j0;
      if (diagonal) {
        M.setf(dist0, 0, pairScalar<K>(X, d, i, i + 1));
        postStep(post, dist0, 1);
        const v = M.f(dist0, 0);
        M.addf(sums, ra + cb, v);
        M.addf(sums, rb + ca, v);
        from = i + 2;
      }
      if (from >= j1) continue;
      const count = j1 - from;
      rowTwo<K>(X, XT, n, d, i, from, j1, dist0, dist1);
      postStep(post, dist0, count);
      postStep(post, dist1, count);
      for (let j = from; j < j1; j++) {
        const v = M.f(dist0, j - from);
        const w = M.f(dist1, j - from);
        const cj = M.i(codes, j);
        M.addf(sums, ra + cj, v);
        M.addf(sums, rb + cj, w);
        const rj = j * k;
        M.addf(sums, rj + ca, v);
        M.addf(sums, rj + cb, w);
      }
    }
    if (i < i1) {
      const from = diagonal ? i + 1 : j0;
      if (from >= j1) continue;
      const count = j1 - from;
      const ca = M.i(codes, i);
      const ra = i * k;
      rowOne<K>(X, XT, n, d, i, from, j1, dist0);
      postStep(post, dist0, count);
      for (let j = from; j < j1; j++) {
        const v = M.f(dist0, j - from);
        M.addf(sums, ra + M.i(codes, j), v);
        M.addf(sums, j * k + ca, v);
      }
    }
  }
}

function rows<K>(
  X: usize,
  XT: usize,
  d: i32,
  n: i32,
  start: i32,
  end: i32,
  codes: usize,
  k: i32,
  post: i32,
  tile: i32,
  sums: usize,
  dist0: usize,
  dist1: usize,
): void {
  for (let j0 = 0; j0 < n; j0 += tile) {
    const j1 = min(n, j0 + tile);
    const count = j1 - j0;
    let i = start;
    for (; i + 1 < end; i += 2) {
      rowTwo<K>(X, XT, n, d, i, j0, j1, dist0, dist1);
      postStep(post, dist0, count);
      postStep(post, dist1, count);
      if (i >= j0 && i < j1) M.setf(dist0, i - j0, 0);
      if (i + 1 >= j0 && i + 1 < j1) M.setf(dist1, i + 1 - j0, 0);
      const ra = (i - start) * k;
      const rb = ra + k;
      for (let j = j0; j < j1; j++) {
        const cj = M.i(codes, j);
        M.addf(sums, ra + cj, M.f(dist0, j - j0));
        M.addf(sums, rb + cj, M.f(dist1, j - j0));
      }
    }
    if (i < end) {
      rowOne<K>(X, XT, n, d, i, j0, j1, dist0);
      postStep(post, dist0, count);
      if (i >= j0 && i < j1) M.setf(dist0, i - j0, 0);
      const ra = (i - start) * k;
      for (let j = j0; j < j1; j++) M.addf(sums, ra + M.i(codes, j), M.f(dist0, j - j0));
    }
  }
}

/** Writes the transpose of X (n x d) to XT (d x n). */
export function transpose(X: usize, n: i32, d: i32, XT: usize): void {
  for (let i = 0; i < n; i++) {
    const xi = M.row(X, i, d);
    for (let t = 0; t < d; t++) M.setf(XT, t * n + i, M.f(xi, t));
  }
}

/**
 * One step of `accumulateSymmetric` of silhouetteSamples.ts: the tiles (I, J >= I) of the tile
 * row starting at row i0, into `sums` (n x k); called for i0 = 0, tile, 2 tile, ... in order
 * (many calls rather than one, so the engine's optimizing compiler takes over after the first).
 * `scratch` holds 2 * d vectors (32 * d bytes) for the broadcast rows; dist0/dist1 hold `tile` values.
 */
export function silhouetteSymmetric(
  kind: i32,
  post: i32,
  X: usize,
  XT: usize,
  d: i32,
  n: i32,
  codes: usize,
  k: i32,
  tile: i32,
  i0: i32,
  sums: usize,
  dist0: usize,
  dist1: usize,
  scratch: usize,
): void {
  splatA = scratch;
  splatB = scratch + ((<usize>d) << 4);
  if (kind === 0) symmetric<u8>(X, XT, d, n, codes, k, post, tile, i0, sums, dist0, dist1);
  else if (kind === 1) symmetric<u16>(X, XT, d, n, codes, k, post, tile, i0, sums, dist0, dist1);
  else symmetric<u32>(X, XT, d, n, codes, k, post, tile, i0, sums, dist0, dist1);
}

/** `accumulateRows` of silhouetteSamples.ts: rows [start, end) against every point, into `sums` ((end - start) x k). */
export function silhouetteRows(
  kind: i32,
  post: i32,
  X: usize,
  XT: usize,
  d: i32,
  n: i32,
  start: i32,
  end: i32,
  codes: usize,
  k: i32,
  tile: i32,
  sums: usize,
  dist0: usize,
  dist1: usize,
  scratch: usize,
): void {
  splatA = scratch;
  splatB = scratch + ((<usize>d) << 4);
  if (kind === 0) rows<u8>(X, XT, d, n, start, end, codes, k, post, tile, sums, dist0, dist1);
  else if (kind === 1) rows<u16>(X, XT, d, n, start, end, codes, k, post, tile, sums, dist0, dist1);
  else rows<u32>(X, XT, d, n, start, end, codes, k, post, tile, sums, dist0, dist1);
}
