import {
  bootstrapStability,
  type Clusterer,
  ClusterlabError,
  type ClusterModel,
  chooseK,
  kneedle,
  type Logger,
  type Matrix,
  memoryLogger,
  predictionStrength,
  Random,
  takeRows,
} from "@clusterlab/core";
import { DataError } from "../errors.js";
import { fitAnalysis } from "../run/analysisModel.js";
import { ALGORITHM_INFO, estimatorFromSpec } from "../run/estimatorFromSpec.js";
import { featureFrame } from "../run/resolveFeatures.js";
import { UNASSIGNED } from "../run/runResult.js";
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
  /**
   * Resampling evidence for each k: bootstrap stability (Hennig's clusterwise Jaccard,
   * `nBootstrap` refits per k; kmodes / kprototypes refit their whole analysis on resampled raw
   * rows) and prediction strength (Tibshirani & Walther, 2-fold; numeric algorithms). `true` uses the defaults below, `false` switches both off (for
   * speed: they cost `nBootstrap` + 1 and 4 fits per k). Default true.
   */
  stability?: boolean | TuneKStabilityOptions;
  /** Silhouette on a seeded sample of this many rows above it. Default 10,000. */
  silhouetteSampleSize?: number;
  /** Called after each k. Default none. */
  onProgress?: (k: number) => void;
  /**
   * Called after the stability step of each k (its bootstrap refits and prediction strength), with
   * how many of the `total` ks it runs on are done, so a caller can report progress of this slow
   * step. Default none.
   */
  onStabilityProgress?: (k: number, done: number, total: number) => void;
}

/** The resampling part of `tuneK` (see `TuneKOptions.stability`). */
export interface TuneKStabilityOptions {
  /** Bootstrap replicates per k. Default 10. */
  nBootstrap?: number;
  /** Also compute the prediction strength (algorithms with `predict`). Default true. */
  predictionStrength?: boolean;
  /**
   * Above this many rows, stability and prediction strength run on a seeded random subset of this
   * many rows (each costs several full refits per k). Default 5,000.
   */
  maxRows?: number;
}

/** A k is "stable" when every cluster's mean bootstrap Jaccard reaches this (Hennig's "stable" band). */
export const STABLE_JACCARD = 0.75;
/** A k "predicts itself" when its prediction strength reaches this (Tibshirani & Walther suggest 0.8 to 0.9). */
export const STRONG_PREDICTION = 0.8;

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
  /**
   * Bootstrap stability: the mean over the clusters of their mean Jaccard similarity under
   * resampling (null when not computed: switched off, k = 1, a categorical algorithm, a failure).
   */
  stability?: number | null;
  /** The least stable cluster's mean Jaccard (the stability criterion reads this). */
  stabilityMin?: number | null;
  /** Prediction strength (null when not computed). */
  predictionStrength?: number | null;
  /** Why this k failed, if it did. */
  error?: string;
}

