import { invalid } from "../errors.js";
import type { TransformerModel } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { registerModel } from "../serialize.js";
import { asMatrix, checkChoice } from "../validate.js";
import {
  decodeNumber,
  encodeNaN,
  encodeNumber,
  expectJSON,
  inputNames,
  readBool,
  readInt,
  readString,
  readVec,
  sortedColumn,
  sortedMedian,
} from "./internal.js";

/** How `SimpleImputer` fills a missing value. */
export type ImputeStrategy = "mean" | "median" | "mostFrequent" | "constant";

const STRATEGIES: readonly ImputeStrategy[] = ["mean", "median", "mostFrequent", "constant"];

/** Options for `SimpleImputer`. */
export interface SimpleImputerOptions {
  /**
   * `"mean"` / `"median"` of the observed values of the feature, `"mostFrequent"` value (ties: the
   * smallest), or `"constant"` (`fillValue`). Default `"mean"`.
   */
  strategy?: ImputeStrategy;
  /** The value for `strategy: "constant"` (a finite number). Default 0. */
  fillValue?: number;
  /**
   * The number that marks a missing value. Default NaN (then `null` in an array of rows also counts as
   * missing). With another number, NaN in the data is rejected.
   */
  missingValues?: number;
  /**
   * Keep features that have no observed value in fit, filled with 0 (`fillValue` for `"constant"`).
   * Default false: such features are dropped from the output (as scikit-learn does, also for
   * `"constant"`), with a warning.
   */
  keepEmptyFeatures?: boolean;
  /** Receives the warning about dropped empty features. Default `consoleLogger`. */
  logger?: Logger;
}

/**
 * Fills missing values per feature with a statistic learnt in fit, as scikit-learn's `SimpleImputer`
 * on numeric data.
 *
 * A feature with no observed value in fit is **dropped from the output** (its statistic is NaN), unless
 * `keepEmptyFeatures` is set; so the output can have fewer columns than the input
 * (`getFeatureNamesOut` tells which remain).
 */
export class SimpleImputer {
  readonly options: Readonly<SimpleImputerOptions>;

  constructor(options: SimpleImputerOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): SimpleImputerModel {
    const {
      strategy = "mean",
      fillValue = 0,
      missingValues = Number.NaN,
      keepEmptyFeatures = false,
      logger = consoleLogger,
    } = this.options;
    checkChoice(strategy, "strategy", STRATEGIES);
    if (typeof fillValue !== "number" || !Number.isFinite(fillValue)) {
      throw invalid("fillValue", fillValue, "must be a finite number");
    }
    if (typeof missingValues !== "number" || (!Number.isFinite(missingValues) && !Number.isNaN(missingValues))) {
      throw invalid("missingValues", missingValues, "must be a finite number or NaN");
    }
    if (typeof keepEmptyFeatures !== "boolean") {
      throw invalid("keepEmptyFeatures", keepEmptyFeatures, "must be a boolean");
    }
    const nanMissing = Number.isNaN(missingValues);
    const m0 = asMatrix(X, { allowNaN: nanMissing });
    // Work on a copy where every missing value is NaN.
    const m = nanMissing ? m0 : replaceWithNaN(m0, missingValues);
    const { cols } = m;
    const statistics = new Float64Array(cols);
    const empty: number[] = [];
    for (let j = 0; j < cols; j++) {
      const s = sortedColumn(m, j);
      if (s.length === 0) {
        empty.push(j);
        statistics[j] = keepEmptyFeatures ? (strategy === "constant" ? fillValue : 0) : Number.NaN;
        continue;
      }
      statistics[j] = statistic(s, strategy, fillValue);
    }
    if (empty.length > 0 && !keepEmptyFeatures) {
      logger.warn(
        `SimpleImputer: dropping features without any observed value: [${empty.join(", ")}] ` +
          `(strategy "${strategy}"); set keepEmptyFeatures to keep them`,
      );
    }
    return new SimpleImputerModel({
      strategy,
      fillValue,
      missingValues,
      keepEmptyFeatures,
      statistics,
      nFeaturesIn: cols,
    });
  }

  fitTransform(X: MatrixLike): { model: SimpleImputerModel; output: Matrix } {
    const model = this.fit(X);
    return { model, output: model.transform(X) };
  }
}

