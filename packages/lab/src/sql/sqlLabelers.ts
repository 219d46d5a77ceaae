import { asMatrix, type Matrix, type MatrixLike, silhouetteScore } from "@clusterlab/core";
import { DataError } from "../errors.js";
import { assignSql, predictSql, type SqlSource } from "./kmeansSql.js";
import { bisectingLabelSql, type SqlBisectingNode } from "./sqlBisectingKMeans.js";
import type { SqlDialect } from "./sqlDialect.js";
import type { SqlEngine } from "./sqlEngine.js";
import { gmmLogProbSql } from "./sqlGaussianMixture.js";
import { type SqlTableRef, sqlSource } from "./sqlKMeans.js";
import { sqlNumber } from "./sqlNumber.js";
import { type SqlOutputTarget, writeSelect } from "./sqlOutput.js";

/**
 * How a fitted pushed-down model labels rows: a `SELECT` of the `keep` columns of the source plus
 * the label column (an integer; -1 for noise), one pass over the source.
 */
export type SqlLabeler = (dialect: SqlDialect, source: SqlSource, keep: readonly string[], label: string) => string;

/** Nearest centre, ties to the lowest index (k-means). */
export function nearestCenterLabeler(centers: MatrixLike): SqlLabeler {
  return (dialect, source, keep, label) => {
    const c = asMatrix(centers, { name: "centers", cols: source.columns.length });
    return predictSql(dialect, source, c.data, c.rows, keep, label);
  };
}

/** Highest posterior of a diagonal Gaussian mixture, ties to the lowest index. */
export function gaussianMixtureLabeler(
  weights: ArrayLike<number>,
  means: MatrixLike,
  precisionsCholesky: MatrixLike,
): SqlLabeler {
  return (dialect, source, keep, label) => {
    const d = source.columns.length;
    const mu = asMatrix(means, { name: "means", cols: d });
    const pc = asMatrix(precisionsCholesky, { name: "precisionsCholesky", cols: d });
    const k = mu.rows;
    const inner = gmmLogProbSql(dialect, source, Float64Array.from(weights), mu.data, pc.data, k);
    const names = Array.from({ length: k }, (_, c) => `__cl_l${c}`);
    const arg =
      k === 1
        ? "0"
        : `CASE ${names
            .slice(0, k - 1)
            .map((n, c) => `WHEN ${n} = __cl_x THEN ${c}`)
            .join(" ")} ELSE ${k - 1} END`;
    const cols = keep.map((c) => dialect.ident(c));
    return `SELECT ${[...cols, `${arg} AS ${dialect.ident(label)}`].join(", ")} FROM (${inner}) AS __cl_g`;
  };
}

/** The leaf of a bisecting k-means tree (descending it, ties left). */
export function bisectingLabeler(nodes: readonly SqlBisectingNode[]): SqlLabeler {
  return (dialect, source, keep, label) => {
    const cols = keep.map((c) => dialect.ident(c));
    return `SELECT ${[...cols, `${bisectingLabelSql(dialect, source, nodes)} AS ${dialect.ident(label)}`].join(", ")} FROM ${source.from}`;
  };
}

/**
 * The label of the nearest of `points` (ties: lowest index), or -1 when that point is farther
 * than `maxDistance` (Euclidean) or is itself labelled -1. The assignment pass of the
 * sample-then-assign fits (DBSCAN, HDBSCAN, agglomerative).
 */
export function nearestPointLabeler(points: MatrixLike, labels: ArrayLike<number>, maxDistance?: number): SqlLabeler {
  return (dialect, source, keep, label) => {
    const p = asMatrix(points, { name: "points", cols: source.columns.length });
    if (labels.length !== p.rows) throw new DataError(`labels: expected ${p.rows} values, got ${labels.length}`);
    const groups = new Map<number, number[]>();
    for (let i = 0; i < p.rows; i++) {
      const l = labels[i];
      if (!groups.has(l)) groups.set(l, []);
      groups.get(l)?.push(i);
    }
    const whens = [...groups.entries()].map(([l, idx]) => `WHEN __cl_j IN (${idx.join(", ")}) THEN ${l}`);
    const far = maxDistance === undefined ? "" : `WHEN __cl_m > ${dialect.number(maxDistance * maxDistance)} THEN -1 `;
    const expr = `CASE ${far}${whens.join(" ")} ELSE -1 END`;
    const assigned = assignSql(dialect, source, p.data, p.rows, undefined, keep);
    const cols = keep.map((c) => dialect.ident(c));
    return `SELECT ${[...cols, `${expr} AS ${dialect.ident(label)}`].join(", ")} FROM (${assigned}) AS __cl_n`;
  };
}

