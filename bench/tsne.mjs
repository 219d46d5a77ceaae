#!/usr/bin/env node
// t-SNE benchmark: Clusterlab vs scikit-learn on the same data, from the same explicit initial
// embedding (1e-4 * N(0, 1), written to a file), same perplexity / maxIter / method, measured in the
// same run. Prints fit times, the ratio (Clusterlab / scikit-learn: below 1 means Clusterlab is
// faster), both KL divergences and the trustworthiness (k = 5, computed by Clusterlab for both
// embeddings). scikit-learn's Barnes-Hut gradient runs on all its OpenMP threads; Clusterlab's on one.
// Workloads ending in -3d embed in 3 dimensions (octree, 2 degrees of freedom), the others in 2.
//
// Usage: node bench/tsne.mjs [--quick] [--repeats N] [--only NAME] [--json FILE] [--no-trust]
// Needs `npm run build` first and python3 with scikit-learn for the ratio.
import "./ensure-sklearn.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { matrix, Random, TSNE, trustworthiness } from "../packages/core/dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, "data");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const repeats = Number(value("--repeats", 1));
const only = value("--only", null);
const withTrust = !flag("--no-trust");

const workloads = [
  { name: "tsne-bh-10k-16", rows: 10_000, cols: 16, clusters: 10, method: "barnes_hut", maxIter: 1000 },
  { name: "tsne-bh-5k-50", rows: 5_000, cols: 50, clusters: 8, method: "barnes_hut", maxIter: 1000 },
  { name: "tsne-bh-20k-8", rows: 20_000, cols: 8, clusters: 12, method: "barnes_hut", maxIter: 1000 },
  { name: "tsne-bh-5k-10", rows: 5_000, cols: 10, clusters: 8, method: "barnes_hut", maxIter: 1000 },
  { name: "tsne-bh-5k-10-3d", rows: 5_000, cols: 10, clusters: 8, method: "barnes_hut", maxIter: 1000, nComponents: 3 },
  { name: "tsne-exact-1k-16", rows: 1_000, cols: 16, clusters: 6, method: "exact", maxIter: 1000 },
].filter((w) => !only || w.name === only);
if (flag("--quick")) for (const w of workloads) w.rows = Math.min(w.rows, 2_000);

/** Overlapping Gaussian clusters (centres in a box of side 10 per axis, noise sd 1.5) and the init. */
function generate(rows, cols, clusters, nComponents, seed) {
  const rng = new Random(seed);
  const centres = new Float64Array(clusters * cols);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.float() * 10;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(clusters);
    for (let j = 0; j < cols; j++) data[i * cols + j] = centres[c * cols + j] + rng.normal() * 1.5;
  }
  const init = new Float64Array(rows * nComponents);
  for (let i = 0; i < init.length; i++) init[i] = 1e-4 * rng.normal();
  return { data, init };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function runPython(dataPath, initPath, outPath, w) {
  const env = { ...process.env };
  // Older OpenBLAS builds need these on some CPUs; they slow a current numpy. Unset them for the
  // reference run only, so scikit-learn runs its best kernels (see docs/benchmarks.md).
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(
    "python3",
    [
      join(here, "tsne_sklearn.py"),
      dataPath,
      String(w.rows),
      String(w.cols),
      initPath,
      w.method,
      String(w.maxIter),
      String(repeats),
      outPath,
      String(w.nComponents ?? 2),
    ],
    { encoding: "utf8", env, maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout);
}

mkdirSync(dataDir, { recursive: true });
const results = [];
for (const w of workloads) {
  const nc = w.nComponents ?? 2;
  const { data, init } = generate(w.rows, w.cols, w.clusters, nc, 42);
  const dataPath = join(dataDir, `${w.name}-${w.rows}.f64`);
  const initPath = join(dataDir, `${w.name}-${w.rows}.init.f64`);
  const outPath = join(dataDir, `${w.name}-${w.rows}.sklearn-embedding.f64`);
  if (!existsSync(dataPath)) writeFileSync(dataPath, Buffer.from(data.buffer));
  writeFileSync(initPath, Buffer.from(init.buffer));
  const X = matrix(w.rows, w.cols, data);
  const initM = matrix(w.rows, nc, init);
  const times = [];
  let model;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    model = new TSNE({ method: w.method, init: initM, maxIter: w.maxIter, perplexity: 30, nComponents: nc }).fit(X);
    times.push((performance.now() - t0) / 1000);
  }
  const ours = { seconds: median(times), kl: model.klDivergence, nIter: model.nIter };
  const ref = runPython(dataPath, initPath, outPath, w);
  let trust = null;
  if (withTrust) {
    trust = { clusterlab: trustworthiness(X, model.embedding, { nNeighbors: 5 }), sklearn: null };
    if (!ref.error && existsSync(outPath)) {
      const E = new Float64Array(readFileSync(outPath).buffer.slice(0));
      trust.sklearn = trustworthiness(X, matrix(w.rows, nc, E), { nNeighbors: 5 });
    }
  }
  const row = {
    workload: w.name,
    rows: w.rows,
    cols: w.cols,
    method: w.method,
    nComponents: nc,
    clusterlabSeconds: ours.seconds,
    sklearnSeconds: ref.seconds ?? null,
    ratio: ref.seconds ? ours.seconds / ref.seconds : null,
    clusterlabKL: ours.kl,
    sklearnKL: ref.kl ?? null,
    klRelDiff: ref.kl ? (ours.kl - ref.kl) / ref.kl : null,
    clusterlabIter: ours.nIter,
    sklearnIter: ref.nIter ?? null,
    trustworthiness: trust,
    sklearn: ref.sklearn ?? ref.error,
    threads: ref.threads ?? null,
  };
  results.push(row);
  const fmtTrust = trust
    ? `  trust ${trust.clusterlab.toFixed(4)} vs ${trust.sklearn === null ? "n/a" : trust.sklearn.toFixed(4)}`
    : "";
  console.log(
    `${w.name.padEnd(18)} clusterlab ${ours.seconds.toFixed(2)} s  scikit-learn ${
      ref.seconds ? `${ref.seconds.toFixed(2)} s (${ref.threads} threads)` : `n/a: ${ref.error}`
    }  ratio ${row.ratio ? row.ratio.toFixed(2) : "n/a"}  KL ${ours.kl.toFixed(4)} vs ${
      ref.kl ? ref.kl.toFixed(4) : "n/a"
    }${fmtTrust}`,
  );
}
const out = value("--json", null);
if (out)
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, repeats, results }, null, 2)}\n`,
  );
