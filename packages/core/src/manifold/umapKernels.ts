// UMAP kernels (umap-learn's umap_.py and layouts.py, in float64): the smooth kNN distances,
// membership strengths, fuzzy union, the epochs-per-sample schedule and the SGD layout optimiser.
// Private helpers of umap.ts / fuzzySimplicialSet.ts (not in the manifold barrel).
import type { CsrMatrix } from "../cluster/spectralGraph.js";
import type { Random } from "../random.js";

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

/**
 * umap-learn's `smooth_knn_dist` on `n x k` neighbour distances (each row ascending, the point itself
 * first when it is among them): `rho_i` = the `localConnectivity`-th smallest positive distance
 * (interpolated for a fractional value), and `sigma_i` by binary search (64 steps, tolerance 1e-5) so
 * that `sum_{j >= 1} exp(-max(0, d_ij - rho_i) / sigma_i) = log2(k) * bandwidth` (the first column is
 * skipped, as umap-learn does), floored at 1e-3 times the mean distance of the row (or of all rows
 * when rho_i = 0).
 */
export function smoothKnnDist(
  distances: Float64Array,
  n: number,
  k: number,
  localConnectivity = 1,
  nIter = 64,
  bandwidth = 1,
): { sigmas: Float64Array; rhos: Float64Array } {
  const target = Math.log2(k) * bandwidth;
  const rhos = new Float64Array(n);
  const sigmas = new Float64Array(n);
  let total = 0;
  for (let c = 0; c < n * k; c++) total += distances[c];
  const meanDistances = total / (n * k);
  const index = Math.floor(localConnectivity);
  const interpolation = localConnectivity - index;
  for (let i = 0; i < n; i++) {
    const base = i * k;
    // Positive distances of the row, in order.
    let nonZero = 0;
    let rowSum = 0;
    for (let j = 0; j < k; j++) {
      rowSum += distances[base + j];
      if (distances[base + j] > 0) nonZero++;
    }
    const nth = (m: number): number => {
      let c = 0;
      for (let j = 0; j < k; j++) {
        if (distances[base + j] > 0) {
          if (c === m) return distances[base + j];
          c++;
        }
      }
      return 0;
    };
    let rho = 0;
    if (nonZero >= localConnectivity) {
      if (index > 0) {
        rho = nth(index - 1);
        if (interpolation > SMOOTH_K_TOLERANCE) rho += interpolation * (nth(index) - nth(index - 1));
      } else {
        rho = interpolation * nth(0);
      }
    } else if (nonZero > 0) {
      for (let j = 0; j < k; j++) if (distances[base + j] > rho) rho = distances[base + j]; // the largest
    }
    rhos[i] = rho;
    let lo = 0;
    let hi = Number.POSITIVE_INFINITY;
    let mid = 1;
    for (let it = 0; it < nIter; it++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = distances[base + j] - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Number.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
      }
    }
    let sigma = mid;
    if (rho > 0) {
      const floor = MIN_K_DIST_SCALE * (rowSum / k);
      if (sigma < floor) sigma = floor;
    } else if (sigma < MIN_K_DIST_SCALE * meanDistances) {
      sigma = MIN_K_DIST_SCALE * meanDistances;
    }
    sigmas[i] = sigma;
  }
  return { sigmas, rhos };
}

/**
 * umap-learn's `compute_membership_strengths`: `exp(-(d_ij - rho_i) / sigma_i)`, 1 where
 * `d_ij <= rho_i` (or sigma_i = 0), and 0 for the point itself unless `bipartite` (new points against
 * training points). `indices`/`distances` are `n x k`; returns the `n x k` weights.
 */
export function membershipStrengths(
  indices: Int32Array,
  distances: Float64Array,
  n: number,
  k: number,
  sigmas: Float64Array,
  rhos: Float64Array,
  bipartite: boolean,
): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const c = i * k + j;
      if (!bipartite && indices[c] === i) out[c] = 0;
      else if (distances[c] - rhos[i] <= 0 || sigmas[i] === 0) out[c] = 1;
      else out[c] = Math.exp(-((distances[c] - rhos[i]) / sigmas[i]));
    }
  }
  return out;
}

/**
 * The fuzzy set union of the local fuzzy sets (umap-learn's `fuzzy_simplicial_set` after the
 * memberships): with W the directed kNN weights,
 * `mix (W + W^T - W o W^T) + (1 - mix) (W o W^T)`, zeros dropped; a symmetric CSR matrix with sorted
 * columns.
 */
