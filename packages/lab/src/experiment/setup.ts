import { resolve } from "node:path";
import { DataError } from "../errors.js";
import { readTable, type TableFormat } from "../readTable.js";
import type { AnalysisModel } from "../run/analysisModel.js";
import { ALGORITHM_INFO, type AlgorithmInfo, algorithmName } from "../run/estimatorFromSpec.js";
import { type ModelFile, predictTable, readModelFile, toModelFile, writeModelFile } from "../run/modelFile.js";
import type { RunMetrics, RunResult } from "../run/runResult.js";
import { UNASSIGNED } from "../run/runResult.js";
import { runSpec } from "../run/runSpec.js";
import type { ColumnRole } from "../schema/columnRole.js";
import { type DatasetSchema, inferSchema } from "../schema/inferSchema.js";
import type { AlgorithmName, AlgorithmSpec, AnalysisSpec, PreprocessingSpec, SplitSpec } from "../spec/analysisSpec.js";
import { ALGORITHM_NAMES, type NormalizedAnalysisSpec, normalizeSpec } from "../spec/normalizeSpec.js";
import { validateSpec } from "../spec/validateSpec.js";
import type { Store } from "../store/openStore.js";
import type { NumericColumn, Table } from "../table.js";
import { type CompareModelsOptions, type CompareModelsResult, compareModels } from "./compareModels.js";
import { type ChartSpec, type PlotKind, type PlotModelOptions, plotKindsFor, plotModel } from "./plotModel.js";
import { savePlot } from "./plotModelHtml.js";
import { type TuneKOptions, type TuneKResult, tuneK } from "./tuneK.js";

/** PyCaret's `normalize_method` names (and ours) for `SetupOptions.normalizeMethod`. */
export type NormalizeMethod = "zscore" | "minmax" | "robust" | "maxabs";

/** Options for `setup`: the analysis spec's columns and preprocessing, with PyCaret-style shortcuts. */
export interface SetupOptions {
  /** The target column: kept out of the features, used for external metrics (ARI, NMI). Default none. */
  target?: string;
  /** Column roles replacing the inferred ones (see `inferSchema`). Default none. */
  roles?: Record<string, ColumnRole>;
  /** The feature columns; default every column whose role is numeric or categorical. */
  include?: string[];
  /** Columns to leave out (PyCaret's `ignore_features`). Default none. */
  exclude?: string[];
  /** The spec's preprocessing (imputation, encoding, scaling, transform, pca, outliers). Default: the spec's defaults. */
  preprocessing?: PreprocessingSpec;
  /** PyCaret's `normalize`: false sets scaling to "none". Default: `preprocessing.scaling` (standard). */
  normalize?: boolean;
  /** PyCaret's `normalize_method` (zscore = standard). Default: `preprocessing.scaling`. */
  normalizeMethod?: NormalizeMethod;
  /** Seed of every random choice (PyCaret's `session_id`). Default 0. */
  seed?: number;
  /** A held-out split for every model created. Default "none". */
  split?: SplitSpec;
  /** Reading a file: its format, delimiter and header (see `readTable`). */
  format?: TableFormat;
  delimiter?: string;
  header?: boolean;
  /** Save every model created in this store (as a run). Default: not saved. */
  store?: Store;
  /** Silhouette on a seeded sample of this many rows above it. Default 10,000. */
  silhouetteSampleSize?: number;
}

/** A model created by an experiment: its run, fitted analysis and metrics. */
export interface ExperimentModel {
  /** `<id>-<n>` (kmeans-1, ap-2, ...), unique within the experiment. */
  readonly id: string;
  readonly algorithm: AlgorithmName;
  /** The run (spec, labels per table row, metrics, timings, warnings, held-out evaluation). */
  readonly result: RunResult;
  /** The fitted pipeline with its feature layout. */
  readonly analysis: AnalysisModel;
  readonly labels: Int32Array;
  readonly metrics: RunMetrics;
  /** The portable model file (pipeline JSON + metadata). */
  toJSON(): ModelFile;
}

/** A model read back with `loadModel`. */
export interface LoadedModel {
  readonly analysis: AnalysisModel;
  readonly file: ModelFile;
}

/** Anything `predictModel` and `saveModel` accept. */
export type AnyModel = ExperimentModel | LoadedModel | AnalysisModel;

/** One entry of `Experiment.models()`. */
export interface ModelListing extends AlgorithmInfo {}

