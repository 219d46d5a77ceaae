import { ValidationError } from "../errors.js";
import { type Matrix, type MatrixLike, takeRows } from "../matrix.js";
import { adjustedRandScore } from "../metrics/adjustedRandScore.js";
import { calinskiHarabaszScore } from "../metrics/calinskiHarabaszScore.js";
import { daviesBouldinScore } from "../metrics/daviesBouldinScore.js";
import { silhouetteScore } from "../metrics/silhouetteScore.js";
import { PipelineModel } from "../preprocessing/pipeline.js";
import { Random } from "../random.js";
import { asMatrix, checkInt, checkNumber } from "../validate.js";
import { fittedLabels } from "./internal.js";
import type { RefitEstimator, RefitModel } from "./refitEstimator.js";

/** Options for `heldOutEvaluation`. */
export interface HeldOutEvaluationOptions {
  /** Share of the rows held out as the test set, in (0, 1): ceil(testSize x n) rows. Default 0.3. */
  testSize?: number;
  /** Seed of the split (and of the silhouette sample). Default 0. */
  seed?: number;
  /** Above this many rows the silhouette is computed on a seeded sample of this size. Default 5000. */
  silhouetteSampleSize?: number;
}

/** Internal quality indices of a labelling (null where they are undefined: fewer than 2 clusters, or n - 1 or more). */
export interface InternalScores {
  /** Mean silhouette, in [-1, 1], higher is better (non-noise rows). */
  silhouette: number | null;
  /** Calinski-Harabasz index, higher is better. */
  calinskiHarabasz: number | null;
  /** Davies-Bouldin index, lower is better. */
  daviesBouldin: number | null;
  /** Distinct cluster labels (noise not counted). */
  nClusters: number;
  /** Rows labelled -1. */
  nNoise: number;
}

/** What `heldOutEvaluation` returns. */
export interface HeldOutEvaluation {
  testSize: number;
  seed: number;
  nTrain: number;
  nTest: number;
  /** Rows of X in the training set, ascending. */
  trainIndices: Int32Array;
  /** Rows of X in the test set, ascending. */
  testIndices: Int32Array;
  /** The training model's `predict` on the test rows. */
  predictedLabels: Int32Array;
  /** The labels of a fresh fit on the test rows alone. */
  refitLabels: Int32Array;
  /**
   * Adjusted Rand index between `predictedLabels` and `refitLabels` (1: the model generalises to the
   * unseen rows exactly as a clustering of them would; ~0: no agreement). -1 counts as a label.
   */
  ari: number;
  /** Scores of the training labels on the training rows. */
  train: InternalScores;
  /** Scores of `predictedLabels` on the test rows. */
  test: InternalScores;
}

/**
 * Evaluation on unseen rows: a seeded random split into training and test rows; fit
 * `makeEstimator()` on the training rows and `predict` the test rows; score those predictions with
 * the internal indices (silhouette, Calinski-Harabasz, Davies-Bouldin, on the non-noise rows); and
 * fit a second `makeEstimator()` on the test rows alone to measure, with the adjusted Rand index, how
 * well the predictions agree with the structure the method finds in the test rows themselves.
 *
 * The indices are computed where the clusterer works: for a `PipelineModel` on its transformed rows
 * (e.g. scaled), otherwise on X as given.
 */
export function heldOutEvaluation(
  X: MatrixLike,
  makeEstimator: () => RefitEstimator,
  options: HeldOutEvaluationOptions = {},
): HeldOutEvaluation {
  const m = asMatrix(X);
  const n = m.rows;
  const testSize = checkNumber(options.testSize ?? 0.3, "testSize", { min: 0, max: 1, minExclusive: true });
  const seed = options.seed ?? 0;
  const sampleSize = checkInt(options.silhouetteSampleSize ?? 5000, "silhouetteSampleSize", 2);
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  if (testSize >= 1 || nTest < 2 || nTrain < 2) {
    throw new ValidationError(
      `invalid testSize: ${testSize} (gives ${nTrain} training and ${nTest} test rows of ${n}; both need at least 2)`,
    );
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new Random(seed).shuffle(order);
  const testIndices = order.slice(0, nTest).sort();
  const trainIndices = order.slice(nTest).sort();
  const Xtrain = takeRows(m, trainIndices);
  const Xtest = takeRows(m, testIndices);

  const model = makeEstimator().fit(Xtrain);
  const trainLabels = fittedLabels(model.labels, nTrain, "training labels");
  const predictedLabels = fittedLabels(model.predict(Xtest), nTest, "predicted labels of the test rows");
  const refitLabels = fittedLabels(makeEstimator().fit(Xtest).labels, nTest, "labels of the refit on the test rows");
  return {
    testSize,
    seed,
    nTrain,
    nTest,
    trainIndices,
    testIndices,
    predictedLabels,
    refitLabels,
    ari: adjustedRandScore(predictedLabels, refitLabels),
    train: internalScores(metricSpace(model, Xtrain), trainLabels, sampleSize, seed),
    test: internalScores(metricSpace(model, Xtest), predictedLabels, sampleSize, seed),
  };
}

function metricSpace(model: RefitModel, X: Matrix): Matrix {
  return model instanceof PipelineModel && model.hasClusterer ? model.transform(X) : X;
}

/** Silhouette, Calinski-Harabasz and Davies-Bouldin of `labels` on the non-noise rows of X. */
export function internalScores(X: Matrix, labels: Int32Array, silhouetteSampleSize = 5000, seed = 0): InternalScores {
  let nNoise = 0;
  const distinct = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) nNoise++;
    else distinct.add(labels[i]);
  }
  const nClusters = distinct.size;
  const kept: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) kept.push(i);
  const scored = nNoise > 0 ? takeRows(X, kept) : X;
  const scoredLabels = nNoise > 0 ? Int32Array.from(kept, (i) => labels[i]) : labels;
  if (nClusters < 2 || nClusters > scored.rows - 1) {
    return { silhouette: null, calinskiHarabasz: null, daviesBouldin: null, nClusters, nNoise };
  }
  const score = (compute: () => number): number | null => {
    try {
      const x = compute();
      return Number.isFinite(x) ? x : null;
    } catch (error) {
      if (error instanceof ValidationError) return null;
      throw error;
    }
  };
  const sampling = scored.rows > silhouetteSampleSize ? { sampleSize: silhouetteSampleSize, seed } : {};
  return {
    silhouette: score(() => silhouetteScore(scored, scoredLabels, sampling)),
    calinskiHarabasz: score(() => calinskiHarabaszScore(scored, scoredLabels)),
    daviesBouldin: score(() => daviesBouldinScore(scored, scoredLabels)),
    nClusters,
    nNoise,
  };
}
