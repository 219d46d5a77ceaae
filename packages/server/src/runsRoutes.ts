/**
 * Saved runs, model comparison and export:
 *
 * - `GET /api/runs` (newest first, paged; `?dataset=`, `?pinned=`), `GET|PATCH|DELETE /api/runs/:id`,
 *   `GET /api/runs/:id/labels`;
 * - `GET /api/runs/compare?a=&b=`: the contingency table of two runs' clusters, ARI and NMI;
 * - `POST /api/compare`: lab's `compareModels` over every algorithm, as a job (progress, cancel);
 * - downloads of a run: `labelled.csv`, `labelled.parquet`, `spec.json`, `model.json` (the spec
 *   fitted by lab's `runSpec`, loadable by `clusterlab predict`), `report.html` (standalone report).
 *
 * Every clustering answer (`POST /api/cluster`) is saved through a `preSerialization` hook: the
 * run store queues it and writes it in the background (see `runs.ts`).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { adjustedRandScore, contingencyMatrix, normalizedMutualInfoScore } from "@clusterlab/core";
import { ALGORITHM_NAMES, columnNames, inferSchema, writeTable } from "@clusterlab/lab";
import type { FastifyInstance, FastifyReply } from "fastify";
import { ALGORITHMS, type ClusterRequest, type ClusterResult, SCALINGS } from "./api.js";
import type {
  CompareRequest,
  CompareResult,
  RunComparison,
  RunDeleted,
  RunDetail,
  RunLabels,
  RunList,
  RunPatch,
} from "./apiRuns.js";
import type { DatasetStore } from "./datasets.js";
import { HttpError } from "./httpError.js";
import type { JobRegistry } from "./jobs.js";
import { specFromSettings } from "./runSpecs.js";
import { RunStore } from "./runs.js";
import type { RunsTaskKind, RunsTaskTypes } from "./runsWorker.js";
import { idParamsSchema, JOB_ID_PATTERN, K_MAX } from "./schemas.js";
import type { TaskKind } from "./worker.js";
import { type TaskHandle, WorkerPool } from "./workerPool.js";

/** What the run routes share with the app. */
export interface RunsContext {
  store: DatasetStore;
  runs: RunStore;
  jobs: JobRegistry;
  /** Temporary files (inside the data directory). */
  tmpDir: string;
}

/** Algorithms the standalone report covers (`ReportAlgorithm`): all of them. */
export const REPORT_ALGORITHMS = ALGORITHMS;

/** The compiled worker script of the comparison and export tasks. */
export function runsWorkerUrl(): URL {
  const beside = new URL("./runsWorker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL("../dist/runsWorker.js", import.meta.url);
}

const runListQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    dataset: { type: "string", minLength: 1, maxLength: 200 },
    pinned: { type: "string", enum: ["true", "false"] },
    limit: { type: "string", pattern: "^[0-9]{1,3}$" },
    offset: { type: "string", pattern: "^[0-9]{1,7}$" },
    token: { type: "string" },
  },
} as const;

const compareRunsQuerySchema = {
  type: "object",
  required: ["a", "b"],
  additionalProperties: false,
  properties: {
    a: { type: "string", minLength: 1, maxLength: 200 },
    b: { type: "string", minLength: 1, maxLength: 200 },
    token: { type: "string" },
  },
} as const;

const runPatchSchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    pinned: { type: "boolean" },
    name: { type: ["string", "null"], maxLength: 120 },
  },
} as const;

const compareBodySchema = {
  type: "object",
  required: ["dataset", "columns"],
  additionalProperties: false,
  properties: {
    dataset: { type: "string", minLength: 1, maxLength: 200 },
    columns: {
      type: "array",
      minItems: 1,
      maxItems: 500,
      uniqueItems: true,
      items: { type: "string", minLength: 1, maxLength: 500 },
    },
    scaling: { type: "string", enum: [...SCALINGS], default: "standard" },
    dropMissing: { type: "boolean", default: true },
    seed: { type: "integer", minimum: 0, maximum: 4294967295, default: 0 },
    k: { type: ["integer", "null"], minimum: 2, maximum: K_MAX },
    target: { type: ["string", "null"], minLength: 1, maxLength: 500 },
    algorithms: {
      type: "array",
      minItems: 1,
      maxItems: 30,
      uniqueItems: true,
      items: { type: "string", minLength: 1, maxLength: 60 },
    },
    jobId: { type: "string", pattern: JOB_ID_PATTERN },
  },
} as const;

