// UMAP's initial layouts (umap-learn's spectral.py and simplicial_set_embedding): the spectral layout
// of the fuzzy graph (one component, or several placed around a meta-layout), random and explicit
// inits, and the rescaling before optimisation. Private helper of umap.ts (not in the barrel).
import { laplacianEigenmap } from "../cluster/spectralEigen.js";
import { spectralEmbedding } from "../cluster/spectralEmbedding.js";
import { type AffinityGraph, type CsrMatrix, graphComponents, offDiagonalDegrees } from "../cluster/spectralGraph.js";
import { ClusterlabError } from "../errors.js";
import type { Logger } from "../logger.js";
import { silentLogger } from "../logger.js";
import type { Matrix } from "../matrix.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { type NeighborMetric, rowDistance, unitRows } from "../neighbors/neighborMetric.js";
import type { Random } from "../random.js";

/** Lanczos tolerance for the spectral layout (umap-learn asks ARPACK for 1e-4). */
const SPECTRAL_TOL = 1e-8;

function uniform(rng: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.float();
}

/**
 * Unit eigenvectors 1..dim of the normalised Laplacian `I - D^-1/2 A D^-1/2` of a connected graph for
 * its smallest eigenvalues (the first, `sqrt(degree)`, dropped), as umap-learn's `spectral_layout`
 * (which takes them from ARPACK; signs here are fixed by the largest entry). n x dim row-major.
 */
function laplacianVectors(graph: CsrMatrix, dim: number, seed: number): Float64Array {
  const g: AffinityGraph = { n: graph.rows, dense: null, csr: graph };
  const n = g.n;
  const map = laplacianEigenmap(g, {
    count: dim + 1,
    normLaplacian: true,
    seed,
    solver: "auto",
    tol: SPECTRAL_TOL,
    logger: silentLogger,
  });
  // laplacianEigenmap divides by sqrt(degree) (scikit-learn's convention); undo it.
  const deg = offDiagonalDegrees(g);
  const out = new Float64Array(n * dim);
  const k = dim + 1;
  for (let i = 0; i < n; i++) {
    const dd = deg[i] === 0 ? 1 : Math.sqrt(deg[i]);
    for (let c = 0; c < dim; c++) out[i * dim + c] = map.embedding.data[i * k + c + 1] * dd;
  }
  return out;
}

/** The rows and columns of `graph` in `members` (ascending), as a CSR matrix. */
function subgraph(graph: CsrMatrix, members: Int32Array): CsrMatrix {
  const local = new Int32Array(graph.rows).fill(-1);
  for (let t = 0; t < members.length; t++) local[members[t]] = t;
  const m = members.length;
  const indptr = new Int32Array(m + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let t = 0; t < m; t++) {
    const i = members[t];
    for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) {
      const j = local[graph.indices[p]];
      if (j < 0) continue;
      idx.push(j);
      val.push(graph.data[p]);
    }
    indptr[t + 1] = idx.length;
  }
  return { rows: m, cols: m, indptr, indices: Int32Array.from(idx), data: Float64Array.from(val) };
}

/**
 * umap-learn's `component_layout`: the centroid of each component in data space, their pairwise
 * distances d, and a spectral embedding (scikit-learn's, `spectralEmbedding`) of the affinity
 * `exp(-d^2)`, divided by its largest value.
 */
function componentLayout(
  data: Matrix,
  labels: Int32Array,
  count: number,
  dim: number,
  metric: NeighborMetric,
  seed: number,
): Float64Array {
  const d = data.cols;
  const centroids = new Float64Array(count * d);
  const sizes = new Float64Array(count);
  for (let i = 0; i < data.rows; i++) {
    const c = labels[i];
    sizes[c]++;
    for (let t = 0; t < d; t++) centroids[c * d + t] += data.data[i * d + t];
  }
  for (let c = 0; c < count; c++) for (let t = 0; t < d; t++) centroids[c * d + t] /= sizes[c];
  const pts = metric === "cosine" ? unitRows({ rows: count, cols: d, data: centroids }) : centroids;
  const affinity = new Float64Array(count * count);
  for (let a = 0; a < count; a++) {
    for (let b = 0; b < count; b++) {
      const dist = a === b ? 0 : rowDistance(metric, pts, a, pts, b, d);
      affinity[a * count + b] = Math.exp(-(dist * dist));
    }
  }
  const emb = spectralEmbedding(
    { rows: count, cols: count, data: affinity },
    { nComponents: dim, seed, logger: silentLogger },
  ).data;
  let max = Number.NEGATIVE_INFINITY;
  for (let t = 0; t < emb.length; t++) if (emb[t] > max) max = emb[t];
  for (let t = 0; t < emb.length; t++) emb[t] /= max;
  return emb;
}

