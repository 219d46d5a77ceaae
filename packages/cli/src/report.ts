import { ALGORITHM_TABLE, type AlgorithmName, flagName, type OptionValue, type PredictRule } from "./algorithms.js";
import type { ScaleMethod } from "./args.js";

/**
 * Quality metrics of a clustering. The silhouette, Calinski-Harabasz and Davies-Bouldin indices are
 * computed on the non-noise points (see `metricsOn`) and are null when fewer than 2 clusters (or
 * n - 1 or more) remain. The other fields appear only for the models that have them.
 */
export interface ClusterMetrics {
  /** Mean silhouette in [-1, 1], higher is better (exact or on a sample, see `silhouetteSampleSize`). */
  silhouette: number | null;
  /** Calinski-Harabasz index, higher is better (numeric features only). */
  calinskiHarabasz: number | null;
  /** Davies-Bouldin index, >= 0, lower is better (numeric features only). */
  daviesBouldin: number | null;
  /** Within-cluster sum of squared distances (k-means family) or of distances to the medoids (k-medoids). */
  inertia?: number;
  /** k-modes / k-prototypes cost: the sum of the dissimilarities of the rows to their modes / prototypes. */
  cost?: number;
  /** Gaussian mixture: Bayesian information criterion on the training rows (lower is better). */
  bic?: number;
  /** Gaussian mixture: Akaike information criterion on the training rows (lower is better). */
  aic?: number;
  /**
   * Agglomerative: correlation of the tree's cophenetic distances with the distances between rows
   * (1 = the tree keeps the distances); null above `COPHENETIC_MAX_ROWS` rows (it costs O(n^2)).
   */
  copheneticCorrelation?: number | null;
}

/** The effective options: `--scale`, `--seed` and the core options passed to the estimator (`--k` as nClusters / nComponents). */
export type ClusterParams = { scale: ScaleMethod; seed: number } & { [option: string]: OptionValue };

/** What `clusterlab cluster` reports (the `--json` output). */
export interface ClusterReport {
  input: string;
  algorithm: AlgorithmName;
  /** Effective options, by core option name; an option not listed takes the algorithm's default. */
  params: ClusterParams;
  /** Feature columns: the numeric ones, then the categorical ones. */
  columns: string[];
  /** The columns clustered as categories (kmodes, kprototypes); empty otherwise. */
  categoricalColumns: string[];
  nSamples: number;
  nFeatures: number;
  /** Rows left out for missing values (--drop-missing). */
  rowsDropped: number;
  /** Number of clusters (noise not counted). */
  nClusters: number;
  /** Number of rows in each cluster, by cluster index (noise not counted). */
  clusterSizes: number[];
  /** Rows labelled noise (-1): DBSCAN, HDBSCAN, OPTICS, mean shift without cluster-all. */
  nNoise: number;
  converged: boolean | null;
  nIter: number | null;
  metrics: ClusterMetrics;
  /** The rows the silhouette, Calinski-Harabasz and Davies-Bouldin indices were computed on. */
  metricsOn: "all points" | "non-noise points";
  /** The distance of the silhouette. */
  silhouetteDistance: string;
  /** Rows in the silhouette sample, or null when the silhouette is exact. */
  silhouetteSampleSize: number | null;
  /** What `clusterlab predict` will do with this model. */
  predict: PredictRule;
  warnings: string[];
  outputs: { out: string | null; model: string | null };
  timings: {
    loadSeconds: number;
    fitSeconds: number;
    metricsSeconds: number;
    writeSeconds: number;
    totalSeconds: number;
  };
}

/** What `clusterlab predict` reports (the `--json` output). */
export interface PredictReport {
  input: string;
  model: string;
  /** The model's `--algo`, when the file says. */
  algorithm: string | null;
  columns: string[];
  nSamples: number;
  rowsDropped: number;
  nClusters: number;
  clusterSizes: number[];
  /** Rows predicted as noise (-1). */
  nNoise: number;
  /** How new rows are assigned (null for a model of an unknown algorithm). */
  predict: PredictRule | null;
  outputs: { out: string | null };
  timings: { loadSeconds: number; predictSeconds: number; totalSeconds: number };
}

