import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lanczosEigen, type SymmetricOperator } from "../../src/linalg/lanczos.js";
import { symmetricEigen } from "../../src/linalg/symmetricEigen.js";
import { Random } from "../../src/random.js";

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = rng.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** Q diag(values) Q^T with a random orthogonal Q (Gram-Schmidt of a Gaussian matrix). */
function withSpectrum(values: number[], seed: number): Float64Array {
  const n = values.length;
  const rng = new Random(seed);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = q.subarray(i * n, (i + 1) * n);
    for (let t = 0; t < n; t++) row[t] = rng.normal();
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let c = 0;
        for (let t = 0; t < n; t++) c += q[j * n + t] * row[t];
        for (let t = 0; t < n; t++) row[t] -= c * q[j * n + t];
      }
    }
    let s = 0;
    for (let t = 0; t < n; t++) s += row[t] * row[t];
    for (let t = 0; t < n; t++) row[t] /= Math.sqrt(s);
  }
  const a = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < n; i++) {
      const qi = q[r * n + i] * values[r];
      for (let j = 0; j < n; j++) a[i * n + j] += qi * q[r * n + j];
    }
  }
  return a;
}

function denseOp(a: Float64Array, n: number): SymmetricOperator {
  return (x, y) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
      y[i] = s;
    }
  };
}

function residualNorm(a: Float64Array, n: number, value: number, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = -value * v[i];
    for (let j = 0; j < n; j++) r += a[i * n + j] * v[j];
    s += r * r;
  }
  return Math.sqrt(s);
}

describe("lanczosEigen", () => {
  it("matches Jacobi on random symmetric matrices (largest and smallest)", () => {
    for (const [n, k] of [
      [60, 4],
      [150, 6],
      [25, 25],
      [7, 3],
    ]) {
      const a = randomSymmetric(n, n);
      const ref = symmetricEigen(a, n);
      const big = lanczosEigen(denseOp(a, n), n, k, { seed: 1 });
      const small = lanczosEigen(denseOp(a, n), n, k, { which: "smallest", seed: 2 });
      for (let r = 0; r < k; r++) {
        expect(Math.abs(big.values[r] - ref.values[r])).toBeLessThan(1e-10);
        expect(Math.abs(small.values[r] - ref.values[n - 1 - r])).toBeLessThan(1e-10);
        expect(residualNorm(a, n, big.values[r], big.vectors.subarray(r * n, (r + 1) * n))).toBeLessThan(1e-9);
        expect(residualNorm(a, n, small.values[r], small.vectors.subarray(r * n, (r + 1) * n))).toBeLessThan(1e-9);
      }
    }
  });

  it("resolves a tight cluster of wanted eigenvalues next to a large unwanted spectrum", () => {
    const n = 120;
    const values = Array.from({ length: n }, (_, i) => (i < 4 ? 1 - i * 1e-4 : 0.9 - (1.8 * (i - 4)) / n));
    const a = withSpectrum(values, 3);
    const res = lanczosEigen(denseOp(a, n), n, 4, { seed: 5 });
    for (let r = 0; r < 4; r++) expect(Math.abs(res.values[r] - values[r])).toBeLessThan(1e-12);
    // Eigenvectors are accurate to residual / gap.
    for (let r = 0; r < 4; r++) {
      expect(residualNorm(a, n, res.values[r], res.vectors.subarray(r * n, (r + 1) * n))).toBeLessThan(1e-11);
    }
  });

  it("deflates known eigenvectors (repeated top eigenvalue)", () => {
    const n = 40;
    const values = Array.from({ length: n }, (_, i) => (i < 3 ? 2 : 1 - i / n));
    const a = withSpectrum(values, 9);
    const ref = symmetricEigen(a, n);
    // Deflate the top eigenspace (3 vectors): the next 2 eigenvalues are 1 - 3/n, 1 - 4/n.
    const res = lanczosEigen(denseOp(a, n), n, 2, { deflate: ref.vectors.slice(0, 3 * n) });
    expect(Math.abs(res.values[0] - (1 - 3 / n))).toBeLessThan(1e-12);
    expect(Math.abs(res.values[1] - (1 - 4 / n))).toBeLessThan(1e-12);
  });

  it("is deterministic for a seed and orthonormal (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 40 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const a = randomSymmetric(n, seed);
        const k = Math.min(3, n);
        const r1 = lanczosEigen(denseOp(a, n), n, k, { seed });
        const r2 = lanczosEigen(denseOp(a, n), n, k, { seed });
        expect(Array.from(r1.vectors)).toEqual(Array.from(r2.vectors));
        for (let p = 0; p < k; p++) {
          for (let q = 0; q < k; q++) {
            let dot = 0;
            for (let t = 0; t < n; t++) dot += r1.vectors[p * n + t] * r1.vectors[q * n + t];
            expect(Math.abs(dot - (p === q ? 1 : 0))).toBeLessThan(1e-10);
          }
        }
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it("names invalid arguments", () => {
    const op: SymmetricOperator = (x, y) => y.set(x);
    expect(() => lanczosEigen(op, 5, 0)).toThrow("invalid k: 0");
    expect(() => lanczosEigen(op, 5, 6)).toThrow("invalid k: 6");
    expect(() => lanczosEigen(op, 5, 2, { ncv: 9 })).toThrow("invalid ncv: 9");
    expect(() => lanczosEigen(op, 5, 2, { tol: 0 })).toThrow("invalid tol: 0");
    expect(() => lanczosEigen(op, 5, 1, { deflate: new Float64Array(3) })).toThrow("invalid deflate");
  });

  it("handles the identity (immediate breakdown)", () => {
    const op: SymmetricOperator = (x, y) => y.set(x);
    const res = lanczosEigen(op, 30, 3);
    for (let r = 0; r < 3; r++) expect(res.values[r]).toBeCloseTo(1, 12);
  });
});
