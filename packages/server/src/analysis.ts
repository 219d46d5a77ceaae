/**
 * The views of the dashboard, computed in the worker threads from the scaled features and a
 * clustering: metrics, the PCA scatter, the silhouette plot, profiles, the dendrogram, the OPTICS
 * reachability plot, the HDBSCAN condensed tree, and the clustermap. Pure functions.
 */
import {
  type CondensedTree,
  calinskiHarabaszScore,
  daviesBouldinScore,
  dendrogramLayout,
  type LinkageMatrix,
  linkage,
  type Matrix,
  MinMaxScaler,
  memoryLogger,
  PCA,
  Random,
  RobustScaler,
  StandardScaler,
  silhouetteSamples,
} from "@clusterlab/core";
import {
  type FitResult,
  type HdbscanStructure,
  type LinkageStructure,
  labelsFromStructure,
  type OpticsStructure,
  type Structure,
  type StructureAlgorithm,
} from "./algorithms.js";
import {
  type Algorithm,
  type ClusterMetricsResult,
  type ClustermapNormalization,
  type ClusterParams,
  type CondensedClusterResult,
  type CondensedTreeResult,
  type DendrogramLinks,
  type DendrogramResult,
  K_ALGORITHMS,
  type ProfileResult,
  type ProjectionResult,
  type ReachabilityResult,
  type Scaling,
  type SilhouettePlotResult,
} from "./api.js";
import { preprocessedSpace, type SpaceSpec } from "./preprocess.js";
import { shareFloat, shareInt, shareMatrix } from "./shared.js";

/** Most points sent to the page for the scatter plot (a seeded sample above). */
export const MAX_DISPLAY_POINTS = 20_000;
/** Up to this many clustered rows the silhouette is exact; above, it is computed on a seeded sample of this size. */
export const SILHOUETTE_EXACT_MAX = 5_000;
/** Most points drawn in the silhouette plot (every n-th of each cluster's sorted values: the 320 px plot looks the same, and redraws faster). */
export const SILHOUETTE_PLOT_MAX = 1_500;
/** Leaves kept in the dendrogram (scipy's truncate_mode="lastp"). */
export const DENDROGRAM_LEAVES = 30;
/** Merge heights sent with a dendrogram (to show the k of a cut while it is dragged). */
export const DENDROGRAM_TOP_HEIGHTS = 60;
/** Most bars of the reachability plot; above, blocks of consecutive rows are merged into one bar. */
export const REACHABILITY_MAX_BARS = 3_000;
/** Most clusters drawn in the condensed tree (the largest). */
export const CONDENSED_MAX_CLUSTERS = 300;

/**
 * Most rows per algorithm where time or memory grow with n^2 (agglomerative per linkage: ward and
 * single keep O(n) memory through the nearest-neighbour chain / minimum spanning tree; complete and
 * average need the n(n-1)/2 distance matrix). HDBSCAN has no limit on at most 15 features with
 * Euclidean or Manhattan distance (Boruvka on a k-d tree); otherwise it needs Prim's O(n^2).
 */
export const ROW_LIMITS: Record<string, number> = {
  "agglomerative-ward": 20_000,
  "agglomerative-single": 20_000,
  "agglomerative-complete": 10_000,
  "agglomerative-average": 10_000,
  kmedoids: 5_000,
  "affinity-propagation": 3_000,
  meanshift: 20_000,
  "spectral-rbf": 5_000,
  "spectral-nearestNeighbors": 20_000,
  "hdbscan-prim": 20_000,
};

/** Largest number of rows agglomerative clustering accepts (ward and single linkage). */
export const AGGLOMERATIVE_MAX_ROWS = ROW_LIMITS["agglomerative-ward"];

