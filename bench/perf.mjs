#!/usr/bin/env node
// The issue-6 rows not in bench/kmeans.mjs: MiniBatchKMeans 1M x 16 k16, GaussianMixture full
// 100k x 16 with 16 components from the same init, PCA to 2 components on 1M x 16, and end to end
// `clusterlab cluster` on a 1M x 16 CSV to a labelled CSV vs pandas read_csv + KMeans + to_csv.
// Each row times Clusterlab and scikit-learn (bench/perf_sklearn.py) on the same data in the same
// run and prints the times (median of --repeats), the ratio (Clusterlab / scikit-learn: below 1
// means Clusterlab is faster), the agreement checks and the 1-minute load average before and after.
//
// Clusterlab runs on --threads threads (default: all cores, through @clusterlab/core/node's
// worker executor) and, for reference, on one thread; scikit-learn at its defaults (all cores).
//
// --sklearn-threads N limits scikit-learn's OpenMP and BLAS threads (default: theirs, all cores):
// on a loaded machine its spinning worker threads can cost it far more than one core's worth, so a
// run with --threads 1 --sklearn-threads 1 gives a one-core comparison that is robust to the load.
//
// Usage: node bench/perf.mjs [--quick] [--repeats N] [--threads N] [--sklearn-threads N] [--only NAME] [--json FILE]
// Needs `npm run build` first and python3 with scikit-learn and pandas.
import "./ensure-sklearn.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GaussianMixture, MiniBatchKMeans, matrix, PCA, setParallelExecutor } from "../packages/core/dist/index.js";
import { createNodeExecutor } from "../packages/core/node/nodeExecutor.mjs";
import { kmeansBlobs as generate, gmmInit, median, pythonEnv, readF64, readI32, writeCsv } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
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
const sklearnThreads = value("--sklearn-threads", null);
const size = (full, small) => (quick ? small : full);

const workloads = [
  { name: "minibatch-1M-16-k16", kind: "minibatch", rows: size(1_000_000, 100_000), cols: 16, k: 16, target: 1.0 },
  {
    name: "gmm-full-100k-16-c16",
    kind: "gmm",
    rows: size(100_000, 20_000),
    cols: 16,
    k: 16,
    maxIter: 100,
    tol: 1e-3,
    target: 1.0,
  },
  { name: "pca-1M-16-to-2", kind: "pca", rows: size(1_000_000, 100_000), cols: 16, k: 2, target: 1.0 },
  { name: "e2e-cluster-csv-1M-16-k16", kind: "e2e", rows: size(1_000_000, 100_000), cols: 16, k: 16, target: 1.0 },
].filter((w) => !only || w.name === only || w.kind === only);

