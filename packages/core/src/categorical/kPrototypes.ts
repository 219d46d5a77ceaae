import { ClusterlabError, invalid, ValidationError } from "../errors.js";
import type { ClusterModel, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { checkFrame, type Frame, frameColumn, isNumericColumn } from "../preprocessing/frame.js";
import { Random } from "../random.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkChoice, checkInt, checkNClusters, checkNumber } from "../validate.js";
import { CATEGORY_ORDERS, type CategoryOrder } from "./categoricalCodes.js";
import {
  type CatData,
  categoryIndex,
  codesForPredict,
  codesToModes,
  distinctRowsUpTo,
  encodeColumn,
  expectModelJSON,
  initCao,
  initHuang,
  initRandomRows,
  type ModeState,
  makeCatData,
  maxKey,
  mismatch,
  modesToCodes,
  movePointCat,
  newModeState,
  numericBlock,
  readCategoryRows,
  readNumber,
  readStrings,
  runSeeds,
} from "./internal.js";
import {
  assignInitial,
  iterateModes,
  labelsCost,
  type ModesIteration,
  type RowDissimilarity,
  readRunFields,
  runFieldsToJSON,
} from "./internalModes.js";

/** Explicit initial prototypes for `KPrototypes`: numeric means and categorical modes, one row per cluster. */
export interface KPrototypesInitPrototypes {
  /** k x (numeric columns) initial means, columns in frame order. */
  numeric: MatrixLike;
  /** k x (categorical columns) initial modes as category names, columns in the order of `categorical`. */
  categorical: ReadonlyArray<ReadonlyArray<string | null>>;
}

/**
 * Initial prototypes: `"cao"`, `"huang"` or `"random"` choose the categorical modes as in `KModes`,
 * and the numeric means are drawn from a normal distribution with each column's mean and standard
 * deviation (as the `kmodes` package does); or explicit prototypes.
 */
export type KPrototypesInit = "huang" | "cao" | "random" | KPrototypesInitPrototypes;

/** Options for `KPrototypes` (names and semantics follow the `kmodes` package's `KPrototypes`, version 0.12). */
export interface KPrototypesOptions {
  /**
   * Number of clusters k: an integer in [1, n]. Default 8, or the number of explicit prototypes. When
   * the data has at most k distinct rows, those rows are the prototypes and no iteration is run.
   */
  nClusters?: number;
  /** Initial prototypes (see `KPrototypesInit`). Default `"cao"`. */
  init?: KPrototypesInit;
  /**
   * Number of runs; the lowest cost is kept (the first on ties). Default 10 (also for `"cao"`, whose
   * numeric part is random). Explicit prototypes give one run.
   */
  nInit?: number;
  /** Maximum passes over the data per run: an integer >= 1. Default 100. */
  maxIter?: number;
  /** Seed for the initialisation and the empty-cluster repairs. Default 0. */
  seed?: number;
  /**
   * Weight of a categorical mismatch against squared Euclidean distance: the dissimilarity of a row
   * to a prototype is `sum (x - mean)^2 + gamma * (number of categorical mismatches)`. Default, as
   * the `kmodes` package (after Huang, 1997): half the mean of the numeric columns' (population)
   * standard deviations.
   */
  gamma?: number;
  /**
   * The categorical columns, in this order. Default: the string columns of the frame. A numeric
   * column named here is categorical (its distinct values are the categories). All other columns are
   * numeric, used as given: put them on comparable scales first (e.g. `StandardScaler`), since their
   * squared differences are summed; they must be complete (impute or drop missing values first).
   */
  categorical?: readonly string[];
  /** How categories are numbered (tie-breaks between equally frequent categories); see `KModesOptions`. Default `"sorted"`. */
  categoryOrder?: CategoryOrder;
  /** Receives warnings (fewer distinct rows than clusters, nInit ignored). Default `consoleLogger`. */
  logger?: Logger;
}

const MAX_INIT_TRIES = 20;
const RAISE_INIT_TRIES = 100;

interface ProtoRun extends ModesIteration {
  num: Float64Array;
  modes: Int32Array;
}

interface MixedData {
  cat: CatData;
  num: Float64Array;
  dn: number;
  gamma: number;
}

/**
 * K-prototypes clustering of mixed numeric and categorical data (Huang, 1997, 1998): each cluster
 * has a prototype of numeric means and categorical modes; the dissimilarity of a row to a prototype
 * is the squared Euclidean distance on the numeric columns plus `gamma` times the number of
 * categorical mismatches. From the same initial prototypes (and gamma) it returns the labels,
 * prototypes, cost and iteration count of the `kmodes` package's `KPrototypes` (version 0.12), whose
 * algorithm it follows step by step (see `KModes`), including its handling of empty clusters: an
 * initialisation leaving a cluster empty is redrawn (after 20 tries with `"random"`; an error after
 * 100), and a cluster emptied by a move gets a random row of the largest cluster (its numeric mean is
 * then refreshed at its next move, as in the package). Random draws come from Clusterlab's `Random`.
 *
 * Missing categorical values (`null`) are a category of their own; missing numeric values are an error.
 *
 * ```ts
 * const X = frame({ bill: scaledBill, mass: scaledMass, species, island });
 * const model = new KPrototypes({ nClusters: 3 }).fit(X);
 * model.clusterCentroids.numeric; model.clusterCentroids.categorical;
 * ```
 */
export class KPrototypes {
  readonly options: Readonly<KPrototypesOptions>;

  constructor(options: KPrototypesOptions = {}) {
    this.options = { ...options };
  }

  /** Fits k-prototypes; every frame column is used (numeric, or categorical per `categorical`). */
  fit(X: Frame): KPrototypesModel {
    const o = this.options;
    const logger = o.logger ?? consoleLogger;
    if (X == null || typeof X !== "object" || !Array.isArray((X as Frame).columns)) {
      throw new ValidationError(`invalid X: expected a Frame, got ${X === null ? "null" : typeof X}`);
    }
    checkFrame(X);
    const order = checkChoice(o.categoryOrder ?? "sorted", "categoryOrder", CATEGORY_ORDERS);
    let catNames: string[];
    if (o.categorical === undefined) {
      catNames = X.names.filter((_, j) => !isNumericColumn(X.columns[j]));
    } else {
      for (const c of o.categorical) frameColumn(X, c);
      if (new Set(o.categorical).size !== o.categorical.length) {
        throw invalid("categorical", o.categorical, "names must be distinct");
      }
      catNames = [...o.categorical];
    }
    const numNames = X.names.filter((nm) => !catNames.includes(nm));
    if (catNames.length === 0) {
      throw new ValidationError(
        "invalid X: no categorical columns (k-prototypes needs some; use KMeans for numeric data)",
      );
    }
    if (numNames.length === 0) {
      throw new ValidationError("invalid X: no numeric columns (all columns are categorical; use KModes)");
    }
    for (const nm of numNames) {
      if (!isNumericColumn(frameColumn(X, nm))) {
        throw new ValidationError(
          `invalid X: column ${JSON.stringify(nm)} holds strings but is not named in \`categorical\` (${catNames.join(", ")})`,
        );
      }
    }
    const n = X.rows;
    const dn = numNames.length;
    const p = catNames.length;
    const num = numericBlock(X, numNames);
    const categories: (string | null)[][] = [];
    const codes = new Int32Array(n * p);
    for (let j = 0; j < p; j++) {
      const enc = encodeColumn(frameColumn(X, catNames[j]), order);
      categories.push(enc.categories);
      for (let i = 0; i < n; i++) codes[i * p + j] = enc.codes[i];
    }
    const cat = makeCatData(codes, n, categories);

    const initOpt = o.init ?? "cao";
    let init: "huang" | "cao" | "random" | { num: Float64Array; modes: Int32Array };
    let k: number;
    if (typeof initOpt === "string") {
      init = checkChoice<"huang" | "cao" | "random">(initOpt, "init", ["huang", "cao", "random"]);
      k = o.nClusters ?? 8;
    } else {
      if (typeof initOpt !== "object" || initOpt === null || initOpt.numeric == null || initOpt.categorical == null) {
        throw invalid("init", initOpt, 'must be "huang", "cao", "random" or { numeric, categorical }');
      }
      const m = asMatrix(initOpt.numeric, { name: "init.numeric", cols: dn });
      const modes = modesToCodes(initOpt.categorical, catNames, categoryIndex(categories), "init.categorical");
      k = o.nClusters ?? m.rows;
      if (m.rows !== k || initOpt.categorical.length !== k) {
        throw new ValidationError(
          `invalid init: ${m.rows} numeric and ${initOpt.categorical.length} categorical prototypes, expected nClusters = ${k}`,
        );
      }
      init = { num: m.data.slice(), modes };
    }
    checkNClusters(k, n);
    let maxIter = checkInt(o.maxIter ?? 100, "maxIter", 1);
    let nInit = checkInt(o.nInit ?? 10, "nInit", 1);
    const seed = checkNumber(o.seed ?? 0, "seed");
    const gamma = o.gamma === undefined ? defaultGamma(num, n, dn) : checkNumber(o.gamma, "gamma", { min: 0 });

    const distinct = distinctRowsUpTo(
      n,
      (i) => `${Array.from(num.subarray(i * dn, i * dn + dn)).join(",")}|${codes.subarray(i * p, i * p + p).join(",")}`,
      k,
    );
    if (distinct !== null) {
      if (distinct.length < k) {
        logger.warn(
          `KPrototypes: only ${distinct.length} distinct rows for nClusters=${k}; the distinct rows are the prototypes (${distinct.length} clusters)`,
        );
      }
      k = distinct.length;
      const pn = new Float64Array(k * dn);
      const pm = new Int32Array(k * p);
      for (let c = 0; c < k; c++) {
        const r = distinct[c];
        pn.set(num.subarray(r * dn, r * dn + dn), c * dn);
        pm.set(codes.subarray(r * p, r * p + p), c * p);
      }
      init = { num: pn, modes: pm };
      maxIter = 0;
      nInit = 1;
    } else if (typeof init !== "string") {
      if (o.nInit !== undefined && o.nInit > 1) {
        logger.warn(`KPrototypes: explicit initial prototypes are deterministic; nInit=${o.nInit} ignored (1 run)`);
      }
      nInit = 1;
    }

    const data: MixedData = { cat, num, dn, gamma };
    const seeds = runSeeds(new Random(seed), nInit);
    let best: ProtoRun | undefined;
    for (const s of seeds) {
      const run = kPrototypesRun(data, k, maxIter, init, new Random(s));
      if (best === undefined || run.cost < best.cost) best = run;
    }
    const b = best as ProtoRun;
    return new KPrototypesModel({
      numericColumns: numNames,
      categoricalColumns: catNames,
      categories,
      numericCentroids: { rows: k, cols: dn, data: b.num },
      categoricalCentroids: codesToModes(b.modes, k, categories),
      gamma,
      labels: b.labels,
      cost: b.cost,
      nIter: b.nIter,
      epochCosts: Float64Array.from(b.epochCosts),
    });
  }

  /** `fit(X).labels`. */
  fitPredict(X: Frame): Int32Array {
    return this.fit(X).labels;
  }
}

/** Column means and population standard deviations, summed left to right. */
function meanStd(num: Float64Array, n: number, dn: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(dn);
  const std = new Float64Array(dn);
  for (let a = 0; a < dn; a++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += num[i * dn + a];
    const m = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const d = num[i * dn + a] - m;
      v += d * d;
    }
    mean[a] = m;
    std[a] = Math.sqrt(v / n);
  }
  return { mean, std };
}

