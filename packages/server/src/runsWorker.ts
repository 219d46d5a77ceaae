/**
 * The worker thread of the comparison and export tasks (run by a `WorkerPool` of its own, with the
 * same message protocol as `worker.ts`): lab's `compareModels` over every algorithm, the model file
 * of a run's analysis spec (lab's `runSpec`), and the standalone HTML report. Each task reads the
 * dataset's file itself, so the server's event loop only passes paths and settings.
 */
import { parentPort } from "node:worker_threads";
import { adjustedRandScore } from "@clusterlab/core";
import {
  type CompareModelsResult,
  compareModels,
  type DataFormat,
  type NormalizedAnalysisSpec,
  readTable,
  runSpec,
  toModelFile,
  UNASSIGNED,
} from "@clusterlab/lab";
import type { Progress } from "./algorithms.js";
import type { RunSettings } from "./apiRuns.js";
import { buildReportPayload, type ReportAlgorithm, renderReportHtml } from "./report.js";
import type { WorkerRequest, WorkerResponse } from "./worker.js";
import { failureResponse } from "./workerFailure.js";

/** The tasks of this worker, with their inputs and results. */
export interface RunsTaskTypes {
  compare: {
    input: {
      path: string;
      format: DataFormat;
      spec: NormalizedAnalysisSpec;
      k: number | null;
      algorithms: string[] | null;
    };
    output: CompareModelsResult;
  };
  model: {
    /** The run's spec (normalised or not: `runSpec` validates and normalises it). */
    input: { path: string; format: DataFormat; spec: unknown; name: string; labels: (number | null)[] };
    output: { model: unknown; adjustedRandWithRun: number | null };
  };
  report: {
    input: { path: string; format: DataFormat; name: string; settings: RunSettings; k: number; title: string };
    output: { html: string };
  };
}

export type RunsTaskKind = keyof RunsTaskTypes;

async function runTask(kind: RunsTaskKind, input: unknown, report: (p: Progress) => void): Promise<unknown> {
  switch (kind) {
    case "compare": {
      const t = input as RunsTaskTypes["compare"]["input"];
      report({ fraction: 0, message: "reading the data" });
      const table = await readTable(t.path, { format: t.format });
      const result = await compareModels(t.spec, table, {
        ...(t.k !== null && { k: t.k }),
        ...(t.algorithms && { algorithms: t.algorithms }),
        onProgress: (algorithm, index, total) =>
          report({ fraction: index / total, message: `fitting ${algorithm} (${index + 1} of ${total})` }),
      });
      return result;
    }
    case "model": {
      const t = input as RunsTaskTypes["model"]["input"];
      report({ fraction: null, message: "fitting the analysis spec" });
      const table = await readTable(t.path, { format: t.format });
      const result = await runSpec(t.spec, { table });
      const model = toModelFile(result.analysis, { input: t.name, nSamples: result.rows.fitted });
      // How well the spec's fit agrees with the dashboard's labels (rows clustered in both).
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < result.labels.length && i < t.labels.length; i++) {
        const mine = t.labels[i];
        if (mine === null || result.labels[i] === UNASSIGNED) continue;
        a.push(mine);
        b.push(result.labels[i]);
      }
      return { model, adjustedRandWithRun: a.length >= 2 ? adjustedRandScore(a, b) : null };
    }
    case "report": {
      const t = input as RunsTaskTypes["report"]["input"];
      report({ fraction: null, message: "building the report" });
      const table = await readTable(t.path, { format: t.format });
      const s = t.settings;
      const payload = buildReportPayload(table, {
        input: t.name,
        columns: s.columns,
        scaling: s.scaling,
        algorithm: s.algorithm as ReportAlgorithm,
        // The run's own parameters (the eps DBSCAN chose, ...), with the k it found.
        params: { ...s.params, k: t.k },
        seed: s.seed,
        dropMissing: s.dropMissing,
        title: t.title,
      });
      return { html: renderReportHtml(payload) };
    }
  }
}

parentPort?.on("message", (request: WorkerRequest) => {
  const port = parentPort!;
  const post = (response: WorkerResponse) => port.postMessage(response);
  runTask(request.kind as unknown as RunsTaskKind, request.input, (progress) =>
    post({ id: request.id, type: "progress", progress }),
  ).then(
    (result) => post({ id: request.id, type: "done", ok: true, result }),
    (error: unknown) => post(failureResponse(request.id, error, true)),
  );
});
