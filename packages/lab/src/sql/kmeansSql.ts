import { DataError } from "../errors.js";
import type { SqlDialect } from "./sqlDialect.js";

/**
 * SQL text for pushed-down k-means (Ordonez, KDD 2004): every statement is one scan of the source,
 * and the per-iteration statement returns only k rows of (count, sum of squared distances, d sums).
 * The centres are written into the SQL as exact float64 literals.
 *
 * Internal column names start with `__cl_` (user columns should not).
 */

/** Where the data is: a FROM item (a quoted table/view name or e.g. `read_parquet('x.parquet')`) and feature columns. */
export interface SqlSource {
  /** A FROM item, used verbatim. */
  from: string;
  /** Feature column names (unquoted). */
  columns: readonly string[];
}

const D = "__cl_d";
const E = "__cl_e";
const MIN = "__cl_m";
const RAWMIN = "__cl_mn";
const PMIN = "__cl_pm";
const LABEL = "__cl_j";
const PLABEL = "__cl_pj";

/**
 * Squared Euclidean distance from the row to the centre `c` (offset `o`, d values) as a SQL
 * expression: `(x - c) * (x - c) + ...` (for a negative coordinate `(x + |c|)`, the same float64).
 */
export function sqDistanceSql(dialect: SqlDialect, columns: readonly string[], c: ArrayLike<number>, o = 0): string {
  return columns
    .map((name, t) => {
      const col = dialect.ident(name);
      const v = c[o + t];
      if (v === 0) return `${col} * ${col}`;
      const diff = v < 0 ? `(${col} + ${dialect.number(-v)})` : `(${col} - ${dialect.number(v)})`;
      return `${diff} * ${diff}`;
    })
    .join(" + ");
}

/** `CASE WHEN d0 = m THEN 0 WHEN d1 = m THEN 1 ... ELSE k-1 END`: the first index reaching the minimum. */
export function argMinSql(distances: readonly string[], min: string): string {
  const k = distances.length;
  if (k === 1) return "0";
  const whens = distances
    .slice(0, k - 1)
    .map((d, j) => `WHEN ${d} = ${min} THEN ${j}`)
    .join(" ");
  return `CASE ${whens} ELSE ${k - 1} END`;
}

function checkCenters(centers: ArrayLike<number>, k: number, d: number): void {
  if (centers.length !== k * d) throw new DataError(`centres: expected ${k} x ${d} values, got ${centers.length}`);
}

/**
 * A `SELECT` of the feature columns (distances by the dialect's vector distance function when it
 * has one, else the expanded squared-difference expression) (or `*` when `passthrough` is given: those columns), the
 * nearest centre `__cl_j` (ties: lowest index) and its squared distance `__cl_m`; with `previous`
 * centres also `__cl_pj`, the nearest previous centre. Distances are computed once per row:
 * both derived tables are fenced (see `SqlDialect.fence`).
 */
export function assignSql(
  dialect: SqlDialect,
  source: SqlSource,
  centers: ArrayLike<number>,
  k: number,
  previous?: ArrayLike<number>,
  passthrough?: readonly string[],
): string {
  const d = source.columns.length;
  checkCenters(centers, k, d);
  if (previous) checkCenters(previous, k, d);
  const dNames = Array.from({ length: k }, (_, j) => `${D}${j}`);
  const eNames = Array.from({ length: k }, (_, j) => `${E}${j}`);
  const dist = (c: ArrayLike<number>, j: number) =>
    dialect.vectorDistance
      ? dialect.vectorDistance(
          source.columns,
          Array.from({ length: d }, (_, t) => c[j * d + t]),
        )
      : sqDistanceSql(dialect, source.columns, c, j * d);
  const dists = dNames.map((n, j) => `${dist(centers, j)} AS ${n}`);
  const prevDists = previous ? eNames.map((n, j) => `${dist(previous, j)} AS ${n}`) : [];
  const carried = (passthrough ?? source.columns).map((c) => dialect.ident(c));
  const firstCols = passthrough ? "*" : carried.join(", ");
  const inner = dialect.fence(`SELECT ${firstCols}, ${[...dists, ...prevDists].join(", ")} FROM ${source.from}`);
  const mins = [`${dialect.least(dNames)} AS ${RAWMIN}`];
  if (previous) mins.push(`${dialect.least(eNames)} AS ${PMIN}`);
  const middle = dialect.fence(`SELECT *, ${mins.join(", ")} FROM (${inner}) AS __cl_q1`);
  // With a vector distance function the minimum is a distance: square it. (A new name: ClickHouse
  // resolves a name to an alias of the same SELECT before the column of the FROM item.)
  const sq = dialect.vectorDistance ? `${RAWMIN} * ${RAWMIN} AS ${MIN}` : `${RAWMIN} AS ${MIN}`;
  const labels = [`${argMinSql(dNames, RAWMIN)} AS ${LABEL}`, sq];
  if (previous) labels.push(`${argMinSql(eNames, PMIN)} AS ${PLABEL}`);
  return `SELECT ${[...carried, ...labels].join(", ")} FROM (${middle}) AS __cl_q2`;
}

