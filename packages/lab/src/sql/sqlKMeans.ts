import {
  asMatrix,
  checkInt,
  checkNumber,
  consoleLogger,
  type Logger,
  type Matrix,
  type MatrixLike,
} from "@clusterlab/core";
import { DataError } from "../errors.js";
import { farthestRowsSql, featureStatsSql, lloydStepSql, predictSql, type SqlSource } from "./kmeansSql.js";
import type { SqlEngine, SqlRow } from "./sqlEngine.js";
import { sqlKMeansParallelInit } from "./sqlKMeansParallel.js";
import { sqlNumber } from "./sqlNumber.js";

/** Where a pushed-down algorithm reads its data: a table (or view) name, or any FROM item. */
export interface SqlTableRef {
  /** Table or view name (quoted as one identifier). Exactly one of `table` and `from`. */
  table?: string;
  /** A FROM item used verbatim, e.g. `read_parquet('big/*.parquet')` on DuckDB. */
  from?: string;
  /** Feature column names (numeric, no NULLs). */
  columns: readonly string[];
}

/** Per-iteration report of `sqlKMeans`. */
export interface SqlKMeansIterationInfo {
  /** Iteration number (1-based). */
  iteration: number;
  /** Inertia of this iteration's assignment against the centres it was assigned to. */
  inertia: number;
  /** Sum over centres of the squared distance each centre moved. */
  centerShift: number;
  /** Rows whose label changed (only when label changes are tracked; see `trackLabelChanges`). */
  labelsChanged: number | undefined;
  /** Wall-clock seconds of this iteration's scan(s). */
  seconds: number;
}

/** Options for `sqlKMeans` (the fields shared with core's `KMeansOptions` mean the same). */
export interface SqlKMeansOptions extends SqlTableRef {
  /** Number of clusters k. Default: the rows of `init` when it is a matrix, else 8. */
  nClusters?: number;
  /**
   * Initial centres: a k x d matrix (these exact centres); `"random"` (default): k distinct
   * rows chosen by the dialect's seeded hash sampling (`SqlDialect.sampleRows`, one scan); or
   * `"k-means||"`: Bahmani et al.'s scalable k-means++ (`sqlKMeansParallelInit`, `initRounds` + 2
   * scans). The chosen centres are returned as `initialCenters`, so core's `KMeans` can reproduce
   * the run.
   */
  init?: "random" | "k-means||" | MatrixLike;
  /** `"k-means||"` only: oversampling rounds, one scan each. Default 5. */
  initRounds?: number;
  /** `"k-means||"` only: candidates drawn per round. Default 2k. */
  oversampling?: number;
  /**
   * The mean per-feature variance `tol` is scaled by. Default: computed in the statistics scan of
   * the source (core's `KMeans`); bisecting k-means passes the whole table's value for its splits.
   */
  toleranceScale?: number;
  /** Maximum iterations (an integer >= 1). Default 300. */
  maxIter?: number;
  /**
   * Tolerance as core's: stop when the summed squared centre shift is <= `tol` times the mean
   * per-feature population variance (computed in the initial scan). Default 1e-4.
   */
  tol?: number;
  /** Seed of the `"random"` initialisation (an integer >= 0). Default 0. */
  seed?: number;
  /**
   * Whether each Lloyd scan also counts rows whose label changed (core's strict convergence: stop
   * as soon as no label changes), at about twice the distance arithmetic. `"auto"` (default):
   * only when the scaled tolerance is too small to catch an unchanged labelling by itself (an
   * unchanged labelling moves the centres by rounding only, far below any tolerance > 0 of
   * ordinary data, so both tests stop at the same iteration).
   */
  trackLabelChanges?: boolean | "auto";
  /** Called after every iteration. Default: none. */
  onIteration?: (info: SqlKMeansIterationInfo) => void;
  /** Receives warnings (empty clusters that could not be relocated). Default `consoleLogger`. */
  logger?: Logger;
}

