import { ValidationError } from "../errors.js";
import type { ClusterModel, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix } from "../matrix.js";
import type { Frame } from "../preprocessing/frame.js";
import { Random } from "../random.js";
import { registerModel } from "../serialize.js";
import { checkChoice, checkInt, checkNClusters, checkNumber } from "../validate.js";
import { CATEGORY_ORDERS, type CategoricalCodes, type CategoryOrder } from "./categoricalCodes.js";
import {
  type CatData,
  categoryIndex,
  codesForPredict,
  codesToModes,
  distinctRowsUpTo,
  expectModelJSON,
  initCao,
  initHuang,
  initRandomRows,
  makeCatData,
  maxKey,
  mismatch,
  modesToCodes,
  movePointCat,
  newModeState,
  prepareCategorical,
  readCategoryRows,
  readStrings,
  runSeeds,
} from "./internal.js";
import {
  assignInitial,
  iterateModes,
  labelsCost,
  type ModesIteration,
  readRunFields,
  runFieldsToJSON,
} from "./internalModes.js";

/**
 * Initial modes: `"cao"` (Cao, Liang and Bai, 2009: density and distance, deterministic),
 * `"huang"` (Huang, 1998: attributes drawn with the category frequencies, then moved to the nearest
 * distinct row), `"random"` (rows drawn uniformly, with replacement), or explicit modes: one row of
 * category names (`string`, or `null` for the missing category) per cluster, in column order.
 */
export type KModesInit = "huang" | "cao" | "random" | ReadonlyArray<ReadonlyArray<string | null>>;

/** Options for `KModes` (names and semantics follow the `kmodes` package's `KModes`, version 0.12). */
export interface KModesOptions {
  /**
   * Number of clusters k: an integer in [1, n]. Default 8, or the number of rows of an explicit
   * `init`. When the data has at most k distinct rows, those rows become the modes (in order of first
   * appearance), no iteration is run, and the model has that many clusters (a warning is logged when
   * it is fewer than k).
   */
  nClusters?: number;
  /** Initial modes (see `KModesInit`). Default `"cao"`, as the `kmodes` package. */
  init?: KModesInit;
  /**
   * Number of runs from different initialisations; the run with the lowest cost is kept (the first
   * on ties). Default 10. `"cao"` and explicit modes are deterministic and give a single run.
   */
  nInit?: number;
  /** Maximum iterations (passes over the data) per run: an integer >= 1. Default 100. */
  maxIter?: number;
  /** Seed for the initialisation and the random choices for empty clusters. Default 0. */
  seed?: number;
  /**
   * Frame input: the columns to cluster on, each treated as categorical (a numeric column's distinct
   * values become categories, NaN the missing one). Default: the string columns (numeric columns are
   * skipped with a warning). `CategoricalCodes` input: a subset of its named columns. Default all.
   */
  columns?: readonly string[];
  /**
   * How categories are numbered, which decides ties between equally frequent categories (the smallest
   * code wins): `"sorted"` (default, as `kmodes`), or `"appearance"` (first appearance; results are then
   * invariant to renaming categories). Ignored for `CategoricalCodes` input, whose codes are used as given.
   */
  categoryOrder?: CategoryOrder;
  /** Receives warnings (fewer distinct rows than clusters, ignored numeric columns, nInit ignored). Default `consoleLogger`. */
  logger?: Logger;
}

/** The result of one run: its final modes, labels, cost, passes and cost per pass. */
interface ModesRun extends ModesIteration {
  modes: Int32Array;
}

/**
 * K-modes clustering of categorical data (Huang, 1998): k-means with modes for means and the simple
 * matching dissimilarity (the number of attributes that differ) for distance. From the same initial
 * modes it returns the labels, modes, cost and iteration count of the `kmodes` package (de Vos,
 * version 0.12), whose algorithm it follows step by step: points are visited in order and moved one
 * at a time, each move updating both modes at once; a pass ends the run when no point moved or the
 * cost did not decrease; ties between modes go to the lowest cluster index, ties between categories to
 * the smallest code. Random draws (Huang's and random initialisation, empty-cluster repair) come
 * from Clusterlab's seeded `Random` instead of numpy's, so seeded results differ from the package's.
 *
 * Input: a `Frame` (string columns; see `columns`) or `CategoricalCodes`. A missing value (`null`)
 * is a category of its own: two missing values match, a missing and a present value differ.
 *
 * ```ts
 * const model = new KModes({ nClusters: 3, columns: ["species", "island", "sex"] }).fit(penguins);
 * model.labels; model.clusterCentroids; model.predict(newRows);
 * ```
 */
