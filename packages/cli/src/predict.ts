import type { ClusterModel, Frame, PipelineModel, TransformerModel } from "@clusterlab/core";
import { DataError, modelFromFile, predictTable, readTable, type Table, UNASSIGNED, writeTable } from "@clusterlab/lab";
import { ALGORITHM_TABLE, type AlgorithmName } from "./algorithms.js";
import type { PredictArgs } from "./args.js";
import { featureFrame, gatherFeatures, selectFeatures } from "./features.js";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";
import { fittedCategories, readModelFile } from "./modelFile.js";
import { clusterColumn, clusterSizes, countNoise, type PredictReport } from "./report.js";

const quote = (s: string) => JSON.stringify(s);

/** Stops with a `DataError` when `table` lacks any of the model's feature columns. */
export function checkModelColumns(table: Table, needed: readonly string[], modelPath: string): void {
  const have = new Set(table.columns.map((c) => c.name));
  const missing = needed.filter((c) => !have.has(c));
  if (missing.length === 0) return;
  throw new DataError(
    `${table.source} has no column${missing.length === 1 ? "" : "s"} ${missing.map(quote).join(", ")}, which the model ${modelPath} needs (its features: ${needed.join(", ")}; the file has: ${table.columns.map((c) => c.name).join(", ")})`,
  );
}

/**
 * Stops with a `DataError` at the first value of a categorical feature that the model never saw
 * in fitting (naming the column, the value, its row and how many rows have unseen values), since
 * such a row has no defined cluster. Missing values are left to the model's imputation.
 */
export function checkUnseenCategories(
  table: Table,
  categorical: readonly string[],
  known: Map<string, Set<string>>,
  header: boolean,
): void {
  for (const name of categorical) {
    const categories = known.get(name);
    const column = table.columns.find((c) => c.name === name);
    if (!categories || !column) continue;
    let first = -1;
    let count = 0;
    for (let i = 0; i < table.nRows; i++) {
      const v = column.values[i];
      if (v === null || (typeof v === "number" && Number.isNaN(v))) continue;
      if (!categories.has(String(v))) {
        if (first < 0) first = i;
        count++;
      }
    }
    if (first >= 0) {
      const value = String(column.values[first]);
      const list = [...categories];
      const shown = list.length > 12 ? `${list.slice(0, 12).map(quote).join(", ")}, ...` : list.map(quote).join(", ");
      throw new DataError(
        `unseen category ${quote(value)} in column ${quote(name)} of ${table.source}: row ${first + 1}${header ? ` (line ${first + 2})` : ""}` +
          `${count > 1 ? ` and ${count - 1} more row${count === 2 ? "" : "s"}` : ""}; the model was fitted on ${list.length} categor${list.length === 1 ? "y" : "ies"}: ${shown}`,
      );
    }
  }
}

/**
 * Runs `clusterlab predict`: applies a saved model to a table and writes the input rows plus a
 * `cluster` column (-1 = noise, empty for a row left unassigned).
 *
 * - Model files of an analysis run (`clusterlab run --model`, `saveModel`; their metadata has a
 *   `layout`) are restored with lab's `modelFromFile` and applied with `predictTable`: the same
 *   imputation, transform, scaling and encoding (one-hot / ordinal, or kmodes / kprototypes
 *   categories) as in fitting.
 * - Model files of `clusterlab cluster --model`: numeric models run their pipeline on the
 *   `columns`; kmodes / kprototypes models scale their numeric columns with the pipeline's scaler
 *   step and predict from a `Frame` of those and the categorical columns.
 *
 * Errors name the problem: a feature column the file lacks, a category the model never saw
 * (column, value, row), a numeric feature that is not numbers, missing values the model cannot
 * impute (unless `--drop-missing`).
 */
export async function runPredict(args: PredictArgs, io: CommandIO): Promise<PredictReport> {
  const start = performance.now();
  const { metadata, model, json } = await readModelFile(args.model);
  const table = await readTable(args.file, {
    format: args.format,
    delimiter: args.delimiter,
    header: args.header,
    ...(args.encoding !== undefined && { encoding: args.encoding }),
    ...(args.table !== undefined && { table: args.table }),
  });
  const known = fittedCategories(model);
  if (metadata.layout) return predictAnalysis(args, io, { json, table, known, start });

  const needed = metadata.features
    ? [...metadata.features.numeric, ...metadata.features.categorical]
    : metadata.columns;
  checkModelColumns(table, needed, args.model);
  if (metadata.features) checkUnseenCategories(table, metadata.features.categorical, known, args.header);
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
    predict: predictRule(algorithm),
    outputs: { out: args.out ?? null },
    timings: { loadSeconds, predictSeconds, totalSeconds: secondsSince(start) },
  };
}

