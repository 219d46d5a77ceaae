// t-SNE kernels: input affinities (binary search for the Gaussian precision per point), the exact
// and Barnes-Hut gradients of the KL divergence, and one step of scikit-learn's gradient descent.
// Private helpers of tsne.ts (not in the manifold barrel).
import type { CsrMatrix } from "../cluster/spectralGraph.js";
import { PCA } from "../decomposition/pca.js";
import { invalid, ValidationError } from "../errors.js";
import { silentLogger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { type NeighborMetric, rowDistance, unitRows } from "../neighbors/neighborMetric.js";
import { Random } from "../random.js";
import { asMatrix } from "../validate.js";
import { SpaceTree } from "./barnesHutKernels.js";
import { manifoldNeighborAlgorithm } from "./internalNeighbors.js";

/** numpy's float64 machine epsilon (the floor scikit-learn puts under P, Q and sum(P)). */
export const MACHINE_EPSILON = 2.220446049250313e-16;
/** Smallest positive normal float32 (scikit-learn's floor inside the Barnes-Hut KL). */
const FLOAT32_TINY = 1.1754943508222875e-38;
/** scikit-learn's `_utils.pyx` constants are C floats: their float32 values are used. */
const PERPLEXITY_TOLERANCE = Math.fround(1e-5);
const EPSILON_DBL = Math.fround(1e-8);
const BINARY_SEARCH_STEPS = 100;

/**
 * Binary search for the precision `beta` of one point's conditional Gaussian so that the entropy of
 * `p_j = exp(-d_j beta) / sum` equals `log(perplexity)` within 1e-5 (at most 100 halvings/doublings),
 * exactly as scikit-learn's `_binary_search_perplexity`: `sq` holds squared distances rounded to
 * float32, entry `skip` (the point itself, or -1) is left out. Writes the probabilities to `out`
 * (`out[skip] = 0`) and returns beta.
 */
export function searchRow(
  sq: Float64Array,
  count: number,
  skip: number,
  desiredEntropy: number,
  out: Float64Array,
): number {
  let beta = 1;
  let betaMin = Number.NEGATIVE_INFINITY;
  let betaMax = Number.POSITIVE_INFINITY;
  if (skip >= 0) out[skip] = 0;
  for (let step = 0; step < BINARY_SEARCH_STEPS; step++) {
    let sumP = 0;
    for (let j = 0; j < count; j++) {
      if (j === skip) continue;
      const v = Math.exp(-sq[j] * beta);
      out[j] = v;
      sumP += v;
    }
    if (sumP === 0) sumP = EPSILON_DBL;
    let sumDistP = 0;
    for (let j = 0; j < count; j++) {
      const v = out[j] / sumP;
      out[j] = v;
      sumDistP += sq[j] * v;
    }
    const entropyDiff = Math.log(sumP) + beta * sumDistP - desiredEntropy;
    if (Math.abs(entropyDiff) <= PERPLEXITY_TOLERANCE) break;
    if (entropyDiff > 0) {
      betaMin = beta;
      beta = betaMax === Number.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
    } else {
      betaMax = beta;
      beta = betaMin === Number.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
    }
  }
  return beta;
}

/** `log(perplexity)` with the perplexity rounded to float32 (scikit-learn passes it as a C float). */
export function desiredEntropy(perplexity: number): number {
  return Math.log(Math.fround(perplexity));
}

/**
 * scikit-learn's `_binary_search_perplexity` on a `rows x cols` matrix of squared distances (rounded
 * to float32 here): with `cols === rows` every row is searched over all other points (the diagonal is
 * left out), with fewer columns over the given neighbours. Returns the conditional probabilities.
 */
export function binarySearchPerplexity(
  sqDistances: ArrayLike<number>,
  rows: number,
  cols: number,
  perplexity: number,
): Float64Array {
  const usingNeighbors = cols < rows;
  const entropy = desiredEntropy(perplexity);
  const P = new Float64Array(rows * cols);
  const sq = new Float64Array(cols);
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) sq[j] = Math.fround(sqDistances[i * cols + j]);
    searchRow(sq, cols, usingNeighbors ? -1 : i, entropy, out);
    P.set(out, i * cols);
  }
  return P;
}

