/**
 * The analysis endpoints: `POST /api/cluster`, `/api/sweep`, `/api/sweep/bic`, `/api/clustermap`,
 * and the jobs they run (`GET /api/jobs`, `GET|DELETE /api/jobs/:id`).
 *
 * Everything expensive is computed once per dataset + columns + scaling and kept in an LRU cache
 * bounded in bytes (shared memory, so every worker reads it without a copy): the scaled features
 * and their PCA, the k-means sweep (its labels answer k-means requests), the Gaussian mixtures per
 * k, the linkage tree (re-cut for another k or height), the OPTICS ordering (re-extracted for
 * another eps or xi), the HDBSCAN hierarchy (re-condensed for another min cluster size, or cut),
 * and every fit. A slider move then only costs the views.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Matrix } from "@clusterlab/core";
import { DataError, numericMatrix } from "@clusterlab/lab";
import type { FastifyInstance } from "fastify";
import {
  type BicStructure,
  type FitResult,
  type Structure,
  type SweepStructure,
  structureSpec,
  usesStructure,
} from "./algorithms.js";
import { type Display, type LabelSource, type Prepared, ROW_LIMITS, rowLimit } from "./analysis.js";
import type {
  Algorithm,
  BicSweepRequest,
  BicSweepResult,
  ClustermapNormalization,
  ClustermapRequest,
  ClustermapResult,
  ClusterParams,
  ClusterRequest,
  ClusterResult,
  FeatureRequest,
  JobList,
  JobStatus,
  Scaling,
  SweepRequest,
  SweepResult,
} from "./api.js";
import { byteSize, type LruCache } from "./cache.js";
import type { DatasetStore } from "./datasets.js";
import { HttpError } from "./httpError.js";
import type { Job, JobRegistry } from "./jobs.js";
import { checkParams, checkRows, resolveParams } from "./params.js";
import { type NormalizedPreprocess, normalizePreprocess, preprocessInput } from "./preprocess.js";
import type { RunStore } from "./runs.js";
import {
  bicSweepBodySchema,
  clusterBodySchema,
  clustermapBodySchema,
  jobParamsSchema,
  K_MAX,
  sweepBodySchema,
} from "./schemas.js";
import { shareMatrix } from "./shared.js";
import type { TaskHandle, WorkerPool } from "./workerPool.js";

/** What the analysis routes share with the app. */
export interface AnalysisContext {
  store: DatasetStore;
  pool: WorkerPool;
  runs: RunStore;
  cache: LruCache;
  jobs: JobRegistry;
}

/** The numeric matrix of a dataset's columns (raw values), as read from the table. */
interface RawFeatures {
  X: Matrix;
  columns: string[];
  rowIndex?: Int32Array;
  rowsDropped: number;
  nRowsTotal: number;
  /** With `preprocess`: the first nNumeric columns are numeric (scaled), the rest encoded; outliers removed. */
  nNumeric?: number;
  outliersRemoved?: number;
}

/** Raw and scaled features, their keys and the displayed points. */
export interface FeatureSet {
  raw: RawFeatures;
  Xs: Matrix;
  display: Display;
  scaling: Scaling;
  seed: number;
  /** Cache key of the scaled matrix (dataset, rows, columns, scaling). */
  scaledKey: string;
  /** ... and of the seed-dependent parts (displayed sample). */
  featureKey: string;
  geometryId: string;
  /** Names of Xs's columns when they differ from raw.columns (after a PCA), else null. */
  spaceColumns: string[] | null;
}

