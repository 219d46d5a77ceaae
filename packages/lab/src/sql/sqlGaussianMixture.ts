import { asMatrix, checkInt, checkNumber, type Matrix, type MatrixLike } from "@clusterlab/core";
import { DataError } from "../errors.js";
import { argMinSql, featureStatsSql, type SqlSource } from "./kmeansSql.js";
import type { SqlDialect } from "./sqlDialect.js";
import type { SqlEngine } from "./sqlEngine.js";
import { type SqlTableRef, sqlKMeans, sqlSource } from "./sqlKMeans.js";
import { sqlNumber } from "./sqlNumber.js";
import { writeSelect } from "./sqlOutput.js";

/** Initial parameters of a diagonal Gaussian mixture (the layout of core's `GaussianMixture` inits). */
export interface DiagGaussianParams {
  /** Mixture weights (length k, summing to 1). */
  weights: ArrayLike<number>;
  /** Means (k x d). */
  means: MatrixLike;
  /** Precisions, i.e. inverse variances (k x d, positive): core's `precisionsInit` for `"diag"`. */
  precisions: MatrixLike;
}

/** Options for `sqlGaussianMixture` (fields shared with core's `GaussianMixtureOptions` mean the same). */
export interface SqlGaussianMixtureOptions extends SqlTableRef {
  /** Number of components k. Default: the rows of `init.means` when given, else 1. */
  nComponents?: number;
  /**
   * Initial parameters, or `"kmeans"` (default): a pushed-down k-means (`sqlKMeans`, init
   * `"k-means||"`, seeded) whose hard labels give the first M-step (core's `initParams: "kmeans"`
   * with its own k-means replaced by the pushed-down one). Either way the parameters the EM
   * started from are returned as `initialParams`, so core's `GaussianMixture` can reproduce the run.
   */
  init?: "kmeans" | DiagGaussianParams;
  /** Stop when the lower bound (mean log-likelihood) changes by less than this. Default 1e-3. */
  tol?: number;
  /** Added to every variance. Default 1e-6. */
  regCovar?: number;
  /** Maximum EM iterations (an integer >= 1). Default 100. */
  maxIter?: number;
  /** Seed of the k-means initialisation. Default 0. */
  seed?: number;
  /** Called after every EM iteration with its lower bound and the scan's wall-clock seconds. */
  onIteration?: (info: { iteration: number; lowerBound: number; seconds: number }) => void;
}

/** The outcome of `sqlGaussianMixture` (labels stay in the database: `predictGaussianMixtureToTable`). */
export interface SqlGaussianMixtureResult {
  weights: Float64Array;
  means: Matrix;
  /** Variances (k x d), `regCovar` included (core's `covariances` for `"diag"`). */
  covariances: Matrix;
  /** 1 / sqrt(variance) (core's `precisionsCholesky` for `"diag"`). */
  precisionsCholesky: Matrix;
  /** The parameters EM started from. */
  initialParams: { weights: Float64Array; means: Matrix; precisions: Matrix };
  converged: boolean;
  nIter: number;
  /** Mean log-likelihood of the last E-step. */
  lowerBound: number;
  lowerBounds: Float64Array;
  nSamples: number;
  /** Rows per component in the final assignment (highest posterior, ties: lowest index). */
  componentSizes: Float64Array;
  /** Scans of the source. */
  scans: number;
}

const LOG_2PI = Math.log(2 * Math.PI);
/** 10 machine epsilons added to each component's total responsibility, as core and scikit-learn. */
const NK_EPS = 10 * Number.EPSILON;

/** Per-component log(weight) - d/2 log(2 pi) + sum log(precision Cholesky), as core's GaussianLogDensity. */
function logConstants(weights: Float64Array, pc: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += Math.log(pc[c * d + t]);
    out[c] = Math.log(weights[c]) - 0.5 * d * LOG_2PI + s;
  }
  return out;
}

/**
 * A `SELECT` of every column of the source plus `__cl_l{c}` (weighted log density of component c),
 * `__cl_x` (their maximum) and `__cl_z` (their log-sum-exp); each layer fenced.
 */
