import { invalid, ValidationError } from "../errors.js";
import type { Clusterer, ClusterModel, FitOptions, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkChoice, checkInt, checkNClusters, checkNumber } from "../validate.js";
import { COSINE, cosineNorms, HIERARCHY_METRICS, metricCode, rowDistance } from "./internal/distances.js";
import { hcCut } from "./internal/hcCut.js";
import { knnConnectivity } from "./internal/knnGraph.js";
import { mstSingleVectors } from "./internal/mstSingle.js";
import { type StructuredCriterion, structuredLinkage, structuredSingle } from "./internal/structuredLinkage.js";
import { structuredWard } from "./internal/structuredWard.js";
import { LINKAGE_METHODS, type LinkageMethod, type LinkageMetric, linkage } from "./linkage.js";
import type { LinkageMatrix } from "./linkageMatrix.js";

/** A k-nearest-neighbour connectivity constraint: only clusters joined by a graph edge may merge. */
export interface KnnConnectivity {
  /** Neighbours per observation (integer in [1, n - 1]); the graph is made symmetric. */
  nNeighbors: number;
}

/** Options for `AgglomerativeClustering`. */
export interface AgglomerativeClusteringOptions {
  /**
   * Number of clusters to cut the tree into (integer in [1, n]). Default 2 when
   * `distanceThreshold` is not set. Set exactly one of `nClusters` and `distanceThreshold`
   * (pass `nClusters: null` or leave it out when using the threshold).
   */
  nClusters?: number | null;
  /**
   * Cut the tree at this height instead: merges at or above it are undone, so the number of
   * clusters is (number of merges with height >= threshold) + 1, as in scikit-learn.
   * Default null. Requires the full tree (`computeFullTree` must not be false).
   */
  distanceThreshold?: number | null;
  /**
   * Agglomeration scheme. Default "ward". scikit-learn offers ward, complete, average and
   * single; weighted, centroid and median (scipy's) are accepted too.
   */
  linkage?: LinkageMethod;
  /** Distance between observations. Default "euclidean"; ward, centroid and median require it. */
  metric?: LinkageMetric;
  /**
   * Structured clustering: build the symmetric k-nearest-neighbour graph of X (Euclidean) and
   * only merge clusters joined by an edge, like scikit-learn's `connectivity=kneighbors_graph(X,
   * k, include_self=False)`. A disconnected graph is completed by linking every pair of
   * components through their closest points under `metric` (with a warning), as scikit-learn
   * does. Linkages ward, complete, average and single (scikit-learn's four). As in
   * scikit-learn, complete and average then use only the distances along graph edges (a merged
   * cluster's edge to a neighbour is the max, or the size-weighted mean, of its parts' edges),
   * and single linkage is the minimum spanning tree of the graph. Memory O(n k); no n x n
   * matrix (the neighbours come from a k-d tree up to 15 features). Default null.
   */
  connectivity?: KnnConnectivity | null;
  /**
   * Shorthand for `connectivity: { nNeighbors: connectivityNeighbors }` (the command line's
   * `--connectivity-neighbors`, the analysis spec's `connectivityNeighbors`). Default null. Set at
   * most one of `connectivity` and `connectivityNeighbors`.
   */
  connectivityNeighbors?: number | null;
  /**
   * With a connectivity graph, stop merging once `nClusters` clusters remain (false), or build
   * the whole tree (true). "auto" (default): full tree when `distanceThreshold` is set or
   * `nClusters < max(100, 0.02 n)`, as scikit-learn. Without connectivity the full tree is
   * always built.
   */
  computeFullTree?: boolean | "auto";
  /** Keep the merge heights in `distances` (they are always kept when `distanceThreshold` is set). Default false. */
  computeDistances?: boolean;
  /** Receives warnings (disconnected connectivity graph). Default `consoleLogger`. */
  logger?: Logger;
}

/**
 * Agglomerative (bottom-up) hierarchical clustering with scikit-learn's `AgglomerativeClustering`
 * interface, built on `linkage` (see there for algorithms and memory). Labels are
 * scikit-learn's, number for number (its `_hc_cut` is replayed exactly), wherever the trees
 * agree; with exact distance ties the partition can differ in tie order only.
 *
 * ```ts
 * const model = new AgglomerativeClustering({ nClusters: 3, linkage: "average" }).fit(X);
 * model.labels; // Int32Array, 0-based
 * dendrogramLayout(model.linkageMatrix!);
 * ```
 */
export class AgglomerativeClustering implements Clusterer<AgglomerativeClusteringModel> {
  readonly options: Readonly<AgglomerativeClusteringOptions>;

  constructor(options: AgglomerativeClusteringOptions = {}) {
    this.options = { ...options };
  }

