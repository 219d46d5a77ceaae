import { describe, expect, it } from "vitest";
import { DataError, numericMatrix, type Table } from "../src/index.js";

const table: Table = {
  source: "people.csv",
  nRows: 4,
  columns: [
    { name: "id", type: "BIGINT", kind: "numeric", values: new Float64Array([1, 2, 3, 4]) },
    { name: "age", type: "DOUBLE", kind: "numeric", values: new Float64Array([30, Number.NaN, 50, 60]) },
    { name: "name", type: "VARCHAR", kind: "string", values: ["a", "b", null, "d"] },
    { name: "income", type: "DOUBLE", kind: "numeric", values: new Float64Array([10, 20, Number.NaN, 40]) },
  ],
};

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("numericMatrix", () => {
  it("selects named columns in the given order, row-major", () => {
    const r = numericMatrix(table, { columns: ["income", "id"], dropMissing: true });
    expect(r.columns).toEqual(["income", "id"]);
    expect(r.matrix.rows).toBe(3);
    expect(Array.from(r.matrix.data)).toEqual([10, 1, 20, 2, 40, 4]);
    expect(r.rowsDropped).toBe(1);
    expect(Array.from(r.rowIndex!)).toEqual([0, 1, 3]);
  });

  it("uses every numeric column by default and applies exclude", () => {
    const r = numericMatrix(table, { exclude: ["age", "income"] });
    expect(r.columns).toEqual(["id"]);
    expect(r.matrix).toEqual({ rows: 4, cols: 1, data: new Float64Array([1, 2, 3, 4]) });
    expect(r.rowsDropped).toBe(0);
    expect(r.rowIndex).toBeUndefined();
  });

  it("names the column with missing values unless dropMissing", () => {
    expect(message(() => numericMatrix(table))).toBe(
      'column "age" has 1 missing value; impute them or pass dropMissing: true',
    );
    expect(message(() => numericMatrix(table, { columns: ["income"], dropMissingHint: "--drop-missing" }))).toBe(
      'column "income" has 1 missing value; impute them or pass --drop-missing',
    );
    const r = numericMatrix(table, { dropMissing: true });
    expect(r.columns).toEqual(["id", "age", "income"]);
    expect(r.rowsDropped).toBe(2);
    expect(Array.from(r.rowIndex!)).toEqual([0, 3]);
    expect(Array.from(r.matrix.data)).toEqual([1, 30, 10, 4, 60, 40]);
  });

  it("refuses unknown, text, duplicate and empty selections", () => {
    expect(message(() => numericMatrix(table, { columns: ["id", "agee"] }))).toBe(
      'unknown column "agee" in people.csv (columns: id, age, name, income)',
    );
    expect(message(() => numericMatrix(table, { exclude: ["nope"] }))).toContain('unknown column "nope"');
    expect(message(() => numericMatrix(table, { columns: ["name"] }))).toMatch(
      /^column "name" in people.csv is not numeric/,
    );
    expect(message(() => numericMatrix(table, { columns: ["id", "id"] }))).toBe('column "id" is selected twice');
    expect(message(() => numericMatrix(table, { columns: ["id"], exclude: ["id"] }))).toBe(
      "no columns left in people.csv after excluding id",
    );
  });

  it("says so when there is no numeric column", () => {
    const text: Table = {
      source: "x.csv",
      nRows: 1,
      columns: [
        { name: "a", type: "VARCHAR", kind: "string", values: ["u"] },
        { name: "b", type: "DATE", kind: "string", values: ["2024-01-01"] },
      ],
    };
    expect(message(() => numericMatrix(text))).toBe("no numeric columns in x.csv (columns: a, b)");
  });

  it("refuses infinite values and all-missing rows", () => {
    const inf: Table = {
      source: "i.csv",
      nRows: 2,
      columns: [
        { name: "x", type: "DOUBLE", kind: "numeric", values: new Float64Array([1, Number.POSITIVE_INFINITY]) },
      ],
    };
    expect(message(() => numericMatrix(inf))).toBe('column "x" has 1 infinite value; clustering needs finite numbers');
    const nan: Table = {
      source: "n.csv",
      nRows: 1,
      columns: [{ name: "x", type: "DOUBLE", kind: "numeric", values: new Float64Array([Number.NaN]) }],
    };
    expect(message(() => numericMatrix(nan, { dropMissing: true }))).toBe(
      "no rows left in n.csv after dropping rows with missing values",
    );
  });
});
