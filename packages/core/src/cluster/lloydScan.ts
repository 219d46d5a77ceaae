/**
 * The rescan of Lloyd's assignment step (internal): the exact nearest centre of one sample, visiting
 * the other centres in order of their distance from a start centre and stopping as soon as the
 * triangle inequality proves every remaining one farther than the best so far (the sorted
 * "annulus" idea of Hamerly and Drake, and Newling and Fleuret's Exponion). The WebAssembly kernel
 * `scanSorted` in `packages/core/assembly/kmeans.ts` is a transcription: same order, same
 * arithmetic, same bits.
 */
import { dist4, r0, r1, r2, r3, sqDist } from "./kmeansKernels.js";

/** Most centres listed per centre in `centerOrder` (the nearest ones); the others are scanned in index order. */
export const ORDER_LENGTH = 32;

/** Length of each centre's row in `centerOrder`'s `order`: min(k - 1, ORDER_LENGTH). */
export function orderLength(k: number): number {
  return Math.min(k - 1, ORDER_LENGTH);
}

/**
 * For each centre a, its `orderLength(k)` nearest other centres, nearest first (ties: lower index
 * first), as rows of `order` (k x orderLength(k)). `half` holds half the centre-centre distances
 * (k x k). `scratch` is k numbers of room for the keys. O(k^2 L) at worst, about O(k^2) on the
 * whole (a centre enters the list only when nearer than its last entry).
 */
export function centerOrder(half: Float64Array, k: number, order: Int32Array, scratch: Float64Array): void {
  const len = orderLength(k);
  for (let a = 0; a < k; a++) {
    const row = a * len;
    let m = 0;
    for (let j = 0; j < k; j++) {
      if (j === a) continue;
      const key = half[a * k + j];
      // j rises, so an equal key goes after the listed ones: the order is (half, index).
      if (m === len && !(key < scratch[len - 1])) continue;
      let p = m < len ? m : len - 1;
      while (p > 0 && scratch[p - 1] > key) {
        scratch[p] = scratch[p - 1];
        order[row + p] = order[row + p - 1];
        p--;
      }
      scratch[p] = key;
      order[row + p] = j;
      if (m < len) m++;
    }
  }
}

// Results of `scanSorted` besides the return value (no allocation per call).
export let scanLabel = 0;
export let scanSecond = 0;

// Results of `dist2`.
let q0 = 0;
let q1 = 0;

/** Squared distances from the sample at `xo` to the centres at offsets c0 and c1 (each equal to `sqDist`), in q0, q1. */
function dist2(X: Float64Array, xo: number, C: Float64Array, c0: number, c1: number, d: number): void {
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  let t = 0;
  for (; t + 1 < d; t += 2) {
    const x = X[xo + t];
    const y = X[xo + t + 1];
    const e0 = x - C[c0 + t];
    const e1 = x - C[c1 + t];
    const f0 = y - C[c0 + t + 1];
    const f1 = y - C[c1 + t + 1];
    a0 += e0 * e0;
    a1 += e1 * e1;
    b0 += f0 * f0;
    b1 += f1 * f1;
  }
  if (t < d) {
    const x = X[xo + t];
    const e0 = x - C[c0 + t];
    const e1 = x - C[c1 + t];
    a0 += e0 * e0;
    a1 += e1 * e1;
  }
  q0 = a0 + b0;
  q1 = a1 + b1;
}

/**
 * Exact nearest centre of the sample at offset `xo`, given the squared distance `sStart` to centre
 * `start`, and the exact distance to the second-nearest (the tightest lower bound for Hamerly's
 * test, so the sample is rescanned less often later). The centres listed in `order`'s row for
 * `start` are visited first, nearest to the start first. With u the distance to the start, centre
 * j is at least `2 half[start][j] - u` away: once that exceeds the second-nearest distance so far
 * (plus `margin`, against rounding), it does for every later centre of the row and every centre not
 * listed, and the scan stops; each of those gets the better of its triangle bounds from the start
 * and from the best centre (those not listed: the bound of the row's last). A centre that the best
 * centre's own half distances put beyond the second-nearest distance is skipped. Centres are
 * computed four or two at a time when all of them pass the tests (one pass over the sample). When
 * k - 1 exceeds the row (`orderLength`), the centres not listed follow in index order with the same
 * tests, unless the row's last already rules them out. Ties go to the lowest index, as in a plain
 * scan. Returns the distance to the nearest centre; its index is left in `scanLabel`, a lower bound
 * on the distance to every other centre in `scanSecond`.
 */