/** The outcome of `sqlKMeans`. Labels stay in the database: see `predictToTable`. */
export interface SqlKMeansResult {
  /** Final centres (k x d). */
  clusterCenters: Matrix;
  /** The centres the run started from (k x d). */
  initialCenters: Matrix;
  /** Sum of squared distances of every row to its nearest final centre. */
  inertia: number;
  /** Iterations run. */
  nIter: number;
  /** Whether the run stopped on convergence rather than on maxIter. */
  converged: boolean;
  /** Number of rows. */
  nSamples: number;
  /** Rows per cluster in the final assignment. */
  clusterSizes: Float64Array;
  /** Sum of squared distances of each cluster's rows to its final centre. */
  clusterInertia: Float64Array;
  /** Number of scans of the source (statistics, sampling, Lloyd steps, relocations, final). */
  scans: number;
}

/** The `SqlSource` of a table reference, validated. */
export function sqlSource(engine: SqlEngine, ref: SqlTableRef): SqlSource {
  if ((ref.table === undefined) === (ref.from === undefined)) {
    throw new DataError("give exactly one of table and from");
  }
  if (!Array.isArray(ref.columns) || ref.columns.length === 0) {
    throw new DataError("invalid columns: [] (need at least one feature column)");
  }
  const from = ref.table !== undefined ? engine.dialect.ident(ref.table) : (ref.from as string);
  return { from, columns: ref.columns };
}

interface Step {
  counts: Float64Array;
  sums: Float64Array;
  sse: number;
  sseByCluster: Float64Array;
  changed: number | undefined;
}

async function lloydStep(
  engine: SqlEngine,
  source: SqlSource,
  centers: Float64Array,
  k: number,
  previous?: Float64Array,
): Promise<Step> {
  const d = source.columns.length;
  const rows = await engine.query(lloydStepSql(engine.dialect, source, centers, k, previous));
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  let sse = 0;
  const sseByCluster = new Float64Array(k);
  let changed: number | undefined = previous ? 0 : undefined;
  for (const r of rows) {
    const j = sqlNumber(r.j);
    counts[j] = sqlNumber(r.n);
    sseByCluster[j] = sqlNumber(r.sse);
    sse += sseByCluster[j];
    for (let t = 0; t < d; t++) sums[j * d + t] = sqlNumber(r[`s${t}`]);
    if (changed !== undefined) changed += sqlNumber(r.changed);
  }
  return { counts, sums, sse, sseByCluster, changed };
}

/**
 * Core's empty-cluster relocation, pushed down: each empty cluster takes one of the rows farthest
 * from their nearest centre (farthest first; equal distances in the engine's order), whose
 * contribution moves out of its cluster's sums. One extra scan, only when a cluster is empty.
 */
async function relocateEmpty(
  engine: SqlEngine,
  source: SqlSource,
  centers: Float64Array,
  k: number,
  step: Step,
  logger: Logger,
): Promise<void> {
  const d = source.columns.length;
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (step.counts[j] === 0) empty.push(j);
  const rows: SqlRow[] = await engine.query(farthestRowsSql(engine.dialect, source, centers, k, empty.length));
  if (rows.length === 0 || sqlNumber(rows[0].m) === 0) {
    logger.warn(`${empty.length} empty cluster(s) could not be relocated (every row sits on its centre)`);
    return;
  }
  for (let e = 0; e < empty.length && e < rows.length; e++) {
    const r = rows[e];
    const from = sqlNumber(r.j);
    const target = empty[e];
    for (let t = 0; t < d; t++) {
      const x = sqlNumber(r[`x${t}`]);
      step.sums[from * d + t] -= x;
      step.sums[target * d + t] = x;
    }
    step.counts[target] = 1;
    step.counts[from] -= 1;
  }
}

/**
 * Lloyd's k-means pushed down into a SQL engine: each iteration is one scan that assigns every row
 * to its nearest centre and returns, per cluster, the row count and the feature sums (Ordonez, KDD
 * 2004), so only k x (d + 2) numbers cross the wire. The semantics are core's `KMeans` with
 * `algorithm: "lloyd"` and one run: same convergence test (summed squared centre shift <= tol times
 * the mean feature variance, or no label changed), same empty-cluster relocation, final
 * re-assignment; from the same initial centres it gives the same labels (ties: lowest index),
 * the centres and inertia to rounding (the engine sums in its own order) and the same nIter.
 *
 * Scans: 1 (statistics) + 1 (`"random"` init) + nIter (+1 per iteration with an empty cluster) + 1
 * (final inertia and cluster sizes).
 */