/** The row limit that applies to a request, as [name, limit], or null. */
export function rowLimit(algorithm: Algorithm, params: ClusterParams, nFeatures: number): [string, number] | null {
  let key: string;
  switch (algorithm) {
    case "agglomerative":
      key = `agglomerative-${params.linkage ?? "ward"}`;
      break;
    case "spectral":
      key = `spectral-${params.affinity ?? "rbf"}`;
      break;
    case "hdbscan":
      if (nFeatures <= 15 && params.metric !== "cosine") return null;
      key = "hdbscan-prim";
      break;
    default:
      key = algorithm;
  }
  const limit = ROW_LIMITS[key];
  return limit === undefined ? null : [key, limit];
}

// ---------------------------------------------------------------------------------------------
// Preparation: scaling, PCA and the displayed sample, computed once per features and cached.

/** The displayed points and the PCA that places them (and the cluster means). */
export interface Display {
  /** Matrix rows shown (all, or a seeded sample), increasing. */
  rows: Int32Array;
  x: Float64Array;
  y: Float64Array;
  explainedVarianceRatio: number[];
  /** PCA mean and components (nComponents x d) to project cluster means. */
  mean: Float64Array;
  components: Float64Array;
  nComponents: number;
}

export interface Prepared {
  Xs: Matrix;
  display: Display;
  /** Names of Xs's columns when they are not the request's features (`PC1`, ... after a PCA; see preprocess.ts). */
  spaceColumns?: string[] | null;
  /** Share of the variance the preprocessing's PCA keeps (null without it). */
  spaceExplained?: number | null;
}

/** Scales X as asked (a new matrix; X itself for "none"). */
export function scale(X: Matrix, scaling: Scaling): Matrix {
  switch (scaling) {
    case "standard":
      return new StandardScaler().fit(X).transform(X);
    case "minmax":
      return new MinMaxScaler().fit(X).transform(X);
    case "robust":
      return new RobustScaler().fit(X).transform(X);
    case "none":
      return X;
  }
}

/** Rows [0, n) or a seeded sample of `max` of them, in increasing order. */
export function sampleRows(n: number, max: number, seed: number): Int32Array {
  if (n <= max) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  return new Random(seed).sampleWithoutReplacement(n, max).sort();
}

export function takeRows(X: Matrix, rows: ArrayLike<number>): Matrix {
  const d = X.cols;
  const data = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) data.set(X.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return { rows: rows.length, cols: d, data };
}

/**
 * Scales the features and places the displayed rows on their first two principal components. With
 * `space` (preprocessed features, see preprocess.ts) only the numeric columns are scaled and the
 * PCA of `preprocess.pca` follows.
 */
