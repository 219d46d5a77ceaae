/**
 * Helpers shared by the centroid estimators (KMeans, MiniBatchKMeans, BisectingKMeans): init
 * resolution, warnings, distances to centres and the JSON of centroid models. Internal to the
 * cluster area (not exported from the barrel).
 */
import { invalid, ValidationError } from "../errors.js";
import type { ModelJSON } from "../estimator.js";
import type { Logger } from "../logger.js";
import { isMatrix, type Matrix, type MatrixLike } from "../matrix.js";
import type { Random } from "../random.js";
import { decodeFloats, encodeFloats } from "../serialize.js";
import { asMatrix, checkChoice, checkInt } from "../validate.js";
import { defaultLocalTrials, gatherRows, kmeansPlusPlusIndices, randomInitIndices } from "./kmeansInitKernels.js";
import { countDistinct, sqDist } from "./kmeansKernels.js";

/** How initial centres are chosen. */
export type KMeansInit = "k-means++" | "random" | MatrixLike;

/** The fields of a fitted `KMeansModel`. */
export interface KMeansModelFields {
  labels: Int32Array;
  clusterCenters: Matrix;
  inertia: number;
  nIter: number;
  converged: boolean;
}

/** A validated init: a method name or the k x d centres. */
export type ResolvedInit = "k-means++" | "random" | Float64Array;

/** Validates `init` (method name or k x d centres). */
export function resolveInit(init: KMeansInit | undefined, k: number, d: number): ResolvedInit {
  if (init === undefined) return "k-means++";
  if (typeof init === "string")
    return checkChoice<"k-means++" | "random">(init as "k-means++", "init", ["k-means++", "random"]);
  if (!isMatrix(init) && (init == null || typeof (init as ArrayLike<unknown>).length !== "number")) {
    throw invalid("init", init, 'must be "k-means++", "random" or a matrix of initial centres');
  }
  const c = asMatrix(init, { name: "init" });
  if (c.rows !== k || c.cols !== d) {
    throw new ValidationError(
      `invalid init: shape ${c.rows} x ${c.cols} does not match nClusters x nFeatures = ${k} x ${d}`,
    );
  }
  return c.data.slice();
}

/** scikit-learn's `n_init="auto"` rule, and one run for explicit centres. */
export function resolveNInit(
  nInit: number | undefined,
  init: ResolvedInit,
  randomDefault: number,
  estimator: string,
  logger: Logger,
): number {
  if (nInit === undefined) return init === "random" ? randomDefault : 1;
  checkInt(nInit, "nInit", 1);
  if (typeof init !== "string" && nInit !== 1) {
    logger.warn(
      `Explicit initial center position passed: performing only one init in ${estimator} instead of nInit=${nInit}.`,
    );
    return 1;
  }
  return nInit;
}

/** Initial centres (k x d) for one run. */
export function initialCenters(X: Matrix, k: number, init: ResolvedInit, w: Float64Array, rng: Random): Float64Array {
  if (typeof init !== "string") return init.slice();
  if (init === "random") return gatherRows(X, randomInitIndices(w, k, rng));
  return gatherRows(X, kmeansPlusPlusIndices(X, k, w, rng, defaultLocalTrials(k)));
}

/** Logs scikit-learn's ConvergenceWarning when fewer than k distinct labels were found. */
export function warnDistinct(labels: Int32Array, k: number, logger: Logger): void {
  const distinct = countDistinct(labels, k);
  if (distinct < k) {
    logger.warn(
      `Number of distinct clusters (${distinct}) found smaller than nClusters (${k}). Possibly due to duplicate points in X.`,
    );
  }
}

/** Euclidean distances from every row of X to every centre (n x k). */
export function centerDistances(X: Matrix, centers: Matrix): Matrix {
  const { rows: n, cols: d, data } = X;
  const k = centers.rows;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) out[i * k + j] = Math.sqrt(sqDist(data, i * d, centers.data, j * d, d));
  }
  return { rows: n, cols: k, data: out };
}

/** The JSON of the fields shared by centroid models. */
export function centroidFieldsToJSON(m: KMeansModelFields): Record<string, unknown> {
  const c = m.clusterCenters;
  return {
    nClusters: c.rows,
    nFeaturesIn: c.cols,
    clusterCenters: encodeFloats(c.data),
    labels: Array.from(m.labels),
    inertia: m.inertia,
    nIter: m.nIter,
    converged: m.converged,
  };
}

/** Decodes and checks the fields shared by centroid models. */
export function centroidFieldsFromJSON(json: ModelJSON): KMeansModelFields {
  const k = json.nClusters;
  const d = json.nFeaturesIn;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1)
    throw invalid("model JSON nClusters", k, "must be an integer >= 1");
  if (typeof d !== "number" || !Number.isInteger(d) || d < 1)
    throw invalid("model JSON nFeaturesIn", d, "must be an integer >= 1");
  const data = decodeFloats(json.clusterCenters, "clusterCenters");
  if (data.length !== k * d) {
    throw new ValidationError(`invalid model JSON: clusterCenters has ${data.length} values, expected ${k * d}`);
  }
  const labelsRaw = decodeFloats(json.labels ?? [], "labels");
  const labels = new Int32Array(labelsRaw.length);
  for (let i = 0; i < labels.length; i++) labels[i] = labelsRaw[i];
  return {
    labels,
    clusterCenters: { rows: k, cols: d, data },
    inertia: Number(json.inertia),
    nIter: Number(json.nIter ?? 0),
    converged: Boolean(json.converged),
  };
}

/** Checks `type` and `version` of a model JSON. */
export function checkModelJSON(json: ModelJSON, type: string): void {
  if (json == null || json.type !== type) {
    throw new ValidationError(
      `invalid model JSON: type ${JSON.stringify(json?.type)}, expected ${JSON.stringify(type)}`,
    );
  }
  if (json.version !== 1)
    throw new ValidationError(`invalid model JSON: ${type} version ${json.version} (supported: 1)`);
}
