import { invalid, ValidationError } from "../errors.js";
import type { ClusterModel, FitOptions, ModelJSON } from "../estimator.js";
import { type Matrix, type MatrixLike, matrix, toRows } from "../matrix.js";
import { bruteRadiusGraph } from "../neighbors/bruteNeighbors.js";
import { KDTree } from "../neighbors/kdTree.js";
import { KDTREE_MAX_FEATURES } from "../neighbors/neighborAlgorithm.js";
import { checkNeighborMetric, clipCosine, type NeighborMetric, unitRows } from "../neighbors/neighborMetric.js";
import { UniformGrid } from "../neighbors/uniformGrid.js";
import { registerModel } from "../serialize.js";
import { asLabels, asMatrix, checkChoice, checkInt, checkNumber, checkSampleWeight } from "../validate.js";

/** Neighbour search used by DBSCAN (see `DBSCANOptions.algorithm`). */
export type DBSCANAlgorithm = "auto" | "kdtree" | "grid" | "brute";

/** Most features for which `"auto"` (and `"grid"`) use the uniform grid. */
export const GRID_MAX_FEATURES = 3;

/** Options for `new DBSCAN(options)`. */
export interface DBSCANOptions {
  /** Neighbourhood radius: rows at distance <= eps are neighbours (inclusive, as scikit-learn). Must be > 0. Default 0.5. */
  eps?: number;
  /**
   * Neighbourhood size (or total sample weight) for a row to be a core sample, the row itself included
   * (as scikit-learn's `min_samples`). Integer >= 1. Default 5.
   */
  minSamples?: number;
  /** Distance. Default `"euclidean"`. */
  metric?: NeighborMetric;
  /**
   * Neighbour search. `"auto"` (default): cosine -> `"brute"`; at most 3 features -> `"grid"`; at most 15
   * features -> `"kdtree"`; otherwise `"brute"` (in high dimension a tree prunes little). `"grid"` is a
   * uniform grid of cells with diagonal ~eps (`UniformGrid`; needs <= 3 features and a Minkowski metric;
   * when the data would span more than 2^31 cells, or 2^26 along an axis, it uses the k-d tree instead).
   * `"kdtree"` is `KDTree`. `"brute"` is a blocked all-pairs pass (O(n^2) distances). None of the first
   * two ever scans all pairs. All paths apply the same neighbour test (`sum (x_t - y_t)^2 <= eps^2` in
   * feature order for Euclidean, `sum |x_t - y_t| <= eps` for Manhattan) and give identical results.
   */
  algorithm?: DBSCANAlgorithm;
  /** Leaf size of the k-d tree. Default 32. */
  leafSize?: number;
}

/**
 * Density-based spatial clustering of applications with noise (Ester et al., 1996), with scikit-learn's
 * semantics so that labels match `sklearn.cluster.DBSCAN` exactly:
 * - a core sample has total weight >= `minSamples` within distance `eps` (itself included);
 * - clusters are the connected components of core samples (two cores are linked when within `eps`),
 *   numbered in order of their smallest core index;
 * - a non-core sample within `eps` of a core sample is a border sample and joins the lowest-numbered
 *   cluster among its core neighbours (scikit-learn's depth-first expansion, taken cluster by cluster in
 *   that order, assigns it there); every other sample is noise (-1).
 *
 * Permuting the rows leaves the core samples, their partition and the noise set unchanged; a border
 * sample reachable from two clusters may change cluster (cluster numbers follow row order).
 */
export class DBSCAN {
  readonly options: Readonly<DBSCANOptions>;