/** 0.5 x the mean of the numeric columns' population standard deviations (kmodes' default gamma). */
function defaultGamma(num: Float64Array, n: number, dn: number): number {
  const { std } = meanStd(num, n, dn);
  let s = 0;
  for (let a = 0; a < dn; a++) s += std[a];
  return 0.5 * (s / dn);
}

/**
 * The dissimilarity of a row to a prototype: the squared Euclidean distance of row i to prototype
 * c's means (`protoNum`, k x dn) plus gamma x the mismatches with its mode (`modes`, k x p). The
 * arrays are read at each call, so updates of the prototypes are seen.
 */
function protoDissimilarity(data: MixedData, protoNum: Float64Array, modes: Int32Array): RowDissimilarity {
  const { num, dn, cat, gamma } = data;
  const { codes, p } = cat;
  return (i, c) => {
    let s = 0;
    const a = i * dn;
    const b = c * dn;
    for (let t = 0; t < dn; t++) {
      const d = protoNum[b + t] - num[a + t];
      s += d * d;
    }
    return s + gamma * mismatch(codes, i, modes, c, p);
  };
}

/** Adds (sign 1) or removes (sign -1) row i's numeric values to cluster c's sums. */
function shiftSums(data: MixedData, sums: Float64Array, i: number, to: number, from: number): void {
  const { num, dn } = data;
  for (let a = 0; a < dn; a++) {
    const v = num[i * dn + a];
    sums[to * dn + a] += v;
    sums[from * dn + a] -= v;
  }
}

