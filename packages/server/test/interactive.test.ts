/**
 * The dashboard's interactive endpoints: every algorithm with its parameters, re-cuts from cached
 * structures (linkage tree, OPTICS ordering, HDBSCAN hierarchy, k sweeps), the BIC sweep, the
 * clustermap, and jobs (progress, cancel).
 */
import { join } from "node:path";
import { adjustedRandScore, DBSCAN, HDBSCAN, StandardScaler } from "@clusterlab/core";
import { numericMatrix, readTable } from "@clusterlab/lab";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  BicSweepResult,
  ClustermapResult,
  ClusterResult,
  JobStatus,
  ServerConfig,
  UploadResult,
} from "../src/api.js";
import { IRIS_FEATURES, testApp, upload } from "./helpers.js";

let app: FastifyInstance;
let dataDir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ app, dataDir, cleanup } = await testApp({ workers: 2 }));
});
afterAll(async () => {
  await cleanup();
});

const iris = { dataset: "iris", columns: IRIS_FEATURES };

async function cluster(payload: Record<string, unknown>): Promise<ClusterResult> {
  const r = await app.inject({ method: "POST", url: "/api/cluster", payload });
  if (r.statusCode !== 200) throw new Error(`${r.statusCode}: ${r.body}`);
  return r.json() as ClusterResult;
}

function post(url: string, payload: Record<string, unknown>) {
  return app.inject({ method: "POST", url, payload });
}

/** Rows of Gaussian blobs with a little uniform noise, deterministic. */
function blobs(n: number, centres: number[][], spread = 0.6, noise = 0): string {
  const lines = [centres[0].map((_, j) => `f${j}`).join(",")];
  let s = 7;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  for (let i = 0; i < n; i++) {
    if (i < noise) {
      lines.push(centres[0].map(() => (rand() * 30 - 15).toFixed(4)).join(","));
      continue;
    }
    const c = centres[i % centres.length];
    lines.push(c.map((v) => (v + gauss() * spread).toFixed(4)).join(","));
  }
  return `${lines.join("\n")}\n`;
}

