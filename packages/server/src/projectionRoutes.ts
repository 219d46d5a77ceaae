/**
 * `POST /api/projection`: the displayed points of the scatter placed by PCA (2 or 3 components),
 * t-SNE or UMAP, computed in the worker pool as a job (progress, cancel) and cached per features,
 * so that changing the clustering (k, eps, ...) never recomputes a projection.
 */
import type { FastifyInstance } from "fastify";
import type { AnalysisHelpers } from "./analysisRoutes.js";
import { PROJECTION_METHODS, type ProjectionRequest, type ProjectionResponse } from "./apiResults.js";
import type { JobRegistry } from "./jobs.js";
import type { ProjectionOutput } from "./projection.js";
import { featureProperties } from "./schemas.js";
import type { WorkerPool } from "./workerPool.js";

/** JSON schema of the `POST /api/projection` body (see `ProjectionRequest`). */
export const projectionBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns", "method"],
  properties: {
    ...featureProperties,
    method: { type: "string", enum: [...PROJECTION_METHODS] },
    nComponents: { type: "integer", minimum: 2, maximum: 3, default: 2 },
  },
} as const;

export interface ProjectionContext {
  pool: WorkerPool;
  jobs: JobRegistry;
  analysis: AnalysisHelpers;
}

export function registerProjectionRoutes(app: FastifyInstance, ctx: ProjectionContext): void {
  const { pool, jobs, analysis } = ctx;
  app.post(
    "/api/projection",
    { schema: { body: projectionBodySchema } },
    async (request): Promise<ProjectionResponse> => {
      const body = request.body as ProjectionRequest & { nComponents: number };
      return jobs.run("projection", body.jobId, async (job) => {
        const f = await analysis.features(body, job);
        const key = `${f.featureKey}|projection|${body.method}|${body.nComponents}`;
        const { value, hit, seconds } = await analysis.cached<ProjectionOutput>(job, key, () =>
          pool.run(
            "projection",
            {
              Xs: f.Xs,
              displayRows: f.display.rows,
              method: body.method,
              nComponents: body.nComponents,
              seed: f.seed,
            },
            body.method === "pca" ? { lane: "view" } : {},
          ),
        );
        return {
          method: body.method,
          nComponents: body.nComponents,
          geometryId: f.geometryId,
          points: Array.from(value.points),
          coords: value.coords.map((c) => Array.from(c, (v) => Math.round(v * 1e5) / 1e5)),
          fitted: value.fitted,
          transformed: value.transformed,
          nDisplayed: f.display.rows.length,
          nRows: f.raw.X.rows,
          axisTitles: value.axisTitles,
          seconds: hit === "cached" ? 0 : seconds,
          cached: hit === "cached",
        };
      });
    },
  );
}
