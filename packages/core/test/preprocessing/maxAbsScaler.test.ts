import { describe, expect, it } from "vitest";
import { MaxAbsScaler, type MaxAbsScalerModel, modelFromJSON } from "../../src/index.js";
import { checkScalerFixtures, expectSameMatrix, fixture, mat, roundTrip } from "./helpers.js";

describe("MaxAbsScaler", () => {
  it("matches scikit-learn", () => {
    const n = checkScalerFixtures("MaxAbsScaler", (_o, X) => new MaxAbsScaler().fit(X));
    expect(n).toBe(Object.keys(fixture().numeric).length);
  });

  it("divides by the largest absolute value", () => {
    const { model, output } = new MaxAbsScaler().fitTransform([
      [-4, 0],
      [2, 0],
    ]);
    expect(Array.from(model.maxAbs)).toEqual([4, 0]);
    expect(Array.from(model.scale)).toEqual([4, 1]);
    expect(Array.from(output.data)).toEqual([-1, 0, 0.5, 0]);
  });

  it("keeps all-zero and tiny columns finite", () => {
    const X = mat(fixture().numeric.constant.X);
    const { model, output } = new MaxAbsScaler().fitTransform(X);
    expect(output.data.every(Number.isFinite)).toBe(true);
    expect(model.scale[3]).toBe(1); // max |x| ~ 9e-17 < 10 eps
    expect(model.scale[5]).toBe(1);
  });

  it("inverseTransform round-trips", () => {
    const X = mat(fixture().numeric.blobsOverlap.X);
    const { model, output } = new MaxAbsScaler().fitTransform(X);
    const back = model.inverseTransform(output);
    for (let p = 0; p < X.data.length; p++) expect(back.data[p]).toBeCloseTo(X.data[p], 12);
  });

  it("round-trips through JSON with identical transforms", () => {
    const X = mat(fixture().numeric.irisNaN.X);
    const model = new MaxAbsScaler().fit(X);
    const restored = modelFromJSON<MaxAbsScalerModel>(roundTrip(model));
    expectSameMatrix(restored.transform(X), model.transform(X));
  });

  it("rejects a wrong feature count", () => {
    const model = new MaxAbsScaler().fit([[1, 2, 3]]);
    expect(() => model.inverseTransform([[1, 2]])).toThrow("invalid X: 2 features, expected 3 (as seen in fit)");
  });
});
