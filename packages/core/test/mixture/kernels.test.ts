/** The mixture's internal dense kernels against naive formulas, on random inputs of every small size. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random } from "../../src/index.js";
import {
  choleskyLowerInPlace,
  choleskyUpperOfReversed,
  covarianceFromPrecisionCholesky,
  invertLowerTransposed,
} from "../../src/mixture/cholesky.js";
import { addLowerProduct } from "../../src/mixture/gaussianKernels.js";
import { GaussianLogDensity, logSumExpRow, normalizeLogRow } from "../../src/mixture/gaussianLogDensity.js";
import { precisionCholeskyFromCovariances } from "../../src/mixture/gaussianParameters.js";

const SEED = 917;

/** A random symmetric positive-definite n x n matrix B B^T + n I. */
function randomSPD(n: number, rng: Random): Float64Array {
  const b = new Float64Array(n * n);
  for (let i = 0; i < b.length; i++) b[i] = rng.normal();
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += b[i * n + t] * b[j * n + t];
      a[i * n + j] = s + (i === j ? n : 0);
    }
  }
  return a;
}

function multiply(a: Float64Array, b: Float64Array, n: number, transposeB = false): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += a[i * n + t] * (transposeB ? b[j * n + t] : b[t * n + j]);
      out[i * n + j] = s;
    }
  }
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const identity = (n: number) => {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
};

