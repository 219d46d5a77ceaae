import { invalid, ValidationError } from "../errors.js";
import type { ClusterModel, FitOptions, ModelJSON } from "../estimator.js";
import { AgglomerativeClustering } from "../hierarchy/agglomerativeClustering.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { decodeFloats, registerModel } from "../serialize.js";
import { asLabels, asMatrix, checkInt, checkNumber } from "../validate.js";
import {
  type CFTree,
  type CFTreeJSON,
  cloneTree,
  insertRows,
  leafCentroids,
  newTree,
  treeFromJSON,
  treeToJSON,
} from "./birchTree.js";

/** Any clusterer that labels the subcluster centres (e.g. `new KMeans({ nClusters: 5 })`). */
export interface BirchGlobalClusterer {
  fit(X: Matrix): { readonly labels: ArrayLike<number> };
}

/** Options for `Birch` (names and semantics follow scikit-learn 1.9's `Birch`). */
export interface BirchOptions {
  /**
   * A sample joins its closest leaf subcluster only if the merged subcluster's radius
   * (root-mean-square distance of its samples to its centroid) stays <= threshold: the test is
   * `ss / n - |ls / n|^2 <= threshold^2`. Must be > 0. Default 0.5.
   */
  threshold?: number;
  /** Maximum subclusters per node (a node with more is split in two): an integer > 1. Default 50. */
  branchingFactor?: number;
  /**
   * The global step on the leaf subcluster centres. An integer k >= 1 (default 3):
   * `AgglomerativeClustering({ nClusters: k })` (Ward), as scikit-learn; with fewer than k
   * subclusters, each subcluster is its own cluster and a warning is logged. `null`: each
   * subcluster is a cluster. A clusterer object: `clusterer.fit(centres).labels`.
   */
  nClusters?: number | null | BirchGlobalClusterer;
  /** Label the samples passed to fit / partialFit (`labels`). Default true; otherwise `labels` is empty. */
  computeLabels?: boolean;
  /** Receives warnings (fewer subclusters than nClusters). Default `consoleLogger`. */
  logger?: Logger;
}

interface Resolved {
  threshold: number;
  branchingFactor: number;
  /** "lost": a custom clusterer that did not survive a JSON round trip. */
  nClusters: number | null | BirchGlobalClusterer | "lost";
  computeLabels: boolean;
  logger: Logger;
}

function resolve(o: BirchOptions): Resolved {
  const threshold = checkNumber(o.threshold ?? 0.5, "threshold", { min: 0, minExclusive: true });
  const branchingFactor = checkInt(o.branchingFactor ?? 50, "branchingFactor", 2);
  const nClusters = o.nClusters === undefined ? 3 : o.nClusters;
  if (nClusters !== null) {
    if (typeof nClusters === "number") checkInt(nClusters, "nClusters", 1);
    else if (typeof nClusters !== "object" || typeof (nClusters as BirchGlobalClusterer).fit !== "function") {
      throw invalid(
        "nClusters",
        nClusters,
        "must be an integer >= 1, null, or a clusterer with fit(X) returning { labels }",
      );
    }
  }
  const computeLabels = o.computeLabels ?? true;
  if (typeof computeLabels !== "boolean") throw invalid("computeLabels", computeLabels, "must be a boolean");
  return { threshold, branchingFactor, nClusters, computeLabels, logger: o.logger ?? consoleLogger };
}

/**
 * BIRCH clustering (scikit-learn 1.9 semantics): samples are inserted one by one into a CF tree
 * (clustering features: count, linear sum, squared sum); a sample joins its closest leaf
 * subcluster when the merged radius stays within `threshold`, otherwise it starts a new one; nodes
 * with more than `branchingFactor` subclusters split around their farthest pair. The leaf
 * subclusters are then clustered globally (Ward agglomerative by default).
 *
 * The tree replays scikit-learn's `_CFNode` operations with the same formulas, so for the same
 * input order `subclusterCenters` equal scikit-learn's `subcluster_centers_` (same count and
 * order) up to floating-point rounding, and the labels follow.
 *
 * ```ts
 * const model = new Birch({ threshold: 0.3, nClusters: 4 }).fit(X);
 * model.subclusterCenters; model.labels;
 * const more = model.partialFit(Y); // a new model; `model` is unchanged
 * ```
 *
 * Memory: O(number of subclusters x d) for the tree; each sample is visited once per fit.
 */
export class Birch {
  readonly options: Readonly<BirchOptions>;

  constructor(options: BirchOptions = {}) {
    this.options = { ...options };
  }

  /** Builds the CF tree from X (rows inserted in order) and runs the global clustering. No sample weights. */
  fit(X: MatrixLike, fitOptions: FitOptions = {}): BirchModel {
    if (fitOptions.sampleWeight !== undefined) {
      throw invalid("sampleWeight", "provided", "Birch does not support sample weights");
    }
    const r = resolve(this.options);
    const m = asMatrix(X);
    const tree = newTree(m.cols, r.threshold, r.branchingFactor);
    insertRows(tree, m.data, m.rows);
    return BirchModel.fromTree(tree, r, m, m.rows);
  }

