import { describe, expect, it } from "vitest";
import { type AnalysisSpec, SpecError, validateSpec } from "../../src/index.js";

const base = { version: 1, data: { path: "examples/data/iris.csv" }, algorithm: { name: "kmeans" } };

function message(value: unknown): string {
  try {
    validateSpec(value);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    const text = (error as Error).message;
    expect(text).not.toContain("\n");
    return text;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

const withPre = (preprocessing: unknown) => ({ ...base, preprocessing });
const withAlgo = (algorithm: unknown) => ({ ...base, algorithm });

describe("validateSpec", () => {
  it("returns the input, typed, without filling defaults", () => {
    const spec = structuredClone(base);
    expect(validateSpec(spec)).toBe(spec);
    expect(spec).toEqual(base);
    const full: AnalysisSpec = {
      version: 1,
      data: { dataset: "d1" },
      algorithm: { name: "optics", params: { minSamples: 0.05, minClusterSize: 10, maxEps: 2, eps: 1 } },
    };
    expect(validateSpec(full)).toBe(full);
  });

  it("names the field and the value, with the allowed values", () => {
    expect(message(withPre({ scaling: "zscore" }))).toBe(
      'invalid spec: /preprocessing/scaling: "zscore" (must be one of "standard", "minmax", "robust", "maxabs", "none")',
    );
    expect(message(withPre({ imputation: { numeric: "avg" } }))).toBe(
      'invalid spec: /preprocessing/imputation/numeric: "avg" (must be one of "mean", "median", "constant", "drop", "error")',
    );
    expect(message(withAlgo({ name: "kmean" }))).toMatch(
      /^invalid spec: \/algorithm\/name: "kmean" \(must be one of "kmeans", "minibatch-kmeans", .*"kprototypes"\)$/,
    );
    expect(message({ ...base, columns: { roles: { a: "numerical" } } })).toBe(
      'invalid spec: /columns/roles/a: "numerical" (must be one of "numeric", "categorical", "datetime", "text", "identifier", "target", "constant")',
    );
    expect(message(withPre({ pca: "foo" }))).toBe(
      'invalid spec: /preprocessing/pca: "foo" (must be "none" or an object)',
    );
    expect(message(withPre({ outliers: { method: "zscore" } }))).toBe(
      'invalid spec: /preprocessing/outliers/method: "zscore" (must be "iqr")',
    );
  });

  it("refuses unknown fields, naming the allowed ones", () => {
    expect(message(withPre({ scale: "standard" }))).toBe(
      'invalid spec: /preprocessing/scale: "standard" (unknown field; allowed: imputation, encoding, scaling, transform, pca, outliers)',
    );
    expect(message(withAlgo({ name: "kmeans", params: { eps: 0.5 } }))).toBe(
      "invalid spec: /algorithm/params/eps: 0.5 (unknown field; allowed: nClusters, init, nInit, maxIter, tol, algorithm)",
    );
    expect(message({ ...base, extra: 1 })).toMatch(
      /^invalid spec: \/extra: 1 \(unknown field; allowed: version, data, /,
    );
    expect(message(withPre({ pca: { nComponents: 2, varianceRatio: 0.5 } }))).toBe(
      'invalid spec: /preprocessing/pca/varianceRatio: 0.5 (cannot be combined with "nComponents"; allowed: {nComponents} or {varianceRatio})',
    );
  });

  it("checks ranges and integers", () => {
    expect(message(withPre({ pca: { nComponents: 0 } }))).toBe(
      "invalid spec: /preprocessing/pca/nComponents: 0 (must be >= 1)",
    );
    expect(message(withAlgo({ name: "dbscan", params: { eps: -1 } }))).toBe(
      "invalid spec: /algorithm/params/eps: -1 (must be > 0)",
    );
    expect(message(withAlgo({ name: "kmeans", params: { nClusters: 2.5 } }))).toBe(
      "invalid spec: /algorithm/params/nClusters: 2.5 (must be an integer)",
    );
    expect(message(withAlgo({ name: "agglomerative", params: { nClusters: 2.5 } }))).toBe(
      "invalid spec: /algorithm/params/nClusters: 2.5 (must be an integer)",
    );
    expect(message(withAlgo({ name: "affinity-propagation", params: { damping: 1 } }))).toBe(
      "invalid spec: /algorithm/params/damping: 1 (must be < 1)",
    );
    expect(message({ ...base, seed: -1 })).toBe("invalid spec: /seed: -1 (must be >= 0)");
    expect(message({ ...base, seed: "1" })).toBe('invalid spec: /seed: "1" (must be an integer)');
    expect(message({ ...base, split: { testSize: 1.5 } })).toBe("invalid spec: /split/testSize: 1.5 (must be < 1)");
    expect(message({ ...base, columns: { include: ["a", "a"] } })).toBe(
      'invalid spec: /columns/include: ["a","a"] (must not repeat an item (items 0 and 1 are equal))',
    );
    expect(message({ ...base, data: { path: "" } })).toBe('invalid spec: /data/path: "" (must not be empty)');
  });

  it("names missing fields and wrong shapes", () => {
    expect(message({ ...base, data: {} })).toBe('invalid spec: /data: {} (missing field "path" or "dataset")');
    expect(message({ data: base.data, algorithm: base.algorithm })).toMatch(
      /^invalid spec: \/: \{"data":.*\.\.\. \(missing field "version"\)$/,
    );
    expect(message({ ...base, algorithm: {} })).toBe('invalid spec: /algorithm: {} (missing field "name")');
    expect(message({ ...base, version: 2 })).toBe(
      "invalid spec: /version: 2 (unsupported spec version; this clusterlab reads version 1)",
    );
    for (const value of [5, [], null, "spec"]) {
      expect(message(value)).toBe(`invalid spec: /: ${JSON.stringify(value)} (must be an object)`);
    }
  });

  it("checks what the schema cannot express", () => {
    expect(message({ ...base, data: { path: "x.xlsx" } })).toBe(
      'invalid spec: /data/path: "x.xlsx" (cannot tell the format from the extension; set data.format to csv, tsv, parquet, json or ndjson)',
    );
    expect(validateSpec({ ...base, data: { path: "x.xlsx", format: "csv" } })).toBeTruthy();
    expect(message({ ...base, data: { path: "x.parquet", delimiter: ";" } })).toBe(
      'invalid spec: /data/delimiter: ";" (only delimited text files have one; the format is parquet)',
    );
    expect(message({ ...base, columns: { include: ["a", "b"], exclude: ["b"] } })).toBe(
      'invalid spec: /columns/exclude/0: "b" (also listed in columns.include)',
    );
    expect(message({ ...base, columns: { include: ["a", "y"], target: "y" } })).toBe(
      'invalid spec: /columns/include/1: "y" (the target cannot be a feature)',
    );
    expect(message({ ...base, columns: { target: "y", roles: { y: "numeric" } } })).toBe(
      'invalid spec: /columns/roles/y: "numeric" (column "y" is the target; its role must be "target")',
    );
    expect(message({ ...base, columns: { target: "y", roles: { z: "target" } } })).toMatch(
      /only one target column is allowed \(got "z", "y"\)\)$/,
    );
    expect(message(withAlgo({ name: "agglomerative", params: { nClusters: 3, distanceThreshold: 1 } }))).toBe(
      "invalid spec: /algorithm/params/distanceThreshold: 1 (cannot be set together with nClusters; set nClusters to null to cut at a distance)",
    );
    expect(message(withAlgo({ name: "agglomerative", params: { nClusters: null } }))).toBe(
      "invalid spec: /algorithm/params/nClusters: null (null needs a distanceThreshold)",
    );
    expect(message(withAlgo({ name: "agglomerative", params: { metric: "cosine" } }))).toBe(
      'invalid spec: /algorithm/params/metric: "cosine" (ward linkage needs the euclidean metric)',
    );
    expect(message(withAlgo({ name: "optics", params: { minSamples: 2.5 } }))).toBe(
      "invalid spec: /algorithm/params/minSamples: 2.5 (must be an integer >= 2 or a share of the rows in (0, 1))",
    );
    expect(message(withAlgo({ name: "optics", params: { eps: 3, maxEps: 2 } }))).toBe(
      "invalid spec: /algorithm/params/eps: 3 (must be <= maxEps (2))",
    );
  });

  it("escapes JSON pointer segments", () => {
    expect(message({ ...base, columns: { roles: { "a/b": "x" } } })).toMatch(
      /^invalid spec: \/columns\/roles\/a~1b: "x"/,
    );
  });
});
