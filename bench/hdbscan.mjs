#!/usr/bin/env node
// HDBSCAN benchmark: Clusterlab vs scikit-learn on the same data (written as raw float64), same
// minClusterSize / minSamples, measured in the same run. Prints fit times, the ratio (Clusterlab /
// scikit-learn: below 1 means Clusterlab is faster) and how well the labels agree: the fraction of rows
// with the same label after matching clusters, the noise sets, and the adjusted Rand index.
// (Exact equality is not expected on large data: the mutual reachability graph has many equal weights and
// scikit-learn's own order among them is unspecified; see docs in packages/core/src/hdbscan/hdbscan.ts.)
//
// Usage: npm run build && node bench/hdbscan.mjs [--quick] [--repeats N] [--only NAME] [--json FILE]
// Needs python3 with scikit-learn for the ratio. scikit-learn builds its MST with an O(n^2) Prim, so the
// 100k workload takes it tens of seconds per repeat.
import "./ensure-sklearn.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { adjustedRandScore, HDBSCAN, matrix } from "../packages/core/dist/index.js";
import { gaussianBlobs as generate, median, pythonEnv } from "./common.mjs";

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

const workloads = [
  { name: "hdbscan-100k-2d-mcs50", rows: 100_000, cols: 2, minClusterSize: 50, minSamples: null },
  { name: "hdbscan-20k-2d-mcs25", rows: 20_000, cols: 2, minClusterSize: 25, minSamples: 10 },
  { name: "hdbscan-50k-5d-mcs50", rows: 50_000, cols: 5, minClusterSize: 50, minSamples: null },
].filter((w) => !only || w.name === only);
if (flag("--quick")) for (const w of workloads) w.rows = Math.min(w.rows, 20_000);

function runPython(dataPath, labelsPath, w) {
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for the reference run (see docs/benchmarks.md).
  const env = pythonEnv();
  const r = spawnSync(
    "python3",
    [
      join(here, "hdbscan_sklearn.py"),
      dataPath,
      String(w.rows),
      String(w.cols),
      String(w.minClusterSize),
      w.minSamples === null ? "none" : String(w.minSamples),
      String(repeats),
      labelsPath,
    ],
    { encoding: "utf8", env, maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout);
}

/** Fraction of rows whose labels agree after mapping each cluster of `a` to its most overlapping one of `b`. */
function matchedAgreement(a, b) {
  const counts = new Map();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]},${b[i]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const best = new Map();
  for (const [key, c] of counts) {
    const [x, y] = key.split(",").map(Number);
    if (x === -1) continue;
    const cur = best.get(x);
    if (!cur || c > cur.c) best.set(x, { y, c });
  }
  let same = 0;
  for (let i = 0; i < a.length; i++) {
    const mapped = a[i] === -1 ? -1 : best.get(a[i]).y;
    if (mapped === b[i]) same++;
  }
  return same / a.length;
}

mkdirSync(dataDir, { recursive: true });
const results = [];
for (const w of workloads) {
  const data = generate(w.rows, w.cols, 42);
  const dataPath = join(dataDir, `hdbscan-${w.rows}x${w.cols}.f64`);
  const labelsPath = join(dataDir, `hdbscan-${w.name}-${w.rows}.labels.i32`);
  if (!existsSync(dataPath)) writeFileSync(dataPath, Buffer.from(data.buffer));
  const X = matrix(w.rows, w.cols, data);
  const times = [];
  let model;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    model = new HDBSCAN({ minClusterSize: w.minClusterSize, minSamples: w.minSamples ?? undefined }).fit(X);
    times.push((performance.now() - t0) / 1000);
  }
  const ours = { seconds: median(times), nClusters: model.nClusters };
  const ref = runPython(dataPath, labelsPath, w);
  let agreement = null;
  if (ref.seconds) {
    const buf = readFileSync(labelsPath);
    const skLabels = new Int32Array(buf.buffer, buf.byteOffset, w.rows);
    rmSync(labelsPath);
    let sameNoise = 0;
    for (let i = 0; i < w.rows; i++) if ((skLabels[i] === -1) === (model.labels[i] === -1)) sameNoise++;
    agreement = {
      matched: matchedAgreement(model.labels, skLabels),
      noiseAgreement: sameNoise / w.rows,
      ari: adjustedRandScore(skLabels, model.labels),
    };
  }
  const row = {
    workload: w.name,
    rows: w.rows,
    cols: w.cols,
    minClusterSize: w.minClusterSize,
    minSamples: w.minSamples,
    clusterlabSeconds: ours.seconds,
    sklearnSeconds: ref.seconds ?? null,
    ratio: ref.seconds ? ours.seconds / ref.seconds : null,
    clusterlabClusters: ours.nClusters,
    sklearnClusters: ref.nClusters ?? null,
    agreement,
    sklearn: ref.sklearn ?? ref.error,
    blas: ref.blas ?? null,
  };
  results.push(row);
  console.log(
    `${w.name.padEnd(24)} clusterlab ${ours.seconds.toFixed(3)} s (${ours.nClusters} clusters)  scikit-learn ${
      ref.seconds ? `${ref.seconds.toFixed(3)} s (${ref.nClusters} clusters)` : `n/a: ${ref.error}`
    }  ratio ${row.ratio ? row.ratio.toFixed(3) : "n/a"}${
      agreement
        ? `  agreement ${(100 * agreement.matched).toFixed(3)}%, noise ${(100 * agreement.noiseAgreement).toFixed(3)}%, ARI ${agreement.ari.toFixed(5)}`
        : ""
    }`,
  );
}
const out = value("--json", null);
if (out)
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, repeats, results }, null, 2)}\n`,
  );
