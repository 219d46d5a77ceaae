import { createHash, randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join, resolve } from "node:path";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { detectFormat, type InputFormat, readTable } from "../readTable.js";
import { type ModelFile, toModelFile } from "../run/modelFile.js";
import type { RunMetrics, RunResult, RunTimings } from "../run/runResult.js";
import { UNASSIGNED } from "../run/runResult.js";
import { type RunSpecOptions, runSpec } from "../run/runSpec.js";
import type { NormalizedAnalysisSpec } from "../spec/normalizeSpec.js";
import { columnNames } from "../table.js";
import { appendRunLabels } from "./appendRunLabels.js";
import { type DatabaseOptions, inTransaction, withDatabase } from "./database.js";
import { StoreError } from "./storeError.js";

/** File name of the store's database inside its directory. */
export const STORE_DATABASE = "clusterlab.duckdb";
/** Version of the store's tables (kept in the `meta` table). */
export const STORE_SCHEMA_VERSION = 1;

/** The default store directory: `$CLUSTERLAB_HOME`, else `~/.clusterlab`. */
export function defaultStoreDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const home = env.CLUSTERLAB_HOME;
  return home && home.trim() !== "" ? resolve(home) : join(homedir(), ".clusterlab");
}

/** A dataset registered in the store. */
export interface DatasetRecord {
  /** `ds-<name>-<hash of the path>`: the same file always gets the same id. */
  id: string;
  name: string;
  /** Absolute path of the file. */
  path: string;
  format: InputFormat;
  rows: number;
  columns: string[];
  /** ISO time it was first registered. */
  created: string;
}

/** Status of a stored run. */
export type RunStatus = "succeeded" | "failed";

/** A run as stored (without its labels and model, which `getLabels` / `getModel` read). */
export interface RunRecord {
  id: string;
  /** ISO time the run was saved. */
  created: string;
  status: RunStatus;
  /** The normalised spec. */
  spec: NormalizedAnalysisSpec;
  algorithm: string;
  /** Directory relative data paths were resolved against. */
  baseDir: string;
  /** The dataset id (file inputs are registered as datasets), or null. */
  datasetId: string | null;
  /** Rows of the input table (null for a run that failed before reading it). */
  nRows: number | null;
  nClusters: number | null;
  metrics: RunMetrics | null;
  timings: RunTimings | null;
  warnings: string[];
  /** Why a failed run failed. */
  error: string | null;
}

/** What `rerun` returns. */
export interface RerunResult {
  /** The new run (saved as a new record). */
  result: RunResult;
  /** The run that was re-executed. */
  previous: RunRecord;
  /** True when the new labels equal the stored ones, row for row. */
  identicalLabels: boolean;
}

/** Options for `openStore`. */
export interface OpenStoreOptions extends DatabaseOptions {}

/**
 * The Clusterlab store: one DuckDB database file (`clusterlab.duckdb`) in a data directory, with
 * the tables `datasets`, `runs` (spec, status, metrics, timings, warnings, error as JSON text),
 * `run_labels` (run_id, row, label; NULL for a row that was not clustered) and `models` (run_id,
 * the portable model JSON). Every write is one transaction: a run is saved completely or not at all.
 *
 * Concurrency: DuckDB allows one process at a time to open the file. The store opens it for each
 * operation only and closes it after; inside a process, operations on the same file run one after
 * the other; a second process waits (up to `lockTimeoutMs`) for the file to be free.
 */
