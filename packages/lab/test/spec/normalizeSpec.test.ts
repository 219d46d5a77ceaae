import { describe, expect, it } from "vitest";
import { type AnalysisSpec, normalizeSpec } from "../../src/index.js";

const spec = (over: Partial<AnalysisSpec> = {}): AnalysisSpec => ({
  version: 1,
  data: { path: "a.csv" },
  algorithm: { name: "kmeans" },
  ...over,
});

describe("normalizeSpec", () => {
  it("writes every default out", () => {
    expect(normalizeSpec(spec())).toEqual({
      version: 1,
      data: { path: "a.csv", format: "csv", delimiter: ",", header: true },
      columns: { roles: {}, include: null, exclude: [], target: null },
      preprocessing: {
        imputation: {
          numeric: "mean",
          numericFillValue: 0,
          categorical: "mostFrequent",
          categoricalFillValue: "missing",
        },
        encoding: "onehot",
        scaling: "standard",
        transform: "none",
        pca: "none",
        outliers: "none",
      },
      algorithm: {
        name: "kmeans",
        params: { nClusters: 8, init: "k-means++", nInit: 1, maxIter: 300, tol: 1e-4, algorithm: "lloyd" },
      },
      seed: 0,
      split: "none",
    });
  });

  it("derives the format and delimiter as readTable does", () => {
    const data = (d: AnalysisSpec["data"]) => normalizeSpec(spec({ data: d })).data;
    expect(data({ path: "x.tsv" })).toEqual({ path: "x.tsv", format: "tsv", delimiter: "\t", header: true });
    expect(data({ path: "x.txt" })).toEqual({ path: "x.txt", format: "csv", delimiter: "auto", header: true });
    expect(data({ path: "x.csv.gz", header: false })).toEqual({
      path: "x.csv.gz",
      format: "csv",
      delimiter: ",",
      header: false,
    });
    expect(data({ path: "x.csv", delimiter: "tab" })).toMatchObject({ delimiter: "\t" });
    expect(data({ path: "x.jsonl" })).toEqual({ path: "x.jsonl", format: "ndjson" });
    expect(data({ dataset: "d" })).toEqual({ dataset: "d" });
  });

  it("resolves defaults that depend on other parameters", () => {
    const params = (algorithm: AnalysisSpec["algorithm"]) =>
      normalizeSpec(spec({ algorithm })).algorithm.params as Record<string, unknown>;
    expect(params({ name: "kmeans", params: { init: "random" } }).nInit).toBe(10);
    expect(params({ name: "minibatch-kmeans", params: { init: "random" } }).nInit).toBe(3);
    expect(params({ name: "minibatch-kmeans" }).nInit).toBe(1);
    expect(params({ name: "agglomerative" })).toMatchObject({ nClusters: 2, distanceThreshold: null });
    expect(params({ name: "agglomerative", params: { distanceThreshold: 3 } })).toMatchObject({ nClusters: null });
    expect(normalizeSpec(spec({ seed: 9, split: { testSize: 0.3 } })).split).toEqual({ testSize: 0.3, seed: 9 });
    expect(normalizeSpec(spec({ seed: 9, split: { testSize: 0.3, seed: 1 } })).split).toEqual({
      testSize: 0.3,
      seed: 1,
    });
  });

  it("writes parameters in the documented order whatever the input order", () => {
    const n = normalizeSpec(spec({ algorithm: { name: "dbscan", params: { minSamples: 3, eps: 0.2 } } }));
    expect(Object.keys(n.algorithm.params)).toEqual(["eps", "minSamples", "metric", "algorithm", "leafSize"]);
  });

  it("is pure and idempotent", () => {
    const input = spec({
      columns: { roles: { a: "numeric" }, exclude: ["b"] },
      preprocessing: { pca: { nComponents: 2 }, outliers: { method: "iqr", factor: 3 } },
    });
    const copy = structuredClone(input);
    const once = normalizeSpec(input);
    expect(input).toEqual(copy);
    expect(normalizeSpec(once as AnalysisSpec)).toEqual(once);
    expect(once.preprocessing.outliers).toEqual({ method: "iqr", factor: 3 });
    once.columns.exclude.push("c");
    expect(input.columns!.exclude).toEqual(["b"]);
  });
});
