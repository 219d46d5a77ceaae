import { invalid, ValidationError } from "../errors.js";
import type { ClusterModel, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { Random } from "../random.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkChoice, checkInt, checkNClusters, checkNumber } from "../validate.js";
import { KMeans } from "./kMeans.js";
import { clusterQr, discretize } from "./spectralAssign.js";
import { laplacianEigenmap, type SpectralEigenSolver } from "./spectralEigen.js";
import {
  type AffinityGraph,
  type CsrMatrix,
  checkAffinity,
  graphAsPublic,
  isCsr,
  knnAffinity,
  rbfAffinity,
} from "./spectralGraph.js";

/** How the affinity graph is built from X. */
export type SpectralAffinity = "rbf" | "nearestNeighbors" | "precomputed";

/** How labels are read off the spectral embedding. */
export type SpectralAssignLabels = "kmeans" | "discretize" | "clusterQr";

/** Default of `SpectralClusteringOptions.maxSamples`. */
export const SPECTRAL_RBF_MAX_SAMPLES = 10_000;

/** Options for `SpectralClustering` (names and semantics follow scikit-learn 1.9's `SpectralClustering`). */
export interface SpectralClusteringOptions {
  /** Number of clusters: an integer in [1, n]. Default 8. */
  nClusters?: number;
  /**
   * `"rbf"` (default): dense Gaussian kernel `exp(-gamma ||x_i - x_j||^2)`, an n x n matrix of
   * 8 n^2 bytes (80 MB at n = 3,000; 800 MB at 10,000; see `maxSamples`).
   * `"nearestNeighbors"`: sparse symmetrised k-nearest-neighbour connectivity
   * `0.5 (C + C^T)` with `C = kneighbors_graph(X, nNeighbors, include_self=True)` (about 2 n
   * nNeighbors entries). `"precomputed"`: `fit` receives the affinity itself, a symmetric
   * non-negative n x n matrix, dense or `CsrMatrix`.
   */
  affinity?: SpectralAffinity;
  /** Kernel coefficient of `"rbf"` (>= 0). Default 1.0. */
  gamma?: number;
  /** Neighbours per sample for `"nearestNeighbors"` (itself included), and the vote size of `predict`. Default 10. */
  nNeighbors?: number;
  /**
   * `"kmeans"` (default): k-means (k-means++, `nInit` runs) on the embedding. `"discretize"`: Yu &
   * Shi's rotation search (scikit-learn's `discretize`; labels in [0, nComponents)).
   * `"clusterQr"`: Damle et al.'s pivoted QR (deterministic; labels in [0, nComponents)).
   */
  assignLabels?: SpectralAssignLabels;
  /** k-means runs on the embedding (best inertia kept). Default 10. */
  nInit?: number;
  /** Number of eigenvectors in the embedding, an integer in [1, n]. Default `nClusters`. */
  nComponents?: number;
  /** Seed for the Lanczos start vector, the k-means initialisations and `discretize`'s first row. Default 0. */
  seed?: number;
  /**
   * Largest n accepted with `affinity: "rbf"` (its dense n x n matrix takes 8 n^2 bytes). Default
   * 10,000 (800 MB). Above it `fit` throws; use `"nearestNeighbors"` or raise the limit.
   */
  maxSamples?: number;
  /**
   * Eigensolver of the Laplacian: `"dense"` (Jacobi, O(n^3)), `"lanczos"` (thick-restart Lanczos
   * with full reorthogonalisation, products with the affinity only) or `"auto"` (default: dense up
   * to 100 samples, else Lanczos).
   */
  eigenSolver?: SpectralEigenSolver;
  /** Lanczos tolerance on the relative eigen-residual. Default 1e-12. */
  tol?: number;
  /** Keep the affinity matrix on the model as `affinityMatrix` (dense `Matrix` or `CsrMatrix`). Default false. */
  storeAffinity?: boolean;
  /** Receives warnings (disconnected graph, non-symmetric affinity, k-means). Default `consoleLogger`. */
  logger?: Logger;
}

/**
 * Spectral clustering (scikit-learn 1.9 semantics): builds an affinity graph, embeds the samples
 * with the eigenvectors of the normalised graph Laplacian for its `nComponents` smallest
 * eigenvalues (`spectralEmbedding` with `dropFirst: false`), and assigns labels on that embedding.
 *
 * The embedding equals scikit-learn's (which uses ARPACK) to the eigensolver's accuracy wherever
 * the leading eigenvalues are distinct. `clusterQr` labels then equal scikit-learn's; `kmeans` and
 * `discretize` draw their random choices from this library's generator, so they agree with
 * scikit-learn's whenever the partition does not depend on the seed (well separated clusters).
 *
 * ```ts
 * const model = new SpectralClustering({ nClusters: 2, affinity: "nearestNeighbors" }).fit(X);
 * model.labels; model.embedding; model.predict(Y);
 * ```
 */
export class SpectralClustering {
  readonly options: Readonly<SpectralClusteringOptions>;

  constructor(options: SpectralClusteringOptions = {}) {
    this.options = { ...options };
  }

  /**
   * Fits on X (n x d samples), or on the n x n affinity itself (dense or `CsrMatrix`) with
   * `affinity: "precomputed"`. Sample weights are not supported.
   */
  fit(X: MatrixLike | CsrMatrix): SpectralClusteringModel {
    const o = this.options;
    const logger = o.logger ?? consoleLogger;
    const affinity = checkChoice(o.affinity ?? "rbf", "affinity", ["rbf", "nearestNeighbors", "precomputed"]);
    const assign = checkChoice(o.assignLabels ?? "kmeans", "assignLabels", ["kmeans", "discretize", "clusterQr"]);
    const gamma = checkNumber(o.gamma ?? 1.0, "gamma", { min: 0 });
    const nNeighborsOpt = checkInt(o.nNeighbors ?? 10, "nNeighbors", 1);
    const nInit = checkInt(o.nInit ?? 10, "nInit", 1);
    const seed = checkNumber(o.seed ?? 0, "seed");
    const maxSamples = checkInt(o.maxSamples ?? SPECTRAL_RBF_MAX_SAMPLES, "maxSamples", 2);
    const solver = checkChoice(o.eigenSolver ?? "auto", "eigenSolver", ["auto", "dense", "lanczos"]);
    const tol = checkNumber(o.tol ?? 1e-12, "tol", { min: 0, minExclusive: true });
    const storeAffinity = o.storeAffinity ?? false;

    let graph: AffinityGraph;
    let train: Matrix | null = null;
    let nFeaturesIn: number;
    if (affinity === "precomputed") {
      graph = checkAffinity(X, logger, "X");
      nFeaturesIn = graph.n;
    } else {
      if (isCsr(X)) throw invalid("X", "CsrMatrix", `a sparse matrix is accepted only with affinity "precomputed"`);
      const m = asMatrix(X as MatrixLike);
      if (m.rows < 2)
        throw new ValidationError(`invalid X: ${m.rows} row (spectral clustering needs at least 2 samples)`);
      train = m;
      nFeaturesIn = m.cols;
      if (affinity === "rbf") {
        if (m.rows > maxSamples) {
          const gb = (8 * m.rows * m.rows) / 1e9;
          throw new ValidationError(
            `invalid X: ${m.rows} samples exceed maxSamples = ${maxSamples} for affinity "rbf" (its dense n x n matrix needs ${gb.toFixed(2)} GB); raise maxSamples or use affinity "nearestNeighbors"`,
          );
        }
        graph = { n: m.rows, dense: rbfAffinity(m, gamma), csr: null };
      } else {
        checkInt(nNeighborsOpt, "nNeighbors", 1, m.rows);
        graph = { n: m.rows, dense: null, csr: knnAffinity(m, nNeighborsOpt) };
      }
    }
    const n = graph.n;
    const nClusters = o.nClusters ?? 8;
    checkNClusters(nClusters, n);
    const nComponents = o.nComponents ?? nClusters;
    if (!Number.isInteger(nComponents) || nComponents < 1 || nComponents > n) {
      throw invalid("nComponents", nComponents, `must be an integer in [1, ${n}]`);
    }

    const map = laplacianEigenmap(graph, { count: nComponents, normLaplacian: true, seed, solver, tol, logger });
    let labels: Int32Array;
    let k: number;
    if (assign === "kmeans") {
      labels = new KMeans({ nClusters, nInit, seed, init: "k-means++", logger }).fit(map.embedding).labels;
      k = nClusters;
    } else if (assign === "discretize") {
      labels = discretize(map.embedding, new Random(seed));
      k = nComponents;
    } else {
      labels = clusterQr(map.embedding);
      k = nComponents;
    }
    return new SpectralClusteringModel({
      labels,
      nClusters: k,
      nFeaturesIn,
      affinity,
      nNeighbors: Math.min(nNeighborsOpt, n),
      embedding: map.embedding,
      eigenvalues: map.eigenvalues,
      nGraphComponents: map.nGraphComponents,
      trainingData: train,
      affinityMatrix: storeAffinity ? graphAsPublic(graph) : undefined,
    });
  }

  /** `fit(X).labels`. */
  fitPredict(X: MatrixLike | CsrMatrix): Int32Array {
    return this.fit(X).labels;
  }
}

/** The fields of a `SpectralClusteringModel`. */
export interface SpectralClusteringModelFields {
  labels: Int32Array;
  nClusters: number;
  nFeaturesIn: number;
  affinity: SpectralAffinity;
  nNeighbors: number;
  embedding: Matrix;
  eigenvalues: Float64Array;
  nGraphComponents: number;
  trainingData: Matrix | null;
  affinityMatrix?: Matrix | CsrMatrix;
}

/**
 * A fitted spectral clustering. Immutable.
 *
 * Spectral clustering has no out-of-sample rule (a new point would change the graph and its
 * eigenvectors). `predict` uses a stated convention: the majority label among the new point's
 * `nNeighbors` nearest training samples (Euclidean; for `"precomputed"`, the training samples with
 * the largest affinities in the given rows), ties going to the label of the nearest of the tied
 * voters. It reproduces the training labels where clusters are well separated, not in general.
 * For that, the model keeps the training data (n x d numbers, also in `toJSON`; none for
 * `"precomputed"`).
 */
export class SpectralClusteringModel implements ClusterModel {
  /** Cluster of each training sample. */
  readonly labels: Int32Array;
  /** Number of labels: `nClusters` for k-means, `nComponents` for discretize and clusterQr. */
  readonly nClusters: number;
  /** Features seen in fit (n for a precomputed affinity). */
  readonly nFeaturesIn: number;
  readonly affinity: SpectralAffinity;
  /** Voters in `predict` (the `nNeighbors` option, at most n). */
  readonly nNeighbors: number;
  /** The spectral embedding the labels were assigned on (n x nComponents; scikit-learn's `maps`). */
  readonly embedding: Matrix;
  /** The matching normalised-Laplacian eigenvalues, increasing (useful for the eigengap heuristic). */
  readonly eigenvalues: Float64Array;
  /** Connected components of the affinity graph (> 1 triggers a warning in fit). */
  readonly nGraphComponents: number;
  /** The affinity graph, only with `storeAffinity: true` (not serialised). */
  readonly affinityMatrix?: Matrix | CsrMatrix;
  private readonly trainingData: Matrix | null;

  constructor(f: SpectralClusteringModelFields) {
    this.labels = f.labels;
    this.nClusters = f.nClusters;
    this.nFeaturesIn = f.nFeaturesIn;
    this.affinity = f.affinity;
    this.nNeighbors = f.nNeighbors;
    this.embedding = f.embedding;
    this.eigenvalues = f.eigenvalues;
    this.nGraphComponents = f.nGraphComponents;
    this.trainingData = f.trainingData;
    if (f.affinityMatrix !== undefined) this.affinityMatrix = f.affinityMatrix;
  }

  /**
   * Labels for new samples by a k-nearest-neighbour vote among the training samples (see the
   * class note). For `"precomputed"`, X holds affinities to the n training samples (m x n).
   */
  predict(X: MatrixLike): Int32Array {
    const n = this.labels.length;
    const k = Math.min(this.nNeighbors, n);
    let m: Matrix;
    let nbr: Int32Array;
    if (this.trainingData === null) {
      m = asMatrix(X, { cols: n });
      nbr = new Int32Array(m.rows * k);
      const order = new Int32Array(n);
      for (let i = 0; i < m.rows; i++) {
        const row = m.data.subarray(i * n, (i + 1) * n);
        for (let j = 0; j < n; j++) order[j] = j;
        order.sort((a, b) => row[b] - row[a] || a - b);
        nbr.set(order.subarray(0, k), i * k);
      }
    } else {
      m = asMatrix(X, { cols: this.nFeaturesIn });
      nbr = kNeighbors(this.trainingData, k, { query: m }).indices;
    }
    const out = new Int32Array(m.rows);
    const counts = new Int32Array(Math.max(this.nClusters, 1));
    for (let i = 0; i < m.rows; i++) {
      counts.fill(0);
      let top = 0;
      for (let t = 0; t < k; t++) {
        const c = ++counts[this.labels[nbr[i * k + t]]];
        if (c > top) top = c;
      }
      for (let t = 0; t < k; t++) {
        const l = this.labels[nbr[i * k + t]];
        if (counts[l] === top) {
          out[i] = l;
          break;
        }
      }
    }
    return out;
  }

  /**
   * JSON form: labels, embedding, eigenvalues and (except for `"precomputed"`) the training data
   * for `predict`: about n (d + nComponents + 1) numbers. `affinityMatrix` is not stored.
   */
  toJSON(): ModelJSON {
    return {
      type: "SpectralClusteringModel",
      version: 1,
      labels: Array.from(this.labels),
      nClusters: this.nClusters,
      nFeaturesIn: this.nFeaturesIn,
      affinity: this.affinity,
      nNeighbors: this.nNeighbors,
      embedding: { rows: this.embedding.rows, cols: this.embedding.cols, data: encodeFloats(this.embedding.data) },
      eigenvalues: encodeFloats(this.eigenvalues),
      nGraphComponents: this.nGraphComponents,
      trainingData:
        this.trainingData === null
          ? null
          : { rows: this.trainingData.rows, cols: this.trainingData.cols, data: encodeFloats(this.trainingData.data) },
    };
  }

  static fromJSON(json: ModelJSON): SpectralClusteringModel {
    if (json.type !== "SpectralClusteringModel" || json.version !== 1) {
      throw new ValidationError(
        `invalid model JSON: expected SpectralClusteringModel version 1, got ${String(json.type)} version ${String(json.version)}`,
      );
    }
    const mat = (v: unknown, name: string): Matrix => {
      const o = v as { rows?: unknown; cols?: unknown; data?: unknown } | null;
      if (o === null || typeof o !== "object" || typeof o.rows !== "number" || typeof o.cols !== "number") {
        throw new ValidationError(`invalid model JSON: ${name} is not a { rows, cols, data } matrix`);
      }
      const data = decodeFloats(o.data, name);
      if (data.length !== o.rows * o.cols)
        throw new ValidationError(`invalid model JSON: ${name} has the wrong length`);
      return { rows: o.rows, cols: o.cols, data };
    };
    const labels = Int32Array.from(decodeFloats(json.labels, "labels"));
    const embedding = mat(json.embedding, "embedding");
    const trainingData = json.trainingData == null ? null : mat(json.trainingData, "trainingData");
    const affinity = checkChoice(json.affinity as SpectralAffinity, "affinity", [
      "rbf",
      "nearestNeighbors",
      "precomputed",
    ]);
    if (embedding.rows !== labels.length || (trainingData !== null && trainingData.rows !== labels.length)) {
      throw new ValidationError("invalid model JSON: labels, embedding and trainingData disagree on the sample count");
    }
    if ((affinity === "precomputed") !== (trainingData === null)) {
      throw new ValidationError(
        "invalid model JSON: trainingData must be present exactly when affinity is not precomputed",
      );
    }
    return new SpectralClusteringModel({
      labels,
      nClusters: json.nClusters as number,
      nFeaturesIn: json.nFeaturesIn as number,
      affinity,
      nNeighbors: json.nNeighbors as number,
      embedding,
      eigenvalues: decodeFloats(json.eigenvalues, "eigenvalues"),
      nGraphComponents: json.nGraphComponents as number,
      trainingData,
    });
  }
}

registerModel("SpectralClusteringModel", (json) => SpectralClusteringModel.fromJSON(json));
