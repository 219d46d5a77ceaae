import {
  type BicSweepResult,
  type BoxStats,
  bicFigure,
  type CovarianceTypeName,
  condensedTreeFigure,
  dendrogramFigure,
  embeddedProjection,
  type Figure,
  type ProjectionResult,
  profileFigure,
  reachabilityFigure,
  type SweepResult,
  scatterFigure,
  segmentBoxesGridFigure,
  silhouetteFigure,
  sizesFigure,
  sweepFigure,
} from "@clusterlab/charts";
import {
  type AgglomerativeClusteringModel,
  type HDBSCANModel,
  type Matrix,
  memoryLogger,
  OPTICS,
  type OPTICSModel,
  takeRows,
} from "@clusterlab/core";
import { DataError } from "../errors.js";
import { ALGORITHM_INFO } from "../run/estimatorFromSpec.js";
import type { AlgorithmName } from "../spec/analysisSpec.js";
import type { NormalizedAnalysisSpec } from "../spec/normalizeSpec.js";
import type { Table } from "../table.js";
import { boxStats } from "../views/boxStats.js";
import { clusterProfile } from "../views/clusterProfile.js";
import { condensedTreeView } from "../views/condensedTreeView.js";
import { dendrogramView } from "../views/dendrogramView.js";
import { distanceKnee, mergeHeightRange } from "../views/distanceKnee.js";
import { embedRows } from "../views/embedRows.js";
import { type Display, MAX_DISPLAY_POINTS, pcaDisplay, projectionView } from "../views/projectionView.js";
import { reachabilityView } from "../views/reachabilityView.js";
import { silhouettePlot } from "../views/silhouettePlot.js";
import { prepareMatrix } from "./prepareMatrix.js";
import { tuneK } from "./tuneK.js";

/** The charts `plotModel` draws (PyCaret's `plot_model` plots, and the dashboard's views). */
export const PLOT_KINDS = [
  "cluster",
  "tsne",
  "umap",
  "elbow",
  "silhouette",
  "sizes",
  "profile",
  "dendrogram",
  "reachability",
  "condensedTree",
  "bic",
  "distribution",
] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

/** A chart: its kind, a title, and the Plotly figure (`Plotly.newPlot(element, figure.data, figure.layout)`). */
export interface ChartSpec {
  kind: PlotKind;
  title: string;
  /** Plain JSON (traces and layout), built by @clusterlab/charts as in the dashboard. */
  figure: Figure;
}

/** Options for `plotModel`. */
export interface PlotModelOptions {
  /** Most points in the scatter views ("cluster": default 20,000; "tsne" / "umap": default 5,000, the others by UMAP's transform). */
  maxPoints?: number;
  /** Smallest and largest k of "elbow" and "bic". Default 2 and 10 (at most the number of rows - 1), and at least the model's k. */
  kMin?: number;
  kMax?: number;
  /** Features of "distribution" (numeric features of the experiment). Default: every numeric feature, at most 12. */
  features?: string[];
  /** Replaces the chart's title. */
  title?: string;
}

/** What `plotModel` needs of a model: its spec, its labels per table row, and the fitted final estimator. */
export interface PlotModelInput {
  readonly algorithm: AlgorithmName;
  /** One label per table row: cluster >= 0, noise -1, -2 for rows not clustered. */
  readonly labels: Int32Array;
  readonly result: { readonly spec: NormalizedAnalysisSpec; readonly nClusters: number };
  readonly analysis: { readonly finalModel: unknown };
}

const HIERARCHICAL: readonly AlgorithmName[] = ["agglomerative"];
const REACHABILITY: readonly AlgorithmName[] = ["optics", "dbscan"];

/** The kinds that apply to a model of this algorithm (numeric algorithms; kmodes / kprototypes have none). */
export function plotKindsFor(algorithm: AlgorithmName): PlotKind[] {
  const info = ALGORITHM_INFO[algorithm];
  if (info.input !== "numeric") return [];
  return PLOT_KINDS.filter((kind) => {
    switch (kind) {
      case "elbow":
        return info.kParam !== null;
      case "dendrogram":
        return HIERARCHICAL.includes(algorithm);
      case "reachability":
        return REACHABILITY.includes(algorithm);
      case "condensedTree":
        return algorithm === "hdbscan";
      case "bic":
        return algorithm === "gmm";
      default:
        return true;
    }
  });
}

