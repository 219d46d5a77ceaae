import { invalid } from "../errors.js";
import type { TransformerModel } from "../estimator.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { registerModel } from "../serialize.js";
import { asMatrix } from "../validate.js";
import {
  encodeNullable,
  expectJSON,
  handleZerosInScale,
  inputNames,
  normalPpf,
  readBool,
  readInt,
  readVec,
  readVecOrNull,
  sortedColumn,
  sortedMedian,
  sortedPercentile,
} from "./internal.js";

/** Options for `RobustScaler`. */
export interface RobustScalerOptions {
  /** Subtract the per-feature median. Default true. */
  withCentering?: boolean;
  /** Divide by the per-feature quantile range. Default true. */
  withScaling?: boolean;
  /**
   * Percentiles `[qMin, qMax]` whose difference is the scale, with `0 <= qMin <= qMax <= 100`
   * (`0 < qMin < qMax < 100` with `unitVariance`). Default `[25, 75]` (the interquartile range).
   */
  quantileRange?: readonly [number, number];
  /**
   * Divide the scale by the same quantile range of a standard normal distribution, so normally
   * distributed features end with variance 1. Default false.
   */
  unitVariance?: boolean;
}

/**
 * Scales with statistics robust to outliers: `(x - median) / (q[qMax] - q[qMin])`, as scikit-learn's
 * `RobustScaler`. Percentiles use numpy's default linear interpolation. A zero quantile range (below
 * `10 * eps`) becomes 1. NaN is ignored in fit and kept by `transform`; a feature with no observed value
 * gets NaN statistics.
 */
export class RobustScaler {
  readonly options: Readonly<RobustScalerOptions>;

  constructor(options: RobustScalerOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): RobustScalerModel {
    const {
      withCentering = true,
      withScaling = true,
      quantileRange = [25, 75] as const,
      unitVariance = false,
    } = this.options;
    if (typeof withCentering !== "boolean") throw invalid("withCentering", withCentering, "must be a boolean");
    if (typeof withScaling !== "boolean") throw invalid("withScaling", withScaling, "must be a boolean");
    if (typeof unitVariance !== "boolean") throw invalid("unitVariance", unitVariance, "must be a boolean");
    checkQuantileRange(quantileRange, unitVariance);
    const m = asMatrix(X, { allowNaN: true });
    const { cols } = m;
    const center = withCentering ? new Float64Array(cols) : null;
    let scale: Float64Array | null = withScaling ? new Float64Array(cols) : null;
    const [qMin, qMax] = quantileRange;
    for (let j = 0; j < cols; j++) {
      const s = sortedColumn(m, j);
      if (center) center[j] = sortedMedian(s);
      if (scale) scale[j] = sortedPercentile(s, qMax) - sortedPercentile(s, qMin);
    }
    if (scale) {
      const s = handleZerosInScale(scale);
      if (unitVariance) {
        const adjust = normalPpf(qMax / 100) - normalPpf(qMin / 100);
        for (let j = 0; j < cols; j++) s[j] /= adjust;
      }
      scale = s;
    }
    return new RobustScalerModel({
      withCentering,
      withScaling,
      quantileRange: [qMin, qMax],
      unitVariance,
      center,
      scale,
      nFeaturesIn: cols,
    });
  }

  fitTransform(X: MatrixLike): { model: RobustScalerModel; output: Matrix } {
    const model = this.fit(X);
    return { model, output: model.transform(X) };
  }
}

function checkQuantileRange(r: readonly [number, number], unitVariance: boolean): void {
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw invalid("quantileRange", r, "must be [qMin, qMax] with finite numbers");
  }
  if (!(r[0] >= 0 && r[0] <= r[1] && r[1] <= 100)) {
    throw invalid("quantileRange", r, "must satisfy 0 <= qMin <= qMax <= 100");
  }
  if (unitVariance && !(r[0] > 0 && r[0] < r[1] && r[1] < 100)) {
    throw invalid("quantileRange", r, "must satisfy 0 < qMin < qMax < 100 with unitVariance");
  }
}

/** A fitted `RobustScaler`. Attributes mirror scikit-learn's (`null` where it has `None`). */
export class RobustScalerModel implements TransformerModel {
  readonly withCentering: boolean;
  readonly withScaling: boolean;
  readonly quantileRange: readonly [number, number];
  readonly unitVariance: boolean;
  /** Per-feature median (`null` when `withCentering` is false). */
  readonly center: Float64Array | null;
  /** Per-feature quantile range (1 where it is 0; divided by the normal's range with `unitVariance`); `null` when `withScaling` is false. */
  readonly scale: Float64Array | null;
  readonly nFeaturesIn: number;

  constructor(fields: {
    withCentering: boolean;
    withScaling: boolean;
    quantileRange: readonly [number, number];
    unitVariance: boolean;
    center: Float64Array | null;
    scale: Float64Array | null;
    nFeaturesIn: number;
  }) {
    this.withCentering = fields.withCentering;
    this.withScaling = fields.withScaling;
    this.quantileRange = [fields.quantileRange[0], fields.quantileRange[1]];
    this.unitVariance = fields.unitVariance;
    this.center = fields.center;
    this.scale = fields.scale;
    this.nFeaturesIn = fields.nFeaturesIn;
  }

  /** `(x - center) / scale` (each step only when enabled); NaN stays NaN. */
  transform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true, cols: this.nFeaturesIn });
    const { rows, cols } = m;
    const out = m.data.slice();
    const { center, scale } = this;
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        let v = out[base + j];
        if (center) v -= center[j];
        if (scale) v /= scale[j];
        out[base + j] = v;
      }
    }
    return { rows, cols, data: out };
  }

  /** `x * scale + center`: undoes `transform`. */
  inverseTransform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true, cols: this.nFeaturesIn });
    const { rows, cols } = m;
    const out = m.data.slice();
    const { center, scale } = this;
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        let v = out[base + j];
        if (scale) v *= scale[j];
        if (center) v += center[j];
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
      type: "RobustScalerModel",
      version: 1,
      withCentering: this.withCentering,
      withScaling: this.withScaling,
      quantileRange: [this.quantileRange[0], this.quantileRange[1]],
      unitVariance: this.unitVariance,
      center: encodeNullable(this.center),
      scale: encodeNullable(this.scale),
      nFeaturesIn: this.nFeaturesIn,
    };
  }

  static fromJSON(json: unknown): RobustScalerModel {
    const j = expectJSON(json, "RobustScalerModel");
    const n = readInt(j, "nFeaturesIn");
    const q = readVec(j, "quantileRange", 2);
    return new RobustScalerModel({
      withCentering: readBool(j, "withCentering"),
      withScaling: readBool(j, "withScaling"),
      quantileRange: [q[0], q[1]],
      unitVariance: readBool(j, "unitVariance"),
      center: readVecOrNull(j, "center", n),
      scale: readVecOrNull(j, "scale", n),
      nFeaturesIn: n,
    });
  }
}

registerModel("RobustScalerModel", (json) => RobustScalerModel.fromJSON(json));
