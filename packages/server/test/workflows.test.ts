/**
 * The workflow endpoints (`/api/workflows/...`) through `app.inject`: each workflow on its bundled
 * example, uploads, and bad input answered with a clear 4xx.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readImage } from "@clusterlab/lab";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  AnomalyResult,
  ImageSegmentResult,
  RfmResult,
  SocialResult,
  TextClusterResult,
  WorkflowImage,
  WorkflowSampleList,
} from "../src/apiWorkflows.js";
import { encodePng } from "../src/pngEncode.js";
import { previewText, spreadSample } from "../src/workflowRoutes.js";
import { testApp, upload } from "./helpers.js";

let app: FastifyInstance;
let dataDir: string;
let cleanup: () => Promise<void>;
let scratch: string;

beforeAll(async () => {
  ({ app, dataDir, cleanup } = await testApp());
  scratch = mkdtempSync(join(tmpdir(), "clusterlab-workflow-files-"));
});
afterAll(async () => {
  await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function post(url: string, payload: Record<string, unknown>) {
  return app.inject({ method: "POST", url, payload });
}

function uploadImage(name: string, body: Buffer | string) {
  return app.inject({
    method: "POST",
    url: `/api/workflows/images?name=${encodeURIComponent(name)}`,
    headers: { "content-type": "application/octet-stream" },
    payload: body,
  });
}

/** Decodes a PNG data URL with sharp (through lab's readImage) and counts its distinct colours. */
async function decode(dataUrl: string, name: string) {
  expect(dataUrl.startsWith("data:image/png;base64,")).toBe(true);
  const path = join(scratch, name);
  writeFileSync(path, Buffer.from(dataUrl.slice("data:image/png;base64,".length), "base64"));
  const image = await readImage(path);
  const colours = new Set<number>();
  for (let i = 0; i < image.data.length; i += image.channels) {
    colours.add((image.data[i] << 16) | (image.data[i + 1] << 8) | image.data[i + 2]);
  }
  return { image, colours: colours.size };
}

