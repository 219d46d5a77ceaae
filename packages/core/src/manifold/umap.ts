import type { CsrMatrix } from "../cluster/spectralGraph.js";
import { invalid, ValidationError } from "../errors.js";
import type { ModelJSON, TransformerModel } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { checkNeighborMetric, type NeighborMetric } from "../neighbors/neighborMetric.js";
import { Random } from "../random.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkChoice, checkInt, checkNumber } from "../validate.js";
import { findAbParams } from "./findAbParams.js";
import { buildFuzzyGraph, checkGraphOptions } from "./fuzzySimplicialSet.js";
import { manifoldNeighborAlgorithm } from "./internalNeighbors.js";
import { explicitInit, noisyScale, rescaleColumns, spectralLayout } from "./umapInitKernels.js";
import { epochsPerSample, membershipStrengths, optimizeLayout, smoothKnnDist } from "./umapKernels.js";

/** What `UMAPOptions.onEpoch` receives after every epoch. */
export interface UMAPProgress {
  /** Epochs done (1-based). */
  epoch: number;
  /** Total epochs of this optimisation. */
  nEpochs: number;
  /** The current embedding (a live view: copy it to keep it). */
  embedding: Matrix;
}

/** Options for `UMAP`. Names follow umap-learn's `UMAP` in camelCase. */
export interface UMAPOptions {
  /** Neighbours per point, itself included: an integer in [2, nSamples - 1]. Default 15. */
  nNeighbors?: number;
  /** Dimension of the embedding (an integer >= 1). Default 2. */
  nComponents?: number;
  /** Smallest distance between embedded points (>= 0, at most `spread`). Default 0.1. */
  minDist?: number;
  /** Scale of the embedded points (> 0). Default 1. */
  spread?: number;
  /** Input distance. Default `"euclidean"`. */
  metric?: NeighborMetric;
  /** Optimisation epochs: an integer >= 1, or `"auto"` = 500 up to 10000 samples, else 200. Default `"auto"`. */
  nEpochs?: number | "auto";
  /** Initial SGD learning rate (> 0), decaying linearly to 0. Default 1. */
  learningRate?: number;
  /** Negative samples per positive sample (>= 0). Default 5. */
  negativeSampleRate?: number;
  /** Weight of the negative samples (umap-learn's `repulsion_strength`, gamma; >= 0). Default 1. */
  repulsionStrength?: number;
  /** Nearest neighbours assumed fully connected (>= 0, may be fractional). Default 1. */
  localConnectivity?: number;
  /** 1 = fuzzy union of the local fuzzy sets, 0 = intersection. Default 1. */
  setOpMixRatio?: number;
  /** Curve parameter a (used only together with `b`); default: fitted from `minDist` and `spread` (`findAbParams`). */
  a?: number;
  /** Curve parameter b (used only together with `a`); default: fitted from `minDist` and `spread` (`findAbParams`). */
  b?: number;
  /**
   * Initial layout: `"spectral"` (Laplacian eigenvectors of the fuzzy graph, components laid out
   * separately), `"random"` (uniform in [-10, 10]) or an explicit nSamples x nComponents matrix.
   * Default `"spectral"`.
   */
  init?: "spectral" | "random" | MatrixLike;
  /** Seed of every random draw (init noise, negative sampling, transform). Default 0. */
  seed?: number;
  /** Called after every epoch of `fit`; return `false` to stop early. Default: none. */
  onEpoch?: (progress: UMAPProgress) => boolean | undefined;
  /** Receives warnings (e.g. a failed spectral init). Default `consoleLogger`. */
  logger?: Logger;
}

/** The fields of a fitted `UMAPModel` (what its constructor takes). */
export interface UMAPModelParams {
  embedding: Matrix;
  /** The training data (needed by `transform`). */
  data: Matrix;
  nNeighbors: number;
  metric: NeighborMetric;
  a: number;
  b: number;
  nEpochs: number;
  /** The `nEpochs` option (`"auto"` or a number), which sets the transform's epochs. */
  nEpochsOption: number | "auto";
  learningRate: number;
  negativeSampleRate: number;
  repulsionStrength: number;
  localConnectivity: number;
  seed: number;
}

