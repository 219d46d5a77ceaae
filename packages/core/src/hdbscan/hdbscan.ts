import { invalid, ValidationError } from "../errors.js";
import type { Clusterer, ClusterModel, FitOptions, ModelJSON } from "../estimator.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { KDTREE_MAX_FEATURES } from "../neighbors/neighborAlgorithm.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asLabels, asMatrix, checkChoice, checkInt, checkNumber } from "../validate.js";
import { boruvkaMST } from "./boruvkaMST.js";
import { BoruvkaTree } from "./boruvkaTree.js";
import { type CondensedTree, condenseTree } from "./condenseTree.js";
import { gloshOutlierScores } from "./gloshOutlierScores.js";
import {
  type HDBSCANPredictionData,
  hdbscanApproximatePredict,
  hdbscanPredictionData,
} from "./hdbscanApproximatePredict.js";
import { hdbscanCoreDistances } from "./hdbscanCoreDistances.js";
import { HDBSCAN_METRICS, type HDBSCANMetric, hdbscanMetricPoints } from "./hdbscanMetric.js";
import { labellingAtCut } from "./labellingAtCut.js";
import { primMST } from "./primMST.js";
import { singleLinkageTree } from "./singleLinkageTree.js";
import { type ClusterSelectionMethod, treeToLabels } from "./treeToLabels.js";

/** How the minimum spanning tree of the mutual reachability graph is built. */
export type HDBSCANAlgorithm = "auto" | "prim" | "boruvka";

/** Below this many rows `"auto"` uses Prim's algorithm (scikit-learn's, so ties resolve the same way). */
export const HDBSCAN_PRIM_MAX_ROWS = 4096;

/** Options for `new HDBSCAN(options)`. */
export interface HDBSCANOptions {
  /** Smallest number of rows that counts as a cluster (integer >= 2). Default 5. */
  minClusterSize?: number;
  /**
   * Number of rows in a neighbourhood for a row to be a core point, the row itself included (as
   * scikit-learn's `min_samples`; the hdbscan library does not count the row). Integer in [1, n].
   * Default: `minClusterSize`.
   */
  minSamples?: number;
  /** Clusters born below this distance are merged into their parents (>= 0; 0 turns it off). Default 0. */
  clusterSelectionEpsilon?: number;
  /** EOM does not keep clusters with more rows than this (integer >= 1; ignored by `"leaf"`). Default: no limit. */
  maxClusterSize?: number;
  /** Distance (see `HDBSCANMetric`). Default `"euclidean"`. */
  metric?: HDBSCANMetric;
  /**
   * Distance scaling of robust single linkage: pairwise distances are divided by `alpha` (> 0) in the
   * mutual reachability distance. As scikit-learn, Euclidean and Manhattan core distances are not
   * scaled, cosine core distances are (scikit-learn divides its whole cosine distance matrix). Default 1.
   */
  alpha?: number;
  /** `"eom"` (excess of mass, the most stable clusters) or `"leaf"` (the leaves of the cluster tree). Default `"eom"`. */
  clusterSelectionMethod?: ClusterSelectionMethod;
  /** Allow a single cluster holding everything (else the root is never selected). Default false. */
  allowSingleCluster?: boolean;
  /**
   * Minimum spanning tree algorithm. `"prim"`: O(n^2) time, O(n) memory, any metric, the same edges in the
   * same order as scikit-learn's Prim. `"boruvka"`: k-d tree Boruvka for Euclidean or Manhattan distance with at most
   * 15 features, roughly O(n log n) on low-dimensional data. `"auto"` (default): Boruvka where it applies
   * and n > `HDBSCAN_PRIM_MAX_ROWS` (4096), Prim otherwise. Both give a minimum spanning tree; they can
   * only differ in how merges at exactly equal heights are ordered.
   */
  algorithm?: HDBSCANAlgorithm;
  /** Leaf size of the k-d trees (core distances and Boruvka). Default 40. */
  leafSize?: number;
}

