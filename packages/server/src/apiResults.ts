/**
 * Request and answer shapes of the results endpoints: `POST /api/projection` (PCA in 3-D, t-SNE,
 * UMAP), `POST /api/segments` (the segments of a run explained), `POST /api/evaluate` (held-out
 * evaluation and stability) and `POST /api/anomalies`. Types only: the dashboard imports this file.
 */
import type { BoxStats, ProjectionMethod, StabilityResult } from "@clusterlab/charts";
import type { Algorithm, ClusterParams, EveryMember, FeatureRequest } from "./api.js";

export type { BoxStats, ProjectionMethod, StabilityResult } from "@clusterlab/charts";

const projectionMethods = ["pca", "tsne", "umap"] as const satisfies readonly ProjectionMethod[];
export const PROJECTION_METHODS: EveryMember<ProjectionMethod, typeof projectionMethods> = projectionMethods;

/** Body of `POST /api/projection`: the features (as `POST /api/cluster`) and the projection. */
export interface ProjectionRequest extends FeatureRequest {
  method: ProjectionMethod;
  /** 2 or 3. Default 2. */
  nComponents?: number;
}

/**
 * The displayed points of `POST /api/cluster` (its `projection`: all rows, or a seeded sample of
 * 20,000) placed by another projection. t-SNE has no transform, so above 5,000 displayed points it
 * places a seeded sample of 5,000 of them (`points`); UMAP is fitted on at most 5,000 of them and
 * places the others with its `transform`.
 */
export interface ProjectionResponse {
  method: ProjectionMethod;
  nComponents: number;
  /** The `projection.geometryId` of the cluster answers these points belong to. */
  geometryId: string;
  /** Positions (indices into `ClusterResult.projection`'s arrays) of the points placed, increasing. */
  points: number[];
  /** One array per component: `coords[c][i]` is component c of point `points[i]`. */
  coords: number[][];
  /** Points the projection was fitted on. */
  fitted: number;
  /** Points placed afterwards by the fitted model's transform (UMAP). */
  transformed: number;
  /** Displayed points (the length of `ClusterResult.projection.x`). */
  nDisplayed: number;
  /** Rows of the features. */
  nRows: number;
  /** Axis titles, e.g. "PC1 (73.0% of variance)", "t-SNE 1". */
  axisTitles: string[];
  /** Seconds of computation (0 when it came from the cache). */
  seconds: number;
  cached: boolean;
}

/** Body of `POST /api/segments`: the features of a run and its id. */
export interface SegmentsRequest extends FeatureRequest {
  /** The run (`ClusterResult.runId`) whose labels are explained. */
  runId: string;
}

/** One distinguishing feature of a segment. */
export interface SegmentFeatureResult {
  feature: string;
  /** Size of the difference: |Cohen's d| for a number. */
  effect: number;
  direction: "higher" | "lower" | "same";
  /** The segment's mean and that of the other rows. */
  mean: number | null;
  restMean: number | null;
  /** z-score of the segment mean in the whole data. */
  z: number;
  /** "very high income (mean 92.1 vs 48.3)". */
  text: string;
}

/** One segment (cluster, or the noise rows), explained. */
export interface SegmentResult {
  /** Cluster label (-1: noise). */
  label: number;
  /** Generated name, unique among the segments ("High income, low spending score"). */
  name: string;
  size: number;
  share: number;
  /** Surrogate-tree rule, e.g. "income > 72 and spending_score <= 35". */
  rule: string;
  /** Precision and recall of the rule on the rows. */
  precision: number;
  recall: number;
  /** False when no tree leaf has a majority of the segment (the rule is its purest leaf). */
  ruleIsMajority: boolean;
  /** Strongest first. */
  topFeatures: SegmentFeatureResult[];
}

