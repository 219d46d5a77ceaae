import { KMeans } from "../cluster/kMeans.js";
import { invalid, ValidationError } from "../errors.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { calinskiHarabaszScore } from "../metrics/calinskiHarabaszScore.js";
import { daviesBouldinScore } from "../metrics/daviesBouldinScore.js";
import { silhouetteScore } from "../metrics/silhouetteScore.js";
import { asMatrix, checkChoice, checkInt, checkNumber } from "../validate.js";
import { kneedle } from "./kneedle.js";

/** Options for `chooseK`. */
export interface ChooseKOptions {
  /** Smallest k tried (an integer >= 1). Default 2. */
  kMin?: number;
  /** Largest k tried (an integer, `kMin <= kMax <= nSamples`). Default 10, lowered to n when n < 10 and `kMax` is not given. */
  kMax?: number;
  /** Seed for every k-means fit (the same seed for each k) and for the silhouette subset. Default 0. */
  seed?: number;
  /** Runs per k-means fit, as `KMeansOptions.nInit`. Default: KMeans's default (1 for k-means++). */
  nInit?: number;
  /** K-means algorithm, as `KMeansOptions.algorithm`. Default `"lloyd"`. */
  algorithm?: "lloyd" | "elkan";
  /**
   * Compute the silhouette on a random subset of this many samples (an integer >= 2), as
   * `silhouetteScore`'s `sampleSize`: O(sampleSize^2) instead of O(n^2) per k. Recommended above
   * ~10,000 samples. Default: all samples.
   */
  silhouetteSampleSize?: number;
  /** Keep each fit's training labels in `result.labels`. Default false. */
  keepLabels?: boolean;
  /** Called after each k is fitted and scored, in increasing k. Default: none. */
  onProgress?: (k: number, result: KSweepEntry) => void;
  /** Receives warnings from the k-means fits (e.g. fewer distinct clusters than k). Default `consoleLogger`. */
  logger?: Logger;
}

/** The scores of one k in the sweep. */
export interface KSweepEntry {
  k: number;
  /** Within-cluster sum of squares (k-means inertia). */
  inertia: number;
  /** Mean silhouette (higher is better), or null when undefined (fewer than 2 or all n distinct clusters). */
  silhouette: number | null;
  /** Calinski-Harabasz score (higher is better), or null when undefined (as silhouette). */
  calinskiHarabasz: number | null;
  /** Davies-Bouldin score (lower is better), or null when undefined (as silhouette). */
  daviesBouldin: number | null;
  /** Training labels of the fit. */
  labels: Int32Array;
}

/** How `chooseK` arrived at its suggestion. */
export interface KSuggestion {
  /** The suggested number of clusters. */
  k: number;
  /**
   * `"silhouette"`: the k with the highest silhouette. `"elbow"`: no silhouette could be computed,
   * so the inertia elbow. `"fallback"`: neither exists (e.g. a single k, or k = 1 only); `kMin`.
   */
  by: "silhouette" | "elbow" | "fallback";
  /** One sentence explaining the choice, with the numbers behind it. */
  reason: string;
}

/** Result of `chooseK`: one entry per k in each array, in increasing k. */
export interface KSweepResult {
  /** The k values tried: `kMin..kMax`. */
  ks: number[];
  inertia: number[];
  silhouette: (number | null)[];
  calinskiHarabasz: (number | null)[];
  daviesBouldin: (number | null)[];
  /** The elbow of the inertia curve by Kneedle (convex, decreasing, S = 1), or null (none, or fewer than 3 ks). */
  elbow: number | null;
  suggestion: KSuggestion;
  /** Training labels per k (same order as `ks`), only with `keepLabels: true`. */
  labels?: Int32Array[];
}

/**
 * Fits k-means for every k in `kMin..kMax` and scores each clustering with the inertia (WCSS), the
 * silhouette, the Calinski-Harabasz and the Davies-Bouldin scores, finds the elbow of the inertia
 * curve with Kneedle and suggests a k.
 *
 * The rule: **the k with the highest silhouette** (smallest k on a tie), `by: "silhouette"`; the
 * reason says whether the elbow agrees. Only when no silhouette is defined (every fit has fewer than
 * 2 or n distinct clusters) is the elbow used, and failing that `kMin`. Why silhouette first: its
 * value is comparable across k and independent of the range swept, whereas the Kneedle elbow depends
 * on `kMin`/`kMax` (it normalises the curve to the range) and on the noise of single k-means runs.
 * Silhouette cannot suggest k = 1, and on nested structure it favours the coarsest clear split (on
 * iris, 2); the full arrays and the elbow are returned so that a person can weigh them.
 *
 * Cost: one k-means fit per k plus an O(n^2 d) silhouette per k (use `silhouetteSampleSize` for
 * large n).
 *
 * @example
 * const sweep = chooseK(X, { kMin: 2, kMax: 8, nInit: 3 });
 * sweep.suggestion; // { k: 4, by: "silhouette", reason: "..." }
 */
