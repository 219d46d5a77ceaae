#!/usr/bin/env node
// Scaling curves (issue 6): fit time vs n for k-means, DBSCAN and HDBSCAN, Clusterlab and
// scikit-learn on the same data in the same run, written as JSON (bench/results/scaling-latest.json)
// and plotted as a log-log line chart (docs/scaling.png: an SVG rendered by sharp).
//
//   k-means  n x 16, k 16, Lloyd from the same explicit init (the first 16 rows), 30 iterations, tol 0
//   DBSCAN   n x 2, 10 blobs + 10% noise in a box of side 100 (bench/dbscan.mjs's data), minSamples
//            10, eps = 0.1 sqrt(1M / n): the expected neighbour count per point does not change with n
//   HDBSCAN  the same 2-D data, minClusterSize 50
//
// Each point is the median of --repeats fits (1 from 300k rows up). scikit-learn's HDBSCAN grows
// too fast for the largest sizes (41 s at 100k here): it runs up to --sklearn-hdbscan-max rows.
//
// Usage: node bench/scaling.mjs [--quick] [--sizes 10000,30000,...] [--repeats N] [--threads N]
//        [--sklearn-hdbscan-max N] [--json FILE] [--png FILE] [--replot]
// (--replot redraws the PNG from the JSON without running anything.)
import "./ensure-sklearn.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kmeansBlobs, latticeBlobs, median } from "./common.mjs";

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
const sizes = value("--sizes", quick ? "10000,30000,100000" : "10000,30000,100000,300000,1000000")
  .split(",")
  .map(Number);
const repeats = Number(value("--repeats", quick ? 1 : 3));
const threads = Number(value("--threads", availableParallelism()));
const sklearnHdbscanMax = Number(value("--sklearn-hdbscan-max", 100_000));
const jsonPath = value("--json", join(here, "results", quick ? "scaling-quick.json" : "scaling-latest.json"));
const pngPath = value("--png", quick ? join(dataDir, "scaling-quick.png") : join(root, "docs", "scaling.png"));

