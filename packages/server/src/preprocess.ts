/**
 * The optional `preprocess` of a feature request (`FeatureRequest.preprocess`, `apiData.ts`): the
 * analysis spec's preprocessing (imputation, transform, outlier removal, scaling, encoding, PCA)
 * built from `@clusterlab/lab`'s and `@clusterlab/core`'s own steps (`SimpleImputer`, `Log1p`,
 * `YeoJohnson`, `iqrOutliers`, `categoricalTransformer`, the scalers, `pcaFor`).
 *
 * `normalizePreprocess` checks and completes the request on the main thread (400 naming the field);
 * `preprocessInput` cuts the table down to the feature columns; `runPreprocessJob` (a worker task)
 * imputes, transforms, removes outliers and encodes; `preprocessedSpace` (in the "prepare" worker
 * task) scales the numeric part and applies the PCA. `runPreviewJob` summarises each numeric
 * feature before and after, for the dashboard's before/after chart.
 */
import {
  type Frame,
  frameToMatrix,
  type Matrix,
  memoryLogger,
  type OrdinalEncoderModel,
  Pipeline,
  PipelineModel,
  SimpleImputer,
  type Transformer,
  type TransformerModel,
} from "@clusterlab/core";
import {
  categoricalTransformer,
  DataError,
  featureFrame,
  histogramSorted,
  iqrOutliers,
  Log1p,
  type NormalizedPreprocessing,
  pcaFor,
  quantileSorted,
  type Table,
  type TableColumn,
  usableRows,
  YeoJohnson,
} from "@clusterlab/lab";
import type { Scaling } from "./api.js";
import type {
  CategoricalImputationName,
  DistributionSummary,
  EncodingName,
  NumericImputationName,
  PcaRequest,
  PreprocessPreviewFeature,
  PreprocessRequest,
  TransformName,
} from "./apiData.js";
import { HttpError } from "./httpError.js";
import { shareMatrix } from "./shared.js";

/** A `PreprocessRequest` with every default written out (what the workers and cache keys see). */
export interface NormalizedPreprocess {
  imputation: { numeric: NumericImputationName; categorical: CategoricalImputationName };
  encoding: EncodingName;
  categorical: string[];
  transform: TransformName;
  pca: PcaRequest;
  outliers: "none" | { method: "iqr"; factor: number };
}

/** Largest number of PCA components a request may ask for. */
export const PCA_MAX_COMPONENTS = 500;

function bad(field: string, value: unknown, reason: string): HttpError {
  const shown = JSON.stringify(value) ?? String(value);
  return new HttpError(400, `invalid body.preprocess.${field}: ${shown} (${reason})`);
}

/**
 * Checks and completes `preprocess` (the JSON schema has checked the enums; `pca` and `outliers`
 * are unions checked here so that the message names the field and says what is allowed). Null
 * when the request has none: the features are then prepared exactly as without preprocessing.
 */
