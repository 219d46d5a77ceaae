#!/usr/bin/env node
// `npm run bench`: every issue-6 row at full size, Clusterlab vs scikit-learn on the same data in
// the same run, with the peak memory of both sides, in one command.
//
// 1. Preparation (this process): the seeded generators of bench/common.mjs write each row's data to
//    bench/data/ (raw float64, or CSV for the end-to-end row), once; files of the right size are reused.
// 2. Each side of each row runs in its own process, which reads the data file and fits --repeats
//    times: Clusterlab in a child `node` (bench/child.mjs; bench/silhouette.mjs --child and
//    bench/scale.mjs --child for the silhouette and Ward rows; the `clusterlab cluster` CLI for the
//    end-to-end row), scikit-learn in python3 (the bench/*_sklearn.py scripts, OPENBLAS_CORETYPE and
//    OPENBLAS_L2_SIZE unset). Peak memory is each process's VmHWM (/proc/self/status) read after
//    the fits: "read the data file + fit", nothing of the driver's (getrusage's maxRSS is not used:
//    on Linux it inherits the parent's pages across fork/exec).
// 3. Time: median of the repeats' fit times, measured inside each process (first call included;
//    rows of under a second take at least 5 repeats, PCA 7, both sides alike: `minRepeats`);
//    the end-to-end row times whole processes (start-up, read CSV, fit, write CSV) on both sides.
//    Ratio = Clusterlab / scikit-learn (below 1: Clusterlab is faster); pass = the issue's target
//    (time, and memory where it has one). The agreement checks compare the two sides' outputs.
// 4. Prints a line per row as it finishes (with the 1-minute load average before and after), then
//    one markdown table; writes JSON (bench/results/all-latest.json; --quick: bench/data/all-quick.json; --only:
//    bench/data/all-only.json).
//
// Usage: npm run bench -- [--repeats N] [--only ROW[,ROW...]] [--threads N] [--sklearn-threads N]
//                         [--quick] [--json FILE] [--clean] [--list]
//   --repeats    fits per process, median reported (default 3; --quick: 1)
//   --only       row names (see --list)
//   --threads    Clusterlab's threads (default: all cores); scikit-learn runs at its defaults (all
//                cores) unless --sklearn-threads limits OpenMP / BLAS
//   --quick      reduced sizes (bench:quick's smoke test; not the issue's measurements)
//   --clean      delete the data files of the selected rows from bench/data/ at the end
// Needs `npm run build` (npm run bench does it) and python3 with scikit-learn, scipy, numpy, pandas
// (bench/ensure-sklearn.mjs installs what is missing).
import "./ensure-sklearn.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { adjustedRandScore } from "../packages/core/dist/index.js";
import {
  gaussianBlobs,
  gmmInit,
  hasFile,
  kmeansBlobs,
  labelledBlobs,
  latticeBlobs,
  pythonEnv,
  readF64,
  readI32,
  writeCsv,
  writeRawIfMissing,
} from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const dataDir = join(here, "data");

const fmtN = (n) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : `${n}`);
const path = (name) => join(dataDir, name);

// ---- preparation: data files (each returns the paths it wrote, for --clean) ----

/** kmeansBlobs(rows, cols, k, 42): the data and the explicit initial centres (bench/kmeans.mjs's files). */
function kmeansFiles(rows, cols, k) {
  const base = `kmeans-${rows}x${cols}-k${k}`;
  const data = path(`${base}.f64`);
  const init = path(`${base}.init.f64`);
  if (!hasFile(data, rows * cols * 8) || !hasFile(init, k * cols * 8)) {
    const g = kmeansBlobs(rows, cols, k, 42);
    writeRawIfMissing(data, g.data);
    writeFileSync(init, Buffer.from(g.init.buffer));
  }
  return { data, init, files: [data, init] };
}

function rawFile(name, bytes, make) {
  const p = path(name);
  if (!hasFile(p, bytes)) writeRawIfMissing(p, make());
  return p;
}

// ---- checks ----

function labelsCompare(a, b) {
  let mismatches = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) mismatches++;
  return mismatches;
}

const exp = (v, d = 1) => (v == null ? "n/a" : v === 0 ? "0" : v.toExponential(d));
const relDiff = (a, b) => (a == null || b == null ? null : Math.abs(a - b) / Math.abs(b));

