import { ValidationError } from "../errors.js";
import { isMatrix, type Matrix, type MatrixLike } from "../matrix.js";
import { PipelineModel } from "../preprocessing/pipeline.js";
import { asMatrix } from "../validate.js";

/** Which score `anomalyScores` gives (see there). */
export type AnomalyScoreKind = "centerDistance" | "negativeLogLikelihood" | "glosh" | "noise";

/** What `anomalyScores` returns: one score per row, higher = more anomalous. */
export interface AnomalyScores {
  kind: AnomalyScoreKind;
  /** One line saying what the score is. */
  description: string;
  scores: Float64Array;
}

interface AnyModel {
  clusterCenters?: unknown;
  scoreSamples?: unknown;
  outlierScores?: unknown;
  labels?: unknown;
  metric?: unknown;
  predict?: unknown;
  toJSON?: () => { type?: unknown };
}

const NOISE_MODELS = new Set(["DBSCANModel", "OPTICSModel"]);

/**
 * A per-row anomaly score from a fitted model, whichever it has (higher = more anomalous):
 * - Gaussian mixtures (`scoreSamples`): `negativeLogLikelihood`, minus the log density of the row;
 * - HDBSCAN (`outlierScores`): `glosh`, the GLOSH outlier score in [0, 1] (Campello et al. 2015). It
 *   exists for the training rows only, so `X` must be the training data (same number of rows);
 * - models with centres (`clusterCenters`: k-means, mini-batch and bisecting k-means, k-medoids,
 *   mean shift, affinity propagation, agglomerative centroids): `centerDistance`, the distance to
 *   the nearest centre (Euclidean; k-medoids uses its own metric);
 * - DBSCAN and OPTICS: `noise`, 1 when `predict` puts the row in no
 *   cluster (noise, -1), else 0.
 * A `PipelineModel` is unwrapped: `X` goes through its transformers and the final model scores it.
 * Any other model is an error.
 */
export function anomalyScores(model: object, X: MatrixLike): AnomalyScores {
  let final = model as AnyModel;
  let m: Matrix;
  if (model instanceof PipelineModel) {
    if (!model.hasClusterer) throw new ValidationError("invalid model: the pipeline does not end in a clusterer");
    m = model.transform(X);
    final = model.finalModel as unknown as AnyModel;
  } else {
    m = asMatrix(X);
  }
  const type = typeof final.toJSON === "function" ? String(final.toJSON().type) : "model";
  if (typeof final.scoreSamples === "function") {
    const logDensity = (final.scoreSamples as (X: Matrix) => Float64Array).call(final, m);
    return {
      kind: "negativeLogLikelihood",
      description: "minus the log density of the row under the mixture",
      scores: Float64Array.from(logDensity, (v) => -v),
    };
  }
  if (final.outlierScores instanceof Float64Array) {
    if (final.outlierScores.length !== m.rows) {
      throw new ValidationError(
        `invalid X: ${m.rows} rows, but GLOSH scores exist for the ${final.outlierScores.length} training rows only`,
      );
    }
    return {
      kind: "glosh",
      description: "GLOSH outlier score in [0, 1] (HDBSCAN)",
      scores: Float64Array.from(final.outlierScores),
    };
  }
  if (isMatrix(final.clusterCenters) && final.clusterCenters.rows > 0) {
    const metric = type === "KMedoidsModel" && typeof final.metric === "string" ? final.metric : "euclidean";
    return {
      kind: "centerDistance",
      description: `${metric} distance to the nearest ${type === "KMedoidsModel" ? "medoid" : "cluster centre"}`,
      scores: nearestCenterDistance(m, final.clusterCenters, metric),
    };
  }
  if (NOISE_MODELS.has(type) && typeof final.predict === "function") {
    const labels = (final.predict as (X: Matrix) => ArrayLike<number>).call(final, m);
    return {
      kind: "noise",
      description: "1 for a noise row (in no cluster), else 0",
      scores: Float64Array.from(labels, (l) => (l < 0 ? 1 : 0)),
    };
  }
  throw new ValidationError(
    `invalid model: ${type} has no anomaly score (needs centres, a density, GLOSH scores or noise labels)`,
  );
}

function nearestCenterDistance(X: Matrix, centers: Matrix, metric: string): Float64Array {
  const { rows, cols, data } = X;
  if (centers.cols !== cols) {
    throw new ValidationError(`invalid X: ${cols} features, expected ${centers.cols} (as the model's centres)`);
  }
  const c = centers.data;
  const k = centers.rows;
  const out = new Float64Array(rows);
  const cosine = metric === "cosine";
  const norms = new Float64Array(k);
  if (cosine) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < cols; t++) s += c[j * cols + t] ** 2;
      norms[j] = Math.sqrt(s);
    }
  }
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let best = Number.POSITIVE_INFINITY;
    let xNorm = 0;
    if (cosine) {
      for (let t = 0; t < cols; t++) xNorm += data[base + t] ** 2;
      xNorm = Math.sqrt(xNorm);
    }
    for (let j = 0; j < k; j++) {
      const cb = j * cols;
      let dist = 0;
      if (metric === "manhattan" || metric === "cityblock") {
        for (let t = 0; t < cols; t++) dist += Math.abs(data[base + t] - c[cb + t]);
      } else if (cosine) {
        let dot = 0;
        for (let t = 0; t < cols; t++) dot += data[base + t] * c[cb + t];
        dist = xNorm > 0 && norms[j] > 0 ? Math.max(0, 1 - dot / (xNorm * norms[j])) : 1;
      } else {
        for (let t = 0; t < cols; t++) dist += (data[base + t] - c[cb + t]) ** 2;
        if (metric !== "sqeuclidean") dist = Math.sqrt(dist);
      }
      if (dist < best) best = dist;
    }
    out[i] = best;
  }
  return out;
}
