/**
 * PCA kernels (WebAssembly SIMD): the column sums, the scatter of the centred rows and the
 * projection over a block of rows. Each is a transcription of the TypeScript kernel of the same
 * name in `src/decomposition/pcaKernels.ts`: every `f64x2` lane does one scalar computation of
 * the TypeScript code (two features per vector for the sums, two rows per vector for the
 * projection), in the same order, so both backends return the same bits.
 */
import { M } from "./mem";
import { addLowerProduct } from "./mixture";

const SUM_BLOCK: i32 = 256;
const GRAM_CHUNK: i32 = 64;

/** `columnSumsBlock` of pcaKernels.ts (`part`: d numbers of scratch). */
export function columnSumsBlock(x: usize, d: i32, i0: i32, i1: i32, out: usize, part: usize): void {
  const bytes = (<usize>d) << 3;
  memory.fill(out, 0, bytes);
  const d2 = d & ~1;
  for (let start = i0; start < i1; start += SUM_BLOCK) {
    const end = min(i1, start + SUM_BLOCK);
    memory.fill(part, 0, bytes);
    for (let i = start; i < end; i++) {
      const row = M.row(x, i, d);
      for (let j = 0; j < d2; j += 2) {
        const off = (<usize>j) << 3;
        v128.store(part + off, f64x2.add(v128.load(part + off), v128.load(row + off)));
      }
      if (d2 < d) M.addf(part, d2, M.f(row, d2));
    }
    for (let j = 0; j < d2; j += 2) {
      const off = (<usize>j) << 3;
      v128.store(out + off, f64x2.add(v128.load(out + off), v128.load(part + off)));
    }
    if (d2 < d) M.addf(out, d2, M.f(part, d2));
  }
}

/** `gramBlock` of pcaKernels.ts (`buf`: GRAM_CHUNK * d numbers of scratch). */
export function gramBlock(x: usize, d: i32, mean: usize, i0: i32, i1: i32, acc: usize, buf: usize): void {
  const packed = (d * (d + 1)) >> 1;
  memory.fill(acc, 0, (<usize>packed) << 3);
  const d2 = d & ~1;
  for (let start = i0; start < i1; start += GRAM_CHUNK) {
    const end = min(i1, start + GRAM_CHUNK);
    for (let i = start; i < end; i++) {
      const row = M.row(x, i, d);
      const o = M.row(buf, i - start, d);
      for (let j = 0; j < d2; j += 2) {
        const off = (<usize>j) << 3;
        v128.store(o + off, f64x2.sub(v128.load(row + off), v128.load(mean + off)));
      }
      if (d2 < d) M.setf(o, d2, M.f(row, d2) - M.f(mean, d2));
    }
    addLowerProduct(buf, buf, end - start, d, acc);
  }
}

/**
 * `projectBlock` of pcaKernels.ts, two rows per vector (`centred`: 2 d numbers of scratch, the
 * two rows' centred values interleaved); `out` is the address of row i0's first entry.
 */
export function projectBlock(
  x: usize,
  d: i32,
  mean: usize,
  comps: usize,
  k: i32,
  scale: usize,
  whiten: i32,
  i0: i32,
  i1: i32,
  out: usize,
  centred: usize,
): void {
  const end2 = i0 + ((i1 - i0) & ~1);
  for (let i = i0; i < end2; i += 2) {
    const r0 = M.row(x, i, d);
    const r1 = M.row(x, i + 1, d);
    for (let j = 0; j < d; j++) {
      const v = f64x2.replace_lane(f64x2.splat(M.f(r0, j)), 1, M.f(r1, j));
      v128.store(centred + ((<usize>j) << 4), f64x2.sub(v, f64x2.splat(M.f(mean, j))));
    }
    const o = (i - i0) * k;
    for (let c = 0; c < k; c++) {
      const cb = M.row(comps, c, d);
      let s = f64x2.splat(0);
      for (let j = 0; j < d; j++) {
        s = f64x2.add(s, f64x2.mul(v128.load(centred + ((<usize>j) << 4)), f64x2.splat(M.f(cb, j))));
      }
      if (whiten === 1) s = f64x2.div(s, f64x2.splat(M.f(scale, c)));
      M.setf(out, o + c, f64x2.extract_lane(s, 0));
      M.setf(out, o + k + c, f64x2.extract_lane(s, 1));
    }
  }
  for (let i = end2; i < i1; i++) {
    const r0 = M.row(x, i, d);
    for (let j = 0; j < d; j++) M.setf(centred, j, M.f(r0, j) - M.f(mean, j));
    const o = (i - i0) * k;
    for (let c = 0; c < k; c++) {
      const cb = M.row(comps, c, d);
      let s: f64 = 0;
      for (let j = 0; j < d; j++) s += M.f(centred, j) * M.f(cb, j);
      M.setf(out, o + c, whiten === 1 ? s / M.f(scale, c) : s);
    }
  }
}
