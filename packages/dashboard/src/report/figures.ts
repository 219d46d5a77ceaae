/**
 * The report's charts and texts, built from its payload by the dashboard's own chart functions
 * (@clusterlab/charts). Pure: no DOM, no Plotly (the tests call it in Node).
 */

import type { Figure } from "@clusterlab/charts";
import {
  condensedTreeFigure,
  dendrogramFigure,
  formatMetric,
  profileFigure,
  reachabilityFigure,
  scatterFigure,
  silhouetteFigure,
  sizesFigure,
  sweepFigure,
} from "@clusterlab/charts";
import type { ReportPayload } from "../../../server/src/reportPayload.js";

export type { ReportPayload };

/** One chart of the report. */
export interface ReportChart {
  /**
   * Stable id, also the chart's `data-testid`: sweep, scatter, sizes, silhouette, profile, and the
   * method's own chart: dendrogram, reachability (DBSCAN, OPTICS) or condensed-tree (HDBSCAN).
   */
  id: string;
  title: string;
  /** One or two sentences under the title. */
  caption: string;
  figure: Figure;
  height: number;
  /** Spans the full width of the grid. */
  wide: boolean;
}

export const ALGORITHM_LABELS: Record<string, string> = {
  kmeans: "k-means",
  "minibatch-kmeans": "Mini-batch k-means",
  "bisecting-kmeans": "Bisecting k-means",
  kmedoids: "k-medoids",
  gmm: "Gaussian mixture",
  agglomerative: "Agglomerative (hierarchical)",
  dbscan: "DBSCAN",
  optics: "OPTICS",
  hdbscan: "HDBSCAN",
  meanshift: "Mean shift",
  "affinity-propagation": "Affinity propagation",
  spectral: "Spectral clustering",
  birch: "BIRCH",
};

/** The model parameters' labels and `clusterlab report` flags (the server's `ClusterParams`). */
const PARAM_INFO: Record<string, { label: string; flag: string }> = {
  k: { label: "Clusters k", flag: "--k" },
  linkage: { label: "Linkage", flag: "--linkage" },
  distanceThreshold: { label: "Cut height", flag: "--distance-threshold" },
  covarianceType: { label: "Covariance type", flag: "--covariance-type" },
  metric: { label: "Distance", flag: "--metric" },
  eps: { label: "eps (neighbourhood radius)", flag: "--eps" },
  minSamples: { label: "Min samples", flag: "--min-samples" },
  minClusterSize: { label: "Min cluster size", flag: "--min-cluster-size" },
  clusterSelectionMethod: { label: "Cluster selection", flag: "--cluster-selection-method" },
  xi: { label: "xi (steepness)", flag: "--xi" },
  damping: { label: "Damping", flag: "--damping" },
  bandwidth: { label: "Bandwidth", flag: "--bandwidth" },
  threshold: { label: "Threshold", flag: "--threshold" },
  branchingFactor: { label: "Branching factor", flag: "--branching-factor" },
  affinity: { label: "Affinity", flag: "--affinity" },
  nNeighbors: { label: "Neighbours", flag: "--n-neighbors" },
  batchSize: { label: "Batch size", flag: "--batch-size" },
};

/** The algorithms whose fit uses no randomness (their report leaves the seed out). */
const DETERMINISTIC = new Set(["agglomerative", "dbscan", "optics", "hdbscan", "meanshift", "affinity-propagation"]);

/** The parameters the report records, as [name, value] (null values: "computed from the data" ones left unset). */
function paramEntries(p: ReportPayload): [string, string | number][] {
  return Object.entries(p.spec.params).filter(
    (e): e is [string, string | number] => e[1] !== null && e[1] !== undefined,
  );
}

const SCALING_LABELS: Record<string, string> = {
  standard: "standardised (mean 0, standard deviation 1)",
  minmax: "min-max to [0, 1]",
  robust: "robust (median 0, interquartile range 1)",
  none: "none (raw values)",
};

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** The charts, in page order (those without data are left out: no dendrogram for k-means). */
export function reportCharts(p: ReportPayload): ReportChart[] {
  const c = p.cluster;
  const charts: ReportChart[] = [];
  if (p.sweep) {
    const s = p.sweep;
    charts.push({
      id: "sweep",
      title: "Choosing k",
      caption: `k-means inertia (with its elbow) and mean silhouette for k = ${s.ks[0]} to ${s.ks[s.ks.length - 1]}. Suggested k = ${s.suggestion.k}: ${s.suggestion.reason}.`,
      figure: sweepFigure(s, c.k),
      height: 400,
      wide: false,
    });
  }
  const proj = c.projection;
  charts.push({
    id: "scatter",
    title: "Clusters on the first two principal components",
    caption: `${count(proj.x.length)} ${proj.sampled ? `sampled rows of ${count(c.nRows)}` : "rows"} of the scaled features, coloured by cluster${c.nNoise > 0 ? `, noise (${count(c.nNoise)} rows) in grey` : ""}; the crosses are the cluster means.`,
    figure: scatterFigure(proj, c.k, p.spec.columns),
    height: 440,
    wide: !p.sweep,
  });
  charts.push({
    id: "sizes",
    title: "Cluster sizes",
    caption: c.nNoise > 0 ? "Rows in each cluster, and the rows left as noise (grey)." : "Rows in each cluster.",
    figure: sizesFigure(c.sizes, { nNoise: c.nNoise }),
    height: 320,
    wide: false,
  });
  if (c.silhouette) {
    charts.push({
      id: "silhouette",
      title: "Silhouette plot",
      caption: `Each row's silhouette, sorted within its cluster${c.silhouette.sampleSize < c.nRows ? ` (a seeded sample of ${count(c.silhouette.sampleSize)} rows)` : ""}; the dashed line is the mean.`,
      figure: silhouetteFigure(c.silhouette, c.metrics.silhouette),
      height: 320,
      wide: false,
    });
  }
  charts.push({
    id: "profile",
    title: "Cluster profiles",
    caption: "Each cluster's feature means; the colour is how many standard deviations they sit from the overall mean.",
    figure: profileFigure(c.profile, c.sizes),
    height: Math.max(220, 70 + 44 * c.k),
    wide: true,
  });
  if (c.dendrogram) {
    charts.push({
      id: "dendrogram",
      title: "Dendrogram",
      caption:
        "The last merges of the hierarchy (30 leaves; “(n)” is a collapsed subtree of n rows), cut into k clusters at the dashed line.",
      figure: dendrogramFigure(c.dendrogram, c.k),
      height: 360,
      wide: true,
    });
  }
  if (c.reachability) {
    const r = c.reachability;
    charts.push({
      id: "reachability",
      title: "Reachability plot",
      caption: `OPTICS ordering of the rows (min samples ${r.minSamples}): valleys are clusters, noise is grey${r.eps !== null ? `; DBSCAN cuts it at eps = ${Number(r.eps.toPrecision(3))} (dashed line)` : ""}${r.binSize > 1 ? `; each bar is ${r.binSize} rows` : ""}.`,
      figure: reachabilityFigure(r),
      height: 340,
      wide: true,
    });
  }
  if (c.condensedTree) {
    charts.push({
      id: "condensed-tree",
      title: "Condensed tree",
      caption:
        "HDBSCAN's cluster hierarchy: λ = 1 / distance grows downwards, each branch as wide as the rows still in it; the selected clusters are coloured.",
      figure: condensedTreeFigure(c.condensedTree),
      height: 380,
      wide: true,
    });
  }
  return charts;
}

