import type { DuckDBConnection } from "@duckdb/node-api";

type DuckDBModule = typeof import("@duckdb/node-api");
let duckdbModule: Promise<DuckDBModule> | undefined;

/**
 * The `@duckdb/node-api` module, loaded on first use: importing `@clusterlab/lab` stays cheap
 * (no native library load) for callers that never touch a file, e.g. `clusterlab --help`.
 */
export function loadDuckDB(): Promise<DuckDBModule> {
  duckdbModule ??= import("@duckdb/node-api");
  return duckdbModule;
}

/**
 * Runs `fn` with a connection to a fresh in-memory DuckDB instance and closes both afterwards,
 * also when `fn` throws. Each call is independent: nothing is shared between calls.
 */
export async function withDuckDB<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const { DuckDBInstance } = await loadDuckDB();
  const instance = await DuckDBInstance.create(":memory:");
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

/** A SQL string literal: `'it''s'`. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A SQL quoted identifier: `"my ""column"""`. */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The first line of a DuckDB error message without its `Xxx Error: ` prefix. */
export function duckdbMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split("\n").find((line) => line.trim() !== "") ?? text;
  return first.replace(/^[A-Za-z ]*Error: /, "").trim();
}