  constructor(options: DBSCANOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike, fitOptions: FitOptions = {}): DBSCANModel {
    const { eps = 0.5, minSamples = 5, algorithm = "auto", leafSize = 32 } = this.options;
    checkNumber(eps, "eps", { min: 0, minExclusive: true });
    checkInt(minSamples, "minSamples", 1);
    const metric = checkNeighborMetric(this.options.metric ?? "euclidean");
    checkChoice(algorithm, "algorithm", ["auto", "kdtree", "grid", "brute"]);
    checkInt(leafSize, "leafSize", 1);
    const m = asMatrix(X);
    const weights = fitOptions.sampleWeight === undefined ? null : checkSampleWeight(fitOptions.sampleWeight, m.rows);
    const { labels, core } = dbscanLabels(m, eps, minSamples, metric, algorithm, leafSize, weights);
    let nCore = 0;
    for (let i = 0; i < m.rows; i++) nCore += core[i];
    const coreSampleIndices = new Int32Array(nCore);
    for (let i = 0, c = 0; i < m.rows; i++) if (core[i]) coreSampleIndices[c++] = i;
    const d = m.cols;
    const components = new Float64Array(nCore * d);
    for (let c = 0; c < nCore; c++) {
      const base = coreSampleIndices[c] * d;
      for (let t = 0; t < d; t++) components[c * d + t] = m.data[base + t];
    }
    return new DBSCANModel({
      labels,
      coreSampleIndices,
      components: matrix(nCore, d, components),
      eps,
      minSamples,
      metric,
    });
  }
}

/** Constructor fields of `DBSCANModel`. */
export interface DBSCANModelFields {
  labels: Int32Array;
  coreSampleIndices: Int32Array;
  components: Matrix;
  eps: number;
  minSamples: number;
  metric: NeighborMetric;
}

/**
 * A fitted DBSCAN: training labels (-1 noise), the core samples and what `predict` needs.
 *
 * `predict(X)`: a new row joins the cluster of its nearest core sample if that one is within `eps`
 * (ties: the core sample with the smaller index), else it is noise (-1). For a training row this
 * returns its fitted label when it is a core sample; a border row may get a different (equally valid)
 * cluster, since fit gives it the lowest-numbered reachable cluster rather than the nearest.
 */
export class DBSCANModel implements ClusterModel {
  readonly labels: Int32Array;
  /** Indices of the core samples, ascending. */
  readonly coreSampleIndices: Int32Array;
  /** The core samples (rows of X at `coreSampleIndices`). */
  readonly components: Matrix;
  readonly nClusters: number;
  readonly nFeaturesIn: number;
  readonly eps: number;
  readonly minSamples: number;
  readonly metric: NeighborMetric;
  private tree: KDTree | null = null;

  constructor(fields: DBSCANModelFields) {
    this.labels = fields.labels;
    this.coreSampleIndices = fields.coreSampleIndices;
    this.components = fields.components;
    this.eps = fields.eps;
    this.minSamples = fields.minSamples;
    this.metric = fields.metric;
    this.nFeaturesIn = fields.components.cols;
    let max = -1;
    for (let i = 0; i < this.labels.length; i++) if (this.labels[i] > max) max = this.labels[i];
    this.nClusters = max + 1;
  }

  predict(X: MatrixLike): Int32Array {
    const q = asMatrix(X, { cols: this.nFeaturesIn });
    const out = new Int32Array(q.rows).fill(-1);
    const nCore = this.coreSampleIndices.length;
    if (nCore === 0) return out;
    const d = q.cols;
    const coreLabels = new Int32Array(nCore);
    for (let c = 0; c < nCore; c++) coreLabels[c] = this.labels[this.coreSampleIndices[c]];
    if (this.metric === "cosine") {
      const u = unitRows(q);
      const v = unitRows(this.components);
      for (let i = 0; i < q.rows; i++) {
        let best = -1;
        let bestD = Number.POSITIVE_INFINITY;
        for (let c = 0; c < nCore; c++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += u[i * d + t] * v[c * d + t];
          const dist = clipCosine(1 - s);
          if (dist <= this.eps && dist < bestD) {
            bestD = dist;
            best = c;
          }
        }
        if (best >= 0) out[i] = coreLabels[best];
      }
      return out;
    }
    if (!this.tree) this.tree = new KDTree(this.components, { metric: this.metric });
    const tree = this.tree;
    const hits = new Int32Array(nCore);
    const dists = new Float64Array(nCore);
    for (let i = 0; i < q.rows; i++) {
      const count = tree.radiusQuery(q.data.subarray(i * d, (i + 1) * d), this.eps, hits, dists);
      let best = -1;
      let bestD = Number.POSITIVE_INFINITY;
      for (let h = 0; h < count; h++) {
        const c = hits[h];
        if (dists[h] < bestD || (dists[h] === bestD && c < best)) {
          bestD = dists[h];
          best = c;
        }
      }
      if (best >= 0) out[i] = coreLabels[best];
    }
    return out;
  }

