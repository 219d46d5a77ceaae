/**
 * The results views of a run computed in the worker threads: its segments explained (lab
 * `explainSegments`: core `segmentProfiles`, `decisionTreeRules`, `segmentNames`), their
 * distributions, the held-out evaluation and stability of the clustering (core
 * `heldOutEvaluation`, `bootstrapStability`, `predictionStrength`), and per-row anomaly scores
 * (core `clusterAnomalyScores` of the run's own algorithm where core has a score for it,
 * `anomalyThreshold`, `anomalyContributions`). Pure functions of their inputs; no Node APIs.
 */
import {
  AffinityPropagation,
  AgglomerativeClustering,
  adjustedRandScore,
  anomalyContributions,
  anomalyThreshold,
  Birch,
  BisectingKMeans,
  bootstrapStability,
  clusterAnomalyScores,
  DBSCAN,
  featurePhrase,
  GaussianMixture,
  HDBSCAN,
  heldOutEvaluation,
  type InternalScores,
  KMeans,
  KMedoids,
  labellingAtCut,
  type Matrix,
  MeanShift,
  MiniBatchKMeans,
  memoryLogger,
  OPTICS,
  type OPTICSModel,
  predictionStrength,
  type RefitEstimator,
  SpectralClustering,
  ValidationError,
} from "@clusterlab/core";
import { boxStats, explainSegments, quantile, type Table } from "@clusterlab/lab";

// The box of a box plot is lab's (`boxStats`, shared with plotModel's distribution chart).
export { boxStats };

import { fitGmm, OPTICS_UNBOUNDED_MAX_ROWS, opticsMaxEps, PARAM_DEFAULTS, type ProgressFn } from "./algorithms.js";
import { rowLimit, sampleRows, takeRows } from "./analysis.js";
import { type Algorithm, type ClusterParams, K_ALGORITHMS } from "./api.js";
import type {
  AnomalyRowResult,
  BoxStats,
  EvaluateResponse,
  InternalScoresResult,
  SegmentResult,
} from "./apiResults.js";

/** Rows drawn in the parallel-coordinates chart (a seeded sample above). */
export const PARCOORDS_MAX_ROWS = 1_000;

// ---------------------------------------------------------------------------------------------
// Segments

export interface SegmentsJob {
  /** Raw feature values of the clustered rows. */
  X: Matrix;
  columns: string[];
  /** Cluster of each row of X (-1: noise). */
  labels: Int32Array;
  seed: number;
}

export interface SegmentsOutput {
  segments: SegmentResult[];
  treeDepth: number;
  treeRows: number;
  boxes: (BoxStats | null)[][];
  sample: { values: number[][]; labels: number[]; sampled: boolean };
}

