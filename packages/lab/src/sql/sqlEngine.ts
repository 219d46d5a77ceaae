import type { ClientConfig } from "pg";
import { loadDuckDB } from "../duckdb.js";
import { DataError } from "../errors.js";
import { clickhouseDialect, duckdbDialect, postgresDialect, type SqlDialect } from "./sqlDialect.js";

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
  /** Names and engine type names of the columns a `SELECT` returns, and whether each is numeric. */
  columnTypes(select: string): Promise<SqlColumnType[]>;
  /** Closes the connection (and, for an engine it opened itself, the database). */
  close(): Promise<void>;
}

/** A column of a `SELECT`: its name, the engine's type name and whether it holds numbers. */
export interface SqlColumnType {
  name: string;
  type: string;
  numeric: boolean;
}

const DUCKDB_NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(.*\))?)$/i;
const CLICKHOUSE_NUMERIC =
  /^(Nullable\()?(U?Int(8|16|32|64|128|256)|Float(32|64)|Decimal(32|64|128|256)?(\(.*\))?)\)?$/;
/** PostgreSQL type OIDs of int2, int4, int8, float4, float8, numeric. */
const PG_NUMERIC: Record<number, string> = {
  21: "smallint",
  23: "integer",
  20: "bigint",
  700: "real",
  701: "double precision",
  1700: "numeric",
};

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
    async columnTypes(select) {
      const reader = await connection.runAndReadAll(`DESCRIBE ${select}`);
      return reader.getRowsJS().map((r) => {
        const type = String(r[1]);
        return { name: String(r[0]), type, numeric: DUCKDB_NUMERIC.test(type) };
      });
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
    async columnTypes(select) {
      const result = await client.query(`SELECT * FROM (${select}) AS q LIMIT 0`);
      const oids = [...new Set(result.fields.map((f) => f.dataTypeID))];
      const names = new Map<number, string>();
      if (oids.length > 0) {
        const types = await client.query(
          `SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid IN (${oids.join(", ")})`,
        );
        for (const r of types.rows as { oid: number; name: string }[]) names.set(Number(r.oid), r.name);
      }
      return result.fields.map((f) => ({
        name: f.name,
        type: PG_NUMERIC[f.dataTypeID] ?? names.get(f.dataTypeID) ?? `oid ${f.dataTypeID}`,
        numeric: f.dataTypeID in PG_NUMERIC,
      }));
    },
    async close() {
      if (!open) return;
      open = false;
      await client.end();
    },
  };
}

/** Options for `openChdbEngine`. */
export interface ChdbEngineOptions {
  /** Directory of the session's databases (kept). Default: a temporary one, removed on `close`. */
  path?: string;
}

/**
 * Opens an embedded ClickHouse (the `chdb` npm package, an optional dependency of
 * `@clusterlab/lab`) as a `SqlEngine` with the ClickHouse dialect. Results are read as JSON
 * (64-bit integers may come back as strings: `sqlNumber` handles both).
 */
export async function openChdbEngine(options: ChdbEngineOptions = {}): Promise<SqlEngine> {
  let mod: { Session: new (path?: string) => ChdbSession };
  try {
    const name = "chdb";
    mod = (await import(name)) as typeof mod;
  } catch (error) {
    throw new DataError(
      `the clickhouse engine needs the optional package chdb (npm install chdb): ${(error as Error).message}`,
    );
  }
  const session = new mod.Session(options.path);
  let open = true;
  const run = async (sql: string): Promise<SqlRow[]> => {
    const result = await session.queryAsync(sql, { format: "JSON" });
    const text = result.text();
    if (text.trim() === "") return [];
    return (JSON.parse(text) as { data: SqlRow[] }).data;
  };
  return {
    dialect: clickhouseDialect,
    query: run,
    async columnNames(select) {
      const rows = await run(`DESCRIBE (${select})`);
      return rows.map((r) => String(r.name));
    },
    async columnTypes(select) {
      const rows = await run(`DESCRIBE (${select})`);
      return rows.map((r) => ({
        name: String(r.name),
        type: String(r.type),
        numeric: CLICKHOUSE_NUMERIC.test(String(r.type)),
      }));
    },
    async close() {
      if (!open) return;
      open = false;
      session.cleanup();
    },
  };
}

/** The part of chdb's `Session` used here. */
interface ChdbSession {
  queryAsync(sql: string, options: { format: string }): Promise<{ text(): string }>;
  cleanup(): void;
}