/**
 * Uniform Manifold Approximation and Projection (McInnes, Healy & Melville 2018), following
 * umap-learn's `UMAP` (Euclidean output, single-threaded, no densMAP):
 * 1. exact `nNeighbors` nearest neighbours (the point itself included), the fuzzy simplicial set
 *    (`fuzzySimplicialSet`: rho/sigma per point, fuzzy union);
 * 2. `a`, `b` fitted to `minDist`/`spread` (`findAbParams`);
 * 3. edges weaker than `max / nEpochs` dropped, the init (spectral layout of the graph, scaled to
 *    10 with N(0, 1e-4) noise; random; or explicit), every column rescaled to [0, 10];
 * 4. SGD over the edges, each sampled every `epochs_per_sample` epochs with `negativeSampleRate`
 *    negative samples, learning rate decaying linearly (`optimize_layout_euclidean`).
 *
 * Deterministic for a given seed (the random stream is Clusterlab's, so embeddings are not
 * numerically umap-learn's). Memory O(n nNeighbors); exact neighbours make large inputs (beyond
 * ~100k points in low dimension) slow.
 *
 * @example
 * const model = new UMAP({ nNeighbors: 15, minDist: 0.1, seed: 1 }).fit(X);
 * model.embedding;           // n x 2
 * model.transform(newRows);  // new points placed in the same embedding
 */
export class UMAP {
  readonly options: Readonly<UMAPOptions>;

  constructor(options: UMAPOptions = {}) {
    this.options = { ...options };
  }

  fit(X: MatrixLike): UMAPModel {
    const o = this.options;
    const data = asMatrix(X);
    const n = data.rows;
    if (n < 3) throw new ValidationError(`invalid X: ${n} samples (UMAP needs at least 3)`);
    const { nNeighbors, metric, localConnectivity, setOpMixRatio } = checkGraphOptions(o, n);
    const nComponents = checkInt(o.nComponents ?? 2, "nComponents", 1);
    const spread = checkNumber(o.spread ?? 1, "spread", { min: 0, minExclusive: true });
    const minDist = checkNumber(o.minDist ?? 0.1, "minDist", { min: 0 });
    if (minDist > spread) throw invalid("minDist", minDist, `must be at most spread (${spread})`);
    const nEpochsOption = o.nEpochs ?? "auto";
    if (nEpochsOption !== "auto") checkInt(nEpochsOption, "nEpochs", 1);
    const learningRate = checkNumber(o.learningRate ?? 1, "learningRate", { min: 0, minExclusive: true });
    const negativeSampleRate = checkNumber(o.negativeSampleRate ?? 5, "negativeSampleRate", { min: 0 });
    const repulsionStrength = checkNumber(o.repulsionStrength ?? 1, "repulsionStrength", { min: 0 });
    const seed = checkNumber(o.seed ?? 0, "seed");
    const logger = o.logger ?? consoleLogger;
    const init = o.init ?? "spectral";
    if (typeof init === "string") checkChoice(init, "init", ["spectral", "random"]);
    let a: number;
    let b: number;
    if (o.a === undefined || o.b === undefined) ({ a, b } = findAbParams(spread, minDist));
    else {
      a = o.a;
      b = o.b;
    }
    checkNumber(a, "a", { min: 0, minExclusive: true });
    checkNumber(b, "b", { min: 0, minExclusive: true });

    const { graph } = buildFuzzyGraph(data, nNeighbors, metric, localConnectivity, setOpMixRatio);
    const defaultEpochs = n <= 10000 ? 500 : 200;
    const nEpochs = nEpochsOption === "auto" ? defaultEpochs : nEpochsOption;
    const pruned = pruneGraph(graph, nEpochs > 10 ? nEpochs : defaultEpochs);

    const rng = new Random(seed);
    let E: Float64Array;
    if (init === "spectral") {
      E = spectralLayout(data, pruned, nComponents, metric, rng, seed, logger);
      noisyScale(E, rng);
    } else if (init === "random") {
      E = new Float64Array(n * nComponents);
      for (let t = 0; t < E.length; t++) E[t] = -10 + 20 * rng.float();
    } else {
      const m = asMatrix(init, { name: "init" });
      if (m.rows !== n || m.cols !== nComponents) {
        throw new ValidationError(
          `invalid init: ${m.rows} x ${m.cols} matrix, expected nSamples x nComponents = ${n} x ${nComponents}`,
        );
      }
      E = explicitInit(m, rng);
    }
    rescaleColumns(E, n, nComponents);

    const { head, tail, weights } = edges(pruned);
    const view: Matrix = { rows: n, cols: nComponents, data: E };
    const onEpoch = o.onEpoch;
    optimizeLayout({
      head: E,
      tail: E,
      dim: nComponents,
      edgeHead: head,
      edgeTail: tail,
      epochsPerSample: epochsPerSample(weights, nEpochs),
      nEpochs,
      nVertices: n,
      a,
      b,
      gamma: repulsionStrength,
      initialAlpha: learningRate,
      negativeSampleRate,
      moveOther: true,
      rng,
      onEpoch: onEpoch ? (epoch) => onEpoch({ epoch, nEpochs, embedding: view }) !== false : undefined,
    });
    return new UMAPModel({
      embedding: view,
      data,
      nNeighbors,
      metric,
      a,
      b,
      nEpochs,
      nEpochsOption,
      learningRate,
      negativeSampleRate,
      repulsionStrength,
      localConnectivity,
      seed,
    });
  }
}