function predictRule(algorithm: string | null): PredictReport["predict"] {
  return algorithm !== null && Object.hasOwn(ALGORITHM_TABLE, algorithm)
    ? ALGORITHM_TABLE[algorithm as AlgorithmName].predict
    : null;
}

/** The first row (0-based) with a missing value in `name`, and how many rows have one. */
function missingIn(table: Table, name: string): { first: number; count: number } {
  const column = table.columns.find((c) => c.name === name)!;
  let first = -1;
  let count = 0;
  for (let i = 0; i < table.nRows; i++) {
    const v = column.values[i];
    if (v === null || (typeof v === "number" && Number.isNaN(v))) {
      if (first < 0) first = i;
      count++;
    }
  }
  return { first, count };
}

/** `clusterlab predict` with the model file of an analysis run (see `runPredict`). */
async function predictAnalysis(
  args: PredictArgs,
  io: CommandIO,
  ctx: { json: unknown; table: Table; known: Map<string, Set<string>>; start: number },
): Promise<PredictReport> {
  const { table, start } = ctx;
  const analysis = modelFromFile(ctx.json, `model file ${args.model}`);
  const { numeric, categorical } = analysis.layout;
  const columns = [...numeric, ...categorical];
  checkModelColumns(table, columns, args.model);
  for (const name of numeric) {
    const column = table.columns.find((c) => c.name === name)!;
    if (column.kind !== "numeric") {
      throw new DataError(
        `column ${quote(name)} of ${table.source} was read as ${column.type}, but the model ${args.model} uses it as a number`,
      );
    }
  }
  checkUnseenCategories(table, categorical, ctx.known, args.header);
  const imputation = analysis.spec.preprocessing.imputation;
  if (!args.dropMissing) {
    const noImputer = [
      ...(imputation.numeric === "drop" || imputation.numeric === "error" ? numeric : []),
      ...(imputation.categorical === "drop" || imputation.categorical === "error" ? categorical : []),
    ];
    for (const name of noImputer) {
      const { first, count } = missingIn(table, name);
      if (count > 0) {
        const how = numeric.includes(name) ? imputation.numeric : imputation.categorical;
        throw new DataError(
          `column ${quote(name)} has ${count} missing value${count === 1 ? "" : "s"} (first in row ${first + 1}); the model was fitted with imputation "${how}", so it cannot fill them: pass --drop-missing to leave these rows without a cluster`,
        );
      }
    }
  }
  const loadSeconds = secondsSince(start);
  const progress = progressPrinter(io, !args.quiet && table.nRows > PROGRESS_MIN_ROWS);
  progress(`loaded ${table.nRows} rows from ${args.file} in ${loadSeconds.toFixed(2)}s`);
  const predictStart = performance.now();
  const all = predictTable(analysis, table);
  const predictSeconds = secondsSince(predictStart);
  let assigned = 0;
  for (let i = 0; i < all.length; i++) if (all[i] !== UNASSIGNED) assigned++;
  const rowIndex = new Int32Array(assigned);
  const labels = new Int32Array(assigned);
  for (let i = 0, r = 0; i < all.length; i++) {
    if (all[i] === UNASSIGNED) continue;
    rowIndex[r] = i;
    labels[r++] = all[i];
  }
  if (args.out) {
    progress(`writing ${args.out}...`);
    await writeTable(args.out, table, {
      cluster: clusterColumn(labels, table.nRows, assigned === table.nRows ? undefined : rowIndex),
    });
  }
  const k = analysis.pipeline.nClusters;
  const algorithm = analysis.spec.algorithm.name;
  return {
    input: args.file,
    model: args.model,
    algorithm,
    columns,
    nSamples: assigned,
    rowsDropped: table.nRows - assigned,
    nClusters: k,
    clusterSizes: clusterSizes(labels, k),
    nNoise: countNoise(labels),
    predict: predictRule(algorithm),
    outputs: { out: args.out ?? null },
    timings: { loadSeconds, predictSeconds, totalSeconds: secondsSince(start) },
  };
}
