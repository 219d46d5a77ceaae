import { invalid, ValidationError } from "../errors.js";
import type { ClusterModel, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import { type Matrix, type MatrixLike, matrix, toRows } from "../matrix.js";
import { type NeighborAlgorithm, resolveNeighborAlgorithm } from "../neighbors/neighborAlgorithm.js";
import { registerModel } from "../serialize.js";
import { asLabels, asMatrix, checkInt, checkNumber } from "../validate.js";
import { estimateBandwidth } from "./estimateBandwidth.js";
import { binSeeds, climbSeeds, mergeCenters, nearestCenters, RadiusSearch } from "./meanShiftKernels.js";

/** Options for `MeanShift` (names and semantics follow scikit-learn 1.9's `MeanShift`). */
export interface MeanShiftOptions {
  /**
   * Radius of the flat kernel (a finite number > 0). Default: `estimateBandwidth(X, { quantile, nSamples,
   * seed })`, scikit-learn's default (quantile 0.3, all samples).
   */
  bandwidth?: number;
  /** Quantile for the default bandwidth (see `estimateBandwidth`). Default 0.3. Ignored with `bandwidth`. */
  quantile?: number;
  /**
   * Samples used to estimate the default bandwidth (a random subset drawn with `seed`; see
   * `estimateBandwidth`). Default: all. Ignored with `bandwidth`.
   */
  nSamples?: number;
  /** Seed for the `nSamples` subset. Default 0. Mean shift itself is deterministic. */
  seed?: number;
  /**
   * Starting points of the hill climbing (m x d). Default: the bin seeds with `binSeeding`, else every
   * sample.
   */
  seeds?: MatrixLike;
  /**
   * Start from a grid of spacing `bandwidth` instead of every sample: each sample is snapped to the grid
   * (round half to even of x / bandwidth) and the grid points holding at least `minBinFreq` samples are the
   * seeds. When that keeps as many seeds as samples, a warning is logged and the samples are used. Ignored
   * with `seeds`. Default false.
   */
  binSeeding?: boolean;
  /** With `binSeeding`, the fewest samples a grid point needs to become a seed (an integer >= 1). Default 1. */
  minBinFreq?: number;
  /**
   * true: every sample gets the label of its nearest centre. false: samples farther than `bandwidth` from
   * every centre (orphans) get -1. Default true.
   */
  clusterAll?: boolean;
  /** Most iterations per seed (an integer >= 0; the climb from a seed stops after this many). Default 300. */
  maxIter?: number;
  /**
   * Radius search: `"kdtree"`, `"brute"`, or `"auto"` (k-d tree up to 15 features). All give the same
   * neighbour sets. Default `"auto"`.
   */
  algorithm?: NeighborAlgorithm;
  /** Receives warnings (bin seeding fell back to the samples). Default `consoleLogger`. */
  logger?: Logger;
}

/**
 * Mean shift clustering with a flat kernel (scikit-learn 1.9 semantics): from every seed, the point moves
 * to the mean of the samples within `bandwidth` until it moves by at most 1e-3 * bandwidth (or after
 * `maxIter` iterations). The end points are merged into centres (sorted by the number of samples in their
 * window, then by coordinates, descending; each kept centre suppresses later ones within `bandwidth`), and
 * every sample is labelled with its nearest centre.
 *
 * Agreement with scikit-learn: the same centres (to rounding of the mean: summation order differs), labels
 * and `nIter`. Two documented differences: bin seeds are always float64 (scikit-learn rounds them to float32
 * when `bandwidth` is a Python float; pass `np.float64(bandwidth)` there to compare), and the `nSamples`
 * subset of the bandwidth estimate uses Clusterlab's random stream. Memory O(n d); time O(seeds x
 * iterations x radius query).
 *
 * ```ts
 * const model = new MeanShift({ bandwidth: 2 }).fit(X);
 * model.clusterCenters; model.labels; model.predict(Y);
 * ```
 */
export class MeanShift {
  readonly options: Readonly<MeanShiftOptions>;

  constructor(options: MeanShiftOptions = {}) {
    this.options = { ...options };
  }

  /** Fits mean shift on X (n x d). */
  fit(X: MatrixLike): MeanShiftModel {
    const m = asMatrix(X);
    const o = this.options;
    const n = m.rows;
    const d = m.cols;
    const maxIter = checkInt(o.maxIter ?? 300, "maxIter", 0);
    const minBinFreq = checkInt(o.minBinFreq ?? 1, "minBinFreq", 1);
    const clusterAll = o.clusterAll ?? true;
    const binSeeding = o.binSeeding ?? false;
    if (typeof clusterAll !== "boolean") throw invalid("clusterAll", clusterAll, "must be a boolean");
    if (typeof binSeeding !== "boolean") throw invalid("binSeeding", binSeeding, "must be a boolean");
    const logger = o.logger ?? consoleLogger;
    const useTree = resolveNeighborAlgorithm(o.algorithm ?? "auto", "euclidean", d) === "kdtree";

    let bandwidth: number;
    if (o.bandwidth === undefined) {
      bandwidth = estimateBandwidth(m, { quantile: o.quantile, nSamples: o.nSamples, seed: o.seed });
      if (!(bandwidth > 0)) {
        throw invalid(
          "bandwidth",
          bandwidth,
          "estimated from X as 0 (too many duplicate samples); pass a bandwidth > 0",
        );
      }
    } else {
      bandwidth = checkNumber(o.bandwidth, "bandwidth", { min: 0, minExclusive: true });
    }

    let seeds: Float64Array;
    let nSeeds: number;
    if (o.seeds !== undefined) {
      const s = asMatrix(o.seeds, { name: "seeds", cols: d });
      seeds = s.data;
      nSeeds = s.rows;
    } else if (binSeeding) {
      const bins = binSeeds(m, bandwidth, minBinFreq);
      if (bins === null) {
        logger.warn(
          `MeanShift: binning data failed with bin size ${bandwidth} (one bin per sample); using the samples as seeds`,
        );
        seeds = m.data;
        nSeeds = n;
      } else {
        if (bins.count === 0)
          throw invalid("minBinFreq", minBinFreq, "no bin holds that many samples, so there are no seeds");
        seeds = bins.seeds;
        nSeeds = bins.count;
      }
    } else {
      seeds = m.data;
      nSeeds = n;
    }

    const search = new RadiusSearch(m, useTree);
    const climb = climbSeeds(m, seeds, nSeeds, bandwidth, maxIter, search);
    const centers = mergeCenters(climb.means, climb.intensity, nSeeds, d, bandwidth, useTree);
    if (centers.rows === 0) {
      throw invalid("bandwidth", bandwidth, "no sample lies within it of any seed; increase it or change the seeds");
    }
    const labels = new Int32Array(n);
    const dist = new Float64Array(n);
    nearestCenters(m, centers, useTree, labels, dist);
    if (!clusterAll) for (let i = 0; i < n; i++) if (dist[i] > bandwidth) labels[i] = -1;
    return new MeanShiftModel({ clusterCenters: centers, labels, nIter: climb.nIter, bandwidth, clusterAll });
  }

  /** `fit(X).labels`. */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).labels;
  }
}

