/**
 * The workflow pages' heavy work, run in the worker pool (`WorkerPool.run("workflow", input)`):
 * image segmentation, document clustering, the RFM clustering, the social-media clusterings and
 * anomaly scoring. Each calls the `@clusterlab/lab` workflow functions; nothing here re-implements
 * an algorithm. Inputs and results cross the thread boundary by structured clone (typed arrays in
 * shared memory are shared, not copied).
 */
import {
  DBSCAN,
  GaussianMixture,
  HDBSCAN,
  KMeans,
  type Logger,
  type Matrix,
  PCA,
  Pipeline,
  StandardScaler,
} from "@clusterlab/core";
import {
  type AccountClustering,
  boundaryOverlay,
  type ClusterDocumentsOptions,
  clusterAccounts,
  clusterDocuments,
  clusterPosts,
  clusterRfm,
  comparePlantedSegments,
  compareSegments,
  type DocumentClustering,
  detectAnomalies,
  type ImageSegmentation,
  labelMask,
  type PlantedSegmentComparison,
  type PostClustering,
  type RasterImage,
  type RfmClustering,
  type RfmSegmentSummary,
  type RfmTable,
  renderSegmentation,
  type SegmentClusterComparison,
  type SocialFeatures,
  segmentImage,
  summarizeSegments,
  type WhatWorksGroup,
  whatWorks,
} from "@clusterlab/lab";
import type { Progress } from "./algorithms.js";
import type { AnomalyMethod, ImageSpace } from "./apiWorkflows.js";
import { encodePng } from "./pngEncode.js";

/** Pixels the image clusterer is fitted on (every pixel is then assigned), as the lab's sampling. */
export const IMAGE_FIT_SAMPLE = 50_000;

export interface ImageTask {
  task: "image";
  image: RasterImage;
  k: number;
  space: ImageSpace;
  spatial: number;
  seed: number;
}

export interface ImageTaskOutput {
  seg: Omit<ImageSegmentation, "labels">;
  /** PNG files: the segmented image, the label mask, the boundary overlay. */
  segmented: Uint8Array;
  mask: Uint8Array;
  overlay: Uint8Array;
}

export interface TextTask {
  task: "text";
  texts: (string | null)[];
  options: Omit<ClusterDocumentsOptions, "logger">;
}

export interface RfmTask {
  task: "rfm";
  rfm: RfmTable;
  k: number | null;
  seed: number;
}

export interface RfmTaskOutput {
  clustering: RfmClustering;
  segments: RfmSegmentSummary[];
  comparison: SegmentClusterComparison;
}

export interface SocialTask {
  task: "social";
  features: SocialFeatures;
  accountK: number | null;
  postK: number | null;
  seed: number;
}

export interface SocialTaskOutput {
  accounts: Omit<AccountClustering, "matrix">;
  posts: PostClustering;
  comparison: PlantedSegmentComparison | null;
  whatWorks: WhatWorksGroup[];
  warnings: string[];
}

export interface AnomalyTask {
  task: "anomalies";
  X: Matrix;
  featureNames: string[];
  method: AnomalyMethod;
  params: {
    k: number;
    covarianceType: "full" | "diag" | "spherical" | "tied";
    eps: number;
    minSamples: number;
    minClusterSize: number;
  };
  contamination: number;
  truth: Uint8Array | null;
  rowIndex: Int32Array | null;
  top: number;
  seed: number;
}

export interface AnomalyTaskOutput {
  description: string;
  scores: Float64Array;
  flagged: Uint8Array;
  threshold: number;
  nAnomalies: number;
  nClusters: number;
  nNoise: number;
  anomalies: ReturnType<typeof detectAnomalies>["anomalies"];
  evaluation: ReturnType<typeof detectAnomalies>["evaluation"];
  map: { x: Float64Array; y: Float64Array; explainedVarianceRatio: [number, number] };
  warnings: string[];
}

export type WorkflowTask = ImageTask | TextTask | RfmTask | SocialTask | AnomalyTask;

/** The result of each task. */
export interface WorkflowTaskOutputs {
  image: ImageTaskOutput;
  text: DocumentClustering;
  rfm: RfmTaskOutput;
  social: SocialTaskOutput;
  anomalies: AnomalyTaskOutput;
}

function memory(): Logger & { messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    warn(message: string) {
      if (!messages.includes(message)) messages.push(message);
    },
  };
}

function runImage(t: ImageTask, report: (p: Progress) => void): ImageTaskOutput {
  report({ fraction: null, message: `segmenting ${t.image.width} x ${t.image.height} pixels` });
  const logger = memory();
  const seg = segmentImage(t.image, {
    nClusters: t.k,
    space: t.space,
    spatial: t.spatial,
    seed: t.seed,
    sample: IMAGE_FIT_SAMPLE,
    logger,
  });
  report({ fraction: 0.8, message: "drawing the segmentation" });
  const { labels: _labels, ...rest } = seg;
  return {
    seg: rest,
    segmented: encodePng(renderSegmentation(t.image, seg)),
    mask: encodePng(labelMask(seg)),
    overlay: encodePng(boundaryOverlay(t.image, seg)),
  };
}

