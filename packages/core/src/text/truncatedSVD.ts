import { ValidationError } from "../errors.js";
import type { ModelJSON, TransformerModel } from "../estimator.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkInt, checkNumber } from "../validate.js";
import { type CsrMatrix, checkCsrMatrix, csrMultiplyDense, isCsrMatrix } from "./csrMatrix.js";
import { randomizedSvd } from "./randomizedSvd.js";

/** Options for `TruncatedSVD` (scikit-learn 1.9's `TruncatedSVD(algorithm="randomized")`). */
export interface TruncatedSVDOptions {
  /** Number of components k, an integer in [1, min(nSamples, nFeatures)]. Default 2. */
  nComponents?: number;
  /** Power iterations of the randomized range finder (an integer >= 0). Default 5. */
  nIter?: number;
  /** Oversampling: the sketch has k + nOversamples directions (an integer >= 0). Default 10. */
  nOversamples?: number;
  /** Seed of the random sketch. Default 0. */
  seed?: number;
}

/**
 * Truncated singular value decomposition (latent semantic analysis when applied to a TF-IDF
 * matrix): projects the rows of X onto the k right singular vectors of largest singular value,
 * without centring (so a sparse matrix stays sparse). Computed by `randomizedSvd` (randomized range
 * finder with power iterations, seeded). As scikit-learn, the sign of each component makes its
 * entry of largest absolute value positive, and `explainedVariance` is the variance of each
 * projected column.
 *
 * ```ts
 * const svd = new TruncatedSVD({ nComponents: 100, seed: 0 }).fit(tfidf); // CsrMatrix or dense
 * const Z = svd.transform(tfidf); // n x 100 dense
 * ```
 */
export class TruncatedSVD {
  readonly options: Readonly<TruncatedSVDOptions>;

  constructor(options: TruncatedSVDOptions = {}) {
    this.options = { ...options };
  }

  fit(X: CsrMatrix | MatrixLike): TruncatedSVDModel {
    const o = this.options;
    const a: CsrMatrix | Matrix = isCsrMatrix(X) ? checkCsrMatrix(X) : asMatrix(X);
    const { rows: n, cols: d } = a;
    if (n < 1 || d < 1) throw new ValidationError(`invalid X: shape ${n} x ${d} (needs at least 1 row and column)`);
    const k = checkInt(o.nComponents ?? 2, "nComponents", 1, Math.min(n, d));
    const nIter = checkInt(o.nIter ?? 5, "nIter", 0);
    const nOversamples = checkInt(o.nOversamples ?? 10, "nOversamples", 0);
    const seed = checkNumber(o.seed ?? 0, "seed");
    const { s, vt } = randomizedSvd(a, k, { nIter, nOversamples, seed });
    // svd_flip(u_based_decision=False): the largest |v| of each component is positive.
    for (let j = 0; j < k; j++) {
      const row = vt.subarray(j * d, (j + 1) * d);
      let best = 0;
      for (let i = 1; i < d; i++) if (Math.abs(row[i]) > Math.abs(row[best])) best = i;
      if (row[best] < 0) for (let i = 0; i < d; i++) row[i] = -row[i];
    }
    const components: Matrix = { rows: k, cols: d, data: vt };
    const projected = project(a, components);
    const explainedVariance = columnVariances(projected.data, n, k);
    const total = totalVariance(a);
    const explainedVarianceRatio = explainedVariance.map((v) => (total > 0 ? v / total : 0));
    return new TruncatedSVDModel({ components, singularValues: s, explainedVariance, explainedVarianceRatio });
  }
}

function project(a: CsrMatrix | Matrix, components: Matrix): Matrix {
  const { rows: k, cols: d, data: vt } = components;
  // V is d x k.
  const v = new Float64Array(d * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) v[i * k + j] = vt[j * d + i];
  if ("indptr" in a) return { rows: a.rows, cols: k, data: csrMultiplyDense(a, v, k) };
  const out = new Float64Array(a.rows * k);
  for (let r = 0; r < a.rows; r++) {
    for (let i = 0; i < d; i++) {
      const x = a.data[r * d + i];
      if (x === 0) continue;
      for (let j = 0; j < k; j++) out[r * k + j] += x * v[i * k + j];
    }
  }
  return { rows: a.rows, cols: k, data: out };
}