/** A criterion's choice of k. */
export type TuneKCriterion =
  | "silhouette"
  | "calinskiHarabasz"
  | "daviesBouldin"
  | "elbow"
  | "bic"
  | "gap"
  | "stability"
  | "predictionStrength";

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
  /**
   * Each criterion's k: highest silhouette and Calinski-Harabasz, lowest Davies-Bouldin and BIC, the
   * elbow, the gap rule; stability: the largest k whose least stable cluster keeps a mean Jaccard
   * >= 0.75 (else the k with the most stable weakest cluster); prediction strength: the largest
   * k >= 2 with a strength >= 0.8 (no vote when none reaches it).
   */
  votes: Partial<Record<TuneKCriterion, number>>;
  /** Why each criterion voted as it did, in words with the numbers (e.g. `highest silhouette 0.68 at k=2`). */
  evidence: Partial<Record<TuneKCriterion, string>>;
  /** The resampling settings used, or null when stability was off or not applicable. */
  stability: { nBootstrap: number; predictionStrength: boolean; rows: number } | null;
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
 * combining the criteria by vote. By default (`stability`) each k also gets its bootstrap
 * stability and (numeric algorithms) prediction strength, which vote too; `evidence` says in words why each
 * criterion chose its k. kmodes / kprototypes are run through `runSpec` per k (silhouette on their
 * own dissimilarity, cost instead of inertia; no gap statistic; bootstrap stability by refitting
 * the analysis on resampled raw rows, no prediction strength).
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
  // kmodes / kprototypes: the rows fitted and the feature layout (from the first run), for the stability.
  let categoricalFit: CategoricalFit | null = null;
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
        if (categoricalFit === null) {
          // The fitted rows (not dropped, not outliers, not held out) and the feature layout, for the stability.
          const held = new Set(result.test ? Array.from(result.test.rows) : []);
          const rows: number[] = [];
          for (let i = 0; i < result.labels.length; i++) {
            if (result.labels[i] !== UNASSIGNED && !held.has(i)) rows.push(i);
          }
          categoricalFit = {
            rows,
            layout: { numeric: result.features.numeric, categorical: result.features.categorical },
          };
        }
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

  let stability: TuneKResult["stability"] = null;
  const stabilityOptions = resolveStability(options.stability);
  if (stabilityOptions && X) {
    stability = addStability(
      X,
      entries,
      stabilityOptions,
      spec.seed,
      warnings,
      (k, logger) => estimatorFromSpec(withK(spec, k, params).algorithm, { seed: spec.seed, logger }) as Clusterer,
      options.onStabilityProgress,
    );
  } else if (stabilityOptions && categoricalFit) {
    stability = addFrameStability(
      table,
      categoricalFit,
      entries,
      stabilityOptions,
      warnings,
      (k) => withK(spec, k, params),
      options.onStabilityProgress,
    );
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
  const evidence: Partial<Record<TuneKCriterion, string>> = {};
  const pick = (
    criterion: TuneKCriterion,
    values: (number | null | undefined)[],
    better: (a: number, b: number) => boolean,
    words: string,
  ) => {
    const i = bestIndex(values, better);
    if (i < 0) return;
    votes[criterion] = ks[i];
    evidence[criterion] = `${words} ${show(values[i] as number)} at k=${ks[i]}`;
  };
  pick(
    "silhouette",
    entries.map((e) => e.silhouette),
    (a, b) => a > b,
    "highest silhouette",
  );
  pick(
    "calinskiHarabasz",
    entries.map((e) => e.calinskiHarabasz),
    (a, b) => a > b,
    "highest Calinski-Harabasz",
  );
  pick(
    "daviesBouldin",
    entries.map((e) => e.daviesBouldin),
    (a, b) => a < b,
    "lowest Davies-Bouldin",
  );
  if (elbow !== null) {
    votes.elbow = elbow;
    evidence.elbow = `Kneedle elbow of the ${info.input === "numeric" ? "inertia" : "cost"} curve at k=${elbow}`;
  }
  if (entries.some((e) => e.bic !== undefined))
    pick(
      "bic",
      entries.map((e) => e.bic),
      (a, b) => a < b,
      "lowest BIC",
    );
  if (gap) {
    votes.gap = gap.k;
    evidence.gap = gap.reason;
  }
  voteStability(entries, votes, evidence);
  return {
    algorithm: name,
    ks,
    entries,
    elbow,
    gap,
    votes,
    evidence,
    stability,
    recommendation: recommend(votes, kMin),
    warnings,
    seconds: Math.round(performance.now() - start) / 1000,
  };
}

