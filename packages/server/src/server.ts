import type { FastifyInstance } from "fastify";
import { type AppOptions, createApp, generateToken } from "./app.js";

/** Default port of `clusterlab serve`. */
export const DEFAULT_PORT = 8765;
/** Default address: this machine only. */
export const DEFAULT_HOST = "127.0.0.1";

/** Options for `startServer`: the app's plus where to listen. */
export interface ServerOptions extends Omit<AppOptions, "token"> {
  /** Address to bind. Default "127.0.0.1". Any other than a loopback address requires a token. */
  host?: string;
  /** Port (0 picks a free one). Default 8765. */
  port?: number;
  /**
   * Token for the API. Default: none on a loopback address; on any other address a random one is
   * generated (as Jupyter does), since then other machines can reach the server.
   */
  token?: string;
}

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  /** Address of the dashboard, with `?token=...` when a token is required. */
  url: string;
  host: string;
  port: number;
  token: string | null;
  close(): Promise<void>;
}

/** Whether `host` is only reachable from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The token a server on `host` requires: the one given, else none on a loopback address and a
 * freshly generated one on any other (as Jupyter does).
 */
export function tokenFor(host: string, given?: string): string | null {
  return given ?? (isLoopback(host) ? null : generateToken());
}

/** Starts the dashboard server and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const token = tokenFor(host, options.token);
  const app = await createApp({ ...options, token });
  try {
    await app.listen({ host, port: options.port ?? DEFAULT_PORT });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new Error(`port ${options.port ?? DEFAULT_PORT} is already in use on ${host}; choose another with --port`);
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? DEFAULT_PORT);
  const shown = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  const url = `http://${shown}:${port}/${token ? `?token=${token}` : ""}`;
  return { app, url, host, port, token, close: () => app.close() };
}
