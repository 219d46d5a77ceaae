import {
  AgglomerativeClustering,
  AgglomerativeClusteringModel,
  BisectingKMeans,
  type ClusterModel,
  calinskiHarabaszScore,
  chooseK,
  daviesBouldinScore,
  dendrogramLayout,
  GaussianMixture,
  KMeans,
  type LinkageMatrix,
  type Matrix,
  MiniBatchKMeans,
  MinMaxScaler,
  memoryLogger,
  PCA,
  Random,
  RobustScaler,
  StandardScaler,
  silhouetteSamples,
} from "@clusterlab/core";
import type {
  Algorithm,
  ClusterMetricsResult,
  ClusterParams,
  DendrogramResult,
  ProfileResult,
  ProjectionResult,
  Scaling,
  SilhouettePlotResult,
  SweepResult,
} from "./api.js";

/** Most points sent to the page for the scatter plot (a seeded sample above). */
export const MAX_DISPLAY_POINTS = 20_000;
/** Up to this many rows the silhouette is exact; above, it is computed on a seeded sample of this size. */
export const SILHOUETTE_EXACT_MAX = 10_000;
/** Most points drawn in the silhouette plot. */
export const SILHOUETTE_PLOT_MAX = 5_000;
/** Leaves kept in the dendrogram (scipy's truncate_mode="lastp"). */
export const DENDROGRAM_LEAVES = 30;
/** Agglomerative clustering keeps an n x n problem in memory: refuse more rows than this. */
export const AGGLOMERATIVE_MAX_ROWS = 15_000;

/** The numeric input of a job: the feature matrix (raw, unscaled) and its column names. */
export interface FeatureInput {
  X: Matrix;
  columns: string[];
  scaling: Scaling;
  seed: number;
}

/** A clustering job, as sent to a worker. */
export interface ClusterJob extends FeatureInput {
  algorithm: Algorithm;
  params: Required<ClusterParams>;
}

/** A k-sweep job, as sent to a worker. */
export interface SweepJob extends FeatureInput {
  kMin: number;
  kMax: number;
}

/** What a clustering job computes (the request-level fields are added by the server). */
export interface ClusterOutput {
  k: number;
  sizes: number[];
  labels: Int32Array;
  metrics: ClusterMetricsResult;
  projection: ProjectionResult;
  silhouette: SilhouettePlotResult | null;
  profile: ProfileResult;
  dendrogram: DendrogramResult | null;
  warnings: string[];
  fitSeconds: number;
}

export type SweepOutput = Omit<SweepResult, "nRows" | "rowsDropped">;

/** Scales X as asked (a new matrix; X itself for "none"). */
export function scale(X: Matrix, scaling: Scaling): Matrix {
  switch (scaling) {
    case "standard":
      return new StandardScaler().fit(X).transform(X);
    case "minmax":
      return new MinMaxScaler().fit(X).transform(X);
    case "robust":
      return new RobustScaler().fit(X).transform(X);
    case "none":
      return X;
  }
}

/** Rows [0, n) or a seeded sample of `max` of them, in increasing order. */
function sampleRows(n: number, max: number, seed: number): Int32Array {
  if (n <= max) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  return new Random(seed).sampleWithoutReplacement(n, max).sort();
}

function takeRows(X: Matrix, rows: Int32Array): Matrix {
  const d = X.cols;
  const data = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) data.set(X.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return { rows: rows.length, cols: d, data };
}

function finiteOrNull(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}

function fitModel(job: ClusterJob, Xs: Matrix, warn: ReturnType<typeof memoryLogger>): ClusterModel {
  const { k, linkage, covarianceType } = job.params;
  const seed = job.seed;
  switch (job.algorithm) {
    case "kmeans":
      return new KMeans({ nClusters: k, seed, logger: warn }).fit(Xs);
    case "minibatch-kmeans":
      return new MiniBatchKMeans({ nClusters: k, seed, logger: warn }).fit(Xs);
    case "bisecting-kmeans":
      return new BisectingKMeans({ nClusters: k, seed, logger: warn }).fit(Xs);
    case "gmm":
      return new GaussianMixture({ nComponents: k, covarianceType, seed, logger: warn }).fit(Xs);
    case "agglomerative":
      return new AgglomerativeClustering({ nClusters: k, linkage, logger: warn }).fit(Xs);
  }
}

/** Per-cluster means of the rows of X (NaN for an empty cluster). */
function clusterMeans(X: Matrix, labels: Int32Array, k: number, sizes: number[]): Float64Array {
  const d = X.cols;
  const sums = new Float64Array(k * d);
  for (let i = 0; i < X.rows; i++) {
    const c = labels[i];
    if (c < 0) continue;
    for (let j = 0; j < d; j++) sums[c * d + j] += X.data[i * d + j];
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) sums[c * d + j] = sizes[c] > 0 ? sums[c * d + j] / sizes[c] : Number.NaN;
  }
  return sums;
}

