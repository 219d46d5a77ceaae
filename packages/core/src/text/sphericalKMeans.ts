import { ValidationError } from "../errors.js";
import type { ClusterModel, ModelJSON } from "../estimator.js";
import { consoleLogger, type Logger } from "../logger.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { Random } from "../random.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { asMatrix, checkInt, checkNumber } from "../validate.js";
import { type CsrMatrix, checkCsrMatrix, csrFromDense, isCsrMatrix } from "./csrMatrix.js";

/** Options for `SphericalKMeans`. */
export interface SphericalKMeansOptions {
  /** Number of clusters k: an integer in [1, number of non-zero rows]. Default 8. */
  nClusters?: number;
  /** Runs from different k-means++ seedings; the run with the highest total similarity is kept. Default 1. */
  nInit?: number;
  /** Maximum iterations per run (an integer >= 1). Default 300. */
  maxIter?: number;
  /**
   * A run stops when no label changes, or when an iteration raises the total cosine similarity by at
   * most `tol` times its value. Default 1e-6.
   */
  tol?: number;
  /** Seed of the k-means++ seeding. Default 0. */
  seed?: number;
  /** Receives warnings (fewer distinct clusters than k). Default `consoleLogger`. */
  logger?: Logger;
}

/**
 * Spherical k-means (Dhillon & Modha 2001): k-means with cosine similarity, for sparse or dense rows
 * such as TF-IDF vectors or LSA embeddings. Every row is scaled to unit L2 norm; a row joins the
 * centre with the largest cosine similarity (ties: lowest index); a centre is the normalised mean of
 * its rows. On unit vectors `||x - c||^2 = 2 (1 - cos(x, c))`, so this is k-means on the L2-normalised
 * rows with the centres kept on the unit sphere. Seeding is greedy k-means++ on the cosine distance
 * `1 - cos` (2 + floor(ln k) candidates per centre); an empty cluster is moved to the row least
 * similar to its centre. All-zero rows (a document without any kept term) take no part and are
 * labelled -1.
 *
 * ```ts
 * const model = new SphericalKMeans({ nClusters: 5, seed: 0 }).fit(tfidf); // CsrMatrix or dense
 * model.labels; model.clusterCenters; model.predict(other);
 * ```
 */
export class SphericalKMeans {
  readonly options: Readonly<SphericalKMeansOptions>;

  constructor(options: SphericalKMeansOptions = {}) {
    this.options = { ...options };
  }

  fit(X: CsrMatrix | MatrixLike): SphericalKMeansModel {
    const o = this.options;
    const raw = isCsrMatrix(X) ? checkCsrMatrix(X) : csrFromDense(asMatrix(X));
    const k = checkInt(o.nClusters ?? 8, "nClusters", 1);
    const nInit = checkInt(o.nInit ?? 1, "nInit", 1);
    const maxIter = checkInt(o.maxIter ?? 300, "maxIter", 1);
    const tol = checkNumber(o.tol ?? 1e-6, "tol", { min: 0 });
    const rng = new Random(checkNumber(o.seed ?? 0, "seed"));
    const logger = o.logger ?? consoleLogger;
    const { unit, active } = normalizedRows(raw);
    if (k > active.length) {
      throw new ValidationError(`invalid nClusters: ${k} (must be <= the number of non-zero rows, ${active.length})`);
    }
    let best: Run | undefined;
    for (let r = 0; r < nInit; r++) {
      const run = runSpherical(unit, active, k, maxIter, tol, rng);
      if (best === undefined || run.objective > best.objective) best = run;
    }
    const b = best as Run;
    const distinct = new Set<number>();
    for (const i of active) distinct.add(b.labels[i]);
    if (distinct.size < k) {
      logger.warn(
        `Number of distinct clusters (${distinct.size}) found smaller than nClusters (${k}). Possibly due to duplicate rows.`,
      );
    }
    return new SphericalKMeansModel({
      labels: b.labels,
      clusterCenters: { rows: k, cols: raw.cols, data: b.centers },
      objective: b.objective,
      nIter: b.nIter,
      converged: b.converged,
    });
  }

  /** `fit(X).labels`. */
  fitPredict(X: CsrMatrix | MatrixLike): Int32Array {
    return this.fit(X).labels;
  }
}

/** Rows scaled to unit norm, and the indices of the non-zero rows. */
function normalizedRows(m: CsrMatrix): { unit: CsrMatrix; active: Int32Array } {
  const data = new Float64Array(m.data.length);
  const active: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) s += m.data[p] * m.data[p];
    if (s === 0) continue;
    active.push(i);
    const inv = 1 / Math.sqrt(s);
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) data[p] = m.data[p] * inv;
  }
  return { unit: { ...m, data }, active: Int32Array.from(active) };
}

interface Run {
  labels: Int32Array;
  centers: Float64Array;
  objective: number;
  nIter: number;
  converged: boolean;
}

/** Cosine similarity of unit row i with every centre (centres transposed: d x k) into `out`. */
function rowSimilarities(x: CsrMatrix, i: number, ct: Float64Array, k: number, out: Float64Array): void {
  out.fill(0);
  for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
    const v = x.data[p];
    const o = x.indices[p] * k;
    for (let j = 0; j < k; j++) out[j] += v * ct[o + j];
  }
}

