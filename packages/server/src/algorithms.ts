/**
 * The clustering side of the worker threads: one fit per algorithm, the k sweeps, and the
 * structures precomputed once per dataset, columns and scaling so that moving a slider only
 * re-reads them (a linkage tree re-cut, an OPTICS ordering re-extracted at another eps, an
 * HDBSCAN hierarchy re-condensed or cut). Pure functions of their inputs; no Node APIs.
 */
import {
  AffinityPropagation,
  Birch,
  BisectingKMeans,
  type CondensedTree,
  chooseK,
  condenseTree,
  cutTree,
  extractOpticsDBSCAN,
  extractOpticsXi,
  GaussianMixture,
  HDBSCAN,
  KMeans,
  KMedoids,
  kNeighbors,
  type Logger,
  labellingAtCut,
  linkage,
  type Matrix,
  MeanShift,
  MiniBatchKMeans,
  memoryLogger,
  OPTICS,
  Random,
  SpectralClustering,
  treeToLabels,
} from "@clusterlab/core";
import { distanceKnee, mergeHeightRange } from "@clusterlab/lab";
import type {
  Algorithm,
  ClusterParams,
  ClusterSelectionMethodName,
  CovarianceTypeName,
  Linkage,
  MetricName,
  SweepResult,
} from "./api.js";
import { shareFloat, shareInt } from "./shared.js";

export { distanceKnee };

/** Progress of a task: a share done in [0, 1] (or null when unknown) and what it is doing. */
export interface Progress {
  fraction: number | null;
  message: string;
}

export type ProgressFn = (progress: Progress) => void;

/** Parameter defaults (see `ClusterParams`). */
export const PARAM_DEFAULTS = {
  k: 3,
  linkage: "ward",
  distanceThreshold: null,
  covarianceType: "full",
  metric: "euclidean",
  eps: null,
  minSamples: 5,
  clusterSelectionMethod: "eom",
  xi: 0.05,
  damping: 0.5,
  bandwidth: null,
  threshold: 0.5,
  branchingFactor: 50,
  affinity: "rbf",
  nNeighbors: 10,
  batchSize: 1024,
} as const satisfies ClusterParams;

/** The algorithms whose labels come from a precomputed structure rather than a fit. */
export type StructureAlgorithm = "agglomerative" | "dbscan" | "optics" | "hdbscan";

export function usesStructure(algorithm: Algorithm): algorithm is StructureAlgorithm {
  return algorithm === "agglomerative" || algorithm === "dbscan" || algorithm === "optics" || algorithm === "hdbscan";
}

/** Up to this many rows OPTICS looks at every distance (maxEps = Infinity); above, maxEps is bounded. */
export const OPTICS_UNBOUNDED_MAX_ROWS = 5_000;
/** Above `OPTICS_UNBOUNDED_MAX_ROWS` rows, maxEps = this many times the median core distance. */
export const OPTICS_MAX_EPS_FACTOR = 2;

// ---------------------------------------------------------------------------------------------
// Fits

/** What a fit leaves for the views: labels (-1 = noise) and the model's own figures. */
export interface FitResult {
  labels: Int32Array;
  inertia: number | null;
  bic: number | null;
  /** Membership strength of each row (Gaussian mixture responsibility), or null. */
  probability: Float64Array | null;
  warnings: string[];
}

function throttled(onProgress: ProgressFn | undefined, everyMs = 150): ProgressFn {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (!onProgress || now - last < everyMs) return;
    last = now;
    onProgress(p);
  };
}

/**
 * The Gaussian mixture of the dashboard (the same in a fit, in the BIC sweep and in the anomaly
 * view's refit, so their labels agree).
 */
export function fitGmm(Xs: Matrix, k: number, covarianceType: CovarianceTypeName, seed: number, logger: Logger) {
  return new GaussianMixture({ nComponents: k, covarianceType, seed, logger }).fit(Xs);
}

function maxProbability(proba: Matrix): Float64Array {
  const out = new Float64Array(proba.rows);
  const k = proba.cols;
  for (let i = 0; i < proba.rows; i++) {
    let best = 0;
    for (let j = 0; j < k; j++) best = Math.max(best, proba.data[i * k + j]);
    out[i] = best;
  }
  return out;
}

