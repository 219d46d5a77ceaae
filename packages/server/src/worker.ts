import { parentPort } from "node:worker_threads";
import type { Matrix } from "@clusterlab/core";
import {
  type BicStructure,
  buildStructure,
  type FitResult,
  fitAlgorithm,
  type Progress,
  runBicSweep,
  runSweep,
  type Structure,
  type StructureAlgorithm,
  type StructureSpec,
  type SweepStructure,
} from "./algorithms.js";
import {
  type ClustermapJob,
  type ClustermapOutput,
  type Prepared,
  prepare,
  runClustermapJob,
  runSilhouetteJob,
  runViewJob,
  type SilhouetteJob,
  type SilhouetteOutput,
  scale,
  type ViewJob,
  type ViewOutput,
} from "./analysis.js";
import type { Algorithm, ClusterParams, CovarianceTypeName, Scaling } from "./api.js";
import type { PreprocessPreviewFeature } from "./apiData.js";
import { type ProfileJob, type ProfileOutput, runProfileJob } from "./dataProfile.js";
import { type GapTask, type GapTaskOutput, runGapTask } from "./gapTask.js";
import {
  type PreprocessJob,
  type PreprocessOutput,
  type PreviewJob,
  runPreprocessJob,
  runPreviewJob,
  type SpaceSpec,
} from "./preprocess.js";
import { type ProjectionJob, type ProjectionOutput, runProjectionJob } from "./projection.js";
import {
  type AnomaliesJob,
  type AnomaliesOutput,
  type AnomalyScoring,
  type AnomalyScoringJob,
  type EvaluateJob,
  type EvaluateOutput,
  runAnomaliesJob,
  runAnomalyScoringJob,
  runEvaluateJob,
  runSegmentsJob,
  type SegmentsJob,
  type SegmentsOutput,
} from "./segments.js";
import { failureResponse } from "./workerFailure.js";
import { runWorkflowTask, type WorkflowTask } from "./workflowTasks.js";

/** The tasks a worker runs, with their inputs and results. */
export interface TaskTypes {
  prepare: { input: { X: Matrix; scaling: Scaling; seed: number; space?: SpaceSpec }; output: Prepared };
  /** Imputation, transform, outlier removal and encoding (`FeatureRequest.preprocess`). */
  preprocess: { input: PreprocessJob; output: PreprocessOutput };
  /** The numeric features before and after preprocessing. */
  preview: { input: PreviewJob; output: PreprocessPreviewFeature[] };
  /** The Data page's profile of a table. */
  profile: { input: ProfileJob; output: ProfileOutput };
  sweep: { input: { Xs: Matrix; seed: number; kMin: number; kMax: number }; output: SweepStructure };
  bic: {
    input: { Xs: Matrix; seed: number; kMin: number; kMax: number; covarianceType: CovarianceTypeName };
    output: BicStructure;
  };
  /** The gap statistic and bootstrap stability per k (`POST /api/sweep/gap`). */
  gap: { input: GapTask; output: GapTaskOutput };
  structure: { input: { Xs: Matrix; spec: StructureSpec }; output: Structure };
  fit: {
    input: { Xs: Matrix; algorithm: Exclude<Algorithm, StructureAlgorithm>; params: ClusterParams; seed: number };
    output: FitResult;
  };
  view: { input: ViewJob & { silhouette?: boolean }; output: ViewOutput };
  silhouette: { input: SilhouetteJob; output: SilhouetteOutput };
  clustermap: { input: ClustermapJob; output: ClustermapOutput };
  projection: { input: ProjectionJob; output: ProjectionOutput };
  segments: { input: SegmentsJob; output: SegmentsOutput };
  evaluate: { input: EvaluateJob; output: EvaluateOutput };
  /** An anomalies task's scores (the refit), reused across contaminations: see segments.ts. */
  anomalyScores: { input: AnomalyScoringJob; output: AnomalyScoring };
  anomalies: { input: AnomaliesJob; output: AnomaliesOutput };
  /** The workflow pages' work (image, text, rfm, social, anomalies): see workflowTasks.ts. */
  workflow: { input: WorkflowTask; output: unknown };
  /** For tests: spins for `ms` milliseconds, reporting progress. */
  spin: { input: { ms: number }; output: { spun: number } };
}

