import type { Matrix } from "../../matrix.js";
import { COSINE, cosineNorms, EUCLIDEAN, MANHATTAN, type MetricCode } from "./distances.js";
import { buildPointTree } from "./pointTree.js";
import { relabelSorted } from "./relabel.js";

/** Slots per block of the packed outside points. */
const BLOCK = 64;

/**
 * Single linkage as a minimum spanning tree grown by Prim's algorithm (Rohlf 1973; Müllner
 * 2011, section 3.3), computing each distance on the fly from the rows of X: O(n^2 d) time at
 * worst, O(n d) memory, no distance matrix. Same steps and tie rules as scipy's
 * `mst_single_linkage` and scikit-learn's `mst_linkage_core` (each step adds the outside point
 * closest to the tree, the lowest index on ties), then the same stable sort and relabelling.
 * `sklearnOrientation` keeps each pair as (tree side, new point), which is scikit-learn's
 * `children_` for single linkage.
 *
 * Layout: the rows are packed in k-d tree order and cut into blocks of 64 slots, each with the
 * bounding box of its rows (fixed), its live count, and the largest and smallest `best` (current
 * distance to the tree) of its live points, with the holder of the smallest (lowest original
 * index on ties). The point that joins the tree is replaced by the last live point of its block.
 * Each step, a block is skipped when the lower bound of the distance from the new tree point to its
 * box is >= its largest `best` (then no point in it gets closer: the bound is summed in column
 * order like the distances, so with rounding being monotone it never exceeds a computed distance);
 * otherwise its points are updated in one contiguous pass. The next point is the smallest block
 * minimum. Euclidean distances are compared squared and the square root is taken once per chosen
 * edge (the same double as scipy's: sqrt is correctly rounded and monotone); a distance's sum
 * stops after 4 (then 8) columns when it already reaches the point's `best`, keeping the column
 * order, so a completed sum is the same double as a full one. (Two squared distances that differ
 * but round to the same square root are a tie for scipy, resolved by index, and not here; the
 * heights are the same.) Cosine has no box bound: every block is scanned.
 */
export function mstSingleVectors(X: Matrix, metric: MetricCode, sklearnOrientation = false): Matrix {
  const n = X.rows;
  const d = X.cols;
  const norms = metric === COSINE ? cosineNorms(X) : null;
  const tree = buildPointTree(X.data, n, d, 16);
  const P = tree.points;
  const idx = tree.perm;
  const pnorm = norms === null ? null : new Float64Array(n);
  if (pnorm !== null) for (let s = 0; s < n; s++) pnorm[s] = (norms as Float64Array)[idx[s]];
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);

  const nb = Math.ceil(n / BLOCK);
  const live = new Int32Array(nb);
  const lower = new Float64Array(nb * d);
  const upper = new Float64Array(nb * d);
  const bmax = new Float64Array(nb).fill(Number.POSITIVE_INFINITY);
  const bmin = new Float64Array(nb).fill(Number.POSITIVE_INFINITY);
  const barg = new Int32Array(nb);
  for (let b = 0; b < nb; b++) {
    const start = b * BLOCK;
    const end = Math.min(n, start + BLOCK);
    live[b] = end - start;
    barg[b] = start;
    for (let t = 0; t < d; t++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let s = start; s < end; s++) {
        const v = P[s * d + t];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      lower[b * d + t] = lo;
      upper[b * d + t] = hi;
    }
  }

  const xr = new Float64Array(d);
  const ra = new Int32Array(n - 1);
  const rb = new Int32Array(n - 1);
  const rh = new Float64Array(n - 1);
  let xs = tree.position[0]; // slot of the point that just joined the tree (row 0 first)
  for (let k = 0; k < n - 1; k++) {
    const x = idx[xs];
    const px = xs * d;
    for (let t = 0; t < d; t++) xr[t] = P[px + t];
    const xnorm = pnorm === null ? 0 : pnorm[xs];
    // remove x: the last live point of its block takes its slot
    const bx = (xs / BLOCK) | 0;
    const last = bx * BLOCK + live[bx] - 1;
    if (xs !== last) {
      P.copyWithin(px, last * d, last * d + d);
      best[xs] = best[last];
      idx[xs] = idx[last];
      if (pnorm !== null) pnorm[xs] = pnorm[last];
    }
    live[bx]--;
    summarize(bx, bx * BLOCK, bx * BLOCK + live[bx], best, idx, bmax, bmin, barg);

    let cur = Number.POSITIVE_INFINITY;
    let ys = -1;
    let yid = 0x7fffffff;
    for (let b = 0; b < nb; b++) {
      const count = live[b];
      if (count === 0) continue;
      const bound =
        metric === EUCLIDEAN
          ? boxSquared(xr, lower, upper, b * d, d)
          : metric === MANHATTAN
            ? boxManhattan(xr, lower, upper, b * d, d)
            : Number.NEGATIVE_INFINITY;
      if (bmax[b] > bound) {
        const start = b * BLOCK;
        const end = start + count;
        if (metric === EUCLIDEAN) {
          if (d >= 8) blockSquared8(P, d, xr, idx, best, start, end, b, bmax, bmin, barg);
          else if (d >= 4) blockSquared4(P, d, xr, idx, best, start, end, b, bmax, bmin, barg);
          else blockSquared(P, d, xr, idx, best, start, end, b, bmax, bmin, barg);
        } else if (metric === MANHATTAN) {
          blockManhattan(P, d, xr, idx, best, start, end, b, bmax, bmin, barg);
        } else {
          blockCosine(P, d, xr, xnorm, pnorm as Float64Array, idx, best, start, end, b, bmax, bmin, barg);
        }
      }
      const m = bmin[b];
      if (m < cur || (m === cur && idx[barg[b]] < yid)) {
        cur = m;
        ys = barg[b];
        yid = idx[ys];
      }
    }
    ra[k] = x;
    rb[k] = yid;
    rh[k] = metric === EUCLIDEAN ? Math.sqrt(cur) : cur;
    xs = ys;
  }
  return relabelSorted(n, ra, rb, rh, sklearnOrientation);
}

