/**
 * The results endpoints of a run (`ClusterResult.runId`): `POST /api/segments` (its segments
 * explained: names, rules, distinguishing features, distributions), `POST /api/evaluate` (held-out
 * evaluation, bootstrap stability, prediction strength) and `POST /api/anomalies` (per-row anomaly
 * scores, the flagged rows; the run's own algorithm's score where core has one, see
 * `runAnomaliesJob`). Each runs in the worker pool as a job (progress, cancel); the answers
 * are cached per run.
 */

import type { FastifyInstance } from "fastify";
import type { AnalysisHelpers, FeatureSet } from "./analysisRoutes.js";
import { ALGORITHMS } from "./api.js";
import type {
  AnomaliesRequest,
  AnomaliesResponse,
  EvaluateRequest,
  EvaluateResponse,
  SegmentsRequest,
  SegmentsResponse,
} from "./apiResults.js";
import { HttpError } from "./httpError.js";
import type { JobRegistry } from "./jobs.js";
import { checkParams, resolveParams } from "./params.js";
import type { RunStore } from "./runs.js";
import { clusterParamsSchema, featureProperties } from "./schemas.js";
import {
  type AnomaliesOutput,
  type AnomalyScoring,
  type EvaluateOutput,
  hasOwnAnomalyScore,
  type SegmentsOutput,
} from "./segments.js";
import type { WorkerPool } from "./workerPool.js";

const runId = { type: "string", minLength: 1, maxLength: 200 } as const;

/** JSON schema of the `POST /api/segments` body (see `SegmentsRequest`). */
export const segmentsBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns", "runId"],
  properties: { ...featureProperties, runId },
} as const;

/** JSON schema of the `POST /api/evaluate` body (see `EvaluateRequest`). */
export const evaluateBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns", "runId", "algorithm"],
  properties: {
    ...featureProperties,
    runId,
    algorithm: { type: "string", enum: [...ALGORITHMS] },
    params: clusterParamsSchema,
    nBootstrap: { type: "integer", minimum: 2, maximum: 200, default: 20 },
    testSize: { type: "number", exclusiveMinimum: 0, maximum: 0.9, default: 0.3 },
    maxRows: { type: "integer", minimum: 20, maximum: 20000, default: 2000 },
  },
} as const;

/** JSON schema of the `POST /api/anomalies` body (see `AnomaliesRequest`). */
export const anomaliesBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns", "runId"],
  properties: {
    ...featureProperties,
    runId,
    contamination: { type: "number", exclusiveMinimum: 0, maximum: 0.5, default: 0.05 },
    top: { type: "integer", minimum: 1, maximum: 200, default: 20 },
  },
} as const;

export interface SegmentsContext {
  pool: WorkerPool;
  jobs: JobRegistry;
  runs: RunStore;
  analysis: AnalysisHelpers;
}

/** A run's labels for the rows of the features (checked: same dataset, every row labelled). */
interface RunLabels {
  id: string;
  labels: Int32Array;
}

async function runFor(runs: RunStore, body: SegmentsRequest, f: FeatureSet): Promise<RunLabels> {
  const run = await runs.labels(body.runId);
  if (run.dataset !== body.dataset) {
    throw new HttpError(
      400,
      `invalid body.runId: ${JSON.stringify(body.runId)} (a run of dataset ${JSON.stringify(run.dataset)}, not ${JSON.stringify(body.dataset)})`,
    );
  }
  const n = f.raw.X.rows;
  const rowIndex = f.raw.rowIndex;
  const labels = new Int32Array(n);
  let missing = run.labels.length !== f.raw.nRowsTotal;
  for (let i = 0; i < n && !missing; i++) {
    const v = run.labels[rowIndex ? rowIndex[i] : i];
    if (v === null || v === undefined || v < -1) missing = true;
    else labels[i] = v;
  }
  if (missing) {
    throw new HttpError(
      400,
      `invalid body.runId: ${JSON.stringify(body.runId)} (it does not label the rows of these features: send the columns, scaling and preprocessing of the run)`,
    );
  }
  return { id: body.runId, labels };
}

