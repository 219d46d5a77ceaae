import {
  AffinityPropagation,
  AgglomerativeClustering,
  Birch,
  BisectingKMeans,
  type Clusterer,
  DBSCAN,
  GaussianMixture,
  HDBSCAN,
  KMeans,
  type KMeansIterationHook,
  KMedoids,
  KModes,
  KPrototypes,
  type Logger,
  MeanShift,
  MiniBatchKMeans,
  OPTICS,
  SpectralClustering,
} from "@clusterlab/core";
import type { AlgorithmName, AlgorithmSpec } from "../spec/analysisSpec.js";
import { ALGORITHM_DEFAULTS } from "../spec/normalizeSpec.js";

/** Which features an algorithm clusters. */
export type AlgorithmInputKind = "numeric" | "categorical" | "mixed";

/** What the workflow needs to know about an algorithm of the spec. */
export interface AlgorithmInfo {
  /** The spec's algorithm name. */
  readonly name: AlgorithmName;
  /** The PyCaret-style short id (`kmeans`, `ap`, `sc`, `hclust`, ...). */
  readonly id: string;
  /** A readable name ("K-Means Clustering"). */
  readonly title: string;
  /** The core estimator class. */
  readonly estimator: string;
  /** numeric: the preprocessed feature matrix; categorical: categories (kmodes); mixed: both (kprototypes). */
  readonly input: AlgorithmInputKind;
  /** The parameter holding the number of clusters (`nClusters`, `nComponents` for gmm), or null. */
  readonly kParam: "nClusters" | "nComponents" | null;
  /** How clusters are found: centroids, a hierarchy, densities, a mixture, a graph, exemplars. */
  readonly family: "centroid" | "hierarchical" | "density" | "mixture" | "graph" | "exemplar";
  /** True when the method needs O(n^2) memory or time (kmedoids, affinity propagation, spectral rbf, agglomerative). */
  readonly quadratic: boolean;
}

/** Every algorithm of the spec, with its PyCaret-style id, in the spec's order. */
export const ALGORITHM_INFO: { readonly [N in AlgorithmName]: AlgorithmInfo } = {
  kmeans: {
    name: "kmeans",
    id: "kmeans",
    title: "K-Means Clustering",
    estimator: "KMeans",
    input: "numeric",
    kParam: "nClusters",
    family: "centroid",
    quadratic: false,
  },
  "minibatch-kmeans": {
    name: "minibatch-kmeans",
    id: "minibatch",
    title: "Mini-Batch K-Means",
    estimator: "MiniBatchKMeans",
    input: "numeric",
    kParam: "nClusters",
    family: "centroid",
    quadratic: false,
  },
  "bisecting-kmeans": {
    name: "bisecting-kmeans",
    id: "bisecting",
    title: "Bisecting K-Means",
    estimator: "BisectingKMeans",
    input: "numeric",
    kParam: "nClusters",
    family: "centroid",
    quadratic: false,
  },
  kmedoids: {
    name: "kmedoids",
    id: "kmedoids",
    title: "K-Medoids (PAM)",
    estimator: "KMedoids",
    input: "numeric",
    kParam: "nClusters",
    family: "centroid",
    quadratic: true,
  },
  agglomerative: {
    name: "agglomerative",
    id: "hclust",
    title: "Agglomerative Clustering",
    estimator: "AgglomerativeClustering",
    input: "numeric",
    kParam: "nClusters",
    family: "hierarchical",
    quadratic: true,
  },
  dbscan: {
    name: "dbscan",
    id: "dbscan",
    title: "Density-Based Spatial Clustering",
    estimator: "DBSCAN",
    input: "numeric",
    kParam: null,
    family: "density",
    quadratic: false,
  },
  hdbscan: {
    name: "hdbscan",
    id: "hdbscan",
    title: "Hierarchical DBSCAN",
    estimator: "HDBSCAN",
    input: "numeric",
    kParam: null,
    family: "density",
    quadratic: false,
  },
  optics: {
    name: "optics",
    id: "optics",
    title: "OPTICS Clustering",
    estimator: "OPTICS",
    input: "numeric",
    kParam: null,
    family: "density",
    quadratic: false,
  },
  gmm: {
    name: "gmm",
    id: "gmm",
    title: "Gaussian Mixture",
    estimator: "GaussianMixture",
    input: "numeric",
    kParam: "nComponents",
    family: "mixture",
    quadratic: false,
  },
  meanshift: {
    name: "meanshift",
    id: "meanshift",
    title: "Mean Shift Clustering",
    estimator: "MeanShift",
    input: "numeric",
    kParam: null,
    family: "density",
    quadratic: false,
  },
  "affinity-propagation": {
    name: "affinity-propagation",
    id: "ap",
    title: "Affinity Propagation",
    estimator: "AffinityPropagation",
    input: "numeric",
    kParam: null,
    family: "exemplar",
    quadratic: true,
  },
  spectral: {
    name: "spectral",
    id: "sc",
    title: "Spectral Clustering",
    estimator: "SpectralClustering",
    input: "numeric",
    kParam: "nClusters",
    family: "graph",
    quadratic: true,
  },
  birch: {
    name: "birch",
    id: "birch",
    title: "Birch Clustering",
    estimator: "Birch",
    input: "numeric",
    kParam: "nClusters",
    family: "hierarchical",
    quadratic: false,
  },
  kmodes: {
    name: "kmodes",
    id: "kmodes",
    title: "K-Modes Clustering",
    estimator: "KModes",
    input: "categorical",
    kParam: "nClusters",
    family: "centroid",
    quadratic: false,
  },
  kprototypes: {
    name: "kprototypes",
    id: "kprototypes",
    title: "K-Prototypes Clustering",
    estimator: "KPrototypes",
    input: "mixed",
    kParam: "nClusters",
    family: "centroid",
    quadratic: false,
  },
};

