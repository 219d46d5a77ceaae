import { invalid, ValidationError } from "../errors.js";
import type { ClusterModel, FitOptions, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { Random } from "../random.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkChoice, checkInt, checkNClusters, checkNumber, checkSampleWeight } from "../validate.js";
import { centerDistances, checkModelJSON, initialCenters, warnDistinct } from "./centroidCommon.js";
import { assignNearest, inertiaOf, runElkan, runLloyd, scaledTolerance, sqDist } from "./kmeansKernels.js";

/** Which leaf to split next. */
export type BisectingStrategy = "biggestInertia" | "largestCluster";

/** Options for `BisectingKMeans` (names and defaults follow scikit-learn 1.9's `BisectingKMeans`). */
export interface BisectingKMeansOptions {
  /** Number of clusters k: an integer in [1, n]. Default 8. */
  nClusters?: number;
  /** How each bisection's two initial centres are chosen: `"random"` (default) or `"k-means++"`. */
  init?: "k-means++" | "random";
  /** Runs of 2-means per bisection; the one with the lowest inertia is kept. Default 1. */
  nInit?: number;
  /** Maximum iterations of each 2-means run. Default 300. */
  maxIter?: number;
  /**
   * Tolerance of each 2-means run, with KMeans' meaning: `tol` times the mean per-feature variance
   * of the whole X bounds the summed squared centre shift. Default 1e-4.
   */
  tol?: number;
  /** 2-means algorithm: `"lloyd"` (default) or `"elkan"` (identical results). */
  algorithm?: "lloyd" | "elkan";
  /**
   * `"biggestInertia"` (default): split the leaf with the largest weighted sum of squared
   * distances to its centre. `"largestCluster"`: split the leaf with the most samples.
   */
  bisectingStrategy?: BisectingStrategy;
  /** Seed for the initialisations. Default 0. */
  seed?: number;
  /** Receives warnings (fewer distinct clusters than nClusters). Default `consoleLogger`. */
  logger?: Logger;
}

/** Mutable tree node used while fitting. */
interface BuildNode {
  center: Float64Array;
  indices: Int32Array | null;
  score: number;
  left: BuildNode | null;
  right: BuildNode | null;
}

/**
 * Bisecting k-means (scikit-learn 1.9's algorithm): starting from one cluster holding every
 * sample, repeatedly split a leaf (chosen by `bisectingStrategy`) with 2-means until there are
 * k leaves. The leaves, numbered in depth-first order (left before right), are the clusters;
 * `predict` descends the tree, going at each split to the nearer of the two child centres.
 */
export class BisectingKMeans {
  readonly options: Readonly<BisectingKMeansOptions>;

  constructor(options: BisectingKMeansOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike, fitOptions: FitOptions = {}): BisectingKMeansModel {
    const m = asMatrix(X);
    const { rows: n, cols: d } = m;
    const o = this.options;
    const k = o.nClusters ?? 8;
    checkNClusters(k, n);
    const init = checkChoice(o.init ?? "random", "init", ["k-means++", "random"]);
    const nInit = checkInt(o.nInit ?? 1, "nInit", 1);
    const maxIter = checkInt(o.maxIter ?? 300, "maxIter", 1);
    const tol = checkNumber(o.tol ?? 1e-4, "tol", { min: 0 });
    const algorithm = checkChoice(o.algorithm ?? "lloyd", "algorithm", ["lloyd", "elkan"]);
    const strategy = checkChoice(o.bisectingStrategy ?? "biggestInertia", "bisectingStrategy", [
      "biggestInertia",
      "largestCluster",
    ]);
    const logger = o.logger ?? consoleLogger;
    const w = checkSampleWeight(fitOptions.sampleWeight, n);
    const rng = new Random(checkNumber(o.seed ?? 0, "seed"));
    const tolAbs = scaledTolerance(m, tol);
    const run = algorithm === "elkan" ? runElkan : runLloyd;

    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    const rootCenter = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) rootCenter[t] += m.data[i * d + t];
    for (let t = 0; t < d; t++) rootCenter[t] /= n;
    const root: BuildNode = { center: rootCenter, indices: all, score: 0, left: null, right: null };

    for (let split = 0; split < k - 1; split++) {
      const leaf = pickLeaf(root);
      const idx = leaf.indices as Int32Array;
      const sub = rowsOf(m, idx);
      const subW = new Float64Array(idx.length);
      for (let r = 0; r < idx.length; r++) subW[r] = w[idx[r]];
      let bestLabels: Int32Array | undefined;
      let bestCenters: Float64Array | undefined;
      let bestInertia = Number.POSITIVE_INFINITY;
      for (let r = 0; r < nInit; r++) {
        const c = initialCenters(sub, 2, init, subW, rng);
        const res = run(sub, subW, c, 2, { maxIter, tol: tolAbs });
        // Small relative slack as scikit-learn (guards against rounding noise between runs).
        if (bestLabels === undefined || res.inertia < bestInertia * (1 - 1e-6)) {
          bestLabels = res.labels;
          bestCenters = res.centers;
          bestInertia = res.inertia;
        }
      }
      const labels = bestLabels as Int32Array;
      const centers = bestCenters as Float64Array;
      const scores = new Float64Array(2);
      if (strategy === "biggestInertia") {
        for (let r = 0; r < idx.length; r++) {
          const l = labels[r];
          scores[l] += sqDist(sub.data, r * d, centers, l * d, d) * subW[r];
        }
      } else {
        for (let r = 0; r < idx.length; r++) scores[labels[r]]++;
      }
      let nLeft = 0;
      for (let r = 0; r < idx.length; r++) if (labels[r] === 0) nLeft++;
      const li = new Int32Array(nLeft);
      const ri = new Int32Array(idx.length - nLeft);
      for (let r = 0, a = 0, b = 0; r < idx.length; r++) {
        if (labels[r] === 0) li[a++] = idx[r];
        else ri[b++] = idx[r];
      }
      leaf.left = { center: centers.slice(0, d), indices: li, score: scores[0], left: null, right: null };
      leaf.right = { center: centers.slice(d, 2 * d), indices: ri, score: scores[1], left: null, right: null };
      leaf.indices = null;
    }

    // Flatten the tree (pre-order) and number the leaves depth-first.
    const tree = flatten(root, d);
    const labels = new Int32Array(n);
    const clusterCenters = new Float64Array(k * d);
    const leafNodes: BuildNode[] = [];
    collectLeaves(root, leafNodes);
    leafNodes.forEach((leaf, c) => {
      const idx = leaf.indices as Int32Array;
      for (let r = 0; r < idx.length; r++) labels[idx[r]] = c;
      clusterCenters.set(leaf.center, c * d);
    });
    const inertia = inertiaOf(m.data, n, d, clusterCenters, labels, w);
    warnDistinct(labels, k, logger);
    return new BisectingKMeansModel({
      labels,
      clusterCenters: { rows: k, cols: d, data: clusterCenters },
      inertia,
      tree,
    });
  }

  /** `fit(X).labels`. */
  fitPredict(X: MatrixLike, fitOptions: FitOptions = {}): Int32Array {
    return this.fit(X, fitOptions).labels;
  }
}

