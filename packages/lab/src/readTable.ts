import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdbMessage, sqlIdent, sqlString, withDuckDB } from "./duckdb.js";
import { DataError } from "./errors.js";
import type { Table, TableColumn } from "./table.js";

/** File formats `readTable` understands. `tsv` is `csv` with a tab delimiter. */
export type TableFormat = "csv" | "tsv" | "parquet" | "json" | "ndjson";

/** Options for `readTable`. */
export interface ReadTableOptions {
  /**
   * The file format. Default: from the extension (`.csv`, `.tsv`, `.txt`, `.parquet`/`.pq`,
   * `.json`, `.ndjson`/`.jsonl`; a trailing `.gz` or `.zst` is ignored).
   */
  format?: TableFormat;
  /**
   * Field delimiter of a delimited text file, or `"auto"` to let DuckDB sniff it. Default: `","`
   * for `.csv`, tab for `.tsv`, `"auto"` for `.txt`.
   */
  delimiter?: string;
  /** Whether the first line of a delimited text file holds the column names. Default true. */
  header?: boolean;
}

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;

/** True when a DuckDB type name (as `DESCRIBE` prints it) is read as a numeric column. */
export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type);
}

interface Source {
  format: TableFormat;
  /** Delimiter for csv/tsv; undefined means sniff. */
  delimiter?: string;
}

/** Works out the format (and default delimiter) of `path` from its extension and the options. */
export function detectFormat(path: string, options: ReadTableOptions = {}): Source {
  let format: TableFormat | undefined = options.format;
  let delimiter: string | undefined;
  const name = basename(path)
    .toLowerCase()
    .replace(/\.(gz|gzip|zst)$/, "");
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : "";
  if (format === undefined) {
    switch (ext) {
      case "csv":
        format = "csv";
        delimiter = ",";
        break;
      case "tsv":
      case "tab":
        format = "tsv";
        break;
      case "txt":
        format = "csv";
        break;
      case "parquet":
      case "pq":
        format = "parquet";
        break;
      case "json":
        format = "json";
        break;
      case "ndjson":
      case "jsonl":
        format = "ndjson";
        break;
      default:
        throw new DataError(
          `unsupported file type: ${path} (expected .csv, .tsv, .txt, .parquet, .json, .ndjson or .jsonl)`,
        );
    }
  } else if (format === "csv" && ext === "csv") {
    delimiter = ",";
  }
  if (format === "tsv") delimiter = "\t";
  if (options.delimiter !== undefined) {
    if (format !== "csv" && format !== "tsv") {
      throw new DataError(`invalid delimiter: only delimited text files have one (${path} is ${format})`);
    }
    delimiter = options.delimiter === "auto" ? undefined : unescapeDelimiter(options.delimiter);
  }
  return { format, delimiter };
}

function unescapeDelimiter(d: string): string {
  if (d === "\\t" || d.toLowerCase() === "tab") return "\t";
  if (d.length === 0) throw new DataError('invalid delimiter: "" (must be a non-empty string)');
  return d;
}

function scanExpression(path: string, source: Source, header: boolean, extra = ""): string {
  const file = sqlString(path);
  switch (source.format) {
    case "csv":
    case "tsv": {
      const delim = source.delimiter === undefined ? "" : `, delim=${sqlString(source.delimiter)}`;
      return `read_csv(${file}${delim}, header=${header}, skip=0, strict_mode=true, null_padding=false${extra})`;
    }
    case "parquet":
      return `read_parquet(${file})`;
    case "json":
      return `read_json_auto(${file})`;
    case "ndjson":
      return `read_json_auto(${file}, format='newline_delimited')`;
  }
}

/**
 * Reads a CSV/TSV/text, Parquet or JSON file into memory with DuckDB, column by column: numeric
 * columns (any integer, float or decimal type) as `Float64Array` with NaN for NULL, every other
 * column as DuckDB's text form of each value (`null` for NULL).
 *
 * Delimited text is read in DuckDB's strict mode, so a row with too few or too many fields is an
 * error naming the file and line. Errors are `DataError`s with one-line messages:
 * `file not found: x.csv`, `empty file: x.csv (no rows)`, `unsupported file type: x.xlsx (...)`,
 * `malformed row in x.csv: line 3 has 2 fields, expected 3 ("4,5")`.
 */
