import { checkInt } from "../validate.js";
import {
  categoryCodes,
  checkSegmentLabels,
  type ExplainColumn,
  type ExplainInput,
  explainColumns,
  medianOfSorted,
  segmentId,
  sortedValues,
} from "./internal.js";

/** Options for `segmentProfiles`. */
export interface SegmentProfilesOptions {
  /** Column names when `X` is a matrix (a `Frame` names its own). Default `x0`, `x1`, ... */
  featureNames?: readonly string[];
  /** Number of features listed in each segment's `topFeatures`. Default 5 (all when fewer). */
  topFeatures?: number;
}

/** Whole-data statistics of one numeric feature. */
export interface NumericFeatureSummary {
  name: string;
  kind: "numeric";
  /** Non-missing values. */
  count: number;
  mean: number | null;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  std: number | null;
  median: number | null;
}

/** One category of a column over the whole data. */
export interface CategoryCount {
  /** The category; `null` is the missing value, counted as a category of its own. */
  category: string | null;
  count: number;
  share: number;
}

/** Whole-data statistics of one categorical feature. */
export interface CategoricalFeatureSummary {
  name: string;
  kind: "categorical";
  count: number;
  /** Categories by descending count (ties: first seen first). */
  categories: CategoryCount[];
}

export type FeatureSummary = NumericFeatureSummary | CategoricalFeatureSummary;

/** A numeric feature in one segment, compared with the rest of the rows. */
export interface NumericFeatureProfile {
  feature: string;
  kind: "numeric";
  /** Non-missing values in the segment. */
  count: number;
  mean: number | null;
  median: number | null;
  /** Sample standard deviation in the segment (n - 1; 0 for one value). */
  std: number | null;
  /** Mean of the other rows (null when there are none). */
  restMean: number | null;
  overallMean: number | null;
  /**
   * Cohen's d against the rest: `(mean - restMean) / pooledSD`, pooledSD =
   * `sqrt(((n1 - 1) s1^2 + (n0 - 1) s0^2) / (n1 + n0 - 2))`. When the pooled SD is 0 (or undefined, with
   * fewer than 3 values) the overall SD is used instead; 0 when that is 0 too or there is no rest.
   */
  d: number;
  /** `(mean - overallMean) / overall SD` (0 when the SD is 0): how far the segment sits from the whole data. */
  z: number;
  /** Whether the segment's mean is above or below the rest's. */
  direction: "higher" | "lower" | "same";
  /**
   * Strength of association with segment membership, in [0, 1]: the absolute point-biserial
   * correlation between the feature and the 0/1 membership indicator. For a given segment it ranks
   * the numeric features exactly as |d| does.
   */
  effect: number;
}

/** One category of a column in one segment. */
export interface CategoryShare {
  category: string | null;
  /** Rows of the segment with this category. */
  count: number;
  /** Share of the segment's rows with this category. */
  share: number;
  /** Share of all rows with this category. */
  overallShare: number;
  /** `share / overallShare` (> 1: over-represented in the segment). */
  lift: number;
}

/** A categorical feature in one segment, compared with the rest of the rows. */
export interface CategoricalFeatureProfile {
  feature: string;
  kind: "categorical";
  count: number;
  /** Every category of the column, in the order of `FeatureSummary.categories` (by overall count). */
  categories: CategoryShare[];
  /**
   * The most over-represented category: the largest positive Pearson residual
   * `(count - expected) / sqrt(expected)` (expected = segment size x overall share), which weighs the
   * lift by support. Null when no category is over-represented (or there is no rest).
   */
  topCategory: CategoryShare | null;
  /**
   * Cramér's V of the 2 x m table (segment vs rest, by category), in [0, 1]; for a 2-row table it
   * equals the multiple correlation between the membership indicator and the category dummies.
   */
  cramersV: number;
  /** Same as `cramersV`: the feature's strength of association with segment membership. */
  effect: number;
}

export type FeatureProfile = NumericFeatureProfile | CategoricalFeatureProfile;

/** One of a segment's most distinguishing features (see `segmentProfiles`). */
export interface DistinguishingFeature {
  feature: string;
  kind: "numeric" | "categorical";
  /** Association with membership in [0, 1]: |point-biserial r| (numeric) or Cramér's V (categorical). */
  effect: number;
  /** Numeric: Cohen's d against the rest. */
  d?: number;
  /** Numeric: the segment mean's z-score in the whole data. */
  z?: number;
  /** Numeric: above or below the rest. */
  direction?: "higher" | "lower" | "same";
  mean?: number | null;
  restMean?: number | null;
  /** Categorical: the most over-represented category, its shares and lift. */
  category?: string | null;
  share?: number;
  overallShare?: number;
  lift?: number;
}