/**
 * The leaf to split: the highest score in depth-first order (first wins ties), as scikit-learn,
 * among leaves with at least two samples (a smaller leaf cannot be split; one always exists
 * while there are fewer than k <= n leaves).
 */
function pickLeaf(root: BuildNode): BuildNode {
  const leaves: BuildNode[] = [];
  collectLeaves(root, leaves);
  let best: BuildNode | undefined;
  for (const leaf of leaves) {
    if ((leaf.indices as Int32Array).length < 2) continue;
    if (best === undefined || leaf.score > best.score) best = leaf;
  }
  return best as BuildNode;
}

function collectLeaves(node: BuildNode, out: BuildNode[]): void {
  if (node.left === null || node.right === null) out.push(node);
  else {
    collectLeaves(node.left, out);
    collectLeaves(node.right, out);
  }
}

function rowsOf(m: Matrix, idx: Int32Array): Matrix {
  const d = m.cols;
  const out = new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(m.data.subarray(idx[r] * d, (idx[r] + 1) * d), r * d);
  return { rows: idx.length, cols: d, data: out };
}

/**
 * The bisection tree in flat arrays, nodes in pre-order (node 0 is the root). For node `p`:
 * `centers[p*d .. p*d+d)` is its centre; `left[p]`/`right[p]` its children (-1 for a leaf);
 * `label[p]` the cluster of a leaf (-1 for an inner node).
 */
export interface BisectingTree {
  centers: Float64Array;
  left: Int32Array;
  right: Int32Array;
  label: Int32Array;
}

function flatten(root: BuildNode, d: number): BisectingTree {
  const nodes: BuildNode[] = [];
  const walk = (node: BuildNode) => {
    nodes.push(node);
    if (node.left && node.right) {
      walk(node.left);
      walk(node.right);
    }
  };
  walk(root);
  const p = nodes.length;
  const tree: BisectingTree = {
    centers: new Float64Array(p * d),
    left: new Int32Array(p).fill(-1),
    right: new Int32Array(p).fill(-1),
    label: new Int32Array(p).fill(-1),
  };
  const pos = new Map<BuildNode, number>();
  for (let i = 0; i < nodes.length; i++) pos.set(nodes[i], i);
  let leaf = 0;
  nodes.forEach((node, i) => {
    tree.centers.set(node.center, i * d);
    if (node.left && node.right) {
      tree.left[i] = pos.get(node.left) as number;
      tree.right[i] = pos.get(node.right) as number;
    } else tree.label[i] = leaf++;
  });
  return tree;
}

/** The fields of a fitted `BisectingKMeansModel`. */
export interface BisectingKMeansModelFields {
  labels: Int32Array;
  clusterCenters: Matrix;
  inertia: number;
  tree: BisectingTree;
}