export function prepare(X: Matrix, scaling: Scaling, seed: number, space?: SpaceSpec): Prepared {
  const pre = space ? preprocessedSpace(X, space, (m) => scale(m, scaling)) : null;
  const Xs = pre ? pre.Xs : scale(X, scaling);
  const n = Xs.rows;
  const nComponents = Math.min(2, Xs.cols, n);
  const pca = new PCA({ nComponents, logger: memoryLogger() }).fit(Xs);
  const rows = sampleRows(n, MAX_DISPLAY_POINTS, seed);
  const coords = pca.transform(takeRows(Xs, rows));
  const c = coords.cols;
  const x = new Float64Array(rows.length);
  const y = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    x[r] = coords.data[r * c];
    y[r] = c > 1 ? coords.data[r * c + 1] : 0;
  }
  const ratio = Array.from(pca.explainedVarianceRatio);
  while (ratio.length < 2) ratio.push(0);
  return {
    Xs: shareMatrix(Xs),
    spaceColumns: pre?.columns ?? null,
    spaceExplained: pre?.explained ?? null,
    display: {
      rows: shareInt(rows),
      x: shareFloat(x),
      y: shareFloat(y),
      explainedVarianceRatio: ratio,
      mean: Float64Array.from(pca.mean),
      components: Float64Array.from(pca.components.data),
      nComponents: c,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Views

/** Where a view task's labels come from. */
export type LabelSource =
  | { kind: "fit"; fit: FitResult; precomputed: boolean }
  | { kind: "structure"; structure: Structure };

/** A view task: everything the views of one clustering need. */
export interface ViewJob {
  X: Matrix;
  Xs: Matrix;
  columns: string[];
  display: Display;
  seed: number;
  algorithm: Algorithm;
  params: ClusterParams;
  source: LabelSource;
  /** Send the displayed points' coordinates and values (false when the client has them). */
  withGeometry: boolean;
}

/** What a view task computes (the request-level fields are added by the server). */
export interface ViewOutput {
  k: number;
  sizes: number[];
  nNoise: number;
  labels: Int32Array;
  metrics: ClusterMetricsResult;
  projection: Omit<ProjectionResult, "geometryId" | "geometryOmitted">;
  silhouette: SilhouettePlotResult | null;
  profile: ProfileResult;
  dendrogram: DendrogramResult | null;
  reachability: ReachabilityResult | null;
  condensedTree: CondensedTreeResult | null;
  /** Parameters worked out on the way (the eps used when none was given). */
  resolved: Partial<ClusterParams>;
  warnings: string[];
}

function finiteOrNull(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}

/** Per-cluster means of the rows of X (NaN for an empty cluster); noise (-1) left out. */
function clusterMeans(X: Matrix, labels: Int32Array, k: number, sizes: number[]): Float64Array {
  const d = X.cols;
  const sums = new Float64Array(k * d);
  for (let i = 0; i < X.rows; i++) {
    const c = labels[i];
    if (c < 0) continue;
    for (let j = 0; j < d; j++) sums[c * d + j] += X.data[i * d + j];
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) sums[c * d + j] = sizes[c] > 0 ? sums[c * d + j] / sizes[c] : Number.NaN;
  }
  return sums;
}

function profile(X: Matrix, labels: Int32Array, k: number, sizes: number[], columns: string[]): ProfileResult {
  const n = X.rows;
  const d = X.cols;
  const means = clusterMeans(X, labels, k, sizes);
  const overallMean = new Array<number>(d).fill(0);
  const overallStd = new Array<number>(d).fill(0);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X.data[i * d + j];
    const m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (X.data[i * d + j] - m) ** 2;
    overallMean[j] = m;
    overallStd[j] = Math.sqrt(ss / n);
  }
  const rows: number[][] = [];
  const z: number[][] = [];
  for (let c = 0; c < k; c++) {
    const r: number[] = [];
    const zr: number[] = [];
    for (let j = 0; j < d; j++) {
      const v = means[c * d + j];
      r.push(v);
      zr.push(overallStd[j] > 0 && Number.isFinite(v) ? (v - overallMean[j]) / overallStd[j] : 0);
    }
    rows.push(r);
    z.push(zr);
  }
  return { columns, means: rows, z, overallMean, overallStd };
}

function projection(
  X: Matrix,
  Xs: Matrix,
  display: Display,
  labels: Int32Array,
  probability: Float64Array | null,
  k: number,
  sizes: number[],
  withGeometry: boolean,
): ViewOutput["projection"] {
  const { rows } = display;
  const d = X.cols;
  const label: number[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) label[r] = labels[rows[r]];
  const centres = clusterMeans(Xs, labels, k, sizes);
  const cx: (number | null)[] = new Array(k).fill(null);
  const cy: (number | null)[] = new Array(k).fill(null);
  const ds = Xs.cols;
  for (let c = 0; c < k; c++) {
    if (sizes[c] === 0) continue;
    const coords = [0, 0];
    for (let j = 0; j < display.nComponents; j++) {
      let s = 0;
      for (let f = 0; f < ds; f++) s += (centres[c * ds + f] - display.mean[f]) * display.components[j * ds + f];
      coords[j] = s;
    }
    cx[c] = coords[0];
    cy[c] = coords[1];
  }
  const values: number[][] = [];
  if (withGeometry) {
    for (let r = 0; r < rows.length; r++) values.push(Array.from(X.data.subarray(rows[r] * d, rows[r] * d + d)));
  }
  return {
    explainedVarianceRatio: display.explainedVarianceRatio,
    x: withGeometry ? Array.from(display.x) : [],
    y: withGeometry ? Array.from(display.y) : [],
    label,
    probability: probability ? Array.from(rows, (r) => Math.round(probability[r] * 1000) / 1000) : null,
    row: withGeometry ? Array.from(rows) : [],
    values,
    sampled: rows.length < X.rows,
    centroids: { x: cx, y: cy },
  };
}