/**
 * One Lloyd scan: per nearest centre `j`, the row count `n`, the summed squared distance `sse` and
 * the feature sums `s0..s{d-1}`; with `previous` centres also `changed`, the number of rows whose
 * nearest centre differs from their nearest previous centre. At most k rows come back.
 */
export function lloydStepSql(
  dialect: SqlDialect,
  source: SqlSource,
  centers: ArrayLike<number>,
  k: number,
  previous?: ArrayLike<number>,
): string {
  const aggs = [`COUNT(*) AS n`, `${dialect.sum(MIN)} AS sse`];
  source.columns.forEach((c, t) => {
    aggs.push(`${dialect.sum(dialect.ident(c))} AS s${t}`);
  });
  if (previous) aggs.push(`SUM(CASE WHEN ${PLABEL} <> ${LABEL} THEN 1 ELSE 0 END) AS changed`);
  const assigned = assignSql(dialect, source, centers, k, previous);
  return `SELECT ${LABEL} AS j, ${aggs.join(", ")} FROM (${assigned}) AS __cl_a GROUP BY ${LABEL} ORDER BY ${LABEL}`;
}

/**
 * The initial scan: row count `n`, non-NULL count `c{t}`, mean `m{t}` and population variance
 * `v{t}` of every feature (for the NULL check and the tolerance scaling).
 */
export function featureStatsSql(dialect: SqlDialect, source: SqlSource): string {
  const aggs = ["COUNT(*) AS n"];
  source.columns.forEach((c, t) => {
    const col = dialect.ident(c);
    aggs.push(`COUNT(${col}) AS c${t}`, `AVG(${col}) AS m${t}`, `${dialect.varPop(col)} AS v${t}`);
  });
  return `SELECT ${aggs.join(", ")} FROM ${source.from}`;
}

/**
 * The `count` rows farthest from their nearest centre (label `j`, squared distance `m`, features
 * `x0..`), farthest first: the candidates for relocating empty clusters.
 */
export function farthestRowsSql(
  dialect: SqlDialect,
  source: SqlSource,
  centers: ArrayLike<number>,
  k: number,
  count: number,
): string {
  const feats = source.columns.map((c, t) => `${dialect.ident(c)} AS x${t}`);
  const assigned = assignSql(dialect, source, centers, k);
  return `SELECT ${LABEL} AS j, ${MIN} AS m, ${feats.join(", ")} FROM (${assigned}) AS __cl_a ORDER BY ${MIN} DESC LIMIT ${count}`;
}

/**
 * Every column of the source (`keep`, in order) plus `labelColumn`, the nearest centre of the row
 * (ties: lowest index). The body of `predictToTable`.
 */
export function predictSql(
  dialect: SqlDialect,
  source: SqlSource,
  centers: ArrayLike<number>,
  k: number,
  keep: readonly string[],
  labelColumn: string,
): string {
  const assigned = assignSql(dialect, source, centers, k, undefined, keep);
  const cols = [...keep.map((c) => dialect.ident(c)), `${LABEL} AS ${dialect.ident(labelColumn)}`];
  return `SELECT ${cols.join(", ")} FROM (${assigned}) AS __cl_p`;
}