const round = (v: number, digits = 6) => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : v);

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a >= 1e5 || (a > 0 && a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** The run's segments explained, their value distributions and a sample of rows for parallel coordinates. */
export function runSegmentsJob(job: SegmentsJob, onProgress: ProgressFn = () => {}): SegmentsOutput {
  const { X, columns, labels, seed } = job;
  const n = X.rows;
  const d = X.cols;
  const column = (j: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = X.data[i * d + j];
    return out;
  };
  const table: Table = {
    source: "the chosen features",
    nRows: n,
    columns: columns.map((name, j) => ({ name, type: "DOUBLE", kind: "numeric" as const, values: column(j) })),
  };
  onProgress({ fraction: 0.1, message: `explaining the segments of ${n.toLocaleString("en-US")} rows` });
  const explained = explainSegments(table, labels, { features: columns, topFeatures: 5, treeDepth: 3 });
  const segments: SegmentResult[] = explained.segments.map((s) => ({
    label: s.label,
    name: s.name,
    size: s.size,
    share: s.share,
    rule: s.rule,
    precision: s.precision,
    recall: s.recall,
    ruleIsMajority: s.ruleIsMajority,
    topFeatures: s.topFeatures.map((f) => ({
      feature: f.feature,
      effect: round(f.effect, 4),
      direction: f.direction ?? "same",
      mean: f.mean ?? null,
      restMean: f.restMean ?? null,
      z: round(f.z ?? 0, 4),
      text: `${featurePhrase(f)} (mean ${fmt(f.mean)} vs ${fmt(f.restMean)} elsewhere)`,
    })),
  }));
  onProgress({ fraction: 0.7, message: "distributions per segment" });
  const order = segments.map((s) => s.label);
  const members = order.map((label) => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === label) rows.push(i);
    return rows;
  });
  const boxes = columns.map((_, j) =>
    members.map((rows) => boxStats(Float64Array.from(rows, (i) => X.data[i * d + j]))),
  );
  const pick = sampleRows(n, PARCOORDS_MAX_ROWS, seed + 5);
  return {
    segments,
    treeDepth: explained.rules.maxDepth,
    treeRows: explained.rules.treeRows,
    boxes,
    sample: {
      values: columns.map((_, j) => Array.from(pick, (i) => round(X.data[i * d + j]))),
      labels: Array.from(pick, (i) => labels[i]),
      sampled: pick.length < n,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** The core estimator of a dashboard algorithm with the run's parameters (what the evaluation refits). */
export function estimatorFor(algorithm: Algorithm, params: ClusterParams, seed: number): RefitEstimator {
  const logger = memoryLogger();
  const k = params.k ?? PARAM_DEFAULTS.k;
  const metric = params.metric ?? "euclidean";
  switch (algorithm) {
    case "kmeans":
      return new KMeans({ nClusters: k, seed, logger });
    case "minibatch-kmeans":
      return new MiniBatchKMeans({ nClusters: k, seed, logger, batchSize: params.batchSize });
    case "bisecting-kmeans":
      return new BisectingKMeans({ nClusters: k, seed, logger });
    case "kmedoids":
      return new KMedoids({ nClusters: k, metric, seed, logger });
    case "gmm":
      return new GaussianMixture({ nComponents: k, covarianceType: params.covarianceType ?? "full", seed, logger });
    case "meanshift":
      return new MeanShift({ bandwidth: params.bandwidth ?? undefined, seed, logger });
    case "affinity-propagation":
      return new AffinityPropagation({ damping: params.damping, seed, logger });
    case "spectral":
      return new SpectralClustering({
        nClusters: k,
        affinity: params.affinity ?? "rbf",
        nNeighbors: params.nNeighbors,
        seed,
        logger,
      });
    case "birch":
      return new Birch({ threshold: params.threshold, branchingFactor: params.branchingFactor, nClusters: k, logger });
    case "agglomerative": {
      const height = params.distanceThreshold ?? null;
      return new AgglomerativeClustering({
        nClusters: height === null ? k : null,
        distanceThreshold: height,
        linkage: params.linkage ?? "ward",
        metric,
        logger,
      });
    }
    case "dbscan":
      if (params.eps == null) throw new ValidationError("invalid params.eps: null (DBSCAN needs the eps of the run)");
      return new DBSCAN({ eps: params.eps, minSamples: params.minSamples, metric });
    case "optics":
      return new OPTICS({
        minSamples: params.minSamples,
        metric,
        xi: params.xi,
        minClusterSize: params.minClusterSize ?? null,
        logger,
      });
    case "hdbscan": {
      const dbscanCut = params.clusterSelectionMethod === "dbscan";
      return new HDBSCAN({
        minClusterSize: params.minClusterSize ?? 5,
        minSamples: params.minSamples,
        metric: metric as "euclidean",
        clusterSelectionMethod: params.clusterSelectionMethod === "leaf" ? "leaf" : "eom",
        ...(dbscanCut && params.eps != null && { clusterSelectionEpsilon: params.eps }),
      });
    }
  }
}

export interface EvaluateJob {
  Xs: Matrix;
  labels: Int32Array;
  algorithm: Algorithm;
  params: ClusterParams;
  seed: number;
  nBootstrap: number;
  testSize: number;
  maxRows: number;
}

export type EvaluateOutput = Omit<EvaluateResponse, "runId" | "algorithm" | "seconds" | "nRows">;

function scores(s: InternalScores): InternalScoresResult {
  const r = (v: number | null) => (v === null ? null : round(v, 5));
  return {
    silhouette: r(s.silhouette),
    calinskiHarabasz: r(s.calinskiHarabasz),
    daviesBouldin: r(s.daviesBouldin),
    nClusters: s.nClusters,
    nNoise: s.nNoise,
  };
}

function problem(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Held-out evaluation, bootstrap stability and prediction strength of a run, on a seeded sample. */
export function runEvaluateJob(job: EvaluateJob, onProgress: ProgressFn = () => {}): EvaluateOutput {
  const { Xs, labels, algorithm, params, seed, nBootstrap, testSize, maxRows } = job;
  const n = Xs.rows;
  const rows = sampleRows(n, maxRows, seed + 6);
  const X = rows.length === n ? Xs : takeRows(Xs, rows);
  const lab = rows.length === n ? labels : Int32Array.from(rows, (r) => labels[r]);
  const m = X.rows;
  const notes: string[] = [];
  if (m < n)
    notes.push(
      `Computed on a seeded sample of ${m.toLocaleString("en-US")} of the ${n.toLocaleString("en-US")} rows: every replicate refits the clustering.`,
    );
  if (algorithm === "dbscan" || algorithm === "optics" || algorithm === "hdbscan") {
    if (m < n) notes.push("A sample is less dense than the whole data: density methods find more noise on it.");
  }
  if (algorithm === "agglomerative" && params.distanceThreshold != null && m < n) {
    notes.push(
      "The refits cut their trees at the run's height: on a sample, merge heights differ, and so may the number of clusters.",
    );
  }
  const make = () => estimatorFor(algorithm, params, seed);
  make(); // checks the parameters before any work

  onProgress({ fraction: 0.02, message: `held-out evaluation on ${m.toLocaleString("en-US")} rows` });
  let heldOut: EvaluateOutput["heldOut"] = null;
  try {
    const h = heldOutEvaluation(X, make, { testSize, seed });
    heldOut = {
      testSize: h.testSize,
      nTrain: h.nTrain,
      nTest: h.nTest,
      ari: round(h.ari, 5),
      train: scores(h.train),
      test: scores(h.test),
    };
  } catch (error) {
    notes.push(`Held-out evaluation not computed: ${problem(error)}`);
  }

  onProgress({ fraction: 0.2, message: `bootstrap stability: 0 of ${nBootstrap} refits` });
  let stability: EvaluateOutput["stability"] = null;
  try {
    const s = bootstrapStability(X, (sample: Matrix) => make().fit(sample).labels, {
      nBootstrap,
      seed,
      labels: lab,
      onReplicate: (done, total) =>
        onProgress({
          fraction: 0.2 + (0.65 * done) / total,
          message: `bootstrap stability: ${done} of ${total} refits`,
        }),
    });
    stability = {
      nBootstrap: s.nBootstrap,
      meanJaccard: s.meanJaccard === null ? null : round(s.meanJaccard, 4),
      clusters: s.clusters.map((c) => ({
        label: c.label,
        size: c.size,
        meanJaccard: c.meanJaccard === null ? null : round(c.meanJaccard, 4),
        band: c.band,
      })),
    };
  } catch (error) {
    notes.push(`Stability not computed: ${problem(error)}`);
  }

  let strength: EvaluateOutput["predictionStrength"] = null;
  const usesK =
    K_ALGORITHMS.includes(algorithm) && !(algorithm === "agglomerative" && params.distanceThreshold != null);
  if (usesK) {
    onProgress({ fraction: 0.88, message: "prediction strength" });
    const k = params.k ?? PARAM_DEFAULTS.k;
    try {
      const p = predictionStrength(X, (kk) => estimatorFor(algorithm, { ...params, k: kk }, seed), k, {
        seed,
        folds: 2,
        repeats: 2,
      });
      strength = {
        k: p.k,
        folds: p.folds,
        repeats: p.repeats,
        value: round(p.predictionStrength, 4),
        values: p.values.map((v) => round(v, 4)),
      };
    } catch (error) {
      notes.push(`Prediction strength not computed: ${problem(error)}`);
    }
  } else {
    notes.push("Prediction strength needs a number of clusters k: not computed for this algorithm.");
  }
  return { sampleSize: m, heldOut, stability, predictionStrength: strength, notes };
}

// ---------------------------------------------------------------------------------------------
// Anomalies

/** What an anomalies task's scores depend on (`runAnomalyScoringJob`: computed once per run and features). */
export interface AnomalyScoringJob {
  Xs: Matrix;
  labels: Int32Array;
  /**
   * The run's algorithm, its parameters as the run answered them (DBSCAN's eps resolved) and its
   * seed: HDBSCAN, DBSCAN, OPTICS and Gaussian mixture runs are refitted to score the rows with
   * their own score. Null (or another algorithm): the centre score.
   */
  algorithm: Algorithm | null;
  params: ClusterParams;
  seed: number;
}

/** An anomalies task: the run's scores flagged at a contamination and the top rows explained. */
export interface AnomaliesJob {
  X: Matrix;
  columns: string[];
  labels: Int32Array;
  contamination: number;
  top: number;
  /** Matrix rows of the displayed points. */
  displayRows: Int32Array;
  scoring: AnomalyScoring;
}

export interface AnomaliesOutput {
  kind: string;
  description: string;
  threshold: number;
  nAnomalies: number;
  /** Matrix rows listed (map to file rows on the server), with their explanation. */
  top: (Omit<AnomalyRowResult, "row"> & { matrixRow: number })[];
  displayedPoints: number[];
  quantiles: number[];
}

/** The algorithms scored with their own score (core `clusterAnomalyScores` of a refit). */
export const OWN_SCORE_ALGORITHMS = ["hdbscan", "dbscan", "optics", "gmm"] as const;
export type OwnScoreAlgorithm = (typeof OWN_SCORE_ALGORITHMS)[number];

/** Whether the anomalies task refits runs of `algorithm` to score them with its own score. */
export function hasOwnAnomalyScore(algorithm: Algorithm | null): algorithm is OwnScoreAlgorithm {
  return (OWN_SCORE_ALGORITHMS as readonly (Algorithm | null)[]).includes(algorithm);
}

const OWN_SCORE_NAMES: Record<OwnScoreAlgorithm, string> = {
  hdbscan: "HDBSCAN's GLOSH score",
  dbscan: "DBSCAN's distance to a core sample",
  optics: "OPTICS' core distance",
  gmm: "the Gaussian mixture's likelihood",
};

const CENTRE_DESCRIPTION =
  "distance to the nearest cluster centre (in the scaled features) over that cluster's median distance";

/**
 * Per-row scores with the cluster (of the run's labels; -1: none) each row is scored against: what
 * `runAnomalyScoringJob` computes once per run and features (the refit), whatever the contamination.
 */
export interface AnomalyScoring {
  kind: string;
  description: string;
  scores: Float64Array;
  clusters: Int32Array;
}

/**
 * The run's clustering refitted with core's estimator, with the settings the server clusters with
 * (algorithms.ts: `fitAlgorithm`'s Gaussian mixture, `buildStructure` + `labelsFromStructure` for
 * the density methods), and the labels the server reads off it.
 */
function refitRun(
  Xs: Matrix,
  algorithm: OwnScoreAlgorithm,
  params: ClusterParams,
  seed: number,
): { model: object; labels: Int32Array } {
  const n = Xs.rows;
  const metric = params.metric ?? "euclidean";
  const minSamples = Math.min(params.minSamples ?? PARAM_DEFAULTS.minSamples, n);
  switch (algorithm) {
    case "gmm": {
      const model = fitGmm(Xs, params.k ?? PARAM_DEFAULTS.k, params.covarianceType ?? "full", seed, memoryLogger());
      return { model, labels: model.labels };
    }
    case "hdbscan": {
      // The server condenses the single linkage tree of HDBSCAN(minSamples, metric) with the run's
      // smallest cluster; the tree does not depend on minClusterSize, so this fit has the same one.
      const minClusterSize = Math.min(params.minClusterSize ?? 5, n);
      const method = params.clusterSelectionMethod ?? "eom";
      const model = new HDBSCAN({
        minClusterSize,
        minSamples,
        metric: metric as "euclidean",
        clusterSelectionMethod: method === "leaf" ? "leaf" : "eom",
      }).fit(Xs);
      if (method !== "dbscan") return { model, labels: model.labels };
      if (params.eps == null) throw new ValidationError("the run's cut distance (eps) is not known");
      return { model, labels: labellingAtCut(model.singleLinkageTree, params.eps, minClusterSize) };
    }
    case "dbscan": {
      if (params.eps == null) throw new ValidationError("the run's eps is not known");
      const model = new DBSCAN({ eps: params.eps, minSamples, metric }).fit(Xs);
      return { model, labels: model.labels };
    }
    case "optics": {
      const maxEps =
        n > OPTICS_UNBOUNDED_MAX_ROWS
          ? opticsMaxEps(Xs, params.minSamples ?? PARAM_DEFAULTS.minSamples, metric)
          : Number.POSITIVE_INFINITY;
      const model = new OPTICS({
        minSamples,
        maxEps,
        metric,
        clusterMethod: "xi",
        xi: params.xi ?? PARAM_DEFAULTS.xi,
        minClusterSize: Math.min(params.minClusterSize ?? minSamples, n),
        logger: memoryLogger(),
      }).fit(Xs);
      return { model, labels: model.labels };
    }
  }
}

/**
 * The run's label of each refit label when the two labelings are the same partition with noise
 * (-1) on the same rows, and how many rows the refit clusters but the run leaves as noise when
 * `allowLeftAsNoise` (DBSCAN's border rows, see `ownScoring`); else null.
 */
function labelMapping(
  refit: Int32Array,
  run: Int32Array,
  allowLeftAsNoise = false,
): { mapping: Map<number, number>; leftAsNoise: number } | null {
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  let leftAsNoise = 0;
  for (let i = 0; i < run.length; i++) {
    const a = refit[i];
    const b = run[i];
    if (a < 0 || b < 0) {
      if (a < 0 && b < 0) continue;
      if (a >= 0 && allowLeftAsNoise) {
        leftAsNoise++;
        continue;
      }
      return null;
    }
    const fa = forward.get(a);
    const bb = backward.get(b);
    if (fa === undefined && bb === undefined) {
      forward.set(a, b);
      backward.set(b, a);
    } else if (fa !== b || bb !== a) {
      return null;
    }
  }
  return { mapping: forward, leftAsNoise };
}

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st, ... */
function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][k % 10] ?? "th");
  return `${k}${suffix}`;
}

