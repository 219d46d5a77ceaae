import {
  AffinityPropagation,
  type AffinityPropagationOptions,
  AgglomerativeClustering,
  type AgglomerativeClusteringOptions,
  Birch,
  type BirchOptions,
  BisectingKMeans,
  type BisectingKMeansOptions,
  type Clusterer,
  DBSCAN,
  type DBSCANOptions,
  GaussianMixture,
  type GaussianMixtureOptions,
  HDBSCAN,
  type HDBSCANOptions,
  KMeans,
  type KMeansIterationHook,
  type KMeansOptions,
  KMedoids,
  type KMedoidsOptions,
  KModes,
  type KModesOptions,
  KPrototypes,
  type KPrototypesOptions,
  type Logger,
  MeanShift,
  type MeanShiftOptions,
  MiniBatchKMeans,
  type MiniBatchKMeansOptions,
  OPTICS,
  type OPTICSOptions,
  SpectralClustering,
  type SpectralClusteringOptions,
} from "@clusterlab/core";
import { UsageError } from "./usage.js";

/**
 * The algorithms of `clusterlab cluster --algo` and their options: ONE table from which the
 * command line's flags, their parsing, the "does not apply" errors, the help text and the
 * estimators are all derived (in the manner of vitest's `cli-config.ts`).
 *
 * Every option binds a flag to a field of the core estimator's options interface (`option` is
 * typed `keyof XxxOptions` and its value type must fit that field, so a misspelt option or a choice
 * the core does not accept fails to compile). The flag is always the option's name in kebab case
 * (`minSamples` -> `--min-samples`; `--no-cluster-all` for a default-true boolean), except `--k`,
 * which is the number of clusters or components (`nClusters` / `nComponents`) wherever the method
 * takes one.
 */

// --- value types ----------------------------------------------------------------------------

/** An integer in [min, max]. */
export interface IntType {
  readonly kind: "int";
  readonly min: number;
  readonly max?: number;
}
/** A finite number, optionally bounded. */
export interface NumberType {
  readonly kind: "number";
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}
/** An integer >= min, or a fraction of the rows in (0, 1) (OPTICS' minSamples / minClusterSize). */
export interface CountOrFractionType {
  readonly kind: "countOrFraction";
  readonly min: number;
}
/** One of the listed strings (the core's own values). */
export interface ChoiceType<S extends string = string> {
  readonly kind: "choice";
  readonly values: readonly S[];
}
/** A boolean switch `--x` that sets the option to true. */
export interface SwitchType {
  readonly kind: "switch";
}
/** A switch `--no-x` that sets a default-true option to false. */
export interface NegationType {
  readonly kind: "negation";
}
/** A comma-separated list of column names. */
export interface ListType {
  readonly kind: "list";
}
export type ValueType = IntType | NumberType | CountOrFractionType | ChoiceType | SwitchType | NegationType | ListType;

/** The value types that can produce a value of the core option type `V`. */
export type ValueTypeFor<V> =
  | (number extends V ? IntType | NumberType | CountOrFractionType : never)
  | (boolean extends V ? SwitchType | NegationType : never)
  | ([Extract<V, string>] extends [never]
      ? never
      : string extends Extract<V, string>
        ? never
        : ChoiceType<Extract<V, string>>)
  | (readonly string[] extends V ? ListType : never);

/** A parsed option value, as passed to the core estimator. */
export type OptionValue = number | string | boolean | readonly string[];
/** A flag's value as commander gives it: the text, or true/false for switches. */
export type RawValue = string | boolean;

const int = (min: number, max?: number): IntType =>
  max === undefined ? { kind: "int", min } : { kind: "int", min, max };
const num = (range: Omit<NumberType, "kind"> = {}): NumberType => ({ kind: "number", ...range });
const countOrFraction = (min: number): CountOrFractionType => ({ kind: "countOrFraction", min });
const choice = <S extends string>(...values: S[]): ChoiceType<S> => ({ kind: "choice", values });
const SWITCH: SwitchType = { kind: "switch" };
const NEGATION: NegationType = { kind: "negation" };
const LIST: ListType = { kind: "list" };

// --- the table ------------------------------------------------------------------------------

