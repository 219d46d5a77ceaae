/**
 * The views of the dashboard, computed in the worker threads from the scaled features and a
 * clustering: metrics, the PCA scatter, the silhouette plot, profiles, the dendrogram, the OPTICS
 * reachability plot, the HDBSCAN condensed tree, and the clustermap. Pure functions.
 */
import {
  calinskiHarabaszScore,
  daviesBouldinScore,
  dendrogramLayout,
  type LinkageMatrix,
  linkage,
  type Matrix,
  MinMaxScaler,
  RobustScaler,
  StandardScaler,
  takeRows,
} from "@clusterlab/core";
import {
  CONDENSED_MAX_CLUSTERS,
  clusterProfile,
  condensedTreeView,
  DENDROGRAM_LEAVES,
  DENDROGRAM_TOP_HEIGHTS,
  type Display,
  dendrogramView,
  MAX_DISPLAY_POINTS,
  pcaDisplay,
  projectionView,
  REACHABILITY_MAX_BARS,
  reachabilityView,
  SILHOUETTE_EXACT_MAX,
  SILHOUETTE_PLOT_MAX,
  sampleRows,
  silhouettePlot,
} from "@clusterlab/lab";
import {
  type FitResult,
  type HdbscanStructure,
  type LinkageStructure,
  labelsFromStructure,
  type Structure,
  type StructureAlgorithm,
} from "./algorithms.js";
import {
  type Algorithm,
  type ClusterMetricsResult,
  type ClustermapNormalization,
  type ClusterParams,
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

// The views' sizes (points drawn, silhouette sample, dendrogram leaves, reachability bars, condensed
// tree clusters) and the view builders themselves are @clusterlab/lab's (`views/`), shared with
// lab's plotModel.
export {
  CONDENSED_MAX_CLUSTERS,
  condensedTreeView,
  DENDROGRAM_LEAVES,
  DENDROGRAM_TOP_HEIGHTS,
  type Display,
  MAX_DISPLAY_POINTS,
  REACHABILITY_MAX_BARS,
  SILHOUETTE_EXACT_MAX,
  SILHOUETTE_PLOT_MAX,
  sampleRows,
  takeRows,
};

/**
 * Most rows per algorithm where time or memory grow with n^2 (agglomerative per linkage: ward and
 * single keep O(n) memory through the nearest-neighbour chain / minimum spanning tree, with k-d
 * tree and block pruning up to 16 features (ward 100k x 8: about 20 s, 91 MB); complete and
 * average need the n(n-1)/2 distance matrix). HDBSCAN has no limit on at most 15 features with
 * Euclidean or Manhattan distance (Boruvka on a k-d tree); otherwise it needs Prim's O(n^2).
 */
export const ROW_LIMITS: Record<string, number> = {
  "agglomerative-ward": 100_000,
  "agglomerative-single": 50_000,
  "agglomerative-complete": 10_000,
  "agglomerative-average": 10_000,
  kmedoids: 5_000,
  "affinity-propagation": 3_000,
  meanshift: 20_000,
  "spectral-rbf": 5_000,
  "spectral-nearestNeighbors": 20_000,
  "hdbscan-prim": 20_000,
};

/** Largest number of rows agglomerative clustering accepts (ward linkage; single takes 50,000). */
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

/**
 * Scales the features and places the displayed rows on their first two principal components. With
 * `space` (preprocessed features, see preprocess.ts) only the numeric columns are scaled and the
 * PCA of `preprocess.pca` follows.
 */
export function prepare(X: Matrix, scaling: Scaling, seed: number, space?: SpaceSpec): Prepared {
  const pre = space ? preprocessedSpace(X, space, (m) => scale(m, scaling)) : null;
  const Xs = pre ? pre.Xs : scale(X, scaling);
  const display = pcaDisplay(Xs, seed, MAX_DISPLAY_POINTS);
  return {
    Xs: shareMatrix(Xs),
    spaceColumns: pre?.columns ?? null,
    spaceExplained: pre?.explained ?? null,
    display: { ...display, rows: shareInt(display.rows), x: shareFloat(display.x), y: shareFloat(display.y) },
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

function score(compute: () => number, name: string, warnings: string[]): number | null {
  try {
    return finiteOrNull(compute());
  } catch (error) {
    warnings.push(`${name} not computed: ${(error as Error).message}`);
    return null;
  }
}

/** The labels of a view task, with what their source says of them. */
interface SourceLabels {
  labels: Int32Array;
  probability: Float64Array | null;
  inertia: number | null;
  bic: number | null;
  condensed: ReturnType<typeof labelsFromStructure>["condensed"];
  resolved: Partial<ClusterParams>;
  warnings: string[];
}

/** Reads the labels off the job's source (a fit, or a structure cut at the job's parameters). */
function sourceLabels(job: Pick<ViewJob, "source" | "params" | "algorithm">): SourceLabels {
  if (job.source.kind === "fit") {
    const fit = job.source.fit;
    return {
      labels: fit.labels,
      probability: fit.probability,
      inertia: fit.inertia,
      bic: fit.bic,
      condensed: undefined,
      resolved: {},
      warnings: [...fit.warnings],
    };
  }
  const out = labelsFromStructure(job.source.structure, job.params, job.algorithm as StructureAlgorithm);
  return {
    labels: out.labels,
    probability: out.probability,
    inertia: null,
    bic: null,
    condensed: out.condensed,
    resolved: out.eps !== undefined ? { eps: out.eps } : {},
    warnings: [],
  };
}

/** Cluster count, sizes and noise of a labelling, and whether the internal scores apply to it. */
function clusterCounts(
  labels: Int32Array,
  algorithm: Algorithm,
  params: ClusterParams,
): { k: number; sizes: number[]; nNoise: number; nonEmpty: number; scorable: boolean; cutByHeight: boolean } {
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
  let nonEmpty = 0;
  for (const size of sizes) if (size > 0) nonEmpty++;
  const scorable = nonEmpty >= 2 && nonEmpty <= labels.length - nNoise - 1;
  return { k, sizes, nNoise, nonEmpty, scorable, cutByHeight };
}

/** A silhouette task: the part of a view task the silhouette needs. */
export type SilhouetteJob = Pick<ViewJob, "Xs" | "seed" | "algorithm" | "params" | "source">;

/** What a silhouette task computes: the score, the plot and the warnings of the computation. */
export interface SilhouetteOutput {
  score: number | null;
  plot: SilhouettePlotResult | null;
  warnings: string[];
}

/**
 * The silhouette of a view task's labels (a seeded sample above SILHOUETTE_EXACT_MAX rows), as a
 * task of its own: the server runs it on a second worker while the view task computes the rest.
 */
export function runSilhouetteJob(job: SilhouetteJob): SilhouetteOutput {
  const { labels } = sourceLabels(job);
  const { k, scorable } = clusterCounts(labels, job.algorithm, job.params);
  const warnings: string[] = [];
  if (!scorable) return { score: null, plot: null, warnings };
  const sil = silhouettePlot(job.Xs, labels, k, job.seed, warnings);
  return { score: sil.score, plot: sil.plot, warnings };
}

/**
 * Reads the labels off the job's source and computes every view of the dashboard; with
 * `silhouette: false`, all but the silhouette (score and plot null: `runSilhouetteJob` computes them).
 */
export function runViewJob(job: ViewJob & { silhouette?: boolean }): ViewOutput {
  const { X, Xs, columns, seed, params, algorithm } = job;
  const n = X.rows;
  const { labels, probability, inertia, bic, condensed, resolved, warnings } = sourceLabels(job);
  const { k, sizes, nNoise, nonEmpty, scorable, cutByHeight } = clusterCounts(labels, algorithm, params);
  if (nonEmpty < k) warnings.push(`${k - nonEmpty} of the ${k} clusters are empty`);
  if (k === 0) warnings.push("no clusters found: every row is noise (try a larger eps or a smaller min samples)");
  else if (k === 1) warnings.push("a single cluster: the scores need at least two");
  const sil =
    job.silhouette === false || !scorable ? { score: null, plot: null } : silhouettePlot(Xs, labels, k, seed, warnings);
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
      dendro = dendrogramView(Z, labels, k, cutByHeight ? (params.distanceThreshold as number) : null);
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
    projection: projectionView(X, Xs, job.display, labels, probability, k, sizes, job.withGeometry),
    silhouette: sil.plot,
    profile: clusterProfile(X, labels, k, sizes, columns),
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
