import { invalid, type Random } from "@clusterlab/core";

/**
 * Small seeded sampling helpers shared by the synthetic-data generators. Every draw goes through
 * core's `Random`, so a seed gives the same data on every platform.
 */

/** A log-normal draw with the given median (`exp(mu)`) and log-scale standard deviation `sigma`. */
export function logNormal(rng: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

/**
 * A Poisson draw with the given mean: Knuth's product method up to a mean of 30, above it the
 * normal approximation rounded to an integer >= 0 (the generators only need the shape).
 */
export function poisson(rng: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.float();
  while (p > limit) {
    k++;
    p *= rng.float();
  }
  return k;
}

/** An integer drawn uniformly from `lo..hi` (both included). */
export function uniformInt(rng: Random, lo: number, hi: number): number {
  return hi <= lo ? lo : lo + rng.int(hi - lo + 1);
}

/** An index drawn with probability proportional to `weights` (non-negative, not all zero). */
export function weightedIndex(rng: Random, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.float() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** An item of a `{ item: weight }` table drawn with probability proportional to its weight. */
export function weightedChoice<T extends string>(rng: Random, table: Readonly<Record<T, number>>): T {
  const keys = Object.keys(table) as T[];
  return keys[
    weightedIndex(
      rng,
      keys.map((k) => table[k]),
    )
  ];
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of an ISO date `YYYY-MM-DD`; throws a `ValidationError` naming `name` otherwise. */
export function isoDay(value: string, name: string): number {
  const m = ISO_DATE.exec(value);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw invalid(name, value, "must be a date YYYY-MM-DD");
  }
  return ms / DAY_MS;
}

/** The ISO date `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM:SS` (UTC) of a time in minutes since 1970-01-01. */
export function minuteToTimestamp(minute: number): string {
  return new Date(minute * 60_000).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Splits `total` into integer parts proportional to `weights` (largest-remainder rounding, ties to
 * the lower index), so that the parts sum to exactly `total`.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  let sum = 0;
  for (const w of weights) sum += w;
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) parts[order[j].i]++;
  return parts;
}
