#!/usr/bin/env node
// Scale benchmark for issue 3: Clusterlab vs scikit-learn at the sizes the issue names (DBSCAN 100k x 8,
// HDBSCAN 20k x 8, agglomerative ward / average / single 20k x 8, ward 100k x 8, OPTICS 50k x 2), on the
// same data (written as raw float64) with the same parameters, measured in the same run. Each fit runs in
// its own process (Clusterlab: a child `node`; scikit-learn: bench/scale_sklearn.py), so each side's peak
// resident memory is its own: VmHWM from /proc/self/status, read after the fit. "base" is the process's
// VmRSS just before the fit (runtime, libraries and the data), so peak - base is what the fit added.
// Label agreement is the adjusted Rand index (noise, -1, counted as one more label).
//
// Usage: npm run build && node bench/scale.mjs [--quick] [--only NAME[,NAME...]] [--cap SECONDS] [--json FILE]
// (child mode: node bench/scale.mjs --child NAME ROWS DATA.f64 LABELS_OUT.i32 [REPEATS])
// --quick divides the row counts by 5; --only runs the named workloads; --cap (default 300) stops a scikit-learn fit that runs longer and
// reports it as capped. One run per side (2 shared cores: keep the machine quiet).
import "./ensure-sklearn.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AgglomerativeClustering, adjustedRandScore, DBSCAN, HDBSCAN, OPTICS } from "../packages/core/dist/index.js";
import { gaussianBlobs, latticeBlobs, median, pythonEnv, statusMB } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, "data");

const WARD_100K_NOTE =
  "not run: scikit-learn's ward without connectivity calls scipy's linkage on the condensed distance matrix, n(n-1)/2 float64 = 40 GB at n = 100,000 (80 GB as a square matrix); this machine has 23 GB";

/** The workloads (scikit-learn parameter names in `sklearn`; null: scikit-learn not run, `note` says why). */
const WORKLOADS = [
  {
    name: "dbscan-100k-8d",
    kind: "dbscan",
    rows: 100_000,
    cols: 8,
    data: "lattice",
    ours: { eps: 3, minSamples: 10 },
    sklearn: { eps: 3, min_samples: 10 },
  },
  {
    name: "hdbscan-20k-8d",
    kind: "hdbscan",
    rows: 20_000,
    cols: 8,
    data: "blobs",
    ours: { minClusterSize: 25, minSamples: 10 },
    sklearn: { min_cluster_size: 25, min_samples: 10 },
  },
  ...["ward", "average", "single"].map((linkage) => ({
    name: `${linkage}-20k-8d`,
    kind: "agglomerative",
    rows: 20_000,
    cols: 8,
    data: "blobs",
    ours: { nClusters: 12, linkage },
    sklearn: { n_clusters: 12, linkage },
  })),
  {
    name: "ward-100k-8d",
    kind: "agglomerative",
    rows: 100_000,
    cols: 8,
    data: "blobs",
    ours: { nClusters: 12, linkage: "ward" },
    sklearn: null,
    note: WARD_100K_NOTE,
  },
  {
    name: "optics-50k-2d",
    kind: "optics",
    rows: 50_000,
    cols: 2,
    data: "blobs",
    ours: { minSamples: 10, maxEps: 2, xi: 0.05 },
    sklearn: { min_samples: 10, max_eps: 2, xi: 0.05 },
  },
];

function estimator(w) {
  switch (w.kind) {
    case "dbscan":
      return new DBSCAN(w.ours);
    case "hdbscan":
      return new HDBSCAN(w.ours);
    case "optics":
      return new OPTICS(w.ours);
    default:
      return new AgglomerativeClustering(w.ours);
  }
}

/** The data of a workload, bench/common.mjs's generators with seed 11. */
function generate(kind, rows, cols) {
  return kind === "blobs" ? gaussianBlobs(rows, cols, 11) : latticeBlobs(rows, cols, 11);
}

/**
 * Child process: Clusterlab fits of one workload (one, or `repeats` with the median time); writes
 * the labels and prints JSON. Also run by bench/all.mjs (the ward-20k-8d row).
 */
