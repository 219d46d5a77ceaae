import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqlString, withDuckDB } from "@clusterlab/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import { iris, repoRoot } from "./helpers.js";

// --encoding and --table on profile, segments, anomalies, report, sweep and compare. The process
// tests run the built CLI (`npx tsc -b` first; `npm test` builds before vitest).
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/main.js"));

function clusterlab(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLUSTERLAB_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  if (!built) throw new Error("packages/cli/dist is missing: run `npx tsc -b` before these tests");
  dir = mkdtempSync(join(tmpdir(), "clusterlab-sourceflags-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const COMMANDS: Record<string, string[]> = {
  profile: [],
  segments: [],
  anomalies: [],
  report: ["--out", "r.html"],
  sweep: [],
  compare: [],
};

describe("--encoding and --table on the reading commands", () => {
  it("each command parses them and refuses an unknown encoding or an empty table name", () => {
    for (const [command, extra] of Object.entries(COMMANDS)) {
      const parsed = parseArgs([command, "d.csv", ...extra, "--encoding", "latin-1", "--table", "t"]) as {
        encoding?: string;
        table?: string;
      };
      expect(parsed, command).toMatchObject({ encoding: "latin-1", table: "t" });
      const plain = parseArgs([command, "d.csv", ...extra]) as { encoding?: string; table?: string };
      expect(plain.encoding, command).toBeUndefined();
      expect(plain.table, command).toBeUndefined();
      expect(() => parseArgs([command, "d.csv", ...extra, "--encoding", "klingon"]), command).toThrow(
        /^invalid --encoding: .*klingon/,
      );
      expect(() => parseArgs([command, "d.csv", ...extra, "--table", " "]), command).toThrow(UsageError);
    }
  });

  it("profile reads a Latin-1 CSV with --encoding latin-1 (as a process)", () => {
    const file = join(dir, "cities.csv");
    const rows = ["city,x,y"];
    const cities = ["Montr\u00e9al", "Z\u00fcrich", "K\u00f6ln", "S\u00e3o Paulo"];
    for (let i = 0; i < 40; i++) rows.push(`${cities[i % 4]},${i % 7},${(i * 3) % 11}`);
    writeFileSync(file, Buffer.from(`${rows.join("\n")}\n`, "latin1"));
    const bad = clusterlab(["profile", file, "-q"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^clusterlab: error: .*cities\.csv is not valid UTF-8: byte 0xE9 .*--encoding latin-1/);
    const ok = clusterlab(["profile", file, "--encoding", "latin-1", "--json", "-q"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const profile = JSON.parse(ok.stdout);
    expect(profile.nRows).toBe(40);
    const text = JSON.stringify(profile.columns.find((c: { name: string }) => c.name === "city"));
    for (const city of cities) expect(text).toContain(city);
  });

  it("segments and anomalies read a table of a DuckDB file with --table (as a process)", async () => {
    const db = join(dir, "shop.duckdb");
    await withDuckDB(async (c) => {
      await c.run(`ATTACH ${sqlString(db)} AS db`);
      await c.run(
        `CREATE TABLE db.flowers AS SELECT * EXCLUDE (target, target_name) FROM read_csv(${sqlString(iris)})`,
      );
      await c.run("CREATE TABLE db.orders (id INTEGER, amount DOUBLE)");
      await c.run("DETACH db");
    });
    const many = clusterlab(["segments", db, "--k", "3"]);
    expect(many.code).toBe(1);
    expect(many.stderr).toBe(
      `clusterlab: error: ${db} has 2 tables: flowers, orders; name one with --table (spec: data.table)\n`,
    );
    const seg = clusterlab(["segments", db, "--table", "flowers", "--k", "3", "--stability", "0", "--json", "-q"]);
    expect(seg.stderr).toBe("");
    expect(seg.code).toBe(0);
    const fromDb = JSON.parse(seg.stdout);
    const fromCsv = JSON.parse(
      clusterlab(["segments", iris, "--exclude", "target,target_name", "--k", "3", "--stability", "0", "--json", "-q"])
        .stdout,
    );
    expect(fromDb.nSamples).toBe(150);
    expect(fromDb.segments.reduce((a: number, s: { size: number }) => a + s.size, 0)).toBe(150);
    expect(fromDb.segments.map((s: { size: number }) => s.size)).toEqual(
      fromCsv.segments.map((s: { size: number }) => s.size),
    );
    const anomalies = clusterlab(["anomalies", db, "--table", "FLOWERS", "--k", "3", "--json", "-q"]);
    expect(anomalies.stderr).toBe("");
    expect(anomalies.code).toBe(0);
    expect(JSON.parse(anomalies.stdout)).toMatchObject({
      nSamples: 150,
      columns: expect.arrayContaining(["sepal_length_cm"]),
    });
    const missing = clusterlab(["anomalies", db, "--table", "nope", "--k", "3"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^clusterlab: error: .*nope.*flowers, orders/);
    expect(readFileSync(db).length).toBeGreaterThan(0);
  });
});