/** Both sides' labels (Int32 files), or null if either is missing. */
function bothLabels(w, n) {
  try {
    return [readI32(w.oursLabels, n), readI32(w.sklearnLabels, n)];
  } catch {
    return null;
  }
}

/** A row's check when both sides wrote their labels: the ARI between them and the cluster counts. */
function ariCheck(c, ours, ref) {
  const l = bothLabels(c, c.n);
  const ari = l ? adjustedRandScore(l[1], l[0]) : null;
  return {
    text: `ARI ${ari === null ? "n/a" : ari.toFixed(5)}; clusters ${ours.nClusters}/${ref.nClusters}`,
    checks: { ari, nClusters: [ours.nClusters, ref.nClusters] },
  };
}

// ---- the rows of issue 6 ----
// Each row: name, issue (the workload as issue 6 words it, at the sizes used), target { time, memory },
// rows (full, quick), prepare(rows) -> context, ours(ctx) / sklearn(ctx): argv of the process
// (node: after process.execPath; python: after python3), check(ctx, ours, theirs) -> { text, checks }.

const kmeansRow = ({ name, rows, cols, k, algorithm, maxIter, tol, issue }) => ({
  name,
  issue,
  target: { time: 0.8 },
  minRepeats: 5,
  rows,
  prepare(n) {
    const f = kmeansFiles(n, cols, k);
    return {
      ...f,
      n,
      oursLabels: path(`${name}-${n}.clusterlab.i32`),
      sklearnLabels: path(`${name}-${n}.sklearn.i32`),
    };
  },
  ours: (c, o) => [
    join(here, "child.mjs"),
    "kmeans",
    JSON.stringify({
      data: c.data,
      init: c.init,
      rows: c.n,
      cols,
      k,
      maxIter,
      tol,
      algorithm,
      repeats: o.repeats,
      threads: o.threads,
      labelsOut: c.oursLabels,
    }),
  ],
  sklearn: (c, o) => [
    join(here, "kmeans_sklearn.py"),
    c.data,
    c.n,
    cols,
    c.init,
    k,
    maxIter,
    tol,
    algorithm,
    o.repeats,
    c.sklearnLabels,
  ],
  check(c, ours, ref) {
    const l = bothLabels(c, c.n);
    const mismatches = l ? labelsCompare(...l) : null;
    const inertia = relDiff(ours.inertia, ref.inertia);
    return {
      text: `labels ${mismatches === null ? "n/a" : mismatches === 0 ? "equal" : `DIFFER (${mismatches} rows)`}; inertia rel diff ${exp(inertia)}; ${ours.nIter}/${ref.nIter} it`,
      checks: { labelMismatches: mismatches, inertiaRelDiff: inertia, nIter: [ours.nIter, ref.nIter] },
    };
  },
});

