/**
 * Sampling kernels for k-means initialisation (internal to the cluster area; not exported from
 * the barrel): greedy k-means++ and weighted sampling of distinct rows.
 */
import { invalid, ValidationError } from "../errors.js";
import type { Matrix } from "../matrix.js";
import type { Random } from "../random.js";
import { sqDist } from "./kmeansKernels.js";

/** `2 + floor(ln k)`, scikit-learn's default number of local trials. */
export function defaultLocalTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** Copies the rows `idx` of `X` into a new flat array. */
export function gatherRows(X: Matrix, idx: ArrayLike<number>): Float64Array {
  const d = X.cols;
  const out = new Float64Array(idx.length * d);
  for (let c = 0; c < idx.length; c++) out.set(X.data.subarray(idx[c] * d, (idx[c] + 1) * d), c * d);
  return out;
}

/** First index `i` with `cum[i] > r` (`strict`) or `cum[i] >= r`; `n - 1` when none. */
function search(cum: Float64Array, r: number, strict: boolean): number {
  let lo = 0;
  let hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? cum[mid] > r : cum[mid] >= r) hi = mid;
    else lo = mid + 1;
  }
  return lo < cum.length ? lo : cum.length - 1;
}

/** Draws one index with probability proportional to `w` (which must have a positive sum). */
export function weightedIndex(cum: Float64Array, rng: Random): number {
  const total = cum[cum.length - 1];
  let i = search(cum, rng.float() * total, true);
  // Rounding can land on a trailing zero-weight sample; step back to one with weight.
  while (i > 0 && cum[i] === cum[i - 1]) i--;
  return i;
}

/** The sample indices chosen by greedy k-means++ (validated inputs; `w` has a positive sum). */
export function kmeansPlusPlusIndices(
  X: Matrix,
  k: number,
  w: Float64Array,
  rng: Random,
  nLocalTrials: number,
): Int32Array {
  const { rows: n, cols: d, data } = X;
  const chosen = new Int32Array(k);
  const cum = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cum[i] = acc += w[i];
  const first = weightedIndex(cum, rng);
  chosen[0] = first;
  let closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(data, i * d, data, first * d, d);
    closest[i] = v;
    pot += v * w[i];
  }
  // Candidates are evaluated four at a time in one pass over X (four distances per sample).
  const bufs = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const pots = new Float64Array(4);
  let best = new Float64Array(n);
  const candidates = new Int32Array(nLocalTrials);
  for (let c = 1; c < k; c++) {
    acc = 0;
    for (let i = 0; i < n; i++) cum[i] = acc += w[i] * closest[i];
    for (let t = 0; t < nLocalTrials; t++) candidates[t] = search(cum, rng.float() * pot, false);
    let bestPot = Number.POSITIVE_INFINITY;
    let bestId = candidates[0];
    for (let g = 0; g < nLocalTrials; g += 4) {
      const size = Math.min(4, nLocalTrials - g);
      if (size === 4) {
        potentials4(data, n, d, w, closest, candidates, g, bufs, pots);
      } else {
        for (let t = 0; t < size; t++) pots[t] = potential1(data, n, d, w, closest, candidates[g + t] * d, bufs[t]);
      }
      for (let t = 0; t < size; t++) {
        if (pots[t] < bestPot) {
          bestPot = pots[t];
          bestId = candidates[g + t];
          const tmp = best;
          best = bufs[t];
          bufs[t] = tmp;
        }
      }
    }
    const tmp = closest;
    closest = best;
    best = tmp;
    pot = bestPot;
    chosen[c] = bestId;
  }
  return chosen;
}

/**
 * Potential with one candidate centre (row offset `co`): writes `min(closest[i], d(x_i, c)^2)` to
 * `out` and returns its weighted sum.
 */
function potential1(
  X: Float64Array,
  n: number,
  d: number,
  w: Float64Array,
  closest: Float64Array,
  co: number,
  out: Float64Array,
): number {
  let p = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const e = X[xo + t] - X[co + t];
      s += e * e;
    }
    const v = Math.min(s, closest[i]);
    out[i] = v;
    p += v * w[i];
  }
  return p;
}

/** `potential1` for the four candidates `cand[g..g+4)` in one pass (results in `bufs[0..4)`, `pots[0..4)`). */
function potentials4(
  X: Float64Array,
  n: number,
  d: number,
  w: Float64Array,
  closest: Float64Array,
  cand: Int32Array,
  g: number,
  bufs: Float64Array[],
  pots: Float64Array,
): void {
  const c0 = cand[g] * d;
  const c1 = cand[g + 1] * d;
  const c2 = cand[g + 2] * d;
  const c3 = cand[g + 3] * d;
  const b0 = bufs[0];
  const b1 = bufs[1];
  const b2 = bufs[2];
  const b3 = bufs[3];
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < d; t++) {
      const x = X[xo + t];
      const e0 = x - X[c0 + t];
      const e1 = x - X[c1 + t];
      const e2 = x - X[c2 + t];
      const e3 = x - X[c3 + t];
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    const cl = closest[i];
    const wi = w[i];
    const v0 = Math.min(s0, cl);
    const v1 = Math.min(s1, cl);
    const v2 = Math.min(s2, cl);
    const v3 = Math.min(s3, cl);
    b0[i] = v0;
    b1[i] = v1;
    b2[i] = v2;
    b3[i] = v3;
    p0 += v0 * wi;
    p1 += v1 * wi;
    p2 += v2 * wi;
    p3 += v3 * wi;
  }
  pots[0] = p0;
  pots[1] = p1;
  pots[2] = p2;
  pots[3] = p3;
}

/**
 * `k` distinct sample indices drawn without replacement, each draw with probability
 * proportional to the weights of the samples not yet drawn (scikit-learn's "random" init).
 */
export function randomInitIndices(w: Float64Array, k: number, rng: Random): Int32Array {
  const n = w.length;
  let positive = 0;
  let uniform = true;
  for (let i = 0; i < n; i++) {
    if (w[i] > 0) positive++;
    if (w[i] !== w[0]) uniform = false;
  }
  if (positive < k) {
    throw new ValidationError(
      `invalid sampleWeight: only ${positive} samples have a positive weight, fewer than nClusters=${k} (init "random" draws distinct samples)`,
    );
  }
  if (uniform) return rng.sampleWithoutReplacement(n, k);
  const out = new Int32Array(k);
  const taken = new Uint8Array(n);
  const cum = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cum[i] = acc += w[i];
  let c = 0;
  // Rejection while collisions are rare, then exact redraws from the remaining weights.
  let attempts = 0;
  while (c < k && attempts < 8 * k + 64) {
    attempts++;
    const i = weightedIndex(cum, rng);
    if (!taken[i]) {
      taken[i] = 1;
      out[c++] = i;
    }
  }
  while (c < k) {
    acc = 0;
    for (let i = 0; i < n; i++) cum[i] = acc += taken[i] ? 0 : w[i];
    const i = weightedIndex(cum, rng);
    if (taken[i]) throw invalid("sampleWeight", "(weights)", "cannot draw distinct samples");
    taken[i] = 1;
    out[c++] = i;
  }
  return out;
}
