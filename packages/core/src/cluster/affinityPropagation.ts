import { invalid, ValidationError } from "../errors.js";
import type { ClusterModel, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import { type Matrix, type MatrixLike, matrix, takeRows, toRows } from "../matrix.js";
import { Random } from "../random.js";
import { registerModel } from "../serialize.js";
import { asLabels, asMatrix, checkChoice, checkInt, checkNumber } from "../validate.js";

/** How `AffinityPropagation` reads its input. */
export type AffinityPropagationAffinity = "euclidean" | "precomputed";

/** Options for `AffinityPropagation` (names and semantics follow scikit-learn 1.9's `AffinityPropagation`). */
export interface AffinityPropagationOptions {
  /**
   * Damping factor in [0.5, 1): each update keeps this fraction of the previous message (responsibilities
   * and availabilities). Default 0.5.
   */
  damping?: number;
  /** Most iterations (an integer >= 1). Default 200. */
  maxIter?: number;
  /**
   * Stop once the set of exemplars has stayed the same for this many iterations (an integer >= 1).
   * Default 15.
   */
  convergenceIter?: number;
  /**
   * Self-similarity of each sample: larger values give more exemplars. A number (all samples) or one
   * number per sample. Default: the median of the similarity matrix (all n^2 entries, diagonal included),
   * as scikit-learn.
   */
  preference?: number | ArrayLike<number>;
  /**
   * `"euclidean"` (default): X is n x d data and the similarity is the negative squared Euclidean distance.
   * `"precomputed"`: X is an n x n similarity matrix (larger = more similar); the model then has no
   * `clusterCenters` and no `predict`.
   */
  affinity?: AffinityPropagationAffinity;
  /**
   * Add tiny noise to the similarities to break ties (scikit-learn always does): each entry s becomes
   * s + (eps * s + 100 * tiny) * z with z standard normal from `seed` (eps = 2^-52, tiny = 2^-1022).
   * Clusterlab's random stream differs from numpy's, so with exact ties the exemplars can differ from
   * scikit-learn's; without ties the noise (relative size ~1e-16) does not change the result. Default true.
   */
  addNoise?: boolean;
  /** Seed for the noise. Default 0. */
  seed?: number;
  /**
   * Keep the n x n similarity matrix (before the preference and the noise are applied) in the model as
   * `affinityMatrix`. It is not part of `toJSON`. Default false.
   */
  storeAffinityMatrix?: boolean;
  /** Receives warnings (no convergence, all similarities equal, predict without exemplars). Default `consoleLogger`. */
  logger?: Logger;
}

const EPS = 2 ** -52;
const TINY = 2 ** -1022;

/**
 * Affinity propagation (Frey & Dueck 2007; scikit-learn 1.9 semantics): samples exchange responsibility
 * and availability messages over a similarity matrix until a stable set of exemplars emerges; every sample
 * joins the most similar exemplar.
 *
 * As scikit-learn: exemplars are refined once after the message passing (each cluster's exemplar becomes
 * the member with the largest total similarity to the others), labels are 0..K-1 in the order of the
 * exemplar indices, and when the run stops at `maxIter` without converging a warning is logged; if it has
 * no exemplar at all then, every label is -1 and there are no centres (and `predict` returns -1 with a
 * warning). When all similarities and preferences are equal it returns one cluster or n singletons without
 * iterating (with a warning).
 *
 * Memory: three n x n Float64Arrays (similarities, responsibilities, availabilities), i.e. 24 n^2 bytes
 * (2.4 GB at n = 10,000). Time O(n^2) per iteration.
 *
 * ```ts
 * const model = new AffinityPropagation({ damping: 0.9 }).fit(X);
 * model.clusterCentersIndices; model.labels; model.predict(Y);
 * ```
 */
export class AffinityPropagation {
  readonly options: Readonly<AffinityPropagationOptions>;

  constructor(options: AffinityPropagationOptions = {}) {
    this.options = { ...options };
  }

  /** Fits on X: n x d data, or an n x n similarity matrix with `affinity: "precomputed"`. */
  fit(X: MatrixLike): AffinityPropagationModel {
    const o = this.options;
    const damping = o.damping ?? 0.5;
    if (typeof damping !== "number" || !(damping >= 0.5 && damping < 1)) {
      throw invalid("damping", damping, "must be a number in [0.5, 1)");
    }
    const maxIter = checkInt(o.maxIter ?? 200, "maxIter", 1);
    const convergenceIter = checkInt(o.convergenceIter ?? 15, "convergenceIter", 1);
    const affinity = checkChoice(o.affinity ?? "euclidean", "affinity", ["euclidean", "precomputed"]);
    const addNoise = o.addNoise ?? true;
    if (typeof addNoise !== "boolean") throw invalid("addNoise", addNoise, "must be a boolean");
    const seed = checkNumber(o.seed ?? 0, "seed");
    const logger = o.logger ?? consoleLogger;

    const m = asMatrix(X);
    const n = m.rows;
    let S: Float64Array;
    if (affinity === "precomputed") {
      if (m.cols !== n) {
        throw new ValidationError(
          `invalid X: ${m.rows} x ${m.cols} (affinity "precomputed" needs a square n x n similarity matrix)`,
        );
      }
      S = m.data.slice();
    } else {
      S = negativeSquaredDistances(m);
    }
    const stored = o.storeAffinityMatrix ? { rows: n, cols: n, data: S.slice() } : null;
    const pref = resolvePreference(o.preference, S, n);

    const result = runAffinityPropagation(S, n, pref, { damping, maxIter, convergenceIter, addNoise, seed, logger });
    return new AffinityPropagationModel({
      clusterCentersIndices: result.centers,
      clusterCenters: affinity === "precomputed" ? null : takeRows(m, result.centers),
      labels: result.labels,
      nIter: result.nIter,
      converged: result.converged,
      affinity,
      nFeaturesIn: m.cols,
      affinityMatrix: stored,
      logger,
    });
  }

  /** `fit(X).labels`. */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).labels;
  }
}