export function gmmLogProbSql(
  dialect: SqlDialect,
  source: SqlSource,
  weights: Float64Array,
  means: Float64Array,
  precisionsCholesky: Float64Array,
  k: number,
): string {
  const d = source.columns.length;
  const cst = logConstants(weights, precisionsCholesky, k, d);
  const lp = Array.from({ length: k }, (_, c) => {
    const terms = source.columns.map((name, t) => {
      const col = dialect.ident(name);
      const mu = means[c * d + t];
      const pc = precisionsCholesky[c * d + t];
      const diff = mu < 0 ? `(${col} + ${dialect.number(-mu)})` : `(${col} - ${dialect.number(mu)})`;
      return `${diff} * ${diff} * ${dialect.number(pc * pc)}`;
    });
    return `${dialect.number(cst[c])} - 5e-1 * (${terms.join(" + ")}) AS __cl_l${c}`;
  });
  const names = Array.from({ length: k }, (_, c) => `__cl_l${c}`);
  const l1 = dialect.fence(`SELECT *, ${lp.join(", ")} FROM ${source.from}`);
  const l2 = dialect.fence(`SELECT *, ${dialect.greatest(names)} AS __cl_x FROM (${l1}) AS __cl_g1`);
  const sumExp = names.map((n) => dialect.exp(`${n} - __cl_x`)).join(" + ");
  return dialect.fence(`SELECT *, __cl_x + ${dialect.ln(sumExp)} AS __cl_z FROM (${l2}) AS __cl_g2`);
}

/**
 * One EM scan: the summed log-sum-exp `lb`, and per component c the total responsibility `n{c}`,
 * the responsibility-weighted sums of `x - mu_c` (`a{c}_{t}`) and of `(x - mu_c)^2` (`b{c}_{t}`),
 * centred on the current means (no cancellation when the means barely move).
 */
export function gmmStepSql(
  dialect: SqlDialect,
  source: SqlSource,
  weights: Float64Array,
  means: Float64Array,
  precisionsCholesky: Float64Array,
  k: number,
): string {
  const d = source.columns.length;
  const inner = gmmLogProbSql(dialect, source, weights, means, precisionsCholesky, k);
  const resp = Array.from({ length: k }, (_, c) => `${dialect.exp(`__cl_l${c} - __cl_z`)} AS __cl_r${c}`);
  const withResp = dialect.fence(`SELECT *, ${resp.join(", ")} FROM (${inner}) AS __cl_g3`);
  const aggs = [`${dialect.sum("__cl_z")} AS lb`, "COUNT(*) AS n"];
  for (let c = 0; c < k; c++) {
    aggs.push(`${dialect.sum(`__cl_r${c}`)} AS n${c}`);
    source.columns.forEach((name, t) => {
      const col = dialect.ident(name);
      const mu = means[c * d + t];
      const diff = mu < 0 ? `(${col} + ${dialect.number(-mu)})` : `(${col} - ${dialect.number(mu)})`;
      aggs.push(`${dialect.sum(`__cl_r${c} * ${diff}`)} AS a${c}_${t}`);
      aggs.push(`${dialect.sum(`__cl_r${c} * ${diff} * ${diff}`)} AS b${c}_${t}`);
    });
  }
  return `SELECT ${aggs.join(", ")} FROM (${withResp}) AS __cl_g4`;
}

/** `__cl_l{c}` arg-max (ties: lowest index) over a `gmmLogProbSql` select. */
function argMaxSql(k: number): string {
  return argMinSql(
    Array.from({ length: k }, (_, c) => `__cl_l${c}`),
    "__cl_x",
  );
}