/** Dot product of unit row i with a dense vector. */
function rowDot(x: CsrMatrix, i: number, dense: Float64Array): number {
  let s = 0;
  for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) s += x.data[p] * dense[x.indices[p]];
  return s;
}

function scatterRow(x: CsrMatrix, i: number, out: Float64Array, offset: number): void {
  for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) out[offset + x.indices[p]] = x.data[p];
}

/** Greedy k-means++ on the cosine distance; returns the chosen row indices. */
function seedCenters(x: CsrMatrix, active: Int32Array, k: number, rng: Random): Int32Array {
  const n = active.length;
  const d = x.cols;
  const chosen = new Int32Array(k);
  chosen[0] = active[rng.int(n)];
  const dense = new Float64Array(d);
  scatterRow(x, chosen[0], dense, 0);
  const closest = new Float64Array(n);
  for (let t = 0; t < n; t++) closest[t] = Math.max(0, 1 - rowDot(x, active[t], dense));
  const trials = 2 + Math.floor(Math.log(k));
  const cumulative = new Float64Array(n);
  const candidateDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let t = 0; t < n; t++) cumulative[t] = total += closest[t];
    let bestPotential = Number.POSITIVE_INFINITY;
    let bestCandidate = -1;
    for (let trial = 0; trial < trials; trial++) {
      let pick: number;
      if (total > 0) {
        const r = rng.float() * total;
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid] > r) hi = mid;
          else lo = mid + 1;
        }
        pick = lo;
      } else {
        pick = rng.int(n);
      }
      dense.fill(0);
      scatterRow(x, active[pick], dense, 0);
      let potential = 0;
      for (let t = 0; t < n; t++) {
        const dist = Math.min(closest[t], Math.max(0, 1 - rowDot(x, active[t], dense)));
        candidateDist[t] = dist;
        potential += dist;
      }
      if (potential < bestPotential) {
        bestPotential = potential;
        bestCandidate = pick;
        bestDist.set(candidateDist);
      }
    }
    chosen[c] = active[bestCandidate];
    closest.set(bestDist);
  }
  return chosen;
}

function runSpherical(x: CsrMatrix, active: Int32Array, k: number, maxIter: number, tol: number, rng: Random): Run {
  const d = x.cols;
  const n = active.length;
  const centers = new Float64Array(k * d);
  const seeds = seedCenters(x, active, k, rng);
  for (let j = 0; j < k; j++) scatterRow(x, seeds[j], centers, j * d);
  const ct = new Float64Array(d * k);
  const labels = new Int32Array(x.rows).fill(-1);
  const bestSim = new Float64Array(n);
  const sims = new Float64Array(k);
  const counts = new Int32Array(k);

  const assign = (): { changed: number; objective: number } => {
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) ct[t * k + j] = centers[j * d + t];
    let changed = 0;
    let objective = 0;
    for (let t = 0; t < n; t++) {
      const i = active[t];
      rowSimilarities(x, i, ct, k, sims);
      let b = 0;
      for (let j = 1; j < k; j++) if (sims[j] > sims[b]) b = j;
      if (labels[i] !== b) changed++;
      labels[i] = b;
      bestSim[t] = sims[b];
      objective += sims[b];
    }
    return { changed, objective };
  };

  const update = (): void => {
    centers.fill(0);
    counts.fill(0);
    for (let t = 0; t < n; t++) {
      const i = active[t];
      const o = labels[i] * d;
      counts[labels[i]]++;
      for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) centers[o + x.indices[p]] += x.data[p];
    }
    // Empty clusters take the rows least similar to their centre (each row used once).
    const empty: number[] = [];
    for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
    if (empty.length > 0) {
      const order = Array.from({ length: n }, (_, t) => t).sort((a, b) => bestSim[a] - bestSim[b] || a - b);
      let next = 0;
      for (const j of empty) {
        while (next < n && counts[labels[active[order[next]]]] <= 1) next++;
        if (next >= n) break;
        const t = order[next++];
        const i = active[t];
        const from = labels[i];
        counts[from]--;
        for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) centers[from * d + x.indices[p]] -= x.data[p];
        labels[i] = j;
        counts[j] = 1;
        scatterRow(x, i, centers, j * d);
      }
    }
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += centers[j * d + t] * centers[j * d + t];
      if (s > 0) {
        const inv = 1 / Math.sqrt(s);
        for (let t = 0; t < d; t++) centers[j * d + t] *= inv;
      }
    }
  };

  let objective = Number.NEGATIVE_INFINITY;
  let nIter = 0;
  let converged = false;
  for (let it = 1; it <= maxIter; it++) {
    nIter = it;
    const previous = objective;
    const res = assign();
    objective = res.objective;
    if (it > 1 && res.changed === 0) {
      converged = true;
      break;
    }
    update();
    if (it > 1 && objective - previous <= tol * Math.abs(objective)) {
      converged = true;
      objective = assign().objective;
      break;
    }
    if (it === maxIter) objective = assign().objective;
  }
  return { labels, centers, objective, nIter, converged };
}