function analysisOf(model: AnyModel): AnalysisModel {
  if ("analysis" in model) return model.analysis;
  return model;
}

/** The table with an extra `cluster` column (NULL for rows not clustered). */
export function withClusterColumn(table: Table, labels: Int32Array, name = "cluster"): Table {
  const values = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) values[i] = labels[i] === UNASSIGNED ? Number.NaN : labels[i];
  const column: NumericColumn = { name, type: "INTEGER", kind: "numeric", values };
  return {
    source: table.source,
    nRows: table.nRows,
    columns: [...table.columns.filter((c) => c.name !== name), column],
  };
}

/** Saves a model as portable JSON (pipeline + metadata), loadable by `loadModel` and core's `modelFromJSON`. */
export async function saveModel(model: AnyModel, path: string): Promise<void> {
  let file: ModelFile;
  if ("toJSON" in model && "result" in model) file = model.toJSON();
  else if ("file" in model) file = model.file;
  else file = toModelFile(model, { input: "", nSamples: model.labels.length });
  await writeModelFile(path, file);
}

/** Reads a model saved by `saveModel` (or `clusterlab run --model`). */
export async function loadModel(path: string): Promise<LoadedModel> {
  const { analysis, json } = await readModelFile(path);
  return { analysis, file: json as ModelFile };
}

/**
 * A clustering experiment on one table (PyCaret's clustering module, on the analysis spec): the
 * data, its column roles and the preprocessing are fixed by `setup`; each `createModel` runs the
 * spec with one algorithm.
 */
export class Experiment {
  readonly table: Table;
  /** Inferred column roles with the experiment's overrides. */
  readonly schema: DatasetSchema;
  /** The spec every model starts from (its algorithm is replaced by `createModel`). */
  readonly baseSpec: NormalizedAnalysisSpec;
  private readonly options: SetupOptions;
  private readonly baseDir: string;
  private counter = 0;

  constructor(table: Table, baseSpec: NormalizedAnalysisSpec, options: SetupOptions, baseDir: string) {
    this.table = table;
    this.baseSpec = baseSpec;
    this.options = options;
    this.baseDir = baseDir;
    const { roles, target } = baseSpec.columns;
    this.schema = inferSchema(table, { roles, ...(target !== null && { target }) });
  }

  /** The algorithms, with their PyCaret-style ids (kmeans, ap, meanshift, sc, hclust, dbscan, optics, birch, kmodes, ...). */
  models(): ModelListing[] {
    return ALGORITHM_NAMES.map((name) => ({ ...ALGORITHM_INFO[name] }));
  }

  /** The normalised spec of one algorithm with the experiment's data, columns and preprocessing. */
  specFor(name: string, params: Record<string, unknown> = {}): NormalizedAnalysisSpec {
    const algorithm = algorithmName(name);
    if (!algorithm) {
      const known = ALGORITHM_NAMES.map((n) => `${ALGORITHM_INFO[n].id}`).join(", ");
      throw new DataError(`unknown model: ${JSON.stringify(name)} (models: ${known})`);
    }
    return normalizeSpec(validateSpec({ ...this.baseSpec, algorithm: { name: algorithm, params } as AlgorithmSpec }));
  }

  /** Fits one algorithm (by id or spec name) with its parameters (spec names, e.g. `{ nClusters: 4 }`). */
  async createModel(name: string, params: Record<string, unknown> = {}): Promise<ExperimentModel> {
    const spec = this.specFor(name, params);
    const result = await runSpec(spec, {
      table: this.table,
      baseDir: this.baseDir,
      ...(this.options.store && { store: this.options.store }),
      ...(this.options.silhouetteSampleSize !== undefined && {
        silhouetteSampleSize: this.options.silhouetteSampleSize,
      }),
    });
    this.counter++;
    const id = `${ALGORITHM_INFO[spec.algorithm.name].id}-${this.counter}`;
    return {
      id,
      algorithm: spec.algorithm.name,
      result,
      analysis: result.analysis,
      labels: result.labels,
      metrics: result.metrics,
      toJSON: () => toModelFile(result.analysis, { input: result.source, nSamples: result.rows.fitted }),
    };
  }

  /** The experiment's table with a `cluster` column: the model's label per row (-1 noise, NULL not clustered). */
  assignModel(model: ExperimentModel): Table {
    return withClusterColumn(this.table, model.labels);
  }