/** One option of one algorithm: a command-line flag bound to a core option. */
export type OptionBinding<O> = {
  [K in keyof O & string]-?: {
    /** The core option: a field of the estimator's options interface. */
    readonly option: K;
    /** `"k"` for the number of clusters / components; otherwise the flag is `kebab(option)` (`no-` for a negation). */
    readonly flag?: "k";
    /** How the flag's value is parsed and checked. */
    readonly type: ValueTypeFor<NonNullable<O[K]>>;
    /** One line for `--help`. */
    readonly description: string;
    /** A valid value, for the help and the tests (not for switches). */
    readonly example?: string;
    /** When given, `--k` is not defaulted and cannot be combined with it (agglomerative's distanceThreshold). */
    readonly replacesK?: true;
  };
}[keyof O & string];

/** Which table columns an algorithm clusters. */
export type AlgorithmInput = "numeric" | "categorical" | "mixed";

/** What `predict` (and `clusterlab predict`) does for new rows, as documented on the core model. */
export interface PredictRule {
  /** True when scikit-learn's (or the reference package's) estimator has this predict; false for a Clusterlab convention. */
  readonly native: boolean;
  readonly rule: string;
}

/** What the command line hands an estimator besides the parsed options. */
export interface EstimatorContext {
  logger: Logger;
  /** k-means progress hook (large inputs). */
  onIteration?: KMeansIterationHook;
  /** kmodes / kprototypes: the categorical columns chosen from the table. */
  categoricalColumns?: readonly string[];
}

/** An unfitted estimator of the table: numeric clusterers take a matrix, kmodes / kprototypes a `Frame`. */
export type AlgorithmEstimator = Clusterer | KModes | KPrototypes;

export interface AlgorithmSpec<O> {
  /** The core class. */
  readonly estimator: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** numeric: the numeric columns (scaled); categorical: text columns; mixed: numeric (scaled) + text. */
  readonly input: AlgorithmInput;
  readonly options: readonly OptionBinding<O>[];
  readonly predict: PredictRule;
  /** The estimator for the parsed options (core option names; `--k` and `--seed` already merged in). */
  create(options: O, context: EstimatorContext): AlgorithmEstimator;
}

/** A table option with its types erased. */
export interface AnyOptionBinding {
  readonly option: string;
  readonly flag?: "k";
  readonly type: ValueType;
  readonly description: string;
  readonly example?: string;
  readonly replacesK?: true;
}

/** A table entry with its option types erased. */
export interface AnyAlgorithmSpec {
  readonly estimator: string;
  readonly summary: string;
  readonly input: AlgorithmInput;
  readonly options: readonly AnyOptionBinding[];
  readonly predict: PredictRule;
  // biome-ignore lint/suspicious/noExplicitAny: the options are checked by each entry's own type
  create(options: Record<string, any>, context: EstimatorContext): AlgorithmEstimator;
}

function algorithm<O>(spec: AlgorithmSpec<O>): AlgorithmSpec<O> {
  return spec;
}

const SEED = { option: "seed", type: int(0), description: "random seed (default 0)", example: "1" } as const;
const K_CLUSTERS = {
  option: "nClusters",
  flag: "k",
  type: int(1),
  description: "number of clusters (or mixture components)",
  example: "3",
} as const;
const KMEANS_INIT = {
  option: "init",
  type: choice("k-means++", "random"),
  description: "initialisation method",
  example: "random",
} as const;
const N_INIT = {
  option: "nInit",
  type: int(1),
  description: "number of initialisations (best kept)",
  example: "2",
} as const;
const MAX_ITER = { option: "maxIter", type: int(1), description: "maximum iterations", example: "50" } as const;
const TOL = { option: "tol", type: num({ min: 0 }), description: "convergence tolerance", example: "0.001" } as const;
const NEIGHBOR_METRIC = {
  option: "metric",
  type: choice("euclidean", "manhattan", "cosine"),
  description: "distance between rows",
  example: "manhattan",
} as const;
const CATEGORY_ORDER = {
  option: "categoryOrder",
  type: choice("sorted", "appearance"),
  description: "category numbering, which breaks ties between equally frequent categories",
  example: "appearance",
} as const;
const CATEGORICAL_INIT = {
  option: "init",
  type: choice("huang", "cao", "random"),
  description: "initialisation method",
  example: "huang",
} as const;

