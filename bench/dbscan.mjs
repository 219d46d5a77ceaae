#!/usr/bin/env node
// DBSCAN benchmark: Clusterlab vs scikit-learn on the same data (written as raw float64), same eps /
// minSamples / metric, measured in the same run. Prints fit times, the ratio (Clusterlab / scikit-learn:
// below 1 means Clusterlab is faster) and whether the labels agree exactly (no permutation allowed).
//
// Usage: npm run build && node bench/dbscan.mjs [--quick] [--repeats N] [--only NAME] [--json FILE]
// Needs python3 with scikit-learn for the ratio.
import "./ensure-sklearn.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DBSCAN, matrix } from "../packages/core/dist/index.js";
import { latticeBlobs as generate, median, pythonEnv } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, "data");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const repeats = Number(value("--repeats", flag("--quick") ? 1 : 3));
const only = value("--only", null);

// eps/minSamples chosen so each full-size set gives 10 clusters plus noise (latticeBlobs in common.mjs); --quick
// shrinks the row counts, so cluster counts differ there. "auto" is the uniform grid for d <= 3 and the
// k-d tree up to 15 features; scikit-learn uses its k-d tree (algorithm="auto") in every workload.
const workloads = [
  { name: "dbscan-1M-2d", rows: 1_000_000, cols: 2, eps: 0.1, minSamples: 10, metric: "euclidean", algorithm: "auto" },
  {
    name: "dbscan-1M-2d-kdtree",
    rows: 1_000_000,
    cols: 2,
    eps: 0.1,
    minSamples: 10,
    metric: "euclidean",
    algorithm: "kdtree",
  },
  { name: "dbscan-200k-3d", rows: 200_000, cols: 3, eps: 0.7, minSamples: 10, metric: "euclidean", algorithm: "auto" },
  { name: "dbscan-100k-8d", rows: 100_000, cols: 8, eps: 3, minSamples: 10, metric: "euclidean", algorithm: "auto" },
].filter((w) => !only || w.name === only);
if (flag("--quick")) for (const w of workloads) w.rows = Math.min(w.rows, 100_000);

function runPython(dataPath, labelsPath, w) {
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for the reference run (see docs/benchmarks.md).
  const env = pythonEnv();
  const r = spawnSync(
    "python3",
    [
      join(here, "dbscan_sklearn.py"),
      dataPath,
      String(w.rows),
      String(w.cols),
      String(w.eps),
      String(w.minSamples),
      w.metric,
      String(repeats),
      labelsPath,
    ],
    { encoding: "utf8", env, maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout);
}

mkdirSync(dataDir, { recursive: true });
const results = [];
for (const w of workloads) {
  const dataPath = join(dataDir, `dbscan-v3-${w.rows}x${w.cols}.f64`);
  const labelsPath = join(dataDir, `${w.name}-${w.rows}.labels.i32`);
  const data = generate(w.rows, w.cols, 42);
  if (!existsSync(dataPath)) writeFileSync(dataPath, Buffer.from(data.buffer));
  const X = matrix(w.rows, w.cols, data);
  const times = [];
  let model;
  for (let r = 0; r < repeats; r++) {
    model = undefined;
    const t0 = performance.now();
    model = new DBSCAN({ eps: w.eps, minSamples: w.minSamples, metric: w.metric, algorithm: w.algorithm }).fit(X);
    times.push((performance.now() - t0) / 1000);
  }
  let noise = 0;
  for (const l of model.labels) if (l < 0) noise++;
  const ours = { seconds: median(times), nClusters: model.nClusters, noise, nCore: model.coreSampleIndices.length };
  const ref = runPython(dataPath, labelsPath, w);
  let mismatches = null;
  if (ref.seconds) {
    const theirs = new Int32Array(new Uint8Array(readFileSync(labelsPath)).buffer);
    mismatches = 0;
    for (let i = 0; i < w.rows; i++) if (theirs[i] !== model.labels[i]) mismatches++;
    rmSync(labelsPath);
  }
  const row = {
    workload: w.name,
    rows: w.rows,
    cols: w.cols,
    eps: w.eps,
    minSamples: w.minSamples,
    algorithm: w.algorithm,
    clusterlabSeconds: ours.seconds,
    clusterlabAllSeconds: times,
    sklearnSeconds: ref.seconds ?? null,
    ratio: ref.seconds ? ours.seconds / ref.seconds : null,
    nClusters: ours.nClusters,
    sklearnNClusters: ref.nClusters ?? null,
    noise: ours.noise,
    sklearnNoise: ref.nNoise ?? null,
    labelMismatches: mismatches,
    sklearn: ref.sklearn ?? ref.error,
  };
  results.push(row);
  console.log(
    `${w.name.padEnd(22)} clusterlab ${ours.seconds.toFixed(3)} s  scikit-learn ${
      ref.seconds ? `${ref.seconds.toFixed(3)} s` : `n/a: ${ref.error}`
    }  ratio ${row.ratio ? row.ratio.toFixed(3) : "n/a"} (${row.ratio ? (1 / row.ratio).toFixed(1) : "n/a"}x)  clusters ${
      ours.nClusters
    }/${ref.nClusters ?? "n/a"}  noise ${ours.noise}/${ref.nNoise ?? "n/a"}  label mismatches ${mismatches ?? "n/a"}`,
  );
}
const out = value("--json", null);
if (out)
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, repeats, results }, null, 2)}\n`,
  );
