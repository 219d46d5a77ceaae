import { invalid, ValidationError } from "../errors.js";
import type { ModelJSON } from "../estimator.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { checkNeighborMetric, type NeighborMetric } from "../neighbors/neighborMetric.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkChoice, checkInt, checkNumber } from "../validate.js";
import {
  BarnesHutObjective,
  descentStep,
  exactGradient,
  exactJointProbabilities,
  initialEmbedding,
  neighborJointProbabilities,
} from "./tsneKernels.js";

/** How the t-SNE gradient is computed. */
export type TSNEMethod = "barnes_hut" | "exact";

/** What `TSNEOptions.onIteration` receives after every gradient-descent iteration. */
export interface TSNEProgress {
  /** Iterations done so far (1-based). */
  iteration: number;
  /** The configured `maxIter`. */
  maxIter: number;
  /** True during the early-exaggeration phase (the first 250 iterations). */
  exaggerating: boolean;
  /**
   * KL divergence at the start of this iteration (with the exaggerated P during that phase), computed
   * every 50 iterations and at the last one as scikit-learn does; NaN otherwise.
   */
  klDivergence: number;
  /** Norm of the gains-scaled gradient of this iteration. */
  gradNorm: number;
  /** The current embedding (a live view: copy it to keep it). */
  embedding: Matrix;
}

/** Options for `TSNE`. Names follow scikit-learn's `TSNE` in camelCase. */
export interface TSNEOptions {
  /**
   * Dimension of the embedding: 2 or 3 for `"barnes_hut"` (quadtree / octree; 3-D costs about twice
   * 2-D, as in scikit-learn), any integer >= 1 for `"exact"`. Default 2.
   */
  nComponents?: number;
  /** Effective number of neighbours of each point: a number > 0 and < nSamples. Default 30. */
  perplexity?: number;
  /** Factor on P during the first 250 iterations (>= 1). Default 12. */
  earlyExaggeration?: number;
  /**
   * Gradient-descent step: a number > 0, or `"auto"` = `max(nSamples / earlyExaggeration / 4, 50)`
   * (scikit-learn's default since 1.2). Default `"auto"`.
   */
  learningRate?: number | "auto";
  /** Total number of iterations, including the 250 of early exaggeration (an integer >= 250). Default 1000. */
  maxIter?: number;
  /**
   * Stop after this many iterations without a lower KL divergence (checked every 50 iterations, after
   * the exaggeration phase); -1 stops at the first check without progress. Default 300.
   */
  nIterWithoutProgress?: number;
  /** Stop when the norm of the (gains-scaled) gradient falls to this (checked every 50 iterations). Default 1e-7. */
  minGradNorm?: number;
  /**
   * `"barnes_hut"`: P over the `min(n - 1, floor(3 perplexity + 1))` nearest neighbours and a
   * quadtree/octree for the repulsion, O(n log n) per iteration; `"exact"`: P over all pairs, O(n^2)
   * time and memory. Default `"barnes_hut"`.
   */
  method?: TSNEMethod;
  /** Barnes-Hut accuracy/speed trade-off theta in [0, 1] (0 = exact repulsion). Default 0.5. */
  angle?: number;
  /**
   * Initial embedding: `"pca"` (the first principal components scaled so the first has standard
   * deviation 1e-4, as scikit-learn), `"random"` (1e-4 * standard normal), or an explicit
   * nSamples x nComponents matrix. Default `"pca"`.
   */
  init?: "pca" | "random" | MatrixLike;
  /** Input distance (`"euclidean"`, `"manhattan"` or `"cosine"`; non-Euclidean distances are squared, as scikit-learn). Default `"euclidean"`. */
  metric?: NeighborMetric;
  /** Seed for `init: "random"`. Default 0. */
  seed?: number;
  /**
   * Called after every iteration with the progress; return `false` to stop (the model then reports the
   * embedding so far, with `cancelled` set). Default: none.
   */
  onIteration?: (progress: TSNEProgress) => boolean | undefined;
}

/** The fields of a fitted `TSNEModel` (what its constructor takes). */
export interface TSNEModelParams {
  embedding: Matrix;
  klDivergence: number;
  nIter: number;
  nFeaturesIn: number;
  learningRate: number;
  cancelled: boolean;
}

/** Iterations of early exaggeration (scikit-learn's `_EXPLORATION_MAX_ITER`). */
const EXPLORATION_ITER = 250;
/** Iterations between convergence checks (scikit-learn's `_N_ITER_CHECK`). */
const CHECK_EVERY = 50;
const MIN_GAIN = 0.01;

