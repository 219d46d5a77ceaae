import { KMeans, Pipeline, StandardScaler, silhouetteScore } from "@clusterlab/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DataError,
  featureFrame,
  numericMatrix,
  predictTable,
  RunAbortedError,
  type RunProgress,
  type RunResult,
  readTable,
  runSpec,
  SILHOUETTE_SAMPLE_SIZE,
  SpecError,
  type Table,
  UNASSIGNED,
} from "../../src/index.js";
import { example, fixture, repoRoot, sameBytes } from "./helpers.js";

const irisSpec = {
  version: 1,
  data: { path: "examples/data/iris.csv" },
  columns: { target: "target", exclude: ["target_name"] },
  algorithm: { name: "kmeans", params: { nClusters: 3 } },
} as const;

const penguinsSpec = {
  version: 1,
  data: { path: "examples/data/penguins.csv" },
  columns: { target: "species" },
  algorithm: { name: "gmm", params: { nComponents: 3 } },
} as const;

let iris: Table;
let irisRun: RunResult;
beforeAll(async () => {
  iris = await readTable(example("iris"));
  irisRun = await runSpec(irisSpec, { baseDir: repoRoot });
});

describe("runSpec on iris (kmeans)", () => {
  it("gives exactly core's Pipeline(StandardScaler, KMeans) labels and metrics", () => {
    const { matrix } = numericMatrix(iris, { exclude: ["target"] });
    const core = new Pipeline({
      steps: [
        ["scale", new StandardScaler()],
        ["kmeans", new KMeans({ nClusters: 3, seed: 0 })],
      ],
    }).fit(matrix);
    expect(sameBytes(irisRun.labels, core.labels)).toBe(true);
    expect(irisRun.metrics.silhouette).toBe(silhouetteScore(core.transform(matrix), core.labels));
    expect(irisRun.nClusters).toBe(3);
    expect(irisRun.clusterSizes.reduce((a, b) => a + b, 0)).toBe(150);
    expect(irisRun.metrics.inertia).toBeGreaterThan(0);
    expect(irisRun.metrics.silhouetteSampleSize).toBeNull();
    expect(irisRun.metrics.external?.adjustedRand).toBeGreaterThan(0.5);
    expect(irisRun.features).toMatchObject({
      numeric: ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"],
      categorical: [],
      target: "target",
    });
  });

  it("returns the normalised spec, timings and the model JSON", () => {
    expect(irisRun.spec.algorithm.params).toMatchObject({ nClusters: 3, nInit: 1, maxIter: 300 });
    expect(irisRun.spec.preprocessing.scaling).toBe("standard");
    expect(irisRun.model.type).toBe("PipelineModel");
    for (const v of Object.values(irisRun.timings)) expect(v).toBeGreaterThanOrEqual(0);
    expect(irisRun.warnings).toEqual([]);
  });

  it("is deterministic: the normalised spec run again gives the same labels, bit for bit", async () => {
    const again = await runSpec(irisRun.spec, { baseDir: repoRoot });
    expect(sameBytes(again.labels, irisRun.labels)).toBe(true);
    expect(JSON.stringify(again.model)).toBe(JSON.stringify(irisRun.model));
    const other = await runSpec(
      { ...irisRun.spec, seed: 5, algorithm: { name: "kmeans", params: { nClusters: 3, init: "random" } } },
      { baseDir: repoRoot },
    );
    const twice = await runSpec(other.spec, { baseDir: repoRoot });
    expect(sameBytes(twice.labels, other.labels)).toBe(true);
  });

  it("reports the phases in order and can be aborted", async () => {
    const phases: string[] = [];
    await runSpec(irisSpec, { baseDir: repoRoot, onProgress: (e: RunProgress) => phases.push(e.phase) });
    expect(phases).toEqual(["read", "prepare", "fit", "metrics", "done"]);
    const controller = new AbortController();
    controller.abort();
    await expect(runSpec(irisSpec, { baseDir: repoRoot, signal: controller.signal })).rejects.toBeInstanceOf(
      RunAbortedError,
    );
  });

  it("accepts a table already read", async () => {
    const r = await runSpec(irisSpec, { table: iris });
    expect(sameBytes(r.labels, irisRun.labels)).toBe(true);
  });
});

