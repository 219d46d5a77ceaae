import { invalid, ValidationError } from "../errors.js";
import type { ClusterModel, FitOptions, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import { isMatrix, type Matrix, type MatrixLike } from "../matrix.js";
import { Random } from "../random.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkChoice, checkInt, checkNClusters, checkNumber } from "../validate.js";
import { covarianceFromPrecisionCholesky } from "./cholesky.js";
import { BlockedEM } from "./gaussianEM.js";
import { GaussianLogDensity, normalizeLogRow, ROW_BLOCK } from "./gaussianLogDensity.js";
import {
  COVARIANCE_TYPES,
  type CovarianceType,
  covarianceLength,
  covarianceShape,
  GaussianMStep,
  mixtureParameterCount,
  precisionCholeskyFromCovariances,
  precisionCholeskyFromPrecisions,
  precisionsFromCholesky,
} from "./gaussianParameters.js";
import {
  GAUSSIAN_MIXTURE_INITS,
  type GaussianMixtureInit,
  initialResponsibilities,
} from "./initialResponsibilities.js";

export type { CovarianceType } from "./gaussianParameters.js";
export type { GaussianMixtureInit } from "./initialResponsibilities.js";

/**
 * Initial precisions (inverse covariances) for `GaussianMixtureOptions.precisionsInit`: either
 * flat (row-major, the layout of `GaussianMixtureModel.covariances`) or nested with the shape of
 * the covariance type: full `k x d x d` (also an array of k `Matrix`), tied `d x d` (also a
 * `Matrix`), diag `k x d`, spherical `k`.
 */
export type PrecisionsInit =
  | ArrayLike<number>
  | ArrayLike<ArrayLike<number>>
  | ArrayLike<ArrayLike<ArrayLike<number>>>
  | Matrix
  | readonly Matrix[];

/** Options for `GaussianMixture`. */
export interface GaussianMixtureOptions {
  /** Number of mixture components k (1 <= k <= number of samples). Default 1. */
  nComponents?: number;
  /**
   * Covariance parameterisation: `"full"` (each component its own general covariance), `"tied"`
   * (one general covariance shared by all components), `"diag"` (each component a diagonal
   * covariance), `"spherical"` (each component one variance). Default `"full"`.
   */
  covarianceType?: CovarianceType;
  /**
   * Convergence threshold: EM stops when the lower bound (mean log-likelihood per sample)
   * changes by less than `tol` between iterations. Default 1e-3.
   */
  tol?: number;
  /** Non-negative value added to the diagonal of every covariance, so they stay positive definite. Default 1e-6. */
  regCovar?: number;
  /** Maximum EM iterations per initialisation (0 keeps the initial parameters). Default 100. */
  maxIter?: number;
  /** Number of initialisations; the one with the largest final lower bound is kept. Default 1. */
  nInit?: number;
  /**
   * How responsibilities are initialised when not all of `weightsInit`, `meansInit` and
   * `precisionsInit` are given: `"kmeans"` (one k-means run), `"k-means++"` (k-means++ seeds,
   * one per component), `"random"` (random responsibilities), `"random_from_data"` (k random
   * samples). Default `"kmeans"`.
   */
  initParams?: GaussianMixtureInit;
  /** Initial mixture weights (length k, each in [0, 1], summing to 1). Default: from `initParams`. */
  weightsInit?: ArrayLike<number>;
  /** Initial means (k x d). Default: from `initParams`. */
  meansInit?: MatrixLike;
  /**
   * Initial precisions (inverse covariances), symmetric positive definite for full/tied and
   * positive for diag/spherical; see `PrecisionsInit` for the shapes. Default: from `initParams`.
   */
  precisionsInit?: PrecisionsInit;
  /** Seed of the random initialisation. Default 0. */
  seed?: number;
  /** Receives the warning when the best initialisation did not converge. Default `consoleLogger`. */
  logger?: Logger;
}

/** The fitted values of a `GaussianMixtureModel` (see the model's fields). */
export interface GaussianMixtureModelFields {
  covarianceType: CovarianceType;
  weights: Float64Array;
  means: Matrix;
  covariances: Float64Array;
  precisionsCholesky: Float64Array;
  converged: boolean;
  nIter: number;
  lowerBound: number;
  lowerBounds: Float64Array;
  labels: Int32Array;
}

/**
 * Gaussian mixture model fitted by expectation-maximisation, with the semantics of
 * scikit-learn's `GaussianMixture`: each EM iteration is an E-step (responsibilities and the
 * lower bound = mean log-likelihood of the current parameters) followed by an M-step (weights,
 * means, covariances + `regCovar`); EM stops when the lower bound changes by less than `tol`.
 * With `nInit > 1` the initialisation with the largest lower bound is kept.
 *
 * ```ts
 * const model = new GaussianMixture({ nComponents: 3, covarianceType: "full", seed: 1 }).fit(X);
 * model.labels; model.means; model.predictProba(Y); model.bic(X);
 * ```
 *
 * Throws a `ClusterlabError` when a covariance becomes singular (a component collapsed on too
 * few distinct samples); decrease `nComponents` or increase `regCovar`.
 */
export class GaussianMixture {
  readonly options: Readonly<GaussianMixtureOptions>;

  constructor(options: GaussianMixtureOptions = {}) {
    this.options = { ...options };
  }

  /** Fits the mixture to X (n x d). Sample weights are not supported. */
  fit(X: MatrixLike, fitOptions: FitOptions = {}): GaussianMixtureModel {
    const m = asMatrix(X);
    if (fitOptions.sampleWeight !== undefined) {
      throw new ValidationError("invalid sampleWeight: GaussianMixture does not support sample weights");
    }
    const o = this.options;
    const n = m.rows;
    const d = m.cols;
    const k = o.nComponents ?? 1;
    checkNClusters(k, n, "nComponents");
    const type = checkChoice(o.covarianceType ?? "full", "covarianceType", COVARIANCE_TYPES);
    const tol = checkNumber(o.tol ?? 1e-3, "tol", { min: 0 });
    const regCovar = checkNumber(o.regCovar ?? 1e-6, "regCovar", { min: 0 });
    const maxIter = checkInt(o.maxIter ?? 100, "maxIter", 0);
    const nInit = checkInt(o.nInit ?? 1, "nInit", 1);
    const initParams = checkChoice(o.initParams ?? "kmeans", "initParams", GAUSSIAN_MIXTURE_INITS);
    const seed = checkNumber(o.seed ?? 0, "seed");
    const logger = o.logger ?? consoleLogger;
    const weightsInit = o.weightsInit === undefined ? undefined : checkWeightsInit(o.weightsInit, k);
    const meansInit = o.meansInit === undefined ? undefined : checkMeansInit(o.meansInit, k, d);
    const precisionsCholeskyInit =
      o.precisionsInit === undefined ? undefined : checkPrecisionsInit(o.precisionsInit, type, k, d);

    const rng = new Random(seed);
    const covLength = covarianceLength(type, k, d);
    const resp = new Float64Array(type === "full" || type === "tied" ? 0 : n * k);
    const mStep = new GaussianMStep(type, k, d, regCovar);
    const nk = new Float64Array(k);
    const weights = new Float64Array(k);
    const means = new Float64Array(k * d);
    const covariances = new Float64Array(covLength);
    const precisionsCholesky = new Float64Array(covLength);
    const work = new Float64Array(d * d);

    let best: GaussianMixtureModelFields | undefined;
    let maxLowerBound = Number.NEGATIVE_INFINITY;
    for (let init = 0; init < nInit; init++) {
      // Initial parameters (scikit-learn's _initialize_parameters / _initialize).
      if (weightsInit && meansInit && precisionsCholeskyInit) {
        weights.set(weightsInit);
        means.set(meansInit);
        precisionsCholesky.set(precisionsCholeskyInit);
      } else {
        const r0 = initialResponsibilities(m, k, initParams, rng, logger);
        mStep.estimate(m, r0, nk, means, covariances);
        if (weightsInit) weights.set(weightsInit);
        else for (let c = 0; c < k; c++) weights[c] = nk[c] / n;
        if (meansInit) means.set(meansInit);
        if (precisionsCholeskyInit) precisionsCholesky.set(precisionsCholeskyInit);
        else precisionCholeskyFromCovariances(type, k, d, covariances, precisionsCholesky, work);
      }

      if (maxIter === 0) {
        // Keep the initial parameters (the last initialisation wins, as scikit-learn).
        if (precisionsCholeskyInit) covariancesFromPrecisionsCholesky(type, k, d, precisionsCholesky, covariances);
        best = snapshot(type, weights, means, d, covariances, precisionsCholesky, false, 0, maxLowerBound, []);
        continue;
      }

      let lowerBound = Number.NEGATIVE_INFINITY;
      const lowerBounds: number[] = [];
      let converged = false;
      let nIter = 0;
      // Full and tied: the blocked kernels (WebAssembly SIMD and worker threads when available).
      const em = type === "full" || type === "tied" ? new BlockedEM(m, type, k, d, regCovar) : null;
      try {
        for (nIter = 1; nIter <= maxIter; nIter++) {
          const previous = lowerBound;
          if (em !== null) {
            lowerBound = em.eStep(weights, means, precisionsCholesky);
            em.mStep(nk, means, covariances);
          } else {
            const density = new GaussianLogDensity(type, k, d, weights, means, precisionsCholesky);
            lowerBound = density.responsibilities(m, resp);
            mStep.estimate(m, resp, nk, means, covariances);
          }
          let total = 0;
          for (let c = 0; c < k; c++) total += nk[c];
          for (let c = 0; c < k; c++) weights[c] = nk[c] / total;
          precisionCholeskyFromCovariances(type, k, d, covariances, precisionsCholesky, work);
          lowerBounds.push(lowerBound);
          if (Math.abs(lowerBound - previous) < tol) {
            converged = true;
            break;
          }
        }
      } finally {
        em?.release();
      }
      if (nIter > maxIter) nIter = maxIter;
      if (lowerBound > maxLowerBound || maxLowerBound === Number.NEGATIVE_INFINITY) {
        maxLowerBound = lowerBound;
        best = snapshot(
          type,
          weights,
          means,
          d,
          covariances,
          precisionsCholesky,
          converged,
          nIter,
          lowerBound,
          lowerBounds,
        );
      }
    }
    const b = best as GaussianMixtureModelFields;
    if (!b.converged && maxIter > 0) {
      logger.warn(
        `GaussianMixture: the best initialisation did not converge in ${maxIter} iterations ` +
          "(lower bound still changing by more than tol); try different init parameters, or increase maxIter, tol, " +
          "or check for degenerate data",
      );
    }
    let labels: Int32Array;
    if (type === "full" || type === "tied") {
      const em = new BlockedEM(m, type, k, d, regCovar);
      try {
        labels = em.argmax(b.weights, b.means.data, b.precisionsCholesky);
      } finally {
        em.release();
      }
    } else {
      labels = new GaussianLogDensity(type, k, d, b.weights, b.means.data, b.precisionsCholesky).argmax(m);
    }
    return new GaussianMixtureModel({ ...b, labels });
  }

  /** `fit(X).labels`. */
  fitPredict(X: MatrixLike, fitOptions: FitOptions = {}): Int32Array {
    return this.fit(X, fitOptions).labels;
  }
}

function snapshot(
  covarianceType: CovarianceType,
  weights: Float64Array,
  means: Float64Array,
  d: number,
  covariances: Float64Array,
  precisionsCholesky: Float64Array,
  converged: boolean,
  nIter: number,
  lowerBound: number,
  lowerBounds: number[],
): GaussianMixtureModelFields {
  return {
    covarianceType,
    weights: weights.slice(),
    means: { rows: weights.length, cols: d, data: means.slice() },
    covariances: covariances.slice(),
    precisionsCholesky: precisionsCholesky.slice(),
    converged,
    nIter,
    lowerBound,
    lowerBounds: Float64Array.from(lowerBounds),
    labels: new Int32Array(0),
  };
}

function covariancesFromPrecisionsCholesky(
  type: CovarianceType,
  k: number,
  d: number,
  precisionsCholesky: Float64Array,
  out: Float64Array,
): void {
  if (type === "full" || type === "tied") {
    const count = type === "full" ? k : 1;
    const work = new Float64Array(d * d);
    for (let c = 0; c < count; c++)
      covarianceFromPrecisionCholesky(precisionsCholesky, d, c * d * d, out, c * d * d, work);
  } else {
    for (let p = 0; p < out.length; p++) out[p] = 1 / (precisionsCholesky[p] * precisionsCholesky[p]);
  }
}

function checkWeightsInit(w: ArrayLike<number>, k: number): Float64Array {
  if (w == null || typeof w.length !== "number") throw invalid("weightsInit", w, "expected an array of numbers");
  if (w.length !== k) throw new ValidationError(`invalid weightsInit: length ${w.length}, expected nComponents = ${k}`);
  const out = new Float64Array(k);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const v = w[c];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
      throw new ValidationError(`invalid weightsInit: ${v} at index ${c} (must be a number in [0, 1])`);
    }
    out[c] = v;
    sum += v;
  }
  if (!(Math.abs(1 - sum) <= 1e-8)) {
    throw new ValidationError(`invalid weightsInit: sum ${sum} (the weights must sum to 1)`);
  }
  return out;
}

