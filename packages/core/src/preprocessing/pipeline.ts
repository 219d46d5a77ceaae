import { invalid, ValidationError } from "../errors.js";
import type {
  Clusterer,
  ClusterModel,
  FitOptions,
  ModelJSON,
  Serializable,
  Transformer,
  TransformerModel,
} from "../estimator.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { modelFromJSON, registerModel } from "../serialize.js";
import { asMatrix } from "../validate.js";
import { acceptsFrame, checkFrame, frameToMatrix, isFrame, type TableLike } from "./frame.js";
import { expectJSON } from "./internal.js";

/** A step of a `Pipeline`: a transformer, or (last step only) a clusterer. */
export type PipelineStep = Transformer | Clusterer;

/** Options for `Pipeline`. */
export interface PipelineOptions {
  /**
   * `[name, estimator]` pairs, applied in order (at least one; unique names without `"__"`). Every step
   * but the last must fit to a model with `transform`; the last may be a transformer or a clusterer
   * (`Clusterer`, whose model has `labels` and `predict`). No default.
   */
  steps: ReadonlyArray<readonly [string, PipelineStep]>;
}

/** A fitted step model: anything serialisable with `transform` and/or `predict`. */
type StepModel = Serializable & Partial<TransformerModel> & Partial<ClusterModel>;

/**
 * Chains transformers and optionally a final clusterer, as scikit-learn's `Pipeline`: `fit` fits each
 * step on the output of the previous one. Input is whatever the first step accepts: a numeric
 * `MatrixLike`, or a `TableLike` when the first step is table-aware (an encoder or a
 * `ColumnTransformer`); a `Frame` given to a numeric first step is converted with `frameToMatrix`.
 *
 * ```ts
 * const model = new Pipeline({ steps: [["scale", new StandardScaler()], ["kmeans", new KMeans({ nClusters: 3 })]] }).fit(X);
 * model.labels; model.predict(Xnew); model.step<StandardScalerModel>("scale").mean;
 * ```
 */
export class Pipeline {
  readonly options: Readonly<PipelineOptions>;

  constructor(options: PipelineOptions) {
    this.options = { ...options };
  }

  /** True when the first step takes tables (so `ColumnTransformer` hands it a `Frame`). */
  get acceptsFrame(): boolean {
    const steps = this.options?.steps;
    return Array.isArray(steps) && steps.length > 0 && acceptsFrame(steps[0]?.[1]);
  }

  /** Fits every step in turn; `options` (e.g. `sampleWeight`) go to the last step's `fit`. */
  fit(X: TableLike, options?: FitOptions): PipelineModel {
    const steps = checkSteps(this.options?.steps);
    let Xt: TableLike = X;
    const fitted: Array<readonly [string, StepModel]> = [];
    for (let s = 0; s < steps.length; s++) {
      const [name, est] = steps[s];
      const input = s === 0 ? firstInput(Xt, acceptsFrame(est)) : Xt;
      const last = s === steps.length - 1;
      const model = (last ? est.fit(input as never, options) : est.fit(input as never)) as StepModel;
      if (typeof model !== "object" || model === null || typeof model.toJSON !== "function") {
        throw invalid(`step "${name}"`, stepLabel(est), "its fit did not return a model with toJSON");
      }
      if (!last) {
        if (typeof model.transform !== "function") {
          throw invalid(
            `step "${name}"`,
            stepLabel(est),
            "only the last step may lack transform (e.g. a clusterer); this one is not last",
          );
        }
        Xt = model.transform(input as never);
      } else if (typeof model.transform !== "function" && !isClusterModel(model)) {
        throw invalid(`step "${name}"`, stepLabel(est), "its model has neither transform nor labels/predict");
      }
      fitted.push([name, model]);
    }
    return new PipelineModel(fitted);
  }

  /** Fits, and returns the training data as transformed by the transformer steps (see `PipelineModel.transform`). */
  fitTransform(X: TableLike, options?: FitOptions): { model: PipelineModel; output: Matrix } {
    const model = this.fit(X, options);
    return { model, output: model.transform(X) };
  }
}

function checkSteps(steps: unknown): ReadonlyArray<readonly [string, PipelineStep]> {
  if (!Array.isArray(steps) || steps.length === 0) {
    throw invalid("steps", steps, "must be a non-empty array of [name, estimator] pairs");
  }
  const names = new Set<string>();
  for (const step of steps) {
    if (!Array.isArray(step) || step.length !== 2) throw invalid("steps", step, "each step must be [name, estimator]");
    const [name, est] = step as [unknown, unknown];
    if (typeof name !== "string" || name === "" || name.includes("__")) {
      throw invalid("step name", name, 'must be a non-empty string without "__"');
    }
    if (names.has(name)) throw invalid("step name", name, "step names must be unique");
    names.add(name);
    if (typeof est !== "object" || est === null || typeof (est as { fit?: unknown }).fit !== "function") {
      throw invalid(`step "${name}"`, est, "must be an estimator with fit");
    }
  }
  return steps as ReadonlyArray<readonly [string, PipelineStep]>;
}

function stepLabel(x: unknown): string {
  const name = (x as { constructor?: { name?: string } })?.constructor?.name;
  return name && name !== "Object" ? name : "estimator";
}

function isClusterModel(m: StepModel): boolean {
  return m.labels instanceof Int32Array && typeof m.predict === "function";
}