const LIMIT_HINTS: Record<string, string> = {
  "agglomerative-ward": "use a k-means variant, BIRCH or HDBSCAN",
  "agglomerative-single": "use a k-means variant, BIRCH or HDBSCAN",
  "agglomerative-complete": "its n x n distance matrix grows with n^2; use ward or single linkage (up to 20,000 rows)",
  "agglomerative-average": "its n x n distance matrix grows with n^2; use ward or single linkage (up to 20,000 rows)",
  kmedoids: "k-medoids compares every pair of rows; use k-means or mini-batch k-means",
  "affinity-propagation": "it keeps three n x n matrices; use another algorithm or fewer rows",
  meanshift: "use k-means, BIRCH or HDBSCAN",
  "spectral-rbf": 'its n x n affinity grows with n^2; use affinity "nearestNeighbors" (up to 20,000 rows)',
  "spectral-nearestNeighbors": "use k-means, BIRCH or HDBSCAN",
  "hdbscan-prim":
    "with more than 15 features or cosine distance HDBSCAN compares every pair of rows; use at most 15 features (e.g. PCA) with Euclidean or Manhattan distance",
};

function fitKey(scaledKey: string, algorithm: Algorithm, seed: number, params: ClusterParams): string {
  return `${scaledKey}|fit|${algorithm}|${seed}|${JSON.stringify(params)}`;
}

/** What other route files reuse: the features of a request (cached) and the cache-or-compute helper. */
export interface AnalysisHelpers {
  features(body: FeatureRequest, job: Job): Promise<FeatureSet>;
  cached<T>(job: Job, key: string, start: () => TaskHandle<T>): Promise<{ value: T; hit: string; seconds: number }>;
}