/** A fitted bisecting k-means model. Immutable. */
export class BisectingKMeansModel implements ClusterModel {
  /** Cluster index of each training sample (leaves numbered depth-first). */
  readonly labels: Int32Array;
  /** Centre of each leaf cluster (k x d). */
  readonly clusterCenters: Matrix;
  /** Weighted sum of squared distances of the training samples to their cluster centre. */
  readonly inertia: number;
  readonly nClusters: number;
  readonly nFeaturesIn: number;
  /** The bisection tree (flat arrays, pre-order). */
  readonly tree: BisectingTree;

  constructor(fields: BisectingKMeansModelFields) {
    this.labels = fields.labels;
    this.clusterCenters = fields.clusterCenters;
    this.inertia = fields.inertia;
    this.tree = fields.tree;
    this.nClusters = fields.clusterCenters.rows;
    this.nFeaturesIn = fields.clusterCenters.cols;
  }

  /**
   * Cluster of each row of X by descending the bisection tree: at each split the sample goes to
   * the nearer child centre (the left one on a tie), as scikit-learn's `predict`.
   */
  predict(X: MatrixLike): Int32Array {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const { rows: n, cols: d, data } = m;
    const { centers, left, right, label } = this.tree;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let p = 0;
      while (left[p] >= 0) {
        const a = left[p];
        const b = right[p];
        p = sqDist(data, i * d, centers, b * d, d) < sqDist(data, i * d, centers, a * d, d) ? b : a;
      }
      out[i] = label[p];
    }
    return out;
  }

  /** Euclidean distance from each row of X to each cluster centre (n x k). */
  transform(X: MatrixLike): Matrix {
    return centerDistances(asMatrix(X, { cols: this.nFeaturesIn }), this.clusterCenters);
  }

  /**
   * Opposite of the (weighted) inertia of X, each sample counted at its nearest cluster centre
   * (as scikit-learn's `score`, which does not descend the tree).
   */
  score(X: MatrixLike, options: FitOptions = {}): number {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const w = checkSampleWeight(options.sampleWeight, m.rows);
    const labels = new Int32Array(m.rows);
    return -assignNearest(m.data, m.rows, m.cols, this.clusterCenters.data, this.nClusters, labels, w);
  }

  toJSON(): ModelJSON {
    return {
      type: "BisectingKMeansModel",
      version: 1,
      nClusters: this.nClusters,
      nFeaturesIn: this.nFeaturesIn,
      clusterCenters: encodeFloats(this.clusterCenters.data),
      labels: Array.from(this.labels),
      inertia: this.inertia,
      tree: {
        centers: encodeFloats(this.tree.centers),
        left: Array.from(this.tree.left),
        right: Array.from(this.tree.right),
        label: Array.from(this.tree.label),
      },
    };
  }

  static fromJSON(json: ModelJSON): BisectingKMeansModel {
    checkModelJSON(json, "BisectingKMeansModel");
    const k = json.nClusters;
    const d = json.nFeaturesIn;
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1)
      throw invalid("model JSON nClusters", k, "must be an integer >= 1");
    if (typeof d !== "number" || !Number.isInteger(d) || d < 1)
      throw invalid("model JSON nFeaturesIn", d, "must be an integer >= 1");
    const centers = decodeFloats(json.clusterCenters, "clusterCenters");
    if (centers.length !== k * d)
      throw new ValidationError(`invalid model JSON: clusterCenters has ${centers.length} values, expected ${k * d}`);
    const t = json.tree as Record<string, unknown> | undefined;
    if (typeof t !== "object" || t === null) throw new ValidationError("invalid model JSON: tree is missing");
    const ints = (a: unknown, name: string) => Int32Array.from(decodeFloats(a, name));
    const tree: BisectingTree = {
      centers: decodeFloats(t.centers, "tree.centers"),
      left: ints(t.left, "tree.left"),
      right: ints(t.right, "tree.right"),
      label: ints(t.label, "tree.label"),
    };
    const p = tree.left.length;
    if (p !== 2 * k - 1 || tree.right.length !== p || tree.label.length !== p || tree.centers.length !== p * d) {
      throw new ValidationError(`invalid model JSON: tree has inconsistent sizes for nClusters=${k}`);
    }
    for (let i = 0; i < p; i++) {
      const inner = tree.left[i] >= 0;
      const ok = inner
        ? tree.left[i] > i && tree.left[i] < p && tree.right[i] > i && tree.right[i] < p
        : tree.right[i] === -1 && tree.label[i] >= 0 && tree.label[i] < k;
      if (!ok) throw new ValidationError(`invalid model JSON: tree node ${i} is malformed`);
    }
    return new BisectingKMeansModel({
      labels: ints(json.labels ?? [], "labels"),
      clusterCenters: { rows: k, cols: d, data: centers },
      inertia: Number(json.inertia),
      tree,
    });
  }
}

registerModel("BisectingKMeansModel", (json) => BisectingKMeansModel.fromJSON(json));
