import {
  BisectingKMeans,
  KMeans,
  type KMeansIterationHook,
  type Logger,
  MiniBatchKMeans,
  MinMaxScaler,
  Pipeline,
  type PipelineStep,
  RobustScaler,
  StandardScaler,
} from "@clusterlab/core";
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

/** The unfitted clusterer for `--algo` and its options; `onIteration` (k-means only) reports progress. */
export function makeClusterer(
  args: ClusterArgs,
  logger: Logger,
  onIteration?: KMeansIterationHook,
): KMeans | MiniBatchKMeans | BisectingKMeans {
  const common = {
    nClusters: args.k,
    seed: args.seed,
    logger,
    ...(args.init !== undefined && { init: args.init }),
    ...(args.nInit !== undefined && { nInit: args.nInit }),
    ...(args.maxIter !== undefined && { maxIter: args.maxIter }),
    ...(args.tol !== undefined && { tol: args.tol }),
  };
  switch (args.algo) {
    case "kmeans":
      return new KMeans({ ...common, ...(onIteration && { onIteration }) });
    case "minibatch-kmeans":
      return new MiniBatchKMeans({ ...common, ...(args.batchSize !== undefined && { batchSize: args.batchSize }) });
    case "bisecting-kmeans":
      return new BisectingKMeans(common);
  }
}

/** The pipeline `[scaler,] clusterer` for the command line. */
export function makePipeline(args: ClusterArgs, logger: Logger, onIteration?: KMeansIterationHook): Pipeline {
  const scaler = makeScaler(args.scale);
  const steps: [string, PipelineStep][] = [];
  if (scaler) steps.push(["scaler", scaler]);
  steps.push([args.algo, makeClusterer(args, logger, onIteration)]);
  return new Pipeline({ steps });
}