/** The fields of a fitted `SphericalKMeansModel`. */
export interface SphericalKMeansModelFields {
  /** Cluster of each training row (-1 for an all-zero row). */
  labels: Int32Array;
  /** The k unit-norm centres (k x d). */
  clusterCenters: Matrix;
  /** Sum over the training rows of the cosine similarity to their centre. */
  objective: number;
  nIter: number;
  converged: boolean;
}

/** A fitted spherical k-means model. Immutable. */
export class SphericalKMeansModel implements ClusterModel {
  readonly labels: Int32Array;
  readonly clusterCenters: Matrix;
  /** Sum over the training rows of the cosine similarity to their centre (higher is better). */
  readonly objective: number;
  /** Sum over the training rows of the cosine distance `1 - cos` to their centre. */
  readonly inertia: number;
  readonly nIter: number;
  readonly converged: boolean;
  readonly nClusters: number;
  readonly nFeaturesIn: number;

  constructor(fields: SphericalKMeansModelFields) {
    this.labels = fields.labels;
    this.clusterCenters = fields.clusterCenters;
    this.objective = fields.objective;
    let active = 0;
    for (const l of fields.labels) if (l >= 0) active++;
    this.inertia = active - fields.objective;
    this.nIter = fields.nIter;
    this.converged = fields.converged;
    this.nClusters = fields.clusterCenters.rows;
    this.nFeaturesIn = fields.clusterCenters.cols;
  }

  /** Cosine similarity of every row of X with every centre (n x k; 0 for an all-zero row). */
  similarity(X: CsrMatrix | MatrixLike): Matrix {
    const raw = isCsrMatrix(X) ? checkCsrMatrix(X) : csrFromDense(asMatrix(X, { cols: this.nFeaturesIn }));
    if (raw.cols !== this.nFeaturesIn)
      throw new ValidationError(`invalid X: ${raw.cols} features, expected ${this.nFeaturesIn} (as seen in fit)`);
    const { unit } = normalizedRows(raw);
    const k = this.nClusters;
    const d = this.nFeaturesIn;
    const ct = new Float64Array(d * k);
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) ct[t * k + j] = this.clusterCenters.data[j * d + t];
    const out = new Float64Array(unit.rows * k);
    const sims = new Float64Array(k);
    for (let i = 0; i < unit.rows; i++) {
      rowSimilarities(unit, i, ct, k, sims);
      out.set(sims, i * k);
    }
    return { rows: unit.rows, cols: k, data: out };
  }

  /** The most similar centre of each row (ties: lowest index); -1 for an all-zero row. */
  predict(X: CsrMatrix | MatrixLike): Int32Array {
    const raw = isCsrMatrix(X) ? X : asMatrix(X, { cols: this.nFeaturesIn });
    const s = this.similarity(raw);
    const k = this.nClusters;
    const labels = new Int32Array(s.rows);
    for (let i = 0; i < s.rows; i++) {
      const empty = isCsrMatrix(raw) ? raw.indptr[i + 1] === raw.indptr[i] : isZeroRow(raw, i);
      if (empty) {
        labels[i] = -1;
        continue;
      }
      let b = 0;
      for (let j = 1; j < k; j++) if (s.data[i * k + j] > s.data[i * k + b]) b = j;
      labels[i] = b;
    }
    return labels;
  }

  toJSON(): ModelJSON {
    return {
      type: "SphericalKMeansModel",
      version: 1,
      nClusters: this.nClusters,
      nFeaturesIn: this.nFeaturesIn,
      clusterCenters: encodeFloats(this.clusterCenters.data),
      labels: Array.from(this.labels),
      objective: this.objective,
      nIter: this.nIter,
      converged: this.converged,
    };
  }

  static fromJSON(json: ModelJSON): SphericalKMeansModel {
    if (json?.type !== "SphericalKMeansModel" || json.version !== 1) {
      throw new ValidationError(`invalid model JSON: type ${JSON.stringify(json?.type)} version ${json?.version}`);
    }
    const k = checkInt(json.nClusters as number, "model JSON nClusters", 1);
    const d = checkInt(json.nFeaturesIn as number, "model JSON nFeaturesIn", 1);
    const data = decodeFloats(json.clusterCenters, "clusterCenters");
    if (data.length !== k * d) {
      throw new ValidationError(`invalid model JSON: clusterCenters has ${data.length} values, expected ${k * d}`);
    }
    return new SphericalKMeansModel({
      labels: Int32Array.from(decodeFloats(json.labels ?? [], "labels")),
      clusterCenters: { rows: k, cols: d, data },
      objective: checkNumber(json.objective as number, "model JSON objective"),
      nIter: checkInt(json.nIter as number, "model JSON nIter", 0),
      converged: json.converged === true,
    });
  }
}

function isZeroRow(m: Matrix, i: number): boolean {
  for (let j = 0; j < m.cols; j++) if (m.data[i * m.cols + j] !== 0) return false;
  return true;
}

registerModel("SphericalKMeansModel", (json) => SphericalKMeansModel.fromJSON(json));
