import { describe, expect, it } from "vitest";
import { modelFromJSON, RobustScaler, RobustScalerModel } from "../../src/index.js";
import { checkScalerFixtures, expectSameMatrix, fixture, mat, roundTrip } from "./helpers.js";

describe("RobustScaler", () => {
  it("matches scikit-learn (IQR, [10, 90] with unitVariance, no centring, no scaling)", () => {
    const n = checkScalerFixtures("RobustScaler", (o, X) => new RobustScaler(o as never).fit(X));
    expect(n).toBe(4 * Object.keys(fixture().numeric).length);
  });

  it("uses the median and numpy's linear percentiles", () => {
    const model = new RobustScaler().fit([[1], [2], [3], [4], [100]]);
    expect(model.center![0]).toBe(3);
    expect(model.scale![0]).toBe(2); // q75 = 4, q25 = 2
  });

  it("gives unit variance to normal data's quantile range", () => {
    const model = new RobustScaler({ quantileRange: [25, 75], unitVariance: true }).fit([[0], [1]]);
    // IQR 0.5 divided by the normal IQR 1.3489795003921634
    expect(model.scale![0]).toBeCloseTo(0.5 / 1.3489795003921634, 15);
  });

  it("sets scale 1 for constant columns, never NaN", () => {
    const X = mat(fixture().numeric.constant.X);
    const { model, output } = new RobustScaler().fitTransform(X);
    expect(output.data.every(Number.isFinite)).toBe(true);
    expect(model.scale![0]).toBe(1);
    expect(model.scale![5]).toBe(1);
  });

  it("inverseTransform round-trips", () => {
    const X = mat(fixture().numeric.wineRaw.X);
    const { model, output } = new RobustScaler({ quantileRange: [10, 90], unitVariance: true }).fitTransform(X);
    const back = model.inverseTransform(output);
    for (let p = 0; p < X.data.length; p++) expect(back.data[p]).toBeCloseTo(X.data[p], 9);
  });

  it("round-trips through JSON with identical transforms", () => {
    const X = mat(fixture().numeric.irisNaN.X);
    for (const opts of [{}, { withCentering: false }, { withScaling: false }, { unitVariance: true }]) {
      const model = new RobustScaler(opts).fit(X);
      const restored = modelFromJSON<RobustScalerModel>(roundTrip(model));
      expect(restored).toBeInstanceOf(RobustScalerModel);
      expectSameMatrix(restored.transform(X), model.transform(X));
    }
  });

  it("rejects quantile ranges outside [0, 100], naming the value", () => {
    expect(() => new RobustScaler({ quantileRange: [10, 110] }).fit([[1]])).toThrow(
      "invalid quantileRange: [10,110] (must satisfy 0 <= qMin <= qMax <= 100)",
    );
    expect(() => new RobustScaler({ quantileRange: [-5, 50] }).fit([[1]])).toThrow("invalid quantileRange: [-5,50]");
    expect(() => new RobustScaler({ quantileRange: [80, 20] }).fit([[1]])).toThrow("invalid quantileRange: [80,20]");
    expect(() => new RobustScaler({ quantileRange: [0, 100], unitVariance: true }).fit([[1]])).toThrow(
      "invalid quantileRange: [0,100] (must satisfy 0 < qMin < qMax < 100 with unitVariance)",
    );
  });
});