export const ROWS = [
  kmeansRow({
    name: "kmeans-lloyd-1M-16-k16",
    issue: (n) => `KMeans lloyd ${fmtN(n)} x 16, k 16, same init, 50 it`,
    rows: [1_000_000, 50_000],
    cols: 16,
    k: 16,
    algorithm: "lloyd",
    maxIter: 50,
    tol: 0,
  }),
  kmeansRow({
    name: "kmeans-elkan-100k-8-k32",
    issue: (n) => `KMeans elkan ${fmtN(n)} x 8, k 32`,
    rows: [100_000, 50_000],
    cols: 8,
    k: 32,
    algorithm: "elkan",
    maxIter: 300,
    tol: 1e-4,
  }),
  {
    name: "kmeans++-init-1M-16-k16",
    issue: (n) => `k-means++ init ${fmtN(n)} x 16, k 16`,
    target: { time: 0.8 },
    minRepeats: 5,
    rows: [1_000_000, 50_000],
    prepare: (n) => ({ ...kmeansFiles(n, 16, 16), n }),
    ours: (c, o) => [
      join(here, "child.mjs"),
      "kmeanspp",
      JSON.stringify({ data: c.data, rows: c.n, cols: 16, k: 16, repeats: o.repeats, threads: o.threads }),
    ],
    sklearn: (c, o) => [join(here, "kmeanspp_sklearn.py"), c.data, c.n, 16, 16, o.repeats],
    check(_c, ours, ref) {
      const r = ours.potential && ref.potential ? ours.potential / ref.potential : null;
      return {
        text: `times only (different random streams); potential ours/sklearn ${r === null ? "n/a" : r.toFixed(4)}`,
        checks: { potentialRatio: r },
      };
    },
  },
  {
    name: "minibatch-1M-16-k16",
    issue: (n) => `MiniBatchKMeans ${fmtN(n)} x 16, k 16`,
    target: { time: 1.0 },
    rows: [1_000_000, 100_000],
    prepare: (n) => ({ ...kmeansFiles(n, 16, 16), n }),
    ours: (c, o) => [
      join(here, "child.mjs"),
      "minibatch",
      JSON.stringify({
        data: c.data,
        init: c.init,
        rows: c.n,
        cols: 16,
        k: 16,
        repeats: o.repeats,
        threads: o.threads,
      }),
    ],
    sklearn: (c, o) => [join(here, "perf_sklearn.py"), "minibatch", c.data, c.n, 16, c.init, 16, o.repeats],
    check(_c, ours, ref) {
      const r = ours.inertia && ref.inertia ? ours.inertia / ref.inertia : null;
      return {
        text: `inertia ours/sklearn ${r === null ? "n/a" : r.toFixed(4)} (different random batches); ${ours.nSteps}/${ref.nSteps} steps`,
        checks: { inertiaRatio: r, nSteps: [ours.nSteps, ref.nSteps] },
      };
    },
  },
  {
    name: "dbscan-1M-2d",
    issue: (n) => `DBSCAN ${fmtN(n)} x 2, eps 0.1, minSamples 10`,
    target: { time: 0.25 },
    rows: [1_000_000, 100_000],
    prepare: (n) => {
      const data = rawFile(`dbscan-v3-${n}x2.f64`, n * 16, () => latticeBlobs(n, 2, 42));
      return {
        n,
        data,
        files: [data],
        oursLabels: path(`dbscan-1M-2d-${n}.clusterlab.i32`),
        sklearnLabels: path(`dbscan-1M-2d-${n}.sklearn.i32`),
      };
    },
    ours: (c, o) => [
      join(here, "child.mjs"),
      "dbscan",
      JSON.stringify({
        data: c.data,
        rows: c.n,
        cols: 2,
        eps: 0.1,
        minSamples: 10,
        repeats: o.repeats,
        labelsOut: c.oursLabels,
      }),
    ],
    sklearn: (c, o) => [
      join(here, "dbscan_sklearn.py"),
      c.data,
      c.n,
      2,
      0.1,
      10,
      "euclidean",
      o.repeats,
      c.sklearnLabels,
    ],
    check(c, ours, ref) {
      const l = bothLabels(c, c.n);
      const mismatches = l ? labelsCompare(...l) : null;
      return {
        text: `labels ${mismatches === null ? "n/a" : mismatches === 0 ? "identical (0 mismatches)" : `DIFFER (${mismatches} rows)`}; clusters ${ours.nClusters}/${ref.nClusters}; noise ${ours.noise}/${ref.nNoise}`,
        checks: {
          labelMismatches: mismatches,
          nClusters: [ours.nClusters, ref.nClusters],
          noise: [ours.noise, ref.nNoise],
        },
      };
    },
  },
  {
    name: "hdbscan-100k-2d-mcs50",
    issue: (n) => `HDBSCAN ${fmtN(n)} x 2, minClusterSize 50`,
    target: { time: 1.0 },
    rows: [100_000, 20_000],
    prepare: (n) => {
      const data = rawFile(`hdbscan-${n}x2.f64`, n * 16, () => gaussianBlobs(n, 2, 42));
      return {
        n,
        data,
        files: [data],
        oursLabels: path(`hdbscan-100k-${n}.clusterlab.i32`),
        sklearnLabels: path(`hdbscan-100k-${n}.sklearn.i32`),
      };
    },
    ours: (c, o) => [
      join(here, "child.mjs"),
      "hdbscan",
      JSON.stringify({
        data: c.data,
        rows: c.n,
        cols: 2,
        minClusterSize: 50,
        repeats: o.repeats,
        labelsOut: c.oursLabels,
      }),
    ],
    sklearn: (c, o) => [join(here, "hdbscan_sklearn.py"), c.data, c.n, 2, 50, "none", o.repeats, c.sklearnLabels],
    check: ariCheck,
  },
  {
    name: "ward-20k-8d",
    issue: (n) => `agglomerative ward ${fmtN(n)} x 8, 12 clusters`,
    target: { time: 0.5, memory: 0.1 },
    rows: [20_000, 4_000],
    prepare: (n) => {
      const data = rawFile(`scale-blobs-${n}x8.f64`, n * 64, () => gaussianBlobs(n, 8, 11));
      return {
        n,
        data,
        files: [data],
        oursLabels: path(`ward-20k-${n}.clusterlab.i32`),
        sklearnLabels: path(`ward-20k-${n}.sklearn.i32`),
      };
    },
    ours: (c, o) => [join(here, "scale.mjs"), "--child", "ward-20k-8d", c.n, c.data, c.oursLabels, o.repeats],
    sklearn: (c, o) => [
      join(here, "scale_sklearn.py"),
      "agglomerative",
      c.data,
      c.n,
      8,
      JSON.stringify({ n_clusters: 12, linkage: "ward" }),
      c.sklearnLabels,
      o.timeoutSeconds,
      o.repeats,
    ],
    check: ariCheck,
  },
  {
    name: "silhouette-exact-50k-16",
    issue: (n) => `silhouette exact ${fmtN(n)} x 16, 16 labels`,
    target: { time: 0.5, memory: 0.1 },
    rows: [50_000, 10_000],
    prepare: (n) => {
      const base = `silhouette-${n}-16-k16`;
      const data = path(`${base}.f64`);
      const labels = path(`${base}.labels.i32`);
      if (!hasFile(data, n * 128) || !hasFile(labels, n * 4)) {
        const g = labelledBlobs(n, 16, 16, 7);
        writeRawIfMissing(data, g.data);
        writeFileSync(labels, Buffer.from(g.labels.buffer));
      }
      return { n, data, labels, files: [data, labels] };
    },
    ours: (c, o) => [join(here, "silhouette.mjs"), "--child", c.data, c.n, 16, c.labels, o.repeats],
    sklearn: (c, o) => [join(here, "silhouette_sklearn.py"), c.data, c.n, 16, c.labels, o.repeats],
    check(_c, ours, ref) {
      const d = ours.score != null && ref.score != null ? Math.abs(ours.score - ref.score) : null;
      return { text: `score diff ${exp(d)} (${ours.score?.toFixed(6)})`, checks: { scoreAbsDiff: d } };
    },
  },
  {
    name: "gmm-full-100k-16-c16",
    issue: (n) => `GaussianMixture full ${fmtN(n)} x 16, 16 components, same init`,
    target: { time: 1.0 },
    rows: [100_000, 20_000],
    prepare: (n) => {
      const f = kmeansFiles(n, 16, 16);
      const k = 16;
      const init = path(`gmm-full-100k-16-c16-${n}.gmm-init.f64`);
      if (!hasFile(init, (k + k * 16 + k * 256) * 8)) {
        const data = readF64(f.data, n * 16);
        writeRawIfMissing(init, gmmInit(data, n, 16, readF64(f.init, k * 16), k));
      }
      return {
        n,
        data: f.data,
        init,
        files: [...f.files, init],
        oursLabels: path(`gmm-${n}.clusterlab.i32`),
        sklearnLabels: path(`gmm-${n}.sklearn.i32`),
      };
    },
    ours: (c, o) => [
      join(here, "child.mjs"),
      "gmm",
      JSON.stringify({
        data: c.data,
        init: c.init,
        rows: c.n,
        cols: 16,
        k: 16,
        maxIter: 100,
        tol: 1e-3,
        repeats: o.repeats,
        threads: o.threads,
        labelsOut: c.oursLabels,
      }),
    ],
    sklearn: (c, o) => [
      join(here, "perf_sklearn.py"),
      "gmm",
      c.data,
      c.n,
      16,
      c.init,
      16,
      100,
      1e-3,
      o.repeats,
      c.sklearnLabels,
    ],
    check(c, ours, ref) {
      const l = bothLabels(c, c.n);
      const mismatches = l ? labelsCompare(...l) : null;
      const lb = relDiff(ours.lowerBound, ref.lowerBound);
      return {
        text: `labels ${mismatches === null ? "n/a" : mismatches === 0 ? "equal" : `DIFFER (${mismatches} rows)`}; lower bound rel diff ${exp(lb)}; ${ours.nIter}/${ref.nIter} it`,
        checks: { labelMismatches: mismatches, lowerBoundRelDiff: lb, nIter: [ours.nIter, ref.nIter] },
      };
    },
  },
  {
    name: "pca-1M-16-to-2",
    issue: (n) => `PCA ${fmtN(n)} x 16 -> 2 (fit + transform)`,
    target: { time: 1.0 },
    minRepeats: 7,
    rows: [1_000_000, 100_000],
    prepare: (n) => ({
      ...kmeansFiles(n, 16, 16),
      n,
      oursOut: path(`pca-${n}.clusterlab.f64`),
      sklearnOut: path(`pca-${n}.sklearn.f64`),
    }),
    ours: (c, o) => [
      join(here, "child.mjs"),
      "pca",
      JSON.stringify({
        data: c.data,
        rows: c.n,
        cols: 16,
        k: 2,
        repeats: o.repeats,
        threads: o.threads,
        out: c.oursOut,
      }),
    ],
    sklearn: (c, o) => [join(here, "perf_sklearn.py"), "pca", c.data, c.n, 16, 2, o.repeats, c.sklearnOut],
    check(c, ours, ref) {
      let maxDiff = null;
      try {
        const a = readF64(c.oursOut, c.n * 2);
        const b = readF64(c.sklearnOut, c.n * 2);
        let scale = 0;
        maxDiff = 0;
        for (let i = 0; i < a.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
          scale = Math.max(scale, Math.abs(b[i]));
        }
        maxDiff /= scale;
      } catch {}
      const ev =
        ours.explainedVariance && ref.explainedVariance
          ? Math.max(...ref.explainedVariance.map((v, i) => Math.abs(v - ours.explainedVariance[i]) / v))
          : null;
      return {
        text: `projection max rel diff ${exp(maxDiff)}; explained variance rel diff ${exp(ev)}; sklearn solver ${ref.solver ?? "n/a"}`,
        checks: { projectionMaxRelDiff: maxDiff, explainedVarianceRelDiff: ev },
      };
    },
  },
  {
    name: "e2e-cluster-csv-1M-16-k16",
    issue: (n) =>
      `end to end: \`clusterlab cluster\` CSV ${fmtN(n)} x 16, k 16 -> labelled CSV vs pandas + KMeans + to_csv`,
    target: { time: 1.0, memory: 1.5 },
    rows: [1_000_000, 100_000],
    prepare: (n) => {
      const csv = path(`e2e-${n}x16.csv`);
      if (!existsSync(csv) || statSync(csv).size === 0) {
        rmSync(csv, { force: true });
        writeCsv(csv, kmeansBlobs(n, 16, 16, 42).data, n, 16);
      }
      return {
        n,
        csv,
        files: [csv],
        oursOut: path(`e2e-${n}x16.clusterlab-out.csv`),
        sklearnOut: path(`e2e-${n}x16.sklearn-out.csv`),
      };
    },
    // Whole processes, --repeats of each; the peak is the largest of the processes'.
    processes: true,
    ours: (c, o) => [
      "--import",
      join(here, "peak-rss.mjs"),
      join(root, "packages/cli/bin/clusterlab.js"),
      "cluster",
      c.csv,
      "--k",
      "16",
      "--scale",
      "none",
      "--json",
      "-q",
      "--threads",
      String(o.threads),
      "--out",
      c.oursOut,
    ],
    sklearn: (c) => [join(here, "perf_sklearn.py"), "e2e", c.csv, c.sklearnOut, 16, 0],
    check(c, ours, ref) {
      const lines = (p) => {
        try {
          return readFileSync(p, "utf8").split("\n").filter(Boolean).length;
        } catch {
          return null;
        }
      };
      const inertia = ours.report?.metrics?.inertia ?? null;
      const r = inertia && ref.inertia ? inertia / ref.inertia : null;
      const t = ours.report?.timings;
      return {
        text: `lines out ${lines(c.oursOut)}/${lines(c.sklearnOut)}; inertia ours/sklearn ${r === null ? "n/a" : r.toFixed(3)} (k-means++, n_init 1, different streams); ours also 3 metrics${
          t
            ? ` (read ${t.loadSeconds} s, fit ${t.fitSeconds} s, metrics ${t.metricsSeconds} s, write ${t.writeSeconds} s)`
            : ""
        }; sklearn in-script ${ref.inScriptSeconds?.toFixed(2) ?? "n/a"} s`,
        checks: { linesOut: [lines(c.oursOut), lines(c.sklearnOut)], inertiaRatio: r, clusterlabTimings: t ?? null },
      };
    },
  },
];

