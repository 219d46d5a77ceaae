import { describe, expect, it } from "vitest";
import {
  type ClusterReport,
  clusterColumn,
  clusterSizes,
  countNoise,
  formatClusterReport,
  formatPredictReport,
  type PredictReport,
} from "../src/report.js";

const base: ClusterReport = {
  input: "iris.csv",
  algorithm: "kmeans",
  params: { scale: "standard", seed: 0, nClusters: 2 },
  columns: ["a", "b"],
  categoricalColumns: [],
  nSamples: 4,
  nFeatures: 2,
  rowsDropped: 1,
  nClusters: 2,
  clusterSizes: [3, 1],
  nNoise: 0,
  converged: true,
  nIter: 2,
  metrics: { silhouette: 0.5, calinskiHarabasz: 12.345, daviesBouldin: null, inertia: 1.5 },
  metricsOn: "all points",
  silhouetteDistance: "euclidean",
  silhouetteSampleSize: null,
  predict: { native: true, rule: "nearest centre" },
  warnings: ["something"],
  outputs: { out: "o.csv", model: null },
  timings: { loadSeconds: 0.01, fitSeconds: 0.002, metricsSeconds: 0.001, writeSeconds: 0, totalSeconds: 0.02 },
};

describe("report helpers", () => {
  it("counts cluster sizes and noise", () => {
    expect(clusterSizes(new Int32Array([0, 2, 2, 1, 2, -1]), 4)).toEqual([1, 1, 3, 0]);
    expect(countNoise(new Int32Array([0, -1, 2, -1]))).toBe(2);
  });

  it("puts labels back at their rows, null where rows were dropped", () => {
    const labels = new Int32Array([1, 0]);
    expect(clusterColumn(labels, 2)).toBe(labels);
    expect(clusterColumn(labels, 4, new Int32Array([0, 3]))).toEqual([1, null, null, 0]);
  });

  it("formats a readable report", () => {
    const text = formatClusterReport(base);
    expect(text).toContain("rows        4 (1 dropped for missing values)");
    expect(text).toContain("algorithm   kmeans (k=2, seed=0)");
    expect(text).toContain("converged   yes (2 iterations)");
    expect(text).toMatch(/0\s+3\s+75\.0%/);
    expect(text).not.toContain("noise");
    expect(text).toContain("silhouette          0.5000");
    expect(text).toContain("davies-bouldin      n/a");
    expect(text).toContain("inertia             1.500");
    expect(text).not.toContain("bic");
    expect(text).toContain("(exact; euclidean)");
    expect(text).toContain("predict     nearest centre (native)");
    expect(text).toContain("warning     something");
    expect(text).toContain("wrote       o.csv");
  });

  it("shows noise as its own row, says the metrics skip it, and prints the model's extra metrics", () => {
    const text = formatClusterReport({
      ...base,
      algorithm: "dbscan",
      params: { scale: "standard", seed: 0, eps: 0.3, minSamples: 4 },
      nSamples: 10,
      clusterSizes: [4, 3],
      nNoise: 3,
      converged: null,
      nIter: null,
      metrics: { silhouette: 0.6, calinskiHarabasz: 40, daviesBouldin: 0.4 },
      metricsOn: "non-noise points",
      predict: { native: false, rule: "cluster of the nearest core row within eps, else noise" },
    });
    expect(text).toContain("algorithm   dbscan (eps=0.3, min-samples=4)");
    expect(text).toMatch(/noise\s+3\s+30\.0%/);
    expect(text).toContain("metrics (on the 7 non-noise points, standard-scaled features)");
    expect(text).not.toContain("inertia");
    expect(text).toContain("a Clusterlab convention");
    expect(text).toContain("-1 = noise");
    const gmm = formatClusterReport({
      ...base,
      algorithm: "gmm",
      params: { scale: "none", seed: 0, nComponents: 2, covarianceType: "diag" },
      metrics: { silhouette: 0.5, calinskiHarabasz: 1, daviesBouldin: 1, bic: 123.4, aic: 100.5 },
    });
    expect(gmm).toContain("algorithm   gmm (k=2, covariance-type=diag, seed=0)");
    expect(gmm).toMatch(/bic\s+123\.40/);
    expect(gmm).toMatch(/aic\s+100\.50/);
    const meanshift = formatClusterReport({
      ...base,
      algorithm: "meanshift",
      params: { scale: "standard", seed: 0, binSeeding: true, clusterAll: false },
    });
    expect(meanshift).toContain("algorithm   meanshift (bin-seeding, no-cluster-all, seed=0)");
  });

  it("lists categorical columns apart and says the numeric-only metrics do not apply", () => {
    const text = formatClusterReport({
      ...base,
      algorithm: "kprototypes",
      params: { scale: "standard", seed: 0, nClusters: 2 },
      columns: ["x", "colour"],
      categoricalColumns: ["colour"],
      metrics: { silhouette: 0.4, calinskiHarabasz: null, daviesBouldin: null, cost: 12 },
      silhouetteDistance: "squared euclidean + 0.5 x differing categories",
    });
    expect(text).toContain("numeric     1: x");
    expect(text).toContain("categorical 1: colour");
    expect(text).toContain("n/a for categorical features");
    expect(text).toMatch(/cost\s+12\.000/);
  });

  it("formats a predict report with its rule and noise", () => {
    const report: PredictReport = {
      input: "new.csv",
      model: "m.json",
      algorithm: "dbscan",
      columns: ["a", "b"],
      nSamples: 5,
      rowsDropped: 0,
      nClusters: 2,
      clusterSizes: [2, 2],
      nNoise: 1,
      predict: { native: false, rule: "cluster of the nearest core row within eps, else noise" },
      outputs: { out: null },
      timings: { loadSeconds: 0, predictSeconds: 0, totalSeconds: 0 },
    };
    const text = formatPredictReport(report);
    expect(text).toMatch(/noise\s+1\s+20\.0%/);
    expect(text).toContain(
      "predict     cluster of the nearest core row within eps, else noise (a Clusterlab convention",
    );
  });
});
