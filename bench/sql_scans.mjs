#!/usr/bin/env node
// Per-scan cost of every pushed-down statement, on DuckDB and on ClickHouse (chdb, embedded),
// from the same Parquet file (made by bench/sql_kmeans.mjs's gen phase: --rows x --cols, k boxes).
// Each engine/storage runs in its own child process (its peak RSS is its own):
//   duckdb-parquet   DuckDB scanning the Parquet file (out of core)
//   duckdb-table     the file loaded into an in-memory DuckDB table first
//   chdb-mergetree   the file loaded into a ClickHouse MergeTree table (in a temporary chdb session)
//   chdb-parquet     ClickHouse scanning the Parquet file with file(..., Parquet)
// Timed statements, each a single scan of the source (median over the scans of that kind), in
// wall-clock seconds and in CPU seconds of the process (all engine threads; the machine is shared,
// so CPU seconds, i.e. rows per CPU-second, are the figure that does not depend on the load):
//   stats            COUNT, AVG, var_pop of every feature (sqlKMeans' first scan)
//   kmeans||-round   one k-means|| oversampling round (D^2-weighted top-l by a seeded hash key)
//   kmeans||-weights rows per candidate (1 + rounds x 2k candidates)
//   lloyd            one Lloyd iteration (k distances per row, GROUP BY k, k x (d + 2) sums)
//   gmm-em           one diagonal-GMM EM iteration (k log densities, log-sum-exp, k x (2d + 1) sums)
//   predict          every row + its label written (to a Parquet file on DuckDB, a MergeTree table on chdb)
//
// Usage: npx tsc -b && node bench/sql_scans.mjs [--rows 2000000] [--cols 20] [--k 8] [--threads 2]
//        [--lloyd 3] [--em 2] [--only duckdb-parquet,duckdb-table,chdb-mergetree,chdb-parquet]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rows = Number(value("--rows", "2000000"));
const cols = Number(value("--cols", "20"));
const k = Number(value("--k", "8"));
const threads = Number(value("--threads", String(Math.min(2, availableParallelism()))));
const lloydIters = Number(value("--lloyd", "3"));
const emIters = Number(value("--em", "2"));
const phase = value("--phase", "main");
const file = join(here, "data", `sql_kmeans_${rows}x${cols}.parquet`);
const features = Array.from({ length: cols }, (_, t) => `x${t}`);

const peakMB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const median = (xs) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wraps an engine so that every statement's wall-clock seconds are recorded under `timer.kind`. */
function timed(engine, timer) {
  const query = engine.query.bind(engine);
  engine.query = async (sql) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = await query(sql);
    const c = process.cpuUsage(c0);
    (timer.times[timer.kind] ??= []).push((performance.now() - t0) / 1000);
    (timer.cpu[timer.kind] ??= []).push((c.user + c.system) / 1e6);
    return out;
  };
  return engine;
}

