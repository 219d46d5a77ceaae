import { invalid, ValidationError } from "../errors.js";
import type { FitOptions, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { Random } from "../random.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkInt, checkNClusters, checkNumber, checkSampleWeight } from "../validate.js";
import {
  centroidFieldsFromJSON,
  centroidFieldsToJSON,
  checkModelJSON,
  initialCenters,
  type KMeansInit,
  type KMeansModelFields,
  type ResolvedInit,
  resolveInit,
  resolveNInit,
  warnDistinct,
} from "./centroidCommon.js";
import { KMeansModel } from "./kMeans.js";
import { assignNearest, scaledTolerance } from "./kmeansKernels.js";

/** Options for `MiniBatchKMeans` (names and defaults follow scikit-learn 1.9's `MiniBatchKMeans`). */
export interface MiniBatchKMeansOptions {
  /** Number of clusters k: an integer in [1, n]. Default 8. */
  nClusters?: number;
  /**
   * Initial centres: `"k-means++"` (default), `"random"` or an explicit k x d matrix. The
   * initialisation runs on `initSize` samples drawn at random.
   */
  init?: KMeansInit;
  /**
   * Number of initialisations tried; the one with the lowest inertia on a validation sample of
   * `initSize` rows is kept (the algorithm itself runs once). Default: 1 for `"k-means++"` and
   * explicit centres, 3 for `"random"` (scikit-learn's "auto").
   */
  nInit?: number;
  /** Maximum number of passes (epochs) over the data: `floor(maxIter * n / batchSize)` steps at most. Default 100. */
  maxIter?: number;
  /** Samples per mini-batch (capped at n). Default 1024. */
  batchSize?: number;
  /**
   * Early stopping on the centre change: stop when the squared change of the centres in one step
   * is <= `tol` times the mean per-feature variance of X. 0 disables it. Default 0.
   */
  tol?: number;
  /**
   * Early stopping on the smoothed (exponentially weighted average) batch inertia: stop after this
   * many consecutive steps without improvement. `null` disables it. Default 10.
   */
  maxNoImprovement?: number | null;
  /**
   * Samples drawn to run the initialisation on. Default `3 * batchSize`, or `3 * nClusters` when
   * that is smaller than nClusters; capped at n.
   */
  initSize?: number;
  /**
   * Centres whose accumulated weight falls below this fraction of the largest one are moved to
   * random samples of the batch (checked every `10 * nClusters` samples, and whenever a centre has
   * no weight). 0 disables reassignment. Default 0.01.
   */
  reassignmentRatio?: number;
  /** Seed for sampling, initialisation and reassignment. Default 0. */
  seed?: number;
  /** Receives warnings. Default `consoleLogger`. */
  logger?: Logger;
}

/** Settings resolved and validated once, shared by `fit` and `partialFit`. */
interface Settings {
  k: number;
  init: ResolvedInit;
  nInit: number;
  maxIter: number;
  batchSize: number;
  tol: number;
  maxNoImprovement: number | null;
  initSize: number;
  reassignmentRatio: number;
  seed: number;
  logger: Logger;
}

/**
 * Mini-batch k-means (Sculley 2010, scikit-learn 1.9's variant): centres are updated from random
 * mini-batches with per-centre learning rates `1 / accumulated weight`, small clusters are
 * reassigned to random samples, and the run stops early when the smoothed batch inertia stops
 * improving. The final labels and inertia are computed on the whole of X.
 */
export class MiniBatchKMeans {
  readonly options: Readonly<MiniBatchKMeansOptions>;

  constructor(options: MiniBatchKMeansOptions = {}) {
    this.options = { ...options };
  }

  private settings(n: number, d: number): Settings {
    const o = this.options;
    const k = o.nClusters ?? 8;
    checkNClusters(k, n);
    const logger = o.logger ?? consoleLogger;
    const init = resolveInit(o.init, k, d);
    const batchSize = Math.min(checkInt(o.batchSize ?? 1024, "batchSize", 1), n);
    let initSize: number;
    if (o.initSize === undefined) {
      initSize = 3 * batchSize;
      if (initSize < k) initSize = 3 * k;
    } else {
      initSize = checkInt(o.initSize, "initSize", 1);
      if (initSize < k) {
        logger.warn(
          `initSize=${initSize} should be larger than nClusters=${k}. Setting it to min(3*nClusters, n_samples)`,
        );
        initSize = 3 * k;
      }
    }
    const mni = o.maxNoImprovement === undefined ? 10 : o.maxNoImprovement;
    return {
      k,
      init,
      nInit: resolveNInit(o.nInit, init, 3, "MiniBatchKMeans", logger),
      maxIter: checkInt(o.maxIter ?? 100, "maxIter", 1),
      batchSize,
      tol: checkNumber(o.tol ?? 0, "tol", { min: 0 }),
      maxNoImprovement: mni === null ? null : checkInt(mni, "maxNoImprovement", 0),
      initSize: Math.min(initSize, n),
      reassignmentRatio: checkNumber(o.reassignmentRatio ?? 0.01, "reassignmentRatio", { min: 0 }),
      seed: checkNumber(o.seed ?? 0, "seed"),
      logger,
    };
  }

  /** Fits on X by mini-batches; labels and inertia of the model are computed on all of X. */
  fit(X: MatrixLike, fitOptions: FitOptions = {}): MiniBatchKMeansModel {
    const m = asMatrix(X);
    const { rows: n, cols: d } = m;
    const s = this.settings(n, d);
    const { k, batchSize } = s;
    const w = checkSampleWeight(fitOptions.sampleWeight, n);
    const rng = new Random(s.seed);
    const tolAbs = scaledTolerance(m, s.tol);

    // Validation sample for choosing among initialisations.
    const validIdx = drawIndices(n, s.initSize, rng);
    const valid = gather(m, validIdx);
    const validW = gatherWeights(w, validIdx);
    let centers: Float64Array | undefined;
    let bestInertia = Number.POSITIVE_INFINITY;
    const validLabels = new Int32Array(valid.rows);
    for (let r = 0; r < s.nInit; r++) {
      const c = initOnSubset(m, w, s, rng);
      const inertia = assignNearest(valid.data, valid.rows, d, c, k, validLabels, validW);
      if (centers === undefined || inertia < bestInertia) {
        centers = c;
        bestInertia = inertia;
      }
    }
    let cur: Float64Array = centers as Float64Array;
    let nxt: Float64Array = new Float64Array(k * d);
    const state: StepState = { counts: new Float64Array(k), nSinceLastReassign: 0 };
    const work = new StepWork(batchSize, k);

    // Weighted sampling of batches with replacement.
    let uniform = true;
    for (let i = 1; i < n; i++) if (w[i] !== w[0]) uniform = false;
    const cum = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) cum[i] = acc += w[i];
    const unit = new Float64Array(batchSize).fill(1);
    const batchIdx = new Int32Array(batchSize);
    const batch: Matrix = { rows: batchSize, cols: d, data: new Float64Array(batchSize * d) };

    const nSteps = Math.floor((s.maxIter * n) / batchSize);
    let ewa: number | null = null;
    let ewaMin: number | null = null;
    let noImprovement = 0;
    let converged = false;
    let step = 0;
    for (; step < nSteps; step++) {
      for (let b = 0; b < batchSize; b++) batchIdx[b] = uniform ? rng.int(n) : searchRight(cum, rng.float() * acc);
      for (let b = 0; b < batchSize; b++) {
        batch.data.set(m.data.subarray(batchIdx[b] * d, (batchIdx[b] + 1) * d), b * d);
      }
      const reassign = dueForReassign(state, batchSize, k);
      let batchInertia = miniBatchStep(batch, unit, cur, nxt, state, rng, reassign, s.reassignmentRatio, work);
      let centersSquaredDiff = 0;
      if (tolAbs > 0) for (let t = 0; t < k * d; t++) centersSquaredDiff += (nxt[t] - cur[t]) * (nxt[t] - cur[t]);
      const tmp = cur;
      cur = nxt;
      nxt = tmp;

      // Early stopping (scikit-learn's _mini_batch_convergence).
      batchInertia /= batchSize;
      if (step === 0) continue; // the first batch inertia reflects the initialisation
      if (ewa === null) ewa = batchInertia;
      else {
        const alpha = Math.min((batchSize * 2) / (n + 1), 1);
        ewa = ewa * (1 - alpha) + batchInertia * alpha;
      }
      if (tolAbs > 0 && centersSquaredDiff <= tolAbs) {
        converged = true;
        break;
      }
      if (ewaMin === null || ewa < ewaMin) {
        noImprovement = 0;
        ewaMin = ewa;
      } else noImprovement++;
      if (s.maxNoImprovement !== null && noImprovement >= s.maxNoImprovement) {
        converged = true;
        break;
      }
    }
    const stepsDone = Math.min(step + 1, nSteps);
    const labels = new Int32Array(n);
    const inertia = assignNearest(m.data, n, d, cur, k, labels, w);
    warnDistinct(labels, k, s.logger);
    return new MiniBatchKMeansModel({
      labels,
      clusterCenters: { rows: k, cols: d, data: cur },
      inertia,
      nIter: Math.ceil((stepsDone * batchSize) / n),
      converged,
      nSteps: stepsDone,
      counts: state.counts,
      nSinceLastReassign: state.nSinceLastReassign,
      batchSize,
      reassignmentRatio: s.reassignmentRatio,
      seed: s.seed,
    });
  }

  /** `fit(X).labels`. */
  fitPredict(X: MatrixLike, fitOptions: FitOptions = {}): Int32Array {
    return this.fit(X, fitOptions).labels;
  }

  /**
   * Starts a model from a first batch: initialises the centres on (up to `initSize` rows of) X,
   * then makes one mini-batch update with X. Continue with `model.partialFit(nextBatch)`.
   * The model's labels and inertia are those of this batch.
   */
  partialFit(X: MatrixLike, fitOptions: FitOptions = {}): MiniBatchKMeansModel {
    const m = asMatrix(X);
    const s = this.settings(m.rows, m.cols);
    const w = checkSampleWeight(fitOptions.sampleWeight, m.rows);
    const rng = new Random(s.seed);
    const centers = initOnSubset(m, w, s, rng);
    const start = new MiniBatchKMeansModel({
      labels: new Int32Array(0),
      clusterCenters: { rows: s.k, cols: m.cols, data: centers },
      inertia: 0,
      nIter: 0,
      converged: false,
      nSteps: 0,
      counts: new Float64Array(s.k),
      nSinceLastReassign: 0,
      batchSize: s.batchSize,
      reassignmentRatio: s.reassignmentRatio,
      seed: s.seed,
    });
    return start.partialFit(m, fitOptions);
  }
}