const TABLE = {
  kmeans: algorithm<KMeansOptions>({
    estimator: "KMeans",
    summary: "k-means (Lloyd with Hamerly bounds)",
    input: "numeric",
    options: [K_CLUSTERS, KMEANS_INIT, N_INIT, MAX_ITER, TOL, SEED],
    predict: { native: true, rule: "nearest centre" },
    create: (o, c) => new KMeans({ ...o, logger: c.logger, ...(c.onIteration && { onIteration: c.onIteration }) }),
  }),
  "minibatch-kmeans": algorithm<MiniBatchKMeansOptions>({
    estimator: "MiniBatchKMeans",
    summary: "mini-batch k-means (large data)",
    input: "numeric",
    options: [
      K_CLUSTERS,
      KMEANS_INIT,
      N_INIT,
      { option: "maxIter", type: int(1), description: "maximum passes over the data", example: "50" },
      TOL,
      { option: "batchSize", type: int(1), description: "rows per mini-batch", example: "64" },
      {
        option: "maxNoImprovement",
        type: int(0),
        description: "stop after this many steps without a better smoothed inertia",
        example: "5",
      },
      { option: "initSize", type: int(1), description: "rows the initialisation runs on", example: "60" },
      {
        option: "reassignmentRatio",
        type: num({ min: 0 }),
        description: "reassign centres lighter than this fraction of the heaviest",
        example: "0.05",
      },
      SEED,
    ],
    predict: { native: true, rule: "nearest centre" },
    create: (o, c) => new MiniBatchKMeans({ ...o, logger: c.logger }),
  }),
  "bisecting-kmeans": algorithm<BisectingKMeansOptions>({
    estimator: "BisectingKMeans",
    summary: "bisecting k-means (divisive)",
    input: "numeric",
    options: [
      K_CLUSTERS,
      { ...KMEANS_INIT, example: "k-means++" },
      N_INIT,
      MAX_ITER,
      TOL,
      {
        option: "bisectingStrategy",
        type: choice("biggestInertia", "largestCluster"),
        description: "which cluster to split next",
        example: "largestCluster",
      },
      SEED,
    ],
    predict: { native: true, rule: "nearest centre" },
    create: (o, c) => new BisectingKMeans({ ...o, logger: c.logger }),
  }),
  kmedoids: algorithm<KMedoidsOptions>({
    estimator: "KMedoids",
    summary: "k-medoids (PAM, O(n^2); CLARA for large n)",
    input: "numeric",
    options: [
      K_CLUSTERS,
      {
        option: "metric",
        type: choice("euclidean", "manhattan", "cosine", "sqeuclidean"),
        description: "distance between rows",
        example: "manhattan",
      },
      {
        option: "method",
        type: choice("pam", "alternate", "clara"),
        description: "swap search, Voronoi iteration, or CLARA (PAM on samples; large n)",
        example: "clara",
      },
      { option: "nSamplings", type: int(1), description: "clara: samples clustered (default 5)", example: "10" },
      {
        option: "samplingSize",
        type: int(1),
        description: "clara: rows per sample (default 40 + 2k, capped at the row count)",
        example: "200",
      },
      {
        option: "init",
        type: choice("build", "k-medoids++", "random"),
        description: "initial medoids",
        example: "k-medoids++",
      },
      MAX_ITER,
      { option: "maxSamples", type: int(1), description: "refuse more rows than this", example: "5000" },
      SEED,
    ],
    predict: { native: true, rule: "nearest medoid" },
    create: (o, c) => new KMedoids({ ...o, logger: c.logger }),
  }),
  agglomerative: algorithm<AgglomerativeClusteringOptions>({
    estimator: "AgglomerativeClustering",
    summary: "hierarchical agglomerative clustering (cut by --k or --distance-threshold)",
    input: "numeric",
    options: [
      K_CLUSTERS,
      {
        option: "distanceThreshold",
        type: num({ min: 0 }),
        description: "cut the tree at this height instead of --k",
        example: "5",
        replacesK: true,
      },
      {
        option: "linkage",
        type: choice("ward", "complete", "average", "single", "weighted", "centroid", "median"),
        description: "merge criterion",
        example: "average",
      },
      {
        option: "metric",
        type: choice("euclidean", "manhattan", "cityblock", "cosine"),
        description: "distance between rows",
        example: "manhattan",
      },
      {
        option: "connectivityNeighbors",
        type: int(1),
        description:
          "only merge clusters joined in the symmetric k-nearest-neighbour graph (ward, complete, average, single; no n x n matrix)",
        example: "10",
      },
    ],
    predict: { native: false, rule: "nearest cluster centroid (mean of the cluster's training rows)" },
    create: (o, c) => new AgglomerativeClustering({ ...o, logger: c.logger }),
  }),
  dbscan: algorithm<DBSCANOptions>({
    estimator: "DBSCAN",
    summary: "density-based clusters with noise",
    input: "numeric",
    options: [
      { option: "eps", type: num({ min: 0, minExclusive: true }), description: "neighbourhood radius", example: "0.8" },
      {
        option: "minSamples",
        type: int(1),
        description: "rows within the radius (itself included) for a core row",
        example: "4",
      },
      NEIGHBOR_METRIC,
    ],
    predict: { native: false, rule: "cluster of the nearest core row within eps, else noise" },
    create: (o) => new DBSCAN(o),
  }),
  hdbscan: algorithm<HDBSCANOptions>({
    estimator: "HDBSCAN",
    summary: "hierarchical density-based clusters with noise",
    input: "numeric",
    options: [
      { option: "minClusterSize", type: int(2), description: "smallest cluster", example: "10" },
      {
        option: "minSamples",
        type: int(1),
        description: "rows in a neighbourhood (itself included) for a core row",
        example: "4",
      },
      {
        option: "clusterSelectionEpsilon",
        type: num({ min: 0 }),
        description: "merge clusters born below this distance",
        example: "0.2",
      },
      { option: "maxClusterSize", type: int(1), description: "largest cluster kept by eom", example: "100" },
      NEIGHBOR_METRIC,
      { option: "alpha", type: num({ min: 0, minExclusive: true }), description: "distance scaling", example: "0.9" },
      {
        option: "clusterSelectionMethod",
        type: choice("eom", "leaf"),
        description: "excess of mass, or the leaves of the cluster tree",
        example: "leaf",
      },
      { option: "allowSingleCluster", type: SWITCH, description: "allow one cluster holding everything" },
    ],
    predict: {
      native: false,
      rule: "approximate prediction (the hdbscan library's approximate_predict): the cluster the row would join, else noise",
    },
    create: (o) => new HDBSCAN(o),
  }),
  optics: algorithm<OPTICSOptions>({
    estimator: "OPTICS",
    summary: "reachability ordering, clusters extracted by xi or a dbscan cut",
    input: "numeric",
    options: [
      {
        option: "minSamples",
        type: countOrFraction(2),
        description: "rows in a neighbourhood (itself included) for a core row",
        example: "4",
      },
      { option: "maxEps", type: num({ min: 0 }), description: "largest neighbourhood radius", example: "3" },
      NEIGHBOR_METRIC,
      {
        option: "clusterMethod",
        type: choice("xi", "dbscan"),
        description: "steep-area (xi) or dbscan-cut extraction",
        example: "dbscan",
      },
      {
        option: "xi",
        type: num({ min: 0, max: 1, maxExclusive: true }),
        description: "steepness for xi",
        example: "0.1",
      },
      {
        option: "minClusterSize",
        type: countOrFraction(2),
        description: "smallest cluster for xi",
        example: "10",
      },
      { option: "eps", type: num({ min: 0 }), description: "cut for the dbscan extraction", example: "0.8" },
      { option: "predecessorCorrection", type: NEGATION, description: "no predecessor correction in xi" },
    ],
    predict: { native: false, rule: "label of the nearest training row (noise included)" },
    create: (o, c) => new OPTICS({ ...o, logger: c.logger }),
  }),
  gmm: algorithm<GaussianMixtureOptions>({
    estimator: "GaussianMixture",
    summary: "Gaussian mixture (EM)",
    input: "numeric",
    options: [
      { ...K_CLUSTERS, option: "nComponents" },
      {
        option: "covarianceType",
        type: choice("full", "tied", "diag", "spherical"),
        description: "covariance parameterisation",
        example: "diag",
      },
      { ...TOL, description: "convergence threshold on the lower bound" },
      {
        option: "regCovar",
        type: num({ min: 0 }),
        description: "added to the covariance diagonals",
        example: "0.0001",
      },
      { option: "maxIter", type: int(0), description: "maximum EM iterations", example: "50" },
      N_INIT,
      {
        option: "initParams",
        type: choice("kmeans", "k-means++", "random", "random_from_data"),
        description: "initialisation of the responsibilities",
        example: "k-means++",
      },
      SEED,
    ],
    predict: { native: true, rule: "most probable component" },
    create: (o, c) => new GaussianMixture({ ...o, logger: c.logger }),
  }),
  meanshift: algorithm<MeanShiftOptions>({
    estimator: "MeanShift",
    summary: "mean shift (flat kernel)",
    input: "numeric",
    options: [
      {
        option: "bandwidth",
        type: num({ min: 0, minExclusive: true }),
        description: "kernel radius (default: estimated)",
        example: "1.5",
      },
      {
        option: "quantile",
        type: num({ min: 0, max: 1 }),
        description: "quantile of the estimated bandwidth",
        example: "0.2",
      },
      { option: "nSamples", type: int(1), description: "rows used to estimate the bandwidth", example: "100" },
      { option: "binSeeding", type: SWITCH, description: "start from a grid of bandwidth spacing" },
      { option: "minBinFreq", type: int(1), description: "fewest rows in a seed bin", example: "2" },
      { option: "clusterAll", type: NEGATION, description: "rows far from every centre become noise" },
      { option: "maxIter", type: int(0), description: "maximum iterations per seed", example: "100" },
      SEED,
    ],
    predict: { native: true, rule: "nearest centre" },
    create: (o, c) => new MeanShift({ ...o, logger: c.logger }),
  }),
  "affinity-propagation": algorithm<AffinityPropagationOptions>({
    estimator: "AffinityPropagation",
    summary: "affinity propagation (exemplars; O(n^2))",
    input: "numeric",
    options: [
      {
        option: "damping",
        type: num({ min: 0.5, max: 1, maxExclusive: true }),
        description: "message damping",
        example: "0.9",
      },
      { option: "maxIter", type: int(1), description: "maximum iterations", example: "100" },
      {
        option: "convergenceIter",
        type: int(1),
        description: "stop after this many iterations with the same exemplars",
        example: "10",
      },
      {
        option: "preference",
        type: num(),
        description: "self-similarity: larger gives more clusters (default: the median similarity)",
        example: "-50",
      },
      { option: "addNoise", type: NEGATION, description: "no tie-breaking noise" },
      SEED,
    ],
    predict: { native: true, rule: "nearest exemplar" },
    create: (o, c) => new AffinityPropagation({ ...o, logger: c.logger }),
  }),
  spectral: algorithm<SpectralClusteringOptions>({
    estimator: "SpectralClustering",
    summary: "spectral clustering (rbf or nearest-neighbour graph)",
    input: "numeric",
    options: [
      K_CLUSTERS,
      {
        option: "affinity",
        type: choice("rbf", "nearestNeighbors"),
        description: "graph: rbf kernel or nearest neighbours",
        example: "nearestNeighbors",
      },
      { option: "gamma", type: num({ min: 0 }), description: "rbf kernel coefficient", example: "0.5" },
      {
        option: "nNeighbors",
        type: int(1),
        description: "neighbours of the graph and of the predict vote",
        example: "8",
      },
      {
        option: "assignLabels",
        type: choice("kmeans", "discretize", "clusterQr"),
        description: "label assignment on the embedding",
        example: "discretize",
      },
      N_INIT,
      {
        option: "nComponents",
        type: int(1),
        description: "eigenvectors in the embedding (default: --k)",
        example: "4",
      },
      {
        option: "eigenSolver",
        type: choice("auto", "dense", "lanczos"),
        description: "eigensolver",
        example: "dense",
      },
      {
        option: "tol",
        type: num({ min: 0, minExclusive: true }),
        description: "eigensolver tolerance",
        example: "1e-10",
      },
      { option: "maxSamples", type: int(2), description: "largest n accepted with rbf", example: "5000" },
      SEED,
    ],
    predict: { native: false, rule: "majority label among the --n-neighbors nearest training rows" },
    create: (o, c) => new SpectralClustering({ ...o, logger: c.logger }),
  }),
  birch: algorithm<BirchOptions>({
    estimator: "Birch",
    summary: "BIRCH (CF tree, then agglomerative on the subclusters)",
    input: "numeric",
    options: [
      K_CLUSTERS,
      {
        option: "threshold",
        type: num({ min: 0, minExclusive: true }),
        description: "largest subcluster radius",
        example: "0.3",
      },
      { option: "branchingFactor", type: int(2), description: "most subclusters per node", example: "20" },
    ],
    predict: { native: true, rule: "label of the nearest subcluster centre" },
    create: (o, c) => new Birch({ ...o, logger: c.logger }),
  }),
  kmodes: algorithm<KModesOptions>({
    estimator: "KModes",
    summary: "k-modes on the text (categorical) columns",
    input: "categorical",
    options: [K_CLUSTERS, CATEGORICAL_INIT, N_INIT, MAX_ITER, CATEGORY_ORDER, SEED],
    predict: { native: true, rule: "nearest mode (fewest differing categories)" },
    create: (o, c) =>
      new KModes({ ...o, logger: c.logger, ...(c.categoricalColumns && { columns: c.categoricalColumns }) }),
  }),
  kprototypes: algorithm<KPrototypesOptions>({
    estimator: "KPrototypes",
    summary: "k-prototypes on numeric (scaled) and text (categorical) columns",
    input: "mixed",
    options: [
      K_CLUSTERS,
      CATEGORICAL_INIT,
      N_INIT,
      MAX_ITER,
      {
        option: "gamma",
        type: num({ min: 0 }),
        description: "weight of a categorical mismatch (default: half the mean numeric std)",
        example: "0.5",
      },
      {
        option: "categorical",
        type: LIST,
        description: "columns to treat as categorical (default: those with role categorical, e.g. small integer codes)",
        example: "species,island",
      },
      CATEGORY_ORDER,
      SEED,
    ],
    predict: { native: true, rule: "nearest prototype (squared distance + gamma x mismatches)" },
    create: (o, c) =>
      new KPrototypes({ ...o, logger: c.logger, ...(c.categoricalColumns && { categorical: c.categoricalColumns }) }),
  }),
};