function python(mode, params) {
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset; --sklearn-threads limits OpenMP / BLAS (common.mjs).
  const env = pythonEnv(sklearnThreads);
  const r = spawnSync("python3", [join(here, "perf_sklearn.py"), mode, ...params.map(String)], {
    encoding: "utf8",
    env,
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout);
}

/** Median wall time of `repeats` calls, and the median CPU time (user + system, all threads of this process). */
function time(fn) {
  const times = [];
  const cpu = [];
  let result;
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = fn();
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { seconds: median(times), allSeconds: times, cpuSeconds: median(cpu), result };
}

/** Times `fn` on one thread and on `threads` threads (`executor`); returns both. */
function timeBoth(executor, fn) {
  setParallelExecutor(null);
  const one = time(fn);
  setParallelExecutor(executor);
  const many = executor ? time(fn) : one;
  setParallelExecutor(null);
  return { one, many };
}

function dataFiles(w) {
  const base = `kmeans-${w.rows}x${w.cols}-k${w.kind === "pca" ? 16 : w.k}`;
  const dataPath = join(dataDir, `${base}.f64`);
  const { data, init } = generate(w.rows, w.cols, w.kind === "pca" ? 16 : w.k, 42);
  if (!existsSync(dataPath) || statSync(dataPath).size !== data.byteLength)
    writeFileSync(dataPath, Buffer.from(data.buffer));
  return { dataPath, data, init };
}

function miniBatchRow(w, executor) {
  const { dataPath, data, init } = dataFiles(w);
  const initPath = join(dataDir, `${w.name}.init.f64`);
  writeFileSync(initPath, Buffer.from(init.buffer));
  const X = matrix(w.rows, w.cols, data);
  const initM = matrix(w.k, w.cols, init);
  const fit = () => new MiniBatchKMeans({ nClusters: w.k, init: initM, nInit: 1, seed: 0 }).fit(X);
  const { one, many } = timeBoth(executor, fit);
  const ref = python("minibatch", [dataPath, w.rows, w.cols, initPath, w.k, repeats]);
  const m = many.result;
  const same = one.result.inertia === m.inertia && one.result.labels.every((v, i) => v === m.labels[i]);
  return {
    one,
    many,
    ref,
    agreement: ref.inertia
      ? `inertia ours/sklearn ${(m.inertia / ref.inertia).toFixed(4)} (different random batches); steps ${m.nSteps}/${ref.nSteps}; 1 = ${threads} threads: ${same ? "yes" : "NO"}`
      : "n/a",
    checks: { inertiaRatio: ref.inertia ? m.inertia / ref.inertia : null, sameAllThreadCounts: same },
  };
}

function gmmRow(w, executor) {
  const { dataPath, data, init } = dataFiles(w);
  const params = gmmInit(data, w.rows, w.cols, init, w.k);
  const initPath = join(dataDir, `${w.name}-${w.rows}.gmm-init.f64`);
  writeFileSync(initPath, Buffer.from(params.buffer));
  const { k, cols } = w;
  const opts = {
    nComponents: k,
    covarianceType: "full",
    maxIter: w.maxIter,
    tol: w.tol,
    weightsInit: params.subarray(0, k),
    meansInit: matrix(k, cols, params.slice(k, k + k * cols)),
    precisionsInit: params.subarray(k + k * cols),
  };
  const X = matrix(w.rows, w.cols, data);
  const { one, many } = timeBoth(executor, () => new GaussianMixture(opts).fit(X));
  const labelsPath = join(dataDir, `${w.name}-${w.rows}.sklearn-labels.i32`);
  const ref = python("gmm", [dataPath, w.rows, w.cols, initPath, k, w.maxIter, w.tol, repeats, labelsPath]);
  const m = many.result;
  let labelsEqual = null;
  if (ref.seconds !== undefined) {
    const theirs = readI32(labelsPath, w.rows);
    labelsEqual = theirs.every((v, i) => v === m.labels[i]);
  }
  const same =
    one.result.lowerBound === m.lowerBound &&
    one.result.means.data.every((v, i) => v === m.means.data[i]) &&
    one.result.labels.every((v, i) => v === m.labels[i]);
  const lbDiff =
    ref.lowerBound !== undefined ? Math.abs(m.lowerBound - ref.lowerBound) / Math.abs(ref.lowerBound) : null;
  return {
    one,
    many,
    ref,
    agreement:
      ref.seconds !== undefined
        ? `${m.nIter}/${ref.nIter} it; labels ${labelsEqual ? "equal" : "DIFFER"}; lower bound rel diff ${lbDiff.toExponential(0)}; 1 = ${threads} threads: ${same ? "yes" : "NO"}`
        : "n/a",
    checks: { nIter: [m.nIter, ref.nIter], labelsEqual, lowerBoundRelDiff: lbDiff, sameAllThreadCounts: same },
  };
}

function pcaRow(w, executor) {
  const { dataPath, data } = dataFiles(w);
  const X = matrix(w.rows, w.cols, data);
  const fit = () => {
    const { model, output } = new PCA({ nComponents: w.k }).fitTransform(X);
    return { model, Y: output };
  };
  const { one, many } = timeBoth(executor, fit);
  const outPath = join(dataDir, `${w.name}-${w.rows}.sklearn-projection.f64`);
  const ref = python("pca", [dataPath, w.rows, w.cols, w.k, repeats, outPath]);
  const { Y, model } = many.result;
  let maxDiff = null;
  if (ref.seconds !== undefined) {
    const theirs = readF64(outPath, w.rows * w.k);
    let scale = 0;
    maxDiff = 0;
    for (let i = 0; i < theirs.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(theirs[i] - Y.data[i]));
      scale = Math.max(scale, Math.abs(theirs[i]));
    }
    maxDiff /= scale;
  }
  const same = one.result.Y.data.every((v, i) => v === Y.data[i]);
  const evDiff =
    ref.explainedVariance !== undefined
      ? Math.max(...ref.explainedVariance.map((v, i) => Math.abs(v - model.explainedVariance[i]) / v))
      : null;
  return {
    one,
    many,
    ref,
    agreement:
      ref.seconds !== undefined
        ? `fit + transform; sklearn solver ${ref.solver}; projection max rel diff ${maxDiff.toExponential(0)}; explained variance rel diff ${evDiff.toExponential(0)}; 1 = ${threads} threads: ${same ? "yes" : "NO"}`
        : "n/a",
    checks: { projectionMaxRelDiff: maxDiff, explainedVarianceRelDiff: evDiff, sameAllThreadCounts: same },
  };
}

