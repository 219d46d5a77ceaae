import { KMedoidsModel } from "../cluster/kMedoids.js";
import { DBSCANModel } from "../density/dbscan.js";
import { OPTICSModel } from "../density/optics.js";
import { ValidationError } from "../errors.js";
import { HDBSCANModel } from "../hdbscan/hdbscan.js";
import { isMatrix, type Matrix, type MatrixLike } from "../matrix.js";
import { GaussianMixtureModel } from "../mixture/gaussianMixture.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { PipelineModel } from "../preprocessing/pipeline.js";
import { asMatrix } from "../validate.js";

/** Which score `clusterAnomalyScores` gives (see there). */
export type ClusterAnomalyScoreKind =
  | "relativeCenterDistance"
  | "negativeLogLikelihood"
  | "glosh"
  | "coreSampleDistance"
  | "coreDistance";

/** What `clusterAnomalyScores` returns. */
export interface ClusterAnomalyScores {
  kind: ClusterAnomalyScoreKind;
  /** One line saying what the score is. */
  description: string;
  /** One score per row, higher = more anomalous. */
  scores: Float64Array;
  /**
   * The cluster each row is scored against (its nearest centre, most likely mixture component, or
   * its label); -1 for a noise row of a density model.
   */
  clusters: Int32Array;
  /** `relativeCenterDistance`: each cluster's spread (the median distance of its rows to its centre); else null. */
  spreads: Float64Array | null;
}

interface CenterModel {
  clusterCenters?: unknown;
}

/** Median of the values in `v` (sorted in place). */
function medianInPlace(v: Float64Array): number {
  if (v.length === 0) return Number.NaN;
  v.sort();
  const h = v.length >> 1;
  return v.length % 2 === 1 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/**
 * A per-row anomaly score from a fitted clustering model, comparable across the rows of one model
 * (higher = more anomalous):
 * - models with centres (k-means, mini-batch and bisecting k-means, k-medoids, mean shift, affinity
 *   propagation, agglomerative centroids): `relativeCenterDistance`, the distance of the row to its
 *   nearest centre divided by that cluster's spread, the median distance to the centre of the rows
 *   (of `X`) nearest to it. 1 = as far out as the cluster's median row. A tight cluster's outlier
 *   thus outranks a point at the same distance from a loose cluster. A cluster whose spread is 0
 *   (a single row, or identical rows) uses the median distance over all rows instead. Euclidean;
 *   k-medoids uses its own metric. A cluster formed by outliers alone hides them (their distance to
 *   their own centre is small): choose k so that outliers do not get a cluster of their own.
 * - Gaussian mixtures: `negativeLogLikelihood`, minus the log density of the row under the mixture.
 * - HDBSCAN: `glosh`, the GLOSH outlier score in [0, 1] (Campello et al. 2015); training rows only.
 * - DBSCAN: `coreSampleDistance`, the distance to the nearest core sample divided by eps: 0 for a
 *   core sample, in (0, 1] for a border row, above 1 exactly for the noise rows (`score > 1` is
 *   DBSCAN's own noise flag), and graded beyond: the further from any dense region, the higher.
 * - OPTICS: `coreDistance`, the distance to the row's minSamples-th nearest neighbour (itself
 *   included), a k-nearest-neighbour outlier score; training rows only. A row whose core distance
 *   exceeds maxEps (infinite) scores maxEps.
 * A `PipelineModel` is unwrapped: `X` goes through its transformers and the final model scores it.
 * For the centre and DBSCAN scores `X` may be any rows; the spreads are computed from those rows,
 * so pass the training rows (or a sample like them). Other models (spectral, Birch, k-modes,
 * k-prototypes) have no score: an error.
 */
export function clusterAnomalyScores(model: object, X: MatrixLike): ClusterAnomalyScores {
  let final: object = model;
  let m: Matrix;
  if (model instanceof PipelineModel) {
    if (!model.hasClusterer) throw new ValidationError("invalid model: the pipeline does not end in a clusterer");
    m = model.transform(X);
    final = model.finalModel;
  } else {
    m = asMatrix(X);
  }
  if (final instanceof GaussianMixtureModel) {
    const logDensity = final.scoreSamples(m);
    return {
      kind: "negativeLogLikelihood",
      description: "minus the log density of the row under the Gaussian mixture",
      scores: Float64Array.from(logDensity, (v) => -v),
      clusters: final.predict(m),
      spreads: null,
    };
  }
  if (final instanceof HDBSCANModel) {
    if (final.outlierScores.length !== m.rows) {
      throw new ValidationError(
        `invalid X: ${m.rows} rows, but GLOSH scores exist for the ${final.outlierScores.length} training rows only`,
      );
    }
    return {
      kind: "glosh",
      description: "GLOSH outlier score in [0, 1] (HDBSCAN)",
      scores: Float64Array.from(final.outlierScores),
      clusters: Int32Array.from(final.labels),
      spreads: null,
    };
  }
  if (final instanceof DBSCANModel) return dbscanScores(final, m);
  if (final instanceof OPTICSModel) {
    if (final.coreDistances.length !== m.rows) {
      throw new ValidationError(
        `invalid X: ${m.rows} rows, but OPTICS core distances exist for the ${final.coreDistances.length} training rows only`,
      );
    }
    return {
      kind: "coreDistance",
      description: `distance to the ${final.minSamples}-th nearest neighbour (OPTICS core distance)`,
      scores: Float64Array.from(final.coreDistances, (d) => (Number.isFinite(d) ? d : final.maxEps)),
      clusters: Int32Array.from(final.labels),
      spreads: null,
    };
  }
  const centers = (final as CenterModel).clusterCenters;
  if (isMatrix(centers) && centers.rows > 0) {
    const metric = final instanceof KMedoidsModel ? final.metric : "euclidean";
    return relativeCenterScores(m, centers, metric, final instanceof KMedoidsModel ? "medoid" : "centre");
  }
  const type =
    typeof (final as { toJSON?: unknown }).toJSON === "function"
      ? String((final as { toJSON(): { type?: unknown } }).toJSON().type)
      : "model";
  throw new ValidationError(
    `invalid model: ${type} has no anomaly score (needs centres, a density, GLOSH scores, core samples or core distances)`,
  );
}

function dbscanScores(model: DBSCANModel, m: Matrix): ClusterAnomalyScores {
  const nCore = model.components.rows;
  if (nCore === 0) {
    throw new ValidationError(
      "invalid model: DBSCAN found no core samples (every row is noise); raise eps or lower minSamples",
    );
  }
  if (m.cols !== model.nFeaturesIn) {
    throw new ValidationError(`invalid X: ${m.cols} features, expected ${model.nFeaturesIn}`);
  }
  const nn = kNeighbors(model.components, 1, { metric: model.metric, query: m });
  const scores = new Float64Array(m.rows);
  const clusters = new Int32Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const d = nn.distances[i];
    scores[i] = d / model.eps;
    clusters[i] = d <= model.eps ? model.labels[model.coreSampleIndices[nn.indices[i]]] : -1;
  }
  return {
    kind: "coreSampleDistance",
    description: `${model.metric} distance to the nearest core sample / eps (> 1: noise)`,
    scores,
    clusters,
    spreads: null,
  };
}