/**
 * HDBSCAN, hierarchical density-based clustering (Campello, Moulavi & Sander, 2013; McInnes, Healy &
 * Astels' hdbscan), with scikit-learn's semantics (`sklearn.cluster.HDBSCAN`, checked against 1.9):
 *
 * 1. core distance of a row: distance to its `minSamples`-th nearest row (itself included);
 * 2. mutual reachability distance `max(core_i, core_j, d(i, j) / alpha)` and its minimum spanning tree;
 * 3. the single linkage tree of that MST, condensed with `minClusterSize`;
 * 4. flat clusters by excess of mass or leaves, with `clusterSelectionEpsilon`, `maxClusterSize` and
 *    `allowSingleCluster` as in scikit-learn's `_tree.pyx`; labels, membership probabilities and the
 *    hdbscan library's GLOSH outlier scores.
 *
 * Input must be finite (scikit-learn labels rows with infinite or missing values -2 / -3; here they are
 * rejected). Sample weights are not supported (nor in scikit-learn).
 *
 * Equal weights: the mutual reachability graph always has them (every edge from a row to a row inside its
 * core ball weighs exactly that core distance), and when three or more components merge at one height the
 * shape of the single linkage tree, hence sometimes labels and probabilities, depends on the order of those
 * edges. scikit-learn sorts them with `np.argsort`, whose order among equal values is unspecified
 * (platform-dependent SIMD sorts). Clusterlab's Prim path reproduces scikit-learn's pipeline (same core
 * distances, same Prim edges in the same order) with a stable sort; the reference tests check identical
 * labels and probabilities against that pipeline on every fixture, and against `HDBSCAN().fit` itself on
 * the fixtures whose result does not depend on the order of equal weights. Boruvka can pick a different
 * (equally minimal) spanning tree among equal weights.
 *
 * `clusterSelectionEpsilon` follows scikit-learn's `epsilon_search` / `traverse_upwards`. scikit-learn 1.9.1
 * itself raises a TypeError under NumPy 2 as soon as epsilon makes it look above a selected cluster whose
 * parent is not the root (it passes a one-element array where a scalar is expected; the hdbscan library
 * indexes `[0]`); those cases are checked against a Python port of its code.
 */
export class HDBSCAN implements Clusterer<HDBSCANModel> {
  readonly options: Readonly<HDBSCANOptions>;

  constructor(options: HDBSCANOptions = {}) {
    this.options = { ...options };
  }

  /** Fits the model. Sample weights are not supported (as in scikit-learn): passing them is an error. */
  fit(X: MatrixLike, fitOptions: FitOptions = {}): HDBSCANModel {
    if (fitOptions.sampleWeight !== undefined) {
      throw invalid("sampleWeight", "(array)", "HDBSCAN does not support sample weights");
    }
    const o = this.options;
    const minClusterSize = checkInt(o.minClusterSize ?? 5, "minClusterSize", 2);
    const minSamplesOption = o.minSamples ?? minClusterSize;
    checkInt(minSamplesOption, "minSamples", 1);
    const clusterSelectionEpsilon = checkNumber(o.clusterSelectionEpsilon ?? 0, "clusterSelectionEpsilon", { min: 0 });
    const maxClusterSize = o.maxClusterSize === undefined ? null : checkInt(o.maxClusterSize, "maxClusterSize", 1);
    const metric = checkChoice(o.metric ?? "euclidean", "metric", HDBSCAN_METRICS);
    const alpha = checkNumber(o.alpha ?? 1, "alpha", { min: 0, minExclusive: true });
    const clusterSelectionMethod = checkChoice(o.clusterSelectionMethod ?? "eom", "clusterSelectionMethod", [
      "eom",
      "leaf",
    ]);
    const allowSingleCluster = o.allowSingleCluster ?? false;
    if (typeof allowSingleCluster !== "boolean")
      throw invalid("allowSingleCluster", allowSingleCluster, "must be a boolean");
    const algorithm = checkChoice(o.algorithm ?? "auto", "algorithm", ["auto", "prim", "boruvka"]);
    const leafSize = checkInt(o.leafSize ?? 40, "leafSize", 1);
    const data = asMatrix(X);
    const n = data.rows;
    if (n < 2) throw new ValidationError(`invalid X: ${n} row (HDBSCAN needs at least 2 samples)`);
    if (minSamplesOption > n) {
      throw invalid("minSamples", minSamplesOption, `must be at most the number of samples, ${n}`);
    }
    const minSamples = minSamplesOption;
    const treeOk = metric !== "cosine" && data.cols <= KDTREE_MAX_FEATURES;
    if (algorithm === "boruvka" && !treeOk) {
      throw invalid(
        "algorithm",
        algorithm,
        `needs metric "euclidean" or "manhattan" and at most ${KDTREE_MAX_FEATURES} features`,
      );
    }
    const useBoruvka = algorithm === "boruvka" || (algorithm === "auto" && treeOk && n > HDBSCAN_PRIM_MAX_ROWS);

    const points = hdbscanMetricPoints(data, metric);
    const tree = treeOk ? new BoruvkaTree(data, leafSize) : null;
    const { core, neighbors } = hdbscanCoreDistances(data, points, minSamples, metric, tree);
    if (metric === "cosine" && alpha !== 1) for (let i = 0; i < n; i++) core[i] /= alpha;
    const edges =
      useBoruvka && tree !== null
        ? boruvkaMST(tree, core, metric as "euclidean" | "manhattan", alpha, neighbors, minSamples)
        : primMST(points, n, data.cols, metric, core, alpha, metric === "cosine");
    const slt = singleLinkageTree(edges, n);
    const condensed = condenseTree(slt, minClusterSize);
    const { labels, probabilities, selected, stability } = treeToLabels(condensed, n, {
      method: clusterSelectionMethod,
      allowSingleCluster,
      epsilon: clusterSelectionEpsilon,
      maxClusterSize: maxClusterSize ?? Number.POSITIVE_INFINITY,
    });
    return new HDBSCANModel({
      X: data,
      labels,
      probabilities,
      outlierScores: gloshOutlierScores(condensed, n),
      singleLinkageTree: slt,
      condensedTree: condensed,
      selectedClusters: selected,
      clusterStability: stability,
      coreDistances: core,
      minClusterSize,
      minSamples,
      clusterSelectionEpsilon,
      maxClusterSize,
      metric,
      alpha,
      clusterSelectionMethod,
      allowSingleCluster,
    });
  }
}