function columnVariances(data: Float64Array, n: number, k: number): Float64Array {
  const mean = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j] += data[i * k + j];
  for (let j = 0; j < k; j++) mean[j] /= n;
  const out = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const t = data[i * k + j] - mean[j];
      out[j] += t * t;
    }
  }
  for (let j = 0; j < k; j++) out[j] /= n;
  return out;
}

/** Sum over the columns of X of their variance (population, ddof 0). */
function totalVariance(a: CsrMatrix | Matrix): number {
  const { rows: n, cols: d } = a;
  const sum = new Float64Array(d);
  const sq = new Float64Array(d);
  if ("indptr" in a) {
    for (let p = 0; p < a.data.length; p++) {
      sum[a.indices[p]] += a.data[p];
      sq[a.indices[p]] += a.data[p] * a.data[p];
    }
  } else {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const x = a.data[i * d + j];
        sum[j] += x;
        sq[j] += x * x;
      }
    }
  }
  let total = 0;
  for (let j = 0; j < d; j++) {
    const mean = sum[j] / n;
    total += Math.max(sq[j] / n - mean * mean, 0);
  }
  return total;
}

/** The fields of a fitted `TruncatedSVDModel`. */
export interface TruncatedSVDModelFields {
  /** The right singular vectors as rows (k x nFeatures). */
  components: Matrix;
  /** Singular values, decreasing (length k). */
  singularValues: Float64Array;
  /** Variance of each projected column of the training data. */
  explainedVariance: Float64Array;
  /** `explainedVariance` over the total variance of the training data's columns. */
  explainedVarianceRatio: Float64Array;
}

/** A fitted truncated SVD. Immutable. */
export class TruncatedSVDModel implements TransformerModel {
  readonly components: Matrix;
  readonly singularValues: Float64Array;
  readonly explainedVariance: Float64Array;
  readonly explainedVarianceRatio: Float64Array;
  /** Number of components k. */
  readonly nComponents: number;
  readonly nFeaturesIn: number;

  constructor(fields: TruncatedSVDModelFields) {
    this.components = fields.components;
    this.singularValues = fields.singularValues;
    this.explainedVariance = fields.explainedVariance;
    this.explainedVarianceRatio = fields.explainedVarianceRatio;
    this.nComponents = fields.components.rows;
    this.nFeaturesIn = fields.components.cols;
  }

  /** `X V`: each row of X (sparse or dense, nFeaturesIn columns) projected on the components (n x k). */
  transform(X: CsrMatrix | MatrixLike): Matrix {
    if (isCsrMatrix(X)) {
      checkCsrMatrix(X);
      if (X.cols !== this.nFeaturesIn) {
        throw new ValidationError(`invalid X: ${X.cols} features, expected ${this.nFeaturesIn} (as seen in fit)`);
      }
      return project(X, this.components);
    }
    return project(asMatrix(X, { cols: this.nFeaturesIn }), this.components);
  }

  toJSON(): ModelJSON {
    return {
      type: "TruncatedSVDModel",
      version: 1,
      nComponents: this.nComponents,
      nFeaturesIn: this.nFeaturesIn,
      components: encodeFloats(this.components.data),
      singularValues: encodeFloats(this.singularValues),
      explainedVariance: encodeFloats(this.explainedVariance),
      explainedVarianceRatio: encodeFloats(this.explainedVarianceRatio),
    };
  }

  static fromJSON(json: ModelJSON): TruncatedSVDModel {
    if (json?.type !== "TruncatedSVDModel" || json.version !== 1) {
      throw new ValidationError(`invalid model JSON: type ${JSON.stringify(json?.type)} version ${json?.version}`);
    }
    const k = checkInt(json.nComponents as number, "model JSON nComponents", 1);
    const d = checkInt(json.nFeaturesIn as number, "model JSON nFeaturesIn", 1);
    const data = decodeFloats(json.components, "components");
    if (data.length !== k * d)
      throw new ValidationError(`invalid model JSON: components has ${data.length} values, expected ${k * d}`);
    return new TruncatedSVDModel({
      components: { rows: k, cols: d, data },
      singularValues: decodeFloats(json.singularValues, "singularValues"),
      explainedVariance: decodeFloats(json.explainedVariance, "explainedVariance"),
      explainedVarianceRatio: decodeFloats(json.explainedVarianceRatio, "explainedVarianceRatio"),
    });
  }
}

registerModel("TruncatedSVDModel", (json) => TruncatedSVDModel.fromJSON(json));