function checkMeansInit(means: MatrixLike, k: number, d: number): Float64Array {
  const m = asMatrix(means, { name: "meansInit" });
  if (m.rows !== k || m.cols !== d) {
    throw new ValidationError(
      `invalid meansInit: shape ${m.rows} x ${m.cols}, expected nComponents x features = ${k} x ${d}`,
    );
  }
  return m.data.slice();
}

/** Validates `precisionsInit` and returns the precision Cholesky factors (flat layout). */
function checkPrecisionsInit(value: PrecisionsInit, type: CovarianceType, k: number, d: number): Float64Array {
  const { data, shape } = flattenNested(value, "precisionsInit");
  const expected = covarianceShape(type, k, d);
  const length = covarianceLength(type, k, d);
  const sameShape = shape.length === expected.length && shape.every((s, i) => s === expected[i]);
  if (data.length !== length || !(shape.length === 1 || sameShape)) {
    throw new ValidationError(
      `invalid precisionsInit: shape [${shape.join(", ")}], expected [${expected.join(", ")}] for covarianceType ` +
        `${JSON.stringify(type)} (or a flat array of ${length} numbers)`,
    );
  }
  for (let p = 0; p < data.length; p++) {
    if (!Number.isFinite(data[p]))
      throw new ValidationError(`invalid precisionsInit: ${data[p]} at flat index ${p} (must be finite)`);
  }
  if (type === "full" || type === "tied") {
    const count = type === "full" ? k : 1;
    for (let c = 0; c < count; c++) {
      const o = c * d * d;
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < a; b++) {
          const x = data[o + a * d + b];
          const y = data[o + b * d + a];
          if (!(Math.abs(x - y) <= 1e-8 + 1e-5 * Math.abs(y))) {
            const which = type === "full" ? `matrix ${c}` : "the matrix";
            throw new ValidationError(
              `invalid precisionsInit: ${which} is not symmetric ([${a}][${b}] = ${x}, [${b}][${a}] = ${y})`,
            );
          }
        }
      }
    }
  }
  const out = new Float64Array(length);
  const failed = precisionCholeskyFromPrecisions(type, k, d, data, out);
  if (failed >= 0) {
    const what =
      type === "full" || type === "tied"
        ? `${type === "full" ? `matrix ${failed}` : "the matrix"} is not positive definite`
        : `component ${failed} is not positive`;
    throw new ValidationError(`invalid precisionsInit: ${what}`);
  }
  return out;
}

