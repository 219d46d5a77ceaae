import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdbMessage, sqlString } from "./duckdb.js";
import { DataError } from "./errors.js";
import { detectFormat, type ReadTableOptions, readTable } from "./readTable.js";
import { normalizeEncoding } from "./textEncoding.js";

/**
 * The SQL table function that scans a data file for workflows computing features in DuckDB
 * (RFM, social): CSV/TSV read strictly (ragged rows are errors) with the named columns as text,
 * so they can be parsed and checked in SQL with messages naming the row. Text must be UTF-8 or
 * Latin-1 (`options.encoding`); Arrow and DuckDB files are `DataError`s here (use `readTable`).
 */
export function fileScanSql(path: string, options: ReadTableOptions, textColumns: readonly string[] = []): string {
  const source = detectFormat(path, options);
  const file = sqlString(path);
  switch (source.format) {
    case "csv":
    case "tsv": {
      const delim = source.delimiter === undefined ? "" : `, delim=${sqlString(source.delimiter)}`;
      const types =
        textColumns.length === 0 ? "" : `, types={${textColumns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(", ")}}`;
      const encoding = options.encoding === undefined ? "utf-8" : normalizeEncoding(options.encoding);
      if (encoding !== "utf-8" && encoding !== "latin-1") {
        throw new DataError(
          `encoding ${encoding} is not supported here (only utf-8 and latin-1); convert ${path} to UTF-8 first`,
        );
      }
      const enc = encoding === "latin-1" ? ", encoding='latin-1'" : "";
      return `read_csv(${file}${delim}, header=${options.header ?? true}, skip=0, strict_mode=true, null_padding=false${enc}${types})`;
    }
    case "arrow":
    case "duckdb":
      throw new DataError(
        `${source.format} files are not supported here; export the table of ${path} to CSV or Parquet first`,
      );
    case "parquet":
      return `read_parquet(${file})`;
    case "json":
      return `read_json_auto(${file})`;
    case "ndjson":
      return `read_json_auto(${file}, format='newline_delimited')`;
  }
}

/** Runs a query and returns its rows as JS values. */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJS() as unknown[][];
}

/** A scan failure as one line: readTable's message for a malformed file, else DuckDB's. */
export async function scanFailure(path: string, options: ReadTableOptions, error: unknown): Promise<DataError> {
  if (error instanceof DataError) return error;
  try {
    await readTable(path, {
      format: options.format,
      delimiter: options.delimiter,
      header: options.header,
      encoding: options.encoding,
    });
  } catch (readError) {
    if (readError instanceof DataError) return readError;
  }
  return new DataError(`cannot read ${path}: ${duckdbMessage(error)}`);
}

/** `1 row`, `3 rows`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A value quoted for an error message, cut to 40 characters. */
export function quoteValue(value: unknown): string {
  const text = String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}
