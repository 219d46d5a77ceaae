import { ValidationError } from "../errors.js";
import { type MatrixLike, takeRows } from "../matrix.js";
import { Random } from "../random.js";
import { asMatrix, checkInt } from "../validate.js";
import { fittedLabels } from "./internal.js";
import type { RefitEstimator } from "./refitEstimator.js";

/** Options for `predictionStrength`. */
export interface PredictionStrengthOptions {
  /** Seed of the random split into folds. Default 0. */
  seed?: number;
  /** Folds: each fold in turn is the test set and the other rows the training set. Default 2 (halves, as in the paper). */
  folds?: number;
  /** Independent random splits into folds, averaged. Default 1. */
  repeats?: number;
}

/** What `predictionStrength` returns. */
export interface PredictionStrength {
  k: number;
  folds: number;
  repeats: number;
  /** Mean of `values`. */
  predictionStrength: number;
  /** The prediction strength with each fold as the test set (repeat by repeat). */
  values: number[];
}

/**
 * Prediction strength (Tibshirani & Walther 2005, "Cluster validation by prediction strength") of
 * clustering into `k` clusters with `makeEstimator(k)`: the rows are split at random into `folds`
 * folds; with each fold as the test set, the test rows are clustered on their own, and a model fitted
 * on the other rows assigns them with `predict`. For each test cluster, the share of its pairs of rows
 * that the training model also puts together is computed; the fold's prediction strength is the
 * smallest share over the test clusters (those of 2 or more rows; 1 when there is none). The result
 * is the mean over folds and repeats. Values near 1 mean the clustering predicts itself; the paper
 * suggests the largest k with a strength of at least 0.8 to 0.9.
 *
 * Noise is not a cluster: test rows labelled -1 are in no test cluster, and a pair predicted as
 * noise (-1) by the training model does not count as together.
 */
export function predictionStrength(
  X: MatrixLike,
  makeEstimator: (k: number) => RefitEstimator,
  k: number,
  options: PredictionStrengthOptions = {},
): PredictionStrength {
  const m = asMatrix(X);
  const n = m.rows;
  checkInt(k, "k", 1);
  const folds = checkInt(options.folds ?? 2, "folds", 2);
  const repeats = checkInt(options.repeats ?? 1, "repeats", 1);
  if (folds > n) throw new ValidationError(`invalid folds: ${folds} (must be <= the number of rows, ${n})`);
  const random = new Random(options.seed ?? 0);
  const values: number[] = [];
  for (let rep = 0; rep < repeats; rep++) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    random.shuffle(order);
    const fold = new Int32Array(n);
    for (let p = 0; p < n; p++) fold[order[p]] = p % folds;
    for (let f = 0; f < folds; f++) {
      const test: number[] = [];
      const train: number[] = [];
      for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
      const Xtest = takeRows(m, test);
      const Xtrain = takeRows(m, train);
      const testLabels = fittedLabels(makeEstimator(k).fit(Xtest).labels, test.length, "test clustering labels");
      const predicted = fittedLabels(
        makeEstimator(k).fit(Xtrain).predict(Xtest),
        test.length,
        "predicted labels of the test rows",
      );
      values.push(foldStrength(testLabels, predicted));
    }
  }
  return { k, folds, repeats, predictionStrength: values.reduce((a, v) => a + v, 0) / values.length, values };
}

/** min over test clusters (>= 2 rows) of the share of their pairs predicted together. */
function foldStrength(testLabels: Int32Array, predicted: Int32Array): number {
  const pairs = new Map<number, Map<number, number>>();
  const sizes = new Map<number, number>();
  for (let i = 0; i < testLabels.length; i++) {
    const c = testLabels[i];
    if (c < 0) continue;
    sizes.set(c, (sizes.get(c) ?? 0) + 1);
    const p = predicted[i];
    if (p < 0) continue;
    let row = pairs.get(c);
    if (!row) pairs.set(c, (row = new Map()));
    row.set(p, (row.get(p) ?? 0) + 1);
  }
  let strength = 1;
  for (const [c, size] of sizes) {
    if (size < 2) continue;
    let together = 0;
    for (const count of pairs.get(c)?.values() ?? []) together += (count * (count - 1)) / 2;
    strength = Math.min(strength, together / ((size * (size - 1)) / 2));
  }
  return strength;
}