async function measure(name) {
  const lab = await import("../packages/lab/dist/index.js");
  const timer = { kind: "setup", times: {}, cpu: {} };
  let engine;
  let from;
  let dir;
  let loadSeconds = 0;
  const t0 = performance.now();
  if (name.startsWith("duckdb")) {
    engine = await lab.openDuckDBEngine(":memory:", { config: { threads: String(threads) } });
    from = `read_parquet('${file}')`;
    if (name === "duckdb-table") {
      await engine.query(`CREATE TABLE pts AS SELECT * FROM ${from}`);
      from = "pts";
    }
  } else {
    dir = mkdtempSync(join(tmpdir(), "clusterlab-bench-chdb-"));
    engine = await lab.openChdbEngine({ path: dir });
    await engine.query(`SET max_threads = ${threads}`);
    from = `file('${file}', Parquet)`;
    if (name === "chdb-mergetree") {
      await engine.query(`CREATE TABLE pts ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM ${from}`);
      from = "pts";
    }
  }
  loadSeconds = (performance.now() - t0) / 1000;
  timed(engine, timer);
  const src = { from, columns: features };

  timer.kind = "stats";
  await engine.query(lab.featureStatsSql(engine.dialect, src));
  // k-means||: first candidate, rounds, weights (each its own kind).
  const rounds = 5;
  timer.kind = "kmeans||-first";
  const origQuery = engine.query;
  let calls = 0;
  engine.query = async (sql) => {
    calls++;
    timer.kind = calls === 1 ? "kmeans||-first" : calls <= 1 + rounds ? "kmeans||-round" : "kmeans||-weights";
    return origQuery(sql);
  };
  const par = await lab.sqlKMeansParallelInit(engine, src, k, { seed: 0, rounds });
  engine.query = origQuery;

  timer.kind = "lloyd";
  const km = await lab.sqlKMeans(engine, {
    from,
    columns: features,
    init: par.centers,
    maxIter: lloydIters,
    tol: 0,
    trackLabelChanges: false,
  });
  // The statistics and final scans of sqlKMeans are timed as "lloyd" too: drop them (first and last).
  timer.times.lloyd = timer.times.lloyd.slice(1, -1);
  timer.cpu.lloyd = timer.cpu.lloyd.slice(1, -1);

  timer.kind = "gmm-em";
  const precisions = new Float64Array(k * cols).fill(1);
  const gmm = await lab.sqlGaussianMixture(engine, {
    from,
    columns: features,
    init: {
      weights: new Float64Array(k).fill(1 / k),
      means: km.clusterCenters,
      precisions: { rows: k, cols, data: precisions },
    },
    maxIter: emIters,
    tol: 0,
  });
  timer.times["gmm-em"] = timer.times["gmm-em"].slice(1, -1);
  timer.cpu["gmm-em"] = timer.cpu["gmm-em"].slice(1, -1);

  timer.kind = "predict";
  const labeler = lab.nearestCenterLabeler(km.clusterCenters);
  if (engine.dialect.name === "duckdb") {
    const out = join(tmpdir(), `clusterlab-bench-${process.pid}.parquet`);
    await lab.writeLabels(engine, labeler, { from, columns: features, parquet: out });
    rmSync(out, { force: true });
  } else {
    await lab.writeLabels(engine, labeler, { from, columns: features, target: "labels" });
  }
  await engine.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  const perScan = {};
  for (const [kind, xs] of Object.entries(timer.times)) {
    if (kind === "setup") continue;
    const cpu = timer.cpu[kind];
    perScan[kind] = {
      median: median(xs),
      cpuMedian: median(cpu),
      n: xs.length,
      all: xs.map((s) => +s.toFixed(3)),
      cpu: cpu.map((s) => +s.toFixed(3)),
    };
  }
  return {
    phase: name,
    rows,
    cols,
    k,
    threads,
    loadSeconds,
    perScan,
    candidates: par.candidates.rows,
    kmeansInertia: km.inertia,
    gmmLowerBound: gmm.lowerBound,
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

if (phase !== "main") console.log(JSON.stringify(await measure(phase)));
else {
  const only = value("--only", "duckdb-parquet,duckdb-table,chdb-mergetree,chdb-parquet").split(",");
  console.log(`rows ${rows} x cols ${cols}, k ${k}, ${threads} threads; load average ${loadavg()[0].toFixed(1)}`);
  if (!existsSync(file)) {
    const gen = spawnSync(
      process.execPath,
      [
        join(here, "sql_kmeans.mjs"),
        "--rows",
        String(rows),
        "--cols",
        String(cols),
        "--k",
        String(k),
        "--phase",
        "gen",
      ],
      { encoding: "utf8" },
    );
    if (gen.status !== 0) throw new Error(`generating ${file} failed: ${gen.stderr}`);
    console.log(gen.stdout.trim());
  }
  for (const name of only) {
    const r = child(name);
    console.log(JSON.stringify(r));
    const parts = Object.entries(r.perScan).map(
      ([kind, s]) =>
        `${kind} ${s.median.toFixed(3)} s wall, ${s.cpuMedian.toFixed(3)} s CPU (${(rows / s.cpuMedian / 1e6).toFixed(2)} M rows per CPU-second)`,
    );
    console.log(`${name}: load ${r.loadSeconds.toFixed(1)} s, peak RSS ${r.peakMB} MB; ${parts.join("; ")}`);
  }
  console.log(`load average after: ${loadavg()[0].toFixed(1)}`);
}
