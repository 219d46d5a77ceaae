import {
  asMatrix,
  type Matrix,
  type MatrixLike,
  type ModelJSON,
  registerModel,
  type TransformerModel,
  ValidationError,
} from "@clusterlab/core";

/**
 * `log(1 + x)` per value, for counts and amounts (as scikit-learn's `FunctionTransformer(np.log1p)`).
 * Values must be > -1; NaN stays NaN. Nothing is learnt in fit but the number of features.
 *
 * Defined in `@clusterlab/lab`: its model registers with core's `modelFromJSON` once
 * `@clusterlab/lab` is loaded.
 */
export class Log1p {
  fit(X: MatrixLike): Log1pModel {
    const m = asMatrix(X, { allowNaN: true });
    checkDomain(m);
    return new Log1pModel(m.cols);
  }
}

function checkDomain(m: Matrix): void {
  const { rows, cols, data } = m;
  for (let i = 0; i < rows * cols; i++) {
    if (data[i] <= -1) {
      throw new ValidationError(
        `invalid X: ${data[i]} at row ${Math.floor(i / cols)}, feature ${i % cols} (log1p needs values > -1)`,
      );
    }
  }
}

/** A fitted `Log1p` (stateless apart from the number of features). */
export class Log1pModel implements TransformerModel {
  readonly nFeaturesIn: number;

  constructor(nFeaturesIn: number) {
    this.nFeaturesIn = nFeaturesIn;
  }

  transform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true });
    if (m.cols !== this.nFeaturesIn) {
      throw new ValidationError(`invalid X: ${m.cols} features, expected ${this.nFeaturesIn} (as seen in fit)`);
    }
    checkDomain(m);
    const out = new Float64Array(m.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.log1p(m.data[i]);
    return { rows: m.rows, cols: m.cols, data: out };
  }

  toJSON(): ModelJSON {
    return { type: "Log1pModel", version: 1, nFeaturesIn: this.nFeaturesIn };
  }

  static fromJSON(json: ModelJSON): Log1pModel {
    const n = json.nFeaturesIn;
    if (json.type !== "Log1pModel" || json.version !== 1 || typeof n !== "number" || !Number.isInteger(n) || n < 0) {
      throw new ValidationError("invalid model JSON: expected Log1pModel version 1 with an integer nFeaturesIn");
    }
    return new Log1pModel(n);
  }
}

registerModel("Log1pModel", (json) => Log1pModel.fromJSON(json));
