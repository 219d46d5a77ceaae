import { resolve } from "node:path";
import {
  adjustedRandScore,
  ClusterlabError,
  ColumnTransformerModel,
  type Frame,
  type Matrix,
  memoryLogger,
  OrdinalEncoderModel,
  PipelineModel,
  Random,
} from "@clusterlab/core";
import { DataError } from "../errors.js";
import { readTable } from "../readTable.js";
import type { NormalizedAnalysisSpec } from "../spec/normalizeSpec.js";
import { normalizeSpec } from "../spec/normalizeSpec.js";
import { validateSpec } from "../spec/validateSpec.js";
import type { Store } from "../store/openStore.js";
import { getColumn, type Table } from "../table.js";
import { type AnalysisModel, fitAnalysis } from "./analysisModel.js";
import { ALGORITHM_INFO } from "./estimatorFromSpec.js";
import { featureFrame, resolveFeatures } from "./resolveFeatures.js";
import { removeOutliers, usableRows } from "./rowFilters.js";
import { type RunMetrics, type RunResult, type RunTimings, type TestEvaluation, UNASSIGNED } from "./runResult.js";
import {
  clusterSizes,
  countNoise,
  externalMetrics,
  internalMetrics,
  SILHOUETTE_SAMPLE_SIZE,
} from "./scoreClustering.js";

/** The phases `runSpec` reports through `onProgress`. */
export type RunPhase = "read" | "prepare" | "fit" | "metrics" | "test" | "save" | "done";

/** One progress report of `runSpec`. */
export interface RunProgress {
  phase: RunPhase;
  /** One line for people, e.g. `fitting kmeans on 150 rows x 4 features`. */
  message: string;
}

/** Options for `runSpec`. */
export interface RunSpecOptions {
  /**
   * Save the run (spec, metrics, timings, labels, model) in this store; a run that fails after the
   * spec validated is recorded as failed. Also resolves `data.dataset` ids. Default: not saved.
   */
  store?: Store;
  /** Called at the start of each phase (and every second during a long k-means fit). Default none. */
  onProgress?: (event: RunProgress) => void;
  /** Aborts the run between phases (and between k-means iterations) with a `RunAbortedError`. Default none. */
  signal?: AbortSignal;
  /** Directory that relative `data.path`s are resolved against. Default `process.cwd()`. */
  baseDir?: string;
  /** The input table, already read (the spec's `data` is then only recorded, not read). Default: read `data`. */
  table?: Table;
  /** Silhouette on a seeded sample of this many rows above it. Default 10,000. */
  silhouetteSampleSize?: number;
}

/** The run was aborted through `RunSpecOptions.signal`. */
export class RunAbortedError extends ClusterlabError {
  override readonly name = "RunAbortedError";
}

function seconds(start: number): number {
  return Math.round(performance.now() - start) / 1000;
}

/** Lets pending events (an abort) through, then throws if the run was aborted. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise((r) => setImmediate(r));
  if (signal.aborted) throw new RunAbortedError("run aborted");
}

/** Reads the spec's data: a file relative to `baseDir`, or a dataset of the store. */
export async function readSpecData(
  spec: NormalizedAnalysisSpec,
  options: { baseDir?: string; store?: Store } = {},
): Promise<{ table: Table; source: string }> {
  const data = spec.data;
  if ("path" in data) {
    const path = resolve(options.baseDir ?? process.cwd(), data.path);
    const table = await readTable(path, {
      format: data.format,
      ...(data.delimiter !== undefined && { delimiter: data.delimiter }),
      ...(data.header !== undefined && { header: data.header }),
      ...(data.encoding !== undefined && { encoding: data.encoding }),
      ...(data.table !== undefined && { table: data.table }),
    });
    return { table, source: path };
  }
  if (!options.store) {
    throw new DataError(`data.dataset ${JSON.stringify(data.dataset)} needs a store to look it up in (none given)`);
  }
  const dataset = await options.store.getDataset(data.dataset);
  const table = await readTable(dataset.path, { format: dataset.format });
  return { table, source: dataset.path };
}

