import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { adjustedRandScore, KMeans, StandardScaler } from "@clusterlab/core";
import { readTable, writeTable } from "@clusterlab/lab";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterResult, DatasetDetail, DatasetList, SweepResult, UploadResult } from "../src/api.js";
import { createApp } from "../src/app.js";
import { blobsCsv, IRIS_CSV, IRIS_FEATURES, testApp, upload } from "./helpers.js";

let app: FastifyInstance;
let dataDir: string;
let cleanup: () => Promise<void>;
let scratch: string;

beforeAll(async () => {
  ({ app, dataDir, cleanup } = await testApp());
  scratch = mkdtempSync(join(tmpdir(), "clusterlab-server-files-"));
});
afterAll(async () => {
  await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function cluster(payload: Record<string, unknown>) {
  return app.inject({ method: "POST", url: "/api/cluster", payload });
}

const irisKMeans = { dataset: "iris", columns: IRIS_FEATURES, algorithm: "kmeans" };

describe("GET /api/config and /api/datasets", () => {
  it("reports the upload limit and the dataset to open", async () => {
    const r = await app.inject({ method: "GET", url: "/api/config" });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ maxUploadMb: 100, openDataset: "iris" });
  });

  it("lists the four bundled samples", async () => {
    const r = await app.inject({ method: "GET", url: "/api/datasets" });
    expect(r.statusCode).toBe(200);
    const { datasets } = r.json() as DatasetList;
    expect(datasets.filter((d) => d.kind === "sample").map((d) => d.id)).toEqual([
      "iris",
      "wine",
      "penguins",
      "tips",
      "telco_customers",
    ]);
    for (const d of datasets) expect(d).not.toHaveProperty("path");
  });

  it("describes a dataset: columns with types, row count, preview; target-like columns not suggested", async () => {
    const r = await app.inject({ method: "GET", url: "/api/datasets/iris" });
    expect(r.statusCode).toBe(200);
    const d = r.json() as DatasetDetail;
    expect(d.nRows).toBe(150);
    expect(d.columns.map((c) => [c.name, c.numeric, c.suggested])).toEqual([
      ["sepal_length_cm", true, true],
      ["sepal_width_cm", true, true],
      ["petal_length_cm", true, true],
      ["petal_width_cm", true, true],
      ["target", true, false],
      ["target_name", false, false],
    ]);
    expect(d.columns[0].type).toBe("DOUBLE");
    expect(d.preview).toHaveLength(10);
    expect(d.preview[0]).toEqual([5.1, 3.5, 1.4, 0.2, 0, "setosa"]);
  });

  it("counts missing values (penguins)", async () => {
    const d = (await app.inject({ method: "GET", url: "/api/datasets/penguins" })).json() as DatasetDetail;
    const bill = d.columns.find((c) => c.name === "bill_length_mm")!;
    expect(bill.missing).toBe(2);
    expect(d.columns.find((c) => c.name === "year")!.suggested).toBe(false);
  });

  it("answers 404 for an unknown dataset, also for path-like ids", async () => {
    for (const id of ["nope", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "iris.csv"]) {
      const r = await app.inject({ method: "GET", url: `/api/datasets/${id}` });
      expect(r.statusCode).toBe(404);
      expect(r.json().error).toMatch(/^unknown dataset: /);
    }
  });
});

