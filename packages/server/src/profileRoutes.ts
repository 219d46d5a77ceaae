/**
 * The Data page's endpoints:
 * - `GET /api/datasets/:id/profile[?roles=JSON]`: `@clusterlab/lab`'s profile of a dataset (column
 *   roles, with the user's; missing values; distributions; correlations; Hopkins statistic; PCA
 *   preview), computed in the worker pool and cached per dataset and roles;
 * - `POST /api/preprocess/preview`: each numeric feature of a feature request before and after its
 *   preprocessing (imputation, transform, outlier removal, scaling), for the before/after chart.
 */
import type { FastifyInstance } from "fastify";
import type { AnalysisContext } from "./analysisRoutes.js";
import type { FeatureRequest } from "./api.js";
import {
  COLUMN_ROLE_NAMES,
  type ColumnRoleName,
  type DatasetProfileResult,
  type PreprocessPreviewResult,
} from "./apiData.js";
import { byteSize } from "./cache.js";
import type { ProfileOutput } from "./dataProfile.js";
import { HttpError } from "./httpError.js";
import { normalizePreprocess, preprocessInput } from "./preprocess.js";
import { idParamsSchema, previewBodySchema, profileQuerySchema } from "./schemas.js";

/** Parses and checks the `roles` query parameter against the table's columns. */
export function parseRoles(text: string | undefined, columns: readonly string[]): Record<string, ColumnRoleName> {
  if (text === undefined || text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, `invalid querystring.roles: not JSON (expected {"column": "role", ...})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new HttpError(400, `invalid querystring.roles: expected an object {"column": "role", ...}`);
  }
  const out: Record<string, ColumnRoleName> = {};
  for (const name of Object.keys(value).sort()) {
    const role = (value as Record<string, unknown>)[name];
    if (!columns.includes(name)) {
      throw new HttpError(
        400,
        `invalid querystring.roles: unknown column ${JSON.stringify(name.slice(0, 100))} (columns: ${columns.join(", ")})`,
      );
    }
    if (typeof role !== "string" || !(COLUMN_ROLE_NAMES as readonly string[]).includes(role)) {
      throw new HttpError(
        400,
        `invalid querystring.roles.${name}: ${JSON.stringify(role)} (must be one of ${COLUMN_ROLE_NAMES.join(", ")})`,
      );
    }
    out[name] = role as ColumnRoleName;
  }
  const targets = Object.keys(out).filter((n) => out[n] === "target");
  if (targets.length > 1) {
    throw new HttpError(400, `invalid querystring.roles: at most one target column (got ${targets.join(", ")})`);
  }
  return out;
}

/** Registers the profile and preview routes on `app`. */
export function registerProfileRoutes(app: FastifyInstance, ctx: AnalysisContext): void {
  const { store, pool, cache, jobs } = ctx;

  app.get(
    "/api/datasets/:id/profile",
    { schema: { params: idParamsSchema, querystring: profileQuerySchema } },
    async (request): Promise<DatasetProfileResult> => {
      const { id } = request.params as { id: string };
      const query = request.query as { roles?: string };
      store.get(id);
      return jobs.run("profile", undefined, async (job) => {
        job.setStage("reading the table");
        const table = await store.table(id);
        const roles = parseRoles(
          query.roles,
          table.columns.map((c) => c.name),
        );
        const t0 = performance.now();
        job.setStage(`profiling ${table.nRows.toLocaleString("en-US")} rows`);
        const key = `profile|${id}|${JSON.stringify(roles)}`;
        const { promise, hit } = cache.getOrCompute<ProfileOutput>(key, async () => {
          const value = await job.wait(pool.run("profile", { table, roles, seed: 0 }));
          return { value, bytes: byteSize(value) };
        });
        const value = await promise;
        return { dataset: id, ...value, seconds: hit === "cached" ? 0 : (performance.now() - t0) / 1000 };
      });
    },
  );

  app.post(
    "/api/preprocess/preview",
    { schema: { body: previewBodySchema } },
    async (request): Promise<PreprocessPreviewResult> => {
      const body = request.body as FeatureRequest;
      return jobs.run("preprocess-preview", body.jobId, async (job) => {
        const pre = normalizePreprocess(body.preprocess ?? {}, body.columns)!;
        const scaling = body.scaling ?? "standard";
        const dropMissing = body.dropMissing ?? true;
        const key = `preview|${JSON.stringify([body.dataset, dropMissing, body.columns, pre, scaling])}`;
        job.setStage("preprocessing");
        const table = await store.table(body.dataset);
        const input = preprocessInput(table, body.columns, pre, dropMissing);
        const { promise } = cache.getOrCompute<PreprocessPreviewResult>(key, async () => {
          const out = await job.wait(pool.run("preprocess", input, { lane: "view" }));
          const raw = input.numeric.map((name) => {
            const column = input.table.columns.find((c) => c.name === name)!;
            return { name, values: column.values as Float64Array };
          });
          const features = await job.wait(
            pool.run(
              "preview",
              { raw, X: out.X, columns: out.columns, nNumeric: out.nNumeric, scaling },
              { lane: "view" },
            ),
          );
          let pcaComponents: number | null = null;
          let pcaExplained: number | null = null;
          if (pre.pca !== "none") {
            const prepared = await job.wait(
              pool.run(
                "prepare",
                { X: out.X, scaling, seed: body.seed ?? 0, space: { nNumeric: out.nNumeric, pca: pre.pca } },
                { lane: "view" },
              ),
            );
            pcaComponents = prepared.Xs.cols;
            pcaExplained = prepared.spaceExplained ?? null;
          }
          const value: PreprocessPreviewResult = {
            features,
            nRowsTotal: out.nRowsTotal,
            nRows: out.X.rows,
            rowsDropped: out.rowsDropped,
            outliersRemoved: out.outliersRemoved,
            outputColumns: out.columns,
            pcaComponents,
            pcaExplained,
          };
          return { value, bytes: byteSize(value) };
        });
        return promise;
      });
    },
  );
}
