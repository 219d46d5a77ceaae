import { DataError } from "../errors.js";
import type { SqlEngine } from "./sqlEngine.js";

/** Where a pushed-down prediction writes its rows: a new table, or (DuckDB) a Parquet file. */
export interface SqlOutputTarget {
  /** Name of the table to create (it must not exist). Exactly one of `target` and `parquet`. */
  target?: string;
  /** DuckDB only: path of a Parquet file to write (`COPY ... TO`). */
  parquet?: string;
}

/** Runs `select` into the output: `CREATE TABLE ... AS` or (DuckDB) `COPY (...) TO 'file' (FORMAT PARQUET)`. */
export async function writeSelect(engine: SqlEngine, select: string, out: SqlOutputTarget): Promise<void> {
  if ((out.target === undefined) === (out.parquet === undefined)) {
    throw new DataError("give exactly one of target and parquet");
  }
  if (out.parquet !== undefined) {
    if (engine.dialect.name !== "duckdb") throw new DataError("parquet output needs the duckdb engine");
    await engine.query(`COPY (${select}) TO '${out.parquet.replace(/'/g, "''")}' (FORMAT PARQUET)`);
    return;
  }
  await engine.query(engine.dialect.createTableAs(out.target as string, select));
}
