import { blockRows } from "../cluster/kmeansKernels.js";
import { invalid, ValidationError } from "../errors.js";
import type { ModelJSON, Transformer, TransformerModel } from "../estimator.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import { consoleLogger, type Logger } from "../logger.js";
import { isMatrix, type Matrix, type MatrixLike } from "../matrix.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkFinite } from "../validate.js";
import type { KernelCall } from "../wasm/parallel.js";
import { type Allocator, acquireWorkspace, addr, runCalls, type Workspace } from "../wasm/workspace.js";
import { columnSumsBlock, GRAM_CHUNK, gramBlock, projectBlock } from "./pcaKernels.js";

/** Options for `PCA`. */
export interface PCAOptions {
  /**
   * How many components to keep. An integer in `[1, min(nSamples, nFeatures)]`, or a fraction in
   * `(0, 1)`: keep the smallest number of components whose cumulative explained-variance ratio is
   * strictly greater than the fraction (scikit-learn's rule). Default: `min(nSamples, nFeatures)`.
   */
  nComponents?: number;
  /**
   * Scale the projected data to unit variance per component (divide by
   * `sqrt(explainedVariance)`). `inverseTransform` undoes it. Default false.
   */
  whiten?: boolean;
  /** Receives warnings (e.g. data with zero total variance). Default `consoleLogger`. */
  logger?: Logger;
}

/** The fields of a fitted `PCAModel` (what its constructor takes). */
export interface PCAModelParams {
  components: Matrix;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  singularValues: Float64Array;
  mean: Float64Array;
  noiseVariance: number;
  nSamples: number;
  whiten: boolean;
}

const EPS = 2.220446049250313e-16;

/**
 * Principal component analysis: projects centred data onto the directions of largest variance.
 *
 * `fit` computes exactly what scikit-learn's `PCA(svd_solver="full")` computes, by a different
 * route: with `nSamples >= nFeatures` it forms the `d x d` covariance of the centred data (one
 * blocked pass over the flat matrix, `O(n d^2)`; about 0.2 s for 1M x 16) and diagonalises it with
 * the Jacobi method; with fewer samples than features it diagonalises the `n x n` Gram matrix of the
 * centred rows instead and maps the eigenvectors back (`v = X_c^T u / s`). Components are sorted
 * by decreasing variance and their signs follow scikit-learn's `svd_flip(u_based_decision=False)`:
 * in each component the entry of largest absolute value is positive.
 *
 * The centred data have rank at most `min(n - 1, d)`, so with `n <= d` (or collinear features)
 * the trailing components carry zero variance. Those directions are not determined by the data:
 * they are returned as an arbitrary orthonormal completion (scikit-learn's are arbitrary too), with
 * `explainedVariance` exactly 0, and whitening divides by `eps` there as scikit-learn does. Variances
 * below `max(n, d) * eps` times the largest are counted as such zeros: forming the covariance squares
 * the condition number, so smaller ones cannot be told from rounding error (scikit-learn's SVD of the
 * data resolves variances down to about `eps^2` times the largest).
 *
 * @example
 * const model = new PCA({ nComponents: 2 }).fit(X);
 * const Y = model.transform(X); // n x 2
 */
export class PCA implements Transformer<PCAModel> {
  readonly options: Readonly<PCAOptions>;

  constructor(options: PCAOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): PCAModel {
    return this.fitWith(X, false).model;
  }

  /**
   * `fit(X)` and the projection of X on the kept components, `{ model, output }` (the output
   * equals `model.transform(X)` bit for bit), reading X into the kernels' memory once.
   */
  fitTransform(X: MatrixLike): { model: PCAModel; output: Matrix } {
    const { model, output } = this.fitWith(X, true);
    return { model, output: output ?? model.transform(X) };
  }