/** The fields of a `MeanShiftModel`. */
export interface MeanShiftModelFields {
  clusterCenters: Matrix;
  labels: Int32Array;
  nIter: number;
  bandwidth: number;
  clusterAll: boolean;
}

/** A fitted mean shift model: centres (modes), training labels, the bandwidth used. Immutable. */
export class MeanShiftModel implements ClusterModel {
  /** The modes found, most populated first (nClusters x d). */
  readonly clusterCenters: Matrix;
  /** Index of the nearest centre for each training sample; -1 for orphans when `clusterAll` is false. */
  readonly labels: Int32Array;
  /** Largest number of iterations any seed needed (scikit-learn's `n_iter_`). */
  readonly nIter: number;
  /** The kernel bandwidth used (given or estimated). */
  readonly bandwidth: number;
  /** Whether orphans were labelled (true) or given -1 (false) in fit. */
  readonly clusterAll: boolean;
  readonly nClusters: number;
  readonly nFeaturesIn: number;

  constructor(fields: MeanShiftModelFields) {
    this.clusterCenters = fields.clusterCenters;
    this.labels = fields.labels;
    this.nIter = fields.nIter;
    this.bandwidth = fields.bandwidth;
    this.clusterAll = fields.clusterAll;
    this.nClusters = fields.clusterCenters.rows;
    this.nFeaturesIn = fields.clusterCenters.cols;
  }

  /**
   * Index of the nearest centre for each row of X (ties: the lower index). Like scikit-learn's `predict`,
   * this ignores `clusterAll`: every row gets a centre.
   */
  predict(X: MatrixLike): Int32Array {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const labels = new Int32Array(m.rows);
    nearestCenters(m, this.clusterCenters, false, labels);
    return labels;
  }

  toJSON(): ModelJSON {
    return {
      type: "MeanShiftModel",
      version: 1,
      nFeaturesIn: this.nFeaturesIn,
      bandwidth: this.bandwidth,
      clusterAll: this.clusterAll,
      nIter: this.nIter,
      clusterCenters: toRows(this.clusterCenters),
      labels: Array.from(this.labels),
    };
  }

  static fromJSON(json: ModelJSON): MeanShiftModel {
    if (json == null || json.type !== "MeanShiftModel" || json.version !== 1) {
      throw new ValidationError(
        `invalid model JSON: expected MeanShiftModel version 1, got ${json?.type} ${json?.version}`,
      );
    }
    const nFeaturesIn = checkInt(json.nFeaturesIn as number, "nFeaturesIn", 1);
    const rows = json.clusterCenters as number[][];
    const clusterCenters =
      Array.isArray(rows) && rows.length === 0
        ? matrix(0, nFeaturesIn)
        : asMatrix(rows, { name: "clusterCenters", cols: nFeaturesIn });
    return new MeanShiftModel({
      clusterCenters,
      labels: asLabels(json.labels as number[]),
      nIter: checkInt(json.nIter as number, "nIter", 0),
      bandwidth: checkNumber(json.bandwidth as number, "bandwidth", { min: 0, minExclusive: true }),
      clusterAll: Boolean(json.clusterAll),
    });
  }
}

registerModel("MeanShiftModel", (json) => MeanShiftModel.fromJSON(json));
