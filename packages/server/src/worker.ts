import { parentPort } from "node:worker_threads";
import { ClusterlabError } from "@clusterlab/core";
import { type ClusterJob, runClusterJob, runSweepJob, type SweepJob } from "./analysis.js";

/** A message from the pool to this worker. */
export type WorkerRequest =
  | { id: number; kind: "cluster"; job: ClusterJob }
  | { id: number; kind: "sweep"; job: SweepJob };

/** The answer: the result, or the error with whether it is the user's (bad parameters or data). */
export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; message: string; userError: boolean; stack?: string };

// The worker thread: runs one job at a time, as sent by `WorkerPool`.
parentPort?.on("message", (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    const result = request.kind === "cluster" ? runClusterJob(request.job) : runSweepJob(request.job);
    response = { id: request.id, ok: true, result };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    response = {
      id: request.id,
      ok: false,
      message: e.message,
      userError: e instanceof ClusterlabError,
      stack: e.stack,
    };
  }
  parentPort!.postMessage(response);
});