/** A number with 3 significant digits for the evidence texts. */
function show(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** Thrown inside prediction strength when the fitted model has no `predict`. */
class CannotPredict extends Error {}

function resolveStability(option: TuneKOptions["stability"]): Required<TuneKStabilityOptions> | null {
  if (option === false) return null;
  const o = option === true || option === undefined ? {} : option;
  const nBootstrap = o.nBootstrap ?? 10;
  const maxRows = o.maxRows ?? 5000;
  if (!Number.isInteger(nBootstrap) || nBootstrap < 1) {
    throw new DataError(`invalid stability.nBootstrap: ${nBootstrap} (must be an integer >= 1)`);
  }
  if (!Number.isInteger(maxRows) || maxRows < 10) {
    throw new DataError(`invalid stability.maxRows: ${maxRows} (must be an integer >= 10)`);
  }
  return { nBootstrap, maxRows, predictionStrength: o.predictionStrength ?? true };
}

/**
 * Fills `stability`, `stabilityMin` and `predictionStrength` of each entry (k >= 2, not failed) on
 * `X` or a seeded subset of `maxRows` rows of it.
 */
function addStability(
  X: Matrix,
  entries: TuneKEntry[],
  o: Required<TuneKStabilityOptions>,
  seed: number,
  warnings: string[],
  make: (k: number, logger: Logger) => Clusterer,
  onProgress?: TuneKOptions["onStabilityProgress"],
): NonNullable<TuneKResult["stability"]> {
  let S = X;
  if (X.rows > o.maxRows) {
    const order = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) order[i] = i;
    new Random(seed).shuffle(order);
    S = takeRows(X, order.subarray(0, o.maxRows).sort());
    warnings.push(`stability and prediction strength are computed on a random subset of ${o.maxRows} rows`);
  }
  const logger = memoryLogger();
  let strength = o.predictionStrength;
  const total = entries.filter((e) => e.error === undefined && e.k >= 2 && e.k <= S.rows).length;
  let done = 0;
  for (const e of entries) {
    e.stability = null;
    e.stabilityMin = null;
    e.predictionStrength = null;
    if (e.error !== undefined || e.k < 2 || e.k > S.rows) continue;
    try {
      const result = bootstrapStability(S, (sample) => make(e.k, logger).fit(sample).labels, {
        nBootstrap: o.nBootstrap,
        seed,
      });
      const means = result.clusters.map((c) => c.meanJaccard).filter((m): m is number => m !== null);
      e.stability = result.meanJaccard;
      e.stabilityMin = means.length > 0 ? Math.min(...means) : null;
    } catch (error) {
      if (!(error instanceof ClusterlabError)) throw error;
      warnings.push(`stability at k=${e.k} not computed: ${error.message.split("\n")[0]}`);
    }
    if (!strength) {
      onProgress?.(e.k, ++done, total);
      continue;
    }
    const refit = (k: number) => ({
      fit(M: Matrix) {
        const model = make(k, logger).fit(M);
        if (typeof (model as { predict?: unknown }).predict !== "function") throw new CannotPredict();
        return model as ClusterModel;
      },
    });
    try {
      e.predictionStrength = predictionStrength(S, refit, e.k, { seed }).predictionStrength;
    } catch (error) {
      if (error instanceof CannotPredict) {
        strength = false;
        warnings.push("prediction strength not computed: the algorithm cannot assign new rows");
      } else if (error instanceof ClusterlabError) {
        warnings.push(`prediction strength at k=${e.k} not computed: ${error.message.split("\n")[0]}`);
      } else throw error;
    }
    onProgress?.(e.k, ++done, total);
  }
  return { nBootstrap: o.nBootstrap, predictionStrength: strength, rows: S.rows };
}

/** The rows a kmodes / kprototypes run was fitted on, and its feature columns. */
interface CategoricalFit {
  rows: number[];
  layout: { numeric: string[]; categorical: string[] };
}

/**
 * kmodes / kprototypes: the bootstrap stability of each k (no prediction strength, which core
 * computes on matrices), refitting the spec's whole analysis (numeric preprocessing + clusterer)
 * on each resample of the raw feature frame.
 */
