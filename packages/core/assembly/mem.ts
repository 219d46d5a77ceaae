/** Typed loads and stores at `base + index * size` (byte addresses; inlined). */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods marked @inline (not plain functions)
export class M {
  @inline static f(p: usize, i: i32): f64 {
    return load<f64>(p + ((<usize>i) << 3));
  }

  @inline static setf(p: usize, i: i32, v: f64): void {
    store<f64>(p + ((<usize>i) << 3), v);
  }

  @inline static i(p: usize, i: i32): i32 {
    return load<i32>(p + ((<usize>i) << 2));
  }

  @inline static seti(p: usize, i: i32, v: i32): void {
    store<i32>(p + ((<usize>i) << 2), v);
  }

  /** Adds v to element i. */
  @inline static addf(p: usize, i: i32, v: f64): void {
    const a = p + ((<usize>i) << 3);
    store<f64>(a, load<f64>(a) + v);
  }

  /** Byte address of row `i` of a row-major matrix with `d` columns of f64. */
  @inline static row(p: usize, i: i32, d: i32): usize {
    return p + ((<usize>i * <usize>d) << 3);
  }
}