/** The profile of one segment (a cluster, or the noise rows). */
export interface SegmentProfile {
  /** The cluster label; -1 for the noise group. */
  label: number;
  /** `"0"`, `"1"`, ... or `"noise"`. */
  id: string;
  isNoise: boolean;
  size: number;
  /** size / number of rows. */
  share: number;
  /** Every feature, in input order. */
  features: FeatureProfile[];
  /** The most distinguishing features, by decreasing `effect` (ties: input order). */
  topFeatures: DistinguishingFeature[];
}

/** How strongly one feature is associated with the whole segmentation (see `SegmentProfiles.ranking`). */
export interface FeatureAssociation {
  feature: string;
  kind: "numeric" | "categorical";
  /**
   * In [0, 1]. Numeric: the correlation ratio eta = sqrt(between-segment sum of squares / total sum of
   * squares). Categorical: Cramér's V of the segments x categories table. With two segments these
   * equal the per-segment `effect`s.
   */
  effect: number;
}

/** What `segmentProfiles` returns. */
export interface SegmentProfiles {
  nSamples: number;
  /** Rows labelled -1. */
  nNoise: number;
  /** Whole-data statistics per feature, in input order. */
  features: FeatureSummary[];
  /** Every feature by decreasing association with the segmentation (noise counted as a segment); ties: input order. */
  ranking: FeatureAssociation[];
  /** Clusters by ascending label, then the noise group (when any row is noise). */
  segments: SegmentProfile[];
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

interface Moments {
  n: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  ss: number;
}

function allMoments(values: Float64Array): Moments {
  let n = 0;
  let mean = 0;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    n++;
    const delta = v - mean;
    mean += delta / n;
    ss += delta * (v - mean);
  }
  return { n, mean: n > 0 ? mean : Number.NaN, ss };
}

/**
 * Profiles the segments of a clustering: for each cluster (and the noise rows, label -1, as a
 * group of their own called `"noise"`) its size and share, and for each feature how the segment
 * differs from the rest of the rows:
 * - numeric features: mean, median, SD, the rest's mean, Cohen's d with the pooled SD, the segment
 *   mean's z-score in the whole data, and the point-biserial correlation with membership; missing
 *   values (NaN) are left out feature by feature;
 * - categorical features (string columns of a `Frame`; `null` is a category of its own): each
 *   category's share in the segment and overall, its lift (share / overall share), the most
 *   over-represented category, and Cramér's V of segment-vs-rest by category.
 *
 * Ranking (`topFeatures`): features are ranked by `effect`, their strength of association with
 * membership of the segment on one [0, 1] scale for both kinds: |point-biserial r| for numeric
 * features (the correlation of the feature with the 0/1 membership indicator; for one segment this
 * orders numeric features exactly as |d|) and Cramér's V for categorical ones (for the 2 x m table
 * this is the multiple correlation of the indicator with the category dummies). So a categorical
 * feature ranks above a numeric one when it explains more of the membership.
 *
 * `X` is a `Frame` (numeric and string columns) or a numeric matrix (columns named by
 * `featureNames`); `labels` holds one integer >= 0 per row, or -1 for noise.
 */
export function segmentProfiles(
  X: ExplainInput,
  labels: ArrayLike<number>,
  options: SegmentProfilesOptions = {},
): SegmentProfiles {
  const columns = explainColumns(X, options.featureNames);
  const n = columns[0].values.length;
  const top = options.topFeatures === undefined ? 5 : checkInt(options.topFeatures, "topFeatures", 0);
  const checked = checkSegmentLabels(labels, n);
  const lab = checked.labels;
  const groups = checked.groups;
  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) sizes.set(lab[i], (sizes.get(lab[i]) ?? 0) + 1);

  // gi[i]: index into `groups` of row i's segment.
  const groupIndex = new Map(groups.map((g, r) => [g, r]));
  const gi = Int32Array.from(lab, (l) => groupIndex.get(l)!);
  const prepared = columns.map((c) => prepareColumn(c, gi, groups.length));
  const features: FeatureSummary[] = prepared.map((p) => p.summary);
  const segments: SegmentProfile[] = groups.map((g, r) => {
    const size = sizes.get(g) ?? 0;
    const rows = new Int32Array(size);
    for (let i = 0, c = 0; i < n; i++) if (lab[i] === g) rows[c++] = i;
    const profiles: FeatureProfile[] = prepared.map((p) =>
      p.kind === "numeric" ? numericProfile(p, r, rows) : categoricalProfile(p, r, size),
    );
    const ranked = profiles
      .map((p, j) => ({ p, j }))
      .sort((a, b) => b.p.effect - a.p.effect || a.j - b.j)
      .slice(0, top)
      .map(({ p }) => distinguishing(p));
    return {
      label: g,
      id: segmentId(g),
      isNoise: g === -1,
      size,
      share: size / n,
      features: profiles,
      topFeatures: ranked,
    };
  });
  const ranking = prepared
    .map((p, j) => ({ a: association(p), j }))
    .sort((u, v) => v.a.effect - u.a.effect || u.j - v.j)
    .map(({ a }) => a);
  return { nSamples: n, nNoise: sizes.get(-1) ?? 0, features, ranking, segments };
}

