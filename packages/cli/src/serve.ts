import { HttpError, type RunningServer, startServer } from "@clusterlab/server";
import { type ServeArgs, UsageError } from "./args.js";
import type { CommandIO } from "./io.js";

/** Options for `runServe` (tests stop the server through `signal`). */
export interface RunServeOptions {
  /** Stops the server when aborted. Default: SIGINT or SIGTERM stops it. */
  signal?: AbortSignal;
  /** Called once the server listens. */
  onListening?: (server: RunningServer) => void;
}

/**
 * Runs `clusterlab serve`: starts the dashboard server, prints its address
 * (`Clusterlab dashboard: http://127.0.0.1:8765/`) and serves until Ctrl+C (or `signal`).
 * Returns the exit code.
 */
export async function runServe(args: ServeArgs, io: CommandIO, options: RunServeOptions = {}): Promise<number> {
  let server: RunningServer;
  try {
    server = await startServer({
      host: args.host,
      port: args.port,
      dataDir: args.dataDir,
      maxUploadMb: args.maxUploadMb,
      openDataset: args.openDataset,
      token: args.token,
    });
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 404) {
      throw new UsageError(`invalid --open-dataset: ${error.message} (samples: iris, wine, penguins, tips)`);
    }
    throw error;
  }
  io.stdout(`Clusterlab dashboard: ${server.url}\n`);
  if (server.token) {
    io.stderr(
      `clusterlab: listening on ${args.host}, reachable from other machines: the API requires the token in the address above\n`,
    );
  }
  io.stderr("clusterlab: press Ctrl+C to stop\n");
  options.onListening?.(server);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      options.signal?.removeEventListener("abort", stop);
      resolve();
    };
    if (options.signal) {
      if (options.signal.aborted) return stop();
      options.signal.addEventListener("abort", stop);
    } else {
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    }
  });
  await server.close();
  return 0;
}
