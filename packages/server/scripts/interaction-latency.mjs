#!/usr/bin/env node
/**
 * Measures the dashboard's interactions on large data through the real API (Fastify inject, JSON
 * included): the precomputation once, then k, eps and dendrogram-cut changes that only re-read it.
 *
 *   npm run build && node packages/server/scripts/interaction-latency.mjs [rows=100000] [features=5]
 *
 * Prints one line per request: what changed, wall time (request to parsed JSON), the server's
 * fit and view seconds, whether the labels came from a precomputed structure, and the answer's size.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../dist/index.js";

const n = Number(process.argv[2] ?? 100_000);
const d = Number(process.argv[3] ?? 5);
const aggloRows = 20_000;

function csv(rows, dims, seed = 1) {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 6 }, () => Array.from({ length: dims }, () => rand() * 20 - 10));
  const lines = [Array.from({ length: dims }, (_, j) => `f${j}`).join(",")];
  for (let i = 0; i < rows; i++) {
    if (i % 50 === 0) {
      lines.push(Array.from({ length: dims }, () => (rand() * 30 - 15).toFixed(3)).join(","));
      continue;
    }
    const c = centres[i % centres.length];
    lines.push(c.map((v) => (v + gauss() * 1.2).toFixed(3)).join(","));
  }
  return `${lines.join("\n")}\n`;
}

const dataDir = mkdtempSync(join(tmpdir(), "clusterlab-latency-"));
const app = await createApp({ dataDir, workers: 2, openDataset: null });
try {
  async function uploadCsv(name, text) {
    const r = await app.inject({
      method: "POST",
      url: `/api/datasets?name=${name}`,
      headers: { "content-type": "application/octet-stream" },
      payload: text,
    });
    return r.json().dataset.id;
  }
  const columns = Array.from({ length: d }, (_, j) => `f${j}`);
  const big = await uploadCsv("big.csv", csv(n, d));
  const mid = await uploadCsv("mid.csv", csv(aggloRows, d, 2));
  let geometryId;
  const rows = [];
  async function request(label, url, payload) {
    const t0 = performance.now();
    const body0 = url === "/api/cluster" ? { ...payload, geometryId } : payload;
    const r = await app.inject({ method: "POST", url, payload: body0 });
    const body = r.json();
    const wall = performance.now() - t0;
    if (r.statusCode !== 200) throw new Error(`${label}: ${r.statusCode} ${body.error}`);
    if (body.projection) geometryId = body.projection.geometryId;
    const t = body.timings ?? {};
    rows.push({
      step: label,
      "wall ms": Math.round(wall),
      "fit s": t.fitSeconds === undefined ? "" : t.fitSeconds.toFixed(2),
      "views s": t.viewSeconds === undefined ? "" : t.viewSeconds.toFixed(2),
      precomputed: t.precomputed ?? "",
      k: body.k ?? "",
      noise: body.nNoise ?? "",
      KB: Math.round(r.body.length / 1024),
    });
    return body;
  }
  const base = { dataset: big, columns };
  await request(`k-means k=3 (${n} rows, first: features + fit)`, "/api/cluster", {
    ...base,
    algorithm: "kmeans",
    params: { k: 3 },
  });
  await request("k-means sweep k=2..12 (precompute)", "/api/sweep", base);
  for (const k of [4, 5, 8])
    await request(`k-means k=${k}`, "/api/cluster", { ...base, algorithm: "kmeans", params: { k } });
  const db = await request("DBSCAN (OPTICS ordering, precompute)", "/api/cluster", {
    ...base,
    algorithm: "dbscan",
    params: { minSamples: 10 },
  });
  const [lo, hi] = db.reachability.epsRange;
  for (const f of [0.3, 0.5, 0.8]) {
    const eps = Number((lo + f * (hi - lo)).toPrecision(3));
    await request(`DBSCAN eps=${eps}`, "/api/cluster", {
      ...base,
      algorithm: "dbscan",
      params: { minSamples: 10, eps },
    });
  }
  await request("HDBSCAN (hierarchy, precompute)", "/api/cluster", {
    ...base,
    algorithm: "hdbscan",
    params: { minSamples: 10, minClusterSize: 100 },
  });
  for (const m of [50, 500]) {
    await request(`HDBSCAN min cluster size=${m}`, "/api/cluster", {
      ...base,
      algorithm: "hdbscan",
      params: { minSamples: 10, minClusterSize: m },
    });
  }
  const cut = db.reachability.suggestedEps;
  await request(`HDBSCAN DBSCAN* cut at ${cut.toPrecision(3)}`, "/api/cluster", {
    ...base,
    algorithm: "hdbscan",
    params: { minSamples: 10, minClusterSize: 100, clusterSelectionMethod: "dbscan", eps: cut },
  });
  geometryId = undefined;
  const mbase = { dataset: mid, columns };
  const ag = await request(`agglomerative ward (${aggloRows} rows, tree precompute)`, "/api/cluster", {
    ...mbase,
    algorithm: "agglomerative",
    params: { k: 3 },
  });
  for (const k of [5, 9])
    await request(`agglomerative k=${k}`, "/api/cluster", { ...mbase, algorithm: "agglomerative", params: { k } });
  const h = ag.dendrogram.topHeights;
  await request("agglomerative cut dragged (height)", "/api/cluster", {
    ...mbase,
    algorithm: "agglomerative",
    params: { k: 3, distanceThreshold: (h[3] + h[4]) / 2 },
  });
  console.table(rows);
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
