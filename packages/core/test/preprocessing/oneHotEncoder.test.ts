import { describe, expect, it } from "vitest";
import { frame, modelFromJSON, OneHotEncoder, OneHotEncoderModel, ValidationError } from "../../src/index.js";
import {
  cells,
  every,
  expectMatrix,
  expectSameMatrix,
  fixture,
  frameOf,
  frameRows,
  frameTake,
  roundTrip,
  rowsToFrame,
} from "./helpers.js";

/** sklearn writes float categories as `2.0`; we write `2`. */
const jsName = (s: string) => s.replace(/_(-?\d+)\.0$/, "_$1");

describe("OneHotEncoder", () => {
  it("matches scikit-learn on penguins, tips and colors (drop, ifBinary, ignore)", () => {
    const fx = fixture();
    const cases = fx.encoders.filter((c) => c.encoder === "OneHotEncoder");
    expect(cases.length).toBe(15);
    for (const c of cases) {
      const label = `OneHotEncoder(${JSON.stringify(c.params)}) on ${c.input}`;
      const d = fx.categorical[c.input];
      const f = frameOf(d.names, d.columns);
      const model = new OneHotEncoder({
        drop: c.params.drop === "if_binary" ? "ifBinary" : ((c.params.drop as "first" | undefined) ?? null),
        handleUnknown: (c.params.handle_unknown as "ignore" | undefined) ?? "error",
      }).fit(f);
      expect(model.categories.map(cells), `${label}: categories`).toEqual(c.categories);
      expect(model.dropIdx, `${label}: dropIdx`).toEqual(c.dropIdx);
      expectMatrix(model.transform(f), c.transform, `${label}: transform`);
      const seen = frameTake(f, every(f.rows, 9));
      expectMatrix(model.transform(seen), c.transformSeen, `${label}: transform(seen)`);
      expect(frameRows(model.inverseTransform(model.transform(seen))), `${label}: inverse`).toEqual(c.inverseSeen);
      expect(model.getFeatureNamesOut(), `${label}: names`).toEqual(c.featureNamesOut.map(jsName));
      if (c.transformTest) {
        const test = rowsToFrame(d.names, d.test, f);
        const t = model.transform(test);
        expectMatrix(t, c.transformTest, `${label}: transform(unseen)`);
        expect(frameRows(model.inverseTransform(t)), `${label}: inverse(unseen)`).toEqual(c.inverseTest);
      }
    }
  });

  it("encodes rows of cells; missing values are a category named nan", () => {
    const rows = [
      ["red", "S"],
      ["green", null],
      ["red", "M"],
    ];
    const { model, output } = new OneHotEncoder().fitTransform(rows);
    expect(model.categories).toEqual([
      ["green", "red"],
      ["M", "S", null],
    ]);
    expect(model.getFeatureNamesOut(["color", "size"])).toEqual([
      "color_green",
      "color_red",
      "size_M",
      "size_S",
      "size_nan",
    ]);
    expect(model.getFeatureNamesOut()).toEqual(["x0_green", "x0_red", "x1_M", "x1_S", "x1_nan"]);
    expect(Array.from(output.data)).toEqual([0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0]);
    expect(frameRows(model.inverseTransform(output))).toEqual(rows);
  });

  it("names the unknown value and its column", () => {
    const f = frame({ color: ["red", "green"], size: ["S", "M"] });
    const model = new OneHotEncoder().fit(f);
    expect(() => model.transform(frame({ color: ["purple"], size: ["S"] }))).toThrow(
      'invalid X: unknown category "purple" in column 0 (color)',
    );
    expect(() => model.transform(frame({ color: ["red"], size: [null] }))).toThrow(
      "invalid X: unknown category null (missing) in column 1 (size)",
    );
    expect(() => model.transform([["red", "S"]])).not.toThrow();
    expect(() => model.transform(frame({ size: ["S"], color: ["red"] }))).toThrow(
      'invalid X: column 0 is "size", expected "color" (as seen in fit)',
    );
    expect(() => model.transform([["red"]])).toThrow("invalid X: 1 features, expected 2 (as seen in fit)");
  });

  it("ignores unknown categories as all zeros, inverted to null", () => {
    const model = new OneHotEncoder({ handleUnknown: "ignore" }).fit([["a"], ["b"]]);
    const out = model.transform([["c"], ["a"]]);
    expect(Array.from(out.data)).toEqual([0, 0, 1, 0]);
    expect(frameRows(model.inverseTransform(out))).toEqual([[null], ["a"]]);
    const strict = new OneHotEncoder().fit([["a"], ["b"]]);
    expect(() => strict.inverseTransform([[0, 0]])).toThrow(ValidationError);
  });

  it("drops the first category; a single-category feature gives no column", () => {
    const model = new OneHotEncoder({ drop: "first" }).fit([
      ["a", "x"],
      ["b", "x"],
    ]);
    expect(model.nFeaturesOut).toBe(1);
    expect(model.getFeatureNamesOut()).toEqual(["x0_b"]);
    expect(frameRows(model.inverseTransform([[0], [1]]))).toEqual([
      ["a", "x"],
      ["b", "x"],
    ]);
  });

  it("uses explicit categories in the given order and rejects values outside them", () => {
    const model = new OneHotEncoder({ categories: [["z", "a", null]] }).fit([["a"], ["z"]]);
    expect(model.getFeatureNamesOut(["c"])).toEqual(["c_z", "c_a", "c_nan"]);
    expect(() => new OneHotEncoder({ categories: [["a"]] }).fit([["a"], ["b"]])).toThrow(
      'invalid X: unknown category "b" in column 0 (x0)',
    );
    expect(() => new OneHotEncoder({ categories: [["a", "a"]] }).fit([["a"]])).toThrow(
      'invalid categories[0]: duplicate value "a"',
    );
  });

  it("encodes numeric columns with NaN, sorted numerically", () => {
    const model = new OneHotEncoder().fit([[10], [2], [Number.NaN], [2]]);
    expect(Array.from(model.categories[0] as Float64Array)).toEqual([2, 10, Number.NaN]);
    expect(model.getFeatureNamesOut(["n"])).toEqual(["n_2", "n_10", "n_nan"]);
  });

  it("rejects columns mixing numbers and strings and bad options", () => {
    expect(() => new OneHotEncoder().fit([["a"], [1]] as never)).toThrow(
      'invalid X: column 0 mixes numbers and strings (row 1: 1, row 0: "a")',
    );
    expect(() => new OneHotEncoder({ drop: "last" as never }).fit([["a"]])).toThrow(
      'invalid drop: "last" (must be "first", "ifBinary" or null)',
    );
    expect(() => new OneHotEncoder({ handleUnknown: "warn" as never }).fit([["a"]])).toThrow(
      'invalid handleUnknown: "warn"',
    );
  });

  it("round-trips through JSON with identical transforms", () => {
    const fx = fixture();
    const d = fx.categorical.penguins;
    const f = frameOf(d.names, d.columns);
    for (const opts of [
      {},
      { drop: "first" as const, handleUnknown: "ignore" as const },
      { drop: "ifBinary" as const },
    ]) {
      const model = new OneHotEncoder(opts).fit(f);
      const restored = modelFromJSON<OneHotEncoderModel>(roundTrip(model));
      expect(restored).toBeInstanceOf(OneHotEncoderModel);
      expectSameMatrix(restored.transform(f), model.transform(f));
      expect(restored.getFeatureNamesOut()).toEqual(model.getFeatureNamesOut());
      expect(restored.toJSON()).toEqual(model.toJSON());
    }
    const numeric = new OneHotEncoder().fit([[1], [Number.NaN]]);
    const back = modelFromJSON<OneHotEncoderModel>(roundTrip(numeric));
    expectSameMatrix(back.transform([[Number.NaN], [1]]), numeric.transform([[Number.NaN], [1]]));
  });
});
