import {
  chooseK,
  consoleLogger,
  invalid,
  KMeans,
  type Logger,
  type Matrix,
  StandardScaler,
  silhouetteScore,
} from "@clusterlab/core";
import { DataError } from "../errors.js";

/** The per-customer measures `clusterRfm` clusters on (as in `RfmTable`). */
export interface RfmMeasures {
  recency: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
}

/** Options for `clusterRfm`. */
export interface ClusterRfmOptions {
  /** Number of clusters (an integer in [1, number of customers]). Default: chosen by a silhouette sweep over `kMin..kMax`. */
  k?: number;
  /** Smallest k of the sweep. Default 2. */
  kMin?: number;
  /** Largest k of the sweep (lowered to customers - 1). Default 8. */
  kMax?: number;
  /** Seed of k-means (and of the silhouette sample). Default 0. */
  seed?: number;
  /** K-means runs per fit (best inertia kept). Default 10. */
  nInit?: number;
  /** Above this many customers the silhouette is computed on a seeded sample of this size. Default 3000. */
  silhouetteSampleSize?: number;
  /** Receives k-means warnings. Default `consoleLogger`. */
  logger?: Logger;
}

/** A cluster's mean and median of one measure. */
export interface MeasureSummary {
  mean: number;
  median: number;
}

/** Profile of one RFM cluster. */
export interface RfmClusterProfile {
  /** Cluster index (0 = the most valuable, see `clusterRfm`). */
  cluster: number;
  /** Plain-words name from the centre, e.g. `"Recent, frequent, high spend"` (see `rfmClusterName`). */
  name: string;
  size: number;
  /** size / number of customers. */
  share: number;
  recency: MeasureSummary;
  frequency: MeasureSummary;
  monetary: MeasureSummary;
  /**
   * The cluster centre in the clustering space (standardised log1p of recency, frequency,
   * monetary): 0 is the average customer, +1 one standard deviation above.
   */
  center: { recency: number; frequency: number; monetary: number };
}

/** One k of the sweep. */
export interface RfmSweepEntry {
  k: number;
  inertia: number;
  silhouette: number | null;
}

/** The result of `clusterRfm`. */
export interface RfmClustering {
  k: number;
  /** `"user"` (k given), or how the sweep chose it (`"silhouette"`, else `"elbow"` or `"fallback"`). */
  chosenBy: "user" | "silhouette" | "elbow" | "fallback";
  /** One sentence on how k was chosen. */
  reason: string;
  /** The sweep, when k was not given (and there were at least 3 customers). */
  sweep: RfmSweepEntry[] | null;
  /** Cluster of each customer (0..k-1, ordered by value, see `clusterRfm`). */
  labels: Int32Array;
  /** Mean silhouette of the final clustering (sampled above `silhouetteSampleSize`), or null when undefined. */
  silhouette: number | null;
  inertia: number;
  /** The features clustered, in order. */
  features: string[];
  /** Mean and standard deviation of each feature (before standardising). */
  scaler: { mean: number[]; scale: number[] };
  profiles: RfmClusterProfile[];
}

/** Thresholds (in standard deviations of the log feature) of the words in `rfmClusterName`. */
export const RFM_NAME_THRESHOLD = 0.5;

/**
 * A plain-words name for an RFM cluster from its centre (standardised log1p features; for
 * recency, negative = more recent than average) and its median frequency: recency
 * `"Recent"` (z < -0.5) / `"Moderately recent"` / `"Long inactive"` (z > 0.5); frequency
 * `"frequent"` (z > 0.5) / `"occasional"` / `"infrequent"` (z < -0.5; `"one-time"` when the
 * median customer has 1 order); monetary `"high spend"` / `"mid spend"` / `"low spend"` alike.
 */