function python(kind, dataPath, rows, cols, params, reps) {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; // see docs/benchmarks.md
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(
    "python3",
    [join(here, "perf_sklearn.py"), kind, dataPath, String(rows), String(cols), JSON.stringify(params), String(reps)],
    { encoding: "utf8", env, maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout);
}

async function measure() {
  const core = await import("../packages/core/dist/index.js");
  const { createNodeExecutor } = await import("../packages/core/node/nodeExecutor.mjs");
  const { DBSCAN, HDBSCAN, KMeans, matrix, setParallelExecutor } = core;
  const executor = threads > 1 ? createNodeExecutor(threads - 1) : null;
  setParallelExecutor(executor);
  mkdirSync(dataDir, { recursive: true });
  const points = [];
  for (const n of sizes) {
    const reps = n >= 300_000 ? 1 : repeats;
    const kPath = join(dataDir, `scaling-kmeans-${n}x16.f64`);
    const kData = kmeansBlobs(n, 16, 16, 7).data;
    writeFileSync(kPath, Buffer.from(kData.buffer));
    const bPath = join(dataDir, `scaling-blobs-${n}x2.f64`);
    const bData = latticeBlobs(n, 2, 42);
    writeFileSync(bPath, Buffer.from(bData.buffer));
    const rowsets = [
      {
        algorithm: "kmeans",
        path: kPath,
        cols: 16,
        params: { k: 16, maxIter: 30, tol: 0 },
        fit: (p) => {
          const X = matrix(n, 16, kData);
          const init = matrix(p.k, 16, kData.slice(0, p.k * 16));
          const m = new KMeans({ nClusters: p.k, init, nInit: 1, maxIter: p.maxIter, tol: p.tol }).fit(X);
          return { clusters: p.k, noise: 0, nIter: m.nIter };
        },
      },
      {
        algorithm: "dbscan",
        path: bPath,
        cols: 2,
        params: { eps: 0.1 * Math.sqrt(1_000_000 / n), minSamples: 10 },
        fit: (p) => {
          const m = new DBSCAN({ eps: p.eps, minSamples: p.minSamples }).fit(matrix(n, 2, bData));
          return { clusters: m.nClusters, noise: m.labels.filter((l) => l < 0).length };
        },
      },
      {
        algorithm: "hdbscan",
        path: bPath,
        cols: 2,
        params: { minClusterSize: 50 },
        sklearnMax: sklearnHdbscanMax,
        fit: (p) => {
          const m = new HDBSCAN({ minClusterSize: p.minClusterSize }).fit(matrix(n, 2, bData));
          return { clusters: m.nClusters, noise: m.labels.filter((l) => l < 0).length };
        },
      },
    ];
    for (const r of rowsets) {
      const loadBefore = loadavg()[0];
      const times = [];
      let info;
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        info = r.fit(r.params);
        times.push((performance.now() - t0) / 1000);
      }
      const ref =
        r.sklearnMax !== undefined && n > r.sklearnMax
          ? { skipped: `not run above ${r.sklearnMax} rows` }
          : python(r.algorithm, r.path, n, r.cols, r.params, reps);
      const point = {
        algorithm: r.algorithm,
        n,
        params: r.params,
        clusterlabSeconds: median(times),
        clusterlabAllSeconds: times,
        clusterlab: info,
        sklearnSeconds: ref.seconds ?? null,
        sklearnAllSeconds: ref.allSeconds ?? null,
        sklearn: ref.seconds !== undefined ? { clusters: ref.clusters, noise: ref.noise } : (ref.skipped ?? ref.error),
        load: [loadBefore, loadavg()[0]],
      };
      points.push(point);
      console.log(
        `${r.algorithm.padEnd(8)} n=${String(n).padStart(8)}  clusterlab ${point.clusterlabSeconds.toFixed(3)} s (${info.clusters} clusters, ${info.noise} noise)  scikit-learn ${
          ref.seconds !== undefined
            ? `${ref.seconds.toFixed(3)} s (${ref.clusters} clusters, ${ref.noise} noise)`
            : (ref.skipped ?? `n/a: ${ref.error}`)
        }  load ${point.load.map((v) => v.toFixed(1)).join(" -> ")}`,
      );
    }
  }
  setParallelExecutor(null);
  await executor?.close();
  return { date: new Date().toISOString(), node: process.version, threads, repeats, sizes, points };
}

// ---- the chart ----------------------------------------------------------------------------------

const COLORS = { kmeans: "#1f77b4", dbscan: "#d62728", hdbscan: "#2ca02c" };
const NAMES = { kmeans: "k-means (n x 16, k 16, 30 it)", dbscan: "DBSCAN (n x 2)", hdbscan: "HDBSCAN (n x 2)" };

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");

function fmtN(n) {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
}

function fmtS(s) {
  return s >= 1 ? `${s} s` : `${Math.round(s * 1000)} ms`;
}