/** A `--algo` name. */
export type AlgorithmName = keyof typeof TABLE;

/** The table: every algorithm of `clusterlab cluster --algo`, its estimator and options. */
export const ALGORITHM_TABLE: { readonly [N in AlgorithmName]: AnyAlgorithmSpec } = TABLE;

/** The `--algo` names, in table order. */
export const ALGORITHMS = Object.keys(TABLE) as AlgorithmName[];

/** Default of `--k`, as scikit-learn's KMeans. */
export const DEFAULT_K = 8;

/** Flags the command line defines for every algorithm; an algorithm lists them when it passes them on. */
export const GLOBAL_FLAGS: ReadonlySet<string> = new Set(["seed"]);

// --- flags ----------------------------------------------------------------------------------

/** `minSamples` -> `min-samples`. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The flag of a table option, without dashes: `k`, `eps`, `min-samples`, `no-cluster-all`. */
export function flagName(binding: AnyOptionBinding): string {
  if (binding.flag !== undefined) return binding.flag;
  return binding.type.kind === "negation" ? `no-${kebabCase(binding.option)}` : kebabCase(binding.option);
}

/** One command-line flag and the algorithms that take it. */
export interface AlgorithmFlag {
  /** Without dashes: `k`, `eps`, `min-samples`, `no-cluster-all`. */
  readonly name: string;
  /** Commander's attribute for it (camelCase, without `no-`): `k`, `eps`, `minSamples`, `clusterAll`. */
  readonly attribute: string;
  /** `value` takes an argument; `switch` is `--x`; `negation` is `--no-x`. */
  readonly arity: "value" | "switch" | "negation";
  /** The algorithms taking the flag, each with its own binding. */
  readonly uses: readonly { readonly algo: AlgorithmName; readonly binding: AnyOptionBinding }[];
}