// ---- running the processes ----

function lastJson(stdout) {
  const line = stdout.trim().split("\n").filter(Boolean).pop();
  return JSON.parse(line);
}

function run(cmd, argv, { env, timeoutSeconds }) {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv.map(String), {
    encoding: "utf8",
    env,
    maxBuffer: 1 << 26,
    timeout: timeoutSeconds * 1000,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.error?.code === "ETIMEDOUT") return { error: `timed out after ${timeoutSeconds} s`, wall };
  if (r.status !== 0) {
    const msg = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split("\n").slice(-2).join(" ");
    return { error: msg, wall };
  }
  try {
    return { out: lastJson(r.stdout), wall };
  } catch {
    return { error: `no JSON in output: ${r.stdout.slice(-200)}`, wall };
  }
}

const peakOf = (out) => out.peakRssMB ?? out.maxRssMB ?? null;

/** One side of a row: { seconds, allSeconds, peakRssMB, processSeconds, ...out } or { error }. */
function side(row, c, o, which) {
  const node = which === "ours";
  const cmd = node ? process.execPath : "python3";
  const env = node ? process.env : pythonEnv(o.sklearnThreads);
  const argv = row[which](c, o);
  if (!row.processes) {
    const r = run(cmd, argv, { env, timeoutSeconds: o.timeoutSeconds });
    if (r.error) return { error: r.error };
    if (r.out.capped) return { error: `capped after ${o.timeoutSeconds} s` };
    return { ...r.out, peakRssMB: peakOf(r.out), processSeconds: r.wall };
  }
  // Whole processes (end to end): the time is the process's wall time, as measured here.
  const all = [];
  for (let i = 0; i < o.repeats; i++) {
    const rssFile = path(`e2e-peak-${process.pid}.json`);
    const r = run(cmd, argv, {
      env: node ? { ...env, CLUSTERLAB_PEAK_RSS_FILE: rssFile } : env,
      timeoutSeconds: o.timeoutSeconds,
    });
    if (r.error) return { error: r.error };
    let peak = peakOf(r.out);
    if (node) {
      try {
        peak = JSON.parse(readFileSync(rssFile, "utf8")).peakRssMB;
      } catch {}
      rmSync(rssFile, { force: true });
    }
    all.push({ wall: r.wall, peak, out: r.out });
  }
  const sorted = [...all].sort((a, b) => a.wall - b.wall);
  const med = sorted[Math.floor(sorted.length / 2)];
  return {
    ...(node ? { report: med.out } : med.out),
    inScriptSeconds: node ? null : med.out.seconds,
    seconds: med.wall,
    allSeconds: all.map((a) => a.wall),
    peakRssMB: Math.max(...all.map((a) => a.peak ?? 0)) || null,
    allPeakRssMB: all.map((a) => a.peak),
  };
}