function ownDescription(algorithm: OwnScoreAlgorithm, model: object, params: ClusterParams): string {
  switch (algorithm) {
    case "hdbscan":
      return "GLOSH outlier score of HDBSCAN's hierarchy (0 = core of a cluster, 1 = most outlying)";
    case "gmm":
      return "minus the log density of the row under the run's Gaussian mixture (the less likely the row, the higher)";
    case "dbscan":
      return `distance to the nearest core sample of DBSCAN over eps = ${fmt(params.eps)} (0 = a core sample, up to 1 = in a cluster, above 1 = noise)`;
    case "optics": {
      const m = model as OPTICSModel;
      const cap = Number.isFinite(m.maxEps) ? `; at most max eps = ${fmt(m.maxEps)}` : "";
      return `OPTICS core distance: the distance to the row's ${ordinal(m.minSamples)} nearest neighbour, itself included (the sparser its surroundings, the higher${cap})`;
    }
  }
}

/** The run's own score (see `runAnomalyScoringJob`), or why it was not used. */
function ownScoring(job: AnomalyScoringJob, algorithm: OwnScoreAlgorithm): AnomalyScoring | { reason: string } {
  const { Xs, labels, params, seed } = job;
  const n = Xs.rows;
  const limit = rowLimit(algorithm, params, Xs.cols);
  if (limit && n > limit[1]) {
    return {
      reason: `${limit[0].replace(/-/g, " ")} is limited to ${limit[1].toLocaleString("en-US")} rows, these features have ${n.toLocaleString("en-US")}`,
    };
  }
  let refit: ReturnType<typeof refitRun>;
  try {
    refit = refitRun(Xs, algorithm, params, seed);
  } catch (error) {
    return { reason: `the refit failed: ${problem(error)}` };
  }
  const ari = adjustedRandScore(labels, refit.labels);
  // DBSCAN: the dashboard reads its labels off an OPTICS ordering (scikit-learn's
  // cluster_optics_dbscan), which can leave a border row as noise: same core samples, same
  // clusters, and those border rows are the only difference.
  const matched =
    algorithm === "dbscan"
      ? labelMapping(refit.labels, labels, true)
      : ari === 1
        ? labelMapping(refit.labels, labels)
        : null;
  if (matched === null) {
    const why =
      algorithm === "dbscan"
        ? "the dashboard's DBSCAN, read off an OPTICS ordering, can put a border row between two clusters in the other one"
        : "other features, scaling or rows than the run's?";
    return {
      reason: `a refit did not reproduce the run's clusters, adjusted Rand index ${ari.toFixed(4)}; ${why}`,
    };
  }
  let scored: ReturnType<typeof clusterAnomalyScores>;
  try {
    scored = clusterAnomalyScores(refit.model, Xs);
  } catch (error) {
    return { reason: problem(error) };
  }
  const { mapping, leftAsNoise: nLeft } = matched;
  const leftAsNoise =
    nLeft > 0
      ? `; ${nLeft} border ${nLeft === 1 ? "row" : "rows"} within eps of a core sample ${nLeft === 1 ? "is" : "are"} noise in this run (read off an OPTICS ordering) and score at most 1`
      : "";
  return {
    kind: scored.kind,
    description: ownDescription(algorithm, refit.model, params) + leftAsNoise,
    scores: scored.scores,
    clusters: Int32Array.from(scored.clusters, (c) => (c < 0 ? -1 : (mapping.get(c) ?? -1))),
  };
}

