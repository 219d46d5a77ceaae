import type { AlgorithmName, ScaleMethod } from "./args.js";

/** Quality metrics of a clustering (null where undefined, e.g. a single cluster). */
export interface ClusterMetrics {
  /** Mean silhouette in [-1, 1], higher is better (exact or on a sample, see `silhouetteSampleSize`). */
  silhouette: number | null;
  /** Calinski-Harabasz index, higher is better. */
  calinskiHarabasz: number | null;
  /** Davies-Bouldin index, >= 0, lower is better. */
  daviesBouldin: number | null;
  /** Within-cluster sum of squared distances in the scaled feature space (k-means family). */
  inertia: number | null;
}

/** What `clusterlab cluster` reports (the `--json` output). */
export interface ClusterReport {
  input: string;
  algorithm: AlgorithmName;
  /** Effective options; null means the algorithm's default. */
  params: {
    nClusters: number;
    scale: ScaleMethod;
    seed: number;
    init: string | null;
    nInit: number | null;
    maxIter: number | null;
    tol: number | null;
    batchSize: number | null;
  };
  columns: string[];
  nSamples: number;
  nFeatures: number;
  /** Rows left out for missing values (--drop-missing). */
  rowsDropped: number;
  nClusters: number;
  /** Number of rows in each cluster, by cluster index. */
  clusterSizes: number[];
  converged: boolean | null;
  nIter: number | null;
  metrics: ClusterMetrics;
  /** Rows in the silhouette sample, or null when the silhouette is exact. */
  silhouetteSampleSize: number | null;
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
  columns: string[];
  nSamples: number;
  rowsDropped: number;
  nClusters: number;
  clusterSizes: number[];
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

function sizesTable(sizes: number[], total: number): string[] {
  const w = Math.max(4, String(total).length);
  const lines = [`  ${pad("cluster", 8)} ${padLeft("size", w)}   share`];
  sizes.forEach((size, c) => {
    const share = total > 0 ? ((100 * size) / total).toFixed(1) : "0.0";
    lines.push(`  ${pad(String(c), 8)} ${padLeft(String(size), w)}  ${padLeft(share, 5)}%`);
  });
  return lines;
}

function columnList(columns: string[]): string {
  const shown = columns.slice(0, 8).join(", ");
  return columns.length > 8 ? `${shown}, ... (${columns.length - 8} more)` : shown;
}

/** The human-readable report of `clusterlab cluster`. */
export function formatClusterReport(r: ClusterReport): string {
  const p = r.params;
  const opts = [`k=${p.nClusters}`, `seed=${p.seed}`];
  if (p.init !== null) opts.push(`init=${p.init}`);
  if (p.nInit !== null) opts.push(`n_init=${p.nInit}`);
  if (p.maxIter !== null) opts.push(`max_iter=${p.maxIter}`);
  if (p.tol !== null) opts.push(`tol=${p.tol}`);
  if (p.batchSize !== null) opts.push(`batch_size=${p.batchSize}`);
  const lines = [
    `clusterlab cluster ${r.input}`,
    `  rows        ${r.nSamples}${r.rowsDropped > 0 ? ` (${r.rowsDropped} dropped for missing values)` : ""}`,
    `  features    ${r.nFeatures}: ${columnList(r.columns)}`,
    `  scaling     ${p.scale}`,
    `  algorithm   ${r.algorithm} (${opts.join(", ")})`,
  ];
  if (r.converged !== null) {
    lines.push(
      `  converged   ${r.converged ? "yes" : "no"}${r.nIter !== null ? ` (${r.nIter} iteration${r.nIter === 1 ? "" : "s"})` : ""}`,
    );
  }
  lines.push("", ...sizesTable(r.clusterSizes, r.nSamples), "");
  const m = r.metrics;
  const silNote =
    r.silhouetteSampleSize === null ? "exact" : `on a sample of ${r.silhouetteSampleSize} of ${r.nSamples} rows`;
  lines.push(
    `  metrics${p.scale === "none" ? "" : ` (on the ${p.scale}-scaled features)`}`,
    `    silhouette          ${pad(fmt(m.silhouette), 12)} higher is better, in [-1, 1] (${silNote})`,
    `    calinski-harabasz   ${pad(fmt(m.calinskiHarabasz, 2), 12)} higher is better`,
    `    davies-bouldin      ${pad(fmt(m.daviesBouldin), 12)} lower is better`,
  );
  if (m.inertia !== null)
    lines.push(`    inertia             ${pad(fmt(m.inertia, 3), 12)} within-cluster sum of squares`);
  const t = r.timings;
  lines.push(
    "",
    `  time        load ${t.loadSeconds.toFixed(2)}s, fit ${t.fitSeconds.toFixed(2)}s, metrics ${t.metricsSeconds.toFixed(2)}s, write ${t.writeSeconds.toFixed(2)}s, total ${t.totalSeconds.toFixed(2)}s`,
  );
  for (const w of r.warnings) lines.push(`  warning     ${w}`);
  if (r.outputs.out) lines.push(`  wrote       ${r.outputs.out} (input rows + cluster column)`);
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
    ...sizesTable(r.clusterSizes, r.nSamples),
    "",
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
