#!/usr/bin/env node
// K-means benchmark: Clusterlab vs scikit-learn on the same data, same explicit initial centres,
// same maxIter / tol / nInit = 1, measured in the same run, then the silhouette workload
// (bench/silhouette.mjs). Prints fit times (median of --repeats), the ratio (Clusterlab /
// scikit-learn: below 1 means Clusterlab is faster), whether labels, inertia and iteration counts
// agree, and the 1-minute load average before and after each row (the machine may be shared).
//
// Clusterlab runs its WebAssembly SIMD kernels on --threads threads (default: all cores, through
// @clusterlab/core/node's worker executor) and, for reference, on one thread; scikit-learn runs
// at its defaults (OpenMP / BLAS on all cores).
//
// Usage: node bench/kmeans.mjs [--quick] [--repeats N] [--threads N] [--only NAME] [--no-silhouette] [--json FILE]
// Needs `npm run build` first and python3 with scikit-learn for the ratio. (`npm run bench`, bench/all.mjs,
// runs the issue-6 rows of this script and the others with each side in its own process.)
import "./ensure-sklearn.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KMeans, kmeansPlusPlusInit, matrix, setParallelExecutor } from "../packages/core/dist/index.js";
import { createNodeExecutor } from "../packages/core/node/nodeExecutor.mjs";
import { kmeansBlobs as generate, median, pythonEnv } from "./common.mjs";
import { runSilhouetteBench } from "./silhouette.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, "data");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = flag("--quick");
const repeats = Number(value("--repeats", quick ? 1 : 3));
const threads = Number(value("--threads", availableParallelism()));
const only = value("--only", null);

// `sklearnAlgorithm` defaults to `algorithm`. The Hamerly row runs Clusterlab's "lloyd" (Hamerly's
// bounds; exactly the same result as "elkan") against scikit-learn's "elkan" (the issue's
// "elkan (or Hamerly)" row).
const workloads = [
  { name: "kmeans-lloyd-100k-16-k16", rows: 100_000, cols: 16, k: 16, algorithm: "lloyd", maxIter: 300, tol: 1e-4 },
  { name: "kmeans-lloyd-1M-16-k16", rows: 1_000_000, cols: 16, k: 16, algorithm: "lloyd", maxIter: 50, tol: 0 },
  { name: "kmeans-lloyd-200k-64-k64", rows: 200_000, cols: 64, k: 64, algorithm: "lloyd", maxIter: 50, tol: 0 },
  { name: "kmeans-elkan-100k-8-k32", rows: 100_000, cols: 8, k: 32, algorithm: "elkan", maxIter: 300, tol: 1e-4 },
  {
    name: "kmeans-hamerly-100k-8-k32",
    rows: 100_000,
    cols: 8,
    k: 32,
    algorithm: "lloyd",
    sklearnAlgorithm: "elkan",
    maxIter: 300,
    tol: 1e-4,
  },
].filter((w) => !only || w.name === only);
if (quick) for (const w of workloads) w.rows = Math.min(w.rows, 50_000);

function runPython(dataPath, initPath, labelsPath, w) {
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for the reference run (see docs/benchmarks.md).
  const env = pythonEnv();
  const r = spawnSync(
    "python3",
    [
      join(here, "kmeans_sklearn.py"),
      dataPath,
      String(w.rows),
      String(w.cols),
      initPath,
      String(w.k),
      String(w.maxIter),
      String(w.tol),
      w.sklearnAlgorithm ?? w.algorithm,
      String(repeats),
      labelsPath,
    ],
    { encoding: "utf8", env, maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout);
}

function timeFits(X, initM, w) {
  const times = [];
  let model;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    model = new KMeans({
      nClusters: w.k,
      init: initM,
      nInit: 1,
      maxIter: w.maxIter,
      tol: w.tol,
      algorithm: w.algorithm,
    }).fit(X);
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), allSeconds: times, model };
}

