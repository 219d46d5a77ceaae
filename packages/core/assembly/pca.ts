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
 * `projectBlock` of pcaKernels.ts: per row and component, the centred row times the component two
 * columns per vector (lane 0 the even columns, lane 1 the odd ones, each in order), the lanes added,
 * then the last column when d is odd; `out` is the address of row i0's first entry.
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
): void {
  const pairs = d & ~1;
  const pairBytes = (<usize>pairs) << 3;
  for (let i = i0; i < i1; i++) {
    const r = M.row(x, i, d);
    const o = (i - i0) * k;
    for (let c = 0; c < k; c++) {
      const cb = M.row(comps, c, d);
      let acc = f64x2.splat(0);
      for (let off: usize = 0; off < pairBytes; off += 16) {
        const v = f64x2.sub(v128.load(r + off), v128.load(mean + off));
        acc = f64x2.add(acc, f64x2.mul(v, v128.load(cb + off)));
      }
      let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      if (pairs < d) s += (M.f(r, d - 1) - M.f(mean, d - 1)) * M.f(cb, d - 1);
      M.setf(out, o + c, whiten === 1 ? s / M.f(scale, c) : s);
    }
  }
}
