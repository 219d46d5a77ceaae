/**
 * The dashboard's clustering runs, saved in the lab store (`clusterlab.duckdb` in the data
 * directory, the file `clusterlab runs` reads): each run is a row of lab's `runs` table (analysis
 * spec, metrics, timings, warnings), its labels in `run_labels` (one per file row, NULL for a row
 * that was not clustered), its model in `models` once exported, plus a row of `dashboard_runs`
 * (the dashboard's settings, sizes, pinned flag and name) that only the server reads.
 *
 * Slider moves make many runs, so saving never delays an answer: `add` keeps the run in memory
 * (the labelled CSV works at once) and `describe` queues it; a background flush writes the queued
 * runs in one transaction a moment later. Unpinned runs are an automatic history capped per
 * dataset (`historyPerDataset`, default 50: older ones are deleted at each flush); pinned runs are
 * kept until deleted.
 */
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import {
  appendRunLabels,
  datasetId,
  inTransaction,
  openStore,
  type RunMetrics,
  type RunTimings,
  STORE_DATABASE,
  withDatabase,
} from "@clusterlab/lab";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import type { ClusterRequest, ClusterResult } from "./api.js";
import type { RunDetail, RunList, RunListQuery, RunPatch, RunSummary } from "./apiRuns.js";
import type { DatasetStore } from "./datasets.js";
import { HttpError } from "./httpError.js";
import { specFromSettings } from "./runSpecs.js";

/** What is kept in memory of a clustering run: enough to write the labelled file. */
export interface StoredRun {
  id: string;
  dataset: string;
  /** Cluster of each clustered row. */
  labels: Int32Array;
  /** File row of each clustered row when rows were dropped; undefined when every row was used. */
  rowIndex?: Int32Array;
  /** Rows in the file. */
  nRowsTotal: number;
  /** The run's description, once its answer is known (`describe`). */
  detail?: RunDetail;
}

/** Options of `RunStore.open`. */
export interface RunStoreOptions {
  /** The data directory (the lab store's file is `clusterlab.duckdb` there). */
  dataDir: string;
  datasets: DatasetStore;
  /** Unpinned runs kept per dataset. Default 50. */
  historyPerDataset?: number;
  /** Runs kept in memory (their labels at hand). Default 100. */
  memoryCapacity?: number;
  /** Delay before queued runs are written, in ms. Default 250. */
  flushDelayMs?: number;
}

const DASHBOARD_TABLE = `CREATE TABLE IF NOT EXISTS dashboard_runs (
  run_id VARCHAR PRIMARY KEY, created VARCHAR NOT NULL, dataset VARCHAR NOT NULL,
  pinned BOOLEAN NOT NULL, name VARCHAR, detail VARCHAR NOT NULL)`;

type Row = Record<string, unknown>;

async function query(c: DuckDBConnection, sql: string, values: DuckDBValue[] = []): Promise<Row[]> {
  return (await c.runAndReadAll(sql, values)).getRowObjectsJS() as Row[];
}

/** JSON text with NaN and infinities as null. */
function json(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v));
}

function unknownRun(id: string): HttpError {
  return new HttpError(
    404,
    `unknown run: ${JSON.stringify(id.slice(0, 100))} (deleted, or never made; see GET /api/runs)`,
  );
}

function summaryOf(detail: RunDetail): RunSummary {
  const { settings: _s, sizes: _z, warnings: _w, spec: _p, specNote: _n, timings: _t, ...summary } = detail;
  return summary;
}

/** The saved runs of the dashboard (see the file comment). */
export class RunStore {
  private readonly recent = new Map<string, StoredRun>();
  private readonly queued = new Map<string, StoredRun>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastCreated = 0;
  readonly historyPerDataset: number;
  private readonly memoryCapacity: number;
  private readonly flushDelayMs: number;
  /** The last error of a background write (logged once, shown by `GET /api/runs`). */
  lastError: string | null = null;

  /** The lab store's database file. */
  readonly path: string;
  /** The store opened and the dashboard's table created (in the background: the server starts at once). */
  private readonly ready: Promise<void>;

  private constructor(
    dataDir: string,
    private readonly datasets: DatasetStore,
    options: RunStoreOptions,
  ) {
    this.historyPerDataset = options.historyPerDataset ?? 50;
    this.memoryCapacity = options.memoryCapacity ?? 100;
    this.flushDelayMs = options.flushDelayMs ?? 250;
    this.path = join(resolve(dataDir), STORE_DATABASE);
    this.ready = openStore(dataDir).then(() =>
      withDatabase(this.path, (c) => c.run(DASHBOARD_TABLE).then(() => undefined)),
    );
    // Failures are reported by the first operation that waits for it.
    this.ready.catch(() => {});
  }