/** Constructor fields of `HDBSCANModel`. */
export interface HDBSCANModelFields {
  X: Matrix;
  labels: Int32Array;
  probabilities: Float64Array;
  outlierScores: Float64Array;
  singleLinkageTree: Matrix;
  condensedTree: CondensedTree;
  selectedClusters: Int32Array;
  clusterStability: Float64Array;
  coreDistances: Float64Array;
  minClusterSize: number;
  minSamples: number;
  clusterSelectionEpsilon: number;
  maxClusterSize: number | null;
  metric: HDBSCANMetric;
  alpha: number;
  clusterSelectionMethod: ClusterSelectionMethod;
  allowSingleCluster: boolean;
}

/**
 * A fitted HDBSCAN. Training results (`labels`, `probabilities`, `outlierScores`), the trees
 * (`singleLinkageTree`, `condensedTree`), and what `predict` needs (the training rows and core distances).
 *
 * `predict(X)` / `approximatePredict(X)`: see `hdbscanApproximatePredict`
 * (the hdbscan library's approximate_predict: a new row joins the cluster of its nearest training row in
 * mutual reachability distance if that cluster is alive at the new row's density, else it is noise).
 */
export class HDBSCANModel implements ClusterModel {
  /** Cluster of each training row, -1 for noise; clusters numbered as scikit-learn numbers them. */
  readonly labels: Int32Array;
  /** Strength of each row's membership in its cluster, in [0, 1] (0 for noise), as scikit-learn's `probabilities_`. */
  readonly probabilities: Float64Array;
  /** GLOSH outlier score of each row, in [0, 1] (see `gloshOutlierScores`), as the hdbscan library's `outlier_scores_`. */
  readonly outlierScores: Float64Array;
  readonly nClusters: number;
  readonly nFeaturesIn: number;
  /** Single linkage tree of the mutual reachability distance, scipy format ((n-1) x 4: left, right, distance, size). */
  readonly singleLinkageTree: Matrix;
  /** Condensed tree (rows: parent, child, lambdaVal, childSize), e.g. for plotting. */
  readonly condensedTree: CondensedTree;
  /** Condensed-tree id of each cluster (`selectedClusters[label]`). */
  readonly selectedClusters: Int32Array;
  /** Stability (excess of mass) of each cluster, `clusterStability[label]`. */
  readonly clusterStability: Float64Array;
  /** Core distance of each training row as used in the mutual reachability distance. */
  readonly coreDistances: Float64Array;
  /** The training rows (kept for `predict`). */
  readonly X: Matrix;
  readonly minClusterSize: number;
  readonly minSamples: number;
  readonly clusterSelectionEpsilon: number;
  readonly maxClusterSize: number | null;
  readonly metric: HDBSCANMetric;
  readonly alpha: number;
  readonly clusterSelectionMethod: ClusterSelectionMethod;
  readonly allowSingleCluster: boolean;
  private prediction: HDBSCANPredictionData | null = null;