/** Splits `rows` at random (seeded) into a fitting part and a held-out part of `testSize`. */
export function holdoutSplit(
  rows: Int32Array,
  testSize: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  const n = rows.length;
  const nTest = Math.round(testSize * n);
  if (nTest < 2 || n - nTest < 2) {
    throw new DataError(
      `split.testSize ${testSize} of ${n} rows leaves ${nTest} held-out and ${n - nTest} fitting rows (each needs at least 2)`,
    );
  }
  const order = new Random(seed).shuffle(Int32Array.from(rows));
  const test = order.slice(0, nTest).sort();
  const train = order.slice(nTest).sort();
  return { train, test };
}

function targetValues(table: Table, target: string, rows: Int32Array): (string | number | null)[] {
  const column = getColumn(table, target);
  return Array.from(rows, (r) => column.values[r]);
}

/** The model's own fit statistics (inertia, cost, BIC/AIC) where it has them. */
function modelStatistics(model: AnalysisModel, X: Matrix, warnings: string[]): Partial<RunMetrics> {
  const final = model.finalModel as unknown as {
    inertia?: unknown;
    cost?: unknown;
    bic?: (X: Matrix) => number;
    aic?: (X: Matrix) => number;
  };
  const out: Partial<RunMetrics> = {};
  if (typeof final.inertia === "number" && Number.isFinite(final.inertia)) out.inertia = final.inertia;
  if (typeof final.cost === "number" && Number.isFinite(final.cost)) out.cost = final.cost;
  if (typeof final.bic === "function" && typeof final.aic === "function") {
    try {
      out.bic = final.bic(X);
      out.aic = final.aic(X);
    } catch (error) {
      if (!(error instanceof ClusterlabError)) throw error;
      warnings.push(`bic/aic not computed: ${error.message}`);
    }
  }
  return out;
}

/**
 * One-hot columns of imputed categories are named by code (`cat__island_0`): name them by category
 * (`cat__island_Biscoe`) from the pipeline's ordinal step.
 */
function categoryNames(model: AnalysisModel, names: string[]): string[] {
  const columns = model.pipeline.steps.find(([n]) => n === "columns")?.[1];
  if (!(columns instanceof ColumnTransformerModel)) return names;
  const cat = columns.transformers.find((e) => e.name === "cat")?.model;
  if (!(cat instanceof PipelineModel)) return names;
  const codes = cat.steps.find(([n]) => n === "codes")?.[1];
  if (!(codes instanceof OrdinalEncoderModel)) return names;
  const order = model.layout.categorical.map((name, j) => ({ name, j })).sort((a, b) => b.name.length - a.name.length);
  return names.map((name) => {
    for (const { name: column, j } of order) {
      const prefix = `cat__${column}_`;
      if (!name.startsWith(prefix)) continue;
      const code = Number(name.slice(prefix.length));
      const categories = codes.categories[j];
      if (Number.isInteger(code) && code >= 0 && code < categories.length)
        return `${prefix}${String(categories[code])}`;
      return name;
    }
    return name;
  });
}

/** Names of the columns of the matrix the clusterer saw. */
function outputNames(model: AnalysisModel, cols: number): string[] {
  if (model.input !== "numeric") return model.columns;
  try {
    const names = model.pipeline.getFeatureNamesOut(model.columns);
    if (names.length === cols) return categoryNames(model, names);
  } catch {
    // fall through
  }
  return Array.from({ length: cols }, (_, j) => `pc${j + 1}`);
}

