import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError, getColumn, outputFormat, readTable, writeTable } from "../src/index.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-lab-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = 'id,x,name,day,flag\n1,1.5,"a, b",2024-01-02,true\n2,,c,2024-02-03,false\n3,-2.25,,,true\n';

describe("writeTable", () => {
  it("round-trips every column plus an integer cluster column through CSV", async () => {
    const src = join(dir, "in.csv");
    writeFileSync(src, input);
    const table = await readTable(src);
    const out = join(dir, "nested", "dir", "out.csv");
    await writeTable(out, table, { cluster: new Int32Array([2, 0, 1]) });
    const text = readFileSync(out, "utf8").trim().split("\n");
    expect(text).toEqual([
      "id,x,name,day,flag,cluster",
      '1,1.5,"a, b",2024-01-02,true,2',
      "2,,c,2024-02-03,false,0",
      "3,-2.25,,,true,1",
    ]);
    const back = await readTable(out);
    expect(back.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "BIGINT"],
      ["x", "DOUBLE"],
      ["name", "VARCHAR"],
      ["day", "DATE"],
      ["flag", "BOOLEAN"],
      ["cluster", "BIGINT"],
    ]);
  });

  it("round-trips through Parquet keeping types", async () => {
    const src = join(dir, "in2.csv");
    writeFileSync(src, input);
    const table = await readTable(src);
    const out = join(dir, "out.parquet");
    await writeTable(out, table, { cluster: new Int32Array([0, 1, 0]), score: new Float64Array([0.5, Number.NaN, 1]) });
    const back = await readTable(out);
    expect(back.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "BIGINT"],
      ["x", "DOUBLE"],
      ["name", "VARCHAR"],
      ["day", "DATE"],
      ["flag", "BOOLEAN"],
      ["cluster", "INTEGER"],
      ["score", "DOUBLE"],
    ]);
    expect(Array.from(getColumn(back, "cluster").values as Float64Array)).toEqual([0, 1, 0]);
    expect(Array.from(getColumn(back, "x").values as Float64Array)).toEqual([1.5, Number.NaN, -2.25]);
    expect(getColumn(back, "name").values).toEqual(["a, b", "c", null]);
    expect(Array.from(getColumn(back, "score").values as Float64Array)).toEqual([0.5, Number.NaN, 1]);
  });

  it("writes nullable number arrays, replaces a same-named column, writes TSV and JSON", async () => {
    const table = {
      source: "mem",
      nRows: 2,
      columns: [
        { name: "a", type: "DOUBLE", kind: "numeric" as const, values: new Float64Array([1, 2]) },
        { name: "cluster", type: "VARCHAR", kind: "string" as const, values: ["old", "old"] },
      ],
    };
    const tsv = join(dir, "o.tsv");
    await writeTable(tsv, table, { cluster: [3, null] });
    expect(readFileSync(tsv, "utf8")).toBe("a\tcluster\n1.0\t3\n2.0\t\n");
    const json = join(dir, "o.json");
    await writeTable(json, table, { label: ["x", "y"] });
    expect(JSON.parse(readFileSync(json, "utf8"))).toEqual([
      { a: 1, cluster: "old", label: "x" },
      { a: 2, cluster: "old", label: "y" },
    ]);
  });

  it("checks lengths and extensions", async () => {
    const table = {
      source: "mem",
      nRows: 2,
      columns: [{ name: "a", type: "DOUBLE", kind: "numeric" as const, values: new Float64Array([1, 2]) }],
    };
    await expect(writeTable(join(dir, "x.csv"), table, { cluster: new Int32Array(3) })).rejects.toThrow(
      'invalid column "cluster": 3 values, expected 2 (one per row)',
    );
    await expect(writeTable(join(dir, "x.xlsx"), table)).rejects.toThrow(DataError);
    expect(outputFormat("a.PARQUET")).toBe("parquet");
    expect(outputFormat("a.jsonl")).toBe("ndjson");
  });
});