export function chooseK(X: MatrixLike, options: ChooseKOptions = {}): KSweepResult {
  const m = asMatrix(X);
  const n = m.rows;
  const {
    seed = 0,
    nInit,
    algorithm,
    silhouetteSampleSize,
    keepLabels = false,
    onProgress,
    logger = consoleLogger,
  } = options;
  const kMin = checkInt(options.kMin ?? 2, "kMin", 1);
  if (kMin > n) throw new ValidationError(`invalid kMin: ${kMin} (must be <= n_samples = ${n})`);
  const kMax = options.kMax ?? Math.max(kMin, Math.min(10, n));
  if (typeof kMax !== "number" || !Number.isInteger(kMax)) throw invalid("kMax", kMax, "must be an integer");
  if (kMax < kMin) throw invalid("kMax", kMax, `must be >= kMin = ${kMin}`);
  if (kMax > n) throw new ValidationError(`invalid kMax: ${kMax} (must be <= n_samples = ${n})`);
  checkNumber(seed, "seed");
  if (nInit !== undefined) checkInt(nInit, "nInit", 1);
  if (algorithm !== undefined) checkChoice(algorithm, "algorithm", ["lloyd", "elkan"]);
  if (silhouetteSampleSize !== undefined) checkInt(silhouetteSampleSize, "silhouetteSampleSize", 2);
  if (typeof keepLabels !== "boolean") throw invalid("keepLabels", keepLabels, "must be a boolean");
  if (onProgress !== undefined && typeof onProgress !== "function")
    throw invalid("onProgress", onProgress, "must be a function");

  const ks: number[] = [];
  const inertia: number[] = [];
  const silhouette: (number | null)[] = [];
  const calinskiHarabasz: (number | null)[] = [];
  const daviesBouldin: (number | null)[] = [];
  const labelsPerK: Int32Array[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const model = new KMeans({ nClusters: k, seed, nInit, algorithm, logger }).fit(m);
    const labels = model.labels;
    const distinct = countDistinct(labels, k);
    // The internal metrics need 2 <= number of clusters <= n - 1.
    const scorable = distinct >= 2 && distinct <= n - 1;
    const entry: KSweepEntry = {
      k,
      inertia: model.inertia,
      silhouette: scorable ? sampledSilhouette(m, labels, silhouetteSampleSize, seed) : null,
      calinskiHarabasz: scorable ? calinskiHarabaszScore(m, labels) : null,
      daviesBouldin: scorable ? daviesBouldinScore(m, labels) : null,
      labels,
    };
    ks.push(k);
    inertia.push(entry.inertia);
    silhouette.push(entry.silhouette);
    calinskiHarabasz.push(entry.calinskiHarabasz);
    daviesBouldin.push(entry.daviesBouldin);
    if (keepLabels) labelsPerK.push(labels);
    onProgress?.(k, entry);
  }

  const elbow = elbowOf(ks, inertia);
  const result: KSweepResult = {
    ks,
    inertia,
    silhouette,
    calinskiHarabasz,
    daviesBouldin,
    elbow,
    suggestion: suggest(ks, silhouette, elbow),
  };
  if (keepLabels) result.labels = labelsPerK;
  return result;
}

function countDistinct(labels: Int32Array, k: number): number {
  const seen = new Uint8Array(k);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l >= 0 && l < k && seen[l] === 0) {
      seen[l] = 1;
      count++;
    }
  }
  return count;
}

/** The silhouette, or null when a random subset happens to hold fewer than 2 (or only singleton) clusters. */
function sampledSilhouette(m: Matrix, labels: Int32Array, sampleSize: number | undefined, seed: number): number | null {
  if (sampleSize === undefined || sampleSize >= m.rows) return silhouetteScore(m, labels);
  try {
    return silhouetteScore(m, labels, { sampleSize, seed });
  } catch (e) {
    if (e instanceof ValidationError && /number of labels/.test(e.message)) return null;
    throw e;
  }
}

/** Kneedle elbow of a (convex, decreasing) inertia curve; null for fewer than 3 points or no elbow. */
function elbowOf(ks: number[], inertia: number[]): number | null {
  if (ks.length < 3) return null;
  const r = kneedle(ks, inertia, { curve: "convex", direction: "decreasing" });
  return r.index === null ? null : ks[r.index];
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(3));

function suggest(ks: number[], silhouette: (number | null)[], elbow: number | null): KSuggestion {
  let best = -1;
  for (let i = 0; i < ks.length; i++) {
    const s = silhouette[i];
    if (s !== null && (best < 0 || s > (silhouette[best] as number))) best = i;
  }
  if (best >= 0) {
    const k = ks[best];
    const s = silhouette[best] as number;
    let reason = `highest silhouette at k=${k} (${fmt(s)})`;
    if (elbow === k) reason += "; the inertia elbow agrees";
    else if (elbow === null) reason += "; the inertia curve has no clear elbow";
    else {
      const se = silhouette[ks.indexOf(elbow)];
      reason += `; the inertia elbow is at k=${elbow}${se === null ? "" : ` (silhouette ${fmt(se)})`}`;
    }
    return { k, by: "silhouette", reason };
  }
  if (elbow !== null) {
    return {
      k: elbow,
      by: "elbow",
      reason: `no silhouette could be computed; elbow of the inertia curve at k=${elbow}`,
    };
  }
  return {
    k: ks[0],
    by: "fallback",
    reason: `no silhouette could be computed and the inertia curve has no elbow; defaulting to kMin=${ks[0]}`,
  };
}