/**
 * umap-learn's `spectral_layout`: for a connected graph, its Laplacian eigenvectors; otherwise
 * `multi_component_layout`: component positions from `component_layout` (more than 2 dim components)
 * or the +-unit vectors, each component's own spectral layout scaled to half the distance to the
 * nearest other component position (random within that range for components of fewer than 2 dim or
 * at most dim + 1 points). Falls back to uniform [-10, 10] with a warning if the eigensolver fails.
 */
export function spectralLayout(
  data: Matrix,
  graph: CsrMatrix,
  dim: number,
  metric: NeighborMetric,
  rng: Random,
  seed: number,
  logger: Logger,
): Float64Array {
  const n = graph.rows;
  const comps = graphComponents({ n, dense: null, csr: graph });
  const fail = (e: unknown): Float64Array | never => {
    if (!(e instanceof ClusterlabError)) throw e;
    logger.warn("UMAP: spectral initialisation failed (eigensolver did not converge); using a random init");
    const out = new Float64Array(n * dim);
    for (let t = 0; t < out.length; t++) out[t] = uniform(rng, -10, 10);
    return out;
  };
  if (comps.count === 1) {
    try {
      return laplacianVectors(graph, dim, seed);
    } catch (e) {
      return fail(e);
    }
  }
  const count = comps.count;
  const labels = comps.labels;
  let meta: Float64Array;
  if (count > 2 * dim) {
    meta = componentLayout(data, labels, count, dim, metric, seed);
  } else {
    const k = Math.ceil(count / 2);
    meta = new Float64Array(count * dim);
    for (let c = 0; c < count; c++) meta[c * dim + (c < k ? c : c - k)] = c < k ? 1 : -1;
  }
  const out = new Float64Array(n * dim);
  for (let label = 0; label < count; label++) {
    let size = 0;
    for (let i = 0; i < n; i++) if (labels[i] === label) size++;
    const members = new Int32Array(size);
    for (let i = 0, t = 0; i < n; i++) if (labels[i] === label) members[t++] = i;
    let nearest = Number.POSITIVE_INFINITY;
    for (let other = 0; other < count; other++) {
      let s = 0;
      for (let t = 0; t < dim; t++) s += (meta[label * dim + t] - meta[other * dim + t]) ** 2;
      const dist = Math.sqrt(s);
      if (dist > 0 && dist < nearest) nearest = dist;
    }
    const range = nearest / 2;
    let placed: Float64Array | null = null;
    if (!(size < 2 * dim || size <= dim + 1)) {
      try {
        const emb = laplacianVectors(subgraph(graph, members), dim, seed);
        let maxAbs = 0;
        for (let t = 0; t < emb.length; t++) maxAbs = Math.max(maxAbs, Math.abs(emb[t]));
        const expansion = maxAbs > 0 ? range / maxAbs : 0;
        for (let t = 0; t < emb.length; t++) emb[t] *= expansion;
        placed = emb;
      } catch (e) {
        fail(e);
      }
    }
    for (let t = 0; t < size; t++) {
      const i = members[t];
      for (let c = 0; c < dim; c++) {
        const v = placed ? placed[t * dim + c] : uniform(rng, -range, range);
        out[i * dim + c] = v + meta[label * dim + c];
      }
    }
  }
  return out;
}

/** umap-learn's `noisy_scale_coords`: scale so the largest |coordinate| is 10, then add N(0, 1e-4^2) noise. */
export function noisyScale(coords: Float64Array, rng: Random): void {
  let maxAbs = 0;
  for (let t = 0; t < coords.length; t++) maxAbs = Math.max(maxAbs, Math.abs(coords[t]));
  const expansion = maxAbs > 0 ? 10 / maxAbs : 1;
  for (let t = 0; t < coords.length; t++) coords[t] = coords[t] * expansion + 1e-4 * rng.normal();
}

/**
 * An explicit init as umap-learn uses it: unchanged, unless it has duplicate rows, in which case
 * N(0, (0.001 * mean nearest-neighbour distance)^2) noise is added.
 */
export function explicitInit(init: Matrix, rng: Random): Float64Array {
  const n = init.rows;
  const d = init.cols;
  const out = init.data.slice();
  if (n < 2) return out;
  const knn = kNeighbors(init, 2);
  let duplicates = false;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const second = knn.distances[i * 2 + 1];
    if (second === 0) duplicates = true;
    sum += second;
  }
  if (!duplicates) return out;
  const scale = (0.001 * sum) / n;
  for (let t = 0; t < n * d; t++) out[t] += scale * rng.normal();
  return out;
}

/** Rescales every column to [0, 10] (umap-learn does this to every init before optimising). */
export function rescaleColumns(E: Float64Array, n: number, dim: number): void {
  for (let c = 0; c < dim; c++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = E[i * dim + c];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = hi > lo ? hi - lo : 1;
    for (let i = 0; i < n; i++) E[i * dim + c] = (10 * (E[i * dim + c] - lo)) / range;
  }
}
