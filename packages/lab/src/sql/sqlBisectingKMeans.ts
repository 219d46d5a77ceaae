import { checkChoice, checkInt, checkNumber, consoleLogger, type Logger, type Matrix } from "@clusterlab/core";
import { DataError } from "../errors.js";
import { featureStatsSql, type SqlSource, sqDistanceSql } from "./kmeansSql.js";
import type { SqlDialect } from "./sqlDialect.js";
import type { SqlEngine } from "./sqlEngine.js";
import { type SqlTableRef, sqlKMeans, sqlSource } from "./sqlKMeans.js";
import { sqlNumber } from "./sqlNumber.js";
import { type SqlOutputTarget, writeSelect } from "./sqlOutput.js";

/** Options for `sqlBisectingKMeans` (fields shared with core's `BisectingKMeansOptions` mean the same). */
export interface SqlBisectingKMeansOptions extends SqlTableRef {
  /** Number of clusters (leaves). Default 8. */
  nClusters?: number;
  /** Initialisation of each 2-means split: `"random"` (default, seeded hash sampling) or `"k-means||"`. */
  init?: "random" | "k-means||";
  /** Maximum iterations of each 2-means split. Default 300. */
  maxIter?: number;
  /** Tolerance of each split, scaled by the mean feature variance of the whole table (as core). Default 1e-4. */
  tol?: number;
  /** `"biggestInertia"` (default) or `"largestCluster"`: which leaf to split next. */
  bisectingStrategy?: "biggestInertia" | "largestCluster";
  /** Seed of the split initialisations. Default 0. */
  seed?: number;
  logger?: Logger;
}

/** One node of the bisection tree (pre-order in `SqlBisectingKMeansResult.nodes`). */
export interface SqlBisectingNode {
  /** Centre (length d). */
  center: Float64Array;
  /** Children node indices, or -1 for a leaf. */
  left: number;
  right: number;
  /** Cluster label of a leaf (depth-first order), -1 for an inner node. */
  label: number;
  /** Rows of the node. */
  size: number;
  /** Sum of squared distances of its rows to its centre (0 for the root, which is never scored). */
  inertia: number;
}

/** One split, in the order they were made: enough to replay it with core's `KMeans`. */
export interface SqlBisectingSplit {
  /** Node index (in `nodes`) of the leaf that was split. */
  node: number;
  /** The two initial centres of its 2-means. */
  initialCenters: Matrix;
  /** The two final centres (left, right). */
  centers: Matrix;
  nIter: number;
}

/** The outcome of `sqlBisectingKMeans`. */
export interface SqlBisectingKMeansResult {
  /** Leaf centres in label order (k x d). */
  clusterCenters: Matrix;
  clusterSizes: Float64Array;
  inertia: number;
  nodes: SqlBisectingNode[];
  splits: SqlBisectingSplit[];
  nSamples: number;
  scans: number;
}

interface Build {
  center: Float64Array;
  /** SQL condition selecting the node's rows (empty for the root). */
  cond: string;
  size: number;
  score: number;
  inertia: number;
  left: Build | null;
  right: Build | null;
}

/** Distance used to decide a split: the one `sqlKMeans`' scans assign with (vector function or squared). */
function splitDistance(dialect: SqlDialect, columns: readonly string[], c: Float64Array): string {
  return dialect.vectorDistance ? dialect.vectorDistance(columns, Array.from(c)) : sqDistanceSql(dialect, columns, c);
}

function goLeft(dialect: SqlDialect, columns: readonly string[], a: Float64Array, b: Float64Array): string {
  return `${splitDistance(dialect, columns, a)} <= ${splitDistance(dialect, columns, b)}`;
}

/**
 * Bisecting k-means pushed down (core's `BisectingKMeans`, scikit-learn's algorithm): start from
 * one cluster holding every row; repeatedly pick the leaf with the largest inertia (or the most
 * rows) and split it with a pushed-down 2-means (`sqlKMeans`) on exactly its rows (a `WHERE`
 * that descends the tree built so far). A row goes left at a split when it is at least as near to
 * the left centre (ties left, as core's labels). Leaves are numbered depth-first.
 *
 * Scans: 1 (statistics) + per split the scans of one `sqlKMeans` (statistics, init, iterations,
 * final). Each split's initial and final centres are returned, so core's `KMeans` can replay it.
 */
