#!/usr/bin/env node
// K-means benchmark: Clusterlab vs scikit-learn on the same data, same explicit initial centres,
// same maxIter / tol / nInit = 1, measured in the same run. Prints fit times, the ratio
// (Clusterlab / scikit-learn: below 1 means Clusterlab is faster), and whether inertia and
// iteration counts agree.
//
// Usage: npm run bench -- [--quick] [--repeats N] [--only NAME] [--json FILE]
// Needs `npm run build` first (npm run bench does it) and python3 with scikit-learn for the ratio.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KMeans, matrix, Random } from "../packages/core/dist/index.js";

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
  { name: "kmeans-lloyd-100k-16-k16", rows: 100_000, cols: 16, k: 16, algorithm: "lloyd", maxIter: 300, tol: 1e-4 },
  { name: "kmeans-lloyd-1M-16-k16", rows: 1_000_000, cols: 16, k: 16, algorithm: "lloyd", maxIter: 50, tol: 0 },
  { name: "kmeans-lloyd-200k-64-k64", rows: 200_000, cols: 64, k: 64, algorithm: "lloyd", maxIter: 50, tol: 0 },
  { name: "kmeans-elkan-100k-8-k32", rows: 100_000, cols: 8, k: 32, algorithm: "elkan", maxIter: 300, tol: 1e-4 },
].filter((w) => !only || w.name === only);
if (flag("--quick")) for (const w of workloads) w.rows = Math.min(w.rows, 50_000);

/**
 * Overlapping Gaussian clusters: k centres drawn in a box of side 10 per axis with unit-variance
 * noise, so neighbouring clusters overlap and Lloyd runs tens of iterations.
 */
function generate(rows, cols, k, seed) {
  const rng = new Random(seed);
  const centres = new Float64Array(k * cols);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.float() * 10;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(k);
    for (let j = 0; j < cols; j++) data[i * cols + j] = centres[c * cols + j] + rng.normal() * 1.5;
  }
  // Initial centres: k distinct rows chosen by the seeded generator (the same for both libraries).
  const pick = rng.sampleWithoutReplacement(rows, k);
  const init = new Float64Array(k * cols);
  for (let c = 0; c < k; c++) init.set(data.subarray(pick[c] * cols, (pick[c] + 1) * cols), c * cols);
  return { data, init };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function runPython(dataPath, initPath, w) {
  const env = { ...process.env };
  // Older OpenBLAS builds need these on some CPUs; they slow a current numpy. Unset them for the
  // reference run only, so scikit-learn runs its best kernels (see docs/benchmarks.md).
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
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
      w.algorithm,
      String(repeats),
    ],
    { encoding: "utf8", env, maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout);
}

mkdirSync(dataDir, { recursive: true });
const results = [];
for (const w of workloads) {
  const { data, init } = generate(w.rows, w.cols, w.k, 42);
  const dataPath = join(dataDir, `${w.name}-${w.rows}.f64`);
  const initPath = join(dataDir, `${w.name}-${w.rows}.init.f64`);
  if (!existsSync(dataPath)) writeFileSync(dataPath, Buffer.from(data.buffer));
  writeFileSync(initPath, Buffer.from(init.buffer));
  const X = matrix(w.rows, w.cols, data);
  const initM = matrix(w.k, w.cols, init);
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
  const ours = { seconds: median(times), inertia: model.inertia, nIter: model.nIter };
  const ref = runPython(dataPath, initPath, w);
  const row = {
    workload: w.name,
    rows: w.rows,
    cols: w.cols,
    k: w.k,
    algorithm: w.algorithm,
    clusterlabSeconds: ours.seconds,
    sklearnSeconds: ref.seconds ?? null,
    ratio: ref.seconds ? ours.seconds / ref.seconds : null,
    clusterlabIter: ours.nIter,
    sklearnIter: ref.nIter ?? null,
    inertiaRelDiff: ref.inertia ? Math.abs(ours.inertia - ref.inertia) / ref.inertia : null,
    sklearn: ref.sklearn ?? ref.error,
    blas: ref.blas ?? null,
  };
  results.push(row);
  console.log(
    `${w.name.padEnd(28)} clusterlab ${ours.seconds.toFixed(3)} s (${ours.nIter} it)  scikit-learn ${
      ref.seconds ? `${ref.seconds.toFixed(3)} s (${ref.nIter} it)` : `n/a: ${ref.error}`
    }  ratio ${row.ratio ? row.ratio.toFixed(2) : "n/a"}  inertia rel diff ${
      row.inertiaRelDiff === null ? "n/a" : row.inertiaRelDiff.toExponential(1)
    }`,
  );
}
const out = value("--json", null);
if (out)
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, repeats, results }, null, 2)}\n`,
  );