function fmt(x: number | null, digits = 4): string {
  if (x === null) return "n/a";
  if (Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-3)) return x.toExponential(3);
  return x.toFixed(digits);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function padLeft(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

function sizesTable(sizes: number[], total: number, nNoise = 0): string[] {
  const w = Math.max(4, String(total).length);
  const lines = [`  ${pad("cluster", 8)} ${padLeft("size", w)}   share`];
  const row = (name: string, size: number) => {
    const share = total > 0 ? ((100 * size) / total).toFixed(1) : "0.0";
    lines.push(`  ${pad(name, 8)} ${padLeft(String(size), w)}  ${padLeft(share, 5)}%`);
  };
  sizes.forEach((size, c) => {
    row(String(c), size);
  });
  if (nNoise > 0) row("noise", nNoise);
  return lines;
}

function columnList(columns: string[]): string {
  const shown = columns.slice(0, 8).join(", ");
  return columns.length > 8 ? `${shown}, ... (${columns.length - 8} more)` : shown;
}

/** The options as flags: `k=3, seed=0, min-samples=5, no-cluster-all`. */
function optionsText(algorithm: AlgorithmName, params: ClusterParams): string {
  const parts: string[] = [];
  for (const binding of ALGORITHM_TABLE[algorithm]?.options ?? []) {
    const value = params[binding.option];
    if (value === undefined) continue;
    const flag = flagName(binding);
    if (binding.type.kind === "switch" || binding.type.kind === "negation") parts.push(flag);
    else parts.push(`${flag}=${Array.isArray(value) ? value.join(",") : String(value)}`);
  }
  return parts.join(", ");
}

function predictText(rule: PredictRule): string {
  return `${rule.rule} (${rule.native ? "native" : "a Clusterlab convention; scikit-learn has no predict here"})`;
}

/** The human-readable report of `clusterlab cluster`. */
export function formatClusterReport(r: ClusterReport): string {
  const p = r.params;
  const opts = optionsText(r.algorithm, p);
  const categorical = new Set(r.categoricalColumns);
  const numeric = r.columns.filter((c) => !categorical.has(c));
  const lines = [
    `clusterlab cluster ${r.input}`,
    `  rows        ${r.nSamples}${r.rowsDropped > 0 ? ` (${r.rowsDropped} dropped for missing values)` : ""}`,
  ];
  if (r.categoricalColumns.length > 0) {
    if (numeric.length > 0) lines.push(`  numeric     ${numeric.length}: ${columnList(numeric)}`);
    lines.push(`  categorical ${r.categoricalColumns.length}: ${columnList(r.categoricalColumns)}`);
  } else {
    lines.push(`  features    ${r.nFeatures}: ${columnList(r.columns)}`);
  }
  if (numeric.length > 0) lines.push(`  scaling     ${p.scale}`);
  lines.push(`  algorithm   ${r.algorithm}${opts ? ` (${opts})` : ""}`);
  if (r.converged !== null) {
    lines.push(
      `  converged   ${r.converged ? "yes" : "no"}${r.nIter !== null ? ` (${r.nIter} iteration${r.nIter === 1 ? "" : "s"})` : ""}`,
    );
  }
  lines.push("", ...sizesTable(r.clusterSizes, r.nSamples, r.nNoise), "");
  const m = r.metrics;
  const scored = r.nSamples - r.nNoise;
  const silNote =
    r.silhouetteSampleSize === null ? "exact" : `on a sample of ${r.silhouetteSampleSize} of ${scored} rows`;
  const where: string[] = [];
  if (r.metricsOn === "non-noise points") where.push(`on the ${scored} non-noise points`);
  if (numeric.length > 0 && p.scale !== "none") where.push(`${p.scale}-scaled features`);
  const numericOnly = r.categoricalColumns.length > 0 ? "n/a for categorical features" : "";
  lines.push(
    `  metrics${where.length > 0 ? ` (${where.join(", ")})` : ""}`,
    `    silhouette          ${pad(fmt(m.silhouette), 12)} higher is better, in [-1, 1] (${silNote}; ${r.silhouetteDistance})`,
    `    calinski-harabasz   ${pad(fmt(m.calinskiHarabasz, 2), 12)} ${numericOnly || "higher is better"}`,
    `    davies-bouldin      ${pad(fmt(m.daviesBouldin), 12)} ${numericOnly || "lower is better"}`,
  );
  if (m.inertia !== undefined) {
    lines.push(`    inertia             ${pad(fmt(m.inertia, 3), 12)} within-cluster sum of (squared) distances`);
  }
  if (m.cost !== undefined)
    lines.push(`    cost                ${pad(fmt(m.cost, 3), 12)} sum of dissimilarities to the modes / prototypes`);
  if (m.bic !== undefined) lines.push(`    bic                 ${pad(fmt(m.bic, 2), 12)} lower is better`);
  if (m.aic !== undefined) lines.push(`    aic                 ${pad(fmt(m.aic, 2), 12)} lower is better`);
  if (m.copheneticCorrelation !== undefined) {
    lines.push(
      `    cophenetic corr.    ${pad(fmt(m.copheneticCorrelation), 12)} ${m.copheneticCorrelation === null ? "skipped (too many rows)" : "1 = the tree keeps the distances"}`,
    );
  }
  const t = r.timings;
  lines.push(
    "",
    `  predict     ${predictText(r.predict)}`,
    `  time        load ${t.loadSeconds.toFixed(2)}s, fit ${t.fitSeconds.toFixed(2)}s, metrics ${t.metricsSeconds.toFixed(2)}s, write ${t.writeSeconds.toFixed(2)}s, total ${t.totalSeconds.toFixed(2)}s`,
  );
  for (const w of r.warnings) lines.push(`  warning     ${w}`);
  if (r.outputs.out)
    lines.push(`  wrote       ${r.outputs.out} (input rows + cluster column${r.nNoise > 0 ? ", -1 = noise" : ""})`);
  if (r.outputs.model) lines.push(`  wrote       ${r.outputs.model} (model for clusterlab predict)`);
  return `${lines.join("\n")}\n`;
}

/** The human-readable report of `clusterlab predict`. */
export function formatPredictReport(r: PredictReport): string {
  const lines = [
    `clusterlab predict ${r.input} (model ${r.model})`,
    `  rows        ${r.nSamples}${r.rowsDropped > 0 ? ` (${r.rowsDropped} dropped for missing values)` : ""}`,
    `  features    ${r.columns.length}: ${columnList(r.columns)}`,
    "",
    ...sizesTable(r.clusterSizes, r.nSamples, r.nNoise),
    "",
    ...(r.predict ? [`  predict     ${predictText(r.predict)}`] : []),
    `  time        load ${r.timings.loadSeconds.toFixed(2)}s, predict ${r.timings.predictSeconds.toFixed(2)}s, total ${r.timings.totalSeconds.toFixed(2)}s`,
  ];
  if (r.outputs.out) lines.push(`  wrote       ${r.outputs.out} (input rows + cluster column)`);
  return `${lines.join("\n")}\n`;
}

/** Counts labels 0..k-1 (ignores negative labels). */
export function clusterSizes(labels: ArrayLike<number>, k: number): number[] {
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c >= 0 && c < k) sizes[c]++;
  }
  return sizes;
}

/** The cluster column for the output file: labels at kept rows, null at rows dropped for missing values. */
export function clusterColumn(
  labels: Int32Array,
  nRows: number,
  rowIndex?: Int32Array,
): Int32Array | (number | null)[] {
  if (!rowIndex) return labels;
  const out = new Array<number | null>(nRows).fill(null);
  for (let r = 0; r < rowIndex.length; r++) out[rowIndex[r]] = labels[r];
  return out;
}

/** Number of labels < 0 (noise). */
export function countNoise(labels: ArrayLike<number>): number {
  let noise = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] < 0) noise++;
  return noise;
}
