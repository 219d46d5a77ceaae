import { describe, expect, it } from "vitest";
import { MinMaxScaler, MinMaxScalerModel, modelFromJSON } from "../../src/index.js";
import { checkScalerFixtures, expectSameMatrix, fixture, mat, roundTrip } from "./helpers.js";

describe("MinMaxScaler", () => {
  it("matches scikit-learn (default, featureRange [-1, 2], clip)", () => {
    const n = checkScalerFixtures("MinMaxScaler", (o, X) => new MinMaxScaler(o as never).fit(X));
    expect(n).toBe(3 * Object.keys(fixture().numeric).length);
  });

  it("maps the training range onto featureRange", () => {
    const { output } = new MinMaxScaler({ featureRange: [-1, 2] }).fitTransform([[10], [20], [15]]);
    expect(Array.from(output.data)).toEqual([-1, 2, 0.5]);
  });

  it("clips held-out values only when asked", () => {
    const X = [[0], [10]];
    expect(new MinMaxScaler().fit(X).transform([[20], [-10]]).data).toEqual(Float64Array.of(2, -1));
    expect(new MinMaxScaler({ clip: true }).fit(X).transform([[20], [-10]]).data).toEqual(Float64Array.of(1, 0));
  });

  it("maps constant columns to the range minimum, never NaN", () => {
    const X = mat(fixture().numeric.constant.X);
    const { model, output } = new MinMaxScaler({ featureRange: [-1, 2] }).fitTransform(X);
    expect(output.data.every(Number.isFinite)).toBe(true);
    expect(model.scale[0]).toBe(3);
    expect(output.data[0]).toBe(-1);
  });

  it("ignores NaN in fit and keeps it in transform", () => {
    const model = new MinMaxScaler().fit([
      [Number.NaN, 1],
      [4, 3],
      [2, Number.NaN],
    ]);
    expect(Array.from(model.dataMin)).toEqual([2, 1]);
    expect(Array.from(model.dataMax)).toEqual([4, 3]);
    expect(Number.isNaN(model.transform([[Number.NaN, 2]]).data[0])).toBe(true);
  });

  it("inverseTransform round-trips", () => {
    const X = mat(fixture().numeric.wineRaw.X);
    const { model, output } = new MinMaxScaler({ featureRange: [-1, 2] }).fitTransform(X);
    const back = model.inverseTransform(output);
    for (let p = 0; p < X.data.length; p++) expect(back.data[p]).toBeCloseTo(X.data[p], 9);
  });

  it("round-trips through JSON with identical transforms", () => {
    const X = mat(fixture().numeric.irisNaN.X);
    const model = new MinMaxScaler({ featureRange: [-1, 2], clip: true }).fit(X);
    const restored = modelFromJSON<MinMaxScalerModel>(roundTrip(model));
    expect(restored).toBeInstanceOf(MinMaxScalerModel);
    expect(restored.featureRange).toEqual([-1, 2]);
    expectSameMatrix(restored.transform(X), model.transform(X));
  });

  it("rejects an empty or reversed featureRange, naming it", () => {
    expect(() => new MinMaxScaler({ featureRange: [1, 1] }).fit([[1]])).toThrow(
      "invalid featureRange: [1,1] (min must be smaller than max)",
    );
    expect(() => new MinMaxScaler({ featureRange: [2, 0] }).fit([[1]])).toThrow("invalid featureRange: [2,0]");
    expect(() => new MinMaxScaler({ featureRange: [0, Number.NaN] }).fit([[1]])).toThrow("invalid featureRange");
    expect(() => new MinMaxScaler().fit([[1, 2]]).transform([[1]])).toThrow(
      "invalid X: 1 features, expected 2 (as seen in fit)",
    );
  });
});