describe("runSpec on penguins (missing values, categorical features)", () => {
  it("imputes by default, one-hot encodes the categories, and labels every row", async () => {
    const r = await runSpec(penguinsSpec, { baseDir: repoRoot });
    expect(r.rows).toEqual({ total: 344, droppedMissing: 0, outliers: 0, fitted: 344, test: 0 });
    expect(r.labels.every((l) => l >= 0)).toBe(true);
    expect(r.features.categorical).toEqual(["island", "sex", "year"]);
    expect(r.features.output.filter((n) => n.startsWith("cat__"))).toHaveLength(3 + 2 + 3);
    expect(r.features.output).toContain("cat__island_Biscoe");
    expect(r.features.output).toContain("cat__year_2009");
    expect(r.metrics.bic).toBeTypeOf("number");
    expect(r.metrics.external?.adjustedRand).toBeGreaterThan(0.3);
  });

  it('drops rows with missing values under "drop" (UNASSIGNED labels)', async () => {
    const r = await runSpec(
      { ...penguinsSpec, preprocessing: { imputation: { numeric: "drop", categorical: "drop" } } },
      { baseDir: repoRoot },
    );
    expect(r.rows.droppedMissing).toBe(11);
    expect(r.rows.fitted).toBe(333);
    expect(r.labels.filter((l) => l === UNASSIGNED)).toHaveLength(11);
  });

  it('refuses missing values under "error", naming the column', async () => {
    await expect(
      runSpec({ ...penguinsSpec, preprocessing: { imputation: { numeric: "error" } } }, { baseDir: repoRoot }),
    ).rejects.toThrow(/column "bill_length_mm" has 2 missing values/);
  });

  it("applies Yeo-Johnson, log1p, robust scaling and PCA as pipeline steps", async () => {
    const r = await runSpec(
      {
        ...penguinsSpec,
        algorithm: { name: "kmeans", params: { nClusters: 3 } },
        preprocessing: { transform: "yeoJohnson", scaling: "robust", pca: { nComponents: 3 } },
      },
      { baseDir: repoRoot },
    );
    const text = JSON.stringify(r.model);
    expect(text).toContain("YeoJohnsonModel");
    expect(text).toContain("RobustScalerModel");
    expect(text).toContain("PCAModel");
    expect(r.features.output).toEqual(["pc1", "pc2", "pc3"]);
    const logged = await runSpec(
      { ...irisSpec, preprocessing: { transform: "log1p", pca: { varianceRatio: 0.9 } } },
      { baseDir: repoRoot },
    );
    expect(JSON.stringify(logged.model)).toContain("Log1pModel");
  });

  it("removes IQR outliers from the fitting rows (the fixture's rows)", async () => {
    const expected = fixture<{ iqr: { name: string; outliers: number[] }[] }>("workflow").iqr.find(
      (c) => c.name === "iris",
    )!;
    const r = await runSpec(
      { ...irisSpec, preprocessing: { outliers: { method: "iqr", factor: 1.5 } } },
      { baseDir: repoRoot },
    );
    expect(r.rows.outliers).toBe(expected.outliers.length);
    const unassigned = [...r.labels.keys()].filter((i) => r.labels[i] === UNASSIGNED);
    expect(unassigned).toEqual(expected.outliers);
  });

  it("runs kmodes and kprototypes on the categories directly", async () => {
    const modes = await runSpec(
      { ...penguinsSpec, algorithm: { name: "kmodes", params: { nClusters: 3 } } },
      { baseDir: repoRoot },
    );
    expect(modes.features.numeric).toEqual([]);
    expect(modes.metrics.cost).toBeTypeOf("number");
    expect(modes.metrics.calinskiHarabasz).toBeNull();
    expect(modes.warnings.some((w) => w.includes("numeric features left out"))).toBe(true);
    const protos = await runSpec(
      { ...penguinsSpec, algorithm: { name: "kprototypes", params: { nClusters: 3 } } },
      { baseDir: repoRoot },
    );
    expect(protos.features.categorical).toEqual(["island", "sex", "year"]);
    expect(protos.metrics.silhouette).toBeGreaterThan(0);
    const table = await readTable(example("penguins"));
    expect(sameBytes(predictTable(protos.analysis, table), protos.labels)).toBe(true);
    expect(sameBytes(predictTable(modes.analysis, table), modes.labels)).toBe(true);
  });
});

