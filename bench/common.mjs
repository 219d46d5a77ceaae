// Shared by the benchmarks: the seeded data generators (Clusterlab's `Random`, never Math.random),
// raw-file helpers, the peak resident memory of a process, and the environment of the scikit-learn
// processes. Importing this module runs nothing.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import { Random } from "../packages/core/dist/index.js";

/**
 * Overlapping Gaussian clusters (bench/kmeans.mjs, bench/perf.mjs): k centres drawn in a box of side
 * 10 per axis with noise 1.5 per feature, so neighbouring clusters overlap and Lloyd runs tens of
 * iterations. `init`: k distinct rows chosen by the seeded generator (the same for both libraries).
 */
export function kmeansBlobs(rows, cols, k, seed) {
  const rng = new Random(seed);
  const centres = new Float64Array(k * cols);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.float() * 10;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(k);
    for (let j = 0; j < cols; j++) data[i * cols + j] = centres[c * cols + j] + rng.normal() * 1.5;
  }
  const pick = rng.sampleWithoutReplacement(rows, k);
  const init = new Float64Array(k * cols);
  for (let c = 0; c < k; c++) init.set(data.subarray(pick[c] * cols, (pick[c] + 1) * cols), c * cols);
  return { data, init };
}

/** Gaussian blobs as `kmeansBlobs` (bench/silhouette.mjs) with their component labels. */
export function labelledBlobs(rows, cols, k, seed) {
  const rng = new Random(seed);
  const centres = new Float64Array(k * cols);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.float() * 10;
  const data = new Float64Array(rows * cols);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(k);
    labels[i] = c;
    for (let j = 0; j < cols; j++) data[i * cols + j] = centres[c * cols + j] + rng.normal() * 1.5;
  }
  return { data, labels };
}

/**
 * bench/dbscan.mjs's data ("lattice" in bench/scale.mjs): 10 blobs (90% of the rows) plus 10%
 * uniform noise over a box of side 100. Blob centres sit on a jittered lattice (spacing 23); a blob
 * row is centre + 2 * z with z a standard normal vector truncated to |z|^2 <= 4 max(1, d / 2)
 * (resampled), so blobs have sharp edges and a suitable eps gives exactly 10 clusters, the noise
 * outside them staying noise. Rows are shuffled so noise and clusters interleave.
 */
export function latticeBlobs(rows, cols, seed) {
  const rng = new Random(seed);
  const k = 10;
  const centres = new Float64Array(k * cols);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < cols; j++) {
      const cell = j === 0 ? c % 4 : j === 1 ? Math.floor(c / 4) : c % 2;
      centres[c * cols + j] = 15 + cell * 23 + (rng.float() - 0.5) * 6;
    }
  }
  const data = new Float64Array(rows * cols);
  const nNoise = Math.floor(rows / 10);
  const z = new Float64Array(cols);
  const limit = 4 * Math.max(1, cols / 2);
  for (let i = 0; i < rows; i++) {
    if (i < nNoise) {
      for (let j = 0; j < cols; j++) data[i * cols + j] = rng.float() * 100;
    } else {
      const c = rng.int(k);
      for (;;) {
        let r2 = 0;
        for (let j = 0; j < cols; j++) {
          z[j] = rng.normal();
          r2 += z[j] * z[j];
        }
        if (r2 <= limit) break;
      }
      for (let j = 0; j < cols; j++) data[i * cols + j] = centres[c * cols + j] + 2 * z[j];
    }
  }
  const perm = rng.sampleWithoutReplacement(rows, rows);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) out.set(data.subarray(perm[i] * cols, (perm[i] + 1) * cols), i * cols);
  return out;
}

/**
 * bench/hdbscan.mjs's data ("blobs" in bench/scale.mjs): 12 Gaussian blobs of different spreads
 * (standard deviations 0.5 to 3) with centres drawn in a box of side 100 (90% of the rows) plus 10%
 * uniform noise over a box of side 120.
 */
export function gaussianBlobs(rows, cols, seed) {
  const rng = new Random(seed);
  const k = 12;
  const centres = new Float64Array(k * cols);
  const spread = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < cols; j++) centres[c * cols + j] = rng.float() * 100;
    spread[c] = 0.5 + 2.5 * rng.float();
  }
  const data = new Float64Array(rows * cols);
  const nNoise = Math.floor(rows / 10);
  for (let i = 0; i < rows; i++) {
    if (i < nNoise) {
      for (let j = 0; j < cols; j++) data[i * cols + j] = rng.float() * 120 - 10;
    } else {
      const c = rng.int(k);
      for (let j = 0; j < cols; j++) data[i * cols + j] = centres[c * cols + j] + spread[c] * rng.normal();
    }
  }
  return data;
}