const TITLES: Record<PlotKind, string> = {
  cluster: "Clusters on the first two principal components",
  tsne: "Clusters on a t-SNE embedding",
  umap: "Clusters on a UMAP embedding",
  elbow: "Choosing k: inertia (elbow) and silhouette",
  silhouette: "Silhouette plot",
  sizes: "Cluster sizes",
  profile: "Cluster profiles (standardised feature means)",
  dendrogram: "Dendrogram",
  reachability: "OPTICS reachability plot",
  condensedTree: "HDBSCAN condensed tree",
  bic: "Choosing k: BIC of Gaussian mixtures",
  distribution: "Feature distributions per cluster",
};

/** The experiment's preprocessed rows with the model's label of each (rows it did not cluster left out). */
interface Prepared {
  X: Matrix;
  /** Raw values of the numeric features on the same rows. */
  raw: Matrix;
  numeric: string[];
  labels: Int32Array;
  k: number;
  sizes: number[];
  nRowsTotal: number;
}

function maxLabel(labels: ArrayLike<number>): number {
  let top = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i] > top) top = labels[i];
  return top;
}

function prepared(model: PlotModelInput, table: Table): Prepared {
  const m = prepareMatrix(model.result.spec, table, memoryLogger());
  const keep: number[] = [];
  for (let i = 0; i < m.rows.length; i++) if (model.labels[m.rows[i]] >= -1) keep.push(i);
  const X = keep.length === m.X.rows ? m.X : takeRows(m.X, keep);
  const rows = Int32Array.from(keep, (i) => m.rows[i]);
  const labels = Int32Array.from(rows, (r) => model.labels[r]);
  const nClusters = Math.max(model.result.nClusters, maxLabel(labels) + 1);
  const sizes = new Array<number>(nClusters).fill(0);
  for (const c of labels) if (c >= 0) sizes[c]++;
  const numeric = m.numeric;
  const raw = new Float64Array(rows.length * numeric.length);
  numeric.forEach((name, j) => {
    const column = table.columns.find((c) => c.name === name);
    if (column?.kind !== "numeric") return;
    for (let r = 0; r < rows.length; r++) raw[r * numeric.length + j] = column.values[rows[r]];
  });
  return {
    X,
    raw: { rows: rows.length, cols: numeric.length, data: raw },
    numeric,
    labels,
    k: nClusters,
    sizes,
    nRowsTotal: table.nRows,
  };
}

function projection(p: Prepared, display: Display): ProjectionResult {
  const view = projectionView(p.raw, p.X, display, p.labels, null, p.k, p.sizes, true);
  return { ...view, geometryId: "plotModel", geometryOmitted: false };
}

function kRange(model: PlotModelInput, n: number, options: PlotModelOptions): { kMin: number; kMax: number } {
  const kMax = Math.min(Math.max(options.kMax ?? 10, model.result.nClusters), n - 1);
  return { kMin: Math.min(options.kMin ?? 2, kMax), kMax };
}

async function elbow(model: PlotModelInput, table: Table, options: PlotModelOptions): Promise<SweepResult> {
  const spec = model.result.spec;
  const { kMin, kMax } = kRange(model, table.nRows, options);
  // tuneK drops the model's own k from the parameters and tries each k of the range.
  const t = await tuneK(spec, table, { kMin, kMax, params: { ...spec.algorithm.params }, stability: false });
  const by = t.recommendation.by;
  return {
    ks: t.ks,
    inertia: t.entries.map((e) => e.inertia ?? Number.NaN),
    silhouette: t.entries.map((e) => e.silhouette),
    calinskiHarabasz: t.entries.map((e) => e.calinskiHarabasz),
    daviesBouldin: t.entries.map((e) => e.daviesBouldin),
    elbow: t.elbow,
    suggestion: {
      k: t.recommendation.k,
      by: by.includes("silhouette") ? "silhouette" : by.includes("elbow") ? "elbow" : "fallback",
      reason: t.recommendation.reason,
    },
    nRows: table.nRows,
    rowsDropped: 0,
  };
}