describe(`mixture kernels (fast-check, seed ${SEED})`, () => {
  it("Cholesky factors, their inverses and the reversed (upper) factorisation", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer(), (n, seed) => {
        const rng = new Random(seed);
        const A = randomSPD(n, rng);
        const L = A.slice();
        expect(choleskyLowerInPlace(L, n)).toBe(-1);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
        expect(maxDiff(multiply(L, L, n, true), A)).toBeLessThan(1e-10 * n);
        // U = (L^-1)^T: A (U U^T) = I
        const U = new Float64Array(n * n);
        invertLowerTransposed(L, n, 0, U, 0);
        expect(maxDiff(multiply(A, multiply(U, U, n, true), n), identity(n))).toBeLessThan(1e-10);
        // Upper factor of a precision: U2 U2^T = P, U2 upper triangular.
        const U2 = new Float64Array(n * n);
        expect(choleskyUpperOfReversed(A, n, 0, U2, 0, new Float64Array(n * n))).toBe(-1);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(U2[i * n + j]).toBe(0);
        expect(maxDiff(multiply(U2, U2, n, true), A)).toBeLessThan(1e-10 * n);
        // Covariance from a precision Cholesky factor is the inverse of U2 U2^T.
        const cov = new Float64Array(n * n);
        covarianceFromPrecisionCholesky(U2, n, 0, cov, 0, new Float64Array(n * n));
        expect(maxDiff(multiply(cov, A, n), identity(n))).toBeLessThan(1e-10);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("Cholesky reports the failing pivot of a matrix that is not positive definite", () => {
    expect(choleskyLowerInPlace(Float64Array.of(1, 2, 2, 1), 2)).toBe(1);
    expect(choleskyLowerInPlace(Float64Array.of(0, 0, 0, 1), 2)).toBe(0);
    expect(choleskyLowerInPlace(Float64Array.of(Number.NaN), 1)).toBe(0);
    expect(() =>
      precisionCholeskyFromCovariances("tied", 2, 2, Float64Array.of(1, 1, 1, 1), new Float64Array(4)),
    ).toThrow("(the tied covariance is not positive definite)");
    expect(() =>
      precisionCholeskyFromCovariances("diag", 2, 2, Float64Array.of(1, 1, 1, 0), new Float64Array(4)),
    ).toThrow("(component 1 has variance 0)");
  });

  it("addLowerProduct equals the naive lower triangle of W^T D for every d and row count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 70 }), fc.integer(), (d, m, seed) => {
        const rng = new Random(seed);
        const w = Float64Array.from({ length: m * d }, () => rng.normal());
        const dm = Float64Array.from({ length: m * d }, () => rng.normal());
        const packed = (d * (d + 1)) / 2;
        const acc = Float64Array.from({ length: packed + 3 }, () => rng.normal());
        const expected = acc.slice();
        let p = 3;
        for (let a = 0; a < d; a++) {
          for (let b = 0; b <= a; b++) {
            let s = 0;
            for (let g = 0; g < m; g++) s += w[g * d + a] * dm[g * d + b];
            expected[p++] += s;
          }
        }
        addLowerProduct(w, dm, m, d, acc, 3);
        expect(maxDiff(acc, expected)).toBeLessThan(1e-12 * m);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("weighted log-probabilities equal the naive Gaussian log-density for every covariance type, d and n", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        (d, n, k, seed) => {
          const rng = new Random(seed);
          const X = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => 3 * rng.normal()) };
          const means = Float64Array.from({ length: k * d }, () => rng.normal());
          const weights = Float64Array.from({ length: k }, () => 0.1 + rng.float());
          const total = weights.reduce((a, b) => a + b, 0);
          for (let c = 0; c < k; c++) weights[c] /= total;
          for (const type of ["full", "tied", "diag", "spherical"] as const) {
            const covs: Float64Array[] = [];
            for (let c = 0; c < k; c++) {
              if (type === "full") covs.push(randomSPD(d, rng));
              else if (type === "tied") covs.push(c === 0 ? randomSPD(d, rng) : covs[0]);
              else {
                const cov = new Float64Array(d * d);
                const s = 0.5 + rng.float();
                for (let a = 0; a < d; a++) cov[a * d + a] = type === "diag" ? 0.5 + rng.float() : s;
                covs.push(cov);
              }
            }
            const flat =
              type === "full"
                ? Float64Array.from(covs.flatMap((c) => Array.from(c)))
                : type === "tied"
                  ? covs[0]
                  : type === "diag"
                    ? Float64Array.from(covs.flatMap((c) => Array.from({ length: d }, (_, a) => c[a * d + a])))
                    : Float64Array.from(covs, (c) => c[0]);
            const pc = new Float64Array(flat.length);
            precisionCholeskyFromCovariances(type, k, d, flat, pc);
            const density = new GaussianLogDensity(type, k, d, weights, means, pc);
            const out = new Float64Array(n * k);
            density.weightedLogProb(X, 0, n, out, 0);
            for (let c = 0; c < k; c++) {
              // naive: log w - d/2 log 2 pi - 1/2 log det S - 1/2 (x - mu)^T S^-1 (x - mu)
              const L = covs[c].slice();
              choleskyLowerInPlace(L, d);
              let logDet = 0;
              for (let a = 0; a < d; a++) logDet += 2 * Math.log(L[a * d + a]);
              for (let i = 0; i < n; i++) {
                // solve L z = x - mu
                const z = new Float64Array(d);
                for (let a = 0; a < d; a++) {
                  let v = X.data[i * d + a] - means[c * d + a];
                  for (let b = 0; b < a; b++) v -= L[a * d + b] * z[b];
                  z[a] = v / L[a * d + a];
                }
                let maha = 0;
                for (let a = 0; a < d; a++) maha += z[a] * z[a];
                const expected = Math.log(weights[c]) - 0.5 * d * Math.log(2 * Math.PI) - 0.5 * logDet - 0.5 * maha;
                const got = out[i * k + c];
                if (!(Math.abs(got - expected) <= 1e-10 * Math.max(1, Math.abs(expected)))) {
                  throw new Error(`${type} d=${d} n=${n} row ${i} component ${c}: ${got} vs ${expected}`);
                }
              }
            }
          }
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("log-sum-exp is stable and normalises rows", () => {
    const w = Float64Array.of(-1000, -1001, Number.NEGATIVE_INFINITY);
    const expected = -1000 + Math.log1p(Math.exp(-1));
    expect(logSumExpRow(w, 0, 3)).toBeCloseTo(expected, 12);
    expect(normalizeLogRow(w, 0, 3)).toBeCloseTo(expected, 12);
    expect(w[0] + w[1] + w[2]).toBeCloseTo(1, 15);
    expect(w[2]).toBe(0);
    expect(logSumExpRow(Float64Array.of(2, 2), 0, 2)).toBeCloseTo(2 + Math.LN2, 14);
  });
});
