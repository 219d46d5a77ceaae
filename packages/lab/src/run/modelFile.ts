import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { type ModelJSON, modelFromJSON, PipelineModel } from "@clusterlab/core";
import { DataError } from "../errors.js";
import type { NormalizedAnalysisSpec } from "../spec/normalizeSpec.js";
import { normalizeSpec } from "../spec/normalizeSpec.js";
import { validateSpec } from "../spec/validateSpec.js";
import { getColumn, type Table } from "../table.js";
import { AnalysisModel, type CategoricalFill } from "./analysisModel.js";
import { featureFrame } from "./resolveFeatures.js";
import { UNASSIGNED } from "./runResult.js";

const require = createRequire(import.meta.url);

/** Version of `@clusterlab/lab`, written into model files. */
export const LAB_VERSION: string = (require("../../package.json") as { version: string }).version;

/** The `clusterlab.format` of a model file (shared with `clusterlab cluster --model`). */
export const MODEL_FILE_FORMAT = "clusterlab-model";

/** The metadata stored next to the pipeline in a model file. */
export interface ModelFileMetadata {
  format: typeof MODEL_FILE_FORMAT;
  formatVersion: 1;
  /** Version of the package that wrote the file. */
  clusterlabVersion: string;
  createdAt: string;
  /** The data the model was fitted on. */
  input: string;
  /** The raw feature columns, in the order the pipeline's first step expects them. */
  columns: string[];
  /** The normalised analysis spec the model was fitted with. */
  spec: NormalizedAnalysisSpec;
  /** Rows the model was fitted on. */
  nSamples: number;
  /** The numeric and categorical feature columns. */
  layout: { numeric: string[]; categorical: string[] };
  /**
   * kmodes / kprototypes only, in the shape `clusterlab predict` reads: the final model predicts
   * from a `Frame` of the numeric columns (transformed by the first step, when there is one) and the
   * categorical columns.
   */
  features?: { numeric: string[]; categorical: string[] };
  /** kmodes / kprototypes: values replacing missing categories. */
  categoricalFill?: CategoricalFill;
}

/**
 * A model file: the fitted `PipelineModel`'s JSON (`modelFromJSON(json)` restores the pipeline
 * with core alone, as long as every step type is core's: a Yeo-Johnson or log1p step needs
 * `@clusterlab/lab` loaded) plus the `clusterlab` metadata.
 */
export type ModelFile = ModelJSON & { clusterlab: ModelFileMetadata };

/** The portable JSON of a fitted analysis. */
export function toModelFile(model: AnalysisModel, info: { input: string; nSamples: number }): ModelFile {
  const { numeric, categorical, categoricalFill } = model.layout;
  const categoricalInput = model.input !== "numeric";
  return {
    ...model.pipeline.toJSON(),
    clusterlab: {
      format: MODEL_FILE_FORMAT,
      formatVersion: 1,
      clusterlabVersion: LAB_VERSION,
      createdAt: new Date().toISOString(),
      input: info.input,
      columns: categoricalInput ? [...numeric, ...categorical] : model.columns,
      spec: model.spec,
      nSamples: info.nSamples,
      layout: { numeric: [...numeric], categorical: [...categorical] },
      ...(categoricalInput && {
        features: { numeric: [...numeric], categorical: [...categorical] },
        categoricalFill: { ...(categoricalFill ?? {}) },
      }),
    },
  };
}

const isNames = (x: unknown): x is string[] => Array.isArray(x) && x.every((c) => typeof c === "string");

/** Restores a fitted analysis from a model file's parsed JSON; `DataError` naming the problem. */
export function modelFromFile(json: unknown, where = "model JSON"): AnalysisModel {
  const metadata = (json as Partial<ModelFile> | null)?.clusterlab;
  if (typeof metadata !== "object" || metadata === null || metadata.format !== MODEL_FILE_FORMAT) {
    throw new DataError(`invalid ${where}: not a clusterlab model file (no clusterlab.format "${MODEL_FILE_FORMAT}")`);
  }
  if (metadata.formatVersion !== 1) {
    throw new DataError(`invalid ${where}: format version ${metadata.formatVersion} is not supported`);
  }
  const layout = metadata.layout;
  if (typeof layout !== "object" || layout === null || !isNames(layout.numeric) || !isNames(layout.categorical)) {
    throw new DataError(
      `invalid ${where}: clusterlab.layout is not { numeric, categorical } column lists (written by an analysis run?)`,
    );
  }
  const spec = normalizeSpec(validateSpec(metadata.spec));
  const pipeline = modelFromJSON(json);
  if (!(pipeline instanceof PipelineModel)) throw new DataError(`invalid ${where}: not a PipelineModel`);
  return new AnalysisModel(pipeline, spec, {
    numeric: layout.numeric,
    categorical: layout.categorical,
    ...(metadata.categoricalFill && { categoricalFill: metadata.categoricalFill }),
  });
}

/** Writes a model file (pretty JSON up to 10,000 fitted rows, compact above), creating parent directories. */
export async function writeModelFile(path: string, file: ModelFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const pretty = file.clusterlab.nSamples <= 10_000;
  await writeFile(path, `${JSON.stringify(file, null, pretty ? 2 : undefined)}\n`);
}

/** Reads a model file written by `writeModelFile` / `saveModel`: the fitted analysis and the parsed JSON. */
export async function readModelFile(path: string): Promise<{ analysis: AnalysisModel; json: unknown }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DataError(`model file not found: ${path}`);
    throw new DataError(`cannot read model file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataError(`invalid model file ${path}: not JSON (${(error as Error).message})`);
  }
  return { analysis: modelFromFile(json, `model file ${path}`), json };
}

/**
 * Clusters of every row of `table` under a fitted analysis (noise -1), `UNASSIGNED` for rows the
 * model cannot take: a missing value where the spec's imputation was "drop" or "error" (the model
 * has no imputer for it), or an infinite number. Columns are found by name; extra columns are ignored.
 */
export function predictTable(model: AnalysisModel, table: Table): Int32Array {
  const { numeric, categorical } = model.layout;
  const pre = model.spec.preprocessing;
  const imputesNumeric = pre.imputation.numeric !== "drop" && pre.imputation.numeric !== "error";
  const imputesCategorical = pre.imputation.categorical !== "drop" && pre.imputation.categorical !== "error";
  const n = table.nRows;
  const ok = new Uint8Array(n).fill(1);
  for (const name of numeric) {
    const column = getColumn(table, name);
    if (column.kind !== "numeric") {
      throw new DataError(
        `column ${JSON.stringify(name)} in ${table.source} is ${column.type}; the model was fitted on numbers there`,
      );
    }
    for (let i = 0; i < n; i++) {
      const v = column.values[i];
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY || (Number.isNaN(v) && !imputesNumeric)) {
        ok[i] = 0;
      }
    }
  }
  for (const name of categorical) {
    const column = getColumn(table, name);
    if (imputesCategorical) continue;
    for (let i = 0; i < n; i++) {
      const v = column.values[i];
      if (v === null || (typeof v === "number" && Number.isNaN(v))) ok[i] = 0;
    }
  }
  const labels = new Int32Array(n).fill(UNASSIGNED);
  let count = 0;
  for (let i = 0; i < n; i++) count += ok[i];
  if (count === 0) return labels;
  const rows = new Int32Array(count);
  for (let i = 0, r = 0; i < n; i++) if (ok[i]) rows[r++] = i;
  const predicted = model.predict(featureFrame(table, [...numeric, ...categorical], count === n ? undefined : rows));
  for (let r = 0; r < count; r++) labels[rows[r]] = predicted[r];
  return labels;
}
