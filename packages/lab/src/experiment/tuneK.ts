import {
  type Clusterer,
  ClusterlabError,
  type ClusterModel,
  chooseK,
  kneedle,
  type Matrix,
  memoryLogger,
} from "@clusterlab/core";
import { DataError } from "../errors.js";
import { ALGORITHM_INFO, estimatorFromSpec } from "../run/estimatorFromSpec.js";
import { runSpec } from "../run/runSpec.js";
import { internalMetrics, SILHOUETTE_SAMPLE_SIZE } from "../run/scoreClustering.js";
import type { AlgorithmSpec } from "../spec/analysisSpec.js";
import { type NormalizedAnalysisSpec, normalizeSpec } from "../spec/normalizeSpec.js";
import { validateSpec } from "../spec/validateSpec.js";
import type { Table } from "../table.js";
import { type GapReference, type GapStatisticResult, gapStatistic, withinDispersion } from "./gapStatistic.js";
import { prepareMatrix } from "./prepareMatrix.js";

/** Options for `tuneK`. */
export interface TuneKOptions {
  /** Smallest k (an integer >= 1; k = 1 has no silhouette but lets the gap statistic say "no clusters"). Default 2. */
  kMin?: number;
  /** Largest k. Default 10 (at most the number of rows - 1). */
  kMax?: number;
  /** The algorithm's other parameters (spec names). Default: its defaults. */
  params?: Record<string, unknown>;
  /**
   * Also compute the gap statistic (numeric algorithms): `true`, or its options (`b` reference sets,
   * default 10; `reference` "uniform" or "pca"). Default false (it costs B + 1 fits per k).
   */
  gap?: boolean | { b?: number; reference?: GapReference };
  /** Silhouette on a seeded sample of this many rows above it. Default 10,000. */
  silhouetteSampleSize?: number;
  /** Called after each k. Default none. */
  onProgress?: (k: number) => void;
}

/** The scores of one k. */
export interface TuneKEntry {
  k: number;
  /** Clusters actually found (can be fewer than k). */
  nClusters: number | null;
  silhouette: number | null;
  calinskiHarabasz: number | null;
  daviesBouldin: number | null;
  /** The model's inertia, or the within-cluster sum of squares of its labels; kmodes / kprototypes: the cost. */
  inertia: number | null;
  /** gmm only (lower is better). */
  bic?: number;
  aic?: number;
  /** Why this k failed, if it did. */
  error?: string;
}

/** A criterion's choice of k. */
export type TuneKCriterion = "silhouette" | "calinskiHarabasz" | "daviesBouldin" | "elbow" | "bic" | "gap";

/** The outcome of `tuneK`: the evidence per k and one recommendation. */
export interface TuneKResult {
  algorithm: string;
  /** The k values tried, in order. */
  ks: number[];
  entries: TuneKEntry[];
  /** Kneedle elbow of the inertia (or cost) curve, or null. */
  elbow: number | null;
  /** The gap statistic, when asked for. */
  gap: GapStatisticResult | null;
  /** Each criterion's k: highest silhouette and Calinski-Harabasz, lowest Davies-Bouldin and BIC, the elbow, the gap rule. */
  votes: Partial<Record<TuneKCriterion, number>>;
  /** The k most criteria agree on (ties: the silhouette's choice when tied, else the smallest k). */
  recommendation: { k: number; by: TuneKCriterion[]; reason: string };
  warnings: string[];
  seconds: number;
}

function bestIndex(values: readonly (number | null | undefined)[], better: (a: number, b: number) => boolean): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (best < 0 || better(v, values[best] as number)) best = i;
  }
  return best;
}

function withK(spec: NormalizedAnalysisSpec, k: number, params: Record<string, unknown>): NormalizedAnalysisSpec {
  const name = spec.algorithm.name;
  const kParam = ALGORITHM_INFO[name].kParam!;
  const extra: Record<string, unknown> = name === "agglomerative" ? { distanceThreshold: null } : {};
  return normalizeSpec(
    validateSpec({ ...spec, algorithm: { name, params: { ...params, ...extra, [kParam]: k } } as AlgorithmSpec }),
  );
}

function numberOrNull(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}