/**
 * t-distributed Stochastic Neighbor Embedding (van der Maaten & Hinton 2008), following
 * scikit-learn's `TSNE` step for step:
 * - input affinities: per point, a binary search for the Gaussian precision whose conditional
 *   distribution has the requested perplexity (over all points for `"exact"`, over the
 *   `min(n - 1, floor(3 perplexity + 1))` exact nearest neighbours for `"barnes_hut"`), squared
 *   distances rounded to float32 as scikit-learn does; symmetrised `P = (C + C^T) / sum`;
 * - a Student-t kernel with `max(nComponents - 1, 1)` degrees of freedom in the embedding;
 * - gradient descent with momentum 0.5 and P multiplied by `earlyExaggeration` for 250 iterations,
 *   then momentum 0.8 (update and gains restart at the switch), per-parameter gains (+0.2 / *0.8,
 *   minimum 0.01), convergence checks every 50 iterations (`minGradNorm`, `nIterWithoutProgress`).
 *
 * The exact method reproduces scikit-learn's P and gradient to rounding. The Barnes-Hut method
 * computes in float64 (scikit-learn in float32) with its own tree (leaves of up to 4 points summed
 * exactly when near), so runs agree with scikit-learn's statistically (KL within a few per cent,
 * same trustworthiness), not bit for bit. Deterministic for a given seed.
 *
 * t-SNE has no `transform`: it learns positions for the training points only, not a mapping, so new
 * points cannot be placed without refitting (use UMAP for that).
 *
 * @example
 * const model = new TSNE({ perplexity: 30, seed: 1 }).fit(X);
 * model.embedding; // n x 2
 */
export class TSNE {
  readonly options: Readonly<TSNEOptions>;

  constructor(options: TSNEOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): TSNEModel {
    const o = this.options;
    const method = checkChoice(o.method ?? "barnes_hut", "method", ["barnes_hut", "exact"]);
    const nComponents = checkInt(o.nComponents ?? 2, "nComponents", 1);
    if (method === "barnes_hut" && nComponents !== 2 && nComponents !== 3) {
      throw invalid("nComponents", nComponents, 'must be 2 or 3 for method "barnes_hut" (quadtree/octree)');
    }
    const perplexity = checkNumber(o.perplexity ?? 30, "perplexity", { min: 0, minExclusive: true });
    const earlyExaggeration = checkNumber(o.earlyExaggeration ?? 12, "earlyExaggeration", { min: 1 });
    const rate = o.learningRate ?? "auto";
    if (rate !== "auto") checkNumber(rate, "learningRate", { min: 0, minExclusive: true });
    const maxIter = checkInt(o.maxIter ?? 1000, "maxIter", EXPLORATION_ITER);
    const nIterWithoutProgress = checkInt(o.nIterWithoutProgress ?? 300, "nIterWithoutProgress", -1);
    const minGradNorm = checkNumber(o.minGradNorm ?? 1e-7, "minGradNorm", { min: 0 });
    const angle = checkNumber(o.angle ?? 0.5, "angle", { min: 0, max: 1 });
    const metric = checkNeighborMetric(o.metric ?? "euclidean");
    const seed = checkNumber(o.seed ?? 0, "seed");
    const init = o.init ?? "pca";
    if (typeof init === "string") checkChoice(init, "init", ["pca", "random"]);

    const data = asMatrix(X);
    const n = data.rows;
    if (n < 2) throw new ValidationError(`invalid X: ${n} sample (t-SNE needs at least 2 samples)`);
    if (perplexity >= n) throw invalid("perplexity", perplexity, `must be less than the number of samples (${n})`);
    const learningRate = rate === "auto" ? Math.max(n / earlyExaggeration / 4, 50) : rate;

    const Y = initialEmbedding(data, init, nComponents, seed);
    const dof = Math.max(nComponents - 1, 1);
    const dim = nComponents;
    let objective: (exaggeration: number, grad: Float64Array, computeError: boolean) => number;
    if (method === "exact") {
      const P = exactJointProbabilities(data, metric, perplexity);
      objective = (ex, grad, err) => exactGradient(Y, P, n, dim, dof, ex, grad, err);
    } else {
      const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
      const bh = new BarnesHutObjective(neighborJointProbabilities(data, metric, perplexity, k), dim, dof, angle);
      objective = (ex, grad, err) => bh.gradient(Y, ex, grad, err);
    }

    const grad = new Float64Array(n * dim);
    const update = new Float64Array(n * dim);
    const gains = new Float64Array(n * dim);
    const view: Matrix = { rows: n, cols: dim, data: Y };
    const onIteration = o.onIteration;
    let cancelled = false;
    let iterations = 0;

    // scikit-learn's _gradient_descent for iterations [start, stop): returns the last objective value
    // and the last iteration index.
    const descend = (start: number, stop: number, momentum: number, exaggeration: number, patience: number) => {
      update.fill(0);
      gains.fill(1);
      let error = Number.MAX_VALUE;
      let bestError = Number.MAX_VALUE;
      let bestIter = start;
      let last = start;
      for (let i = start; i < stop; i++) {
        last = i;
        const check = (i + 1) % CHECK_EVERY === 0;
        error = objective(exaggeration, grad, check || i === stop - 1);
        const gradNorm = descentStep(Y, grad, update, gains, momentum, learningRate, MIN_GAIN);
        iterations = i + 1;
        if (onIteration) {
          const go = onIteration({
            iteration: i + 1,
            maxIter,
            exaggerating: exaggeration !== 1,
            klDivergence: error,
            gradNorm,
            embedding: view,
          });
          if (go === false) {
            cancelled = true;
            break;
          }
        }
        if (check) {
          if (error < bestError) {
            bestError = error;
            bestIter = i;
          } else if (i - bestIter > patience) break;
          if (gradNorm <= minGradNorm) break;
        }
      }
      return { error, last };
    };

    const first = descend(0, EXPLORATION_ITER, 0.5, earlyExaggeration, EXPLORATION_ITER);
    let kl = first.error;
    if (!cancelled) kl = descend(first.last + 1, maxIter, 0.8, 1, nIterWithoutProgress).error;
    if (cancelled || !(kl < Number.MAX_VALUE)) {
      // Stopped by the callback, or no iteration after the exaggeration phase: report the KL
      // divergence of the final embedding under the true P.
      kl = objective(1, grad, true);
    }
    return new TSNEModel({
      embedding: { rows: n, cols: dim, data: Y },
      klDivergence: kl,
      nIter: iterations,
      nFeaturesIn: data.cols,
      learningRate,
      cancelled,
    });
  }
}