/** Flattens numbers, nested arrays, typed arrays and matrices row-major, recording the shape. */
function flattenNested(value: unknown, name: string): { data: Float64Array; shape: number[] } {
  if (isMatrix(value)) return { data: value.data.slice(), shape: [value.rows, value.cols] };
  if (value == null || typeof value !== "object" || typeof (value as ArrayLike<unknown>).length !== "number") {
    throw invalid(name, value, "expected an array of numbers, nested arrays or matrices");
  }
  const arr = value as ArrayLike<unknown>;
  if (arr.length === 0 || typeof arr[0] === "number") {
    const data = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (typeof v !== "number")
        throw new ValidationError(`invalid ${name}: ${String(v)} at index ${i} is not a number`);
      data[i] = v;
    }
    return { data, shape: [arr.length] };
  }
  const parts = Array.from(arr, (v) => flattenNested(v, name));
  const inner = parts[0].shape;
  for (const p of parts) {
    if (p.shape.length !== inner.length || p.shape.some((s, i) => s !== inner[i])) {
      throw new ValidationError(
        `invalid ${name}: ragged nested arrays ([${p.shape.join(", ")}] vs [${inner.join(", ")}])`,
      );
    }
  }
  const size = parts[0].data.length;
  const data = new Float64Array(parts.length * size);
  for (let i = 0; i < parts.length; i++) data.set(parts[i].data, i * size);
  return { data, shape: [parts.length, ...inner] };
}

