// Affinity graphs for spectral clustering and spectral embedding: validation, the RBF and
// k-nearest-neighbour constructions, degrees, connected components and operator products.
// Private helper of spectralEmbedding.ts / spectralClustering.ts (not in the cluster barrel).
import { invalid, ValidationError } from "../errors.js";
import type { Logger } from "../logger.js";
import { isMatrix, type Matrix, type MatrixLike } from "../matrix.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { asMatrix } from "../validate.js";

/**
 * A sparse matrix in compressed sparse row form: the entries of row i are
 * `data[indptr[i] .. indptr[i + 1] - 1]` in the columns `indices[...]` (sorted within a row, no
 * duplicates). Used for k-nearest-neighbour affinity graphs. Structurally the same as the text
 * area's public `CsrMatrix`, so either can be passed.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}

/** A validated square affinity graph: exactly one of `dense` (n x n row-major) and `csr` is set. */
export interface AffinityGraph {
  readonly n: number;
  readonly dense: Float64Array | null;
  readonly csr: CsrMatrix | null;
}

/** True for an object with the `CsrMatrix` shape. */
export function isCsr(x: unknown): x is CsrMatrix {
  if (typeof x !== "object" || x === null) return false;
  const c = x as CsrMatrix;
  return (
    c.indptr instanceof Int32Array &&
    c.indices instanceof Int32Array &&
    c.data instanceof Float64Array &&
    typeof c.rows === "number" &&
    typeof c.cols === "number"
  );
}

/** The graph as a dense matrix or CSR object (what `affinityMatrix` exposes). */
export function graphAsPublic(g: AffinityGraph): Matrix | CsrMatrix {
  return g.dense ? { rows: g.n, cols: g.n, data: g.dense } : (g.csr as CsrMatrix);
}

/**
 * Validates a user affinity (dense n x n, or CSR): square, at least 2 nodes, finite, >= 0.
 * A non-symmetric affinity is replaced by `0.5 (A + A^T)` with a warning, as scikit-learn's
 * `check_symmetric` (dense: `allclose(A, A^T, atol=1e-10)`; sparse: every |A - A^T| < 1e-10).
 */
export function checkAffinity(a: MatrixLike | CsrMatrix, logger: Logger, name = "affinity"): AffinityGraph {
  if (isCsr(a)) return checkCsr(a, logger, name);
  const m = asMatrix(a as MatrixLike, { name });
  if (m.rows !== m.cols) throw new ValidationError(`invalid ${name}: ${m.rows} x ${m.cols} (must be square, n x n)`);
  const n = m.rows;
  if (n < 2) throw new ValidationError(`invalid ${name}: 1 x 1 (at least 2 samples are needed)`);
  const A = m.data;
  let symmetric = true;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = A[i * n + j];
      if (v < 0) throw new ValidationError(`invalid ${name}: ${v} at row ${i}, column ${j} (must be >= 0)`);
      if (j > i && symmetric) {
        const u = A[j * n + i];
        if (Math.abs(v - u) > 1e-10 + 1e-5 * Math.abs(u) || Math.abs(u - v) > 1e-10 + 1e-5 * Math.abs(v)) {
          symmetric = false;
        }
      }
    }
  }
  if (symmetric) return { n, dense: A, csr: null };
  logger.warn(`${name} is not symmetric; using 0.5 * (A + A^T)`);
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) S[i * n + j] = 0.5 * (A[i * n + j] + A[j * n + i]);
  }
  return { n, dense: S, csr: null };
}

