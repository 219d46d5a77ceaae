import { detectFormat } from "../readTable.js";
import type {
  AlgorithmName,
  AlgorithmSpec,
  AnalysisSpec,
  DataSpec,
  DatasetDataSpec,
  FileDataSpec,
  ImputationSpec,
  PreprocessingSpec,
} from "./analysisSpec.js";

/** `T` with every optional field present (recursively; arrays and records kept as they are). */
export type Complete<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]-?: Complete<Exclude<T[K], undefined>> }
    : T;

/**
 * Normalised data: the format always set; `delimiter` and `header` set exactly for delimited text
 * (csv, tsv); `encoding` (text) and `table` (duckdb) kept when given (absent: UTF-8, the only table).
 */
export type NormalizedDataSpec =
  | (Required<Pick<FileDataSpec, "path" | "format">> &
      Pick<FileDataSpec, "delimiter" | "header" | "encoding" | "table">)
  | DatasetDataSpec;

/** A spec with every default written out (what `normalizeSpec` returns). */
export type NormalizedAnalysisSpec = Omit<Complete<AnalysisSpec>, "data"> & { data: NormalizedDataSpec };

/** The complete parameters of one algorithm. */
export type NormalizedParams<N extends AlgorithmName> = Complete<Extract<AlgorithmSpec, { name: N }>>["params"];

/**
 * The default parameters of every algorithm, in the order `normalizeSpec` writes them. Parameters
 * whose default depends on another one (k-means `nInit`, agglomerative `nClusters`) are
 * resolved by `normalizeSpec` and marked `undefined` here.
 */
export const ALGORITHM_DEFAULTS: { readonly [N in AlgorithmName]: Readonly<Record<string, unknown>> } = {
  kmeans: { nClusters: 8, init: "k-means++", nInit: undefined, maxIter: 300, tol: 1e-4, algorithm: "lloyd" },
  "minibatch-kmeans": {
    nClusters: 8,
    init: "k-means++",
    nInit: undefined,
    maxIter: 100,
    batchSize: 1024,
    tol: 0,
    maxNoImprovement: 10,
    initSize: null,
    reassignmentRatio: 0.01,
  },
  "bisecting-kmeans": {
    nClusters: 8,
    init: "random",
    nInit: 1,
    maxIter: 300,
    tol: 1e-4,
    algorithm: "lloyd",
    bisectingStrategy: "biggestInertia",
  },
  kmedoids: {
    nClusters: 8,
    metric: "euclidean",
    method: "pam",
    init: "build",
    maxIter: 300,
    maxSamples: 10_000,
    nSamplings: 5,
    samplingSize: null,
  },
  agglomerative: {
    nClusters: undefined,
    distanceThreshold: null,
    linkage: "ward",
    metric: "euclidean",
    connectivityNeighbors: null,
  },
  dbscan: { eps: 0.5, minSamples: 5, metric: "euclidean", algorithm: "auto", leafSize: 32 },
  hdbscan: {
    minClusterSize: 5,
    minSamples: null,
    clusterSelectionEpsilon: 0,
    maxClusterSize: null,
    metric: "euclidean",
    alpha: 1,
    clusterSelectionMethod: "eom",
    allowSingleCluster: false,
    algorithm: "auto",
    leafSize: 40,
  },
  optics: {
    minSamples: 5,
    maxEps: null,
    metric: "euclidean",
    clusterMethod: "xi",
    xi: 0.05,
    predecessorCorrection: true,
    minClusterSize: null,
    eps: null,
    algorithm: "auto",
    leafSize: 32,
  },
  gmm: {
    nComponents: 1,
    covarianceType: "full",
    tol: 1e-3,
    regCovar: 1e-6,
    maxIter: 100,
    nInit: 1,
    initParams: "kmeans",
  },
  meanshift: {
    bandwidth: null,
    quantile: 0.3,
    nSamples: null,
    binSeeding: false,
    minBinFreq: 1,
    clusterAll: true,
    maxIter: 300,
    algorithm: "auto",
  },
  "affinity-propagation": { damping: 0.5, maxIter: 200, convergenceIter: 15, preference: null, addNoise: true },
  spectral: {
    nClusters: 8,
    affinity: "rbf",
    gamma: 1,
    nNeighbors: 10,
    assignLabels: "kmeans",
    nInit: 10,
    nComponents: null,
    eigenSolver: "auto",
    tol: 1e-12,
    maxSamples: 10_000,
  },
  birch: { threshold: 0.5, branchingFactor: 50, nClusters: 3 },
  kmodes: { nClusters: 8, init: "cao", nInit: 10, maxIter: 100, categoryOrder: "sorted" },
  kprototypes: { nClusters: 8, init: "cao", nInit: 10, maxIter: 100, gamma: null, categoryOrder: "sorted" },
};

