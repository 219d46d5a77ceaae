/**
 * k-means kernels (WebAssembly SIMD): the assignment steps of Lloyd's algorithm with Hamerly's
 * bounds and of Elkan's algorithm, the nearest-centre scan, the inertia and the k-means++
 * potentials. Each is a transcription of the TypeScript kernel of the same name in
 * `src/cluster/kmeansKernels.ts` / `kmeansInitKernels.ts`: the same control flow, the same
 * scalar arithmetic and distances summed in the same (two-lane) order, so both backends return
 * the same bits. All arrays live in linear memory and are passed as byte addresses.
 */
import { Dist, r0, r1, r2, r3 } from "./distance";
import { M } from "./mem";

/**
 * Adds (`sign` 1) or removes (`sign` -1) the row at `x` with weight `wi` to cluster `j` of the
 * compensated sums (`hi` + `lo`, k x d; weights `whi` + `wlo`; `npos` members of positive weight).
 */
function sumsUpdate(
  x: usize,
  j: i32,
  wi: f64,
  sign: f64,
  d: i32,
  hi: usize,
  lo: usize,
  whi: usize,
  wlo: usize,
  npos: usize,
): void {
  const o = j * d;
  const sw = sign * wi;
  for (let t = 0; t < d; t++) {
    const v = M.f(x, t) * sw;
    const a = M.f(hi, o + t);
    const s = a + v;
    const bb = s - a;
    M.setf(lo, o + t, M.f(lo, o + t) + (a - (s - bb) + (v - bb)));
    M.setf(hi, o + t, s);
  }
  const a = M.f(whi, j);
  const s = a + sw;
  const bb = s - a;
  M.setf(wlo, j, M.f(wlo, j) + (a - (s - bb) + (sw - bb)));
  M.setf(whi, j, s);
  if (wi > 0) M.seti(npos, j, M.i(npos, j) + <i32>sign);
}

// Results of `scanSorted` (both) and `nearest` (the label) besides their return values.
let nearestLabel: i32 = 0;
let secondBest: f64 = 0;

/**
 * Exact nearest centre of the row at `x` given the squared distance `sStart` to centre `start`
 * (`scanSorted` in lloydScan.ts: the `len` centres listed in `order`'s row for `start` first,
 * nearest first, stopping when the triangle inequality puts the rest beyond the second-nearest
 * distance so far; four or two at a time when all pass; then the centres not listed, in index
 * order, unless the row's last rules them out). Returns the distance; index in `nearestLabel`,
 * lower bound on the others in `secondBest`.
 */
