import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Matrix, Random } from "@clusterlab/core";
import type { SqlEngine } from "../../src/sql/index.js";

/**
 * Gaussian blobs (n x d) around k well separated centres, plus the first `k` rows of each blob
 * as initial centres. Deterministic for a seed.
 */
export function blobs(n: number, d: number, k: number, seed: number, spread = 1): Matrix {
  const rng = new Random(seed);
  const centres = new Float64Array(k * d);
  for (let i = 0; i < k * d; i++) centres[i] = (rng.float() - 0.5) * 20;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    for (let t = 0; t < d; t++) data[i * d + t] = centres[c * d + t] + rng.normal() * spread;
  }
  return { rows: n, cols: d, data };
}

/** Rows `idx` of `m` as a k x d matrix. */
export function pick(m: Matrix, idx: number[]): Matrix {
  const data = new Float64Array(idx.length * m.cols);
  idx.forEach((i, r) => {
    data.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), r * m.cols);
  });
  return { rows: idx.length, cols: m.cols, data };
}

/** Creates table `name` (id INTEGER, x0..x{d-1} DOUBLE) holding `m`, inserted as exact literals. */
export async function loadTable(engine: SqlEngine, name: string, m: Matrix): Promise<string[]> {
  const dialect = engine.dialect;
  const cols = Array.from({ length: m.cols }, (_, t) => `x${t}`);
  const type = dialect.name === "postgres" ? "DOUBLE PRECISION" : "DOUBLE";
  const tableEngine = dialect.name === "clickhouse" ? " ENGINE = MergeTree ORDER BY tuple()" : "";
  await engine.query(
    `CREATE TABLE ${dialect.ident(name)} (id INTEGER, ${cols.map((c) => `${dialect.ident(c)} ${type}`).join(", ")})${tableEngine}`,
  );
  const chunk = 500;
  for (let s = 0; s < m.rows; s += chunk) {
    const values: string[] = [];
    for (let i = s; i < Math.min(m.rows, s + chunk); i++) {
      const v = [String(i)];
      for (let t = 0; t < m.cols; t++) v.push(dialect.number(m.data[i * m.cols + t]));
      values.push(`(${v.join(", ")})`);
    }
    await engine.query(`INSERT INTO ${dialect.ident(name)} VALUES ${values.join(", ")}`);
  }
  return cols;
}

/** Relative difference |a - b| / max(|b|, tiny). */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/** Largest relative difference between two arrays, relative to the largest magnitude of `b`. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  return worst;
}

/** The PostgreSQL server binaries (initdb, pg_ctl), or undefined with the reason they are absent. */
export function findPostgres(): { bin: string } | { reason: string } {
  const onPath = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" }).stdout.trim();
  if (onPath && existsSync(onPath.replace(/pg_ctl$/, "initdb"))) return { bin: onPath.replace(/\/pg_ctl$/, "") };
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort().reverse()) {
      const bin = join(root, v, "bin");
      if (existsSync(join(bin, "pg_ctl")) && existsSync(join(bin, "initdb"))) return { bin };
    }
  }
  return { reason: "PostgreSQL server binaries (initdb, pg_ctl) not found (apt-get install postgresql)" };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], asUser: string | undefined): Promise<void> {
  const [file, argv] = asUser ? ["runuser", ["-u", asUser, "--", cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stdout.on("data", () => {});
    child.stderr.on("data", (b) => {
      err += String(b);
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (${code}): ${err}`))));
  });
}

/** A throwaway PostgreSQL server on 127.0.0.1 (temp data dir, trust auth, fsync off). */
export interface PgServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a PostgreSQL server from `bin` on a free port. As root, the server runs as the
 * `postgres` user (initdb refuses root).
 */
export async function startPostgres(bin: string): Promise<PgServer> {
  const dir = mkdtempSync(join(tmpdir(), "clusterlab-pg-"));
  const asUser = process.getuid?.() === 0 ? "postgres" : undefined;
  if (asUser) {
    const id = spawnSync("id", ["-u", asUser], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", asUser], { encoding: "utf8" });
    chownSync(dir, Number(id.stdout), Number(gid.stdout));
  }
  const data = join(dir, "data");
  const port = await freePort();
  await run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"], asUser);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await run(join(bin, "pg_ctl"), ["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "start"], asUser);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        await run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asUser);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Undefined when the optional `chdb` package (embedded ClickHouse) loads, else why it does not. */
export async function findChdb(): Promise<string | undefined> {
  try {
    const name = "chdb";
    await import(name);
    return undefined;
  } catch (error) {
    return `the optional package chdb does not load (${(error as Error).message.split("\n")[0]})`;
  }
}