export interface SegmentsResponse {
  runId: string;
  nRows: number;
  features: string[];
  /** Clusters by ascending label, then the noise group. */
  segments: SegmentResult[];
  /** Depth of the rule trees and the rows they were grown on. */
  treeDepth: number;
  treeRows: number;
  /** Per feature (in `features` order), per segment (in `segments` order): the box of its values. */
  boxes: (BoxStats | null)[][];
  /** A seeded sample of rows for the parallel coordinates: values[feature][i] and the label of row i. */
  sample: { values: number[][]; labels: number[]; sampled: boolean };
  seconds: number;
}

/** Body of `POST /api/evaluate`: the features and clustering of a run. */
export interface EvaluateRequest extends FeatureRequest {
  runId: string;
  algorithm: Algorithm;
  params?: ClusterParams;
  /** Bootstrap replicates of the stability (default 20). */
  nBootstrap?: number;
  /** Share of the rows held out (default 0.3). */
  testSize?: number;
  /** Evaluate on a seeded sample of at most this many rows (default 2,000): every replicate refits. */
  maxRows?: number;
}

/** Silhouette, Calinski-Harabasz, Davies-Bouldin on some rows (noise left out). */
export interface InternalScoresResult {
  silhouette: number | null;
  calinskiHarabasz: number | null;
  daviesBouldin: number | null;
  nClusters: number;
  nNoise: number;
}

export interface EvaluateResponse {
  runId: string;
  algorithm: Algorithm;
  /** Rows evaluated (all, or a seeded sample). */
  sampleSize: number;
  nRows: number;
  /** Fit on the training rows, predict the test rows; ARI against a refit on the test rows. */
  heldOut: {
    testSize: number;
    nTrain: number;
    nTest: number;
    ari: number;
    train: InternalScoresResult;
    test: InternalScoresResult;
  } | null;
  /** Clusterwise bootstrap stability (Hennig 2007): mean Jaccard per cluster. */
  stability: StabilityResult | null;
  /** Prediction strength (Tibshirani & Walther 2005), for the algorithms with a k. */
  predictionStrength: { k: number; folds: number; repeats: number; value: number; values: number[] } | null;
  /** Why a part is missing, or how it was computed. */
  notes: string[];
  seconds: number;
}

/** Body of `POST /api/anomalies`. */
export interface AnomaliesRequest extends FeatureRequest {
  runId: string;
  /** Share of the rows flagged, in (0, 0.5]. Default 0.05. */
  contamination?: number;
  /** Flagged rows listed (highest score first). Default 20. */
  top?: number;
}

export interface AnomalyRowResult {
  rank: number;
  /** 0-based row of the file. */
  row: number;
  score: number;
  /** The cluster it was scored against (-1: none, a noise row under a density score). */
  cluster: number;
  /** Its label in the run (-1: noise). */
  label: number;
  /** The features that make it unusual, largest |deviation| first. */
  features: { feature: string; value: number; typical: number; z: number }[];
}

export interface AnomaliesResponse {
  runId: string;
  /**
   * The score (core's `ClusterAnomalyScoreKind`), the run's own algorithm's where core has one:
   * "glosh" (HDBSCAN), "coreSampleDistance" (DBSCAN), "coreDistance" (OPTICS),
   * "negativeLogLikelihood" (Gaussian mixture); else, or when a refit does not reproduce the run's
   * clusters, "relativeCenterDistance" (distance to the nearest centre over the cluster's spread).
   */
  kind: string;
  /** The score in plain words; when the centre score stands in for the algorithm's own, why. */
  description: string;
  contamination: number;
  threshold: number;
  nAnomalies: number;
  nRows: number;
  top: AnomalyRowResult[];
  /** Positions (into `ClusterResult.projection`'s arrays) of the displayed points flagged. */
  displayedPoints: number[];
  geometryId: string;
  /** Score distribution: [min, q1, median, q3, max] over every row. */
  quantiles: number[];
  /**
   * True when the scores came from an earlier request on the same run and features (they do not
   * depend on the contamination or the listed rows): no refit was needed.
   */
  scoresReused: boolean;
  seconds: number;
}
