/**
 * The `--threads <n>` global option: how many threads core's WebAssembly kernels use (the calling
 * thread plus n - 1 Node worker threads over shared WebAssembly memory, `createNodeExecutor` from
 * `@clusterlab/core/node`). Default: the available cores; 1 runs no worker. Results are identical
 * for any thread count (core splits rows into fixed blocks and combines them in block order).
 *
 * The workers are created on the first kernel call that can use them (a command that never runs
 * a kernel starts none), are unref'd (they never keep the process alive) and are terminated when
 * the command ends.
 */
import { availableParallelism } from "node:os";
import { getParallelExecutor, type KernelCall, type ParallelExecutor, setParallelExecutor } from "@clusterlab/core";
import { createNodeExecutor, type NodeExecutor } from "@clusterlab/core/node";
import { UsageError } from "./usage.js";

/** Help text of the global option (appended to `clusterlab --help`). */
export const THREADS_HELP = `
Global option (any command):
  --threads <n>   threads for the numeric kernels (default: the available cores, here ${availableParallelism()}; 1 = no worker threads)
`;

/**
 * Removes `--threads <n>` / `--threads=<n>` from the command line (anywhere before a `--`) and
 * returns the rest with the thread count (`undefined` when not given). Throws a `UsageError` for a
 * missing or invalid value.
 */
export function extractThreads(argv: readonly string[]): { argv: string[]; threads: number | undefined } {
  const rest: string[] = [];
  let threads: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    let value: string | undefined;
    if (a === "--threads") {
      value = argv[i + 1];
      if (value === undefined || value.startsWith("-")) {
        throw new UsageError("option '--threads <n>' argument missing");
      }
      i++;
    } else if (a.startsWith("--threads=")) {
      value = a.slice("--threads=".length);
    } else {
      rest.push(a);
      continue;
    }
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
      throw new UsageError(`invalid --threads: ${JSON.stringify(value)} (must be an integer >= 1)`);
    }
    threads = n;
  }
  return { argv: rest, threads };
}

/**
 * An executor with `threads - 1` workers that creates them on its first run (so that commands
 * that never call a kernel start no thread), and `close()` to terminate them.
 */
function lazyExecutor(threads: number): ParallelExecutor & { close(): Promise<unknown> } {
  const workers = threads - 1;
  let inner: NodeExecutor | null = null;
  return {
    workers,
    run(module: object, memory: object, calls: readonly KernelCall[], runLocal: (index: number) => number): number[] {
      inner ??= createNodeExecutor(workers);
      return inner.run(module, memory, calls, runLocal);
    },
    close() {
      const e = inner;
      inner = null;
      return e === null ? Promise.resolve() : e.close();
    },
  };
}

/**
 * Installs the executor for `threads` threads (default: the available cores) with
 * `setParallelExecutor`, and returns the function that puts back the previous executor (none,
 * when run as the `clusterlab` process) and terminates the workers.
 */
export function installThreads(threads: number | undefined): () => Promise<void> {
  const previous = getParallelExecutor();
  const n = threads ?? availableParallelism();
  if (n <= 1) {
    setParallelExecutor(null);
    return async () => setParallelExecutor(previous);
  }
  const executor = lazyExecutor(n);
  setParallelExecutor(executor);
  return async () => {
    setParallelExecutor(previous);
    await executor.close();
  };
}
