import { invalid } from "../errors.js";
import type { TransformerModel } from "../estimator.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { registerModel } from "../serialize.js";
import { asMatrix } from "../validate.js";
import {
  constantFeatureMask,
  encodeNaN,
  encodeNullable,
  expectJSON,
  handleZerosInScale,
  inputNames,
  nanMeanVar,
  readBool,
  readInt,
  readVec,
  readVecOrNull,
} from "./internal.js";

/** Options for `StandardScaler`. */
export interface StandardScalerOptions {
  /** Subtract the per-feature mean. Default true. */
  withMean?: boolean;
  /** Divide by the per-feature standard deviation. Default true. */
  withStd?: boolean;
}

/**
 * Standardises features: `z = (x - mean) / std`, with the population standard deviation (ddof 0), as
 * scikit-learn's `StandardScaler`.
 *
 * - Statistics use the corrected two-pass algorithm (stable for large offsets).
 * - Constant and near-constant features (variance within the rounding error bound of the computation,
 *   scikit-learn's `_is_constant_feature`) get scale 1, so they map to 0 instead of NaN or Infinity.
 * - NaN is ignored in fit (statistics over the observed values) and kept as NaN by `transform`.
 *   A feature with no observed value gets NaN statistics (as scikit-learn).
 */
export class StandardScaler {
  readonly options: Readonly<StandardScalerOptions>;

  constructor(options: StandardScalerOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): StandardScalerModel {
    const { withMean = true, withStd = true } = this.options;
    if (typeof withMean !== "boolean") throw invalid("withMean", withMean, "must be a boolean");
    if (typeof withStd !== "boolean") throw invalid("withStd", withStd, "must be a boolean");
    const m = asMatrix(X, { allowNaN: true });
    const { mean, var: variance, count } = nanMeanVar(m);
    let scale: Float64Array | null = null;
    if (withStd) {
      const mask = constantFeatureMask(variance, mean, count);
      scale = handleZerosInScale(variance.map(Math.sqrt), mask);
    }
    return new StandardScalerModel({
      withMean,
      withStd,
      mean: withMean || withStd ? mean : null,
      var: withStd ? variance : null,
      scale,
      nSamplesSeen: count,
      nFeaturesIn: m.cols,
    });
  }

  fitTransform(X: MatrixLike): { model: StandardScalerModel; output: Matrix } {
    const model = this.fit(X);
    return { model, output: model.transform(X) };
  }
}

/** A fitted `StandardScaler`. Attributes mirror scikit-learn's (`null` where it has `None`). */
export class StandardScalerModel implements TransformerModel {
  readonly withMean: boolean;
  readonly withStd: boolean;
  /** Per-feature mean of the observed values (`null` when both `withMean` and `withStd` are false). */
  readonly mean: Float64Array | null;
  /** Per-feature population variance (`null` when `withStd` is false). */
  readonly var: Float64Array | null;
  /** Per-feature divisor: the standard deviation, 1 for (near-)constant features; `null` when `withStd` is false. */
  readonly scale: Float64Array | null;
  /** Number of observed (non-NaN) values per feature. */
  readonly nSamplesSeen: Float64Array;
  readonly nFeaturesIn: number;

  constructor(fields: {
    withMean: boolean;
    withStd: boolean;
    mean: Float64Array | null;
    var: Float64Array | null;
    scale: Float64Array | null;
    nSamplesSeen: Float64Array;
    nFeaturesIn: number;
  }) {
    this.withMean = fields.withMean;
    this.withStd = fields.withStd;
    this.mean = fields.mean;
    this.var = fields.var;
    this.scale = fields.scale;
    this.nSamplesSeen = fields.nSamplesSeen;
    this.nFeaturesIn = fields.nFeaturesIn;
  }

  /** `(x - mean) / scale` per feature (each step only when enabled); NaN stays NaN. */
  transform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true, cols: this.nFeaturesIn });
    const { rows, cols } = m;
    const out = m.data.slice();
    const mean = this.withMean ? this.mean : null;
    const scale = this.withStd ? this.scale : null;
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        let v = out[base + j];
        if (mean) v -= mean[j];
        if (scale) v /= scale[j];
        out[base + j] = v;
      }
    }
    return { rows, cols, data: out };
  }

  /** `x * scale + mean`: undoes `transform`. */
  inverseTransform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true, cols: this.nFeaturesIn });
    const { rows, cols } = m;
    const out = m.data.slice();
    const mean = this.withMean ? this.mean : null;
    const scale = this.withStd ? this.scale : null;
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        let v = out[base + j];
        if (scale) v *= scale[j];
        if (mean) v += mean[j];
        out[base + j] = v;
      }
    }
    return { rows, cols, data: out };
  }

  /** One output per input feature, same names (default `x0`, `x1`, ...). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    return inputNames(inputFeatures, null, this.nFeaturesIn);
  }

  toJSON() {
    return {
      type: "StandardScalerModel",
      version: 1,
      withMean: this.withMean,
      withStd: this.withStd,
      mean: encodeNullable(this.mean),
      var: encodeNullable(this.var),
      scale: encodeNullable(this.scale),
      nSamplesSeen: encodeNaN(this.nSamplesSeen),
      nFeaturesIn: this.nFeaturesIn,
    };
  }

  static fromJSON(json: unknown): StandardScalerModel {
    const j = expectJSON(json, "StandardScalerModel");
    const n = readInt(j, "nFeaturesIn");
    return new StandardScalerModel({
      withMean: readBool(j, "withMean"),
      withStd: readBool(j, "withStd"),
      mean: readVecOrNull(j, "mean", n),
      var: readVecOrNull(j, "var", n),
      scale: readVecOrNull(j, "scale", n),
      nSamplesSeen: readVec(j, "nSamplesSeen", n),
      nFeaturesIn: n,
    });
  }
}

registerModel("StandardScalerModel", (json) => StandardScalerModel.fromJSON(json));