describe("every algorithm of the dropdown", () => {
  it.each([
    ["kmeans", { k: 3 }, 3],
    ["minibatch-kmeans", { k: 3, batchSize: 64 }, 3],
    ["bisecting-kmeans", { k: 3 }, 3],
    ["kmedoids", { k: 3, metric: "manhattan" }, 3],
    ["gmm", { k: 3, covarianceType: "diag" }, 3],
    ["agglomerative", { k: 3, linkage: "average", metric: "cosine" }, 3],
    ["spectral", { k: 3, affinity: "nearestNeighbors", nNeighbors: 10 }, 3],
    ["birch", { k: 3, threshold: 0.3, branchingFactor: 20 }, 3],
    ["meanshift", { bandwidth: 1.2 }, null],
    ["affinity-propagation", { damping: 0.9 }, null],
    ["dbscan", { eps: 0.6, minSamples: 5 }, null],
    ["optics", { minSamples: 5, xi: 0.05 }, null],
    ["hdbscan", { minClusterSize: 10, minSamples: 5 }, null],
  ])("%s with %j", async (algorithm, params, k) => {
    const res = await cluster({ ...iris, algorithm, params });
    expect(res.algorithm).toBe(algorithm);
    if (k !== null) expect(res.k).toBe(k);
    expect(res.k).toBeGreaterThanOrEqual(1);
    expect(res.sizes).toHaveLength(res.k);
    expect(res.sizes.reduce((a, b) => a + b, 0) + res.nNoise).toBe(150);
    expect(res.labels.filter((l) => l === -1)).toHaveLength(res.nNoise);
    expect(res.projection.label).toHaveLength(150);
    for (const [name, value] of Object.entries(params)) expect(res.params).toHaveProperty(name, value);
  });

  it("echoes only the algorithm's own parameters, with defaults", async () => {
    const res = await cluster({ ...iris, algorithm: "hdbscan", params: { k: 7, linkage: "single" } });
    expect(res.params).toEqual({
      minClusterSize: 5,
      minSamples: 5,
      clusterSelectionMethod: "eom",
      eps: null,
      metric: "euclidean",
    });
    const db = await cluster({ ...iris, algorithm: "dbscan" });
    // eps defaults to the knee of the sorted core distances, reported back.
    expect(db.params.eps).toBeGreaterThan(0);
    expect(db.reachability!.suggestedEps).toBe(db.params.eps);
  });

  it.each([
    [
      { algorithm: "agglomerative", params: { linkage: "ward", metric: "manhattan" } },
      /^invalid body\.params\.metric: "manhattan" \(ward linkage works only with "euclidean"/,
    ],
    [{ algorithm: "dbscan", params: { eps: 0 } }, /^invalid body\.params\.eps: 0 \(must be > 0\)$/],
    [{ algorithm: "dbscan", params: { minSamples: 0 } }, /^invalid body\.params\.minSamples: 0 \(must be >= 1\)$/],
    [{ algorithm: "optics", params: { xi: 1 } }, /^invalid body\.params\.xi: 1 \(must be < 1\)$/],
    [
      { algorithm: "affinity-propagation", params: { damping: 0.2 } },
      /^invalid body\.params\.damping: 0\.2 \(must be >= 0\.5\)$/,
    ],
    [
      { algorithm: "hdbscan", params: { clusterSelectionMethod: "tree" } },
      /^invalid body\.params\.clusterSelectionMethod: "tree" \(must be one of eom, leaf, dbscan\)$/,
    ],
    [
      { algorithm: "hdbscan", params: { minClusterSize: 1 } },
      /^invalid body\.params\.minClusterSize: 1 \(must be >= 2\)$/,
    ],
    [
      { algorithm: "hdbscan", params: { minClusterSize: 500 } },
      /^invalid body\.params\.minClusterSize: 500 \(must be <= the number of rows, 150\)$/,
    ],
    [
      { algorithm: "birch", params: { branchingFactor: 1 } },
      /^invalid body\.params\.branchingFactor: 1 \(must be >= 2\)$/,
    ],
    [{ algorithm: "meanshift", params: { bandwidth: -1 } }, /^invalid body\.params\.bandwidth: -1 \(must be > 0\)$/],
    [
      { algorithm: "kmedoids", params: { metric: "hamming" } },
      /^invalid body\.params\.metric: "hamming" \(must be one of euclidean, manhattan, cosine\)$/,
    ],
    [
      { algorithm: "agglomerative", params: { distanceThreshold: 0.001 } },
      /^invalid body\.params\.distanceThreshold: 0\.001 \(cuts the tree into \d+ clusters; at most 50\)$/,
    ],
    [{ algorithm: "kmeans", jobId: "x" }, /^invalid body\.jobId: "x" \(must match pattern/],
  ])("rejects %j with a 400 naming the field", async (payload, message) => {
    const r = await post("/api/cluster", { ...iris, ...payload });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(message);
  });

  it("states the row limits and refuses larger selections with a hint", async () => {
    const config = (await app.inject({ method: "GET", url: "/api/config" })).json() as ServerConfig;
    expect(config.rowLimits).toMatchObject({
      "agglomerative-ward": 100000,
      "agglomerative-single": 50000,
      "agglomerative-average": 10000,
    });
    expect(config.agglomerativeMaxRows).toBe(100000);
    const csv = blobs(3100, [
      [0, 0],
      [8, 8],
    ]);
    const id = ((await upload(app, "ap.csv", csv)).json() as UploadResult).dataset.id;
    const r = await post("/api/cluster", { dataset: id, columns: ["f0", "f1"], algorithm: "affinity-propagation" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe(
      "invalid body.algorithm: affinity propagation is limited to 3,000 rows (this selection has 3,100); it keeps three n x n matrices; use another algorithm or fewer rows",
    );
  });
});

describe("instant re-cuts from precomputed structures", () => {
  let blobsId: string;
  const cols = ["f0", "f1", "f2"];
  const centres = [
    [0, 0, 0],
    [6, 6, 0],
    [0, 6, 6],
    [6, 0, 6],
  ];

  beforeAll(async () => {
    const r = await upload(app, "blobs4.csv", blobs(1200, centres, 0.7, 40));
    blobsId = (r.json() as UploadResult).dataset.id;
  });

  it("agglomerative: the tree is built once; k and the cut height only re-cut it", async () => {
    const base = { dataset: blobsId, columns: cols, algorithm: "agglomerative" };
    const first = await cluster({ ...base, params: { k: 4 } });
    expect(first.timings.precomputed).toBe(false);
    expect(first.dendrogram!.cutBy).toBe("k");
    const second = await cluster({ ...base, params: { k: 6 } });
    expect(second.timings.precomputed).toBe(true);
    expect(second.timings.fitSeconds).toBe(0);
    expect(second.k).toBe(6);
    expect(second.dendrogram!.linkClusters.filter((c) => c === -1)).toHaveLength(5);
    // Cut at a height: k follows from the merges above it (topHeights tells the client in advance).
    const heights = first.dendrogram!.topHeights;
    expect(heights.length).toBeGreaterThan(10);
    for (let i = 1; i < heights.length; i++) expect(heights[i]).toBeLessThanOrEqual(heights[i - 1]);
    const h = (heights[2] + heights[3]) / 2;
    const cut = await cluster({ ...base, params: { k: 4, distanceThreshold: h } });
    expect(cut.timings.precomputed).toBe(true);
    expect(cut.k).toBe(4);
    expect(cut.dendrogram).toMatchObject({ cutBy: "height", cutHeight: h });
    expect(adjustedRandScore(cut.labels, first.labels)).toBe(1);
    expect(cut.params).toMatchObject({ distanceThreshold: h, linkage: "ward" });
    // Another linkage is another tree.
    const single = await cluster({ ...base, params: { k: 4, linkage: "single" } });
    expect(single.timings.precomputed).toBe(false);
  });

  it("dbscan: one OPTICS ordering; eps changes re-extract it, equal to DBSCAN up to border points", async () => {
    const base = { dataset: blobsId, columns: cols, algorithm: "dbscan" };
    const a = await cluster({ ...base, params: { eps: 0.3, minSamples: 8 } });
    expect(a.timings.precomputed).toBe(false);
    const b = await cluster({ ...base, params: { eps: 0.12, minSamples: 8 } });
    expect(b.timings.precomputed).toBe(true);
    expect(b.nNoise).toBeGreaterThan(a.nNoise);
    expect(a.k).toBe(4);
    // Noise is counted, and left out of the sizes and the silhouette.
    expect(a.nNoise).toBeGreaterThan(20);
    expect(a.sizes.reduce((s, v) => s + v, 0)).toBe(1200 - a.nNoise);
    expect(a.silhouette!.perCluster.flat()).toHaveLength(1200 - a.nNoise);
    const r = a.reachability!;
    expect(r.reachability).toHaveLength(1200);
    expect(r.binSize).toBe(1);
    expect(r.eps).toBe(0.3);
    expect(r.maxEps).toBeNull();
    expect(r.epsRange[1]).toBeGreaterThan(0.3);
    expect(new Set(r.labels)).toEqual(new Set([-1, 0, 1, 2, 3]));
    // The same clusters as DBSCAN itself (scaled data), except border points.
    const X = await featureMatrix(blobsId, cols);
    const direct = new DBSCAN({ eps: 0.3, minSamples: 8 }).fit(X);
    const core = new Set(direct.coreSampleIndices);
    const coreRows = [...core];
    expect(
      adjustedRandScore(
        coreRows.map((i) => direct.labels[i]),
        coreRows.map((i) => a.labels[i]),
      ),
    ).toBe(1);
    // A different minSamples is another ordering.
    const c = await cluster({ ...base, params: { eps: 0.3, minSamples: 4 } });
    expect(c.timings.precomputed).toBe(false);
  });

  it("optics: xi and min cluster size re-extract the same ordering", async () => {
    const base = { dataset: blobsId, columns: cols, algorithm: "optics" };
    await cluster({ ...base, params: { minSamples: 8, xi: 0.05 } });
    const b = await cluster({ ...base, params: { minSamples: 8, xi: 0.1, minClusterSize: 50 } });
    expect(b.timings.precomputed).toBe(true);
    expect(b.reachability!.eps).toBeNull();
    expect(b.k).toBeGreaterThanOrEqual(2);
  });

  it("hdbscan: min cluster size re-condenses, the DBSCAN* cut is instant; probabilities and the condensed tree", async () => {
    const base = { dataset: blobsId, columns: cols, algorithm: "hdbscan" };
    const a = await cluster({ ...base, params: { minClusterSize: 30, minSamples: 5 } });
    expect(a.timings.precomputed).toBe(false);
    expect(a.k).toBe(4);
    const X = await featureMatrix(blobsId, cols);
    const direct = new HDBSCAN({ minClusterSize: 30, minSamples: 5 }).fit(X);
    expect(a.labels).toEqual(Array.from(direct.labels));
    // Membership strengths of the displayed points.
    expect(a.projection.probability).toHaveLength(1200);
    expect(a.projection.probability!.every((p) => p >= 0 && p <= 1)).toBe(true);
    const t = a.condensedTree!;
    expect(t.clusters[0]).toMatchObject({ id: 1200, parent: -1, size: 1200 });
    expect(
      t.clusters
        .filter((c) => c.label >= 0)
        .map((c) => c.label)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    for (const c of t.clusters) {
      expect(c.polygonX).toHaveLength(c.polygonY.length);
      expect(c.death).toBeGreaterThan(c.birth);
    }
    const b = await cluster({
      ...base,
      params: { minClusterSize: 100, minSamples: 5, clusterSelectionMethod: "leaf" },
    });
    expect(b.timings.precomputed).toBe(true);
    const cut = await cluster({
      ...base,
      params: { minClusterSize: 30, minSamples: 5, clusterSelectionMethod: "dbscan", eps: 0.35 },
    });
    expect(cut.timings.precomputed).toBe(true);
    expect(cut.params.eps).toBe(0.35);
    expect(cut.condensedTree!.cut).toBe(0.35);
    expect(cut.projection.probability).toBeNull();
    expect(Array.from(cut.labels)).toEqual(Array.from(direct.dbscanClustering(0.35, 30)));
  });

  it("k-means: after the sweep, every k of it is read off the sweep", async () => {
    const base = { dataset: blobsId, columns: cols };
    const sweep = await post("/api/sweep", base);
    expect(sweep.statusCode).toBe(200);
    const res = await cluster({ ...base, algorithm: "kmeans", params: { k: 7 } });
    expect(res.timings.precomputed).toBe(true);
    expect(res.metrics.inertia).toBeCloseTo(sweep.json().inertia[5], 8);
  });

  it("gmm: the BIC sweep scores each k and answers later mixtures", async () => {
    const base = { dataset: blobsId, columns: cols };
    const r = await post("/api/sweep/bic", { ...base, kMin: 1, kMax: 8, covarianceType: "spherical" });
    expect(r.statusCode).toBe(200);
    const s = r.json() as BicSweepResult;
    expect(s.ks).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.bic.every((v) => typeof v === "number")).toBe(true);
    expect(s.best).toBeGreaterThanOrEqual(4);
    const res = await cluster({ ...base, algorithm: "gmm", params: { k: 4, covarianceType: "spherical" } });
    expect(res.timings.precomputed).toBe(true);
    expect(res.metrics.bic).toBeCloseTo(s.bic[3]!, 6);
    expect(res.projection.probability).toHaveLength(1200);
  });

  it("leaves out the points' geometry when the client already has it", async () => {
    const base = { dataset: blobsId, columns: cols, algorithm: "kmeans" };
    const a = await cluster({ ...base, params: { k: 3 } });
    expect(a.projection.x).toHaveLength(1200);
    expect(a.projection.geometryOmitted).toBe(false);
    const b = await cluster({ ...base, params: { k: 4 }, geometryId: a.projection.geometryId });
    expect(b.projection.geometryOmitted).toBe(true);
    expect(b.projection.x).toEqual([]);
    expect(b.projection.values).toEqual([]);
    expect(b.projection.label).toHaveLength(1200);
    const c = await cluster({ ...base, params: { k: 4 }, scaling: "minmax", geometryId: a.projection.geometryId });
    expect(c.projection.geometryOmitted).toBe(false);
  });

  it("refuses an eps beyond the precomputed range on large data", async () => {
    const big = await upload(
      app,
      "big.csv",
      blobs(6000, [
        [0, 0],
        [5, 5],
      ]),
    );
    const id = (big.json() as UploadResult).dataset.id;
    const first = await cluster({ dataset: id, columns: ["f0", "f1"], algorithm: "dbscan", params: { minSamples: 5 } });
    const maxEps = first.reachability!.maxEps!;
    expect(maxEps).toBeGreaterThan(0);
    expect(first.reachability!.epsRange[1]).toBe(maxEps);
    const r = await post("/api/cluster", {
      dataset: id,
      columns: ["f0", "f1"],
      algorithm: "dbscan",
      params: { minSamples: 5, eps: maxEps * 2 },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(
      /^invalid body\.params\.eps: [\d.]+ \(must be <= [\d.]+, the largest eps the OPTICS ordering/,
    );
  });
});

/** The scaled feature matrix of an upload, read from the file directly. */
async function featureMatrix(dataset: string, columns: string[]) {
  const table = await readTable(join(dataDir, "uploads", `${dataset}.csv`));
  const m = numericMatrix(table, { columns });
  return new StandardScaler().fit(m.matrix).transform(m.matrix);
}

describe("POST /api/clustermap", () => {
  it("orders rows and columns by their dendrograms, with z-scores by column", async () => {
    const r = await post("/api/clustermap", { ...iris, normalization: "z-score-columns" });
    expect(r.statusCode).toBe(200);
    const m = r.json() as ClustermapResult;
    expect(m.rowIndex).toHaveLength(150);
    expect(new Set(m.rowIndex).size).toBe(150);
    expect(m.values).toHaveLength(150);
    expect(m.values[0]).toHaveLength(4);
    expect([...m.columns].sort()).toEqual([...IRIS_FEATURES].sort());
    expect(m.rowDendrogram.icoord).toHaveLength(149);
    expect(m.columnDendrogram!.icoord).toHaveLength(3);
    // z-scored columns: mean 0, std 1.
    const col = m.values.map((row) => row[0]);
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(m.sampled).toBe(false);
  });

  it("samples rows above maxRows and standard-scales rows", async () => {
    const r = await post("/api/clustermap", { ...iris, normalization: "standard-scale-rows", maxRows: 40 });
    const m = r.json() as ClustermapResult;
    expect(m.values).toHaveLength(40);
    expect(m.sampled).toBe(true);
    for (const row of m.values) {
      expect(Math.min(...row)).toBeCloseTo(0, 6);
      expect(Math.max(...row)).toBeCloseTo(1, 3);
    }
    const bad = await post("/api/clustermap", { ...iris, normalization: "log" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/^invalid body\.normalization: "log" \(must be one of none, /);
  });
});

describe("jobs: progress and cancel", () => {
  it("reports a running job's progress, cancels it (409) and keeps serving", async () => {
    const csv = blobs(2900, [
      [0, 0, 0],
      [4, 4, 4],
    ]);
    const id = ((await upload(app, "slow.csv", csv)).json() as UploadResult).dataset.id;
    const jobId = "test-cancel-1";
    const started = Date.now();
    const pending = post("/api/cluster", {
      dataset: id,
      columns: ["f0", "f1", "f2"],
      algorithm: "affinity-propagation",
      jobId,
    });
    let status: JobStatus | null = null;
    for (let i = 0; i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const r = await app.inject({ method: "GET", url: `/api/jobs/${jobId}` });
      if (r.statusCode !== 200) continue;
      status = r.json() as JobStatus;
      if (status.message.startsWith("affinity propagation")) break;
    }
    expect(status).toMatchObject({ id: jobId, kind: "cluster", state: "running" });
    expect(status!.message).toMatch(/^affinity propagation on 2900 rows/);
    const cancel = await app.inject({ method: "DELETE", url: `/api/jobs/${jobId}` });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().state).toBe("cancelled");
    const answer = await pending;
    expect(answer.statusCode).toBe(409);
    expect(answer.json().error).toMatch(/^cancelled/);
    expect(Date.now() - started).toBeLessThan(6000);
    const after = (await app.inject({ method: "GET", url: `/api/jobs/${jobId}` })).json() as JobStatus;
    expect(after.state).toBe("cancelled");
    // The server goes on: a new request on fresh workers.
    const res = await cluster({ ...iris, algorithm: "kmeans", params: { k: 3 } });
    expect(res.k).toBe(3);
    const list = (await app.inject({ method: "GET", url: "/api/jobs" })).json();
    expect(list.jobs.some((j: JobStatus) => j.id === jobId)).toBe(true);
  });

  it("answers 404 for an unknown job and 400 for a malformed id; a running id cannot be reused", async () => {
    expect((await app.inject({ method: "GET", url: "/api/jobs/nosuchjob" })).statusCode).toBe(404);
    expect((await app.inject({ method: "DELETE", url: "/api/jobs/nosuchjob" })).json().error).toMatch(/^unknown job/);
    const bad = await app.inject({ method: "GET", url: "/api/jobs/a%20b" });
    expect(bad.statusCode).toBe(400);
    const [a, b] = await Promise.all([
      post("/api/sweep", { ...iris, jobId: "same-id-1", kMax: 20 }),
      post("/api/sweep", { ...iris, scaling: "minmax", jobId: "same-id-1" }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    // Once finished, the id is free again.
    const c = await post("/api/sweep", { ...iris, jobId: "same-id-1" });
    expect(c.statusCode).toBe(200);
    const done = (await app.inject({ method: "GET", url: "/api/jobs/same-id-1" })).json() as JobStatus;
    expect(done).toMatchObject({ state: "done", progress: 1 });
  });
});
