import { invalid, ValidationError } from "../errors.js";
import type { Matrix } from "../matrix.js";
import { type NeighborMetric, unitRows } from "./neighborMetric.js";

/** Rows per block in the brute-force loops (a block of query rows meets a block of data rows in cache). */
const BLOCK = 128;

/** Neighbour lists in compressed form: the neighbours of row i are `neighbors[offsets[i] .. offsets[i + 1] - 1]`. */
export interface RadiusGraph {
  offsets: Int32Array;
  neighbors: Int32Array;
}

/**
 * The `k` nearest rows of `data` to every row of `query`, by brute force in blocks of 128 x 128 rows:
 * `indices`/`distances` are `query.rows x k`, row-major, nearest first, ties by smaller index.
 * Euclidean and Manhattan distances are summed in feature order (the same numbers as `KDTree`); cosine
 * uses unit rows (`1 - u.v`, clipped to [0, 2]).
 */
export function bruteKNeighbors(
  data: Matrix,
  query: Matrix,
  k: number,
  metric: NeighborMetric,
): { indices: Int32Array; distances: Float64Array } {
  const n = data.rows;
  const m = query.rows;
  const d = data.cols;
  if (query.cols !== d) throw new ValidationError(`invalid query: ${query.cols} features, expected ${d}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw invalid("k", k, `must be an integer in [1, ${n}]`);
  const cosine = metric === "cosine";
  const manhattan = metric === "manhattan";
  const a = cosine ? unitRows(query) : query.data;
  const b = cosine ? (data === query ? a : unitRows(data)) : data.data;
  const heapD = new Float64Array(BLOCK * k);
  const heapI = new Int32Array(BLOCK * k);
  const sizes = new Int32Array(BLOCK);
  const indices = new Int32Array(m * k);
  const distances = new Float64Array(m * k);
  for (let q0 = 0; q0 < m; q0 += BLOCK) {
    const q1 = Math.min(m, q0 + BLOCK);
    sizes.fill(0);
    for (let j0 = 0; j0 < n; j0 += BLOCK) {
      const j1 = Math.min(n, j0 + BLOCK);
      for (let q = q0; q < q1; q++) {
        const h = (q - q0) * k;
        const qa = q * d;
        let size = sizes[q - q0];
        for (let j = j0; j < j1; j++) {
          const jb = j * d;
          let s = 0;
          if (cosine) {
            for (let t = 0; t < d; t++) s += a[qa + t] * b[jb + t];
            s = 1 - s;
            s = s < 0 ? 0 : Math.min(s, 2);
          } else if (manhattan) {
            for (let t = 0; t < d; t++) s += Math.abs(a[qa + t] - b[jb + t]);
          } else {
            for (let t = 0; t < d; t++) {
              const diff = a[qa + t] - b[jb + t];
              s += diff * diff;
            }
          }
          if (size < k) {
            let c = size++;
            while (c > 0) {
              const par = (c - 1) >> 1;
              if (heapD[h + par] > s || (heapD[h + par] === s && heapI[h + par] > j)) break;
              heapD[h + c] = heapD[h + par];
              heapI[h + c] = heapI[h + par];
              c = par;
            }
            heapD[h + c] = s;
            heapI[h + c] = j;
          } else if (s < heapD[h] || (s === heapD[h] && j < heapI[h])) {
            siftDownAt(heapD, heapI, h, size, s, j);
          }
        }
        sizes[q - q0] = size;
      }
    }
    for (let q = q0; q < q1; q++) {
      const h = (q - q0) * k;
      for (let t = k - 1; t >= 0; t--) {
        const topD = heapD[h];
        const topI = heapI[h];
        if (t > 0) siftDownAt(heapD, heapI, h, t, heapD[h + t], heapI[h + t]);
        indices[q * k + t] = topI;
        distances[q * k + t] = cosine || manhattan ? topD : Math.sqrt(topD);
      }
    }
  }
  return { indices, distances };
}

/**
 * All pairs of rows of `X` within distance `r` (inclusive), by a symmetric blocked brute-force pass
 * (each pair computed once). Row i lists itself when its self-distance is within `r` (always, except a
 * zero row under cosine). The Euclidean test is `sum (x_t - y_t)^2 <= r^2`, as in `KDTree`.
 */
export function bruteRadiusGraph(X: Matrix, r: number, metric: NeighborMetric): RadiusGraph {
  const n = X.rows;
  const d = X.cols;
  const cosine = metric === "cosine";
  const manhattan = metric === "manhattan";
  const a = cosine ? unitRows(X) : X.data;
  const rr = cosine || manhattan ? r : r * r;
  let pairs = new Int32Array(Math.max(1024, 2 * n));
  let np = 0;
  const degree = new Int32Array(n);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let j0 = i0; j0 < n; j0 += BLOCK) {
      const j1 = Math.min(n, j0 + BLOCK);
      for (let i = i0; i < i1; i++) {
        const ia = i * d;
        for (let j = Math.max(j0, i); j < j1; j++) {
          const jb = j * d;
          let s = 0;
          if (cosine) {
            for (let t = 0; t < d; t++) s += a[ia + t] * a[jb + t];
            s = 1 - s;
            s = s < 0 ? 0 : Math.min(s, 2);
          } else if (manhattan) {
            for (let t = 0; t < d; t++) s += Math.abs(a[ia + t] - a[jb + t]);
          } else {
            for (let t = 0; t < d; t++) {
              const diff = a[ia + t] - a[jb + t];
              s += diff * diff;
            }
          }
          if (s <= rr) {
            if (np + 2 > pairs.length) {
              const grown = new Int32Array(pairs.length * 2);
              grown.set(pairs);
              pairs = grown;
            }
            pairs[np++] = i;
            pairs[np++] = j;
            degree[i]++;
            if (j !== i) degree[j]++;
          }
        }
      }
    }
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[i];
  const fill = offsets.slice(0, n);
  const neighbors = new Int32Array(offsets[n]);
  for (let p = 0; p < np; p += 2) {
    const i = pairs[p];
    const j = pairs[p + 1];
    neighbors[fill[i]++] = j;
    if (j !== i) neighbors[fill[j]++] = i;
  }
  return { offsets, neighbors };
}

function siftDownAt(heapD: Float64Array, heapI: Int32Array, h: number, size: number, v: number, id: number): void {
  let c = 0;
  for (;;) {
    let child = 2 * c + 1;
    if (child >= size) break;
    const r = child + 1;
    if (
      r < size &&
      (heapD[h + r] > heapD[h + child] || (heapD[h + r] === heapD[h + child] && heapI[h + r] > heapI[h + child]))
    )
      child = r;
    if (heapD[h + child] < v || (heapD[h + child] === v && heapI[h + child] < id)) break;
    heapD[h + c] = heapD[h + child];
    heapI[h + c] = heapI[h + child];
    c = child;
  }
  heapD[h + c] = v;
  heapI[h + c] = id;
}