/** The algorithm names of the spec, in the documented order. */
export const ALGORITHM_NAMES = Object.keys(ALGORITHM_DEFAULTS) as AlgorithmName[];

function normalizeData(data: DataSpec): NormalizedDataSpec {
  if (!("path" in data)) return { dataset: (data as DatasetDataSpec).dataset };
  const file = data as FileDataSpec;
  const source = detectFormat(file.path, { format: file.format, delimiter: file.delimiter });
  if (source.format === "duckdb") {
    return { path: file.path, format: source.format, ...(file.table !== undefined && { table: file.table }) };
  }
  if (source.format !== "csv" && source.format !== "tsv") return { path: file.path, format: source.format };
  return {
    path: file.path,
    format: source.format,
    delimiter: source.delimiter ?? "auto",
    header: file.header ?? true,
    ...(file.encoding !== undefined && { encoding: file.encoding }),
  };
}

function normalizeImputation(i: ImputationSpec = {}): Complete<ImputationSpec> {
  return {
    numeric: i.numeric ?? "mean",
    numericFillValue: i.numericFillValue ?? 0,
    categorical: i.categorical ?? "mostFrequent",
    categoricalFillValue: i.categoricalFillValue ?? "missing",
  };
}

function normalizePreprocessing(p: PreprocessingSpec = {}): Complete<PreprocessingSpec> {
  const outliers = p.outliers ?? "none";
  return {
    imputation: normalizeImputation(p.imputation),
    encoding: p.encoding ?? "onehot",
    scaling: p.scaling ?? "standard",
    transform: p.transform ?? "none",
    pca: p.pca === undefined || p.pca === "none" ? "none" : { ...p.pca },
    outliers: outliers === "none" ? "none" : { method: outliers.method, factor: outliers.factor ?? 1.5 },
  };
}

function normalizeAlgorithm(algorithm: AlgorithmSpec): Complete<AlgorithmSpec> {
  const given: Record<string, unknown> = { ...(algorithm.params ?? {}) };
  const params: Record<string, unknown> = { ...ALGORITHM_DEFAULTS[algorithm.name], ...given };
  switch (algorithm.name) {
    case "kmeans":
      params.nInit ??= params.init === "random" ? 10 : 1;
      break;
    case "minibatch-kmeans":
      params.nInit ??= params.init === "random" ? 3 : 1;
      break;
    case "agglomerative":
      if (params.nClusters === undefined) params.nClusters = params.distanceThreshold == null ? 2 : null;
      break;
  }
  return { name: algorithm.name, params } as Complete<AlgorithmSpec>;
}

/**
 * Fills every default of a valid spec (see `validateSpec`), so that a saved run states everything
 * it used: the data format from the file extension (and the delimiter and header of delimited
 * text), empty role overrides, each preprocessing step, every algorithm parameter (including the
 * ones whose default depends on another, e.g. k-means `nInit` from `init`), the seed, and the
 * split seed (the spec's seed unless given). Fields come out in the documented order, so the
 * JSON of a normalised spec is stable. Pure: the input is not modified. Idempotent.
 */
export function normalizeSpec(spec: AnalysisSpec): NormalizedAnalysisSpec {
  const seed = spec.seed ?? 0;
  const columns = spec.columns ?? {};
  const split = spec.split ?? "none";
  return {
    version: 1,
    data: normalizeData(spec.data),
    columns: {
      roles: { ...(columns.roles ?? {}) },
      include: columns.include ? [...columns.include] : null,
      exclude: [...(columns.exclude ?? [])],
      target: columns.target ?? null,
    },
    preprocessing: normalizePreprocessing(spec.preprocessing),
    algorithm: normalizeAlgorithm(spec.algorithm),
    seed,
    split: split === "none" ? "none" : { testSize: split.testSize, seed: split.seed ?? seed },
  };
}