/** Numeric mean of cluster c from its sums (0 for an empty cluster, as the package). */
function updateMean(protoNum: Float64Array, sums: Float64Array, sizes: Int32Array, c: number, dn: number): void {
  const size = sizes[c];
  for (let a = 0; a < dn; a++) protoNum[c * dn + a] = size !== 0 ? sums[c * dn + a] / size : 0;
}

/** One k-prototypes run (kmodes' `_k_prototypes_single`). */
function kPrototypesRun(
  data: MixedData,
  k: number,
  maxIter: number,
  initOpt: "huang" | "cao" | "random" | { num: Float64Array; modes: Int32Array },
  rng: Random,
): ProtoRun {
  const { cat, num, dn } = data;
  const { n, p, nCat, offsets } = cat;
  const total = offsets[p];
  let init = initOpt;
  let tries = 0;
  let stats: { mean: Float64Array; std: Float64Array } | undefined;
  let protoNum!: Float64Array;
  let s!: ModeState;
  let sums!: Float64Array;
  for (;;) {
    tries++;
    let modes: Int32Array;
    if (typeof init === "string") {
      modes =
        init === "huang" ? initHuang(cat, k, rng) : init === "cao" ? initCao(cat, k) : initRandomRows(cat, k, rng);
      stats ??= meanStd(num, n, dn);
      protoNum = new Float64Array(k * dn);
      for (let c = 0; c < k; c++) {
        for (let a = 0; a < dn; a++) protoNum[c * dn + a] = stats.mean[a] + rng.normal() * stats.std[a];
      }
    } else {
      modes = init.modes.slice();
      protoNum = init.num.slice();
    }
    s = newModeState(cat, k, modes);
    sums = new Float64Array(k * dn);
    assignInitial(cat, s, protoDissimilarity(data, protoNum, modes), (i, c) => {
      for (let a = 0; a < dn; a++) sums[c * dn + a] += num[i * dn + a];
    });
    let empty = false;
    for (let c = 0; c < k; c++) if (s.sizes[c] === 0) empty = true;
    if (!empty) break;
    if (tries === MAX_INIT_TRIES) init = "random";
    else if (tries === RAISE_INIT_TRIES) {
      throw new ClusterlabError(
        `KPrototypes: could not initialise without empty clusters in ${RAISE_INIT_TRIES} tries; give explicit initial prototypes (init) or fewer clusters`,
      );
    }
  }
  const modes = s.modes;
  for (let c = 0; c < k; c++) {
    for (let a = 0; a < dn; a++) protoNum[c * dn + a] = sums[c * dn + a] / s.sizes[c];
    for (let j = 0; j < p; j++) modes[c * p + j] = maxKey(s.counts, c * total + offsets[j], nCat[j]);
  }
  const run = iterateModes(
    s,
    n,
    maxIter,
    rng,
    protoDissimilarity(data, protoNum, modes),
    (i, to, from) => {
      shiftSums(data, sums, i, to, from);
      movePointCat(cat, s, i, to, from);
      updateMean(protoNum, sums, s.sizes, to, dn);
      updateMean(protoNum, sums, s.sizes, from, dn);
    },
    // As the package: the refilled cluster's numeric mean is refreshed only at its next move.
    (row, to, from) => {
      shiftSums(data, sums, row, to, from);
      movePointCat(cat, s, row, to, from);
    },
  );
  return { num: protoNum, modes, ...run };
}

