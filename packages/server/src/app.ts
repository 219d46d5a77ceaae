import { randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataError } from "@clusterlab/lab";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { AGGLOMERATIVE_MAX_ROWS } from "./analysis.js";
import { registerAnalysisRoutes, rowLimits } from "./analysisRoutes.js";
import type { DatasetList, ServerConfig, UploadResult } from "./api.js";
import { LruCache } from "./cache.js";
import { DatasetStore, displayName, formatFromName } from "./datasets.js";
import { registerGapRoutes } from "./gapRoutes.js";
import { HttpError } from "./httpError.js";
import { JobRegistry } from "./jobs.js";
import { registerProfileRoutes } from "./profileRoutes.js";
import { registerProjectionRoutes } from "./projectionRoutes.js";
import { RunStore } from "./runs.js";
import { registerRunsRoutes } from "./runsRoutes.js";
import { idParamsSchema, uploadQuerySchema, validationMessage } from "./schemas.js";
import { registerSegmentsRoutes } from "./segmentsRoutes.js";
import { defaultDashboardDir, NOT_BUILT_PAGE, openStatic, resolveStatic } from "./staticFiles.js";
import { VERSION } from "./version.js";
import { WorkerPool } from "./workerPool.js";
import { registerWorkflowRoutes } from "./workflowRoutes.js";

/** Options for `createApp`. */
export interface AppOptions {
  /** Where uploads (and temporary files) are kept. Default `~/.clusterlab`. */
  dataDir?: string;
  /** Folder of the bundled samples (iris.csv, ...). Default the repository's `examples/data`. */
  samplesDir?: string;
  /** The built dashboard to serve. Default `@clusterlab/dashboard`'s `dist/`. */
  dashboardDir?: string;
  /** Largest upload in MB. Default 100. */
  maxUploadMb?: number;
  /** When set, every `/api/` request must carry it (`Authorization: Bearer`, `X-Clusterlab-Token` or `?token=`). Default none. */
  token?: string | null;
  /** The dataset the page opens on. Default "iris". */
  openDataset?: string | null;
  /** Worker threads for fits and sweeps (one more runs only the short view tasks). Default 2. */
  workers?: number;
  /** Memory for precomputed structures (scaled features, k sweeps, linkage trees, OPTICS, HDBSCAN, fits), in MB. Default 512. */
  cacheMb?: number;
  /** Fastify's request logging. Default false. */
  logger?: boolean;
}

/** The default data directory, `~/.clusterlab`. */
export function defaultDataDir(): string {
  return join(homedir(), ".clusterlab");
}

/** The repository's bundled samples. */
export function defaultSamplesDir(): string {
  return fileURLToPath(new URL("../../../examples/data/", import.meta.url));
}

/** A random token for a server reachable from other machines (48 hex characters). */
export function generateToken(): string {
  return randomBytes(24).toString("hex");
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function tokenOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
  const header = request.headers["x-clusterlab-token"];
  if (typeof header === "string") return header;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === "string" ? query.token : undefined;
}

/**
 * Builds Clusterlab's Fastify app: the JSON API under `/api/` and the dashboard's static files.
 * Call `app.close()` to stop its workers. See `api.ts` for the request and answer shapes.
 */