/** Draws `size` indices uniformly with replacement (scikit-learn's `randint(0, n, size)`). */
function drawIndices(n: number, size: number, rng: Random): Int32Array {
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.int(n);
  return out;
}

function gather(m: Matrix, idx: Int32Array): Matrix {
  const d = m.cols;
  const out = new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(m.data.subarray(idx[r] * d, (idx[r] + 1) * d), r * d);
  return { rows: idx.length, cols: d, data: out };
}

function gatherWeights(w: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let r = 0; r < idx.length; r++) out[r] = w[idx[r]];
  return out;
}

/** First index with `cum[i] > r` (clamped to the last index). */
function searchRight(cum: Float64Array, r: number): number {
  let lo = 0;
  let hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo < cum.length ? lo : cum.length - 1;
}

/** Initial centres computed on `initSize` rows drawn with replacement (all rows when initSize >= n). */
function initOnSubset(m: Matrix, w: Float64Array, s: Settings, rng: Random): Float64Array {
  if (s.initSize < m.rows) {
    const idx = drawIndices(m.rows, s.initSize, rng);
    const sub = gather(m, idx);
    const subW = gatherWeights(w, idx);
    if (typeof s.init === "string") {
      let positive = 0;
      for (let i = 0; i < subW.length; i++) if (subW[i] > 0) positive++;
      if (positive < s.k && s.init === "random") {
        throw new ValidationError(
          `invalid initSize: ${s.initSize} draws hold fewer than nClusters=${s.k} samples with positive weight`,
        );
      }
    }
    return initialCenters(sub, s.k, s.init, subW, rng);
  }
  return initialCenters(m, s.k, s.init, w, rng);
}

