import { describe, expect, it } from "vitest";
import {
  type ClusterFlags,
  clusterFeatureColumns,
  DataError,
  inferSchema,
  readTable,
  SpecError,
  specFromClusterFlags,
  validateSpec,
} from "../../src/index.js";

// The defaults of `clusterlab cluster <file>` (see packages/cli/src/args.ts).
const defaults: ClusterFlags = {
  file: "examples/data/iris.csv",
  header: true,
  dropMissing: false,
  exclude: [],
  scale: "standard",
  algo: "kmeans",
  k: 8,
  seed: 0,
};

describe("specFromClusterFlags", () => {
  it("maps the default command line to a valid, normalised spec", () => {
    const spec = specFromClusterFlags(defaults);
    expect(validateSpec(spec)).toBe(spec);
    expect(spec).toMatchObject({
      data: { path: "examples/data/iris.csv", format: "csv", delimiter: ",", header: true },
      columns: { roles: {}, include: null, exclude: [], target: null },
      preprocessing: {
        imputation: { numeric: "error", categorical: "error" },
        encoding: "none",
        scaling: "standard",
        pca: "none",
      },
      algorithm: { name: "kmeans", params: { nClusters: 8, init: "k-means++", nInit: 1, maxIter: 300, tol: 1e-4 } },
      seed: 0,
      split: "none",
    });
  });

  it("maps every analysis flag", () => {
    const spec = specFromClusterFlags({
      ...defaults,
      file: "d.txt",
      format: "tsv",
      delimiter: ";",
      header: false,
      dropMissing: true,
      columns: ["a", "b"],
      exclude: ["id"],
      scale: "robust",
      algo: "minibatch-kmeans",
      k: 5,
      seed: 42,
      nInit: 3,
      maxIter: 50,
      tol: 1e-3,
      init: "random",
      batchSize: 256,
    });
    expect(spec.data).toEqual({ path: "d.txt", format: "tsv", delimiter: ";", header: false });
    expect(spec.columns).toEqual({
      roles: { a: "numeric", b: "numeric" },
      include: ["a", "b"],
      exclude: ["id"],
      target: null,
    });
    expect(spec.preprocessing.imputation).toMatchObject({ numeric: "drop", categorical: "drop" });
    expect(spec.preprocessing.scaling).toBe("robust");
    expect(spec.algorithm).toEqual({
      name: "minibatch-kmeans",
      params: {
        nClusters: 5,
        init: "random",
        nInit: 3,
        maxIter: 50,
        batchSize: 256,
        tol: 1e-3,
        maxNoImprovement: 10,
        initSize: null,
        reassignmentRatio: 0.01,
      },
    });
    expect(spec.seed).toBe(42);
  });

  it("lists the table's numeric columns as the features when they are known", () => {
    const spec = specFromClusterFlags(
      { ...defaults, exclude: ["target"] },
      { numericColumns: ["sepal_length_cm", "petal_length_cm", "target"] },
    );
    expect(spec.columns).toMatchObject({
      include: ["sepal_length_cm", "petal_length_cm"],
      roles: { sepal_length_cm: "numeric", petal_length_cm: "numeric" },
      exclude: ["target"],
    });
  });

  it("maps --k and the other algorithm options by core name", () => {
    const dbscan = specFromClusterFlags({ ...defaults, algo: "dbscan", k: null, options: { eps: 0.3, minSamples: 4 } });
    expect(dbscan.algorithm).toEqual({
      name: "dbscan",
      params: { eps: 0.3, minSamples: 4, metric: "euclidean", algorithm: "auto", leafSize: 32 },
    });
    const gmm = specFromClusterFlags({ ...defaults, algo: "gmm", k: 3, options: { covarianceType: "diag" } });
    expect(gmm.algorithm.params).toMatchObject({ nComponents: 3, covarianceType: "diag" });
    const kproto = specFromClusterFlags(
      { ...defaults, algo: "kprototypes", k: 4, options: { categorical: ["sex", "day"], gamma: 0.5 } },
      { numericColumns: ["tip"] },
    );
    expect(kproto.columns).toMatchObject({ roles: { sex: "categorical", day: "categorical" }, include: null });
    expect(kproto.algorithm.params).toMatchObject({ nClusters: 4, gamma: 0.5 });
    expect(kproto.preprocessing.encoding).toBe("none");
  });

  it("refuses what a spec cannot hold", () => {
    expect(() => specFromClusterFlags({ ...defaults, file: "data.xlsx" })).toThrow(SpecError);
    expect(() => specFromClusterFlags({ ...defaults, algo: "dbscan", k: null, options: { bogus: 1 } })).toThrow(
      "invalid spec: /algorithm/params/bogus: 1 (unknown field; allowed: eps, minSamples, metric, algorithm, leafSize)",
    );
  });
});