/**
 * GaussianMixture init shared by both libraries (bench/perf.mjs): the weights, means and diagonal
 * precisions of the hard assignment of every row to its nearest initial centre, packed as weights
 * (k), means (k x cols), precisions (k x cols x cols).
 */
export function gmmInit(data, rows, cols, centres, k) {
  const counts = new Float64Array(k);
  const means = new Float64Array(k * cols);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let bd = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = 0; t < cols; t++) {
        const v = data[i * cols + t] - centres[c * cols + t];
        s += v * v;
      }
      if (s < bd) {
        bd = s;
        best = c;
      }
    }
    labels[i] = best;
    counts[best]++;
    for (let t = 0; t < cols; t++) means[best * cols + t] += data[i * cols + t];
  }
  for (let c = 0; c < k; c++) for (let t = 0; t < cols; t++) means[c * cols + t] /= counts[c];
  // Diagonal precisions from the per-cluster variances (symmetric positive definite by construction).
  const varc = new Float64Array(k * cols);
  for (let i = 0; i < rows; i++) {
    const c = labels[i];
    for (let t = 0; t < cols; t++) {
      const v = data[i * cols + t] - means[c * cols + t];
      varc[c * cols + t] += v * v;
    }
  }
  const out = new Float64Array(k + k * cols + k * cols * cols);
  for (let c = 0; c < k; c++) out[c] = counts[c] / rows;
  out.set(means, k);
  for (let c = 0; c < k; c++) {
    for (let t = 0; t < cols; t++) {
      out[k + k * cols + c * cols * cols + t * cols + t] = 1 / (varc[c * cols + t] / counts[c] + 1e-6);
    }
  }
  return out;
}

/** Writes the CSV once (columns f0..f{cols-1}, 6 decimals), unless it exists. */
export function writeCsv(path, data, rows, cols) {
  if (existsSync(path)) return;
  const header = Array.from({ length: cols }, (_, t) => `f${t}`).join(",");
  const chunks = [`${header}\n`];
  const lines = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array(cols);
    for (let t = 0; t < cols; t++) row[t] = data[i * cols + t].toFixed(6);
    lines.push(row.join(","));
    if (lines.length === 10_000) {
      chunks.push(`${lines.join("\n")}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) chunks.push(`${lines.join("\n")}\n`);
  writeFileSync(path, chunks.join(""));
}

/** True when `path` exists with exactly `bytes` bytes. */
export function hasFile(path, bytes) {
  return existsSync(path) && statSync(path).size === bytes;
}

/** Writes a typed array's bytes to `path` unless the file already has that size. */
export function writeRawIfMissing(path, array) {
  if (!hasFile(path, array.byteLength))
    writeFileSync(path, Buffer.from(array.buffer, array.byteOffset, array.byteLength));
}

/** Reads a raw little-endian file straight into a new typed array of `n` elements (one copy of the data). */
function readRaw(path, n, Type) {
  const out = new Type(n);
  const bytes = new Uint8Array(out.buffer);
  const fd = openSync(path, "r");
  try {
    let done = 0;
    while (done < bytes.length) {
      const got = readSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 28), done);
      if (got === 0) throw new Error(`${path}: ${done} bytes, expected ${bytes.length}`);
      done += got;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

export const readF64 = (path, n) => readRaw(path, n, Float64Array);
export const readI32 = (path, n) => readRaw(path, n, Int32Array);

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A field of /proc/self/status in MB (VmHWM: peak resident memory; VmRSS: current), or null. */
export function statusMB(field) {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch {}
  return null;
}

/**
 * Peak resident memory of this process in MB: VmHWM from /proc/self/status on Linux (getrusage's
 * maxRSS also counts the parent's pages at fork time, which Linux carries across exec).
 */
export function peakRssMB() {
  return statusMB("VmHWM") ?? process.resourceUsage().maxRSS / 1024;
}

/**
 * The environment of a scikit-learn process: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (older
 * OpenBLAS builds need them on some CPUs; they slow a current numpy, see docs/benchmarks.md), and
 * with `threads` the OpenMP / BLAS thread counts limited.
 */
export function pythonEnv(threads = null) {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (threads !== null) {
    for (const name of ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]) env[name] = String(threads);
  }
  return env;
}