function replaceWithNaN(m: Matrix, missing: number): Matrix {
  const data = m.data.slice();
  for (let p = 0; p < data.length; p++) if (data[p] === missing) data[p] = Number.NaN;
  return { rows: m.rows, cols: m.cols, data };
}

/** The statistic of a non-empty sorted column. */
function statistic(s: Float64Array, strategy: ImputeStrategy, fillValue: number): number {
  switch (strategy) {
    case "mean": {
      let sum = 0;
      for (let i = 0; i < s.length; i++) sum += s[i];
      return sum / s.length;
    }
    case "median":
      return sortedMedian(s);
    case "mostFrequent": {
      // Sorted input: runs of equal values; the first longest run is the smallest mode.
      let best = s[0];
      let bestCount = 0;
      let i = 0;
      while (i < s.length) {
        let k = i + 1;
        while (k < s.length && s[k] === s[i]) k++;
        if (k - i > bestCount) {
          bestCount = k - i;
          best = s[i];
        }
        i = k;
      }
      return best;
    }
    case "constant":
      return fillValue;
  }
}

/** A fitted `SimpleImputer`. */
export class SimpleImputerModel implements TransformerModel {
  readonly strategy: ImputeStrategy;
  readonly fillValue: number;
  readonly missingValues: number;
  readonly keepEmptyFeatures: boolean;
  /** Per-feature fill value; NaN marks a feature that had no observed value and is dropped. */
  readonly statistics: Float64Array;
  readonly nFeaturesIn: number;
  /** Number of output columns (input features minus dropped empty ones). */
  readonly nFeaturesOut: number;
  private readonly kept: Int32Array;

  constructor(fields: {
    strategy: ImputeStrategy;
    fillValue: number;
    missingValues: number;
    keepEmptyFeatures: boolean;
    statistics: Float64Array;
    nFeaturesIn: number;
  }) {
    this.strategy = fields.strategy;
    this.fillValue = fields.fillValue;
    this.missingValues = fields.missingValues;
    this.keepEmptyFeatures = fields.keepEmptyFeatures;
    this.statistics = fields.statistics;
    this.nFeaturesIn = fields.nFeaturesIn;
    const kept: number[] = [];
    for (let j = 0; j < this.statistics.length; j++) if (!Number.isNaN(this.statistics[j])) kept.push(j);
    this.kept = Int32Array.from(kept);
    this.nFeaturesOut = kept.length;
  }

  /** Replaces missing values with `statistics`, dropping the features whose statistic is NaN. */
  transform(X: MatrixLike): Matrix {
    const nanMissing = Number.isNaN(this.missingValues);
    const m = asMatrix(X, { allowNaN: nanMissing, cols: this.nFeaturesIn });
    const { rows, cols, data } = m;
    const { kept, statistics, missingValues } = this;
    const k = kept.length;
    const out = new Float64Array(rows * k);
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let c = 0; c < k; c++) {
        const j = kept[c];
        const v = data[base + j];
        const missing = nanMissing ? Number.isNaN(v) : v === missingValues;
        out[i * k + c] = missing ? statistics[j] : v;
      }
    }
    return { rows, cols: k, data: out };
  }

  /** The input names of the kept features (default `x0`, `x1`, ...). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const names = inputNames(inputFeatures, null, this.nFeaturesIn);
    return Array.from(this.kept, (j) => names[j]);
  }

  toJSON() {
    return {
      type: "SimpleImputerModel",
      version: 1,
      strategy: this.strategy,
      fillValue: this.fillValue,
      missingValues: encodeNumber(this.missingValues),
      keepEmptyFeatures: this.keepEmptyFeatures,
      statistics: encodeNaN(this.statistics),
      nFeaturesIn: this.nFeaturesIn,
    };
  }

  static fromJSON(json: unknown): SimpleImputerModel {
    const j = expectJSON(json, "SimpleImputerModel");
    const n = readInt(j, "nFeaturesIn");
    return new SimpleImputerModel({
      strategy: readString(j, "strategy", STRATEGIES),
      fillValue: decodeNumber(j.fillValue, "fillValue"),
      missingValues: decodeNumber(j.missingValues, "missingValues"),
      keepEmptyFeatures: readBool(j, "keepEmptyFeatures"),
      statistics: readVec(j, "statistics", n),
      nFeaturesIn: n,
    });
  }
}

registerModel("SimpleImputerModel", (json) => SimpleImputerModel.fromJSON(json));