function arityOf(type: ValueType): AlgorithmFlag["arity"] {
  return type.kind === "switch" ? "switch" : type.kind === "negation" ? "negation" : "value";
}

function buildFlags(): AlgorithmFlag[] {
  const flags = new Map<
    string,
    { name: string; attribute: string; arity: AlgorithmFlag["arity"]; uses: AlgorithmFlag["uses"][number][] }
  >();
  for (const algo of ALGORITHMS) {
    const seen = new Set<string>();
    for (const binding of ALGORITHM_TABLE[algo].options) {
      const name = flagName(binding);
      if (seen.has(name)) throw new Error(`algorithm table: --algo ${algo} lists --${name} twice`);
      seen.add(name);
      const arity = arityOf(binding.type);
      const attribute = binding.flag ?? binding.option;
      let flag = flags.get(name);
      if (!flag) {
        flag = { name, attribute, arity, uses: [] };
        flags.set(name, flag);
      } else if (flag.arity !== arity || flag.attribute !== attribute) {
        throw new Error(
          `algorithm table: --${name} is a ${flag.arity} for one algorithm and a ${arity} for --algo ${algo}`,
        );
      }
      flag.uses.push({ algo, binding });
    }
  }
  return [...flags.values()];
}

/** Every algorithm flag (each once), in order of first appearance in the table. */
export const ALGORITHM_FLAGS: readonly AlgorithmFlag[] = buildFlags();