export function scanSorted(
  X: Float64Array,
  xo: number,
  C: Float64Array,
  k: number,
  d: number,
  half: Float64Array,
  order: Int32Array,
  margin: number,
  start: number,
  sStart: number,
): number {
  const u = Math.sqrt(sStart);
  const len = orderLength(k);
  const base = start * len;
  const ho = start * k;
  let best = start;
  let sBest = sStart;
  let dBest = u;
  // Smallest lower bound of a centre not computed, smallest squared distance of a computed non-best centre.
  let lbMin = Number.POSITIVE_INFINITY;
  let sqMin = Number.POSITIVE_INFINITY;
  // Centres farther than this (the second-nearest distance so far) need not be computed.
  let reach = Number.POSITIVE_INFINITY;
  // Bound from the start of every centre not listed (they are no nearer to it than the row's last).
  const rest = len < k - 1 ? 2 * half[ho + order[base + len - 1]] - u : Number.POSITIVE_INFINITY;
  let stopped = false;
  let p = 0;
  while (p < len) {
    const j = order[base + p];
    const lb = 2 * half[ho + j] - u;
    if (lb > reach + margin) {
      // Every later centre is at least as far from the start: none is computed, and each listed
      // one gets the better of its two triangle bounds (from the start and from the best).
      for (let q = p; q < len; q++) {
        const jq = order[base + q];
        const b = Math.max(2 * half[ho + jq] - u, 2 * half[best * k + jq] - dBest) - margin;
        if (b < lbMin) lbMin = b;
      }
      if (rest - margin < lbMin) lbMin = rest - margin;
      stopped = true;
      break;
    }
    const bj = 2 * half[best * k + j] - dBest;
    if (bj > reach + margin) {
      if (bj - margin < lbMin) lbMin = bj - margin;
      p++;
      continue;
    }
    // Four (or two) at a time when the next four (two) all pass: one pass over the sample.
    const lim = reach + margin;
    const bo = best * k;
    const j2 = p + 1 < len ? order[base + p + 1] : -1;
    const j3 = p + 3 < len ? order[base + p + 2] : -1;
    const j4 = p + 3 < len ? order[base + p + 3] : -1;
    let count = 1;
    if (
      j4 >= 0 &&
      2 * half[ho + j4] - u <= lim &&
      2 * half[bo + j2] - dBest <= lim &&
      2 * half[bo + j3] - dBest <= lim &&
      2 * half[bo + j4] - dBest <= lim
    ) {
      dist4(X, xo, C, j * d, j2 * d, j3 * d, j4 * d, d);
      count = 4;
    } else if (j2 >= 0 && 2 * half[ho + j2] - u <= lim && 2 * half[bo + j2] - dBest <= lim) {
      dist2(X, xo, C, j * d, j2 * d, d);
      count = 2;
    }
    const t0 = count === 4 ? r0 : count === 2 ? q0 : sqDist(X, xo, C, j * d, d);
    const t1 = count === 4 ? r1 : q1;
    const t2 = r2;
    const t3 = r3;
    for (let q = 0; q < count; q++) {
      const cj = q === 0 ? j : q === 1 ? j2 : q === 2 ? j3 : j4;
      const s = q === 0 ? t0 : q === 1 ? t1 : q === 2 ? t2 : t3;
      if (s < sBest || (s === sBest && cj < best)) {
        if (sBest < sqMin) sqMin = sBest;
        best = cj;
        sBest = s;
        dBest = Math.sqrt(s);
      } else if (s < sqMin) sqMin = s;
    }
    reach = Math.sqrt(sqMin);
    p += count;
  }
  if (!stopped && len < k - 1) {
    if (rest > reach + margin) {
      if (rest - margin < lbMin) lbMin = rest - margin;
    } else {
      // The centres not listed, in index order: those after the row's last in (half, index) order.
      const last = order[base + len - 1];
      const hLast = half[ho + last];
      for (let j = 0; j < k; j++) {
        const h = half[ho + j];
        if (j === start || h < hLast || (h === hLast && j <= last)) continue;
        const b = Math.max(2 * h - u, 2 * half[best * k + j] - dBest);
        if (b > reach + margin) {
          if (b - margin < lbMin) lbMin = b - margin;
          continue;
        }
        const s = sqDist(X, xo, C, j * d, d);
        if (s < sBest || (s === sBest && j < best)) {
          if (sBest < sqMin) sqMin = sBest;
          best = j;
          sBest = s;
          dBest = Math.sqrt(s);
        } else if (s < sqMin) sqMin = s;
        reach = Math.sqrt(sqMin);
      }
    }
  }
  scanLabel = best;
  scanSecond = Math.min(lbMin, Math.sqrt(sqMin));
  return dBest;
}
