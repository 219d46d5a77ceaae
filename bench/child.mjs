#!/usr/bin/env node
// The Clusterlab side of one bench/all.mjs row, in its own process, so that its peak resident
// memory (VmHWM, read at the end) is this fit's alone: reads the raw float64 file(s) prepared by the
// driver, fits --repeats times (the median wall time is reported; first call included), writes the
// labels (or projection) the driver compares with scikit-learn's, and prints one line of JSON:
// { seconds, allSeconds, cpuSeconds, peakRssMB, ...the workload's own figures }.
//
// Usage: node bench/child.mjs KIND 'PARAMS_JSON'
//   KIND       kmeans | kmeanspp | minibatch | gmm | pca | dbscan | hdbscan
//   PARAMS     { data, rows, cols, repeats, threads, ...KIND's options, labelsOut / out }
// With threads > 1 the WebAssembly kernels run on that many threads (@clusterlab/core/node's worker
// executor, started only for the kinds whose kernels use it: kmeans, minibatch, gmm, pca).
import { writeFileSync } from "node:fs";
import {
  DBSCAN,
  GaussianMixture,
  HDBSCAN,
  KMeans,
  kmeansPlusPlusInit,
  MiniBatchKMeans,
  matrix,
  PCA,
  setParallelExecutor,
} from "../packages/core/dist/index.js";
import { createNodeExecutor } from "../packages/core/node/nodeExecutor.mjs";
import { median, peakRssMB, readF64 } from "./common.mjs";

const THREADED = new Set(["kmeans", "kmeanspp", "minibatch", "gmm", "pca"]);

function writeTyped(path, a) {
  if (path) writeFileSync(path, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}

/** Sum over rows of the squared distance to the nearest centre (k-means++'s potential). */
function potential(X, C) {
  let total = 0;
  for (let i = 0; i < X.rows; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let c = 0; c < C.rows; c++) {
      let s = 0;
      for (let t = 0; t < X.cols; t++) {
        const v = X.data[i * X.cols + t] - C.data[c * C.cols + t];
        s += v * v;
      }
      if (s < best) best = s;
    }
    total += best;
  }
  return total;
}

/** The workloads: `fit(X, r)` is timed (r: repeat index); `report(result)` runs after the timing. */
const KINDS = {
  kmeans: (p) => {
    const init = matrix(p.k, p.cols, readF64(p.init, p.k * p.cols));
    return {
      fit: (X) =>
        new KMeans({ nClusters: p.k, init, nInit: 1, maxIter: p.maxIter, tol: p.tol, algorithm: p.algorithm }).fit(X),
      report: (m) => {
        writeTyped(p.labelsOut, m.labels);
        return { inertia: m.inertia, nIter: m.nIter };
      },
    };
  },
  kmeanspp: (p) => ({
    fit: (X, r) => ({ X, C: kmeansPlusPlusInit(X, p.k, { seed: r }) }),
    report: ({ X, C }) => ({ potential: potential(X, C) }),
  }),
  minibatch: (p) => {
    const init = matrix(p.k, p.cols, readF64(p.init, p.k * p.cols));
    return {
      fit: (X) => new MiniBatchKMeans({ nClusters: p.k, init, nInit: 1, seed: 0 }).fit(X),
      report: (m) => ({ inertia: m.inertia, nSteps: m.nSteps }),
    };
  },
  gmm: (p) => {
    const { k, cols } = p;
    const params = readF64(p.init, k + k * cols + k * cols * cols);
    const opts = {
      nComponents: k,
      covarianceType: "full",
      maxIter: p.maxIter,
      tol: p.tol,
      weightsInit: params.subarray(0, k),
      meansInit: matrix(k, cols, params.slice(k, k + k * cols)),
      precisionsInit: params.subarray(k + k * cols),
    };
    return {
      fit: (X) => new GaussianMixture(opts).fit(X),
      report: (m) => {
        writeTyped(p.labelsOut, m.labels);
        return { lowerBound: m.lowerBound, nIter: m.nIter };
      },
    };
  },
  pca: (p) => ({
    fit: (X) => new PCA({ nComponents: p.k }).fitTransform(X),
    report: ({ model, output }) => {
      writeTyped(p.out, output.data);
      return { explainedVariance: Array.from(model.explainedVariance) };
    },
  }),
  dbscan: (p) => ({
    fit: (X) => new DBSCAN({ eps: p.eps, minSamples: p.minSamples, metric: "euclidean", algorithm: "auto" }).fit(X),
    report: (m) => {
      writeTyped(p.labelsOut, m.labels);
      let noise = 0;
      for (const l of m.labels) if (l < 0) noise++;
      return { nClusters: m.nClusters, noise };
    },
  }),
  hdbscan: (p) => ({
    fit: (X) => new HDBSCAN({ minClusterSize: p.minClusterSize, minSamples: p.minSamples ?? undefined }).fit(X),
    report: (m) => {
      writeTyped(p.labelsOut, m.labels);
      return { nClusters: m.nClusters };
    },
  }),
};

const [kind, json] = process.argv.slice(2);
if (!KINDS[kind]) throw new Error(`bench/child.mjs: unknown kind ${kind} (one of ${Object.keys(KINDS).join(", ")})`);
const p = JSON.parse(json);
const X = matrix(p.rows, p.cols, readF64(p.data, p.rows * p.cols));
const work = KINDS[kind](p);
const threads = p.threads ?? 1;
const executor = threads > 1 && THREADED.has(kind) ? createNodeExecutor(threads - 1) : null;
setParallelExecutor(executor);
const times = [];
const cpu = [];
let result;
for (let r = 0; r < p.repeats; r++) {
  result = undefined;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  result = work.fit(X, r);
  times.push((performance.now() - t0) / 1000);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1e6);
}
setParallelExecutor(null);
const peak = peakRssMB();
const extra = work.report(result);
await executor?.close();
console.log(
  JSON.stringify({
    seconds: median(times),
    allSeconds: times,
    cpuSeconds: median(cpu),
    peakRssMB: peak,
    threads: executor ? threads : 1,
    ...extra,
  }),
);
