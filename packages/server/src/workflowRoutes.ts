/**
 * The workflow pages' endpoints (see `apiWorkflows.ts` for the shapes):
 *
 * - `GET /api/workflows/samples`: the bundled examples (examples/data) of each workflow.
 * - `POST /api/workflows/images?name=FILE` (raw body): upload a JPEG/PNG/WebP image;
 *   `GET /api/workflows/images/:id/original`: the file itself.
 * - `POST /api/workflows/image`: segment an image's pixels (lab `segmentImage`).
 * - `POST /api/workflows/text`: documents by topic (lab `clusterDocuments`).
 * - `POST /api/workflows/rfm`: RFM segments and clusters (lab `computeRfm`, `clusterRfm`);
 *   `GET /api/workflows/rfm/:id/customers.csv`: the per-customer table.
 * - `POST /api/workflows/social`: account and post clusters, what works (lab social workflow).
 * - `POST /api/workflows/anomalies`: anomaly scores (lab `detectAnomalies`).
 *
 * Tables are the bundled examples or datasets uploaded through `POST /api/datasets`; files are read
 * only from the samples folder and written only under the data directory (`images/`, `tmp/`). The
 * clustering runs as a job (`GET /api/jobs/:id` for progress, `DELETE` to cancel) in the worker pool;
 * DuckDB's SQL (RFM, social features) runs on DuckDB's own threads.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Matrix } from "@clusterlab/core";
import {
  computeRfm,
  computeSocialFeatures,
  customerSegmentsTable,
  DataError,
  documentTexts,
  labelValues,
  numericMatrix,
  outlierIndicator,
  type ReadImage,
  RFM_SEGMENT_GRID,
  type RfmTable,
  readImage,
  readTable,
  type Table,
  type TableFormat,
  writeTable,
} from "@clusterlab/lab";
import type { FastifyInstance } from "fastify";
import type {
  AnomalyRequest,
  AnomalyResult,
  ImageSegmentRequest,
  ImageSegmentResult,
  RfmRequest,
  RfmResult,
  SocialRequest,
  SocialResult,
  TextClusterRequest,
  TextClusterResult,
  WorkflowColumn,
  WorkflowImage,
  WorkflowKind,
  WorkflowSample,
  WorkflowSampleList,
} from "./apiWorkflows.js";
import { type DatasetStore, displayName, isTargetLike, saveStream, TooLargeError } from "./datasets.js";
import { HttpError } from "./httpError.js";
import type { Job, JobRegistry } from "./jobs.js";
import { JOB_ID_PATTERN } from "./schemas.js";
import type { WorkerPool } from "./workerPool.js";
import type { WorkflowTask, WorkflowTaskOutputs } from "./workflowTasks.js";

/** What the workflow routes need from the app. */
export interface WorkflowContext {
  store: DatasetStore;
  pool: WorkerPool;
  jobs: JobRegistry;
  dataDir: string;
  samplesDir: string;
  /** Largest image upload in MB. Default 25. */
  maxImageMb?: number;
}

/** Largest image, in pixels: 24 megapixels (a 6000 x 4000 photo). */
export const MAX_IMAGE_PIXELS = 24_000_000;
/** Documents shown on the text map; a seeded sample beyond. */
export const TEXT_MAP_MAX = 5000;
/** Customers shown on the RFM scatter; a seeded sample beyond. */
export const RFM_POINTS_MAX = 3000;
/** Anomalies listed with their unusual features. */
export const ANOMALIES_LISTED = 50;
/** Largest k of the workflow pages. */
export const WORKFLOW_K_MAX = 30;

interface SampleDefinition {
  id: string;
  file: string;
  workflow: WorkflowKind;
  description: string;
  defaults: Record<string, string | string[] | null>;
}

/** The bundled examples, one per workflow (see examples/data/SOURCES.md). */
export const WORKFLOW_SAMPLES: readonly SampleDefinition[] = [
  {
    id: "coffee",
    file: "coffee.png",
    workflow: "image",
    description: "A cup of coffee, 600 x 400 pixels (scikit-image sample, CC0)",
    defaults: {},
  },
  {
    id: "spam_assassin_subset",
    file: "spam_assassin_subset.csv",
    workflow: "text",
    description: "1 350 e-mails of the SpamAssassin corpus: easy ham, hard ham and spam (PDDL / CC0)",
    defaults: { textColumns: ["subject", "body"], labelColumn: "group" },
  },
  {
    id: "transactions_synthetic",
    file: "transactions_synthetic.csv",
    workflow: "rfm",
    description: "5 000 orders of 467 customers; SYNTHETIC, drawn by a seeded generator",
    defaults: { customerId: "customer_id", date: "order_date", amount: "amount", orderId: "order_id" },
  },
  {
    id: "social_posts_synthetic",
    file: "social_posts_synthetic.csv",
    workflow: "social",
    description: "3 000 posts of 25 accounts; SYNTHETIC, drawn by a seeded generator",
    defaults: { segmentColumn: "account_segment" },
  },
  {
    id: "wine_outliers",
    file: "wine_outliers.csv",
    workflow: "anomalies",
    description: "140 wines (UCI Wine): 130 of two cultivars and 10 of a third as known outliers",
    defaults: { labelColumn: "is_outlier", positive: "1" },
  },
];

