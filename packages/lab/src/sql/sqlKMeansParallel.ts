import { checkInt, kmeansPlusPlusInit, type Matrix } from "@clusterlab/core";
import { DataError } from "../errors.js";
import { assignSql, type SqlSource } from "./kmeansSql.js";
import type { SqlEngine } from "./sqlEngine.js";
import { sqlNumber } from "./sqlNumber.js";

/** Options for `sqlKMeansParallelInit`. */
export interface SqlKMeansParallelOptions {
  /** Seed of the hash-based sampling and of the in-process k-means++ (an integer >= 0). Default 0. */
  seed?: number;
  /** Oversampling rounds (each one scan). Default 5. */
  rounds?: number;
  /** Candidates drawn per round (the oversampling factor l of Bahmani et al.). Default 2k. */
  oversampling?: number;
}

/** The outcome of `sqlKMeansParallelInit`. */
export interface SqlKMeansParallelResult {
  /** The k initial centres (rows of the source). */
  centers: Matrix;
  /** The distinct candidates the centres were chosen from. */
  candidates: Matrix;
  /** Rows of the source nearest to each candidate (its weight in the k-means++ step). */
  weights: Float64Array;
  /** Scans of the source: 1 (first centre) + rounds + 1 (weights). */
  scans: number;
}

/**
 * k-means|| seeding (Bahmani et al., "Scalable K-Means++", VLDB 2012) pushed down:
 *
 * 1. one scan: the first candidate is the row with the smallest seeded hash (`sampleRows`);
 * 2. each round, one scan: `oversampling` rows drawn without replacement with probability
 *    proportional to their squared distance D(x)^2 to the candidates so far, by the
 *    Efraimidis-Spirakis key `ln(u) / D(x)^2` (u a seeded per-row hash uniform, top-l by key). This
 *    draws exactly l rows per round in a single scan, where the paper's independent Bernoulli
 *    draws (probability l D^2 / cost) need the cost first, i.e. a second scan per round;
 * 3. one scan: the weight of each candidate = rows whose nearest candidate it is;
 * 4. in process: weighted greedy k-means++ (core's `kmeansPlusPlusInit`, seeded) on the candidates.
 *
 * Deterministic for a given seed (the hash depends only on the row values, the seed and the round).
 */
export async function sqlKMeansParallelInit(
  engine: SqlEngine,
  source: SqlSource,
  k: number,
  options: SqlKMeansParallelOptions = {},
): Promise<SqlKMeansParallelResult> {
  const dialect = engine.dialect;
  const d = source.columns.length;
  const seed = checkInt(options.seed ?? 0, "seed", 0);
  const rounds = checkInt(options.rounds ?? 5, "rounds", 1);
  const l = checkInt(options.oversampling ?? 2 * k, "oversampling", 1);
  const read = (r: Record<string, unknown>) => source.columns.map((_, t) => sqlNumber(r[`x${t}`]));
  const feats = source.columns.map((c, t) => `${dialect.ident(c)} AS x${t}`).join(", ");
  let scans = 0;

  const candidates: number[][] = [];
  const seen = new Set<string>();
  const add = (v: number[]) => {
    const key = v.join(",");
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push(v);
  };
  const first = await engine.query(
    `SELECT ${feats} FROM (${dialect.sampleRows(source.from, source.columns, 1, seed)}) AS __cl_s`,
  );
  scans++;
  if (first.length === 0) throw new DataError(`no rows in ${source.from}`);
  add(read(first[0]));

  for (let round = 1; round <= rounds; round++) {
    const c = Float64Array.from(candidates.flat());
    const assigned = assignSql(dialect, source, c, candidates.length);
    const key = `${dialect.ln(dialect.uniform(source.columns, seed, round))} / __cl_m`;
    const rows = await engine.query(
      `SELECT ${feats} FROM (${assigned}) AS __cl_a WHERE __cl_m > 0 ORDER BY ${key} DESC LIMIT ${l}`,
    );
    scans++;
    if (rows.length === 0) break; // every row is a candidate already
    for (const r of rows) add(read(r));
  }
  if (candidates.length < k) {
    throw new DataError(`init "k-means||": found only ${candidates.length} distinct rows for ${k} clusters`);
  }

  const m = candidates.length;
  const cand: Matrix = { rows: m, cols: d, data: Float64Array.from(candidates.flat()) };
  const weights = new Float64Array(m);
  const rows = await engine.query(
    `SELECT __cl_j AS j, COUNT(*) AS n FROM (${assignSql(dialect, source, cand.data, m)}) AS __cl_a GROUP BY __cl_j`,
  );
  scans++;
  for (const r of rows) weights[sqlNumber(r.j)] = sqlNumber(r.n);
  const centers = kmeansPlusPlusInit(cand, k, { seed, sampleWeight: weights });
  return { centers, candidates: cand, weights, scans };
}