export function registerSegmentsRoutes(app: FastifyInstance, ctx: SegmentsContext): void {
  const { pool, jobs, runs, analysis } = ctx;

  app.post("/api/segments", { schema: { body: segmentsBodySchema } }, async (request): Promise<SegmentsResponse> => {
    const body = request.body as SegmentsRequest;
    await runs.load(body.runId);
    return jobs.run("segments", body.jobId, async (job) => {
      const t0 = performance.now();
      const f = await analysis.features(body, job);
      const run = await runFor(runs, body, f);
      job.setStage("explaining the segments");
      const { value } = await analysis.cached<SegmentsOutput>(job, `${run.id}|segments|${f.featureKey}`, () =>
        pool.run("segments", { X: f.raw.X, columns: f.raw.columns, labels: run.labels, seed: f.seed }),
      );
      return {
        runId: run.id,
        nRows: f.raw.X.rows,
        features: f.raw.columns,
        ...value,
        seconds: (performance.now() - t0) / 1000,
      };
    });
  });

  app.post("/api/evaluate", { schema: { body: evaluateBodySchema } }, async (request): Promise<EvaluateResponse> => {
    const body = request.body as Required<EvaluateRequest>;
    await runs.load(body.runId);
    const params = resolveParams(body.algorithm, body.params);
    checkParams(body.algorithm, params);
    return jobs.run("evaluate", body.jobId, async (job) => {
      const t0 = performance.now();
      const f = await analysis.features(body, job);
      const run = await runFor(runs, body, f);
      const key = `${run.id}|evaluate|${f.featureKey}|${body.algorithm}|${JSON.stringify(params)}|${body.nBootstrap}|${body.testSize}|${body.maxRows}`;
      const { value } = await analysis.cached<EvaluateOutput>(job, key, () =>
        pool.run("evaluate", {
          Xs: f.Xs,
          labels: run.labels,
          algorithm: body.algorithm,
          params,
          seed: f.seed,
          nBootstrap: body.nBootstrap,
          testSize: body.testSize,
          maxRows: body.maxRows,
        }),
      );
      return {
        runId: run.id,
        algorithm: body.algorithm,
        nRows: f.raw.X.rows,
        ...value,
        seconds: (performance.now() - t0) / 1000,
      };
    });
  });

  app.post("/api/anomalies", { schema: { body: anomaliesBodySchema } }, async (request): Promise<AnomaliesResponse> => {
    const body = request.body as Required<AnomaliesRequest>;
    const stored = await runs.load(body.runId);
    // The run's algorithm, parameters (as answered: an automatic eps resolved) and seed: density and
    // mixture runs are refitted in the task to score the rows with their own score.
    const detail = stored.detail ?? null;
    const algorithm = detail?.algorithm ?? null;
    const params = algorithm && detail ? resolveParams(algorithm, detail.params) : {};
    const refits = hasOwnAnomalyScore(algorithm);
    return jobs.run("anomalies", body.jobId, async (job) => {
      const t0 = performance.now();
      const f = await analysis.features(body, job);
      const run = await runFor(runs, body, f);
      // The run id fixes its algorithm, parameters and seed, hence the scores: they are computed
      // once (the refit) and reused when only the contamination or the listed rows change.
      const scoringJob = { Xs: f.Xs, labels: run.labels, algorithm, params, seed: detail?.seed ?? f.seed };
      const scoring = await analysis.cached<AnomalyScoring>(job, `${run.id}|anomalyScores|${f.featureKey}`, () => {
        if (refits) job.setStage(`refitting the run's ${algorithm} clustering to score the rows`);
        // A refit (seconds for HDBSCAN or OPTICS on 100,000 rows) must not hold up the view workers.
        return pool.run("anomalyScores", scoringJob, { lane: refits ? "fit" : "view" });
      });
      job.setStage("flagging and explaining the anomalies");
      const key = `${run.id}|anomalies|${f.featureKey}|${body.contamination}|${body.top}`;
      const { value } = await analysis.cached<AnomaliesOutput>(job, key, () =>
        pool.run(
          "anomalies",
          {
            labels: run.labels,
            X: f.raw.X,
            columns: f.raw.columns,
            contamination: body.contamination,
            top: body.top,
            displayRows: f.display.rows,
            scoring: scoring.value,
          },
          { lane: "view" },
        ),
      );
      const rowIndex = f.raw.rowIndex;
      return {
        runId: run.id,
        kind: value.kind,
        description: value.description,
        contamination: body.contamination,
        threshold: value.threshold,
        nAnomalies: value.nAnomalies,
        nRows: f.raw.X.rows,
        top: value.top.map(({ matrixRow, ...rest }) => ({
          ...rest,
          row: rowIndex ? rowIndex[matrixRow] : matrixRow,
        })),
        displayedPoints: value.displayedPoints,
        geometryId: f.geometryId,
        quantiles: value.quantiles,
        scoresReused: scoring.hit !== "computed",
        seconds: (performance.now() - t0) / 1000,
      };
    });
  });
}