export interface Store {
  /** The data directory. */
  readonly dir: string;
  /** The database file. */
  readonly path: string;
  /** Registers a file as a dataset (reading it for its row and column counts); the same path keeps its id. */
  addDataset(path: string, options?: { name?: string; format?: InputFormat }): Promise<DatasetRecord>;
  listDatasets(): Promise<DatasetRecord[]>;
  /** The dataset with this id; `StoreError` when unknown. */
  getDataset(id: string): Promise<DatasetRecord>;
  /** Saves a finished run (spec, metrics, timings, warnings, labels, model) in one transaction; returns its id. */
  saveRun(result: RunResult, info: { baseDir: string }): Promise<string>;
  /** Records a run that failed after its spec validated (status "failed", the error message); returns its id. */
  recordFailedRun(spec: NormalizedAnalysisSpec, error: unknown, info: { baseDir: string }): Promise<string>;
  /** Runs, newest first. */
  listRuns(options?: { status?: RunStatus; limit?: number }): Promise<RunRecord[]>;
  /** The run with this id or unique id prefix; `StoreError` when unknown or ambiguous. */
  getRun(id: string): Promise<RunRecord>;
  /** One label per input row (`UNASSIGNED` for rows not clustered); empty for a failed run. */
  getLabels(id: string): Promise<Int32Array>;
  /** The saved model file of a run, or null (failed run). */
  getModel(id: string): Promise<ModelFile | null>;
  /** Deletes a run with its labels and model. */
  deleteRun(id: string): Promise<void>;
  /** Re-executes a saved run's spec (from the same base directory), saves it as a new run, and compares the labels. */
  rerun(id: string, options?: Omit<RunSpecOptions, "store" | "baseDir" | "table">): Promise<RerunResult>;
}

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
  `CREATE TABLE IF NOT EXISTS datasets (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, path VARCHAR NOT NULL, format VARCHAR NOT NULL,
    rows BIGINT NOT NULL, columns VARCHAR NOT NULL, created VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS runs (
    id VARCHAR PRIMARY KEY, created VARCHAR NOT NULL, status VARCHAR NOT NULL, spec VARCHAR NOT NULL,
    algorithm VARCHAR NOT NULL, base_dir VARCHAR NOT NULL, dataset_id VARCHAR, n_rows BIGINT, n_clusters INTEGER,
    metrics VARCHAR, timings VARCHAR, warnings VARCHAR NOT NULL, error VARCHAR)`,
  "CREATE TABLE IF NOT EXISTS run_labels (run_id VARCHAR NOT NULL, row INTEGER NOT NULL, label INTEGER)",
  "CREATE TABLE IF NOT EXISTS models (run_id VARCHAR PRIMARY KEY, model VARCHAR NOT NULL)",
];

function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/\.(csv|tsv|txt|parquet|pq|json|ndjson|jsonl)(\.(gz|zst))?$/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s.slice(0, 40) || "data";
}

/** The dataset id of a file path (stable: the same absolute path gives the same id). */
export function datasetId(path: string): string {
  const hash = createHash("sha1").update(resolve(path)).digest("hex").slice(0, 8);
  return `ds-${slug(basename(path))}-${hash}`;
}

function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
  return `run-${t}-${randomBytes(3).toString("hex")}`;
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").find((l) => l.trim() !== "") ?? text;
}

type Row = Record<string, unknown>;

async function query(connection: DuckDBConnection, sql: string, values: DuckDBValue[] = []): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql, values);
  return reader.getRowObjectsJS() as Row[];
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return Number(v);
}

function toDataset(row: Row): DatasetRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    path: String(row.path),
    format: String(row.format) as InputFormat,
    rows: Number(row.rows),
    columns: JSON.parse(String(row.columns)) as string[],
    created: String(row.created),
  };
}

function parseJSON<T>(v: unknown): T | null {
  return v === null || v === undefined ? null : (JSON.parse(String(v)) as T);
}

function toRun(row: Row): RunRecord {
  return {
    id: String(row.id),
    created: String(row.created),
    status: String(row.status) as RunStatus,
    spec: JSON.parse(String(row.spec)) as NormalizedAnalysisSpec,
    algorithm: String(row.algorithm),
    baseDir: String(row.base_dir),
    datasetId: row.dataset_id == null ? null : String(row.dataset_id),
    nRows: toNumber(row.n_rows),
    nClusters: toNumber(row.n_clusters),
    metrics: parseJSON<RunMetrics>(row.metrics),
    timings: parseJSON<RunTimings>(row.timings),
    warnings: (parseJSON<string[]>(row.warnings) ?? []) as string[],
    error: row.error == null ? null : String(row.error),
  };
}

/** JSON text of a value, with NaN / infinities as null. */
function json(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v));
}

class DuckDBStore implements Store {
  readonly dir: string;
  readonly path: string;
  private readonly options: DatabaseOptions;

  constructor(dir: string, options: DatabaseOptions) {
    this.dir = dir;
    this.path = join(dir, STORE_DATABASE);
    this.options = options;
  }

