import { ClusterlabError } from "@clusterlab/core";
import type { WorkerResponse } from "./worker.js";

/**
 * The `done` response of a worker task that threw, shared by `worker.ts` and `runsWorker.ts`: a
 * `ClusterlabError` is the user's (the pool answers 4xx), anything else a 500 with its stack.
 * `firstLine`: keep only the message's first line.
 */
export function failureResponse(id: number, error: unknown, firstLine = false): WorkerResponse {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    id,
    type: "done",
    ok: false,
    message: firstLine ? e.message.split("\n")[0] : e.message,
    userError: e instanceof ClusterlabError,
    stack: e.stack,
  };
}