export class KModes {
  readonly options: Readonly<KModesOptions>;

  constructor(options: KModesOptions = {}) {
    this.options = { ...options };
  }

  /** Fits k-modes; see the class notes. */
  fit(X: Frame | CategoricalCodes): KModesModel {
    const o = this.options;
    const logger = o.logger ?? consoleLogger;
    const order = checkChoice(o.categoryOrder ?? "sorted", "categoryOrder", CATEGORY_ORDERS);
    const prep = prepareCategorical(X, o.columns, order, logger, "KModes");
    const { names, categories, codes, n } = prep;
    const p = names.length;
    const initOpt = o.init ?? "cao";
    let init: "huang" | "cao" | "random" | Int32Array;
    let k: number;
    if (typeof initOpt === "string") {
      init = checkChoice<"huang" | "cao" | "random">(initOpt, "init", ["huang", "cao", "random"]);
      k = o.nClusters ?? 8;
    } else {
      init = modesToCodes(initOpt, names, categoryIndex(categories), "init");
      k = o.nClusters ?? initOpt.length;
      if (initOpt.length !== k) {
        throw new ValidationError(`invalid init: ${initOpt.length} modes, expected nClusters = ${k}`);
      }
    }
    checkNClusters(k, n);
    let maxIter = checkInt(o.maxIter ?? 100, "maxIter", 1);
    let nInit = checkInt(o.nInit ?? 10, "nInit", 1);
    const seed = checkNumber(o.seed ?? 0, "seed");
    const data = makeCatData(codes, n, categories);

    const distinct = distinctRowsUpTo(n, (i) => codes.subarray(i * p, i * p + p).join(","), k);
    if (distinct !== null) {
      if (distinct.length < k) {
        logger.warn(
          `KModes: only ${distinct.length} distinct rows for nClusters=${k}; the distinct rows are the modes (${distinct.length} clusters)`,
        );
      }
      k = distinct.length;
      const modes = new Int32Array(k * p);
      for (let c = 0; c < k; c++) modes.set(codes.subarray(distinct[c] * p, distinct[c] * p + p), c * p);
      init = modes;
      maxIter = 0;
      nInit = 1;
    } else if (init === "cao" || init instanceof Int32Array) {
      if (o.nInit !== undefined && o.nInit > 1) {
        logger.warn(
          `KModes: init ${init === "cao" ? '"cao"' : "with explicit modes"} is deterministic; nInit=${o.nInit} ignored (1 run)`,
        );
      }
      nInit = 1;
    }

    const seeds = runSeeds(new Random(seed), nInit);
    let best: ModesRun | undefined;
    for (const s of seeds) {
      const run = kModesRun(data, k, maxIter, init, new Random(s));
      if (best === undefined || run.cost < best.cost) best = run;
    }
    const b = best as ModesRun;
    return new KModesModel({
      columns: names,
      categories,
      clusterCentroids: codesToModes(b.modes, k, categories),
      labels: b.labels,
      cost: b.cost,
      nIter: b.nIter,
      epochCosts: Float64Array.from(b.epochCosts),
    });
  }

  /** `fit(X).labels`. */
  fitPredict(X: Frame | CategoricalCodes): Int32Array {
    return this.fit(X).labels;
  }
}

/** One k-modes run (kmodes' `_k_modes_single`). */
function kModesRun(
  data: CatData,
  k: number,
  maxIter: number,
  init: "huang" | "cao" | "random" | Int32Array,
  rng: Random,
): ModesRun {
  const { n, p, codes, nCat, offsets } = data;
  const total = offsets[p];
  const modes =
    init === "huang"
      ? initHuang(data, k, rng)
      : init === "cao"
        ? initCao(data, k)
        : init === "random"
          ? initRandomRows(data, k, rng)
          : init.slice();
  const s = newModeState(data, k, modes);
  const dissim = (i: number, c: number) => mismatch(codes, i, modes, c, p);
  assignInitial(data, s, dissim);
  // Initial mode update; an empty cluster gets a random category per attribute.
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < p; j++) {
      modes[c * p + j] =
        s.sizes[c] === 0 ? codes[rng.int(n) * p + j] : maxKey(s.counts, c * total + offsets[j], nCat[j]);
    }
  }
  const move = (i: number, to: number, from: number) => movePointCat(data, s, i, to, from);
  const run = iterateModes(s, n, maxIter, rng, dissim, move, move);
  return { modes, ...run };
}