/** The fields of an `AffinityPropagationModel`. */
export interface AffinityPropagationModelFields {
  clusterCentersIndices: Int32Array;
  clusterCenters: Matrix | null;
  labels: Int32Array;
  nIter: number;
  converged: boolean;
  affinity: AffinityPropagationAffinity;
  nFeaturesIn: number;
  affinityMatrix?: Matrix | null;
  logger?: Logger;
}

/** A fitted affinity propagation model: exemplars, labels, iterations. Immutable. */
export class AffinityPropagationModel implements ClusterModel {
  /** Row indices of the exemplars, ascending (empty when the run ended without exemplars). */
  readonly clusterCentersIndices: Int32Array;
  /** The exemplar rows (nClusters x d); null with `affinity: "precomputed"`. */
  readonly clusterCenters: Matrix | null;
  /** Cluster of each training sample (the index of its exemplar in `clusterCentersIndices`), or -1 for all. */
  readonly labels: Int32Array;
  /** Iterations run (scikit-learn's `n_iter_`). */
  readonly nIter: number;
  /** False when the run stopped at `maxIter` before the exemplars were stable for `convergenceIter` iterations. */
  readonly converged: boolean;
  readonly affinity: AffinityPropagationAffinity;
  /** The similarity matrix, when fitted with `storeAffinityMatrix` (never serialized). */
  readonly affinityMatrix: Matrix | null;
  readonly nClusters: number;
  /** Number of features seen in fit (n for a precomputed n x n matrix). */
  readonly nFeaturesIn: number;
  private readonly logger: Logger;

  constructor(fields: AffinityPropagationModelFields) {
    this.clusterCentersIndices = fields.clusterCentersIndices;
    this.clusterCenters = fields.clusterCenters;
    this.labels = fields.labels;
    this.nIter = fields.nIter;
    this.converged = fields.converged;
    this.affinity = fields.affinity;
    this.affinityMatrix = fields.affinityMatrix ?? null;
    this.nClusters = fields.clusterCentersIndices.length;
    this.nFeaturesIn = fields.nFeaturesIn;
    this.logger = fields.logger ?? consoleLogger;
  }