export type TaskKind = keyof TaskTypes;

/** A message from the pool to a worker. */
export interface WorkerRequest {
  id: number;
  kind: TaskKind;
  input: unknown;
}

/** Messages from a worker: progress while a task runs, then its result or error. */
export type WorkerResponse =
  | { id: number; type: "progress"; progress: Progress }
  | { id: number; type: "done"; ok: true; result: unknown }
  | { id: number; type: "done"; ok: false; message: string; userError: boolean; stack?: string };

function spin(ms: number, report: (p: Progress) => void): { spun: number } {
  const start = Date.now();
  let lastReport = 0;
  while (Date.now() - start < ms) {
    const now = Date.now();
    if (now - lastReport > 50) {
      lastReport = now;
      report({ fraction: (now - start) / ms, message: "spinning" });
    }
  }
  return { spun: Date.now() - start };
}

/** Runs one task; `report` posts progress to the pool. */
export function runTask(kind: TaskKind, input: unknown, report: (p: Progress) => void): unknown {
  switch (kind) {
    case "prepare": {
      const t = input as TaskTypes["prepare"]["input"];
      return prepare(t.X, t.scaling, t.seed, t.space);
    }
    case "preprocess":
      return runPreprocessJob(input as PreprocessJob);
    case "preview": {
      const t = input as PreviewJob;
      return runPreviewJob(t, (m) => scale(m, t.scaling));
    }
    case "profile":
      return runProfileJob(input as ProfileJob);
    case "sweep": {
      const t = input as TaskTypes["sweep"]["input"];
      return runSweep(t.Xs, t.seed, t.kMin, t.kMax, report);
    }
    case "bic": {
      const t = input as TaskTypes["bic"]["input"];
      return runBicSweep(t.Xs, t.seed, t.kMin, t.kMax, t.covarianceType, report);
    }
    case "gap":
      return runGapTask(input as GapTask, report);
    case "structure": {
      const t = input as TaskTypes["structure"]["input"];
      return buildStructure(t.Xs, t.spec, report);
    }
    case "fit": {
      const t = input as TaskTypes["fit"]["input"];
      return fitAlgorithm(t.Xs, t.algorithm, t.params, t.seed, report);
    }
    case "view":
      return runViewJob(input as ViewJob);
    case "silhouette":
      return runSilhouetteJob(input as SilhouetteJob);
    case "clustermap":
      return runClustermapJob(input as ClustermapJob);
    case "workflow":
      return runWorkflowTask(input as WorkflowTask, report);
    case "projection":
      return runProjectionJob(input as ProjectionJob, report);
    case "segments":
      return runSegmentsJob(input as SegmentsJob, report);
    case "evaluate":
      return runEvaluateJob(input as EvaluateJob, report);
    case "anomalyScores":
      return runAnomalyScoringJob(input as AnomalyScoringJob);
    case "anomalies":
      return runAnomaliesJob(input as AnomaliesJob);
    case "spin":
      return spin((input as { ms: number }).ms, report);
  }
}

// The worker thread: runs one task at a time, as sent by `WorkerPool`.
parentPort?.on("message", (request: WorkerRequest) => {
  const port = parentPort!;
  let response: WorkerResponse;
  try {
    const result = runTask(request.kind, request.input, (progress) =>
      port.postMessage({ id: request.id, type: "progress", progress } satisfies WorkerResponse),
    );
    response = { id: request.id, type: "done", ok: true, result };
  } catch (error) {
    response = failureResponse(request.id, error);
  }
  port.postMessage(response);
});
