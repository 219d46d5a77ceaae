import { describe, expect, it } from "vitest";
import {
  type ImputeStrategy,
  memoryLogger,
  modelFromJSON,
  SimpleImputer,
  SimpleImputerModel,
  silentLogger,
} from "../../src/index.js";
import { expectMatrix, expectSameMatrix, expectValues, fixture, mat, roundTrip } from "./helpers.js";

const strategyOf = (s: string): ImputeStrategy => (s === "most_frequent" ? "mostFrequent" : (s as ImputeStrategy));

describe("SimpleImputer", () => {
  it("matches scikit-learn for every strategy, with and without keepEmptyFeatures", () => {
    const cases = fixture().imputer;
    expect(cases.length).toBe(19);
    for (const c of cases) {
      const label = `SimpleImputer(${JSON.stringify(c.params)}) on ${c.input}`;
      const imp = new SimpleImputer({
        strategy: strategyOf(c.params.strategy),
        keepEmptyFeatures: c.params.keep_empty_features ?? false,
        fillValue: c.params.fill_value,
        missingValues: c.params.missing_values,
        logger: silentLogger,
      });
      const X = mat(c.X);
      const model = imp.fit(X);
      expectValues(model.statistics, c.statistics, `${label}: statistics`);
      expectMatrix(model.transform(X), c.transform, `${label}: transform`);
      expectMatrix(model.transform(mat(c.Xtest)), c.transformTest, `${label}: transform(test)`);
    }
  });

  it("breaks mostFrequent ties with the smallest value", () => {
    const model = new SimpleImputer({ strategy: "mostFrequent" }).fit([[3], [1], [3], [1], [2], [Number.NaN]]);
    expect(model.statistics[0]).toBe(1);
  });

  it("drops features without observed values (with a warning) unless keepEmptyFeatures", () => {
    const logger = memoryLogger();
    const X = [
      [1, Number.NaN, 5],
      [Number.NaN, Number.NaN, 7],
    ];
    const model = new SimpleImputer({ logger }).fit(X);
    expect(model.nFeaturesOut).toBe(2);
    expect(model.getFeatureNamesOut(["a", "b", "c"])).toEqual(["a", "c"]);
    expect(Array.from(model.transform(X).data)).toEqual([1, 5, 1, 7]);
    expect(logger.messages).toEqual([
      'SimpleImputer: dropping features without any observed value: [1] (strategy "mean"); set keepEmptyFeatures to keep them',
    ]);
    const kept = new SimpleImputer({ keepEmptyFeatures: true, logger }).fit(X);
    expect(Array.from(kept.transform(X).data)).toEqual([1, 0, 5, 1, 0, 7]);
    const constant = new SimpleImputer({ strategy: "constant", fillValue: 9, keepEmptyFeatures: true }).fit(X);
    expect(Array.from(constant.transform(X).data)).toEqual([1, 9, 5, 9, 9, 7]);
  });

  it("accepts null in rows as missing and treats a custom missingValues marker", () => {
    const model = new SimpleImputer({ strategy: "median" }).fit([[1], [null as unknown as number], [5], [4]]);
    expect(model.statistics[0]).toBe(4);
    const minus = new SimpleImputer({ missingValues: -1 }).fit([[-1], [2], [4]]);
    expect(Array.from(minus.transform([[-1], [0]]).data)).toEqual([3, 0]);
    expect(() => minus.transform([[Number.NaN]])).toThrow("invalid X: NaN at row 0, column 0");
  });

  it("round-trips through JSON with identical transforms", () => {
    const X = mat(fixture().numeric.irisNaN.X);
    for (const strategy of ["mean", "median", "mostFrequent", "constant"] as const) {
      const model = new SimpleImputer({ strategy, fillValue: -2 }).fit(X);
      const json = roundTrip<Record<string, unknown>>(model);
      expect(json.missingValues).toBeNull();
      const restored = modelFromJSON<SimpleImputerModel>(json);
      expect(restored).toBeInstanceOf(SimpleImputerModel);
      expectSameMatrix(restored.transform(X), model.transform(X));
    }
  });

  it("rejects an unknown strategy and bad values by name", () => {
    expect(() => new SimpleImputer({ strategy: "mode" as ImputeStrategy }).fit([[1]])).toThrow(
      'invalid strategy: "mode" (must be one of "mean", "median", "mostFrequent", "constant")',
    );
    expect(() => new SimpleImputer({ strategy: "constant", fillValue: Number.NaN }).fit([[1]])).toThrow(
      "invalid fillValue: NaN (must be a finite number)",
    );
    const model = new SimpleImputer().fit([[1, 2]]);
    expect(() => model.transform([[1, 2, 3]])).toThrow("invalid X: 3 features, expected 2 (as seen in fit)");
  });
});