/** A numeric first step gets a `Frame` as a matrix; anything else passes through. */
function firstInput(X: TableLike, tableAware: boolean): TableLike {
  return !tableAware && isFrame(X) ? frameToMatrix(checkFrame(X)) : X;
}

/**
 * A fitted `Pipeline`. `transform` runs the transformer steps: all of them, or all but the last when the
 * last step is a clusterer (`hasClusterer`). `labels`, `nClusters` and `predict` come from the final
 * clusterer and throw when there is none.
 */
export class PipelineModel implements TransformerModel, ClusterModel {
  /** The fitted models, by step name, in order. */
  readonly steps: ReadonlyArray<readonly [string, Serializable]>;
  /** True when the last step is a clusterer (its model has `labels` and `predict`). */
  readonly hasClusterer: boolean;
  readonly nFeaturesIn: number;
  /** True when the first step takes tables (`Frame`, rows of strings). */
  readonly acceptsFrame: boolean;
  private readonly models: readonly StepModel[];

  constructor(steps: ReadonlyArray<readonly [string, Serializable]>) {
    if (steps.length === 0) throw invalid("steps", steps, "a pipeline model needs at least one step");
    this.steps = steps.map(([n, m]) => [n, m] as const);
    this.models = steps.map(([, m]) => m as StepModel);
    const last = this.models[this.models.length - 1];
    this.hasClusterer = isClusterModel(last);
    const first = this.models[0];
    this.nFeaturesIn = typeof first.nFeaturesIn === "number" ? first.nFeaturesIn : Number.NaN;
    this.acceptsFrame = acceptsFrame(first);
  }

  /** The fitted model of step `name`. */
  step<T = Serializable>(name: string): T {
    const s = this.steps.find(([n]) => n === name);
    if (!s) throw invalid("step", name, `no such step; steps: ${this.steps.map(([n]) => n).join(", ")}`);
    return s[1] as T;
  }

  /** The last step's fitted model. */
  get finalModel(): Serializable {
    return this.models[this.models.length - 1];
  }

  /** Runs `X` through the transformer steps (all, or all but a final clusterer). */
  transform(X: TableLike): Matrix {
    const n = this.hasClusterer ? this.models.length - 1 : this.models.length;
    return this.through(X, n);
  }

  private through(X: TableLike, n: number): Matrix {
    let Xt: TableLike = firstInput(X, this.acceptsFrame);
    if (n === 0) return isFrame(Xt) ? frameToMatrix(Xt) : asMatrix(Xt as MatrixLike, { allowNaN: true });
    for (let s = 0; s < n; s++) {
      const m = this.models[s];
      if (typeof m.transform !== "function") {
        throw invalid(`step "${this.steps[s][0]}"`, m.toJSON().type, "has no transform");
      }
      Xt = m.transform(Xt as never);
    }
    return Xt as Matrix;
  }

  private clusterer(): ClusterModel {
    if (!this.hasClusterer) {
      const [name, m] = this.steps[this.steps.length - 1];
      throw new ValidationError(
        `invalid pipeline: the last step "${name}" (${m.toJSON().type}) is not a clusterer; labels, nClusters and predict need one`,
      );
    }
    return this.models[this.models.length - 1] as ClusterModel;
  }

  /** Cluster of each training sample (from the final clusterer). */
  get labels(): Int32Array {
    return this.clusterer().labels;
  }

  /** Number of clusters of the final clusterer. */
  get nClusters(): number {
    return this.clusterer().nClusters;
  }

  /** Transforms `X` through the transformer steps, then assigns clusters with the final clusterer. */
  predict(X: TableLike): Int32Array {
    const c = this.clusterer();
    return c.predict(this.through(X, this.models.length - 1));
  }

  /** Output names of the transformer steps, chained (a step without `getFeatureNamesOut` keeps its input names). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const n = this.hasClusterer ? this.models.length - 1 : this.models.length;
    let names: string[] | undefined = inputFeatures ? [...inputFeatures] : undefined;
    for (let s = 0; s < n; s++) {
      const m = this.models[s] as StepModel & { getFeatureNamesOut?: (names?: readonly string[]) => string[] };
      if (typeof m.getFeatureNamesOut === "function") names = m.getFeatureNamesOut(names);
    }
    if (names === undefined) {
      throw new ValidationError("invalid inputFeatures: undefined (no step names its features; pass input names)");
    }
    return names;
  }

  toJSON() {
    return {
      type: "PipelineModel",
      version: 1,
      steps: this.steps.map(([name, m]) => ({ name, model: m.toJSON() })),
    };
  }

  /** Restores the pipeline; each step is restored with `modelFromJSON`, so its type must be registered. */
  static fromJSON(json: unknown): PipelineModel {
    const j = expectJSON(json, "PipelineModel");
    if (!Array.isArray(j.steps) || j.steps.length === 0) {
      throw new ValidationError("invalid model JSON: steps is not a non-empty array");
    }
    const steps = j.steps.map((s: unknown, k: number) => {
      const e = s as { name?: unknown; model?: unknown };
      if (typeof e !== "object" || e === null || typeof e.name !== "string") {
        throw new ValidationError(`invalid model JSON: steps[${k}] is not { name, model }`);
      }
      return [e.name, modelFromJSON<Serializable>(e.model as ModelJSON)] as const;
    });
    return new PipelineModel(steps);
  }
}

registerModel("PipelineModel", (json) => PipelineModel.fromJSON(json));