/** The graph without entries below `max / nEpochs` (umap-learn drops edges too weak to be sampled). */
function pruneGraph(graph: CsrMatrix, nEpochs: number): CsrMatrix {
  let max = 0;
  for (let c = 0; c < graph.data.length; c++) if (graph.data[c] > max) max = graph.data[c];
  const threshold = max / nEpochs;
  const n = graph.rows;
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) {
      if (graph.data[p] < threshold) continue;
      indices.push(graph.indices[p]);
      data.push(graph.data[p]);
    }
    indptr[i + 1] = indices.length;
  }
  return { rows: n, cols: graph.cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** The entries of a CSR graph as edge lists in row-major order. */
function edges(graph: CsrMatrix): { head: Int32Array; tail: Int32Array; weights: Float64Array } {
  const m = graph.data.length;
  const head = new Int32Array(m);
  for (let i = 0; i < graph.rows; i++) head.fill(i, graph.indptr[i], graph.indptr[i + 1]);
  return { head, tail: graph.indices.slice(), weights: graph.data.slice() };
}

/**
 * A fitted UMAP embedding. `transform` places new points as umap-learn does: memberships to their
 * `nNeighbors` nearest training points (with `localConnectivity - 1`), the initial position at the
 * membership-weighted mean of those points' embeddings (or exactly on a training point at distance 0),
 * then a short optimisation (100 epochs for up to 10000 new points, else 30; `floor(nEpochs / 3)`
 * when `nEpochs` was set) at a quarter of the learning rate, the training embedding held fixed.
 * Deterministic (seeded by the fit's `seed`). `toJSON` includes the training data, which `transform`
 * needs; the fuzzy graph is not kept (recompute it with `fuzzySimplicialSet`).
 */
export class UMAPModel implements TransformerModel {
  /** The embedding of the training data, nSamples x nComponents. */
  readonly embedding: Matrix;
  /** Number of input features seen in fit. */
  readonly nFeaturesIn: number;
  /** The curve parameters used. */
  readonly a: number;
  readonly b: number;
  /** Epochs run in fit (resolved from `"auto"`). */
  readonly nEpochs: number;
  readonly nNeighbors: number;
  readonly metric: NeighborMetric;
  private readonly params: UMAPModelParams;

  constructor(params: UMAPModelParams) {
    this.params = params;
    this.embedding = params.embedding;
    this.nFeaturesIn = params.data.cols;
    this.a = params.a;
    this.b = params.b;
    this.nEpochs = params.nEpochs;
    this.nNeighbors = params.nNeighbors;
    this.metric = params.metric;
    Object.freeze(this);
  }

  /** Embeds new rows (`m x nFeaturesIn`) into the fitted space; returns `m x nComponents`. */
  transform(X: MatrixLike): Matrix {
    const p = this.params;
    const query = asMatrix(X, { cols: this.nFeaturesIn });
    const m = query.rows;
    const k = p.nNeighbors;
    const dim = this.embedding.cols;
    const knn = kNeighbors(p.data, k, {
      metric: p.metric,
      query,
      algorithm: manifoldNeighborAlgorithm(p.metric, p.data.cols),
    });
    const { sigmas, rhos } = smoothKnnDist(knn.distances, m, k, Math.max(0, p.localConnectivity - 1));
    const w = membershipStrengths(knn.indices, knn.distances, m, k, sigmas, rhos, true);
    // Initial positions (umap-learn's init_graph_transform), neighbours nearest first.
    const train = this.embedding.data;
    const out = new Float64Array(m * dim);
    for (let i = 0; i < m; i++) {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += w[i * k + t];
      if (sum === 0) {
        out.fill(Number.NaN, i * dim, (i + 1) * dim);
        continue;
      }
      for (let t = 0; t < k; t++) {
        const wt = w[i * k + t];
        if (wt === 0) continue;
        const j = knn.indices[i * k + t];
        if (wt === 1) {
          for (let c = 0; c < dim; c++) out[i * dim + c] = train[j * dim + c];
          break;
        }
        for (let c = 0; c < dim; c++) out[i * dim + c] += (wt / sum) * train[j * dim + c];
      }
    }
    const nEpochs = p.nEpochsOption === "auto" ? (m <= 10000 ? 100 : 30) : Math.floor(p.nEpochsOption / 3);
    if (nEpochs < 1) return { rows: m, cols: dim, data: out };
    // Edges of the bipartite graph (new point -> training point), weak ones dropped.
    let max = 0;
    for (let c = 0; c < w.length; c++) if (w[c] > max) max = w[c];
    const threshold = max / nEpochs;
    const head: number[] = [];
    const tail: number[] = [];
    const weights: number[] = [];
    for (let i = 0; i < m; i++) {
      for (let t = 0; t < k; t++) {
        const wt = w[i * k + t];
        if (wt === 0 || wt < threshold) continue;
        head.push(i);
        tail.push(knn.indices[i * k + t]);
        weights.push(wt);
      }
    }
    optimizeLayout({
      head: out,
      tail: train.slice(),
      dim,
      edgeHead: Int32Array.from(head),
      edgeTail: Int32Array.from(tail),
      epochsPerSample: epochsPerSample(Float64Array.from(weights), nEpochs),
      nEpochs,
      nVertices: p.data.rows,
      a: p.a,
      b: p.b,
      gamma: p.repulsionStrength,
      initialAlpha: p.learningRate / 4,
      negativeSampleRate: p.negativeSampleRate,
      moveOther: false,
      rng: new Random(p.seed),
    });
    return { rows: m, cols: dim, data: out };
  }

  toJSON(): ModelJSON {
    const p = this.params;
    return {
      type: "UMAPModel",
      version: 1,
      rows: p.data.rows,
      nFeaturesIn: p.data.cols,
      nComponents: this.embedding.cols,
      embedding: encodeFloats(this.embedding.data),
      data: encodeFloats(p.data.data),
      nNeighbors: p.nNeighbors,
      metric: p.metric,
      a: p.a,
      b: p.b,
      nEpochs: p.nEpochs,
      nEpochsOption: p.nEpochsOption,
      learningRate: p.learningRate,
      negativeSampleRate: p.negativeSampleRate,
      repulsionStrength: p.repulsionStrength,
      localConnectivity: p.localConnectivity,
      seed: p.seed,
    };
  }

  /** Restores a model from `toJSON()` output (also reachable through `modelFromJSON`). */
  static fromJSON(json: ModelJSON): UMAPModel {
    if (json.type !== "UMAPModel")
      throw new ValidationError(`invalid model JSON: type ${JSON.stringify(json.type)}, expected "UMAPModel"`);
    if (json.version !== 1)
      throw new ValidationError(`invalid model JSON: UMAPModel version ${json.version} (supported: 1)`);
    const int = (key: string, min: number) => {
      const v = json[key];
      if (typeof v !== "number" || !Number.isInteger(v) || v < min)
        throw new ValidationError(`invalid model JSON: ${key} ${v}`);
      return v;
    };
    const num = (key: string) => {
      const v = json[key];
      if (typeof v !== "number") throw new ValidationError(`invalid model JSON: ${key} is not a number`);
      return v;
    };
    const rows = int("rows", 1);
    const d = int("nFeaturesIn", 1);
    const dim = int("nComponents", 1);
    const embedding = decodeFloats(json.embedding, "embedding");
    const data = decodeFloats(json.data, "data");
    if (embedding.length !== rows * dim)
      throw new ValidationError(`invalid model JSON: embedding has ${embedding.length} values, expected ${rows * dim}`);
    if (data.length !== rows * d)
      throw new ValidationError(`invalid model JSON: data has ${data.length} values, expected ${rows * d}`);
    const nEpochsOption = json.nEpochsOption === "auto" ? "auto" : int("nEpochsOption", 1);
    return new UMAPModel({
      embedding: { rows, cols: dim, data: embedding },
      data: { rows, cols: d, data },
      nNeighbors: int("nNeighbors", 2),
      metric: checkNeighborMetric(String(json.metric)),
      a: num("a"),
      b: num("b"),
      nEpochs: int("nEpochs", 1),
      nEpochsOption,
      learningRate: num("learningRate"),
      negativeSampleRate: num("negativeSampleRate"),
      repulsionStrength: num("repulsionStrength"),
      localConnectivity: num("localConnectivity"),
      seed: num("seed"),
    });
  }
}

registerModel("UMAPModel", UMAPModel.fromJSON);