function profile(X: Matrix, labels: Int32Array, k: number, sizes: number[], columns: string[]): ProfileResult {
  const n = X.rows;
  const d = X.cols;
  const means = clusterMeans(X, labels, k, sizes);
  const overallMean = new Array<number>(d).fill(0);
  const overallStd = new Array<number>(d).fill(0);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X.data[i * d + j];
    const m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (X.data[i * d + j] - m) ** 2;
    overallMean[j] = m;
    overallStd[j] = Math.sqrt(ss / n);
  }
  const rows: number[][] = [];
  const z: number[][] = [];
  for (let c = 0; c < k; c++) {
    const r: number[] = [];
    const zr: number[] = [];
    for (let j = 0; j < d; j++) {
      const v = means[c * d + j];
      r.push(v);
      zr.push(overallStd[j] > 0 && Number.isFinite(v) ? (v - overallMean[j]) / overallStd[j] : 0);
    }
    rows.push(r);
    z.push(zr);
  }
  return { columns, means: rows, z, overallMean, overallStd };
}

function projection(
  X: Matrix,
  Xs: Matrix,
  labels: Int32Array,
  k: number,
  sizes: number[],
  seed: number,
): ProjectionResult {
  const n = Xs.rows;
  const nComponents = Math.min(2, Xs.cols, n);
  const pca = new PCA({ nComponents, logger: memoryLogger() }).fit(Xs);
  const rows = sampleRows(n, MAX_DISPLAY_POINTS, seed);
  const coords = pca.transform(takeRows(Xs, rows));
  const c = coords.cols;
  const x: number[] = [];
  const y: number[] = [];
  const label: number[] = [];
  const values: number[][] = [];
  const d = X.cols;
  for (let r = 0; r < rows.length; r++) {
    x.push(coords.data[r * c]);
    y.push(c > 1 ? coords.data[r * c + 1] : 0);
    label.push(labels[rows[r]]);
    values.push(Array.from(X.data.subarray(rows[r] * d, rows[r] * d + d)));
  }
  const centres = clusterMeans(Xs, labels, k, sizes);
  const present: number[] = [];
  for (let cl = 0; cl < k; cl++) if (sizes[cl] > 0) present.push(cl);
  const cx: (number | null)[] = new Array(k).fill(null);
  const cy: (number | null)[] = new Array(k).fill(null);
  if (present.length > 0) {
    const sub = takeRows({ rows: k, cols: Xs.cols, data: centres }, Int32Array.from(present));
    const pc = pca.transform(sub);
    present.forEach((cl, r) => {
      cx[cl] = pc.data[r * c];
      cy[cl] = c > 1 ? pc.data[r * c + 1] : 0;
    });
  }
  const ratio = Array.from(pca.explainedVarianceRatio);
  while (ratio.length < 2) ratio.push(0);
  return {
    explainedVarianceRatio: ratio,
    x,
    y,
    label,
    row: Array.from(rows),
    values,
    sampled: rows.length < n,
    centroids: { x: cx, y: cy },
  };
}

/** Silhouette score and the per-cluster plot data (on a seeded sample for large n). */
function silhouette(
  Xs: Matrix,
  labels: Int32Array,
  k: number,
  seed: number,
  warnings: string[],
): { score: number | null; plot: SilhouettePlotResult | null } {
  const n = Xs.rows;
  const rows = sampleRows(n, SILHOUETTE_EXACT_MAX, seed + 1);
  const sub = rows.length === n ? Xs : takeRows(Xs, rows);
  const lab = rows.length === n ? labels : Int32Array.from(rows, (r) => labels[r]);
  const distinct = new Set(lab).size;
  if (distinct < 2 || distinct > lab.length - 1) {
    warnings.push(`silhouette not computed: it needs 2 to n-1 non-empty clusters (got ${distinct})`);
    return { score: null, plot: null };
  }
  const values = silhouetteSamples(sub, lab);
  let total = 0;
  for (const v of values) total += v;
  const score = total / values.length;
  // The plot shows at most SILHOUETTE_PLOT_MAX values: every `step`-th of each cluster's sorted values.
  const perCluster: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < lab.length; i++) perCluster[lab[i]].push(values[i]);
  const clusterMeans = perCluster.map((vs) => (vs.length > 0 ? vs.reduce((a, b) => a + b, 0) / vs.length : null));
  const step = Math.max(1, Math.ceil(lab.length / SILHOUETTE_PLOT_MAX));
  const plotted = perCluster.map((vs) => {
    vs.sort((a, b) => b - a);
    return step === 1 ? vs : vs.filter((_, i) => i % step === 0);
  });
  return { score, plot: { sampleSize: lab.length, perCluster: plotted, clusterMeans } };
}