// ---- formatting ----

const fmtS = (v) =>
  v == null
    ? "n/a"
    : v >= 100
      ? `${v.toFixed(0)} s`
      : v >= 10
        ? `${v.toFixed(1)} s`
        : v >= 1
          ? `${v.toFixed(2)} s`
          : `${v.toFixed(3)} s`;
const fmtR = (v) => (v == null ? "n/a" : v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toFixed(3));
const fmtMB = (v) => (v == null ? "n/a" : v.toFixed(0));
const fmtTarget = (t) => (t.memory ? `time <= ${t.time}, memory <= ${t.memory}` : `<= ${t.time}`);

export function markdownTable(results) {
  const lines = [
    "| row | Clusterlab | scikit-learn | ratio | target | pass | Clusterlab peak RSS MB | scikit-learn peak RSS MB | memory ratio | agreement | load (1 min) |",
    `|${" --- |".repeat(11)}`,
  ];
  for (const r of results) {
    lines.push(
      `| ${r.issue} | ${r.error?.ours ? `error: ${r.error.ours}` : fmtS(r.clusterlabSeconds)} | ${
        r.error?.sklearn ? `error: ${r.error.sklearn}` : fmtS(r.sklearnSeconds)
      } | **${fmtR(r.ratio)}** | ${fmtTarget(r.target)} | ${r.pass} | ${fmtMB(r.clusterlabPeakRssMB)} | ${fmtMB(
        r.sklearnPeakRssMB,
      )} | ${fmtR(r.memoryRatio)} | ${r.agreement} | ${r.load.map((v) => v.toFixed(1)).join(" -> ")} |`,
    );
  }
  return lines.join("\n");
}

