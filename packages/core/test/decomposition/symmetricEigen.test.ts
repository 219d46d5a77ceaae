import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random, symmetricEigen, ValidationError } from "../../src/index.js";

/** max |A v_k - lambda_k v_k| and max |V V^T - I| for a result. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array) {
  let res = 0;
  let orth = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[k * n + j];
      res = Math.max(res, Math.abs(s - values[k] * vectors[k * n + i]));
    }
    for (let l = k; l < n; l++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += vectors[k * n + j] * vectors[l * n + j];
      orth = Math.max(orth, Math.abs(s - (k === l ? 1 : 0)));
    }
  }
  return { res, orth };
}

function randomSymmetric(n: number, seed: number, spd = false): Float64Array {
  const rng = new Random(seed);
  const b = new Float64Array(n * n);
  for (let i = 0; i < b.length; i++) b[i] = rng.normal();
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (spd) {
        let s = 0;
        for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
        a[i * n + j] = s;
      } else a[i * n + j] = (b[i * n + j] + b[j * n + i]) / 2;
    }
  return a;
}

describe("symmetricEigen (cyclic Jacobi)", () => {
  it("diagonal and 2x2 by hand", () => {
    const d = symmetricEigen([3, 0, 0, 0, -1, 0, 0, 0, 7], 3);
    expect(Array.from(d.values)).toEqual([7, 3, -1]);
    expect(Array.from(d.vectors.map(Math.abs))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/sqrt2 and (1, -1)/sqrt2
    const e = symmetricEigen([2, 1, 1, 2], 2);
    expect(e.values[0]).toBeCloseTo(3, 15);
    expect(e.values[1]).toBeCloseTo(1, 15);
    expect(Math.abs(e.vectors[0])).toBeCloseTo(Math.SQRT1_2, 15);
    expect(e.vectors[0] * e.vectors[1]).toBeGreaterThan(0);
    expect(e.vectors[2] * e.vectors[3]).toBeLessThan(0);
  });

  it("empty and 1x1", () => {
    expect(symmetricEigen([], 0).values.length).toBe(0);
    const r = symmetricEigen([5], 1);
    expect(Array.from(r.values)).toEqual([5]);
    expect(Array.from(r.vectors)).toEqual([1]);
  });

  it("repeated eigenvalues still give an orthonormal basis", () => {
    const n = 6;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = 2;
    a[0 * n + 1] = a[1 * n + 0] = 1e-3;
    const r = symmetricEigen(a, n);
    const { res, orth } = residuals(a, n, r.values, r.vectors);
    expect(res).toBeLessThan(1e-14);
    expect(orth).toBeLessThan(1e-14);
  });

  it("is accurate to ~1e-13 for n = 200", () => {
    const n = 200;
    const a = randomSymmetric(n, 9);
    const r = symmetricEigen(a, n);
    const { res, orth } = residuals(a, n, r.values, r.vectors);
    const scale = Math.max(Math.abs(r.values[0]), Math.abs(r.values[n - 1]));
    expect(res / scale).toBeLessThan(1e-13);
    expect(orth).toBeLessThan(1e-13);
    for (let k = 1; k < n; k++) expect(r.values[k]).toBeLessThanOrEqual(r.values[k - 1]);
  });

  it("gives small eigenvalues of a graded SPD matrix to high relative accuracy", () => {
    // A = D B D with D = diag(1, 1e-3, 1e-6): eigenvalues span 12 orders of magnitude.
    const b = [4, 1, 0.5, 1, 3, 1, 0.5, 1, 2];
    const dscale = [1, 1e-3, 1e-6];
    const a = b.map((v, p) => v * dscale[Math.floor(p / 3)] * dscale[p % 3]);
    const r = symmetricEigen(a, 3);
    // det(A) = det(B) * prod(D)^2 exactly: compare the product of eigenvalues
    const detB = 4 * (3 * 2 - 1) - 1 * (1 * 2 - 0.5) + 0.5 * (1 - 1.5);
    const det = detB * 1e-9 ** 2;
    expect(Math.abs(r.values[0] * r.values[1] * r.values[2] - det) / det).toBeLessThan(1e-12);
  });

  it("property: residual and orthogonality at machine precision", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 1e6 }), fc.boolean(), (n, seed, spd) => {
        const a = randomSymmetric(n, seed, spd);
        const r = symmetricEigen(a, n);
        const { res, orth } = residuals(a, n, r.values, r.vectors);
        const scale = Math.max(1e-300, Math.abs(r.values[0]), Math.abs(r.values[n - 1]));
        expect(res / scale).toBeLessThan(1e-13);
        expect(orth).toBeLessThan(1e-13);
        let trace = 0;
        for (let i = 0; i < n; i++) trace += a[i * n + i];
        const sum = r.values.reduce((x, y) => x + y, 0);
        expect(Math.abs(sum - trace)).toBeLessThan(1e-12 * scale * n);
      }),
      { seed: 7, numRuns: 150 },
    );
  });

  it("validates its input", () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(ValidationError);
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow("invalid A: length 3, expected n * n = 4");
    expect(() => symmetricEigen([1, Number.NaN, Number.NaN, 1], 2)).toThrow("invalid A: NaN at row 0, column 1");
    expect(() => symmetricEigen([1], 1.5)).toThrow("invalid n: 1.5");
  });
});
