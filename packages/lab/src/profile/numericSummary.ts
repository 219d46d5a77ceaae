/** Equal-width histogram: `counts[b]` values in `[edges[b], edges[b + 1])`, the last bin closed. */
export interface Histogram {
  /** Bin edges, `counts.length + 1` increasing values from the minimum to the maximum. */
  edges: number[];
  counts: number[];
}

/** Distribution of a numeric column's observed values. */
export interface NumericSummary {
  /** Arithmetic mean (null when a value is infinite). */
  mean: number | null;
  /** Sample standard deviation (denominator n - 1, as pandas); null with fewer than 2 values. */
  std: number | null;
  min: number;
  /** Quantiles with linear interpolation between order statistics (numpy's default, R type 7). */
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
  max: number;
  /**
   * Adjusted Fisher-Pearson skewness `G1 = g1 sqrt(n (n - 1)) / (n - 2)` (pandas' `skew`), 0 for
   * a constant column; null with fewer than 3 values or infinite values.
   */
  skewness: number | null;
  /** Values outside the Tukey fences `[q25 - 1.5 IQR, q75 + 1.5 IQR]`. */
  outliers: number;
  /** The Tukey fences `[low, high]`. */
  outlierFences: [number, number];
  /** Equal-width histogram of the finite values (null when there are none). */
  histogram: Histogram | null;
}

/** The `p`-quantile (p in [0, 1]) of ascending `sorted` values, numpy's linear method. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo];
  const b = sorted[hi];
  return a === b ? a : a + (h - lo) * (b - a);
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * An equal-width histogram with `bins` bins over `[min, max]` of ascending `sorted` values, in
 * one linear pass (non-finite values are skipped). A single distinct value gives one bin.
 */
export function histogramSorted(sorted: ArrayLike<number>, bins: number): Histogram | null {
  let start = 0;
  let end = sorted.length;
  while (start < end && !Number.isFinite(sorted[start])) start++;
  while (end > start && !Number.isFinite(sorted[end - 1])) end--;
  if (start === end) return null;
  const min = sorted[start];
  const max = sorted[end - 1];
  if (min === max) return { edges: [min, max], counts: [end - start] };
  const width = (max - min) / bins;
  const edges = new Array<number>(bins + 1);
  for (let b = 0; b < bins; b++) edges[b] = min + b * width;
  edges[bins] = max;
  const counts = new Array<number>(bins).fill(0);
  let b = 0;
  for (let i = start; i < end; i++) {
    const x = sorted[i];
    while (b < bins - 1 && x >= edges[b + 1]) b++;
    counts[b]++;
  }
  return { edges, counts };
}

/** Summary statistics of ascending `sorted` values (at least one). */
export function numericSummary(sorted: Float64Array, bins: number): NumericSummary {
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let correction = 0;
  for (let i = 0; i < n; i++) {
    const d = sorted[i] - mean;
    correction += d;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
  }
  // Corrected two-pass algorithm (Chan, Golub & LeVeque): removes the rounding error of the mean.
  m2 -= (correction * correction) / n;
  let skewness: number | null = null;
  if (n >= 3 && Number.isFinite(m3) && Number.isFinite(m2)) {
    const v = m2 / n;
    // A constant column (up to rounding of the mean) has skewness 0, as in pandas.
    const tiny = v === 0 || Math.sqrt(v) <= 64 * Number.EPSILON * Math.abs(mean);
    skewness = tiny ? 0 : ((m3 / n / v ** 1.5) * Math.sqrt(n * (n - 1))) / (n - 2);
  }
  const q25 = quantileSorted(sorted, 0.25);
  const q75 = quantileSorted(sorted, 0.75);
  const iqr = q75 - q25;
  const low = q25 - 1.5 * iqr;
  const high = q75 + 1.5 * iqr;
  let outliers = 0;
  for (let i = 0; i < n && sorted[i] < low; i++) outliers++;
  for (let i = n - 1; i >= 0 && sorted[i] > high; i--) outliers++;
  return {
    mean: finiteOrNull(mean),
    std: n >= 2 ? finiteOrNull(Math.sqrt(Math.max(m2, 0) / (n - 1))) : null,
    min: sorted[0],
    q05: quantileSorted(sorted, 0.05),
    q25,
    median: quantileSorted(sorted, 0.5),
    q75,
    q95: quantileSorted(sorted, 0.95),
    max: sorted[n - 1],
    skewness: skewness === null ? null : finiteOrNull(skewness),
    outliers,
    outlierFences: [low, high],
    histogram: histogramSorted(sorted, bins),
  };
}
