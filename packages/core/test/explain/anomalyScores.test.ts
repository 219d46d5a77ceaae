import { describe, expect, it } from "vitest";
import {
  AgglomerativeClustering,
  anomalyScores,
  DBSCAN,
  GaussianMixture,
  HDBSCAN,
  KMeans,
  KMedoids,
  Pipeline,
  SpectralClustering,
  StandardScaler,
  silentLogger,
} from "../../src/index.js";
import { blobs, THREE_BLOBS } from "./helpers.js";

const { X } = blobs(THREE_BLOBS, 30, 1);
// One far-away row, last.
const withOutlier = { rows: X.rows + 1, cols: 2, data: Float64Array.of(...X.data, 40, -40) };
const last = withOutlier.rows - 1;
const argmax = (a: Float64Array) => a.indexOf(Math.max(...a));

describe("anomalyScores", () => {
  it("k-means: Euclidean distance to the nearest centre", () => {
    const model = new KMeans({ nClusters: 3, seed: 0, logger: silentLogger }).fit(withOutlier);
    const a = anomalyScores(model, withOutlier);
    expect(a.kind).toBe("centerDistance");
    const c = model.clusterCenters;
    const d0 = Math.min(
      ...[0, 1, 2].map((j) => Math.hypot(withOutlier.data[0] - c.data[j * 2], withOutlier.data[1] - c.data[j * 2 + 1])),
    );
    expect(a.scores[0]).toBeCloseTo(d0, 12);
    expect(argmax(a.scores)).toBe(last);
    // Works on new rows too.
    expect(anomalyScores(model, [[0, 0]]).scores).toHaveLength(1);
  });

  it("unwraps a pipeline (scores in the scaled space)", () => {
    const model = new Pipeline({
      steps: [
        ["scale", new StandardScaler()],
        ["kmeans", new KMeans({ nClusters: 3, seed: 0, logger: silentLogger })],
      ],
    }).fit(withOutlier);
    const a = anomalyScores(model, withOutlier);
    expect(a.kind).toBe("centerDistance");
    expect(argmax(a.scores)).toBe(last);
  });

  it("gaussian mixture: minus the log density", () => {
    const model = new GaussianMixture({ nComponents: 3, seed: 0 }).fit(withOutlier);
    const a = anomalyScores(model, withOutlier);
    expect(a.kind).toBe("negativeLogLikelihood");
    expect(a.scores[5]).toBeCloseTo(-model.scoreSamples(withOutlier)[5], 12);
    expect(argmax(a.scores)).toBe(last);
  });

  it("hdbscan: GLOSH on the training rows only", () => {
    const model = new HDBSCAN({ minClusterSize: 5 }).fit(withOutlier);
    const a = anomalyScores(model, withOutlier);
    expect(a.kind).toBe("glosh");
    expect(Array.from(a.scores)).toEqual(Array.from(model.outlierScores));
    expect(argmax(a.scores)).toBe(last);
    expect(() => anomalyScores(model, X)).toThrow(/training rows only/);
  });

  it("dbscan: the noise flag", () => {
    const model = new DBSCAN({ eps: 2, minSamples: 4 }).fit(withOutlier);
    const a = anomalyScores(model, withOutlier);
    expect(a.kind).toBe("noise");
    expect(a.scores[last]).toBe(1);
    for (let i = 0; i < withOutlier.rows; i++) expect(a.scores[i]).toBe(model.labels[i] < 0 ? 1 : 0);
  });

  it("k-medoids uses its metric; agglomerative its centroids; others are an error", () => {
    const kmed = new KMedoids({ nClusters: 3, metric: "manhattan", seed: 0 }).fit(withOutlier);
    const a = anomalyScores(kmed, withOutlier);
    expect(a.description).toMatch(/^manhattan distance to the nearest medoid/);
    const m = kmed.clusterCenters;
    const x = withOutlier.data;
    expect(a.scores[last]).toBeCloseTo(
      Math.min(
        ...[0, 1, 2].map((j) => Math.abs(x[last * 2] - m.data[j * 2]) + Math.abs(x[last * 2 + 1] - m.data[j * 2 + 1])),
      ),
      12,
    );
    const agg = new AgglomerativeClustering({ nClusters: 3 }).fit(withOutlier);
    expect(anomalyScores(agg, withOutlier).kind).toBe("centerDistance");
    const spectral = new SpectralClustering({ nClusters: 3, seed: 0 }).fit(X);
    expect(() => anomalyScores(spectral, X)).toThrow(/has no anomaly score/);
  });
});