/** Mutable per-model state of the mini-batch updates. */
interface StepState {
  /** Accumulated weight per centre. */
  counts: Float64Array;
  /** Samples seen since the last reassignment check. */
  nSinceLastReassign: number;
}

/** Scratch buffers for `miniBatchStep`. */
class StepWork {
  labels: Int32Array;
  wsum: Float64Array;
  constructor(batch: number, k: number) {
    this.labels = new Int32Array(batch);
    this.wsum = new Float64Array(k);
  }
  ensure(batch: number): void {
    if (this.labels.length < batch) this.labels = new Int32Array(batch);
  }
}

/** scikit-learn's `_random_reassign`: reassign every `10 * k` samples, or when a centre has no weight. */
function dueForReassign(state: StepState, batchSize: number, k: number): boolean {
  state.nSinceLastReassign += batchSize;
  let anyEmpty = false;
  for (let j = 0; j < k; j++) if (state.counts[j] === 0) anyEmpty = true;
  if (anyEmpty || state.nSinceLastReassign >= 10 * k) {
    state.nSinceLastReassign = 0;
    return true;
  }
  return false;
}

/**
 * One mini-batch update (scikit-learn's `_mini_batch_step`): labels the batch on `centers`, moves
 * each centre to the weighted mean of its previous position (weight `counts[j]`) and its new
 * members, then, when `reassign`, moves centres with little accumulated weight to random batch
 * samples. Writes the new centres to `out` (may be `centers`). Returns the batch inertia on the
 * old centres.
 */
