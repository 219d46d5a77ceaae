import {
  type Column,
  type Frame,
  type KMeansIterationHook,
  type KModes,
  type KModesModel,
  type KPrototypes,
  type KPrototypesModel,
  type Logger,
  type Matrix,
  Pipeline,
  PipelineModel,
  type PipelineStep,
  type Serializable,
  type SilhouetteMetric,
  type TransformerModel,
} from "@clusterlab/core";
import type { NormalizedAnalysisSpec } from "../spec/normalizeSpec.js";
import { featureTransformer, type NormalizedPreprocessing, pcaFor } from "./buildPreprocessing.js";
import { ALGORITHM_INFO, type AlgorithmInputKind, estimatorFromSpec } from "./estimatorFromSpec.js";

/** A filled-in value per categorical column (kmodes / kprototypes, which take categories directly). */
export type CategoricalFill = Record<string, string | number>;

/** The feature layout a model was fitted with. */
export interface FeatureLayout {
  /** Numeric feature columns. */
  numeric: string[];
  /** Categorical feature columns (encoded for numeric algorithms, taken as they are by kmodes / kprototypes). */
  categorical: string[];
  /** kmodes / kprototypes: the value replacing a missing category per column (from `imputation.categorical`). */
  categoricalFill?: CategoricalFill;
}

/** The space internal metrics are computed in. */
export interface FeatureSpace {
  X: Matrix;
  /** Distance of the silhouette. */
  metric: SilhouetteMetric;
  /** Whether Calinski-Harabasz and Davies-Bouldin apply (Euclidean feature space). */
  centroidScores: boolean;
}

function inputOf(spec: NormalizedAnalysisSpec): AlgorithmInputKind {
  return ALGORITHM_INFO[spec.algorithm.name].input;
}

/** The most frequent value of a column (ties: the smallest, as `SimpleImputer("mostFrequent")`); undefined when all are missing. */
function mostFrequent(column: Column): string | number | undefined {
  const counts = new Map<string | number, number>();
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v === null || (typeof v === "number" && Number.isNaN(v))) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let best: string | number | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== undefined && v < best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/** The fill values of `imputation.categorical` for kmodes / kprototypes, learnt from the training frame. */
export function categoricalFillFor(
  frame: Frame,
  categorical: readonly string[],
  pre: NormalizedPreprocessing,
): CategoricalFill {
  const fill: CategoricalFill = {};
  for (const name of categorical) {
    const column = frame.columns[frame.names.indexOf(name)];
    if (pre.imputation.categorical === "mostFrequent") {
      const v = mostFrequent(column);
      if (v !== undefined) fill[name] = v;
    } else if (pre.imputation.categorical === "constant" && !(column instanceof Float64Array)) {
      fill[name] = pre.imputation.categoricalFillValue;
    }
  }
  return fill;
}

function fillColumn(column: Column, value: string | number | undefined): Column {
  if (value === undefined) return column;
  if (column instanceof Float64Array) {
    if (typeof value !== "number") return column;
    let out: Float64Array | undefined;
    for (let i = 0; i < column.length; i++) {
      if (Number.isNaN(column[i])) {
        out ??= Float64Array.from(column);
        out[i] = value;
      }
    }
    return out ?? column;
  }
  if (!column.includes(null)) return column;
  return column.map((v) => (v === null ? String(value) : v));
}

/**
 * The frame kmodes / kprototypes see: the transformed numeric columns (kprototypes) then the
 * categorical columns with missing categories filled per `layout.categoricalFill`.
 */
export function categoricalInputFrame(frame: Frame, layout: FeatureLayout, numeric?: Matrix): Frame {
  const fill = layout.categoricalFill ?? {};
  const names: string[] = [];
  const columns: Column[] = [];
  if (numeric) {
    for (let j = 0; j < layout.numeric.length; j++) {
      const c = new Float64Array(numeric.rows);
      for (let i = 0; i < numeric.rows; i++) c[i] = numeric.data[i * numeric.cols + j];
      names.push(layout.numeric[j]);
      columns.push(c);
    }
  }
  for (const name of layout.categorical) {
    const j = frame.names.indexOf(name);
    if (j < 0) throw new Error(`missing column ${JSON.stringify(name)}`);
    names.push(name);
    columns.push(fillColumn(frame.columns[j], fill[name]));
  }
  return { names, columns, rows: frame.rows };
}

