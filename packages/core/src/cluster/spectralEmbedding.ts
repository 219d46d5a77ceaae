import { invalid } from "../errors.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { checkChoice, checkNumber } from "../validate.js";
import { laplacianEigenmap, type SpectralEigenSolver } from "./spectralEigen.js";
import { type CsrMatrix, checkAffinity } from "./spectralGraph.js";

export type { SpectralEigenSolver } from "./spectralEigen.js";

/** Options for `spectralEmbedding` (scikit-learn 1.9's `spectral_embedding`). */
export interface SpectralEmbeddingOptions {
  /** Dimension of the embedding: an integer in [1, n] (n - 1 with `dropFirst`). Default 8. */
  nComponents?: number;
  /**
   * Use the symmetric normalised Laplacian `I - D^-1/2 A D^-1/2` and divide the eigenvectors by
   * `sqrt(degree)` (true), or the unnormalised `D - A` (false). Default true.
   */
  normLaplacian?: boolean;
  /**
   * Drop the first eigenvector (constant for a connected graph; right for an embedding, wrong for
   * spectral clustering, which keeps it). Default true.
   */
  dropFirst?: boolean;
  /** Seed of the Lanczos start vector. The result does not depend on it beyond the tolerance. Default 0. */
  seed?: number;
  /**
   * `"dense"`: Jacobi on the full n x n matrix (O(n^3), exact for repeated eigenvalues);
   * `"lanczos"`: thick-restart Lanczos with full reorthogonalisation (`lanczosEigen`), products
   * with the (sparse or dense) affinity only; `"auto"` (default): dense up to 100 nodes, else Lanczos.
   */
  eigenSolver?: SpectralEigenSolver;
  /** Lanczos tolerance on the relative residual `||L v - lambda v|| / ||L||`. Default 1e-12. */
  tol?: number;
  /** Receives warnings (graph not connected, affinity not symmetric). Default `consoleLogger`. */
  logger?: Logger;
}

/**
 * Laplacian eigenmap of an affinity graph (scikit-learn's `spectral_embedding`): the eigenvectors
 * of the graph Laplacian for its smallest eigenvalues, one per column of the returned n x
 * nComponents matrix, in increasing eigenvalue order.
 *
 * `affinity` is a symmetric non-negative n x n matrix, dense (`MatrixLike`) or sparse in CSR form
 * (`{ rows, cols, indptr: Int32Array, indices: Int32Array, data: Float64Array }`, the shape of the
 * text area's `CsrMatrix`; e.g. a k-nearest-neighbour graph); a non-symmetric one is replaced by `0.5 (A + A^T)` with a
 * warning. Its diagonal is ignored. With `normLaplacian` (default) the eigenvectors are divided by
 * `sqrt(degree)`; each column's sign makes its largest-magnitude entry positive, so the result is
 * deterministic and equal to scikit-learn's wherever the eigenvalues are distinct (repeated
 * eigenvalues, e.g. a disconnected graph, define only the spanned subspace; here the per-component
 * vectors are returned for the null space).
 *
 * ```ts
 * const E = spectralEmbedding(A, { nComponents: 2 }); // 2-D layout of the graph
 * ```
 */
export function spectralEmbedding(affinity: MatrixLike | CsrMatrix, options: SpectralEmbeddingOptions = {}): Matrix {
  const logger = options.logger ?? consoleLogger;
  const g = checkAffinity(affinity, logger);
  const nComponents = options.nComponents ?? 8;
  const dropFirst = options.dropFirst ?? true;
  const normLaplacian = options.normLaplacian ?? true;
  if (typeof dropFirst !== "boolean") throw invalid("dropFirst", dropFirst, "must be a boolean");
  if (typeof normLaplacian !== "boolean") throw invalid("normLaplacian", normLaplacian, "must be a boolean");
  const max = dropFirst ? g.n - 1 : g.n;
  if (!Number.isInteger(nComponents) || nComponents < 1 || nComponents > max) {
    throw invalid("nComponents", nComponents, `must be an integer in [1, ${max}] for ${g.n} samples`);
  }
  const solver = checkChoice(options.eigenSolver ?? "auto", "eigenSolver", ["auto", "dense", "lanczos"]);
  const tol = checkNumber(options.tol ?? 1e-12, "tol", { min: 0, minExclusive: true });
  const seed = checkNumber(options.seed ?? 0, "seed");
  const count = dropFirst ? nComponents + 1 : nComponents;
  const { embedding } = laplacianEigenmap(g, { count, normLaplacian, seed, solver, tol, logger });
  if (!dropFirst) return embedding;
  const n = g.n;
  const out = new Float64Array(n * nComponents);
  for (let i = 0; i < n; i++) out.set(embedding.data.subarray(i * count + 1, (i + 1) * count), i * nComponents);
  return { rows: n, cols: nComponents, data: out };
}
