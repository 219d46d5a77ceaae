import {
  type Clusterer,
  type KMeansIterationHook,
  type KModes,
  type KPrototypes,
  type Logger,
  type Matrix,
  MinMaxScaler,
  Pipeline,
  PipelineModel,
  type PipelineStep,
  RobustScaler,
  type Serializable,
  StandardScaler,
  type TransformerModel,
} from "@clusterlab/core";
import { ALGORITHM_TABLE, type AlgorithmEstimator, coreOptions, type EstimatorContext } from "./algorithms.js";
import type { ClusterArgs, ScaleMethod } from "./args.js";
import { type Features, featureFrame } from "./features.js";

/** The unfitted scaler for `--scale` (undefined for `none`). */
export function makeScaler(scale: ScaleMethod): StandardScaler | MinMaxScaler | RobustScaler | undefined {
  switch (scale) {
    case "standard":
      return new StandardScaler();
    case "minmax":
      return new MinMaxScaler();
    case "robust":
      return new RobustScaler();
    case "none":
      return undefined;
  }
}

/** The parts of the parsed command line that choose and configure the estimator. */
export type EstimatorArgs = Pick<ClusterArgs, "algo" | "k" | "seed" | "options">;

/**
 * The unfitted estimator for `--algo` and its options (built by the algorithm table's `create`).
 * Numeric algorithms return a `Clusterer`; kmodes / kprototypes a `KModes` / `KPrototypes`, which
 * take a `Frame`.
 */
export function makeClusterer(args: EstimatorArgs, context: EstimatorContext): AlgorithmEstimator {
  return ALGORITHM_TABLE[args.algo].create(coreOptions(args.algo, args), context);
}

/** The parts of the parsed command line that build the pipeline `[scaler,] clusterer`. */
export type PipelineArgs = EstimatorArgs & Pick<ClusterArgs, "scale">;

/** The pipeline `[scaler,] clusterer` for a numeric algorithm; `onIteration` (k-means only) reports progress. */
export function makePipeline(args: PipelineArgs, logger: Logger, onIteration?: KMeansIterationHook): Pipeline {
  if (ALGORITHM_TABLE[args.algo].input !== "numeric") {
    throw new Error(`makePipeline: --algo ${args.algo} takes categorical columns (no numeric pipeline)`);
  }
  const scaler = makeScaler(args.scale);
  const steps: [string, PipelineStep][] = [];
  if (scaler) steps.push(["scaler", scaler]);
  steps.push([args.algo, makeClusterer(args, { logger, ...(onIteration && { onIteration }) }) as Clusterer]);
  return new Pipeline({ steps });
}

/**
 * Fits `[scaler,] clusterer` of `--algo` on the selected features (the fit step of `clusterlab
 * cluster`, shared with `clusterlab segments`): numeric algorithms as a `Pipeline`; kmodes /
 * kprototypes on the `Frame` of the (scaled) numeric and the categorical columns, wrapped in a
 * `PipelineModel`. `Xs`: the numeric features as the clusterer saw them (scaled), for the metrics.
 */
export function fitFeatures(
  args: PipelineArgs,
  features: Features,
  logger: Logger,
  onIteration?: KMeansIterationHook,
): { model: PipelineModel; Xs: Matrix } {
  const X = features.matrix;
  if (ALGORITHM_TABLE[args.algo].input === "numeric") {
    const model = makePipeline(args, logger, onIteration).fit(X);
    return { model, Xs: args.scale === "none" ? X : model.transform(X) };
  }
  const scaler = features.numericColumns.length > 0 ? makeScaler(args.scale) : undefined;
  const scalerModel: TransformerModel | undefined = scaler?.fit(X);
  const Xs = scalerModel ? scalerModel.transform(X) : X;
  const estimator = makeClusterer(args, { logger, categoricalColumns: features.categoricalColumns }) as
    | KModes
    | KPrototypes;
  const fitted = estimator.fit(featureFrame(features, Xs));
  const steps: [string, Serializable][] = [];
  if (scalerModel) steps.push(["scaler", scalerModel]);
  steps.push([args.algo, fitted]);
  return { model: new PipelineModel(steps), Xs };
}