describe("POST /api/cluster", () => {
  it("k-means on iris: labels, sizes, metrics, projection, silhouette, profile", async () => {
    const r = await cluster({ ...irisKMeans, params: { k: 3 } });
    expect(r.statusCode).toBe(200);
    const res = r.json() as ClusterResult;
    expect(res.k).toBe(3);
    expect(res.params).toEqual({ k: 3 });
    expect(res.scaling).toBe("standard");
    expect(res.labels).toHaveLength(150);
    expect(res.sizes.reduce((a, b) => a + b, 0)).toBe(150);
    expect(res.metrics.silhouette).toBeGreaterThan(0.4);
    expect(res.metrics.calinskiHarabasz).toBeGreaterThan(100);
    expect(res.metrics.daviesBouldin).toBeGreaterThan(0);
    expect(res.metrics.inertia).toBeGreaterThan(0);
    expect(res.metrics.bic).toBeNull();
    // Same clustering as the library's own k-means on standardised features.
    const table = await readTable(IRIS_CSV);
    const X = {
      rows: 150,
      cols: 4,
      data: Float64Array.from({ length: 600 }, (_, i) => {
        const col = table.columns[i % 4];
        return col.values[Math.floor(i / 4)] as number;
      }),
    };
    const Xs = new StandardScaler().fit(X).transform(X);
    const direct = new KMeans({ nClusters: 3, seed: 0 }).fit(Xs);
    expect(Array.from(direct.labels)).toEqual(res.labels);
    expect(res.metrics.inertia).toBeCloseTo(direct.inertia, 8);
    // PCA view of every row, with the raw values for the hover.
    const p = res.projection;
    expect(p.x).toHaveLength(150);
    expect(p.sampled).toBe(false);
    expect(p.values[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(p.row.slice(0, 3)).toEqual([0, 1, 2]);
    expect(p.explainedVarianceRatio[0]).toBeCloseTo(0.7296, 3);
    expect(p.centroids.x.every((v) => typeof v === "number")).toBe(true);
    // Silhouette plot: every row, sorted decreasing within each cluster, means consistent.
    const s = res.silhouette!;
    expect(s.perCluster.map((v) => v.length)).toEqual(res.sizes);
    for (const values of s.perCluster) {
      for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    }
    const all = s.perCluster.flat();
    expect(all.reduce((a, b) => a + b, 0) / all.length).toBeCloseTo(res.metrics.silhouette!, 10);
    // Profile: raw means and z-scores per cluster.
    expect(res.profile.columns).toEqual(IRIS_FEATURES);
    expect(res.profile.means).toHaveLength(3);
    const setosa = res.labels[0];
    expect(res.profile.means[setosa][2]).toBeLessThan(2); // petal length of setosa
    expect(res.profile.z[setosa][2]).toBeLessThan(-1);
    expect(res.dendrogram).toBeNull();
    expect(res.runId).toMatch(/^r-[0-9a-f]{16}$/);
  });

  it("runs every algorithm; agglomerative returns a dendrogram coloured by cluster", async () => {
    for (const algorithm of ["minibatch-kmeans", "bisecting-kmeans", "gmm", "agglomerative"]) {
      const r = await cluster({ ...irisKMeans, algorithm, params: { k: 4 } });
      expect(r.statusCode, algorithm).toBe(200);
      const res = r.json() as ClusterResult;
      expect(res.k).toBe(4);
      expect(res.sizes.reduce((a, b) => a + b, 0)).toBe(150);
      expect(res.metrics.inertia === null).toBe(algorithm === "gmm" || algorithm === "agglomerative");
      expect(res.metrics.bic === null).toBe(algorithm !== "gmm");
      if (algorithm === "agglomerative") {
        const d = res.dendrogram!;
        expect(d.ivl).toHaveLength(30);
        expect(d.icoord).toHaveLength(29);
        expect(new Set(d.linkClusters.filter((c) => c >= 0))).toEqual(new Set([0, 1, 2, 3]));
        // The k - 1 merges above the cut are grey (-1).
        expect(d.linkClusters.filter((c) => c === -1)).toHaveLength(3);
        // Collapsed leaves add up to every row; each leaf's cluster matches the labels' sizes.
        const leafRows = d.ivl.map((l) => (l.startsWith("(") ? Number(l.slice(1, -1)) : 1));
        expect(leafRows.reduce((a, b) => a + b, 0)).toBe(150);
        const perCluster = [0, 0, 0, 0];
        d.leafClusters.forEach((c, i) => {
          perCluster[c] += leafRows[i];
        });
        expect(perCluster).toEqual(res.sizes);
        expect(Math.max(...d.dcoord.flat())).toBeGreaterThan(d.cutHeight);
      } else {
        expect(res.dendrogram).toBeNull();
      }
    }
  });

  it("honours linkage, covariance type, scaling and seed", async () => {
    const a = (await cluster({
      ...irisKMeans,
      algorithm: "agglomerative",
      params: { k: 3, linkage: "average" },
    })) as { json: () => ClusterResult };
    expect(a.json().params.linkage).toBe("average");
    const g = (await cluster({
      ...irisKMeans,
      algorithm: "gmm",
      params: { k: 3, covarianceType: "diag" },
      scaling: "minmax",
      seed: 7,
    })) as { json: () => ClusterResult };
    expect(g.json()).toMatchObject({ scaling: "minmax", seed: 7, params: { covarianceType: "diag" } });
  });

  it("drops rows with missing values and says so (penguins)", async () => {
    const r = await cluster({
      dataset: "penguins",
      columns: ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"],
      algorithm: "kmeans",
      params: { k: 3 },
    });
    expect(r.statusCode).toBe(200);
    const res = r.json() as ClusterResult;
    expect(res.rowsDropped).toBe(2);
    expect(res.nRows).toBe(342);
    expect(res.labels).toHaveLength(342);
    expect(res.warnings[0]).toMatch(/2 of 344 rows have missing values/);
    // Rows of the displayed points are file rows (row 3 of penguins is the first dropped one).
    expect(res.projection.row).not.toContain(3);
    expect(res.projection.row).toContain(4);
  });

  it("runs concurrent requests independently", async () => {
    const ks = [2, 3, 4, 5, 6];
    const results = await Promise.all(ks.map((k) => cluster({ ...irisKMeans, params: { k } })));
    results.forEach((r, i) => {
      expect(r.statusCode).toBe(200);
      expect((r.json() as ClusterResult).sizes).toHaveLength(ks[i]);
    });
  });

  it.each([
    [{ ...irisKMeans, algorithm: "kmeanz" }, 400, /^invalid body\.algorithm: "kmeanz" \(must be one of kmeans, /],
    [{ ...irisKMeans, params: { k: 1 } }, 400, /^invalid body\.params\.k: 1 \(must be >= 2\)$/],
    [{ ...irisKMeans, params: { k: 51 } }, 400, /^invalid body\.params\.k: 51 \(must be <= 50\)$/],
    [{ ...irisKMeans, params: { k: 2.5 } }, 400, /^invalid body\.params\.k: 2\.5 \(must be integer\)$/],
    [{ ...irisKMeans, params: { k: "3" } }, 400, /^invalid body\.params\.k: "3" \(must be integer\)$/],
    [{ ...irisKMeans, params: { linkage: "ward", epsilon: 1 } }, 400, /^unknown field body\.params\.epsilon$/],
    [{ ...irisKMeans, scaling: "log" }, 400, /^invalid body\.scaling: "log" \(must be one of standard, /],
    [{ ...irisKMeans, seed: -1 }, 400, /^invalid body\.seed: -1 \(must be >= 0\)$/],
    [{ ...irisKMeans, columns: [] }, 400, /^invalid body\.columns: \[\] \(must NOT have fewer than 1 items\)$/],
    [{ ...irisKMeans, columns: ["a", "a"] }, 400, /^invalid body\.columns: /],
    [{ ...irisKMeans, extra: true }, 400, /^unknown field body\.extra$/],
    [{ dataset: "iris", algorithm: "kmeans" }, 400, /^missing body\.columns$/],
    [{ ...irisKMeans, dataset: "nope" }, 404, /^unknown dataset: "nope"$/],
    [
      { ...irisKMeans, columns: ["petal_length_cm", "nope"] },
      400,
      /^invalid body\.columns: unknown column "nope" in iris/,
    ],
    [
      { ...irisKMeans, columns: ["target_name"] },
      400,
      /^invalid body\.columns: column "target_name" in iris is not numeric/,
    ],
  ])("rejects %j with %i", async (payload, status, message) => {
    const r = await cluster(payload as Record<string, unknown>);
    expect(r.statusCode).toBe(status);
    expect(r.json().error).toMatch(message);
  });

  it("rejects a body that is not JSON and keeps serving", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/cluster",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(r.statusCode).toBe(400);
    expect(typeof r.json().error).toBe("string");
    expect((await app.inject({ method: "GET", url: "/api/datasets" })).statusCode).toBe(200);
  });
});

describe("POST /api/sweep", () => {
  it("scores k = 2..12 on iris and suggests k", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/sweep",
      payload: { dataset: "iris", columns: IRIS_FEATURES },
    });
    expect(r.statusCode).toBe(200);
    const s = r.json() as SweepResult;
    expect(s.ks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(s.inertia).toHaveLength(11);
    expect(s.silhouette.every((v) => v !== null && v > 0)).toBe(true);
    expect(s.calinskiHarabasz).toHaveLength(11);
    expect(s.daviesBouldin).toHaveLength(11);
    expect(s.suggestion.k).toBe(2);
    expect(s.suggestion.by).toBe("silhouette");
    expect(s.suggestion.reason).toMatch(/silhouette/);
    expect(s.elbow === null || (s.elbow >= 2 && s.elbow <= 12)).toBe(true);
    expect(s.nRows).toBe(150);
  });

  it("rejects kMax < kMin and out-of-range k", async () => {
    let r = await app.inject({
      method: "POST",
      url: "/api/sweep",
      payload: { dataset: "iris", columns: IRIS_FEATURES, kMin: 6, kMax: 3 },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe("invalid body.kMax: 3 (must be >= body.kMin = 6)");
    r = await app.inject({
      method: "POST",
      url: "/api/sweep",
      payload: { dataset: "iris", columns: IRIS_FEATURES, kMax: 99 },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe("invalid body.kMax: 99 (must be <= 20)");
  });
});

describe("POST /api/datasets (upload)", () => {
  it("stores a CSV under a generated name, lists it, clusters it and writes the labelled CSV", async () => {
    const r = await upload(app, "blobs.csv", blobsCsv());
    expect(r.statusCode).toBe(201);
    const { dataset } = r.json() as UploadResult;
    expect(dataset.id).toMatch(/^u-[0-9a-f]{16}$/);
    expect(dataset).toMatchObject({ name: "blobs.csv", kind: "upload", format: "csv", nRows: 60 });
    expect(dataset.columns.map((c) => [c.name, c.suggested])).toEqual([
      ["id", false],
      ["x", true],
      ["y", true],
      ["z", true],
      ["group", false],
    ]);
    expect(readdirSync(join(dataDir, "uploads")).sort()).toEqual([`${dataset.id}.csv`, `${dataset.id}.json`]);
    const list = (await app.inject({ method: "GET", url: "/api/datasets" })).json() as DatasetList;
    expect(list.datasets.map((d) => d.id)).toContain(dataset.id);

    const c = await cluster({ dataset: dataset.id, columns: ["x", "y", "z"], algorithm: "kmeans", params: { k: 3 } });
    expect(c.statusCode).toBe(200);
    const res = c.json() as ClusterResult;
    expect(res.sizes.sort()).toEqual([20, 20, 20]);
    const truth = Array.from({ length: 60 }, (_, i) => Math.floor(i / 20));
    expect(adjustedRandScore(truth, res.labels)).toBe(1);

    const csv = await app.inject({ method: "GET", url: `/api/runs/${res.runId}/labelled.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="blobs-clusters.csv"');
    const lines = csv.body.trim().split("\n");
    expect(lines[0]).toBe("id,x,y,z,group,cluster");
    expect(lines).toHaveLength(61);
    expect(lines.slice(1).map((l) => Number(l.split(",")[5]))).toEqual(res.labels);
    expect(readdirSync(join(dataDir, "tmp"))).toEqual([]);
  });

  it("rejects k larger than the number of rows of an upload", async () => {
    const { dataset } = (await upload(app, "tiny.csv", "a,b\n1,2\n3,4\n5,7\n")).json() as UploadResult;
    const r = await cluster({ dataset: dataset.id, columns: ["a", "b"], algorithm: "kmeans", params: { k: 4 } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe("invalid body.params.k: 4 (must be <= the number of rows, 3)");
  });

  it("accepts TSV, JSON and Parquet", async () => {
    const tsv = await upload(app, "t.tsv", "a\tb\n1\t2\n3\t4\n");
    expect(tsv.statusCode).toBe(201);
    expect((tsv.json() as UploadResult).dataset.columns.map((c) => c.name)).toEqual(["a", "b"]);
    const json = await upload(
      app,
      "t.json",
      JSON.stringify([
        { a: 1, b: 2 },
        { a: 3, b: 5 },
      ]),
    );
    expect(json.statusCode).toBe(201);
    expect((json.json() as UploadResult).dataset).toMatchObject({ format: "json", nRows: 2 });
    const parquetPath = join(scratch, "iris.parquet");
    await writeTable(parquetPath, await readTable(IRIS_CSV));
    const pq = await upload(app, "iris.parquet", readFileSync(parquetPath));
    expect(pq.statusCode).toBe(201);
    expect((pq.json() as UploadResult).dataset).toMatchObject({ format: "parquet", nRows: 150 });
  });

  it("never uses the uploaded name as a path", async () => {
    const before = readdirSync(join(dataDir, "uploads")).length;
    for (const name of ["../../escape.csv", "..\\..\\escape.csv", "/etc/passwd.csv", "a/../../b.csv"]) {
      const r = await upload(app, name, "a,b\n1,2\n3,4\n");
      expect(r.statusCode).toBe(201);
      const { dataset } = r.json() as UploadResult;
      expect(dataset.name).not.toMatch(/[\\/]/);
      expect(existsSync(join(dataDir, "uploads", `${dataset.id}.csv`))).toBe(true);
    }
    const files = readdirSync(join(dataDir, "uploads"));
    expect(files.filter((f) => !/^u-[0-9a-f]{16}\.(csv|tsv|json|parquet)$/.test(f))).toEqual([]);
    expect(readdirSync(join(dataDir, "uploads")).length).toBe(before + 8);
    expect(existsSync(join(dataDir, "..", "escape.csv"))).toBe(false);
    expect(existsSync(join(dataDir, "escape.csv"))).toBe(false);
  });

  it("rejects a malformed CSV with the line at fault and keeps no file", async () => {
    const before = readdirSync(join(dataDir, "uploads")).sort();
    const r = await upload(app, "bad.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n");
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe('malformed row in bad.csv: line 3 has 2 fields, expected 3 ("4,5")');
    expect(readdirSync(join(dataDir, "uploads")).sort()).toEqual(before);
  });

  it("rejects an empty body, an unknown type, a missing name and a multipart form", async () => {
    let r = await upload(app, "e.csv", "");
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe("empty file: e.csv (no data was received)");
    r = await upload(app, "sheet.xlsx", "PK");
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^unsupported file type: sheet\.xlsx \(expected \.csv/);
    r = await app.inject({ method: "POST", url: "/api/datasets", payload: "a\n1\n" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe("missing querystring.name");
    r = await app.inject({
      method: "POST",
      url: "/api/datasets?name=x.csv",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      payload: "--x--",
    });
    expect(r.statusCode).toBe(415);
    expect(r.json().error).toMatch(/not as a multipart form/);
  });
});

describe("upload size limit", () => {
  let small: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    small = await testApp({ maxUploadMb: 0.001 }); // 1049 bytes
  });
  afterAll(() => small.cleanup());

  const big = `a,b\n${"1,2\n".repeat(1000)}`;

  it("answers 413 with a clear message when Content-Length is over the limit", async () => {
    const r = await upload(small.app, "big.csv", big);
    expect(r.statusCode).toBe(413);
    expect(r.json().error).toBe("file too large: big.csv is over the 0.001 MB upload limit");
    expect(readdirSync(join(small.dataDir, "uploads"))).toEqual([]);
  });

  it("answers 413 when a streamed body without Content-Length passes the limit, then keeps serving", async () => {
    const r = await small.app.inject({
      method: "POST",
      url: "/api/datasets?name=stream.csv",
      headers: { "content-type": "application/octet-stream" },
      payload: Readable.from([Buffer.from(big.slice(0, 2000)), Buffer.from(big.slice(2000))]),
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().error).toMatch(/^file too large: stream\.csv is over the 0\.001 MB upload limit/);
    expect(readdirSync(join(small.dataDir, "uploads"))).toEqual([]);
    const ok = await upload(small.app, "ok.csv", "a,b\n1,2\n");
    expect(ok.statusCode).toBe(201);
  });
});

describe("restart", () => {
  it("lists earlier uploads again and drops partial files", async () => {
    const first = await testApp();
    const { dataset } = (await upload(first.app, "kept.csv", "a,b\n1,2\n3,4\n")).json() as UploadResult;
    await first.app.close();
    writeFileSync(join(first.dataDir, "uploads", "u-0123456789abcdef.csv.part"), "a,b\n1");
    const again = await createApp({ dataDir: first.dataDir, workers: 1 });
    try {
      const list = (await again.inject({ method: "GET", url: "/api/datasets" })).json() as DatasetList;
      expect(list.datasets.find((d) => d.id === dataset.id)).toMatchObject({ name: "kept.csv", kind: "upload" });
      const detail = (
        await again.inject({ method: "GET", url: `/api/datasets/${dataset.id}` })
      ).json() as DatasetDetail;
      expect(detail.nRows).toBe(2);
      expect(readdirSync(join(first.dataDir, "uploads")).some((f) => f.endsWith(".part"))).toBe(false);
    } finally {
      await again.close();
      await first.cleanup();
    }
  });
});

describe("runs, static files and unknown routes", () => {
  it("answers 404 for an unknown run and an unknown endpoint", async () => {
    let r = await app.inject({ method: "GET", url: "/api/runs/r-0000000000000000/labelled.csv" });
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toMatch(/^unknown run: "r-0000000000000000"/);
    r = await app.inject({ method: "GET", url: "/api/nothing" });
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toBe("no such endpoint: GET /api/nothing");
  });

  it("writes the labelled CSV with an empty cluster for rows that were dropped", async () => {
    const res = (
      await cluster({
        dataset: "penguins",
        columns: ["bill_length_mm", "bill_depth_mm"],
        algorithm: "kmeans",
        params: { k: 2 },
      })
    ).json() as ClusterResult;
    const csv = await app.inject({ method: "GET", url: `/api/runs/${res.runId}/labelled.csv` });
    const lines = csv.body.trim().split("\n");
    expect(lines).toHaveLength(345);
    expect(lines[0].endsWith(",cluster")).toBe(true);
    expect(lines[4].endsWith(",")).toBe(true); // file row 3: missing measurements
    expect(lines[1]).toMatch(/,[01]$/);
  });

  it("serves the dashboard and never a file outside it", async () => {
    const index = await app.inject({ method: "GET", url: "/" });
    expect(index.statusCode).toBe(200);
    expect(index.headers["content-type"]).toMatch(/^text\/html/);
    expect(index.body).toMatch(/Clusterlab/);
    for (const url of ["/%2e%2e/package.json", "/..%2f..%2fpackage.json", "/assets/..%2f..%2f..%2fpackage.json"]) {
      const r = await app.inject({ method: "GET", url });
      expect(r.body).not.toMatch(/"name": "@clusterlab/);
    }
  });
});