/** Silhouette score and the per-cluster plot data, on the clustered (non-noise) rows; a seeded sample for large n. */
function silhouette(
  Xs: Matrix,
  labels: Int32Array,
  k: number,
  seed: number,
  warnings: string[],
): { score: number | null; plot: SilhouettePlotResult | null } {
  const clustered: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) clustered.push(i);
  const pick = sampleRows(clustered.length, SILHOUETTE_EXACT_MAX, seed + 1);
  const rows = Array.from(pick, (p) => clustered[p]);
  const sub = rows.length === Xs.rows ? Xs : takeRows(Xs, rows);
  const lab = rows.length === Xs.rows ? labels : Int32Array.from(rows, (r) => labels[r]);
  const distinct = new Set(lab).size;
  if (distinct < 2 || distinct > lab.length - 1) {
    warnings.push(`silhouette not computed: it needs 2 to n-1 non-empty clusters (got ${distinct})`);
    return { score: null, plot: null };
  }
  const values = silhouetteSamples(sub, lab);
  let total = 0;
  for (const v of values) total += v;
  const score = total / values.length;
  // The plot shows at most SILHOUETTE_PLOT_MAX values: every `step`-th of each cluster's sorted values.
  const perCluster: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < lab.length; i++) perCluster[lab[i]].push(values[i]);
  const means = perCluster.map((vs) => (vs.length > 0 ? vs.reduce((a, b) => a + b, 0) / vs.length : null));
  const step = Math.max(1, Math.ceil(lab.length / SILHOUETTE_PLOT_MAX));
  const plotted = perCluster.map((vs) => {
    vs.sort((a, b) => b - a);
    return step === 1 ? vs : vs.filter((_, i) => i % step === 0);
  });
  return { score, plot: { sampleSize: lab.length, perCluster: plotted, clusterMeans: means } };
}

/** The node id of one observation under `node` in a scipy linkage matrix. */
function anyLeaf(Z: LinkageMatrix, n: number, node: number): number {
  while (node >= n) node = Z.data[(node - n) * 4];
  return node;
}

function dendrogram(Z: LinkageMatrix, labels: Int32Array, k: number, threshold: number | null): DendrogramResult {
  const n = Z.rows + 1;
  const heights = Array.from({ length: Z.rows }, (_, r) => Z.data[r * 4 + 2]);
  const sorted = [...heights].sort((a, b) => a - b);
  // Cut into k: between the (n-k)-th and (n-k+1)-th lowest merge.
  let cutHeight: number;
  if (threshold !== null) cutHeight = threshold;
  else {
    const below = n - k - 1 >= 0 ? sorted[n - k - 1] : 0;
    const above = sorted[Math.min(n - k, sorted.length - 1)];
    cutHeight = (below + above) / 2;
  }
  const palette = Array.from({ length: Math.max(k, 1) + 1 }, (_, i) => `c${i}`);
  const layout = dendrogramLayout(Z, {
    truncateMode: "lastp",
    p: DENDROGRAM_LEAVES,
    colorThreshold: cutHeight,
    palette,
    aboveThresholdColor: "above",
    countSort: false,
    distanceSort: false,
    labels: Array.from({ length: n }, (_, i) => String(i)),
  });
  const leafClusters = layout.leaves.map((node) => labels[anyLeaf(Z, n, node)]);
  const colourToCluster = new Map<string, number>();
  layout.leavesColorList.forEach((colour, i) => {
    if (colour !== null && colour !== "above") colourToCluster.set(colour, leafClusters[i]);
  });
  const linkClusters = layout.colorList.map((colour) => colourToCluster.get(colour) ?? -1);
  return {
    icoord: layout.icoord,
    dcoord: layout.dcoord,
    ivl: layout.ivl,
    leafClusters,
    linkClusters,
    cutHeight,
    cutBy: threshold !== null ? "height" : "k",
    topHeights: sorted.slice(-DENDROGRAM_TOP_HEIGHTS).reverse(),
  };
}