  /**
   * The nearest exemplar (Euclidean; ties: the lower index) for each row of X. Without exemplars every
   * row gets -1 and a warning is logged. Not available with `affinity: "precomputed"`.
   */
  predict(X: MatrixLike): Int32Array {
    if (this.clusterCenters === null) {
      throw new ValidationError('invalid predict: not supported with affinity "precomputed" (no feature space)');
    }
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const labels = new Int32Array(m.rows);
    const k = this.clusterCenters.rows;
    if (k === 0) {
      this.logger.warn(
        "AffinityPropagation: the model has no cluster centres (the fit did not converge); labelling every sample -1",
      );
      return labels.fill(-1);
    }
    const d = m.cols;
    const x = m.data;
    const c = this.clusterCenters.data;
    for (let i = 0; i < m.rows; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = x[i * d + t] - c[j * d + t];
          s += diff * diff;
        }
        if (s < bestD) {
          bestD = s;
          best = j;
        }
      }
      labels[i] = best;
    }
    return labels;
  }

  toJSON(): ModelJSON {
    return {
      type: "AffinityPropagationModel",
      version: 1,
      affinity: this.affinity,
      nFeaturesIn: this.nFeaturesIn,
      nIter: this.nIter,
      converged: this.converged,
      clusterCentersIndices: Array.from(this.clusterCentersIndices),
      clusterCenters: this.clusterCenters === null ? null : toRows(this.clusterCenters),
      labels: Array.from(this.labels),
    };
  }

  static fromJSON(json: ModelJSON): AffinityPropagationModel {
    if (json == null || json.type !== "AffinityPropagationModel" || json.version !== 1) {
      throw new ValidationError(
        `invalid model JSON: expected AffinityPropagationModel version 1, got ${json?.type} ${json?.version}`,
      );
    }
    const nFeaturesIn = checkInt(json.nFeaturesIn as number, "nFeaturesIn", 1);
    const affinity = checkChoice(json.affinity as AffinityPropagationAffinity, "affinity", [
      "euclidean",
      "precomputed",
    ]);
    const indices = asLabels(json.clusterCentersIndices as number[], "clusterCentersIndices");
    let clusterCenters: Matrix | null = null;
    if (affinity === "euclidean") {
      const rows = json.clusterCenters as number[][];
      clusterCenters =
        Array.isArray(rows) && rows.length === 0
          ? matrix(0, nFeaturesIn)
          : asMatrix(rows, { name: "clusterCenters", cols: nFeaturesIn });
      if (clusterCenters.rows !== indices.length) {
        throw new ValidationError("invalid model JSON: clusterCenters and clusterCentersIndices differ in length");
      }
    }
    return new AffinityPropagationModel({
      clusterCentersIndices: indices,
      clusterCenters,
      labels: asLabels(json.labels as number[]),
      nIter: checkInt(json.nIter as number, "nIter", 0),
      converged: Boolean(json.converged),
      affinity,
      nFeaturesIn,
    });
  }
}

registerModel("AffinityPropagationModel", (json) => AffinityPropagationModel.fromJSON(json));

/** -||x_i - x_j||^2 for all pairs (differences summed in feature order), n x n row-major. */
function negativeSquaredDistances(m: Matrix): Float64Array {
  const { rows: n, cols: d, data: x } = m;
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[i * d + t] - x[j * d + t];
        s += diff * diff;
      }
      S[i * n + j] = -s;
      S[j * n + i] = -s;
    }
  }
  return S;
}

/** The per-sample preferences: the given number(s) or the median of S. */
function resolvePreference(p: number | ArrayLike<number> | undefined, S: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  if (p === undefined) return out.fill(median(S));
  if (typeof p === "number") return out.fill(checkNumber(p, "preference"));
  if (p == null || typeof p.length !== "number") throw invalid("preference", p, "must be a number or an array");
  if (p.length !== n)
    throw new ValidationError(`invalid preference: length ${p.length}, expected ${n} (one per sample)`);
  for (let i = 0; i < n; i++) out[i] = checkNumber(p[i], `preference[${i}]`);
  return out;
}