function checkInit(init: DiagGaussianParams, d: number): { w: Float64Array; mu: Matrix; prec: Matrix } {
  const mu = asMatrix(init.means, { name: "init.means", cols: d });
  const prec = asMatrix(init.precisions, { name: "init.precisions", cols: d });
  const w = Float64Array.from(init.weights);
  const k = mu.rows;
  if (prec.rows !== k || w.length !== k) {
    throw new DataError(`invalid init: ${w.length} weights, ${k} means and ${prec.rows} precision rows (must agree)`);
  }
  let total = 0;
  for (const v of w) {
    if (!(v >= 0 && v <= 1)) throw new DataError(`invalid init.weights: ${v} (each must be in [0, 1])`);
    total += v;
  }
  if (Math.abs(total - 1) > 1e-6) throw new DataError(`invalid init.weights: they sum to ${total} (must be 1)`);
  for (const p of prec.data) {
    if (!(p > 0) || !Number.isFinite(p)) throw new DataError(`invalid init.precisions: ${p} (each must be > 0)`);
  }
  return { w, mu, prec };
}

/** Means, variances (+ reg) and weights from one scan's statistics (core's M-step, recentred). */
function mStep(
  row: Record<string, unknown>,
  means: Float64Array,
  k: number,
  d: number,
  regCovar: number,
): { weights: Float64Array; means: Float64Array; variances: Float64Array } {
  const nk = new Float64Array(k);
  const next = new Float64Array(k * d);
  const variances = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    const s = sqlNumber(row[`n${c}`]);
    nk[c] = s + NK_EPS;
    for (let t = 0; t < d; t++) {
      const a = sqlNumber(row[`a${c}_${t}`]);
      const b = sqlNumber(row[`b${c}_${t}`]);
      const old = means[c * d + t];
      const mean = (a + old * s) / nk[c];
      const delta = mean - old;
      next[c * d + t] = mean;
      // sum r (x - mean)^2 = sum r (x - old)^2 - 2 delta sum r (x - old) + delta^2 sum r
      variances[c * d + t] = Math.max(b - 2 * delta * a + delta * delta * s, 0) / nk[c] + regCovar;
    }
  }
  let total = 0;
  for (let c = 0; c < k; c++) total += nk[c];
  const weights = new Float64Array(k);
  for (let c = 0; c < k; c++) weights[c] = nk[c] / total;
  return { weights, means: next, variances };
}

function choleskyOf(variances: Float64Array, d: number): Float64Array {
  const out = new Float64Array(variances.length);
  for (let p = 0; p < variances.length; p++) {
    const v = variances[p];
    if (!(v > 0)) {
      throw new DataError(
        `component ${Math.floor(p / d)} has variance ${v}: ill-defined covariance (decrease nComponents or increase regCovar)`,
      );
    }
    out[p] = 1 / Math.sqrt(v);
  }
  return out;
}

/**
 * Diagonal-covariance Gaussian mixture fitted by EM inside a SQL engine, one scan per iteration:
 * each row's weighted log densities, their log-sum-exp and the responsibilities are computed in
 * SQL, and only the sufficient statistics (k x (2d + 1) sums and the summed log-likelihood) come
 * back. The M-step, the convergence test (lower bound change < tol) and the final assignment
 * follow core's `GaussianMixture` with `covarianceType: "diag"`, `nInit: 1`; from the same initial
 * parameters it gives the same means, variances, weights, nIter and labels to rounding.
 *
 * Scans: 1 (statistics) + (init `"kmeans"`: the k-means scans + 1) + nIter + 1 (final sizes).
 */