/**
 * A fitted t-SNE embedding. There is no `transform`: t-SNE optimises positions of the training
 * points only (refit to embed new data).
 */
export class TSNEModel {
  /** The embedding, nSamples x nComponents. */
  readonly embedding: Matrix;
  /**
   * KL divergence between P and Q after optimisation: as scikit-learn's `kl_divergence_`, the value
   * at the last objective evaluation (the start of the last iteration); after a cancel, or with
   * `maxIter` 250, that of the final embedding.
   */
  readonly klDivergence: number;
  /** Iterations run (scikit-learn's `n_iter_` is the 0-based index of the last one, i.e. `nIter - 1`). */
  readonly nIter: number;
  /** Number of input features seen in fit. */
  readonly nFeaturesIn: number;
  /** The learning rate used (resolved from `"auto"`). */
  readonly learningRate: number;
  /** True when `onIteration` stopped the optimisation. */
  readonly cancelled: boolean;

  constructor(params: TSNEModelParams) {
    this.embedding = params.embedding;
    this.klDivergence = params.klDivergence;
    this.nIter = params.nIter;
    this.nFeaturesIn = params.nFeaturesIn;
    this.learningRate = params.learningRate;
    this.cancelled = params.cancelled;
    Object.freeze(this);
  }

  toJSON(): ModelJSON {
    return {
      type: "TSNEModel",
      version: 1,
      rows: this.embedding.rows,
      nComponents: this.embedding.cols,
      embedding: encodeFloats(this.embedding.data),
      klDivergence: this.klDivergence,
      nIter: this.nIter,
      nFeaturesIn: this.nFeaturesIn,
      learningRate: this.learningRate,
      cancelled: this.cancelled,
    };
  }

  /** Restores a model from `toJSON()` output (also reachable through `modelFromJSON`). */
  static fromJSON(json: ModelJSON): TSNEModel {
    if (json.type !== "TSNEModel")
      throw new ValidationError(`invalid model JSON: type ${JSON.stringify(json.type)}, expected "TSNEModel"`);
    if (json.version !== 1)
      throw new ValidationError(`invalid model JSON: TSNEModel version ${json.version} (supported: 1)`);
    const rows = json.rows;
    const cols = json.nComponents;
    if (typeof rows !== "number" || !Number.isInteger(rows) || rows < 1)
      throw new ValidationError(`invalid model JSON: rows ${rows}`);
    if (typeof cols !== "number" || !Number.isInteger(cols) || cols < 1)
      throw new ValidationError(`invalid model JSON: nComponents ${cols}`);
    const data = decodeFloats(json.embedding, "embedding");
    if (data.length !== rows * cols)
      throw new ValidationError(`invalid model JSON: embedding has ${data.length} values, expected ${rows * cols}`);
    for (const key of ["klDivergence", "nIter", "nFeaturesIn", "learningRate"]) {
      if (typeof json[key] !== "number") throw new ValidationError(`invalid model JSON: ${key} is not a number`);
    }
    if (typeof json.cancelled !== "boolean")
      throw new ValidationError("invalid model JSON: cancelled is not a boolean");
    return new TSNEModel({
      embedding: { rows, cols, data },
      klDivergence: json.klDivergence as number,
      nIter: json.nIter as number,
      nFeaturesIn: json.nFeaturesIn as number,
      learningRate: json.learningRate as number,
      cancelled: json.cancelled,
    });
  }
}

registerModel("TSNEModel", TSNEModel.fromJSON);