/** Fields of a `KPrototypesModel`. */
export interface KPrototypesModelFields {
  numericColumns: readonly string[];
  categoricalColumns: readonly string[];
  categories: ReadonlyArray<ReadonlyArray<string | null>>;
  numericCentroids: Matrix;
  categoricalCentroids: ReadonlyArray<ReadonlyArray<string | null>>;
  gamma: number;
  labels: Int32Array;
  cost: number;
  nIter: number;
  epochCosts: Float64Array;
}

/**
 * A fitted k-prototypes model. Immutable. It has the `ClusterModel` fields, but `predict` takes a
 * `Frame` (columns found by name).
 */
export class KPrototypesModel implements Omit<ClusterModel, "predict"> {
  /** Cluster index of each training row (nearest final prototype, lowest index on ties). */
  readonly labels: Int32Array;
  /** The prototypes: numeric means (k x numeric columns) and categorical modes (k rows of category names). */
  readonly clusterCentroids: {
    readonly numeric: Matrix;
    readonly categorical: ReadonlyArray<ReadonlyArray<string | null>>;
  };
  /** The categorical weight used (given, or the default computed from the data). */
  readonly gamma: number;
  /** Sum over training rows of the dissimilarity to their prototype. */
  readonly cost: number;
  /** Passes over the data in the kept run. */
  readonly nIter: number;
  /** Cost after the initial prototype update and after each pass. */
  readonly epochCosts: Float64Array;
  /** Numeric column names (frame order). */
  readonly numericColumns: readonly string[];
  /** Categorical column names. */
  readonly categoricalColumns: readonly string[];
  /** Categories of each categorical column, indexed by code. */
  readonly categories: ReadonlyArray<ReadonlyArray<string | null>>;
  readonly nClusters: number;
  /** Numeric plus categorical columns. */
  readonly nFeaturesIn: number;
  private readonly modeCodes: Int32Array;
  private readonly index: Map<string | null, number>[];