export function normalizePreprocess(
  pre: PreprocessRequest | undefined,
  columns: readonly string[],
): NormalizedPreprocess | null {
  if (pre === undefined) return null;
  const pcaReason =
    'must be "none", {"nComponents": n} with n an integer from 1 to 500, or {"varianceRatio": r} with 0 < r < 1';
  let pca: PcaRequest = "none";
  const p = pre.pca as unknown;
  if (p !== undefined && p !== "none") {
    if (p === null || typeof p !== "object" || Array.isArray(p)) throw bad("pca", p, pcaReason);
    const keys = Object.keys(p);
    const o = p as Record<string, unknown>;
    if (keys.length !== 1) throw bad("pca", p, pcaReason);
    if ("nComponents" in o) {
      const n = o.nComponents;
      if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > PCA_MAX_COMPONENTS) {
        throw bad("pca.nComponents", n, `must be an integer from 1 to ${PCA_MAX_COMPONENTS}`);
      }
      pca = { nComponents: n };
    } else if ("varianceRatio" in o) {
      const r = o.varianceRatio;
      if (typeof r !== "number" || !(r > 0 && r < 1)) throw bad("pca.varianceRatio", r, "must be > 0 and < 1");
      pca = { varianceRatio: r };
    } else {
      throw bad("pca", p, pcaReason);
    }
  }
  let outliers: NormalizedPreprocess["outliers"] = "none";
  const q = pre.outliers as unknown;
  const outlierReason = 'must be "none" or {"method": "iqr", "factor": f} with f > 0 (default 1.5)';
  if (q !== undefined && q !== "none") {
    if (q === null || typeof q !== "object" || Array.isArray(q)) throw bad("outliers", q, outlierReason);
    const o = q as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (key !== "method" && key !== "factor")
        throw new HttpError(400, `unknown field body.preprocess.outliers.${key}`);
    }
    if (o.method !== "iqr") throw bad("outliers.method", o.method, 'must be "iqr" (Tukey\'s rule)');
    const factor = o.factor ?? 1.5;
    if (typeof factor !== "number" || !(factor > 0) || factor > 100) {
      throw bad("outliers.factor", factor, "must be > 0 and <= 100");
    }
    outliers = { method: "iqr", factor };
  }
  const categorical = pre.categorical ?? [];
  for (const name of categorical) {
    if (!columns.includes(name)) throw bad("categorical", name, "must be one of body.columns");
  }
  return {
    imputation: {
      numeric: pre.imputation?.numeric ?? "drop",
      categorical: pre.imputation?.categorical ?? "mostFrequent",
    },
    encoding: pre.encoding ?? "none",
    categorical: [...categorical],
    transform: pre.transform ?? "none",
    pca,
    outliers,
  };
}

/** A worker task: the feature columns of a table and how to prepare them. */
export interface PreprocessJob {
  /** The table cut down to the feature columns (all rows). */
  table: Table;
  numeric: string[];
  categorical: string[];
  pre: NormalizedPreprocess;
  dropMissing: boolean;
}

/** The features after imputation, transform, outlier removal and encoding (not scaled). */
export interface PreprocessOutput {
  /** Rows used x (numeric features, then the encoded categorical ones); in shared memory. */
  X: Matrix;
  /** Names of X's columns (`island_Biscoe` for a one-hot column). */
  columns: string[];
  /** The first `nNumeric` columns of X are numeric features (scaled later); the rest are encoded. */
  nNumeric: number;
  /** Table rows used, ascending (undefined: every row). */
  rowIndex: Int32Array | undefined;
  /** Rows left out for a missing value. */
  rowsDropped: number;
  /** Rows removed as outliers. */
  outliersRemoved: number;
  nRowsTotal: number;
}

/**
 * Splits the request's columns into numeric and categorical ones and cuts the table down to them,
 * with 400s naming the field: an unknown column, categorical columns without an encoding.
 */
export function preprocessInput(
  table: Table,
  columns: readonly string[],
  pre: NormalizedPreprocess,
  dropMissing: boolean,
): PreprocessJob {
  const byName = new Map<string, TableColumn>(table.columns.map((c) => [c.name, c]));
  const picked: TableColumn[] = [];
  for (const name of columns) {
    const c = byName.get(name);
    if (!c) {
      throw new HttpError(
        400,
        `invalid body.columns: unknown column ${JSON.stringify(name)} (columns: ${table.columns.map((x) => x.name).join(", ")})`,
      );
    }
    picked.push(c);
  }
  const declared = new Set(pre.categorical);
  const categorical = picked.filter((c) => c.kind === "string" || declared.has(c.name)).map((c) => c.name);
  const numeric = picked.filter((c) => !categorical.includes(c.name)).map((c) => c.name);
  if (categorical.length > 0 && pre.encoding === "none") {
    throw new HttpError(
      400,
      `invalid body.preprocess.encoding: "none" (${categorical.map((n) => JSON.stringify(n)).join(", ")} ${categorical.length === 1 ? "is" : "are"} categorical: encode ${categorical.length === 1 ? "it" : "them"} ("onehot" or "ordinal") or leave ${categorical.length === 1 ? "it" : "them"} out of body.columns)`,
    );
  }
  return {
    table: { source: table.source, nRows: table.nRows, columns: picked },
    numeric,
    categorical,
    pre,
    dropMissing,
  };
}

