/**
 * The worker side of `POST /api/sweep/gap`: on a seeded subsample of at most `GAP_MAX_ROWS` rows,
 * lab's `gapStatistic` (k-means, uniform reference sets) and, for each k >= 2, core's
 * `bootstrapStability` of k-means (the mean and the weakest cluster's mean Jaccard). Pure; no Node APIs.
 */
import {
  bootstrapStability,
  ClusterlabError,
  KMeans,
  type Matrix,
  memoryLogger,
  Random,
  takeRows,
} from "@clusterlab/core";
import { gapStatistic } from "@clusterlab/lab";
import type { ProgressFn } from "./algorithms.js";

/** Most rows the gap statistic and the stability are computed on (a seeded subsample above). */
export const GAP_MAX_ROWS = 3000;
/** A cluster is "stable" from a mean bootstrap Jaccard of 0.75 (Hennig). */
export const GAP_STABLE_JACCARD = 0.75;
/** k-means runs per fit (the data, every reference set and every bootstrap sample alike). */
const N_INIT = 3;

export interface GapTask {
  Xs: Matrix;
  seed: number;
  kMin: number;
  kMax: number;
  b: number;
  nBootstrap: number;
  maxRows?: number;
}

export interface GapTaskOutput {
  ks: number[];
  gap: number[];
  s: number[];
  k: number;
  reason: string;
  b: number;
  stability: (number | null)[];
  stabilityMin: (number | null)[];
  stableK: number | null;
  nBootstrap: number;
  rowsUsed: number;
  sampled: boolean;
  warnings: string[];
}

/** A seeded subsample of `maxRows` rows of `X` (in their original order), or `X` itself. */
export function gapSample(X: Matrix, maxRows: number, seed: number): Matrix {
  if (X.rows <= maxRows) return X;
  const order = new Int32Array(X.rows);
  for (let i = 0; i < X.rows; i++) order[i] = i;
  new Random(seed).shuffle(order);
  return takeRows(X, order.subarray(0, maxRows).sort());
}

export function runGapTask(t: GapTask, report?: ProgressFn): GapTaskOutput {
  const S = gapSample(t.Xs, t.maxRows ?? GAP_MAX_ROWS, t.seed);
  const kMax = Math.min(t.kMax, S.rows - 1);
  const kMin = Math.min(t.kMin, kMax);
  const logger = memoryLogger();
  const fit = (M: Matrix, k: number, seed: number) =>
    new KMeans({ nClusters: k, seed, nInit: N_INIT, logger }).fit(M).labels;
  const nK = kMax - kMin + 1;
  const stabilityKs: number[] = [];
  for (let k = Math.max(2, kMin); k <= kMax; k++) stabilityKs.push(k);
  // Work units: B + 1 fits per k for the gap, nBootstrap + 1 per k for the stability.
  const total = nK * (t.b + 1) + stabilityKs.length * (t.nBootstrap + 1);
  let done = 0;
  const gap = gapStatistic(S, {
    kMin,
    kMax,
    b: t.b,
    seed: t.seed,
    cluster: fit,
    onProgress: (k) => {
      done += t.b + 1;
      report?.({ fraction: done / total, message: `gap statistic: k = ${k} (${k - kMin + 1} of ${nK})` });
    },
  });
  const stability: (number | null)[] = [];
  const stabilityMin: (number | null)[] = [];
  const warnings: string[] = [];
  for (const k of gap.ks) {
    if (k < 2) {
      stability.push(null);
      stabilityMin.push(null);
      continue;
    }
    try {
      const r = bootstrapStability(S, (sample) => fit(sample, k, t.seed), { nBootstrap: t.nBootstrap, seed: t.seed });
      const means = r.clusters.map((c) => c.meanJaccard).filter((m): m is number => m !== null);
      stability.push(r.meanJaccard);
      stabilityMin.push(means.length > 0 ? Math.min(...means) : null);
    } catch (error) {
      if (!(error instanceof ClusterlabError)) throw error;
      warnings.push(`stability at k=${k} not computed: ${error.message.split("\n")[0]}`);
      stability.push(null);
      stabilityMin.push(null);
    }
    done += t.nBootstrap + 1;
    const i = stabilityKs.indexOf(k);
    report?.({
      fraction: done / total,
      message: `bootstrap stability: k = ${k} (${i + 1} of ${stabilityKs.length})`,
    });
  }
  let stableK: number | null = null;
  gap.ks.forEach((k, i) => {
    const m = stabilityMin[i];
    if (m !== null && m >= GAP_STABLE_JACCARD) stableK = k;
  });
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const roundOrNull = (v: number | null) => (v === null ? null : round(v));
  return {
    ks: gap.ks,
    gap: gap.gap.map(round),
    s: gap.s.map(round),
    k: gap.k,
    reason: gap.reason,
    b: gap.b,
    stability: stability.map(roundOrNull),
    stabilityMin: stabilityMin.map(roundOrNull),
    stableK,
    nBootstrap: t.nBootstrap,
    rowsUsed: S.rows,
    sampled: S.rows < t.Xs.rows,
    warnings,
  };
}
