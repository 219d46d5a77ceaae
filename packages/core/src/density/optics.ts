import { invalid, ValidationError } from "../errors.js";
import type { ClusterModel, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import { type Matrix, type MatrixLike, toRows } from "../matrix.js";
import { bruteKNeighbors } from "../neighbors/bruteNeighbors.js";
import { KDTree } from "../neighbors/kdTree.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { type NeighborAlgorithm, resolveNeighborAlgorithm } from "../neighbors/neighborAlgorithm.js";
import { checkNeighborMetric, clipCosine, type NeighborMetric, unitRows } from "../neighbors/neighborMetric.js";
import { registerModel } from "../serialize.js";
import { asLabels, asMatrix, checkChoice, checkInt } from "../validate.js";
import {
  extractOpticsDBSCAN,
  extractOpticsXi,
  type OpticsCluster,
  type OpticsXiResult,
  resolveOpticsSize,
} from "./opticsExtraction.js";

/** Options for `new OPTICS(options)`. */
export interface OPTICSOptions {
  /**
   * Neighbourhood size for a core sample, the sample itself included: an integer >= 2, or a fraction
   * of the number of samples in (0, 1) (then max(2, floor(f * n))). Default 5.
   */
  minSamples?: number;
  /** Largest neighbourhood radius considered (>= 0); smaller values run faster. Default Infinity. */
  maxEps?: number;
  /** Distance. Default `"euclidean"`. */
  metric?: NeighborMetric;
  /** Neighbour search (see `resolveNeighborAlgorithm`). Default `"auto"`. */
  algorithm?: NeighborAlgorithm;
  /** Leaf size of the k-d tree. Default 32. */
  leafSize?: number;
  /** How `labels` are extracted: `"xi"` (steep areas) or `"dbscan"` (a cut at `eps`). Default `"xi"`. */
  clusterMethod?: "xi" | "dbscan";
  /** Steepness for `"xi"`, in [0, 1). Default 0.05. */
  xi?: number;
  /** Apply the predecessor correction of Schubert & Gertz (2018) in `"xi"`. Default true. */
  predecessorCorrection?: boolean;
  /**
   * Smallest cluster for `"xi"`: an integer >= 2 or a fraction of the samples in (0, 1).
   * Default null (= minSamples).
   */
  minClusterSize?: number | null;
  /** Cut for `"dbscan"` (<= maxEps). Default null (= maxEps). */
  eps?: number | null;
  /** Receives the warning when every reachability is infinite. Default `consoleLogger`. */
  logger?: Logger;
}

/** The OPTICS reachability graph (scikit-learn's `compute_optics_graph`). */
export interface OpticsGraph {
  /** Sample indices in processing order. */
  ordering: Int32Array;
  /** Distance to the minSamples-th neighbour (itself included); Infinity above maxEps. */
  coreDistances: Float64Array;
  /** Reachability distance of each sample (Infinity for the first of each connected region). */
  reachability: Float64Array;
  /** The sample each one was reached from; -1 for starting points. */
  predecessor: Int32Array;
}

/**
 * Ordering points to identify the clustering structure (Ankerst et al., 1999), equal to scikit-learn's
 * `OPTICS` (ordering, reachability, core distances, predecessors, labels):
 * - core distance: distance to the `minSamples`-th nearest sample (itself included), Infinity when above
 *   `maxEps`; rounded like numpy's `around(x, 15)`;
 * - the next sample processed is the unprocessed one with the smallest reachability, ties (also among
 *   Infinity) to the smallest index; processing a core sample p lowers the reachability of each
 *   unprocessed sample o within `maxEps` to `max(d(p, o), core(p))` (rounded the same way) when that is
 *   strictly smaller, and records p as its predecessor.
 *
 * A binary heap keyed by (reachability, index) replaces scikit-learn's linear scan; it selects the same
 * sample. With `maxEps` = Infinity every core sample updates every unprocessed sample: O(n^2) distance
 * evaluations, as in scikit-learn.
 */
export class OPTICS {
  readonly options: Readonly<OPTICSOptions>;

  constructor(options: OPTICSOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): OPTICSModel {
    const o = this.options;
    const {
      maxEps = Number.POSITIVE_INFINITY,
      algorithm = "auto",
      leafSize = 32,
      clusterMethod = "xi",
      xi = 0.05,
      predecessorCorrection = true,
      logger = consoleLogger,
    } = o;
    if (typeof maxEps !== "number" || !(maxEps >= 0)) throw invalid("maxEps", maxEps, "must be a number >= 0");
    const metric = checkNeighborMetric(o.metric ?? "euclidean");
    checkChoice(clusterMethod, "clusterMethod", ["xi", "dbscan"]);
    if (typeof xi !== "number" || !(xi >= 0 && xi < 1)) throw invalid("xi", xi, "must be a number in [0, 1)");
    if (typeof predecessorCorrection !== "boolean") {
      throw invalid("predecessorCorrection", predecessorCorrection, "must be true or false");
    }
    checkInt(leafSize, "leafSize", 1);
    const m = asMatrix(X);
    const n = m.rows;
    const minSamples = resolveOpticsSize(o.minSamples ?? 5, n, "minSamples");
    const minClusterSize =
      o.minClusterSize == null ? minSamples : resolveOpticsSize(o.minClusterSize, n, "minClusterSize");
    let eps = o.eps ?? maxEps;
    if (clusterMethod === "dbscan") {
      if (typeof eps !== "number" || !(eps >= 0)) throw invalid("eps", eps, "must be a number >= 0");
      if (eps > maxEps) throw invalid("eps", eps, `must be <= maxEps (${maxEps})`);
    } else eps = maxEps;
    const method = resolveNeighborAlgorithm(algorithm, metric, m.cols);
    const graph = computeOpticsGraph(m, minSamples, maxEps, metric, method, leafSize);
    if (graph.reachability.every((v) => v === Number.POSITIVE_INFINITY)) {
      logger.warn("all reachability values are Infinity; set a larger maxEps or all data will be noise");
    }
    let labels: Int32Array;
    let clusterHierarchy: OpticsCluster[] = [];
    if (clusterMethod === "xi") {
      const r = extractOpticsXi(
        graph.reachability,
        graph.predecessor,
        graph.ordering,
        minSamples,
        minClusterSize,
        xi,
        predecessorCorrection,
      );
      labels = r.labels;
      clusterHierarchy = r.clusterHierarchy;
    } else {
      labels = extractOpticsDBSCAN(graph.reachability, graph.coreDistances, graph.ordering, eps);
    }
    return new OPTICSModel({
      ...graph,
      labels,
      clusterHierarchy,
      minSamples,
      minClusterSize,
      maxEps,
      metric,
      clusterMethod,
      xi,
      predecessorCorrection,
      eps,
      trainingData: m,
    });
  }
}

/** Constructor fields of `OPTICSModel`. */
export interface OPTICSModelFields extends OpticsGraph {
  labels: Int32Array;
  clusterHierarchy: OpticsCluster[];
  minSamples: number;
  minClusterSize: number;
  maxEps: number;
  metric: NeighborMetric;
  clusterMethod: "xi" | "dbscan";
  xi: number;
  predecessorCorrection: boolean;
  eps: number;
  trainingData: Matrix;
}

/**
 * A fitted OPTICS: the reachability graph, the labels of the chosen extraction, and `extractDBSCAN` /
 * `extractXi` to re-cut the same fit.
 *
 * `predict(X)`: nearest-neighbour label propagation. A new row takes the label of its nearest training
 * row (ties: smaller index), noise (-1) included. The model therefore keeps the training data
 * (`trainingData`, also in its JSON).
 */
export class OPTICSModel implements ClusterModel {
  readonly ordering: Int32Array;
  readonly reachability: Float64Array;
  readonly coreDistances: Float64Array;
  readonly predecessor: Int32Array;
  readonly labels: Int32Array;
  /** Clusters found by `"xi"` (ordering positions, inclusive), smaller first; empty for `"dbscan"`. */
  readonly clusterHierarchy: readonly OpticsCluster[];
  readonly nClusters: number;
  readonly nFeaturesIn: number;
  /** minSamples as an integer (fractions resolved). */
  readonly minSamples: number;
  /** minClusterSize as an integer (default and fractions resolved). */
  readonly minClusterSize: number;
  readonly maxEps: number;
  readonly metric: NeighborMetric;
  readonly clusterMethod: "xi" | "dbscan";
  readonly xi: number;
  readonly predecessorCorrection: boolean;
  /** The cut used by `"dbscan"` (maxEps for `"xi"`). */
  readonly eps: number;
  readonly trainingData: Matrix;

  constructor(f: OPTICSModelFields) {
    this.ordering = f.ordering;
    this.reachability = f.reachability;
    this.coreDistances = f.coreDistances;
    this.predecessor = f.predecessor;
    this.labels = f.labels;
    this.clusterHierarchy = f.clusterHierarchy;
    this.minSamples = f.minSamples;
    this.minClusterSize = f.minClusterSize;
    this.maxEps = f.maxEps;
    this.metric = f.metric;
    this.clusterMethod = f.clusterMethod;
    this.xi = f.xi;
    this.predecessorCorrection = f.predecessorCorrection;
    this.eps = f.eps;
    this.trainingData = f.trainingData;
    this.nFeaturesIn = f.trainingData.cols;
    let max = -1;
    for (let i = 0; i < this.labels.length; i++) if (this.labels[i] > max) max = this.labels[i];
    this.nClusters = max + 1;
  }

  /** DBSCAN-like labels at `eps` (0 <= eps <= maxEps) from this fit (scikit-learn's `cluster_optics_dbscan`). */
  extractDBSCAN(eps: number): Int32Array {
    if (typeof eps !== "number" || !(eps >= 0)) throw invalid("eps", eps, "must be a number >= 0");
    if (eps > this.maxEps) throw invalid("eps", eps, `must be <= maxEps (${this.maxEps})`);
    return extractOpticsDBSCAN(this.reachability, this.coreDistances, this.ordering, eps);
  }

  /**
   * Xi labels and cluster hierarchy from this fit for another `xi` in [0, 1) and optionally another
   * `minClusterSize` (integer >= 2 or fraction in (0, 1); default the fit's).
   */
  extractXi(xi: number, minClusterSize?: number): OpticsXiResult {
    const n = this.ordering.length;
    const size =
      minClusterSize === undefined ? this.minClusterSize : resolveOpticsSize(minClusterSize, n, "minClusterSize");
    return extractOpticsXi(
      this.reachability,
      this.predecessor,
      this.ordering,
      this.minSamples,
      size,
      xi,
      this.predecessorCorrection,
    );
  }

  predict(X: MatrixLike): Int32Array {
    const q = asMatrix(X, { cols: this.nFeaturesIn });
    const { indices } = kNeighbors(this.trainingData, 1, { metric: this.metric, query: q });
    const out = new Int32Array(q.rows);
    for (let i = 0; i < q.rows; i++) out[i] = this.labels[indices[i]];
    return out;
  }

  toJSON(): ModelJSON {
    return {
      type: "OPTICSModel",
      version: 1,
      minSamples: this.minSamples,
      minClusterSize: this.minClusterSize,
      maxEps: encodeInf(this.maxEps),
      metric: this.metric,
      clusterMethod: this.clusterMethod,
      xi: this.xi,
      predecessorCorrection: this.predecessorCorrection,
      eps: encodeInf(this.eps),
      ordering: Array.from(this.ordering),
      reachability: Array.from(this.reachability, encodeInf),
      coreDistances: Array.from(this.coreDistances, encodeInf),
      predecessor: Array.from(this.predecessor),
      labels: Array.from(this.labels),
      clusterHierarchy: this.clusterHierarchy.map(([s, e]) => [s, e]),
      trainingData: toRows(this.trainingData),
    };
  }

  static fromJSON(json: ModelJSON): OPTICSModel {
    if (json.type !== "OPTICSModel" || json.version !== 1) {
      throw new ValidationError(`invalid model JSON: expected OPTICSModel version 1, got ${json.type} ${json.version}`);
    }
    const trainingData = asMatrix(json.trainingData as number[][], { name: "trainingData" });
    const n = trainingData.rows;
    const ordering = asLabels(json.ordering as number[], "ordering");
    const predecessor = asLabels(json.predecessor as number[], "predecessor");
    const labels = asLabels(json.labels as number[]);
    const reachability = decodeInfs(json.reachability, "reachability");
    const coreDistances = decodeInfs(json.coreDistances, "coreDistances");
    for (const [name, a] of [
      ["ordering", ordering],
      ["predecessor", predecessor],
      ["labels", labels],
      ["reachability", reachability],
      ["coreDistances", coreDistances],
    ] as const) {
      if (a.length !== n)
        throw new ValidationError(`invalid model JSON: ${name} has ${a.length} entries, expected ${n}`);
    }
    const hierarchy = json.clusterHierarchy;
    if (!Array.isArray(hierarchy)) throw new ValidationError("invalid model JSON: clusterHierarchy is not an array");
    const clusterMethod = checkChoice(json.clusterMethod as "xi" | "dbscan", "clusterMethod", ["xi", "dbscan"]);
    return new OPTICSModel({
      ordering,
      predecessor,
      labels,
      reachability,
      coreDistances,
      clusterHierarchy: hierarchy.map((c) => [Number(c[0]), Number(c[1])] as const),
      minSamples: checkInt(json.minSamples as number, "minSamples", 2),
      minClusterSize: checkInt(json.minClusterSize as number, "minClusterSize", 2),
      maxEps: decodeInf(json.maxEps, "maxEps"),
      metric: checkNeighborMetric(json.metric as string),
      clusterMethod,
      xi: json.xi as number,
      predecessorCorrection: json.predecessorCorrection === true,
      eps: decodeInf(json.eps, "eps"),
      trainingData,
    });
  }
}

registerModel("OPTICSModel", (json) => OPTICSModel.fromJSON(json));

function encodeInf(v: number): number | null {
  return v === Number.POSITIVE_INFINITY ? null : v;
}

function decodeInf(v: unknown, name: string): number {
  if (v === null) return Number.POSITIVE_INFINITY;
  if (typeof v !== "number") throw new ValidationError(`invalid model JSON: ${name} is not a number`);
  return v;
}

function decodeInfs(a: unknown, name: string): Float64Array {
  if (!Array.isArray(a)) throw new ValidationError(`invalid model JSON: ${name} is not an array`);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = decodeInf(a[i], `${name}[${i}]`);
  return out;
}

/**
 * numpy's `around(x, 15)`: `rint(x * 1e15) / 1e15` with ties to even. scikit-learn rounds core and
 * reachability distances this way, which decides ties in the ordering, so it is reproduced exactly.
 */
export function roundDecimals15(x: number): number {
  if (!Number.isFinite(x)) return x;
  const y = x * 1e15;
  if (Math.abs(y) >= 4503599627370496) return y / 1e15;
  let r = Math.round(y);
  if (r - y === 0.5 && r % 2 !== 0) r -= 1;
  return r / 1e15;
}

/**
 * The OPTICS ordering, core distances, reachability and predecessors for validated input with an
 * integer `minSamples` in [2, n] (see `OPTICS`).
 */
export function computeOpticsGraph(
  X: Matrix,
  minSamples: number,
  maxEps: number,
  metric: NeighborMetric,
  method: "kdtree" | "brute",
  leafSize = 32,
): OpticsGraph {
  const n = X.rows;
  const d = X.cols;
  const k = minSamples;
  const knn =
    method === "brute" ? bruteKNeighbors(X, X, k, metric) : kNeighbors(X, k, { metric, algorithm: "kdtree", leafSize });
  const coreDistances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = knn.distances[i * k + k - 1];
    coreDistances[i] = v > maxEps ? Number.POSITIVE_INFINITY : roundDecimals15(v);
  }
  const reachability = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const predecessor = new Int32Array(n).fill(-1);
  const ordering = new Int32Array(n);
  const processed = new Uint8Array(n);
  const heap = new ReachabilityHeap(n, reachability);

  const cosine = metric === "cosine";
  const manhattan = metric === "manhattan";
  const a = cosine ? unitRows(X) : X.data;
  const finite = maxEps !== Number.POSITIVE_INFINITY;
  const tree =
    finite && method === "kdtree" ? new KDTree(X, { leafSize, metric: manhattan ? "manhattan" : "euclidean" }) : null;
  const hits = tree ? new Int32Array(n) : null;
  const hitDist = tree ? new Float64Array(n) : null;
  const reducedEps = cosine || manhattan ? maxEps : maxEps * maxEps;

  const update = (p: number, o: number, dist: number, core: number) => {
    let rd = Math.max(dist, core);
    rd = roundDecimals15(rd);
    if (rd < reachability[o]) {
      reachability[o] = rd;
      predecessor[o] = p;
      heap.decreaseOrInsert(o);
    }
  };

  let nextFree = 0;
  for (let pos = 0; pos < n; pos++) {
    let p: number;
    if (heap.size > 0) p = heap.popMin();
    else {
      while (processed[nextFree]) nextFree++;
      p = nextFree;
    }
    processed[p] = 1;
    ordering[pos] = p;
    const core = coreDistances[p];
    if (core === Number.POSITIVE_INFINITY) continue;
    if (tree && hits && hitDist) {
      const count = tree.radiusQuery(p, maxEps, hits, hitDist);
      for (let h = 0; h < count; h++) {
        const o = hits[h];
        if (!processed[o]) update(p, o, hitDist[h], core);
      }
      continue;
    }
    const pa = p * d;
    for (let o = 0; o < n; o++) {
      if (processed[o]) continue;
      const ob = o * d;
      let s = 0;
      let dist: number;
      if (cosine) {
        for (let t = 0; t < d; t++) s += a[pa + t] * a[ob + t];
        dist = clipCosine(1 - s);
        if (dist > maxEps) continue;
      } else if (manhattan) {
        for (let t = 0; t < d; t++) s += Math.abs(a[pa + t] - a[ob + t]);
        if (s > reducedEps) continue;
        dist = s;
      } else {
        for (let t = 0; t < d; t++) {
          const diff = a[pa + t] - a[ob + t];
          s += diff * diff;
        }
        if (s > reducedEps) continue;
        dist = Math.sqrt(s);
      }
      update(p, o, dist, core);
    }
  }
  return { ordering, coreDistances, reachability, predecessor };
}