/**
 * A fitted Gaussian mixture. Array layouts (all row-major, k components, d features):
 * - `means`: k x d matrix; `weights`: length k, summing to 1.
 * - `covariances`, `precisions`, `precisionsCholesky` depend on `covarianceType`:
 *   full: k matrices d x d, flattened (`[c * d * d + a * d + b]`); tied: one d x d matrix;
 *   diag: k x d (`[c * d + a]`, the variances); spherical: k (one variance per component).
 * - `precisionsCholesky` for full/tied: upper triangular U with precision = U U^T (as
 *   scikit-learn's `precisions_cholesky_`); for diag/spherical: `1 / sqrt(covariance)`.
 */
export class GaussianMixtureModel implements ClusterModel {
  readonly covarianceType: CovarianceType;
  /** Number of components k. */
  readonly nComponents: number;
  /** Same as `nComponents` (the `ClusterModel` field). */
  readonly nClusters: number;
  readonly nFeaturesIn: number;
  readonly weights: Float64Array;
  readonly means: Matrix;
  readonly covariances: Float64Array;
  readonly precisions: Float64Array;
  readonly precisionsCholesky: Float64Array;
  /** Whether the kept initialisation converged (lower bound change < tol) within maxIter. */
  readonly converged: boolean;
  /** EM iterations of the kept initialisation. */
  readonly nIter: number;
  /** Lower bound (mean log-likelihood of the training data) at the last E-step; -Infinity when maxIter = 0. */
  readonly lowerBound: number;
  /** Lower bound at every iteration of the kept initialisation. */
  readonly lowerBounds: Float64Array;
  /** Most probable component of each training sample (argmax of the responsibilities). */
  readonly labels: Int32Array;
  private readonly density: GaussianLogDensity;