function scanSorted(
  x: usize,
  C: usize,
  k: i32,
  d: i32,
  half: usize,
  order: usize,
  len: i32,
  margin: f64,
  start: i32,
  sStart: f64,
): f64 {
  const u = Math.sqrt(sStart);
  const base = start * len;
  const ho = start * k;
  let best = start;
  let sBest = sStart;
  let dBest = u;
  let lbMin = Infinity;
  let sqMin = Infinity;
  // Centres farther than this (the second-nearest distance so far) need not be computed.
  let reach = Infinity;
  const rest = len < k - 1 ? 2 * M.f(half, ho + M.i(order, base + len - 1)) - u : Infinity;
  let stopped = false;
  let p = 0;
  while (p < len) {
    const j = M.i(order, base + p);
    const lb = 2 * M.f(half, ho + j) - u;
    if (lb > reach + margin) {
      for (let q = p; q < len; q++) {
        const jq = M.i(order, base + q);
        const b = Math.max(2 * M.f(half, ho + jq) - u, 2 * M.f(half, best * k + jq) - dBest) - margin;
        if (b < lbMin) lbMin = b;
      }
      if (rest - margin < lbMin) lbMin = rest - margin;
      stopped = true;
      break;
    }
    const bj = 2 * M.f(half, best * k + j) - dBest;
    if (bj > reach + margin) {
      if (bj - margin < lbMin) lbMin = bj - margin;
      p++;
      continue;
    }
    const lim = reach + margin;
    const bo = best * k;
    const j2 = p + 1 < len ? M.i(order, base + p + 1) : -1;
    const j3 = p + 3 < len ? M.i(order, base + p + 2) : -1;
    const j4 = p + 3 < len ? M.i(order, base + p + 3) : -1;
    let count = 1;
    let t0: f64;
    if (
      j4 >= 0 &&
      2 * M.f(half, ho + j4) - u <= lim &&
      2 * M.f(half, bo + j2) - dBest <= lim &&
      2 * M.f(half, bo + j3) - dBest <= lim &&
      2 * M.f(half, bo + j4) - dBest <= lim
    ) {
      Dist.sq4(x, M.row(C, j, d), M.row(C, j2, d), M.row(C, j3, d), M.row(C, j4, d), d);
      count = 4;
      t0 = r0;
    } else if (j2 >= 0 && 2 * M.f(half, ho + j2) - u <= lim && 2 * M.f(half, bo + j2) - dBest <= lim) {
      Dist.sq2(x, M.row(C, j, d), M.row(C, j2, d), d);
      count = 2;
      t0 = r0;
    } else {
      t0 = Dist.sq(x, M.row(C, j, d), d);
    }
    const t1 = r1;
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
      const last = M.i(order, base + len - 1);
      const hLast = M.f(half, ho + last);
      for (let j = 0; j < k; j++) {
        const h = M.f(half, ho + j);
        if (j === start || h < hLast || (h === hLast && j <= last)) continue;
        const b = Math.max(2 * h - u, 2 * M.f(half, best * k + j) - dBest);
        if (b > reach + margin) {
          if (b - margin < lbMin) lbMin = b - margin;
          continue;
        }
        const s = Dist.sq(x, M.row(C, j, d), d);
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
  nearestLabel = best;
  secondBest = Math.min(lbMin, Math.sqrt(sqMin));
  return dBest;
}

// Result of `nearest` besides its return value and `nearestLabel`.
let nearestSecondSq: f64 = 0;

/**
 * Squared distance from the row at `x` to its nearest centre, by a plain scan of all k centres,
 * four per pass (`nearest` in kmeansKernels.ts); the index goes to `nearestLabel` (ties: lowest
 * index), the squared second-nearest distance to `nearestSecondSq`.
 */
function nearest(x: usize, C: usize, k: i32, d: i32): f64 {
  let best = Infinity;
  let second = Infinity;
  let lab = 0;
  let j = 0;
  const rowBytes = (<usize>d) << 3;
  for (; j + 4 <= k; j += 4) {
    const c0 = M.row(C, j, d);
    Dist.sq4(x, c0, c0 + rowBytes, c0 + 2 * rowBytes, c0 + 3 * rowBytes, d);
    for (let q = 0; q < 4; q++) {
      const s = q === 0 ? r0 : q === 1 ? r1 : q === 2 ? r2 : r3;
      if (s < best) {
        second = best;
        best = s;
        lab = j + q;
      } else if (s < second) second = s;
    }
  }
  for (; j < k; j++) {
    const s = Dist.sq(x, M.row(C, j, d), d);
    if (s < best) {
      second = best;
      best = s;
      lab = j;
    } else if (s < second) second = s;
  }
  nearestLabel = lab;
  nearestSecondSq = second;
  return best;
}

/**
 * Lloyd's assignment step with Hamerly's bounds (`lloydAssign` in kmeansKernels.ts) for the rows
 * [i0, i1) of one block, moving changed rows between the block's cluster sums. The `first` pass
 * scans every centre and widens the block's box (`boxLo`, `boxHi`) to its rows. Returns the
 * changed labels.
 */
export function lloydAssign(
  i0: i32,
  i1: i32,
  d: i32,
  k: i32,
  X: usize,
  w: usize,
  labels: usize,
  upperS: usize,
  lowerS: usize,
  cum: usize,
  nextHalf: usize,
  half: usize,
  order: usize,
  orderLen: i32,
  margin: f64,
  cumMax: f64,
  C: usize,
  first: i32,
  update: i32,
  hi: usize,
  lo: usize,
  whi: usize,
  wlo: usize,
  npos: usize,
  boxLo: usize,
  boxHi: usize,
): i32 {
  let changed = 0;
  // The block's box first (column pairs over runs of rows, as `columnRange`); the rows stay in
  // cache for the scan that follows.
  if (first) columnRange(i0, i1, d, X, boxLo, boxHi);
  for (let i = i0; i < i1; i++) {
    const x = M.row(X, i, d);
    const lab = M.i(labels, i);
    let start = 0;
    let sStart: f64 = 0;
    if (!first) {
      const nh = M.f(nextHalf, lab);
      const lb = M.f(lowerS, i) - cumMax;
      const ub = M.f(upperS, i) + M.f(cum, lab) + margin;
      if (ub <= nh || ub <= lb) continue;
      sStart = Dist.sq(x, M.row(C, lab, d), d);
      const u = Math.sqrt(sStart);
      const um = u + margin;
      if (um <= nh || um <= lb) {
        M.setf(upperS, i, u - M.f(cum, lab));
        continue;
      }
      start = lab;
    }
    let dist: f64;
    if (first) {
      dist = Math.sqrt(nearest(x, C, k, d));
      M.setf(lowerS, i, Math.sqrt(nearestSecondSq) + cumMax);
    } else {
      dist = scanSorted(x, C, k, d, half, order, orderLen, margin, start, sStart);
      M.setf(lowerS, i, secondBest + cumMax);
    }
    const nl = nearestLabel;
    M.setf(upperS, i, dist - M.f(cum, nl));
    if (nl !== lab) {
      changed++;
      M.seti(labels, i, nl);
      if (update) {
        if (lab >= 0) sumsUpdate(x, lab, M.f(w, i), -1, d, hi, lo, whi, wlo, npos);
        sumsUpdate(x, nl, M.f(w, i), 1, d, hi, lo, whi, wlo, npos);
      }
    }
  }
  return changed;
}

/** Elkan's initial labels and bounds (the loop at the start of `runElkan` in kmeansKernels.ts). */
export function elkanInit(
  i0: i32,
  i1: i32,
  d: i32,
  k: i32,
  X: usize,
  C: usize,
  half: usize,
  margin: f64,
  labels: usize,
  upperS: usize,
  lowerS: usize,
  lowerG: usize,
): void {
  for (let i = i0; i < i1; i++) {
    const x = M.row(X, i, d);
    const lo = M.row(lowerS, i, k);
    let best = 0;
    let sBest = Dist.sq(x, C, d);
    let dBest = Math.sqrt(sBest);
    M.setf(lo, 0, dBest);
    for (let j = 1; j < k; j++) {
      if (dBest + margin > M.f(half, best * k + j)) {
        const s = Dist.sq(x, M.row(C, j, d), d);
        const dist = Math.sqrt(s);
        M.setf(lo, j, dist);
        if (s < sBest) {
          best = j;
          sBest = s;
          dBest = dist;
        }
      }
    }
    M.seti(labels, i, best);
    M.setf(upperS, i, dBest);
    let g = Infinity;
    for (let j = 0; j < k; j++) if (j !== best && M.f(lo, j) < g) g = M.f(lo, j);
    M.setf(lowerG, i, g);
  }
}

/** Elkan's assignment step (`elkanAssign` in kmeansKernels.ts) for the rows [i0, i1) of one block. Returns the changed labels. */
export function elkanAssign(
  i0: i32,
  i1: i32,
  d: i32,
  k: i32,
  X: usize,
  w: usize,
  labels: usize,
  upperS: usize,
  lowerS: usize,
  lowerG: usize,
  cum: usize,
  cumMax: f64,
  nextHalf: usize,
  half: usize,
  margin: f64,
  C: usize,
  first: i32,
  update: i32,
  hi: usize,
  lo: usize,
  whi: usize,
  wlo: usize,
  npos: usize,
): i32 {
  let changed = 0;
  for (let i = i0; i < i1; i++) {
    const x = M.row(X, i, d);
    const old = M.i(labels, i);
    let lab = old;
    let u = M.f(upperS, i) + M.f(cum, lab);
    const um0 = u + margin;
    if (um0 > M.f(nextHalf, lab) && um0 > M.f(lowerG, i) - cumMax) {
      const lb = M.row(lowerS, i, k);
      let tight = false;
      let sLab: f64 = 0;
      let ho = lab * k;
      for (let j = 0; j < k; j++) {
        if (j === lab) continue;
        let um = u + margin;
        if (um > M.f(half, ho + j) && um > M.f(lb, j) - M.f(cum, j)) {
          if (!tight) {
            sLab = Dist.sq(x, M.row(C, lab, d), d);
            u = Math.sqrt(sLab);
            M.setf(lb, lab, u + M.f(cum, lab));
            tight = true;
            um = u + margin;
            if (!(um > M.f(half, ho + j) && um > M.f(lb, j) - M.f(cum, j))) continue;
          }
          const s = Dist.sq(x, M.row(C, j, d), d);
          const dist = Math.sqrt(s);
          M.setf(lb, j, dist + M.f(cum, j));
          if (s < sLab || (s === sLab && j < lab)) {
            lab = j;
            ho = lab * k;
            sLab = s;
            u = dist;
          }
        }
      }
      M.setf(upperS, i, u - M.f(cum, lab));
      let g = Infinity;
      const base = u + margin;
      for (let j = 0; j < k; j++) {
        if (j === lab) continue;
        let v = M.f(lb, j) - M.f(cum, j);
        const h = 2 * M.f(half, ho + j) - base;
        if (h > v) {
          v = h;
          M.setf(lb, j, h + M.f(cum, j));
        }
        if (v < g) g = v;
      }
      M.setf(lowerG, i, g + cumMax);
    }
    if (lab !== old) {
      changed++;
      M.seti(labels, i, lab);
      if (update && !first) {
        sumsUpdate(x, old, M.f(w, i), -1, d, hi, lo, whi, wlo, npos);
        sumsUpdate(x, lab, M.f(w, i), 1, d, hi, lo, whi, wlo, npos);
      }
    }
    if (first) sumsUpdate(x, lab, M.f(w, i), 1, d, hi, lo, whi, wlo, npos);
  }
  return changed;
}

/** Weighted inertia of the rows [i0, i1) of a labelling (`inertiaOf`; `w` 0 for unit weights). */
export function inertia(i0: i32, i1: i32, d: i32, X: usize, C: usize, labels: usize, w: usize): f64 {
  let s: f64 = 0;
  for (let i = i0; i < i1; i++) {
    const v = Dist.sq(M.row(X, i, d), M.row(C, M.i(labels, i), d), d);
    s += w ? v * M.f(w, i) : v;
  }
  return s;
}

/**
 * Smallest and largest value of each column over the rows [i0, i1) of X (n x d), folded into
 * `lo` and `hi` (d values each, set to +/-Infinity by the caller): the bounding box of
 * `pruneMargin` in kmeansKernels.ts. Sub-blocks of 256 rows are read once per pair of columns
 * with the pair's minimum and maximum in registers (`f64x2`); min and max are exact, so any split
 * of the rows gives the same box.
 */
export function columnRange(i0: i32, i1: i32, d: i32, X: usize, lo: usize, hi: usize): void {
  const rowBytes = (<usize>d) << 3;
  for (let r0 = i0; r0 < i1; r0 += 256) {
    const r1 = min(i1, r0 + 256);
    let t = 0;
    for (; t + 2 <= d; t += 2) {
      const off = (<usize>t) << 3;
      let a = v128.load(lo + off);
      let b = v128.load(hi + off);
      let p = X + <usize>r0 * rowBytes + off;
      for (let i = r0; i < r1; i++) {
        const v = v128.load(p);
        a = f64x2.min(a, v);
        b = f64x2.max(b, v);
        p += rowBytes;
      }
      v128.store(lo + off, a);
      v128.store(hi + off, b);
    }
    if (t < d) {
      const off = (<usize>t) << 3;
      let a = load<f64>(lo + off);
      let b = load<f64>(hi + off);
      let p = X + <usize>r0 * rowBytes + off;
      for (let i = r0; i < r1; i++) {
        const v = load<f64>(p);
        a = Math.min(a, v);
        b = Math.max(b, v);
        p += rowBytes;
      }
      store<f64>(lo + off, a);
      store<f64>(hi + off, b);
    }
  }
}

/**
 * Nearest centre of every row (`assignNearest`: four centres per pass, ties to the lowest index);
 * `minSq` and `w` may be 0 (not wanted / unit weights). Returns the weighted inertia.
 */
export function assignNearest(n: i32, d: i32, k: i32, X: usize, C: usize, labels: usize, w: usize, minSq: usize): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const best = nearest(M.row(X, i, d), C, k, d);
    M.seti(labels, i, nearestLabel);
    if (minSq) M.setf(minSq, i, best);
    total += w ? best * M.f(w, i) : best;
  }
  return total;
}