/**
 * Tunes the number of clusters of a k-based algorithm on the experiment's preprocessed features:
 * for each k in `kMin..kMax`, the silhouette, Calinski-Harabasz, Davies-Bouldin, the inertia (k-means
 * via core's `chooseK`; other methods, the within-cluster sum of squares of their labels), BIC/AIC
 * for gmm; then the inertia elbow (Kneedle), optionally the gap statistic, and a recommendation
 * combining the criteria by vote. kmodes / kprototypes are run through `runSpec` per k (silhouette
 * on their own dissimilarity, cost instead of inertia; no gap statistic).
 */
export async function tuneK(
  spec: NormalizedAnalysisSpec,
  table: Table,
  options: TuneKOptions = {},
): Promise<TuneKResult> {
  const start = performance.now();
  const name = spec.algorithm.name;
  const info = ALGORITHM_INFO[name];
  if (info.kParam === null) {
    throw new DataError(`${name} has no number of clusters to tune (it finds them from densities / exemplars)`);
  }
  const params = { ...(options.params ?? {}) };
  delete params[info.kParam];
  const sampleSize = options.silhouetteSampleSize ?? SILHOUETTE_SAMPLE_SIZE;
  const warnings: string[] = [];
  const kMin = options.kMin ?? 2;
  if (!Number.isInteger(kMin) || kMin < 1) throw new DataError(`invalid kMin: ${kMin} (must be an integer >= 1)`);
  const entries: TuneKEntry[] = [];
  let X: Matrix | null = null;
  let kMax: number;
  if (info.input === "numeric") {
    const logger = memoryLogger();
    const prepared = prepareMatrix(spec, table, logger);
    warnings.push(...prepared.warnings);
    X = prepared.X;
    const n = X.rows;
    kMax = options.kMax ?? Math.max(kMin, Math.min(10, n - 1));
    if (!Number.isInteger(kMax) || kMax < kMin)
      throw new DataError(`invalid kMax: ${kMax} (must be an integer >= kMin = ${kMin})`);
    if (kMax > n) throw new DataError(`invalid kMax: ${kMax} (must be <= the number of rows, ${n})`);
    if (name === "kmeans") {
      const sweep = chooseK(X, {
        kMin,
        kMax,
        seed: spec.seed,
        ...(typeof params.nInit === "number" && { nInit: params.nInit }),
        ...(n > sampleSize && { silhouetteSampleSize: sampleSize }),
        logger,
        ...(options.onProgress && { onProgress: (k: number) => options.onProgress?.(k) }),
      });
      for (let i = 0; i < sweep.ks.length; i++) {
        entries.push({
          k: sweep.ks[i],
          nClusters: sweep.ks[i],
          silhouette: sweep.silhouette[i],
          calinskiHarabasz: sweep.calinskiHarabasz[i],
          daviesBouldin: sweep.daviesBouldin[i],
          inertia: sweep.inertia[i],
        });
      }
    } else {
      for (let k = kMin; k <= kMax; k++) {
        try {
          const kSpec = withK(spec, k, params);
          const estimator = estimatorFromSpec(kSpec.algorithm, { seed: spec.seed, logger }) as Clusterer;
          const model = estimator.fit(X) as ClusterModel & {
            inertia?: unknown;
            bic?: (X: Matrix) => number;
            aic?: (X: Matrix) => number;
          };
          const m = internalMetrics(X, model.labels, { seed: spec.seed, sampleSize });
          const entry: TuneKEntry = {
            k,
            nClusters: model.nClusters,
            silhouette: m.silhouette,
            calinskiHarabasz: m.calinskiHarabasz,
            daviesBouldin: m.daviesBouldin,
            inertia: numberOrNull(model.inertia) ?? withinDispersion(X, model.labels),
          };
          if (typeof model.bic === "function" && typeof model.aic === "function") {
            entry.bic = model.bic(X);
            entry.aic = model.aic(X);
          }
          entries.push(entry);
        } catch (error) {
          if (!(error instanceof ClusterlabError)) throw error;
          entries.push(failed(k, error));
        }
        options.onProgress?.(k);
      }
    }
    warnings.push(...new Set(logger.messages));
  } else {
    kMax = options.kMax ?? Math.max(kMin, Math.min(10, table.nRows - 1));
    if (!Number.isInteger(kMax) || kMax < kMin)
      throw new DataError(`invalid kMax: ${kMax} (must be an integer >= kMin = ${kMin})`);
    for (let k = kMin; k <= kMax; k++) {
      try {
        const result = await runSpec(withK(spec, k, params), { table, silhouetteSampleSize: sampleSize });
        entries.push({
          k,
          nClusters: result.nClusters,
          silhouette: result.metrics.silhouette,
          calinskiHarabasz: null,
          daviesBouldin: null,
          inertia: numberOrNull(result.metrics.cost),
        });
      } catch (error) {
        if (!(error instanceof ClusterlabError)) throw error;
        entries.push(failed(k, error));
      }
      options.onProgress?.(k);
    }
  }

  const ks = entries.map((e) => e.k);
  let elbow: number | null = null;
  const curve = entries.filter((e) => e.inertia !== null);
  if (curve.length >= 3) {
    const r = kneedle(
      curve.map((e) => e.k),
      curve.map((e) => e.inertia as number),
      { curve: "convex", direction: "decreasing" },
    );
    elbow = r.index === null ? null : curve[r.index].k;
  }
  let gap: GapStatisticResult | null = null;
  if (options.gap) {
    if (!X) throw new DataError(`the gap statistic needs numeric features (Euclidean); ${name} clusters categories`);
    const gapOptions = options.gap === true ? {} : options.gap;
    gap = gapStatistic(X, {
      kMin,
      kMax,
      seed: spec.seed,
      ...gapOptions,
      cluster: (M, k, seed) => {
        if (k === 1) return new Int32Array(M.rows);
        const estimator = estimatorFromSpec(withK(spec, k, params).algorithm, { seed, logger: memoryLogger() });
        return (estimator as Clusterer).fit(M).labels;
      },
    });
  }

  const votes: Partial<Record<TuneKCriterion, number>> = {};
  const pick = (
    criterion: TuneKCriterion,
    values: (number | null | undefined)[],
    better: (a: number, b: number) => boolean,
  ) => {
    const i = bestIndex(values, better);
    if (i >= 0) votes[criterion] = ks[i];
  };
  pick(
    "silhouette",
    entries.map((e) => e.silhouette),
    (a, b) => a > b,
  );
  pick(
    "calinskiHarabasz",
    entries.map((e) => e.calinskiHarabasz),
    (a, b) => a > b,
  );
  pick(
    "daviesBouldin",
    entries.map((e) => e.daviesBouldin),
    (a, b) => a < b,
  );
  if (elbow !== null) votes.elbow = elbow;
  if (entries.some((e) => e.bic !== undefined))
    pick(
      "bic",
      entries.map((e) => e.bic),
      (a, b) => a < b,
    );
  if (gap) votes.gap = gap.k;
  return {
    algorithm: name,
    ks,
    entries,
    elbow,
    gap,
    votes,
    recommendation: recommend(votes, kMin),
    warnings,
    seconds: Math.round(performance.now() - start) / 1000,
  };
}

