/**
 * `POST /api/sweep/gap`: evidence for the number of clusters beyond the k-means sweep's scores,
 * the gap statistic (Tibshirani, Walther and Hastie; lab's `gapStatistic`) with its standard errors
 * and chosen k, and each k's bootstrap stability (Hennig's clusterwise Jaccard: the mean over the
 * clusters and the weakest cluster). Computed in the worker pool as a job (progress, cancel) on a
 * seeded subsample of at most 3,000 rows (the answer says how many), and cached per features.
 */
import type { FastifyInstance } from "fastify";
import type { AnalysisHelpers } from "./analysisRoutes.js";
import type { GapSweepRequest, GapSweepResult } from "./apiGap.js";
import { GAP_MAX_ROWS, type GapTaskOutput } from "./gapTask.js";
import { HttpError } from "./httpError.js";
import type { JobRegistry } from "./jobs.js";
import { featureProperties, SWEEP_K_MAX } from "./schemas.js";
import type { WorkerPool } from "./workerPool.js";

/** JSON schema of the `POST /api/sweep/gap` body (see `GapSweepRequest`). */
export const gapSweepBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns"],
  properties: {
    ...featureProperties,
    kMin: { type: "integer", minimum: 1, maximum: SWEEP_K_MAX, default: 1 },
    kMax: { type: "integer", minimum: 1, maximum: SWEEP_K_MAX, default: 12 },
    b: { type: "integer", minimum: 2, maximum: 50, default: 10 },
    nBootstrap: { type: "integer", minimum: 1, maximum: 50, default: 10 },
  },
} as const;

export interface GapContext {
  pool: WorkerPool;
  jobs: JobRegistry;
  analysis: AnalysisHelpers;
}

export function registerGapRoutes(app: FastifyInstance, ctx: GapContext): void {
  const { pool, jobs, analysis } = ctx;
  app.post("/api/sweep/gap", { schema: { body: gapSweepBodySchema } }, async (request): Promise<GapSweepResult> => {
    const body = request.body as Required<GapSweepRequest>;
    if (body.kMax < body.kMin) {
      throw new HttpError(400, `invalid body.kMax: ${body.kMax} (must be >= body.kMin = ${body.kMin})`);
    }
    return jobs.run("gap-sweep", body.jobId, async (job) => {
      const f = await analysis.features(body, job);
      const n = f.raw.X.rows;
      if (n < 3) throw new HttpError(400, `the gap statistic needs at least 3 rows (the selection has ${n})`);
      const key = `${f.scaledKey}|gap|${f.seed}|${body.kMin}|${body.kMax}|${body.b}|${body.nBootstrap}|${GAP_MAX_ROWS}`;
      job.setStage("gap statistic", 0);
      const { value } = await analysis.cached<GapTaskOutput>(job, key, () =>
        pool.run("gap", {
          Xs: f.Xs,
          seed: f.seed,
          kMin: body.kMin,
          kMax: body.kMax,
          b: body.b,
          nBootstrap: body.nBootstrap,
          maxRows: GAP_MAX_ROWS,
        }),
      );
      const { warnings: _warnings, ...result } = value;
      return { ...result, nRows: n, rowsDropped: f.raw.rowsDropped };
    });
  });
}
