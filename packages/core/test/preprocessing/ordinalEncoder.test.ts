import { describe, expect, it } from "vitest";
import { modelFromJSON, OrdinalEncoder, OrdinalEncoderModel } from "../../src/index.js";
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

describe("OrdinalEncoder", () => {
  it("matches scikit-learn (default, useEncodedValue with encodedMissingValue)", () => {
    const fx = fixture();
    const cases = fx.encoders.filter((c) => c.encoder === "OrdinalEncoder");
    expect(cases.length).toBe(6);
    for (const c of cases) {
      const label = `OrdinalEncoder(${JSON.stringify(c.params)}) on ${c.input}`;
      const d = fx.categorical[c.input];
      const f = frameOf(d.names, d.columns);
      const p = c.params as { handle_unknown?: string; unknown_value?: number; encoded_missing_value?: number };
      const model = new OrdinalEncoder(
        p.handle_unknown === "use_encoded_value"
          ? {
              handleUnknown: "useEncodedValue",
              unknownValue: p.unknown_value,
              encodedMissingValue: p.encoded_missing_value,
            }
          : {},
      ).fit(f);
      expect(model.categories.map(cells), `${label}: categories`).toEqual(c.categories);
      expectMatrix(model.transform(f), c.transform, `${label}: transform`);
      const seen = frameTake(f, every(f.rows, 9));
      expectMatrix(model.transform(seen), c.transformSeen, `${label}: transform(seen)`);
      expect(frameRows(model.inverseTransform(model.transform(seen))), `${label}: inverse`).toEqual(c.inverseSeen);
      expect(model.getFeatureNamesOut()).toEqual(c.featureNamesOut);
      if (c.transformTest) {
        const t = model.transform(rowsToFrame(d.names, d.test, f));
        expectMatrix(t, c.transformTest, `${label}: transform(unseen)`);
        expect(frameRows(model.inverseTransform(t)), `${label}: inverse(unseen)`).toEqual(c.inverseTest);
      }
    }
  });

  it("codes categories by sorted index; missing is NaN by default", () => {
    const { model, output } = new OrdinalEncoder().fitTransform([["b"], ["a"], [null], ["c"]]);
    expect(Array.from(output.data)).toEqual([1, 0, Number.NaN, 2]);
    expect(frameRows(model.inverseTransform(output))).toEqual([["b"], ["a"], [null], ["c"]]);
  });

  it("names unknown values and checks unknownValue / encodedMissingValue", () => {
    const model = new OrdinalEncoder().fit([["a"], ["b"]]);
    expect(() => model.transform([["z"]])).toThrow('invalid X: unknown category "z" in column 0 (x0)');
    expect(() => new OrdinalEncoder({ handleUnknown: "useEncodedValue" }).fit([["a"]])).toThrow(
      'invalid unknownValue: undefined (must be an integer or NaN with handleUnknown "useEncodedValue")',
    );
    expect(() => new OrdinalEncoder({ unknownValue: -1 }).fit([["a"]])).toThrow(
      'invalid unknownValue: -1 (only used with handleUnknown "useEncodedValue")',
    );
    expect(() => new OrdinalEncoder({ handleUnknown: "useEncodedValue", unknownValue: 1 }).fit([["a"], ["b"]])).toThrow(
      "invalid unknownValue: 1 (already the code of category b in column 0 (x0))",
    );
    expect(() => new OrdinalEncoder({ encodedMissingValue: 0 }).fit([["a"], [null]])).toThrow(
      "invalid encodedMissingValue: 0 (already the code of a known category in column 0 (x0))",
    );
    expect(() => model.inverseTransform([[5]])).toThrow("invalid X: code 5 at row 0, column 0 (x0)");
  });

  it("encodes unknown values with unknownValue (NaN allowed)", () => {
    const model = new OrdinalEncoder({ handleUnknown: "useEncodedValue", unknownValue: Number.NaN }).fit([["a"]]);
    expect(Number.isNaN(model.transform([["q"]]).data[0])).toBe(true);
    const back = modelFromJSON<OrdinalEncoderModel>(roundTrip(model));
    expect(Number.isNaN(back.unknownValue)).toBe(true);
  });

  it("round-trips through JSON with identical transforms", () => {
    const d = fixture().categorical.tips;
    const f = frameOf(d.names, d.columns);
    const model = new OrdinalEncoder({
      handleUnknown: "useEncodedValue",
      unknownValue: -1,
      encodedMissingValue: -2,
    }).fit(f);
    const restored = modelFromJSON<OrdinalEncoderModel>(roundTrip(model));
    expect(restored).toBeInstanceOf(OrdinalEncoderModel);
    expectSameMatrix(restored.transform(f), model.transform(f));
    expect(restored.toJSON()).toEqual(model.toJSON());
  });
});