/** Runs `clusterlab cluster` as a process (its peak RSS recorded by bench/peak-rss.mjs). */
function runCli(csv, out, k, t) {
  const rssFile = join(dataDir, `e2e-rss-${process.pid}.json`);
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      join(here, "peak-rss.mjs"),
      join(root, "packages/cli/bin/clusterlab.js"),
      "cluster",
      csv,
      "--k",
      String(k),
      "--scale",
      "none",
      "--json",
      "-q",
      "--threads",
      String(t),
      "--out",
      out,
    ],
    { encoding: "utf8", env: { ...process.env, CLUSTERLAB_PEAK_RSS_FILE: rssFile }, maxBuffer: 1 << 26 },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`clusterlab cluster failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  let peak = null;
  try {
    peak = JSON.parse(readFileSync(rssFile, "utf8")).peakRssMB;
  } catch {}
  return { seconds, report, peak };
}

function timingsText(t) {
  if (!t) return "n/a";
  return `read ${t.loadSeconds} s, fit ${t.fitSeconds} s, metrics ${t.metricsSeconds} s, write ${t.writeSeconds} s`;
}

function e2eRow(w) {
  const { data } = dataFiles(w);
  const csv = join(dataDir, `e2e-${w.rows}x${w.cols}.csv`);
  writeCsv(csv, data, w.rows, w.cols);
  const oursOut = join(dataDir, `e2e-${w.rows}x${w.cols}.clusterlab-out.csv`);
  const theirsOut = join(dataDir, `e2e-${w.rows}x${w.cols}.sklearn-out.csv`);
  const runs = (t) => {
    const all = [];
    for (let r = 0; r < repeats; r++) all.push(runCli(csv, oursOut, w.k, t));
    const sorted = [...all].sort((a, b) => a.seconds - b.seconds);
    const med = sorted[Math.floor(sorted.length / 2)];
    return { seconds: med.seconds, allSeconds: all.map((a) => a.seconds), result: med };
  };
  const one = runs(1);
  const many = threads > 1 ? runs(threads) : one;
  const refs = [];
  for (let r = 0; r < repeats; r++) refs.push(python("e2e", [csv, theirsOut, w.k, 0]));
  const ok = refs.filter((x) => x.seconds !== undefined);
  const ref = ok.length
    ? { ...ok.sort((a, b) => a.seconds - b.seconds)[Math.floor(ok.length / 2)], allSeconds: ok.map((x) => x.seconds) }
    : refs[0];
  const lines = (p) => {
    try {
      return readFileSync(p, "utf8").split("\n").filter(Boolean).length;
    } catch {
      return null;
    }
  };
  const ourLines = lines(oursOut);
  const theirLines = lines(theirsOut);
  const inertia = many.result.report.metrics?.inertia ?? null;
  return {
    one,
    many,
    ref,
    peak: { clusterlabMB: many.result.peak, sklearnMB: ref.peakRssMB ?? null },
    agreement: `read CSV + k-means++ (n_init 1, different random streams) + write CSV; rows out ${ourLines}/${theirLines}; inertia ours/sklearn ${
      inertia && ref.inertia ? (inertia / ref.inertia).toFixed(4) : "n/a"
    }; Clusterlab also computes 3 metrics (its timings: ${timingsText(many.result.report.timings)}); peak RSS ${many.result.peak?.toFixed(0) ?? "?"} MB vs ${ref.peakRssMB?.toFixed(0) ?? "?"} MB`,
    checks: {
      rowsOut: [ourLines, theirLines],
      inertiaRatio: inertia && ref.inertia ? inertia / ref.inertia : null,
      clusterlabTimings: many.result.report.timings ?? null,
    },
  };
}

const executor = threads > 1 ? createNodeExecutor(threads - 1) : null;
mkdirSync(dataDir, { recursive: true });
const results = [];
for (const w of workloads) {
  const loadBefore = loadavg()[0];
  let r;
  if (w.kind === "minibatch") r = miniBatchRow(w, executor);
  else if (w.kind === "gmm") r = gmmRow(w, executor);
  else if (w.kind === "pca") r = pcaRow(w, executor);
  else r = e2eRow(w);
  const load = [loadBefore, loadavg()[0]];
  const ratio = r.ref.seconds ? r.many.seconds / r.ref.seconds : null;
  const row = {
    workload: w.name,
    rows: w.rows,
    cols: w.cols,
    k: w.k,
    threads,
    clusterlabSeconds: r.many.seconds,
    clusterlabAllSeconds: r.many.allSeconds,
    clusterlab1ThreadSeconds: r.one.seconds,
    sklearnSeconds: r.ref.seconds ?? null,
    sklearnAllSeconds: r.ref.allSeconds ?? null,
    ratio,
    ratio1Thread: r.ref.seconds ? r.one.seconds / r.ref.seconds : null,
    clusterlabCpuSeconds: r.many.cpuSeconds ?? null,
    clusterlab1ThreadCpuSeconds: r.one.cpuSeconds ?? null,
    sklearnCpuSeconds: r.ref.cpuSeconds ?? null,
    cpuRatio1Thread: r.one.cpuSeconds && r.ref.cpuSeconds ? r.one.cpuSeconds / r.ref.cpuSeconds : null,
    target: w.target,
    agreement: r.agreement,
    checks: r.checks,
    peak: r.peak ?? null,
    load,
    sklearn: r.ref.sklearn ?? r.ref.error,
  };
  results.push(row);
  console.log(
    `${w.name.padEnd(28)} clusterlab ${r.many.seconds.toFixed(3)} s (${threads} threads; ${r.one.seconds.toFixed(3)} s on 1)  scikit-learn ${
      r.ref.seconds ? `${r.ref.seconds.toFixed(3)} s` : `n/a: ${r.ref.error}`
    }  ratio ${ratio ? ratio.toFixed(2) : "n/a"} (target <= ${w.target})${
      row.cpuRatio1Thread
        ? `  CPU s: ours 1 thread ${r.one.cpuSeconds.toFixed(3)} / sklearn ${r.ref.cpuSeconds.toFixed(3)} = ${row.cpuRatio1Thread.toFixed(2)}`
        : ""
    }  ${r.agreement}  load ${load.map((v) => v.toFixed(1)).join(" -> ")}`,
  );
}
await executor?.close();

const out = value("--json", null);
if (out) {
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, repeats, threads, sklearnThreads, results }, null, 2)}\n`,
  );
}
