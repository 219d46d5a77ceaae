/**
 * The JSON shapes of the saved-runs, comparison and export endpoints (`GET /api/runs`, `/api/compare`,
 * `/api/runs/compare`, `/api/runs/:id/...`). Types only, with type-only imports, so the dashboard
 * (compiled with DOM typings) imports them as it imports `api.ts`.
 */
import type { ContingencyTable } from "@clusterlab/charts";
import type { Algorithm, ClusterMetricsResult, ClusterParams, Scaling } from "./api.js";

export type { ContingencyTable } from "@clusterlab/charts";

/** The settings of a run: what `POST /api/cluster` was asked (enough to redo it on the Cluster page). */
export interface RunSettings {
  dataset: string;
  columns: string[];
  scaling: Scaling;
  dropMissing: boolean;
  seed: number;
  algorithm: Algorithm;
  /** The parameters used, defaults filled in (the eps DBSCAN chose, ...). */
  params: ClusterParams;
}

/** One saved run, as listed. */
export interface RunSummary {
  /** Run id (`r-` and 16 hex digits). */
  id: string;
  /** ISO time the run was made. */
  created: string;
  /** The dataset's id and its name when it was run. */
  dataset: string;
  datasetName: string;
  algorithm: Algorithm;
  params: ClusterParams;
  columns: string[];
  scaling: Scaling;
  seed: number;
  /** Clusters found (noise not counted). */
  k: number;
  nNoise: number;
  /** Rows clustered, rows dropped for missing values, rows in the file. */
  nRows: number;
  rowsDropped: number;
  nRowsTotal: number;
  metrics: ClusterMetricsResult;
  /** Seconds of the whole request. */
  totalSeconds: number;
  /** Pinned runs are kept until deleted; the others are the automatic history (the latest per dataset). */
  pinned: boolean;
  /** A name given by the user, or null. */
  name: string | null;
}

/** `GET /api/runs/:id`. */
export interface RunDetail extends RunSummary {
  settings: RunSettings;
  /** Rows per cluster. */
  sizes: number[];
  warnings: string[];
  /** The analysis spec of the run (as `GET /api/runs/:id/spec.json` sends it). */
  spec: unknown;
  /** Where the spec does not reproduce the dashboard run exactly, why; else null. */
  specNote: string | null;
  timings: { fitSeconds: number; viewSeconds: number; totalSeconds: number; precomputed: boolean };
}

/** `GET /api/runs`: newest first. */
export interface RunList {
  runs: RunSummary[];
  /** Runs matching the filter (all pages). */
  total: number;
  offset: number;
  limit: number;
  /** Unpinned runs kept per dataset (older ones are dropped). */
  historyPerDataset: number;
  /** Why the last background save failed (the store was locked by another process...), or null. */
  saveError: string | null;
}

/** `GET /api/runs` query. */
export interface RunListQuery {
  dataset?: string;
  pinned?: boolean;
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

/** `PATCH /api/runs/:id` body. */
export interface RunPatch {
  pinned?: boolean;
  /** Up to 120 characters; null or "" removes it. */
  name?: string | null;
}

/** `DELETE /api/runs/:id` answer. */
export interface RunDeleted {
  deleted: string;
}

/** `GET /api/runs/:id/labels`: the cluster of every file row (null: not clustered, -1: noise). */
export interface RunLabels {
  id: string;
  labels: (number | null)[];
}

/** `GET /api/runs/compare?a=&b=`: how the clusters of two runs on the same dataset map onto each other. */
export interface RunComparison extends ContingencyTable {
  a: RunSummary;
  b: RunSummary;
  /** Rows clustered in both runs (noise included as the label -1). */
  rowsCompared: number;
  /** Adjusted Rand index and normalised mutual information of the two labelings (core's metrics). */
  adjustedRand: number;
  normalizedMutualInfo: number;
}

/** `POST /api/compare` body: rank every algorithm on the dataset's features (lab's `compareModels`). */
export interface CompareRequest {
  dataset: string;
  columns: string[];
  scaling?: Scaling;
  dropMissing?: boolean;
  seed?: number;
  /** k of the k-based algorithms; default: the silhouette-best k of a k-means sweep over 2..10. */
  k?: number | null;
  /** Column the clusters are compared with (ARI, NMI); null: none; omitted: the column inferred as the target. */
  target?: string | null;
  /** Spec algorithm names; default every algorithm for numeric features (all but kmodes and kprototypes). */
  algorithms?: string[];
  jobId?: string;
}

/** One algorithm's row (lab's `CompareRow`). */
export interface CompareRowResult {
  rank: number | null;
  algorithm: string;
  id: string;
  title: string;
  k: number | null;
  nClusters: number | null;
  nNoise: number | null;
  noiseShare: number | null;
  silhouette: number | null;
  calinskiHarabasz: number | null;
  daviesBouldin: number | null;
  adjustedRand: number | null;
  normalizedMutualInfo: number | null;
  silhouetteDistance: "euclidean" | "mismatch";
  fitSeconds: number | null;
  totalSeconds: number;
  status: "ok" | "failed" | "skipped";
  error: string | null;
}

/** `POST /api/compare` answer. */
export interface CompareResult {
  jobId: string;
  dataset: string;
  columns: string[];
  rows: CompareRowResult[];
  k: number;
  kBy: "given" | "silhouette";
  kReason: string;
  /** The column compared with, or null. */
  target: string | null;
  /** The columns offered as a target (not features): the dashboard's choice. */
  targetCandidates: string[];
  warnings: string[];
  seconds: number;
}
