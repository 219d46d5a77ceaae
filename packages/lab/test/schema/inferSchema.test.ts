import { describe, expect, it } from "vitest";
import { type ColumnRole, DataError, inferSchema, looksLikeIdentifierName, readTable } from "../../src/index.js";
import { dataset, range, table } from "./tables.js";

function roles(t: ReturnType<typeof table>, options = {}): Record<string, ColumnRole> {
  return Object.fromEntries(inferSchema(t, options).columns.map((c) => [c.name, c.role]));
}

function reason(t: ReturnType<typeof table>, name: string, options = {}): string {
  return inferSchema(t, options).columns.find((c) => c.name === name)!.reason;
}

function dataError(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error("expected a DataError");
}

const n = 150;
// A shuffled permutation of 0..n-1 (not in row order).
const shuffled = range(n, (i) => (i * 67) % n);

describe("inferSchema: numbers", () => {
  it("measurements are numeric, whole numbers included", () => {
    const t = table({ x: range(n, (i) => i * 0.37 - 5), grams: range(n, (i) => 3000 + ((i * 37) % 101)) });
    expect(roles(t)).toEqual({ x: "numeric", grams: "numeric" });
    expect(reason(t, "x")).toBe("numbers, 150 distinct");
    expect(reason(t, "grams")).toBe("whole numbers, 101 distinct");
  });

  it("small integer codes are categorical: <= 10 distinct values and <= 10% of the rows", () => {
    const t = table({ code: range(n, (i) => i % 3), six: range(40, (i) => i % 6).concat(range(110, () => 0)) });
    expect(roles(t)).toEqual({ code: "categorical", six: "categorical" });
    expect(reason(t, "code")).toBe("small integer code (3 distinct values in 150 rows: 0, 1, 2)");
    // 6 distinct values in 40 rows is 15% distinct: a number.
    expect(roles(table({ six: range(40, (i) => i % 6) }))).toEqual({ six: "numeric" });
    // 11 distinct values is above the default maximum of 10.
    expect(roles(table({ eleven: range(n, (i) => i % 11) }))).toEqual({ eleven: "numeric" });
    // Two values are always a code, whatever the row count.
    expect(roles(table({ flag: [0, 1, 1, 0, 1] }))).toEqual({ flag: "categorical" });
    // Non-integers never are.
    expect(roles(table({ half: range(n, (i) => (i % 3) + 0.5) }))).toEqual({ half: "numeric" });
  });

  it("the thresholds are options", () => {
    const t = table({ code: range(n, (i) => i % 3) });
    expect(roles(t, { integerCodeMaxDistinct: 2 })).toEqual({ code: "numeric" });
    expect(roles(table({ six: range(40, (i) => i % 6) }), { integerCodeMaxShare: 0.2 })).toEqual({
      six: "categorical",
    });
    expect(dataError(() => inferSchema(t, { integerCodeMaxShare: -1 }))).toBe(
      "invalid integerCodeMaxShare: -1 (must be a number >= 0)",
    );
  });

  it("unique whole numbers are an identifier when in row order or named like a key", () => {
    const t = table({
      row: range(n, (i) => i + 1),
      customer_id: shuffled,
      userId: shuffled,
      income: shuffled,
      descending: range(n, (i) => 1000 - 3 * i),
    });
    expect(roles(t)).toEqual({
      row: "identifier",
      customer_id: "identifier",
      userId: "identifier",
      income: "numeric",
      descending: "identifier",
    });
    expect(reason(t, "row")).toBe("unique per row (150 of 150 distinct), the name reads as a key");
    expect(reason(t, "descending")).toBe("unique per row (150 of 150 distinct), values run in row order");
    // A missing value or a repeated value: not a key.
    expect(roles(table({ id: [...range(9, (i) => i), null] }))).toEqual({ id: "numeric" });
  });

  it("looksLikeIdentifierName", () => {
    for (const name of [
      "id",
      "ID",
      "customer_id",
      "order-key",
      "userId",
      "uuid",
      "row_number",
      "index",
      "Unnamed: 0",
    ]) {
      expect(looksLikeIdentifierName(name), name).toBe(true);
    }
    for (const name of ["width", "paid", "valid", "idea", "monkey", "grid"]) {
      expect(looksLikeIdentifierName(name), name).toBe(false);
    }
  });
});

describe("inferSchema: constant and empty columns", () => {
  it("a single distinct value or no value at all is constant, with the reason", () => {
    const t = table({ seven: range(10, () => 7), some: [null, "a", "a", null, "a", "a", "a", "a", "a", "a"] });
    expect(roles(t)).toEqual({ seven: "constant", some: "constant" });
    expect(reason(t, "seven")).toBe("a single distinct value (7) in 10 rows");
    expect(reason(t, "some")).toBe('a single distinct value ("a") in 8 rows, 2 missing');
    const empty = table({ x: [null, null, null] as (number | null)[] }, { x: "DOUBLE" });
    expect(inferSchema(empty).columns[0]).toMatchObject({
      role: "constant",
      reason: "no observed values (all 3 missing)",
    });
  });
});

