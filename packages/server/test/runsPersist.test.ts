import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adjustedRandScore, modelFromJSON, PipelineModel } from "@clusterlab/core";
import { openStore, readTable, validateSpec } from "@clusterlab/lab";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterResult } from "../src/api.js";
import type { AnomaliesResponse, SegmentsResponse } from "../src/apiResults.js";
import type { CompareResult, RunComparison, RunDetail, RunLabels, RunList, RunSummary } from "../src/apiRuns.js";
import { createApp } from "../src/app.js";
import type { ReportPayload } from "../src/report.js";
import { IRIS_FEATURES } from "./helpers.js";

let app: FastifyInstance;
let dataDir: string;
let scratch: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "clusterlab-runs-"));
  scratch = mkdtempSync(join(tmpdir(), "clusterlab-runs-files-"));
  app = await createApp({ dataDir, workers: 1 });
});
afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

async function cluster(payload: Record<string, unknown>): Promise<ClusterResult> {
  const r = await app.inject({ method: "POST", url: "/api/cluster", payload });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as ClusterResult;
}

const iris = { dataset: "iris", columns: IRIS_FEATURES };

describe("saved runs", () => {
  let k3: ClusterResult;
  let k2: ClusterResult;

  it("saves every clustering run and lists them newest first, with settings and metrics", async () => {
    k3 = await cluster({ ...iris, algorithm: "kmeans", params: { k: 3 } });
    k2 = await cluster({ ...iris, algorithm: "agglomerative", params: { k: 2, linkage: "average" } });
    const r = await app.inject({ method: "GET", url: "/api/runs" });
    expect(r.statusCode).toBe(200);
    const list = r.json() as RunList;
    expect(list.runs.map((x) => x.id)).toEqual([k2.runId, k3.runId]);
    expect(list.total).toBe(2);
    const [agg, km] = list.runs;
    expect(agg).toMatchObject({
      dataset: "iris",
      datasetName: "iris",
      algorithm: "agglomerative",
      k: 2,
      pinned: false,
    });
    expect(agg.params).toMatchObject({ k: 2, linkage: "average" });
    expect(km.metrics.silhouette).toBeCloseTo(k3.metrics.silhouette as number, 12);
    expect(km.columns).toEqual(IRIS_FEATURES);
    expect(Date.parse(agg.created)).toBeGreaterThan(Date.parse(km.created));
  });

  it("returns one run with its spec, and pages and filters the list", async () => {
    const r = await app.inject({ method: "GET", url: `/api/runs/${k3.runId}` });
    expect(r.statusCode).toBe(200);
    const d = r.json() as RunDetail;
    expect(d.settings).toEqual({
      dataset: "iris",
      columns: IRIS_FEATURES,
      scaling: "standard",
      dropMissing: true,
      seed: 0,
      algorithm: "kmeans",
      params: { k: 3 },
    });
    expect(d.sizes.reduce((a, b) => a + b, 0)).toBe(150);
    expect(() => validateSpec(d.spec)).not.toThrow();
    const page = (await app.inject({ method: "GET", url: "/api/runs?limit=1&offset=1" })).json() as RunList;
    expect(page.runs.map((x) => x.id)).toEqual([k3.runId]);
    expect(page.total).toBe(2);
    const none = (await app.inject({ method: "GET", url: "/api/runs?dataset=wine" })).json() as RunList;
    expect(none.runs).toEqual([]);
  });

  it("writes the runs into the lab store, where lab's own API reads them", async () => {
    await app.inject({ method: "GET", url: "/api/runs" }); // flushes
    const store = await openStore(dataDir);
    const run = await store.getRun(k3.runId);
    expect(run.algorithm).toBe("kmeans");
    expect(run.nClusters).toBe(3);
    const labels = await store.getLabels(k3.runId);
    expect(Array.from(labels)).toEqual(k3.labels);
  });

  it("pins and names a run; answers 400 for a malformed patch", async () => {
    let r = await app.inject({
      method: "PATCH",
      url: `/api/runs/${k3.runId}`,
      payload: { pinned: true, name: "three" },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: k3.runId, pinned: true, name: "three" });
    const pinned = (await app.inject({ method: "GET", url: "/api/runs?pinned=true" })).json() as RunList;
    expect(pinned.runs.map((x) => x.id)).toEqual([k3.runId]);
    r = await app.inject({ method: "PATCH", url: `/api/runs/${k3.runId}`, payload: { pinned: "yes" } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^invalid body\.pinned/);
    r = await app.inject({ method: "PATCH", url: `/api/runs/${k3.runId}`, payload: { colour: "red" } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe("unknown field body.colour");
    r = await app.inject({ method: "PATCH", url: "/api/runs/r-ffffffffffffffff", payload: { pinned: true } });
    expect(r.statusCode).toBe(404);
  });

  it("answers 404 with a clear message for an unknown run id, and 400 for bad list queries", async () => {
    for (const url of [
      "/api/runs/r-0123456789abcdef",
      "/api/runs/r-0123456789abcdef/labels",
      "/api/runs/r-0123456789abcdef/labelled.csv",
      "/api/runs/r-0123456789abcdef/labelled.parquet",
      "/api/runs/r-0123456789abcdef/spec.json",
      "/api/runs/r-0123456789abcdef/model.json",
      "/api/runs/r-0123456789abcdef/report.html",
      `/api/runs/compare?a=${k3.runId}&b=r-0123456789abcdef`,
    ]) {
      const r = await app.inject({ method: "GET", url });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error, url).toMatch(/^unknown run: "r-0123456789abcdef"/);
    }
    const del = await app.inject({ method: "DELETE", url: "/api/runs/r-0123456789abcdef" });
    expect(del.statusCode).toBe(404);
    let r = await app.inject({ method: "GET", url: "/api/runs?limit=0" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/limit/);
    r = await app.inject({ method: "GET", url: "/api/runs?limit=ten" });
    expect(r.statusCode).toBe(400);
    r = await app.inject({ method: "GET", url: "/api/runs/compare?a=x" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe("missing querystring.b");
  });

  it("compares two runs: contingency table, ARI and NMI from core", async () => {
    const r = await app.inject({ method: "GET", url: `/api/runs/compare?a=${k3.runId}&b=${k2.runId}` });
    expect(r.statusCode).toBe(200);
    const c = r.json() as RunComparison;
    expect(c.rowsCompared).toBe(150);
    expect(c.labelsA).toEqual([0, 1, 2]);
    expect(c.labelsB).toEqual([0, 1]);
    expect(c.counts.flat().reduce((a, b) => a + b, 0)).toBe(150);
    expect(c.adjustedRand).toBeCloseTo(adjustedRandScore(k3.labels, k2.labels), 12);
    const self = (await app.inject({ method: "GET", url: `/api/runs/compare?a=${k3.runId}&b=${k3.runId}` })).json();
    expect(self.adjustedRand).toBe(1);
    const wine = await cluster({
      dataset: "wine",
      columns: ["alcohol", "malic_acid"],
      algorithm: "kmeans",
      params: { k: 2 },
    });
    const other = await app.inject({ method: "GET", url: `/api/runs/compare?a=${k3.runId}&b=${wine.runId}` });
    expect(other.statusCode).toBe(400);
    expect(other.json().error).toMatch(/same dataset/);
    await app.inject({ method: "DELETE", url: `/api/runs/${wine.runId}` });
  });

  it("exports the labelled CSV and Parquet, the spec and the model of a run", async () => {
    const csv = await app.inject({ method: "GET", url: `/api/runs/${k3.runId}/labelled.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="iris-clusters.csv"');
    const lines = csv.body.trim().split("\n");
    expect(lines).toHaveLength(151);
    expect(lines[0].endsWith(",cluster")).toBe(true);

    const pq = await app.inject({ method: "GET", url: `/api/runs/${k3.runId}/labelled.parquet` });
    expect(pq.statusCode).toBe(200);
    const file = join(scratch, "iris.parquet");
    writeFileSync(file, pq.rawPayload);
    const table = await readTable(file);
    const column = table.columns.find((c) => c.name === "cluster");
    expect(column && Array.from(column.values as ArrayLike<number>)).toEqual(k3.labels);

    const spec = await app.inject({ method: "GET", url: `/api/runs/${k3.runId}/spec.json` });
    expect(spec.statusCode).toBe(200);
    const parsed = validateSpec(spec.json());
    expect(parsed.algorithm).toMatchObject({ name: "kmeans", params: { nClusters: 3 } });

    const model = await app.inject({ method: "GET", url: `/api/runs/${k3.runId}/model.json` });
    expect(model.statusCode, model.body).toBe(200);
    expect(model.headers["content-disposition"]).toMatch(/iris-kmeans-model\.json/);
    expect(Number(model.headers["x-clusterlab-agreement"])).toBeGreaterThan(0.99);
    expect(modelFromJSON(model.json())).toBeInstanceOf(PipelineModel);
    // Saved: the second download reads it back (and lab sees it).
    const again = await app.inject({ method: "GET", url: `/api/runs/${k3.runId}/model.json` });
    expect(again.json()).toEqual(model.json());
    const store = await openStore(dataDir);
    expect(await store.getModel(k3.runId)).not.toBeNull();
  });

  it("exports a spec that validates again and a model for every algorithm family (k-medoids too)", async () => {
    for (const [algorithm, params] of [
      ["kmedoids", { k: 3 }],
      ["hdbscan", {}],
      ["gmm", { k: 3, covarianceType: "diag" }],
    ] as const) {
      const run = await cluster({ ...iris, algorithm, params });
      const spec = await app.inject({ method: "GET", url: `/api/runs/${run.runId}/spec.json` });
      expect(spec.statusCode, algorithm).toBe(200);
      expect(validateSpec(spec.json()).algorithm.name).toBe(algorithm);
      const model = await app.inject({ method: "GET", url: `/api/runs/${run.runId}/model.json` });
      expect(model.statusCode, `${algorithm}: ${model.body.slice(0, 200)}`).toBe(200);
      expect(modelFromJSON(model.json())).toBeInstanceOf(PipelineModel);
      await app.inject({ method: "DELETE", url: `/api/runs/${run.runId}` });
    }
  });

  it("writes the standalone report of a run, for every algorithm (DBSCAN and HDBSCAN with their noise and charts)", async () => {
    const r = await app.inject({ method: "GET", url: `/api/runs/${k3.runId}/report.html` });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers["content-disposition"]).toBe('attachment; filename="iris-report.html"');
    expect(r.body).toMatch(/^<!doctype html>/);
    expect(r.body).toContain("clusterlab-report-data");
    const payloadOf = (html: string): ReportPayload => {
      const start = html.indexOf('id="clusterlab-report-data">') + 'id="clusterlab-report-data">'.length;
      return JSON.parse(html.slice(start, html.indexOf("</script>", start)));
    };
    for (const [algorithm, params] of [
      ["dbscan", { eps: 0.5, minSamples: 5 }],
      ["hdbscan", { minClusterSize: 10 }],
    ] as const) {
      const run = await cluster({ ...iris, algorithm, params });
      const r2 = await app.inject({ method: "GET", url: `/api/runs/${run.runId}/report.html` });
      expect(r2.statusCode, r2.body.slice(0, 300)).toBe(200);
      const p = payloadOf(r2.body);
      expect(p.spec.algorithm).toBe(algorithm);
      expect(p.cluster.k).toBe(run.k);
      expect(p.cluster.sizes).toEqual(run.sizes);
      expect(p.cluster.nNoise).toBe(run.nNoise);
      expect(run.nNoise).toBeGreaterThan(0);
      if (algorithm === "dbscan") {
        expect(p.spec.params).toEqual({ eps: 0.5, minSamples: 5, metric: "euclidean" });
        expect(p.cluster.reachability?.eps).toBe(0.5);
      } else {
        expect(p.cluster.condensedTree?.clusters.some((c) => c.label >= 0)).toBe(true);
      }
      await app.inject({ method: "DELETE", url: `/api/runs/${run.runId}` });
    }
  });

  it("deletes a run: gone from the list, the store and every endpoint", async () => {
    const r = await app.inject({ method: "DELETE", url: `/api/runs/${k2.runId}` });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ deleted: k2.runId });
    const list = (await app.inject({ method: "GET", url: "/api/runs" })).json() as RunList;
    expect(list.runs.map((x) => x.id)).toEqual([k3.runId]);
    expect((await app.inject({ method: "GET", url: `/api/runs/${k2.runId}/labelled.csv` })).statusCode).toBe(404);
    const store = await openStore(dataDir);
    await expect(store.getLabels(k2.runId)).rejects.toThrow(/unknown run/);
  });

  it("keeps the runs across a restart on the same data directory", async () => {
    await app.close();
    app = await createApp({ dataDir, workers: 1 });
    const list = (await app.inject({ method: "GET", url: "/api/runs" })).json() as RunList;
    expect(list.runs.map((x) => [x.id, x.pinned, x.name])).toEqual([[k3.runId, true, "three"]]);
    const labels = (await app.inject({ method: "GET", url: `/api/runs/${k3.runId}/labels` })).json() as RunLabels;
    expect(labels.labels).toEqual(k3.labels);
    const csv = await app.inject({ method: "GET", url: `/api/runs/${k3.runId}/labelled.csv` });
    expect(csv.statusCode).toBe(200);
    const clusters = csv.body
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => Number(l.slice(l.lastIndexOf(",") + 1)));
    expect(clusters).toEqual(k3.labels);
  });

  it("explains, evaluates and scores a saved run's segments after a restart (the Segments page)", async () => {
    // The restart above emptied the in-memory runs: the run is only in the store now.
    const body = { ...iris, runId: k3.runId };
    const seg = await app.inject({ method: "POST", url: "/api/segments", payload: body });
    expect(seg.statusCode, seg.body).toBe(200);
    const segments = seg.json() as SegmentsResponse;
    expect(segments.runId).toBe(k3.runId);
    expect(segments.segments.filter((s) => s.label >= 0).map((s) => s.size)).toEqual(k3.sizes);
    const ev = await app.inject({
      method: "POST",
      url: "/api/evaluate",
      payload: { ...body, algorithm: "kmeans", params: { k: 3 }, nBootstrap: 2, maxRows: 60 },
    });
    expect(ev.statusCode, ev.body).toBe(200);
    const an = await app.inject({ method: "POST", url: "/api/anomalies", payload: body });
    expect(an.statusCode, an.body).toBe(200);
    expect((an.json() as AnomaliesResponse).kind).toBe("relativeCenterDistance");
    const unknown = await app.inject({ method: "POST", url: "/api/segments", payload: { ...iris, runId: "r-nope" } });
    expect(unknown.statusCode).toBe(404);
  });

  it("scores a saved DBSCAN run with DBSCAN's own score after a restart (its eps as the run resolved it)", async () => {
    const run = await cluster({ ...iris, algorithm: "dbscan", params: { minSamples: 10 } });
    expect(run.params.eps).toBeGreaterThan(0);
    await app.close();
    app = await createApp({ dataDir, workers: 1 });
    const an = await app.inject({
      method: "POST",
      url: "/api/anomalies",
      payload: { ...iris, runId: run.runId, contamination: 0.02 },
    });
    expect(an.statusCode, an.body).toBe(200);
    const a = an.json() as AnomaliesResponse;
    expect(a.kind).toBe("coreSampleDistance");
    expect(a.description).toContain(`eps = ${Number((run.params.eps as number).toPrecision(3))}`);
    expect(a.top.map((t) => t.label)).toEqual([-1, -1, -1]);
    await app.inject({ method: "DELETE", url: `/api/runs/${run.runId}` });
  });

  it("keeps the rows it dropped for missing values as empty clusters after a restart", async () => {
    const res = await cluster({
      dataset: "penguins",
      columns: ["bill_length_mm", "bill_depth_mm"],
      algorithm: "kmeans",
      params: { k: 2 },
    });
    await app.close();
    app = await createApp({ dataDir, workers: 1 });
    const labels = (await app.inject({ method: "GET", url: `/api/runs/${res.runId}/labels` })).json() as RunLabels;
    expect(labels.labels).toHaveLength(344);
    expect(labels.labels[3]).toBeNull();
    expect(labels.labels.filter((l) => l !== null)).toEqual(res.labels);
  });
});

describe("the automatic history", () => {
  it("keeps the latest runs per dataset and every pinned run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-runs-cap-"));
    const { RunStore } = await import("../src/runs.js");
    const { DatasetStore } = await import("../src/datasets.js");
    const { defaultSamplesDir } = await import("../src/app.js");
    try {
      const datasets = await DatasetStore.open(dir, defaultSamplesDir());
      const runs = await RunStore.open({ dataDir: dir, datasets, historyPerDataset: 3, flushDelayMs: 0 });
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const run = runs.add({ dataset: "iris", labels: new Int32Array(150).fill(i % 2), nRowsTotal: 150 });
        ids.push(run.id);
        runs.describe(fakeResult(run.id, i), { dataset: "iris", columns: IRIS_FEATURES, algorithm: "kmeans" });
        if (i === 0) {
          await runs.flush();
          await runs.patch(run.id, { pinned: true });
        }
      }
      const list = await runs.list();
      expect(list.runs.map((r: RunSummary) => r.id)).toEqual([ids[5], ids[4], ids[3], ids[0]]);
      await expect(runs.detail(ids[1])).rejects.toThrow(/unknown run/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("closing", () => {
  it("writes the queued runs and finishes opening the store before close resolves (nothing lost, nothing left writing)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-runs-close-"));
    const { RunStore } = await import("../src/runs.js");
    const { DatasetStore } = await import("../src/datasets.js");
    const { defaultSamplesDir } = await import("../src/app.js");
    try {
      const datasets = await DatasetStore.open(dir, defaultSamplesDir());
      // A flush delay far longer than the test: only close() can write the run.
      const runs = await RunStore.open({ dataDir: dir, datasets, flushDelayMs: 3_600_000 });
      const run = runs.add({ dataset: "iris", labels: new Int32Array(150).fill(1), nRowsTotal: 150 });
      runs.describe(fakeResult(run.id, 0), { dataset: "iris", columns: IRIS_FEATURES, algorithm: "kmeans" });
      await runs.close();
      const again = await RunStore.open({ dataDir: dir, datasets, flushDelayMs: 0 });
      expect((await again.list()).runs.map((r: RunSummary) => r.id)).toEqual([run.id]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets a server closed at once remove its data directory (the store opened in the background is finished)", async () => {
    for (let i = 0; i < 3; i++) {
      const dir = mkdtempSync(join(tmpdir(), "clusterlab-runs-quick-"));
      const quick = await createApp({ dataDir: dir, workers: 1 });
      await quick.close();
      expect(() => rmSync(dir, { recursive: true })).not.toThrow();
    }
  });
});

describe("POST /api/compare", () => {
  it("ranks every algorithm with internal and external metrics (the target inferred)", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/compare",
      payload: { ...iris, k: 3, algorithms: ["kmeans", "gmm", "agglomerative", "dbscan"], jobId: "cmp-test-1" },
    });
    expect(r.statusCode, r.body).toBe(200);
    const c = r.json() as CompareResult;
    expect(c.jobId).toBe("cmp-test-1");
    expect(c.k).toBe(3);
    expect(c.target).toBe("target");
    expect(c.targetCandidates).toContain("target_name");
    expect(c.rows.map((x) => x.algorithm).sort()).toEqual(["agglomerative", "dbscan", "gmm", "kmeans"]);
    const ranked = c.rows.filter((x) => x.rank !== null);
    expect(ranked.map((x) => x.rank)).toEqual(ranked.map((_, i) => i + 1));
    for (let i = 1; i < ranked.length; i++) {
      expect(ranked[i - 1].silhouette as number).toBeGreaterThanOrEqual(ranked[i].silhouette as number);
    }
    const km = c.rows.find((x) => x.algorithm === "kmeans")!;
    expect(km.adjustedRand).toBeGreaterThan(0.5);
    const job = await app.inject({ method: "GET", url: "/api/jobs/cmp-test-1" });
    expect(job.json()).toMatchObject({ kind: "compare", state: "done" });
  });

  it("is cancelled by DELETE /api/jobs/:id while it runs, and the server goes on", async () => {
    const jobId = "cmp-cancel-1";
    const pending = app.inject({
      method: "POST",
      url: "/api/compare",
      payload: { dataset: "wine", columns: ["alcohol", "malic_acid", "ash", "magnesium", "proline"], jobId },
    });
    // Wait until the worker reports fitting an algorithm, then cancel.
    for (let i = 0; i < 500; i++) {
      const s = await app.inject({ method: "GET", url: `/api/jobs/${jobId}` });
      if (s.statusCode === 200 && /fitting/.test(s.json().message)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const cancel = await app.inject({ method: "DELETE", url: `/api/jobs/${jobId}` });
    expect(cancel.statusCode).toBe(200);
    const r = await pending;
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatch(/^cancelled/);
    const after = await app.inject({ method: "GET", url: "/api/runs" });
    expect(after.statusCode).toBe(200);
  });

  it("answers 400 for malformed bodies, naming the field", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ dataset: "iris" }, /^missing body\.columns$/],
      [{ ...iris, k: 1 }, /^invalid body\.k/],
      [{ ...iris, columns: ["nope"] }, /^invalid body\.columns: unknown column "nope"/],
      [
        { ...iris, target: "sepal_length_cm" },
        /^invalid body\.target: "sepal_length_cm" is one of the feature columns/,
      ],
      [{ ...iris, target: "nope" }, /^invalid body\.target: unknown column/],
      [{ ...iris, algorithms: ["magic"] }, /unknown algorithm: "magic"/],
      [{ ...iris, extra: 1 }, /^unknown field body\.extra$/],
    ];
    for (const [payload, message] of cases) {
      const r = await app.inject({ method: "POST", url: "/api/compare", payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error).toMatch(message);
    }
    const r = await app.inject({ method: "POST", url: "/api/compare", payload: { ...iris, dataset: "nope" } });
    expect(r.statusCode).toBe(404);
  });
});

function fakeResult(runId: string, i: number): ClusterResult {
  return {
    runId,
    jobId: "j",
    dataset: "iris",
    algorithm: "kmeans",
    scaling: "standard",
    params: { k: 2 },
    seed: 0,
    columns: IRIS_FEATURES,
    nRows: 150,
    rowsDropped: 0,
    k: 2,
    sizes: [75, 75],
    nNoise: 0,
    labels: [],
    metrics: { silhouette: 0.1 * i, calinskiHarabasz: null, daviesBouldin: null, inertia: null, bic: null },
    projection: {} as ClusterResult["projection"],
    silhouette: null,
    profile: {} as ClusterResult["profile"],
    dendrogram: null,
    reachability: null,
    condensedTree: null,
    warnings: [],
    timings: { fitSeconds: 0, viewSeconds: 0, totalSeconds: 0, precomputed: false },
  };
}

describe("with a token", () => {
  it("takes the token in the query of the list and of the downloads (plain links)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-runs-token-"));
    const secured = await createApp({ dataDir: dir, workers: 1, token: "s3cret-token" });
    try {
      const headers = { "x-clusterlab-token": "s3cret-token" };
      const res = await secured.inject({
        method: "POST",
        url: "/api/cluster",
        headers,
        payload: { ...iris, algorithm: "kmeans", params: { k: 2 } },
      });
      const { runId } = res.json() as ClusterResult;
      expect((await secured.inject({ method: "GET", url: "/api/runs" })).statusCode).toBe(401);
      const list = await secured.inject({ method: "GET", url: "/api/runs?limit=5&token=s3cret-token" });
      expect(list.statusCode).toBe(200);
      expect((list.json() as RunList).runs.map((r) => r.id)).toEqual([runId]);
      const csv = await secured.inject({ method: "GET", url: `/api/runs/${runId}/labelled.csv?token=s3cret-token` });
      expect(csv.statusCode).toBe(200);
    } finally {
      await secured.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