  constructor(fields: HDBSCANModelFields) {
    this.X = fields.X;
    this.labels = fields.labels;
    this.probabilities = fields.probabilities;
    this.outlierScores = fields.outlierScores;
    this.singleLinkageTree = fields.singleLinkageTree;
    this.condensedTree = fields.condensedTree;
    this.selectedClusters = fields.selectedClusters;
    this.clusterStability = fields.clusterStability;
    this.coreDistances = fields.coreDistances;
    this.minClusterSize = fields.minClusterSize;
    this.minSamples = fields.minSamples;
    this.clusterSelectionEpsilon = fields.clusterSelectionEpsilon;
    this.maxClusterSize = fields.maxClusterSize;
    this.metric = fields.metric;
    this.alpha = fields.alpha;
    this.clusterSelectionMethod = fields.clusterSelectionMethod;
    this.allowSingleCluster = fields.allowSingleCluster;
    this.nFeaturesIn = fields.X.cols;
    this.nClusters = fields.selectedClusters.length;
  }

  /**
   * DBSCAN* clustering read off the single linkage tree at `cutDistance` (a mutual reachability distance):
   * the hdbscan library's / scikit-learn's `dbscan_clustering`. Components with fewer than `minClusterSize`
   * rows are noise (-1).
   */
  dbscanClustering(cutDistance: number, minClusterSize = 5): Int32Array {
    if (typeof cutDistance !== "number" || Number.isNaN(cutDistance)) {
      throw invalid("cutDistance", cutDistance, "must be a number");
    }
    checkInt(minClusterSize, "minClusterSize", 1);
    return labellingAtCut(this.singleLinkageTree, cutDistance, minClusterSize);
  }

  /** Labels of new rows (see `hdbscanApproximatePredict`). */
  predict(X: MatrixLike): Int32Array {
    return this.approximatePredict(X).labels;
  }

  /** Labels and membership probabilities of new rows (the hdbscan library's `approximate_predict`). */
  approximatePredict(X: MatrixLike): { labels: Int32Array; probabilities: Float64Array } {
    const q = asMatrix(X, { cols: this.nFeaturesIn, requireRows: false });
    if (this.prediction === null) {
      this.prediction = hdbscanPredictionData(
        this.X,
        this.metric,
        this.alpha,
        this.minSamples,
        this.coreDistances,
        this.condensedTree,
        this.selectedClusters,
      );
    }
    return hdbscanApproximatePredict(this.prediction, q);
  }

  toJSON(): ModelJSON {
    const t = this.condensedTree;
    return {
      type: "HDBSCANModel",
      version: 1,
      minClusterSize: this.minClusterSize,
      minSamples: this.minSamples,
      clusterSelectionEpsilon: this.clusterSelectionEpsilon,
      maxClusterSize: this.maxClusterSize,
      metric: this.metric,
      alpha: this.alpha,
      clusterSelectionMethod: this.clusterSelectionMethod,
      allowSingleCluster: this.allowSingleCluster,
      rows: this.X.rows,
      cols: this.X.cols,
      X: encodeFloats(this.X.data),
      labels: Array.from(this.labels),
      probabilities: encodeFloats(this.probabilities),
      outlierScores: encodeFloats(this.outlierScores),
      coreDistances: encodeFloats(this.coreDistances),
      singleLinkageTree: encodeFloats(this.singleLinkageTree.data),
      condensedTree: {
        parent: Array.from(t.parent),
        child: Array.from(t.child),
        lambdaVal: encodeSpecial(t.lambdaVal),
        childSize: Array.from(t.childSize),
      },
      selectedClusters: Array.from(this.selectedClusters),
      clusterStability: encodeSpecial(this.clusterStability),
    };
  }

