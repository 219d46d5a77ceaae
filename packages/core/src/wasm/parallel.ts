/**
 * Worker threads for the WebAssembly kernels, injected: core is isomorphic and has no thread API
 * of its own. With an executor set (in Node: `createNodeExecutor` from `@clusterlab/core/node`),
 * the WebAssembly kernels use a shared memory, and the k-means assignment steps hand their blocks
 * of rows to the workers as well as running some on the calling thread.
 *
 * The rows are split into fixed blocks whatever the number of threads (`blockRows` in
 * cluster/kmeansKernels.ts), each block writing only its own rows and its own partial sums, which
 * are then combined in block order on the calling thread: results are identical for any number of
 * threads, and equal to those of the TypeScript kernels.
 */

/** A call of a kernel export: its name and numeric arguments. */
export type KernelCall = readonly [name: string, ...args: number[]];

/** Runs kernel calls on worker threads (see the module comment). */
export interface ParallelExecutor {
  /** Worker threads, besides the calling thread. */
  readonly workers: number;
  /**
   * Runs every call of `calls` once, on the workers and on the calling thread (through
   * `runLocal(index)`), and returns once all are done, with their return values in call order.
   * The calls are independent (each writes only its own outputs), so any thread may take any
   * call: threads take the next call as they become free (a busy or descheduled thread then
   * simply takes fewer). `module` is the shared-memory build of the kernels and `memory` its
   * shared `WebAssembly.Memory`: a worker instantiates `module` with `{ env: { memory } }`
   * whenever the pair changes. Synchronous: the calling thread blocks until the workers finish
   * their calls (Node's main thread may; a browser's may not).
   */
  run(module: object, memory: object, calls: readonly KernelCall[], runLocal: (index: number) => number): number[];
}

let executor: ParallelExecutor | null = null;

/**
 * Sets (or, with `null`, removes) the executor that runs kernel blocks on worker threads. Default:
 * none (one thread). Results do not depend on it, only speed does.
 */
export function setParallelExecutor(value: ParallelExecutor | null): void {
  executor = value;
}

/** The executor set by `setParallelExecutor`, or `null`. */
export function getParallelExecutor(): ParallelExecutor | null {
  return executor;
}