function checkCsr(c: CsrMatrix, logger: Logger, name: string): AffinityGraph {
  const n = c.rows;
  if (!Number.isInteger(n) || n !== c.cols) {
    throw new ValidationError(`invalid ${name}: ${c.rows} x ${c.cols} (must be square, n x n)`);
  }
  if (n < 2) throw new ValidationError(`invalid ${name}: ${n} x ${n} (at least 2 samples are needed)`);
  if (c.indptr.length !== n + 1 || c.indptr[0] !== 0 || c.indptr[n] !== c.indices.length) {
    throw new ValidationError(`invalid ${name}: indptr must have n + 1 = ${n + 1} entries from 0 to indices.length`);
  }
  if (c.data.length !== c.indices.length) {
    throw new ValidationError(`invalid ${name}: data has ${c.data.length} entries, indices ${c.indices.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (c.indptr[i + 1] < c.indptr[i]) throw new ValidationError(`invalid ${name}: indptr decreases at row ${i}`);
    for (let p = c.indptr[i]; p < c.indptr[i + 1]; p++) {
      const j = c.indices[p];
      const v = c.data[p];
      if (!Number.isInteger(j) || j < 0 || j >= n) {
        throw new ValidationError(`invalid ${name}: column index ${j} in row ${i} (must be in [0, ${n - 1}])`);
      }
      if (p > c.indptr[i] && j <= c.indices[p - 1]) {
        throw new ValidationError(`invalid ${name}: column indices of row ${i} are not strictly increasing`);
      }
      if (!Number.isFinite(v))
        throw new ValidationError(`invalid ${name}: ${v} at row ${i}, column ${j} (must be finite)`);
      if (v < 0) throw new ValidationError(`invalid ${name}: ${v} at row ${i}, column ${j} (must be >= 0)`);
    }
  }
  const t = transposeCsr(c);
  let symmetric = true;
  // Compare A and A^T entry by entry (both have sorted rows).
  for (let i = 0; i < n && symmetric; i++) {
    let p = c.indptr[i];
    let q = t.indptr[i];
    const pe = c.indptr[i + 1];
    const qe = t.indptr[i + 1];
    while (p < pe || q < qe) {
      const jp = p < pe ? c.indices[p] : n;
      const jq = q < qe ? t.indices[q] : n;
      let diff: number;
      if (jp === jq) diff = c.data[p++] - t.data[q++];
      else if (jp < jq) diff = c.data[p++];
      else diff = t.data[q++];
      if (!(Math.abs(diff) < 1e-10)) {
        symmetric = false;
        break;
      }
    }
  }
  if (symmetric) return { n, dense: null, csr: c };
  logger.warn(`${name} is not symmetric; using 0.5 * (A + A^T)`);
  return { n, dense: null, csr: addCsr(c, t, 0.5) };
}

/** The transpose of a CSR matrix (rows sorted). */
export function transposeCsr(c: CsrMatrix): CsrMatrix {
  const { rows, cols } = c;
  const counts = new Int32Array(cols + 1);
  for (let p = 0; p < c.indices.length; p++) counts[c.indices[p] + 1]++;
  for (let j = 0; j < cols; j++) counts[j + 1] += counts[j];
  const indptr = counts.slice();
  const next = counts.slice(0, cols);
  const indices = new Int32Array(c.indices.length);
  const data = new Float64Array(c.indices.length);
  for (let i = 0; i < rows; i++) {
    for (let p = c.indptr[i]; p < c.indptr[i + 1]; p++) {
      const j = c.indices[p];
      const dst = next[j]++;
      indices[dst] = i;
      data[dst] = c.data[p];
    }
  }
  return { rows: cols, cols: rows, indptr, indices, data };
}

/** `scale * (a + b)` for two CSR matrices of the same shape with sorted rows. */
function addCsr(a: CsrMatrix, b: CsrMatrix, scale: number): CsrMatrix {
  const n = a.rows;
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    let p = a.indptr[i];
    let q = b.indptr[i];
    const pe = a.indptr[i + 1];
    const qe = b.indptr[i + 1];
    while (p < pe || q < qe) {
      const jp = p < pe ? a.indices[p] : n + 1;
      const jq = q < qe ? b.indices[q] : n + 1;
      if (jp === jq) {
        indices.push(jp);
        data.push(scale * (a.data[p++] + b.data[q++]));
      } else if (jp < jq) {
        indices.push(jp);
        data.push(scale * a.data[p++]);
      } else {
        indices.push(jq);
        data.push(scale * b.data[q++]);
      }
    }
    indptr[i + 1] = indices.length;
  }
  return { rows: n, cols: a.cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/**
 * The RBF (Gaussian) kernel `exp(-gamma ||x_i - x_j||^2)` as a dense n x n row-major array
 * (8 n^2 bytes). Squared distances are summed in feature order; the diagonal is exactly 1.
 */
export function rbfAffinity(X: Matrix, gamma: number): Float64Array {
  const { rows: n, cols: d, data } = X;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    A[i * n + i] = 1;
    const xi = i * d;
    for (let j = i + 1; j < n; j++) {
      const xj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[xi + t] - data[xj + t];
        s += diff * diff;
      }
      const v = Math.exp(-gamma * s);
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
  return A;
}

/**
 * scikit-learn's nearest-neighbour affinity: `C = kneighbors_graph(X, k, include_self=True)` (each
 * sample's k nearest samples, itself included, Euclidean; ties by smaller index) and
 * `A = 0.5 (C + C^T)`: 1 for mutual neighbours, 0.5 for one-sided ones. CSR, rows sorted.
 */
export function knnAffinity(X: Matrix, k: number): CsrMatrix {
  const n = X.rows;
  const { indices: nbr } = kNeighbors(X, k);
  // Row i receives (i, j) for j in N(i) and (j, i) for i in N(j): 2 n k entries before merging.
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      counts[i + 1]++;
      counts[nbr[i * k + t] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const next = counts.slice(0, n);
  const cols = new Int32Array(2 * n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = nbr[i * k + t];
      cols[next[i]++] = j;
      cols[next[j]++] = i;
    }
  }
  const indptr = new Int32Array(n + 1);
  const outIdx = new Int32Array(2 * n * k);
  const outVal = new Float64Array(2 * n * k);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const seg = cols.subarray(counts[i], counts[i + 1]).sort();
    for (let p = 0; p < seg.length; p++) {
      if (p > 0 && seg[p] === seg[p - 1]) {
        outVal[nnz - 1] += 0.5;
      } else {
        outIdx[nnz] = seg[p];
        outVal[nnz] = 0.5;
        nnz++;
      }
    }
    indptr[i + 1] = nnz;
  }
  return { rows: n, cols: n, indptr, indices: outIdx.slice(0, nnz), data: outVal.slice(0, nnz) };
}

/** Off-diagonal row sums (the diagonal of the affinity is ignored, as scipy's `laplacian`). */
export function offDiagonalDegrees(g: AffinityGraph): Float64Array {
  const n = g.n;
  const deg = new Float64Array(n);
  if (g.dense) {
    const A = g.dense;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const base = i * n;
      for (let j = 0; j < n; j++) if (j !== i) s += A[base + j];
      deg[i] = s;
    }
  } else {
    const c = g.csr as CsrMatrix;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = c.indptr[i]; p < c.indptr[i + 1]; p++) if (c.indices[p] !== i) s += c.data[p];
      deg[i] = s;
    }
  }
  return deg;
}

/** Connected components through positive off-diagonal entries, numbered by their lowest node. */
export function graphComponents(g: AffinityGraph): { count: number; labels: Int32Array } {
  const n = g.n;
  const labels = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (labels[s] !== -1) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    labels[s] = count;
    while (head < tail) {
      const u = queue[head++];
      if (g.dense) {
        const base = u * n;
        for (let v = 0; v < n; v++) {
          if (labels[v] === -1 && g.dense[base + v] > 0) {
            labels[v] = count;
            queue[tail++] = v;
          }
        }
      } else {
        const c = g.csr as CsrMatrix;
        for (let p = c.indptr[u]; p < c.indptr[u + 1]; p++) {
          const v = c.indices[p];
          if (labels[v] === -1 && c.data[p] > 0) {
            labels[v] = count;
            queue[tail++] = v;
          }
        }
      }
    }
    count++;
  }
  return { count, labels };
}

/** `y = A0 x`, where A0 is the affinity with its diagonal ignored. */
export function offDiagonalProduct(g: AffinityGraph, x: Float64Array, y: Float64Array): void {
  const n = g.n;
  if (g.dense) {
    const A = g.dense;
    for (let i = 0; i < n; i++) {
      const base = i * n;
      let s = 0;
      for (let j = 0; j < i; j++) s += A[base + j] * x[j];
      for (let j = i + 1; j < n; j++) s += A[base + j] * x[j];
      y[i] = s;
    }
  } else {
    const c = g.csr as CsrMatrix;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = c.indptr[i]; p < c.indptr[i + 1]; p++) {
        const j = c.indices[p];
        if (j !== i) s += c.data[p] * x[j];
      }
      y[i] = s;
    }
  }
}

/** Checks an option that must be a graph-size-compatible integer, naming it. */
export function checkComponentsCount(value: number, name: string, n: number): number {
  if (!Number.isInteger(value) || value < 1 || value > n) throw invalid(name, value, `must be an integer in [1, ${n}]`);
  return value;
}

/** True when `x` is a dense matrix (as opposed to a CSR object). */
export function isDense(x: Matrix | CsrMatrix): x is Matrix {
  return isMatrix(x);
}
