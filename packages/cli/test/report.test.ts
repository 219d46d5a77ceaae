import { describe, expect, it } from "vitest";
import { type ClusterReport, clusterColumn, clusterSizes, formatClusterReport } from "../src/report.js";

describe("report helpers", () => {
  it("counts cluster sizes", () => {
    expect(clusterSizes(new Int32Array([0, 2, 2, 1, 2, -1]), 4)).toEqual([1, 1, 3, 0]);
  });

  it("puts labels back at their rows, null where rows were dropped", () => {
    const labels = new Int32Array([1, 0]);
    expect(clusterColumn(labels, 2)).toBe(labels);
    expect(clusterColumn(labels, 4, new Int32Array([0, 3]))).toEqual([1, null, null, 0]);
  });

  it("formats a readable report", () => {
    const report: ClusterReport = {
      input: "iris.csv",
      algorithm: "kmeans",
      params: {
        nClusters: 2,
        scale: "standard",
        seed: 0,
        init: null,
        nInit: null,
        maxIter: null,
        tol: null,
        batchSize: null,
      },
      columns: ["a", "b"],
      nSamples: 4,
      nFeatures: 2,
      rowsDropped: 1,
      nClusters: 2,
      clusterSizes: [3, 1],
      converged: true,
      nIter: 2,
      metrics: { silhouette: 0.5, calinskiHarabasz: 12.345, daviesBouldin: null, inertia: 1.5 },
      silhouetteSampleSize: null,
      warnings: ["something"],
      outputs: { out: "o.csv", model: null },
      timings: { loadSeconds: 0.01, fitSeconds: 0.002, metricsSeconds: 0.001, writeSeconds: 0, totalSeconds: 0.02 },
    };
    const text = formatClusterReport(report);
    expect(text).toContain("rows        4 (1 dropped for missing values)");
    expect(text).toContain("algorithm   kmeans (k=2, seed=0)");
    expect(text).toContain("converged   yes (2 iterations)");
    expect(text).toMatch(/0\s+3\s+75\.0%/);
    expect(text).toContain("silhouette          0.5000");
    expect(text).toContain("davies-bouldin      n/a");
    expect(text).toContain("(exact)");
    expect(text).toContain("warning     something");
    expect(text).toContain("wrote       o.csv");
  });
});
