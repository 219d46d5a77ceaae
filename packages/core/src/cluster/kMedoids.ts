import { invalid, ValidationError } from "../errors.js";
import type { ClusterModel, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import { type Matrix, type MatrixLike, takeRows, toRows } from "../matrix.js";
import { Random } from "../random.js";
import { registerModel } from "../serialize.js";
import { asLabels, asMatrix, checkChoice, checkInt, checkNClusters, checkNumber } from "../validate.js";
import { clara } from "./kMedoidsClaraKernels.js";
import {
  alternate,
  assignNearestMedoid,
  buildInit,
  DenseDistances,
  type DistanceSource,
  distancesTo,
  fasterPam,
  type KMedoidsMetric,
  kMedoidsPlusPlusInit,
  LazyDistances,
  type MedoidRun,
  metricRows,
  mostCentral,
  totalDeviation,
} from "./kMedoidsKernels.js";

export type { KMedoidsMetric } from "./kMedoidsKernels.js";

/** How `KMedoids` chooses its starting medoids. */
export type KMedoidsInit = "build" | "k-medoids++" | "random" | ArrayLike<number>;

/** Largest n for which `precompute: "auto"` stores the n x n distance matrix (800 MB of Float64). */
export const KMEDOIDS_DENSE_LIMIT = 10_000;

/** Options for `KMedoids` (names follow scikit-learn-extra's `KMedoids`). */
export interface KMedoidsOptions {
  /** Number of clusters k, an integer in [1, n]. Default 8, or the length of an explicit `init`. */
  nClusters?: number;
  /**
   * Dissimilarity: `"euclidean"` (default), `"manhattan"`, `"cosine"` (1 - cosine similarity, clipped to
   * [0, 2]; a zero row is at distance 1 from every other row) or `"sqeuclidean"`.
   */
  metric?: KMedoidsMetric;
  /**
   * `"pam"` (default): local search by swaps, with FasterPAM's eager swaps (Schubert & Rousseeuw 2021):
   * each pass costs O(n^2) whatever k, and the result is swap-optimal (no single medoid / non-medoid swap
   * lowers the inertia). `"alternate"`: k-means-style Voronoi iteration (assign, then move each medoid to
   * the most central member of its cluster); faster per iteration, usually worse optima.
   * `"clara"`: CLARA for large n (Kaufman & Rousseeuw 1990): PAM on `nSamplings` random samples of
   * `samplingSize` rows (each later sample includes the best medoids so far), the medoids with the lowest
   * total dissimilarity over all n rows kept; labels are every row's nearest medoid. Memory is
   * samplingSize^2 distances, never n x n, and `maxSamples` / `precompute` do not apply. With
   * `samplingSize` = n it is exactly `"pam"`.
   */
  method?: "pam" | "alternate" | "clara";
  /** `"clara"` only: number of samples clustered, an integer >= 1. Default 5. */
  nSamplings?: number;
  /**
   * `"clara"` only: rows per sample, an integer in [nClusters, n]. Default 40 + 2 nClusters (Kaufman &
   * Rousseeuw's choice), capped at n.
   */
  samplingSize?: number;
  /**
   * Starting medoids: `"build"` (default; PAM's greedy BUILD, deterministic), `"k-medoids++"` (seeded
   * k-means++-style sampling on squared dissimilarities), `"random"` (k distinct samples drawn with `seed`),
   * or explicit sample indices (k distinct integers in [0, n)).
   */
  init?: KMedoidsInit;
  /**
   * Most iterations, an integer >= 1: swap passes over the samples for `"pam"`, assign/update rounds for
   * `"alternate"`. Default 300.
   */
  maxIter?: number;
  /** Seed for `"k-medoids++"`, `"random"` and CLARA's samples. Default 0. */
  seed?: number;
  /**
   * Refuse more samples than this (an integer >= 1): k-medoids needs all pairwise dissimilarities, so
   * time is O(n^2) per pass and, with the stored matrix, memory is 8 n^2 bytes. Default 10,000. Not
   * applied with `method: "clara"`, which never needs all pairs.
   */
  maxSamples?: number;
  /**
   * Store the n x n dissimilarity matrix (true; fastest) or compute dissimilarities when needed (false;
   * O(n) memory, every pass recomputes O(n^2) distances). `"auto"` (default) stores it up to
   * `KMEDOIDS_DENSE_LIMIT` = 10,000 samples. Both give identical results.
   */
  precompute?: boolean | "auto";
  /** Receives warnings (no convergence within maxIter, empty clusters). Default `consoleLogger`. */
  logger?: Logger;
}

/**
 * K-medoids clustering: k samples (medoids) are chosen as centres so that the sum of dissimilarities of the
 * samples to their nearest medoid (`inertia`) is small. Works with any of the supported dissimilarities
 * and is robust to outliers; the centres are actual samples.
 *
 * scikit-learn has no k-medoids; the results are checked against a Python reference of the same
 * algorithms (BUILD, FasterPAM, alternate) and, on small data, an exhaustive search. PAM is a local search:
 * its result is optimal for single swaps, not always globally.
 *
 * ```ts
 * const model = new KMedoids({ nClusters: 3, metric: "manhattan" }).fit(X);
 * model.medoidIndices; model.labels; model.inertia; model.predict(Y);
 * ```
 */
export class KMedoids {
  readonly options: Readonly<KMedoidsOptions>;

  constructor(options: KMedoidsOptions = {}) {
    this.options = { ...options };
  }

  /** Fits k-medoids on X (n x d). */
  fit(X: MatrixLike): KMedoidsModel {
    const o = this.options;
    const m = asMatrix(X);
    const n = m.rows;
    const metric = checkChoice(o.metric ?? "euclidean", "metric", ["euclidean", "manhattan", "cosine", "sqeuclidean"]);
    const method = checkChoice(o.method ?? "pam", "method", ["pam", "alternate", "clara"]);
    const maxIter = checkInt(o.maxIter ?? 300, "maxIter", 1);
    const maxSamples = checkInt(o.maxSamples ?? 10_000, "maxSamples", 1);
    const seed = checkNumber(o.seed ?? 0, "seed");
    const logger = o.logger ?? consoleLogger;
    const precompute = o.precompute ?? "auto";
    if (precompute !== "auto" && typeof precompute !== "boolean") {
      throw invalid("precompute", precompute, 'must be true, false or "auto"');
    }
    if (n > maxSamples && method !== "clara") {
      throw invalid(
        "maxSamples",
        maxSamples,
        `X has ${n} samples; k-medoids needs all n^2 pairwise distances (raise maxSamples, or use method "clara")`,
      );
    }
    const init = o.init ?? "build";
    const explicit = typeof init !== "string" ? resolveExplicitInit(init, n, o.nClusters) : null;
    if (explicit === null) checkChoice(init as string, "init", ["build", "k-medoids++", "random"]);
    const k = explicit ? explicit.length : (o.nClusters ?? 8);
    checkNClusters(k, n);
    if (method === "clara") {
      if (explicit) {
        throw invalid("init", Array.from(explicit), 'explicit medoids are not supported with method "clara"');
      }
      const nSamplings = checkInt(o.nSamplings ?? 5, "nSamplings", 1);
      const samplingSize = checkInt(o.samplingSize ?? Math.min(n, 40 + 2 * k), "samplingSize", k, n);
      const r = clara(
        m,
        { k, metric, init: init as "build" | "k-medoids++" | "random", maxIter, nSamplings, samplingSize },
        new Random(seed),
      );
      return finish(m, r.medoids, r.labels, r.inertia, r.nIter, r.converged, metric, maxIter, logger);
    }

    const dense = precompute === "auto" ? n <= KMEDOIDS_DENSE_LIMIT : precompute;
    const D: DistanceSource = dense ? new DenseDistances(m, metric) : new LazyDistances(m, metric);
    let medoids: Int32Array;
    if (explicit) medoids = explicit;
    else if (init === "build") medoids = buildInit(D, k);
    else if (init === "random") medoids = new Random(seed).sampleWithoutReplacement(n, k);
    else medoids = kMedoidsPlusPlusInit(D, k, new Random(seed));

    let run: MedoidRun;
    if (method === "alternate") {
      run = alternate(D, medoids, maxIter, (c) =>
        logger.warn(`KMedoids: cluster ${c} is empty (its medoid coincides with another medoid)`),
      );
    } else if (k === 1) {
      // One medoid: the most central sample is the exact optimum.
      medoids[0] = mostCentral(D);
      run = { medoids, nIter: 1, converged: true, nSwaps: 0 };
    } else {
      run = fasterPam(D, medoids, maxIter);
    }
    const labels = new Int32Array(n);
    assignNearestMedoid(D, run.medoids, labels);
    const inertia = totalDeviation(D, run.medoids, labels);
    return finish(m, run.medoids, labels, inertia, run.nIter, run.converged, metric, maxIter, logger);
  }

  /** `fit(X).labels`. */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).labels;
  }
}

