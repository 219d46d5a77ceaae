import { invalid } from "../errors.js";
import type { TransformerModel } from "../estimator.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { registerModel } from "../serialize.js";
import { asMatrix } from "../validate.js";
import { encodeNaN, expectJSON, handleZerosInScale, inputNames, readBool, readInt, readVec } from "./internal.js";

/** Options for `MinMaxScaler`. */
export interface MinMaxScalerOptions {
  /** Target `[min, max]` of each feature on the training data; `min < max`, both finite. Default `[0, 1]`. */
  featureRange?: readonly [number, number];
  /** Clip transformed values into `featureRange` (for data outside the training range). Default false. */
  clip?: boolean;
}

/**
 * Rescales each feature linearly so that its training minimum and maximum map to `featureRange`:
 * `x * scale + min` with `scale = (hi - lo) / (dataMax - dataMin)`, as scikit-learn's `MinMaxScaler`.
 *
 * A constant feature (range below `10 * eps`) gets scale `hi - lo` on a range of 1 instead of a
 * division by zero, so it maps to `lo`. NaN is ignored in fit and kept by `transform`; a feature with
 * no observed value gets NaN statistics.
 */
export class MinMaxScaler {
  readonly options: Readonly<MinMaxScalerOptions>;

  constructor(options: MinMaxScalerOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): MinMaxScalerModel {
    const { featureRange = [0, 1] as const, clip = false } = this.options;
    checkRange(featureRange);
    if (typeof clip !== "boolean") throw invalid("clip", clip, "must be a boolean");
    const m = asMatrix(X, { allowNaN: true });
    const { rows, cols, data } = m;
    const dataMin = new Float64Array(cols).fill(Number.NaN);
    const dataMax = new Float64Array(cols).fill(Number.NaN);
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        const v = data[base + j];
        if (Number.isNaN(v)) continue;
        if (!(v >= dataMin[j])) dataMin[j] = v; // also replaces the initial NaN
        if (!(v <= dataMax[j])) dataMax[j] = v;
      }
    }
    const dataRange = new Float64Array(cols);
    for (let j = 0; j < cols; j++) dataRange[j] = dataMax[j] - dataMin[j];
    const denom = handleZerosInScale(dataRange.slice());
    const [lo, hi] = featureRange;
    const scale = new Float64Array(cols);
    const min = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      scale[j] = (hi - lo) / denom[j];
      min[j] = lo - dataMin[j] * scale[j];
    }
    return new MinMaxScalerModel({
      featureRange: [lo, hi],
      clip,
      min,
      scale,
      dataMin,
      dataMax,
      dataRange,
      nFeaturesIn: cols,
    });
  }

  fitTransform(X: MatrixLike): { model: MinMaxScalerModel; output: Matrix } {
    const model = this.fit(X);
    return { model, output: model.transform(X) };
  }
}

function checkRange(r: readonly [number, number]): void {
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw invalid("featureRange", r, "must be [min, max] with finite numbers");
  }
  if (r[0] >= r[1]) throw invalid("featureRange", r, "min must be smaller than max");
}

/** A fitted `MinMaxScaler`. */
export class MinMaxScalerModel implements TransformerModel {
  readonly featureRange: readonly [number, number];
  readonly clip: boolean;
  /** Per-feature offset: `featureRange[0] - dataMin * scale`. */
  readonly min: Float64Array;
  /** Per-feature factor: `(hi - lo) / dataRange` (range 1 for constant features). */
  readonly scale: Float64Array;
  readonly dataMin: Float64Array;
  readonly dataMax: Float64Array;
  readonly dataRange: Float64Array;
  readonly nFeaturesIn: number;

  constructor(fields: {
    featureRange: readonly [number, number];
    clip: boolean;
    min: Float64Array;
    scale: Float64Array;
    dataMin: Float64Array;
    dataMax: Float64Array;
    dataRange: Float64Array;
    nFeaturesIn: number;
  }) {
    this.featureRange = [fields.featureRange[0], fields.featureRange[1]];
    this.clip = fields.clip;
    this.min = fields.min;
    this.scale = fields.scale;
    this.dataMin = fields.dataMin;
    this.dataMax = fields.dataMax;
    this.dataRange = fields.dataRange;
    this.nFeaturesIn = fields.nFeaturesIn;
  }

  /** `x * scale + min`, clipped to `featureRange` when `clip`; NaN stays NaN. */
  transform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true, cols: this.nFeaturesIn });
    const { rows, cols } = m;
    const out = m.data.slice();
    const { scale, min, clip } = this;
    const [lo, hi] = this.featureRange;
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        let v = out[base + j] * scale[j] + min[j];
        if (clip && v < lo) v = lo;
        else if (clip && v > hi) v = hi;
        out[base + j] = v;
      }
    }
    return { rows, cols, data: out };
  }

  /** `(x - min) / scale`: undoes `transform` (not the clipping). */
  inverseTransform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true, cols: this.nFeaturesIn });
    const { rows, cols } = m;
    const out = m.data.slice();
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) out[base + j] = (out[base + j] - this.min[j]) / this.scale[j];
    }
    return { rows, cols, data: out };
  }

  /** One output per input feature, same names (default `x0`, `x1`, ...). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    return inputNames(inputFeatures, null, this.nFeaturesIn);
  }

  toJSON() {
    return {
      type: "MinMaxScalerModel",
      version: 1,
      featureRange: [this.featureRange[0], this.featureRange[1]],
      clip: this.clip,
      min: encodeNaN(this.min),
      scale: encodeNaN(this.scale),
      dataMin: encodeNaN(this.dataMin),
      dataMax: encodeNaN(this.dataMax),
      dataRange: encodeNaN(this.dataRange),
      nFeaturesIn: this.nFeaturesIn,
    };
  }

  static fromJSON(json: unknown): MinMaxScalerModel {
    const j = expectJSON(json, "MinMaxScalerModel");
    const n = readInt(j, "nFeaturesIn");
    const range = readVec(j, "featureRange", 2);
    checkRange([range[0], range[1]]);
    return new MinMaxScalerModel({
      featureRange: [range[0], range[1]],
      clip: readBool(j, "clip"),
      min: readVec(j, "min", n),
      scale: readVec(j, "scale", n),
      dataMin: readVec(j, "dataMin", n),
      dataMax: readVec(j, "dataMax", n),
      dataRange: readVec(j, "dataRange", n),
      nFeaturesIn: n,
    });
  }
}

registerModel("MinMaxScalerModel", (json) => MinMaxScalerModel.fromJSON(json));
