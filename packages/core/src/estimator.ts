import type { Matrix, MatrixLike } from "./matrix.js";

/**
 * The estimator shape shared by every algorithm: the estimator only stores options; `fit`
 * validates them and the data and returns an immutable fitted model. An unfitted estimator has
 * no `predict`, so calling it does not compile.
 */

/** The JSON form of any fitted model: `type` names the class for `modelFromJSON`. */
export interface ModelJSON {
  type: string;
  version: number;
  [key: string]: unknown;
}

/** Anything that can be saved as JSON and restored with `modelFromJSON`. */
export interface Serializable {
  toJSON(): ModelJSON;
}

/** A fitted transformer (scaler, imputer, encoder, PCA, pipeline of transformers). */
export interface TransformerModel extends Serializable {
  /** Number of input features seen in fit. */
  readonly nFeaturesIn: number;
  transform(X: MatrixLike): Matrix;
}

/** An unfitted transformer. */
export interface Transformer<M extends TransformerModel = TransformerModel> {
  fit(X: MatrixLike): M;
}

/** Options accepted by every clusterer's `fit`. */
export interface FitOptions {
  /** Per-sample weights (length n, finite, >= 0). Default: all 1. */
  sampleWeight?: ArrayLike<number>;
}

/** A fitted clustering model. */
export interface ClusterModel extends Serializable {
  /** Cluster index of each training sample; -1 marks noise where the method has it. */
  readonly labels: Int32Array;
  /** Number of clusters found (not counting noise). */
  readonly nClusters: number;
  /** Number of input features seen in fit. */
  readonly nFeaturesIn: number;
  /** Assigns new samples to the fitted clusters. */
  predict(X: MatrixLike): Int32Array;
}

/** An unfitted clusterer. */
export interface Clusterer<M extends ClusterModel = ClusterModel> {
  fit(X: MatrixLike, options?: FitOptions): M;
}