/** A log-log line chart of the points as SVG text. */
export function scalingSvg(result) {
  const W = 900;
  const H = 560;
  const m = { left: 80, right: 250, top: 50, bottom: 60 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const secs = result.points.flatMap((p) => [p.clusterlabSeconds, p.sklearnSeconds]).filter((v) => v > 0);
  const ns = result.points.map((p) => p.n);
  const xMin = Math.log10(Math.min(...ns));
  const xMax = Math.log10(Math.max(...ns));
  const yMin = Math.floor(Math.log10(Math.min(...secs)));
  const yMax = Math.ceil(Math.log10(Math.max(...secs)));
  const X = (n) => m.left + ((Math.log10(n) - xMin) / (xMax - xMin || 1)) * pw;
  const Y = (s) => m.top + ph - ((Math.log10(s) - yMin) / (yMax - yMin || 1)) * ph;
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(
    `<text x="${m.left + pw / 2}" y="28" font-size="18" text-anchor="middle">Fit time vs n: Clusterlab (solid) and scikit-learn (dashed)</text>`,
  );
  // grid and ticks
  for (let e = yMin; e <= yMax; e++) {
    for (const f of [1, 2, 5]) {
      const v = f * 10 ** e;
      if (Math.log10(v) > yMax + 1e-9) continue;
      const y = Y(v);
      out.push(
        `<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="${f === 1 ? "#ccc" : "#eee"}" stroke-width="1"/>`,
      );
      out.push(
        `<text x="${m.left - 8}" y="${y + 4}" font-size="12" text-anchor="end" fill="#333">${esc(fmtS(Number(v.toPrecision(2))))}</text>`,
      );
    }
  }
  for (const n of [...new Set(ns)].sort((a, b) => a - b)) {
    const x = X(n);
    out.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + ph}" stroke="#eee" stroke-width="1"/>`);
    out.push(`<text x="${x}" y="${m.top + ph + 20}" font-size="12" text-anchor="middle" fill="#333">${fmtN(n)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 15}" font-size="14" text-anchor="middle">rows n (log scale)</text>`);
  out.push(
    `<text x="20" y="${m.top + ph / 2}" font-size="14" text-anchor="middle" transform="rotate(-90 20 ${m.top + ph / 2})">fit time (log scale)</text>`,
  );
  // lines
  let ly = m.top + 10;
  for (const alg of ["kmeans", "dbscan", "hdbscan"]) {
    const pts = result.points.filter((p) => p.algorithm === alg).sort((a, b) => a.n - b.n);
    if (pts.length === 0) continue;
    for (const [key, dash, label] of [
      ["clusterlabSeconds", "", "Clusterlab"],
      ["sklearnSeconds", "7 5", "scikit-learn"],
    ]) {
      const xy = pts.filter((p) => p[key] > 0).map((p) => [X(p.n), Y(p[key])]);
      if (xy.length === 0) continue;
      out.push(
        `<polyline points="${xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}" fill="none" stroke="${COLORS[alg]}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
      );
      for (const [x, y] of xy) {
        out.push(
          dash
            ? `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" fill="white" stroke="${COLORS[alg]}" stroke-width="2"/>`
            : `<circle cx="${x}" cy="${y}" r="4.5" fill="${COLORS[alg]}"/>`,
        );
      }
      const lx = m.left + pw + 20;
      out.push(
        `<line x1="${lx}" x2="${lx + 36}" y1="${ly}" y2="${ly}" stroke="${COLORS[alg]}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
      );
      out.push(`<text x="${lx + 44}" y="${ly + 4}" font-size="12">${esc(label)}</text>`);
      out.push(`<text x="${lx + 44}" y="${ly + 19}" font-size="11" fill="#555">${esc(NAMES[alg])}</text>`);
      ly += 42;
    }
  }
  const loads = result.points.flatMap((p) => p.load);
  const lines = [
    `${result.date.slice(0, 16).replace("T", " ")} UTC, ${result.threads} threads`,
    `1-min load ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} (2 shared vCPUs)`,
  ];
  for (let i = 0; i < lines.length; i++) {
    out.push(`<text x="${m.left + pw + 20}" y="${H - 80 + 16 * i}" font-size="11" fill="#555">${esc(lines[i])}</text>`);
  }
  out.push(
    `<text x="${m.left + pw + 20}" y="${H - 40}" font-size="11" fill="#555">missing dashed points: not run</text>`,
  );
  out.push("</svg>");
  return out.join("\n");
}

async function plot(result, path) {
  const { default: sharp } = await import("sharp");
  const svg = scalingSvg(result);
  await sharp(Buffer.from(svg)).png().toFile(path);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let result;
  if (flag("--replot")) {
    result = JSON.parse(readFileSync(jsonPath, "utf8"));
  } else {
    result = await measure();
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${jsonPath}`);
  }
  if (!existsSync(dirname(pngPath))) mkdirSync(dirname(pngPath), { recursive: true });
  await plot(result, pngPath);
  console.log(`wrote ${pngPath}`);
}