/** Index of pair (i, j), i < j, in a condensed (scipy `squareform`) vector over n points. */
export function condensedIndex(n: number, i: number, j: number): number {
  return i * n - (i * (i + 1)) / 2 + (j - i - 1);
}

/**
 * Squared input distances from row `i` to every row, rounded to float32 as scikit-learn does:
 * Euclidean is the sum of squared differences in feature order (scipy's `sqeuclidean`); other metrics
 * are squared after computing them (`distances **= 2`).
 */
function squaredRow(metric: NeighborMetric, points: Float64Array, n: number, d: number, i: number, out: Float64Array) {
  const base = i * d;
  for (let j = 0; j < n; j++) {
    let s: number;
    if (metric === "euclidean") {
      s = 0;
      const jb = j * d;
      for (let t = 0; t < d; t++) {
        const diff = points[base + t] - points[jb + t];
        s += diff * diff;
      }
    } else {
      const r = rowDistance(metric, points, i, points, j, d);
      s = r * r;
    }
    out[j] = Math.fround(s);
  }
}

/**
 * The exact method's joint probabilities (scikit-learn's `_joint_probabilities`): conditional P over
 * all other points per row, `P = (C + C^T) / max(sum, eps)`, floored at `eps`; returned condensed
 * (pairs i < j in row order, length n (n - 1) / 2). Memory O(n^2 / 2), no n x n distance matrix.
 */
export function exactJointProbabilities(X: Matrix, metric: NeighborMetric, perplexity: number): Float64Array {
  const n = X.rows;
  const d = X.cols;
  const points = metric === "cosine" ? unitRows(X) : X.data;
  const entropy = desiredEntropy(perplexity);
  const P = new Float64Array((n * (n - 1)) / 2);
  const sq = new Float64Array(n);
  const cond = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    squaredRow(metric, points, n, d, i, sq);
    searchRow(sq, n, i, entropy, cond);
    // Pairs (j, i) with j < i already hold C[j, i]; add C[i, j]. Pairs (i, j), j > i, start at C[i, j].
    for (let j = 0; j < i; j++) P[condensedIndex(n, j, i)] += cond[j];
    const rowBase = condensedIndex(n, i, i + 1);
    for (let j = i + 1; j < n; j++) P[rowBase + (j - i - 1)] += cond[j];
  }
  let sum = 0;
  for (let c = 0; c < P.length; c++) sum += P[c];
  const sumP = Math.max(2 * sum, MACHINE_EPSILON);
  for (let c = 0; c < P.length; c++) P[c] = Math.max(P[c] / sumP, MACHINE_EPSILON);
  return P;
}

/**
 * The Barnes-Hut method's sparse joint probabilities (scikit-learn's `_joint_probabilities_nn`):
 * exact k nearest neighbours (self excluded), their squared distances rounded to float32, the
 * conditional P over each row's neighbours (taken in column order, as scikit-learn's sorted CSR),
 * then `P = (C + C^T) / max(sum, eps)` as a symmetric CSR matrix with sorted columns.
 */
export function neighborJointProbabilities(
  X: Matrix,
  metric: NeighborMetric,
  perplexity: number,
  k: number,
): CsrMatrix {
  const n = X.rows;
  const knn = kNeighbors(X, Math.min(n, k + 1), { metric, algorithm: manifoldNeighborAlgorithm(metric, X.cols) });
  const kk = knn.k;
  // Drop self (or, if more than k duplicates sort before it, the last neighbour).
  const nbr = new Int32Array(n * k);
  const dist = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let t = 0; t < kk && c < k; t++) {
      const j = knn.indices[i * kk + t];
      if (j === i) continue;
      nbr[i * k + c] = j;
      dist[i * k + c] = knn.distances[i * kk + t];
      c++;
    }
  }
  // Sort each row by column index (scikit-learn calls sort_indices() before the search).
  const order = new Int32Array(k);
  const tmpI = new Int32Array(k);
  const tmpD = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let t = 0; t < k; t++) order[t] = t;
    order.sort((a, b) => nbr[base + a] - nbr[base + b]);
    for (let t = 0; t < k; t++) {
      tmpI[t] = nbr[base + order[t]];
      tmpD[t] = dist[base + order[t]];
    }
    nbr.set(tmpI, base);
    dist.set(tmpD, base);
  }
  const sqd = new Float64Array(n * k);
  for (let c = 0; c < sqd.length; c++) sqd[c] = dist[c] * dist[c];
  const cond = binarySearchPerplexity(sqd, n, k, perplexity);
  return symmetrize(n, k, nbr, cond);
}

