/**
 * The data embedded in a standalone HTML report (`<script type="application/json">`), read by the
 * report page (`packages/dashboard/src/report/`). Types only, with type-only imports, so the
 * dashboard (compiled with DOM typings) can import them too, as it does `api.ts`.
 */
import type {
  Algorithm,
  ClusterMetricsResult,
  ClusterParams,
  CondensedTreeResult,
  DendrogramResult,
  ProfileResult,
  ProjectionResult,
  ReachabilityResult,
  Scaling,
  SilhouettePlotResult,
  SweepResult,
} from "./api.js";

/** One column of the data summary. */
export interface ReportColumn {
  name: string;
  /** DuckDB type, e.g. `DOUBLE`, `VARCHAR`. */
  type: string;
  /** Inferred (or user-set) role: numeric, categorical, id, target, ... */
  role: string;
  /** Why the role was chosen. */
  reason: string;
  missing: number;
  distinct: number;
  /** Whether the column is one of the clustering features. */
  used: boolean;
}

/** The algorithms a report runs: every algorithm of the dashboard. */
export type ReportAlgorithm = Algorithm;

/**
 * The model parameters a report records: the algorithm's own (`ALGORITHM_PARAMS`), defaults filled
 * in, and those worked out on the way (the eps DBSCAN chose when none was given).
 */
export type ReportParams = ClusterParams;

/** What was asked for: enough to reproduce the run with `clusterlab report`. */
export interface ReportSpec {
  /** The input file's name (its base name, never a full path). */
  input: string;
  columns: string[];
  exclude: string[];
  scaling: Scaling;
  algorithm: ReportAlgorithm;
  params: ReportParams;
  seed: number;
  dropMissing: boolean;
  /** k range of the choice-of-k sweep. */
  sweep: { kMin: number; kMax: number } | null;
}

/** The clustering result: the dashboard's `ClusterResult` without the per-row labels and run id. */
export interface ReportCluster {
  nRows: number;
  rowsDropped: number;
  /** Clusters found (noise not counted). */
  k: number;
  sizes: number[];
  /** Rows labelled noise (-1): DBSCAN, OPTICS, HDBSCAN. */
  nNoise: number;
  metrics: ClusterMetricsResult;
  projection: ProjectionResult;
  silhouette: SilhouettePlotResult | null;
  profile: ProfileResult;
  dendrogram: DendrogramResult | null;
  /** OPTICS reachability plot (DBSCAN and OPTICS). */
  reachability: ReachabilityResult | null;
  /** HDBSCAN condensed tree. */
  condensedTree: CondensedTreeResult | null;
  fitSeconds: number;
}

/** Everything a report shows. Plain JSON. */
export interface ReportPayload {
  version: 1;
  title: string;
  /** ISO time the report was written. */
  createdAt: string;
  clusterlabVersion: string;
  data: {
    nRows: number;
    nColumns: number;
    columns: ReportColumn[];
    missing: { cells: number; rows: number };
    /** The target column found by role inference, or null. */
    target: string | null;
    /** Hopkins statistic of the numeric features (clustering tendency), or null. */
    hopkins: { value: number; interpretation: string } | null;
  };
  spec: ReportSpec;
  cluster: ReportCluster;
  /** k-means scores for each k and the suggestion (null with fewer than 3 rows, or without a sweep). */
  sweep: SweepResult | null;
  warnings: string[];
}