/**
 * `potential1` of kmeansInitKernels.ts for the rows [i0, i1): min(closest, d(x_i, c)^2) into
 * `out`; returns `acc` plus their weighted sum (added in row order, so consecutive calls over
 * consecutive ranges add exactly as one call over all rows).
 */
export function potential1(
  i0: i32,
  i1: i32,
  d: i32,
  X: usize,
  w: usize,
  closest: usize,
  c: usize,
  out: usize,
  acc: f64,
): f64 {
  let p = acc;
  for (let i = i0; i < i1; i++) {
    const s = Dist.sq(M.row(X, i, d), c, d);
    const v = Math.min(s, M.f(closest, i));
    M.setf(out, i, v);
    p += v * M.f(w, i);
  }
  return p;
}

/**
 * `potentials4` of kmeansInitKernels.ts (four candidate centres at c0..c3) for the block of rows
 * [i0, i1): min(closest, d(x_i, c_q)^2) into `b0..b3`, and the block's four weighted sums (each
 * from 0, added in row order) into `pots[0..4)`. Nothing is kept in globals (they are per instance,
 * so per thread): the blocks may run on any threads, and the caller adds their sums in block order.
 */
export function potentials4Block(
  i0: i32,
  i1: i32,
  d: i32,
  X: usize,
  w: usize,
  closest: usize,
  c0: usize,
  c1: usize,
  c2: usize,
  c3: usize,
  b0: usize,
  b1: usize,
  b2: usize,
  b3: usize,
  pots: usize,
): void {
  let q0: f64 = 0;
  let q1: f64 = 0;
  let q2: f64 = 0;
  let q3: f64 = 0;
  for (let i = i0; i < i1; i++) {
    Dist.sq4(M.row(X, i, d), c0, c1, c2, c3, d);
    const cl = M.f(closest, i);
    const wi = M.f(w, i);
    const v0 = Math.min(r0, cl);
    const v1 = Math.min(r1, cl);
    const v2 = Math.min(r2, cl);
    const v3 = Math.min(r3, cl);
    M.setf(b0, i, v0);
    M.setf(b1, i, v1);
    M.setf(b2, i, v2);
    M.setf(b3, i, v3);
    q0 += v0 * wi;
    q1 += v1 * wi;
    q2 += v2 * wi;
    q3 += v3 * wi;
  }
  M.setf(pots, 0, q0);
  M.setf(pots, 1, q1);
  M.setf(pots, 2, q2);
  M.setf(pots, 3, q3);
}

/**
 * Running sums `cum[i] = acc + w[i0] * v[i0] + ... + w[i] * v[i]` for the rows [i0, i1) (`v` 0:
 * the weights alone). Returns the last.
 */
export function cumulativeWeighted(i0: i32, i1: i32, w: usize, v: usize, cum: usize, acc: f64): f64 {
  let s = acc;
  if (v) {
    for (let i = i0; i < i1; i++) M.setf(cum, i, (s += M.f(w, i) * M.f(v, i)));
  } else {
    for (let i = i0; i < i1; i++) M.setf(cum, i, (s += M.f(w, i)));
  }
  return s;
}