/** Fits one of the algorithms without a precomputed structure. */
export function fitAlgorithm(
  Xs: Matrix,
  algorithm: Exclude<Algorithm, StructureAlgorithm>,
  params: ClusterParams,
  seed: number,
  onProgress?: ProgressFn,
): FitResult {
  const logger = memoryLogger();
  const report = throttled(onProgress);
  const k = params.k ?? PARAM_DEFAULTS.k;
  const n = Xs.rows;
  let labels: Int32Array;
  let inertia: number | null = null;
  let bic: number | null = null;
  let probability: Float64Array | null = null;
  switch (algorithm) {
    case "kmeans": {
      const model = new KMeans({
        nClusters: k,
        seed,
        logger,
        onIteration: (info) =>
          report({ fraction: null, message: `k-means (k = ${k}): iteration ${info.iteration} of run ${info.run + 1}` }),
      }).fit(Xs);
      labels = model.labels;
      inertia = model.inertia;
      break;
    }
    case "minibatch-kmeans": {
      const model = new MiniBatchKMeans({ nClusters: k, seed, logger, batchSize: params.batchSize }).fit(Xs);
      labels = model.labels;
      inertia = (model as unknown as { inertia?: number }).inertia ?? null;
      break;
    }
    case "bisecting-kmeans": {
      const model = new BisectingKMeans({ nClusters: k, seed, logger }).fit(Xs);
      labels = model.labels;
      inertia = model.inertia;
      break;
    }
    case "kmedoids": {
      report({ fraction: null, message: `k-medoids (k = ${k}) on ${n} rows` });
      const model = new KMedoids({ nClusters: k, metric: params.metric, seed, logger }).fit(Xs);
      labels = model.labels;
      inertia = model.inertia;
      break;
    }
    case "gmm": {
      report({ fraction: null, message: `Gaussian mixture (k = ${k})` });
      const model = fitGmm(Xs, k, params.covarianceType ?? "full", seed, logger);
      labels = model.labels;
      bic = model.bic(Xs);
      probability = maxProbability(model.predictProba(Xs));
      break;
    }
    case "meanshift": {
      report({ fraction: null, message: `mean shift on ${n} rows` });
      const large = n > 2000;
      const model = new MeanShift({
        bandwidth: params.bandwidth ?? undefined,
        binSeeding: large,
        nSamples: large ? 2000 : undefined,
        seed,
        logger,
      }).fit(Xs);
      labels = model.labels;
      break;
    }
    case "affinity-propagation": {
      report({ fraction: null, message: `affinity propagation on ${n} rows` });
      const model = new AffinityPropagation({ damping: params.damping, seed, logger }).fit(Xs);
      labels = model.labels;
      break;
    }
    case "spectral": {
      report({ fraction: null, message: `spectral clustering (k = ${k})` });
      const model = new SpectralClustering({
        nClusters: k,
        affinity: params.affinity ?? "rbf",
        nNeighbors: params.nNeighbors,
        seed,
        logger,
      }).fit(Xs);
      labels = model.labels;
      break;
    }
    case "birch": {
      const model = new Birch({
        threshold: params.threshold,
        branchingFactor: params.branchingFactor,
        nClusters: k,
        logger,
      }).fit(Xs);
      labels = model.labels;
      break;
    }
  }
  return { labels: shareInt(labels), inertia, bic, probability, warnings: logger.messages };
}

// ---------------------------------------------------------------------------------------------
// Sweeps

/** The k-means sweep with every k's labels, so that a k-means request for one of those k needs no fit. */
export interface SweepStructure extends Omit<SweepResult, "nRows" | "rowsDropped"> {
  labels: Int32Array[];
}

/** `chooseK` (k-means for each k, scored), keeping the labels. */
export function runSweep(
  Xs: Matrix,
  seed: number,
  kMin: number,
  kMax: number,
  onProgress?: ProgressFn,
): SweepStructure {
  const n = Xs.rows;
  kMax = Math.min(kMax, n - 1);
  kMin = Math.min(kMin, kMax);
  const count = kMax - kMin + 1;
  const sweep = chooseK(Xs, {
    kMin,
    kMax,
    seed,
    silhouetteSampleSize: n > 4000 ? 4000 : undefined,
    keepLabels: true,
    logger: memoryLogger(),
    onProgress: (k) =>
      onProgress?.({
        fraction: (k - kMin + 1) / count,
        message: `k-means sweep: scored k = ${k} (${k - kMin + 1} of ${count})`,
      }),
  });
  return {
    ks: sweep.ks,
    inertia: sweep.inertia,
    silhouette: sweep.silhouette,
    calinskiHarabasz: sweep.calinskiHarabasz,
    daviesBouldin: sweep.daviesBouldin,
    elbow: sweep.elbow,
    suggestion: sweep.suggestion,
    labels: (sweep.labels ?? []).map(shareInt),
  };
}

/** Gaussian mixtures for each k: BIC, labels and responsibilities (for instant k changes). */
export interface BicStructure {
  ks: number[];
  bic: (number | null)[];
  best: number;
  covarianceType: CovarianceTypeName;
  labels: Int32Array[];
  probability: Float64Array[];
  warnings: string[][];
}

