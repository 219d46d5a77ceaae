import { asMatrix, invalid, type MatrixLike, Random } from "@clusterlab/core";
import { DataError } from "../errors.js";

/** Options for `hopkinsStatistic`. */
export interface HopkinsOptions {
  /**
   * Number m of probes of each kind (data rows and uniform points). Default
   * `min(500, max(floor(r / 10), min(r, 50)))` for r reference rows: 50 for iris, 500 from 5 000 rows.
   */
  sampleSize?: number;
  /**
   * Above this many rows, the statistic is computed on a seeded random subset of this size (the
   * reference set), so the cost stays bounded (`2 m r d` distance terms). Default 5000.
   */
  maxReferenceRows?: number;
  /** Seed for the subset, the probes and the uniform points. Default 0. */
  seed?: number;
}

/** The result of `hopkinsStatistic`. */
export interface HopkinsStatistic {
  /** H in [0, 1]: about 0.5 for uniformly random data, towards 1 for clustered data. */
  statistic: number;
  /** Probes m of each kind. */
  sampleSize: number;
  /** Rows in the reference set (all rows, or the seeded subset). */
  referenceSize: number;
}

/**
 * The Hopkins statistic of clustering tendency (Hopkins & Skellam 1954; Banerjee & Dave 2004):
 *
 * `H = sum(u) / (sum(u) + sum(w))`
 *
 * over m probes: `w_i` is the Euclidean distance from a randomly chosen data row to its nearest
 * other row, `u_i` the distance from a point drawn uniformly in the bounding box of the data to its
 * nearest row. Distances enter with power 1 (as in most software; Wright (2022) argues for power
 * d, which makes H more extreme but not different in direction). Uniformly random data give H
 * near 0.5, clustered data H towards 1 (rows are much closer to each other than random points are
 * to rows), regularly spaced data H below 0.5. Duplicate rows count as very close pairs and raise
 * H; outliers stretch the bounding box and raise it too.
 *
 * Rows are sampled without replacement; everything is seeded. Runs in `O(m r d)` with a brute-force
 * nearest-neighbour search over the reference set.
 */
export function hopkinsStatistic(X: MatrixLike, options: HopkinsOptions = {}): HopkinsStatistic {
  const { maxReferenceRows = 5000, seed = 0 } = options;
  const m0 = asMatrix(X);
  const d = m0.cols;
  if (m0.rows < 2) throw new DataError(`invalid X: ${m0.rows} row (the Hopkins statistic needs at least 2 rows)`);
  if (!Number.isInteger(maxReferenceRows) || maxReferenceRows < 2) {
    throw invalid("maxReferenceRows", maxReferenceRows, "must be an integer >= 2");
  }
  const random = new Random(seed);
  let ref = m0.data;
  let r = m0.rows;
  if (r > maxReferenceRows) {
    const picked = random.sampleWithoutReplacement(r, maxReferenceRows).sort();
    ref = new Float64Array(maxReferenceRows * d);
    for (let k = 0; k < maxReferenceRows; k++) ref.set(m0.data.subarray(picked[k] * d, picked[k] * d + d), k * d);
    r = maxReferenceRows;
  }
  const m = options.sampleSize ?? Math.min(500, Math.max(Math.floor(r / 10), Math.min(r, 50)));
  if (!Number.isInteger(m) || m < 1 || m > r) {
    throw invalid("sampleSize", m, `must be an integer in [1, ${r}], the number of reference rows`);
  }
  const lo = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < d; j++) {
      const x = ref[i * d + j];
      if (x < lo[j]) lo[j] = x;
      if (x > hi[j]) hi[j] = x;
    }
  }
  const probes = random.sampleWithoutReplacement(r, m);
  const point = new Float64Array(d);
  let sumW = 0;
  let sumU = 0;
  for (let k = 0; k < m; k++) {
    const p = probes[k];
    sumW += Math.sqrt(nearestSquared(ref, r, d, ref.subarray(p * d, p * d + d), p));
    for (let j = 0; j < d; j++) point[j] = lo[j] + random.float() * (hi[j] - lo[j]);
    sumU += Math.sqrt(nearestSquared(ref, r, d, point, -1));
  }
  const total = sumU + sumW;
  if (!(total > 0)) throw new DataError("invalid X: all rows are equal (the Hopkins statistic is undefined)");
  return { statistic: sumU / total, sampleSize: m, referenceSize: r };
}

/** Squared distance from `q` to the nearest row of `ref` other than row `skip`. */
function nearestSquared(ref: Float64Array, r: number, d: number, q: Float64Array, skip: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0, off = 0; i < r; i++, off += d) {
    if (i === skip) continue;
    let s = 0;
    for (let j = 0; j < d && s < best; j++) {
      const t = ref[off + j] - q[j];
      s += t * t;
    }
    if (s < best) best = s;
  }
  return best;
}

/** A short reading of a Hopkins statistic. */
export function interpretHopkins(h: number): string {
  if (h >= 0.75) return "strong clustering tendency";
  if (h >= 0.6) return "moderate clustering tendency";
  if (h >= 0.4) return "little clustering tendency (close to uniformly random)";
  return "regularly spaced (no clustering tendency)";
}