  private fitWith(X: MatrixLike, project: boolean): { model: PCAModel; output: Matrix | null } {
    const { nComponents, whiten = false, logger = consoleLogger } = this.options;
    if (typeof whiten !== "boolean") throw invalid("whiten", whiten, "must be a boolean");
    // A well-formed Matrix skips asMatrix's separate pass over the values: the column sums (the
    // first pass over X) are non-finite when a value is, and only then is every value checked.
    const deferFiniteCheck = isMatrix(X) && X.rows > 0 && X.cols > 0 && X.data.length === X.rows * X.cols;
    const m = deferFiniteCheck ? X : asMatrix(X);
    const n = m.rows;
    const d = m.cols;
    if (n < 2) throw new ValidationError(`invalid X: ${n} sample (PCA needs at least 2 samples to estimate variance)`);
    const maxComponents = Math.min(n, d);
    if (nComponents !== undefined) {
      const isFraction = typeof nComponents === "number" && nComponents > 0 && nComponents < 1;
      const isCount = Number.isInteger(nComponents) && nComponents >= 1;
      if (!isFraction && !isCount) {
        throw invalid(
          "nComponents",
          nComponents,
          "must be an integer >= 1 or a fraction in (0, 1) of the variance to explain",
        );
      }
      if (isCount && nComponents > maxComponents) {
        throw invalid(
          "nComponents",
          nComponents,
          `must be <= min(nSamples, nFeatures) = min(${n}, ${d}) = ${maxComponents}`,
        );
      }
    }

    // The projection's size is known in advance unless nComponents is a variance fraction.
    const known = nComponents === undefined ? maxComponents : Number.isInteger(nComponents) ? nComponents : 0;
    const outK = project ? known : 0;
    const passes = new PcaPasses(m, outK);
    try {
      return this.finish(m, passes, outK, whiten, logger, deferFiniteCheck);
    } finally {
      passes.release();
    }
  }

  private finish(
    m: Matrix,
    passes: PcaPasses,
    outK: number,
    whiten: boolean,
    logger: Logger,
    deferFiniteCheck: boolean,
  ): { model: PCAModel; output: Matrix | null } {
    const { nComponents } = this.options;
    const n = m.rows;
    const d = m.cols;
    const maxComponents = Math.min(n, d);
    const mean = passes.means();
    if (deferFiniteCheck && !mean.every(Number.isFinite)) checkFinite(m);
    const { values, vectors } = n >= d ? covarianceEigen(passes, mean) : gramEigen(m.data, n, d, mean);
    // `values` has maxComponents entries, `vectors` is maxComponents x d with unit rows. Variances
    // below what an eigendecomposition of the covariance resolves (absolute error ~ eps * largest)
    // are rounding noise of a rank-deficient matrix: report them as exactly 0.
    const negligible = values[0] * Math.max(n, d) * EPS;
    for (let k = 0; k < maxComponents; k++) if (values[k] <= negligible) values[k] = 0;
    flipSigns(vectors, maxComponents, d);

    let totalVariance = 0;
    for (let k = 0; k < maxComponents; k++) totalVariance += values[k];
    const ratio = new Float64Array(maxComponents);
    if (totalVariance > 0) {
      for (let k = 0; k < maxComponents; k++) ratio[k] = values[k] / totalVariance;
    } else {
      logger.warn("PCA: the data have zero total variance (all rows equal); explained variance ratios set to 0");
    }

    let kept: number;
    if (nComponents === undefined) kept = maxComponents;
    else if (nComponents < 1) {
      // Smallest k with cumulative ratio > fraction (numpy searchsorted side="right" + 1), at most all.
      kept = maxComponents;
      let cumulative = 0;
      for (let k = 0; k < maxComponents; k++) {
        cumulative += ratio[k];
        if (cumulative > nComponents) {
          kept = k + 1;
          break;
        }
      }
    } else kept = nComponents;

    let noiseVariance = 0;
    if (kept < maxComponents) {
      for (let k = kept; k < maxComponents; k++) noiseVariance += values[k];
      noiseVariance /= maxComponents - kept;
    }
    const singularValues = new Float64Array(kept);
    for (let k = 0; k < kept; k++) singularValues[k] = Math.sqrt(values[k] * (n - 1));
    const model = new PCAModel({
      components: { rows: kept, cols: d, data: vectors.slice(0, kept * d) },
      explainedVariance: values.slice(0, kept),
      explainedVarianceRatio: ratio.slice(0, kept),
      singularValues,
      mean,
      noiseVariance,
      nSamples: n,
      whiten,
    });
    if (outK !== kept) return { model, output: null };
    const data = passes.project(model.mean, model.components.data, kept, whitenScale(model));
    return { model, output: { rows: n, cols: kept, data } };
  }
}