// --- schemas -------------------------------------------------------------------------------------

const common = {
  jobId: { type: "string", pattern: JOB_ID_PATTERN },
  seed: { type: "integer", minimum: 0, maximum: 4294967295, default: 0 },
} as const;
const datasetId = { type: "string", minLength: 1, maxLength: 200 } as const;
const columnName = { type: "string", minLength: 1, maxLength: 500 } as const;

export const imageBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["image", "k"],
  properties: {
    ...common,
    image: datasetId,
    k: { type: "integer", minimum: 2, maximum: WORKFLOW_K_MAX },
    space: { type: "string", enum: ["lab", "rgb"], default: "lab" },
    spatial: { type: "number", minimum: 0, maximum: 5, default: 0 },
  },
} as const;

export const textBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "textColumns"],
  properties: {
    ...common,
    dataset: datasetId,
    textColumns: { type: "array", minItems: 1, maxItems: 10, uniqueItems: true, items: columnName },
    labelColumn: { anyOf: [columnName, { type: "null" }] },
    k: { type: "integer", minimum: 2, maximum: WORKFLOW_K_MAX, default: 8 },
    algorithm: { type: "string", enum: ["kmeans", "agglomerative", "hdbscan"], default: "kmeans" },
    lsa: { type: "integer", minimum: 0, maximum: 500, default: 100 },
    minClusterSize: { type: "integer", minimum: 2, maximum: 100000, default: 10 },
  },
} as const;

export const rfmBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "customerId", "date", "amount"],
  properties: {
    ...common,
    dataset: datasetId,
    customerId: columnName,
    date: columnName,
    amount: columnName,
    orderId: { anyOf: [columnName, { type: "null" }] },
    asOf: { anyOf: [{ type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, { type: "null" }] },
    k: { anyOf: [{ type: "integer", minimum: 2, maximum: WORKFLOW_K_MAX }, { type: "null" }] },
  },
} as const;

export const socialBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset"],
  properties: {
    ...common,
    dataset: datasetId,
    accountK: { anyOf: [{ type: "integer", minimum: 2, maximum: WORKFLOW_K_MAX }, { type: "null" }] },
    postK: { anyOf: [{ type: "integer", minimum: 2, maximum: WORKFLOW_K_MAX }, { type: "null" }] },
  },
} as const;

export const anomalyBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "method"],
  properties: {
    ...common,
    dataset: datasetId,
    method: { type: "string", enum: ["kmeans", "glosh", "gmm", "dbscan"] },
    columns: { type: "array", minItems: 1, maxItems: 500, uniqueItems: true, items: columnName },
    labelColumn: { anyOf: [columnName, { type: "null" }] },
    positive: { type: "string", maxLength: 200, default: "1" },
    contamination: { type: "number", exclusiveMinimum: 0, maximum: 0.5, default: 0.05 },
    k: { type: "integer", minimum: 1, maximum: WORKFLOW_K_MAX, default: 2 },
    covarianceType: { type: "string", enum: ["full", "diag", "spherical", "tied"], default: "full" },
    eps: { type: "number", exclusiveMinimum: 0, maximum: 1e6, default: 2.5 },
    minSamples: { type: "integer", minimum: 1, maximum: 1000, default: 5 },
    minClusterSize: { type: "integer", minimum: 2, maximum: 100000, default: 5 },
  },
} as const;

const imageUploadQuerySchema = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", minLength: 1, maxLength: 1000 }, token: { type: "string" } },
} as const;

const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", pattern: "^[A-Za-z0-9_-]{1,100}$" } },
} as const;

// --- helpers -------------------------------------------------------------------------------------

/** A small least-recently-used map. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/** A one-line 400 for a lab `DataError`, with the stored path replaced by the name the user knows. */
function userError(error: unknown, path: string, name: string, field?: string): unknown {
  if (!(error instanceof DataError)) return error;
  const message = error.message.split(path).join(name);
  return new HttpError(400, field ? `invalid body.${field}: ${message}` : message);
}

