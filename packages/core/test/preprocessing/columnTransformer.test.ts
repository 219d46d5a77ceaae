import { describe, expect, it } from "vitest";
import {
  ColumnTransformer,
  ColumnTransformerModel,
  frame,
  MinMaxScaler,
  modelFromJSON,
  OneHotEncoder,
  OrdinalEncoder,
  Pipeline,
  SimpleImputer,
  StandardScaler,
  StandardScalerModel,
} from "../../src/index.js";
import { expectMatrix, expectSameMatrix, fixture, frameOf, frameTake, roundTrip } from "./helpers.js";

function penguins() {
  const ct = fixture().columnTransformer;
  return { ct, f: frameOf(ct.names, ct.columns) };
}

function penguinTransformer() {
  const { ct } = penguins();
  return new ColumnTransformer({
    transformers: [
      {
        name: "num",
        transformer: new Pipeline({
          steps: [
            ["impute", new SimpleImputer({ strategy: "median" })],
            ["scale", new StandardScaler()],
          ],
        }),
        columns: ct.numeric,
      },
      { name: "cat", transformer: new OneHotEncoder({ handleUnknown: "ignore" }), columns: ct.categorical },
    ],
    remainder: "passthrough",
  });
}

describe("ColumnTransformer", () => {
  it("matches scikit-learn on penguins (impute + scale numeric, one-hot categorical, passthrough year)", () => {
    const { ct, f } = penguins();
    const { model, output } = penguinTransformer().fitTransform(f);
    expectMatrix(output, ct.output, "penguins fitTransform");
    expectMatrix(model.transform(f), ct.output, "penguins transform");
    expect(model.getFeatureNamesOut()).toEqual(ct.featureNamesOut);
    expect(model.remainderColumns).toEqual(["year"]);
    // held-out rows with an island never seen in fit (ignored: all zeros)
    const test = frameTake(f, ct.testRows);
    const island = [...(test.columns[1] as (string | null)[])];
    island[0] = ct.testIsland0;
    test.columns[1] = island;
    expectMatrix(model.transform(test), ct.outputTest, "penguins held-out");
  });

  it("matches a Frame by column name at transform time", () => {
    const { f } = penguins();
    const model = penguinTransformer().fit(f);
    const reversed = { names: [...f.names].reverse(), columns: [...f.columns].reverse(), rows: f.rows };
    expectSameMatrix(model.transform(reversed), model.transform(f));
    const missing = { names: f.names.slice(1), columns: f.columns.slice(1), rows: f.rows };
    expect(() => model.transform(missing)).toThrow('invalid X: column "species" (seen in fit) is missing');
  });

  it("exposes the fitted sub-models", () => {
    const { f } = penguins();
    const model = penguinTransformer().fit(f);
    const num = model.transformer("num") as unknown as { step<T>(n: string): T };
    expect(num.step<StandardScalerModel>("scale")).toBeInstanceOf(StandardScalerModel);
    expect(model.transformers.map((t) => [t.name, t.nFeaturesOut])).toEqual([
      ["num", 4],
      ["cat", 9],
    ]);
    expect(model.nFeaturesOut).toBe(14);
    expect(() => model.transformer("nope")).toThrow('invalid name: "nope" (no such transformer; names: num, cat)');
  });

  it("round-trips through JSON (nested models restored) with identical transforms", () => {
    const { f } = penguins();
    const model = penguinTransformer().fit(f);
    const restored = modelFromJSON<ColumnTransformerModel>(roundTrip(model));
    expect(restored).toBeInstanceOf(ColumnTransformerModel);
    expectSameMatrix(restored.transform(f), model.transform(f));
    expect(restored.getFeatureNamesOut()).toEqual(model.getFeatureNamesOut());
    expect(restored.toJSON()).toEqual(model.toJSON());
  });

  it("selects by position, passes through, drops, and works on rows", () => {
    const rows = [
      [1, "a", 10, 5],
      [2, "b", 20, 6],
      [3, "a", 30, 7],
    ];
    const { model, output } = new ColumnTransformer({
      transformers: [
        { name: "scale", transformer: new MinMaxScaler(), columns: [2] },
        { name: "ord", transformer: new OrdinalEncoder(), columns: [1] },
        { name: "keep", transformer: "passthrough", columns: [0] },
        { name: "gone", transformer: "drop", columns: [3] },
      ],
    }).fitTransform(rows);
    expect(Array.from(output.data)).toEqual([0, 0, 1, 0.5, 1, 2, 1, 0, 3]);
    expect(model.getFeatureNamesOut()).toEqual(["scale__x2", "ord__x1", "keep__x0"]);
    expect(model.remainderColumns).toEqual([]);
    expect(() => model.transform([[1, "a", 10]])).toThrow("invalid X: 3 features, expected 4 (as seen in fit)");
  });

  it("supports bare feature names and rejects duplicates among them", () => {
    const f = frame({ a: Float64Array.of(1, 2), b: Float64Array.of(3, 4) });
    const model = new ColumnTransformer({
      transformers: [{ name: "s", transformer: new StandardScaler(), columns: ["a"] }],
      remainder: "passthrough",
      verboseFeatureNamesOut: false,
    }).fit(f);
    expect(model.getFeatureNamesOut()).toEqual(["a", "b"]);
    const dup = new ColumnTransformer({
      transformers: [
        { name: "s", transformer: new StandardScaler(), columns: ["a"] },
        { name: "t", transformer: new MinMaxScaler(), columns: ["a"] },
      ],
      verboseFeatureNamesOut: false,
    }).fit(f);
    expect(() => dup.getFeatureNamesOut()).toThrow('invalid feature names: "a" appears twice');
  });

  it("names bad configurations", () => {
    const f = frame({ color: ["red", "blue"], size: Float64Array.of(1, 2) });
    expect(() =>
      new ColumnTransformer({
        transformers: [{ name: "s", transformer: new StandardScaler(), columns: ["color"] }],
      }).fit(f),
    ).toThrow('invalid X: column "color" holds strings, but "s" (StandardScaler) needs numbers; use an encoder for it');
    expect(() =>
      new ColumnTransformer({
        transformers: [{ name: "s", transformer: new StandardScaler(), columns: ["weight"] }],
      }).fit(f),
    ).toThrow('invalid columns of "s": "weight" (not a column of X; columns: color, size)');
    expect(() =>
      new ColumnTransformer({
        transformers: [
          { name: "s", transformer: new StandardScaler(), columns: [1] },
          { name: "s", transformer: new OneHotEncoder(), columns: [0] },
        ],
      }).fit(f),
    ).toThrow('invalid name: "s" (transformer names must be unique)');
    expect(() =>
      new ColumnTransformer({
        transformers: [{ name: "s", transformer: new StandardScaler(), columns: [5] }],
      }).fit(f),
    ).toThrow('invalid columns of "s": 5 (must be a column name or an integer in [0, 1])');
    expect(() =>
      new ColumnTransformer({
        transformers: [{ name: "s", transformer: new StandardScaler(), columns: [1] }],
        remainder: "passthrough",
      }).fit(f),
    ).toThrow('invalid X: column "color" holds strings, but "remainder" (passthrough) needs numbers');
  });
});
