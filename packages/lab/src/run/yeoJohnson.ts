import {
  asMatrix,
  decodeFloats,
  encodeFloats,
  invalid,
  type Matrix,
  type MatrixLike,
  type ModelJSON,
  registerModel,
  type TransformerModel,
  ValidationError,
} from "@clusterlab/core";

/** Options for `YeoJohnson`. */
export interface YeoJohnsonOptions {
  /**
   * Fixed lambdas, one per feature, instead of estimating them by maximum likelihood. Default:
   * estimated (as scikit-learn's `PowerTransformer(method="yeo-johnson")` and scipy's
   * `yeojohnson_normmax`).
   */
  lambdas?: readonly number[];
}

const EPS = 2.220446049250313e-16;
const TINY = 2.2250738585072014e-308;
const MAX = 1.7976931348623157e308;

/** The Yeo-Johnson transform of one value (scipy's `_yeojohnson_transform`, element-wise). */
export function yeoJohnsonValue(x: number, lambda: number): number {
  if (x >= 0) {
    return Math.abs(lambda) < EPS ? Math.log1p(x) : Math.expm1(lambda * Math.log1p(x)) / lambda;
  }
  if (x < 0) {
    return Math.abs(lambda - 2) > EPS ? -Math.expm1((2 - lambda) * Math.log1p(-x)) / (2 - lambda) : -Math.log1p(-x);
  }
  return x; // NaN stays NaN
}

/** The Yeo-Johnson log-likelihood of `lambda` for observed (finite) values, as scipy's `yeojohnson_llf`. */
export function yeoJohnsonLogLikelihood(x: ArrayLike<number>, lambda: number): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yeoJohnsonValue(x[i], lambda);
  mean /= n;
  let variance = 0;
  let signedLog = 0;
  for (let i = 0; i < n; i++) {
    const d = yeoJohnsonValue(x[i], lambda) - mean;
    variance += d * d;
    const v = x[i];
    signedLog += Math.sign(v) * Math.log1p(Math.abs(v));
  }
  variance /= n;
  const logVariance = variance >= TINY ? Math.log(variance) : Number.NEGATIVE_INFINITY;
  return (-n / 2) * logVariance + (lambda - 1) * signedLog;
}

/**
 * Brent's bounded scalar minimisation, a port of scipy's `fminbound` (`_minimize_scalar_bounded`,
 * xatol 1.48e-8, at most 500 evaluations), so the optimum matches scipy's to rounding.
 */
export function fminbound(f: (x: number) => number, x1: number, x2: number, xatol = 1.48e-8, maxfun = 500): number {
  const sqrtEps = Math.sqrt(2.2e-16);
  const goldenMean = 0.5 * (3 - Math.sqrt(5));
  let a = x1;
  let b = x2;
  let fulc = a + goldenMean * (b - a);
  let nfc = fulc;
  let xf = fulc;
  let rat = 0;
  let e = 0;
  let x = xf;
  let fx = f(x);
  let num = 1;
  let ffulc = fx;
  let fnfc = fx;
  let xm = 0.5 * (a + b);
  let tol1 = sqrtEps * Math.abs(xf) + xatol / 3;
  let tol2 = 2 * tol1;
  const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);
  while (Math.abs(xf - xm) > tol2 - 0.5 * (b - a)) {
    let golden = true;
    if (Math.abs(e) > tol1) {
      golden = false;
      let r = (xf - nfc) * (fx - ffulc);
      let q = (xf - fulc) * (fx - fnfc);
      let p = (xf - fulc) * q - (xf - nfc) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      r = e;
      e = rat;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - xf) && p < q * (b - xf)) {
        rat = (p + 0) / q;
        x = xf + rat;
        if (x - a < tol2 || b - x < tol2) {
          const si = sign(xm - xf) + (xm - xf === 0 ? 1 : 0);
          rat = tol1 * si;
        }
      } else {
        golden = true;
      }
    }
    if (golden) {
      e = xf >= xm ? a - xf : b - xf;
      rat = goldenMean * e;
    }
    const si = sign(rat) + (rat === 0 ? 1 : 0);
    x = xf + si * Math.max(Math.abs(rat), tol1);
    const fu = f(x);
    num++;
    if (fu <= fx) {
      if (x >= xf) a = xf;
      else b = xf;
      fulc = nfc;
      ffulc = fnfc;
      nfc = xf;
      fnfc = fx;
      xf = x;
      fx = fu;
    } else {
      if (x < xf) a = x;
      else b = x;
      if (fu <= fnfc || nfc === xf) {
        fulc = nfc;
        ffulc = fnfc;
        nfc = x;
        fnfc = fu;
      } else if (fu <= ffulc || fulc === xf || fulc === nfc) {
        fulc = x;
        ffulc = fu;
      }
    }
    xm = 0.5 * (a + b);
    tol1 = sqrtEps * Math.abs(xf) + xatol / 3;
    tol2 = 2 * tol1;
    if (num >= maxfun) break;
  }
  return xf;
}

/**
 * The maximum-likelihood Yeo-Johnson lambda of observed (finite) values, as scipy's
 * `yeojohnson_normmax` (which scikit-learn's `PowerTransformer` calls): bounded Brent search between
 * bounds that keep the transformed values and their variance within floating-point range. All
 * zeros give 1.
 */
