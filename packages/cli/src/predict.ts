import { numericMatrix, readTable, writeTable } from "@clusterlab/lab";
import type { PredictArgs } from "./args.js";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";
import { readModelFile } from "./modelFile.js";
import { clusterColumn, clusterSizes, type PredictReport } from "./report.js";

/**
 * Runs `clusterlab predict`: applies a saved pipeline to the model's feature columns of a table
 * and writes the input rows plus a `cluster` column.
 */
export async function runPredict(args: PredictArgs, io: CommandIO): Promise<PredictReport> {
  const start = performance.now();
  const { metadata, model } = await readModelFile(args.model);
  const table = await readTable(args.file, { format: args.format, delimiter: args.delimiter, header: args.header });
  const {
    matrix: X,
    rowsDropped,
    rowIndex,
  } = numericMatrix(table, {
    columns: metadata.columns,
    dropMissing: args.dropMissing,
    dropMissingHint: "--drop-missing",
  });
  const loadSeconds = secondsSince(start);
  const progress = progressPrinter(io, !args.quiet && X.rows > PROGRESS_MIN_ROWS);
  progress(`loaded ${X.rows} rows from ${args.file} in ${loadSeconds.toFixed(2)}s`);
  const predictStart = performance.now();
  const labels = model.predict(X);
  const predictSeconds = secondsSince(predictStart);
  const k = model.nClusters;
  if (args.out) {
    progress(`writing ${args.out}...`);
    await writeTable(args.out, table, { cluster: clusterColumn(labels, table.nRows, rowIndex) });
  }
  return {
    input: args.file,
    model: args.model,
    columns: metadata.columns,
    nSamples: X.rows,
    rowsDropped,
    nClusters: k,
    clusterSizes: clusterSizes(labels, k),
    outputs: { out: args.out ?? null },
    timings: { loadSeconds, predictSeconds, totalSeconds: secondsSince(start) },
  };
}
