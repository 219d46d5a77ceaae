import { describe, expect, it } from "vitest";
import { asFrame, frame, frameColumn, frameToMatrix, isFrame, selectColumns } from "../../src/index.js";

describe("Frame", () => {
  it("builds from named columns and looks columns up by name", () => {
    const f = frame({ color: ["red", null], size: Float64Array.of(1, Number.NaN) });
    expect(f.names).toEqual(["color", "size"]);
    expect(f.rows).toBe(2);
    expect(isFrame(f)).toBe(true);
    expect(frameColumn(f, "color")).toEqual(["red", null]);
    expect(() => frameColumn(f, "weight")).toThrow('invalid column: "weight" (not in the frame; columns: color, size)');
    expect(selectColumns(f, ["size"]).names).toEqual(["size"]);
  });

  it("rejects ragged or mistyped columns, naming them", () => {
    expect(() => frame({ a: ["x"], b: ["y", "z"] })).toThrow("invalid X: column 1 (b) has 2 values, expected 1");
    expect(() => frame({ a: ["x", 3 as unknown as string] })).toThrow(
      "invalid X: value 3 at row 1 of column 0 (a) (a string column holds strings or null)",
    );
  });

  it("converts rows: numeric columns become Float64Array, booleans strings, null missing", () => {
    const f = asFrame([
      [1, "a", true, null],
      [null, "b", false, null],
    ]);
    expect(f.names).toEqual(["x0", "x1", "x2", "x3"]);
    expect(Array.from(f.columns[0] as Float64Array)).toEqual([1, Number.NaN]);
    expect(f.columns[1]).toEqual(["a", "b"]);
    expect(f.columns[2]).toEqual(["true", "false"]);
    expect(f.columns[3]).toBeInstanceOf(Float64Array);
    expect(() => asFrame([[1], ["a"]])).toThrow('invalid X: column 0 mixes numbers and strings (row 0: 1, row 1: "a")');
    expect(() => asFrame([[1], [1, 2]])).toThrow("invalid X: row 1 has 2 values, expected 1");
  });

  it("turns numeric columns into a matrix and refuses strings", () => {
    const f = frame({ a: Float64Array.of(1, 2), b: Float64Array.of(3, Number.NaN) });
    const m = frameToMatrix(f);
    expect(Array.from(m.data)).toEqual([1, 3, 2, Number.NaN]);
    expect(() => frameToMatrix(frame({ a: ["x"] }))).toThrow(
      "invalid X: column 0 (a) holds strings; a numeric matrix is needed here",
    );
  });
});