function child(name, rows, dataPath, labelsPath, repeats = 1) {
  const w = WORKLOADS.find((x) => x.name === name);
  const buf = readFileSync(dataPath);
  const data = new Float64Array(buf.buffer, buf.byteOffset, rows * w.cols).slice();
  const X = { rows, cols: w.cols, data };
  const baseRssMB = statusMB("VmRSS");
  const times = [];
  const cpuTimes = [];
  let model;
  for (let r = 0; r < repeats; r++) {
    model = undefined;
    const est = estimator(w);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    model = est.fit(X);
    times.push((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(c0);
    cpuTimes.push((cpu.user + cpu.system) / 1e6);
  }
  const maxRssMB = statusMB("VmHWM");
  writeFileSync(labelsPath, Buffer.from(model.labels.buffer, model.labels.byteOffset, model.labels.byteLength));
  const nClusters = new Set(model.labels).size - (model.labels.includes(-1) ? 1 : 0);
  console.log(
    JSON.stringify({
      seconds: median(times),
      allSeconds: times,
      cpuSeconds: median(cpuTimes),
      maxRssMB,
      baseRssMB,
      nClusters,
    }),
  );
}

function runOurs(w, rows, dataPath, labelsPath) {
  const r = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), "--child", w.name, String(rows), dataPath, labelsPath],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) return { error: (r.stderr || "node failed").trim().split("\n").slice(-3).join(" ") };
  return JSON.parse(r.stdout);
}

function runSklearn(w, rows, dataPath, labelsPath, cap) {
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (see docs/benchmarks.md).
  const env = pythonEnv();
  const r = spawnSync(
    "python3",
    [
      join(here, "scale_sklearn.py"),
      w.kind,
      dataPath,
      String(rows),
      String(w.cols),
      JSON.stringify(w.sklearn),
      labelsPath,
      String(cap),
    ],
    // the watchdog in scale_sklearn.py stops at the cap; this kill is the fallback if it cannot run
    { encoding: "utf8", env, maxBuffer: 1 << 24, timeout: (cap + 60) * 1000 },
  );
  if (r.error?.code === "ETIMEDOUT") return { capped: true, seconds: cap, maxRssMB: null };
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout);
}

function readLabels(path, rows) {
  const b = readFileSync(path);
  return new Int32Array(b.buffer, b.byteOffset, rows).slice();
}

