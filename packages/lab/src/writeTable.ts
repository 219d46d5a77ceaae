import { mkdir } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { DuckDBAppender, DuckDBDataChunk, DuckDBType } from "@duckdb/node-api";
import { duckdbMessage, loadDuckDB, sqlIdent, sqlString, withDuckDB } from "./duckdb.js";
import { DataError } from "./errors.js";
import type { Table } from "./table.js";

/**
 * Values of an extra output column: `Int32Array` is written as INTEGER, `Float64Array` as DOUBLE
 * (NaN as NULL), a string array as VARCHAR, a number array as INTEGER when every value is an
 * integer and DOUBLE otherwise; `null` is NULL.
 */
export type ColumnValues = Int32Array | Float64Array | readonly (string | null)[] | readonly (number | null)[];

/** Output formats `writeTable` understands, from the extension unless given. */
export type OutputFormat = "csv" | "tsv" | "parquet" | "json" | "ndjson";

/** Options for `writeTable`. */
export interface WriteTableOptions {
  /** Output format. Default: from the extension (`.csv`, `.tsv`, `.parquet`/`.pq`, `.json`, `.ndjson`/`.jsonl`). */
  format?: OutputFormat;
}

/** Works out the output format of `path` from its extension. */
export function outputFormat(path: string): OutputFormat {
  const name = basename(path).toLowerCase();
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : "";
  switch (ext) {
    case "csv":
      return "csv";
    case "tsv":
      return "tsv";
    case "parquet":
    case "pq":
      return "parquet";
    case "json":
      return "json";
    case "ndjson":
    case "jsonl":
      return "ndjson";
    default:
      throw new DataError(`unsupported output file type: ${path} (expected .csv, .tsv, .parquet, .json or .ndjson)`);
  }
}

/** Types whose DuckDB text form is cast back on output (others stay text). */
const CAST_BACK = new Set([
  "BOOLEAN",
  "DATE",
  "TIME",
  "TIMESTAMP",
  "TIMESTAMP_S",
  "TIMESTAMP_MS",
  "TIMESTAMP_NS",
  "TIMESTAMP WITH TIME ZONE",
  "TIME WITH TIME ZONE",
  "INTERVAL",
  "UUID",
]);

/** Column type of the staging table. */
type StageType = "DOUBLE" | "INTEGER" | "VARCHAR";

interface OutColumn {
  name: string;
  /** Type of the staging table column. */
  stage: StageType;
  /** SQL type to cast to on output, if any. */
  castTo?: string;
  /** Writes rows [start, start + count) into the vector. */
  fill: (vector: ReturnType<DuckDBDataChunk["getColumnVector"]>, start: number, count: number) => void;
}

function numberColumn(name: string, values: ArrayLike<number>, castTo?: string): OutColumn {
  return {
    name,
    stage: "DOUBLE",
    castTo,
    fill(vector, start, count) {
      for (let i = 0; i < count; i++) {
        const v = values[start + i];
        vector.setItem(i, Number.isNaN(v) ? null : v);
      }
    },
  };
}

function extraColumn(name: string, values: ColumnValues): OutColumn {
  if (values instanceof Int32Array) {
    return {
      name,
      stage: "INTEGER",
      fill(vector, start, count) {
        for (let i = 0; i < count; i++) vector.setItem(i, values[start + i]);
      },
    };
  }
  if (values instanceof Float64Array) return numberColumn(name, values);
  const first = (values as readonly unknown[]).find((v) => v !== null && v !== undefined);
  const isString = typeof first === "string";
  let allInt = true;
  if (!isString) {
    for (const v of values as readonly (number | null)[]) {
      if (v !== null && !(Number.isInteger(v) && Math.abs(v) <= 2147483647)) {
        allInt = false;
        break;
      }
    }
  }
  return {
    name,
    stage: isString ? "VARCHAR" : allInt ? "INTEGER" : "DOUBLE",
    fill(vector, start, count) {
      for (let i = 0; i < count; i++) {
        const v = (values as readonly (string | number | null)[])[start + i];
        vector.setItem(i, v === undefined || (typeof v === "number" && Number.isNaN(v)) ? null : v);
      }
    },
  };
}

