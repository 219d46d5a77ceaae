#!/usr/bin/env node
// Silhouette benchmark: Clusterlab's exact silhouetteScore vs scikit-learn's silhouette_score on the
// same data and labels, measured in the same run. Each side runs in its own process, so the peak
// resident memory (VmHWM) of each is reported too.
//
// Usage: node bench/silhouette.mjs [--quick] [--repeats N] [--rows N] [--json FILE]
// (also run by bench/kmeans.mjs; its --child mode by bench/all.mjs). Needs `npm run build` first
// and python3 with scikit-learn.
import "./ensure-sklearn.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { silhouetteScore } from "../packages/core/dist/index.js";
import { labelledBlobs, median, peakRssMB, pythonEnv, readF64, readI32 } from "./common.mjs";

export { peakRssMB };

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, "data");

/** Child process: times silhouetteScore on the files and prints JSON (with this process's peak RSS). */
async function child(dataPath, rows, cols, labelsPath, repeats) {
  const data = readF64(dataPath, rows * cols);
  const labels = readI32(labelsPath, rows);
  const times = [];
  let score = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    score = silhouetteScore({ rows, cols, data }, labels);
    times.push((performance.now() - t0) / 1000);
  }
  const maxRssMB = peakRssMB();
  console.log(JSON.stringify({ seconds: median(times), allSeconds: times, score, maxRssMB }));
}

function runPython(dataPath, rows, cols, labelsPath, repeats) {
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for the reference run (see docs/benchmarks.md).
  const env = pythonEnv();
  const r = spawnSync(
    "python3",
    [join(here, "silhouette_sklearn.py"), dataPath, String(rows), String(cols), labelsPath, String(repeats)],
    { encoding: "utf8", env, maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout);
}

/** Runs the silhouette workload; returns the result row (also printed). */
export function runSilhouetteBench({ rows = 50_000, cols = 16, k = 16, repeats = 3 } = {}) {
  mkdirSync(dataDir, { recursive: true });
  const name = `silhouette-${rows}-${cols}-k${k}`;
  const dataPath = join(dataDir, `${name}.f64`);
  const labelsPath = join(dataDir, `${name}.labels.i32`);
  if (!existsSync(dataPath) || !existsSync(labelsPath)) {
    const { data, labels } = labelledBlobs(rows, cols, k, 7);
    writeFileSync(dataPath, Buffer.from(data.buffer));
    writeFileSync(labelsPath, Buffer.from(labels.buffer));
  }
  const loadBefore = loadavg()[0];
  const c = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), "--child", dataPath, String(rows), String(cols), labelsPath, String(repeats)],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  const ours = c.status === 0 ? JSON.parse(c.stdout) : { error: c.stderr.trim().split("\n").pop() };
  const ref = runPython(dataPath, rows, cols, labelsPath, repeats);
  const row = {
    workload: `silhouette-exact-${rows >= 1000 ? `${rows / 1000}k` : rows}-${cols}`,
    rows,
    cols,
    k,
    clusterlabSeconds: ours.seconds ?? null,
    clusterlabAllSeconds: ours.allSeconds ?? null,
    sklearnSeconds: ref.seconds ?? null,
    sklearnAllSeconds: ref.allSeconds ?? null,
    ratio: ours.seconds && ref.seconds ? ours.seconds / ref.seconds : null,
    clusterlabMaxRssMB: ours.maxRssMB ?? null,
    sklearnMaxRssMB: ref.maxRssMB ?? null,
    memoryRatio: ours.maxRssMB && ref.maxRssMB ? ours.maxRssMB / ref.maxRssMB : null,
    scoreAbsDiff: ours.score !== undefined && ref.score !== undefined ? Math.abs(ours.score - ref.score) : null,
    load: [loadBefore, loadavg()[0]],
    sklearn: ref.sklearn ?? ref.error ?? null,
    error: ours.error ?? null,
  };
  console.log(
    `${row.workload.padEnd(28)} clusterlab ${ours.seconds ? `${ours.seconds.toFixed(3)} s` : `n/a: ${ours.error}`}  scikit-learn ${
      ref.seconds ? `${ref.seconds.toFixed(3)} s` : `n/a: ${ref.error}`
    }  ratio ${row.ratio ? row.ratio.toFixed(2) : "n/a"}  peak RSS ${row.clusterlabMaxRssMB?.toFixed(0) ?? "n/a"} / ${
      row.sklearnMaxRssMB?.toFixed(0) ?? "n/a"
    } MB  score diff ${row.scoreAbsDiff === null ? "n/a" : row.scoreAbsDiff.toExponential(1)}  load ${row.load
      .map((v) => v.toFixed(1))
      .join(" -> ")}`,
  );
  return row;
}

const args = process.argv.slice(2);
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (args[0] === "--child") {
    await child(args[1], Number(args[2]), Number(args[3]), args[4], Number(args[5]));
  } else {
    const value = (flag, fallback) => {
      const i = args.indexOf(flag);
      return i >= 0 ? args[i + 1] : fallback;
    };
    const quick = args.includes("--quick");
    const row = runSilhouetteBench({
      rows: Number(value("--rows", quick ? 10_000 : 50_000)),
      repeats: Number(value("--repeats", quick ? 1 : 3)),
    });
    const out = value("--json", null);
    if (out)
      writeFileSync(
        out,
        `${JSON.stringify({ date: new Date().toISOString(), node: process.version, row }, null, 2)}\n`,
      );
  }
}