const fmtS = (v) => (v == null ? "n/a" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const fmtMB = (v) => (v == null ? "n/a" : v.toFixed(0));

function main(args) {
  const value = (flag, fallback) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const quick = args.includes("--quick");
  const only = value("--only", null);
  const cap = Number(value("--cap", 300));
  mkdirSync(dataDir, { recursive: true });
  const rows = [];
  const loadStart = loadavg();
  const selected = only ? only.split(",") : null;
  for (const w of WORKLOADS.filter((x) => !selected || selected.includes(x.name))) {
    const n = quick ? Math.floor(w.rows / 5) : w.rows;
    const dataPath = join(dataDir, `scale-${w.data}-${n}x${w.cols}.f64`);
    if (!existsSync(dataPath)) writeFileSync(dataPath, Buffer.from(generate(w.data, n, w.cols).buffer));
    const oursPath = join(dataDir, `scale-${w.name}-${n}.clusterlab.i32`);
    const refPath = join(dataDir, `scale-${w.name}-${n}.sklearn.i32`);
    const load = loadavg()[0];
    const ours = runOurs(w, n, dataPath, oursPath);
    const ref = w.sklearn ? runSklearn(w, n, dataPath, refPath, cap) : { skipped: true };
    let ari = null;
    if (ours.seconds != null && ref.seconds != null && !ref.capped) {
      ari = adjustedRandScore(readLabels(refPath, n), readLabels(oursPath, n));
    }
    for (const p of [oursPath, refPath]) rmSync(p, { force: true });
    const row = {
      workload: w.name,
      rows: n,
      cols: w.cols,
      params: w.ours,
      clusterlabSeconds: ours.seconds ?? null,
      sklearnSeconds: ref.capped ? null : (ref.seconds ?? null),
      clusterlabCpuSeconds: ours.cpuSeconds ?? null,
      sklearnCpuSeconds: ref.capped ? null : (ref.cpuSeconds ?? null),
      sklearnCapped: ref.capped ? cap : null,
      ratio: ours.seconds != null && ref.seconds != null && !ref.capped ? ours.seconds / ref.seconds : null,
      clusterlabMaxRssMB: ours.maxRssMB ?? null,
      clusterlabBaseRssMB: ours.baseRssMB ?? null,
      sklearnMaxRssMB: ref.maxRssMB ?? null,
      sklearnBaseRssMB: ref.baseRssMB ?? null,
      memoryRatio: ours.maxRssMB && ref.maxRssMB && !ref.capped ? ours.maxRssMB / ref.maxRssMB : null,
      ari,
      nClusters: [ours.nClusters ?? null, ref.nClusters ?? null],
      load,
      note: w.note ?? null,
      error: ours.error ?? ref.error ?? null,
    };
    rows.push(row);
    const sk = ref.skipped
      ? "not run"
      : ref.capped
        ? `> ${cap} s (capped)`
        : ref.error
          ? `error: ${ref.error}`
          : `${fmtS(ref.seconds)} s`;
    console.log(
      `${w.name.padEnd(16)} n=${n}  clusterlab ${ours.error ? `error: ${ours.error}` : `${fmtS(ours.seconds)} s (cpu ${fmtS(ours.cpuSeconds)})`}  scikit-learn ${sk}${
        ref.cpuSeconds == null ? "" : ` (cpu ${fmtS(ref.cpuSeconds)})`
      }  ratio ${
        row.ratio == null ? "n/a" : row.ratio.toFixed(2)
      }  peak RSS ${fmtMB(row.clusterlabMaxRssMB)} / ${fmtMB(row.sklearnMaxRssMB)} MB  ARI ${
        ari == null ? "n/a" : ari.toFixed(4)
      }  load ${load.toFixed(2)}`,
    );
  }
  const header =
    "| workload | rows x cols | Clusterlab s | scikit-learn s | time ratio | Clusterlab peak MB (base) | scikit-learn peak MB (base) | memory ratio | ARI | clusters (ours / sklearn) |";
  const lines = [header, `|${"---|".repeat(10)}`];
  for (const r of rows) {
    const sk = r.sklearnCapped
      ? `> ${r.sklearnCapped} (capped)`
      : r.sklearnSeconds == null
        ? "not run"
        : fmtS(r.sklearnSeconds);
    lines.push(
      `| ${r.workload} | ${r.rows} x ${r.cols} | ${fmtS(r.clusterlabSeconds)} | ${sk} | ${r.ratio == null ? "n/a" : r.ratio.toFixed(2)} | ${fmtMB(
        r.clusterlabMaxRssMB,
      )} (${fmtMB(r.clusterlabBaseRssMB)}) | ${r.sklearnMaxRssMB == null ? "n/a" : `${fmtMB(r.sklearnMaxRssMB)} (${fmtMB(r.sklearnBaseRssMB)})`} | ${
        r.memoryRatio == null ? "n/a" : r.memoryRatio.toFixed(2)
      } | ${r.ari == null ? "n/a" : r.ari.toFixed(4)} | ${r.nClusters.map((v) => v ?? "n/a").join(" / ")} |`,
    );
  }
  console.log(`\n${lines.join("\n")}`);
  console.log(
    `\nnode ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average at start ${loadStart
      .map((v) => v.toFixed(2))
      .join(" / ")}, at end ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" / ")}`,
  );
  const out = value("--json", null);
  if (out) {
    writeFileSync(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, loadStart, loadEnd: loadavg(), rows }, null, 2)}\n`,
    );
  }
}

const argv = process.argv.slice(2);
if (argv[0] === "--child") child(argv[1], Number(argv[2]), argv[3], argv[4], Number(argv[5] ?? 1));
else main(argv);