async function bic(model: PlotModelInput, table: Table, options: PlotModelOptions): Promise<BicSweepResult> {
  const spec = model.result.spec;
  const { kMin, kMax } = kRange(model, table.nRows, options);
  const params: Record<string, unknown> = { ...spec.algorithm.params };
  const t = await tuneK(spec, table, { kMin, kMax, params, stability: false });
  const values = t.entries.map((e) => (e.bic !== undefined && Number.isFinite(e.bic) ? e.bic : null));
  let best = t.ks[0];
  let lowest = Number.POSITIVE_INFINITY;
  values.forEach((v, i) => {
    if (v !== null && v < lowest) {
      lowest = v;
      best = t.ks[i];
    }
  });
  return {
    ks: t.ks,
    bic: values,
    best,
    covarianceType: (typeof params.covarianceType === "string" ? params.covarianceType : "full") as CovarianceTypeName,
    nRows: table.nRows,
    rowsDropped: 0,
  };
}

function finalModel<T>(model: PlotModelInput, field: string): T {
  const final = model.analysis.finalModel as Record<string, unknown>;
  if (!final || !(field in final)) {
    throw new DataError(`the ${model.algorithm} model has no ${field} (a model read from an older file?)`);
  }
  return final as T;
}

/**
 * A chart of a fitted model, as a Plotly figure built by the dashboard's own chart functions
 * (@clusterlab/charts), on the experiment's preprocessed features (PyCaret's `plot_model`):
 *
 * - "cluster": the 2-D PCA scatter with the cluster means; "tsne" / "umap": the same points placed
 *   by t-SNE / UMAP (core `manifold`, seeded by the spec's seed);
 * - "elbow": the k sweep of the model's algorithm (inertia with its Kneedle elbow, silhouette; `tuneK`);
 *   "bic" (Gaussian mixtures): the BIC per k;
 * - "silhouette": the classic silhouette plot per cluster; "sizes"; "profile": the standardised
 *   feature means as a heatmap; "distribution": each numeric feature's box per cluster;
 * - "dendrogram" (agglomerative), "reachability" (OPTICS; DBSCAN on an OPTICS ordering with its
 *   minSamples, eps marked), "condensedTree" (HDBSCAN).
 *
 * A kind that does not apply to the model is a `DataError` listing the kinds that do.
 */
export async function plotModel(
  model: PlotModelInput,
  table: Table,
  kind: string,
  options: PlotModelOptions = {},
): Promise<ChartSpec> {
  const kinds = plotKindsFor(model.algorithm);
  if (!(PLOT_KINDS as readonly string[]).includes(kind)) {
    throw new DataError(
      `unknown plot kind: ${JSON.stringify(kind)} (kinds for ${model.algorithm}: ${kinds.join(", ")})`,
    );
  }
  if (!kinds.includes(kind as PlotKind)) {
    throw new DataError(
      kinds.length === 0
        ? `plot kind ${JSON.stringify(kind)} does not apply to ${model.algorithm}: plotModel draws numeric models only`
        : `plot kind ${JSON.stringify(kind)} does not apply to ${model.algorithm} (kinds for ${model.algorithm}: ${kinds.join(", ")})`,
    );
  }
  const plotKind = kind as PlotKind;
  const spec = model.result.spec;
  const seed = spec.seed;
  const params = (spec.algorithm.params ?? {}) as Record<string, unknown>;
  const figure = await (async (): Promise<Figure> => {
    switch (plotKind) {
      case "elbow":
        return sweepFigure(await elbow(model, table, options), model.result.nClusters);
      case "bic":
        return bicFigure(await bic(model, table, options), model.result.nClusters);
      case "dendrogram": {
        const m = finalModel<AgglomerativeClusteringModel>(model, "linkageMatrix");
        if (!m.linkageMatrix) {
          throw new DataError("the agglomerative model has no full tree (its connectivity graph stopped early)");
        }
        const threshold = typeof params.distanceThreshold === "number" ? params.distanceThreshold : null;
        const k = threshold === null ? m.nClusters : maxLabel(m.labels) + 1;
        return dendrogramFigure(dendrogramView(m.linkageMatrix, m.labels, k, threshold), k);
      }
      case "condensedTree": {
        const m = finalModel<HDBSCANModel>(model, "condensedTree");
        const n = m.labels.length;
        const view = condensedTreeView(
          m.condensedTree,
          n,
          m.selectedClusters,
          m.clusterStability,
          mergeHeightRange(m.singleLinkageTree),
          distanceKnee(m.coreDistances),
          null,
        );
        return condensedTreeFigure(view);
      }
      case "reachability": {
        if (model.algorithm === "optics") {
          const m = finalModel<OPTICSModel>(model, "ordering");
          const ordering = { ...pickOrdering(m), suggestedEps: Math.min(distanceKnee(m.coreDistances), m.maxEps) };
          return reachabilityFigure(reachabilityView(ordering, m.labels, null));
        }
        // DBSCAN: the OPTICS ordering of the same rows and minSamples, with the model's eps marked.
        const p = prepared(model, table);
        const eps = typeof params.eps === "number" ? params.eps : null;
        const minSamples = typeof params.minSamples === "number" ? params.minSamples : 5;
        const o = new OPTICS({
          minSamples: Math.min(minSamples, p.X.rows),
          clusterMethod: "dbscan",
          ...(typeof params.metric === "string" && { metric: params.metric as "euclidean" }),
          logger: memoryLogger(),
        }).fit(p.X);
        const ordering = { ...pickOrdering(o), suggestedEps: distanceKnee(o.coreDistances) };
        return reachabilityFigure(reachabilityView(ordering, p.labels, eps));
      }
      default:
        return viewFigure(plotKind, prepared(model, table), seed, options);
    }
  })();
  return {
    kind: plotKind,
    title: options.title ?? TITLES[plotKind],
    figure: { data: figure.data, layout: figure.layout },
  };
}

