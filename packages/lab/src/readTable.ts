import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdbMessage, sqlIdent, sqlString, withDuckDB } from "./duckdb.js";
import { DataError } from "./errors.js";
import { readArrowTable } from "./readArrow.js";
import { attachDuckDBTable } from "./readDuckDBFile.js";
import type { Table, TableColumn } from "./table.js";
import { findInvalidUtf8, notUtf8Message, type PreparedTextFile, prepareTextFile } from "./textEncoding.js";

/** File formats DuckDB scans directly (also written by `writeTable`). `tsv` is `csv` with a tab delimiter. */
export type TableFormat = "csv" | "tsv" | "parquet" | "json" | "ndjson";

/**
 * Every file format `readTable` understands: the `TableFormat`s, plus `arrow` (an Arrow IPC file,
 * file or stream format) and `duckdb` (a table of a DuckDB database file).
 */
export type InputFormat = TableFormat | "arrow" | "duckdb";

/** Every `InputFormat`, in the documented order (the choices of the CLI's `--format`). */
export const INPUT_FORMATS: readonly InputFormat[] = ["csv", "tsv", "parquet", "json", "ndjson", "arrow", "duckdb"];

/** Options for `readTable`. */
export interface ReadTableOptions {
  /**
   * The file format. Default: from the extension (`.csv`, `.tsv`, `.txt`, `.parquet`/`.pq`,
   * `.json`, `.ndjson`/`.jsonl`, `.arrow`/`.feather`/`.ipc`/`.arrows`, `.duckdb`/`.ddb`; a trailing
   * `.gz` or `.zst` is ignored).
   */
  format?: InputFormat;
  /**
   * Field delimiter of a delimited text file, or `"auto"` to let DuckDB sniff it. Default: `","`
   * for `.csv`, tab for `.tsv`, `"auto"` for `.txt`.
   */
  delimiter?: string;
  /** Whether the first line of a delimited text file holds the column names. Default true. */
  header?: boolean;
  /**
   * Text encoding of a delimited text file: `"utf-8"`, `"latin-1"`, `"windows-1252"`, `"utf-16"`
   * (`"utf-16le"`, `"utf-16be"`) or another WHATWG label. A UTF-16 byte-order mark is honoured
   * whatever this says; a UTF-8 BOM is skipped. Default `"utf-8"`.
   */
  encoding?: string;
  /**
   * The table (or view) of a DuckDB database file, as `name` or `schema.name`. Default: the only
   * table of the file (an error listing them when there are several).
   */
  table?: string;
}

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;

/** True when a DuckDB type name (as `DESCRIBE` prints it) is read as a numeric column. */
export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type);
}

interface Source {
  format: InputFormat;
  /** Delimiter for csv/tsv; undefined means sniff. */
  delimiter?: string;
}