/**
 * Writes every column of `table` plus `extraColumns` (e.g. `{ cluster: labels }`, one value per
 * table row) to a CSV, TSV, Parquet or JSON file through DuckDB, creating missing parent
 * directories. Columns keep their DuckDB types (numeric NaN is written as NULL); an extra column
 * with the name of an input column replaces it (and goes last).
 */
export async function writeTable(
  path: string,
  table: Table,
  extraColumns: Readonly<Record<string, ColumnValues>> = {},
  options: WriteTableOptions = {},
): Promise<void> {
  const format = options.format ?? outputFormat(path);
  const n = table.nRows;
  const columns: OutColumn[] = [];
  for (const column of table.columns) {
    if (Object.hasOwn(extraColumns, column.name)) continue;
    if (column.kind === "numeric") {
      columns.push(numberColumn(column.name, column.values, column.type === "DOUBLE" ? undefined : column.type));
    } else {
      const values = column.values;
      columns.push({
        name: column.name,
        stage: "VARCHAR",
        castTo: CAST_BACK.has(column.type) ? column.type : undefined,
        fill(vector, start, count) {
          for (let i = 0; i < count; i++) vector.setItem(i, values[start + i]);
        },
      });
    }
  }
  for (const [name, values] of Object.entries(extraColumns)) {
    if (values.length !== n) {
      throw new DataError(
        `invalid column ${JSON.stringify(name)}: ${values.length} values, expected ${n} (one per row)`,
      );
    }
    columns.push(extraColumn(name, values));
  }
  if (columns.length === 0) throw new DataError(`nothing to write to ${path} (no columns)`);

  await mkdir(dirname(path), { recursive: true });
  const duckdb = await loadDuckDB();
  const stageTypes: Record<StageType, DuckDBType> = {
    DOUBLE: duckdb.DOUBLE,
    INTEGER: duckdb.INTEGER,
    VARCHAR: duckdb.VARCHAR,
  };
  await withDuckDB(async (connection) => {
    const staging = "clusterlab_out";
    const definition = columns.map((c, j) => `c${j} ${c.stage}`).join(", ");
    await connection.run(`CREATE TABLE ${staging} (${definition})`);
    const appender: DuckDBAppender = await connection.createAppender(staging);
    try {
      const types = columns.map((c) => stageTypes[c.stage]);
      const size = 2048;
      for (let start = 0; start < n; start += size) {
        const count = Math.min(size, n - start);
        const chunk: DuckDBDataChunk = duckdb.DuckDBDataChunk.create(types, count);
        for (let j = 0; j < columns.length; j++) {
          const vector = chunk.getColumnVector(j);
          columns[j].fill(vector, start, count);
          vector.flush();
        }
        appender.appendDataChunk(chunk);
      }
    } finally {
      appender.closeSync();
    }
    const select = columns
      .map((c, j) => (c.castTo ? `CAST(c${j} AS ${c.castTo}) AS ${sqlIdent(c.name)}` : `c${j} AS ${sqlIdent(c.name)}`))
      .join(", ");
    const copyOptions = {
      csv: "FORMAT csv, HEADER true",
      tsv: "FORMAT csv, HEADER true, DELIMITER '\t'",
      parquet: "FORMAT parquet",
      json: "FORMAT json, ARRAY true",
      ndjson: "FORMAT json",
    }[format];
    // One writer thread: DuckDB's parallel CSV writer keeps a buffer per thread (about 130 MB
    // more at the peak for 1M x 16 on 2 threads, for about 1 s less).
    await connection.run("SET threads TO 1");
    try {
      await connection.run(`COPY (SELECT ${select} FROM ${staging}) TO ${sqlString(path)} (${copyOptions})`);
    } catch (error) {
      throw new DataError(`cannot write ${path}: ${duckdbMessage(error)}`);
    }
  });
}
