import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  asMatrix,
  type Matrix,
  memoryLogger,
  modelFromJSON,
  PCA,
  PCAModel,
  type PCAOptions,
  Random,
  ValidationError,
} from "../../src/index.js";
import { loadDatasets, loadFixture, maxAbsDiff } from "../fixtures.js";

// Reference: scikit-learn 1.9 PCA(svd_solver="full"), see reference/pca.py.
interface PCACase {
  options: { nComponents: number | null; whiten: boolean };
  nComponents: number;
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  singularValues: number[];
  mean: number[];
  noiseVariance: number;
  transform?: number[][];
  inverseTransform?: number[][];
}
interface PCAFixture {
  meta: { sklearn: string };
  pca: Record<string, PCACase[]>;
  extraDatasets: Record<string, { X: number[][]; rank: number; description: string }>;
}

const fixture = loadFixture<PCAFixture>("pca");
const datasets: Record<string, { X: Matrix; rank: number }> = {};
for (const [name, d] of Object.entries(loadDatasets())) {
  datasets[name] = { X: d.X, rank: Math.min(d.X.rows - 1, d.X.cols) };
}
for (const [name, d] of Object.entries(fixture.extraDatasets)) datasets[name] = { X: asMatrix(d.X), rank: d.rank };

const flat = (rows: number[][]) => Float64Array.from(rows.flat());
const optionsOf = (c: PCACase): PCAOptions =>
  c.options.nComponents === null
    ? { whiten: c.options.whiten }
    : { nComponents: c.options.nComponents, whiten: c.options.whiten };
const caseName = (c: PCACase) =>
  `nComponents=${c.options.nComponents ?? "default"}${c.options.whiten ? ", whiten" : ""}`;

/** Largest |a - b| relative to the scale of b (at least 1). */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  return maxAbsDiff(a, b) / scale;
}

const TOL = 1e-9;
let worst = { name: "", value: 0 };
function track(name: string, value: number): number {
  if (value > worst.value) worst = { name, value };
  return value;
}

describe(`PCA vs scikit-learn ${fixture.meta.sklearn} (svd_solver="full")`, () => {
  it("covers every shared dataset and the extra ones", () => {
    expect(Object.keys(fixture.pca).sort()).toEqual(Object.keys(datasets).sort());
  });

  for (const [name, cases] of Object.entries(fixture.pca)) {
    describe(name, () => {
      for (const c of cases) {
        it(caseName(c), () => {
          const { X, rank } = datasets[name];
          const model = new PCA(optionsOf(c)).fit(X);
          const k = c.nComponents;
          expect(model.nComponents).toBe(k);
          expect(model.nFeaturesIn).toBe(X.cols);
          expect(model.components.rows).toBe(k);
          expect(track(`${name} mean`, relDiff(model.mean, c.mean))).toBeLessThan(1e-12);
          const ev0 = c.explainedVariance[0];
          // variances are compared relative to the largest one
          expect(
            track(`${name} explainedVariance`, maxAbsDiff(model.explainedVariance, c.explainedVariance) / ev0),
          ).toBeLessThan(TOL);
          expect(
            track(`${name} explainedVarianceRatio`, maxAbsDiff(model.explainedVarianceRatio, c.explainedVarianceRatio)),
          ).toBeLessThan(TOL);
          expect(
            track(`${name} singularValues`, maxAbsDiff(model.singularValues, c.singularValues) / c.singularValues[0]),
          ).toBeLessThan(TOL);
          expect(track(`${name} noiseVariance`, Math.abs(model.noiseVariance - c.noiseVariance) / ev0)).toBeLessThan(
            TOL,
          );
          // Components with nonzero variance are determined up to sign, and the sign rule is
          // scikit-learn's: compare exactly (no sign freedom). Beyond the rank they are arbitrary.
          const determined = Math.min(k, rank);
          const ours = model.components.data;
          const ref = flat(c.components);
          const d = X.cols;
          expect(
            track(`${name} components`, maxAbsDiff(ours.subarray(0, determined * d), ref.subarray(0, determined * d))),
          ).toBeLessThan(TOL);
          if (c.transform) {
            const Y = model.transform(X);
            expect(Y.rows).toBe(X.rows);
            expect(Y.cols).toBe(k);
            if (determined === k)
              expect(track(`${name} transform`, relDiff(Y.data, flat(c.transform)))).toBeLessThan(TOL);
            else {
              // only the determined columns are comparable; the rest are ~0 projections in both
              for (let i = 0; i < Y.rows; i++)
                for (let j = 0; j < k; j++) {
                  const diff = Math.abs(Y.data[i * k + j] - c.transform[i][j]);
                  expect(j < determined ? diff : Math.abs(Y.data[i * k + j])).toBeLessThan(1e-9);
                }
            }
          }
          if (c.inverseTransform && c.transform) {
            // inverse of sklearn's own projection, so the comparison isolates inverseTransform
            const back = model.inverseTransform(c.transform);
            if (determined === k)
              expect(track(`${name} inverseTransform`, relDiff(back.data, flat(c.inverseTransform)))).toBeLessThan(TOL);
            const roundTrip = model.inverseTransform(model.transform(X));
            expect(track(`${name} inverse(transform)`, relDiff(roundTrip.data, flat(c.inverseTransform)))).toBeLessThan(
              TOL,
            );
          }
        });
      }
    });
  }

  it("reports its worst agreement", () => {
    // Printed so the measured agreement is visible in the test log.
    console.log(`PCA worst relative difference vs scikit-learn: ${worst.value.toExponential(2)} (${worst.name})`);
    expect(worst.value).toBeLessThan(TOL);
  });
});

