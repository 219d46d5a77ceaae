#!/usr/bin/env node
// Pushed-down k-means (Lloyd, one SQL scan per iteration) on DuckDB vs in-process core KMeans on
// the same data and the same initial centres. Each measurement runs in its own child process so
// its peak memory (max RSS) is its own:
//   gen          generates --rows x --cols in DuckDB from range() with a hash-based pseudo-random
//                expression (k overlapping boxes: uniform noise around hashed centres) and
//                writes bench/data/sql_kmeans_<rows>x<cols>.parquet (kept for later runs)
//   sql-parquet  sqlKMeans on DuckDB scanning the Parquet file (out of core: nothing loaded)
//   sql-table    the Parquet file loaded into an in-memory DuckDB table first, then sqlKMeans
//   core         the Parquet file read into one Float64Array (n x d), then core KMeans (lloyd) on
//                --threads threads (WebAssembly kernels + worker executor)
// All runs use tol 0 and --iters iterations (maxIter), so the same number of scans is timed.
// Per iteration: wall-clock seconds and CPU seconds of the process (all its threads; the machine is
// shared, so CPU seconds, i.e. rows per CPU-second, do not depend on the load of other processes).
//
// Usage: npx tsc -b && node bench/sql_kmeans.mjs [--rows 10000000] [--cols 20] [--k 8] [--iters 5]
//        [--threads 2] [--only sql-parquet,sql-table,core]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rows = Number(value("--rows", "10000000"));
const cols = Number(value("--cols", "20"));
const k = Number(value("--k", "8"));
const iters = Number(value("--iters", "5"));
const threads = Number(value("--threads", String(Math.min(2, availableParallelism()))));
const phase = value("--phase", "main");
const dataDir = join(here, "data");
const file = join(dataDir, `sql_kmeans_${rows}x${cols}.parquet`);
const features = Array.from({ length: cols }, (_, t) => `x${t}`);

const peakMB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function engine() {
  const { openDuckDBEngine } = await import("../packages/lab/dist/index.js");
  return openDuckDBEngine(":memory:", { config: { threads: String(threads) } });
}

async function initCenters(e, from) {
  const r = await e.query(`SELECT ${features.join(", ")} FROM ${from} WHERE id < ${k} ORDER BY id`);
  const data = new Float64Array(k * cols);
  r.forEach((row, j) => {
    features.forEach((f, t) => {
      data[j * cols + t] = row[f];
    });
  });
  return { rows: k, cols, data };
}

async function gen() {
  if (existsSync(file)) return { phase, file, reused: true };
  mkdirSync(dataDir, { recursive: true });
  const e = await engine();
  const t0 = performance.now();
  // Cluster c = i % k; centre coordinate in [0, 2) from a hash of (c, t); noise uniform in [0, 3)
  // (overlapping boxes, so Lloyd keeps moving for many iterations).
  const exprs = features.map(
    (f, t) =>
      `(hash((i % ${k}) * ${cols} + ${t}) % 1000) / 500.0 + (hash(i * ${cols} + ${t}) % 1000003) / 1000003.0 * 3.0 AS ${f}`,
  );
  const tmp = `${file}.tmp`;
  await e.query(`COPY (SELECT i AS id, ${exprs.join(", ")} FROM range(${rows}) t(i)) TO '${tmp}' (FORMAT PARQUET)`);
  renameSync(tmp, file);
  await e.close();
  return { phase, file, seconds: (performance.now() - t0) / 1000, peakMB: peakMB() };
}