/** Lab's normalised preprocessing for the parts it runs here (missing-value rules, categorical encoding). */
function labPreprocessing(pre: NormalizedPreprocess, dropMissing: boolean): NormalizedPreprocessing {
  return {
    imputation: {
      numeric: pre.imputation.numeric === "drop" ? (dropMissing ? "drop" : "error") : "mean",
      numericFillValue: 0,
      categorical: pre.imputation.categorical,
      categoricalFillValue: "missing",
    },
    encoding: pre.encoding,
    scaling: "none",
    transform: pre.transform,
    pca: "none",
    outliers: pre.outliers,
  } as NormalizedPreprocessing;
}

/** The numeric steps before scaling: the imputer (unless rows are dropped), then the transform. */
function numericSteps(pre: NormalizedPreprocess): [string, Transformer][] {
  const steps: [string, Transformer][] = [];
  const strategy = pre.imputation.numeric;
  if (strategy !== "drop") steps.push(["impute", new SimpleImputer({ strategy, logger: memoryLogger() })]);
  if (pre.transform === "log1p") steps.push(["log1p", new Log1p()]);
  else if (pre.transform === "yeoJohnson") steps.push(["yeoJohnson", new YeoJohnson()]);
  return steps;
}

interface Fitted {
  X: Matrix;
  names: string[];
}

function fitNumeric(table: Table, numeric: string[], rows: Int32Array, pre: NormalizedPreprocess): Fitted {
  const frame = featureFrame(table, numeric, rows);
  const steps = numericSteps(pre);
  if (steps.length === 0) return { X: frameToMatrix(frame), names: [...numeric] };
  const { model, output } = new Pipeline({ steps }).fitTransform(frame);
  return { X: output, names: model.getFeatureNamesOut(numeric) };
}

function withDomainHint(error: unknown, pre: NormalizedPreprocess): never {
  if (pre.transform === "log1p" && error instanceof Error && /log1p needs values > -1/.test(error.message)) {
    throw new DataError(
      `invalid body.preprocess.transform: "log1p" (${error.message.replace(/^invalid X: /, "")}; use "yeoJohnson" for values of any sign)`,
    );
  }
  throw error;
}

function hstack(a: Matrix | null, b: Matrix | null, rows: number): Matrix {
  const ca = a?.cols ?? 0;
  const cb = b?.cols ?? 0;
  const d = ca + cb;
  const data = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    if (a) data.set(a.data.subarray(i * ca, i * ca + ca), i * d);
    if (b) data.set(b.data.subarray(i * cb, i * cb + cb), i * d + ca);
  }
  return { rows, cols: d, data };
}

/**
 * Imputation, transform, outlier removal (Tukey's IQR rule on the imputed, transformed numeric
 * features, fitted on the usable rows; the steps are then refitted on the rows kept, as
 * `@clusterlab/lab`'s `runSpec` does) and the encoding of the categorical features.
 */