describe("helpers", () => {
  it("previewText collapses whitespace and cuts with an ellipsis", () => {
    expect(previewText("a\n\n b   c", 20)).toBe("a b c");
    expect(previewText("abcdefghij", 5)).toBe("abcd…");
    expect(previewText(null, 5)).toBe("");
  });

  it("spreadSample keeps everything under the cap, else n distinct indices in order", () => {
    expect(spreadSample(3, 5)).toEqual([0, 1, 2]);
    const s = spreadSample(10, 4);
    expect(s).toEqual([0, 2, 5, 7]);
  });

  it("encodePng writes a PNG that sharp reads back pixel for pixel", async () => {
    const data = new Uint8Array(5 * 3 * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
    const path = join(scratch, "small.png");
    writeFileSync(path, encodePng({ width: 5, height: 3, channels: 3, data }));
    const back = await readImage(path);
    expect([back.width, back.height, back.channels]).toEqual([5, 3, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });
});

describe("GET /api/workflows/samples", () => {
  it("lists one bundled example per workflow, with columns and suggested settings", async () => {
    const r = await app.inject({ method: "GET", url: "/api/workflows/samples" });
    expect(r.statusCode).toBe(200);
    const list = r.json() as WorkflowSampleList;
    expect(list.samples.map((s) => [s.id, s.workflow])).toEqual([
      ["coffee", "image"],
      ["spam_assassin_subset", "text"],
      ["transactions_synthetic", "rfm"],
      ["social_posts_synthetic", "social"],
      ["wine_outliers", "anomalies"],
    ]);
    const coffee = list.samples[0];
    expect([coffee.width, coffee.height]).toEqual([600, 400]);
    const spam = list.samples[1];
    expect(spam.nRows).toBe(1350);
    expect(spam.columns.map((c) => c.name)).toEqual(["msg_id", "group", "label", "subject", "body"]);
    expect(spam.defaults.textColumns).toEqual(["subject", "body"]);
    expect(list.samples[4].defaults.labelColumn).toBe("is_outlier");
    expect(JSON.stringify(list)).not.toContain("examples/data");
  });
});

describe("image segmentation", () => {
  it("segments the bundled image: k colours, palette shares summing to 1, same size as the original", async () => {
    const r = await post("/api/workflows/image", { image: "coffee", k: 4, jobId: "wf-image-test-1" });
    expect(r.statusCode).toBe(200);
    const seg = r.json() as ImageSegmentResult;
    expect(seg.k).toBe(4);
    expect(seg.palette).toHaveLength(4);
    expect(seg.palette.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 9);
    expect(seg.palette.map((p) => p.share)).toEqual([...seg.palette.map((p) => p.share)].sort((a, b) => b - a));
    expect(seg.pixels).toBe(240_000);
    expect(seg.sampleSize).toBeLessThan(seg.pixels);
    expect(seg.cached).toBe(false);
    expect(seg.segmentSeconds).toBeGreaterThan(0);
    expect(seg.segmentSeconds).toBeLessThanOrEqual(seg.seconds);
    const segmented = await decode(seg.segmented, "seg.png");
    expect([segmented.image.width, segmented.image.height]).toEqual([600, 400]);
    expect(segmented.colours).toBe(4);
    const mask = await decode(seg.mask, "mask.png");
    expect(mask.colours).toBe(4);
    const overlay = await decode(seg.overlay, "overlay.png");
    expect(overlay.colours).toBeGreaterThan(1000);
    // The job is listed with its final state.
    const job = await app.inject({ method: "GET", url: "/api/jobs/wf-image-test-1" });
    expect(job.json()).toMatchObject({ state: "done", kind: "workflow-image" });
  });

  it("answers a repeated request from the cache and another k with another palette", async () => {
    const again = (await post("/api/workflows/image", { image: "coffee", k: 4 })).json() as ImageSegmentResult;
    expect(again.cached).toBe(true);
    const six = (await post("/api/workflows/image", { image: "coffee", k: 6, space: "rgb", spatial: 0.5 })).json();
    expect(six.palette).toHaveLength(6);
    expect(six.space).toBe("rgb");
    expect(six.spatial).toBe(0.5);
    expect(six.segmented).not.toBe(again.segmented);
  });

  it("serves the original image", async () => {
    const r = await app.inject({ method: "GET", url: "/api/workflows/images/coffee/original" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("image/png");
    expect(r.rawPayload.subarray(1, 4).toString()).toBe("PNG");
  });

  it("accepts an uploaded PNG, stored under the data directory with a generated name", async () => {
    const w = 40;
    const h = 20;
    const data = new Uint8Array(w * h * 3);
    for (let p = 0; p < w * h; p++) {
      const left = p % w < w / 2;
      data.set(left ? [200, 30, 30] : [20, 40, 220], p * 3);
    }
    const r = await uploadImage("../../two colours.png", encodePng({ width: w, height: h, channels: 3, data }));
    expect(r.statusCode).toBe(201);
    const image = r.json() as WorkflowImage;
    expect(image).toMatchObject({ name: "two colours.png", width: 40, height: 20, format: "png" });
    expect(image.id).toMatch(/^img-[0-9a-f]{16}$/);
    expect(readdirSync(join(dataDir, "images")).sort()).toEqual([`${image.id}.json`, `${image.id}.png`]);
    const seg = (await post("/api/workflows/image", { image: image.id, k: 2 })).json() as ImageSegmentResult;
    expect(seg.palette.map((p) => p.hex).sort()).toEqual(["#1428dc", "#c81e1e"]);
    expect(seg.palette.map((p) => p.share)).toEqual([0.5, 0.5]);
    const info = await app.inject({ method: "GET", url: `/api/workflows/images/${image.id}` });
    expect(info.json()).toMatchObject({ id: image.id, width: 40 });
    const list = await app.inject({ method: "GET", url: "/api/workflows/images" });
    expect(list.json().images.map((i: WorkflowImage) => i.id)).toContain(image.id);
  });

  it("lowers k to the distinct colours, with a warning", async () => {
    const data = new Uint8Array(10 * 10 * 3).fill(90);
    const image = (await uploadImage("grey.png", encodePng({ width: 10, height: 10, channels: 3, data }))).json();
    const seg = (await post("/api/workflows/image", { image: image.id, k: 5 })).json() as ImageSegmentResult;
    expect(seg.k).toBe(1);
    expect(seg.warnings.join(" ")).toContain("distinct colours");
  });

  it("answers a file that is not an image with a clear 400, and keeps nothing", async () => {
    const before = readdirSync(join(dataDir, "images")).length;
    const r = await uploadImage("notes.png", "this is not an image\n");
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^not an image: notes\.png could not be read as JPEG, PNG or WebP/);
    expect(r.json().error).not.toContain(dataDir);
    expect(readdirSync(join(dataDir, "images")).length).toBe(before);
    const empty = await uploadImage("empty.png", "");
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toContain("empty file");
  });

  it("refuses an image over the size limit, bad k and unknown images", async () => {
    const big = await app.inject({
      method: "POST",
      url: "/api/workflows/images?name=big.png",
      headers: { "content-type": "application/octet-stream", "content-length": String(26 * 1048576) },
      payload: "x",
    });
    expect(big.statusCode).toBe(413);
    const k1 = await post("/api/workflows/image", { image: "coffee", k: 1 });
    expect(k1.statusCode).toBe(400);
    expect(k1.json().error).toContain("body.k");
    const unknown = await post("/api/workflows/image", { image: "img-0000000000000000", k: 3 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toContain("unknown image");
    const traversal = await app.inject({ method: "GET", url: "/api/workflows/images/..%2F..%2Fetc/original" });
    expect(traversal.statusCode).toBe(400);
  });
});

describe("documents by topic", () => {
  it("clusters the bundled e-mails: top terms, representatives, the map and external metrics", async () => {
    const r = await post("/api/workflows/text", {
      dataset: "spam_assassin_subset",
      textColumns: ["subject", "body"],
      labelColumn: "group",
      k: 8,
    });
    expect(r.statusCode).toBe(200);
    const t = r.json() as TextClusterResult;
    expect(t.nDocuments).toBe(1350);
    expect(t.nClusters).toBe(8);
    expect(t.clusters).toHaveLength(8);
    expect(t.clusters.reduce((a, c) => a + c.size, 0)).toBe(1350 - t.nEmpty);
    for (const c of t.clusters) {
      expect(c.topTerms).toHaveLength(10);
      expect(c.representatives.length).toBeGreaterThan(0);
      expect(c.representatives[0].preview.length).toBeGreaterThan(10);
      expect(c.representatives[0].label).toMatch(/^(easy-ham-1|hard-ham-1|spam-1)$/);
    }
    // As documented in docs/workflows.md (k = 8, seed 0): ARI 0.241, NMI 0.332.
    expect(t.external?.adjustedRandIndex).toBeCloseTo(0.241, 2);
    expect(t.external?.normalizedMutualInfo).toBeCloseTo(0.332, 2);
    expect(t.external?.contingency.classes).toEqual(["easy-ham-1", "hard-ham-1", "spam-1"]);
    expect(t.map.x).toHaveLength(1350 - t.nEmpty);
    expect(t.map.label).toHaveLength(t.map.x.length);
    expect(new Set(t.map.cluster).size).toBe(8);
  });

  it("answers an empty text column, a numeric one and unknown columns with a 400 naming the field", async () => {
    const csv = "id,body,score\n1,,3\n2,  ,4\n3,,5\n";
    const up = await upload(app, "blank.csv", csv);
    expect(up.statusCode).toBe(201);
    const id = up.json().dataset.id as string;
    const empty = await post("/api/workflows/text", { dataset: id, textColumns: ["body"], k: 2 });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe(
      'invalid body.textColumns: text column "body" in blank.csv is empty (no row has any text)',
    );
    const numeric = await post("/api/workflows/text", { dataset: id, textColumns: ["score"], k: 2 });
    expect(numeric.statusCode).toBe(400);
    expect(numeric.json().error).toContain("is numeric");
    const missing = await post("/api/workflows/text", { dataset: id, textColumns: ["nope"], k: 2 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toContain("body.textColumns");
    const noColumns = await post("/api/workflows/text", { dataset: id, textColumns: [] });
    expect(noColumns.statusCode).toBe(400);
    const label = await post("/api/workflows/text", {
      dataset: "spam_assassin_subset",
      textColumns: ["subject"],
      labelColumn: "nope",
    });
    expect(label.statusCode).toBe(400);
    expect(label.json().error).toContain("body.labelColumn");
    const unknown = await post("/api/workflows/text", { dataset: "u-0000000000000000", textColumns: ["body"] });
    expect(unknown.statusCode).toBe(404);
  });
});

describe("customers (RFM)", () => {
  it("scores, segments and clusters the bundled transactions, and downloads the per-customer table", async () => {
    const r = await post("/api/workflows/rfm", {
      dataset: "transactions_synthetic",
      customerId: "customer_id",
      date: "order_date",
      amount: "amount",
      orderId: "order_id",
      k: 4,
    });
    expect(r.statusCode).toBe(200);
    const rfm = r.json() as RfmResult;
    expect(rfm.nCustomers).toBe(467);
    expect(rfm.nRows).toBe(5000);
    expect(rfm.segments.reduce((a, s) => a + s.count, 0)).toBe(467);
    expect(rfm.clustering.k).toBe(4);
    expect(rfm.clustering.chosenBy).toBe("user");
    expect(rfm.clustering.profiles.map((p) => p.name).every((n) => n.length > 0)).toBe(true);
    expect(rfm.comparison.counts.flat().reduce((a, b) => a + b, 0)).toBe(467);
    expect(rfm.comparison.ari).toBeGreaterThan(0);
    expect(rfm.comparison.ari).toBeLessThan(1);
    expect(rfm.scoreGrid.flat().reduce((a, b) => a + b, 0)).toBe(467);
    expect(rfm.points.recency).toHaveLength(467);
    expect(rfm.preview.columns).toContain("segment");
    const csv = await app.inject({ method: "GET", url: `/api/workflows/rfm/${rfm.resultId}/customers.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toContain("transactions_synthetic-customers.csv");
    const lines = csv.body.trim().split("\n");
    expect(lines).toHaveLength(468);
    expect(lines[0]).toContain("recency,frequency,monetary");
    expect(lines[0]).toContain("r_score,f_score,m_score");
    expect(lines[0]).toContain("segment,cluster,cluster_name");
    // Nothing left behind in the temporary folder.
    expect(readdirSync(join(dataDir, "tmp"))).toEqual([]);
  });

  it("chooses k by silhouette when none is given", async () => {
    const rfm = (
      await post("/api/workflows/rfm", {
        dataset: "transactions_synthetic",
        customerId: "customer_id",
        date: "order_date",
        amount: "amount",
        asOf: "2024-01-01",
      })
    ).json() as RfmResult;
    expect(rfm.clustering.chosenBy).not.toBe("user");
    expect(rfm.clustering.sweep?.length).toBeGreaterThan(1);
    expect(rfm.asOf).toBe("2024-01-01");
    expect(rfm.asOfDefault).toBe(false);
  });

  it("answers negative amounts, unparseable dates and missing columns with a clear 400", async () => {
    const negative = await upload(
      app,
      "negative.csv",
      "customer,date,amount\nA,2024-01-01,10\nB,2024-01-02,-5\nC,2024-01-03,7\n",
    );
    const neg = await post("/api/workflows/rfm", {
      dataset: negative.json().dataset.id,
      customerId: "customer",
      date: "date",
      amount: "amount",
    });
    expect(neg.statusCode).toBe(400);
    expect(neg.json().error).toMatch(/amount column "amount" has 1 negative value/);
    expect(neg.json().error).not.toContain(dataDir);
    const dates = await upload(
      app,
      "dates.csv",
      "customer,date,amount\nA,2024-01-01,10\nB,yesterday,5\nC,2024-01-03,7\n",
    );
    const bad = await post("/api/workflows/rfm", {
      dataset: dates.json().dataset.id,
      customerId: "customer",
      date: "date",
      amount: "amount",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/date/);
    expect(bad.json().error).toMatch(/yesterday|not a date|unparseable|VARCHAR/);
    const missing = await post("/api/workflows/rfm", {
      dataset: "transactions_synthetic",
      customerId: "client",
      date: "order_date",
      amount: "amount",
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toContain("client");
    const asOf = await post("/api/workflows/rfm", {
      dataset: "transactions_synthetic",
      customerId: "customer_id",
      date: "order_date",
      amount: "amount",
      asOf: "2024-13-45",
    });
    expect(asOf.statusCode).toBe(400);
    expect(asOf.json().error).toContain("asOf");
    const badK = await post("/api/workflows/rfm", {
      dataset: "transactions_synthetic",
      customerId: "customer_id",
      date: "order_date",
      amount: "amount",
      k: 0,
    });
    expect(badK.statusCode).toBe(400);
    const unknown = await app.inject({ method: "GET", url: "/api/workflows/rfm/rfm-00/customers.csv" });
    expect(unknown.statusCode).toBe(404);
  });
});

describe("social media", () => {
  it("clusters the bundled accounts and posts and says what works", async () => {
    const r = await post("/api/workflows/social", { dataset: "social_posts_synthetic", accountK: 5, postK: 4 });
    expect(r.statusCode).toBe(200);
    const s = r.json() as SocialResult;
    expect(s.nPosts).toBe(3000);
    expect(s.nAccounts).toBe(25);
    expect(s.accounts.k).toBe(5);
    expect(s.accounts.profiles.reduce((a, p) => a + p.size, 0)).toBe(25);
    expect(s.posts.k).toBe(4);
    expect(s.posts.profiles.reduce((a, p) => a + p.size, 0)).toBe(3000);
    expect(s.comparison?.segmentColumn).toBe("account_segment");
    expect(s.comparison?.ari).toBeGreaterThan(0.5);
    expect(s.whatWorks[0].group).toBe("all accounts");
    expect(s.whatWorks).toHaveLength(6);
    const dims = s.whatWorks[0].dimensions.map((d) => d.dimension);
    expect(dims).toEqual(expect.arrayContaining(["type", "hour", "day", "daypart"]));
    const hour = s.whatWorks[0].dimensions.find((d) => d.dimension === "hour")!;
    expect(hour.levels.reduce((a, l) => a + l.posts, 0)).toBe(3000);
  });

  it("answers a file without the social columns, and too many clusters, with a 400", async () => {
    const up = await upload(app, "notsocial.csv", "a,b\n1,2\n3,4\n");
    const r = await post("/api/workflows/social", { dataset: up.json().dataset.id });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/account|posted_at|column/);
    const many = await post("/api/workflows/social", { dataset: "social_posts_synthetic", accountK: 26 });
    expect(many.statusCode).toBe(400);
    expect(many.json().error).toContain("body.accountK");
  });
});

describe("anomalies", () => {
  it("ranks the wine outliers with k-means distance and evaluates against the label", async () => {
    const r = await post("/api/workflows/anomalies", {
      dataset: "wine_outliers",
      method: "kmeans",
      k: 1,
      labelColumn: "is_outlier",
    });
    expect(r.statusCode).toBe(200);
    const a = r.json() as AnomalyResult;
    expect(a.nRows).toBe(140);
    expect(a.columns).toHaveLength(13);
    expect(a.columns).not.toContain("is_outlier");
    expect(a.nAnomalies).toBe(7);
    expect(a.anomalies).toHaveLength(7);
    expect(a.anomalies[0].rank).toBe(1);
    expect(a.anomalies[0].features).toHaveLength(3);
    // docs/workflows-anomalies.md: k-means k = 1, ROC AUC 0.944, flagged 7: precision 0.43, recall 0.30.
    expect(a.evaluation?.rocAuc).toBeCloseTo(0.9438, 3);
    expect(a.evaluation?.flagged?.precision).toBeCloseTo(3 / 7, 6);
    expect(a.evaluation?.flagged?.recall).toBeCloseTo(0.3, 6);
    expect(a.anomalies.filter((x) => x.known).length).toBe(3);
    expect(a.map.x).toHaveLength(140);
    expect(a.map.flagged.filter(Boolean)).toHaveLength(7);
    expect(a.map.known?.filter(Boolean)).toHaveLength(10);
  });

  it("scores with GLOSH, the GMM likelihood and DBSCAN, and flags the contamination share", async () => {
    for (const [method, extra] of [
      ["glosh", { minClusterSize: 5 }],
      ["gmm", { k: 2, covarianceType: "diag" }],
      ["dbscan", { eps: 2.5, minSamples: 5 }],
    ] as const) {
      const r = await post("/api/workflows/anomalies", {
        dataset: "wine_outliers",
        method,
        contamination: 0.1,
        labelColumn: "is_outlier",
        ...extra,
      });
      expect(r.statusCode, method).toBe(200);
      const a = r.json() as AnomalyResult;
      expect(a.nAnomalies, method).toBe(14);
      expect(a.evaluation!.rocAuc, method).toBeGreaterThan(0.8);
    }
  });

  it("answers bad input with a 400 naming the field", async () => {
    const asFeature = await post("/api/workflows/anomalies", {
      dataset: "wine_outliers",
      method: "kmeans",
      columns: ["alcohol", "is_outlier"],
      labelColumn: "is_outlier",
    });
    expect(asFeature.statusCode).toBe(400);
    expect(asFeature.json().error).toContain("body.columns");
    const contamination = await post("/api/workflows/anomalies", {
      dataset: "wine_outliers",
      method: "kmeans",
      contamination: 0.9,
    });
    expect(contamination.statusCode).toBe(400);
    expect(contamination.json().error).toContain("contamination");
    const method = await post("/api/workflows/anomalies", { dataset: "wine_outliers", method: "magic" });
    expect(method.statusCode).toBe(400);
    expect(method.json().error).toContain("body.method");
    const label = await post("/api/workflows/anomalies", {
      dataset: "wine_outliers",
      method: "kmeans",
      labelColumn: "nope",
    });
    expect(label.statusCode).toBe(400);
    expect(label.json().error).toContain("body.labelColumn");
    const k = await post("/api/workflows/anomalies", {
      dataset: "wine_outliers",
      method: "kmeans",
      k: 30,
      columns: ["alcohol"],
    });
    expect(k.statusCode).toBe(200);
    const tooSmallEps = await post("/api/workflows/anomalies", {
      dataset: "wine_outliers",
      method: "dbscan",
      eps: 0.1,
    });
    expect(tooSmallEps.statusCode).toBe(400);
  });

  it("never writes outside the data directory", () => {
    expect(existsSync(join(dataDir, "..", "two colours.png"))).toBe(false);
    // Uploaded images keep generated names only; the user's name is display text.
    for (const entry of readdirSync(join(dataDir, "images"))) expect(entry).toMatch(/^img-[0-9a-f]{16}\.(json|png)$/);
    expect(readdirSync(join(dataDir, "tmp"))).toEqual([]);
  });
});
