/**
 * Sampling kernels for k-means initialisation (internal to the cluster area; not exported from
 * the barrel): greedy k-means++ and weighted sampling of distinct rows.
 */
import { invalid, ValidationError } from "../errors.js";
import type { Matrix } from "../matrix.js";
import type { Random } from "../random.js";
import type { KernelCall } from "../wasm/parallel.js";
import { type Allocator, acquireWorkspace, addr, runCalls, type Workspace } from "../wasm/workspace.js";
import { blockRows, sqDist } from "./kmeansKernels.js";

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

/**
 * The sample indices chosen by greedy k-means++ (validated inputs; `w` has a positive sum). The
 * passes over X (potentials of the candidates, running sums) run on the WebAssembly kernels when
 * selected (`setKernelBackend`), with the same arithmetic (distances in two-lane order, see
 * `sqDist`), so the choice is the same on either backend.
 *
 * The potentials are computed in the fixed blocks of rows of `blockRows(n)`: each block writes its
 * own rows of the output buffers and its own partial sums (from 0), and the partials are added in
 * block order on the calling thread. With a parallel executor (`setParallelExecutor`) the blocks run
 * on several threads (`runCalls`); the arithmetic is the same on either backend and for any number
 * of threads, so the choice is too. The running sums (O(n)) stay on the calling thread.
 */
export function kmeansPlusPlusIndices(
  X: Matrix,
  k: number,
  w: Float64Array,
  rng: Random,
  nLocalTrials: number,
): Int32Array {
  const { rows: n, cols: d } = X;
  const ws = acquireWorkspace(
    (a: Allocator) => ({
      data: a.input(X.data.subarray(0, n * d)),
      w: a.input(w.subarray(0, n)),
      cum: a.f64(n),
      closest: a.f64(n),
      best: a.f64(n),
      bufs: [a.f64(n), a.f64(n), a.f64(n), a.f64(n)],
      // Four partial potentials per block of rows (`potentials4`).
      partials: a.f64(4 * Math.ceil(n / blockRows(n))),
    }),
    n * d * k * nLocalTrials,
  );
  try {
    return plusPlus(ws, ws.arrays, n, d, k, rng, nLocalTrials);
  } finally {
    ws.release();
  }
}

interface PlusPlusArrays {
  data: Float64Array;
  w: Float64Array;
  cum: Float64Array;
  closest: Float64Array;
  best: Float64Array;
  bufs: Float64Array[];
  partials: Float64Array;
}