  /** The first `partialFit` of a stream: the same as `fit`; continue with `model.partialFit(nextBatch)`. */
  partialFit(X: MatrixLike): BirchModel {
    return this.fit(X);
  }

  /** `fit(X).labels`. */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).labels;
  }
}

/** The fields of a `BirchModel` (internal). */
interface BirchModelFields {
  tree: CFTree;
  options: Resolved;
  subclusterCenters: Matrix;
  subclusterSizes: Float64Array;
  subclusterLabels: Int32Array;
  labels: Int32Array;
  nSamplesSeen: number;
}

/**
 * A fitted BIRCH model: the CF tree, its leaf subclusters and their global labels. Immutable:
 * `partialFit` returns a new model built on a copy of the tree.
 */
export class BirchModel implements ClusterModel {
  /** Labels of the samples of the last fit / partialFit batch (scikit-learn's `labels_`); empty with `computeLabels: false`. */
  readonly labels: Int32Array;
  /** Centroids of the leaf subclusters in leaf order (S x d; scikit-learn's `subcluster_centers_`). */
  readonly subclusterCenters: Matrix;
  /** Global cluster of each subcluster (scikit-learn's `subcluster_labels_`). */
  readonly subclusterLabels: Int32Array;
  /** Number of samples in each leaf subcluster. */
  readonly subclusterSizes: Float64Array;
  /** Number of global clusters (max subcluster label + 1). */
  readonly nClusters: number;
  readonly nFeaturesIn: number;
  /** Samples inserted so far (over fit and every partialFit). */
  readonly nSamplesSeen: number;
  readonly threshold: number;
  readonly branchingFactor: number;
  private readonly tree: CFTree;
  private readonly resolved: Resolved;

  private constructor(f: BirchModelFields) {
    this.tree = f.tree;
    this.resolved = f.options;
    this.subclusterCenters = f.subclusterCenters;
    this.subclusterSizes = f.subclusterSizes;
    this.subclusterLabels = f.subclusterLabels;
    this.labels = f.labels;
    this.nSamplesSeen = f.nSamplesSeen;
    this.nFeaturesIn = f.tree.d;
    this.threshold = f.tree.threshold;
    this.branchingFactor = f.tree.branchingFactor;
    let k = 0;
    for (let i = 0; i < f.subclusterLabels.length; i++) k = Math.max(k, f.subclusterLabels[i] + 1);
    this.nClusters = k;
  }

  /** @internal Builds the model from a tree: centres, global clustering, labels of `batch`. */
  static fromTree(tree: CFTree, r: Resolved, batch: Matrix | null, nSamplesSeen: number): BirchModel {
    const { centers, sizes, count } = leafCentroids(tree);
    const subclusterCenters: Matrix = { rows: count, cols: tree.d, data: centers };
    const subclusterLabels = globalLabels(subclusterCenters, r);
    const labels =
      batch === null || !r.computeLabels
        ? new Int32Array(0)
        : nearestLabels(subclusterCenters, subclusterLabels, batch);
    return new BirchModel({
      tree,
      options: r,
      subclusterCenters,
      subclusterSizes: sizes,
      subclusterLabels,
      labels,
      nSamplesSeen,
    });
  }

  /**
   * Inserts the rows of X into a copy of the tree (scikit-learn's `partial_fit(X)`) and returns the
   * new model: subclusters, global clustering, and `labels` for X. This model is not changed.
   */
  partialFit(X: MatrixLike): BirchModel {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    if (this.resolved.nClusters === "lost") {
      throw new ValidationError(
        "invalid partialFit: this model was restored from JSON with a custom nClusters clusterer, which JSON cannot hold; use withClusterer(clusterer) first",
      );
    }
    const tree = cloneTree(this.tree);
    insertRows(tree, m.data, m.rows);
    return BirchModel.fromTree(tree, this.resolved, m, this.nSamplesSeen + m.rows);
  }

  /**
   * The same tree with another global step (`nClusters` as in `BirchOptions`): scikit-learn's
   * `set_params(n_clusters=...)` then `partial_fit()` with no data. `labels` is empty.
   */
  withClusterer(nClusters: number | null | BirchGlobalClusterer): BirchModel {
    const r = resolve({
      threshold: this.threshold,
      branchingFactor: this.branchingFactor,
      nClusters,
      computeLabels: this.resolved.computeLabels,
      logger: this.resolved.logger,
    });
    return BirchModel.fromTree(cloneTree(this.tree), r, null, this.nSamplesSeen);
  }

  /** Label of the nearest subcluster centre for each row of X (Euclidean; ties: lowest subcluster index). */
  predict(X: MatrixLike): Int32Array {
    return nearestLabels(this.subclusterCenters, this.subclusterLabels, asMatrix(X, { cols: this.nFeaturesIn }));
  }