function distance(a: Float64Array, ab: number, b: Float64Array, bb: number, d: number, metric: string): number {
  let s = 0;
  if (metric === "manhattan" || metric === "cityblock") {
    for (let t = 0; t < d; t++) s += Math.abs(a[ab + t] - b[bb + t]);
    return s;
  }
  if (metric === "cosine") {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let t = 0; t < d; t++) {
      dot += a[ab + t] * b[bb + t];
      na += a[ab + t] ** 2;
      nb += b[bb + t] ** 2;
    }
    return na > 0 && nb > 0 ? Math.max(0, 1 - dot / Math.sqrt(na * nb)) : 1;
  }
  for (let t = 0; t < d; t++) s += (a[ab + t] - b[bb + t]) ** 2;
  return metric === "sqeuclidean" ? s : Math.sqrt(s);
}

function relativeCenterScores(X: Matrix, centers: Matrix, metric: string, what: string): ClusterAnomalyScores {
  const { rows, cols, data } = X;
  if (centers.cols !== cols) {
    throw new ValidationError(`invalid X: ${cols} features, expected ${centers.cols} (as the model's centres)`);
  }
  const k = centers.rows;
  const dist = new Float64Array(rows);
  const clusters = new Int32Array(rows);
  const counts = new Int32Array(k);
  for (let i = 0; i < rows; i++) {
    let best = Number.POSITIVE_INFINITY;
    let arg = 0;
    for (let j = 0; j < k; j++) {
      const dj = distance(data, i * cols, centers.data, j * cols, cols, metric);
      if (dj < best) {
        best = dj;
        arg = j;
      }
    }
    dist[i] = best;
    clusters[i] = arg;
    counts[arg]++;
  }
  const pooled = medianInPlace(Float64Array.from(dist));
  const fallback = pooled > 0 ? pooled : 1;
  const spreads = new Float64Array(k);
  const members: Float64Array[] = Array.from(counts, (c) => new Float64Array(c));
  const fill = new Int32Array(k);
  for (let i = 0; i < rows; i++) members[clusters[i]][fill[clusters[i]]++] = dist[i];
  for (let j = 0; j < k; j++) {
    const s = medianInPlace(members[j]);
    spreads[j] = s > 0 ? s : fallback;
  }
  const scores = Float64Array.from(dist, (d, i) => d / spreads[clusters[i]]);
  return {
    kind: "relativeCenterDistance",
    description: `${metric} distance to the nearest ${what} / that cluster's median distance to its ${what}`,
    scores,
    clusters,
    spreads,
  };
}