/**
 * A fitted PCA: `transform(X) = (X - mean) components^T` (divided by `sqrt(explainedVariance)`
 * per component when whitening).
 */
export class PCAModel implements TransformerModel {
  /** Principal axes, one per row (`nComponents x nFeaturesIn`), orthonormal, by decreasing variance. */
  readonly components: Matrix;
  /** Variance of the data along each component (the covariance eigenvalues, denominator `n - 1`). */
  readonly explainedVariance: Float64Array;
  /** `explainedVariance` divided by the total variance (the sum over all `min(n, d)` components). */
  readonly explainedVarianceRatio: Float64Array;
  /** Singular values of the centred data: `sqrt(explainedVariance * (nSamples - 1))`. */
  readonly singularValues: Float64Array;
  /** Per-feature mean of the training data. */
  readonly mean: Float64Array;
  /**
   * Probabilistic-PCA noise variance: the mean of the discarded components' variances (those beyond
   * `nComponents`, up to `min(nSamples, nFeatures)`); 0 when none is discarded.
   */
  readonly noiseVariance: number;
  /** Number of components kept. */
  readonly nComponents: number;
  /** Number of input features seen in fit. */
  readonly nFeaturesIn: number;
  /** Number of training samples. */
  readonly nSamples: number;
  /** Whether `transform` whitens. */
  readonly whiten: boolean;

  constructor(params: PCAModelParams) {
    this.components = params.components;
    this.explainedVariance = params.explainedVariance;
    this.explainedVarianceRatio = params.explainedVarianceRatio;
    this.singularValues = params.singularValues;
    this.mean = params.mean;
    this.noiseVariance = params.noiseVariance;
    this.nComponents = params.components.rows;
    this.nFeaturesIn = params.components.cols;
    this.nSamples = params.nSamples;
    this.whiten = params.whiten;
    Object.freeze(this);
  }