  toJSON(): ModelJSON {
    return {
      type: "DBSCANModel",
      version: 1,
      eps: this.eps,
      minSamples: this.minSamples,
      metric: this.metric,
      nFeaturesIn: this.nFeaturesIn,
      labels: Array.from(this.labels),
      coreSampleIndices: Array.from(this.coreSampleIndices),
      components: toRows(this.components),
    };
  }

  static fromJSON(json: ModelJSON): DBSCANModel {
    if (json.type !== "DBSCANModel" || json.version !== 1) {
      throw new ValidationError(`invalid model JSON: expected DBSCANModel version 1, got ${json.type} ${json.version}`);
    }
    const nFeaturesIn = checkInt(json.nFeaturesIn as number, "nFeaturesIn", 1);
    const coreSampleIndices = asLabels(json.coreSampleIndices as number[], "coreSampleIndices");
    const rows = json.components as number[][];
    const components =
      Array.isArray(rows) && rows.length === 0
        ? matrix(0, nFeaturesIn)
        : asMatrix(rows, { name: "components", cols: nFeaturesIn });
    if (components.rows !== coreSampleIndices.length) {
      throw new ValidationError("invalid model JSON: components and coreSampleIndices differ in length");
    }
    return new DBSCANModel({
      labels: asLabels(json.labels as number[]),
      coreSampleIndices,
      components,
      eps: checkNumber(json.eps as number, "eps", { min: 0, minExclusive: true }),
      minSamples: checkInt(json.minSamples as number, "minSamples", 1),
      metric: checkNeighborMetric(json.metric as string),
    });
  }
}

registerModel("DBSCANModel", (json) => DBSCANModel.fromJSON(json));

/** Labels and core flags of DBSCAN on validated input (the work behind `DBSCAN.fit`). */
export function dbscanLabels(
  X: Matrix,
  eps: number,
  minSamples: number,
  metric: NeighborMetric,
  algorithm: DBSCANAlgorithm,
  leafSize: number,
  weights: Float64Array | null,
): { labels: Int32Array; core: Uint8Array } {
  const d = X.cols;
  let method = algorithm;
  if (algorithm === "grid" || algorithm === "kdtree") {
    if (metric === "cosine") throw invalid("algorithm", algorithm, 'cosine distance needs "brute" or "auto"');
    if (algorithm === "grid" && d > GRID_MAX_FEATURES) {
      throw invalid("algorithm", algorithm, `the grid needs at most ${GRID_MAX_FEATURES} features; X has ${d}`);
    }
  }
  if (algorithm === "auto") {
    method =
      metric === "cosine" ? "brute" : d <= GRID_MAX_FEATURES ? "grid" : d <= KDTREE_MAX_FEATURES ? "kdtree" : "brute";
  }
  if (method === "grid") {
    const grid = UniformGrid.build(X, eps);
    if (grid) return gridDBSCAN(grid, eps, minSamples, metric === "manhattan", weights);
    method = "kdtree";
  }
  const n = X.rows;
  if (method === "kdtree") {
    const tree = new KDTree(X, { leafSize, metric: metric === "manhattan" ? "manhattan" : "euclidean" });
    const isCore =
      weights === null
        ? (i: number) => tree.radiusCount(i, eps, minSamples) >= minSamples
        : (i: number, buffer: Int32Array) => {
            const count = tree.radiusQuery(i, eps, buffer);
            let total = 0;
            for (let h = 0; h < count; h++) total += weights[buffer[h]];
            return total >= minSamples;
          };
    // Expansion only needs unlabelled neighbours: labelled rows are marked in the tree, so subtrees
    // already swallowed by a cluster are skipped.
    return expandClusters(
      n,
      isCore,
      (i, buffer) => tree.radiusQueryUnmarked(i, eps, buffer),
      (i) => tree.mark(i),
    );
  }
  const { offsets, neighbors } = bruteRadiusGraph(X, eps, metric);
  return expandClusters(
    n,
    (i) => {
      let total = 0;
      for (let h = offsets[i]; h < offsets[i + 1]; h++) total += weights === null ? 1 : weights[neighbors[h]];
      return total >= minSamples;
    },
    (i, buffer) => {
      const start = offsets[i];
      const count = offsets[i + 1] - start;
      buffer.set(neighbors.subarray(start, start + count));
      return count;
    },
  );
}

