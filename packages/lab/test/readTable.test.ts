import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError, detectFormat, getColumn, readTable, sqlString, withDuckDB } from "../src/index.js";

let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-lab-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readError(path: string, options = {}): Promise<DataError> {
  try {
    await readTable(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).not.toContain("\n");
    return error as DataError;
  }
  throw new Error(`expected readTable(${path}) to fail`);
}

describe("readTable", () => {
  it("reads a CSV with numeric and text columns; NULL numbers are NaN", async () => {
    const path = file("mixed.csv", 'id,x,name,flag\n1,1.5,"a, b",true\n2,,c,false\n3,-2e3,,true\n');
    const t = await readTable(path);
    expect(t.nRows).toBe(3);
    expect(t.source).toBe(path);
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([
      ["id", "numeric"],
      ["x", "numeric"],
      ["name", "string"],
      ["flag", "string"],
    ]);
    expect(getColumn(t, "id").type).toBe("BIGINT");
    expect(Array.from(getColumn(t, "x").values as Float64Array)).toEqual([1.5, Number.NaN, -2000]);
    expect(getColumn(t, "name").values).toEqual(["a, b", "c", null]);
    expect(getColumn(t, "flag")).toMatchObject({ type: "BOOLEAN", values: ["true", "false", "true"] });
  });

  it("reads TSV, sniffs the delimiter of .txt, honours delimiter and header options", async () => {
    const tsv = await readTable(file("a.tsv", "a\tb\n1\t2\n3\t4\n"));
    expect(tsv.columns.map((c) => c.name)).toEqual(["a", "b"]);
    expect(Array.from(getColumn(tsv, "b").values as Float64Array)).toEqual([2, 4]);
    const txt = await readTable(file("a.txt", "a;b;c\n1;2;3\n4;5;6\n7;8;9\n"));
    expect(txt.columns.map((c) => c.name)).toEqual(["a", "b", "c"]);
    const semi = await readTable(file("semi.csv", "a;b\n1;2\n"), { delimiter: ";" });
    expect(semi.columns.map((c) => c.name)).toEqual(["a", "b"]);
    const noHeader = await readTable(file("nohead.csv", "1,2\n3,4\n"), { header: false });
    expect(noHeader.nRows).toBe(2);
    expect(noHeader.columns).toHaveLength(2);
  });

  it("reads Parquet written by DuckDB, keeping integer and decimal types", async () => {
    const path = join(dir, "t.parquet");
    await withDuckDB(async (c) => {
      await c.run(
        `COPY (SELECT i::INTEGER AS i, (i / 4)::DECIMAL(6,2) AS d, 'r' || i AS s FROM range(5) t(i)) TO ${sqlString(path)} (FORMAT parquet)`,
      );
    });
    const t = await readTable(path);
    expect(t.nRows).toBe(5);
    expect(t.columns.map((c) => [c.name, c.type, c.kind])).toEqual([
      ["i", "INTEGER", "numeric"],
      ["d", "DECIMAL(6,2)", "numeric"],
      ["s", "VARCHAR", "string"],
    ]);
    expect(Array.from(getColumn(t, "d").values as Float64Array)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it("reads JSON arrays and newline-delimited JSON", async () => {
    const json = await readTable(file("a.json", '[{"a": 1, "b": "x"}, {"a": 2.5, "b": null}]'));
    expect(json.nRows).toBe(2);
    expect(Array.from(getColumn(json, "a").values as Float64Array)).toEqual([1, 2.5]);
    expect(getColumn(json, "b").values).toEqual(["x", null]);
    const nd = await readTable(file("a.jsonl", '{"a": 1}\n{"a": 2}\n{"a": null}\n'));
    expect(Array.from(getColumn(nd, "a").values as Float64Array)).toEqual([1, 2, Number.NaN]);
    const ndjson = await readTable(file("b.ndjson", '{"a": 1}\n'));
    expect(ndjson.nRows).toBe(1);
  });

  it("reports a missing file, a directory, an empty file and a header-only file", async () => {
    expect((await readError(join(dir, "nope.csv"))).message).toBe(`file not found: ${join(dir, "nope.csv")}`);
    const empty = file("empty.csv", "");
    expect((await readError(empty)).message).toBe(`empty file: ${empty} (no rows)`);
    const headerOnly = file("header.csv", "a,b\n");
    expect((await readError(headerOnly)).message).toBe(`empty file: ${headerOnly} (no rows)`);
    const emptyJson = file("empty.ndjson", "\n");
    expect((await readError(emptyJson)).message).toMatch(/^(empty file|cannot read)/);
  });

  it("reports ragged rows with the line number", async () => {
    const short = file("short.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n");
    expect((await readError(short)).message).toBe(`malformed row in ${short}: line 3 has 2 fields, expected 3 ("4,5")`);
    const long = file("long.csv", "a,b,c\n1,2,3\n4,5,6,7\n");
    expect((await readError(long)).message).toBe(
      `malformed row in ${long}: line 3 has 4 fields, expected 3 ("4,5,6,7")`,
    );
    const rows = ["a,b"];
    for (let i = 0; i < 30000; i++) rows.push(`${i},${i}`);
    rows.push("1,2,3");
    const late = file("late.csv", `${rows.join("\n")}\n`);
    expect((await readError(late)).message).toBe(
      `malformed row in ${late}: line 30002 has 3 fields, expected 2 ("1,2,3")`,
    );
  });

  it("reports a value that does not fit its column's type past the sniffed sample", async () => {
    const rows = ["a,b"];
    for (let i = 0; i < 30000; i++) rows.push(`${i},${i}`);
    rows.push("1,oops");
    const path = file("cast.csv", `${rows.join("\n")}\n`);
    expect((await readError(path)).message).toBe(
      `bad value in ${path}: line 30002, column "b": cannot convert "oops" to BIGINT (the type was detected from earlier rows)`,
    );
  });

  it("rejects unsupported extensions and detects formats", async () => {
    expect((await readError(join(dir, "nope.xlsx"))).message).toMatch(/^file not found: /);
    expect((await readError(dir)).message).toBe(`not a file: ${dir}`);
    const xlsx = file("a.xlsx", "x");
    expect((await readError(xlsx)).message).toMatch(/^unsupported file type: .*a\.xlsx/);
    expect(detectFormat("a.csv")).toEqual({ format: "csv", delimiter: "," });
    expect(detectFormat("a.CSV.gz")).toEqual({ format: "csv", delimiter: "," });
    expect(detectFormat("a.tsv")).toEqual({ format: "tsv", delimiter: "\t" });
    expect(detectFormat("a.txt")).toEqual({ format: "csv", delimiter: undefined });
    expect(detectFormat("a.pq").format).toBe("parquet");
    expect(detectFormat("a.jsonl").format).toBe("ndjson");
    expect(detectFormat("data", { format: "csv" })).toEqual({ format: "csv", delimiter: undefined });
    expect(detectFormat("a.csv", { delimiter: "\\t" }).delimiter).toBe("\t");
    expect(() => detectFormat("a.parquet", { delimiter: ";" })).toThrow(DataError);
  });
});