  /** Projects `X` (`n x nFeaturesIn`) onto the components: an `n x nComponents` matrix. */
  transform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const k = this.nComponents;
    const passes = new PcaPasses(m, k);
    try {
      return { rows: m.rows, cols: k, data: passes.project(this.mean, this.components.data, k, whitenScale(this)) };
    } finally {
      passes.release();
    }
  }

  /**
   * Maps projected data (`n x nComponents`) back to feature space: `Y components + mean`, undoing
   * whitening first. Exact for `nComponents = nFeaturesIn`; otherwise the rank-`nComponents`
   * reconstruction.
   */
  inverseTransform(Y: MatrixLike): Matrix {
    const m = asMatrix(Y, { name: "Y", cols: this.nComponents });
    const { rows } = m;
    const d = this.nFeaturesIn;
    const k = this.nComponents;
    const comp = this.components.data;
    const out = new Float64Array(rows * d);
    const data = m.data;
    const ev = this.explainedVariance;
    for (let i = 0; i < rows; i++) {
      const ob = i * d;
      out.set(this.mean, ob);
      for (let c = 0; c < k; c++) {
        const y = this.whiten ? data[i * k + c] * Math.sqrt(ev[c]) : data[i * k + c];
        if (y === 0) continue;
        const cb = c * d;
        for (let j = 0; j < d; j++) out[ob + j] += y * comp[cb + j];
      }
    }
    return { rows, cols: d, data: out };
  }

  toJSON(): ModelJSON {
    return {
      type: "PCAModel",
      version: 1,
      nComponents: this.nComponents,
      nFeaturesIn: this.nFeaturesIn,
      nSamples: this.nSamples,
      whiten: this.whiten,
      components: encodeFloats(this.components.data),
      explainedVariance: encodeFloats(this.explainedVariance),
      explainedVarianceRatio: encodeFloats(this.explainedVarianceRatio),
      singularValues: encodeFloats(this.singularValues),
      mean: encodeFloats(this.mean),
      noiseVariance: this.noiseVariance,
    };
  }

  /** Restores a model from `toJSON()` output (also reachable through `modelFromJSON`). */
  static fromJSON(json: ModelJSON): PCAModel {
    if (json.type !== "PCAModel")
      throw new ValidationError(`invalid model JSON: type ${JSON.stringify(json.type)}, expected "PCAModel"`);
    if (json.version !== 1)
      throw new ValidationError(`invalid model JSON: PCAModel version ${json.version} (supported: 1)`);
    const k = json.nComponents;
    const d = json.nFeaturesIn;
    const n = json.nSamples;
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1)
      throw new ValidationError(`invalid model JSON: nComponents ${k}`);
    if (typeof d !== "number" || !Number.isInteger(d) || d < 1)
      throw new ValidationError(`invalid model JSON: nFeaturesIn ${d}`);
    if (typeof n !== "number" || !Number.isInteger(n) || n < 2)
      throw new ValidationError(`invalid model JSON: nSamples ${n}`);
    if (typeof json.whiten !== "boolean") throw new ValidationError("invalid model JSON: whiten is not a boolean");
    if (typeof json.noiseVariance !== "number")
      throw new ValidationError("invalid model JSON: noiseVariance is not a number");
    const sized = (name: string, length: number) => {
      const a = decodeFloats(json[name], name);
      if (a.length !== length)
        throw new ValidationError(`invalid model JSON: ${name} has ${a.length} values, expected ${length}`);
      return a;
    };
    return new PCAModel({
      components: { rows: k, cols: d, data: sized("components", k * d) },
      explainedVariance: sized("explainedVariance", k),
      explainedVarianceRatio: sized("explainedVarianceRatio", k),
      singularValues: sized("singularValues", k),
      mean: sized("mean", d),
      noiseVariance: json.noiseVariance,
      nSamples: n,
      whiten: json.whiten,
    });
  }
}

registerModel("PCAModel", PCAModel.fromJSON);

/** Per-component divisor when whitening (scikit-learn clips it below at machine epsilon), else null. */
function whitenScale(model: PCAModel): Float64Array | null {
  if (!model.whiten) return null;
  const scale = new Float64Array(model.nComponents);
  for (let c = 0; c < model.nComponents; c++) scale[c] = Math.max(Math.sqrt(model.explainedVariance[c]), EPS);
  return scale;
}

interface PassArrays {
  x: Float64Array;
  sums: Float64Array;
  part: Float64Array;
  mean: Float64Array;
  acc: Float64Array;
  buf: Float64Array;
  comps: Float64Array;
  scale: Float64Array;
  out: Float64Array;
}

/**
 * The passes over X (column sums, scatter of the centred rows, projection) over fixed blocks of
 * rows (`blockRows`), with the kernels of pcaKernels.ts or their WebAssembly transcriptions (then
 * on worker threads too when an executor is set); per-block sums are combined in block order, so
 * the results do not depend on the backend or the number of threads. Holds X in the kernels'
 * memory until `release()`. Rounding: sums go by sub-blocks of 256 rows, the scatter by chunks of
 * 64, so the error grows with the block size, not with n.
 */
class PcaPasses {
  private readonly ws: Workspace<PassArrays>;
  private readonly n: number;
  private readonly d: number;
  private readonly rows: number;
  private readonly nb: number;

  /** `outK`: components of a projection to come (0: none). */
  constructor(m: Matrix, outK: number) {
    const n = m.rows;
    const d = m.cols;
    this.n = n;
    this.d = d;
    this.rows = blockRows(n);
    const nb = Math.ceil(n / this.rows);
    this.nb = nb;
    const packed = (d * (d + 1)) / 2;
    this.ws = acquireWorkspace(
      (a: Allocator) => ({
        x: a.input(m.data.subarray(0, n * d)),
        sums: a.f64(nb * d),
        part: a.f64(nb * d),
        mean: a.f64(d),
        acc: a.f64(nb * packed),
        buf: a.f64(nb * GRAM_CHUNK * d),
        comps: a.f64(outK * d),
        scale: a.f64(outK),
        out: a.scratch(n * outK),
      }),
      n * d * Math.max(outK, d / 2),
    );
  }

