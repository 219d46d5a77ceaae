import { describe, expect, it } from "vitest";
import {
  csrFromDense,
  csrToDense,
  modelFromJSON,
  Random,
  randomizedSvd,
  TfidfVectorizer,
  TruncatedSVD,
  type TruncatedSVDModel,
} from "../../src/index.js";
import { loadFixture, maxAbsDiff } from "../fixtures.js";

interface SvdCase {
  nComponents: number;
  singularValues: number[];
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  transform: number[][];
}
const fx = loadFixture<{ tokens: string[][]; svd: SvdCase[] }>("text");
const X = new TfidfVectorizer().fitTransform(fx.tokens).matrix;

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return m;
}

describe("TruncatedSVD vs scikit-learn TruncatedSVD(algorithm='arpack')", () => {
  for (const c of fx.svd) {
    it(`agrees on the TF-IDF corpus with k = ${c.nComponents}`, () => {
      const model = new TruncatedSVD({ nComponents: c.nComponents, seed: 0 }).fit(X);
      expect(maxRelDiff(model.singularValues, c.singularValues)).toBeLessThan(1e-6);
      // Same sign rule (largest |v| positive), so components compare directly.
      expect(maxAbsDiff(model.components.data, c.components.flat())).toBeLessThan(1e-6);
      expect(maxRelDiff(model.explainedVarianceRatio, c.explainedVarianceRatio)).toBeLessThan(1e-6);
      expect(maxRelDiff(model.explainedVariance, c.explainedVariance)).toBeLessThan(1e-6);
      expect(maxAbsDiff(model.transform(X).data, c.transform.flat())).toBeLessThan(1e-6);
    });
  }

  it("gives the same model from the dense matrix", () => {
    const sparse = new TruncatedSVD({ nComponents: 4 }).fit(X);
    const dense = new TruncatedSVD({ nComponents: 4 }).fit(csrToDense(X));
    expect(maxAbsDiff(sparse.singularValues, dense.singularValues)).toBeLessThan(1e-12);
    expect(maxAbsDiff(sparse.components.data, dense.components.data)).toBeLessThan(1e-10);
  });
});

describe("randomizedSvd", () => {
  it("recovers a planted low-rank matrix with a decaying spectrum (tall and wide)", () => {
    const rng = new Random(3);
    for (const [n, d] of [
      [120, 40],
      [40, 120],
    ]) {
      // A = sum_j s_j u_j v_j^T with orthonormal u, v (from Gram-Schmidt of random vectors).
      const r = 12;
      const sTrue = Array.from({ length: r }, (_, j) => 10 * 0.6 ** j);
      const orth = (m: number) => {
        const q = Array.from({ length: r }, () => Array.from({ length: m }, () => rng.normal()));
        for (let j = 0; j < r; j++) {
          for (let p = 0; p < j; p++) {
            const dot = q[j].reduce((s, x, i) => s + x * q[p][i], 0);
            for (let i = 0; i < m; i++) q[j][i] -= dot * q[p][i];
          }
          const norm = Math.hypot(...q[j]);
          for (let i = 0; i < m; i++) q[j][i] /= norm;
        }
        return q;
      };
      const U = orth(n);
      const V = orth(d);
      const data = new Float64Array(n * d);
      for (let j = 0; j < r; j++)
        for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) data[i * d + t] += sTrue[j] * U[j][i] * V[j][t];
      const res = randomizedSvd(csrFromDense({ rows: n, cols: d, data }), 5, { seed: 1 });
      expect(maxRelDiff(res.s, sTrue.slice(0, 5))).toBeLessThan(1e-10);
      // u_j^T A v_j = s_j.
      for (let j = 0; j < 5; j++) {
        let t = 0;
        for (let i = 0; i < n; i++)
          for (let c = 0; c < d; c++) t += res.u[i * 5 + j] * data[i * d + c] * res.vt[j * d + c];
        expect(t).toBeCloseTo(sTrue[j], 9);
      }
    }
  });
});

describe("TruncatedSVD", () => {
  it("is reproducible for a seed, validates nComponents and round-trips through JSON", () => {
    const a = new TruncatedSVD({ nComponents: 3, seed: 7, nIter: 1, nOversamples: 0 }).fit(X);
    const b = new TruncatedSVD({ nComponents: 3, seed: 7, nIter: 1, nOversamples: 0 }).fit(X);
    expect(a.singularValues).toEqual(b.singularValues);
    expect(() => new TruncatedSVD({ nComponents: 13 }).fit(X)).toThrow(/invalid nComponents: 13/);
    const back = modelFromJSON<TruncatedSVDModel>(JSON.parse(JSON.stringify(a)));
    expect(back.transform(X).data).toEqual(a.transform(X).data);
    expect(() => a.transform([[1, 2]])).toThrow(/2 features, expected 56/);
  });
});