  /** Euclidean distance from each row of X to each subcluster centre (n x S; scikit-learn's `transform`). */
  transform(X: MatrixLike): Matrix {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const d = m.cols;
    const S = this.subclusterCenters.rows;
    const C = this.subclusterCenters.data;
    const out = new Float64Array(m.rows * S);
    for (let i = 0; i < m.rows; i++) {
      for (let s = 0; s < S; s++) {
        let t2 = 0;
        for (let t = 0; t < d; t++) {
          const diff = m.data[i * d + t] - C[s * d + t];
          t2 += diff * diff;
        }
        out[i * S + s] = Math.sqrt(t2);
      }
    }
    return { rows: m.rows, cols: S, data: out };
  }

  /**
   * JSON form with the whole CF tree (every node's subclusters: n, linear sum, squared sum,
   * centroid; about 2 d + 3 numbers per subcluster at every level), so `partialFit` continues
   * exactly after a round trip. A custom `nClusters` clusterer cannot be stored: the restored model
   * keeps the subcluster labels but needs `withClusterer` before `partialFit`.
   */
  toJSON(): ModelJSON {
    return {
      type: "BirchModel",
      version: 1,
      threshold: this.threshold,
      branchingFactor: this.branchingFactor,
      nFeaturesIn: this.nFeaturesIn,
      nClusters: typeof this.resolved.nClusters === "number" ? this.resolved.nClusters : null,
      clusterer:
        this.resolved.nClusters === null ? "null" : typeof this.resolved.nClusters === "number" ? "number" : "custom",
      computeLabels: this.resolved.computeLabels,
      nSamplesSeen: this.nSamplesSeen,
      subclusterLabels: Array.from(this.subclusterLabels),
      labels: Array.from(this.labels),
      tree: treeToJSON(this.tree),
    };
  }

  static fromJSON(json: ModelJSON): BirchModel {
    if (json.type !== "BirchModel" || json.version !== 1) {
      throw new ValidationError(
        `invalid model JSON: expected BirchModel version 1, got ${String(json.type)} version ${String(json.version)}`,
      );
    }
    const d = checkInt(json.nFeaturesIn as number, "nFeaturesIn", 1);
    const clusterer = json.clusterer as "number" | "null" | "custom";
    if (clusterer !== "number" && clusterer !== "null" && clusterer !== "custom") {
      throw new ValidationError(`invalid model JSON: clusterer ${JSON.stringify(clusterer)}`);
    }
    const r = resolve({
      threshold: json.threshold as number,
      branchingFactor: json.branchingFactor as number,
      nClusters: clusterer === "number" ? (json.nClusters as number) : null,
      computeLabels: json.computeLabels as boolean,
    });
    const tree = treeFromJSON(json.tree as CFTreeJSON, d, r.threshold, r.branchingFactor);
    const { centers, sizes, count } = leafCentroids(tree);
    const subclusterLabels = asLabels(decodeFloats(json.subclusterLabels, "subclusterLabels"), "subclusterLabels");
    if (subclusterLabels.length !== count) {
      throw new ValidationError(
        `invalid model JSON: ${subclusterLabels.length} subclusterLabels for ${count} leaf subclusters`,
      );
    }
    return new BirchModel({
      tree,
      options: clusterer === "custom" ? { ...r, nClusters: "lost" } : r,
      subclusterCenters: { rows: count, cols: d, data: centers },
      subclusterSizes: sizes,
      subclusterLabels,
      labels: asLabels(decodeFloats(json.labels, "labels")),
      nSamplesSeen: json.nSamplesSeen as number,
    });
  }
}

/** Label of the nearest centre (exact squared distances; ties: lowest index) for each row of X. */
function nearestLabels(centers: Matrix, subLabels: Int32Array, m: Matrix): Int32Array {
  const d = m.cols;
  const S = centers.rows;
  const C = centers.data;
  const out = new Int32Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let best = Number.POSITIVE_INFINITY;
    let bestS = 0;
    const xi = i * d;
    for (let s = 0; s < S; s++) {
      let t2 = 0;
      const cs = s * d;
      for (let t = 0; t < d; t++) {
        const diff = m.data[xi + t] - C[cs + t];
        t2 += diff * diff;
      }
      if (t2 < best) {
        best = t2;
        bestS = s;
      }
    }
    out[i] = subLabels[bestS];
  }
  return out;
}

/** scikit-learn's `_global_clustering` on the subcluster centres. */
function globalLabels(centers: Matrix, r: Resolved): Int32Array {
  const S = centers.rows;
  const identity = () => Int32Array.from({ length: S }, (_, i) => i);
  const c = r.nClusters;
  if (c === null || c === "lost") return identity();
  if (typeof c === "number") {
    if (S < c) {
      r.logger.warn(`Number of subclusters found (${S}) by BIRCH is less than (${c}). Decrease the threshold.`);
      return identity();
    }
    if (S === 1) return new Int32Array(1); // c = 1: one cluster (agglomerative needs 2 samples)
    return new AgglomerativeClustering({ nClusters: c }).fit(centers).labels;
  }
  const labels = asLabels(c.fit(centers).labels, "nClusters clusterer labels");
  if (labels.length !== S) {
    throw new ValidationError(`invalid nClusters clusterer: returned ${labels.length} labels for ${S} subclusters`);
  }
  return labels;
}

registerModel("BirchModel", (json) => BirchModel.fromJSON(json));