  /** Builds the tree and cuts it. `sampleWeight` is not supported (hierarchical clustering has no weights). */
  fit(X: MatrixLike, fitOptions: FitOptions = {}): AgglomerativeClusteringModel {
    const o = this.options;
    if (fitOptions.sampleWeight !== undefined) {
      throw invalid("sampleWeight", "provided", "AgglomerativeClustering does not support sample weights");
    }
    const threshold = o.distanceThreshold ?? null;
    let nClusters = o.nClusters === undefined ? (threshold === null ? 2 : null) : o.nClusters;
    if ((nClusters === null) === (threshold === null)) {
      throw new ValidationError(
        threshold === null
          ? "invalid options: neither nClusters nor distanceThreshold is set (set exactly one)"
          : `invalid options: both nClusters (${nClusters}) and distanceThreshold (${threshold}) are set (set exactly one; pass nClusters: null with a threshold)`,
      );
    }
    if (threshold !== null) checkNumber(threshold, "distanceThreshold", { min: 0 });
    const method = checkChoice(o.linkage ?? "ward", "linkage", LINKAGE_METHODS);
    const metric = checkChoice(o.metric ?? "euclidean", "metric", HIERARCHY_METRICS);
    if ((method === "ward" || method === "centroid" || method === "median") && metric !== "euclidean") {
      throw new ValidationError(
        `invalid metric: ${JSON.stringify(metric)} (linkage ${JSON.stringify(method)} works only with "euclidean")`,
      );
    }
    const computeFullTreeOption = o.computeFullTree ?? "auto";
    if (computeFullTreeOption !== "auto" && typeof computeFullTreeOption !== "boolean") {
      throw invalid("computeFullTree", computeFullTreeOption, 'must be true, false or "auto"');
    }
    if (threshold !== null && computeFullTreeOption === false) {
      throw invalid("computeFullTree", false, "must not be false when distanceThreshold is set");
    }
    const neighbors = o.connectivityNeighbors ?? null;
    if (neighbors !== null && o.connectivity != null) {
      throw new ValidationError(
        "invalid options: both connectivity and connectivityNeighbors are set (set at most one; connectivityNeighbors: k is connectivity: { nNeighbors: k })",
      );
    }
    const connectivity = neighbors !== null ? { nNeighbors: neighbors } : (o.connectivity ?? null);
    if (connectivity !== null) {
      if (typeof connectivity !== "object") throw invalid("connectivity", connectivity, "expected { nNeighbors }");
      if (method !== "ward" && method !== "complete" && method !== "average" && method !== "single") {
        throw invalid(
          neighbors !== null ? "connectivityNeighbors" : "connectivity",
          neighbors ?? connectivity,
          `only supported with linkage "ward", "complete", "average" or "single" (got ${JSON.stringify(method)})`,
        );
      }
    }
    const logger = o.logger ?? consoleLogger;

    const m = asMatrix(X);
    const n = m.rows;
    if (n < 2) throw new ValidationError(`invalid X: ${n} row (AgglomerativeClustering needs at least 2 samples)`);
    if (nClusters !== null) checkNClusters(nClusters, n, "nClusters");

    let children: Int32Array;
    let heights: Float64Array;
    let linkageMatrix: LinkageMatrix | null = null;
    let labels: Int32Array;
    let nConnectedComponents = 1;

    if (connectivity === null) {
      // scikit-learn's single linkage (for metrics its DistanceMetric knows, i.e. not cosine)
      // keeps its MST's edge orientation in children_, which changes the label numbering only;
      // everything else uses scipy's tree as is.
      const oriented = method === "single" && metric !== "cosine";
      const Z = oriented ? mstSingleVectors(m, metricCode(metric), true) : linkage(m, { method, metric });
      children = new Int32Array(2 * (n - 1));
      heights = new Float64Array(n - 1);
      for (let r = 0; r < n - 1; r++) {
        children[2 * r] = Z.data[4 * r];
        children[2 * r + 1] = Z.data[4 * r + 1];
        heights[r] = Z.data[4 * r + 2];
      }
      linkageMatrix = oriented ? sortedPairs(Z) : Z;
      if (threshold !== null) nClusters = countAtOrAbove(heights, threshold) + 1;
      labels = hcCut(nClusters as number, children, n);
    } else {
      const k = checkInt(
        connectivity.nNeighbors,
        neighbors !== null ? "connectivityNeighbors" : "connectivity.nNeighbors",
        1,
        n - 1,
      );
      let full: boolean;
      if (computeFullTreeOption === "auto") {
        full = threshold !== null || (nClusters as number) < Math.max(100, 0.02 * n);
      } else {
        full = computeFullTreeOption;
      }
      const graph = knnConnectivity(m, k, metricCode(metric));
      nConnectedComponents = graph.nComponents;
      if (graph.nComponents > 1) {
        logger.warn(
          `the ${k}-nearest-neighbour graph has ${graph.nComponents} connected components; linking them through their closest points so the tree is complete`,
        );
      }
      const stopAt = full ? 1 : (nClusters as number);
      const code = metricCode(metric);
      const result =
        method === "ward"
          ? structuredWard(m, graph.offsets, graph.indices, stopAt)
          : method === "single"
            ? structuredSingle(m, graph.offsets, graph.indices, code, stopAt)
            : structuredLinkage(m, graph.offsets, graph.indices, method as StructuredCriterion, code, stopAt);
      children = result.children;
      heights = result.distances;
      if (full) {
        const Zd = new Float64Array(4 * (n - 1));
        const size = new Float64Array(2 * n - 1).fill(1);
        for (let r = 0; r < n - 1; r++) {
          const a = children[2 * r];
          const b = children[2 * r + 1];
          size[n + r] = size[a] + size[b];
          Zd[4 * r] = Math.min(a, b);
          Zd[4 * r + 1] = Math.max(a, b);
          Zd[4 * r + 2] = heights[r];
          Zd[4 * r + 3] = size[n + r];
        }
        linkageMatrix = { rows: n - 1, cols: 4, data: Zd };
        if (threshold !== null) nClusters = countAtOrAbove(heights, threshold) + 1;
        labels = hcCut(nClusters as number, children, n);
      } else {
        labels = forestLabels(result.parent, n);
      }
    }

    const k = nClusters as number;
    const centers = clusterMeans(m, labels, k);
    const keepDistances = o.computeDistances === true || threshold !== null;
    return new AgglomerativeClusteringModel({
      labels,
      nClusters: k,
      nFeaturesIn: m.cols,
      nLeaves: n,
      nConnectedComponents,
      children,
      distances: keepDistances ? heights : null,
      linkageMatrix,
      clusterCenters: centers,
      linkage: method,
      metric,
    });
  }
}