export function runPreprocessJob(job: PreprocessJob): PreprocessOutput {
  const { table, numeric, categorical, pre } = job;
  const lab = labPreprocessing(pre, job.dropMissing);
  let usable: ReturnType<typeof usableRows>;
  try {
    usable = usableRows(table, numeric, categorical, lab);
  } catch (error) {
    if (error instanceof DataError) {
      throw new DataError(
        error.message
          .replace(
            /preprocessing\.imputation\.numeric is "error": impute them \("mean"\) or "drop" the rows/,
            'body.dropMissing is false: fill them (body.preprocess.imputation.numeric "mean", "median" or "mostFrequent") or drop the rows',
          )
          .replace(/^no rows left in .* after/, "no rows to cluster after"),
      );
    }
    throw error;
  }
  let rows = usable.rows;
  let outliersRemoved = 0;
  let num: Fitted | null = null;
  try {
    if (numeric.length > 0) num = fitNumeric(table, numeric, rows, pre);
    if (pre.outliers !== "none" && num) {
      const { outlier } = iqrOutliers(num.X, pre.outliers.factor);
      const kept: number[] = [];
      for (let r = 0; r < rows.length; r++) if (!outlier[r]) kept.push(rows[r]);
      if (kept.length < 2) {
        throw new DataError(
          `invalid body.preprocess.outliers.factor: ${pre.outliers.factor} (the IQR rule leaves ${kept.length} of ${rows.length} rows; raise the factor)`,
        );
      }
      outliersRemoved = rows.length - kept.length;
      if (outliersRemoved > 0) {
        rows = Int32Array.from(kept);
        num = fitNumeric(table, numeric, rows, pre);
      }
    }
  } catch (error) {
    withDomainHint(error, pre);
  }
  let cat: Fitted | null = null;
  if (categorical.length > 0) {
    const frame = featureFrame(table, categorical, rows);
    const transformer = categoricalTransformer(lab, { logger: memoryLogger() });
    if (!transformer) throw new DataError(`invalid body.preprocess.encoding: "none" (categorical columns need one)`);
    cat = encodeCategorical(transformer, frame, categorical);
  }
  const X = hstack(num?.X ?? null, cat?.X ?? null, rows.length);
  return {
    X: shareMatrix(X),
    columns: [...(num?.names ?? []), ...(cat?.names ?? [])],
    nNumeric: num?.X.cols ?? 0,
    rowIndex: rows.length === table.nRows ? undefined : rows,
    rowsDropped: usable.dropped,
    outliersRemoved,
    nRowsTotal: table.nRows,
  };
}

type Named = TransformerModel & { getFeatureNamesOut(names?: readonly string[]): string[] };

/**
 * Fits lab's categorical transformer on the frame. With most-frequent imputation it one-hot encodes
 * the ordinal codes (`island_0`): the columns are renamed after their categories (`island_Biscoe`).
 */
function encodeCategorical(transformer: Transformer, frame: Frame, names: string[]): Fitted {
  const model = (transformer as unknown as { fit(f: Frame): Named }).fit(frame);
  const X = model.transform(frame as never);
  let out = model.getFeatureNamesOut(names);
  if (model instanceof PipelineModel && model.steps.some(([n]) => n === "onehot")) {
    const codes = model.step<OrdinalEncoderModel>("codes").categories;
    const prefix = new Map(names.map((name, j) => [name, j]));
    out = out.map((label) => {
      const cut = label.lastIndexOf("_");
      const j = prefix.get(label.slice(0, cut));
      const code = Number(label.slice(cut + 1));
      if (j === undefined || !Number.isInteger(code) || code < 0 || code >= codes[j].length) return label;
      const v = codes[j][code];
      return `${names[j]}_${v === null ? "nan" : String(v)}`;
    });
  }
  return { X, names: out };
}

/** What the "prepare" task needs to build the clustering space of preprocessed features. */
export interface SpaceSpec {
  nNumeric: number;
  pca: PcaRequest;
}

/**
 * The space the clusterer sees: the numeric columns scaled (the request's `scaling`), the encoded
 * ones as they are (0/1 or codes, as `@clusterlab/lab`'s `featureTransformer`), then the PCA.
 * Returns the matrix and the names of its columns (`PC1`, ... with PCA).
 */