// ---- the driver ----

export function runAll(options = {}) {
  const o = {
    quick: false,
    threads: availableParallelism(),
    sklearnThreads: null,
    only: null,
    clean: false,
    ...options,
  };
  o.repeats ??= o.quick ? 1 : 3;
  o.timeoutSeconds ??= o.quick ? 240 : 2400;
  // A partial run (--only) does not replace the record of the last full run.
  o.json ??= o.quick
    ? path("all-quick.json")
    : o.only
      ? path("all-only.json")
      : join(here, "results", "all-latest.json");
  const selected = o.only ? o.only.split(",") : null;
  const rows = ROWS.filter((r) => !selected || selected.includes(r.name));
  if (selected) {
    const unknown = selected.filter((s) => !ROWS.some((r) => r.name === s));
    if (unknown.length) {
      console.error(`bench/all.mjs: unknown row(s) ${unknown.join(", ")}; rows: ${ROWS.map((r) => r.name).join(", ")}`);
      process.exitCode = 2;
      return [];
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const started = new Date();
  const t0 = performance.now();
  console.log(
    `bench/all.mjs${o.quick ? " --quick" : ""}: ${rows.length} rows, --repeats ${o.repeats}, Clusterlab on ${o.threads} thread(s), scikit-learn on ${
      o.sklearnThreads ?? "its default"
    } threads; ${cpus().length} cores; node ${process.version}; ${started.toISOString()}`,
  );

  // 1. preparation
  const contexts = new Map();
  const tp = performance.now();
  for (const row of rows) contexts.set(row.name, row.prepare(row.rows[o.quick ? 1 : 0]));
  console.log(`prepared the data in bench/data/ in ${((performance.now() - tp) / 1000).toFixed(1)} s`);

  // 2. the rows
  const loadStart = loadavg();
  const results = [];
  for (const row of rows) {
    const c = contexts.get(row.name);
    const before = loadavg()[0];
    console.log(`\n== ${row.name} (${fmtN(c.n)} rows)  1-min load ${before.toFixed(2)}`);
    // Rows of under a second take more repeats (both sides alike): their medians move more.
    const ro = row.minRepeats && !o.quick && o.repeats < row.minRepeats ? { ...o, repeats: row.minRepeats } : o;
    const ours = side(row, c, ro, "ours");
    console.log(
      `   Clusterlab   ${ours.error ? `error: ${ours.error}` : `${fmtS(ours.seconds)}, peak RSS ${fmtMB(ours.peakRssMB)} MB`}`,
    );
    const ref = side(row, c, ro, "sklearn");
    console.log(
      `   scikit-learn ${ref.error ? `error: ${ref.error}` : `${fmtS(ref.seconds)}, peak RSS ${fmtMB(ref.peakRssMB)} MB`}`,
    );
    const after = loadavg()[0];
    let agreement = "n/a";
    let checks = null;
    if (!ours.error && !ref.error) {
      try {
        ({ text: agreement, checks } = row.check(c, ours, ref));
      } catch (e) {
        agreement = `check failed: ${e.message}`;
      }
    }
    for (const p of [c.oursLabels, c.sklearnLabels, c.oursOut, c.sklearnOut]) if (p) rmSync(p, { force: true });
    const ratio = ours.seconds && ref.seconds ? ours.seconds / ref.seconds : null;
    const memoryRatio = ours.peakRssMB && ref.peakRssMB ? ours.peakRssMB / ref.peakRssMB : null;
    const timeOk = ratio === null ? null : ratio <= row.target.time;
    const memOk = row.target.memory ? (memoryRatio === null ? null : memoryRatio <= row.target.memory) : true;
    const pass = timeOk === null || memOk === null ? "n/a" : timeOk && memOk ? "pass" : "FAIL";
    const result = {
      row: row.name,
      issue: row.issue(c.n),
      repeats: ro.repeats,
      rows: c.n,
      target: row.target,
      clusterlabSeconds: ours.seconds ?? null,
      clusterlabAllSeconds: ours.allSeconds ?? null,
      clusterlabCpuSeconds: ours.cpuSeconds ?? null,
      clusterlabProcessSeconds: ours.processSeconds ?? null,
      sklearnSeconds: ref.seconds ?? null,
      sklearnAllSeconds: ref.allSeconds ?? null,
      sklearnCpuSeconds: ref.cpuSeconds ?? null,
      sklearnProcessSeconds: ref.processSeconds ?? null,
      ratio,
      clusterlabPeakRssMB: ours.peakRssMB ?? null,
      sklearnPeakRssMB: ref.peakRssMB ?? null,
      memoryRatio,
      pass,
      agreement,
      checks,
      load: [before, after],
      sklearn: ref.sklearn ?? null,
      error: ours.error || ref.error ? { ours: ours.error ?? null, sklearn: ref.error ?? null } : null,
    };
    results.push(result);
    console.log(
      `   ratio ${fmtR(ratio)} (target ${fmtTarget(row.target)})  memory ratio ${fmtR(memoryRatio)}  ${pass}  ${agreement}  load ${before.toFixed(2)} -> ${after.toFixed(2)}`,
    );
  }
  const loadEnd = loadavg();
  const seconds = (performance.now() - t0) / 1000;

  // 3. the table and the JSON
  const passed = results.filter((r) => r.pass === "pass").length;
  console.log(`\n${markdownTable(results)}\n`);
  console.log(
    `${passed} of ${results.length} rows meet their targets; ${seconds.toFixed(0)} s in all (${started.toISOString()} to ${new Date().toISOString()}); 1-min load at start ${loadStart[0].toFixed(2)}, at end ${loadEnd[0].toFixed(2)}; Clusterlab ${o.threads} thread(s), repeats ${o.repeats}, scikit-learn ${
      results.find((r) => r.sklearn)?.sklearn ?? "n/a"
    }`,
  );
  mkdirSync(dirname(o.json), { recursive: true });
  writeFileSync(
    o.json,
    `${JSON.stringify(
      {
        date: started.toISOString(),
        finished: new Date().toISOString(),
        seconds,
        command: `node bench/all.mjs${o.quick ? " --quick" : ""} --repeats ${o.repeats}${o.only ? ` --only ${o.only}` : ""}`,
        node: process.version,
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? null,
        threads: o.threads,
        sklearnThreads: o.sklearnThreads,
        repeats: o.repeats,
        quick: o.quick,
        loadStart,
        loadEnd,
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`JSON: ${o.json}`);
  if (o.clean) {
    for (const c of contexts.values()) for (const p of c.files ?? []) rmSync(p, { force: true });
    console.log("deleted the data files of these rows from bench/data/");
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const value = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  if (args.includes("--list")) {
    for (const r of ROWS) console.log(`${r.name.padEnd(28)} ${r.issue(r.rows[0])}`);
  } else {
    const results = runAll({
      quick: args.includes("--quick"),
      repeats: value("--repeats", null) === null ? undefined : Number(value("--repeats")),
      threads: Number(value("--threads", availableParallelism())),
      sklearnThreads: value("--sklearn-threads", null),
      only: value("--only", null),
      json: value("--json", undefined),
      clean: args.includes("--clean"),
    });
    if (results.some((r) => r.error)) process.exitCode = 1;
  }
}