/** Spec algorithm name by PyCaret-style id or by name (`"ap"` and `"affinity-propagation"` both work). */
export function algorithmName(nameOrId: string): AlgorithmName | undefined {
  if (Object.hasOwn(ALGORITHM_INFO, nameOrId)) return nameOrId as AlgorithmName;
  const hit = Object.values(ALGORITHM_INFO).find((info) => info.id === nameOrId);
  return hit?.name;
}

/** An unfitted estimator built from a spec: numeric clusterers take a matrix, kmodes/kprototypes a `Frame`. */
export type SpecEstimator = Clusterer | KModes | KPrototypes;

/** Options for `estimatorFromSpec`. */
export interface EstimatorFromSpecOptions {
  /** Seed of the estimator (where it takes one). Default 0. */
  seed?: number;
  /** Receives the estimator's warnings. Default: core's `consoleLogger`. */
  logger?: Logger;
  /** kmodes: the columns to cluster; kprototypes: the categorical columns. Default: the estimator's own default. */
  categoricalColumns?: readonly string[];
  /** k-means only: called after each iteration (progress, cancellation by throwing). Default none. */
  onIteration?: KMeansIterationHook;
}

/** The core options for a spec's parameters: `null` ("computed from the data") becomes `undefined`. */
export function coreParams(algorithm: AlgorithmSpec): Record<string, unknown> {
  const params: Record<string, unknown> = { ...ALGORITHM_DEFAULTS[algorithm.name], ...(algorithm.params ?? {}) };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    out[key] = value;
  }
  return out;
}

/**
 * The unfitted core estimator for a spec's `algorithm` (validated, normalised or not): spec
 * parameter names are core option names, `null` means "the estimator's default computed from the
 * data", and a few spec-only shapes are translated (agglomerative `connectivityNeighbors` ->
 * `connectivity: { nNeighbors }`; birch `nClusters: null` keeps the subclusters).
 */
export function estimatorFromSpec(algorithm: AlgorithmSpec, options: EstimatorFromSpecOptions = {}): SpecEstimator {
  const seed = options.seed ?? 0;
  const logger = options.logger ? { logger: options.logger } : {};
  // Checked by the spec's JSON Schema; the core estimators check them again in fit.
  const p = coreParams(algorithm) as Record<string, never>;
  switch (algorithm.name) {
    case "kmeans":
      return new KMeans({ ...p, seed, ...logger, ...(options.onIteration && { onIteration: options.onIteration }) });
    case "minibatch-kmeans":
      return new MiniBatchKMeans({ ...p, seed, ...logger });
    case "bisecting-kmeans":
      return new BisectingKMeans({ ...p, seed, ...logger });
    case "kmedoids":
      return new KMedoids({ ...p, seed, ...logger });
    case "agglomerative": {
      const { connectivityNeighbors, ...rest } = p;
      const given = algorithm.params ?? {};
      const nClusters = given.nClusters === undefined ? (given.distanceThreshold == null ? 2 : null) : given.nClusters;
      return new AgglomerativeClustering({
        ...rest,
        nClusters,
        distanceThreshold: given.distanceThreshold ?? null,
        ...(connectivityNeighbors !== undefined && { connectivity: { nNeighbors: connectivityNeighbors as number } }),
        ...logger,
      });
    }
    case "dbscan":
      return new DBSCAN(p);
    case "hdbscan":
      return new HDBSCAN(p);
    case "optics":
      return new OPTICS({ ...p, ...logger });
    case "gmm":
      return new GaussianMixture({ ...p, seed, ...logger });
    case "meanshift":
      return new MeanShift({ ...p, seed, ...logger });
    case "affinity-propagation":
      return new AffinityPropagation({ ...p, seed, ...logger });
    case "spectral":
      return new SpectralClustering({ ...p, seed, ...logger });
    case "birch": {
      const given = algorithm.params ?? {};
      return new Birch({ ...p, nClusters: given.nClusters === undefined ? 3 : given.nClusters, ...logger });
    }
    case "kmodes":
      return new KModes({
        ...p,
        // "cao" is deterministic: one run (KModes would otherwise warn that nInit is ignored).
        ...(p.init === "cao" && { nInit: 1 }),
        seed,
        ...logger,
        ...(options.categoricalColumns && { columns: options.categoricalColumns }),
      });
    case "kprototypes":
      return new KPrototypes({
        ...p,
        seed,
        ...logger,
        ...(options.categoricalColumns && { categorical: options.categoricalColumns }),
      });
  }
}
