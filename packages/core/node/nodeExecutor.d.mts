import type { ParallelExecutor } from "../dist/index.js";

/** A `ParallelExecutor` on Node worker threads, with `close()` to terminate them. */
export interface NodeExecutor extends ParallelExecutor {
  close(): Promise<unknown>;
}

/**
 * An executor with `workers` worker threads (default: available cores - 1, at least 1), for
 * `setParallelExecutor`. Results are identical with and without it.
 */
export function createNodeExecutor(workers?: number): NodeExecutor;