describe("clusterFeatureColumns: the columns of `clusterlab cluster`, decided by the spec's column roles", () => {
  const penguins = "examples/data/penguins.csv";
  const flags = (algo: string, more: Partial<ClusterFlags> = {}) => ({ algo, exclude: [], ...more });

  it("kprototypes: small integer codes (penguins' year) are categorical, as inferSchema says", async () => {
    const table = await readTable(penguins);
    expect(inferSchema(table).columns.find((c) => c.name === "year")?.role).toBe("categorical");
    expect(clusterFeatureColumns(table, flags("kprototypes"))).toEqual({
      numeric: ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"],
      categorical: ["species", "island", "sex", "year"],
    });
    // --categorical decides; the other used columns are numeric.
    expect(
      clusterFeatureColumns(
        table,
        flags("kprototypes", {
          columns: ["bill_length_mm", "island", "year"],
          options: { categorical: ["island"] },
        }),
      ),
    ).toEqual({ numeric: ["bill_length_mm", "year"], categorical: ["island"] });
    expect(() =>
      clusterFeatureColumns(table, flags("kprototypes", { exclude: ["species", "island", "sex", "year"] })),
    ).toThrow(/^kprototypes needs numeric and categorical columns \(numeric: bill_length_mm, .*; categorical: none;/);
    expect(() =>
      clusterFeatureColumns(table, flags("kprototypes", { columns: ["island"], options: { categorical: ["sex"] } })),
    ).toThrow('--categorical column "sex" is not among the used columns');
  });

  it("kmodes: the categorical columns, or every named column; numeric algorithms: the numeric columns", async () => {
    const table = await readTable(penguins);
    expect(clusterFeatureColumns(table, flags("kmodes", { exclude: ["species"] }))).toEqual({
      numeric: [],
      categorical: ["island", "sex", "year"],
    });
    expect(clusterFeatureColumns(table, flags("kmodes", { columns: ["island", "body_mass_g"] }))).toEqual({
      numeric: [],
      categorical: ["island", "body_mass_g"],
    });
    expect(clusterFeatureColumns(table, flags("kmeans", { exclude: ["year"] }))).toEqual({
      numeric: ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"],
      categorical: [],
    });
    expect(() => clusterFeatureColumns(table, flags("kmodes", { exclude: ["nope"] }))).toThrow(DataError);
    const iris = await readTable("examples/data/iris.csv");
    expect(() => clusterFeatureColumns(iris, flags("kmodes", { exclude: ["target", "target_name"] }))).toThrow(
      /^no categorical columns in .*iris\.csv for kmodes \(roles: sepal_length_cm: numeric, /,
    );
  });

  it("specFromClusterFlags lists the given features with their roles, numeric ones first", () => {
    const spec = specFromClusterFlags(
      { ...defaults, file: penguins, algo: "kprototypes", k: 3, options: { categorical: ["island", "year"] } },
      { features: { numeric: ["bill_length_mm"], categorical: ["island", "year"] } },
    );
    expect(spec.columns).toMatchObject({
      include: ["bill_length_mm", "island", "year"],
      roles: { bill_length_mm: "numeric", island: "categorical", year: "categorical" },
    });
    // Without --drop-missing a missing category is a category of its own, as on the command line.
    expect(spec.preprocessing.imputation).toMatchObject({
      numeric: "error",
      categorical: "constant",
      categoricalFillValue: "",
    });
    const withSource = specFromClusterFlags({ ...defaults, file: "sales.duckdb", table: "orders" });
    expect(withSource.data).toMatchObject({ format: "duckdb", table: "orders" });
    const latin = specFromClusterFlags({ ...defaults, file: "d.csv", encoding: "latin-1" });
    expect(latin.data).toMatchObject({ format: "csv", encoding: "latin-1" });
  });
});