describe("PCA behaviour", () => {
  const iris = loadDatasets().iris.X;

  it("keeps all components by default and explains all the variance", () => {
    const model = new PCA().fit(iris);
    expect(model.nComponents).toBe(4);
    expect(model.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(model.noiseVariance).toBe(0);
    const back = model.inverseTransform(model.transform(iris));
    expect(maxAbsDiff(back.data, iris.data)).toBeLessThan(1e-12);
  });

  it("picks the smallest count whose cumulative ratio exceeds a fractional nComponents", () => {
    const full = new PCA().fit(iris);
    const r = full.explainedVarianceRatio;
    expect(new PCA({ nComponents: r[0] - 1e-9 }).fit(iris).nComponents).toBe(1);
    expect(new PCA({ nComponents: r[0] }).fit(iris).nComponents).toBe(2); // strictly greater
    expect(new PCA({ nComponents: r[0] + r[1] + 1e-9 }).fit(iris).nComponents).toBe(3);
    expect(new PCA({ nComponents: 0.999999999999 }).fit(iris).nComponents).toBeLessThanOrEqual(4);
  });

  it("whitening gives unit variance per component and inverts exactly", () => {
    const model = new PCA({ nComponents: 3, whiten: true }).fit(iris);
    const Y = model.transform(iris);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let i = 0; i < Y.rows; i++) s += Y.data[i * 3 + c] ** 2;
      expect(s / (Y.rows - 1)).toBeCloseTo(1, 10);
    }
    const plain = new PCA({ nComponents: 3 }).fit(iris);
    expect(maxAbsDiff(model.inverseTransform(Y).data, plain.inverseTransform(plain.transform(iris)).data)).toBeLessThan(
      1e-12,
    );
  });

  it("round-trips through JSON (directly and through modelFromJSON)", () => {
    for (const options of [{}, { nComponents: 2, whiten: true }, { nComponents: 0.95 }] as PCAOptions[]) {
      const model = new PCA(options).fit(iris);
      const json = JSON.parse(JSON.stringify(model.toJSON()));
      expect(json.type).toBe("PCAModel");
      expect(json.version).toBe(1);
      const restored = modelFromJSON<PCAModel>(json);
      expect(restored).toBeInstanceOf(PCAModel);
      expect(PCAModel.fromJSON(json).toJSON()).toEqual(model.toJSON());
      expect(restored.nComponents).toBe(model.nComponents);
      expect(restored.whiten).toBe(model.whiten);
      expect(restored.noiseVariance).toBe(model.noiseVariance);
      expect(Array.from(restored.components.data)).toEqual(Array.from(model.components.data));
      expect(Array.from(restored.transform(iris).data)).toEqual(Array.from(model.transform(iris).data));
    }
  });

  it("rejects corrupt JSON naming the field", () => {
    const json = JSON.parse(JSON.stringify(new PCA({ nComponents: 2 }).fit(iris).toJSON()));
    expect(() => modelFromJSON({ ...json, mean: [1, 2] })).toThrow("invalid model JSON: mean has 2 values, expected 4");
    expect(() => modelFromJSON({ ...json, version: 2 })).toThrow("PCAModel version 2");
    expect(() => modelFromJSON({ ...json, components: "x" })).toThrow("components is not an array");
  });

  it("is immutable", () => {
    const model = new PCA().fit(iris);
    expect(Object.isFrozen(model)).toBe(true);
  });

  it("handles more features than samples (rank-deficient) sensibly", () => {
    const rng = new Random(3);
    const n = 5;
    const d = 40;
    const data = new Float64Array(n * d);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const X = { rows: n, cols: d, data };
    const model = new PCA().fit(X);
    expect(model.nComponents).toBe(5);
    expect(model.explainedVariance[4]).toBe(0); // centring removes one dimension
    expect(model.noiseVariance).toBe(0);
    expectOrthonormal(model.components);
    // the 4 nonzero components reconstruct the data exactly
    const back = model.inverseTransform(model.transform(X));
    expect(maxAbsDiff(back.data, data)).toBeLessThan(1e-12);
    const four = new PCA({ nComponents: 4 }).fit(X);
    expect(four.noiseVariance).toBe(0);
    expect(maxAbsDiff(four.inverseTransform(four.transform(X)).data, data)).toBeLessThan(1e-12);
  });

  it("handles constant data (zero variance) with a warning", () => {
    const logger = memoryLogger();
    const X = [
      [1, 2],
      [1, 2],
      [1, 2],
    ];
    const model = new PCA({ logger }).fit(X);
    expect(Array.from(model.explainedVariance)).toEqual([0, 0]);
    expect(Array.from(model.explainedVarianceRatio)).toEqual([0, 0]);
    expect(logger.messages[0]).toMatch(/zero total variance/);
    expectOrthonormal(model.components);
    expect(Array.from(model.transform([[1, 2]]).data)).toEqual([0, 0]);
  });

  it("fits 200k x 16 quickly (blocked covariance)", () => {
    const rng = new Random(1);
    const n = 200_000;
    const d = 16;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = rng.normal() * (j + 1) + 100;
    const t0 = performance.now();
    const model = new PCA({ nComponents: 3 }).fit({ rows: n, cols: d, data });
    const ms = performance.now() - t0;
    expect(model.explainedVariance[0]).toBeGreaterThan(model.explainedVariance[1]);
    expect(Math.abs(model.explainedVariance[0] - 256) / 256).toBeLessThan(0.02);
    expect(ms).toBeLessThan(2000);
  });

  it("property: orthonormal components, sorted variances, total variance preserved, exact reconstruction", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (n, d, seed) => {
          const rng = new Random(seed);
          const data = new Float64Array(n * d);
          for (let i = 0; i < data.length; i++) data[i] = rng.normal() * (1 + (i % d));
          const X = { rows: n, cols: d, data };
          const model = new PCA().fit(X);
          expect(model.nComponents).toBe(Math.min(n, d));
          expectOrthonormal(model.components);
          for (let k = 1; k < model.nComponents; k++)
            expect(model.explainedVariance[k]).toBeLessThanOrEqual(model.explainedVariance[k - 1]);
          // total variance = trace of the covariance
          let trace = 0;
          for (let j = 0; j < d; j++) {
            let s = 0;
            for (let i = 0; i < n; i++) s += (data[i * d + j] - model.mean[j]) ** 2;
            trace += s / (n - 1);
          }
          const total = model.explainedVariance.reduce((a, b) => a + b, 0);
          expect(Math.abs(total - trace)).toBeLessThan(1e-10 * Math.max(1, trace));
          // sign rule: the largest |entry| of each component is positive
          for (let k = 0; k < model.nComponents; k++) {
            const r = model.components.data.subarray(k * d, (k + 1) * d);
            let best = 0;
            for (let j = 1; j < d; j++) if (Math.abs(r[j]) > Math.abs(r[best])) best = j;
            expect(r[best]).toBeGreaterThan(0);
          }
          const back = model.inverseTransform(model.transform(X));
          expect(maxAbsDiff(back.data, data)).toBeLessThan(1e-10 * Math.max(1, ...Array.from(data, Math.abs)));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("PCA errors name the value", () => {
  const iris = loadDatasets().iris.X;
  const cases: [PCAOptions, string][] = [
    [{ nComponents: 0 }, "invalid nComponents: 0 (must be an integer >= 1 or a fraction in (0, 1)"],
    [{ nComponents: 5 }, "invalid nComponents: 5 (must be <= min(nSamples, nFeatures) = min(150, 4) = 4)"],
    [{ nComponents: 1.5 }, "invalid nComponents: 1.5"],
    [{ nComponents: -0.5 }, "invalid nComponents: -0.5"],
    [{ nComponents: Number.NaN }, "invalid nComponents: NaN"],
    [{ whiten: "yes" as unknown as boolean }, 'invalid whiten: "yes" (must be a boolean)'],
  ];
  for (const [options, message] of cases) {
    it(JSON.stringify(options), () => {
      expect(() => new PCA(options).fit(iris)).toThrow(ValidationError);
      expect(() => new PCA(options).fit(iris)).toThrow(message);
    });
  }

  it("rejects too few samples and bad data", () => {
    expect(() => new PCA().fit([[1, 2]])).toThrow("invalid X: 1 sample (PCA needs at least 2");
    expect(() => new PCA().fit([])).toThrow("invalid X: empty");
    expect(() =>
      new PCA().fit([
        [1, Number.NaN],
        [2, 3],
      ]),
    ).toThrow("invalid X: NaN at row 0, column 1");
    expect(() =>
      new PCA({ nComponents: 3 }).fit([
        [1, 2, 3],
        [2, 3, 5],
      ]),
    ).toThrow("min(2, 3) = 2");
  });

  it("transform and inverseTransform check the width", () => {
    const model = new PCA({ nComponents: 2 }).fit(iris);
    expect(() => model.transform([[1, 2, 3]])).toThrow("invalid X: 3 features, expected 4");
    expect(() => model.inverseTransform([[1, 2, 3]])).toThrow("invalid Y: 3 features, expected 2");
  });
});

function expectOrthonormal(m: Matrix): void {
  const { rows, cols, data } = m;
  for (let a = 0; a < rows; a++)
    for (let b = a; b < rows; b++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += data[a * cols + j] * data[b * cols + j];
      expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-12);
    }
}