export function rfmClusterName(
  center: { recency: number; frequency: number; monetary: number },
  medianFrequency = Number.NaN,
): string {
  const t = RFM_NAME_THRESHOLD;
  const r = center.recency < -t ? "Recent" : center.recency > t ? "Long inactive" : "Moderately recent";
  const f =
    center.frequency > t
      ? "frequent"
      : center.frequency < -t
        ? medianFrequency === 1
          ? "one-time"
          : "infrequent"
        : "occasional";
  const m = center.monetary > t ? "high spend" : center.monetary < -t ? "low spend" : "mid spend";
  return `${r}, ${f}, ${m}`;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = values.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function summary(values: number[]): MeasureSummary {
  let total = 0;
  for (const v of values) total += v;
  return { mean: values.length ? total / values.length : Number.NaN, median: median(values) };
}

/**
 * Clusters customers on their RFM measures with k-means: features `log1p(recency)`,
 * `log1p(frequency)`, `log1p(monetary)` (the logs tame the heavy right tails of frequency and
 * spend), standardised (`StandardScaler`). With `k` given it is used; otherwise core's `chooseK`
 * sweeps `kMin..kMax` and the k with the highest silhouette wins. Clusters are renumbered by value,
 * highest first: by `center.frequency + center.monetary - center.recency`. Each cluster gets a
 * profile (size, share, mean and median R/F/M, centre) and a plain-words name (`rfmClusterName`;
 * a repeated name gets ` (2)`, ` (3)`, ...).
 */
export function clusterRfm(rfm: RfmMeasures, options: ClusterRfmOptions = {}): RfmClustering {
  const n = rfm.recency.length;
  if (n === 0) throw new DataError("no customers to cluster");
  if (rfm.frequency.length !== n || rfm.monetary.length !== n) {
    throw invalid("rfm", `${n}/${rfm.frequency.length}/${rfm.monetary.length}`, "the measures must have equal lengths");
  }
  const { seed = 0, nInit = 10, silhouetteSampleSize = 3000, logger = consoleLogger } = options;
  const features = ["log1p(recency)", "log1p(frequency)", "log1p(monetary)"];
  const data = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    data[3 * i] = Math.log1p(rfm.recency[i]);
    data[3 * i + 1] = Math.log1p(rfm.frequency[i]);
    data[3 * i + 2] = Math.log1p(rfm.monetary[i]);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new DataError(
        `customer ${Math.floor(i / 3) + 1} has an invalid ${["recency", "frequency", "monetary"][i % 3]} value`,
      );
    }
  }
  const scaler = new StandardScaler().fit({ rows: n, cols: 3, data });
  const X: Matrix = scaler.transform({ rows: n, cols: 3, data });
  const sampleSize = n > silhouetteSampleSize ? silhouetteSampleSize : undefined;

  let k: number;
  let chosenBy: RfmClustering["chosenBy"];
  let reason: string;
  let sweep: RfmSweepEntry[] | null = null;
  if (options.k !== undefined) {
    if (!Number.isInteger(options.k) || options.k < 1) throw invalid("k", options.k, "must be an integer >= 1");
    if (options.k > n) throw new DataError(`invalid k: ${options.k} (must be <= the number of customers, ${n})`);
    k = options.k;
    chosenBy = "user";
    reason = `k = ${k} was given`;
  } else if (n < 3) {
    k = 1;
    chosenBy = "fallback";
    reason = `only ${n} customer${n === 1 ? "" : "s"}: one cluster`;
  } else {
    const kMin = options.kMin ?? 2;
    const kMax = Math.max(kMin, Math.min(options.kMax ?? 8, n - 1));
    const result = chooseK(X, { kMin, kMax, seed, nInit, silhouetteSampleSize: sampleSize, logger });
    sweep = result.ks.map((kk, i) => ({ k: kk, inertia: result.inertia[i], silhouette: result.silhouette[i] }));
    k = result.suggestion.k;
    chosenBy = result.suggestion.by;
    reason = result.suggestion.reason;
  }

  const model = new KMeans({ nClusters: k, seed, nInit, logger }).fit(X);
  const centers = model.clusterCenters.data;
  // Renumber clusters by value: frequent, high-spend and recent first.
  const value = Array.from({ length: k }, (_, c) => centers[3 * c + 1] + centers[3 * c + 2] - centers[3 * c]);
  const order = value.map((v, c) => ({ v, c })).sort((a, b) => b.v - a.v || a.c - b.c);
  const newIndex = new Int32Array(k);
  order.forEach(({ c }, rank) => {
    newIndex[c] = rank;
  });
  const labels = model.labels.map((l) => newIndex[l]);

  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) members[labels[i]].push(i);
  const seen = new Map<string, number>();
  const profiles: RfmClusterProfile[] = order.map(({ c }, cluster) => {
    const idx = members[cluster];
    const center = { recency: centers[3 * c], frequency: centers[3 * c + 1], monetary: centers[3 * c + 2] };
    const frequency = summary(idx.map((i) => rfm.frequency[i]));
    let name = rfmClusterName(center, frequency.median);
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count > 1) name = `${name} (${count})`;
    return {
      cluster,
      name,
      size: idx.length,
      share: idx.length / n,
      recency: summary(idx.map((i) => rfm.recency[i])),
      frequency,
      monetary: summary(idx.map((i) => rfm.monetary[i])),
      center,
    };
  });

  const nonEmpty = members.filter((m) => m.length > 0).length;
  let silhouette: number | null = null;
  if (nonEmpty >= 2 && nonEmpty <= n - 1) {
    try {
      const s = silhouetteScore(X, labels, sampleSize !== undefined ? { sampleSize, seed } : {});
      silhouette = Number.isFinite(s) ? s : null;
    } catch {
      silhouette = null;
    }
  }
  return {
    k,
    chosenBy,
    reason,
    sweep,
    labels,
    silhouette,
    inertia: model.inertia,
    features,
    scaler: { mean: Array.from(scaler.mean ?? []), scale: Array.from(scaler.scale ?? []) },
    profiles,
  };
}