/** An indexed binary min-heap of sample indices keyed by (reachability, index), with decrease-key. */
class ReachabilityHeap {
  size = 0;
  private readonly heap: Int32Array;
  private readonly where: Int32Array;
  private readonly key: Float64Array;

  constructor(n: number, key: Float64Array) {
    this.heap = new Int32Array(n);
    this.where = new Int32Array(n).fill(-1);
    this.key = key;
  }

  private less(i: number, j: number): boolean {
    const a = this.key[i];
    const b = this.key[j];
    return a < b || (a === b && i < j);
  }

  decreaseOrInsert(i: number): void {
    let c = this.where[i];
    if (c < 0) c = this.size++;
    const { heap, where } = this;
    while (c > 0) {
      const par = (c - 1) >> 1;
      const pi = heap[par];
      if (!this.less(i, pi)) break;
      heap[c] = pi;
      where[pi] = c;
      c = par;
    }
    heap[c] = i;
    where[i] = c;
  }

  popMin(): number {
    const { heap, where } = this;
    const top = heap[0];
    where[top] = -1;
    const last = heap[--this.size];
    if (this.size > 0) {
      let c = 0;
      for (;;) {
        let child = 2 * c + 1;
        if (child >= this.size) break;
        if (child + 1 < this.size && this.less(heap[child + 1], heap[child])) child++;
        if (!this.less(heap[child], last)) break;
        heap[c] = heap[child];
        where[heap[c]] = c;
        c = child;
      }
      heap[c] = last;
      where[last] = c;
    }
    return top;
  }
}