/** How a value type reads in help and errors: `an integer >= 1`, `a number in [0.5, 1)`, ... */
export function describeType(type: ValueType): string {
  switch (type.kind) {
    case "int":
      return type.max === undefined ? `an integer >= ${type.min}` : `an integer in [${type.min}, ${type.max}]`;
    case "number": {
      const { min, max } = type;
      if (min !== undefined && max !== undefined) {
        return `a number in ${type.minExclusive ? "(" : "["}${min}, ${max}${type.maxExclusive ? ")" : "]"}`;
      }
      if (min !== undefined) return `a number ${type.minExclusive ? ">" : ">="} ${min}`;
      if (max !== undefined) return `a number ${type.maxExclusive ? "<" : "<="} ${max}`;
      return "a number";
    }
    case "countOrFraction":
      return `an integer >= ${type.min} or a fraction in (0, 1)`;
    case "choice":
      return `one of ${type.values.join(", ")}`;
    case "switch":
    case "negation":
      return "a switch";
    case "list":
      return "a comma-separated list of column names";
  }
}

const INTEGER = /^[+-]?\d+$/;

function inRange(x: number, type: NumberType): boolean {
  if (type.min !== undefined && (type.minExclusive ? !(x > type.min) : !(x >= type.min))) return false;
  if (type.max !== undefined && (type.maxExclusive ? !(x < type.max) : !(x <= type.max))) return false;
  return true;
}