/** A metric card: label, formatted value, hint. */
export interface ReportMetric {
  id: string;
  label: string;
  value: string;
  hint: string;
}

/** The metric cards (inertia for the k-means family, BIC for the mixture). */
export function reportMetrics(p: ReportPayload): ReportMetric[] {
  const c = p.cluster;
  const m = c.metrics;
  const metrics: ReportMetric[] = [
    {
      id: "k",
      label: "Clusters",
      value: String(c.k),
      hint:
        c.nNoise > 0
          ? `${count(c.nRows - c.nNoise)} of ${count(c.nRows)} rows clustered`
          : `${count(c.nRows)} rows clustered`,
    },
    { id: "silhouette", label: "Silhouette", value: formatMetric(m.silhouette), hint: "−1 to 1, higher is better" },
    {
      id: "calinski-harabasz",
      label: "Calinski-Harabasz",
      value: formatMetric(m.calinskiHarabasz),
      hint: "higher is better",
    },
    { id: "davies-bouldin", label: "Davies-Bouldin", value: formatMetric(m.daviesBouldin), hint: "lower is better" },
  ];
  if (m.inertia !== null) {
    metrics.push({ id: "inertia", label: "Inertia", value: formatMetric(m.inertia), hint: "within-cluster SS" });
  }
  if (m.bic !== null) metrics.push({ id: "bic", label: "BIC", value: formatMetric(m.bic), hint: "lower is better" });
  if (c.nNoise > 0) {
    const share = `${((100 * c.nNoise) / Math.max(1, c.nRows)).toFixed(1)}% of the rows`;
    metrics.push({ id: "noise", label: "Noise", value: count(c.nNoise), hint: `${share}, left out of the scores` });
  }
  return metrics;
}

/** The preprocessing and model parameters as label/value rows. */
export function reportParameters(p: ReportPayload): [string, string][] {
  const s = p.spec;
  const c = p.cluster;
  const rows: [string, string][] = [
    ["Input", s.input],
    ["Feature columns", `${s.columns.join(", ")} (${s.columns.length})`],
  ];
  if (s.exclude.length > 0) rows.push(["Excluded", s.exclude.join(", ")]);
  rows.push(
    [
      "Missing values",
      s.dropMissing ? `rows with a missing feature dropped (${count(c.rowsDropped)})` : "none in the features",
    ],
    ["Rows clustered", count(c.nRows)],
    ["Scaling", SCALING_LABELS[s.scaling] ?? s.scaling],
    ["Algorithm", ALGORITHM_LABELS[s.algorithm] ?? s.algorithm],
  );
  for (const [name, value] of paramEntries(p)) {
    const label = name === "k" && s.algorithm === "gmm" ? "Components k" : (PARAM_INFO[name]?.label ?? name);
    rows.push([label, typeof value === "number" ? String(Number(value.toPrecision(6))) : value]);
  }
  if (!DETERMINISTIC.has(s.algorithm)) rows.push(["Seed", String(s.seed)]);
  rows.push(["Fit time", `${c.fitSeconds.toFixed(3)} s`]);
  return rows;
}

function shellQuote(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `clusterlab report` command line that writes this report again. */
export function reproduceCommand(p: ReportPayload): string {
  const s = p.spec;
  const words = ["clusterlab", "report", s.input, "--columns", s.columns.join(",")];
  words.push("--scale", s.scaling, "--algo", s.algorithm);
  for (const [name, value] of paramEntries(p)) {
    const flag = PARAM_INFO[name]?.flag;
    if (flag) words.push(flag, String(value));
  }
  words.push("--seed", String(s.seed));
  if (s.dropMissing) words.push("--drop-missing");
  words.push("--out", "report.html");
  return words.map(shellQuote).join(" ");
}