  with<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return withDatabase(this.path, fn, this.options);
  }

  async init(): Promise<void> {
    await this.with(async (c) => {
      for (const sql of SCHEMA) await c.run(sql);
      const rows = await query(c, "SELECT value FROM meta WHERE key = 'schema_version'");
      if (rows.length === 0) {
        await c.run("INSERT INTO meta VALUES ('schema_version', ?)", [String(STORE_SCHEMA_VERSION)]);
      } else if (Number(rows[0].value) > STORE_SCHEMA_VERSION) {
        throw new StoreError(
          `the store ${this.path} has schema version ${rows[0].value}; this clusterlab reads up to ${STORE_SCHEMA_VERSION}`,
        );
      }
    });
  }

  private async upsertDataset(c: DuckDBConnection, record: DatasetRecord): Promise<DatasetRecord> {
    const existing = await query(c, "SELECT * FROM datasets WHERE id = ?", [record.id]);
    if (existing.length > 0) {
      await c.run("UPDATE datasets SET rows = ?, columns = ?, format = ? WHERE id = ?", [
        record.rows,
        json(record.columns),
        record.format,
        record.id,
      ]);
      return { ...toDataset(existing[0]), rows: record.rows, columns: record.columns, format: record.format };
    }
    await c.run("INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?)", [
      record.id,
      record.name,
      record.path,
      record.format,
      record.rows,
      json(record.columns),
      record.created,
    ]);
    return record;
  }

  async addDataset(path: string, options: { name?: string; format?: InputFormat } = {}): Promise<DatasetRecord> {
    const absolute = resolve(path);
    const table = await readTable(absolute, options.format ? { format: options.format } : {});
    const record: DatasetRecord = {
      id: datasetId(absolute),
      name: options.name ?? basename(absolute),
      path: absolute,
      format: options.format ?? detectFormat(absolute).format,
      rows: table.nRows,
      columns: columnNames(table),
      created: new Date().toISOString(),
    };
    return this.with((c) => inTransaction(c, () => this.upsertDataset(c, record)));
  }

  listDatasets(): Promise<DatasetRecord[]> {
    return this.with(async (c) => (await query(c, "SELECT * FROM datasets ORDER BY created, id")).map(toDataset));
  }

  getDataset(id: string): Promise<DatasetRecord> {
    return this.with(async (c) => {
      const rows = await query(c, "SELECT * FROM datasets WHERE id = ?", [id]);
      if (rows.length === 0) throw new StoreError(`unknown dataset: ${JSON.stringify(id)} (in ${this.path})`);
      return toDataset(rows[0]);
    });
  }

  saveRun(result: RunResult, info: { baseDir: string }): Promise<string> {
    const id = newRunId();
    const spec = result.spec;
    let dataset: DatasetRecord | null = null;
    if ("path" in spec.data) {
      dataset = {
        id: datasetId(result.source),
        name: basename(result.source),
        path: resolve(result.source),
        format: spec.data.format,
        rows: result.rows.total,
        columns: columnNames(result.table),
        created: new Date().toISOString(),
      };
    } else {
      dataset = null;
    }
    return this.with((c) =>
      inTransaction(c, async () => {
        if (dataset) await this.upsertDataset(c, dataset);
        await c.run("INSERT INTO runs VALUES (?, ?, 'succeeded', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)", [
          id,
          new Date().toISOString(),
          json(spec),
          spec.algorithm.name,
          info.baseDir,
          dataset ? dataset.id : "dataset" in spec.data ? spec.data.dataset : null,
          result.rows.total,
          result.nClusters,
          json(result.metrics),
          json(result.timings),
          json(result.warnings),
        ]);
        await appendRunLabels(c, id, result.labels);
        const model = toModelFile(result.analysis, { input: result.source, nSamples: result.rows.fitted });
        await c.run("INSERT INTO models VALUES (?, ?)", [id, json(model)]);
        return id;
      }),
    );
  }

  recordFailedRun(spec: NormalizedAnalysisSpec, error: unknown, info: { baseDir: string }): Promise<string> {
    const id = newRunId();
    const dataset =
      "path" in spec.data
        ? datasetId(resolve(info.baseDir, spec.data.path))
        : "dataset" in spec.data
          ? spec.data.dataset
          : null;
    return this.with((c) =>
      inTransaction(c, async () => {
        await c.run("INSERT INTO runs VALUES (?, ?, 'failed', ?, ?, ?, ?, NULL, NULL, NULL, NULL, '[]', ?)", [
          id,
          new Date().toISOString(),
          json(spec),
          spec.algorithm.name,
          info.baseDir,
          dataset,
          errorMessage(error),
        ]);
        return id;
      }),
    );
  }

  listRuns(options: { status?: RunStatus; limit?: number } = {}): Promise<RunRecord[]> {
    return this.with(async (c) => {
      const where = options.status ? "WHERE status = ?" : "";
      const limit = options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : "";
      const rows = await query(
        c,
        `SELECT * FROM runs ${where} ORDER BY created DESC, id DESC${limit}`,
        options.status ? [options.status] : [],
      );
      return rows.map(toRun);
    });
  }

  private async resolveRun(c: DuckDBConnection, id: string): Promise<Row> {
    if (typeof id !== "string" || id === "") throw new StoreError(`unknown run: ${JSON.stringify(id)}`);
    const exact = await query(c, "SELECT * FROM runs WHERE id = ?", [id]);
    if (exact.length === 1) return exact[0];
    const prefixed = await query(c, "SELECT * FROM runs WHERE starts_with(id, ?) ORDER BY id", [id]);
    if (prefixed.length === 1) return prefixed[0];
    if (prefixed.length > 1) {
      throw new StoreError(
        `ambiguous run id ${JSON.stringify(id)}: ${prefixed.length} runs start with it (${prefixed
          .slice(0, 3)
          .map((r) => r.id)
          .join(", ")}${prefixed.length > 3 ? ", ..." : ""})`,
      );
    }
    throw new StoreError(`unknown run: ${JSON.stringify(id)} (in ${this.path}; see \`clusterlab runs list\`)`);
  }

  getRun(id: string): Promise<RunRecord> {
    return this.with(async (c) => toRun(await this.resolveRun(c, id)));
  }

  getLabels(id: string): Promise<Int32Array> {
    return this.with(async (c) => {
      const run = toRun(await this.resolveRun(c, id));
      const rows = await query(c, "SELECT row, label FROM run_labels WHERE run_id = ? ORDER BY row", [run.id]);
      const labels = new Int32Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const label = rows[i].label;
        labels[i] = label === null || label === undefined ? UNASSIGNED : Number(label);
      }
      return labels;
    });
  }

  getModel(id: string): Promise<ModelFile | null> {
    return this.with(async (c) => {
      const run = toRun(await this.resolveRun(c, id));
      const rows = await query(c, "SELECT model FROM models WHERE run_id = ?", [run.id]);
      return rows.length === 0 ? null : (JSON.parse(String(rows[0].model)) as ModelFile);
    });
  }

  deleteRun(id: string): Promise<void> {
    return this.with(async (c) => {
      const run = toRun(await this.resolveRun(c, id));
      await inTransaction(c, async () => {
        await c.run("DELETE FROM run_labels WHERE run_id = ?", [run.id]);
        await c.run("DELETE FROM models WHERE run_id = ?", [run.id]);
        await c.run("DELETE FROM runs WHERE id = ?", [run.id]);
      });
    });
  }

  async rerun(id: string, options: Omit<RunSpecOptions, "store" | "baseDir" | "table"> = {}): Promise<RerunResult> {
    const previous = await this.getRun(id);
    const before = previous.status === "succeeded" ? await this.getLabels(previous.id) : null;
    const result = await runSpec(previous.spec, { ...options, store: this, baseDir: previous.baseDir });
    let identical = before !== null && before.length === result.labels.length;
    if (identical && before) {
      for (let i = 0; i < before.length; i++) {
        if (before[i] !== result.labels[i]) {
          identical = false;
          break;
        }
      }
    }
    return { result, previous, identicalLabels: identical };
  }
}

/**
 * Opens (creating if needed) the store in `dir` (default: `$CLUSTERLAB_HOME`, else
 * `~/.clusterlab`): the directory, the database file `clusterlab.duckdb` and its tables.
 */
export async function openStore(dir?: string, options: OpenStoreOptions = {}): Promise<Store> {
  const root = resolve(dir ?? defaultStoreDir());
  try {
    await mkdir(root, { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create the store directory ${root}: ${(error as Error).message}`);
  }
  const store = new DuckDBStore(root, options);
  await store.init();
  return store;
}

/** True for errors of a missing dataset or run (for callers mapping them to "not found"). */
export function isNotFound(error: unknown): boolean {
  return error instanceof StoreError && /^unknown (run|dataset)/.test(error.message);
}