/** Fields of a `KModesModel`. */
export interface KModesModelFields {
  /** Column names, in the order of the modes' entries. */
  columns: readonly string[];
  /** Categories of each column, indexed by code (`null` = the missing category). */
  categories: ReadonlyArray<ReadonlyArray<string | null>>;
  /** The k modes, as category names (k rows x columns). */
  clusterCentroids: ReadonlyArray<ReadonlyArray<string | null>>;
  labels: Int32Array;
  cost: number;
  nIter: number;
  epochCosts: Float64Array;
}

/**
 * A fitted k-modes model. Immutable. It has the `ClusterModel` fields, but `predict` takes a `Frame`
 * (columns found by name) or `CategoricalCodes` rather than a numeric matrix.
 */
export class KModesModel implements Omit<ClusterModel, "predict"> {
  /** Cluster index of each training row (nearest final mode, lowest index on ties). */
  readonly labels: Int32Array;
  /** The modes: one row of category names per cluster (`null` = the missing category). */
  readonly clusterCentroids: ReadonlyArray<ReadonlyArray<string | null>>;
  /** Sum over training rows of the number of attributes differing from their mode. */
  readonly cost: number;
  /** Passes over the data in the kept run (0 when the distinct rows were taken as modes). */
  readonly nIter: number;
  /** Cost after the initial mode update and after each pass. */
  readonly epochCosts: Float64Array;
  /** Column names seen in fit. */
  readonly columns: readonly string[];
  /** Categories of each column seen in fit, indexed by code. */
  readonly categories: ReadonlyArray<ReadonlyArray<string | null>>;
  /** Number of clusters (modes). */
  readonly nClusters: number;
  /** Number of columns seen in fit. */
  readonly nFeaturesIn: number;
  private readonly modeCodes: Int32Array;
  private readonly index: Map<string | null, number>[];

  constructor(fields: KModesModelFields) {
    this.columns = [...fields.columns];
    this.categories = fields.categories.map((c) => [...c]);
    this.clusterCentroids = fields.clusterCentroids.map((r) => [...r]);
    this.labels = fields.labels;
    this.cost = fields.cost;
    this.nIter = fields.nIter;
    this.epochCosts = fields.epochCosts;
    this.nClusters = this.clusterCentroids.length;
    this.nFeaturesIn = this.columns.length;
    if (this.categories.length !== this.nFeaturesIn) {
      throw new ValidationError(`invalid categories: ${this.categories.length} lists for ${this.nFeaturesIn} columns`);
    }
    this.index = categoryIndex(this.categories);
    this.modeCodes = modesToCodes(this.clusterCentroids, this.columns, this.index, "clusterCentroids");
  }

  /**
   * Nearest mode of each row (lowest index on ties). Columns are found by name (extra columns are
   * ignored); a category not seen in fit matches no mode; `null` matches the missing category.
   */
  predict(X: Frame | CategoricalCodes): Int32Array {
    const { codes, n } = codesForPredict(X, this.columns, this.index);
    const p = this.nFeaturesIn;
    const modes = this.modeCodes;
    return labelsCost(n, this.nClusters, (i, c) => mismatch(codes, i, modes, c, p)).labels;
  }

  /** Matching dissimilarity (number of differing attributes) of each row to each mode: n x k. */
  transform(X: Frame | CategoricalCodes): Matrix {
    const { codes, n } = codesForPredict(X, this.columns, this.index);
    const p = this.nFeaturesIn;
    const k = this.nClusters;
    const data = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) data[i * k + c] = mismatch(codes, i, this.modeCodes, c, p);
    return { rows: n, cols: k, data };
  }

  toJSON(): ModelJSON {
    return {
      type: "KModesModel",
      version: 1,
      columns: [...this.columns],
      categories: this.categories.map((c) => [...c]),
      clusterCentroids: this.clusterCentroids.map((r) => [...r]),
      ...runFieldsToJSON(this),
    };
  }

  static fromJSON(json: ModelJSON): KModesModel {
    const j = expectModelJSON(json, "KModesModel");
    const columns = readStrings(j, "columns");
    return new KModesModel({
      columns,
      categories: readCategoryRows(j, "categories"),
      clusterCentroids: readCategoryRows(j, "clusterCentroids", columns.length),
      ...readRunFields(j),
    });
  }
}

registerModel("KModesModel", (json) => KModesModel.fromJSON(json));
