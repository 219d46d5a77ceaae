// Worker threads for @clusterlab/core's WebAssembly kernels in Node (core itself is isomorphic and
// takes the executor by injection: setParallelExecutor). Usage:
//
//   import { setParallelExecutor } from "@clusterlab/core";
//   import { createNodeExecutor } from "@clusterlab/core/node";
//   setParallelExecutor(createNodeExecutor()); // one worker per extra core
//
// Results are identical with and without it (see packages/core/src/wasm/parallel.ts).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

const workerUrl = new URL("./nodeExecutorWorker.mjs", import.meta.url);

/**
 * An executor with `workers` worker threads (default: available cores - 1, at least 1). The
 * workers are unref'd (they do not keep the process alive); `close()` terminates them.
 *
 * Each run hands the whole list of calls to every worker; the calling thread and the workers take
 * calls from a shared counter, so a thread that is descheduled (a busy machine) takes fewer. Every
 * run has its own counter and flags, so a worker still busy with an earlier run's message can never
 * take a call of a later run.
 */
export function createNodeExecutor(workers = Math.max(1, availableParallelism() - 1)) {
  if (!Number.isInteger(workers) || workers < 0)
    throw new Error(`invalid workers: ${workers} (must be an integer >= 0)`);
  const pool = [];
  for (let w = 0; w < workers; w++) {
    const worker = new Worker(workerUrl);
    worker.unref();
    pool.push(worker);
  }
  let attached = null;
  return {
    workers,
    run(module, memory, calls, runLocal) {
      const n = calls.length;
      if (attached === null || attached.module !== module || attached.memory !== memory) {
        for (const worker of pool) worker.postMessage({ type: "attach", module, memory });
        attached = { module, memory };
      }
      // counter[0]: next call to take; flags[c]: 0 pending, 1 done, 2 failed; results[c].
      const counter = new Int32Array(new SharedArrayBuffer(4));
      const flags = new Int32Array(new SharedArrayBuffer(4 * n));
      const results = new Float64Array(new SharedArrayBuffer(8 * n));
      const message = { type: "run", calls, counter: counter.buffer, flags: flags.buffer, results: results.buffer };
      for (const worker of pool) worker.postMessage(message);
      let failure = null;
      for (let c = Atomics.add(counter, 0, 1); c < n; c = Atomics.add(counter, 0, 1)) {
        try {
          results[c] = runLocal(c);
        } catch (e) {
          failure ??= e;
        }
        Atomics.store(flags, c, 1);
      }
      for (let c = 0; c < n; c++) {
        while (Atomics.load(flags, c) === 0) Atomics.wait(flags, c, 0, 1000);
        if (Atomics.load(flags, c) === 2) failure ??= new Error(`kernel call ${c} failed on a worker thread`);
      }
      if (failure !== null) throw failure;
      return Array.from(results);
    },
    /** Terminates the workers. */
    close() {
      return Promise.all(pool.map((worker) => worker.terminate()));
    },
  };
}
