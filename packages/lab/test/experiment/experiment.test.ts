import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chooseK, modelFromJSON, type PipelineModel } from "@clusterlab/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DataError,
  type Experiment,
  type ExperimentModel,
  featureFrame,
  getColumn,
  loadModel,
  prepareMatrix,
  readTable,
  runSpec,
  setup,
  UNASSIGNED,
} from "../../src/index.js";
import { example, sameBytes, tempDir } from "../run/helpers.js";

const tmp = tempDir("clusterlab-exp-");
afterAll(() => tmp.cleanup());

let iris: Experiment;
let kmeans: ExperimentModel;
beforeAll(async () => {
  iris = await setup(example("iris"), { target: "target", exclude: ["target_name"], seed: 0 });
  kmeans = await iris.createModel("kmeans", { nClusters: 3 });
});

describe("setup / createModel / assignModel", () => {
  it("fits like runSpec with the same spec", async () => {
    const r = await runSpec(kmeans.result.spec);
    expect(sameBytes(kmeans.labels, r.labels)).toBe(true);
    expect(kmeans.id).toBe("kmeans-1");
    expect(kmeans.metrics.external?.adjustedRand).toBeGreaterThan(0.5);
  });

  it("returns the table with a cluster column", () => {
    const t = iris.assignModel(kmeans);
    expect(t.columns.map((c) => c.name)).toEqual([...iris.table.columns.map((c) => c.name), "cluster"]);
    const cluster = getColumn(t, "cluster");
    expect(Array.from(cluster.values as Float64Array)).toEqual(Array.from(kmeans.labels));
  });

  it("lists PyCaret-style model ids and accepts them", async () => {
    const ids = iris.models().map((m) => m.id);
    for (const id of [
      "kmeans",
      "ap",
      "meanshift",
      "sc",
      "hclust",
      "dbscan",
      "optics",
      "birch",
      "kmodes",
      "gmm",
      "hdbscan",
      "kprototypes",
    ]) {
      expect(ids).toContain(id);
    }
    const hclust = await iris.createModel("hclust", { nClusters: 3 });
    expect(hclust.algorithm).toBe("agglomerative");
    await expect(iris.createModel("nope")).rejects.toThrow(/unknown model: "nope"/);
    await expect(iris.createModel("kmeans", { nClusters: 0 })).rejects.toThrow(/\/algorithm\/params\/nClusters: 0/);
  });

  it("maps PyCaret's normalize options to the spec's scaling", async () => {
    const raw = await setup(example("iris"), { exclude: ["target", "target_name"], normalize: false });
    expect(raw.baseSpec.preprocessing.scaling).toBe("none");
    const minmax = await setup(iris.table, { exclude: ["target", "target_name"], normalizeMethod: "minmax" });
    expect(minmax.baseSpec.preprocessing.scaling).toBe("minmax");
  });
});

describe("predictModel / saveModel / loadModel", () => {
  it("predicts new data and round-trips the model through its JSON", async () => {
    const predicted = await iris.predictModel(kmeans, example("iris"));
    const cluster = getColumn(predicted, "cluster").values as Float64Array;
    expect(Array.from(cluster)).toEqual(Array.from(kmeans.labels));
    const path = join(tmp.dir, "kmeans.json");
    await iris.saveModel(kmeans, path);
    const loaded = await loadModel(path);
    const again = await iris.predictModel(loaded, iris.table);
    expect(Array.from(getColumn(again, "cluster").values as Float64Array)).toEqual(Array.from(cluster));
    const core = modelFromJSON<PipelineModel>(JSON.parse(readFileSync(path, "utf8")));
    expect(sameBytes(core.predict(featureFrame(iris.table, loaded.analysis.columns)), kmeans.labels)).toBe(true);
  });

  it("gives NULL clusters to rows a model without imputation cannot take", async () => {
    const penguins = await setup(example("penguins"), {
      target: "species",
      preprocessing: { imputation: { numeric: "drop", categorical: "drop" } },
    });
    const model = await penguins.createModel("gmm", { nComponents: 3 });
    const predicted = await penguins.predictModel(model, penguins.table);
    const cluster = getColumn(predicted, "cluster").values as Float64Array;
    expect(cluster.filter((v) => Number.isNaN(v))).toHaveLength(11);
    expect(model.labels.filter((l) => l === UNASSIGNED)).toHaveLength(11);
  });
});