  constructor(fields: GaussianMixtureModelFields) {
    const { means, covarianceType } = fields;
    this.covarianceType = covarianceType;
    this.nComponents = means.rows;
    this.nClusters = means.rows;
    this.nFeaturesIn = means.cols;
    this.weights = fields.weights;
    this.means = means;
    this.covariances = fields.covariances;
    this.precisionsCholesky = fields.precisionsCholesky;
    this.precisions = precisionsFromCholesky(covarianceType, means.rows, means.cols, fields.precisionsCholesky);
    this.converged = fields.converged;
    this.nIter = fields.nIter;
    this.lowerBound = fields.lowerBound;
    this.lowerBounds = fields.lowerBounds;
    this.labels = fields.labels;
    this.density = new GaussianLogDensity(
      covarianceType,
      means.rows,
      means.cols,
      fields.weights,
      means.data,
      fields.precisionsCholesky,
    );
  }

  private input(X: MatrixLike): Matrix {
    return asMatrix(X, { cols: this.nFeaturesIn });
  }

  /** Most probable component of each row. */
  predict(X: MatrixLike): Int32Array {
    return this.density.argmax(this.input(X));
  }

  /** Posterior probability of each component for each row (n x k; rows sum to 1). */
  predictProba(X: MatrixLike): Matrix {
    const m = this.input(X);
    const k = this.nComponents;
    const out = new Float64Array(m.rows * k);
    for (let start = 0; start < m.rows; start += ROW_BLOCK) {
      const end = Math.min(m.rows, start + ROW_BLOCK);
      this.density.weightedLogProb(m, start, end, out, start * k);
      for (let i = start; i < end; i++) normalizeLogRow(out, i * k, k);
    }
    return { rows: m.rows, cols: k, data: out };
  }