/** Whitespace collapsed, cut to `max` characters with an ellipsis. */
export function previewText(text: string | null, max: number): string {
  if (text === null) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** `n` of `total` indices, evenly spread (deterministic), or all of them. */
export function spreadSample(total: number, n: number): number[] {
  if (total <= n) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => Math.floor((i * total) / n));
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function columnsOf(table: Table): WorkflowColumn[] {
  return table.columns.map((c) => ({ name: c.name, type: c.type, numeric: c.kind === "numeric" }));
}

function toShared(image: ReadImage): ReadImage {
  const data = new Uint8Array(new SharedArrayBuffer(image.data.length));
  data.set(image.data);
  return { ...image, data };
}

interface ImageEntry {
  id: string;
  name: string;
  path: string;
  format: "jpeg" | "png" | "webp";
  width: number;
  height: number;
}

const IMAGE_TYPES: Record<ImageEntry["format"], string> = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

/** Registers the workflow routes on `app`. */
export function registerWorkflowRoutes(app: FastifyInstance, ctx: WorkflowContext): void {
  const { store, pool, jobs, samplesDir } = ctx;
  const maxImageMb = ctx.maxImageMb ?? 25;
  const imageDir = join(ctx.dataDir, "images");
  const tmpDir = join(ctx.dataDir, "tmp");
  const sampleTables = new Map<string, Promise<Table>>();
  const images = new Map<string, ImageEntry>();
  const pixels = new Lru<Promise<ReadImage>>(4);
  const segmentations = new Lru<Omit<ImageSegmentResult, "cached" | "seconds">>(32);
  const rfmResults = new Lru<{ table: Table; name: string }>(16);
  const textResults = new Lru<TextClusterResult>(16);
  let imagesLoaded: Promise<void> | null = null;

  function sampleDef(id: string): SampleDefinition | undefined {
    return WORKFLOW_SAMPLES.find((s) => s.id === id);
  }

  /** A table's file (a bundled example or an uploaded dataset); a 404 naming the id otherwise. */
  function source(id: string): { id: string; name: string; path: string; format: TableFormat } {
    const sample = sampleDef(id);
    if (sample && sample.workflow !== "image") {
      return { id, name: sample.file, path: join(samplesDir, sample.file), format: "csv" };
    }
    const entry = store.get(id);
    return { id, name: entry.name, path: entry.path, format: entry.format };
  }

  async function table(id: string): Promise<Table> {
    const src = source(id);
    if (!sampleDef(id)) return store.table(id);
    let t = sampleTables.get(id);
    if (!t) {
      t = readTable(src.path, { format: "csv" }).catch((error: unknown) => {
        sampleTables.delete(id);
        throw userError(error, src.path, src.name);
      });
      sampleTables.set(id, t);
    }
    return t;
  }

  /** Runs a workflow task in the pool as part of `job`. */
  function runTask<K extends WorkflowTask["task"]>(
    job: Job,
    input: Extract<WorkflowTask, { task: K }>,
  ): Promise<WorkflowTaskOutputs[K]> {
    return job.wait(pool.run("workflow", input)) as Promise<WorkflowTaskOutputs[K]>;
  }

  // --- images --------------------------------------------------------------------------------------

  async function loadImages(): Promise<void> {
    imagesLoaded ??= (async () => {
      await mkdir(imageDir, { recursive: true });
      for (const file of await readdir(imageDir)) {
        if (/^img-[0-9a-f]{16}\.part$/.test(file)) await unlink(join(imageDir, file)).catch(() => {});
        if (!/^img-[0-9a-f]{16}\.json$/.test(file)) continue;
        try {
          const meta = JSON.parse(await readFile(join(imageDir, file), "utf8")) as Omit<ImageEntry, "path">;
          const path = join(imageDir, `${meta.id}.${meta.format}`);
          if (meta.id === file.slice(0, -5) && existsSync(path)) images.set(meta.id, { ...meta, path });
        } catch {
          // unreadable metadata: skip that image
        }
      }
    })();
    return imagesLoaded;
  }

  async function imageEntry(id: string): Promise<ImageEntry> {
    const sample = sampleDef(id);
    if (sample?.workflow === "image") {
      const path = join(samplesDir, sample.file);
      const image = await imagePixels(id, path, sample.file);
      return { id, name: sample.file, path, format: image.format, width: image.width, height: image.height };
    }
    await loadImages();
    const entry = images.get(id);
    if (!entry) throw new HttpError(404, `unknown image: ${JSON.stringify(id.slice(0, 100))}`);
    return entry;
  }

  /** The decoded pixels of an image, in shared memory, kept for the next slider move. */
  function imagePixels(id: string, path: string, name: string): Promise<ReadImage> {
    let p = pixels.get(id);
    if (!p) {
      p = readImage(path)
        .then(toShared)
        .catch((error: unknown) => {
          pixels.delete(id);
          throw userError(error, path, name);
        });
      pixels.set(id, p);
    }
    return p;
  }

  function describeImage(entry: ImageEntry): WorkflowImage {
    return {
      id: entry.id,
      name: entry.name,
      width: entry.width,
      height: entry.height,
      format: entry.format,
      originalUrl: `/api/workflows/images/${entry.id}/original`,
    };
  }

  app.get("/api/workflows/samples", async (): Promise<WorkflowSampleList> => {
    const samples: WorkflowSample[] = [];
    for (const s of WORKFLOW_SAMPLES) {
      const path = join(samplesDir, s.file);
      if (!existsSync(path)) continue;
      if (s.workflow === "image") {
        const image = await imagePixels(s.id, path, s.file);
        samples.push({
          id: s.id,
          name: s.file,
          workflow: s.workflow,
          description: s.description,
          nRows: null,
          columns: [],
          defaults: s.defaults,
          width: image.width,
          height: image.height,
        });
      } else {
        const t = await table(s.id);
        samples.push({
          id: s.id,
          name: s.file,
          workflow: s.workflow,
          description: s.description,
          nRows: t.nRows,
          columns: columnsOf(t),
          defaults: s.defaults,
          width: null,
          height: null,
        });
      }
    }
    return { samples, maxImageMb, maxImagePixels: MAX_IMAGE_PIXELS };
  });

  // Image uploads: the raw file is the body (as `POST /api/datasets`), streamed to the data directory.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
    scope.post("/api/workflows/images", { schema: { querystring: imageUploadQuerySchema } }, async (request, reply) => {
      const name = displayName((request.query as { name: string }).name);
      const contentType = request.headers["content-type"] ?? "";
      if (contentType.startsWith("multipart/")) {
        throw new HttpError(
          415,
          "send the image itself as the request body (Content-Type: application/octet-stream) with ?name=FILE, not as a multipart form",
        );
      }
      const length = Number(request.headers["content-length"]);
      if (Number.isFinite(length) && length > maxImageMb * 1048576) {
        reply.header("connection", "close");
        throw new HttpError(413, `image too large: ${name} is over the ${maxImageMb} MB limit`);
      }
      await loadImages();
      const id = `img-${randomBytes(8).toString("hex")}`;
      const partial = join(imageDir, `${id}.part`);
      let size: number;
      try {
        size = await saveStream(request.raw, partial, Math.round(maxImageMb * 1048576));
      } catch (error) {
        if (error instanceof TooLargeError) {
          throw new HttpError(413, `image too large: ${name} is over the ${maxImageMb} MB limit`);
        }
        throw error;
      }
      if (size === 0) {
        await unlink(partial).catch(() => {});
        throw new HttpError(400, `empty file: ${name} (no data was received)`);
      }
      let image: ReadImage;
      try {
        image = await readImage(partial);
      } catch (error) {
        await unlink(partial).catch(() => {});
        if (error instanceof DataError) {
          const reason = error.message.split(partial).join(name);
          throw new HttpError(400, `not an image: ${name} could not be read as JPEG, PNG or WebP (${reason})`);
        }
        throw error;
      }
      if (image.width * image.height > MAX_IMAGE_PIXELS) {
        await unlink(partial).catch(() => {});
        throw new HttpError(
          413,
          `image too large: ${name} has ${image.width} x ${image.height} pixels (at most ${MAX_IMAGE_PIXELS / 1e6} megapixels)`,
        );
      }
      const entry: ImageEntry = {
        id,
        name,
        path: join(imageDir, `${id}.${image.format}`),
        format: image.format,
        width: image.width,
        height: image.height,
      };
      await rename(partial, entry.path);
      const { path: _path, ...meta } = entry;
      await writeFile(join(imageDir, `${id}.json`), `${JSON.stringify(meta, null, 2)}\n`);
      images.set(id, entry);
      pixels.set(id, Promise.resolve(toShared(image)));
      return reply.code(201).send(describeImage(entry));
    });
  });

  app.get("/api/workflows/images", async (): Promise<{ images: WorkflowImage[] }> => {
    await loadImages();
    return { images: [...images.values()].map(describeImage) };
  });

  app.get("/api/workflows/images/:id", { schema: { params: idParams } }, async (request) => {
    const { id } = request.params as { id: string };
    return describeImage(await imageEntry(id));
  });

  app.get("/api/workflows/images/:id/original", { schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const entry = await imageEntry(id);
    const body = await readFile(entry.path);
    return reply.type(IMAGE_TYPES[entry.format]).header("cache-control", "no-cache").send(body);
  });

  app.post(
    "/api/workflows/image",
    { schema: { body: imageBodySchema } },
    async (request): Promise<ImageSegmentResult> => {
      const body = request.body as Required<ImageSegmentRequest>;
      return jobs.run("workflow-image", body.jobId, async (job) => {
        const start = performance.now();
        const entry = await imageEntry(body.image);
        const key = JSON.stringify([entry.id, body.k, body.space, body.spatial, body.seed]);
        const hit = segmentations.get(key);
        if (hit) return { ...hit, cached: true, seconds: (performance.now() - start) / 1000 };
        job.setStage("reading the pixels");
        const image = await imagePixels(entry.id, entry.path, entry.name);
        job.check();
        const out = await runTask(job, {
          task: "image",
          image,
          k: body.k,
          space: body.space,
          spatial: body.spatial,
          seed: body.seed,
        });
        const png = (bytes: Uint8Array) => `data:image/png;base64,${Buffer.from(bytes).toString("base64")}`;
        const result: Omit<ImageSegmentResult, "cached" | "seconds"> = {
          image: entry.id,
          width: out.seg.width,
          height: out.seg.height,
          k: out.seg.k,
          space: out.seg.space,
          spatial: out.seg.spatial,
          palette: out.seg.palette.map((p) => ({
            hex: p.hex,
            rgb: p.rgb,
            lab: p.lab,
            share: p.share,
            pixels: p.pixels,
          })),
          segmented: png(out.segmented),
          mask: png(out.mask),
          overlay: png(out.overlay),
          sampleSize: out.seg.sampleSize,
          pixels: out.seg.pixels,
          distinctColors: out.seg.distinctColors,
          warnings: out.seg.warnings,
          segmentSeconds: out.seg.timings.totalSeconds,
        };
        segmentations.set(key, result);
        return { ...result, cached: false, seconds: (performance.now() - start) / 1000 };
      });
    },
  );

  // --- documents -------------------------------------------------------------------------------------

  app.post("/api/workflows/text", { schema: { body: textBodySchema } }, async (request): Promise<TextClusterResult> => {
    const body = request.body as Required<TextClusterRequest>;
    return jobs.run("workflow-text", body.jobId, async (job) => {
      const start = performance.now();
      const src = source(body.dataset);
      const { jobId: _jobId, ...settings } = body;
      const key = JSON.stringify(settings);
      const hit = textResults.get(key);
      if (hit) return { ...hit, seconds: (performance.now() - start) / 1000 };
      job.setStage("reading the documents");
      const t = await table(body.dataset);
      let texts: (string | null)[];
      try {
        texts = documentTexts(t, body.textColumns);
      } catch (error) {
        throw userError(error, src.path, src.name, "textColumns");
      }
      let labels: (string | null)[] | undefined;
      const labelColumn = body.labelColumn ?? null;
      if (labelColumn !== null) {
        if (body.textColumns.includes(labelColumn)) {
          throw new HttpError(400, `invalid body.labelColumn: ${JSON.stringify(labelColumn)} is also a text column`);
        }
        try {
          labels = labelValues(t, labelColumn);
        } catch (error) {
          throw userError(error, src.path, src.name, "labelColumn");
        }
      }
      if (body.algorithm !== "hdbscan" && body.k > texts.length) {
        throw new HttpError(400, `invalid body.k: ${body.k} (must be <= the number of documents, ${texts.length})`);
      }
      if (body.algorithm !== "kmeans" && body.lsa === 0) {
        throw new HttpError(
          400,
          `invalid body.lsa: 0 (${body.algorithm} needs the LSA embedding; 0 works with kmeans only)`,
        );
      }
      const r = await runTask(job, {
        task: "text",
        texts,
        options: {
          nClusters: body.k,
          algorithm: body.algorithm,
          lsa: body.lsa,
          minClusterSize: body.minClusterSize,
          seed: body.seed,
          nRepresentatives: 3,
          nTopTerms: 10,
          ...(labels && { labels }),
        },
      });
      const shown = spreadSample(r.nDocuments, TEXT_MAP_MAX).filter((i) => Number.isFinite(r.map.x[i]));
      const ext = r.external;
      const result: TextClusterResult = {
        dataset: body.dataset,
        nDocuments: r.nDocuments,
        nEmpty: r.nEmpty,
        nNoise: r.nNoise,
        vocabularySize: r.vocabularySize,
        algorithm: r.algorithm,
        nClusters: r.nClusters,
        lsa: r.lsa,
        clusters: r.clusters.map((c) => ({
          cluster: c.cluster,
          size: c.size,
          share: c.size / r.nDocuments,
          topTerms: c.topTerms,
          representatives: c.representatives.map((rep) => ({
            row: rep.index,
            similarity: rep.similarity,
            preview: previewText(texts[rep.index], 280),
            label: labels ? labels[rep.index] : null,
          })),
        })),
        map: {
          x: shown.map((i) => r.map.x[i]),
          y: shown.map((i) => r.map.y[i]),
          cluster: shown.map((i) => r.labels[i]),
          row: shown,
          preview: shown.map((i) => previewText(texts[i], 90)),
          label: labels ? shown.map((i) => labels[i]) : null,
          explainedVarianceRatio: r.map.explainedVarianceRatio,
          sampled: shown.length < r.nDocuments - r.nEmpty,
        },
        external:
          ext && labelColumn !== null
            ? {
                labelColumn,
                adjustedRandIndex: ext.adjustedRandIndex,
                normalizedMutualInfo: ext.normalizedMutualInfo,
                vMeasure: ext.vMeasure,
                homogeneity: ext.homogeneity,
                completeness: ext.completeness,
                contingency: ext.contingency,
              }
            : null,
        warnings: r.warnings,
        seconds: (performance.now() - start) / 1000,
      };
      textResults.set(key, result);
      return result;
    });
  });

  // --- customers (RFM) -------------------------------------------------------------------------------

  app.post("/api/workflows/rfm", { schema: { body: rfmBodySchema } }, async (request): Promise<RfmResult> => {
    const body = request.body as Required<RfmRequest>;
    return jobs.run("workflow-rfm", body.jobId, async (job) => {
      const start = performance.now();
      const src = source(body.dataset);
      job.setStage("computing recency, frequency and monetary value (DuckDB)");
      let rfm: RfmTable;
      try {
        rfm = await computeRfm(src.path, {
          customerId: body.customerId,
          date: body.date,
          amount: body.amount,
          ...(body.orderId != null && { orderId: body.orderId }),
          ...(body.asOf != null && { asOf: body.asOf }),
          format: src.format,
        });
      } catch (error) {
        if (error instanceof Error && error.name === "ValidationError") throw new HttpError(400, error.message);
        throw userError(error, src.path, src.name);
      }
      job.check();
      const k = body.k ?? null;
      if (k !== null && k > rfm.n) {
        throw new HttpError(400, `invalid body.k: ${k} (must be <= the number of customers, ${rfm.n})`);
      }
      const out = await runTask(job, { task: "rfm", rfm, k, seed: body.seed });
      const resultId = `rfm-${randomBytes(8).toString("hex")}`;
      const customers = customerSegmentsTable({ rfm, ...out });
      rfmResults.set(resultId, { table: customers, name: src.name });
      const grid = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
      for (let i = 0; i < rfm.n; i++) grid[rfm.rScore[i] - 1][rfm.fScore[i] - 1]++;
      const shown = spreadSample(rfm.n, RFM_POINTS_MAX);
      const previewRows: (string | number | null)[][] = [];
      for (let i = 0; i < Math.min(8, customers.nRows); i++) {
        previewRows.push(
          customers.columns.map((c) => {
            const v = c.values[i];
            return typeof v === "number" ? finite(v) : v;
          }),
        );
      }
      return {
        resultId,
        dataset: body.dataset,
        columns: rfm.columns,
        asOf: rfm.asOf,
        asOfDefault: rfm.asOfDefault,
        nRows: rfm.nRows,
        nExcludedAfterAsOf: rfm.nExcludedAfterAsOf,
        nCustomers: rfm.n,
        segments: out.segments,
        clustering: {
          k: out.clustering.k,
          chosenBy: out.clustering.chosenBy,
          reason: out.clustering.reason,
          silhouette: out.clustering.silhouette,
          sweep: out.clustering.sweep,
          profiles: out.clustering.profiles.map((p) => ({
            cluster: p.cluster,
            name: p.name,
            size: p.size,
            share: p.share,
            recency: p.recency,
            frequency: p.frequency,
            monetary: p.monetary,
          })),
        },
        comparison: out.comparison,
        scoreGrid: grid,
        scoreGridSegments: RFM_SEGMENT_GRID.map((row) => [...row]),
        points: {
          recency: shown.map((i) => rfm.recency[i]),
          frequency: shown.map((i) => rfm.frequency[i]),
          monetary: shown.map((i) => rfm.monetary[i]),
          cluster: shown.map((i) => out.clustering.labels[i]),
          segment: shown.map((i) => rfm.segment[i]),
        },
        preview: {
          columns: customers.columns.map((c) => c.name),
          rows: previewRows,
        },
        seconds: (performance.now() - start) / 1000,
      };
    });
  });

  app.get("/api/workflows/rfm/:id/customers.csv", { schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const result = rfmResults.get(id);
    if (!result) {
      throw new HttpError(404, `unknown RFM result: ${JSON.stringify(id)} (results are kept for the last 16 runs)`);
    }
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomBytes(8).toString("hex")}.csv`);
    let body: Buffer;
    try {
      await writeTable(tmp, result.table);
      body = await readFile(tmp);
    } finally {
      await unlink(tmp).catch(() => {});
    }
    const base = result.name.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]+/g, "_") || "transactions";
    return reply
      .header("content-type", "text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${base}-customers.csv"`)
      .send(body);
  });

  // --- social media ----------------------------------------------------------------------------------

  app.post("/api/workflows/social", { schema: { body: socialBodySchema } }, async (request): Promise<SocialResult> => {
    const body = request.body as Required<SocialRequest>;
    return jobs.run("workflow-social", body.jobId, async (job) => {
      const start = performance.now();
      const src = source(body.dataset);
      job.setStage("computing the engagement features (DuckDB)");
      let features: Awaited<ReturnType<typeof computeSocialFeatures>>;
      try {
        features = await computeSocialFeatures(src.path, { format: src.format });
      } catch (error) {
        throw userError(error, src.path, src.name);
      }
      job.check();
      const accountK = body.accountK ?? null;
      if (accountK !== null && accountK > features.nAccounts) {
        throw new HttpError(
          400,
          `invalid body.accountK: ${accountK} (must be <= the number of accounts, ${features.nAccounts})`,
        );
      }
      const out = await runTask(job, {
        task: "social",
        features,
        accountK,
        postK: body.postK ?? null,
        seed: body.seed,
      });
      const a = out.accounts;
      const p = out.posts;
      return {
        dataset: body.dataset,
        nPosts: features.nPosts,
        nAccounts: features.nAccounts,
        firstPost: features.firstPost,
        lastPost: features.lastPost,
        windowDays: features.windowDays,
        rateBasis: features.rateBasis,
        types: features.types,
        accounts: {
          k: a.k,
          chosenBy: a.chosenBy,
          reason: a.reason,
          silhouette: a.silhouette,
          profiles: a.profiles.map((c) => ({
            cluster: c.cluster,
            name: c.name,
            size: c.size,
            share: c.share,
            accounts: c.accounts,
            posts: c.posts,
            postsPerWeek: c.postsPerWeek.median,
            followers: c.followers.median,
            medianRate: c.medianRate.median,
            typeMix: c.typeMix,
            daypartMix: c.daypartMix,
          })),
        },
        posts: {
          k: p.k,
          chosenBy: p.chosenBy,
          silhouette: p.silhouette,
          profiles: p.profiles.map((c) => ({
            cluster: c.cluster,
            name: c.name,
            size: c.size,
            share: c.share,
            medianRate: c.rate.median,
            lift: c.lift,
            typeMix: c.typeMix,
            peakHour: c.peakHour,
            weekendShare: c.weekendShare,
            medianTextLength: c.textLength.median,
          })),
        },
        comparison:
          out.comparison && features.columns.segment
            ? { ari: out.comparison.ari, segmentColumn: features.columns.segment }
            : null,
        whatWorks: out.whatWorks.map((g) => ({
          group: g.group,
          cluster: g.cluster,
          accounts: g.accounts,
          posts: g.posts,
          medianRate: g.medianRate,
          dimensions: g.dimensions.map((d) => ({
            dimension: d.dimension,
            levels: d.levels,
            best: d.best,
            worst: d.worst,
          })),
          summary: g.summary,
        })),
        warnings: [...features.warnings, ...out.warnings],
        seconds: (performance.now() - start) / 1000,
      };
    });
  });

  // --- anomalies -------------------------------------------------------------------------------------

  app.post(
    "/api/workflows/anomalies",
    { schema: { body: anomalyBodySchema } },
    async (request): Promise<AnomalyResult> => {
      const body = request.body as Required<AnomalyRequest>;
      return jobs.run("workflow-anomalies", body.jobId, async (job) => {
        const start = performance.now();
        const src = source(body.dataset);
        job.setStage("reading the table");
        const t = await table(body.dataset);
        const labelColumn = body.labelColumn ?? null;
        if (labelColumn !== null && !t.columns.some((c) => c.name === labelColumn)) {
          throw new HttpError(
            400,
            `invalid body.labelColumn: ${JSON.stringify(labelColumn)} is not a column of ${src.name} (columns: ${t.columns.map((c) => c.name).join(", ")})`,
          );
        }
        if (labelColumn !== null && body.columns?.includes(labelColumn)) {
          throw new HttpError(
            400,
            `invalid body.columns: the label column ${JSON.stringify(labelColumn)} must not be a feature`,
          );
        }
        const columns =
          body.columns ??
          t.columns
            .filter((c) => c.kind === "numeric" && c.name !== labelColumn && !isTargetLike(c.name))
            .map((c) => c.name);
        if (columns.length === 0) {
          throw new HttpError(400, `invalid body.columns: ${src.name} has no numeric feature column`);
        }
        let X: Matrix;
        let rowIndex: Int32Array | undefined;
        let rowsDropped = 0;
        let featureNames: string[];
        try {
          const m = numericMatrix(t, { columns, dropMissing: true });
          X = m.matrix;
          rowIndex = m.rowIndex;
          rowsDropped = m.rowsDropped;
          featureNames = m.columns;
        } catch (error) {
          throw userError(error, src.path, src.name, "columns");
        }
        const n = X.rows;
        if (n < 3) throw new HttpError(400, `too few rows: ${n} without missing values in the chosen columns`);
        if ((body.method === "kmeans" || body.method === "gmm") && body.k > n) {
          throw new HttpError(400, `invalid body.k: ${body.k} (must be <= the number of rows, ${n})`);
        }
        if (body.method === "glosh" && body.minClusterSize > n) {
          throw new HttpError(
            400,
            `invalid body.minClusterSize: ${body.minClusterSize} (must be <= the number of rows, ${n})`,
          );
        }
        let truth: Uint8Array | null = null;
        if (labelColumn !== null) {
          try {
            truth = outlierIndicator(t, labelColumn, body.positive, rowIndex);
          } catch (error) {
            throw userError(error, src.path, src.name, "labelColumn");
          }
        }
        const out = await runTask(job, {
          task: "anomalies",
          X,
          featureNames,
          method: body.method,
          params: {
            k: body.k,
            covarianceType: body.covarianceType,
            eps: body.eps,
            minSamples: body.minSamples,
            minClusterSize: body.minClusterSize,
          },
          contamination: body.contamination,
          truth,
          rowIndex: rowIndex ?? null,
          top: ANOMALIES_LISTED,
          seed: body.seed,
        });
        const tableRow = (i: number) => (rowIndex ? rowIndex[i] : i);
        const knownByRow = new Map<number, boolean>();
        if (truth) for (let i = 0; i < n; i++) knownByRow.set(tableRow(i), truth[i] === 1);
        const ev = out.evaluation;
        return {
          dataset: body.dataset,
          method: body.method,
          description: out.description,
          columns: featureNames,
          nRows: n,
          rowsDropped,
          nClusters: out.nClusters,
          nNoise: out.nNoise,
          contamination: body.contamination,
          threshold: finite(out.threshold),
          nAnomalies: out.nAnomalies,
          anomalies: out.anomalies.map((a) => ({
            rank: a.rank,
            row: a.row,
            score: a.score,
            cluster: a.cluster,
            comparedWith: a.comparedWith,
            known: truth ? (knownByRow.get(a.row) ?? null) : null,
            features: a.features.map((f) => ({
              feature: f.feature,
              value: f.value,
              typical: f.typical,
              z: f.z,
              direction: f.direction,
            })),
          })),
          evaluation:
            ev && labelColumn !== null
              ? {
                  labelColumn,
                  positive: body.positive,
                  nPositive: ev.nPositive,
                  rocAuc: ev.rocAuc,
                  averagePrecision: ev.averagePrecision,
                  atTrueContamination: ev.atTrueContamination,
                  flagged: ev.flagged,
                }
              : null,
          map: {
            x: Array.from(out.map.x),
            y: Array.from(out.map.y),
            score: Array.from(out.scores, (s) => (Number.isFinite(s) ? s : 0)),
            flagged: Array.from(out.flagged, (f) => f === 1),
            known: truth ? Array.from(truth, (v) => v === 1) : null,
            row: Array.from({ length: n }, (_, i) => tableRow(i)),
            explainedVarianceRatio: out.map.explainedVarianceRatio,
          },
          warnings: out.warnings,
          seconds: (performance.now() - start) / 1000,
        };
      });
    },
  );
}
