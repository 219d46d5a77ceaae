import { kneedle, type Matrix } from "@clusterlab/core";

/** The knee of sorted (increasing) distances, by Kneedle on at most 1,000 quantiles; the 90th percentile when there is none. */
export function distanceKnee(values: ArrayLike<number>): number {
  const finite = Array.from(values).filter((v) => Number.isFinite(v));
  if (finite.length === 0) return 1;
  finite.sort((a, b) => a - b);
  const m = Math.min(1000, finite.length);
  const ys: number[] = [];
  const xs: number[] = [];
  for (let i = 0; i < m; i++) {
    xs.push(i);
    ys.push(finite[Math.round((i * (finite.length - 1)) / Math.max(1, m - 1))]);
  }
  const knee = kneedle(xs, ys, { curve: "convex", direction: "increasing" });
  const value = knee.y ?? finite[Math.floor(0.9 * (finite.length - 1))];
  return value > 0 ? value : finite[finite.length - 1] || 1;
}

/**
 * Smallest and largest finite merge height of a linkage matrix (scipy layout: height in column 2):
 * the useful range of a cut distance (HDBSCAN's DBSCAN* cut of its single-linkage tree).
 */
export function mergeHeightRange(Z: Matrix): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (let r = 0; r < Z.rows; r++) {
    const h = Z.data[r * Z.cols + 2];
    if (Number.isFinite(h)) {
      lo = Math.min(lo, h);
      hi = Math.max(hi, h);
    }
  }
  if (!Number.isFinite(lo)) lo = 0;
  return [lo, hi > lo ? hi : lo + 1];
}