function runText(t: TextTask, report: (p: Progress) => void): DocumentClustering {
  report({ fraction: null, message: `clustering ${t.texts.length.toLocaleString("en-US")} documents` });
  return clusterDocuments(t.texts, { ...t.options, logger: memory() });
}

function runRfm(t: RfmTask, report: (p: Progress) => void): RfmTaskOutput {
  report({ fraction: null, message: `clustering ${t.rfm.n.toLocaleString("en-US")} customers` });
  const clustering = clusterRfm(t.rfm, { ...(t.k !== null && { k: t.k }), seed: t.seed, logger: memory() });
  return {
    clustering,
    segments: summarizeSegments(t.rfm),
    comparison: compareSegments(t.rfm.segment, clustering.labels),
  };
}

function runSocial(t: SocialTask, report: (p: Progress) => void): SocialTaskOutput {
  const logger = memory();
  const { features } = t;
  report({ fraction: 0.1, message: `clustering ${features.nAccounts} accounts` });
  const accounts = clusterAccounts(features.accounts, {
    ...(t.accountK !== null && { k: t.accountK }),
    seed: t.seed,
    logger,
  });
  report({ fraction: 0.4, message: `clustering ${features.nPosts.toLocaleString("en-US")} posts` });
  const posts = clusterPosts(
    features.posts,
    features.types,
    { ...(t.postK !== null && { k: t.postK }), seed: t.seed, logger },
    accounts.labels,
  );
  report({ fraction: 0.9, message: "what works" });
  const names = accounts.profiles.map((p) => p.name);
  const planted = features.accounts.plantedSegment;
  const { matrix: _matrix, ...accountsRest } = accounts;
  return {
    accounts: accountsRest,
    posts,
    comparison: planted ? comparePlantedSegments(planted, accounts.labels) : null,
    whatWorks: whatWorks(features.posts, features.types, accounts.labels, names),
    warnings: logger.messages,
  };
}

function runAnomalies(t: AnomalyTask, report: (p: Progress) => void): AnomalyTaskOutput {
  const logger = memory();
  const { params, seed } = t;
  report({ fraction: null, message: `fitting on ${t.X.rows.toLocaleString("en-US")} rows` });
  const clusterer =
    t.method === "kmeans"
      ? new KMeans({ nClusters: params.k, seed, logger })
      : t.method === "gmm"
        ? new GaussianMixture({ nComponents: params.k, covarianceType: params.covarianceType, seed, logger })
        : t.method === "dbscan"
          ? new DBSCAN({ eps: params.eps, minSamples: params.minSamples })
          : new HDBSCAN({ minClusterSize: params.minClusterSize });
  const model = new Pipeline({
    steps: [
      ["scaler", new StandardScaler()],
      [t.method, clusterer],
    ],
  }).fit(t.X);
  report({ fraction: 0.6, message: "scoring the rows" });
  const detection = detectAnomalies(model, t.X, {
    featureNames: t.featureNames,
    contamination: t.contamination,
    top: t.top,
    ...(t.truth && { truth: t.truth }),
    ...(t.rowIndex && { rowIndex: t.rowIndex }),
  });
  const Xs = model.transform(t.X);
  const nComponents = Math.min(2, Xs.cols);
  const pca = new PCA({ nComponents, logger }).fit(Xs);
  const Z = pca.transform(Xs);
  const x = new Float64Array(Z.rows);
  const y = new Float64Array(Z.rows);
  for (let i = 0; i < Z.rows; i++) {
    x[i] = Z.data[i * Z.cols];
    y[i] = nComponents > 1 ? Z.data[i * Z.cols + 1] : 0;
  }
  let nNoise = 0;
  for (const l of model.labels) if (l < 0) nNoise++;
  const flags = detection.flags;
  if (flags.tiedAtCut > 0) {
    logger.warn(
      `${flags.tiedAtCut} more row${flags.tiedAtCut === 1 ? "" : "s"} tie with the lowest flagged score; the tie is broken by row order`,
    );
  }
  return {
    description: detection.description,
    scores: detection.scores,
    flagged: flags.isAnomaly,
    threshold: flags.threshold,
    nAnomalies: flags.nAnomalies,
    nClusters: model.nClusters,
    nNoise,
    anomalies: detection.anomalies,
    evaluation: detection.evaluation,
    map: {
      x,
      y,
      explainedVarianceRatio: [pca.explainedVarianceRatio[0] ?? 0, pca.explainedVarianceRatio[1] ?? 0],
    },
    warnings: logger.messages,
  };
}

/** Runs one workflow task in a worker; `report` posts its progress. */
export function runWorkflowTask(input: WorkflowTask, report: (p: Progress) => void): unknown {
  switch (input.task) {
    case "image":
      return runImage(input, report);
    case "text":
      return runText(input, report);
    case "rfm":
      return runRfm(input, report);
    case "social":
      return runSocial(input, report);
    case "anomalies":
      return runAnomalies(input, report);
  }
}