/** `(C + C^T) / max(sum, eps)` for a row-sorted k-per-row sparse C, as CSR with sorted columns. */
function symmetrize(n: number, k: number, nbr: Int32Array, cond: Float64Array): CsrMatrix {
  // Transpose of C in CSR (columns sorted because rows are visited in order).
  const tCount = new Int32Array(n + 1);
  for (let c = 0; c < n * k; c++) tCount[nbr[c] + 1]++;
  for (let i = 0; i < n; i++) tCount[i + 1] += tCount[i];
  const tIdx = new Int32Array(n * k);
  const tVal = new Float64Array(n * k);
  const fill = tCount.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = nbr[i * k + t];
      const p = fill[j]++;
      tIdx[p] = i;
      tVal[p] = cond[i * k + t];
    }
  }
  // Merge row i of C and of C^T.
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(2 * n * k);
  const data = new Float64Array(2 * n * k);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    let a = i * k;
    const aEnd = a + k;
    let b = tCount[i];
    const bEnd = tCount[i + 1];
    while (a < aEnd || b < bEnd) {
      const ca = a < aEnd ? nbr[a] : n;
      const cb = b < bEnd ? tIdx[b] : n;
      if (ca === cb) {
        indices[nnz] = ca;
        data[nnz++] = cond[a++] + tVal[b++];
      } else if (ca < cb) {
        indices[nnz] = ca;
        data[nnz++] = cond[a++];
      } else {
        indices[nnz] = cb;
        data[nnz++] = tVal[b++];
      }
    }
    indptr[i + 1] = nnz;
  }
  let sum = 0;
  for (let c = 0; c < nnz; c++) sum += data[c];
  const sumP = Math.max(sum, MACHINE_EPSILON);
  const out = data.slice(0, nnz);
  for (let c = 0; c < nnz; c++) out[c] /= sumP;
  return { rows: n, cols: n, indptr, indices: indices.slice(0, nnz), data: out };
}

/**
 * The exact KL gradient (scikit-learn's `_kl_divergence`): Student-t kernel
 * `w_ij = (1 + |y_i - y_j|^2 / dof)^(-(dof + 1) / 2)`, `Q = max(w / sum_{i != j} w, eps)`,
 * `grad_i = c sum_j (p_ij - q_ij) w_ij (y_i - y_j)` with `c = 2 (dof + 1) / dof`. `P` is condensed and
 * multiplied by `exaggeration`. Writes `grad` and returns the KL divergence `sum p log(p / q)` over
 * ordered pairs when `computeError`, else NaN.
 */
export function exactGradient(
  Y: Float64Array,
  P: Float64Array,
  n: number,
  dim: number,
  dof: number,
  exaggeration: number,
  grad: Float64Array,
  computeError: boolean,
): number {
  const exponent = -(dof + 1) / 2;
  const kernel = (d2: number) => (dof === 1 ? 1 / (1 + d2) : (1 + d2 / dof) ** exponent);
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    const ib = i * dim;
    for (let j = i + 1; j < n; j++) {
      const jb = j * dim;
      let d2 = 0;
      for (let t = 0; t < dim; t++) {
        const diff = Y[ib + t] - Y[jb + t];
        d2 += diff * diff;
      }
      sumW += kernel(d2);
    }
  }
  const norm = 2 * sumW;
  grad.fill(0);
  let kl = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const ib = i * dim;
    for (let j = i + 1; j < n; j++, c++) {
      const jb = j * dim;
      let d2 = 0;
      for (let t = 0; t < dim; t++) {
        const diff = Y[ib + t] - Y[jb + t];
        d2 += diff * diff;
      }
      const w = kernel(d2);
      const q = Math.max(w / norm, MACHINE_EPSILON);
      const p = P[c] * exaggeration;
      if (computeError) kl += p * Math.log(Math.max(p, MACHINE_EPSILON) / q);
      const f = (p - q) * w;
      for (let t = 0; t < dim; t++) {
        const g = f * (Y[ib + t] - Y[jb + t]);
        grad[ib + t] += g;
        grad[jb + t] -= g;
      }
    }
  }
  const scale = (2 * (dof + 1)) / dof;
  for (let t = 0; t < grad.length; t++) grad[t] *= scale;
  return computeError ? 2 * kl : Number.NaN;
}