/** core `clusterAnomalyScores` of the clusters' centres: the means of their rows in the scaled features. */
function centreScoring(Xs: Matrix, labels: Int32Array): AnomalyScoring {
  const n = Xs.rows;
  const d = Xs.cols;
  let k = 0;
  for (const c of labels) if (c + 1 > k) k = c + 1;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c < 0) continue;
    counts[c]++;
    for (let j = 0; j < d; j++) sums[c * d + j] += Xs.data[i * d + j];
  }
  const present: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] > 0) present.push(c);
  if (present.length === 0)
    throw new ValidationError("no clusters: every row is noise, so there is no centre to score against");
  const centres = new Float64Array(present.length * d);
  present.forEach((c, r) => {
    for (let j = 0; j < d; j++) centres[r * d + j] = sums[c * d + j] / counts[c];
  });
  const scored = clusterAnomalyScores({ clusterCenters: { rows: present.length, cols: d, data: centres } }, Xs);
  return {
    kind: scored.kind,
    description: CENTRE_DESCRIPTION,
    scores: scored.scores,
    clusters: Int32Array.from(scored.clusters, (r) => present[r]),
  };
}

/**
 * Anomaly scores of the rows against the run's clusters, with the run's own algorithm's score
 * where core has one (`clusterAnomalyScores`): HDBSCAN, DBSCAN, OPTICS and Gaussian mixture runs
 * are refitted on the scaled features with the run's parameters and seed, as the server fits
 * them, and when the refit reproduces the run's labels (adjusted Rand index 1, noise as a label of
 * its own) the refit model scores the rows: GLOSH, distance to the nearest core sample over eps,
 * core distance, minus the log density. Otherwise (other algorithms, a refit that differs, a row
 * limit) the score is each row's distance to the nearest centre (the mean of a cluster's rows)
 * relative to that cluster's spread, and the description says why. The scores do not depend on
 * the contamination: the server computes them once per run and features.
 */
