import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdbMessage, loadDuckDB } from "../duckdb.js";
import { StoreError } from "./storeError.js";

/** Per database file, the tail of the chain of operations (writes are serialised inside a process). */
const queues = new Map<string, Promise<unknown>>();

const LOCK_CONFLICT = /Could not set lock on file|Conflicting lock/i;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Options of `withDatabase`. */
export interface DatabaseOptions {
  /** How long to wait for another process holding the database file. Default 10,000 ms. */
  lockTimeoutMs?: number;
}

/**
 * Runs `fn` with a connection to the DuckDB database file at `path`, one operation at a time per
 * file inside this process (a queue), opening the file for the operation only and closing it after,
 * so that other processes can use the store between operations. DuckDB lets one process at a time
 * open a file for writing: when another process holds it, the open is retried with backoff for up
 * to `lockTimeoutMs`, then fails with a `StoreError` naming the holder.
 */
export function withDatabase<T>(
  path: string,
  fn: (connection: DuckDBConnection) => Promise<T>,
  options: DatabaseOptions = {},
): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const next = previous.then(
    () => runOnce(path, fn, options),
    () => runOnce(path, fn, options),
  );
  const tail = next.catch(() => {});
  queues.set(path, tail);
  void tail.then(() => {
    if (queues.get(path) === tail) queues.delete(path);
  });
  return next;
}

async function runOnce<T>(
  path: string,
  fn: (connection: DuckDBConnection) => Promise<T>,
  options: DatabaseOptions,
): Promise<T> {
  const { DuckDBInstance } = await loadDuckDB();
  const deadline = Date.now() + (options.lockTimeoutMs ?? 10_000);
  let wait = 25;
  let instance: Awaited<ReturnType<typeof DuckDBInstance.create>>;
  for (;;) {
    try {
      instance = await DuckDBInstance.create(path);
      break;
    } catch (error) {
      const message = duckdbMessage(error);
      if (LOCK_CONFLICT.test(message) && Date.now() < deadline) {
        await sleep(wait);
        wait = Math.min(wait * 2, 500);
        continue;
      }
      if (LOCK_CONFLICT.test(message)) {
        const holder = /held in (.*?) \(PID (\d+)\)/.exec(message);
        throw new StoreError(
          `the store ${path} is in use by another process${holder ? ` (PID ${holder[2]})` : ""}; DuckDB allows one writer at a time: retry when it is done`,
        );
      }
      throw new StoreError(`cannot open the store ${path}: ${message}`);
    }
  }
  try {
    const connection = await instance.connect();
    try {
      return await fn(connection);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Runs `fn` inside a transaction: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(connection: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await connection.run("BEGIN TRANSACTION");
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await connection.run("ROLLBACK");
    throw error;
  }
  await connection.run("COMMIT");
  return result;
}