function plusPlus(
  ws: Workspace<unknown>,
  v: PlusPlusArrays,
  n: number,
  d: number,
  k: number,
  rng: Random,
  nLocalTrials: number,
): Int32Array {
  const { data, w, cum, partials } = v;
  const wk = ws.kernels;
  const bufs = v.bufs;
  let { closest, best } = v;
  // Fixed blocks of rows, whatever the backend and the number of threads.
  const rows = blockRows(n);
  const nb = Math.ceil(n / rows);
  // Running sums of w (v absent) or of w * v: one sequential pass (the WebAssembly one a block of
  // rows per call, carrying the sum along: the engine's optimizing compiler takes over after a few).
  const running = (values: Float64Array | null): void => {
    if (wk !== null) {
      let acc = 0;
      for (let i0 = 0; i0 < n; i0 += rows) {
        acc = wk.cumulativeWeighted(
          i0,
          Math.min(n, i0 + rows),
          addr(w),
          values === null ? 0 : addr(values),
          addr(cum),
          acc,
        );
      }
      return;
    }
    let acc = 0;
    if (values === null) for (let i = 0; i < n; i++) cum[i] = acc += w[i];
    else for (let i = 0; i < n; i++) cum[i] = acc += w[i] * values[i];
  };
  // The potential with candidate row c: min(closest, d^2) into `out`, the blocks' sums added in block order.
  const one = (c: number, out: Float64Array): number => {
    let total = 0;
    if (wk === null) {
      for (let b = 0; b < nb; b++) {
        total += potential1(data, b * rows, Math.min(n, (b + 1) * rows), d, w, closest, c * d, out);
      }
      return total;
    }
    const calls: KernelCall[] = [];
    for (let b = 0; b < nb; b++) {
      const i0 = b * rows;
      calls.push([
        "potential1",
        i0,
        Math.min(n, i0 + rows),
        d,
        addr(data),
        addr(w),
        addr(closest),
        addr(data) + c * d * 8,
        addr(out),
        0,
      ]);
    }
    for (const p of runCalls(ws, calls)) total += p;
    return total;
  };
  // The potentials of the candidates cand[g..g+4) in one pass over X (four distances per sample),
  // into bufs[0..4) and pots[0..4): each block's four sums go to partials[4b..4b+4).
  const four = (cand: Int32Array, g: number, pots: Float64Array): void => {
    if (wk === null) {
      for (let b = 0; b < nb; b++) {
        potentials4(data, b * rows, Math.min(n, (b + 1) * rows), d, w, closest, cand, g, bufs, partials, 4 * b);
      }
    } else {
      const x = addr(data);
      const calls: KernelCall[] = [];
      for (let b = 0; b < nb; b++) {
        const i0 = b * rows;
        calls.push([
          "potentials4Block",
          i0,
          Math.min(n, i0 + rows),
          d,
          x,
          addr(w),
          addr(closest),
          x + cand[g] * d * 8,
          x + cand[g + 1] * d * 8,
          x + cand[g + 2] * d * 8,
          x + cand[g + 3] * d * 8,
          addr(bufs[0]),
          addr(bufs[1]),
          addr(bufs[2]),
          addr(bufs[3]),
          addr(partials) + 32 * b,
        ]);
      }
      runCalls(ws, calls);
    }
    for (let t = 0; t < 4; t++) {
      let total = 0;
      for (let b = 0; b < nb; b++) total += partials[4 * b + t];
      pots[t] = total;
    }
  };

  const chosen = new Int32Array(k);
  running(null);
  const first = weightedIndex(cum, rng);
  chosen[0] = first;
  // The squared distances to the first centre (min with +Infinity), and their weighted sum.
  closest.fill(Number.POSITIVE_INFINITY);
  let pot = one(first, closest);
  // Candidates are evaluated four at a time in one pass over X (four distances per sample).
  const pots = new Float64Array(4);
  const candidates = new Int32Array(nLocalTrials);
  for (let c = 1; c < k; c++) {
    running(closest);
    for (let t = 0; t < nLocalTrials; t++) candidates[t] = search(cum, rng.float() * pot, false);
    let bestPot = Number.POSITIVE_INFINITY;
    let bestId = candidates[0];
    for (let g = 0; g < nLocalTrials; g += 4) {
      const size = Math.min(4, nLocalTrials - g);
      if (size === 4) four(candidates, g, pots);
      else for (let t = 0; t < size; t++) pots[t] = one(candidates[g + t], bufs[t]);
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
 * Potential with one candidate centre (row offset `co`) over the rows [i0, i1): writes
 * `min(closest[i], d(x_i, c)^2)` to `out` and returns their weighted sum (from 0, in row order).
 */
function potential1(
  X: Float64Array,
  i0: number,
  i1: number,
  d: number,
  w: Float64Array,
  closest: Float64Array,
  co: number,
  out: Float64Array,
): number {
  let p = 0;
  for (let i = i0; i < i1; i++) {
    const v = Math.min(sqDist(X, i * d, X, co, d), closest[i]);
    out[i] = v;
    p += v * w[i];
  }
  return p;
}

/**
 * `potential1` for the four candidates `cand[g..g+4)` over the rows [i0, i1) in one pass (results
 * in `bufs[0..4)`, the four sums in `pots[po..po+4)`); the four distances are two-lane sums, equal
 * to `sqDist`.
 */
function potentials4(
  X: Float64Array,
  i0: number,
  i1: number,
  d: number,
  w: Float64Array,
  closest: Float64Array,
  cand: Int32Array,
  g: number,
  bufs: Float64Array[],
  pots: Float64Array,
  po: number,
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
  for (let i = i0; i < i1; i++) {
    const xo = i * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let u0 = 0;
    let u1 = 0;
    let u2 = 0;
    let u3 = 0;
    let t = 0;
    for (; t + 1 < d; t += 2) {
      const x = X[xo + t];
      const y = X[xo + t + 1];
      const e0 = x - X[c0 + t];
      const e1 = x - X[c1 + t];
      const e2 = x - X[c2 + t];
      const e3 = x - X[c3 + t];
      const f0 = y - X[c0 + t + 1];
      const f1 = y - X[c1 + t + 1];
      const f2 = y - X[c2 + t + 1];
      const f3 = y - X[c3 + t + 1];
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
      u0 += f0 * f0;
      u1 += f1 * f1;
      u2 += f2 * f2;
      u3 += f3 * f3;
    }
    if (t < d) {
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
    const v0 = Math.min(s0 + u0, cl);
    const v1 = Math.min(s1 + u1, cl);
    const v2 = Math.min(s2 + u2, cl);
    const v3 = Math.min(s3 + u3, cl);
    b0[i] = v0;
    b1[i] = v1;
    b2[i] = v2;
    b3[i] = v3;
    p0 += v0 * wi;
    p1 += v1 * wi;
    p2 += v2 * wi;
    p3 += v3 * wi;
  }
  pots[po] = p0;
  pots[po + 1] = p1;
  pots[po + 2] = p2;
  pots[po + 3] = p3;
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