export async function createApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const dataDir = options.dataDir ?? defaultDataDir();
  const maxUploadMb = options.maxUploadMb ?? 100;
  const maxUploadBytes = Math.round(maxUploadMb * 1048576);
  const token = options.token ?? null;
  const dashboardDir = options.dashboardDir ?? defaultDashboardDir();
  const store = await DatasetStore.open(dataDir, options.samplesDir ?? defaultSamplesDir());
  const openDataset = options.openDataset === undefined ? "iris" : options.openDataset;
  if (openDataset !== null) store.get(openDataset);
  const pool = new WorkerPool(options.workers ?? 2);
  const runs = await RunStore.open({ dataDir, datasets: store });
  const cache = new LruCache(Math.round((options.cacheMb ?? 512) * 1048576));
  const jobs = new JobRegistry();
  const tmpDir = join(dataDir, "tmp");
  await mkdir(tmpDir, { recursive: true });

  const app = Fastify({
    logger: options.logger ?? false,
    // Stopping the server (Ctrl+C) must not wait for browsers' keep-alive connections.
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false } },
  });
  app.addHook("onClose", async () => {
    await pool.close();
    await runs.close();
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const context = error.validationContext ?? "body";
      const data =
        context === "body"
          ? request.body
          : context === "querystring"
            ? request.query
            : context === "params"
              ? request.params
              : undefined;
      return reply.code(400).send({ error: validationMessage(error.validation, context, data) });
    }
    if (error instanceof HttpError) return reply.code(error.statusCode).send({ error: error.message });
    if (error instanceof DataError) return reply.code(400).send({ error: error.message });
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error(error);
    const message = status === 500 ? `internal error: ${error.message}` : error.message;
    return reply.code(status).send({ error: message });
  });

  app.addHook("onRequest", async (request, reply) => {
    if (token === null || !request.url.startsWith("/api/")) return;
    const given = tokenOf(request);
    if (given === undefined || !sameToken(given, token)) {
      return reply.code(401).send({
        error: "missing or wrong token: open the address printed by `clusterlab serve` (it ends with ?token=...)",
      });
    }
  });

  app.get("/api/config", async (): Promise<ServerConfig> => {
    return {
      version: VERSION,
      maxUploadMb,
      openDataset,
      agglomerativeMaxRows: AGGLOMERATIVE_MAX_ROWS,
      rowLimits: rowLimits(),
    };
  });

  app.get("/api/datasets", async (): Promise<DatasetList> => ({ datasets: store.list() }));

  app.get("/api/datasets/:id", { schema: { params: idParamsSchema } }, async (request) => {
    const { id } = request.params as { id: string };
    return store.detail(id);
  });

  // Uploads: the raw file is the request body, streamed to disk (no multipart parsing).
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
    scope.post("/api/datasets", { schema: { querystring: uploadQuerySchema } }, async (request, reply) => {
      const query = request.query as { name: string; format?: "csv" | "tsv" | "parquet" | "json" | "ndjson" };
      const name = displayName(query.name);
      const contentType = request.headers["content-type"] ?? "";
      if (contentType.startsWith("multipart/")) {
        throw new HttpError(
          415,
          "send the file itself as the request body (Content-Type: application/octet-stream) with ?name=FILE, not as a multipart form",
        );
      }
      const format = query.format ?? formatFromName(name);
      if (!format) {
        throw new HttpError(
          400,
          `unsupported file type: ${name} (expected .csv, .tsv, .txt, .parquet, .json, .ndjson or .jsonl)`,
        );
      }
      const length = Number(request.headers["content-length"]);
      if (Number.isFinite(length) && length > maxUploadBytes) {
        reply.header("connection", "close");
        throw new HttpError(413, `file too large: ${name} is over the ${maxUploadMb} MB upload limit`);
      }
      const dataset = await store.upload(request.raw, name, format, maxUploadMb);
      const result: UploadResult = { dataset };
      return reply.code(201).send(result);
    });
  });

  const analysis = registerAnalysisRoutes(app, { store, pool, runs, cache, jobs });
  registerProfileRoutes(app, { store, pool, runs, cache, jobs });
  registerProjectionRoutes(app, { pool, jobs, analysis });
  registerGapRoutes(app, { pool, jobs, analysis });
  registerSegmentsRoutes(app, { pool, jobs, runs, analysis });

  registerRunsRoutes(app, { store, runs, jobs, tmpDir });
  registerWorkflowRoutes(app, { store, pool, jobs, dataDir, samplesDir: options.samplesDir ?? defaultSamplesDir() });

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url.startsWith("/api/") || request.url === "/api") {
      return reply.code(404).send({ error: `no such endpoint: ${request.method} ${request.url.split("?")[0]}` });
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return reply.code(404).send({ error: `no such endpoint: ${request.method} ${request.url.split("?")[0]}` });
    }
    const file = resolveStatic(dashboardDir, request.url);
    if (!file) {
      if (request.url === "/" || request.url.startsWith("/?")) {
        return reply.type("text/html; charset=utf-8").send(NOT_BUILT_PAGE);
      }
      return reply.code(404).type("text/plain; charset=utf-8").send("not found");
    }
    reply
      .type(file.type)
      .header("content-length", file.size)
      .header("x-content-type-options", "nosniff")
      .header("cache-control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
    return reply.send(openStatic(file));
  });

  return app;
}