function addFrameStability(
  table: Table,
  fit: CategoricalFit,
  entries: TuneKEntry[],
  o: Required<TuneKStabilityOptions>,
  warnings: string[],
  specFor: (k: number) => NormalizedAnalysisSpec,
  onProgress?: TuneKOptions["onStabilityProgress"],
): NonNullable<TuneKResult["stability"]> {
  let rows = Int32Array.from(fit.rows);
  const seed = specFor(entries[0]?.k ?? 2).seed;
  if (rows.length > o.maxRows) {
    new Random(seed).shuffle(rows);
    rows = rows.slice(0, o.maxRows).sort();
    warnings.push(`stability is computed on a random subset of ${o.maxRows} rows`);
  }
  const frame = featureFrame(table, [...fit.layout.numeric, ...fit.layout.categorical], rows);
  const logger = memoryLogger();
  const total = entries.filter((e) => e.error === undefined && e.k >= 2 && e.k <= rows.length).length;
  let done = 0;
  for (const e of entries) {
    e.stability = null;
    e.stabilityMin = null;
    e.predictionStrength = null;
    if (e.error !== undefined || e.k < 2 || e.k > rows.length) continue;
    const kSpec = specFor(e.k);
    try {
      const result = bootstrapStability(frame, (sample) => fitAnalysis(kSpec, fit.layout, sample, { logger }).labels, {
        nBootstrap: o.nBootstrap,
        seed,
      });
      const means = result.clusters.map((c) => c.meanJaccard).filter((m): m is number => m !== null);
      e.stability = result.meanJaccard;
      e.stabilityMin = means.length > 0 ? Math.min(...means) : null;
    } catch (error) {
      if (!(error instanceof ClusterlabError)) throw error;
      warnings.push(`stability at k=${e.k} not computed: ${error.message.split("\n")[0]}`);
    }
    onProgress?.(e.k, ++done, total);
  }
  return { nBootstrap: o.nBootstrap, predictionStrength: false, rows: rows.length };
}

/** The stability and prediction-strength votes (see `TuneKResult.votes`). */
function voteStability(
  entries: readonly TuneKEntry[],
  votes: Partial<Record<TuneKCriterion, number>>,
  evidence: Partial<Record<TuneKCriterion, string>>,
): void {
  const scored = entries.filter((e) => typeof e.stabilityMin === "number");
  if (scored.length > 0) {
    const stable = scored.filter((e) => (e.stabilityMin as number) >= STABLE_JACCARD);
    if (stable.length > 0) {
      const e = stable[stable.length - 1];
      votes.stability = e.k;
      evidence.stability = `largest k whose every cluster has a bootstrap Jaccard >= ${STABLE_JACCARD}: k=${e.k} (weakest cluster ${show(e.stabilityMin as number)}, mean ${show(e.stability as number)})`;
    } else {
      const best =
        scored[
          bestIndex(
            scored.map((e) => e.stabilityMin),
            (a, b) => a > b,
          )
        ];
      votes.stability = best.k;
      evidence.stability = `no k has every cluster's bootstrap Jaccard >= ${STABLE_JACCARD}; the most stable weakest cluster is at k=${best.k} (${show(best.stabilityMin as number)})`;
    }
  }
  const strong = entries.filter((e) => typeof e.predictionStrength === "number");
  if (strong.length > 0) {
    const passing = strong.filter((e) => (e.predictionStrength as number) >= STRONG_PREDICTION);
    if (passing.length > 0) {
      const e = passing[passing.length - 1];
      votes.predictionStrength = e.k;
      evidence.predictionStrength = `largest k with prediction strength >= ${STRONG_PREDICTION}: k=${e.k} (${show(e.predictionStrength as number)})`;
    } else {
      const best = Math.max(...strong.map((e) => e.predictionStrength as number));
      evidence.predictionStrength = `no k reaches prediction strength ${STRONG_PREDICTION} (best ${show(best)}): no vote`;
    }
  }
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