function miniBatchStep(
  batch: Matrix,
  w: Float64Array,
  centers: Float64Array,
  out: Float64Array,
  state: StepState,
  rng: Random,
  reassign: boolean,
  ratio: number,
  work: StepWork,
): number {
  const { rows: nb, cols: d, data } = batch;
  const k = state.counts.length;
  const counts = state.counts;
  work.ensure(nb);
  const labels = work.labels;
  const inertia = assignNearest(data, nb, d, centers, k, labels, w);
  const wsum = work.wsum;
  wsum.fill(0);
  for (let i = 0; i < nb; i++) wsum[labels[i]] += w[i];
  for (let j = 0; j < k; j++) {
    const o = j * d;
    if (wsum[j] > 0) {
      for (let t = 0; t < d; t++) out[o + t] = centers[o + t] * counts[j];
    } else if (out !== centers) {
      for (let t = 0; t < d; t++) out[o + t] = centers[o + t];
    }
  }
  for (let i = 0; i < nb; i++) {
    const j = labels[i];
    if (wsum[j] > 0) {
      const wi = w[i];
      const o = j * d;
      const xo = i * d;
      for (let t = 0; t < d; t++) out[o + t] += data[xo + t] * wi;
    }
  }
  for (let j = 0; j < k; j++) {
    if (wsum[j] > 0) {
      counts[j] += wsum[j];
      const alpha = 1 / counts[j];
      const o = j * d;
      for (let t = 0; t < d; t++) out[o + t] *= alpha;
    }
  }
  if (reassign && ratio > 0) {
    let maxCount = 0;
    for (let j = 0; j < k; j++) if (counts[j] > maxCount) maxCount = counts[j];
    const limit = ratio * maxCount;
    const toReassign = new Uint8Array(k);
    let nRe = 0;
    for (let j = 0; j < k; j++) {
      if (counts[j] < limit) {
        toReassign[j] = 1;
        nRe++;
      }
    }
    const cap = Math.floor(0.5 * nb);
    if (nRe > 0.5 * nb) {
      // Keep only the `cap` centres with the smallest counts.
      const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => counts[a] - counts[b] || a - b);
      for (let r = cap; r < k; r++) toReassign[order[r]] = 0;
      nRe = cap;
    }
    if (nRe > 0) {
      const picks = rng.sampleWithoutReplacement(nb, nRe);
      let minKept = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k; j++) if (!toReassign[j] && counts[j] < minKept) minKept = counts[j];
      for (let j = 0, c = 0; j < k; j++) {
        if (!toReassign[j]) continue;
        out.set(data.subarray(picks[c] * d, (picks[c] + 1) * d), j * d);
        c++;
        // Reset the count, but not so low that the centre is reassigned again at once.
        if (minKept !== Number.POSITIVE_INFINITY) counts[j] = minKept;
      }
    }
  }
  return inertia;
}

/** The fields of a fitted `MiniBatchKMeansModel`. */
export interface MiniBatchKMeansModelFields extends KMeansModelFields {
  /** Mini-batch steps made so far. */
  nSteps: number;
  /** Accumulated sample weight per centre (sets each centre's learning rate). */
  counts: Float64Array;
  /** Samples seen since the last reassignment check. */
  nSinceLastReassign: number;
  /** Batch size used in the reassignment schedule. */
  batchSize: number;
  reassignmentRatio: number;
  seed: number;
}