function failed(k: number, error: ClusterlabError): TuneKEntry {
  return {
    k,
    nClusters: null,
    silhouette: null,
    calinskiHarabasz: null,
    daviesBouldin: null,
    inertia: null,
    error: error.message.split("\n")[0],
  };
}

/** The k with the most votes (ties: the silhouette's k when it is among them, else the smallest). */
export function recommend(
  votes: Partial<Record<TuneKCriterion, number>>,
  fallback: number,
): TuneKResult["recommendation"] {
  const counts = new Map<number, TuneKCriterion[]>();
  for (const [criterion, k] of Object.entries(votes) as [TuneKCriterion, number][]) {
    counts.set(k, [...(counts.get(k) ?? []), criterion]);
  }
  if (counts.size === 0) {
    return { k: fallback, by: [], reason: `no criterion could be computed; defaulting to kMin=${fallback}` };
  }
  const most = Math.max(...[...counts.values()].map((c) => c.length));
  const tied = [...counts.entries()].filter(([, c]) => c.length === most).map(([k]) => k);
  const k = votes.silhouette !== undefined && tied.includes(votes.silhouette) ? votes.silhouette : Math.min(...tied);
  const by = counts.get(k)!;
  const others = [...counts.entries()]
    .filter(([other]) => other !== k)
    .map(([other, c]) => `${c.join(", ")}: k=${other}`)
    .join("; ");
  const reason = `k=${k} is chosen by ${by.join(", ")} (${by.length} of ${Object.keys(votes).length} criteria)${others ? `; ${others}` : ""}`;
  return { k, by, reason };
}
