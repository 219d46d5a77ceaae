import type { ClientConfig } from "pg";
import { loadDuckDB } from "../duckdb.js";
import { DataError } from "../errors.js";
import { duckdbDialect, postgresDialect, type SqlDialect } from "./sqlDialect.js";

/** One result row: column name to value (numbers as `number`, 64-bit integers as `bigint` or `number`). */
export type SqlRow = Record<string, unknown>;

/**
 * A connection to a SQL engine: the dialect to generate SQL in, a way to run one statement and read
 * its (small) result, and `close`. Pushed-down algorithms only ever read aggregates through it.
 */
export interface SqlEngine {
  readonly dialect: SqlDialect;
  /** Runs one statement and returns its rows (empty for statements without a result). */
  query(sql: string): Promise<SqlRow[]>;
  /** Names of the columns a `SELECT` returns, in order (without reading its rows). */
  columnNames(select: string): Promise<string[]>;
  /** Closes the connection (and, for an engine it opened itself, the database). */
  close(): Promise<void>;
}

/** Options for `openDuckDBEngine`. */
export interface DuckDBEngineOptions {
  /** DuckDB configuration (e.g. `{ threads: "2", memory_limit: "4GB" }`). Default: DuckDB's defaults. */
  config?: Record<string, string>;
}

/**
 * Opens an embedded DuckDB database (`":memory:"` by default, or a database file) as a `SqlEngine`.
 * DuckDB streams tables, views and Parquet/CSV files larger than memory through each query.
 */
export async function openDuckDBEngine(path = ":memory:", options: DuckDBEngineOptions = {}): Promise<SqlEngine> {
  const { DuckDBInstance } = await loadDuckDB();
  const instance = await DuckDBInstance.create(path, options.config);
  const connection = await instance.connect();
  let open = true;
  return {
    dialect: duckdbDialect,
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS() as SqlRow[];
    },
    async columnNames(select) {
      const reader = await connection.runAndReadAll(`DESCRIBE ${select}`);
      return reader.getRowsJS().map((r) => String(r[0]));
    },
    async close() {
      if (!open) return;
      open = false;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Connects to a PostgreSQL server (a `postgres://` URL or a `pg` client configuration) as a
 * `SqlEngine`. `bigint` and `numeric` results are returned as JavaScript numbers.
 */
export async function openPostgresEngine(connection: string | ClientConfig): Promise<SqlEngine> {
  const { default: pg } = await import("pg");
  const config: ClientConfig = typeof connection === "string" ? { connectionString: connection } : { ...connection };
  const INT8 = 20;
  const NUMERIC = 1700;
  const base = pg.types.getTypeParser as (oid: number, format?: string) => (v: string) => unknown;
  const getTypeParser = (oid: number, format?: string) =>
    oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : base(oid, format);
  config.types = { getTypeParser } as unknown as ClientConfig["types"];
  const client = new pg.Client(config);
  try {
    await client.connect();
  } catch (error) {
    throw new DataError(`cannot connect to PostgreSQL: ${(error as Error).message}`);
  }
  let open = true;
  return {
    dialect: postgresDialect,
    async query(sql) {
      const result = await client.query(sql);
      return (result.rows ?? []) as SqlRow[];
    },
    async columnNames(select) {
      const result = await client.query(`SELECT * FROM (${select}) AS q LIMIT 0`);
      return result.fields.map((f) => f.name);
    },
    async close() {
      if (!open) return;
      open = false;
      await client.end();
    },
  };
}