/** The same tree with the smaller id first in every row (scipy's convention). */
function sortedPairs(Z: LinkageMatrix): LinkageMatrix {
  const data = Z.data.slice();
  for (let r = 0; r < Z.rows; r++) {
    if (data[4 * r] > data[4 * r + 1]) {
      data[4 * r] = Z.data[4 * r + 1];
      data[4 * r + 1] = Z.data[4 * r];
    }
  }
  return { rows: Z.rows, cols: 4, data };
}

function countAtOrAbove(heights: Float64Array, threshold: number): number {
  let c = 0;
  for (let i = 0; i < heights.length; i++) if (heights[i] >= threshold) c++;
  return c;
}

/** scikit-learn's labels for an early-stopped tree: roots of the forest, numbered by increasing node id. */
function forestLabels(parent: Int32Array, n: number): Int32Array {
  const head = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let x = i;
    while (parent[x] !== x) x = parent[x];
    head[i] = x;
  }
  const unique = Array.from(new Set(head)).sort((a, b) => a - b);
  const rank = new Map<number, number>();
  for (let i = 0; i < unique.length; i++) rank.set(unique[i], i);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = rank.get(head[i]) as number;
  return labels;
}

function clusterMeans(X: Matrix, labels: Int32Array, k: number): Matrix {
  const d = X.cols;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < X.rows; i++) {
    const c = labels[i];
    counts[c]++;
    for (let t = 0; t < d; t++) sums[c * d + t] += X.data[i * d + t];
  }
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) sums[c * d + t] /= counts[c];
  return { rows: k, cols: d, data: sums };
}

interface ModelFields {
  labels: Int32Array;
  nClusters: number;
  nFeaturesIn: number;
  nLeaves: number;
  nConnectedComponents: number;
  children: Int32Array;
  distances: Float64Array | null;
  linkageMatrix: LinkageMatrix | null;
  clusterCenters: Matrix;
  linkage: LinkageMethod;
  metric: LinkageMetric;
}

/** A fitted `AgglomerativeClustering`. */
export class AgglomerativeClusteringModel implements ClusterModel {
  /** Cluster of each training sample, 0-based (scikit-learn's numbering). */
  readonly labels: Int32Array;
  /** Number of clusters (from `nClusters`, or found by `distanceThreshold`). */
  readonly nClusters: number;
  readonly nFeaturesIn: number;
  /** Number of training samples (leaves of the tree). */
  readonly nLeaves: number;
  /** Connected components of the connectivity graph before it was completed (1 without connectivity). */
  readonly nConnectedComponents: number;
  /**
   * The merges as pairs, row-major: merge r joins `children[2r]` and `children[2r+1]` into node
   * `nLeaves + r` (ids < nLeaves are samples); scikit-learn's `children_`. Has n - 1 merges for
   * a full tree, fewer when a connectivity tree stopped early.
   */
  readonly children: Int32Array;
  /** Height of each merge (scikit-learn's `distances_`), or null unless `computeDistances` or `distanceThreshold` was set. */
  readonly distances: Float64Array | null;
  /** The full tree in scipy's format, for `fcluster`, `dendrogramLayout` etc.; null when the tree stopped early. */
  readonly linkageMatrix: LinkageMatrix | null;
  /** Mean of each cluster's training samples (k x d); used by `predict`. */
  readonly clusterCenters: Matrix;
  readonly linkage: LinkageMethod;
  readonly metric: LinkageMetric;