/** Warns about non-convergence and empty clusters, then builds the model. */
function finish(
  m: Matrix,
  medoids: Int32Array,
  labels: Int32Array,
  inertia: number,
  nIter: number,
  converged: boolean,
  metric: KMedoidsMetric,
  maxIter: number,
  logger: Logger,
): KMedoidsModel {
  const k = medoids.length;
  if (!converged) {
    logger.warn(`KMedoids: did not converge within maxIter = ${maxIter} iterations; consider increasing maxIter`);
  }
  const seen = new Uint8Array(k);
  let distinct = 0;
  for (let i = 0; i < labels.length; i++) {
    if (seen[labels[i]]) continue;
    seen[labels[i]] = 1;
    distinct++;
  }
  if (distinct < k) {
    logger.warn(`KMedoids: only ${distinct} non-empty clusters out of ${k} (X has duplicate samples)`);
  }
  return new KMedoidsModel({
    medoidIndices: medoids,
    clusterCenters: takeRows(m, medoids),
    labels,
    inertia,
    nIter,
    converged,
    metric,
  });
}

function resolveExplicitInit(init: ArrayLike<number>, n: number, nClusters: number | undefined): Int32Array {
  if (init == null || typeof init.length !== "number") throw invalid("init", init, "must be a method name or indices");
  const k = init.length;
  if (k === 0) throw invalid("init", [], "needs at least one medoid index");
  if (nClusters !== undefined && nClusters !== k) {
    throw new ValidationError(`invalid init: ${k} medoid indices, expected nClusters = ${nClusters}`);
  }
  const out = new Int32Array(k);
  const seen = new Set<number>();
  for (let c = 0; c < k; c++) {
    const v = init[c];
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new ValidationError(`invalid init: ${v} at position ${c} (must be a sample index in [0, ${n - 1}])`);
    }
    if (seen.has(v)) throw new ValidationError(`invalid init: ${v} appears twice (medoids must be distinct)`);
    seen.add(v);
    out[c] = v;
  }
  return out;
}