describe("runSpec with a held-out split", () => {
  it("fits on the training rows, predicts the test rows and compares with a refit", async () => {
    const r = await runSpec({ ...irisSpec, split: { testSize: 0.3, seed: 4 } }, { baseDir: repoRoot });
    expect(r.rows.test).toBe(45);
    expect(r.rows.fitted).toBe(105);
    const test = r.test!;
    expect(test.rows).toHaveLength(45);
    const frame = featureFrame(iris, r.analysis.columns, test.rows);
    expect(sameBytes(r.analysis.predict(frame), test.predicted)).toBe(true);
    for (let i = 0; i < test.rows.length; i++) expect(r.labels[test.rows[i]]).toBe(test.predicted[i]);
    expect(test.adjustedRandWithRefit).toBeGreaterThan(0.5);
    expect(test.metrics.silhouette).toBeGreaterThan(0);
    expect(test.metrics.external?.adjustedRand).toBeGreaterThan(0.3);
    const again = await runSpec(r.spec, { baseDir: repoRoot });
    expect(sameBytes(again.labels, r.labels)).toBe(true);
  });

  it("refuses a split that leaves fewer than 2 rows on a side", async () => {
    await expect(runSpec({ ...irisSpec, split: { testSize: 0.001 } }, { baseDir: repoRoot })).rejects.toThrow(
      /split.testSize/,
    );
  });
});

describe("runSpec on telco customers (7043 rows, mixed types)", () => {
  it("clusters with a seeded silhouette sample", async () => {
    const spec = {
      version: 1,
      data: { path: example("telco_customers") },
      columns: { target: "churn" },
      algorithm: { name: "kmeans", params: { nClusters: 4 } },
    };
    const a = await runSpec(spec, { silhouetteSampleSize: 1500 });
    expect(a.metrics.silhouetteSampleSize).toBe(1500);
    expect(a.features.numeric).toEqual(["tenure", "monthly_charges", "total_charges"]);
    expect(a.features.categorical.length).toBeGreaterThan(10);
    expect(a.labels.every((l) => l >= 0)).toBe(true); // total_charges' 11 missing values are imputed
    const b = await runSpec(a.spec, { silhouetteSampleSize: 1500 });
    expect(b.metrics.silhouette).toBe(a.metrics.silhouette);
    expect(sameBytes(a.labels, b.labels)).toBe(true);
    expect(SILHOUETTE_SAMPLE_SIZE).toBe(10_000);
  });
});

describe("runSpec errors", () => {
  it("names the spec field of an unknown or out-of-range value", async () => {
    await expect(runSpec({ ...irisSpec, colour: "red" })).rejects.toThrow(
      /invalid spec: \/colour: "red" \(unknown field/,
    );
    const error = await runSpec({ ...irisSpec, algorithm: { name: "kmeans", params: { nClusters: 0 } } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect(error.path).toBe("/algorithm/params/nClusters");
    expect(error.message).toContain("must be >= 1");
  });

  it("names a missing column, an included non-feature column, and a dataset without a store", async () => {
    await expect(
      runSpec({ ...irisSpec, columns: { include: ["petal_length_cm", "nope"] } }, { baseDir: repoRoot }),
    ).rejects.toThrow(/unknown column "nope"/);
    await expect(
      runSpec(
        { ...irisSpec, columns: { roles: { target_name: "text" }, include: ["target_name"] } },
        { baseDir: repoRoot },
      ),
    ).rejects.toThrow(/column "target_name" is in columns.include but its role is text/);
    await expect(runSpec({ ...irisSpec, data: { dataset: "ds-x" } })).rejects.toBeInstanceOf(DataError);
    await expect(runSpec({ ...irisSpec, data: { path: "missing.csv" } }, { baseDir: repoRoot })).rejects.toThrow(
      /file not found/,
    );
  });
});
