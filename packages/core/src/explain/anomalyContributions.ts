import { invalid } from "../errors.js";
import type { MatrixLike } from "../matrix.js";
import { asMatrix, checkInt } from "../validate.js";

/** Options for `anomalyContributions`. */
export interface AnomalyContributionsOptions {
  /** Names of the columns of `X`. Default `x0`, `x1`, ... */
  featureNames?: readonly string[];
  /** Features listed per row, the most deviant first. Default 3. */
  top?: number;
  /**
   * Rows the clusters' typical values come from (1/true = use), e.g. the rows not flagged as
   * anomalies, so that "typical" describes a cluster's normal members. Default: every row.
   */
  reference?: ArrayLike<number | boolean>;
}

/** How far one feature of a row is from its cluster's typical value. */
export interface FeatureDeviation {
  feature: string;
  /** Column index in `X`. */
  index: number;
  /** The row's value. */
  value: number;
  /** The cluster's mean (over its reference rows). */
  typical: number;
  /** The spread it is measured in: the cluster's standard deviation (the whole data's when that is 0). */
  sd: number;
  /** (value - typical) / sd: the standardised deviation. */
  z: number;
  direction: "higher" | "lower";
}

/** The features that make one row unusual for its cluster. */
export interface AnomalyContribution {
  row: number;
  /** The cluster compared with; -1: the whole data (no cluster with 2 or more reference rows). */
  cluster: number;
  /** True when the row is noise (cluster -1) and `cluster` is the nearest cluster instead. */
  nearest: boolean;
  /** The `top` features with the largest |z|, largest first (ties: lower column index). */
  features: FeatureDeviation[];
}

/**
 * Explains anomalies feature by feature: for each of `rows`, the features with the largest absolute
 * standardised deviation from its cluster's typical row, z = (value - cluster mean) / cluster SD
 * (sample SD, n - 1), with the direction (higher / lower) and the value vs the typical value.
 * `clusters` holds the cluster each row belongs to (-1 = noise). The means and SDs come from the
 * cluster's `reference` rows (default all). A noise row is compared with the nearest cluster (by
 * Euclidean distance to the cluster means, each feature divided by its SD in the whole data); a
 * cluster with fewer than 2 reference rows uses all its rows, and one with fewer than 2 rows at all is
 * replaced by the whole data (cluster -1). A feature
 * whose SD is 0 in the cluster is measured in the whole data's SD; constant features score 0.
 */
export function anomalyContributions(
  X: MatrixLike,
  clusters: ArrayLike<number>,
  rows: ArrayLike<number>,
  options: AnomalyContributionsOptions = {},
): AnomalyContribution[] {
  const m = asMatrix(X);
  const { rows: n, cols: d, data } = m;
  const top = checkInt(options.top ?? 3, "top", 1);
  const names =
    options.featureNames === undefined ? Array.from({ length: d }, (_, j) => `x${j}`) : [...options.featureNames];
  if (names.length !== d) throw invalid("featureNames", options.featureNames, `${names.length} names for ${d} columns`);
  if (clusters.length !== n) throw invalid("clusters", `${clusters.length} values`, `must have one per row (${n})`);
  const reference = options.reference;
  if (reference !== undefined && reference.length !== n) {
    throw invalid("reference", `${reference.length} values`, `must have one per row (${n})`);
  }
  let k = 0;
  for (let i = 0; i < n; i++) if (clusters[i] + 1 > k) k = clusters[i] + 1;
  const withReference = clusterStats(data, n, d, clusters, k, reference);
  const all = reference === undefined ? withReference : clusterStats(data, n, d, clusters, k, undefined);
  // Per slot (clusters 0..k-1, the whole data k): the reference rows' statistics, or all rows'
  // when fewer than 2 reference rows remain (e.g. every row of a cluster flagged).
  const count = new Float64Array(k + 1);
  const mean = new Float64Array((k + 1) * d);
  const sd = new Float64Array((k + 1) * d);
  for (let s = 0; s <= k; s++) {
    const src = withReference.count[s] >= 2 ? withReference : all;
    count[s] = src.count[s];
    mean.set(src.mean.subarray(s * d, (s + 1) * d), s * d);
    sd.set(src.sd.subarray(s * d, (s + 1) * d), s * d);
  }
  const usable = (c: number) => c >= 0 && c < k && count[c] >= 2;
  const out: AnomalyContribution[] = [];
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw invalid("rows", i, `must be row indices in [0, ${n - 1}]`);
    let c = clusters[i];
    let nearest = false;
    if (c < 0) {
      nearest = true;
      let best = Number.POSITIVE_INFINITY;
      c = -1;
      for (let j = 0; j < k; j++) {
        if (!usable(j)) continue;
        let dist = 0;
        for (let t = 0; t < d; t++) {
          const s = sd[k * d + t];
          if (s > 0) dist += ((data[i * d + t] - mean[j * d + t]) / s) ** 2;
        }
        if (dist < best) {
          best = dist;
          c = j;
        }
      }
    }
    if (!usable(c)) c = -1;
    const slot = c >= 0 ? c : k;
    const features: FeatureDeviation[] = [];
    for (let t = 0; t < d; t++) {
      const value = data[i * d + t];
      const typical = mean[slot * d + t];
      const s = sd[slot * d + t] > 0 ? sd[slot * d + t] : sd[k * d + t];
      const z = s > 0 ? (value - typical) / s : 0;
      features.push({ feature: names[t], index: t, value, typical, sd: s, z, direction: z < 0 ? "lower" : "higher" });
    }
    features.sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.index - b.index);
    out.push({ row: i, cluster: c, nearest: nearest && c >= 0, features: features.slice(0, top) });
  }
  return out;
}

interface ClusterStats {
  count: Float64Array;
  mean: Float64Array;
  sd: Float64Array;
}

/** Means and sample SDs (two passes) over the rows in `reference` (all when undefined): per cluster (slots 0..k-1) and overall (slot k). */
function clusterStats(
  data: Float64Array,
  n: number,
  d: number,
  clusters: ArrayLike<number>,
  k: number,
  reference: ArrayLike<number | boolean> | undefined,
): ClusterStats {
  const count = new Float64Array(k + 1);
  const mean = new Float64Array((k + 1) * d);
  const sd = new Float64Array((k + 1) * d);
  const use = (i: number) => reference === undefined || Boolean(reference[i]);
  for (let i = 0; i < n; i++) {
    if (!use(i)) continue;
    const c = clusters[i];
    for (const slot of c >= 0 ? [c, k] : [k]) {
      count[slot]++;
      for (let t = 0; t < d; t++) mean[slot * d + t] += data[i * d + t];
    }
  }
  for (let s = 0; s <= k; s++) for (let t = 0; t < d; t++) if (count[s] > 0) mean[s * d + t] /= count[s];
  for (let i = 0; i < n; i++) {
    if (!use(i)) continue;
    const c = clusters[i];
    for (const slot of c >= 0 ? [c, k] : [k]) {
      for (let t = 0; t < d; t++) sd[slot * d + t] += (data[i * d + t] - mean[slot * d + t]) ** 2;
    }
  }
  for (let s = 0; s <= k; s++) {
    for (let t = 0; t < d; t++) sd[s * d + t] = count[s] >= 2 ? Math.sqrt(sd[s * d + t] / (count[s] - 1)) : 0;
  }
  return { count, mean, sd };
}
