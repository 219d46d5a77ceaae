import type { Matrix } from "../matrix.js";

/**
 * A fitted clustering as the evaluation functions (`predictionStrength`, `heldOutEvaluation`) use
 * it: training labels (-1 = noise) and a `predict` for new rows. Every core `ClusterModel` and a
 * `PipelineModel` ending in a clusterer qualify.
 */
export interface RefitModel {
  readonly labels: ArrayLike<number>;
  predict(X: Matrix): ArrayLike<number>;
}

/** An unfitted clusterer that the evaluation functions fit several times (a core estimator, a `Pipeline`). */
export interface RefitEstimator {
  fit(X: Matrix): RefitModel;
}
