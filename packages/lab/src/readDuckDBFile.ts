import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdbMessage, sqlIdent, sqlString } from "./duckdb.js";
import { DataError } from "./errors.js";

/** The alias a DuckDB database file is attached under. */
const ALIAS = "clusterlab_source";

/** A table or view of an attached DuckDB file. */
interface FileTable {
  schema: string;
  name: string;
}

function display(t: FileTable): string {
  return t.schema === "main" ? t.name : `${t.schema}.${t.name}`;
}

/**
 * Attaches the DuckDB database file `path` read-only on `connection` and returns the qualified
 * SQL name of the table to scan: `table` (`name` or `schema.name`, matched exactly, then ignoring
 * case), or the file's only table or view when `table` is undefined. Errors are `DataError`s: a
 * file DuckDB cannot open, a file without tables, several tables and no `table` (listing them), an
 * unknown `table` (listing them).
 */
export async function attachDuckDBTable(
  connection: DuckDBConnection,
  path: string,
  table: string | undefined,
): Promise<string> {
  try {
    await connection.run(`ATTACH ${sqlString(path)} AS ${ALIAS} (READ_ONLY)`);
  } catch (error) {
    throw new DataError(`cannot open ${path} as a DuckDB database: ${duckdbMessage(error)}`);
  }
  const reader = await connection.runAndReadAll(
    `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = '${ALIAS}'
     UNION ALL
     SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = '${ALIAS}' AND NOT internal
     ORDER BY 1, 2`,
  );
  const tables: FileTable[] = reader.getRowsJS().map((r) => ({ schema: String(r[0]), name: String(r[1]) }));
  const list = tables.map(display).join(", ");
  if (tables.length === 0) throw new DataError(`no tables in ${path} (a DuckDB database without tables or views)`);
  let chosen: FileTable | undefined;
  if (table === undefined) {
    if (tables.length > 1) {
      throw new DataError(`${path} has ${tables.length} tables: ${list}; name one with --table (spec: data.table)`);
    }
    chosen = tables[0];
  } else {
    const matches = (t: FileTable, fold: (s: string) => string) =>
      fold(display(t)) === fold(table) || fold(`${t.schema}.${t.name}`) === fold(table);
    chosen = tables.find((t) => matches(t, (s) => s)) ?? tables.find((t) => matches(t, (s) => s.toLowerCase()));
    if (!chosen) throw new DataError(`unknown table ${JSON.stringify(table)} in ${path} (tables: ${list})`);
  }
  return `${ALIAS}.${sqlIdent(chosen.schema)}.${sqlIdent(chosen.name)}`;
}