/** Association of one feature with the whole labelling: eta (numeric) or Cramér's V (categorical). */
function association(p: PreparedNumeric | PreparedCategorical): FeatureAssociation {
  if (p.kind === "numeric") {
    let between = 0;
    for (const g of p.groups) if (g.n > 0) between += g.n * (g.mean - p.all.mean) ** 2;
    const eta = p.all.ss > 0 ? Math.min(1, Math.sqrt(between / p.all.ss)) : 0;
    return { feature: p.column.name, kind: "numeric", effect: eta };
  }
  const m = p.categories.length;
  const n = p.codes.length;
  const k = p.table.length / m;
  let chi2 = 0;
  for (let r = 0; r < k; r++) {
    let rowTotal = 0;
    for (let c = 0; c < m; c++) rowTotal += p.table[r * m + c];
    for (let c = 0; c < m; c++) {
      const expected = (rowTotal * p.totals[c]) / n;
      if (expected > 0) chi2 += (p.table[r * m + c] - expected) ** 2 / expected;
    }
  }
  const dof = Math.min(k, m) - 1;
  const v = dof > 0 ? Math.min(1, Math.sqrt(chi2 / (n * dof))) : 0;
  return { feature: p.column.name, kind: "categorical", effect: v };
}

interface PreparedNumeric {
  kind: "numeric";
  column: ExplainColumn & { kind: "numeric" };
  all: Moments;
  /** Moments of each segment (indexed like `groups`). */
  groups: Moments[];
  summary: NumericFeatureSummary;
}

interface PreparedCategorical {
  kind: "categorical";
  column: ExplainColumn & { kind: "categorical" };
  codes: Int32Array;
  /** Category codes in display order (by descending overall count). */
  order: number[];
  categories: (string | null)[];
  totals: Float64Array;
  /** Segments x categories counts (row r: `groups[r]`, column: category code). */
  table: Float64Array;
  summary: CategoricalFeatureSummary;
}

function prepareColumn(c: ExplainColumn, gi: Int32Array, k: number): PreparedNumeric | PreparedCategorical {
  if (c.kind === "numeric") {
    const all = allMoments(c.values);
    // Welford per segment, in one pass.
    const gn = new Float64Array(k);
    const gmean = new Float64Array(k);
    const gss = new Float64Array(k);
    for (let i = 0; i < c.values.length; i++) {
      const v = c.values[i];
      if (Number.isNaN(v)) continue;
      const r = gi[i];
      const delta = v - gmean[r];
      gmean[r] += delta / ++gn[r];
      gss[r] += delta * (v - gmean[r]);
    }
    const groups = Array.from({ length: k }, (_, r) => ({
      n: gn[r],
      mean: gn[r] > 0 ? gmean[r] : Number.NaN,
      ss: gss[r],
    }));
    const sorted = sortedValues(c.values, null);
    return {
      kind: "numeric",
      column: c,
      all,
      groups,
      summary: {
        name: c.name,
        kind: "numeric",
        count: all.n,
        mean: finite(all.mean),
        std: all.n > 1 ? Math.sqrt(all.ss / (all.n - 1)) : all.n === 1 ? 0 : null,
        median: finite(medianOfSorted(sorted)),
      },
    };
  }
  const { codes, categories } = categoryCodes(c.values);
  const totals = new Float64Array(categories.length);
  for (let i = 0; i < codes.length; i++) totals[codes[i]]++;
  const order = categories.map((_, j) => j).sort((a, b) => totals[b] - totals[a] || a - b);
  const n = codes.length;
  const m = categories.length;
  const table = new Float64Array(k * m);
  for (let i = 0; i < n; i++) table[gi[i] * m + codes[i]]++;
  return {
    kind: "categorical",
    column: c,
    codes,
    order,
    categories,
    totals,
    table,
    summary: {
      name: c.name,
      kind: "categorical",
      count: n,
      categories: order.map((j) => ({ category: categories[j], count: totals[j], share: totals[j] / n })),
    },
  };
}

