import type { BoxStats } from "@clusterlab/charts";

const round = (v: number, digits = 6) => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : v);

/** Quantile of sorted values (linear interpolation, as numpy's default). */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The five numbers, the mean and Tukey's fences of some values (null when there are none). */
export function boxStats(values: Float64Array): BoxStats | null {
  const v = values.filter((x) => Number.isFinite(x)).sort();
  if (v.length === 0) return null;
  const q1 = quantile(v, 0.25);
  const q3 = quantile(v, 0.75);
  const iqr = q3 - q1;
  let lowerFence = v[0];
  let upperFence = v[v.length - 1];
  for (const x of v) {
    if (x >= q1 - 1.5 * iqr) {
      lowerFence = x;
      break;
    }
  }
  for (let i = v.length - 1; i >= 0; i--) {
    if (v[i] <= q3 + 1.5 * iqr) {
      upperFence = v[i];
      break;
    }
  }
  let sum = 0;
  for (const x of v) sum += x;
  return {
    min: round(v[0]),
    q1: round(q1),
    median: round(quantile(v, 0.5)),
    q3: round(q3),
    max: round(v[v.length - 1]),
    lowerFence: round(lowerFence),
    upperFence: round(upperFence),
    mean: round(sum / v.length),
  };
}
