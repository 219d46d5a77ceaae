import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KMeans, type KMeansModel, type Matrix, StandardScaler } from "@clusterlab/core";
import { openChdbEngine, openDuckDBEngine, openPostgresEngine, type SqlEngine, sqlNumber } from "@clusterlab/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  blobs,
  findChdb,
  findPostgres,
  loadTable,
  type PgServer,
  pick,
  startPostgres,
} from "../../lab/test/sql/helpers.js";
import type { EngineReport } from "../src/engine.js";
import { repoRoot } from "./helpers.js";

// Runs the built CLI (`npx tsc -b` first; `npm test` builds before vitest).
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/engine.js"));

/** Runs the CLI as a process (async, so a server started by this test keeps running). */
function clusterlab(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, CLUSTERLAB_DEBUG: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => {
      stdout += String(b);
    });
    child.stderr.on("data", (b) => {
      stderr += String(b);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const X = blobs(900, 3, 4, 21, 2);
const quiet = { warn: () => {} };

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** Core's k-means on (scaled) X from the report's initial centres: labels and inertia. */
function coreRun(report: EngineReport, data: Matrix): KMeansModel {
  const init = report.initialCenters as number[][];
  return new KMeans({ nClusters: init.length, init, logger: quiet }).fit(data);
}

function requireBuilt(): void {
  if (!built) throw new Error("packages/cli/dist/engine.js is missing: run `npx tsc -b` before these tests");
}

describe("clusterlab cluster --engine duckdb (process)", () => {
  let dir: string;
  let csv: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "clusterlab-engine-"));
    csv = join(dir, "pts.csv");
    const lines = ["id,x0,x1,x2,name"];
    for (let i = 0; i < X.rows; i++)
      lines.push(`${i},${Array.from(X.data.subarray(i * 3, i * 3 + 3)).join(",")},p${i}`);
    writeFileSync(csv, `${lines.join("\n")}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function labelsOfParquet(file: string): Promise<number[]> {
    const e = await openDuckDBEngine();
    try {
      const rows = await e.query(`SELECT cluster FROM read_parquet('${file}') ORDER BY id`);
      return rows.map((r) => sqlNumber(r.cluster));
    } finally {
      await e.close();
    }
  }

  it("explicit centres, no scaling: labels in the Parquet output and inertia equal core's", async () => {
    requireBuilt();
    const centres = join(dir, "centres.csv");
    const init = pick(X, [0, 1, 2, 3]);
    const rows = ["x0,x1,x2"];
    for (let j = 0; j < 4; j++) rows.push(Array.from(init.data.subarray(j * 3, j * 3 + 3)).join(","));
    writeFileSync(centres, `${rows.join("\n")}\n`);
    const out = join(dir, "out.parquet");
    const r = await clusterlab([
      "cluster",
      csv,
      "--engine",
      "duckdb",
      "--columns",
      "x0,x1,x2",
      "--scale",
      "none",
      "--init",
      "explicit",
      "--centers",
      centres,
      "--out",
      out,
      "--json",
      "-q",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as EngineReport;
    const core = new KMeans({ nClusters: 4, init, logger: quiet }).fit(X);
    expect(relDiff(report.inertia as number, core.inertia)).toBeLessThan(1e-9);
    expect(report.nIter).toBe(core.nIter);
    // Scaling statistics, k-means statistics, the iterations, the final scan.
    expect(report.scans).toBe(core.nIter + 3);
    expect(report.nClusters).toBe(4);
    expect(await labelsOfParquet(out)).toEqual(Array.from(core.labels));
    expect(report.clusterSizes.reduce((a, b) => a + b, 0)).toBe(X.rows);
    expect(report.approximate).toBeNull();
  });

  it("standard scaling and k-means|| (default): core reproduces the run on the scaled data", async () => {
    requireBuilt();
    const out = join(dir, "out2.parquet");
    const r = await clusterlab([
      "cluster",
      csv,
      "--engine",
      "duckdb",
      "--columns",
      "x0,x1,x2",
      "--k",
      "4",
      "--out",
      out,
      "--json",
      "-q",
      "--seed",
      "3",
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as EngineReport;
    const Xs = new StandardScaler().fit(X).transform(X);
    const core = coreRun(report, Xs);
    expect(relDiff(report.inertia as number, core.inertia)).toBeLessThan(1e-9);
    expect(await labelsOfParquet(out)).toEqual(Array.from(core.labels));
    expect(report.silhouette).toBeGreaterThan(0.3);
    expect(report.silhouetteSampleSize).toBe(X.rows);
    // The text report of the same run (every numeric column: id too, which is why --columns above).
    const text = await clusterlab(["cluster", csv, "--engine", "duckdb", "--k", "4", "-q", "--seed", "3"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("kmeans on");
    expect(text.stdout).toContain("features 4 (id, x0, x1, x2)");
  });

  it("gmm, bisecting k-means and dbscan (sample, then assignment) run from the command line", async () => {
    requireBuilt();
    const gmm = await clusterlab([
      "cluster",
      csv,
      "--engine",
      "duckdb",
      "--columns",
      "x0,x1,x2",
      "--algo",
      "gmm",
      "--k",
      "4",
      "--json",
      "-q",
    ]);
    expect(gmm.code).toBe(0);
    const g = JSON.parse(gmm.stdout) as EngineReport;
    expect(g.lowerBound).toBeLessThan(0);
    expect(g.clusterSizes.reduce((a, b) => a + b, 0)).toBe(X.rows);
    const bis = await clusterlab([
      "cluster",
      csv,
      "--engine",
      "duckdb",
      "--columns",
      "x0,x1,x2",
      "--algo",
      "bisecting-kmeans",
      "--k",
      "4",
      "--json",
      "-q",
    ]);
    expect(bis.code).toBe(0);
    expect((JSON.parse(bis.stdout) as EngineReport).centers).toHaveLength(4);
    const db = await clusterlab([
      "cluster",
      csv,
      "--engine",
      "duckdb",
      "--columns",
      "x0,x1,x2",
      "--algo",
      "dbscan",
      "--eps",
      "0.5",
      "--min-samples",
      "5",
      "--sample",
      "300",
      "--json",
      "-q",
    ]);
    expect(db.code).toBe(0);
    const d = JSON.parse(db.stdout) as EngineReport;
    expect(d.approximate).toContain("seeded sample of 300 of 900 rows");
    expect(d.clusterSizes.reduce((a, b) => a + b, 0) + d.nNoise).toBe(X.rows);
  });

  it("clusters a table of a DuckDB database file and writes the labels into it", async () => {
    requireBuilt();
    const db = join(dir, "pts.duckdb");
    let e = await openDuckDBEngine(db);
    await loadTable(e, "pts", X);
    await e.close();
    const r = await clusterlab([
      "cluster",
      db,
      "--engine",
      "duckdb",
      "--table",
      "pts",
      "--columns",
      "x0,x1,x2",
      "--scale",
      "none",
      "--init",
      "random",
      "--k",
      "4",
      "--out-table",
      "labelled",
      "--json",
      "-q",
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as EngineReport;
    const core = coreRun(report, X);
    e = await openDuckDBEngine(db);
    const rows = await e.query("SELECT cluster FROM labelled ORDER BY id");
    await e.close();
    expect(rows.map((x) => sqlNumber(x.cluster))).toEqual(Array.from(core.labels));
    const both = await clusterlab(["cluster", db, "--engine", "duckdb", "--connection", db, "--table", "pts"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("either as the file argument or as --connection");
  });

  it("names the bad value: missing file, column, non-numeric column, engine/flag mismatches", async () => {
    requireBuilt();
    const missing = await clusterlab(["cluster", join(dir, "nope.parquet"), "--engine", "duckdb"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("file not found:");
    const col = await clusterlab(["cluster", csv, "--engine", "duckdb", "--columns", "x0,zz"]);
    expect(col.code).toBe(1);
    expect(col.stderr).toContain('column "zz" not found in');
    const text = await clusterlab(["cluster", csv, "--engine", "duckdb", "--columns", "x0,name"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('column "name" of');
    expect(text.stderr).toContain("is VARCHAR, not numeric");
    const usage = await clusterlab(["cluster", csv, "--engine", "postgres", "--connection", "postgres://u@h/db"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("a file argument needs --engine duckdb");
    const flag = await clusterlab(["cluster", csv, "--engine", "duckdb", "--print-spec"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--print-spec' (not taken with --engine;");
    expect(flag.stderr.trim().split("\n")).toHaveLength(1);
    const url = await clusterlab([
      "cluster",
      "--engine",
      "postgres",
      "--connection",
      "mysql://u:secret@h/db",
      "--table",
      "t",
    ]);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('invalid --connection: "mysql://u:***@h/db"');
    const init = await clusterlab(["cluster", csv, "--engine", "duckdb", "--init", "k-means++"]);
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('invalid --init: "k-means++"');
  });
});

const pg = findPostgres();
describe.skipIf("reason" in pg)("clusterlab cluster --engine postgres (process, server on 127.0.0.1)", () => {
  let server: PgServer | undefined;
  let engine: SqlEngine | undefined;
  beforeAll(async () => {
    if ("reason" in pg) return;
    server = await startPostgres(pg.bin);
    engine = await openPostgresEngine(server.url);
    await loadTable(engine, "pts", X);
    await engine.query(`CREATE TABLE named AS SELECT id, x0, 'p' || id AS name FROM pts`);
  });
  afterAll(async () => {
    await engine?.close();
    await server?.stop();
  });

  it("clusters a table and writes the labels back as a table, equal to core", async () => {
    requireBuilt();
    const url = (server as PgServer).url;
    const r = await clusterlab([
      "cluster",
      "--engine",
      "postgres",
      "--connection",
      url,
      "--table",
      "pts",
      "--columns",
      "x0,x1,x2",
      "--k",
      "4",
      "--out-table",
      "pts_labels",
      "--json",
      "-q",
      "--seed",
      "5",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as EngineReport;
    const core = coreRun(report, new StandardScaler().fit(X).transform(X));
    expect(relDiff(report.inertia as number, core.inertia)).toBeLessThan(1e-9);
    const rows = await (engine as SqlEngine).query(`SELECT cluster FROM pts_labels ORDER BY id`);
    expect(rows.map((x) => sqlNumber(x.cluster))).toEqual(Array.from(core.labels));
    const again = await clusterlab([
      "cluster",
      "--engine",
      "postgres",
      "--connection",
      url,
      "--table",
      "pts",
      "--out-table",
      "pts_labels",
      "-q",
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('cannot write table "pts_labels"');
  });

  it("names a missing table, a non-numeric column and an unreachable server", async () => {
    requireBuilt();
    const url = (server as PgServer).url;
    const table = await clusterlab(["cluster", "--engine", "postgres", "--connection", url, "--table", "nope"]);
    expect(table.code).toBe(1);
    expect(table.stderr).toContain('cannot read table "nope"');
    const text = await clusterlab([
      "cluster",
      "--engine",
      "postgres",
      "--connection",
      url,
      "--table",
      "named",
      "--columns",
      "x0,name",
    ]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('column "name" of table "named" is text, not numeric');
    const down = await clusterlab([
      "cluster",
      "--engine",
      "postgres",
      "--connection",
      "postgres://u:pw@127.0.0.1:1/db",
      "--table",
      "t",
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("cannot connect to postgres://u:***@127.0.0.1:1/db");
  });
});

const chdb = await findChdb();
describe.skipIf(chdb !== undefined)("clusterlab cluster --engine clickhouse (process, embedded chdb)", () => {
  it("clusters a ClickHouse table and writes a MergeTree table of labels, equal to core", async () => {
    requireBuilt();
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-chdb-"));
    try {
      let e = await openChdbEngine({ path: dir });
      await loadTable(e, "pts", X);
      await e.close();
      const r = await clusterlab([
        "cluster",
        "--engine",
        "clickhouse",
        "--connection",
        `chdb:${dir}`,
        "--table",
        "pts",
        "--columns",
        "x0,x1,x2",
        "--k",
        "4",
        "--scale",
        "minmax",
        "--out-table",
        "pts_labels",
        "--json",
        "-q",
      ]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as EngineReport;
      const lo = [0, 1, 2].map((t) => Math.min(...Array.from({ length: X.rows }, (_, i) => X.data[i * 3 + t])));
      const hi = [0, 1, 2].map((t) => Math.max(...Array.from({ length: X.rows }, (_, i) => X.data[i * 3 + t])));
      const Xs: Matrix = {
        rows: X.rows,
        cols: 3,
        data: X.data.map((v, p) => (v - lo[p % 3]) / (hi[p % 3] - lo[p % 3])),
      };
      const core = coreRun(report, Xs);
      expect(relDiff(report.inertia as number, core.inertia)).toBeLessThan(1e-9);
      e = await openChdbEngine({ path: dir });
      const rows = await e.query("SELECT cluster FROM pts_labels ORDER BY id");
      await e.close();
      expect(rows.map((x) => sqlNumber(x.cluster))).toEqual(Array.from(core.labels));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