export function runAnomalyScoringJob(job: AnomalyScoringJob): AnomalyScoring {
  const { Xs, labels, algorithm } = job;
  let note = "";
  if (hasOwnAnomalyScore(algorithm)) {
    const own = ownScoring(job, algorithm);
    if (!("reason" in own)) return own;
    note = ` (not ${OWN_SCORE_NAMES[algorithm]}: ${own.reason})`;
  }
  const scoring = centreScoring(Xs, labels);
  scoring.description += note;
  return scoring;
}

/**
 * The run's anomalies at a contamination: the top `contamination` share of the scores of
 * `runAnomalyScoringJob` is flagged (`anomalyThreshold`) and the listed rows are explained in the
 * units of the file (`anomalyContributions`).
 */
export function runAnomaliesJob(job: AnomaliesJob): AnomaliesOutput {
  const { X, columns, labels, contamination, top, displayRows, scoring } = job;
  const { scores, clusters } = scoring;
  const flags = anomalyThreshold(scores, { contamination });
  const listed = flags.order.slice(0, Math.min(top, flags.nAnomalies));
  const explained = anomalyContributions(X, clusters, listed, {
    top: 3,
    reference: flags.isAnomaly.map((f) => 1 - f),
    featureNames: columns,
  });
  const sorted = Float64Array.from(scores).sort();
  return {
    kind: scoring.kind,
    description: scoring.description,
    threshold: round(flags.threshold, 6),
    nAnomalies: flags.nAnomalies,
    top: explained.map((e, r) => ({
      rank: r + 1,
      matrixRow: e.row,
      score: round(scores[e.row], 5),
      cluster: clusters[e.row],
      label: labels[e.row],
      features: e.features.map((f) => ({
        feature: f.feature,
        value: f.value,
        typical: round(f.typical),
        z: round(f.z, 4),
      })),
    })),
    displayedPoints: Array.from(displayRows.keys()).filter((p) => flags.isAnomaly[displayRows[p]] === 1),
    quantiles: [0, 0.25, 0.5, 0.75, 1].map((q) => round(quantile(sorted, q), 5)),
  };
}
