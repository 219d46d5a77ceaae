import {
  ColumnTransformer,
  type ColumnTransformerEntry,
  type Logger,
  MaxAbsScaler,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  PCA,
  Pipeline,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
  type Transformer,
} from "@clusterlab/core";
import type { PreprocessingSpec } from "../spec/analysisSpec.js";
import type { Complete } from "../spec/normalizeSpec.js";
import { Log1p } from "./log1p.js";
import { YeoJohnson } from "./yeoJohnson.js";

/** The preprocessing part of a normalised spec. */
export type NormalizedPreprocessing = Complete<PreprocessingSpec>;

/** A named, unfitted step. */
export type NamedTransformer = [string, Transformer];

/** Options of the builders below. */
export interface PreprocessingBuildOptions {
  /** Receives the transformers' warnings. Default: core's `consoleLogger`. */
  logger?: Logger;
  /** Leave the scaler out (the outlier pass looks at imputed, transformed, unscaled values). Default false. */
  withoutScaling?: boolean;
}

/** The unfitted scaler of a spec's `scaling`, or undefined for "none". */
export function scalerFor(scaling: NormalizedPreprocessing["scaling"]): Transformer | undefined {
  switch (scaling) {
    case "standard":
      return new StandardScaler();
    case "minmax":
      return new MinMaxScaler();
    case "robust":
      return new RobustScaler();
    case "maxabs":
      return new MaxAbsScaler();
    case "none":
      return undefined;
  }
}

/**
 * The numeric feature steps, in the spec's order: imputation (mean / median / constant; none for
 * "drop" and "error", whose rows are handled before fitting), the transform (log1p, Yeo-Johnson),
 * the scaler.
 */
export function numericSteps(
  pre: NormalizedPreprocessing,
  options: PreprocessingBuildOptions = {},
): NamedTransformer[] {
  const steps: NamedTransformer[] = [];
  const { numeric, numericFillValue } = pre.imputation;
  if (numeric === "mean" || numeric === "median" || numeric === "constant") {
    steps.push([
      "impute",
      new SimpleImputer({
        strategy: numeric,
        ...(numeric === "constant" && { fillValue: numericFillValue }),
        ...(options.logger && { logger: options.logger }),
      }),
    ]);
  }
  if (pre.transform === "log1p") steps.push(["log1p", new Log1p()]);
  else if (pre.transform === "yeoJohnson") steps.push(["yeoJohnson", new YeoJohnson()]);
  if (!options.withoutScaling) {
    const scaler = scalerFor(pre.scaling);
    if (scaler) steps.push(["scale", scaler]);
  }
  return steps;
}

/**
 * The categorical feature transformer: one-hot or ordinal codes. A missing category is imputed in
 * the fitted model itself so that `predict` handles it the same way:
 * - `mostFrequent`: ordinal codes, `SimpleImputer("mostFrequent")` on the codes (the most frequent
 *   category; ties to the first in sorted order), then one-hot encoding of the codes (output names
 *   `column_<code>`);
 * - `constant`: the missing value is a category of its own (one-hot's `column_nan`, ordinal code -1);
 * - `drop` / `error`: rows with a missing category never reach the model.
 * A category not seen in fit is encoded as all zeros (one-hot) or -1 (ordinal).
 */
export function categoricalTransformer(
  pre: NormalizedPreprocessing,
  options: PreprocessingBuildOptions = {},
): Transformer | undefined {
  if (pre.encoding === "none") return undefined;
  const logger = options.logger ? { logger: options.logger } : {};
  if (pre.imputation.categorical === "mostFrequent") {
    const steps: NamedTransformer[] = [
      ["codes", new OrdinalEncoder({ handleUnknown: "useEncodedValue", unknownValue: -1 })],
      ["impute", new SimpleImputer({ strategy: "mostFrequent", ...logger })],
    ];
    if (pre.encoding === "onehot") steps.push(["onehot", new OneHotEncoder({ handleUnknown: "ignore" })]);
    return new Pipeline({ steps });
  }
  if (pre.encoding === "onehot") return new OneHotEncoder({ handleUnknown: "ignore" });
  return new OrdinalEncoder({ handleUnknown: "useEncodedValue", unknownValue: -2, encodedMissingValue: -1 });
}

/**
 * The `ColumnTransformer` turning a frame of the feature columns into the numeric matrix the
 * clusterer sees: `num` (numeric steps, or passthrough) and `cat` (the categorical transformer),
 * output in that order. Undefined when nothing is left (no numeric and no encoded categorical column).
 */
export function featureTransformer(
  numeric: readonly string[],
  categorical: readonly string[],
  pre: NormalizedPreprocessing,
  options: PreprocessingBuildOptions = {},
): ColumnTransformer | undefined {
  const transformers: ColumnTransformerEntry[] = [];
  if (numeric.length > 0) {
    const steps = numericSteps(pre, options);
    transformers.push({
      name: "num",
      transformer: steps.length === 0 ? "passthrough" : new Pipeline({ steps }),
      columns: [...numeric],
    });
  }
  const cat = categorical.length > 0 ? categoricalTransformer(pre, options) : undefined;
  if (cat) transformers.push({ name: "cat", transformer: cat, columns: [...categorical] });
  if (transformers.length === 0) return undefined;
  return new ColumnTransformer({ transformers });
}

/** The PCA step of a spec's `pca`, or undefined for "none". */
export function pcaFor(pca: NormalizedPreprocessing["pca"], options: PreprocessingBuildOptions = {}): PCA | undefined {
  if (pca === "none") return undefined;
  const nComponents = "nComponents" in pca ? pca.nComponents : pca.varianceRatio;
  return new PCA({ nComponents, ...(options.logger && { logger: options.logger }) });
}