/** The node id of one observation under `node` in a scipy linkage matrix. */
function anyLeaf(Z: LinkageMatrix, n: number, node: number): number {
  while (node >= n) node = Z.data[(node - n) * 4];
  return node;
}

function dendrogram(Z: LinkageMatrix, labels: Int32Array, k: number): DendrogramResult {
  const n = Z.rows + 1;
  const heights = (r: number) => Z.data[r * 4 + 2];
  // The tree is cut into k clusters between merge n-k-1 and merge n-k (0-based, increasing height).
  const below = n - k - 1 >= 0 ? heights(n - k - 1) : 0;
  const above = heights(n - k);
  const cutHeight = (below + above) / 2;
  const palette = Array.from({ length: Math.max(k, 1) + 1 }, (_, i) => `c${i}`);
  const layout = dendrogramLayout(Z, {
    truncateMode: "lastp",
    p: DENDROGRAM_LEAVES,
    colorThreshold: cutHeight,
    palette,
    aboveThresholdColor: "above",
    countSort: false,
    distanceSort: false,
    labels: Array.from({ length: n }, (_, i) => String(i)),
  });
  const leafClusters = layout.leaves.map((node) => labels[anyLeaf(Z, n, node)]);
  const colourToCluster = new Map<string, number>();
  layout.leavesColorList.forEach((colour, i) => {
    if (colour !== null && colour !== "above") colourToCluster.set(colour, leafClusters[i]);
  });
  const linkClusters = layout.colorList.map((colour) => colourToCluster.get(colour) ?? -1);
  return { icoord: layout.icoord, dcoord: layout.dcoord, ivl: layout.ivl, leafClusters, linkClusters, cutHeight };
}

function score(compute: () => number, name: string, warnings: string[]): number | null {
  try {
    return finiteOrNull(compute());
  } catch (error) {
    warnings.push(`${name} not computed: ${(error as Error).message}`);
    return null;
  }
}

/** Fits the clustering of a job and computes every view of the dashboard. */
export function runClusterJob(job: ClusterJob): ClusterOutput {
  const { X, columns, seed } = job;
  const n = X.rows;
  const { k } = job.params;
  const logger = memoryLogger();
  const warnings: string[] = [];
  const Xs = scale(X, job.scaling);
  const start = performance.now();
  const model = fitModel(job, Xs, logger);
  const fitSeconds = (performance.now() - start) / 1000;
  const labels = model.labels;
  const sizes = new Array<number>(k).fill(0);
  for (const c of labels) if (c >= 0) sizes[c]++;
  const nonEmpty = sizes.filter((s) => s > 0).length;
  if (nonEmpty < k) warnings.push(`${k - nonEmpty} of the ${k} clusters are empty`);
  const scorable = nonEmpty >= 2 && nonEmpty <= n - 1;
  const sil = scorable ? silhouette(Xs, labels, k, seed, warnings) : { score: null, plot: null };
  const extra = model as unknown as { inertia?: number; bic?: (X: Matrix) => number };
  const metrics: ClusterMetricsResult = {
    silhouette: sil.score,
    calinskiHarabasz: scorable ? score(() => calinskiHarabaszScore(Xs, labels), "calinski-harabasz", warnings) : null,
    daviesBouldin: scorable ? score(() => daviesBouldinScore(Xs, labels), "davies-bouldin", warnings) : null,
    inertia: finiteOrNull(extra.inertia),
    bic: job.algorithm === "gmm" && extra.bic ? score(() => extra.bic!(Xs), "bic", warnings) : null,
  };
  const Z = model instanceof AgglomerativeClusteringModel ? model.linkageMatrix : null;
  return {
    k,
    sizes,
    labels,
    metrics,
    projection: projection(X, Xs, labels, k, sizes, seed),
    silhouette: sil.plot,
    profile: profile(X, labels, k, sizes, columns),
    dendrogram: Z && n > k ? dendrogram(Z, labels, k) : null,
    warnings: [...logger.messages, ...warnings],
    fitSeconds,
  };
}

/** Runs `chooseK` (k-means for each k) on the scaled features. */
export function runSweepJob(job: SweepJob): SweepOutput {
  const Xs = scale(job.X, job.scaling);
  const n = Xs.rows;
  const kMax = Math.min(job.kMax, n - 1);
  const kMin = Math.min(job.kMin, kMax);
  const sweep = chooseK(Xs, {
    kMin,
    kMax,
    seed: job.seed,
    silhouetteSampleSize: n > 4000 ? 4000 : undefined,
    logger: memoryLogger(),
  });
  return {
    ks: sweep.ks,
    inertia: sweep.inertia,
    silhouette: sweep.silhouette,
    calinskiHarabasz: sweep.calinskiHarabasz,
    daviesBouldin: sweep.daviesBouldin,
    elbow: sweep.elbow,
    suggestion: sweep.suggestion,
  };
}