function pickOrdering(m: OPTICSModel) {
  return {
    minSamples: m.minSamples,
    ordering: m.ordering,
    reachability: m.reachability,
    coreDistances: m.coreDistances,
    maxEps: m.maxEps,
  };
}

/** The charts of the labels on the preprocessed rows (every numeric model). */
function viewFigure(kind: PlotKind, p: Prepared, seed: number, options: PlotModelOptions): Figure {
  const { k, sizes, labels } = p;
  switch (kind) {
    case "cluster":
      return scatterFigure(projection(p, pcaDisplay(p.X, seed, options.maxPoints ?? MAX_DISPLAY_POINTS)), k, p.numeric);
    case "tsne":
    case "umap": {
      const display = pcaDisplay(p.X, seed, MAX_DISPLAY_POINTS);
      const proj = projection(p, display);
      const e = embedRows(p.X, display.rows, kind, 2, seed, {
        ...(options.maxPoints !== undefined && { maxPoints: options.maxPoints }),
      });
      const embedded = embeddedProjection(
        proj,
        {
          method: kind,
          points: Array.from(e.points),
          coords: e.coords.map((c) => Array.from(c)),
          axisTitles: e.axisTitles,
        },
        k,
      );
      return scatterFigure(embedded, k, p.numeric, { axisTitles: [e.axisTitles[0], e.axisTitles[1]] });
    }
    case "silhouette": {
      const warnings: string[] = [];
      const nonEmpty = sizes.filter((s) => s > 0).length;
      const clustered = sizes.reduce((a, b) => a + b, 0);
      const s = nonEmpty >= 2 && nonEmpty <= clustered - 1 ? silhouettePlot(p.X, labels, k, seed, warnings) : null;
      if (!s?.plot) {
        throw new DataError(`no silhouette plot: it needs 2 to n-1 non-empty clusters (got ${nonEmpty})`);
      }
      return silhouetteFigure(s.plot, s.score);
    }
    case "sizes": {
      const noise = labels.length - sizes.reduce((a, b) => a + b, 0);
      return sizesFigure(sizes, { nNoise: noise });
    }
    case "profile":
      return profileFigure(clusterProfile(p.raw, labels, k, sizes, p.numeric), sizes);
    case "distribution": {
      const chosen = options.features ?? p.numeric.slice(0, 12);
      const index = chosen.map((name) => {
        const j = p.numeric.indexOf(name);
        if (j < 0) {
          throw new DataError(
            `invalid features: ${JSON.stringify(name)} is not a numeric feature (features: ${p.numeric.join(", ")})`,
          );
        }
        return j;
      });
      const segments = [...sizes.keys()].filter((c) => sizes[c] > 0);
      if (labels.includes(-1)) segments.push(-1);
      const members = new Map<number, number[]>(segments.map((c) => [c, []]));
      labels.forEach((c, i) => {
        members.get(c)?.push(i);
      });
      const d = p.raw.cols;
      const boxes: (BoxStats | null)[][] = index.map((j) =>
        segments.map((c) => boxStats(Float64Array.from(members.get(c) ?? [], (i) => p.raw.data[i * d + j]))),
      );
      return segmentBoxesGridFigure(chosen, boxes, segments);
    }
    default:
      throw new DataError(`unknown plot kind: ${kind}`);
  }
}