/** Options for `writeLabels`. */
export interface WriteLabelsOptions extends SqlTableRef, SqlOutputTarget {
  /** Label column. Default `"cluster"`. */
  labelColumn?: string;
  /** Source columns written next to the label. Default: all of them. */
  keep?: readonly string[];
}

/** Writes every row of the source plus its label (one scan) to a new table or (DuckDB) a Parquet file. */
export async function writeLabels(engine: SqlEngine, labeler: SqlLabeler, options: WriteLabelsOptions): Promise<void> {
  const source = sqlSource(engine, options);
  const keep = options.keep ?? (await engine.columnNames(`SELECT * FROM ${source.from}`));
  const label = options.labelColumn ?? "cluster";
  if (keep.includes(label)) {
    throw new DataError(`invalid labelColumn: ${JSON.stringify(label)} (the source already has that column)`);
  }
  await writeSelect(engine, labeler(engine.dialect, source, keep, label), options);
}

/** Up to `n` rows of the source (feature columns only) chosen by the dialect's seeded hash: one scan. */
export async function sqlSampleMatrix(
  engine: SqlEngine,
  ref: SqlTableRef,
  n: number,
  seed: number,
  labeler?: SqlLabeler,
): Promise<{ X: Matrix; labels: Int32Array | undefined }> {
  const source = sqlSource(engine, ref);
  const d = source.columns.length;
  const dialect = engine.dialect;
  const sample = `(${dialect.sampleRows(source.from, source.columns, n, seed)}) AS __cl_s`;
  const select = labeler
    ? labeler(dialect, { from: sample, columns: source.columns }, source.columns, "__cl_label")
    : `SELECT * FROM ${sample}`;
  const rows = await engine.query(select);
  const X: Matrix = { rows: rows.length, cols: d, data: new Float64Array(rows.length * d) };
  const labels = labeler ? new Int32Array(rows.length) : undefined;
  rows.forEach((r, i) => {
    for (let t = 0; t < d; t++) X.data[i * d + t] = sqlNumber(r[source.columns[t]]);
    if (labels) labels[i] = sqlNumber(r.__cl_label);
  });
  return { X, labels };
}

/** Options for `sqlSilhouetteScore`. */
export interface SqlSilhouetteOptions extends SqlTableRef {
  /** Rows in the seeded sample. Default 10 000. */
  sampleSize?: number;
  /** Seed of the sample. Default 0. */
  seed?: number;
}

/**
 * Silhouette on a seeded sample: the sample (`sampleRows`, one scan) is labelled in the engine by
 * `labeler` and pulled into process, where core's `silhouetteScore` scores it (noise rows, label
 * -1, left out). Returns null with the reason when fewer than 2 clusters (or all) are in the sample.
 */
export async function sqlSilhouetteScore(
  engine: SqlEngine,
  labeler: SqlLabeler,
  options: SqlSilhouetteOptions,
): Promise<{ score: number | null; sampleSize: number; reason?: string }> {
  const { X, labels } = await sqlSampleMatrix(
    engine,
    options,
    options.sampleSize ?? 10_000,
    options.seed ?? 0,
    labeler,
  );
  const keep: number[] = [];
  (labels as Int32Array).forEach((l, i) => {
    if (l >= 0) keep.push(i);
  });
  const d = X.cols;
  const Xs: Matrix = { rows: keep.length, cols: d, data: new Float64Array(keep.length * d) };
  const ls = new Int32Array(keep.length);
  keep.forEach((i, r) => {
    Xs.data.set(X.data.subarray(i * d, (i + 1) * d), r * d);
    ls[r] = (labels as Int32Array)[i];
  });
  const distinct = new Set(ls).size;
  if (distinct < 2 || distinct > Xs.rows - 1) {
    return { score: null, sampleSize: Xs.rows, reason: `${distinct} cluster(s) in a sample of ${Xs.rows} rows` };
  }
  return { score: silhouetteScore(Xs, ls), sampleSize: Xs.rows };
}