function reachabilityView(s: OpticsStructure, labels: Int32Array, eps: number | null): ReachabilityResult {
  const n = s.ordering.length;
  const binSize = n <= REACHABILITY_MAX_BARS ? 1 : Math.ceil(n / (REACHABILITY_MAX_BARS * 0.66));
  const reach: (number | null)[] = [];
  const barLabels: number[] = [];
  let maxFinite = 0;
  let minCore = Number.POSITIVE_INFINITY;
  let maxCore = 0;
  for (let i = 0; i < n; i++) {
    const r = s.reachability[i];
    if (Number.isFinite(r)) maxFinite = Math.max(maxFinite, r);
    const c = s.coreDistances[i];
    if (Number.isFinite(c)) {
      minCore = Math.min(minCore, c);
      maxCore = Math.max(maxCore, c);
    }
  }
  const counts = new Map<number, number>();
  for (let start = 0; start < n; start += binSize) {
    const end = Math.min(n, start + binSize);
    let top = 0;
    let infinite = false;
    counts.clear();
    for (let i = start; i < end; i++) {
      const row = s.ordering[i];
      const r = s.reachability[row];
      if (!Number.isFinite(r)) infinite = true;
      else top = Math.max(top, r);
      const c = labels[row];
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let best = -1;
    let bestCount = -1;
    for (const [c, count] of counts) {
      // The most common cluster; noise only when the block holds nothing else.
      const score = c < 0 ? count - binSize : count;
      if (score > bestCount) {
        best = c;
        bestCount = score;
      }
    }
    // An infinite reachability starts a region: the bar is drawn as a wall (null).
    reach.push(infinite ? null : Math.round(top * 1e6) / 1e6);
    barLabels.push(best);
  }
  if (!Number.isFinite(minCore)) minCore = 0;
  const hi = Number.isFinite(s.maxEps) ? s.maxEps : Math.max(maxFinite, maxCore) * 1.1 || 1;
  const lo = Math.min(minCore, hi / 100);
  return {
    reachability: reach,
    labels: barLabels,
    binSize,
    eps,
    epsRange: [lo, hi],
    suggestedEps: s.suggestedEps,
    maxEps: Number.isFinite(s.maxEps) ? s.maxEps : null,
    minSamples: s.minSamples,
  };
}

/**
 * The condensed tree as icicles: each cluster is a polygon centred on its slot, as wide as the rows
 * still in it at each lambda (rows fall out as lambda grows), children placed under their parent.
 */
export function condensedTreeView(
  tree: CondensedTree,
  n: number,
  selected: Int32Array | null,
  selectedStability: Float64Array | null,
  cutRange: [number, number],
  suggestedCut: number,
  cut: number | null,
): CondensedTreeResult {
  const m = tree.parent.length;
  let maxId = n;
  let maxLambda = 0;
  for (let r = 0; r < m; r++) {
    maxId = Math.max(maxId, tree.parent[r], tree.child[r]);
    const l = tree.lambdaVal[r];
    if (Number.isFinite(l)) maxLambda = Math.max(maxLambda, l);
  }
  if (maxLambda <= 0) maxLambda = 1;
  const count = maxId - n + 1;
  const birth = new Float64Array(count);
  const death = new Float64Array(count);
  const size = new Float64Array(count);
  const parent = new Int32Array(count).fill(-1);
  const stability = new Float64Array(count);
  const events: { lambda: number; size: number }[][] = Array.from({ length: count }, () => []);
  const children: number[][] = Array.from({ length: count }, () => []);
  size[0] = n;
  const cap = (l: number) => (Number.isFinite(l) ? l : maxLambda);
  for (let r = 0; r < m; r++) {
    const p = tree.parent[r] - n;
    const c = tree.child[r];
    const l = cap(tree.lambdaVal[r]);
    const s = tree.childSize[r];
    if (c >= n) {
      const ci = c - n;
      birth[ci] = l;
      size[ci] = s;
      parent[ci] = p;
      children[p].push(ci);
    }
    events[p].push({ lambda: l, size: s });
    death[p] = Math.max(death[p], l);
  }
  for (let c = 0; c < count; c++) {
    for (const e of events[c]) stability[c] += (e.lambda - birth[c]) * e.size;
    if (death[c] <= birth[c]) death[c] = birth[c] + maxLambda * 0.005;
  }
  const labelOf = new Map<number, number>();
  if (selected) {
    selected.forEach((id, label) => {
      labelOf.set(id - n, label);
    });
  }
  // The largest clusters (a parent is never smaller than its child, and comes first on a tie).
  const order = Array.from({ length: count }, (_, i) => i).filter((i) => i === 0 || parent[i] >= 0);
  order.sort((a, b) => size[b] - size[a] || a - b);
  const drawn = new Set(order.slice(0, CONDENSED_MAX_CLUSTERS));
  // Slots: the root spans [0, n); the children of a cluster share its slot, centred, left to right.
  const x0 = new Float64Array(count);
  const queue = [0];
  for (let head = 0; head < queue.length; head++) {
    const c = queue[head];
    const kids = children[c].filter((k) => drawn.has(k));
    const total = kids.reduce((a, k) => a + size[k], 0);
    let start = x0[c] + (size[c] - total) / 2;
    for (const k of kids) {
      x0[k] = start;
      start += size[k];
      queue.push(k);
    }
  }
  const clusters: CondensedClusterResult[] = [];
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  for (const c of queue) {
    const evs = events[c].sort((a, b) => a.lambda - b.lambda);
    // Widths over at most 24 steps between birth and death: rows leave at each event.
    const steps = Math.min(24, Math.max(1, evs.length));
    const bounds: number[] = [birth[c]];
    for (let s = 1; s < steps; s++) bounds.push(evs[Math.floor((s * evs.length) / steps)].lambda);
    bounds.push(death[c]);
    const widths: number[] = [];
    let e = 0;
    let removed = 0;
    for (let s = 0; s < bounds.length - 1; s++) {
      // Rows that left strictly before this step's start (the split at death keeps its rows until the end).
      while (e < evs.length && evs[e].lambda < bounds[s] && evs[e].lambda < death[c]) removed += evs[e++].size;
      widths.push(Math.max(size[c] - removed, Math.min(size[c], 1)));
    }
    const centre = x0[c] + size[c] / 2;
    const left: [number, number][] = [];
    for (let s = 0; s < widths.length; s++) {
      left.push([centre - widths[s] / 2, bounds[s]]);
      left.push([centre - widths[s] / 2, bounds[s + 1]]);
    }
    const right = left.map(([x, y]) => [2 * centre - x, y] as [number, number]).reverse();
    const polygon = [...left, ...right, left[0]];
    clusters.push({
      id: c + n,
      parent: parent[c] >= 0 ? parent[c] + n : -1,
      birth: round(birth[c]),
      death: round(death[c]),
      size: size[c],
      stability: round(labelOf.has(c) && selectedStability ? selectedStability[labelOf.get(c)!] : stability[c]),
      label: labelOf.get(c) ?? -1,
      polygonX: polygon.map((p) => round(p[0])),
      polygonY: polygon.map((p) => round(p[1])),
      x: round(centre),
    });
  }
  return {
    clusters,
    maxLambda,
    width: n,
    truncated: drawn.size < order.length,
    cutRange,
    suggestedCut,
    cut,
  };
}

function score(compute: () => number, name: string, warnings: string[]): number | null {
  try {
    return finiteOrNull(compute());
  } catch (error) {
    warnings.push(`${name} not computed: ${(error as Error).message}`);
    return null;
  }
}

/** Reads the labels off the job's source and computes every view of the dashboard. */
export function runViewJob(job: ViewJob): ViewOutput {
  const { X, Xs, columns, seed, params, algorithm } = job;
  const n = X.rows;
  const warnings: string[] = [];
  const resolved: Partial<ClusterParams> = {};
  let labels: Int32Array;
  let probability: Float64Array | null = null;
  let inertia: number | null = null;
  let bic: number | null = null;
  let condensed: ReturnType<typeof labelsFromStructure>["condensed"];
  if (job.source.kind === "fit") {
    const fit = job.source.fit;
    labels = fit.labels;
    probability = fit.probability;
    inertia = fit.inertia;
    bic = fit.bic;
    warnings.push(...fit.warnings);
  } else {
    const out = labelsFromStructure(job.source.structure, params, algorithm as StructureAlgorithm);
    labels = out.labels;
    probability = out.probability;
    condensed = out.condensed;
    if (out.eps !== undefined) resolved.eps = out.eps;
  }
  let maxLabel = -1;
  for (const c of labels) if (c > maxLabel) maxLabel = c;
  const cutByHeight = algorithm === "agglomerative" && params.distanceThreshold != null;
  const k = K_ALGORITHMS.includes(algorithm) && !cutByHeight ? Math.max(params.k ?? 0, maxLabel + 1) : maxLabel + 1;
  const sizes = new Array<number>(k).fill(0);
  let nNoise = 0;
  for (const c of labels) {
    if (c >= 0) sizes[c]++;
    else nNoise++;
  }
  const nonEmpty = sizes.filter((s) => s > 0).length;
  if (nonEmpty < k) warnings.push(`${k - nonEmpty} of the ${k} clusters are empty`);
  if (k === 0) warnings.push("no clusters found: every row is noise (try a larger eps or a smaller min samples)");
  else if (k === 1) warnings.push("a single cluster: the scores need at least two");
  const clusteredRows = n - nNoise;
  const scorable = nonEmpty >= 2 && nonEmpty <= clusteredRows - 1;
  const sil = scorable ? silhouette(Xs, labels, k, seed, warnings) : { score: null, plot: null };
  let Xc = Xs;
  let labc = labels;
  if (nNoise > 0 && scorable) {
    const keep: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] >= 0) keep.push(i);
    Xc = takeRows(Xs, keep);
    labc = Int32Array.from(keep, (i) => labels[i]);
  }
  const metrics: ClusterMetricsResult = {
    silhouette: sil.score,
    calinskiHarabasz: scorable ? score(() => calinskiHarabaszScore(Xc, labc), "calinski-harabasz", warnings) : null,
    daviesBouldin: scorable ? score(() => daviesBouldinScore(Xc, labc), "davies-bouldin", warnings) : null,
    inertia: finiteOrNull(inertia),
    bic: finiteOrNull(bic),
  };
  let dendro: DendrogramResult | null = null;
  let reach: ReachabilityResult | null = null;
  let ctree: CondensedTreeResult | null = null;
  if (job.source.kind === "structure") {
    const s = job.source.structure;
    if (s.kind === "linkage" && n > 1 && (cutByHeight || n > k)) {
      const Z = { rows: n - 1, cols: 4, data: (s as LinkageStructure).Z };
      dendro = dendrogram(Z, labels, k, cutByHeight ? (params.distanceThreshold as number) : null);
    } else if (s.kind === "optics") {
      reach = reachabilityView(s, labels, algorithm === "dbscan" ? (resolved.eps ?? null) : null);
    } else if (s.kind === "hdbscan" && condensed) {
      const h = s as HdbscanStructure;
      ctree = condensedTreeView(
        condensed.tree,
        n,
        condensed.selected,
        condensed.stability,
        h.cutRange,
        h.suggestedCut,
        resolved.eps ?? null,
      );
    }
  }
  return {
    k,
    sizes,
    nNoise,
    labels,
    metrics,
    projection: projection(X, Xs, job.display, labels, probability, k, sizes, job.withGeometry),
    silhouette: sil.plot,
    profile: profile(X, labels, k, sizes, columns),
    dendrogram: dendro,
    reachability: reach,
    condensedTree: ctree,
    resolved,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Clustermap

export interface ClustermapJob {
  Xs: Matrix;
  normalization: ClustermapNormalization;
  maxRows: number;
  seed: number;
}

export interface ClustermapOutput {
  /** Matrix rows of the heatmap rows, in dendrogram order. */
  rowIndex: number[];
  /** Column indices in dendrogram order. */
  columnOrder: number[];
  values: number[][];
  rowDendrogram: DendrogramLinks;
  columnDendrogram: DendrogramLinks | null;
  sampled: boolean;
}

/** Normalises a rows x cols matrix in place, as seaborn's clustermap `z_score` / `standard_scale`. */
export function normalize(m: Matrix, how: ClustermapNormalization): void {
  if (how === "none") return;
  const byRows = how.endsWith("rows");
  const z = how.startsWith("z-score");
  const outer = byRows ? m.rows : m.cols;
  const inner = byRows ? m.cols : m.rows;
  const at = (o: number, i: number) => (byRows ? o * m.cols + i : i * m.cols + o);
  for (let o = 0; o < outer; o++) {
    let a = 0;
    let b = 1;
    if (z) {
      let s = 0;
      for (let i = 0; i < inner; i++) s += m.data[at(o, i)];
      const mean = s / inner;
      let ss = 0;
      for (let i = 0; i < inner; i++) ss += (m.data[at(o, i)] - mean) ** 2;
      // pandas' std (ddof 1), as seaborn.
      const sd = inner > 1 ? Math.sqrt(ss / (inner - 1)) : 0;
      a = mean;
      b = sd > 0 ? sd : 1;
    } else {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < inner; i++) {
        lo = Math.min(lo, m.data[at(o, i)]);
        hi = Math.max(hi, m.data[at(o, i)]);
      }
      a = lo;
      b = hi > lo ? hi - lo : 1;
    }
    for (let i = 0; i < inner; i++) m.data[at(o, i)] = (m.data[at(o, i)] - a) / b;
  }
}