/** The moments of all rows but one segment's: pooling (Chan et al.) undone. */
function restMoments(all: Moments, seg: Moments): Moments {
  const n = all.n - seg.n;
  if (n <= 0) return { n: 0, mean: Number.NaN, ss: 0 };
  if (seg.n === 0) return all;
  const mean = (all.n * all.mean - seg.n * seg.mean) / n;
  const ss = all.ss - seg.ss - seg.n * (seg.mean - all.mean) ** 2 - n * (mean - all.mean) ** 2;
  return { n, mean, ss: Math.max(0, ss) };
}

function numericProfile(p: PreparedNumeric, r: number, rows: Int32Array): NumericFeatureProfile {
  const values = p.column.values;
  const seg = p.groups[r];
  const rest = restMoments(p.all, seg);
  const all = p.all;
  const overallSd = all.n > 1 ? Math.sqrt(all.ss / (all.n - 1)) : 0;
  let d = 0;
  let effect = 0;
  if (seg.n > 0 && rest.n > 0) {
    const delta = seg.mean - rest.mean;
    const df = seg.n + rest.n - 2;
    let sd = df > 0 ? Math.sqrt((seg.ss + rest.ss) / df) : 0;
    if (!(sd > 0)) sd = overallSd;
    d = sd > 0 ? delta / sd : 0;
    // Point-biserial r = delta * sqrt(p q) / population SD of all values.
    const popSd = Math.sqrt(all.ss / all.n);
    const pShare = seg.n / all.n;
    effect = popSd > 0 ? Math.min(1, Math.abs((delta * Math.sqrt(pShare * (1 - pShare))) / popSd)) : 0;
  }
  const z = seg.n > 0 && overallSd > 0 ? (seg.mean - all.mean) / overallSd : 0;
  return {
    feature: p.column.name,
    kind: "numeric",
    count: seg.n,
    mean: finite(seg.mean),
    median: finite(medianOfSorted(sortedValues(values, rows))),
    std: seg.n > 1 ? Math.sqrt(seg.ss / (seg.n - 1)) : seg.n === 1 ? 0 : null,
    restMean: finite(rest.mean),
    overallMean: finite(all.mean),
    d,
    z,
    direction: d > 0 ? "higher" : d < 0 ? "lower" : "same",
    effect,
  };
}

function categoricalProfile(p: PreparedCategorical, r: number, size: number): CategoricalFeatureProfile {
  const m = p.categories.length;
  const n = p.codes.length;
  const counts = p.table.subarray(r * m, (r + 1) * m);
  const restSize = n - size;
  let chi2 = 0;
  let top: CategoryShare | null = null;
  let topResidual = 0;
  const categories = p.order.map((k) => {
    const overallShare = p.totals[k] / n;
    const share = size > 0 ? counts[k] / size : 0;
    const c: CategoryShare = {
      category: p.categories[k],
      count: counts[k],
      share,
      overallShare,
      lift: overallShare > 0 ? share / overallShare : 0,
    };
    if (size > 0 && restSize > 0) {
      const expIn = size * overallShare;
      const expOut = restSize * overallShare;
      const restCount = p.totals[k] - counts[k];
      chi2 += (counts[k] - expIn) ** 2 / expIn + (restCount - expOut) ** 2 / expOut;
      const residual = (counts[k] - expIn) / Math.sqrt(expIn);
      if (residual > topResidual + 1e-12) {
        topResidual = residual;
        top = c;
      }
    }
    return c;
  });
  const v = m >= 2 && size > 0 && restSize > 0 ? Math.min(1, Math.sqrt(chi2 / n)) : 0;
  return {
    feature: p.column.name,
    kind: "categorical",
    count: size,
    categories,
    topCategory: top,
    cramersV: v,
    effect: v,
  };
}

function distinguishing(p: FeatureProfile): DistinguishingFeature {
  if (p.kind === "numeric") {
    return {
      feature: p.feature,
      kind: "numeric",
      effect: p.effect,
      d: p.d,
      z: p.z,
      direction: p.direction,
      mean: p.mean,
      restMean: p.restMean,
    };
  }
  const t = p.topCategory;
  return {
    feature: p.feature,
    kind: "categorical",
    effect: p.effect,
    ...(t && { category: t.category, share: t.share, overallShare: t.overallShare, lift: t.lift }),
  };
}