async function sql(fromTable) {
  const { sqlKMeans } = await import("../packages/lab/dist/index.js");
  const e = await engine();
  let from = `read_parquet('${file}')`;
  let loadSeconds = 0;
  if (fromTable) {
    const t0 = performance.now();
    await e.query(`CREATE TABLE pts AS SELECT * FROM ${from}`);
    loadSeconds = (performance.now() - t0) / 1000;
    from = "pts";
  }
  const init = await initCenters(e, from);
  const perIter = [];
  // CPU seconds of the process (every DuckDB thread) per statement: the load-independent cost.
  const cpu = [];
  const query = e.query.bind(e);
  e.query = async (q) => {
    const c0 = process.cpuUsage();
    const out = await query(q);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
    return out;
  };
  const t0 = performance.now();
  const res = await sqlKMeans(e, {
    from,
    columns: features,
    init,
    maxIter: iters,
    tol: 0,
    trackLabelChanges: false,
    onIteration: (info) => perIter.push(info.seconds),
  });
  // Statements: statistics, the iterations, the final scan.
  const iterCpu = cpu.slice(1, 1 + res.nIter);
  const total = (performance.now() - t0) / 1000;
  await e.close();
  return {
    phase,
    loadSeconds,
    totalSeconds: total,
    iterSeconds: median(perIter),
    iterCpuSeconds: median(iterCpu),
    perIter,
    nIter: res.nIter,
    scans: res.scans,
    inertia: res.inertia,
    peakMB: peakMB(),
  };
}

async function core() {
  const { KMeans, setParallelExecutor } = await import("../packages/core/dist/index.js");
  const { createNodeExecutor } = await import("../packages/core/node/nodeExecutor.mjs");
  const e = await engine();
  const from = `read_parquet('${file}')`;
  const init = await initCenters(e, from);
  const t0 = performance.now();
  // Read column by column into one row-major Float64Array.
  const { loadDuckDB } = await import("../packages/lab/dist/index.js");
  await loadDuckDB();
  const data = new Float64Array(rows * cols);
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const inst = await DuckDBInstance.create(":memory:", { threads: String(threads) });
  const con = await inst.connect();
  const result = await con.run(`SELECT ${features.join(", ")} FROM ${from} ORDER BY id`);
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    for (let t = 0; t < cols; t++) {
      const v = chunk.getColumnVector(t);
      for (let i = 0; i < n; i++) data[(offset + i) * cols + t] = v.getItem(i);
    }
    offset += n;
  }
  con.closeSync();
  inst.closeSync();
  await e.close();
  const loadSeconds = (performance.now() - t0) / 1000;
  const executor = threads > 1 ? createNodeExecutor(threads - 1) : null;
  setParallelExecutor(executor);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const model = new KMeans({ nClusters: k, init, maxIter: iters, tol: 0 }).fit({ rows, cols, data });
  const fitSeconds = (performance.now() - t1) / 1000;
  const fitCpu = process.cpuUsage(c1);
  setParallelExecutor(null);
  executor?.close();
  return {
    phase,
    loadSeconds,
    fitSeconds,
    iterSeconds: fitSeconds / model.nIter,
    iterCpuSeconds: (fitCpu.user + fitCpu.system) / 1e6 / model.nIter,
    nIter: model.nIter,
    inertia: model.inertia,
    peakMB: peakMB(),
  };
}

function child(name) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args, "--phase", name], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`phase ${name} failed: ${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

if (phase === "gen") console.log(JSON.stringify(await gen()));
else if (phase === "sql-parquet") console.log(JSON.stringify(await sql(false)));
else if (phase === "sql-table") console.log(JSON.stringify(await sql(true)));
else if (phase === "core") console.log(JSON.stringify(await core()));
else {
  const only = value("--only", "sql-parquet,sql-table,core").split(",");
  console.log(`rows ${rows} x cols ${cols}, k ${k}, ${iters} iterations, ${threads} threads; load ${loadavg()[0]}`);
  console.log(JSON.stringify(child("gen")));
  const gb = (rows * cols * 8) / 1e9;
  for (const name of only) {
    const r = child(name);
    const through = gb / r.iterSeconds;
    console.log(JSON.stringify({ ...r, perIter: r.perIter?.map((s) => +s.toFixed(3)) }));
    console.log(
      `${name}: ${r.iterSeconds.toFixed(3)} s/iteration (${through.toFixed(2)} GB/s of features), ${r.iterCpuSeconds.toFixed(3)} CPU-s/iteration (${(rows / r.iterCpuSeconds / 1e6).toFixed(2)} M rows per CPU-second), peak RSS ${r.peakMB} MB, load ${(r.loadSeconds ?? 0).toFixed(1)} s`,
    );
  }
  console.log(`load average after: ${loadavg()[0]}`);
}