/** Registers the analysis and job routes on `app`. */
export function registerAnalysisRoutes(app: FastifyInstance, ctx: AnalysisContext): AnalysisHelpers {
  const { store, pool, runs, cache, jobs } = ctx;
  // The worker task behind each cache entry being computed, so that joining requests follow its progress.
  const inflight = new Map<string, TaskHandle<unknown>>();
  const nonce = randomBytes(4).toString("hex");

  /** A cached value, or the one being computed (joined), or a new computation in a worker (`start`). */
  async function cached<T>(
    job: Job,
    key: string,
    start: () => TaskHandle<T>,
    onValue?: (value: T) => void,
  ): Promise<{ value: T; hit: "cached" | "joined" | "computed"; seconds: number }> {
    const t0 = performance.now();
    const { promise, hit } = cache.getOrCompute<T>(key, async () => {
      const handle = start();
      inflight.set(key, handle as TaskHandle<unknown>);
      try {
        const value = await handle.promise;
        onValue?.(value);
        return { value, bytes: byteSize(value) };
      } finally {
        inflight.delete(key);
      }
    });
    const value = await job.follow(inflight.get(key), promise);
    return { value, hit, seconds: (performance.now() - t0) / 1000 };
  }

  async function rawFeatures(
    body: FeatureRequest,
    rawKey: string,
    pre: NormalizedPreprocess | null,
  ): Promise<RawFeatures> {
    const { promise } = cache.getOrCompute<RawFeatures>(`R|${rawKey}`, async () => {
      const entry = store.get(body.dataset);
      const table = await store.table(body.dataset);
      if (pre) {
        // Imputation, transform, outlier removal and encoding, in a worker (preprocess.ts).
        const input = preprocessInput(table, body.columns, pre, body.dropMissing ?? true);
        const out = await pool.run("preprocess", input, { lane: "view" }).promise;
        const value: RawFeatures = { ...out };
        return { value, bytes: byteSize(value) };
      }
      let result: ReturnType<typeof numericMatrix>;
      try {
        result = numericMatrix(table, { columns: body.columns, dropMissing: body.dropMissing ?? true });
      } catch (error) {
        if (error instanceof DataError) {
          throw new HttpError(400, `invalid body.columns: ${error.message.split(entry.path).join(entry.name)}`);
        }
        throw error;
      }
      const value: RawFeatures = {
        X: shareMatrix(result.matrix),
        columns: result.columns,
        rowIndex: result.rowIndex,
        rowsDropped: result.rowsDropped,
        nRowsTotal: table.nRows,
      };
      return { value, bytes: byteSize(value) };
    });
    return promise;
  }

  async function features(body: FeatureRequest, job: Job): Promise<FeatureSet> {
    const scaling = body.scaling ?? "standard";
    const seed = body.seed ?? 0;
    const pre = normalizePreprocess(body.preprocess, body.columns);
    const rawKey = JSON.stringify([body.dataset, body.dropMissing ?? true, body.columns, ...(pre ? [pre] : [])]);
    const scaledKey = `${rawKey}|${scaling}`;
    const featureKey = `${scaledKey}|${seed}`;
    job.setStage("reading the features");
    const raw = await rawFeatures(body, rawKey, pre);
    job.check();
    if (raw.X.rows === 0)
      throw new HttpError(400, "no rows to cluster: every row has a missing value in the chosen columns");
    const { value } = await cached<Prepared>(job, `P|${featureKey}`, () =>
      pool.run("prepare", {
        X: raw.X,
        scaling,
        seed,
        ...(pre && { space: { nNumeric: raw.nNumeric ?? raw.X.cols, pca: pre.pca } }),
      }),
    );
    const geometryId = `g-${createHash("sha1").update(`${nonce}|${featureKey}`).digest("hex").slice(0, 16)}`;
    const spaceColumns = value.spaceColumns ?? null;
    return {
      raw,
      Xs: value.Xs,
      display: value.display,
      scaling,
      seed,
      scaledKey,
      featureKey,
      geometryId,
      spaceColumns,
    };
  }

  /** Checks that need the precomputed structure (eps within the OPTICS range, a cut with at most K_MAX clusters). */
  function checkStructure(algorithm: Algorithm, params: ClusterParams, s: Structure): void {
    if (s.kind === "optics" && algorithm === "dbscan" && params.eps != null && params.eps > s.maxEps) {
      throw new HttpError(
        400,
        `invalid body.params.eps: ${params.eps} (must be <= ${Number(s.maxEps.toPrecision(4))}, the largest eps the OPTICS ordering of these rows covers)`,
      );
    }
    if (s.kind === "linkage" && params.distanceThreshold != null) {
      let above = 0;
      for (let r = 2; r < s.Z.length; r += 4) if (s.Z[r] >= params.distanceThreshold) above++;
      if (above + 1 > K_MAX) {
        throw new HttpError(
          400,
          `invalid body.params.distanceThreshold: ${params.distanceThreshold} (cuts the tree into ${above + 1} clusters; at most ${K_MAX})`,
        );
      }
    }
  }

  app.post("/api/cluster", { schema: { body: clusterBodySchema } }, async (request): Promise<ClusterResult> => {
    const body = request.body as ClusterRequest;
    return jobs.run("cluster", body.jobId, async (job) => {
      const start = performance.now();
      const algorithm = body.algorithm;
      const params = resolveParams(algorithm, body.params);
      checkParams(algorithm, params);
      const f = await features(body, job);
      const n = f.raw.X.rows;
      checkRows(algorithm, params, n);
      const limit = rowLimit(algorithm, params, f.Xs.cols);
      if (limit && n > limit[1]) {
        const what = limit[0].replace(/-/g, " ");
        throw new HttpError(
          400,
          `invalid body.algorithm: ${what} is limited to ${limit[1].toLocaleString("en-US")} rows (this selection has ${n.toLocaleString("en-US")}); ${LIMIT_HINTS[limit[0]] ?? "use another algorithm"}`,
        );
      }
      let source: LabelSource;
      let fitSeconds = 0;
      let precomputed: boolean;
      if (usesStructure(algorithm)) {
        const spec = structureSpec(algorithm, params);
        const s = await cached<Structure>(job, `S|${f.scaledKey}|${JSON.stringify(spec)}`, () =>
          pool.run("structure", { Xs: f.Xs, spec }),
        );
        precomputed = s.hit === "cached";
        if (!precomputed) fitSeconds = s.seconds;
        checkStructure(algorithm, params, s.value);
        source = { kind: "structure", structure: s.value };
      } else {
        const a = algorithm as Exclude<Algorithm, "agglomerative" | "dbscan" | "optics" | "hdbscan">;
        const r = await cached<FitResult>(job, fitKey(f.scaledKey, algorithm, f.seed, params), () =>
          pool.run("fit", { Xs: f.Xs, algorithm: a, params, seed: f.seed }),
        );
        precomputed = r.hit === "cached";
        if (!precomputed) fitSeconds = r.seconds;
        source = { kind: "fit", fit: r.value, precomputed };
      }
      job.setStage("computing the views");
      const t1 = performance.now();
      const withGeometry = body.geometryId !== f.geometryId;
      // The silhouette (the costliest view: a 5,000-row sample's pairs) runs beside the others, on
      // a second worker when one is idle.
      const silhouetteTask = pool.run("silhouette", { Xs: f.Xs, seed: f.seed, algorithm, params, source });
      const viewTask = pool.run("view", {
        X: f.raw.X,
        Xs: f.Xs,
        columns: f.raw.columns,
        display: f.display,
        seed: f.seed,
        algorithm,
        params,
        source,
        withGeometry,
        silhouette: false,
      });
      const [out, sil] = await Promise.all([job.wait(viewTask), job.wait(silhouetteTask)]);
      out.metrics.silhouette = sil.score;
      out.silhouette = sil.plot;
      out.warnings.push(...sil.warnings);
      const viewSeconds = (performance.now() - t1) / 1000;
      const run = runs.add({
        dataset: body.dataset,
        labels: out.labels,
        rowIndex: f.raw.rowIndex,
        nRowsTotal: f.raw.nRowsTotal,
      });
      const rowIndex = f.raw.rowIndex;
      if (rowIndex) out.projection.row = out.projection.row.map((r) => rowIndex[r]);
      if (f.raw.rowsDropped > 0) {
        out.warnings.unshift(
          `${f.raw.rowsDropped} of ${f.raw.nRowsTotal} rows have missing values in the chosen columns and were left out`,
        );
      }
      if (f.raw.outliersRemoved) {
        out.warnings.unshift(`${f.raw.outliersRemoved} rows removed as outliers (IQR rule): they have no cluster`);
      }
      return {
        runId: run.id,
        jobId: job.id,
        dataset: body.dataset,
        algorithm,
        scaling: f.scaling,
        params: { ...params, ...out.resolved },
        seed: f.seed,
        columns: f.raw.columns,
        nRows: n,
        rowsDropped: f.raw.rowsDropped,
        k: out.k,
        sizes: out.sizes,
        nNoise: out.nNoise,
        labels: Array.from(out.labels),
        metrics: out.metrics,
        projection: { ...out.projection, geometryId: f.geometryId, geometryOmitted: !withGeometry },
        silhouette: out.silhouette,
        profile: out.profile,
        dendrogram: out.dendrogram,
        reachability: out.reachability,
        condensedTree: out.condensedTree,
        warnings: out.warnings,
        timings: { fitSeconds, viewSeconds, totalSeconds: (performance.now() - start) / 1000, precomputed },
      };
    });
  });

  app.post("/api/sweep", { schema: { body: sweepBodySchema } }, async (request): Promise<SweepResult> => {
    const body = request.body as Required<SweepRequest>;
    if (body.kMax < body.kMin) {
      throw new HttpError(400, `invalid body.kMax: ${body.kMax} (must be >= body.kMin = ${body.kMin})`);
    }
    return jobs.run("sweep", body.jobId, async (job) => {
      const f = await features(body, job);
      const n = f.raw.X.rows;
      if (n < 3) throw new HttpError(400, `a k sweep needs at least 3 rows (the selection has ${n})`);
      const key = `${f.scaledKey}|sweep|${f.seed}|${body.kMin}|${body.kMax}`;
      const s = await cached<SweepStructure>(
        job,
        key,
        () => pool.run("sweep", { Xs: f.Xs, seed: f.seed, kMin: body.kMin, kMax: body.kMax }),
        // Each k's k-means fit is the one `POST /api/cluster` would make: keep it for instant k changes.
        (sweep) =>
          sweep.ks.forEach((k, i) => {
            const fit: FitResult = {
              labels: sweep.labels[i],
              inertia: sweep.inertia[i],
              bic: null,
              probability: null,
              warnings: [],
            };
            cache.set(fitKey(f.scaledKey, "kmeans", f.seed, resolveParams("kmeans", { k })), fit, byteSize(fit));
          }),
      );
      const { labels: _labels, ...scores } = s.value;
      return { ...scores, nRows: n, rowsDropped: f.raw.rowsDropped };
    });
  });

  app.post("/api/sweep/bic", { schema: { body: bicSweepBodySchema } }, async (request): Promise<BicSweepResult> => {
    const body = request.body as Required<BicSweepRequest>;
    if (body.kMax < body.kMin) {
      throw new HttpError(400, `invalid body.kMax: ${body.kMax} (must be >= body.kMin = ${body.kMin})`);
    }
    return jobs.run("bic-sweep", body.jobId, async (job) => {
      const f = await features(body, job);
      const n = f.raw.X.rows;
      if (n < 3) throw new HttpError(400, `a BIC sweep needs at least 3 rows (the selection has ${n})`);
      const cov = body.covarianceType;
      const key = `${f.scaledKey}|bic|${f.seed}|${cov}|${body.kMin}|${body.kMax}`;
      const s = await cached<BicStructure>(
        job,
        key,
        () => pool.run("bic", { Xs: f.Xs, seed: f.seed, kMin: body.kMin, kMax: body.kMax, covarianceType: cov }),
        (sweep) =>
          sweep.ks.forEach((k, i) => {
            if (k < 2) return;
            const fit: FitResult = {
              labels: sweep.labels[i],
              inertia: null,
              bic: sweep.bic[i],
              probability: sweep.probability[i],
              warnings: sweep.warnings[i],
            };
            const params = resolveParams("gmm", { k, covarianceType: cov });
            cache.set(fitKey(f.scaledKey, "gmm", f.seed, params), fit, byteSize(fit));
          }),
      );
      const v = s.value;
      return { ks: v.ks, bic: v.bic, best: v.best, covarianceType: cov, nRows: n, rowsDropped: f.raw.rowsDropped };
    });
  });

  app.post(
    "/api/clustermap",
    { schema: { body: clustermapBodySchema } },
    async (request): Promise<ClustermapResult> => {
      const body = request.body as Required<ClustermapRequest>;
      return jobs.run("clustermap", body.jobId, async (job) => {
        const f = await features(body, job);
        const normalization = body.normalization as ClustermapNormalization;
        const key = `${f.featureKey}|clustermap|${normalization}|${body.maxRows}`;
        const { value } = await cached(job, key, () =>
          pool.run("clustermap", { Xs: f.Xs, normalization, maxRows: body.maxRows, seed: f.seed }),
        );
        const rowIndex = f.raw.rowIndex;
        return {
          columns: value.columnOrder.map((j) => (f.spaceColumns ?? f.raw.columns)[j]),
          rowIndex: value.rowIndex,
          fileRow: value.rowIndex.map((i) => (rowIndex ? rowIndex[i] : i)),
          values: value.values,
          rowDendrogram: value.rowDendrogram,
          columnDendrogram: value.columnDendrogram,
          normalization,
          sampled: value.sampled,
          nRows: f.raw.X.rows,
        };
      });
    },
  );

  app.get("/api/jobs", async (): Promise<JobList> => ({ jobs: jobs.list() }));

  app.get("/api/jobs/:id", { schema: { params: jobParamsSchema } }, async (request): Promise<JobStatus> => {
    const { id } = request.params as { id: string };
    return jobs.get(id).status();
  });

  app.delete("/api/jobs/:id", { schema: { params: jobParamsSchema } }, async (request): Promise<JobStatus> => {
    const { id } = request.params as { id: string };
    const job = jobs.get(id);
    job.cancel();
    return job.status();
  });

  return { features, cached };
}

/** Row limits for `GET /api/config`. */
export function rowLimits(): Record<string, number> {
  return { ...ROW_LIMITS };
}