/** The fields of a `KMedoidsModel`. */
export interface KMedoidsModelFields {
  medoidIndices: Int32Array;
  clusterCenters: Matrix;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
  metric: KMedoidsMetric;
}

/** A fitted k-medoids model: medoids, labels, inertia. Immutable. */
export class KMedoidsModel implements ClusterModel {
  /** Row indices of the medoids in the training data (cluster c has medoid `medoidIndices[c]`). */
  readonly medoidIndices: Int32Array;
  /** The medoid rows (k x d). */
  readonly clusterCenters: Matrix;
  /** Nearest medoid of each training sample (ties: the lower cluster index). */
  readonly labels: Int32Array;
  /** Sum of the dissimilarities of the training samples to their medoid. */
  readonly inertia: number;
  /** Swap passes (`"pam"`; for `"clara"`, of the best sample's PAM run) or assign/update rounds (`"alternate"`). */
  readonly nIter: number;
  /** False when the run stopped at maxIter while still improving. */
  readonly converged: boolean;
  readonly metric: KMedoidsMetric;
  readonly nClusters: number;
  readonly nFeaturesIn: number;

  constructor(fields: KMedoidsModelFields) {
    this.medoidIndices = fields.medoidIndices;
    this.clusterCenters = fields.clusterCenters;
    this.labels = fields.labels;
    this.inertia = fields.inertia;
    this.nIter = fields.nIter;
    this.converged = fields.converged;
    this.metric = fields.metric;
    this.nClusters = fields.clusterCenters.rows;
    this.nFeaturesIn = fields.clusterCenters.cols;
  }

  /** Index of the nearest medoid for each row of X under the model's metric (ties: the lower index). */
  predict(X: MatrixLike): Int32Array {
    const dist = this.transform(X);
    const k = this.nClusters;
    const labels = new Int32Array(dist.rows);
    for (let i = 0; i < dist.rows; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (dist.data[i * k + c] < dist.data[i * k + best]) best = c;
      labels[i] = best;
    }
    return labels;
  }

  /** Dissimilarity of each row of X to each medoid (n x k). */
  transform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const x = metricRows(m, this.metric);
    const c = metricRows(this.clusterCenters, this.metric);
    return { rows: m.rows, cols: this.nClusters, data: distancesTo(x, m.rows, c, this.nClusters, m.cols, this.metric) };
  }

  toJSON(): ModelJSON {
    return {
      type: "KMedoidsModel",
      version: 1,
      metric: this.metric,
      nFeaturesIn: this.nFeaturesIn,
      medoidIndices: Array.from(this.medoidIndices),
      clusterCenters: toRows(this.clusterCenters),
      labels: Array.from(this.labels),
      inertia: this.inertia,
      nIter: this.nIter,
      converged: this.converged,
    };
  }

  static fromJSON(json: ModelJSON): KMedoidsModel {
    if (json == null || json.type !== "KMedoidsModel" || json.version !== 1) {
      throw new ValidationError(
        `invalid model JSON: expected KMedoidsModel version 1, got ${json?.type} ${json?.version}`,
      );
    }
    const nFeaturesIn = checkInt(json.nFeaturesIn as number, "nFeaturesIn", 1);
    const clusterCenters = asMatrix(json.clusterCenters as number[][], { name: "clusterCenters", cols: nFeaturesIn });
    const medoidIndices = asLabels(json.medoidIndices as number[], "medoidIndices");
    if (medoidIndices.length !== clusterCenters.rows) {
      throw new ValidationError("invalid model JSON: clusterCenters and medoidIndices differ in length");
    }
    return new KMedoidsModel({
      medoidIndices,
      clusterCenters,
      labels: asLabels(json.labels as number[]),
      inertia: checkNumber(json.inertia as number, "inertia", { min: 0 }),
      nIter: checkInt(json.nIter as number, "nIter", 0),
      converged: Boolean(json.converged),
      metric: checkChoice(json.metric as KMedoidsMetric, "metric", ["euclidean", "manhattan", "cosine", "sqeuclidean"]),
    });
  }
}

registerModel("KMedoidsModel", (json) => KMedoidsModel.fromJSON(json));