  static fromJSON(json: ModelJSON): HDBSCANModel {
    if (json.type !== "HDBSCANModel" || json.version !== 1) {
      throw new ValidationError(
        `invalid model JSON: expected HDBSCANModel version 1, got ${json.type} ${json.version}`,
      );
    }
    const rows = checkInt(json.rows as number, "rows", 2);
    const cols = checkInt(json.cols as number, "cols", 1);
    const xData = decodeFloats(json.X, "X");
    if (xData.length !== rows * cols) throw new ValidationError("invalid model JSON: X has the wrong length");
    const X = asMatrix({ rows, cols, data: xData });
    const vector = (value: unknown, name: string, length: number): Float64Array => {
      const v = decodeFloats(value, name);
      if (v.length !== length)
        throw new ValidationError(`invalid model JSON: ${name} has length ${v.length}, expected ${length}`);
      return v;
    };
    const labels = asLabels(json.labels as number[], "labels");
    if (labels.length !== rows) throw new ValidationError("invalid model JSON: labels has the wrong length");
    const ct = json.condensedTree as Record<string, unknown> | undefined;
    if (typeof ct !== "object" || ct === null)
      throw new ValidationError("invalid model JSON: condensedTree is missing");
    const parent = asLabels(ct.parent as number[], "condensedTree.parent");
    const condensedTree: CondensedTree = {
      parent,
      child: asLabels(ct.child as number[], "condensedTree.child"),
      lambdaVal: decodeInfinities(ct.lambdaVal, "condensedTree.lambdaVal"),
      childSize: asLabels(ct.childSize as number[], "condensedTree.childSize"),
    };
    const r = parent.length;
    if (
      condensedTree.child.length !== r ||
      condensedTree.lambdaVal.length !== r ||
      condensedTree.childSize.length !== r
    ) {
      throw new ValidationError("invalid model JSON: condensedTree columns differ in length");
    }
    const selectedClusters = asLabels(json.selectedClusters as number[], "selectedClusters");
    const metric = checkChoice(json.metric as HDBSCANMetric, "metric", HDBSCAN_METRICS);
    const method = checkChoice(json.clusterSelectionMethod as ClusterSelectionMethod, "clusterSelectionMethod", [
      "eom",
      "leaf",
    ]);
    return new HDBSCANModel({
      X,
      labels,
      probabilities: vector(json.probabilities, "probabilities", rows),
      outlierScores: vector(json.outlierScores, "outlierScores", rows),
      coreDistances: vector(json.coreDistances, "coreDistances", rows),
      singleLinkageTree: {
        rows: rows - 1,
        cols: 4,
        data: vector(json.singleLinkageTree, "singleLinkageTree", 4 * (rows - 1)),
      },
      condensedTree,
      selectedClusters,
      clusterStability: decodeInfinities(json.clusterStability, "clusterStability"),
      minClusterSize: checkInt(json.minClusterSize as number, "minClusterSize", 2),
      minSamples: checkInt(json.minSamples as number, "minSamples", 1),
      clusterSelectionEpsilon: checkNumber(json.clusterSelectionEpsilon as number, "clusterSelectionEpsilon", {
        min: 0,
      }),
      maxClusterSize:
        json.maxClusterSize === null ? null : checkInt(json.maxClusterSize as number, "maxClusterSize", 1),
      metric,
      alpha: checkNumber(json.alpha as number, "alpha", { min: 0, minExclusive: true }),
      clusterSelectionMethod: method,
      allowSingleCluster: json.allowSingleCluster === true,
    });
  }
}

/** Encodes numbers for JSON: +Infinity as "Infinity", NaN as null (JSON has neither). */
function encodeSpecial(a: Float64Array): (number | string | null)[] {
  return Array.from(a, (v) => (v === Number.POSITIVE_INFINITY ? "Infinity" : Number.isNaN(v) ? null : v));
}

/** Decodes `encodeSpecial`'s output. */
function decodeInfinities(value: unknown, name: string): Float64Array {
  if (!Array.isArray(value)) throw new ValidationError(`invalid model JSON: ${name} is not an array`);
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (v === "Infinity") out[i] = Number.POSITIVE_INFINITY;
    else if (v === null) out[i] = Number.NaN;
    else if (typeof v === "number") out[i] = v;
    else throw new ValidationError(`invalid model JSON: ${name}[${i}] is not a number`);
  }
  return out;
}

registerModel("HDBSCANModel", (json) => HDBSCANModel.fromJSON(json));