export async function readTable(path: string, options: ReadTableOptions = {}): Promise<Table> {
  const header = options.header ?? true;
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new DataError(`not a file: ${path}`);
    size = s.size;
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new DataError(`file not found: ${path}`);
    throw new DataError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const source = detectFormat(path, options);
  if (size === 0) throw new DataError(`empty file: ${path} (no rows)`);

  return withDuckDB(async (connection) => {
    const scan = scanExpression(path, source, header);
    let names: string[];
    let types: string[];
    try {
      const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${scan}`);
      const rows = described.getRowsJS();
      names = rows.map((r) => String(r[0]));
      types = rows.map((r) => String(r[1]));
    } catch (error) {
      throw await readError(connection, path, source, header, error);
    }
    const numeric = types.map(isNumericType);
    const projection = names
      .map((name, j) => {
        const id = sqlIdent(name);
        if (numeric[j]) return types[j] === "DOUBLE" ? id : `CAST(${id} AS DOUBLE) AS ${id}`;
        return types[j] === "VARCHAR" ? id : `CAST(${id} AS VARCHAR) AS ${id}`;
      })
      .join(", ");

    try {
      // A materialized result lets DuckDB scan in parallel (much faster than streaming).
      const result = await connection.run(`SELECT ${projection} FROM ${scan}`);
      const nRows = result.rowCount;
      if (nRows === 0) throw new DataError(`empty file: ${path} (no rows)`);
      const numericValues = names.map((_, j) => (numeric[j] ? new Float64Array(nRows) : undefined));
      const stringValues = names.map((_, j) => (numeric[j] ? undefined : new Array<string | null>(nRows)));
      let offset = 0;
      for (let c = 0; c < result.chunkCount; c++) {
        const chunk = result.getChunk(c);
        const rowCount = chunk.rowCount;
        for (let j = 0; j < names.length; j++) {
          const vector = chunk.getColumnVector(j);
          const num = numericValues[j];
          if (num) {
            for (let i = 0; i < rowCount; i++) {
              const v = vector.getItem(i) as number | null;
              num[offset + i] = v === null ? Number.NaN : v;
            }
          } else {
            const out = stringValues[j]!;
            for (let i = 0; i < rowCount; i++) out[offset + i] = vector.getItem(i) as string | null;
          }
        }
        offset += rowCount;
      }
      const columns: TableColumn[] = names.map((name, j) => {
        const num = numericValues[j];
        if (num) return { name, type: types[j], kind: "numeric", values: num };
        return { name, type: types[j], kind: "string", values: stringValues[j]! };
      });
      return { source: path, nRows, columns };
    } catch (error) {
      if (error instanceof DataError) throw error;
      throw await readError(connection, path, source, header, error);
    }
  });
}

function quoteLine(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** Formats one CSV problem found at `line` (1-based, counting the header line). */
function csvProblem(path: string, line: string, csvLine: string, detail: string): DataError {
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(detail);
  if (counts) {
    return new DataError(
      `malformed row in ${path}: line ${line} has ${counts[2]} fields, expected ${counts[1]} (${quoteLine(csvLine)})`,
    );
  }
  const cast = /converting column "(.*)"\. Could not convert string "(.*)" to '(.*)'/.exec(detail);
  if (cast) {
    return new DataError(
      `bad value in ${path}: line ${line}, column ${JSON.stringify(cast[1])}: cannot convert ${JSON.stringify(cast[2])} to ${cast[3]} (the type was detected from earlier rows)`,
    );
  }
  return new DataError(`malformed row in ${path}: line ${line}: ${detail.trim()} (${quoteLine(csvLine)})`);
}

/**
 * Turns a DuckDB read error into a one-line `DataError`. For delimited text, uses the line DuckDB
 * reports, or else (an error while sniffing the dialect) reads the file again with `store_rejects`
 * to find the first bad line.
 */
async function readError(
  connection: DuckDBConnection,
  path: string,
  source: Source,
  header: boolean,
  error: unknown,
): Promise<DataError> {
  const text = error instanceof Error ? error.message : String(error);
  if (source.format === "csv" || source.format === "tsv") {
    const lines = text.split("\n");
    const at = lines.findIndex((l) => /CSV Error on Line: \d+/.test(l));
    if (at >= 0) {
      const line = /CSV Error on Line: (\d+)/.exec(lines[at])![1];
      const original = lines[at + 1]?.startsWith("Original Line: ") ? lines[at + 1].slice(15) : "";
      const detail = lines.slice(at + (original ? 2 : 1)).find((l) => l.trim() !== "") ?? "";
      return csvProblem(path, line, original, detail);
    }
    try {
      const scan = scanExpression(path, source, header, ", store_rejects=true");
      await connection.run(`SELECT count(*) FROM ${scan}`);
      const rejects = await connection.runAndReadAll(
        "SELECT line, csv_line, error_message FROM reject_errors ORDER BY line LIMIT 1",
      );
      const rows = rejects.getRowsJS();
      if (rows.length > 0) {
        const [line, csvLine, message] = rows[0];
        return csvProblem(path, String(line), String(csvLine ?? ""), String(message ?? "").split("\n")[0]);
      }
    } catch {
      // fall through to DuckDB's own message
    }
  }
  return new DataError(`cannot read ${path}: ${duckdbMessage(error)}`);
}