function links(Z: LinkageMatrix): { leaves: number[]; links: DendrogramLinks } {
  const layout = dendrogramLayout(Z, { countSort: false, distanceSort: false });
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return {
    leaves: layout.leaves,
    links: { icoord: layout.icoord, dcoord: layout.dcoord.map((ys) => ys.map(round)) },
  };
}

/** A seaborn-style clustermap: rows (a seeded sample) and columns ordered by average-linkage dendrograms. */
export function runClustermapJob(job: ClustermapJob): ClustermapOutput {
  const { Xs, normalization, maxRows, seed } = job;
  const rows = sampleRows(Xs.rows, maxRows, seed + 2);
  const data = takeRows(Xs, rows);
  normalize(data, normalization);
  const d = data.cols;
  let rowOrder = Array.from({ length: data.rows }, (_, i) => i);
  let rowLinks: DendrogramLinks = { icoord: [], dcoord: [] };
  if (data.rows >= 2) {
    const r = links(linkage(data, { method: "average" }));
    rowOrder = r.leaves;
    rowLinks = r.links;
  }
  let columnOrder = Array.from({ length: d }, (_, j) => j);
  let columnLinks: DendrogramLinks | null = null;
  if (d >= 2) {
    const t = new Float64Array(d * data.rows);
    for (let i = 0; i < data.rows; i++) for (let j = 0; j < d; j++) t[j * data.rows + i] = data.data[i * d + j];
    const c = links(linkage({ rows: d, cols: data.rows, data: t }, { method: "average" }));
    columnOrder = c.leaves;
    columnLinks = c.links;
  }
  const values = rowOrder.map((i) =>
    columnOrder.map((j) => {
      const v = data.data[i * d + j];
      return Number.isFinite(v) ? Number(v.toPrecision(4)) : 0;
    }),
  );
  return {
    rowIndex: rowOrder.map((i) => rows[i]),
    columnOrder,
    values,
    rowDendrogram: rowLinks,
    columnDendrogram: columnLinks,
    sampled: rows.length < Xs.rows,
  };
}