export async function sqlGaussianMixture(
  engine: SqlEngine,
  options: SqlGaussianMixtureOptions,
): Promise<SqlGaussianMixtureResult> {
  const source = sqlSource(engine, options);
  const dialect = engine.dialect;
  const d = source.columns.length;
  const init = options.init ?? "kmeans";
  const explicit = init === "kmeans" ? undefined : checkInit(init, d);
  const k = checkInt(options.nComponents ?? explicit?.mu.rows ?? 1, "nComponents", 1);
  if (explicit && explicit.mu.rows !== k) {
    throw new DataError(`invalid init: ${explicit.mu.rows} components (nComponents is ${k})`);
  }
  const tol = checkNumber(options.tol ?? 1e-3, "tol", { min: 0 });
  const regCovar = checkNumber(options.regCovar ?? 1e-6, "regCovar", { min: 0 });
  const maxIter = checkInt(options.maxIter ?? 100, "maxIter", 1);
  const seed = checkInt(options.seed ?? 0, "seed", 0);
  let scans = 0;

  const stats = (await engine.query(featureStatsSql(dialect, source)))[0];
  scans++;
  const n = sqlNumber(stats.n);
  if (!(n >= 1)) throw new DataError(`no rows in ${source.from}`);
  if (k > n) throw new DataError(`invalid nComponents: ${k} (must be <= the number of rows, ${n})`);
  for (let t = 0; t < d; t++) {
    const nulls = n - sqlNumber(stats[`c${t}`]);
    if (nulls > 0) {
      throw new DataError(
        `column ${JSON.stringify(source.columns[t])} has ${nulls} NULL value(s) (drop or impute them)`,
      );
    }
  }

  let weights: Float64Array;
  let means: Float64Array;
  let pc: Float64Array;
  if (explicit) {
    weights = explicit.w;
    means = Float64Array.from(explicit.mu.data);
    pc = Float64Array.from(explicit.prec.data, (p) => Math.sqrt(p));
  } else {
    const km = await sqlKMeans(engine, {
      from: source.from,
      columns: source.columns,
      nClusters: k,
      init: "k-means||",
      seed,
      logger: { warn: () => {} },
    });
    scans += km.scans;
    // One-hot responsibilities from the k-means labels: counts, sums and squares around the centres.
    const c = km.clusterCenters.data;
    const hard = hardStatsSql(dialect, source, c, k);
    const row = (await engine.query(hard))[0];
    scans++;
    const m = mStep(row, c, k, d, regCovar);
    weights = m.weights;
    means = m.means;
    pc = choleskyOf(m.variances, d);
  }
  const initialParams = {
    weights: Float64Array.from(weights),
    means: { rows: k, cols: d, data: Float64Array.from(means) },
    precisions: { rows: k, cols: d, data: pc.map((v) => v * v) },
  };

  let lowerBound = Number.NEGATIVE_INFINITY;
  const lowerBounds: number[] = [];
  let converged = false;
  let nIter = 0;
  let variances: Float64Array = new Float64Array(k * d);
  for (nIter = 1; nIter <= maxIter; nIter++) {
    const start = performance.now();
    const previous = lowerBound;
    const row = (await engine.query(gmmStepSql(dialect, source, weights, means, pc, k)))[0];
    scans++;
    lowerBound = sqlNumber(row.lb) / n;
    const m = mStep(row, means, k, d, regCovar);
    weights = m.weights;
    means = m.means;
    variances = m.variances;
    pc = choleskyOf(variances, d);
    lowerBounds.push(lowerBound);
    options.onIteration?.({ iteration: nIter, lowerBound, seconds: (performance.now() - start) / 1000 });
    if (Math.abs(lowerBound - previous) < tol) {
      converged = true;
      break;
    }
  }
  if (nIter > maxIter) nIter = maxIter;

  const sizes = new Float64Array(k);
  const inner = gmmLogProbSql(dialect, source, weights, means, pc, k);
  const rows = await engine.query(
    `SELECT ${argMaxSql(k)} AS j, COUNT(*) AS n FROM (${inner}) AS __cl_g GROUP BY ${argMaxSql(k)}`,
  );
  scans++;
  for (const r of rows) sizes[sqlNumber(r.j)] = sqlNumber(r.n);
  return {
    weights,
    means: { rows: k, cols: d, data: means },
    covariances: { rows: k, cols: d, data: variances },
    precisionsCholesky: { rows: k, cols: d, data: pc },
    initialParams,
    converged,
    nIter,
    lowerBound,
    lowerBounds: Float64Array.from(lowerBounds),
    nSamples: n,
    componentSizes: sizes,
    scans,
  };
}