export function yeoJohnsonLambda(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) throw new ValidationError("invalid X: no observed value to estimate a Yeo-Johnson lambda from");
  let maxAbs = 0;
  let allZero = true;
  let allNegative = true;
  let anyNegative = false;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) throw new ValidationError(`invalid X: Yeo-Johnson input must be finite (got ${v})`);
    if (v !== 0) allZero = false;
    if (v < 0) anyNegative = true;
    else allNegative = false;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  if (allZero) return 1;
  const log1pMaxX = Math.log1p(20 * maxAbs);
  const logEps = Math.log(EPS);
  const logTiny = (Math.log(TINY) - logEps) / 2;
  const logMax = (Math.log(MAX) + logEps) / 2;
  let lb = logTiny / log1pMaxX;
  let ub = logMax / log1pMaxX;
  if (allNegative) [lb, ub] = [2 - ub, 2 - lb];
  else if (anyNegative) [lb, ub] = [Math.max(2 - ub, lb), Math.min(2 - lb, ub)];
  const negLogLikelihood = (lambda: number) => {
    const llf = yeoJohnsonLogLikelihood(x, lambda);
    return Number.isFinite(llf) || Number.isNaN(llf) ? -llf : Number.POSITIVE_INFINITY;
  };
  return fminbound(negLogLikelihood, lb, ub);
}

/** True when scikit-learn's `_is_constant_feature` would call the column constant (its lambda is then 1). */
function isConstantFeature(variance: number, mean: number, n: number): boolean {
  const upper = n * EPS * variance + (n * mean * EPS) ** 2;
  return variance <= upper;
}

/**
 * The Yeo-Johnson power transform per feature (a Gaussianising transform for values of any sign),
 * as scikit-learn's `PowerTransformer(method="yeo-johnson", standardize=False)`: each feature's
 * lambda maximises the normal log-likelihood of the transformed values (NaN ignored in fit and kept
 * in transform); a constant feature gets lambda 1 (the identity). Standardising is left to a scaler
 * after it, as the analysis spec orders the steps.
 *
 * Defined in `@clusterlab/lab` (core has no power transform yet): its model registers with core's
 * `modelFromJSON`, but only once `@clusterlab/lab` is loaded.
 */
export class YeoJohnson {
  readonly options: Readonly<YeoJohnsonOptions>;

  constructor(options: YeoJohnsonOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): YeoJohnsonModel {
    const m = asMatrix(X, { allowNaN: true });
    const { rows, cols, data } = m;
    const given = this.options.lambdas;
    if (given !== undefined) {
      if (given.length !== cols || given.some((l) => typeof l !== "number" || !Number.isFinite(l))) {
        throw invalid("lambdas", given, `must be ${cols} finite numbers, one per feature`);
      }
      return new YeoJohnsonModel(Float64Array.from(given));
    }
    const lambdas = new Float64Array(cols);
    const column = new Float64Array(rows);
    for (let j = 0; j < cols; j++) {
      let count = 0;
      for (let i = 0; i < rows; i++) {
        const v = data[i * cols + j];
        if (!Number.isNaN(v)) column[count++] = v;
      }
      const observed = column.subarray(0, count);
      let mean = 0;
      for (let i = 0; i < count; i++) mean += observed[i];
      mean /= count;
      let variance = 0;
      for (let i = 0; i < count; i++) variance += (observed[i] - mean) ** 2;
      variance /= count;
      lambdas[j] = count === 0 || isConstantFeature(variance, mean, count) ? 1 : yeoJohnsonLambda(observed);
    }
    return new YeoJohnsonModel(lambdas);
  }
}

/** A fitted `YeoJohnson` transform: one lambda per feature. Immutable. */
export class YeoJohnsonModel implements TransformerModel {
  readonly lambdas: Float64Array;
  readonly nFeaturesIn: number;

  constructor(lambdas: Float64Array) {
    this.lambdas = lambdas;
    this.nFeaturesIn = lambdas.length;
  }

  transform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { allowNaN: true });
    if (m.cols !== this.nFeaturesIn) {
      throw new ValidationError(`invalid X: ${m.cols} features, expected ${this.nFeaturesIn} (as seen in fit)`);
    }
    const { rows, cols, data } = m;
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows * cols; i++) out[i] = yeoJohnsonValue(data[i], this.lambdas[i % cols]);
    return { rows, cols, data: out };
  }

  toJSON(): ModelJSON {
    return { type: "YeoJohnsonModel", version: 1, lambdas: encodeFloats(this.lambdas) };
  }

  static fromJSON(json: ModelJSON): YeoJohnsonModel {
    if (json.type !== "YeoJohnsonModel" || json.version !== 1) {
      throw new ValidationError(
        `invalid model JSON: expected YeoJohnsonModel version 1, got ${json.type} ${json.version}`,
      );
    }
    return new YeoJohnsonModel(decodeFloats(json.lambdas, "lambdas"));
  }
}

registerModel("YeoJohnsonModel", (json) => YeoJohnsonModel.fromJSON(json));
