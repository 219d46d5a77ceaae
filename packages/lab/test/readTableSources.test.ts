import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileScanSql } from "../src/fileScan.js";
import {
  DataError,
  detectFormat,
  findInvalidUtf8,
  getColumn,
  inferSchema,
  normalizeSpec,
  readTable,
  runSpec,
  SpecError,
  sqlString,
  validateSpec,
  withDuckDB,
} from "../src/index.js";

let dir: string;
const path = (name: string) => join(dir, name);
const write = (name: string, bytes: Uint8Array | string) => {
  writeFileSync(path(name), bytes);
  return path(name);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-sources-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).not.toContain("\n");
    return (error as Error).message;
  }
  throw new Error("expected the read to fail");
}

function sampleArrowTable(): arrow.Table {
  return new arrow.Table({
    id: arrow.vectorFromArray([1n, 2n, 3n], new arrow.Int64()),
    x: arrow.vectorFromArray([1.5, null, -2], new arrow.Float64()),
    n: arrow.vectorFromArray([7, 8, null], new arrow.Int32()),
    name: arrow.vectorFromArray(["a", null, "é"], new arrow.Utf8()),
    day: arrow.vectorFromArray([new Date("2024-01-02"), null, new Date("2024-03-04")], new arrow.DateDay()),
    at: arrow.vectorFromArray(
      [new Date("2024-01-02T03:04:05Z"), new Date("2024-01-02T00:00:00.250Z"), null],
      new arrow.TimestampMillisecond(),
    ),
    ok: arrow.vectorFromArray([true, false, null], new arrow.Bool()),
    kind: arrow.vectorFromArray(["x", "y", "x"], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
  });
}

describe("readTable: Arrow IPC files", () => {
  it("reads the file format (.arrow, .feather) and the stream format (.arrows, .ipc) the same way", async () => {
    const t = sampleArrowTable();
    const files = [
      write("t.arrow", arrow.tableToIPC(t, "file")),
      write("t.feather", arrow.tableToIPC(t, "file")),
      write("t.arrows", arrow.tableToIPC(t, "stream")),
      write("t.ipc", arrow.tableToIPC(t, "stream")),
    ];
    for (const f of files) {
      expect(detectFormat(f).format).toBe("arrow");
      const table = await readTable(f);
      expect(table.nRows).toBe(3);
      expect(table.source).toBe(f);
      expect(table.columns.map((c) => [c.name, c.kind, c.type])).toEqual([
        ["id", "numeric", "BIGINT"],
        ["x", "numeric", "DOUBLE"],
        ["n", "numeric", "INTEGER"],
        ["name", "string", "VARCHAR"],
        ["day", "string", "DATE"],
        ["at", "string", "TIMESTAMP"],
        ["ok", "string", "BOOLEAN"],
        ["kind", "string", "VARCHAR"],
      ]);
      expect(getColumn(table, "id").values).toEqual(new Float64Array([1, 2, 3]));
      expect(Array.from(getColumn(table, "x").values as Float64Array)).toEqual([1.5, Number.NaN, -2]);
      expect(Array.from(getColumn(table, "n").values as Float64Array)).toEqual([7, 8, Number.NaN]);
      expect(getColumn(table, "name").values).toEqual(["a", null, "é"]);
      expect(getColumn(table, "day").values).toEqual(["2024-01-02", null, "2024-03-04"]);
      expect(getColumn(table, "at").values).toEqual(["2024-01-02 03:04:05", "2024-01-02 00:00:00.250", null]);
      expect(getColumn(table, "ok").values).toEqual(["true", "false", null]);
      expect(getColumn(table, "kind").values).toEqual(["x", "y", "x"]);
    }
  });

  it("gives the same table as DuckDB reading the same data from CSV (roles included)", async () => {
    const csv = write("same.csv", "a,b,c\n1,2.5,u\n2,,v\n3,4.5,u\n");
    const fromCsv = await readTable(csv);
    const t = new arrow.Table({
      a: arrow.vectorFromArray([1n, 2n, 3n], new arrow.Int64()),
      b: arrow.vectorFromArray([2.5, null, 4.5], new arrow.Float64()),
      c: arrow.vectorFromArray(["u", "v", "u"], new arrow.Utf8()),
    });
    const fromArrow = await readTable(write("same.arrow", arrow.tableToIPC(t, "file")));
    expect(fromArrow.columns).toEqual(fromCsv.columns);
    expect(inferSchema(fromArrow).columns.map((c) => c.role)).toEqual(inferSchema(fromCsv).columns.map((c) => c.role));
  });

  it("errors: not an Arrow file, no rows, options that do not apply", async () => {
    const bad = write("bad.arrow", "a,b\n1,2\n");
    expect(await failure(readTable(bad))).toMatch(/^cannot read .*bad\.arrow as an Arrow IPC file: /);
    const empty = new arrow.Table({ a: arrow.vectorFromArray([] as number[], new arrow.Float64()) });
    const emptyFile = write("empty.arrow", arrow.tableToIPC(empty, "file"));
    expect(await failure(readTable(emptyFile))).toBe(`empty file: ${emptyFile} (no rows)`);
    expect(await failure(readTable(bad, { encoding: "latin-1" }))).toMatch(/only delimited text files have one/);
    expect(() => fileScanSql(bad, {})).toThrow(/arrow files are not supported here/);
  });
});

describe("readTable: tables of a DuckDB database file", () => {
  async function makeDb(name: string, statements: string[]): Promise<string> {
    const file = path(name);
    await withDuckDB(async (c) => {
      await c.run(`ATTACH ${sqlString(file)} AS db`);
      for (const s of statements) await c.run(s);
      await c.run("DETACH db");
    });
    return file;
  }

  it("reads the only table; names one with `table` when there are several; lists them otherwise", async () => {
    const one = await makeDb("one.duckdb", [
      "CREATE TABLE db.points (x DOUBLE, y INTEGER, label VARCHAR, day DATE)",
      "INSERT INTO db.points VALUES (1.5, 2, 'a', '2024-01-02'), (NULL, 3, NULL, NULL)",
    ]);
    expect(detectFormat(one).format).toBe("duckdb");
    const t = await readTable(one);
    expect(t.nRows).toBe(2);
    expect(t.columns.map((c) => [c.name, c.kind, c.type])).toEqual([
      ["x", "numeric", "DOUBLE"],
      ["y", "numeric", "INTEGER"],
      ["label", "string", "VARCHAR"],
      ["day", "string", "DATE"],
    ]);
    expect(Array.from(getColumn(t, "x").values as Float64Array)).toEqual([1.5, Number.NaN]);
    expect(getColumn(t, "day").values).toEqual(["2024-01-02", null]);

    const many = await makeDb("many.ddb", [
      "CREATE TABLE db.customers (id INTEGER, spend DOUBLE)",
      "INSERT INTO db.customers VALUES (1, 10), (2, 20), (3, 30)",
      "CREATE SCHEMA db.sales",
      "CREATE TABLE db.sales.orders (id INTEGER)",
      "INSERT INTO db.sales.orders VALUES (7)",
    ]);
    expect(await failure(readTable(many))).toBe(
      `${many} has 2 tables: customers, sales.orders; name one with --table (spec: data.table)`,
    );
    const customers = await readTable(many, { table: "customers" });
    expect(getColumn(customers, "spend").values).toEqual(new Float64Array([10, 20, 30]));
    const orders = await readTable(many, { table: "sales.orders" });
    expect(orders.nRows).toBe(1);
    expect((await readTable(many, { table: "CUSTOMERS" })).nRows).toBe(3);
    expect(await failure(readTable(many, { table: "nope" }))).toBe(
      `unknown table "nope" in ${many} (tables: customers, sales.orders)`,
    );
    // Attached read-only: reading twice works and the file is unchanged.
    expect((await readTable(many, { table: "customers" })).nRows).toBe(3);
  });

  it("errors: an empty database, a file that is not a database, `table` on another format", async () => {
    const empty = await makeDb("empty.duckdb", []);
    expect(await failure(readTable(empty))).toMatch(/^no tables in .*empty\.duckdb/);
    const notDb = write("not.duckdb", "a,b\n1,2\n");
    expect(await failure(readTable(notDb))).toMatch(/^cannot open .*not\.duckdb as a DuckDB database: /);
    const csv = write("t.csv", "a\n1\n");
    expect(await failure(readTable(csv, { table: "t" }))).toMatch(/only DuckDB database files have tables/);
  });

  it("runs a spec on a DuckDB table (data.table), and the spec validates table and encoding", async () => {
    const db = await makeDb("spec.duckdb", [
      "CREATE TABLE db.a (x DOUBLE, y DOUBLE)",
      "INSERT INTO db.a SELECT i % 7, (i * 13) % 11 FROM range(60) t(i)",
      "CREATE TABLE db.b (z DOUBLE)",
      "INSERT INTO db.b VALUES (1)",
    ]);
    const spec = {
      version: 1 as const,
      data: { path: db, table: "a" },
      algorithm: { name: "kmeans" as const, params: { nClusters: 2 } },
    };
    expect(normalizeSpec(validateSpec(spec)).data).toEqual({ path: db, format: "duckdb", table: "a" });
    const run = await runSpec(spec);
    expect(run.labels).toHaveLength(60);
    expect(run.features.numeric).toEqual(["x", "y"]);
    await expect(runSpec({ ...spec, data: { path: db } })).rejects.toThrow(/has 2 tables: a, b/);
    expect(() => validateSpec({ ...spec, data: { path: "x.csv", table: "a" } })).toThrow(SpecError);
    expect(() => validateSpec({ ...spec, data: { path: "x.csv", table: "a" } })).toThrow(/\/data\/table/);
    expect(() => validateSpec({ ...spec, data: { path: "x.parquet", encoding: "latin-1" } })).toThrow(
      /\/data\/encoding/,
    );
    expect(() => validateSpec({ ...spec, data: { path: "x.csv", encoding: "klingon" } })).toThrow(
      /invalid spec: \/data\/encoding: "klingon" \(unknown encoding/,
    );
  });
});

describe("readTable: CSV encodings", () => {
  const latin1Text = Buffer.from([
    ...Buffer.from("city,n\nBerlin,1\nMontr"),
    0xe9,
    ...Buffer.from("al,2\nZ"),
    0xfc,
    ...Buffer.from("rich,3\n"),
  ]);

  it("skips a UTF-8 byte-order mark (the first header is clean)", async () => {
    const f = write("bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('"id",b\n1,é\n2,x\n')]));
    const t = await readTable(f);
    expect(t.columns.map((c) => c.name)).toEqual(["id", "b"]);
    expect(getColumn(t, "id").kind).toBe("numeric");
    expect(getColumn(t, "b").values).toEqual(["é", "x"]);
  });

  it("transcodes UTF-16 LE and BE files with a BOM (with or without an encoding option)", async () => {
    const text = "name,v\nCafé,1\nNaïve,2\n";
    const le = write("le.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    const beBytes = Buffer.from(text, "utf16le").swap16();
    const be = write("be.csv", Buffer.concat([Buffer.from([0xfe, 0xff]), beBytes]));
    for (const f of [le, be]) {
      for (const options of [{}, { encoding: "utf-16" }]) {
        const t = await readTable(f, options);
        expect(t.columns.map((c) => c.name)).toEqual(["name", "v"]);
        expect(getColumn(t, "name").values).toEqual(["Café", "Naïve"]);
        expect(getColumn(t, "v").values).toEqual(new Float64Array([1, 2]));
      }
    }
    // No BOM and no encoding: recognised as UTF-16 by its zero bytes, with the flag to use.
    const bare = write("bare16.csv", Buffer.from(text, "utf16le"));
    expect(await failure(readTable(bare))).toBe(
      `${bare} looks like UTF-16 text without a byte-order mark (every other byte is 0); read it with --encoding utf-16le (spec: data.encoding)`,
    );
    expect(getColumn(await readTable(bare, { encoding: "utf-16" }), "v").values).toEqual(new Float64Array([1, 2]));
    // The other way round: a UTF-8 file read as UTF-16 decodes to one line; the error names the encoding.
    const utf8 = write("utf8.csv", "a,b\n1,2\n3,4\n");
    expect(await failure(readTable(utf8, { encoding: "utf-16" }))).toBe(
      `empty file: ${utf8} (no rows; read as utf-16: is that the file's encoding?)`,
    );
    // No BOM: utf-16 means little-endian, utf-16be says otherwise.
    const noBom = write("nobom.csv", beBytes);
    expect(getColumn(await readTable(noBom, { encoding: "utf-16be" }), "name").values).toEqual(["Café", "Naïve"]);
    // The temporary UTF-8 copy is removed.
    const copies = readdirSync(tmpdir()).filter(
      (d) => d.startsWith("clusterlab-") && existsSync(join(tmpdir(), d, "nobom.csv.utf8")),
    );
    expect(copies).toEqual([]);
  });

  it("reads latin-1 and windows-1252 when asked", async () => {
    const f = write("latin1.csv", latin1Text);
    for (const encoding of ["latin-1", "ISO-8859-1", "windows-1252", "cp1252"]) {
      const t = await readTable(f, { encoding });
      expect(getColumn(t, "city").values).toEqual(["Berlin", "Montréal", "Zürich"]);
    }
    // 0x80 is the euro sign in windows-1252.
    const euro = write("euro.csv", Buffer.from([...Buffer.from("price\n"), 0x80, ...Buffer.from("5\n")]));
    expect(getColumn(await readTable(euro, { encoding: "windows-1252" }), "price").values).toEqual(["€5"]);
  });

  it("a non-UTF-8 file read as UTF-8: the error names the line, row and byte and suggests --encoding latin-1", async () => {
    const f = write("notutf8.csv", latin1Text);
    expect(await failure(readTable(f))).toBe(
      `${f} is not valid UTF-8: byte 0xE9 at offset 21 (line 3, data row 2); if it is Latin-1 / Windows-1252 text, ` +
        "read it with --encoding latin-1 (spec: data.encoding), or name its encoding (e.g. windows-1252, utf-16)",
    );
    // Far past DuckDB's sniffing sample too.
    const rows = ["a,b", ...Array.from({ length: 30_000 }, (_, i) => `${i},x`)].join("\n");
    const late = write("late.csv", Buffer.concat([Buffer.from(`${rows}\n`), Buffer.from([0x31, 0x2c, 0xe9, 0x0a])]));
    expect(await failure(readTable(late))).toMatch(
      /^.*late\.csv is not valid UTF-8: byte 0xE9 at offset \d+ \(line 30002, data row 30001\)/,
    );
  });

  it("findInvalidUtf8 accepts valid multi-byte text and rejects overlong and truncated sequences", async () => {
    expect(await findInvalidUtf8(write("ok.txt", "a\néü€𝄞\n"))).toBeNull();
    expect(await findInvalidUtf8(write("overlong.txt", Buffer.from([0x61, 0x0a, 0xc0, 0xaf])))).toEqual({
      offset: 2,
      byte: 0xc0,
      line: 2,
    });
    expect(await findInvalidUtf8(write("cut.txt", Buffer.from([0x61, 0xe2, 0x82])))).toEqual({
      offset: 1,
      byte: 0xe2,
      line: 1,
    });
    expect(await findInvalidUtf8(write("surrogate.txt", Buffer.from([0xed, 0xa0, 0x80])))).toEqual({
      offset: 0,
      byte: 0xed,
      line: 1,
    });
  });

  it("rejects an unknown encoding, naming it", async () => {
    const f = write("plain.csv", "a\n1\n");
    expect(await failure(readTable(f, { encoding: "klingon" }))).toMatch(/^invalid encoding: "klingon" \(use utf-8/);
    expect(() => fileScanSql(f, { encoding: "utf-16" })).toThrow(/not supported here/);
    expect(fileScanSql(f, { encoding: "latin-1" })).toContain("encoding='latin-1'");
  });
});
