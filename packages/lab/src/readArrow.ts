import { readFile } from "node:fs/promises";
import { DataError } from "./errors.js";
import type { Table, TableColumn } from "./table.js";

type ArrowModule = typeof import("apache-arrow");
let arrowModule: Promise<ArrowModule> | undefined;

/** `apache-arrow`, loaded on first use (only Arrow files need it). */
function loadArrow(): Promise<ArrowModule> {
  arrowModule ??= import("apache-arrow");
  return arrowModule;
}

type ArrowField = import("apache-arrow").Field;
type ArrowVector = import("apache-arrow").Vector;

const INT_NAMES: Record<string, string> = {
  "true:8": "TINYINT",
  "true:16": "SMALLINT",
  "true:32": "INTEGER",
  "true:64": "BIGINT",
  "false:8": "UTINYINT",
  "false:16": "USMALLINT",
  "false:32": "UINTEGER",
  "false:64": "UBIGINT",
};

/**
 * The DuckDB type name of an Arrow field (what DuckDB would call the column had it read the file),
 * and whether it is read as numbers.
 */
function duckdbType(arrow: ArrowModule, field: ArrowField): { type: string; numeric: boolean } {
  const t = field.type;
  const { Type } = arrow;
  switch (t.typeId) {
    case Type.Int:
      return { type: INT_NAMES[`${t.isSigned}:${t.bitWidth}`] ?? "BIGINT", numeric: true };
    case Type.Float:
      return { type: t.precision === 2 ? "DOUBLE" : "FLOAT", numeric: true };
    case Type.Decimal:
      return { type: `DECIMAL(${t.precision},${t.scale})`, numeric: true };
    case Type.Bool:
      return { type: "BOOLEAN", numeric: false };
    case Type.Date:
      return { type: "DATE", numeric: false };
    case Type.Timestamp:
      return { type: "TIMESTAMP", numeric: false };
    case Type.Utf8:
    case Type.LargeUtf8:
      return { type: "VARCHAR", numeric: false };
    case Type.Dictionary:
      return duckdbType(arrow, { ...field, type: t.dictionary } as ArrowField);
    default:
      return { type: "VARCHAR", numeric: false };
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** DuckDB's text form of an Arrow value (dates as `2024-01-31`, timestamps as `2024-01-31 12:00:00`). */
function textOf(type: string, value: unknown): string {
  if (type === "DATE" || type === "TIMESTAMP") {
    const ms = typeof value === "bigint" ? Number(value) : value instanceof Date ? value.getTime() : Number(value);
    const d = new Date(ms);
    const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    if (type === "DATE") return day;
    const frac = d.getUTCMilliseconds() === 0 ? "" : `.${pad(d.getUTCMilliseconds(), 3)}`;
    return `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}`;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "toJSON" in value) {
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? Number(v) : v));
  }
  return String(value);
}

function numericValues(arrow: ArrowModule, vector: ArrowVector, type: string, n: number): Float64Array {
  const out = new Float64Array(n);
  const scale = type.startsWith("DECIMAL") ? (vector.type as { scale: number }).scale : undefined;
  if (vector.nullCount === 0 && scale === undefined) {
    const values = vector.toArray() as ArrayLike<number | bigint>;
    if (values instanceof Float64Array) return values.slice();
    for (let i = 0; i < n; i++) out[i] = Number(values[i]);
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = vector.get(i);
    if (v === null || v === undefined) out[i] = Number.NaN;
    else if (scale !== undefined) out[i] = arrow.util.bigNumToNumber(v, scale);
    else out[i] = Number(v);
  }
  return out;
}

/**
 * Reads an Arrow IPC file (the random-access "file" format of `.arrow` / `.feather` v2 files, or
 * the "stream" format of `.arrows` / `.ipc` files; both are detected from the bytes) into a
 * `Table` with the same column forms as `readTable`: integer, float and decimal columns as
 * `Float64Array` (null as NaN), every other column as text (null as `null`), each with the DuckDB
 * type name DuckDB would give it (`BIGINT`, `DOUBLE`, `VARCHAR`, `DATE`, `TIMESTAMP`, ...).
 *
 * DuckDB's own Arrow reader is an extension that has to be downloaded, so this uses the
 * `apache-arrow` package instead (the whole file is read into memory).
 */
export async function readArrowTable(path: string, displayPath = path): Promise<Table> {
  const arrow = await loadArrow();
  const bytes = await readFile(path);
  let table: import("apache-arrow").Table;
  try {
    table = arrow.tableFromIPC(bytes);
  } catch (error) {
    throw new DataError(`cannot read ${displayPath} as an Arrow IPC file: ${(error as Error).message}`);
  }
  const nRows = table.numRows;
  if (table.schema.fields.length === 0) {
    throw new DataError(`cannot read ${displayPath} as an Arrow IPC file: it has no columns`);
  }
  if (nRows === 0) throw new DataError(`empty file: ${displayPath} (no rows)`);
  const columns: TableColumn[] = table.schema.fields.map((field, j) => {
    const vector = table.getChildAt(j)!;
    const { type, numeric } = duckdbType(arrow, field);
    if (numeric) return { name: field.name, type, kind: "numeric", values: numericValues(arrow, vector, type, nRows) };
    const values = new Array<string | null>(nRows);
    for (let i = 0; i < nRows; i++) {
      const v = vector.get(i);
      values[i] = v === null || v === undefined ? null : textOf(type, v);
    }
    return { name: field.name, type, kind: "string", values };
  });
  return { source: displayPath, nRows, columns };
}
