import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type ClusterModel, type ModelJSON, modelFromJSON } from "@clusterlab/core";
import { DataError } from "@clusterlab/lab";
import { VERSION } from "./version.js";

/** The identifier in the `clusterlab.format` field of a model file. */
export const MODEL_FILE_FORMAT = "clusterlab-model";

/** The metadata `clusterlab cluster --model` stores next to the pipeline. */
export interface ModelMetadata {
  format: typeof MODEL_FILE_FORMAT;
  formatVersion: 1;
  /** Version of clusterlab that wrote the file. */
  clusterlabVersion: string;
  createdAt: string;
  /** The file the model was fitted on. */
  input: string;
  /** Feature columns, in the order the pipeline expects them. */
  columns: string[];
  /** The options the model was fitted with (algorithm, scaling, k, seed, ...; null = algorithm default). */
  spec: Record<string, unknown>;
  /** Rows the model was fitted on. */
  nSamples: number;
  /**
   * kmodes / kprototypes: the numeric columns (scaled by the pipeline's `scaler` step, when there
   * is one) and the categorical columns; the final model then predicts from a `Frame` of both
   * (`clusterlab predict` builds it). Absent for numeric models, whose pipeline takes `columns`.
   */
  features?: { numeric: string[]; categorical: string[] };
  /**
   * Present in model files written by an analysis run (`clusterlab run --model`, `saveModel`): the
   * numeric and categorical feature columns. Such a file is restored with lab's `modelFromFile`
   * (its pipeline starts with a `ColumnTransformer` taking the raw columns).
   */
  layout?: { numeric: string[]; categorical: string[] };
}

/**
 * A model file: the fitted pipeline's `toJSON()` (`{ type: "PipelineModel", version, steps }`, so
 * `modelFromJSON(JSON.parse(text))` restores it directly) plus a `clusterlab` metadata object.
 */
export type ModelFile = ModelJSON & { clusterlab: ModelMetadata };

/** Writes a model file (JSON), creating parent directories. */
export async function writeModelFile(
  path: string,
  pipeline: ModelJSON,
  metadata: Omit<ModelMetadata, "format" | "formatVersion" | "clusterlabVersion" | "createdAt">,
): Promise<void> {
  const file: ModelFile = {
    ...pipeline,
    clusterlab: {
      format: MODEL_FILE_FORMAT,
      formatVersion: 1,
      clusterlabVersion: VERSION,
      createdAt: new Date().toISOString(),
      ...metadata,
    },
  };
  await mkdir(dirname(path), { recursive: true });
  // Pretty-printed for small models; compact when the training labels make the file large.
  await writeFile(path, `${JSON.stringify(file, null, metadata.nSamples <= 10_000 ? 2 : undefined)}\n`);
}

/**
 * Reads a model file and restores its pipeline; `DataError` on a missing or malformed file. `json`
 * is the parsed file (for lab's `modelFromFile` when the metadata has a `layout`).
 */
export async function readModelFile(
  path: string,
): Promise<{ metadata: ModelMetadata; model: ClusterModel; json: unknown }> {
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
  const metadata = (json as Partial<ModelFile> | null)?.clusterlab;
  if (typeof metadata !== "object" || metadata === null || metadata.format !== MODEL_FILE_FORMAT) {
    throw new DataError(
      `invalid model file ${path}: not written by clusterlab cluster --model or clusterlab run --model`,
    );
  }
  if (metadata.formatVersion !== 1) {
    throw new DataError(`invalid model file ${path}: format version ${metadata.formatVersion} is not supported`);
  }
  if (!Array.isArray(metadata.columns) || metadata.columns.some((c) => typeof c !== "string")) {
    throw new DataError(`invalid model file ${path}: clusterlab.columns is not a list of column names`);
  }
  const features = metadata.features;
  const names = (x: unknown) => Array.isArray(x) && x.every((c) => typeof c === "string");
  if (
    features !== undefined &&
    (typeof features !== "object" || !names(features?.numeric) || !names(features?.categorical))
  ) {
    throw new DataError(`invalid model file ${path}: clusterlab.features is not { numeric, categorical } column lists`);
  }
  let model: ClusterModel;
  try {
    model = modelFromJSON<ClusterModel>(json);
  } catch (error) {
    throw new DataError(`invalid model file ${path}: ${(error as Error).message}`);
  }
  if (typeof model?.predict !== "function") {
    throw new DataError(`invalid model file ${path}: the model cannot predict`);
  }
  return { metadata, model, json };
}

/**
 * The categories a fitted pipeline knows, by column name, as text (`String(x)` for numbers): from
 * every step that holds `categories` with its column names (ordinal / one-hot encoders fitted on
 * named columns, kmodes, kprototypes). Encoders fitted on unnamed codes are skipped. Used to
 * report an unseen category by name before predicting.
 */
export function fittedCategories(model: unknown): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object" || seen.has(node) || ArrayBuffer.isView(node)) return;
    seen.add(node);
    const o = node as Record<string, unknown>;
    const categories = o.categories;
    if (Array.isArray(categories) && categories.every((c) => Array.isArray(c) || ArrayBuffer.isView(c))) {
      const names = [o.featureNamesIn, o.categoricalColumns, o.columns].find(
        (x): x is string[] =>
          Array.isArray(x) && x.length === categories.length && x.every((c) => typeof c === "string"),
      );
      if (names) {
        names.forEach((name, j) => {
          const known = out.get(name) ?? new Set<string>();
          for (const v of Array.from(categories[j] as ArrayLike<unknown>)) {
            if (v !== null && !(typeof v === "number" && Number.isNaN(v))) known.add(String(v));
          }
          out.set(name, known);
        });
      }
    }
    for (const value of Array.isArray(node) ? node : Object.values(o)) visit(value);
  };
  visit(model);
  return out;
}