  constructor(fields: KPrototypesModelFields) {
    this.numericColumns = [...fields.numericColumns];
    this.categoricalColumns = [...fields.categoricalColumns];
    this.categories = fields.categories.map((c) => [...c]);
    this.clusterCentroids = {
      numeric: fields.numericCentroids,
      categorical: fields.categoricalCentroids.map((r) => [...r]),
    };
    this.gamma = fields.gamma;
    this.labels = fields.labels;
    this.cost = fields.cost;
    this.nIter = fields.nIter;
    this.epochCosts = fields.epochCosts;
    this.nClusters = fields.numericCentroids.rows;
    this.nFeaturesIn = this.numericColumns.length + this.categoricalColumns.length;
    if (
      fields.numericCentroids.cols !== this.numericColumns.length ||
      this.clusterCentroids.categorical.length !== this.nClusters ||
      this.categories.length !== this.categoricalColumns.length
    ) {
      throw new ValidationError("invalid KPrototypesModel: centroid shapes do not match the columns");
    }
    this.index = categoryIndex(this.categories);
    this.modeCodes = modesToCodes(
      this.clusterCentroids.categorical,
      this.categoricalColumns,
      this.index,
      "clusterCentroids",
    );
  }

  /**
   * Nearest prototype of each row (lowest index on ties). Columns are found by name; numeric ones must
   * be complete; an unseen category matches no mode, `null` matches the missing category.
   */
  predict(X: Frame): Int32Array {
    checkFrame(X);
    const num = numericBlock(X, this.numericColumns);
    const { codes, n } = codesForPredict(X, this.categoricalColumns, this.index);
    const data: MixedData = {
      cat: makeCatData(codes, n, this.categories),
      num,
      dn: this.numericColumns.length,
      gamma: this.gamma,
    };
    const means = this.clusterCentroids.numeric.data;
    const modes = this.modeCodes;
    return labelsCost(n, this.nClusters, protoDissimilarity(data, means, modes)).labels;
  }

  toJSON(): ModelJSON {
    const { numeric, categorical } = this.clusterCentroids;
    const rows: number[][] = [];
    for (let c = 0; c < numeric.rows; c++) {
      rows.push(encodeFloats(numeric.data.subarray(c * numeric.cols, (c + 1) * numeric.cols)));
    }
    return {
      type: "KPrototypesModel",
      version: 1,
      numericColumns: [...this.numericColumns],
      categoricalColumns: [...this.categoricalColumns],
      categories: this.categories.map((c) => [...c]),
      numericCentroids: rows,
      categoricalCentroids: categorical.map((r) => [...r]),
      gamma: this.gamma,
      ...runFieldsToJSON(this),
    };
  }

  static fromJSON(json: ModelJSON): KPrototypesModel {
    const j = expectModelJSON(json, "KPrototypesModel");
    const numericColumns = readStrings(j, "numericColumns");
    const categoricalColumns = readStrings(j, "categoricalColumns");
    const rows = j.numericCentroids;
    if (!Array.isArray(rows)) throw new ValidationError("invalid model JSON: numericCentroids is not an array");
    const dn = numericColumns.length;
    const data = new Float64Array(rows.length * dn);
    rows.forEach((r, c) => {
      const v = decodeFloats(r, `numericCentroids[${c}]`);
      if (v.length !== dn)
        throw new ValidationError(`invalid model JSON: numericCentroids[${c}] has ${v.length} values, expected ${dn}`);
      data.set(v, c * dn);
    });
    return new KPrototypesModel({
      numericColumns,
      categoricalColumns,
      categories: readCategoryRows(j, "categories"),
      numericCentroids: { rows: rows.length, cols: dn, data },
      categoricalCentroids: readCategoryRows(j, "categoricalCentroids", categoricalColumns.length),
      gamma: readNumber(j, "gamma"),
      ...readRunFields(j),
    });
  }
}

registerModel("KPrototypesModel", (json) => KPrototypesModel.fromJSON(json));