/**
 * scikit-learn's cluster expansion from a neighbourhood oracle: `isCore(i, buffer)` is the core test,
 * `neighborsOf(i, buffer)` writes the neighbours of row i (any order; it may leave out rows already
 * labelled, which `onLabel` reports) into `buffer` and returns their count. Clusters start at the unlabelled core samples in index order and grow through core samples;
 * a border sample keeps the first cluster that reaches it.
 */
function expandClusters(
  n: number,
  isCore: (i: number, buffer: Int32Array) => boolean,
  neighborsOf: (i: number, buffer: Int32Array) => number,
  onLabel?: (i: number) => void,
): { labels: Int32Array; core: Uint8Array } {
  const buffer = new Int32Array(n);
  const core = new Uint8Array(n);
  for (let i = 0; i < n; i++) core[i] = isCore(i, buffer) ? 1 : 0;
  const labels = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (!core[i] || labels[i] >= 0) continue;
    const id = next++;
    labels[i] = id;
    onLabel?.(i);
    let top = 0;
    stack[top++] = i;
    while (top > 0) {
      const x = stack[--top];
      const count = neighborsOf(x, buffer);
      for (let h = 0; h < count; h++) {
        const j = buffer[h];
        if (labels[j] >= 0) continue;
        labels[j] = id;
        onLabel?.(j);
        if (core[j]) stack[top++] = j;
      }
    }
  }
  return { labels, core };
}

/**
 * DBSCAN on a uniform grid (cells of diagonal ~eps). Every neighbour decision is the exact
 * reduced-distance test or a bounding-box bound computed with the same rounding, so the result equals
 * the k-d tree and brute-force paths. Shortcuts: a cell whose box fits within eps and holds enough
 * weight makes all its rows core; a neighbour cell entirely within (or beyond) eps of a row is counted
 * (or skipped) whole; core counting stops at minSamples; expansion skips cells with no unlabelled row.
 */