export function fuzzyUnion(
  n: number,
  k: number,
  indices: Int32Array,
  weights: Float64Array,
  setOpMixRatio: number,
): CsrMatrix {
  // W as CSR with sorted columns.
  const wIdx = new Int32Array(n * k);
  const wVal = new Float64Array(n * k);
  const order = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let t = 0; t < k; t++) order[t] = t;
    order.sort((a, b) => indices[base + a] - indices[base + b]);
    for (let t = 0; t < k; t++) {
      wIdx[base + t] = indices[base + order[t]];
      wVal[base + t] = weights[base + order[t]];
    }
  }
  // W^T as CSR (sorted because rows are visited in order).
  const tPtr = new Int32Array(n + 1);
  for (let c = 0; c < n * k; c++) tPtr[wIdx[c] + 1]++;
  for (let i = 0; i < n; i++) tPtr[i + 1] += tPtr[i];
  const tIdx = new Int32Array(n * k);
  const tVal = new Float64Array(n * k);
  const fill = tPtr.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const c = i * k + t;
      const p = fill[wIdx[c]]++;
      tIdx[p] = i;
      tVal[p] = wVal[c];
    }
  }
  const indptr = new Int32Array(n + 1);
  const outIdx = new Int32Array(2 * n * k);
  const outVal = new Float64Array(2 * n * k);
  let nnz = 0;
  const mix = setOpMixRatio;
  for (let i = 0; i < n; i++) {
    let a = i * k;
    const aEnd = a + k;
    let b = tPtr[i];
    const bEnd = tPtr[i + 1];
    while (a < aEnd || b < bEnd) {
      const ca = a < aEnd ? wIdx[a] : n;
      const cb = b < bEnd ? tIdx[b] : n;
      let w = 0;
      let wt = 0;
      let col: number;
      if (ca === cb) {
        col = ca;
        w = wVal[a++];
        wt = tVal[b++];
      } else if (ca < cb) {
        col = ca;
        w = wVal[a++];
      } else {
        col = cb;
        wt = tVal[b++];
      }
      const prod = w * wt;
      const v = mix * (w + wt - prod) + (1 - mix) * prod;
      if (v !== 0) {
        outIdx[nnz] = col;
        outVal[nnz++] = v;
      }
    }
    indptr[i + 1] = nnz;
  }
  return { rows: n, cols: n, indptr, indices: outIdx.slice(0, nnz), data: outVal.slice(0, nnz) };
}

/**
 * umap-learn's `make_epochs_per_sample`: an edge of weight w is sampled every
 * `nEpochs / (nEpochs * w / max w)` epochs (the strongest edge every epoch); -1 for weight 0.
 */
export function epochsPerSample(weights: Float64Array, nEpochs: number): Float64Array {
  let max = 0;
  for (let c = 0; c < weights.length; c++) if (weights[c] > max) max = weights[c];
  const out = new Float64Array(weights.length);
  for (let c = 0; c < weights.length; c++) {
    const samples = nEpochs * (weights[c] / max);
    out[c] = samples > 0 ? nEpochs / samples : -1;
  }
  return out;
}

/** Parameters of `optimizeLayout`. */
export interface LayoutParams {
  /** Embedding being optimised (`nHead x dim`, updated in place). */
  head: Float64Array;
  /** Reference embedding (`nTail x dim`); the same array as `head` when fitting. */
  tail: Float64Array;
  dim: number;
  /** Edge endpoints: rows of `head` and of `tail`. */
  edgeHead: Int32Array;
  edgeTail: Int32Array;
  epochsPerSample: Float64Array;
  nEpochs: number;
  /** Number of rows of `tail` (negative samples are drawn among them). */
  nVertices: number;
  a: number;
  b: number;
  gamma: number;
  initialAlpha: number;
  negativeSampleRate: number;
  /** Move the tail point too on attraction (fit: true; transform: false). */
  moveOther: boolean;
  rng: Random;
  /** Called after every epoch (1-based); `false` stops. */
  onEpoch?: (epoch: number) => boolean;
}

function clip(v: number): number {
  return v > 4 ? 4 : Math.max(v, -4);
}

/**
 * umap-learn's `optimize_layout_euclidean` (single-threaded): each epoch visits the edges in order;
 * an edge due (`epoch_of_next_sample <= epoch`) pulls its endpoints together with the gradient of
 * `log(1 / (1 + a d^(2b)))` (clipped to [-4, 4] per coordinate), then pushes the head away from
 * `floor((epoch - next_negative) / (epochs_per_sample / negativeSampleRate))` uniformly drawn tail
 * points (gradient `2 gamma b / ((0.001 + d^2)(1 + a d^(2b)))`). The learning rate decays linearly:
 * after epoch n it is `initialAlpha (1 - n / nEpochs)`. Returns the number of epochs run.
 */