describe("compareModels", () => {
  it("ranks algorithms by silhouette, with ARI/NMI and an error row for a failing one", async () => {
    const r = await iris.compareModels({
      algorithms: ["kmeans", "gmm", "hclust", "dbscan", "kmedoids"],
      k: 3,
      params: { kmedoids: { maxSamples: 10 } },
    });
    expect(r.k).toBe(3);
    expect(r.kBy).toBe("given");
    expect(r.rows).toHaveLength(5);
    const failed = r.rows.find((row) => row.algorithm === "kmedoids")!;
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/maxSamples|10/);
    expect(failed.rank).toBeNull();
    const ok = r.rows.filter((row) => row.status === "ok");
    expect(ok.map((row) => row.rank)).toEqual([1, 2, 3, 4]);
    const ranked = ok.filter((row) => (row.noiseShare ?? 0) <= 0.5).map((row) => row.silhouette as number);
    expect([...ranked].sort((a, b) => b - a)).toEqual(ranked);
    for (const row of ok) {
      expect(row.adjustedRand).toBeTypeOf("number");
      expect(row.normalizedMutualInfo).toBeTypeOf("number");
      expect(row.totalSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(r.rows[r.rows.length - 1].status).toBe("failed");
  });

  it("chooses k by silhouette when not given, and skips O(n^2) methods above the row limit", async () => {
    const r = await iris.compareModels({ algorithms: ["kmeans", "ap"], maxQuadraticRows: 100 });
    expect(r.kBy).toBe("silhouette");
    expect(r.k).toBe(2);
    expect(r.rows.find((row) => row.id === "ap")).toMatchObject({ status: "skipped" });
    await expect(iris.compareModels({ algorithms: ["frobnicate"] })).rejects.toBeInstanceOf(DataError);
  });

  it("includes kmodes / kprototypes only when the features allow them", async () => {
    const penguins = await setup(example("penguins"), { target: "species" });
    const r = await penguins.compareModels({ k: 3, algorithms: ["kmeans", "kmodes", "kprototypes"] });
    expect(r.rows.map((row) => row.status)).toEqual(["ok", "ok", "ok"]);
    const numericOnly = await iris.compareModels({ k: 3, algorithms: ["kmodes"] });
    expect(numericOnly.rows[0].status).toBe("failed");
  });
});

describe("tuneK", () => {
  it("gives chooseK's evidence for kmeans, and a gap statistic on request", async () => {
    const r = await iris.tuneK("kmeans", { kMin: 2, kMax: 6, gap: { b: 5 } });
    const X = prepareMatrix(iris.specFor("kmeans"), iris.table).X;
    const sweep = chooseK(X, { kMin: 2, kMax: 6, seed: 0 });
    expect(r.ks).toEqual(sweep.ks);
    expect(r.entries.map((e) => e.silhouette)).toEqual(sweep.silhouette);
    expect(r.entries.map((e) => e.inertia)).toEqual(sweep.inertia);
    expect(r.votes.silhouette).toBe(sweep.suggestion.k);
    expect(r.gap?.ks).toEqual([2, 3, 4, 5, 6]);
    expect(r.votes.gap).toBe(r.gap?.k);
    expect(r.recommendation.k).toBe(2);
  });

  it("adds BIC for gmm, works for kprototypes, and refuses methods without k", async () => {
    const gmm = await iris.tuneK("gmm", { kMin: 2, kMax: 4 });
    expect(gmm.entries.every((e) => typeof e.bic === "number")).toBe(true);
    expect(gmm.votes.bic).toBeTypeOf("number");
    const penguins = await setup(await readTable(example("penguins")), { target: "species" });
    const proto = await penguins.tuneK("kprototypes", { kMin: 2, kMax: 3 });
    expect(proto.entries.every((e) => e.silhouette !== null && e.inertia !== null)).toBe(true);
    await expect(iris.tuneK("dbscan")).rejects.toThrow(/no number of clusters/);
  });
});