/** Largest and smallest `best` of slots [start, end) (-1 and +Infinity when empty). */
function summarize(
  b: number,
  start: number,
  end: number,
  best: Float64Array,
  idx: Int32Array,
  bmax: Float64Array,
  bmin: Float64Array,
  barg: Int32Array,
): void {
  let mx = -1;
  let mn = Number.POSITIVE_INFINITY;
  let arg = start;
  let argId = 0x7fffffff;
  for (let s = start; s < end; s++) {
    const v = best[s];
    if (v > mx) mx = v;
    if (v < mn || (v === mn && idx[s] < argId)) {
      mn = v;
      arg = s;
      argId = idx[s];
    }
  }
  bmax[b] = mx;
  bmin[b] = mn;
  barg[b] = arg;
}

/** Lower bound of the squared distance from `xr` to the box at `pb`, summed in column order. */
function boxSquared(xr: Float64Array, lower: Float64Array, upper: Float64Array, pb: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = xr[t];
    const lo = lower[pb + t];
    const hi = upper[pb + t];
    if (v < lo) {
      const g = lo - v;
      s += g * g;
    } else if (v > hi) {
      const g = v - hi;
      s += g * g;
    }
  }
  return s;
}

/** Lower bound of the Manhattan distance from `xr` to the box at `pb`, summed in column order. */
function boxManhattan(xr: Float64Array, lower: Float64Array, upper: Float64Array, pb: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = xr[t];
    const lo = lower[pb + t];
    const hi = upper[pb + t];
    if (v < lo) s += lo - v;
    else if (v > hi) s += v - hi;
  }
  return s;
}

// The block kernels below are deliberately specialised per metric and column count (the hot loop of
// Prim's step): they share the same `best`/block-summary tail, kept inline so each loop stays tight.

/**
 * Updates `best` of slots [start, end) with their squared distance to x (d >= 8: columns 0 to 7
 * from locals, the sum stopping after column 3 when it already reaches `best`) and stores the
 * block's largest and smallest `best`.
 */
function blockSquared8(
  P: Float64Array,
  d: number,
  xr: Float64Array,
  idx: Int32Array,
  best: Float64Array,
  start: number,
  end: number,
  b: number,
  bmax: Float64Array,
  bmin: Float64Array,
  barg: Int32Array,
): void {
  const x0 = xr[0];
  const x1 = xr[1];
  const x2 = xr[2];
  const x3 = xr[3];
  const x4 = xr[4];
  const x5 = xr[5];
  const x6 = xr[6];
  const x7 = xr[7];
  let mx = -1;
  let mn = Number.POSITIVE_INFINITY;
  let arg = start;
  let argId = 0x7fffffff;
  for (let t = start; t < end; t++) {
    const p = t * d;
    let bb = best[t];
    const a0 = x0 - P[p];
    const a1 = x1 - P[p + 1];
    const a2 = x2 - P[p + 2];
    const a3 = x3 - P[p + 3];
    let s = a0 * a0;
    s += a1 * a1;
    s += a2 * a2;
    s += a3 * a3;
    if (s < bb) {
      const a4 = x4 - P[p + 4];
      const a5 = x5 - P[p + 5];
      const a6 = x6 - P[p + 6];
      const a7 = x7 - P[p + 7];
      s += a4 * a4;
      s += a5 * a5;
      s += a6 * a6;
      s += a7 * a7;
      for (let u = 8; u < d; u++) {
        const q = xr[u] - P[p + u];
        s += q * q;
      }
      if (s < bb) {
        bb = s;
        best[t] = s;
      }
    }
    if (bb > mx) mx = bb;
    if (bb < mn || (bb === mn && idx[t] < argId)) {
      mn = bb;
      arg = t;
      argId = idx[t];
    }
  }
  bmax[b] = mx;
  bmin[b] = mn;
  barg[b] = arg;
}

