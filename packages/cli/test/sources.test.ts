import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqlString, withDuckDB } from "@clusterlab/lab";
import * as arrow from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iris, run } from "./helpers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-sources-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** iris's four measurements as parallel arrays. */
function irisColumns(): { names: string[]; values: number[][] } {
  const lines = readFileSync(iris, "utf8").trim().split("\n");
  const names = lines[0].split(",").slice(0, 4);
  const values = names.map((_, j) => lines.slice(1).map((l) => Number(l.split(",")[j])));
  return { names, values };
}

async function labels(argv: string[]): Promise<number[]> {
  const r = await run([...argv, "--json", "-q"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).clusterSizes;
}

describe("the CLI reads Arrow files, DuckDB tables and other text encodings", () => {
  it("clusters the same rows from CSV, Arrow IPC and a DuckDB table (--table) to the same clusters", async () => {
    const { names, values } = irisColumns();
    const csv = join(dir, "iris4.csv");
    writeFileSync(
      csv,
      `${names.join(",")}\n${values[0].map((_, i) => values.map((v) => v[i]).join(",")).join("\n")}\n`,
    );
    const table = new arrow.Table(
      Object.fromEntries(names.map((n, j) => [n, arrow.vectorFromArray(values[j], new arrow.Float64())])),
    );
    const file = join(dir, "iris.arrow");
    writeFileSync(file, arrow.tableToIPC(table, "file"));
    const db = join(dir, "iris.duckdb");
    await withDuckDB(async (c) => {
      await c.run(`ATTACH ${sqlString(db)} AS db`);
      await c.run(`CREATE TABLE db.flowers AS SELECT * FROM read_csv(${sqlString(csv)})`);
      await c.run("CREATE TABLE db.other (x INTEGER)");
      await c.run("DETACH db");
    });
    const fromCsv = await labels(["cluster", csv, "--k", "3"]);
    expect(await labels(["cluster", file, "--k", "3"])).toEqual(fromCsv);
    expect(await labels(["cluster", db, "--table", "flowers", "--k", "3"])).toEqual(fromCsv);
    const many = await run(["cluster", db, "--k", "3"]);
    expect(many.code).toBe(1);
    expect(many.stderr).toBe(
      `clusterlab: error: ${db} has 2 tables: flowers, other; name one with --table (spec: data.table)\n`,
    );
    // sweep reads them too.
    const sweep = await run(["sweep", db, "--table", "flowers", "--k", "2..3", "--no-stability", "--json", "-q"]);
    expect(sweep.code).toBe(0);
    expect(JSON.parse(sweep.stdout).nRows).toBe(150);
  });

  it("a Latin-1 file: a clear error as UTF-8, read with --encoding latin-1", async () => {
    const file = join(dir, "latin1.csv");
    const rows = ["city,x,y", "Berlin,1,2", "Montr\u00e9al,1.5,2.5", "Z\u00fcrich,8,9", "Köln,8.5,9.5"];
    writeFileSync(file, Buffer.from(`${rows.join("\n")}\n`, "latin1"));
    const bad = await run(["cluster", file, "--k", "2"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `clusterlab: error: ${file} is not valid UTF-8: byte 0xE9 at offset 25 (line 3, data row 2); if it is Latin-1 / Windows-1252 text, read it with --encoding latin-1 (spec: data.encoding), or name its encoding (e.g. windows-1252, utf-16)\n`,
    );
    const out = join(dir, "latin1-out.csv");
    const ok = await run(["cluster", file, "--k", "2", "--encoding", "latin-1", "--out", out, "-q"]);
    expect(ok.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("Montréal");
    const spec = await run(["run", "--data", file, "--encoding", "latin-1", "--k", "2", "--print-spec"]);
    expect(JSON.parse(spec.stdout).data).toMatchObject({ path: file, encoding: "latin-1" });
  });
});