describe("inferSchema: strings and DuckDB types", () => {
  it("low-cardinality strings are categorical", () => {
    const t = table({ species: range(n, (i) => ["setosa", "versicolor", "virginica"][i % 3]) });
    expect(roles(t)).toEqual({ species: "categorical" });
    expect(reason(t, "species")).toBe("3 distinct values in 150 rows");
  });

  it("unique short strings are identifiers; unique long or wordy strings are text", () => {
    const t = table({
      code: range(n, (i) => `A-${i}`),
      review: range(n, (i) => `review number ${i} of a product that was fine overall`),
      name: range(n, (i) => `Mr. John Smith ${i}`),
    });
    expect(roles(t)).toEqual({ code: "identifier", review: "text", name: "text" });
    expect(reason(t, "code")).toBe("unique per row (150 of 150 distinct)");
    expect(reason(t, "review")).toMatch(/^free text, unique per row \(mean length 5\d\.\d, 9\.0 spaces\)$/);
  });

  it("high-cardinality strings: categorical up to 50% distinct, text above", () => {
    const city = table({ city: range(1000, (i) => `city${i % 60}`) });
    expect(roles(city)).toEqual({ city: "categorical" });
    expect(reason(city, "city")).toBe("high-cardinality labels (60 distinct values in 1000 rows)");
    const ticket = table({ ticket: range(100, (i) => `T${i % 60}`) });
    expect(roles(ticket)).toEqual({ ticket: "text" });
    expect(reason(ticket, "ticket")).toBe("high-cardinality strings (60 distinct values in 100 rows, 60% distinct)");
    const comments = table({ comment: range(1000, (i) => `comment ${i % 200} says a lot`) });
    expect(roles(comments)).toEqual({ comment: "text" });
    expect(roles(comments, { categoricalMaxDistinct: 500 })).toEqual({ comment: "categorical" });
  });

  it("DuckDB types decide first: dates are datetime, booleans categorical, text stays text", () => {
    const t = table(
      {
        day: range(20, (i) => `2024-01-${String(i + 1).padStart(2, "0")}`),
        flag: range(20, (i) => (i % 2 ? "true" : "false")),
        quoted: range(20, (i) => String(i % 4)),
        blob: range(20, (i) => `\\x0${i % 3}`),
      },
      { day: "DATE", flag: "BOOLEAN", blob: "BLOB" },
    );
    expect(roles(t)).toEqual({ day: "datetime", flag: "categorical", quoted: "categorical", blob: "text" });
    expect(reason(t, "day")).toBe("DuckDB type DATE");
    expect(reason(t, "quoted")).toMatch(
      /^4 distinct values in 20 rows \(the values look numeric but were read as VARCHAR/,
    );
  });
});

describe("inferSchema: user roles and target", () => {
  const t = table({
    a: range(n, (i) => i * 0.5),
    b: range(n, (i) => ["x", "y"][i % 2]),
    code: range(n, (i) => i % 3),
  });

  it("user roles replace the inferred ones and keep the inferred role in the reason", () => {
    const s = inferSchema(t, { roles: { code: "numeric", a: "identifier" }, target: "b" });
    expect(s.columns.map((c) => [c.name, c.role, c.inferredRole, c.userSet])).toEqual([
      ["a", "identifier", "numeric", true],
      ["b", "target", "categorical", true],
      ["code", "numeric", "categorical", true],
    ]);
    expect(s.columns[2].reason).toBe(
      "set by the user (inferred: categorical, small integer code (3 distinct values in 150 rows: 0, 1, 2))",
    );
    expect(s.columns[1].reason).toBe("named as the target (inferred: categorical, 2 distinct values in 150 rows)");
    expect(s.features).toEqual(["code"]);
    expect(s.target).toBe("b");
  });

  it("features are the numeric and categorical columns; target null by default", () => {
    const s = inferSchema(t);
    expect(s).toMatchObject({ source: "test.csv", nRows: n, features: ["a", "b", "code"], target: null });
  });

  it("refuses unknown columns (listing the columns), unknown roles, numeric text, two targets", () => {
    expect(dataError(() => inferSchema(t, { roles: { nope: "numeric" } }))).toBe(
      'unknown column "nope" in roles (columns: a, b, code)',
    );
    expect(dataError(() => inferSchema(t, { target: "nope" }))).toBe(
      'unknown column "nope" in target (columns: a, b, code)',
    );
    expect(dataError(() => inferSchema(t, { roles: { a: "numerical" as ColumnRole } }))).toBe(
      'invalid role for column "a": "numerical" (must be one of numeric, categorical, datetime, text, identifier, target, constant)',
    );
    expect(dataError(() => inferSchema(t, { roles: { b: "numeric" } }))).toBe(
      'cannot use column "b" as numeric: it was read as VARCHAR, not as numbers',
    );
    expect(dataError(() => inferSchema(t, { roles: { a: "target" }, target: "b" }))).toBe(
      'only one target column is allowed (got "a", "b")',
    );
    expect(dataError(() => inferSchema(t, { roles: { b: "categorical" }, target: "b" }))).toBe(
      'column "b" is the target but its role is set to categorical',
    );
  });
});

describe("inferSchema on the example datasets", () => {
  it("penguins: species/island/sex/year categorical, measurements numeric", async () => {
    const s = inferSchema(await readTable(dataset("penguins")));
    expect(Object.fromEntries(s.columns.map((c) => [c.name, c.role]))).toEqual({
      species: "categorical",
      island: "categorical",
      bill_length_mm: "numeric",
      bill_depth_mm: "numeric",
      flipper_length_mm: "numeric",
      body_mass_g: "numeric",
      sex: "categorical",
      year: "categorical",
    });
    expect(s.columns.find((c) => c.name === "year")!.reason).toBe(
      "small integer code (3 distinct values in 344 rows: 2007, 2008, 2009)",
    );
  });

  it("tips: size (1-6 people) and the booleans are categorical", async () => {
    const s = inferSchema(await readTable(dataset("tips")));
    expect(s.columns.map((c) => `${c.name}:${c.role}`)).toEqual([
      "total_bill:numeric",
      "tip:numeric",
      "sex:categorical",
      "smoker:categorical",
      "day:categorical",
      "time:categorical",
      "size:categorical",
    ]);
  });
});