/** Column names taken for a label column (the classes the clusters are compared with). */
const LABEL_NAME = /^(target|label|labels|class|classes|species|category|y|truth|ground_truth)$/i;

/**
 * The columns that could be a label: not features, with the role target or categorical (lab's
 * `inferSchema`), and the one to compare with by default: the first whose name says it is a label.
 */
export function labelColumns(table: Parameters<typeof inferSchema>[0], features: readonly string[]) {
  const used = new Set(features);
  const candidates = inferSchema(table)
    .columns.filter((c) => !used.has(c.name) && (c.role === "target" || c.role === "categorical"))
    .map((c) => c.name);
  return { candidates, guess: candidates.find((c) => LABEL_NAME.test(c)) ?? null };
}

/** A file name for downloads: the dataset's name without its extension, safe characters only. */
function baseName(name: string): string {
  return name.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]+/g, "_") || "dataset";
}

function download(reply: FastifyReply, type: string, filename: string, body: string | Buffer) {
  return reply
    .header("content-type", type)
    .header("content-disposition", `attachment; filename="${filename}"`)
    .send(body);
}

/** Registers the run, comparison and export routes on `app`. */
export function registerRunsRoutes(app: FastifyInstance, ctx: RunsContext): void {
  const { store, runs, jobs, tmpDir } = ctx;
  let pool: WorkerPool | null = null;

  /** Starts a task in the comparison/export worker (started on first use). */
  function runTask<K extends RunsTaskKind>(
    kind: K,
    input: RunsTaskTypes[K]["input"],
  ): TaskHandle<RunsTaskTypes[K]["output"]> {
    pool ??= new WorkerPool(1, { url: runsWorkerUrl(), viewWorkers: 0 });
    // The pool's typing names `worker.ts`'s tasks; this worker speaks the same protocol with its own.
    return pool.run(kind as unknown as TaskKind, input as never) as unknown as TaskHandle<RunsTaskTypes[K]["output"]>;
  }

  app.addHook("onClose", async () => {
    await runs.flush();
    await pool?.close();
  });

  // Every clustering answer becomes a saved run (queued; written in the background).
  app.addHook("preSerialization", async (request, reply, payload) => {
    if (request.routeOptions.url === "/api/cluster" && request.method === "POST" && reply.statusCode === 200) {
      const result = payload as ClusterResult;
      if (result && typeof result.runId === "string") runs.describe(result, request.body as ClusterRequest);
    }
    return payload;
  });

  /** The dataset of a run (400 when it was removed since). */
  function datasetOf(run: RunDetail) {
    try {
      return store.get(run.dataset);
    } catch {
      throw new HttpError(
        400,
        `the dataset of run ${run.id} (${JSON.stringify(run.datasetName)}) is no longer available on this server`,
      );
    }
  }

  app.get("/api/runs", { schema: { querystring: runListQuerySchema } }, async (request): Promise<RunList> => {
    const q = request.query as { dataset?: string; pinned?: string; limit?: string; offset?: string };
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (limit < 1 || limit > 500) throw new HttpError(400, `invalid querystring.limit: ${limit} (must be 1 to 500)`);
    const list = await runs.list({
      ...(q.dataset !== undefined && { dataset: q.dataset }),
      ...(q.pinned !== undefined && { pinned: q.pinned === "true" }),
      limit,
      offset: q.offset === undefined ? 0 : Number(q.offset),
    });
    return list;
  });

  app.get(
    "/api/runs/compare",
    { schema: { querystring: compareRunsQuerySchema } },
    async (request): Promise<RunComparison> => {
      const q = request.query as { a: string; b: string };
      const [a, b] = await Promise.all([runs.detail(q.a), runs.detail(q.b)]);
      if (a.dataset !== b.dataset) {
        throw new HttpError(
          400,
          `invalid querystring.b: run ${b.id} is on ${JSON.stringify(b.datasetName)}, run ${a.id} on ${JSON.stringify(a.datasetName)} (compare two runs of the same dataset)`,
        );
      }
      const [la, lb] = await Promise.all([runs.labels(a.id), runs.labels(b.id)]);
      if (la.labels.length !== lb.labels.length) {
        throw new HttpError(
          400,
          `runs ${a.id} and ${b.id} have different row counts (the dataset changed between them)`,
        );
      }
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < la.labels.length; i++) {
        const u = la.labels[i];
        const v = lb.labels[i];
        if (u === null || v === null) continue;
        x.push(u);
        y.push(v);
      }
      if (x.length === 0) throw new HttpError(400, `runs ${a.id} and ${b.id} have no clustered row in common`);
      const table = contingencyMatrix(x, y);
      const nb = table.clusters.length;
      const counts = Array.from(table.classes, (_, r) => Array.from(table.counts.subarray(r * nb, r * nb + nb)));
      const { settings: _sa, sizes: _za, warnings: _wa, spec: _pa, specNote: _na, timings: _ta, ...sa } = a;
      const { settings: _sb, sizes: _zb, warnings: _wb, spec: _pb, specNote: _nb, timings: _tb, ...sb } = b;
      return {
        a: sa,
        b: sb,
        rowsCompared: x.length,
        labelsA: Array.from(table.classes),
        labelsB: Array.from(table.clusters),
        counts,
        adjustedRand: adjustedRandScore(x, y),
        normalizedMutualInfo: normalizedMutualInfoScore(x, y),
      };
    },
  );

  app.get("/api/runs/:id", { schema: { params: idParamsSchema } }, async (request): Promise<RunDetail> => {
    const { id } = request.params as { id: string };
    return runs.detail(id);
  });

  app.patch("/api/runs/:id", { schema: { params: idParamsSchema, body: runPatchSchema } }, async (request) => {
    const { id } = request.params as { id: string };
    return runs.patch(id, request.body as RunPatch);
  });

  app.delete("/api/runs/:id", { schema: { params: idParamsSchema } }, async (request): Promise<RunDeleted> => {
    const { id } = request.params as { id: string };
    await runs.delete(id);
    return { deleted: id };
  });

  app.get("/api/runs/:id/labels", { schema: { params: idParamsSchema } }, async (request): Promise<RunLabels> => {
    const { id } = request.params as { id: string };
    const { labels } = await runs.labels(id);
    return { id, labels: Array.from(labels as ArrayLike<number | null>) };
  });

  async function labelledFile(id: string, reply: FastifyReply, format: "csv" | "parquet") {
    const run = await runs.detail(id);
    const entry = datasetOf(run);
    const { labels } = await runs.labels(id);
    const table = await store.table(run.dataset);
    if (table.nRows !== labels.length) {
      throw new HttpError(400, `run ${id} has ${labels.length} rows but ${entry.name} now has ${table.nRows}`);
    }
    const tmp = join(tmpDir, `${randomBytes(8).toString("hex")}.${format}`);
    let body: Buffer;
    try {
      await writeTable(tmp, table, { cluster: labels });
      body = await readFile(tmp);
    } finally {
      await unlink(tmp).catch(() => {});
    }
    const type = format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.apache.parquet";
    return download(reply, type, `${baseName(entry.name)}-clusters.${format}`, body);
  }

  app.get("/api/runs/:id/labelled.csv", { schema: { params: idParamsSchema } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    return labelledFile(id, reply, "csv");
  });

  app.get("/api/runs/:id/labelled.parquet", { schema: { params: idParamsSchema } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    return labelledFile(id, reply, "parquet");
  });

  app.get("/api/runs/:id/spec.json", { schema: { params: idParamsSchema } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const run = await runs.detail(id);
    if (run.spec === null)
      throw new HttpError(400, `run ${id} has no analysis spec (${run.specNote ?? "unknown reason"})`);
    const entry = datasetOf(run);
    return download(
      reply,
      "application/json; charset=utf-8",
      `${baseName(entry.name)}-${run.algorithm}-spec.json`,
      `${JSON.stringify(run.spec, null, 2)}\n`,
    );
  });

  app.get("/api/runs/:id/model.json", { schema: { params: idParamsSchema } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const run = await runs.detail(id);
    if (run.spec === null)
      throw new HttpError(400, `run ${id} has no analysis spec (${run.specNote ?? "unknown reason"})`);
    const entry = datasetOf(run);
    let model = await runs.model(id);
    if (model === null) {
      const { labels } = await runs.labels(id);
      const out = await jobs.run("model", undefined, (job) =>
        job.wait(
          runTask("model", {
            path: entry.path,
            format: entry.format,
            spec: run.spec,
            name: entry.name,
            labels: Array.from(labels as ArrayLike<number | null>),
          }),
        ),
      );
      model = out.model;
      await runs.saveModel(id, model);
      if (out.adjustedRandWithRun !== null) reply.header("x-clusterlab-agreement", out.adjustedRandWithRun.toFixed(4));
    }
    return download(
      reply,
      "application/json; charset=utf-8",
      `${baseName(entry.name)}-${run.algorithm}-model.json`,
      `${JSON.stringify(model)}\n`,
    );
  });

  app.get("/api/runs/:id/report.html", { schema: { params: idParamsSchema } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const run = await runs.detail(id);
    const entry = datasetOf(run);
    const { html } = await jobs.run("report", undefined, (job) =>
      job.wait(
        runTask("report", {
          path: entry.path,
          format: entry.format,
          name: entry.name,
          settings: run.settings,
          k: run.k,
          title: `Clustering report: ${entry.name}`,
        }),
      ),
    );
    return download(reply, "text/html; charset=utf-8", `${baseName(entry.name)}-report.html`, html);
  });

  app.post("/api/compare", { schema: { body: compareBodySchema } }, async (request): Promise<CompareResult> => {
    const body = request.body as Required<Omit<CompareRequest, "k" | "target" | "algorithms" | "jobId">> &
      Pick<CompareRequest, "k" | "target" | "algorithms" | "jobId">;
    const entry = store.get(body.dataset);
    const table = await store.table(body.dataset);
    const names = new Set(columnNames(table));
    for (const c of body.columns) {
      if (!names.has(c))
        throw new HttpError(400, `invalid body.columns: unknown column ${JSON.stringify(c)} in ${entry.name}`);
    }
    if (body.target != null) {
      if (!names.has(body.target)) {
        throw new HttpError(400, `invalid body.target: unknown column ${JSON.stringify(body.target)} in ${entry.name}`);
      }
      if (body.columns.includes(body.target)) {
        throw new HttpError(400, `invalid body.target: ${JSON.stringify(body.target)} is one of the feature columns`);
      }
    }
    return jobs.run("compare", body.jobId, async (job) => {
      job.setStage("starting the comparison");
      const labels = labelColumns(table, body.columns);
      const target = body.target === undefined ? labels.guess : body.target;
      const { normalized: spec } = specFromSettings(
        {
          dataset: body.dataset,
          columns: body.columns,
          scaling: body.scaling,
          dropMissing: body.dropMissing,
          seed: body.seed,
          algorithm: "kmeans",
          params: {},
        },
        { path: entry.path, format: entry.format, nRows: table.nRows, target },
      );
      const out = await job.wait(
        runTask("compare", {
          path: entry.path,
          format: entry.format,
          spec,
          k: body.k ?? null,
          // The dashboard's features are numeric: k-modes and k-prototypes (categories) are left out by default.
          algorithms: body.algorithms ?? ALGORITHM_NAMES.filter((a) => a !== "kmodes" && a !== "kprototypes"),
        }),
      );
      return {
        jobId: job.id,
        dataset: body.dataset,
        columns: body.columns,
        rows: out.rows,
        k: out.k,
        kBy: out.kBy,
        kReason: out.kReason,
        target: out.target,
        targetCandidates: labels.candidates,
        warnings: out.warnings,
        seconds: out.seconds,
      };
    });
  });
}

export { RunStore };