export async function sqlBisectingKMeans(
  engine: SqlEngine,
  options: SqlBisectingKMeansOptions,
): Promise<SqlBisectingKMeansResult> {
  const source = sqlSource(engine, options);
  const dialect = engine.dialect;
  const d = source.columns.length;
  const k = checkInt(options.nClusters ?? 8, "nClusters", 1);
  const init = checkChoice(options.init ?? "random", "init", ["random", "k-means||"]);
  const strategy = checkChoice(options.bisectingStrategy ?? "biggestInertia", "bisectingStrategy", [
    "biggestInertia",
    "largestCluster",
  ]);
  const maxIter = checkInt(options.maxIter ?? 300, "maxIter", 1);
  const tol = checkNumber(options.tol ?? 1e-4, "tol", { min: 0 });
  const seed = checkInt(options.seed ?? 0, "seed", 0);
  const logger = options.logger ?? consoleLogger;
  let scans = 0;

  const stats = (await engine.query(featureStatsSql(dialect, source)))[0];
  scans++;
  const n = sqlNumber(stats.n);
  if (!(n >= 1)) throw new DataError(`no rows in ${source.from}`);
  if (k > n) throw new DataError(`invalid nClusters: ${k} (must be <= the number of rows, ${n})`);
  let varSum = 0;
  const rootCenter = new Float64Array(d);
  for (let t = 0; t < d; t++) {
    const nulls = n - sqlNumber(stats[`c${t}`]);
    if (nulls > 0) {
      throw new DataError(
        `column ${JSON.stringify(source.columns[t])} has ${nulls} NULL value(s) (drop or impute them)`,
      );
    }
    varSum += sqlNumber(stats[`v${t}`]);
    rootCenter[t] = sqlNumber(stats[`m${t}`]);
  }
  const root: Build = { center: rootCenter, cond: "", size: n, score: 0, inertia: 0, left: null, right: null };
  const splitNodes: Build[] = [];
  const splits: Omit<SqlBisectingSplit, "node">[] = [];

  for (let s = 0; s < k - 1; s++) {
    const leaves: Build[] = [];
    collect(root, leaves);
    let leaf: Build | undefined;
    for (const l of leaves) if (l.size >= 2 && (leaf === undefined || l.score > leaf.score)) leaf = l;
    if (leaf === undefined) break;
    const from = leaf.cond === "" ? source.from : `(SELECT * FROM ${source.from} WHERE ${leaf.cond}) AS __cl_b`;
    const km = await sqlKMeans(engine, {
      from,
      columns: source.columns,
      nClusters: 2,
      init,
      maxIter,
      tol,
      seed,
      toleranceScale: varSum / d,
      logger,
    });
    scans += km.scans;
    const c = km.clusterCenters.data;
    const a = c.slice(0, d);
    const b = c.slice(d, 2 * d);
    const left = goLeft(dialect, source.columns, a, b);
    const and = (x: string) => (leaf.cond === "" ? x : `${leaf.cond} AND ${x}`);
    const score = (j: number) => (strategy === "biggestInertia" ? km.clusterInertia[j] : km.clusterSizes[j]);
    leaf.left = {
      center: a,
      cond: and(`(${left})`),
      size: km.clusterSizes[0],
      score: score(0),
      inertia: km.clusterInertia[0],
      left: null,
      right: null,
    };
    leaf.right = {
      center: b,
      cond: and(`NOT (${left})`),
      size: km.clusterSizes[1],
      score: score(1),
      inertia: km.clusterInertia[1],
      left: null,
      right: null,
    };
    splitNodes.push(leaf);
    splits.push({ initialCenters: km.initialCenters, centers: km.clusterCenters, nIter: km.nIter });
  }

  // Flatten (pre-order), number the leaves depth-first.
  const nodes: SqlBisectingNode[] = [];
  const index = new Map<Build, number>();
  let nextLabel = 0;
  const visit = (b: Build): number => {
    const i = nodes.length;
    index.set(b, i);
    const node: SqlBisectingNode = {
      center: b.center,
      left: -1,
      right: -1,
      label: -1,
      size: b.size,
      inertia: b.inertia,
    };
    nodes.push(node);
    if (b.left && b.right) {
      node.left = visit(b.left);
      node.right = visit(b.right);
    } else {
      node.label = nextLabel++;
    }
    return i;
  };
  visit(root);
  const leafNodes = nodes.filter((x) => x.label >= 0);
  const kOut = leafNodes.length;
  if (kOut < k) logger.warn(`bisecting k-means: only ${kOut} clusters could be formed (nClusters is ${k})`);
  const centers = new Float64Array(kOut * d);
  const sizes = new Float64Array(kOut);
  let inertia = 0;
  for (const l of leafNodes) {
    centers.set(l.center, l.label * d);
    sizes[l.label] = l.size;
    inertia += kOut === 1 ? 0 : l.inertia;
  }
  if (kOut === 1) inertia = varSum * n;
  return {
    clusterCenters: { rows: kOut, cols: d, data: centers },
    clusterSizes: sizes,
    inertia,
    nodes,
    splits: splits.map((s, i) => ({ ...s, node: index.get(splitNodes[i]) as number })),
    nSamples: n,
    scans,
  };
}

function collect(b: Build, out: Build[]): void {
  if (b.left === null || b.right === null) out.push(b);
  else {
    collect(b.left, out);
    collect(b.right, out);
  }
}

/** The label of a row as a nested `CASE` descending the tree (ties left). */
export function bisectingLabelSql(dialect: SqlDialect, source: SqlSource, nodes: readonly SqlBisectingNode[]): string {
  const expr = (i: number): string => {
    const node = nodes[i];
    if (node.left < 0) return String(node.label);
    const cond = goLeft(dialect, source.columns, nodes[node.left].center, nodes[node.right].center);
    return `CASE WHEN ${cond} THEN ${expr(node.left)} ELSE ${expr(node.right)} END`;
  };
  return expr(0);
}

/** Options for `predictBisectingToTable`. */
export interface PredictBisectingOptions extends SqlTableRef, SqlOutputTarget {
  /** The tree (`SqlBisectingKMeansResult.nodes`). */
  nodes: readonly SqlBisectingNode[];
  /** Label column. Default `"cluster"`. */
  labelColumn?: string;
}

/** Writes every row plus its leaf (descending the tree, as core's `predict`) to a table or Parquet file. One scan. */
export async function predictBisectingToTable(engine: SqlEngine, options: PredictBisectingOptions): Promise<void> {
  const source = sqlSource(engine, options);
  const keep = await engine.columnNames(`SELECT * FROM ${source.from}`);
  const label = options.labelColumn ?? "cluster";
  if (keep.includes(label)) {
    throw new DataError(`invalid labelColumn: ${JSON.stringify(label)} (the source already has that column)`);
  }
  const cols = keep.map((c) => engine.dialect.ident(c)).join(", ");
  const select = `SELECT ${cols}, ${bisectingLabelSql(engine.dialect, source, options.nodes)} AS ${engine.dialect.ident(label)} FROM ${source.from}`;
  await writeSelect(engine, select, options);
}