export async function sqlKMeans(engine: SqlEngine, options: SqlKMeansOptions): Promise<SqlKMeansResult> {
  const source = sqlSource(engine, options);
  const dialect = engine.dialect;
  const d = source.columns.length;
  const init = options.init ?? "random";
  if (typeof init === "string" && init !== "random" && init !== "k-means||") {
    throw new DataError(`invalid init: ${JSON.stringify(init)} (expected "random", "k-means||" or a k x d matrix)`);
  }
  const initMatrix = typeof init === "string" ? undefined : asMatrix(init, { name: "init", cols: d });
  const k = checkInt(options.nClusters ?? initMatrix?.rows ?? 8, "nClusters", 1);
  if (initMatrix && initMatrix.rows !== k) {
    throw new DataError(`invalid init: ${initMatrix.rows} centres (nClusters is ${k})`);
  }
  const maxIter = checkInt(options.maxIter ?? 300, "maxIter", 1);
  const tol = checkNumber(options.tol ?? 1e-4, "tol", { min: 0 });
  const seed = checkInt(options.seed ?? 0, "seed", 0);
  const logger = options.logger ?? consoleLogger;
  const track = options.trackLabelChanges ?? "auto";
  let scans = 0;

  // Scan 1: row count, NULL check, per-feature variance for the tolerance.
  const stats = (await engine.query(featureStatsSql(dialect, source)))[0];
  scans++;
  const n = sqlNumber(stats.n);
  if (!(n >= 1)) throw new DataError(`no rows in ${source.from}`);
  if (k > n) throw new DataError(`invalid nClusters: ${k} (n_samples=${n} should be >= nClusters=${k})`);
  let varSum = 0;
  for (let t = 0; t < d; t++) {
    const nulls = n - sqlNumber(stats[`c${t}`]);
    if (nulls > 0) {
      throw new DataError(
        `column ${JSON.stringify(source.columns[t])} has ${nulls} NULL value(s) (drop or impute them)`,
      );
    }
    const v = sqlNumber(stats[`v${t}`]);
    if (!Number.isFinite(v)) throw new DataError(`column ${JSON.stringify(source.columns[t])} has non-finite values`);
    varSum += v;
  }
  const scale =
    options.toleranceScale === undefined
      ? varSum / d
      : checkNumber(options.toleranceScale, "toleranceScale", { min: 0 });
  const tolAbs = tol === 0 ? 0 : scale * tol;

  let centers: Float64Array;
  if (initMatrix) {
    centers = Float64Array.from(initMatrix.data);
  } else if (init === "k-means||") {
    const par = await sqlKMeansParallelInit(engine, source, k, {
      seed,
      rounds: options.initRounds,
      oversampling: options.oversampling,
    });
    centers = Float64Array.from(par.centers.data);
    scans += par.scans;
  } else {
    centers = await randomCenters(engine, source, k, seed);
    scans++;
  }
  const initialCenters: Matrix = { rows: k, cols: d, data: Float64Array.from(centers) };

  let maxAbs = 0;
  for (const v of centers) maxAbs = Math.max(maxAbs, Math.abs(v));
  const noise = k * (1e-7 * Math.max(maxAbs, Math.sqrt(varSum / d))) ** 2;
  const trackChanges = track === "auto" ? tolAbs <= noise : track;

  let previous: Float64Array | undefined;
  let converged = false;
  let it = 0;
  for (; it < maxIter; it++) {
    const start = performance.now();
    const step = await lloydStep(engine, source, centers, k, trackChanges ? previous : undefined);
    scans++;
    if (trackChanges && previous === undefined) step.changed = n;
    if (step.counts.some((c) => c === 0)) {
      await relocateEmpty(engine, source, centers, k, step, logger);
      scans++;
    }
    const next = new Float64Array(k * d);
    let shiftTot = 0;
    for (let j = 0; j < k; j++) {
      const o = j * d;
      if (step.counts[j] > 0) {
        const alpha = 1 / step.counts[j];
        for (let t = 0; t < d; t++) next[o + t] = step.sums[o + t] * alpha;
      } else {
        for (let t = 0; t < d; t++) next[o + t] = centers[o + t];
      }
      let s = 0;
      for (let t = 0; t < d; t++) {
        const e = next[o + t] - centers[o + t];
        s += e * e;
      }
      shiftTot += s;
    }
    options.onIteration?.({
      iteration: it + 1,
      inertia: step.sse,
      centerShift: shiftTot,
      labelsChanged: step.changed,
      seconds: (performance.now() - start) / 1000,
    });
    previous = centers;
    centers = next;
    if (step.changed === 0 && it > 0) {
      converged = true;
      break;
    }
    if (shiftTot <= tolAbs) {
      converged = true;
      break;
    }
  }
  const nIter = Math.min(it + 1, maxIter);

  // Final scan: labels against the final centres (core's final E-step), inertia and sizes.
  const last = await lloydStep(engine, source, centers, k);
  scans++;
  return {
    clusterCenters: { rows: k, cols: d, data: centers },
    initialCenters,
    inertia: last.sse,
    nIter,
    converged,
    nSamples: n,
    clusterSizes: last.counts,
    clusterInertia: last.sseByCluster,
    scans,
  };
}

