import type { ClusterModel, Frame, PipelineModel, TransformerModel } from "@clusterlab/core";
import { readTable, writeTable } from "@clusterlab/lab";
import { ALGORITHM_TABLE, type AlgorithmName } from "./algorithms.js";
import type { PredictArgs } from "./args.js";
import { featureFrame, gatherFeatures, selectFeatures } from "./features.js";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";
import { readModelFile } from "./modelFile.js";
import { clusterColumn, clusterSizes, countNoise, type PredictReport } from "./report.js";

/**
 * Runs `clusterlab predict`: applies a saved pipeline to the model's feature columns of a table
 * and writes the input rows plus a `cluster` column (-1 = noise). Numeric models run their
 * pipeline on the `columns`; kmodes / kprototypes models scale their numeric columns with the
 * pipeline's scaler step and predict from a `Frame` of those and the categorical columns.
 */
export async function runPredict(args: PredictArgs, io: CommandIO): Promise<PredictReport> {
  const start = performance.now();
  const { metadata, model } = await readModelFile(args.model);
  const table = await readTable(args.file, { format: args.format, delimiter: args.delimiter, header: args.header });
  const features = metadata.features
    ? gatherFeatures(table, metadata.features.numeric, metadata.features.categorical, args.dropMissing)
    : selectFeatures(table, "numeric", { columns: metadata.columns, exclude: [], dropMissing: args.dropMissing });
  const X = features.matrix;
  const { rowsDropped, rowIndex } = features;
  const n = X.rows;
  const loadSeconds = secondsSince(start);
  const progress = progressPrinter(io, !args.quiet && n > PROGRESS_MIN_ROWS);
  progress(`loaded ${n} rows from ${args.file} in ${loadSeconds.toFixed(2)}s`);
  const predictStart = performance.now();
  let labels: Int32Array;
  if (metadata.features) {
    const steps = (model as PipelineModel).steps;
    const final = steps[steps.length - 1][1] as unknown as { predict(X: Frame): Int32Array };
    const scaler = steps.length > 1 ? (steps[0][1] as TransformerModel) : undefined;
    const numeric = scaler && X.cols > 0 ? scaler.transform(X) : X;
    labels = final.predict(featureFrame(features, numeric));
  } else {
    labels = (model as ClusterModel).predict(X);
  }
  const predictSeconds = secondsSince(predictStart);
  const k = model.nClusters;
  if (args.out) {
    progress(`writing ${args.out}...`);
    await writeTable(args.out, table, { cluster: clusterColumn(labels, table.nRows, rowIndex) });
  }
  const algorithm = typeof metadata.spec?.algorithm === "string" ? metadata.spec.algorithm : null;
  const spec =
    algorithm !== null && Object.hasOwn(ALGORITHM_TABLE, algorithm)
      ? ALGORITHM_TABLE[algorithm as AlgorithmName]
      : null;
  return {
    input: args.file,
    model: args.model,
    algorithm,
    columns: metadata.columns,
    nSamples: n,
    rowsDropped,
    nClusters: k,
    clusterSizes: clusterSizes(labels, k),
    nNoise: countNoise(labels),
    predict: spec ? spec.predict : null,
    outputs: { out: args.out ?? null },
    timings: { loadSeconds, predictSeconds, totalSeconds: secondsSince(start) },
  };
}