/** The `gmmStepSql` statistics with one-hot responsibilities (nearest centre, ties lowest). */
function hardStatsSql(dialect: SqlDialect, source: SqlSource, centers: Float64Array, k: number): string {
  const d = source.columns.length;
  // Squared distances in the expanded form, so that the arg-min is exact on every engine.
  const dist = Array.from({ length: k }, (_, c) =>
    source.columns
      .map((name, t) => {
        const col = dialect.ident(name);
        const mu = centers[c * d + t];
        const diff = mu < 0 ? `(${col} + ${dialect.number(-mu)})` : `(${col} - ${dialect.number(mu)})`;
        return `${diff} * ${diff}`;
      })
      .join(" + "),
  );
  const names = Array.from({ length: k }, (_, c) => `__cl_d${c}`);
  const l1 = dialect.fence(`SELECT *, ${dist.map((e, c) => `${e} AS ${names[c]}`).join(", ")} FROM ${source.from}`);
  const l2 = dialect.fence(`SELECT *, ${dialect.least(names)} AS __cl_m FROM (${l1}) AS __cl_h1`);
  const l3 = dialect.fence(`SELECT *, ${argMinSql(names, "__cl_m")} AS __cl_j FROM (${l2}) AS __cl_h2`);
  const aggs = ["COUNT(*) AS n"];
  for (let c = 0; c < k; c++) {
    const r = `(CASE WHEN __cl_j = ${c} THEN 1e+0 ELSE 0e+0 END)`;
    aggs.push(`${dialect.sum(r)} AS n${c}`);
    source.columns.forEach((name, t) => {
      const col = dialect.ident(name);
      const mu = centers[c * d + t];
      const diff = mu < 0 ? `(${col} + ${dialect.number(-mu)})` : `(${col} - ${dialect.number(mu)})`;
      aggs.push(`${dialect.sum(`${r} * ${diff}`)} AS a${c}_${t}`);
      aggs.push(`${dialect.sum(`${r} * ${diff} * ${diff}`)} AS b${c}_${t}`);
    });
  }
  return `SELECT ${aggs.join(", ")} FROM (${l3}) AS __cl_h3`;
}

/** Options for `predictGaussianMixtureToTable`. */
export interface PredictGaussianMixtureOptions extends SqlTableRef {
  weights: ArrayLike<number>;
  means: MatrixLike;
  /** 1 / sqrt(variance), k x d (`SqlGaussianMixtureResult.precisionsCholesky`). */
  precisionsCholesky: MatrixLike;
  /** Table to create. Exactly one of `target` and `parquet`. */
  target?: string;
  /** DuckDB only: Parquet file to write. */
  parquet?: string;
  /** Label column. Default `"cluster"`. */
  labelColumn?: string;
}

/**
 * Writes every row of the source plus the component of highest posterior (core's
 * `GaussianMixtureModel.labels` rule; ties: lowest index) to a table or a Parquet file. One scan.
 */
export async function predictGaussianMixtureToTable(
  engine: SqlEngine,
  options: PredictGaussianMixtureOptions,
): Promise<void> {
  const source = sqlSource(engine, options);
  const d = source.columns.length;
  const mu = asMatrix(options.means, { name: "means", cols: d });
  const pc = asMatrix(options.precisionsCholesky, { name: "precisionsCholesky", cols: d });
  const k = mu.rows;
  const keep = await engine.columnNames(`SELECT * FROM ${source.from}`);
  const label = options.labelColumn ?? "cluster";
  if (keep.includes(label)) {
    throw new DataError(`invalid labelColumn: ${JSON.stringify(label)} (the source already has that column)`);
  }
  const inner = gmmLogProbSql(engine.dialect, source, Float64Array.from(options.weights), mu.data, pc.data, k);
  const cols = keep.map((c) => engine.dialect.ident(c)).join(", ");
  const select = `SELECT ${cols}, ${argMaxSql(k)} AS ${engine.dialect.ident(label)} FROM (${inner}) AS __cl_g`;
  await writeSelect(engine, select, options);
}
