/**
 * Squared Euclidean distances for the k-means kernels, with WebAssembly SIMD (`f64x2`).
 *
 * Every distance is summed in "two-lane order": the terms of even features are added in feature
 * order into lane 0, those of odd features into lane 1, an odd last feature is added to lane 0,
 * and the two lanes are added at the end (`s0 + s1`). The TypeScript fallback
 * (`src/cluster/kmeansKernels.ts`, `sqDist`) uses the same order with two scalar sums, so both
 * backends give the same bits. Addresses are byte offsets into linear memory.
 */

// Results of `Dist.sq4` (WebAssembly globals: no allocation, no memory traffic).
export let r0: f64 = 0;
export let r1: f64 = 0;
export let r2: f64 = 0;
export let r3: f64 = 0;

// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods marked @inline (not plain functions)
export class Dist {
  /** Squared distance between the rows at byte addresses `a` and `b` (d features), two-lane order. */
  @inline static sq(a: usize, b: usize, d: i32): f64 {
    let acc = f64x2.splat(0.0);
    const end = a + ((<usize>(d & ~1)) << 3);
    let p = a;
    let q = b;
    while (p < end) {
      const e = f64x2.sub(v128.load(p), v128.load(q));
      acc = f64x2.add(acc, f64x2.mul(e, e));
      p += 16;
      q += 16;
    }
    let s0 = f64x2.extract_lane(acc, 0);
    if (d & 1) {
      const e = load<f64>(p) - load<f64>(q);
      s0 += e * e;
    }
    return s0 + f64x2.extract_lane(acc, 1);
  }

  /** Squared distances from the row at `x` to the rows at `c0` and `c1` in one pass over x (two-lane sums), left in `r0`, `r1`. */
  @inline static sq2(x: usize, c0: usize, c1: usize, d: i32): void {
    let a0 = f64x2.splat(0.0);
    let a1 = f64x2.splat(0.0);
    const bytes = (<usize>(d & ~1)) << 3;
    for (let o: usize = 0; o < bytes; o += 16) {
      const v = v128.load(x + o);
      const e0 = f64x2.sub(v, v128.load(c0 + o));
      const e1 = f64x2.sub(v, v128.load(c1 + o));
      a0 = f64x2.add(a0, f64x2.mul(e0, e0));
      a1 = f64x2.add(a1, f64x2.mul(e1, e1));
    }
    let s0 = f64x2.extract_lane(a0, 0);
    let s1 = f64x2.extract_lane(a1, 0);
    if (d & 1) {
      const v = load<f64>(x + bytes);
      const e0 = v - load<f64>(c0 + bytes);
      const e1 = v - load<f64>(c1 + bytes);
      s0 += e0 * e0;
      s1 += e1 * e1;
    }
    r0 = s0 + f64x2.extract_lane(a0, 1);
    r1 = s1 + f64x2.extract_lane(a1, 1);
  }

  /**
   * Squared distances from the row at `x` to the rows at `c0`..`c3` in one pass over x (four
   * independent two-lane sums), left in `r0`..`r3`.
   */
  @inline static sq4(x: usize, c0: usize, c1: usize, c2: usize, c3: usize, d: i32): void {
    let a0 = f64x2.splat(0.0);
    let a1 = f64x2.splat(0.0);
    let a2 = f64x2.splat(0.0);
    let a3 = f64x2.splat(0.0);
    const bytes = (<usize>(d & ~1)) << 3;
    for (let o: usize = 0; o < bytes; o += 16) {
      const v = v128.load(x + o);
      const e0 = f64x2.sub(v, v128.load(c0 + o));
      const e1 = f64x2.sub(v, v128.load(c1 + o));
      const e2 = f64x2.sub(v, v128.load(c2 + o));
      const e3 = f64x2.sub(v, v128.load(c3 + o));
      a0 = f64x2.add(a0, f64x2.mul(e0, e0));
      a1 = f64x2.add(a1, f64x2.mul(e1, e1));
      a2 = f64x2.add(a2, f64x2.mul(e2, e2));
      a3 = f64x2.add(a3, f64x2.mul(e3, e3));
    }
    let s0 = f64x2.extract_lane(a0, 0);
    let s1 = f64x2.extract_lane(a1, 0);
    let s2 = f64x2.extract_lane(a2, 0);
    let s3 = f64x2.extract_lane(a3, 0);
    if (d & 1) {
      const v = load<f64>(x + bytes);
      const e0 = v - load<f64>(c0 + bytes);
      const e1 = v - load<f64>(c1 + bytes);
      const e2 = v - load<f64>(c2 + bytes);
      const e3 = v - load<f64>(c3 + bytes);
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    r0 = s0 + f64x2.extract_lane(a0, 1);
    r1 = s1 + f64x2.extract_lane(a1, 1);
    r2 = s2 + f64x2.extract_lane(a2, 1);
    r3 = s3 + f64x2.extract_lane(a3, 1);
  }
}