/**
 * The Barnes-Hut KL gradient (scikit-learn's `_kl_divergence_bh`, in float64) for a fixed sparse P:
 * attraction over the stored pairs exactly, repulsion and the normalisation `Z = sum w` from a
 * quadtree/octree rebuilt on every call; `grad_i = c (sum_j p_ij w_ij (y_i - y_j) - sum_j w_ij^2 (y_i - y_j) / Z)`.
 * The symmetric P is kept as its upper-triangle pairs, so each attraction is computed once.
 */
export class BarnesHutObjective {
  readonly n: number;
  readonly dim: number;
  readonly dof: number;
  readonly angle: number;
  private readonly pi: Int32Array;
  private readonly pj: Int32Array;
  private readonly pv: Float64Array;
  private readonly tree: SpaceTree;
  private readonly attraction: Float64Array;

  constructor(P: CsrMatrix, dim: number, dof: number, angle: number) {
    const n = P.rows;
    this.n = n;
    this.dim = dim;
    this.dof = dof;
    this.angle = angle;
    let m = 0;
    for (let i = 0; i < n; i++) for (let c = P.indptr[i]; c < P.indptr[i + 1]; c++) if (P.indices[c] > i) m++;
    this.pi = new Int32Array(m);
    this.pj = new Int32Array(m);
    this.pv = new Float64Array(m);
    let t = 0;
    for (let i = 0; i < n; i++) {
      for (let c = P.indptr[i]; c < P.indptr[i + 1]; c++) {
        const j = P.indices[c];
        if (j <= i) continue;
        this.pi[t] = i;
        this.pj[t] = j;
        this.pv[t++] = P.data[c];
      }
    }
    this.tree = new SpaceTree(dim);
    this.attraction = new Float64Array(n * dim);
  }

  /**
   * Writes the gradient at `Y` (P multiplied by `exaggeration`) into `grad`; returns the KL divergence
   * when `computeError` (`sum p log(p / (w / Z))` over the stored entries, floored at the smallest
   * float32 as scikit-learn), else NaN.
   */
  gradient(Y: Float64Array, exaggeration: number, grad: Float64Array, computeError: boolean): number {
    const { n, dim, dof, pi, pj, pv } = this;
    this.tree.build(Y, n);
    const sumQ = Math.max(this.tree.repulsion(dof, this.angle * this.angle, grad), MACHINE_EPSILON);
    const attr = this.attraction;
    attr.fill(0);
    const exponent = (dof + 1) / 2;
    const inv = 1 / sumQ;
    let kl = 0;
    const m = pv.length;
    if (dim === 2 && dof === 1) {
      for (let t = 0; t < m; t++) {
        const ib = 2 * pi[t];
        const jb = 2 * pj[t];
        const dx = Y[ib] - Y[jb];
        const dy = Y[ib + 1] - Y[jb + 1];
        const w = 1 / (1 + dx * dx + dy * dy);
        const p = pv[t] * exaggeration;
        const f = p * w;
        attr[ib] += f * dx;
        attr[ib + 1] += f * dy;
        attr[jb] -= f * dx;
        attr[jb + 1] -= f * dy;
        if (computeError) kl += 2 * p * Math.log(Math.max(p, FLOAT32_TINY) / Math.max(w * inv, FLOAT32_TINY));
      }
    } else if (dim === 3) {
      // 0: dof 1 (w), 1: dof 2 (w sqrt w, t-SNE's 3-D default), 2: any other dof (w ** exponent).
      const mode = dof === 1 ? 0 : dof === 2 ? 1 : 2;
      for (let t = 0; t < m; t++) {
        const ib = 3 * pi[t];
        const jb = 3 * pj[t];
        const dx = Y[ib] - Y[jb];
        const dy = Y[ib + 1] - Y[jb + 1];
        const dz = Y[ib + 2] - Y[jb + 2];
        let w = dof / (dof + dx * dx + dy * dy + dz * dz);
        if (mode === 1) w *= Math.sqrt(w);
        else if (mode === 2) w **= exponent;
        const p = pv[t] * exaggeration;
        const f = p * w;
        attr[ib] += f * dx;
        attr[ib + 1] += f * dy;
        attr[ib + 2] += f * dz;
        attr[jb] -= f * dx;
        attr[jb + 1] -= f * dy;
        attr[jb + 2] -= f * dz;
        if (computeError) kl += 2 * p * Math.log(Math.max(p, FLOAT32_TINY) / Math.max(w * inv, FLOAT32_TINY));
      }
    } else {
      for (let t = 0; t < m; t++) {
        const ib = pi[t] * dim;
        const jb = pj[t] * dim;
        let dist2 = 0;
        for (let s = 0; s < dim; s++) {
          const v = Y[ib + s] - Y[jb + s];
          dist2 += v * v;
        }
        let w = dof / (dof + dist2);
        if (dof !== 1) w = w ** exponent;
        const p = pv[t] * exaggeration;
        const f = p * w;
        for (let s = 0; s < dim; s++) {
          const g = f * (Y[ib + s] - Y[jb + s]);
          attr[ib + s] += g;
          attr[jb + s] -= g;
        }
        if (computeError) kl += 2 * p * Math.log(Math.max(p, FLOAT32_TINY) / Math.max(w * inv, FLOAT32_TINY));
      }
    }
    const scale = (2 * (dof + 1)) / dof;
    for (let t = 0; t < n * dim; t++) grad[t] = (attr[t] - grad[t] * inv) * scale;
    return computeError ? kl : Number.NaN;
  }
}

