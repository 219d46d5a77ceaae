import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { DataError, readTable, type Table, type TableFormat } from "@clusterlab/lab";
import type { ColumnInfo, DatasetDetail, DatasetSummary } from "./api.js";
import { HttpError } from "./httpError.js";

/** The bundled samples, in the order the dashboard lists them. */
export const SAMPLE_NAMES = ["iris", "wine", "penguins", "tips", "telco_customers"] as const;

/** Rows in the preview of `GET /api/datasets/:id`. */
export const PREVIEW_ROWS = 10;

/** Tables kept in memory (the least recently used is dropped first). */
const TABLE_CACHE_SIZE = 6;

const EXTENSIONS: Record<TableFormat, string> = {
  csv: "csv",
  tsv: "tsv",
  parquet: "parquet",
  json: "json",
  ndjson: "ndjson",
};

/** Column names the dashboard leaves unticked by default: labels, ids, years and the like. */
const TARGET_LIKE =
  /^(target|target_name|label|labels|class|classes|churn|cluster|clusters|segment|species|id|idx|index|row|row_id|rownum|year|date|time|timestamp)$/;

/** Whether a column looks like a label or an identifier rather than a feature. */
export function isTargetLike(name: string): boolean {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return TARGET_LIKE.test(key) || /(^|_)id$/.test(key) || key.startsWith("target_") || key.startsWith("unnamed");
}

/** The table format named by an uploaded file's extension, or undefined. */
export function formatFromName(name: string): TableFormat | undefined {
  const lower = name.toLowerCase().replace(/\.(gz|gzip)$/, "");
  const ext = lower.includes(".") ? lower.slice(lower.lastIndexOf(".") + 1) : "";
  switch (ext) {
    case "csv":
    case "txt":
      return "csv";
    case "tsv":
    case "tab":
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
      return undefined;
  }
}

/**
 * A display name for an upload: the last path segment of what the client sent, without control
 * characters, at most 120 characters. It is only ever shown, never used to build a path.
 */
export function displayName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return (clean || "upload").slice(0, 120);
}

interface Entry extends DatasetSummary {
  /** Where the file is; generated for uploads, never derived from the user's name. */
  path: string;
}

/** Thrown by `saveStream` when the body is larger than allowed. */
export class TooLargeError extends Error {
  override readonly name = "TooLargeError";
}

/**
 * Copies `stream` to `path` (created exclusively), at most `maxBytes` bytes. Past the limit the
 * rest of the body is read and discarded (so that the client still gets the answer) and a
 * `TooLargeError` is thrown after the partial file is removed.
 */
export async function saveStream(stream: Readable, path: string, maxBytes: number): Promise<number> {
  const out = createWriteStream(path, { flags: "wx" });
  let size = 0;
  let tooLarge = false;
  try {
    await new Promise<void>((resolve, reject) => {
      out.on("error", reject);
      stream.on("error", reject);
      stream.on("aborted", () => reject(new Error("the upload was interrupted")));
      stream.on("data", (chunk: Buffer) => {
        if (tooLarge) return;
        size += chunk.length;
        if (size > maxBytes) {
          tooLarge = true;
          return;
        }
        if (!out.write(chunk)) {
          stream.pause();
          out.once("drain", () => stream.resume());
        }
      });
      stream.on("end", resolve);
    });
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    out.destroy();
    await unlink(path).catch(() => {});
    throw error;
  }
  if (tooLarge) {
    await unlink(path).catch(() => {});
    throw new TooLargeError(`file too large: more than ${maxBytes} bytes`);
  }
  return size;
}

/** Replaces every occurrence of the stored path in a message by the name the user knows. */
function userMessage(message: string, path: string, name: string): string {
  return message.split(path).join(name);
}

/**
 * The datasets the server knows: the bundled samples (read-only) and the uploads kept in
 * `<dataDir>/uploads` as `<generated id>.<ext>` plus `<id>.json` with the display name. Tables are
 * read through DuckDB (`readTable`) and the last few are kept in memory.
 */
export class DatasetStore {
  private readonly entries = new Map<string, Entry>();
  private readonly tables = new Map<string, Promise<Table>>();
  readonly uploadDir: string;

  private constructor(
    readonly dataDir: string,
    samplesDir: string,
  ) {
    this.uploadDir = join(dataDir, "uploads");
    for (const name of SAMPLE_NAMES) {
      const path = join(samplesDir, `${name}.csv`);
      if (existsSync(path)) {
        this.entries.set(name, { id: name, name, kind: "sample", format: "csv", sizeBytes: 0, path });
      }
    }
  }