/**
 * A fitted analysis: the core `PipelineModel` plus what is needed to apply it to a frame of the
 * raw feature columns. Numeric algorithms: the pipeline is `columns` (ColumnTransformer: numeric
 * steps + encoded categories) [+ `pca`] + the clusterer, and `predict` is the pipeline's. kmodes:
 * the pipeline is the `KModesModel` alone, applied to the categorical columns (missing categories
 * filled per `categoricalFill`). kprototypes: `numeric` (ColumnTransformer of the numeric columns)
 * + the `KPrototypesModel`, which predicts from a frame of the transformed numeric columns and the
 * categorical ones.
 */
export class AnalysisModel {
  readonly pipeline: PipelineModel;
  readonly spec: NormalizedAnalysisSpec;
  readonly layout: FeatureLayout;
  readonly input: AlgorithmInputKind;

  constructor(pipeline: PipelineModel, spec: NormalizedAnalysisSpec, layout: FeatureLayout) {
    this.pipeline = pipeline;
    this.spec = spec;
    this.layout = layout;
    this.input = inputOf(spec);
  }

  /** The columns a frame must have, in the order the pipeline's first step expects them. */
  get columns(): string[] {
    return [...this.layout.numeric, ...this.layout.categorical];
  }

  /** Training labels of the clusterer. */
  get labels(): Int32Array {
    return this.pipeline.labels;
  }

  get nClusters(): number {
    return this.pipeline.nClusters;
  }

  /** The final (clusterer) model. */
  get finalModel(): Serializable {
    return this.pipeline.finalModel;
  }

  /** The transformed numeric columns of kprototypes (its `numeric` step). */
  private numericPart(frame: Frame): Matrix {
    const step = this.pipeline.steps[0][1] as TransformerModel;
    return step.transform(selectFrame(frame, this.layout.numeric) as never);
  }

  /** Clusters of the rows of `frame` (raw feature columns, as `featureFrame` builds them). */
  predict(frame: Frame): Int32Array {
    if (this.input === "numeric") return this.pipeline.predict(selectFrame(frame, this.columns));
    const final = this.pipeline.finalModel as unknown as KModesModel | KPrototypesModel;
    if (this.input === "categorical") return (final as KModesModel).predict(categoricalInputFrame(frame, this.layout));
    return (final as KPrototypesModel).predict(categoricalInputFrame(frame, this.layout, this.numericPart(frame)));
  }

  /**
   * The feature space of `frame` for internal metrics: numeric algorithms, the preprocessed matrix
   * (Euclidean); kmodes / kprototypes, an encoding whose squared Euclidean distance is the model's
   * dissimilarity (squared distance of the numeric part + weight x differing categories).
   */
  featureSpace(frame: Frame): FeatureSpace {
    if (this.input === "numeric") {
      return {
        X: this.pipeline.transform(selectFrame(frame, this.columns)),
        metric: "euclidean",
        centroidScores: true,
      };
    }
    const numeric = this.input === "mixed" ? this.numericPart(frame) : undefined;
    const weight = this.input === "mixed" ? (this.pipeline.finalModel as unknown as KPrototypesModel).gamma : 1;
    return {
      X: mismatchEncoding(categoricalInputFrame(frame, this.layout), this.layout.categorical, numeric, weight),
      metric: "sqeuclidean",
      centroidScores: false,
    };
  }
}

function selectFrame(frame: Frame, names: readonly string[]): Frame {
  return {
    names: [...names],
    columns: names.map((name) => {
      const j = frame.names.indexOf(name);
      if (j < 0) throw new Error(`missing column ${JSON.stringify(name)}`);
      return frame.columns[j];
    }),
    rows: frame.rows,
  };
}