  /**
   * The runs of the data directory: lab's store there is opened (created) in the background; every
   * read or write waits for it.
   */
  static async open(options: RunStoreOptions): Promise<RunStore> {
    return new RunStore(options.dataDir, options.datasets, options);
  }

  /** Waits until the store is open (rejects when it cannot be). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  private async with<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    await this.ready;
    return withDatabase(this.path, fn);
  }

  /** Keeps a new run in memory; `describe` saves it once its answer is known. */
  add(run: Omit<StoredRun, "id" | "detail">): StoredRun {
    const stored: StoredRun = { ...run, id: `r-${randomBytes(8).toString("hex")}` };
    this.remember(stored);
    return stored;
  }

  private remember(run: StoredRun): void {
    this.recent.delete(run.id);
    this.recent.set(run.id, run);
    while (this.recent.size > this.memoryCapacity) {
      const oldest = this.recent.keys().next().value!;
      // A run still waiting to be written stays reachable through the queue.
      this.recent.delete(oldest);
    }
  }

  /** Completes a run with its request and answer, and queues it to be saved. */
  describe(result: ClusterResult, request: ClusterRequest): void {
    const run = this.recent.get(result.runId);
    if (!run) return;
    let name = run.dataset;
    const settings = {
      dataset: result.dataset,
      columns: result.columns,
      scaling: result.scaling,
      dropMissing: request.dropMissing ?? true,
      seed: result.seed,
      algorithm: result.algorithm,
      params: result.params,
    };
    try {
      name = this.datasets.get(run.dataset).name;
    } catch {
      // The dataset was removed meanwhile: keep its id as its name.
    }
    const now = Math.max(Date.now(), this.lastCreated + 1);
    this.lastCreated = now;
    run.detail = {
      id: run.id,
      created: new Date(now).toISOString(),
      dataset: result.dataset,
      datasetName: name,
      algorithm: result.algorithm,
      params: result.params,
      columns: result.columns,
      scaling: result.scaling,
      seed: result.seed,
      k: result.k,
      nNoise: result.nNoise,
      nRows: result.nRows,
      rowsDropped: result.rowsDropped,
      nRowsTotal: run.nRowsTotal,
      metrics: result.metrics,
      totalSeconds: result.timings.totalSeconds,
      pinned: false,
      name: null,
      settings,
      sizes: result.sizes,
      warnings: result.warnings,
      // Built when the run is written (lab's validator is slow to compile; never on the answer's path).
      spec: null,
      specNote: null,
      timings: result.timings,
    };
    this.queued.set(run.id, run);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushDelayMs);
    this.timer.unref?.();
  }

  /**
   * Finishes the store's work before the server stops: waits for the background open and writes the
   * queued runs, so nothing is lost and no file is still being written once `app.close()` resolves.
   */
  async close(): Promise<void> {
    await this.ready.catch(() => {});
    await this.flush();
  }

  /** Writes the queued runs now (and waits for writes under way). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const next = this.flushing.then(() => this.writeQueued());
    this.flushing = next.catch(() => {});
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    if (this.queued.size === 0) return;
    const batch = [...this.queued.values()];
    try {
      for (const run of batch) this.addSpec(run);
      const pruned = await this.with((c) =>
        inTransaction(c, async () => {
          for (const run of batch) await this.insert(c, run);
          return this.prune(c, new Set(batch.map((r) => r.dataset)));
        }),
      );
      for (const run of batch) this.queued.delete(run.id);
      for (const id of pruned) this.recent.delete(id);
      this.lastError = null;
    } catch (error) {
      for (const run of batch) this.queued.delete(run.id);
      this.lastError = `saving runs failed: ${(error as Error).message.split("\n")[0]}`;
      console.error(`clusterlab: ${this.lastError}`);
    }
  }

  /** The analysis spec of a described run (see `specFromSettings`). */
  private addSpec(run: StoredRun): void {
    const d = run.detail!;
    if (d.spec !== null || d.specNote !== null) return;
    try {
      const entry = this.datasets.get(run.dataset);
      const built = specFromSettings(d.settings, { path: entry.path, format: entry.format, nRows: d.nRows });
      d.spec = built.spec;
      d.specNote = built.note;
    } catch (error) {
      d.specNote = `no analysis spec: ${(error as Error).message.split("\n")[0]}`;
    }
  }

  private async insert(c: DuckDBConnection, run: StoredRun): Promise<void> {
    const d = run.detail!;
    const entry = (() => {
      try {
        return this.datasets.get(run.dataset);
      } catch {
        return null;
      }
    })();
    const metrics: RunMetrics = {
      silhouette: d.metrics.silhouette,
      calinskiHarabasz: d.metrics.calinskiHarabasz,
      daviesBouldin: d.metrics.daviesBouldin,
      silhouetteSampleSize: d.nRows - d.nNoise > 5000 ? 5000 : null,
      nScored: d.nRows - d.nNoise,
      ...(d.metrics.inertia !== null && { inertia: d.metrics.inertia }),
      ...(d.metrics.bic !== null && { bic: d.metrics.bic }),
    };
    const timings: RunTimings = {
      readSeconds: 0,
      prepareSeconds: 0,
      fitSeconds: d.timings.fitSeconds,
      metricsSeconds: d.timings.viewSeconds,
      testSeconds: 0,
      saveSeconds: 0,
      totalSeconds: d.timings.totalSeconds,
    };
    if (d.spec !== null) {
      const spec = d.spec as { algorithm: { name: string } };
      await c.run(
        `INSERT INTO runs (id, created, status, spec, algorithm, base_dir, dataset_id, n_rows, n_clusters, metrics, timings, warnings, error)
         VALUES (?, ?, 'succeeded', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
        [
          run.id,
          d.created,
          json(d.spec),
          spec.algorithm.name,
          entry ? dirname(entry.path) : "",
          entry ? datasetId(entry.path) : null,
          run.nRowsTotal,
          d.k,
          json(metrics),
          json(timings),
          json(d.warnings),
        ],
      );
    }
    await c.run("INSERT INTO dashboard_runs VALUES (?, ?, ?, false, NULL, ?)", [
      run.id,
      d.created,
      run.dataset,
      json(d),
    ]);
    await appendRunLabels(c, run.id, RunStore.fileLabels(run), { yieldBetweenChunks: true });
  }

  /** Deletes the unpinned runs past the history cap of each dataset; returns their ids. */
  private async prune(c: DuckDBConnection, datasets: Set<string>): Promise<string[]> {
    const gone: string[] = [];
    for (const dataset of datasets) {
      const rows = await query(
        c,
        `SELECT run_id FROM dashboard_runs WHERE dataset = ? AND NOT pinned
         ORDER BY created DESC, run_id DESC OFFSET ${this.historyPerDataset}`,
        [dataset],
      );
      for (const r of rows) gone.push(String(r.run_id));
    }
    for (const id of gone) await deleteRows(c, id);
    return gone;
  }

  /** Saved runs, newest first (queued runs are written first). */
  async list(q: RunListQuery = {}): Promise<RunList> {
    await this.flush();
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const where: string[] = [];
    const values: DuckDBValue[] = [];
    if (q.dataset !== undefined) {
      where.push("dataset = ?");
      values.push(q.dataset);
    }
    if (q.pinned !== undefined) where.push(q.pinned ? "pinned" : "NOT pinned");
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    return this.with(async (c) => {
      const total = Number((await query(c, `SELECT count(*) AS n FROM dashboard_runs ${clause}`, values))[0].n);
      const rows = await query(
        c,
        `SELECT detail, pinned, name FROM dashboard_runs ${clause} ORDER BY created DESC, run_id DESC LIMIT ${limit} OFFSET ${offset}`,
        values,
      );
      return {
        runs: rows.map((r) => summaryOf(detailOf(r))),
        total,
        offset,
        limit,
        historyPerDataset: this.historyPerDataset,
        saveError: this.lastError,
      };
    });
  }

  /**
   * A run kept in memory (the latest `memoryCapacity`), with its labels per clustered row; 404 when
   * it is not in memory. `load` also reads saved runs.
   */
  get(id: string): StoredRun {
    const run = this.recent.get(id) ?? this.queued.get(id);
    if (!run) throw unknownRun(id);
    return run;
  }

  /** A run from memory or from the store, with its labels per clustered row; 404 when unknown. */
  async load(id: string): Promise<StoredRun> {
    const run = this.recent.get(id) ?? this.queued.get(id);
    if (run) return run;
    const detail = await this.detail(id);
    const { labels: fileLabels } = await this.labels(id);
    const n = fileLabels.length;
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (fileLabels[i] !== null) rows.push(i);
    const labels = Int32Array.from(rows, (i) => fileLabels[i] as number);
    const loaded: StoredRun = {
      id,
      dataset: detail.dataset,
      labels,
      ...(rows.length < n && { rowIndex: Int32Array.from(rows) }),
      nRowsTotal: n,
      detail,
    };
    this.remember(loaded);
    return loaded;
  }

  /** One run's description; 404 when unknown. */
  async detail(id: string): Promise<RunDetail> {
    if (this.queued.has(id)) await this.flush();
    const rows = await this.with((c) =>
      query(c, "SELECT detail, pinned, name FROM dashboard_runs WHERE run_id = ?", [id]),
    );
    if (rows.length === 0) {
      // A run answered a moment ago, not described yet (or a run whose answer failed).
      const run = this.recent.get(id);
      if (run?.detail) return run.detail;
      throw unknownRun(id);
    }
    return detailOf(rows[0]);
  }

  /** The cluster of every file row (null: not clustered); 404 when unknown. */
  async labels(id: string): Promise<{ dataset: string; labels: (number | null)[] | Int32Array }> {
    const run = this.recent.get(id) ?? this.queued.get(id);
    if (run) return { dataset: run.dataset, labels: RunStore.clusterColumn(run) };
    const detail = await this.detail(id);
    const rows = await this.with((c) => query(c, "SELECT label FROM run_labels WHERE run_id = ? ORDER BY row", [id]));
    const labels = rows.map((r) => (r.label === null || r.label === undefined ? null : Number(r.label)));
    return { dataset: detail.dataset, labels };
  }

  /** Pins or names a run. */
  async patch(id: string, patch: RunPatch): Promise<RunSummary> {
    await this.flush();
    await this.detail(id);
    await this.with(async (c) => {
      if (patch.pinned !== undefined)
        await c.run("UPDATE dashboard_runs SET pinned = ? WHERE run_id = ?", [patch.pinned, id]);
      if (patch.name !== undefined) {
        const name = patch.name === null || patch.name.trim() === "" ? null : patch.name.trim();
        await c.run("UPDATE dashboard_runs SET name = ? WHERE run_id = ?", [name, id]);
      }
    });
    return summaryOf(await this.detail(id));
  }

  /** Deletes a run (labels, spec, model); 404 when unknown. */
  async delete(id: string): Promise<void> {
    await this.flush();
    await this.detail(id);
    this.recent.delete(id);
    await this.with((c) => inTransaction(c, () => deleteRows(c, id)));
  }

  /** The saved model file of a run, or null. */
  async model(id: string): Promise<unknown | null> {
    await this.flush();
    const rows = await this.with((c) => query(c, "SELECT model FROM models WHERE run_id = ?", [id]));
    return rows.length === 0 ? null : JSON.parse(String(rows[0].model));
  }

  /** Saves a run's model file (in lab's `models` table, where `clusterlab runs` finds it). */
  async saveModel(id: string, model: unknown): Promise<void> {
    await this.flush();
    await this.with((c) =>
      inTransaction(c, async () => {
        await c.run("DELETE FROM models WHERE run_id = ?", [id]);
        await c.run("INSERT INTO models VALUES (?, ?)", [id, json(model)]);
      }),
    );
  }

  /** The labels as one value per file row, `UNASSIGNED`-free: null for a row that was not clustered. */
  static fileLabels(run: StoredRun): Int32Array {
    const out = new Int32Array(run.nRowsTotal).fill(NOT_CLUSTERED);
    if (!run.rowIndex) out.set(run.labels.subarray(0, run.nRowsTotal));
    else for (let r = 0; r < run.rowIndex.length; r++) out[run.rowIndex[r]] = run.labels[r];
    return out;
  }

  /** The `cluster` column for every file row: the label, or null for a row that was dropped. */
  static clusterColumn(run: Pick<StoredRun, "labels" | "rowIndex" | "nRowsTotal">): Int32Array | (number | null)[] {
    if (!run.rowIndex) return run.labels;
    const out = new Array<number | null>(run.nRowsTotal).fill(null);
    for (let r = 0; r < run.rowIndex.length; r++) out[run.rowIndex[r]] = run.labels[r];
    return out;
  }
}

/** Lab's `UNASSIGNED`: a row that was not clustered (stored as NULL). */
const NOT_CLUSTERED = -2;

function detailOf(row: Row): RunDetail {
  const detail = JSON.parse(String(row.detail)) as RunDetail;
  detail.pinned = Boolean(row.pinned);
  detail.name = row.name === null || row.name === undefined ? null : String(row.name);
  return detail;
}

async function deleteRows(c: DuckDBConnection, id: string): Promise<void> {
  await c.run("DELETE FROM run_labels WHERE run_id = ?", [id]);
  await c.run("DELETE FROM models WHERE run_id = ?", [id]);
  await c.run("DELETE FROM runs WHERE id = ?", [id]);
  await c.run("DELETE FROM dashboard_runs WHERE run_id = ?", [id]);
}
