// The Laplacian eigenmap behind spectralEmbedding and SpectralClustering (scikit-learn's
// `_spectral_embedding` with the ARPACK path's semantics). Private helper (not in the barrel).
import { invalid } from "../errors.js";
import { lanczosEigen } from "../linalg/lanczos.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import type { Logger } from "../logger.js";
import type { Matrix } from "../matrix.js";
import { type AffinityGraph, graphComponents, offDiagonalDegrees, offDiagonalProduct } from "./spectralGraph.js";

/** How the eigenvectors are computed. */
export type SpectralEigenSolver = "auto" | "dense" | "lanczos";

/** Up to this many nodes `"auto"` diagonalises the dense matrix (Jacobi); above, Lanczos. */
export const DENSE_EIGEN_MAX_NODES = 100;

export interface EigenmapOptions {
  /** Number of eigenvectors (smallest Laplacian eigenvalues first). */
  count: number;
  normLaplacian: boolean;
  seed: number;
  solver: SpectralEigenSolver;
  tol: number;
  logger: Logger;
}

export interface Eigenmap {
  /** n x count: column r is eigenvector r, divided by sqrt(degree) when normalised, sign-flipped. */
  embedding: Matrix;
  /** The Laplacian eigenvalues, increasing. */
  eigenvalues: Float64Array;
  /** Connected components of the graph. */
  nGraphComponents: number;
}

/**
 * Eigenvectors of the graph Laplacian for its `count` smallest eigenvalues, as scikit-learn's
 * `spectral_embedding(..., drop_first=False)`:
 * - degrees are off-diagonal row sums (the affinity's diagonal is ignored); `dd = sqrt(degree)`
 *   (1 for an isolated node) when normalised;
 * - normalised: `L = I - D^-1/2 A D^-1/2`, computed as the largest eigenvalues of the normalised
 *   affinity `D^-1/2 A D^-1/2`; unnormalised: `L = D - A`, smallest eigenvalues;
 * - the eigenvectors are divided by `dd` (normalised only) and each is multiplied by the sign of
 *   its largest-magnitude entry (first one on ties; `_deterministic_vector_sign_flip`).
 *
 * The known null vectors of L (one per connected component: `sqrt(degree)` resp. the indicator,
 * in the order of each component's lowest node) are taken exactly and deflated, so a disconnected
 * graph gives the per-component vectors deterministically (scikit-learn's ARPACK returns an
 * arbitrary basis of that eigenspace there). Other repeated eigenvalues have no unique
 * eigenvectors either; only the spanned subspace is meaningful then.
 */
export function laplacianEigenmap(g: AffinityGraph, o: EigenmapOptions): Eigenmap {
  const n = g.n;
  const k = o.count;
  if (!Number.isInteger(k) || k < 1 || k > n) throw invalid("nComponents", k, `must be an integer in [1, ${n}]`);
  const deg = offDiagonalDegrees(g);
  const dd = new Float64Array(n);
  for (let i = 0; i < n; i++) dd[i] = o.normLaplacian ? (deg[i] === 0 ? 1 : Math.sqrt(deg[i])) : deg[i];
  const comps = graphComponents(g);
  if (comps.count > 1) {
    o.logger.warn(
      `the affinity graph is not connected (${comps.count} components); the spectral embedding may not work as expected`,
    );
  }

  const solver = o.solver === "auto" ? (n <= DENSE_EIGEN_MAX_NODES ? "dense" : "lanczos") : o.solver;
  const vectors = new Float64Array(k * n); // rows: Laplacian eigenvectors
  const values = new Float64Array(k);
  if (solver === "dense") {
    denseEigenmap(g, deg, dd, o.normLaplacian, k, vectors, values);
  } else {
    lanczosEigenmap(g, deg, dd, comps, o, vectors, values);
  }

  // Scale by 1/dd (normalised), then the deterministic sign flip.
  const data = new Float64Array(n * k);
  for (let r = 0; r < k; r++) {
    const v = vectors.subarray(r * n, (r + 1) * n);
    if (o.normLaplacian) for (let i = 0; i < n; i++) v[i] /= dd[i];
    let best = 0;
    let bestAbs = -1;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(v[i]);
      if (a > bestAbs) {
        bestAbs = a;
        best = i;
      }
    }
    const s = v[best] < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) data[i * k + r] = s * v[i];
  }
  return { embedding: { rows: n, cols: k, data }, eigenvalues: values, nGraphComponents: comps.count };
}

function denseEigenmap(
  g: AffinityGraph,
  deg: Float64Array,
  dd: Float64Array,
  norm: boolean,
  k: number,
  vectors: Float64Array,
  values: Float64Array,
): void {
  const n = g.n;
  // Normalised: T = D^-1/2 A0 D^-1/2 (largest eigenvalues); unnormalised: T = D - A0 (smallest).
  const T = new Float64Array(n * n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    x.fill(0);
    x[j] = 1;
    offDiagonalProduct(g, x, y);
    for (let i = 0; i < n; i++) {
      T[i * n + j] = norm ? y[i] / (dd[i] * dd[j]) : i === j ? deg[i] : -y[i];
    }
  }
  const eig = symmetricEigen(T, n);
  for (let r = 0; r < k; r++) {
    const src = norm ? r : n - 1 - r;
    values[r] = norm ? 1 - eig.values[src] : eig.values[src];
    vectors.set(eig.vectors.subarray(src * n, (src + 1) * n), r * n);
  }
}

function lanczosEigenmap(
  g: AffinityGraph,
  deg: Float64Array,
  dd: Float64Array,
  comps: { count: number; labels: Int32Array },
  o: EigenmapOptions,
  vectors: Float64Array,
  values: Float64Array,
): void {
  const n = g.n;
  const k = o.count;
  const norm = o.normLaplacian;
  // Exact null vectors of L, one per component (normalised: components with at least one edge;
  // an isolated node has L_ii = 1 there, eigenvalue 1).
  let locked = 0;
  const weight = new Float64Array(comps.count);
  for (let i = 0; i < n; i++) weight[comps.labels[i]] += norm ? deg[i] : 1;
  for (let c = 0; c < comps.count && locked < k; c++) {
    if (weight[c] === 0) continue;
    const v = vectors.subarray(locked * n, (locked + 1) * n);
    const inv = 1 / Math.sqrt(weight[c]);
    for (let i = 0; i < n; i++) if (comps.labels[i] === c) v[i] = norm ? Math.sqrt(deg[i]) * inv : inv;
    values[locked] = 0;
    locked++;
  }
  const rest = k - locked;
  if (rest === 0) return;
  const z = new Float64Array(n);
  const op = norm
    ? (x: Float64Array, y: Float64Array) => {
        for (let i = 0; i < n; i++) z[i] = x[i] / dd[i];
        offDiagonalProduct(g, z, y);
        for (let i = 0; i < n; i++) y[i] /= dd[i];
      }
    : (x: Float64Array, y: Float64Array) => {
        offDiagonalProduct(g, x, y);
        for (let i = 0; i < n; i++) y[i] = deg[i] * x[i] - y[i];
      };
  const res = lanczosEigen(op, n, rest, {
    which: norm ? "largest" : "smallest",
    seed: o.seed,
    tol: o.tol,
    deflate: locked > 0 ? vectors.slice(0, locked * n) : undefined,
  });
  for (let r = 0; r < rest; r++) {
    values[locked + r] = norm ? 1 - res.values[r] : res.values[r];
    vectors.set(res.vectors.subarray(r * n, (r + 1) * n), (locked + r) * n);
  }
}
