import type { ReachabilityResult } from "@clusterlab/charts";

/** Most bars of the reachability plot; above, blocks of consecutive rows are merged into one bar. */
export const REACHABILITY_MAX_BARS = 3_000;

/** An OPTICS ordering (core's `OpticsModel` fields) with the eps suggestion. */
export interface ReachabilityOrdering {
  minSamples: number;
  ordering: ArrayLike<number>;
  /** Per row (not in ordering order); Infinity where undefined. */
  reachability: ArrayLike<number>;
  coreDistances: ArrayLike<number>;
  /** Infinity when unbounded. */
  maxEps: number;
  /** The knee of the sorted core distances. */
  suggestedEps: number;
}

/**
 * The reachability plot of an OPTICS ordering: reachability per bar in the ordering, coloured by
 * the cluster of `labels` (blocks of rows above `maxBars` rows), with the useful eps range.
 */
export function reachabilityView(
  s: ReachabilityOrdering,
  labels: Int32Array,
  eps: number | null,
  maxBars: number = REACHABILITY_MAX_BARS,
): ReachabilityResult {
  const n = s.ordering.length;
  const binSize = n <= maxBars ? 1 : Math.ceil(n / (maxBars * 0.66));
  const reach: (number | null)[] = [];
  const barLabels: number[] = [];
  let maxFinite = 0;
  let minCore = Number.POSITIVE_INFINITY;
  let maxCore = 0;
  for (let i = 0; i < n; i++) {
    const r = s.reachability[i];
    if (Number.isFinite(r)) maxFinite = Math.max(maxFinite, r);
    const c = s.coreDistances[i];
    if (Number.isFinite(c)) {
      minCore = Math.min(minCore, c);
      maxCore = Math.max(maxCore, c);
    }
  }
  const counts = new Map<number, number>();
  for (let start = 0; start < n; start += binSize) {
    const end = Math.min(n, start + binSize);
    let top = 0;
    let infinite = false;
    counts.clear();
    for (let i = start; i < end; i++) {
      const row = s.ordering[i];
      const r = s.reachability[row];
      if (!Number.isFinite(r)) infinite = true;
      else top = Math.max(top, r);
      const c = labels[row];
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let best = -1;
    let bestCount = -1;
    for (const [c, count] of counts) {
      // The most common cluster; noise only when the block holds nothing else.
      const score = c < 0 ? count - binSize : count;
      if (score > bestCount) {
        best = c;
        bestCount = score;
      }
    }
    // An infinite reachability starts a region: the bar is drawn as a wall (null).
    reach.push(infinite ? null : Math.round(top * 1e6) / 1e6);
    barLabels.push(best);
  }
  if (!Number.isFinite(minCore)) minCore = 0;
  const hi = Number.isFinite(s.maxEps) ? s.maxEps : Math.max(maxFinite, maxCore) * 1.1 || 1;
  const lo = Math.min(minCore, hi / 100);
  return {
    reachability: reach,
    labels: barLabels,
    binSize,
    eps,
    epsRange: [lo, hi],
    suggestedEps: s.suggestedEps,
    maxEps: Number.isFinite(s.maxEps) ? s.maxEps : null,
    minSamples: s.minSamples,
  };
}