  constructor(f: ModelFields) {
    this.labels = f.labels;
    this.nClusters = f.nClusters;
    this.nFeaturesIn = f.nFeaturesIn;
    this.nLeaves = f.nLeaves;
    this.nConnectedComponents = f.nConnectedComponents;
    this.children = f.children;
    this.distances = f.distances;
    this.linkageMatrix = f.linkageMatrix;
    this.clusterCenters = f.clusterCenters;
    this.linkage = f.linkage;
    this.metric = f.metric;
  }

  /**
   * Assigns new samples to the cluster with the nearest centre (the mean of its training
   * samples), measured with the model's metric; ties go to the lower label. Hierarchical
   * clustering has no native rule for new points (a new point would change the tree), so this
   * nearest-centroid rule is a convention: it reproduces the training labels only when the
   * clusters are compact and well separated (typically for ward).
   */
  predict(X: MatrixLike): Int32Array {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const code = metricCode(this.metric);
    const d = this.nFeaturesIn;
    const k = this.nClusters;
    // Stack centres under the points so the shared distance kernel can be used.
    const both = new Float64Array((m.rows + k) * d);
    both.set(m.data);
    both.set(this.clusterCenters.data, m.rows * d);
    const stacked: Matrix = { rows: m.rows + k, cols: d, data: both };
    const norms = code === COSINE ? cosineNorms(stacked) : null;
    const out = new Int32Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let best = Number.POSITIVE_INFINITY;
      let bestC = 0;
      for (let c = 0; c < k; c++) {
        const v = rowDistance(both, i, m.rows + c, d, code, norms);
        if (v < best) {
          best = v;
          bestC = c;
        }
      }
      out[i] = bestC;
    }
    return out;
  }

  toJSON(): ModelJSON {
    return {
      type: "AgglomerativeClusteringModel",
      version: 1,
      labels: Array.from(this.labels),
      nClusters: this.nClusters,
      nFeaturesIn: this.nFeaturesIn,
      nLeaves: this.nLeaves,
      nConnectedComponents: this.nConnectedComponents,
      children: Array.from(this.children),
      distances: this.distances ? encodeFloats(this.distances) : null,
      linkageMatrix: this.linkageMatrix ? encodeFloats(this.linkageMatrix.data) : null,
      clusterCenters: encodeFloats(this.clusterCenters.data),
      linkage: this.linkage,
      metric: this.metric,
    };
  }

  static fromJSON(json: ModelJSON): AgglomerativeClusteringModel {
    if (json.type !== "AgglomerativeClusteringModel" || json.version !== 1) {
      throw new ValidationError(
        `invalid model JSON: expected AgglomerativeClusteringModel version 1, got ${String(json.type)} version ${String(json.version)}`,
      );
    }
    const nFeaturesIn = json.nFeaturesIn as number;
    const nClusters = json.nClusters as number;
    const nLeaves = json.nLeaves as number;
    const ints = (v: unknown, name: string): Int32Array => Int32Array.from(decodeFloats(v, name));
    const centers = decodeFloats(json.clusterCenters, "clusterCenters");
    if (centers.length !== nClusters * nFeaturesIn) {
      throw new ValidationError("invalid model JSON: clusterCenters length does not match nClusters x nFeaturesIn");
    }
    const z = json.linkageMatrix == null ? null : decodeFloats(json.linkageMatrix, "linkageMatrix");
    return new AgglomerativeClusteringModel({
      labels: ints(json.labels, "labels"),
      nClusters,
      nFeaturesIn,
      nLeaves,
      nConnectedComponents: json.nConnectedComponents as number,
      children: ints(json.children, "children"),
      distances: json.distances == null ? null : decodeFloats(json.distances, "distances"),
      linkageMatrix: z ? { rows: z.length / 4, cols: 4, data: z } : null,
      clusterCenters: { rows: nClusters, cols: nFeaturesIn, data: centers },
      linkage: json.linkage as LinkageMethod,
      metric: json.metric as LinkageMetric,
    });
  }
}

registerModel("AgglomerativeClusteringModel", AgglomerativeClusteringModel.fromJSON);