/** k distinct rows of the source, chosen by the dialect's seeded hash sampling (one scan). */
async function randomCenters(engine: SqlEngine, source: SqlSource, k: number, seed: number): Promise<Float64Array> {
  const d = source.columns.length;
  const rows = await engine.query(engine.dialect.sampleRows(source.from, source.columns, 4 * k + 16, seed));
  const seen = new Set<string>();
  const out = new Float64Array(k * d);
  let c = 0;
  for (const r of rows) {
    if (c === k) break;
    const values = source.columns.map((name) => sqlNumber(r[name]));
    const key = values.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    out.set(values, c * d);
    c++;
  }
  if (c < k) throw new DataError(`init "random": found only ${c} distinct rows for ${k} clusters`);
  return out;
}

/** Options for `predictToTable`. */
export interface PredictToTableOptions extends SqlTableRef {
  /** The centres (k x d, in the order of `columns`). */
  centers: MatrixLike;
  /** Name of the table to create (it must not exist). Exactly one of `target` and `parquet`. */
  target?: string;
  /** DuckDB only: path of a Parquet file to write (`COPY ... TO`) instead of a table. */
  parquet?: string;
  /** Name of the label column added to every row. Default `"cluster"`. */
  labelColumn?: string;
  /** Source columns to copy next to the label. Default: all of them. */
  keep?: readonly string[];
}

/**
 * Assigns every row of the source to its nearest centre (ties: lowest index) inside the engine and
 * writes the rows with a label column to a new table (`CREATE TABLE ... AS SELECT`) or, on
 * DuckDB, to a Parquet file. One scan; nothing but the statement crosses the wire.
 */
export async function predictToTable(engine: SqlEngine, options: PredictToTableOptions): Promise<void> {
  const source = sqlSource(engine, options);
  const c = asMatrix(options.centers, { name: "centers", cols: source.columns.length });
  const label = options.labelColumn ?? "cluster";
  const keep = options.keep ?? (await engine.columnNames(`SELECT * FROM ${source.from}`));
  if (keep.includes(label)) {
    throw new DataError(`invalid labelColumn: ${JSON.stringify(label)} (the source already has that column)`);
  }
  const select = predictSql(engine.dialect, source, c.data, c.rows, keep, label);
  if ((options.target === undefined) === (options.parquet === undefined)) {
    throw new DataError("give exactly one of target and parquet");
  }
  if (options.parquet !== undefined) {
    if (engine.dialect.name !== "duckdb") throw new DataError("parquet output needs the duckdb engine");
    await engine.query(`COPY (${select}) TO '${options.parquet.replace(/'/g, "''")}' (FORMAT PARQUET)`);
    return;
  }
  await engine.query(engine.dialect.createTableAs(options.target as string, select));
}