export function preprocessedSpace(
  X: Matrix,
  space: SpaceSpec,
  scaleMatrix: (m: Matrix) => Matrix,
): { Xs: Matrix; columns: string[] | null; explained: number | null } {
  const { nNumeric } = space;
  let out = X;
  if (nNumeric > 0) {
    const rows = X.rows;
    const d = X.cols;
    const numeric = new Float64Array(rows * nNumeric);
    for (let i = 0; i < rows; i++) numeric.set(X.data.subarray(i * d, i * d + nNumeric), i * nNumeric);
    const scaled = scaleMatrix({ rows, cols: nNumeric, data: numeric });
    if (scaled.data !== numeric || d > nNumeric) {
      const data = new Float64Array(rows * d);
      for (let i = 0; i < rows; i++) {
        data.set(scaled.data.subarray(i * nNumeric, i * nNumeric + nNumeric), i * d);
        data.set(X.data.subarray(i * d + nNumeric, i * d + d), i * d + nNumeric);
      }
      out = { rows, cols: d, data };
    }
  }
  if (space.pca === "none") return { Xs: out, columns: null, explained: null };
  if ("nComponents" in space.pca && space.pca.nComponents > Math.min(out.cols, out.rows)) {
    throw new DataError(
      `invalid body.preprocess.pca.nComponents: ${space.pca.nComponents} (must be <= ${Math.min(out.cols, out.rows)}, the number of ${out.cols <= out.rows ? "features after encoding" : "rows"})`,
    );
  }
  const pca = pcaFor(space.pca, { logger: memoryLogger() })!;
  const model = pca.fit(out);
  const Xs = model.transform(out);
  let explained = 0;
  for (const v of model.explainedVarianceRatio) explained += v;
  return { Xs, columns: Array.from({ length: Xs.cols }, (_, j) => `PC${j + 1}`), explained };
}

// ---------------------------------------------------------------------------------------------
// Before / after

/** Box-plot statistics and a histogram of the finite values of `values`. */
export function distributionSummary(values: ArrayLike<number>, bins = 24): DistributionSummary | null {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return null;
  const sorted = Float64Array.from(finite).sort();
  const q25 = quantileSorted(sorted, 0.25);
  const q75 = quantileSorted(sorted, 0.75);
  const iqr = q75 - q25;
  let lowerFence = sorted[0];
  let upperFence = sorted[sorted.length - 1];
  for (const v of sorted) {
    if (v >= q25 - 1.5 * iqr) {
      lowerFence = v;
      break;
    }
  }
  for (let i = sorted.length - 1; i >= 0; i--) {
    if (sorted[i] <= q75 + 1.5 * iqr) {
      upperFence = sorted[i];
      break;
    }
  }
  let sum = 0;
  for (const v of sorted) sum += v;
  const histogram = histogramSorted(sorted, bins) ?? { edges: [sorted[0], sorted[0]], counts: [sorted.length] };
  return {
    count: sorted.length,
    min: sorted[0],
    q25,
    median: quantileSorted(sorted, 0.5),
    q75,
    max: sorted[sorted.length - 1],
    mean: sum / sorted.length,
    lowerFence,
    upperFence,
    histogram,
  };
}

/** A worker task: each numeric feature's raw values and its values after preprocessing. */
export interface PreviewJob {
  /** Raw values of each numeric feature (all rows of the table). */
  raw: { name: string; values: Float64Array }[];
  /** The preprocessed features (rows used) and the scaling. */
  X: Matrix;
  columns: string[];
  nNumeric: number;
  scaling: Scaling;
}

/** The numeric features before (raw, all rows) and after (imputed, transformed, scaled; rows used). */
export function runPreviewJob(job: PreviewJob, scaleMatrix: (m: Matrix) => Matrix): PreprocessPreviewFeature[] {
  const { X, nNumeric } = job;
  const rows = X.rows;
  const d = X.cols;
  const numeric = new Float64Array(rows * nNumeric);
  for (let i = 0; i < rows; i++) numeric.set(X.data.subarray(i * d, i * d + nNumeric), i * nNumeric);
  const scaled = nNumeric > 0 ? scaleMatrix({ rows, cols: nNumeric, data: numeric }) : null;
  return job.raw.map(({ name, values }) => {
    const j = job.columns.indexOf(name);
    let after: DistributionSummary | null = null;
    if (scaled && j >= 0 && j < nNumeric) {
      const column = new Float64Array(rows);
      for (let i = 0; i < rows; i++) column[i] = scaled.data[i * nNumeric + j];
      after = distributionSummary(column);
    }
    return { name, before: distributionSummary(values), after };
  });
}