  release(): void {
    this.ws.release();
  }

  /** Runs `kernel` on every block: with the TypeScript kernel `js(b, i0, i1)`, or as WebAssembly calls. */
  private blocks(
    js: (b: number, i0: number, i1: number) => void,
    call: (b: number, i0: number, i1: number) => KernelCall,
  ): void {
    const { n, rows, nb } = this;
    if (this.ws.kernels === null) {
      for (let b = 0; b < nb; b++) js(b, b * rows, Math.min(n, (b + 1) * rows));
      return;
    }
    const calls: KernelCall[] = [];
    for (let b = 0; b < nb; b++) calls.push(call(b, b * rows, Math.min(n, (b + 1) * rows)));
    runCalls(this.ws, calls);
  }

  /** Column means (block sums added in block order, then divided by n). */
  means(): Float64Array {
    const { d, nb } = this;
    const v = this.ws.arrays;
    this.blocks(
      (b, i0, i1) => columnSumsBlock(v.x, d, i0, i1, v.sums, b * d, v.part.subarray(0, d)),
      (b, i0, i1) => ["columnSumsBlock", addr(v.x), d, i0, i1, addr(v.sums) + b * d * 8, addr(v.part) + b * d * 8],
    );
    const total = new Float64Array(d);
    for (let b = 0; b < nb; b++) for (let j = 0; j < d; j++) total[j] += v.sums[b * d + j];
    for (let j = 0; j < d; j++) total[j] /= this.n;
    return total;
  }

  /** The d x d covariance (denominator n - 1) of the rows centred on `mean`, full symmetric. */
  covariance(mean: Float64Array): Float64Array {
    const { d, nb } = this;
    const v = this.ws.arrays;
    const packed = (d * (d + 1)) / 2;
    v.mean.set(mean);
    this.blocks(
      (b, i0, i1) => gramBlock(v.x, d, v.mean, i0, i1, v.acc, b * packed, v.buf.subarray(0, GRAM_CHUNK * d)),
      (b, i0, i1) => [
        "gramBlock",
        addr(v.x),
        d,
        addr(v.mean),
        i0,
        i1,
        addr(v.acc) + b * packed * 8,
        addr(v.buf) + b * GRAM_CHUNK * d * 8,
      ],
    );
    const acc = new Float64Array(packed);
    for (let b = 0; b < nb; b++) for (let p = 0; p < packed; p++) acc[p] += v.acc[b * packed + p];
    const cov = new Float64Array(d * d);
    const denom = this.n - 1;
    for (let a = 0, p = 0; a < d; a++) {
      for (let c = 0; c <= a; c++, p++) {
        const value = acc[p] / denom;
        cov[a * d + c] = value;
        cov[c * d + a] = value;
      }
    }
    return cov;
  }

  /** `(X - mean) comps^T` (k components), divided by `scale` when given: a new n x k array. */
  project(mean: Float64Array, comps: Float64Array, k: number, scale: Float64Array | null): Float64Array {
    const { d } = this;
    const v = this.ws.arrays;
    v.mean.set(mean);
    v.comps.set(comps.subarray(0, k * d));
    if (scale !== null) v.scale.set(scale);
    const whiten = scale === null ? 0 : 1;
    this.blocks(
      (_b, i0, i1) => projectBlock(v.x, d, v.mean, v.comps, k, v.scale, whiten, i0, i1, v.out, i0 * k),
      (_b, i0, i1) => [
        "projectBlock",
        addr(v.x),
        d,
        addr(v.mean),
        addr(v.comps),
        k,
        addr(v.scale),
        whiten,
        i0,
        i1,
        addr(v.out) + i0 * k * 8,
      ],
    );
    return v.out.slice(0, this.n * k);
  }
}

interface Eigen {
  /** min(n, d) variances, decreasing, clipped at 0. */
  values: Float64Array;
  /** min(n, d) x d unit eigenvectors (rows). */
  vectors: Float64Array;
}