  /** Assigns the rows of new data (a table or a file path) to the model's clusters: the data plus a `cluster` column. */
  async predictModel(model: AnyModel, data: Table | string): Promise<Table> {
    const table = typeof data === "string" ? await readTable(resolve(this.baseDir, data)) : data;
    return withClusterColumn(table, predictTable(analysisOf(model), table));
  }

  /** Ranks the algorithms on the experiment's data; see `compareModels`. */
  compareModels(options: CompareModelsOptions = {}): Promise<CompareModelsResult> {
    return compareModels(this.specFor("kmeans"), this.table, options);
  }

  /** Evidence for the number of clusters of one algorithm; see `tuneK`. */
  tuneK(name: string, options: TuneKOptions = {}): Promise<TuneKResult> {
    return tuneK(this.specFor(name, options.params ?? {}), this.table, options);
  }

  /** The chart kinds `plotModel` draws for a model (those that apply to its algorithm). */
  plotKinds(model: ExperimentModel): PlotKind[] {
    return plotKindsFor(model.algorithm);
  }

  /**
   * A chart of a model as a Plotly figure spec (`{ kind, title, figure: { data, layout } }`), built
   * by the dashboard's chart functions; see `plotModel` for the kinds. With `save`, also writes it
   * (a path resolved like the data's: `.html` a self-contained page with plotly.js inlined, `.json`
   * the spec).
   */
  async plotModel(
    model: ExperimentModel,
    kind: string,
    options: PlotModelOptions & { save?: string } = {},
  ): Promise<ChartSpec> {
    const { save, ...rest } = options;
    const spec = await plotModel(model, this.table, kind, rest);
    if (save) await savePlot(spec, resolve(this.baseDir, save));
    return spec;
  }

  /** Saves a model as portable JSON; see `saveModel`. */
  saveModel(model: AnyModel, path: string): Promise<void> {
    return saveModel(model, resolve(this.baseDir, path));
  }

  /** Reads a saved model; see `loadModel`. */
  loadModel(path: string): Promise<LoadedModel> {
    return loadModel(resolve(this.baseDir, path));
  }
}

/**
 * Starts an experiment (PyCaret's `setup`): reads the data (a file path, resolved against the
 * working directory, or a `Table` already read), infers column roles, and fixes the columns,
 * preprocessing and seed every model of the experiment uses. Options are checked as an analysis
 * spec (a `SpecError` names the field).
 *
 * ```ts
 * const exp = await setup("examples/data/penguins.csv", { target: "species", seed: 1 });
 * const kmeans = await exp.createModel("kmeans", { nClusters: 3 });
 * const labelled = exp.assignModel(kmeans); // the table plus a `cluster` column
 * const ranking = await exp.compareModels({ k: 3 });
 * ```
 */
export async function setup(source: string | Table, options: SetupOptions = {}): Promise<Experiment> {
  const baseDir = process.cwd();
  let table: Table;
  let data: AnalysisSpec["data"];
  if (typeof source === "string") {
    const path = resolve(baseDir, source);
    // Read as given (errors name the path the user wrote); the spec records the absolute path.
    table = await readTable(source, {
      ...(options.format && { format: options.format }),
      ...(options.delimiter !== undefined && { delimiter: options.delimiter }),
      ...(options.header !== undefined && { header: options.header }),
    });
    data = {
      path,
      ...(options.format && { format: options.format }),
      ...(options.delimiter !== undefined && { delimiter: options.delimiter }),
      ...(options.header !== undefined && { header: options.header }),
    };
  } else {
    table = source;
    data = /\.(csv|tsv|txt|parquet|pq|json|ndjson|jsonl)$/i.test(source.source)
      ? { path: source.source }
      : { dataset: source.source || "table" };
  }
  const preprocessing: PreprocessingSpec = { ...(options.preprocessing ?? {}) };
  if (options.normalizeMethod !== undefined) {
    preprocessing.scaling = options.normalizeMethod === "zscore" ? "standard" : options.normalizeMethod;
  }
  if (options.normalize === false) preprocessing.scaling = "none";
  const spec = {
    version: 1,
    data,
    columns: {
      ...(options.roles && { roles: options.roles }),
      ...(options.include && { include: options.include }),
      ...(options.exclude && { exclude: options.exclude }),
      ...(options.target !== undefined && { target: options.target }),
    },
    preprocessing,
    algorithm: { name: "kmeans" },
    seed: options.seed ?? 0,
    ...(options.split !== undefined && { split: options.split }),
  };
  const baseSpec = normalizeSpec(validateSpec(spec));
  return new Experiment(table, baseSpec, options, baseDir);
}
