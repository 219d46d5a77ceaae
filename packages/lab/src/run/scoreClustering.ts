import {
  adjustedRandScore,
  ClusterlabError,
  calinskiHarabaszScore,
  daviesBouldinScore,
  type Matrix,
  normalizedMutualInfoScore,
  type SilhouetteMetric,
  silhouetteScore,
  takeRows,
} from "@clusterlab/core";

/** Above this many scored rows the silhouette is computed on a seeded sample of this size. */
export const SILHOUETTE_SAMPLE_SIZE = 10_000;

/** Internal quality metrics of a clustering (noise excluded). */
export interface InternalMetrics {
  /** Mean silhouette (higher is better, in [-1, 1]); null when undefined (fewer than 2 or n clusters). */
  silhouette: number | null;
  /** Calinski-Harabasz score (higher is better); null when undefined or not meaningful (categorical features). */
  calinskiHarabasz: number | null;
  /** Davies-Bouldin score (lower is better); null when undefined or not meaningful. */
  daviesBouldin: number | null;
  /** Rows the silhouette was computed on when sampled, else null (exact). */
  silhouetteSampleSize: number | null;
  /** Rows scored (not noise). */
  nScored: number;
}

/** Options for `internalMetrics`. */
export interface InternalMetricsOptions {
  /** Seed of the silhouette sample. Default 0. */
  seed?: number;
  /** Silhouette on a sample of this many rows above it. Default `SILHOUETTE_SAMPLE_SIZE`. */
  sampleSize?: number;
  /** Distance of the silhouette. Default "euclidean". */
  metric?: SilhouetteMetric;
  /** Compute Calinski-Harabasz and Davies-Bouldin (Euclidean-space scores). Default true. */
  centroidScores?: boolean;
  /** Receives why a metric is missing. Default: dropped. */
  warnings?: string[];
}

function attempt(compute: () => number, name: string, warnings: string[] | undefined): number | null {
  try {
    const v = compute();
    return Number.isFinite(v) ? v : null;
  } catch (error) {
    if (error instanceof ClusterlabError) {
      warnings?.push(`${name} not computed: ${error.message}`);
      return null;
    }
    throw error;
  }
}

/**
 * Silhouette, Calinski-Harabasz and Davies-Bouldin of `labels` on the rows of `X`, leaving out
 * noise (label < 0). The silhouette is exact up to `sampleSize` scored rows and computed on a
 * seeded sample above. Scores that are undefined (fewer than 2 or as many clusters as rows) are null.
 */
export function internalMetrics(X: Matrix, labels: Int32Array, options: InternalMetricsOptions = {}): InternalMetrics {
  const {
    seed = 0,
    sampleSize = SILHOUETTE_SAMPLE_SIZE,
    metric = "euclidean",
    centroidScores = true,
    warnings,
  } = options;
  let kept: Int32Array | null = null;
  let scored = labels;
  let nNoise = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] < 0) nNoise++;
  if (nNoise > 0) {
    kept = new Int32Array(labels.length - nNoise);
    for (let i = 0, r = 0; i < labels.length; i++) if (labels[i] >= 0) kept[r++] = i;
    scored = new Int32Array(kept.length);
    for (let r = 0; r < kept.length; r++) scored[r] = labels[kept[r]];
  }
  const n = scored.length;
  const distinct = new Set(scored).size;
  const empty: InternalMetrics = {
    silhouette: null,
    calinskiHarabasz: null,
    daviesBouldin: null,
    silhouetteSampleSize: null,
    nScored: n,
  };
  if (distinct < 2 || distinct > n - 1) {
    warnings?.push(
      `silhouette, calinski-harabasz and davies-bouldin need 2 to n-1 clusters (got ${distinct} for ${n}${nNoise > 0 ? " non-noise" : ""} rows)`,
    );
    return empty;
  }
  const Xs = kept ? takeRows(X, kept) : X;
  const sampled = n > sampleSize ? sampleSize : null;
  const silhouette = attempt(
    () => silhouetteScore(Xs, scored, { metric, ...(sampled !== null && { sampleSize: sampled, seed }) }),
    "silhouette",
    warnings,
  );
  return {
    silhouette,
    calinskiHarabasz: centroidScores
      ? attempt(() => calinskiHarabaszScore(Xs, scored), "calinski-harabasz", warnings)
      : null,
    daviesBouldin: centroidScores ? attempt(() => daviesBouldinScore(Xs, scored), "davies-bouldin", warnings) : null,
    silhouetteSampleSize: sampled,
    nScored: n,
  };
}

/** Agreement of a clustering with known classes. */
export interface ExternalMetrics {
  /** Adjusted Rand index (1 = same partition, ~0 = chance). */
  adjustedRand: number;
  /** Normalised mutual information (arithmetic mean), in [0, 1]. */
  normalizedMutualInfo: number;
  /** Rows compared (those with a known class). */
  nCompared: number;
}

/**
 * ARI and NMI of `labels` against the classes in `target` (one per label; null / NaN = unknown,
 * left out). Noise (-1) counts as one more cluster. Null when fewer than 2 rows have a class.
 */
export function externalMetrics(
  target: ArrayLike<string | number | null>,
  labels: ArrayLike<number>,
): ExternalMetrics | null {
  const codes = new Map<string, number>();
  const truth: number[] = [];
  const pred: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const t = target[i];
    if (t === null || (typeof t === "number" && Number.isNaN(t))) continue;
    const key = String(t);
    let code = codes.get(key);
    if (code === undefined) {
      code = codes.size;
      codes.set(key, code);
    }
    truth.push(code);
    pred.push(labels[i]);
  }
  if (truth.length < 2) return null;
  return {
    adjustedRand: adjustedRandScore(truth, pred),
    normalizedMutualInfo: normalizedMutualInfoScore(truth, pred),
    nCompared: truth.length,
  };
}

/** Rows per cluster (index = cluster id), for clusters 0..max(nClusters, largest label + 1) - 1; noise not counted. */
export function clusterSizes(labels: ArrayLike<number>, nClusters: number): number[] {
  let k = nClusters;
  for (let i = 0; i < labels.length; i++) if (labels[i] + 1 > k) k = labels[i] + 1;
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) sizes[labels[i]]++;
  return sizes;
}

/** Rows labelled noise (-1). */
export function countNoise(labels: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === -1) n++;
  return n;
}