/** n >= d: eigendecomposition of the d x d covariance of the centred data. */
function covarianceEigen(passes: PcaPasses, mean: Float64Array): Eigen {
  const d = mean.length;
  const { values, vectors } = symmetricEigen(passes.covariance(mean), d);
  for (let k = 0; k < d; k++) if (values[k] < 0) values[k] = 0;
  return { values, vectors };
}

/**
 * n < d: eigendecomposition of the n x n Gram matrix `X_c X_c^T / (n - 1)` (same nonzero
 * eigenvalues as the covariance), components `v_k = X_c^T u_k / sqrt(lambda_k (n - 1))`,
 * re-orthonormalised; directions with numerically zero variance are completed from the
 * standard basis.
 */
function gramEigen(data: Float64Array, n: number, d: number, mean: Float64Array): Eigen {
  const xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let j = 0; j < d; j++) xc[base + j] = data[base + j] - mean[j];
  }
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += xc[i * d + j] * xc[k * d + j];
      gram[i * n + k] = s / (n - 1);
    }
  }
  const eig = symmetricEigen(gram, n);
  const values = eig.values;
  for (let k = 0; k < n; k++) if (values[k] < 0) values[k] = 0;
  const vectors = new Float64Array(n * d);
  const tol = values[0] * Math.max(n, d) * EPS;
  let filled = 0;
  for (let k = 0; k < n && values[k] > tol; k++) {
    const row = vectors.subarray(k * d, (k + 1) * d);
    for (let i = 0; i < n; i++) {
      const u = eig.vectors[k * n + i];
      if (u === 0) continue;
      const base = i * d;
      for (let j = 0; j < d; j++) row[j] += u * xc[base + j];
    }
    orthonormalise(vectors, k, d);
    filled = k + 1;
  }
  // Null-space completion: standard basis vectors, orthogonalised against the rows so far.
  let candidate = 0;
  for (let k = filled; k < n; k++) {
    for (;;) {
      if (candidate >= d) throw new Error("PCA: could not complete the component basis"); // unreachable: k < n < d
      const row = vectors.subarray(k * d, (k + 1) * d);
      row.fill(0);
      row[candidate++] = 1;
      if (orthonormalise(vectors, k, d) > 0.5 / Math.sqrt(d)) break;
    }
  }
  return { values, vectors };
}

/**
 * Gram-Schmidt (applied twice, which makes it orthogonal to working precision) of row `k` of `v`
 * against rows `0..k-1`, then normalisation. Returns the norm of the row before normalising (after
 * orthogonalisation), relative to its norm before orthogonalisation.
 */
function orthonormalise(v: Float64Array, k: number, d: number): number {
  const row = v.subarray(k * d, (k + 1) * d);
  let norm0 = 0;
  for (let j = 0; j < d; j++) norm0 += row[j] * row[j];
  norm0 = Math.sqrt(norm0);
  for (let pass = 0; pass < 2; pass++) {
    for (let p = 0; p < k; p++) {
      const pb = p * d;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += row[j] * v[pb + j];
      if (dot === 0) continue;
      for (let j = 0; j < d; j++) row[j] -= dot * v[pb + j];
    }
  }
  let norm = 0;
  for (let j = 0; j < d; j++) norm += row[j] * row[j];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let j = 0; j < d; j++) row[j] /= norm;
  return norm0 > 0 ? norm / norm0 : 0;
}

/** scikit-learn's svd_flip(u_based_decision=False): the largest-|.| entry of each row (first on ties) is made positive. */
function flipSigns(vectors: Float64Array, rows: number, d: number): void {
  for (let k = 0; k < rows; k++) {
    const base = k * d;
    let best = 0;
    let bestAbs = -1;
    for (let j = 0; j < d; j++) {
      const a = Math.abs(vectors[base + j]);
      if (a > bestAbs) {
        bestAbs = a;
        best = j;
      }
    }
    if (vectors[base + best] < 0) for (let j = 0; j < d; j++) vectors[base + j] = -vectors[base + j];
  }
}