export function optimizeLayout(p: LayoutParams): number {
  const { head, tail, dim, edgeHead, edgeTail, nEpochs, nVertices, a, b, gamma, initialAlpha, moveOther, rng } = p;
  const eps = p.epochsPerSample;
  const m = eps.length;
  const negRate = p.negativeSampleRate;
  const epsNeg = new Float64Array(m);
  for (let c = 0; c < m; c++) epsNeg[c] = negRate > 0 ? eps[c] / negRate : Number.POSITIVE_INFINITY;
  const nextNeg = epsNeg.slice();
  const nextSample = eps.slice();
  const twoAB = -2 * a * b;
  const twoGB = 2 * gamma * b;
  let alpha = initialAlpha;
  if (dim === 2) {
    // The same loop specialised to two components (coordinates in locals).
    for (let n = 0; n < nEpochs; n++) {
      for (let c = 0; c < m; c++) {
        if (!(nextSample[c] <= n) || eps[c] < 0) continue;
        const j = edgeHead[c];
        const cb = 2 * j;
        const ob = 2 * edgeTail[c];
        let x = head[cb];
        let y = head[cb + 1];
        let dx = x - tail[ob];
        let dy = y - tail[ob + 1];
        let d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const pb = Math.exp(b * Math.log(d2));
          const gc = (twoAB * (pb / d2)) / (a * pb + 1);
          const gx = clip(gc * dx) * alpha;
          const gy = clip(gc * dy) * alpha;
          x += gx;
          y += gy;
          if (moveOther) {
            tail[ob] -= gx;
            tail[ob + 1] -= gy;
          }
          head[cb] = x;
          head[cb + 1] = y;
        }
        nextSample[c] += eps[c];
        if (negRate <= 0) continue;
        const nNeg = Math.trunc((n - nextNeg[c]) / epsNeg[c]);
        for (let s = 0; s < nNeg; s++) {
          const rb = 2 * rng.int(nVertices);
          dx = x - tail[rb];
          dy = y - tail[rb + 1];
          d2 = dx * dx + dy * dy;
          if (!(d2 > 0)) continue;
          const gc = twoGB / ((0.001 + d2) * (a * Math.exp(b * Math.log(d2)) + 1));
          x += clip(gc * dx) * alpha;
          y += clip(gc * dy) * alpha;
          head[cb] = x;
          head[cb + 1] = y;
        }
        nextNeg[c] += nNeg * epsNeg[c];
      }
      alpha = initialAlpha * (1 - n / nEpochs);
      if (p.onEpoch && !p.onEpoch(n + 1)) return n + 1;
    }
    return nEpochs;
  }
  for (let n = 0; n < nEpochs; n++) {
    for (let c = 0; c < m; c++) {
      if (!(nextSample[c] <= n) || eps[c] < 0) continue;
      const j = edgeHead[c];
      const cb = j * dim;
      let ob = edgeTail[c] * dim;
      // d^(2b) as exp(b log d^2): one transcendental pair instead of two pow calls.
      let d2 = 0;
      for (let t = 0; t < dim; t++) {
        const diff = head[cb + t] - tail[ob + t];
        d2 += diff * diff;
      }
      if (d2 > 0) {
        const pb = Math.exp(b * Math.log(d2));
        const gc = (twoAB * (pb / d2)) / (a * pb + 1);
        for (let t = 0; t < dim; t++) {
          const g = clip(gc * (head[cb + t] - tail[ob + t])) * alpha;
          head[cb + t] += g;
          if (moveOther) tail[ob + t] -= g;
        }
      }
      nextSample[c] += eps[c];
      if (negRate <= 0) continue;
      const nNeg = Math.trunc((n - nextNeg[c]) / epsNeg[c]);
      for (let s = 0; s < nNeg; s++) {
        const r = rng.int(nVertices);
        ob = r * dim;
        d2 = 0;
        for (let t = 0; t < dim; t++) {
          const diff = head[cb + t] - tail[ob + t];
          d2 += diff * diff;
        }
        // Coincident points get no push (umap-learn: gradient 0, or skipped when r is the head itself).
        if (!(d2 > 0)) continue;
        const gc = twoGB / ((0.001 + d2) * (a * Math.exp(b * Math.log(d2)) + 1));
        for (let t = 0; t < dim; t++) head[cb + t] += clip(gc * (head[cb + t] - tail[ob + t])) * alpha;
      }
      nextNeg[c] += nNeg * epsNeg[c];
    }
    alpha = initialAlpha * (1 - n / nEpochs);
    if (p.onEpoch && !p.onEpoch(n + 1)) return n + 1;
  }
  return nEpochs;
}