  /** Log-likelihood (log density) of each row under the mixture. */
  scoreSamples(X: MatrixLike): Float64Array {
    return this.density.scoreSamples(this.input(X));
  }

  /** Mean log-likelihood per row. */
  score(X: MatrixLike): number {
    const s = this.scoreSamples(X);
    return compensatedSum(s) / s.length;
  }

  /** Number of free parameters: weights (k - 1), means (k d) and covariances (by type). */
  get nParameters(): number {
    return mixtureParameterCount(this.covarianceType, this.nComponents, this.nFeaturesIn);
  }

  /** Bayesian information criterion `-2 n score(X) + p ln n` (lower is better). */
  bic(X: MatrixLike): number {
    const m = this.input(X);
    return -2 * this.score(m) * m.rows + this.nParameters * Math.log(m.rows);
  }

  /** Akaike information criterion `-2 n score(X) + 2 p` (lower is better). */
  aic(X: MatrixLike): number {
    const m = this.input(X);
    return -2 * this.score(m) * m.rows + 2 * this.nParameters;
  }

  /** Full d x d covariance matrix of component `c` (whatever the covariance type). */
  covariance(c: number): Matrix {
    checkInt(c, "component", 0, this.nComponents - 1);
    const d = this.nFeaturesIn;
    const out = new Float64Array(d * d);
    const cov = this.covariances;
    switch (this.covarianceType) {
      case "full":
        out.set(cov.subarray(c * d * d, (c + 1) * d * d));
        break;
      case "tied":
        out.set(cov);
        break;
      case "diag":
        for (let a = 0; a < d; a++) out[a * d + a] = cov[c * d + a];
        break;
      case "spherical":
        for (let a = 0; a < d; a++) out[a * d + a] = cov[c];
        break;
    }
    return { rows: d, cols: d, data: out };
  }

  /**
   * Draws `nSamples` points from the mixture: component counts from the weights, then each
   * component's Gaussian. Returns the samples grouped by component and their component labels.
   */
  sample(nSamples: number, seed = 0): { X: Matrix; labels: Int32Array } {
    checkInt(nSamples, "nSamples", 1);
    const rng = new Random(checkNumber(seed, "seed"));
    const k = this.nComponents;
    const d = this.nFeaturesIn;
    const counts = new Int32Array(k);
    const cum = new Float64Array(k);
    let acc = 0;
    for (let c = 0; c < k; c++) cum[c] = acc += this.weights[c];
    for (let s = 0; s < nSamples; s++) {
      const u = rng.float() * acc;
      let c = 0;
      while (c < k - 1 && !(u < cum[c])) c++;
      while (c > 0 && this.weights[c] === 0) c--;
      counts[c]++;
    }
    const out = new Float64Array(nSamples * d);
    const labels = new Int32Array(nSamples);
    const z = new Float64Array(d);
    const pc = this.precisionsCholesky;
    const mu = this.means.data;
    const type = this.covarianceType;
    let i = 0;
    for (let c = 0; c < k; c++) {
      const uo = type === "full" ? c * d * d : 0;
      for (let s = 0; s < counts[c]; s++, i++) {
        labels[i] = c;
        const o = i * d;
        for (let a = 0; a < d; a++) z[a] = rng.normal();
        if (type === "full" || type === "tied") {
          // x - mu = (U^T)^-1 z: forward substitution with the lower triangular U^T.
          for (let a = 0; a < d; a++) {
            let v = z[a];
            for (let b = 0; b < a; b++) v -= pc[uo + b * d + a] * out[o + b];
            out[o + a] = v / pc[uo + a * d + a];
          }
          for (let a = 0; a < d; a++) out[o + a] += mu[c * d + a];
        } else {
          for (let a = 0; a < d; a++) {
            const p = type === "diag" ? pc[c * d + a] : pc[c];
            out[o + a] = mu[c * d + a] + z[a] / p;
          }
        }
      }
    }
    return { X: { rows: nSamples, cols: d, data: out }, labels };
  }