const executor = threads > 1 ? createNodeExecutor(threads - 1) : null;
mkdirSync(dataDir, { recursive: true });
const results = [];
for (const w of workloads) {
  const { data, init } = generate(w.rows, w.cols, w.k, 42);
  const base = `kmeans-${w.rows}x${w.cols}-k${w.k}`;
  const dataPath = join(dataDir, `${base}.f64`);
  const initPath = join(dataDir, `${base}.init.f64`);
  const labelsPath = join(dataDir, `${w.name}-${w.rows}.sklearn-labels.i32`);
  if (!existsSync(dataPath)) writeFileSync(dataPath, Buffer.from(data.buffer));
  writeFileSync(initPath, Buffer.from(init.buffer));
  const X = matrix(w.rows, w.cols, data);
  const initM = matrix(w.k, w.cols, init);
  const loadBefore = loadavg()[0];
  setParallelExecutor(null);
  const one = timeFits(X, initM, w);
  setParallelExecutor(executor);
  const many = executor ? timeFits(X, initM, w) : one;
  setParallelExecutor(null);
  const ref = runPython(dataPath, initPath, labelsPath, w);
  let labelsEqual = null;
  if (ref.seconds !== undefined && existsSync(labelsPath)) {
    const buf = readFileSync(labelsPath);
    const theirs = new Int32Array(buf.buffer, buf.byteOffset, w.rows);
    labelsEqual = theirs.every((v, i) => v === many.model.labels[i]);
  }
  const sameThreads =
    one.model.inertia === many.model.inertia && one.model.labels.every((v, i) => v === many.model.labels[i]);
  const row = {
    workload: w.name,
    rows: w.rows,
    cols: w.cols,
    k: w.k,
    algorithm: w.algorithm,
    sklearnAlgorithm: w.sklearnAlgorithm ?? w.algorithm,
    threads,
    clusterlabSeconds: many.seconds,
    clusterlabAllSeconds: many.allSeconds,
    clusterlab1ThreadSeconds: one.seconds,
    sklearnSeconds: ref.seconds ?? null,
    sklearnAllSeconds: ref.allSeconds ?? null,
    ratio: ref.seconds ? many.seconds / ref.seconds : null,
    ratio1Thread: ref.seconds ? one.seconds / ref.seconds : null,
    clusterlabIter: many.model.nIter,
    sklearnIter: ref.nIter ?? null,
    labelsEqual,
    sameResultAllThreadCounts: sameThreads,
    inertiaRelDiff: ref.inertia ? Math.abs(many.model.inertia - ref.inertia) / ref.inertia : null,
    load: [loadBefore, loadavg()[0]],
    sklearn: ref.sklearn ?? ref.error,
    blas: ref.blas ?? null,
  };
  results.push(row);
  console.log(
    `${w.name.padEnd(28)} clusterlab ${many.seconds.toFixed(3)} s (${threads} threads; ${one.seconds.toFixed(3)} s on 1) (${many.model.nIter} it)  scikit-learn ${
      ref.seconds ? `${ref.seconds.toFixed(3)} s (${ref.nIter} it)` : `n/a: ${ref.error}`
    }  ratio ${row.ratio ? row.ratio.toFixed(2) : "n/a"}  labels ${labelsEqual === null ? "n/a" : labelsEqual ? "equal" : "DIFFER"}  inertia rel diff ${
      row.inertiaRelDiff === null ? "n/a" : row.inertiaRelDiff.toExponential(1)
    }  1/${threads} threads same ${sameThreads}  load ${row.load.map((v) => v.toFixed(1)).join(" -> ")}`,
  );
}
await executor?.close();

// k-means++ seeding (greedy, 2 + ln k local trials, both libraries): times only, since the two
// random streams differ (the chosen rows are not comparable one by one).
for (const w of [{ name: "kmeans++-init-1M-16-k16", rows: quick ? 50_000 : 1_000_000, cols: 16, k: 16 }].filter(
  (w) => !only || w.name === only,
)) {
  const { data } = generate(w.rows, w.cols, w.k, 42);
  const dataPath = join(dataDir, `kmeans-${w.rows}x${w.cols}-k${w.k}.f64`);
  if (!existsSync(dataPath)) writeFileSync(dataPath, Buffer.from(data.buffer));
  const X = matrix(w.rows, w.cols, data);
  const loadBefore = loadavg()[0];
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    kmeansPlusPlusInit(X, w.k, { seed: r });
    times.push((performance.now() - t0) / 1000);
  }
  const env = pythonEnv();
  const r = spawnSync(
    "python3",
    [join(here, "kmeanspp_sklearn.py"), dataPath, String(w.rows), String(w.cols), String(w.k), String(repeats)],
    { encoding: "utf8", env, maxBuffer: 1 << 24 },
  );
  const ref =
    r.status === 0 ? JSON.parse(r.stdout) : { error: (r.stderr || "python3 failed").trim().split("\n").pop() };
  const seconds = median(times);
  const row = {
    workload: w.name,
    rows: w.rows,
    cols: w.cols,
    k: w.k,
    clusterlabSeconds: seconds,
    clusterlabAllSeconds: times,
    sklearnSeconds: ref.seconds ?? null,
    sklearnAllSeconds: ref.allSeconds ?? null,
    ratio: ref.seconds ? seconds / ref.seconds : null,
    load: [loadBefore, loadavg()[0]],
    sklearn: ref.sklearn ?? ref.error,
  };
  results.push(row);
  console.log(
    `${w.name.padEnd(28)} clusterlab ${seconds.toFixed(3)} s (1 thread)  scikit-learn ${
      ref.seconds ? `${ref.seconds.toFixed(3)} s` : `n/a: ${ref.error}`
    }  ratio ${row.ratio ? row.ratio.toFixed(2) : "n/a"}  load ${row.load.map((v) => v.toFixed(1)).join(" -> ")}`,
  );
}

if (!flag("--no-silhouette") && (!only || only.startsWith("silhouette"))) {
  results.push(runSilhouetteBench({ rows: quick ? 10_000 : 50_000, repeats }));
}
const out = value("--json", null);
if (out) {
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, repeats, threads, results }, null, 2)}\n`,
  );
}