/** Median of all values (mean of the two middle ones for an even count), as `np.median`. */
function median(values: Float64Array): number {
  const a = values.slice();
  const len = a.length;
  const mid = len >> 1;
  select(a, mid);
  if (len % 2 === 1) return a[mid];
  let lowMax = a[0];
  for (let i = 1; i < mid; i++) if (a[i] > lowMax) lowMax = a[i];
  return (lowMax + a[mid]) / 2;
}

/** Partially sorts `a` in place so that a[k] is the k-th smallest, smaller values before it (quickselect). */
function select(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    // median of three as pivot
    const mid = (lo + hi) >> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

interface RunOptions {
  damping: number;
  maxIter: number;
  convergenceIter: number;
  addNoise: boolean;
  seed: number;
  logger: Logger;
}

interface RunResult {
  centers: Int32Array;
  labels: Int32Array;
  nIter: number;
  converged: boolean;
}

/** The message passing on S (modified in place: preference on the diagonal, noise). */
function runAffinityPropagation(S: Float64Array, n: number, pref: Float64Array, o: RunOptions): RunResult {
  if (n === 1 || equalSimilaritiesAndPreferences(S, n, pref)) {
    o.logger.warn(
      "AffinityPropagation: all samples have mutually equal similarities; returning arbitrary cluster centre(s)",
    );
    // scikit-learn compares the preference with S[0, n - 1] (S[0, 0] when n = 1).
    if (pref[0] > S[n - 1]) {
      const idx = Int32Array.from({ length: n }, (_, i) => i);
      return { centers: idx, labels: idx.slice(), nIter: 0, converged: true };
    }
    return { centers: Int32Array.of(0), labels: new Int32Array(n), nIter: 0, converged: true };
  }
  for (let i = 0; i < n; i++) S[i * n + i] = pref[i];
  if (o.addNoise) {
    const rng = new Random(o.seed);
    for (let p = 0; p < n * n; p++) S[p] += (EPS * S[p] + TINY * 100) * rng.normal();
  }

  const { damping, maxIter, convergenceIter } = o;
  const keep = 1 - damping;
  const A = new Float64Array(n * n);
  const R = new Float64Array(n * n);
  const colSum = new Float64Array(n);
  const window = new Uint8Array(n * convergenceIter); // e: exemplar flags of the last convergenceIter iterations
  const stable = new Int32Array(n); // row sums of `window`
  const E = new Uint8Array(n);
  let it = 0;
  let converged = false;
  for (; it < maxIter; it++) {
    // Responsibilities: r(i, k) = s(i, k) - max_{k' != k} (a(i, k') + s(i, k')), damped.
    for (let i = 0; i < n; i++) {
      const base = i * n;
      let best = 0;
      let y = Number.NEGATIVE_INFINITY; // largest a + s (first one on ties)
      let y2 = Number.NEGATIVE_INFINITY; // largest over the other columns
      for (let k = 0; k < n; k++) {
        const v = A[base + k] + S[base + k];
        if (v > y) {
          y2 = y;
          y = v;
          best = k;
        } else if (v > y2) y2 = v;
      }
      const rBest = R[base + best];
      for (let k = 0; k < n; k++) R[base + k] = R[base + k] * damping + (S[base + k] - y) * keep;
      R[base + best] = rBest * damping + (S[base + best] - y2) * keep;
    }
    // Availabilities: a(i, k) = min(0, r(k, k) + sum_{i' not in {i, k}} max(0, r(i', k))), a(k, k) =
    // sum_{i' != k} max(0, r(i', k)); computed as scikit-learn does, through the column sums (in row
    // order) of Rp = max(R, 0) with R's own diagonal.
    colSum.fill(0);
    for (let i = 0; i < n; i++) {
      const base = i * n;
      for (let k = 0; k < i; k++) colSum[k] += Math.max(R[base + k], 0);
      colSum[i] += R[base + i];
      for (let k = i + 1; k < n; k++) colSum[k] += Math.max(R[base + k], 0);
    }
    for (let i = 0; i < n; i++) {
      const base = i * n;
      for (let k = 0; k < i; k++) {
        const t = Math.max(Math.max(R[base + k], 0) - colSum[k], 0); // -A_new, clipped
        A[base + k] = A[base + k] * damping - t * keep;
      }
      A[base + i] = A[base + i] * damping - (R[base + i] - colSum[i]) * keep;
      for (let k = i + 1; k < n; k++) {
        const t = Math.max(Math.max(R[base + k], 0) - colSum[k], 0);
        A[base + k] = A[base + k] * damping - t * keep;
      }
    }
    // Convergence: the exemplar set (a(k, k) + r(k, k) > 0) unchanged for convergenceIter iterations.
    let K = 0;
    const col = (it % convergenceIter) * n;
    for (let k = 0; k < n; k++) {
      const e = A[k * n + k] + R[k * n + k] > 0 ? 1 : 0;
      E[k] = e;
      K += e;
      stable[k] += e - window[col + k];
      window[col + k] = e;
    }
    if (it >= convergenceIter) {
      let settled = 0;
      for (let k = 0; k < n; k++) if (stable[k] === convergenceIter || stable[k] === 0) settled++;
      if (settled === n && K > 0) {
        converged = true;
        break;
      }
    }
  }
  const nIter = converged ? it + 1 : maxIter;

  const exemplars: number[] = [];
  for (let k = 0; k < n; k++) if (E[k]) exemplars.push(k);
  const K = exemplars.length;
  if (K === 0) {
    o.logger.warn("AffinityPropagation did not converge and this model will not have any cluster centres");
    return { centers: new Int32Array(0), labels: new Int32Array(n).fill(-1), nIter, converged: false };
  }
  if (!converged) {
    o.logger.warn("AffinityPropagation did not converge; this model may return degenerate cluster centres and labels");
  }
  const I = Int32Array.from(exemplars);
  const c = new Int32Array(n);
  assignToExemplars(S, n, I, c);
  // Refine: the exemplar of each cluster becomes the member with the largest summed similarity from the
  // other members (column sums of S restricted to the cluster, rows in index order).
  const members: number[] = [];
  for (let k = 0; k < K; k++) {
    members.length = 0;
    for (let i = 0; i < n; i++) if (c[i] === k) members.push(i);
    let bestJ = 0;
    let bestSum = Number.NEGATIVE_INFINITY;
    for (let jj = 0; jj < members.length; jj++) {
      const j = members[jj];
      let s = 0;
      for (let ii = 0; ii < members.length; ii++) s += S[members[ii] * n + j];
      if (s > bestSum) {
        bestSum = s;
        bestJ = jj;
      }
    }
    I[k] = members[bestJ];
  }
  assignToExemplars(S, n, I, c);
  // Labels are the exemplars' row indices, renumbered 0..K-1 in ascending order.
  const centers = I.slice().sort();
  const rank = new Map<number, number>();
  for (let k = 0; k < K; k++) rank.set(centers[k], k);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = rank.get(I[c[i]])!;
  return { centers, labels, nIter, converged };
}

/** c[i] = argmax_k S[i, I[k]] (first maximum), then c[I[k]] = k. */
function assignToExemplars(S: Float64Array, n: number, I: Int32Array, c: Int32Array): void {
  const K = I.length;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestV = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      const v = S[i * n + I[k]];
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    }
    c[i] = best;
  }
  for (let k = 0; k < K; k++) c[I[k]] = k;
}

/** All preferences equal and all off-diagonal similarities equal (scikit-learn's degenerate case). */
function equalSimilaritiesAndPreferences(S: Float64Array, n: number, pref: Float64Array): boolean {
  for (let i = 1; i < n; i++) if (pref[i] !== pref[0]) return false;
  let first = Number.NaN;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const v = S[i * n + j];
      if (Number.isNaN(first)) first = v;
      else if (v !== first) return false;
    }
  }
  return true;
}