/**
 * A fitted mini-batch k-means model: the `KMeansModel` fields plus the state needed to continue
 * learning with `partialFit`. Immutable: `partialFit` returns a new model.
 */
export class MiniBatchKMeansModel extends KMeansModel {
  /** Mini-batch steps made so far. */
  readonly nSteps: number;
  /** Accumulated sample weight per centre. */
  readonly counts: Float64Array;
  /** Samples seen since the last reassignment check. */
  readonly nSinceLastReassign: number;
  /** Batch size used in the reassignment schedule. */
  readonly batchSize: number;
  /** Fraction of the largest count below which a centre is reassigned. */
  readonly reassignmentRatio: number;
  /** Seed; step `s` of `partialFit` draws from a generator derived from (seed, s). */
  readonly seed: number;

  constructor(fields: MiniBatchKMeansModelFields) {
    super(fields);
    this.nSteps = fields.nSteps;
    this.counts = fields.counts;
    this.nSinceLastReassign = fields.nSinceLastReassign;
    this.batchSize = fields.batchSize;
    this.reassignmentRatio = fields.reassignmentRatio;
    this.seed = fields.seed;
  }

  /**
   * One mini-batch update with X (all of it, as scikit-learn's `partial_fit`). Returns a new
   * model whose labels and inertia are those of X on the updated centres.
   */
  partialFit(X: MatrixLike, fitOptions: FitOptions = {}): MiniBatchKMeansModel {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const w = checkSampleWeight(fitOptions.sampleWeight, m.rows);
    const k = this.nClusters;
    const d = this.nFeaturesIn;
    const state: StepState = { counts: this.counts.slice(), nSinceLastReassign: this.nSinceLastReassign };
    const centers = this.clusterCenters.data.slice();
    const rng = new Random(this.seed + 0x9e3779b9 * (this.nSteps + 1));
    const reassign = dueForReassign(state, this.batchSize, k);
    miniBatchStep(m, w, centers, centers, state, rng, reassign, this.reassignmentRatio, new StepWork(m.rows, k));
    const labels = new Int32Array(m.rows);
    const inertia = assignNearest(m.data, m.rows, d, centers, k, labels, w);
    return new MiniBatchKMeansModel({
      labels,
      clusterCenters: { rows: k, cols: d, data: centers },
      inertia,
      nIter: this.nIter,
      converged: this.converged,
      nSteps: this.nSteps + 1,
      counts: state.counts,
      nSinceLastReassign: state.nSinceLastReassign,
      batchSize: this.batchSize,
      reassignmentRatio: this.reassignmentRatio,
      seed: this.seed,
    });
  }

  override toJSON(): ModelJSON {
    return {
      type: "MiniBatchKMeansModel",
      version: 1,
      ...centroidFieldsToJSON(this),
      nSteps: this.nSteps,
      counts: encodeFloats(this.counts),
      nSinceLastReassign: this.nSinceLastReassign,
      batchSize: this.batchSize,
      reassignmentRatio: this.reassignmentRatio,
      seed: this.seed,
    };
  }

  static override fromJSON(json: ModelJSON): MiniBatchKMeansModel {
    checkModelJSON(json, "MiniBatchKMeansModel");
    const base = centroidFieldsFromJSON(json);
    const counts = decodeFloats(json.counts, "counts");
    if (counts.length !== base.clusterCenters.rows) {
      throw new ValidationError(
        `invalid model JSON: counts has ${counts.length} values, expected ${base.clusterCenters.rows}`,
      );
    }
    const num = (name: string): number => {
      const v = json[name];
      if (typeof v !== "number" || !Number.isFinite(v))
        throw invalid(`model JSON ${name}`, v, "must be a finite number");
      return v;
    };
    return new MiniBatchKMeansModel({
      ...base,
      counts,
      nSteps: num("nSteps"),
      nSinceLastReassign: num("nSinceLastReassign"),
      batchSize: num("batchSize"),
      reassignmentRatio: num("reassignmentRatio"),
      seed: num("seed"),
    });
  }
}

registerModel("MiniBatchKMeansModel", (json) => MiniBatchKMeansModel.fromJSON(json));
