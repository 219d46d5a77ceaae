import { describe, expect, it } from "vitest";
import { modelFromJSON, StandardScaler, StandardScalerModel, ValidationError } from "../../src/index.js";
import { checkScalerFixtures, expectSameMatrix, fixture, mat, roundTrip } from "./helpers.js";

describe("StandardScaler", () => {
  it("matches scikit-learn on every reference input and flag combination", () => {
    const n = checkScalerFixtures("StandardScaler", (o, X) => new StandardScaler(o).fit(X));
    expect(n).toBe(4 * Object.keys(fixture().numeric).length);
  });

  it("defaults to centring and scaling with population std", () => {
    const { model, output } = new StandardScaler().fitTransform([[1], [3]]);
    expect(Array.from(model.mean!)).toEqual([2]);
    expect(Array.from(model.var!)).toEqual([1]);
    expect(Array.from(output.data)).toEqual([-1, 1]);
  });

  it("never produces NaN or Infinity on constant and near-constant columns", () => {
    const X = mat(fixture().numeric.constant.X);
    const { model, output } = new StandardScaler().fitTransform(X);
    expect(output.data.every(Number.isFinite)).toBe(true);
    // exact constant, flagged near-constant and all-zero columns keep scale 1
    expect(model.scale![0]).toBe(1);
    expect(model.scale![1]).toBe(1);
    expect(model.scale![5]).toBe(1);
    // a genuinely small variance is kept
    expect(model.scale![2]).toBeLessThan(1e-5);
  });

  it("is stable for a large offset (two-pass variance)", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [1e9 + (i % 2)]);
    const model = new StandardScaler().fit(rows);
    expect(model.var![0]).toBeCloseTo(0.25, 12);
  });

  it("ignores NaN in fit and keeps it in transform", () => {
    const model = new StandardScaler().fit([
      [1, null as unknown as number],
      [3, 5],
      [Number.NaN, 7],
    ]);
    expect(Array.from(model.mean!)).toEqual([2, 6]);
    expect(Array.from(model.nSamplesSeen)).toEqual([2, 2]);
    const out = model.transform([[Number.NaN, 6]]);
    expect(Number.isNaN(out.data[0])).toBe(true);
    expect(out.data[1]).toBe(0);
  });

  it("inverseTransform round-trips", () => {
    for (const [withMean, withStd] of [
      [true, true],
      [false, true],
      [true, false],
      [false, false],
    ]) {
      const X = mat(fixture().numeric.wineRaw.X);
      const { model, output } = new StandardScaler({ withMean, withStd }).fitTransform(X);
      const back = model.inverseTransform(output);
      for (let p = 0; p < X.data.length; p++) expect(back.data[p]).toBeCloseTo(X.data[p], 9);
    }
  });

  it("round-trips through JSON with identical transforms", () => {
    const X = mat(fixture().numeric.irisNaN.X);
    for (const opts of [{}, { withMean: false }, { withStd: false }, { withMean: false, withStd: false }]) {
      const model = new StandardScaler(opts).fit(X);
      const json = roundTrip(model);
      const restored = modelFromJSON<StandardScalerModel>(json);
      expect(restored).toBeInstanceOf(StandardScalerModel);
      expectSameMatrix(restored.transform(X), model.transform(X));
      expect(StandardScalerModel.fromJSON(json).toJSON()).toEqual(model.toJSON());
    }
  });

  it("encodes NaN statistics as null in JSON", () => {
    const model = new StandardScaler().fit([
      [Number.NaN, 1],
      [Number.NaN, 2],
    ]);
    const json = model.toJSON();
    expect(json.mean).toEqual([null, 1.5]);
    expect(Number.isNaN(StandardScalerModel.fromJSON(json).mean![0])).toBe(true);
  });

  it("rejects a wrong feature count and bad options by name", () => {
    const model = new StandardScaler().fit([
      [1, 2],
      [3, 4],
    ]);
    expect(() => model.transform([[1, 2, 3]])).toThrow("invalid X: 3 features, expected 2 (as seen in fit)");
    expect(() => new StandardScaler({ withMean: "yes" as unknown as boolean }).fit([[1]])).toThrow(
      'invalid withMean: "yes" (must be a boolean)',
    );
    expect(() => new StandardScaler().fit([[Number.POSITIVE_INFINITY]])).toThrow(ValidationError);
  });
});