export function runBicSweep(
  Xs: Matrix,
  seed: number,
  kMin: number,
  kMax: number,
  covarianceType: CovarianceTypeName,
  onProgress?: ProgressFn,
): BicStructure {
  kMax = Math.min(kMax, Xs.rows - 1);
  kMin = Math.min(kMin, kMax);
  const out: BicStructure = { ks: [], bic: [], best: kMin, covarianceType, labels: [], probability: [], warnings: [] };
  const count = kMax - kMin + 1;
  let bestBic = Number.POSITIVE_INFINITY;
  for (let k = kMin; k <= kMax; k++) {
    onProgress?.({
      fraction: (k - kMin) / count,
      message: `Gaussian mixture sweep: k = ${k} (${k - kMin + 1} of ${count})`,
    });
    const logger = memoryLogger();
    const model = fitGmm(Xs, k, covarianceType, seed, logger);
    const bic = model.bic(Xs);
    out.ks.push(k);
    out.bic.push(Number.isFinite(bic) ? bic : null);
    out.labels.push(shareInt(model.labels));
    out.probability.push(shareFloat(maxProbability(model.predictProba(Xs))));
    out.warnings.push(logger.messages);
    if (Number.isFinite(bic) && bic < bestBic) {
      bestBic = bic;
      out.best = k;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Precomputed structures

export interface LinkageStructure {
  kind: "linkage";
  method: Linkage;
  metric: MetricName;
  /** scipy linkage matrix, (n - 1) x 4 row-major. */
  Z: Float64Array;
}

export interface OpticsStructure {
  kind: "optics";
  minSamples: number;
  metric: MetricName;
  ordering: Int32Array;
  reachability: Float64Array;
  coreDistances: Float64Array;
  predecessor: Int32Array;
  /** Infinity when unbounded. */
  maxEps: number;
  suggestedEps: number;
}

export interface HdbscanStructure {
  kind: "hdbscan";
  minSamples: number;
  metric: MetricName;
  /** Single linkage tree of the mutual reachability distance, (n - 1) x 4 row-major. */
  slt: Float64Array;
  suggestedCut: number;
  /** Smallest and largest merge height. */
  cutRange: [number, number];
}

export type Structure = LinkageStructure | OpticsStructure | HdbscanStructure;

export type StructureSpec =
  | { kind: "linkage"; method: Linkage; metric: MetricName }
  | { kind: "optics"; minSamples: number; metric: MetricName }
  | { kind: "hdbscan"; minSamples: number; metric: MetricName };

/** The structure an algorithm's labels are read from, keyed by what it depends on. */
export function structureSpec(algorithm: StructureAlgorithm, params: ClusterParams): StructureSpec {
  const metric = params.metric ?? "euclidean";
  const minSamples = params.minSamples ?? PARAM_DEFAULTS.minSamples;
  switch (algorithm) {
    case "agglomerative":
      return { kind: "linkage", method: params.linkage ?? "ward", metric };
    case "dbscan":
    case "optics":
      return { kind: "optics", minSamples, metric };
    case "hdbscan":
      return { kind: "hdbscan", minSamples, metric };
  }
}

/**
 * OPTICS's radius bound above OPTICS_UNBOUNDED_MAX_ROWS rows: OPTICS_MAX_EPS_FACTOR x the median
 * distance to the minSamples-th neighbour (unbounded when that is 0).
 */
export function opticsMaxEps(Xs: Matrix, minSamples: number, metric: MetricName): number {
  const median = medianCoreDistance(Xs, minSamples, metric);
  return median > 0 ? OPTICS_MAX_EPS_FACTOR * median : Number.POSITIVE_INFINITY;
}

/** Median distance to the minSamples-th neighbour (itself included), on a seeded sample of at most 2,000 rows. */
function medianCoreDistance(Xs: Matrix, minSamples: number, metric: MetricName): number {
  const n = Xs.rows;
  const rows = new Random(11).sampleWithoutReplacement(n, Math.min(n, 2000));
  const d = Xs.cols;
  const query = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    query.set(Xs.data.subarray(r * d, r * d + d), i * d);
  });
  const k = Math.min(minSamples, n);
  const { distances } = kNeighbors(Xs, k, { metric, query: { rows: rows.length, cols: d, data: query } });
  const core = Array.from({ length: rows.length }, (_, i) => distances[i * k + k - 1]).sort((a, b) => a - b);
  return core[core.length >> 1];
}

export function buildStructure(Xs: Matrix, spec: StructureSpec, onProgress?: ProgressFn): Structure {
  const n = Xs.rows;
  switch (spec.kind) {
    case "linkage": {
      onProgress?.({ fraction: null, message: `building the ${spec.method} linkage tree of ${n} rows` });
      const Z = linkage(Xs, { method: spec.method, metric: spec.metric });
      return { kind: "linkage", method: spec.method, metric: spec.metric, Z: shareFloat(Z.data) };
    }
    case "optics": {
      let maxEps = Number.POSITIVE_INFINITY;
      if (n > OPTICS_UNBOUNDED_MAX_ROWS) {
        onProgress?.({ fraction: null, message: "estimating the neighbourhood radius" });
        maxEps = opticsMaxEps(Xs, spec.minSamples, spec.metric);
      }
      onProgress?.({
        fraction: null,
        message: `OPTICS ordering of ${n} rows (min samples ${spec.minSamples}${Number.isFinite(maxEps) ? `, max eps ${maxEps.toPrecision(3)}` : ""})`,
      });
      const model = new OPTICS({
        minSamples: Math.min(spec.minSamples, n),
        maxEps,
        metric: spec.metric,
        clusterMethod: "dbscan",
        logger: memoryLogger(),
      }).fit(Xs);
      return {
        kind: "optics",
        minSamples: spec.minSamples,
        metric: spec.metric,
        ordering: shareInt(model.ordering),
        reachability: shareFloat(model.reachability),
        coreDistances: shareFloat(model.coreDistances),
        predecessor: shareInt(model.predecessor),
        maxEps,
        suggestedEps: Math.min(distanceKnee(model.coreDistances), maxEps),
      };
    }
    case "hdbscan": {
      onProgress?.({ fraction: null, message: `HDBSCAN hierarchy of ${n} rows (min samples ${spec.minSamples})` });
      const model = new HDBSCAN({
        minClusterSize: Math.max(2, Math.min(spec.minSamples, n)),
        minSamples: Math.min(spec.minSamples, n),
        metric: spec.metric,
      }).fit(Xs);
      const slt = model.singleLinkageTree;
      return {
        kind: "hdbscan",
        minSamples: spec.minSamples,
        metric: spec.metric,
        slt: shareFloat(slt.data),
        suggestedCut: distanceKnee(model.coreDistances),
        cutRange: mergeHeightRange(slt),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Labels from a structure

/** What a structure gives for one set of parameters. */
export interface StructureLabels {
  labels: Int32Array;
  probability: Float64Array | null;
  /** HDBSCAN: the condensed tree and the condensed-tree id of each selected cluster. */
  condensed?: { tree: CondensedTree; selected: Int32Array | null; stability: Float64Array | null };
  /** The eps or cut distance used (DBSCAN, HDBSCAN cut), or the cut height (agglomerative). */
  eps?: number;
}

export function labelsFromStructure(
  s: Structure,
  params: ClusterParams,
  algorithm: StructureAlgorithm,
): StructureLabels {
  switch (s.kind) {
    case "linkage": {
      const n = s.Z.length / 4 + 1;
      const Z = { rows: n - 1, cols: 4, data: s.Z };
      const threshold = params.distanceThreshold ?? null;
      const labels =
        threshold !== null
          ? cutTree(Z, { height: threshold })
          : cutTree(Z, { nClusters: params.k ?? PARAM_DEFAULTS.k });
      return { labels, probability: null };
    }
    case "optics": {
      if (algorithm === "optics") {
        const n = s.ordering.length;
        const minClusterSize = params.minClusterSize ?? s.minSamples;
        const { labels } = extractOpticsXi(
          s.reachability,
          s.predecessor,
          s.ordering,
          Math.min(s.minSamples, n),
          Math.min(minClusterSize, n),
          params.xi ?? PARAM_DEFAULTS.xi,
          true,
        );
        return { labels, probability: null };
      }
      const eps = params.eps ?? s.suggestedEps;
      return { labels: extractOpticsDBSCAN(s.reachability, s.coreDistances, s.ordering, eps), probability: null, eps };
    }
    case "hdbscan": {
      const n = s.slt.length / 4 + 1;
      const slt = { rows: n - 1, cols: 4, data: s.slt };
      const minClusterSize = Math.min(params.minClusterSize ?? 5, n);
      const tree = condenseTree(slt, minClusterSize);
      const method: ClusterSelectionMethodName = params.clusterSelectionMethod ?? "eom";
      if (method === "dbscan") {
        const eps = params.eps ?? s.suggestedCut;
        return {
          labels: labellingAtCut(slt, eps, minClusterSize),
          probability: null,
          condensed: { tree, selected: null, stability: null },
          eps,
        };
      }
      const result = treeToLabels(tree, n, {
        method,
        allowSingleCluster: false,
        epsilon: 0,
        maxClusterSize: Number.POSITIVE_INFINITY,
      });
      return {
        labels: result.labels,
        probability: result.probabilities,
        condensed: { tree, selected: result.selected, stability: result.stability },
      };
    }
  }
}