  toJSON(): ModelJSON {
    return {
      type: "GaussianMixtureModel",
      version: 1,
      covarianceType: this.covarianceType,
      nComponents: this.nComponents,
      nFeaturesIn: this.nFeaturesIn,
      weights: encodeFloats(this.weights),
      means: encodeFloats(this.means.data),
      covariances: encodeFloats(this.covariances),
      precisionsCholesky: encodeFloats(this.precisionsCholesky),
      converged: this.converged,
      nIter: this.nIter,
      lowerBound: Number.isFinite(this.lowerBound) ? this.lowerBound : null,
      lowerBounds: encodeFloats(this.lowerBounds),
      labels: Array.from(this.labels),
    };
  }

  /** Restores a model from `toJSON()` output. */
  static fromJSON(json: ModelJSON): GaussianMixtureModel {
    if (json.type !== "GaussianMixtureModel") {
      throw new ValidationError(
        `invalid model JSON: type ${JSON.stringify(json.type)}, expected "GaussianMixtureModel"`,
      );
    }
    if (json.version !== 1) throw new ValidationError(`invalid model JSON: version ${json.version} (supported: 1)`);
    const type = json.covarianceType as CovarianceType;
    if (!COVARIANCE_TYPES.includes(type)) throw invalid("model JSON covarianceType", type, "unknown covariance type");
    const k = json.nComponents as number;
    const d = json.nFeaturesIn as number;
    if (!Number.isInteger(k) || k < 1 || !Number.isInteger(d) || d < 1) {
      throw new ValidationError(`invalid model JSON: nComponents ${k}, nFeaturesIn ${d}`);
    }
    const expect = (a: Float64Array, name: string, length: number): Float64Array => {
      if (a.length !== length)
        throw new ValidationError(`invalid model JSON: ${name} has ${a.length} values, expected ${length}`);
      return a;
    };
    const covLength = covarianceLength(type, k, d);
    const labels = json.labels;
    if (!Array.isArray(labels)) throw new ValidationError("invalid model JSON: labels is not an array");
    return new GaussianMixtureModel({
      covarianceType: type,
      weights: expect(decodeFloats(json.weights, "weights"), "weights", k),
      means: { rows: k, cols: d, data: expect(decodeFloats(json.means, "means"), "means", k * d) },
      covariances: expect(decodeFloats(json.covariances, "covariances"), "covariances", covLength),
      precisionsCholesky: expect(
        decodeFloats(json.precisionsCholesky, "precisionsCholesky"),
        "precisionsCholesky",
        covLength,
      ),
      converged: json.converged === true,
      nIter: json.nIter as number,
      lowerBound: typeof json.lowerBound === "number" ? json.lowerBound : Number.NEGATIVE_INFINITY,
      lowerBounds: decodeFloats(json.lowerBounds ?? [], "lowerBounds"),
      labels: Int32Array.from(labels as number[]),
    });
  }
}

function compensatedSum(a: Float64Array): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + comp;
}

registerModel("GaussianMixtureModel", (json) => GaussianMixtureModel.fromJSON(json));
