/**
 * The results endpoints through Fastify's inject: `POST /api/projection` (PCA 3-D, t-SNE, UMAP),
 * `POST /api/segments`, `POST /api/evaluate`, `POST /api/anomalies`, with bad input.
 */
import { readFileSync } from "node:fs";
import {
  adjustedRandScore,
  clusterAnomalyScores,
  DBSCAN,
  GaussianMixture,
  HDBSCAN,
  KMeans,
  type Matrix,
  OPTICS,
  StandardScaler,
  TSNE,
} from "@clusterlab/core";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterResult, JobStatus } from "../src/api.js";
import type { AnomaliesResponse, EvaluateResponse, ProjectionResponse, SegmentsResponse } from "../src/apiResults.js";
import { runProjectionJob } from "../src/projection.js";
import { boxStats } from "../src/segments.js";
import { IRIS_CSV, IRIS_FEATURES, testApp, upload } from "./helpers.js";

let app: FastifyInstance;
let cleanup: () => Promise<void>;
let run: ClusterResult;
const features = { dataset: "iris", columns: IRIS_FEATURES, scaling: "standard" };

/** The iris features standardised, as the server scales them for these requests. */
function irisScaled(): Matrix {
  const lines = readFileSync(IRIS_CSV, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const idx = IRIS_FEATURES.map((c) => header.indexOf(c));
  const X = lines.slice(1).map((l) => idx.map((j) => Number(l.split(",")[j])));
  return new StandardScaler().fit(X).transform(X);
}

function post<T>(url: string, payload: object) {
  return app.inject({ method: "POST", url, payload }).then((r) => ({ status: r.statusCode, body: r.json() as T }));
}

beforeAll(async () => {
  ({ app, cleanup } = await testApp({ workers: 1 }));
  const r = await post<ClusterResult>("/api/cluster", { ...features, algorithm: "kmeans", params: { k: 3 } });
  expect(r.status).toBe(200);
  run = r.body;
});

afterAll(async () => {
  await cleanup();
});

describe("POST /api/projection", () => {
  it("PCA in 3-D: every displayed point, the first two components as the 2-D scatter's", async () => {
    const r = await post<ProjectionResponse>("/api/projection", { ...features, method: "pca", nComponents: 3 });
    expect(r.status).toBe(200);
    expect(r.body.geometryId).toBe(run.projection.geometryId);
    expect(r.body.points).toHaveLength(150);
    expect(r.body.coords).toHaveLength(3);
    expect(r.body.axisTitles[2]).toMatch(/^PC3 \(\d+\.\d% of variance\)$/);
    // PCA's sign convention is the same: the 2-D scatter's x and y are the first two components.
    for (let i = 0; i < 150; i += 17) {
      expect(r.body.coords[0][i]).toBeCloseTo(run.projection.x[i], 4);
      expect(r.body.coords[1][i]).toBeCloseTo(run.projection.y[i], 4);
    }
  });

  it("t-SNE: the core TSNE embedding of the scaled rows, cached per features", async () => {
    const body = { ...features, method: "tsne", nComponents: 2, jobId: "tsne-test-1" };
    const r = await post<ProjectionResponse>("/api/projection", body);
    expect(r.status).toBe(200);
    expect(r.body.cached).toBe(false);
    expect(r.body.fitted).toBe(150);
    expect(r.body.axisTitles).toEqual(["t-SNE 1", "t-SNE 2"]);
    // Same numbers as core's TSNE on the same matrix.
    const Xs = irisScaled();
    const direct = new TSNE({ nComponents: 2, perplexity: 30, seed: 0, maxIter: 1000 }).fit(Xs);
    expect(r.body.coords[0][5]).toBeCloseTo(direct.embedding.data[10], 3);
    expect(r.body.coords[1][5]).toBeCloseTo(direct.embedding.data[11], 3);
    // The embedding keeps the clusters apart: k-means on it agrees with the run's clusters.
    const emb = r.body.points.map((_, i) => [r.body.coords[0][i], r.body.coords[1][i]]);
    const labels = new KMeans({ nClusters: 3, seed: 0 }).fit(emb).labels;
    expect(adjustedRandScore(labels, run.labels)).toBeGreaterThan(0.5);
    // A second request (another k on the page) is answered from the cache.
    const again = await post<ProjectionResponse>("/api/projection", { ...body, jobId: "tsne-test-2" });
    expect(again.body.cached).toBe(true);
    expect(again.body.coords).toEqual(r.body.coords);
    const job = await app.inject({ method: "GET", url: "/api/jobs/tsne-test-1" });
    expect(job.json().state).toBe("done");
  });

  it("UMAP in 3-D", async () => {
    const r = await post<ProjectionResponse>("/api/projection", { ...features, method: "umap", nComponents: 3 });
    expect(r.status).toBe(200);
    expect(r.body.coords).toHaveLength(3);
    expect(r.body.coords[2].every(Number.isFinite)).toBe(true);
    expect(r.body.transformed).toBe(0);
  });

  it("samples t-SNE and places the other points with UMAP's transform above the limits", () => {
    const n = 60;
    const data = new Float64Array(n * 2).map((_, i) => Math.sin(i * 1.3) + (i % 3) * 4);
    const Xs = { rows: n, cols: 2, data };
    const displayRows = Int32Array.from({ length: n }, (_, i) => i);
    const t = runProjectionJob({ Xs, displayRows, method: "tsne", nComponents: 2, seed: 1, maxPoints: 40 });
    expect(t.points).toHaveLength(40);
    expect(new Set(t.points).size).toBe(40);
    expect([...t.points]).toEqual([...t.points].sort((a, b) => a - b));
    expect(t.coords[0]).toHaveLength(40);
    expect(t.fitted).toBe(40);
    const u = runProjectionJob({ Xs, displayRows, method: "umap", nComponents: 2, seed: 1, maxPoints: 40 });
    expect(u.points).toHaveLength(n);
    expect(u.fitted).toBe(40);
    expect(u.transformed).toBe(20);
    expect([...u.coords[0], ...u.coords[1]].every(Number.isFinite)).toBe(true);
  });

  it("reports t-SNE's iterations as progress, cancels it (409) and keeps serving", async () => {
    const lines = ["f0,f1,f2"];
    for (let i = 0; i < 3000; i++) {
      const c = i % 3;
      lines.push([0, 1, 2].map((j) => (c * 5 + Math.sin(i * 7.1 + j * 3.3) * 2).toFixed(3)).join(","));
    }
    const up = await upload(app, "tsne.csv", `${lines.join("\n")}\n`);
    const id = up.json().dataset.id as string;
    const jobId = "tsne-cancel-1";
    const pending = post<{ error: string }>("/api/projection", {
      dataset: id,
      columns: ["f0", "f1", "f2"],
      method: "tsne",
      jobId,
    });
    let status: JobStatus | null = null;
    for (let i = 0; i < 600; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const r = await app.inject({ method: "GET", url: `/api/jobs/${jobId}` });
      if (r.statusCode !== 200) continue;
      status = r.json() as JobStatus;
      if (status.message.startsWith("t-SNE")) break;
    }
    expect(status).toMatchObject({ id: jobId, kind: "projection", state: "running" });
    expect(status!.message).toMatch(/^t-SNE of 3,000 rows: iteration \d+ of at most 1000$/);
    expect(status!.progress).toBeGreaterThan(0);
    const cancel = await app.inject({ method: "DELETE", url: `/api/jobs/${jobId}` });
    expect(cancel.json().state).toBe("cancelled");
    const answer = await pending;
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatch(/^cancelled/);
    const pca = await post<ProjectionResponse>("/api/projection", { ...features, method: "pca", nComponents: 3 });
    expect(pca.status).toBe(200);
  }, 60_000);

  it("refuses bad input, naming the field", async () => {
    const bad = [
      [{ ...features, method: "mds" }, /invalid body.method: "mds" \(must be one of pca, tsne, umap\)/],
      [{ ...features, method: "tsne", nComponents: 4 }, /invalid body.nComponents: 4/],
      [{ ...features }, /missing body.method/],
      [{ ...features, method: "pca", columns: ["nope"] }, /invalid body.columns/],
      [{ ...features, method: "pca", dataset: "none" }, /unknown dataset/],
    ] as const;
    for (const [payload, message] of bad) {
      const r = await post<{ error: string }>("/api/projection", payload);
      expect(r.status, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error).toMatch(message);
    }
  });

  it("t-SNE and UMAP of fewer features than components (one column) answer, not a 400 about init", async () => {
    for (const method of ["tsne", "umap"] as const) {
      const r = await post<ProjectionResponse>("/api/projection", {
        ...features,
        columns: ["petal_length_cm"],
        method,
        nComponents: 2,
      });
      expect(r.status, `${method}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body.coords).toHaveLength(2);
      expect(r.body.coords[0].every((v) => Number.isFinite(v))).toBe(true);
    }
  }, 60_000);
});

describe("POST /api/segments", () => {
  it("names, rules and distinguishing features per cluster, boxes and a parcoords sample", async () => {
    const r = await post<SegmentsResponse>("/api/segments", { ...features, runId: run.runId });
    expect(r.status).toBe(200);
    const s = r.body;
    expect(s.segments).toHaveLength(3);
    expect(s.segments.map((x) => x.size)).toEqual(run.sizes);
    expect(new Set(s.segments.map((x) => x.name)).size).toBe(3);
    for (const seg of s.segments) {
      expect(seg.name.length).toBeGreaterThan(3);
      expect(seg.rule).toMatch(/(<=|>)/);
      expect(seg.topFeatures.length).toBeGreaterThan(0);
      expect(seg.topFeatures[0].effect).toBeGreaterThanOrEqual(seg.topFeatures.at(-1)!.effect);
    }
    // The setosa cluster (smallest petals) is described by the petals and is found exactly.
    const setosa = s.segments.find((x) => x.size === 50 && x.rule.includes("petal"));
    expect(setosa).toBeDefined();
    expect(setosa!.precision).toBe(1);
    expect(s.boxes).toHaveLength(4);
    expect(s.boxes[0]).toHaveLength(3);
    const b = s.boxes[2][0]!;
    expect(b.min).toBeLessThanOrEqual(b.q1);
    expect(b.q1).toBeLessThanOrEqual(b.median);
    expect(b.median).toBeLessThanOrEqual(b.q3);
    expect(s.sample.values).toHaveLength(4);
    expect(s.sample.labels).toHaveLength(150);
    expect(s.sample.sampled).toBe(false);
  });

  it("box statistics match numpy's quantiles and Tukey's fences", () => {
    const b = boxStats(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]))!;
    expect(b.median).toBe(5.5);
    expect(b.q1).toBe(3.25);
    expect(b.q3).toBe(7.75);
    expect(b.upperFence).toBe(9);
    expect(b.max).toBe(100);
    expect(boxStats(new Float64Array(0))).toBeNull();
  });

  it("refuses an unknown run, another dataset's run and bad bodies", async () => {
    let r = await post<{ error: string }>("/api/segments", { ...features, runId: "r-nope" });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/unknown run/);
    r = await post<{ error: string }>("/api/segments", { ...features });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("missing body.runId");
    r = await post<{ error: string }>("/api/segments", {
      ...features,
      columns: IRIS_FEATURES.slice(0, 2),
      runId: run.runId,
    });
    expect(r.status).toBe(200);
    const wine = await post<ClusterResult>("/api/cluster", {
      dataset: "wine",
      columns: ["alcohol", "malic_acid"],
      algorithm: "kmeans",
      params: { k: 2 },
    });
    expect(wine.status).toBe(200);
    r = await post<{ error: string }>("/api/segments", { ...features, runId: wine.body.runId });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/invalid body.runId: .* \(a run of dataset "wine", not "iris"\)/);
  });
});

describe("POST /api/evaluate", () => {
  it("held-out scores, ARI, per-cluster bootstrap Jaccard and prediction strength", async () => {
    const r = await post<EvaluateResponse>("/api/evaluate", {
      ...features,
      runId: run.runId,
      algorithm: "kmeans",
      params: { k: 3 },
      nBootstrap: 8,
      jobId: "evaluate-test-1",
    });
    expect(r.status).toBe(200);
    const e = r.body;
    expect(e.sampleSize).toBe(150);
    expect(e.heldOut!.nTest).toBe(45);
    expect(e.heldOut!.nTrain).toBe(105);
    expect(e.heldOut!.ari).toBeGreaterThan(0.4);
    expect(e.heldOut!.test.silhouette).toBeGreaterThan(0.3);
    expect(e.stability!.nBootstrap).toBe(8);
    expect(e.stability!.clusters).toHaveLength(3);
    // The setosa cluster is perfectly stable.
    expect(Math.max(...e.stability!.clusters.map((c) => c.meanJaccard ?? 0))).toBeGreaterThan(0.95);
    expect(e.predictionStrength!.k).toBe(3);
    expect(e.predictionStrength!.value).toBeGreaterThan(0.5);
    expect(e.predictionStrength!.value).toBeLessThanOrEqual(1);
  });

  it("evaluates a density method without a k, saying why prediction strength is missing", async () => {
    const db = await post<ClusterResult>("/api/cluster", {
      ...features,
      algorithm: "dbscan",
      params: { eps: 0.6, minSamples: 5 },
    });
    expect(db.status).toBe(200);
    const r = await post<EvaluateResponse>("/api/evaluate", {
      ...features,
      runId: db.body.runId,
      algorithm: "dbscan",
      params: db.body.params,
      nBootstrap: 4,
    });
    expect(r.status).toBe(200);
    expect(r.body.predictionStrength).toBeNull();
    expect(r.body.notes.join(" ")).toMatch(/needs a number of clusters/);
    expect(r.body.stability!.clusters.length).toBe(db.body.k);
  });

  it("refuses bad input", async () => {
    const base = { ...features, runId: run.runId, algorithm: "kmeans" };
    const bad = [
      [{ ...base, algorithm: "magic" }, 400, /invalid body.algorithm/],
      [{ ...base, nBootstrap: 1 }, 400, /invalid body.nBootstrap: 1 \(must be >= 2\)/],
      [{ ...base, testSize: 0 }, 400, /invalid body.testSize: 0/],
      [{ ...base, params: { k: 1 } }, 400, /invalid body.params.k: 1/],
      [{ ...base, runId: "r-unknown" }, 404, /unknown run/],
    ] as const;
    for (const [payload, status, message] of bad) {
      const r = await post<{ error: string }>("/api/evaluate", payload);
      expect(r.status, JSON.stringify(payload)).toBe(status);
      expect(r.body.error).toMatch(message);
    }
  });
});

describe("POST /api/anomalies", () => {
  it("flags the contamination share, lists the top rows with their unusual features", async () => {
    const r = await post<AnomaliesResponse>("/api/anomalies", { ...features, runId: run.runId, contamination: 0.1 });
    expect(r.status).toBe(200);
    const a = r.body;
    expect(a.kind).toBe("relativeCenterDistance");
    expect(a.description).toBe(
      "distance to the nearest cluster centre (in the scaled features) over that cluster's median distance",
    );
    expect(a.nAnomalies).toBe(15);
    expect(a.displayedPoints).toHaveLength(15);
    expect(a.top).toHaveLength(15);
    expect(a.top[0].score).toBeGreaterThanOrEqual(a.top[14].score);
    expect(a.top[14].score).toBeGreaterThanOrEqual(a.threshold);
    expect(a.top[0].features).toHaveLength(3);
    expect(IRIS_FEATURES).toContain(a.top[0].features[0].feature);
    expect(a.quantiles[4]).toBe(a.top[0].score);
    const fewer = await post<AnomaliesResponse>("/api/anomalies", {
      ...features,
      runId: run.runId,
      contamination: 0.02,
    });
    expect(fewer.body.nAnomalies).toBe(3);
    expect(fewer.body.top.map((t) => t.row)).toEqual(a.top.slice(0, 3).map((t) => t.row));
    // The scores do not depend on the contamination: the second request reuses the first's.
    expect(a.scoresReused).toBe(false);
    expect(fewer.body.scoresReused).toBe(true);
  });

  /** A run of `algorithm` on iris and its anomalies, every flagged row listed. */
  async function anomaliesOf(algorithm: string, params: object, contamination: number, extra: object = {}) {
    const c = await post<ClusterResult>("/api/cluster", { ...features, algorithm, params });
    expect(c.status).toBe(200);
    const r = await post<AnomaliesResponse>("/api/anomalies", {
      ...features,
      ...extra,
      runId: c.body.runId,
      contamination,
      top: 200,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return { run: c.body, a: r.body };
  }

  it("scores an HDBSCAN run with GLOSH, as core's HDBSCAN with the run's options", async () => {
    const { run: h, a } = await anomaliesOf("hdbscan", { minClusterSize: 5, minSamples: 5 }, 0.1);
    expect(a.kind).toBe("glosh");
    expect(a.description).toMatch(/^GLOSH outlier score of HDBSCAN's hierarchy/);
    const direct = clusterAnomalyScores(
      new HDBSCAN({ minClusterSize: 5, minSamples: 5 }).fit(irisScaled()),
      irisScaled(),
    );
    expect(direct.kind).toBe("glosh");
    expect(a.nAnomalies).toBe(15);
    expect(a.top).toHaveLength(15);
    for (const t of a.top) {
      expect(t.score).toBeCloseTo(direct.scores[t.row], 4);
      expect(t.label).toBe(h.labels[t.row]);
    }
    const sorted = Float64Array.from(direct.scores).sort();
    expect(a.quantiles[0]).toBeCloseTo(sorted[0], 4);
    expect(a.quantiles[4]).toBeCloseTo(sorted[149], 4);
    // The DBSCAN* cut of the same hierarchy (its distance left automatic): the same GLOSH scores.
    const cut = await anomaliesOf(
      "hdbscan",
      { minClusterSize: 5, minSamples: 5, clusterSelectionMethod: "dbscan" },
      0.1,
    );
    expect(cut.run.params.eps).toBeGreaterThan(0);
    expect(cut.a.kind).toBe("glosh");
    expect(cut.a.top.map((t) => t.score)).toEqual(a.top.map((t) => t.score));
  });

  it("scores a Gaussian mixture run by minus its log density", async () => {
    const { run: g, a } = await anomaliesOf("gmm", { k: 3, covarianceType: "full" }, 0.05);
    expect(a.kind).toBe("negativeLogLikelihood");
    expect(a.description).toMatch(/Gaussian mixture/);
    const model = new GaussianMixture({ nComponents: 3, covarianceType: "full", seed: g.seed }).fit(irisScaled());
    expect(adjustedRandScore(model.labels, g.labels)).toBe(1);
    const density = model.scoreSamples(irisScaled());
    expect(a.nAnomalies).toBe(8);
    for (const t of a.top) expect(t.score).toBeCloseTo(-density[t.row], 3);
    expect(a.top[0].score).toBeGreaterThanOrEqual(a.top[7].score);
  });

  it("scores a DBSCAN run by the distance to a core sample over eps: the noise rows score above 1", async () => {
    // eps left automatic: the run answers the eps it used, and the refit uses that one.
    const { run: d, a } = await anomaliesOf("dbscan", { minSamples: 10 }, 0.05);
    expect(d.params.eps).toBeGreaterThan(0);
    expect(d.nNoise).toBe(3);
    expect(a.kind).toBe("coreSampleDistance");
    expect(a.description).toMatch(/^distance to the nearest core sample of DBSCAN over eps = /);
    const direct = clusterAnomalyScores(
      new DBSCAN({ eps: d.params.eps as number, minSamples: 10 }).fit(irisScaled()),
      irisScaled(),
    );
    // The flagged count follows the contamination (8 of 150): the 3 noise rows first, above 1.
    expect(a.nAnomalies).toBe(8);
    expect(a.top).toHaveLength(8);
    for (const t of a.top) {
      expect(t.score).toBeCloseTo(direct.scores[t.row], 4);
      expect(t.score > 1, `row ${t.row}`).toBe(d.labels[t.row] === -1);
    }
    expect(a.top.slice(0, 3).map((t) => t.label)).toEqual([-1, -1, -1]);
    expect(a.top.slice(0, 3).map((t) => t.cluster)).toEqual([-1, -1, -1]);
    expect(direct.scores.filter((v) => v > 1)).toHaveLength(3);

    // Another eps, given: more noise than the share flagged, so every flagged row is noise.
    const { run: e, a: b } = await anomaliesOf("dbscan", { eps: 0.6, minSamples: 5 }, 0.1);
    expect(b.kind).toBe("coreSampleDistance");
    expect(e.nNoise).toBe(26);
    expect(b.nAnomalies).toBe(15);
    for (const t of b.top) {
      expect(t.score).toBeGreaterThan(1);
      expect(t.label).toBe(-1);
    }
    const more = await post<AnomaliesResponse>("/api/anomalies", {
      ...features,
      runId: e.runId,
      contamination: 0.2,
      top: 200,
    });
    expect(more.body.nAnomalies).toBe(30);
    expect(more.body.top.filter((t) => t.score > 1)).toHaveLength(26);
    expect(more.body.top.slice(0, 15).map((t) => t.row)).toEqual(b.top.map((t) => t.row));
    // Another contamination reuses the refit's scores (no second refit), with the same description.
    expect(b.scoresReused).toBe(false);
    expect(more.body.scoresReused).toBe(true);
    expect(more.body.description).toBe(b.description);
    expect(more.body.quantiles).toEqual(b.quantiles);
  });

  it("scores a DBSCAN run whose OPTICS-read labels leave border rows as noise, and says how many", async () => {
    // minSamples 5, eps automatic: scikit-learn's cluster_optics_dbscan (the dashboard's DBSCAN)
    // leaves some border rows as noise that DBSCAN puts in a cluster.
    const { run: d, a } = await anomaliesOf("dbscan", { minSamples: 5 }, 0.05);
    const model = new DBSCAN({ eps: d.params.eps as number, minSamples: 5 }).fit(irisScaled());
    let leftAsNoise = 0;
    for (let i = 0; i < 150; i++) {
      if (model.labels[i] < 0) expect(d.labels[i], `row ${i}`).toBe(-1);
      else if (d.labels[i] < 0) leftAsNoise++;
    }
    expect(leftAsNoise).toBeGreaterThan(0);
    expect(a.kind).toBe("coreSampleDistance");
    expect(a.description).toContain(`; ${leftAsNoise} border row`);
    expect(a.description).toMatch(/noise in this run \(read off an OPTICS ordering\) and score at most 1$/);
    const direct = clusterAnomalyScores(model, irisScaled());
    for (const t of a.top) expect(t.score).toBeCloseTo(direct.scores[t.row], 4);
  });

  it("scores an OPTICS run by its core distance", async () => {
    const { run: o, a } = await anomaliesOf("optics", { minSamples: 5 }, 0.05);
    expect(a.kind).toBe("coreDistance");
    const model = new OPTICS({ minSamples: 5 }).fit(irisScaled());
    expect(adjustedRandScore(model.labels, o.labels)).toBe(1);
    for (const t of a.top) expect(t.score).toBeCloseTo(model.coreDistances[t.row], 4);
  });

  it("keeps the centre score, saying why, when a refit does not reproduce the run", async () => {
    // The run clustered the standardised features; these anomalies ask for min-max scaled ones.
    const { a } = await anomaliesOf("hdbscan", { minClusterSize: 5, minSamples: 5 }, 0.05, { scaling: "minmax" });
    expect(a.kind).toBe("relativeCenterDistance");
    expect(a.description).toMatch(/not HDBSCAN's GLOSH score: a refit did not reproduce the run's clusters/);
    expect(a.nAnomalies).toBe(8);
  });

  it("refuses a contamination out of range", async () => {
    const r = await post<{ error: string }>("/api/anomalies", { ...features, runId: run.runId, contamination: 0.7 });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/invalid body.contamination: 0.7 \(must be <= 0.5\)/);
  });
});