/**
 * One update of scikit-learn's `_gradient_descent`: delta-bar-delta gains (+0.2 where the gradient
 * changes sign against the previous update, *0.8 elsewhere, floored at `minGain`), then
 * `update = momentum * update - learningRate * gains * grad` and `p += update`. Leaves `grad`
 * multiplied by the gains and returns its Euclidean norm (scikit-learn's convergence test).
 */
export function descentStep(
  p: Float64Array,
  grad: Float64Array,
  update: Float64Array,
  gains: Float64Array,
  momentum: number,
  learningRate: number,
  minGain: number,
): number {
  let norm2 = 0;
  for (let t = 0; t < p.length; t++) {
    let g = gains[t];
    const gt = grad[t];
    if (update[t] * gt < 0) g += 0.2;
    else g *= 0.8;
    if (g < minGain) g = minGain;
    gains[t] = g;
    const scaled = gt * g;
    grad[t] = scaled;
    norm2 += scaled * scaled;
    const u = momentum * update[t] - learningRate * scaled;
    update[t] = u;
    p[t] += u;
  }
  return Math.sqrt(norm2);
}

/**
 * The initial embedding as a fresh n x nComponents row-major array: `"random"` = 1e-4 N(0, 1);
 * `"pca"` = the PCA projection scaled so its first column has (population) standard deviation 1e-4,
 * as scikit-learn (which also rounds it to float32); an explicit matrix is validated and copied.
 */
export function initialEmbedding(
  data: Matrix,
  init: "pca" | "random" | MatrixLike,
  nComponents: number,
  seed: number,
): Float64Array {
  const n = data.rows;
  if (init === "random") {
    const rng = new Random(seed);
    const Y = new Float64Array(n * nComponents);
    for (let t = 0; t < Y.length; t++) Y[t] = 1e-4 * rng.normal();
    return Y;
  }
  if (init === "pca") {
    if (data.cols < nComponents) {
      throw invalid("init", "pca", `needs at least nComponents = ${nComponents} features (got ${data.cols})`);
    }
    const Y = new PCA({ nComponents, logger: silentLogger }).fit(data).transform(data).data;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += Y[i * nComponents];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (Y[i * nComponents] - mean) ** 2;
    const std = Math.sqrt(v / n);
    if (!(std > 0)) {
      throw invalid("init", "pca", 'the data have no variance along the first component; use init "random"');
    }
    const scale = 1e-4 / std;
    for (let t = 0; t < Y.length; t++) Y[t] *= scale;
    return Y;
  }
  const m = asMatrix(init, { name: "init" });
  if (m.rows !== n || m.cols !== nComponents) {
    throw new ValidationError(
      `invalid init: ${m.rows} x ${m.cols} matrix, expected nSamples x nComponents = ${n} x ${nComponents}`,
    );
  }
  return m.data.slice();
}