/**
 * Executes an analysis spec: validates and normalises it (a `SpecError` names the field), reads the
 * data, applies the column roles, drops or refuses rows with missing values as the spec says, holds
 * out a seeded test split if asked, removes IQR outliers from the fitting rows, fits the
 * preprocessing and the algorithm as one core `Pipeline` (`ColumnTransformer` of imputation,
 * transform, scaling and encoding, then PCA, then the clusterer), and scores the result: silhouette
 * (sampled and seeded above 10,000 rows), Calinski-Harabasz, Davies-Bouldin (noise excluded),
 * inertia / cost / BIC where the model has them, ARI and NMI against the target. With a split, the
 * held-out rows are predicted, scored, and compared (ARI) with a refit on them alone.
 *
 * Deterministic: the same normalised spec on the same data gives the same labels, bit for bit.
 * With a `store`, the run is saved (in one transaction) and `runId` is set; a failure after
 * validation is recorded as a failed run and rethrown. An invalid spec leaves the store untouched.
 */
export async function runSpec(spec: unknown, options: RunSpecOptions = {}): Promise<RunResult> {
  const normalized = normalizeSpec(validateSpec(spec));
  const baseDir = resolve(options.baseDir ?? process.cwd());
  const { store } = options;
  try {
    return await executeSpec(normalized, { ...options, baseDir });
  } catch (error) {
    if (store) {
      try {
        await store.recordFailedRun(normalized, error, { baseDir });
      } catch {
        // the original error matters more
      }
    }
    throw error;
  }
}

