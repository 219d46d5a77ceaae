import type { TransformerModel } from "../estimator.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { registerModel } from "../serialize.js";
import { asMatrix } from "../validate.js";
import { encodeNaN, expectJSON, handleZerosInScale, inputNames, readInt, readVec } from "./internal.js";

/** `MaxAbsScaler` has no options; the interface exists for symmetry with the other scalers. */
export type MaxAbsScalerOptions = Record<string, never>;

/**
 * Divides each feature by its maximum absolute value, so values land in [-1, 1] without shifting
 * (zeros stay zeros), as scikit-learn's `MaxAbsScaler`. An all-zero feature (max below `10 * eps`) gets
 * scale 1. NaN is ignored in fit and kept by `transform`.
 */
export class MaxAbsScaler {
  readonly options: Readonly<MaxAbsScalerOptions>;

  constructor(options: MaxAbsScalerOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): MaxAbsScalerModel {
    const m = asMatrix(X, { allowNaN: true });
    const { rows, cols, data } = m;
    const maxAbs = new Float64Array(cols).fill(Number.NaN);
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        const v = Math.abs(data[base + j]);
        if (!Number.isNaN(v) && !(v <= maxAbs[j])) maxAbs[j] = v;
      }
    }
    return new MaxAbsScalerModel({ maxAbs, scale: handleZerosInScale(maxAbs.slice()), nFeaturesIn: cols });
  }

  fitTransform(X: MatrixLike): { model: MaxAbsScalerModel; output: Matrix } {
    const model = this.fit(X);
    return { model, output: model.transform(X) };
  }
}

/** A fitted `MaxAbsScaler`. */
export class MaxAbsScalerModel implements TransformerModel {
  /** Per-feature maximum absolute value (NaN for a feature without observed values). */
  readonly maxAbs: Float64Array;
  /** Per-feature divisor: `maxAbs`, 1 where it is (near) zero. */
  readonly scale: Float64Array;
  readonly nFeaturesIn: number;

  constructor(fields: { maxAbs: Float64Array; scale: Float64Array; nFeaturesIn: number }) {
    this.maxAbs = fields.maxAbs;
    this.scale = fields.scale;
    this.nFeaturesIn = fields.nFeaturesIn;
  }

  /** `x / scale`; NaN stays NaN. */
  transform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true, cols: this.nFeaturesIn });
    const { rows, cols } = m;
    const out = m.data.slice();
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) out[base + j] /= this.scale[j];
    }
    return { rows, cols, data: out };
  }

  /** `x * scale`: undoes `transform`. */
  inverseTransform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true, cols: this.nFeaturesIn });
    const { rows, cols } = m;
    const out = m.data.slice();
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) out[base + j] *= this.scale[j];
    }
    return { rows, cols, data: out };
  }

  /** One output per input feature, same names (default `x0`, `x1`, ...). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    return inputNames(inputFeatures, null, this.nFeaturesIn);
  }

  toJSON() {
    return {
      type: "MaxAbsScalerModel",
      version: 1,
      maxAbs: encodeNaN(this.maxAbs),
      scale: encodeNaN(this.scale),
      nFeaturesIn: this.nFeaturesIn,
    };
  }

  static fromJSON(json: unknown): MaxAbsScalerModel {
    const j = expectJSON(json, "MaxAbsScalerModel");
    const n = readInt(j, "nFeaturesIn");
    return new MaxAbsScalerModel({ maxAbs: readVec(j, "maxAbs", n), scale: readVec(j, "scale", n), nFeaturesIn: n });
  }
}

registerModel("MaxAbsScalerModel", (json) => MaxAbsScalerModel.fromJSON(json));
