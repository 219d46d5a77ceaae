/** Between saved runs and the Cluster page's settings. Pure functions. */

import { formatShort } from "@clusterlab/charts";
import type { ClusterParams, CompareRowResult, RunSettings, RunSummary } from "./api.js";
import { ALGORITHM_LABELS, type Settings } from "./components/ControlPanel.js";

/** The Cluster page's settings that redo a saved run (dataset, columns, scaling, algorithm, parameters). */
export function settingsFromRun(run: RunSettings): Partial<Settings> {
  const p = run.params;
  const out: Partial<Settings> = {
    dataset: run.dataset,
    columns: [...run.columns],
    scaling: run.scaling,
    algorithm: run.algorithm,
  };
  if (p.k !== undefined) out.k = p.k;
  if (p.linkage !== undefined) out.linkage = p.linkage;
  if (p.distanceThreshold !== undefined) out.cutHeight = p.distanceThreshold;
  if (p.covarianceType !== undefined) out.covarianceType = p.covarianceType;
  if (p.metric !== undefined) out.metric = p.metric;
  if (p.eps !== undefined) out.eps = p.eps;
  if (p.minSamples !== undefined) out.minSamples = p.minSamples;
  if (p.minClusterSize !== undefined && p.minClusterSize !== null) out.minClusterSize = p.minClusterSize;
  if (p.clusterSelectionMethod !== undefined) out.clusterSelectionMethod = p.clusterSelectionMethod;
  if (p.xi !== undefined) out.xi = p.xi;
  if (p.damping !== undefined) out.damping = p.damping;
  if (p.bandwidth !== undefined) out.bandwidth = p.bandwidth;
  if (p.threshold !== undefined) out.threshold = p.threshold;
  if (p.branchingFactor !== undefined) out.branchingFactor = p.branchingFactor;
  if (p.affinity !== undefined) out.affinity = p.affinity;
  if (p.nNeighbors !== undefined) out.nNeighbors = p.nNeighbors;
  if (p.batchSize !== undefined) out.batchSize = p.batchSize;
  return out;
}

const PARAM_NAMES: Partial<Record<keyof ClusterParams, string>> = {
  linkage: "linkage",
  distanceThreshold: "cut",
  covarianceType: "covariance",
  metric: "metric",
  eps: "eps",
  minSamples: "min samples",
  minClusterSize: "min cluster",
  clusterSelectionMethod: "selection",
  xi: "xi",
  damping: "damping",
  bandwidth: "bandwidth",
  threshold: "threshold",
  branchingFactor: "branching",
  affinity: "affinity",
  nNeighbors: "neighbours",
  batchSize: "batch",
};

/** The parameters other than k, short: "linkage ward · metric euclidean". Defaults that say nothing are left out. */
export function paramsText(params: ClusterParams): string {
  const parts: string[] = [];
  for (const [key, name] of Object.entries(PARAM_NAMES) as [keyof ClusterParams, string][]) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    if (key === "metric" && value === "euclidean") continue;
    parts.push(`${name} ${typeof value === "number" ? formatShort(value) : String(value)}`);
  }
  return parts.join(" · ");
}

/** "K-means, k = 3" (clusters found), or the name the user gave. */
export function runTitle(run: Pick<RunSummary, "algorithm" | "k" | "name" | "nNoise">): string {
  if (run.name) return run.name;
  return `${ALGORITHM_LABELS[run.algorithm]}, k = ${run.k}${run.nNoise > 0 ? " + noise" : ""}`;
}

/** "just now", "5 min ago", "3 h ago", else the date and time. */
export function whenText(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Columns the comparison table sorts by. */
export type SortKey =
  | "rank"
  | "title"
  | "nClusters"
  | "noiseShare"
  | "silhouette"
  | "calinskiHarabasz"
  | "daviesBouldin"
  | "adjustedRand"
  | "normalizedMutualInfo"
  | "fitSeconds";

/** A comparison row's value in a column. */
export function sortValue(r: CompareRowResult, key: SortKey): number | string | null {
  if (key === "title") return r.title;
  return r[key];
}

/** Rows sorted by a column; rows without a value last whatever the direction. */
export function sortRows(rows: readonly CompareRowResult[], key: SortKey, descending: boolean): CompareRowResult[] {
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === "string" ? x.localeCompare(String(y)) : x - (y as number);
    return descending ? -c : c;
  });
}
