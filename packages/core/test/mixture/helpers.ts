import { loadFixture } from "../fixtures.js";

/** One scikit-learn fit recorded by reference/mixture.py (arrays flattened row-major). */
export interface MixtureCase {
  dataset: string;
  init: "truth" | "rows";
  covarianceType: "full" | "tied" | "diag" | "spherical";
  nComponents: number;
  tol: number;
  maxIter: number;
  regCovar: number;
  weightsInit: number[];
  meansInit: number[];
  precisionsInit: number[];
  weights: number[];
  means: number[];
  covariances: number[];
  precisions: number[];
  precisionsCholesky: number[];
  lowerBound: number;
  nIter: number;
  converged: boolean;
  warned: boolean;
  nParameters: number;
  labels: number[];
  probaRows: number[];
  proba: number[];
  scoreSamples: number[];
  score: number;
  bic: number;
  aic: number;
}

export function loadMixtureCases(): MixtureCase[] {
  return loadFixture<{ cases: MixtureCase[] }>("mixture").cases;
}

/** max |a - b| / max |b|: the error relative to the scale of the reference array. */
export function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** max over entries of |a - b| / max(|a|, |b|) (entries where both are 0 count as equal). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const s = Math.max(Math.abs(a[i]), Math.abs(b[i]));
    if (s > 0) m = Math.max(m, Math.abs(a[i] - b[i]) / s);
  }
  return m;
}