/**
 * Rows as vectors whose squared Euclidean distance is `sum (numeric differences)^2 + weight x
 * (differing categories)`: the numeric columns, then per categorical column one indicator per
 * category scaled by `sqrt(weight / 2)` (two differing categories differ in two indicators).
 */
export function mismatchEncoding(
  frame: Frame,
  categorical: readonly string[],
  numeric: Matrix | undefined,
  weight: number,
): Matrix {
  const n = frame.rows;
  const codes: Int32Array[] = [];
  const widths: number[] = [];
  for (const name of categorical) {
    const column = frame.columns[frame.names.indexOf(name)];
    const index = new Map<string | number | null, number>();
    const c = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let v: string | number | null = column[i];
      if (typeof v === "number" && Number.isNaN(v)) v = null;
      let code = index.get(v);
      if (code === undefined) {
        code = index.size;
        index.set(v, code);
      }
      c[i] = code;
    }
    codes.push(c);
    widths.push(index.size);
  }
  const dn = numeric ? numeric.cols : 0;
  const cols = dn + widths.reduce((a, b) => a + b, 0);
  const data = new Float64Array(n * cols);
  const scale = Math.sqrt(weight / 2);
  for (let i = 0; i < n; i++) {
    const row = i * cols;
    for (let j = 0; j < dn; j++) data[row + j] = numeric!.data[i * dn + j];
    let offset = dn;
    for (let k = 0; k < codes.length; k++) {
      data[row + offset + codes[k][i]] = scale;
      offset += widths[k];
    }
  }
  return { rows: n, cols, data };
}

/** Options for `fitAnalysis`. */
export interface FitAnalysisOptions {
  logger?: Logger;
  onIteration?: KMeansIterationHook;
}

/**
 * Fits the spec's preprocessing and algorithm on a frame of the raw feature columns (rows already
 * filtered: missing-value rules, outliers, split).
 */
export function fitAnalysis(
  spec: NormalizedAnalysisSpec,
  layout: { numeric: readonly string[]; categorical: readonly string[] },
  frame: Frame,
  options: FitAnalysisOptions = {},
): AnalysisModel {
  const pre = spec.preprocessing;
  const input = inputOf(spec);
  const logger = options.logger ? { logger: options.logger } : {};
  const numeric = [...layout.numeric];
  const categorical = [...layout.categorical];
  if (input === "numeric") {
    const steps: [string, PipelineStep][] = [];
    const columns = featureTransformer(numeric, categorical, pre, logger);
    if (columns) steps.push(["columns", columns]);
    const pca = pcaFor(pre.pca, logger);
    if (pca) steps.push(["pca", pca]);
    const estimator = estimatorFromSpec(spec.algorithm, {
      seed: spec.seed,
      ...logger,
      ...(options.onIteration && { onIteration: options.onIteration }),
    });
    steps.push([spec.algorithm.name, estimator as PipelineStep]);
    const pipeline = new Pipeline({ steps }).fit(selectFrame(frame, [...numeric, ...categorical]));
    return new AnalysisModel(pipeline, spec, { numeric, categorical });
  }
  const categoricalFill = categoricalFillFor(frame, categorical, pre);
  const layoutOut: FeatureLayout = { numeric, categorical, categoricalFill };
  const estimator = estimatorFromSpec(spec.algorithm, {
    seed: spec.seed,
    ...logger,
    categoricalColumns: categorical,
  }) as KModes | KPrototypes;
  const steps: [string, Serializable][] = [];
  let numericMatrix: Matrix | undefined;
  if (input === "mixed") {
    const transformer = featureTransformer(numeric, [], pre, logger)!;
    const fitted = transformer.fit(selectFrame(frame, numeric));
    numericMatrix = fitted.transform(selectFrame(frame, numeric));
    steps.push(["numeric", fitted]);
  }
  const catFrame = categoricalInputFrame(frame, layoutOut, numericMatrix);
  const model = (estimator as KPrototypes).fit(catFrame);
  steps.push([spec.algorithm.name, model as unknown as Serializable]);
  return new AnalysisModel(new PipelineModel(steps), spec, layoutOut);
}