async function executeSpec(
  spec: NormalizedAnalysisSpec,
  options: RunSpecOptions & { baseDir: string },
): Promise<RunResult> {
  const start = performance.now();
  const { signal, store } = options;
  const report = options.onProgress ?? (() => {});
  const warnings: string[] = [];
  const logger = memoryLogger();
  const info = ALGORITHM_INFO[spec.algorithm.name];

  await checkpoint(signal);
  report({
    phase: "read",
    message: "path" in spec.data ? `reading ${spec.data.path}` : `reading dataset ${spec.data.dataset}`,
  });
  let phase = performance.now();
  const { table, source } = options.table
    ? { table: options.table, source: options.table.source }
    : await readSpecData(spec, { baseDir: options.baseDir, ...(store && { store }) });
  const readSeconds = seconds(phase);

  await checkpoint(signal);
  report({ phase: "prepare", message: `preparing ${table.nRows} rows` });
  phase = performance.now();
  const features = resolveFeatures(table, spec, info.input);
  warnings.push(...features.warnings);
  const { numeric, categorical } = features;
  const pre = spec.preprocessing;
  const usable = usableRows(table, numeric, categorical, pre);
  let train = usable.rows;
  let test: Int32Array | null = null;
  if (spec.split !== "none") {
    const split = holdoutSplit(usable.rows, spec.split.testSize, spec.split.seed);
    train = split.train;
    test = split.test;
  }
  const cleaned = removeOutliers(table, numeric, train, pre, logger);
  if (cleaned.warning) warnings.push(cleaned.warning);
  train = cleaned.rows;
  const outliers = cleaned.removed;
  if (pre.pca !== "none" && info.input !== "numeric") {
    warnings.push(`preprocessing.pca is not applied: ${spec.algorithm.name} takes categories directly`);
  }
  const prepareSeconds = seconds(phase);

  await checkpoint(signal);
  const nFeatures = numeric.length + categorical.length;
  report({ phase: "fit", message: `fitting ${spec.algorithm.name} on ${train.length} rows x ${nFeatures} features` });
  phase = performance.now();
  let lastReport = performance.now();
  const onIteration =
    spec.algorithm.name === "kmeans" && (signal || options.onProgress)
      ? (it: { run: number; iteration: number; inertia: number }) => {
          if (signal?.aborted) throw new RunAbortedError("run aborted");
          const now = performance.now();
          if (now - lastReport >= 1000) {
            lastReport = now;
            report({
              phase: "fit",
              message: `run ${it.run + 1}, iteration ${it.iteration}: inertia ${it.inertia.toPrecision(6)}`,
            });
          }
        }
      : undefined;
  const trainFrame: Frame = featureFrame(table, [...numeric, ...categorical], train);
  const model = fitAnalysis(spec, { numeric, categorical }, trainFrame, {
    logger,
    ...(onIteration && { onIteration }),
  });
  const fitLabels = model.labels;
  const fitSeconds = seconds(phase);

  await checkpoint(signal);
  report({ phase: "metrics", message: "computing metrics" });
  phase = performance.now();
  const sampleSize = options.silhouetteSampleSize ?? SILHOUETTE_SAMPLE_SIZE;
  const space = model.featureSpace(trainFrame);
  const metrics: RunMetrics = {
    ...internalMetrics(space.X, fitLabels, {
      seed: spec.seed,
      sampleSize,
      metric: space.metric,
      centroidScores: space.centroidScores,
      warnings,
    }),
    ...modelStatistics(model, space.X, warnings),
  };
  if (features.target !== null)
    metrics.external = externalMetrics(targetValues(table, features.target, train), fitLabels);
  const metricsSeconds = seconds(phase);

  let evaluation: TestEvaluation | null = null;
  let testSeconds = 0;
  const labels = new Int32Array(table.nRows).fill(UNASSIGNED);
  for (let r = 0; r < train.length; r++) labels[train[r]] = fitLabels[r];
  if (test) {
    await checkpoint(signal);
    report({ phase: "test", message: `evaluating on ${test.length} held-out rows` });
    phase = performance.now();
    const testFrame = featureFrame(table, [...numeric, ...categorical], test);
    const predicted = model.predict(testFrame);
    const testSpace = model.featureSpace(testFrame);
    const testWarnings: string[] = [];
    const testMetrics: TestEvaluation["metrics"] = internalMetrics(testSpace.X, predicted, {
      seed: spec.seed,
      sampleSize,
      metric: testSpace.metric,
      centroidScores: testSpace.centroidScores,
      warnings: testWarnings,
    });
    if (features.target !== null)
      testMetrics.external = externalMetrics(targetValues(table, features.target, test), predicted);
    const refit = fitAnalysis(spec, { numeric, categorical }, testFrame, { logger: memoryLogger() });
    evaluation = {
      rows: test,
      predicted,
      metrics: testMetrics,
      refitLabels: refit.labels,
      adjustedRandWithRefit: adjustedRandScore(predicted, refit.labels),
      refitNClusters: refit.nClusters,
    };
    warnings.push(...testWarnings.map((w) => `held-out rows: ${w}`));
    for (let r = 0; r < test.length; r++) labels[test[r]] = predicted[r];
    testSeconds = seconds(phase);
  }

  const timings: RunTimings = {
    readSeconds,
    prepareSeconds,
    fitSeconds,
    metricsSeconds,
    testSeconds,
    saveSeconds: 0,
    totalSeconds: 0,
  };
  const result: RunResult = {
    runId: null,
    spec,
    source,
    table,
    labels,
    nClusters: model.nClusters,
    clusterSizes: clusterSizes(fitLabels, model.nClusters),
    nNoise: countNoise(fitLabels),
    rows: {
      total: table.nRows,
      droppedMissing: usable.dropped,
      outliers,
      fitted: train.length,
      test: test ? test.length : 0,
    },
    features: {
      numeric,
      categorical,
      unused: features.unusedCategorical,
      target: features.target,
      output: outputNames(model, space.X.cols),
    },
    metrics,
    test: evaluation,
    model: model.pipeline.toJSON(),
    analysis: model,
    timings,
    warnings: [...logger.messages, ...warnings],
  };
  if (store) {
    await checkpoint(signal);
    report({ phase: "save", message: `saving the run in ${store.dir}` });
    phase = performance.now();
    timings.totalSeconds = seconds(start);
    result.runId = await store.saveRun(result, { baseDir: options.baseDir });
    timings.saveSeconds = seconds(phase);
  }
  timings.totalSeconds = seconds(start);
  report({ phase: "done", message: `done in ${timings.totalSeconds.toFixed(2)}s` });
  return result;
}