/** `blockSquared8` for 4 <= d < 8. */
function blockSquared4(
  P: Float64Array,
  d: number,
  xr: Float64Array,
  idx: Int32Array,
  best: Float64Array,
  start: number,
  end: number,
  b: number,
  bmax: Float64Array,
  bmin: Float64Array,
  barg: Int32Array,
): void {
  const x0 = xr[0];
  const x1 = xr[1];
  const x2 = xr[2];
  const x3 = xr[3];
  let mx = -1;
  let mn = Number.POSITIVE_INFINITY;
  let arg = start;
  let argId = 0x7fffffff;
  for (let t = start; t < end; t++) {
    const p = t * d;
    let bb = best[t];
    const a0 = x0 - P[p];
    const a1 = x1 - P[p + 1];
    const a2 = x2 - P[p + 2];
    const a3 = x3 - P[p + 3];
    let s = a0 * a0;
    s += a1 * a1;
    s += a2 * a2;
    s += a3 * a3;
    if (s < bb) {
      for (let u = 4; u < d; u++) {
        const q = xr[u] - P[p + u];
        s += q * q;
      }
      if (s < bb) {
        bb = s;
        best[t] = s;
      }
    }
    if (bb > mx) mx = bb;
    if (bb < mn || (bb === mn && idx[t] < argId)) {
      mn = bb;
      arg = t;
      argId = idx[t];
    }
  }
  bmax[b] = mx;
  bmin[b] = mn;
  barg[b] = arg;
}

/** `blockSquared8` for d < 4 (the full sum). */
function blockSquared(
  P: Float64Array,
  d: number,
  xr: Float64Array,
  idx: Int32Array,
  best: Float64Array,
  start: number,
  end: number,
  b: number,
  bmax: Float64Array,
  bmin: Float64Array,
  barg: Int32Array,
): void {
  let mx = -1;
  let mn = Number.POSITIVE_INFINITY;
  let arg = start;
  let argId = 0x7fffffff;
  for (let t = start; t < end; t++) {
    const p = t * d;
    let s = 0;
    for (let u = 0; u < d; u++) {
      const q = xr[u] - P[p + u];
      s += q * q;
    }
    let bb = best[t];
    if (s < bb) {
      bb = s;
      best[t] = s;
    }
    if (bb > mx) mx = bb;
    if (bb < mn || (bb === mn && idx[t] < argId)) {
      mn = bb;
      arg = t;
      argId = idx[t];
    }
  }
  bmax[b] = mx;
  bmin[b] = mn;
  barg[b] = arg;
}

/** The block update on Manhattan distances (summed in column order, as scipy's `cityblock`). */
function blockManhattan(
  P: Float64Array,
  d: number,
  xr: Float64Array,
  idx: Int32Array,
  best: Float64Array,
  start: number,
  end: number,
  b: number,
  bmax: Float64Array,
  bmin: Float64Array,
  barg: Int32Array,
): void {
  let mx = -1;
  let mn = Number.POSITIVE_INFINITY;
  let arg = start;
  let argId = 0x7fffffff;
  for (let t = start; t < end; t++) {
    const p = t * d;
    let bb = best[t];
    // a partial sum that reaches `best` cannot go below it: stop there
    let s = 0;
    for (let u = 0; u < d && s < bb; u++) s += Math.abs(xr[u] - P[p + u]);
    if (s < bb) {
      bb = s;
      best[t] = s;
    }
    if (bb > mx) mx = bb;
    if (bb < mn || (bb === mn && idx[t] < argId)) {
      mn = bb;
      arg = t;
      argId = idx[t];
    }
  }
  bmax[b] = mx;
  bmin[b] = mn;
  barg[b] = arg;
}

/** The block update on cosine distances, computed exactly as `rowDistance` (x first). */
function blockCosine(
  P: Float64Array,
  d: number,
  xr: Float64Array,
  xnorm: number,
  pnorm: Float64Array,
  idx: Int32Array,
  best: Float64Array,
  start: number,
  end: number,
  b: number,
  bmax: Float64Array,
  bmin: Float64Array,
  barg: Int32Array,
): void {
  let mx = -1;
  let mn = Number.POSITIVE_INFINITY;
  let arg = start;
  let argId = 0x7fffffff;
  for (let t = start; t < end; t++) {
    const p = t * d;
    let s = 0;
    for (let u = 0; u < d; u++) s += xr[u] * P[p + u];
    let c = s / (xnorm * pnorm[t]);
    if (c > 1) c = 1;
    else if (c < -1) c = -1;
    const dist = 1 - c;
    let bb = best[t];
    if (dist < bb) {
      bb = dist;
      best[t] = dist;
    }
    if (bb > mx) mx = bb;
    if (bb < mn || (bb === mn && idx[t] < argId)) {
      mn = bb;
      arg = t;
      argId = idx[t];
    }
  }
  bmax[b] = mx;
  bmin[b] = mn;
  barg[b] = arg;
}
