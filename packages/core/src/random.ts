/**
 * Seeded pseudo-random numbers. Library code never calls `Math.random`.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018), a 32-bit generator with 128 bits of state
 * and period 2^128 - 1; its state is filled from the seed with SplitMix32 so that nearby seeds give
 * unrelated streams. `float()` builds a double in [0, 1) from 53 random bits (two outputs).
 * The sequence for a seed is fixed across platforms and versions (tested against pinned values).
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = Number.NaN;

  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new Error(`invalid seed: ${seed} (must be a finite number)`);
    // Mix the whole seed (also values above 2^32) into 32 bits first.
    let h = (Math.trunc(seed) >>> 0) ^ Math.trunc(seed / 4294967296);
    const next = () => {
      h = (h + 0x9e3779b9) | 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform unsigned 32-bit integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 bits of randomness. */
  float(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!(n >= 1)) throw new Error(`invalid n: ${n} (must be >= 1)`);
    if (n <= 4294967296) {
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const x = this.uint32();
        if (x < limit) return x % n;
      }
    }
    return Math.floor(this.float() * n);
  }

  /** A standard normal variate (Marsaglia polar method). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const s = this.spareNormal;
      this.spareNormal = Number.NaN;
      return s;
    }
    for (;;) {
      const u = 2 * this.float() - 1;
      const v = 2 * this.float() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * f;
        return u * f;
      }
    }
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** `k` distinct indices from [0, n), in random order (partial Fisher-Yates over a copy). */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (k > n) throw new Error(`invalid k: ${k} (cannot draw more than n = ${n} without replacement)`);
    if (k * 4 < n) {
      // Sparse: rejection with a set, O(k) memory.
      const seen = new Set<number>();
      const out = new Int32Array(k);
      let c = 0;
      while (c < k) {
        const x = this.int(n);
        if (!seen.has(x)) {
          seen.add(x);
          out[c++] = x;
        }
      }
      return out;
    }
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return pool.slice(0, k);
  }

  /** A child generator with an independent stream, derived deterministically from this one. */
  fork(): Random {
    return new Random(this.uint32() * 4294967296 + this.uint32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Accepts a seed or a generator; returns a generator. */
export function asRandom(seed: number | Random | undefined): Random {
  return seed instanceof Random ? seed : new Random(seed ?? 0);
}