  /** Opens the store: creates the data directory if needed and lists earlier uploads. */
  static async open(dataDir: string, samplesDir: string): Promise<DatasetStore> {
    const store = new DatasetStore(dataDir, samplesDir);
    await mkdir(store.uploadDir, { recursive: true });
    for (const entry of store.entries.values()) entry.sizeBytes = (await stat(entry.path)).size;
    for (const file of await readdir(store.uploadDir)) {
      // An upload interrupted by a crash leaves its partial file behind.
      if (/^u-[0-9a-f]{16}\.[a-z]+\.part$/.test(file)) await unlink(join(store.uploadDir, file)).catch(() => {});
      if (!/^u-[0-9a-f]{16}\.json$/.test(file)) continue;
      try {
        const meta = JSON.parse(await readFile(join(store.uploadDir, file), "utf8")) as DatasetSummary;
        const path = join(store.uploadDir, `${meta.id}.${EXTENSIONS[meta.format]}`);
        if (meta.id === file.slice(0, -5) && existsSync(path)) store.entries.set(meta.id, { ...meta, path });
      } catch {
        // an unreadable metadata file: skip that upload
      }
    }
    return store;
  }

  list(): DatasetSummary[] {
    return [...this.entries.values()].map(({ path: _path, ...summary }) => summary);
  }

  /** The entry with this id; a 404 `HttpError` naming it otherwise. */
  get(id: string): DatasetSummary & { path: string } {
    const entry = this.entries.get(id);
    if (!entry) throw new HttpError(404, `unknown dataset: ${JSON.stringify(id.slice(0, 100))}`);
    return entry;
  }

  /** The table of a dataset (read once, then cached). */
  async table(id: string): Promise<Table> {
    const entry = this.get(id);
    let table = this.tables.get(id);
    if (table) {
      this.tables.delete(id);
    } else {
      table = readTable(entry.path, { format: entry.format }).catch((error: unknown) => {
        this.tables.delete(id);
        if (error instanceof DataError) {
          throw new HttpError(400, userMessage(error.message, entry.path, entry.name));
        }
        throw error;
      });
    }
    this.tables.set(id, table);
    while (this.tables.size > TABLE_CACHE_SIZE) this.tables.delete(this.tables.keys().next().value!);
    return table;
  }

  /** Columns, row count and preview of a dataset. */
  async detail(id: string): Promise<DatasetDetail> {
    const entry = this.get(id);
    const table = await this.table(id);
    const { path: _path, ...summary } = entry;
    return { ...summary, ...describeTable(table) };
  }

  /**
   * Stores an uploaded file: streams it to a generated name in the upload directory (at most
   * `maxUploadMb` MB), reads it back to check it is a table, and registers it. A file that cannot be read
   * is removed and reported as a 400 naming the problem; a file over the limit as a 413.
   */
  async upload(stream: Readable, rawName: string, format: TableFormat, maxUploadMb: number): Promise<DatasetDetail> {
    const maxBytes = Math.round(maxUploadMb * 1048576);
    const id = `u-${randomBytes(8).toString("hex")}`;
    const name = displayName(rawName);
    const path = join(this.uploadDir, `${id}.${EXTENSIONS[format]}`);
    const partial = `${path}.part`;
    let sizeBytes: number;
    try {
      sizeBytes = await saveStream(stream, partial, maxBytes);
    } catch (error) {
      if (error instanceof TooLargeError) {
        throw new HttpError(413, `file too large: ${name} is over the ${maxUploadMb} MB upload limit`);
      }
      throw error;
    }
    if (sizeBytes === 0) {
      await unlink(partial).catch(() => {});
      throw new HttpError(400, `empty file: ${name} (no data was received)`);
    }
    await rename(partial, path);
    let table: Table;
    try {
      table = await readTable(path, { format });
    } catch (error) {
      await unlink(path).catch(() => {});
      if (error instanceof DataError) throw new HttpError(400, userMessage(error.message, path, name));
      throw error;
    }
    const entry: Entry = { id, name, kind: "upload", format, sizeBytes, createdAt: new Date().toISOString(), path };
    const { path: _path, ...summary } = entry;
    await writeFile(join(this.uploadDir, `${id}.json`), `${JSON.stringify(summary, null, 2)}\n`);
    this.entries.set(id, entry);
    this.tables.set(id, Promise.resolve(table));
    return { ...summary, ...describeTable(table) };
  }
}

function describeTable(table: Table): Pick<DatasetDetail, "nRows" | "columns" | "preview"> {
  const columns: ColumnInfo[] = table.columns.map((column) => {
    let missing = 0;
    if (column.kind === "numeric") {
      for (const v of column.values) if (Number.isNaN(v)) missing++;
    } else {
      for (const v of column.values) if (v === null) missing++;
    }
    const numeric = column.kind === "numeric";
    return { name: column.name, type: column.type, numeric, missing, suggested: numeric && !isTargetLike(column.name) };
  });
  const preview: (string | number | null)[][] = [];
  for (let i = 0; i < Math.min(PREVIEW_ROWS, table.nRows); i++) {
    preview.push(
      table.columns.map((c) => {
        const v = c.values[i];
        return typeof v === "number" && Number.isNaN(v) ? null : v;
      }),
    );
  }
  return { nRows: table.nRows, columns, preview };
}
