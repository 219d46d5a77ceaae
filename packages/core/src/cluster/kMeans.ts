import type { ClusterModel, FitOptions, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { Random } from "../random.js";
import { registerModel } from "../serialize.js";
import { asMatrix, checkChoice, checkInt, checkNClusters, checkNumber, checkSampleWeight } from "../validate.js";
import {
  centerDistances,
  centroidFieldsFromJSON,
  centroidFieldsToJSON,
  checkModelJSON,
  initialCenters,
  type KMeansInit,
  type KMeansModelFields,
  resolveInit,
  resolveNInit,
  warnDistinct,
} from "./centroidCommon.js";
import {
  assignNearest,
  inertiaOf,
  type KMeansIterationHook,
  type KMeansRun,
  runElkan,
  runLloyd,
  sameClustering,
  scaledTolerance,
} from "./kmeansKernels.js";

export type { KMeansInit, KMeansModelFields } from "./centroidCommon.js";
export type { KMeansIterationHook, KMeansIterationInfo } from "./kmeansKernels.js";

/**
 * From this many features on, `algorithm: "elkan"` keeps Elkan's n x k bounds; below, it runs
 * Hamerly's two bounds (`runLloyd`), which return exactly the same result and were 1.7-2.5x
 * faster at 8-64 features (elkan up to 1.2x faster at 128-256 features; docs/benchmarks.md).
 */
const ELKAN_MIN_FEATURES = 128;

/** Options for `KMeans` (names and semantics follow scikit-learn 1.9's `KMeans`). */
export interface KMeansOptions {
  /** Number of clusters k: an integer in [1, n]. Default 8. */
  nClusters?: number;
  /**
   * Initial centres. `"k-means++"` (default): greedy k-means++ with `2 + floor(ln k)` local trials,
   * sample-weight aware. `"random"`: k distinct samples drawn with probability proportional to
   * their weight. A matrix (k x d): these exact centres (forces a single run).
   */
  init?: KMeansInit;
  /**
   * Number of runs from different initialisations; the run with the lowest inertia is kept.
   * Default: 1 for `"k-means++"` and explicit centres, 10 for `"random"` (scikit-learn's "auto").
   * Explicit centres always give one run (a warning is logged when nInit > 1 was asked for).
   */
  nInit?: number;
  /** Maximum iterations per run (an integer >= 1). Default 300. */
  maxIter?: number;
  /**
   * Convergence tolerance, scikit-learn's meaning: a run stops when the sum over centres of the
   * squared centre shift is <= `tol` times the mean of the per-feature variances of X. Runs also
   * stop as soon as no label changes. Default 1e-4.
   */
  tol?: number;
  /**
   * `"lloyd"` (default) or `"elkan"`; both return identical labels, centres, inertia and nIter.
   * `"lloyd"` keeps two bounds per sample (Hamerly's; O(n) extra memory) to skip samples whose
   * nearest centre provably cannot have changed; `"elkan"` keeps a lower bound per sample and
   * centre (O(n k) extra memory) and skips more distance computations. Bounds only decide what
   * to compute: every assignment compares exactly computed squared distances (ties: lowest
   * index). With k = 1, or fewer than 128 features (where the n x k bound checks cost more than
   * the distances they save, so Hamerly's bounds are faster), `"elkan"` runs `"lloyd"`.
   */
  algorithm?: "lloyd" | "elkan";
  /** Seed for the initialisation. Default 0. */
  seed?: number;
  /** Receives warnings (too few distinct clusters, explicit init with nInit > 1). Default `consoleLogger`. */
  logger?: Logger;
  /**
   * Called after every iteration of every run with the run index, the iteration number, the
   * inertia of that iteration's assignment, the summed squared centre shift and the number of
   * changed labels (for progress reporting and tests). Computing the per-iteration inertia costs
   * one extra pass over X per iteration, so only pass a hook when needed. Default: none.
   */
  onIteration?: KMeansIterationHook;
}

/**
 * K-means clustering (scikit-learn 1.9 semantics): from the same initial centres it returns the
 * same labels, centres (to rounding), inertia and iteration count as `sklearn.cluster.KMeans`:
 * the same convergence test (labels unchanged, or summed squared centre shift <= the scaled
 * `tol`), the final re-assignment when the run stopped on the tolerance or on maxIter, weighted
 * centre updates, and relocation of empty clusters to the samples farthest from their centre.
 * With several runs (`nInit`), the lowest inertia wins, ignoring runs that only relabel the best.
 * One deviation: when an empty cluster cannot be relocated (every sample sits exactly on its
 * centre), it keeps its previous centre, where scikit-learn copies a not-yet-averaged sum.
 *
 * ```ts
 * const model = new KMeans({ nClusters: 3, seed: 1 }).fit(X);
 * model.labels; model.clusterCenters; model.predict(Y);
 * ```
 */
export class KMeans {
  readonly options: Readonly<KMeansOptions>;

  constructor(options: KMeansOptions = {}) {
    this.options = { ...options };
  }

  /** Fits k-means on X (n x d); `sampleWeight` weights each sample in the centre updates and inertia. */
  fit(X: MatrixLike, fitOptions: FitOptions = {}): KMeansModel {
    const m = asMatrix(X);
    const o = this.options;
    const k = o.nClusters ?? 8;
    checkNClusters(k, m.rows);
    const maxIter = checkInt(o.maxIter ?? 300, "maxIter", 1);
    const tol = checkNumber(o.tol ?? 1e-4, "tol", { min: 0 });
    const algorithm = checkChoice(o.algorithm ?? "lloyd", "algorithm", ["lloyd", "elkan"]);
    const logger = o.logger ?? consoleLogger;
    const w = checkSampleWeight(fitOptions.sampleWeight, m.rows);
    const init = resolveInit(o.init, k, m.cols);
    const nInit = resolveNInit(o.nInit, init, 10, "KMeans", logger);
    const rng = new Random(checkNumber(o.seed ?? 0, "seed"));
    const tolAbs = scaledTolerance(m, tol);
    // Same result either way: "elkan" takes the faster exact variant for the dimension.
    const run = algorithm === "elkan" && m.cols >= ELKAN_MIN_FEATURES ? runElkan : runLloyd;

    let best: KMeansRun | undefined;
    for (let r = 0; r < nInit; r++) {
      const centers = initialCenters(m, k, init, w, rng);
      const res = run(m, w, centers, k, { maxIter, tol: tolAbs, run: r, onIteration: o.onIteration });
      if (best === undefined || (res.inertia < best.inertia && !sameClustering(res.labels, best.labels, k))) best = res;
    }
    const b = best as KMeansRun;
    warnDistinct(b.labels, k, logger);
    return new KMeansModel({
      labels: b.labels,
      clusterCenters: { rows: k, cols: m.cols, data: b.centers },
      inertia: b.inertia,
      nIter: b.nIter,
      converged: b.converged,
    });
  }

  /** `fit(X).labels`. */
  fitPredict(X: MatrixLike, fitOptions: FitOptions = {}): Int32Array {
    return this.fit(X, fitOptions).labels;
  }
}

/** A fitted k-means model: centres, training labels and inertia. Immutable. */
export class KMeansModel implements ClusterModel {
  /** Cluster index of each training sample. */
  readonly labels: Int32Array;
  /** The k centres (k x d). */
  readonly clusterCenters: Matrix;
  /** Weighted sum of squared distances of the training samples to their centre. */
  readonly inertia: number;
  /** Iterations run by the kept run. */
  readonly nIter: number;
  /** Whether the kept run stopped on convergence (labels unchanged, or centre shift within tolerance) rather than on maxIter. */
  readonly converged: boolean;
  /** Number of centres k. */
  readonly nClusters: number;
  /** Number of features seen in fit. */
  readonly nFeaturesIn: number;

  constructor(fields: KMeansModelFields) {
    this.labels = fields.labels;
    this.clusterCenters = fields.clusterCenters;
    this.inertia = fields.inertia;
    this.nIter = fields.nIter;
    this.converged = fields.converged;
    this.nClusters = fields.clusterCenters.rows;
    this.nFeaturesIn = fields.clusterCenters.cols;
  }

  /** Index of the nearest centre for each row of X (ties: lowest index). */
  predict(X: MatrixLike): Int32Array {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const labels = new Int32Array(m.rows);
    assignNearest(m.data, m.rows, m.cols, this.clusterCenters.data, this.nClusters, labels);
    return labels;
  }

  /** Euclidean distance from each row of X to each centre (n x k). */
  transform(X: MatrixLike): Matrix {
    return centerDistances(asMatrix(X, { cols: this.nFeaturesIn }), this.clusterCenters);
  }

  /** Opposite of the (weighted) inertia of X on this model's centres, as scikit-learn's `score`. */
  score(X: MatrixLike, options: FitOptions = {}): number {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const w = checkSampleWeight(options.sampleWeight, m.rows);
    const labels = new Int32Array(m.rows);
    assignNearest(m.data, m.rows, m.cols, this.clusterCenters.data, this.nClusters, labels);
    return -inertiaOf(m.data, m.rows, m.cols, this.clusterCenters.data, labels, w);
  }

  toJSON(): ModelJSON {
    return {
      type: "KMeansModel",
      version: 1,
      ...centroidFieldsToJSON(this),
    };
  }

  static fromJSON(json: ModelJSON): KMeansModel {
    checkModelJSON(json, "KMeansModel");
    return new KMeansModel(centroidFieldsFromJSON(json));
  }
}

registerModel("KMeansModel", (json) => KMeansModel.fromJSON(json));