/**
 * Parses one flag's value. `flag` (with dashes) and the raw value are named in the error:
 * `invalid --eps: "abc" (must be a number > 0)`.
 */
export function parseValue(type: ValueType, raw: RawValue, flag: string, algo?: string): OptionValue {
  const fail = (must: string): never => {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (${must})`);
  };
  if (type.kind === "switch") return true;
  if (type.kind === "negation") return false;
  const text = String(raw).trim();
  switch (type.kind) {
    case "int": {
      const value = Number(text);
      const ok = INTEGER.test(text) && Number.isSafeInteger(value) && value >= type.min;
      if (!ok || (type.max !== undefined && value > type.max)) fail(`must be ${describeType(type)}`);
      return value;
    }
    case "number": {
      const value = Number(text);
      if (text === "" || !Number.isFinite(value) || !inRange(value, type)) fail(`must be ${describeType(type)}`);
      return value;
    }
    case "countOrFraction": {
      const value = Number(text);
      const count = INTEGER.test(text) && Number.isSafeInteger(value) && value >= type.min;
      const fraction = text !== "" && Number.isFinite(value) && value > 0 && value < 1;
      if (!count && !fraction) fail(`must be ${describeType(type)}`);
      return value;
    }
    case "choice":
      if (!type.values.includes(text)) {
        fail(`must be one of ${type.values.join(", ")}${algo !== undefined ? ` for --algo ${algo}` : ""}`);
      }
      return text;
    case "list": {
      const items = text.split(",").map((s) => s.trim());
      if (items.some((s) => s === "")) fail("must be a comma-separated list of column names");
      return items;
    }
  }
}

/** The flags an algorithm takes, for messages: `--k, --init, --n-init, ...`. */
export function flagsOf(algo: AlgorithmName): string[] {
  return ALGORITHM_TABLE[algo].options.map((b) => `--${flagName(b)}`);
}

/** The parsed algorithm options of a command line. */
export interface ParsedAlgorithmOptions {
  /** `--k` (default `DEFAULT_K`) when the algorithm takes a number of clusters; null otherwise. */
  k: number | null;
  /** The other options given, by core option name (`--seed` excluded: it is global). */
  options: Record<string, OptionValue>;
}

/**
 * Parses the algorithm flags given on the command line. `given` maps flag names (without dashes,
 * `k` included, global flags excluded) to their raw values; only flags actually given belong there.
 * Throws `UsageError` for a flag the algorithm does not take, naming both and listing its flags,
 * and for bad values, naming the flag and the value.
 */
export function parseAlgorithmOptions(
  algo: AlgorithmName,
  given: Readonly<Record<string, RawValue>>,
): ParsedAlgorithmOptions {
  const spec = ALGORITHM_TABLE[algo];
  const byFlag = new Map(spec.options.map((b) => [flagName(b), b] as const));
  for (const name of Object.keys(given)) {
    if (!byFlag.has(name) || GLOBAL_FLAGS.has(name)) {
      throw new UsageError(`--${name} does not apply to --algo ${algo} (it takes: ${flagsOf(algo).join(", ")})`);
    }
  }
  const options: Record<string, OptionValue> = {};
  let kBinding: AnyOptionBinding | undefined;
  let replacing: string | undefined;
  for (const [name, binding] of byFlag) {
    if (binding.flag === "k") {
      kBinding = binding;
      continue;
    }
    const raw = given[name];
    if (raw === undefined) continue;
    options[binding.option] = parseValue(binding.type, raw, `--${name}`, algo);
    if (binding.replacesK) replacing = name;
  }
  let k: number | null = null;
  if (kBinding) {
    if (given.k !== undefined) {
      if (replacing)
        throw new UsageError(`--k and --${replacing} cannot be combined (--algo ${algo} takes one of them)`);
      k = parseValue(kBinding.type, given.k, "--k", algo) as number;
    } else if (!replacing) {
      k = DEFAULT_K;
    }
  }
  return { k, options };
}

/**
 * The options passed to the core estimator: `--k` under the algorithm's own name (nClusters or
 * nComponents), `--seed` where the algorithm takes one, then the parsed options.
 */
export function coreOptions(
  algo: AlgorithmName,
  args: { k: number | null; seed: number; options: Readonly<Record<string, OptionValue>> },
): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const binding of ALGORITHM_TABLE[algo].options) {
    if (binding.flag === "k" && args.k !== null) out[binding.option] = args.k;
    else if (GLOBAL_FLAGS.has(flagName(binding))) out[binding.option] = args.seed;
    else if (args.options[binding.option] !== undefined) out[binding.option] = args.options[binding.option];
  }
  return out;
}

/** The help line of an algorithm flag: its description, and the algorithms (with values) taking it. */
export function flagHelp(flag: AlgorithmFlag): string {
  const first = flag.uses[0].binding;
  const choices = new Map<string, AlgorithmName[]>();
  for (const { algo, binding } of flag.uses) {
    const key = binding.type.kind === "choice" ? binding.type.values.join("|") : describeType(binding.type);
    const list = choices.get(key) ?? [];
    list.push(algo);
    choices.set(key, list);
  }
  if (flag.arity !== "value") return `${first.description} (${flag.uses.map((u) => u.algo).join(", ")})`;
  const parts = [...choices].map(([values, algos]) => `${algos.join(", ")}: ${values}`);
  return `${first.description} (${parts.join("; ")})`;
}

/** The value placeholder of a flag in `--help`: `<n>`, `<x>`, `<name>`, `<list>`. */
export function placeholder(flag: AlgorithmFlag): string {
  const kinds = new Set(flag.uses.map((u) => u.binding.type.kind));
  if (kinds.has("choice")) return "<name>";
  if (kinds.has("list")) return "<list>";
  if (kinds.has("number") || kinds.has("countOrFraction")) return "<x>";
  return "<n>";
}

/** The "Algorithms" section of `clusterlab cluster --help`. */
export function algorithmsHelp(): string {
  const width = Math.max(...ALGORITHMS.map((a) => a.length));
  const indent = " ".repeat(width + 4);
  const lines = ["Algorithms (--algo) and the options each takes (another algorithm's option is an error):"];
  for (const algo of ALGORITHMS) {
    lines.push(`  ${algo.padEnd(width)}  ${ALGORITHM_TABLE[algo].summary}`);
    let line = indent;
    for (const flag of flagsOf(algo)) {
      if (line.length + flag.length > 100 && line !== indent) {
        lines.push(line.trimEnd());
        line = indent;
      }
      line += `${flag} `;
    }
    lines.push(line.trimEnd());
  }
  return lines.join("\n");
}