function gridDBSCAN(
  grid: UniformGrid,
  eps: number,
  minSamples: number,
  manhattan: boolean,
  weights: Float64Array | null,
): { labels: Int32Array; core: Uint8Array } {
  const { points, cellStart, cellOf, order, position, lower, upper } = grid;
  const n = grid.rows;
  const d = grid.cols;
  const cells = grid.cellCount;
  const rr = manhattan ? eps : eps * eps;
  let w: Float64Array | null = null;
  const cellWeight = new Float64Array(cells);
  if (weights) {
    w = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      w[s] = weights[order[s]];
      cellWeight[cellOf[s]] += w[s];
    }
  } else for (let c = 0; c < cells; c++) cellWeight[c] = cellStart[c + 1] - cellStart[c];

  const within = (s: number, t: number): boolean => {
    const a = s * d;
    const b = t * d;
    let acc = 0;
    if (manhattan) for (let k = 0; k < d; k++) acc += Math.abs(points[a + k] - points[b + k]);
    else
      for (let k = 0; k < d; k++) {
        const diff = points[a + k] - points[b + k];
        acc += diff * diff;
      }
    return acc <= rr;
  };
  // reduced distance bounds between row s and the box of cell c (same subtractions as `within`)
  const minToCell = (s: number, c: number): number => {
    let acc = 0;
    for (let k = 0; k < d; k++) {
      const v = points[s * d + k];
      const lo = lower[c * d + k];
      const hi = upper[c * d + k];
      const g = v < lo ? lo - v : v > hi ? v - hi : 0;
      acc += manhattan ? g : g * g;
    }
    return acc;
  };
  const maxToCell = (s: number, c: number): number => {
    let acc = 0;
    for (let k = 0; k < d; k++) {
      const v = points[s * d + k];
      const a = Math.abs(v - lower[c * d + k]);
      const b = Math.abs(v - upper[c * d + k]);
      const g = Math.max(a, b);
      acc += manhattan ? g : g * g;
    }
    return acc;
  };

  // 1. core samples
  const core = new Uint8Array(n);
  const nb = new Int32Array(grid.stencilSize);
  for (let c = 0; c < cells; c++) {
    const start = cellStart[c];
    const end = cellStart[c + 1];
    if (cellWeight[c] >= minSamples) {
      // the box diagonal bounds every pair inside the cell
      let diag = 0;
      for (let k = 0; k < d; k++) {
        const g = upper[c * d + k] - lower[c * d + k];
        diag += manhattan ? g : g * g;
      }
      if (diag <= rr) {
        for (let s = start; s < end; s++) core[s] = 1;
        continue;
      }
    }
    const count = grid.neighborCells(c, nb);
    for (let s = start; s < end; s++) {
      let total = 0;
      for (let h = 0; h < count && total < minSamples; h++) {
        const q = nb[h];
        if (minToCell(s, q) > rr) continue;
        if (maxToCell(s, q) <= rr) {
          total += cellWeight[q];
          continue;
        }
        const qEnd = cellStart[q + 1];
        for (let t = cellStart[q]; t < qEnd; t++) {
          if (within(s, t)) {
            total += w === null ? 1 : w[t];
            if (total >= minSamples) break;
          }
        }
      }
      if (total >= minSamples) core[s] = 1;
    }
  }

  // 2. expand clusters from core samples in index order
  const labels = new Int32Array(n).fill(-1);
  const unlabelled = new Int32Array(cells);
  for (let c = 0; c < cells; c++) unlabelled[c] = cellStart[c + 1] - cellStart[c];
  const stack = new Int32Array(n);
  const settled = new Uint8Array(cells);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const seed = position[i];
    if (!core[seed] || labels[seed] >= 0) continue;
    const id = next++;
    labels[seed] = id;
    unlabelled[cellOf[seed]]--;
    let top = 0;
    stack[top++] = seed;
    let cached = -1;
    let count = 0;
    while (top > 0) {
      const x = stack[--top];
      const cell = cellOf[x];
      if (settled[cell]) continue;
      // rows are pushed cell by cell, so consecutive pops usually share a cell and its neighbour list
      if (cell !== cached) {
        cached = cell;
        count = grid.neighborCells(cell, nb);
      }
      let open = false;
      for (let h = 0; h < count; h++) {
        const q = nb[h];
        if (unlabelled[q] === 0) continue;
        open = true;
        if (minToCell(x, q) > rr) continue;
        const whole = maxToCell(x, q) <= rr;
        const qEnd = cellStart[q + 1];
        for (let t = cellStart[q]; t < qEnd; t++) {
          if (labels[t] >= 0 || !(whole || within(x, t))) continue;
          labels[t] = id;
          unlabelled[q]--;
          if (core[t]) stack[top++] = t;
        }
      }
      // no unlabelled row left around this cell: later rows of the cell have nothing to expand
      if (!open) settled[cell] = 1;
    }
  }

  const labelsOut = new Int32Array(n);
  const coreOut = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    labelsOut[order[s]] = labels[s];
    coreOut[order[s]] = core[s];
  }
  return { labels: labelsOut, core: coreOut };
}