/** Works out the format (and default delimiter) of `path` from its extension and the options. */
export function detectFormat(path: string, options: ReadTableOptions = {}): Source {
  let format: InputFormat | undefined = options.format;
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
      case "arrow":
      case "arrows":
      case "feather":
      case "ipc":
        format = "arrow";
        break;
      case "duckdb":
      case "ddb":
        format = "duckdb";
        break;
      default:
        throw new DataError(
          `unsupported file type: ${path} (expected .csv, .tsv, .txt, .parquet, .json, .ndjson, .jsonl, .arrow, .feather, .ipc or .duckdb)`,
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
  if (options.encoding !== undefined && format !== "csv" && format !== "tsv") {
    throw new DataError(`invalid encoding: only delimited text files have one (${path} is ${format})`);
  }
  if (options.table !== undefined && format !== "duckdb") {
    throw new DataError(`invalid table: only DuckDB database files have tables (${path} is ${format})`);
  }
  return { format, delimiter };
}

function unescapeDelimiter(d: string): string {
  if (d === "\\t" || d.toLowerCase() === "tab") return "\t";
  if (d.length === 0) throw new DataError('invalid delimiter: "" (must be a non-empty string)');
  return d;
}

/**
 * The SQL that scans a file. For csv/tsv, `encoding` is `read_csv`'s (`latin-1`; undefined for
 * UTF-8). `duckdb` tables are scanned by name after `attachDuckDBTable`, and `arrow` files are not
 * read by DuckDB, so neither has a scan expression here.
 */
function scanExpression(path: string, source: Source, header: boolean, extra = "", text?: PreparedTextFile): string {
  const file = sqlString(path);
  switch (source.format) {
    case "csv":
    case "tsv": {
      const delim = source.delimiter === undefined ? "" : `, delim=${sqlString(source.delimiter)}`;
      const enc = text?.duckdbEncoding === undefined ? "" : `, encoding=${sqlString(text.duckdbEncoding)}`;
      const quote = text?.utf8Bom ? `, quote='"'` : "";
      return `read_csv(${file}${delim}, header=${header}, skip=0, strict_mode=true, null_padding=false${enc}${quote}${extra})`;
    }
    case "parquet":
      return `read_parquet(${file})`;
    case "json":
      return `read_json_auto(${file})`;
    case "ndjson":
      return `read_json_auto(${file}, format='newline_delimited')`;
    case "arrow":
    case "duckdb":
      throw new DataError(`cannot scan ${path} in SQL: ${source.format} files are read with readTable`);
  }
}

/** How one read scans its file: the SQL, and the (possibly transcoded) text file behind it. */
interface Scan {
  sql(extra?: string): string;
  text?: PreparedTextFile;
}

/**
 * Reads a CSV/TSV/text, Parquet or JSON file, an Arrow IPC file or a table of a DuckDB database
 * file into memory, column by column: numeric columns (any integer, float or decimal type) as
 * `Float64Array` with NaN for NULL, every other column as DuckDB's text form of each value (`null`
 * for NULL). Arrow files are decoded with `apache-arrow` (DuckDB's Arrow reader is a downloadable
 * extension); everything else through DuckDB. A DuckDB file is attached read-only.
 *
 * Delimited text is read in DuckDB's strict mode, so a row with too few or too many fields is an
 * error naming the file and line; it is read as UTF-8 (a BOM skipped) unless `encoding` or a UTF-16
 * BOM says otherwise. Errors are `DataError`s with one-line messages:
 * `file not found: x.csv`, `empty file: x.csv (no rows)`, `unsupported file type: x.xlsx (...)`,
 * `malformed row in x.csv: line 3 has 2 fields, expected 3 ("4,5")`,
 * `x.csv is not valid UTF-8: byte 0xE9 at offset 20 (line 3, data row 2); ... --encoding latin-1 ...`.
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
  if (source.format === "arrow") return readArrowTable(path);

  const text =
    source.format === "csv" || source.format === "tsv" ? await prepareTextFile(path, options.encoding) : undefined;
  try {
    return await withDuckDB((connection) => readWithDuckDB(connection, path, source, header, options, text));
  } finally {
    await text?.cleanup();
  }
}

async function readWithDuckDB(
  connection: DuckDBConnection,
  path: string,
  source: Source,
  header: boolean,
  options: ReadTableOptions,
  text: PreparedTextFile | undefined,
): Promise<Table> {
  let scan: Scan;
  if (source.format === "duckdb") {
    const name = await attachDuckDBTable(connection, path, options.table);
    scan = { sql: () => name };
  } else {
    const file = text?.path ?? path;
    scan = { sql: (extra = "") => scanExpression(file, source, header, extra, text), text };
  }
  let names: string[];
  let types: string[];
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${scan.sql()}`);
    const rows = described.getRowsJS();
    names = rows.map((r) => String(r[0]));
    types = rows.map((r) => String(r[1]));
  } catch (error) {
    throw await readError(connection, path, source, header, error, scan);
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
    const result = await connection.run(`SELECT ${projection} FROM ${scan.sql()}`);
    const nRows = result.rowCount;
    if (nRows === 0) {
      // A wrong --encoding (utf-16 on a UTF-8 file) decodes to one line without newlines: say so.
      const enc = options.encoding;
      const hint = enc !== undefined && !/^utf-?8$/i.test(enc) ? `; read as ${enc}: is that the file's encoding?` : "";
      throw new DataError(`empty file: ${path} (no rows${hint})`);
    }
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
    throw await readError(connection, path, source, header, error, scan);
  }
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
  scan: Scan,
): Promise<DataError> {
  const text = error instanceof Error ? error.message : String(error);
  if (source.format === "csv" || source.format === "tsv") {
    if (/invalid unicode|not utf-8 encoded/i.test(text) && scan.text?.encoding === "utf-8") {
      const problem = await findInvalidUtf8(scan.text.path);
      if (problem) return new DataError(notUtf8Message(path, problem, header));
    }
    const lines = text.split("\n");
    const at = lines.findIndex((l) => /CSV Error on Line: \d+/.test(l));
    if (at >= 0) {
      const line = /CSV Error on Line: (\d+)/.exec(lines[at])![1];
      const original = lines[at + 1]?.startsWith("Original Line: ") ? lines[at + 1].slice(15) : "";
      const detail = lines.slice(at + (original ? 2 : 1)).find((l) => l.trim() !== "") ?? "";
      return csvProblem(path, line, original, detail);
    }
    try {
      await connection.run(`SELECT count(*) FROM ${scan.sql(", store_rejects=true")}`);
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
  const message = duckdbMessage(error);
  const shown = scan.text && scan.text.path !== path ? message.split(scan.text.path).join(path) : message;
  return new DataError(`cannot read ${path}: ${shown}`);
}
