import {
  type Clusterer,
  type KMeansIterationHook,
  type Logger,
  MinMaxScaler,
  Pipeline,
  type PipelineStep,
  RobustScaler,
  StandardScaler,
} from "@clusterlab/core";
import { ALGORITHM_TABLE, type AlgorithmEstimator, coreOptions, type EstimatorContext } from "./algorithms.js";
import type { ClusterArgs, ScaleMethod } from "./args.js";

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

/** The pipeline `[scaler,] clusterer` for a numeric algorithm; `onIteration` (k-means only) reports progress. */
export function makePipeline(args: ClusterArgs, logger: Logger, onIteration?: KMeansIterationHook): Pipeline {
  if (ALGORITHM_TABLE[args.algo].input !== "numeric") {
    throw new Error(`makePipeline: --algo ${args.algo} takes categorical columns (no numeric pipeline)`);
  }
  const scaler = makeScaler(args.scale);
  const steps: [string, PipelineStep][] = [];
  if (scaler) steps.push(["scaler", scaler]);
  steps.push([args.algo, makeClusterer(args, { logger, ...(onIteration && { onIteration }) }) as Clusterer]);
  return new Pipeline({ steps });
}
