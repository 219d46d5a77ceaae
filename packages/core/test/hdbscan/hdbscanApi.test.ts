import { describe, expect, it } from "vitest";
import { asMatrix, HDBSCAN, HDBSCANModel, type Matrix, modelFromJSON, ValidationError } from "../../src/index.js";
import { loadFixture } from "../fixtures.js";

const extra = loadFixture<{ extraDatasets: Record<string, { X: number[][] }> }>("hdbscan").extraDatasets;
const moons = asMatrix(extra.moons.X);
const toy = [[0], [1], [2.5], [10], [11.5], [12.5], [30]];

describe("HDBSCAN options and input validation", () => {
  const cases: [string, () => unknown, string][] = [
    [
      "minClusterSize 1",
      () => new HDBSCAN({ minClusterSize: 1 }).fit(toy),
      "invalid minClusterSize: 1 (must be an integer >= 2)",
    ],
    ["minClusterSize 2.5", () => new HDBSCAN({ minClusterSize: 2.5 }).fit(toy), "invalid minClusterSize: 2.5"],
    ["minSamples 0", () => new HDBSCAN({ minSamples: 0 }).fit(toy), "invalid minSamples: 0 (must be an integer >= 1)"],
    [
      "minSamples > n",
      () => new HDBSCAN({ minClusterSize: 2, minSamples: 8 }).fit(toy),
      "invalid minSamples: 8 (must be at most the number of samples, 7)",
    ],
    [
      "default minSamples > n",
      () => new HDBSCAN({ minClusterSize: 10 }).fit(toy),
      "invalid minSamples: 10 (must be at most the number of samples, 7)",
    ],
    [
      "negative epsilon",
      () => new HDBSCAN({ clusterSelectionEpsilon: -1 }).fit(toy),
      "invalid clusterSelectionEpsilon: -1",
    ],
    ["maxClusterSize 0", () => new HDBSCAN({ maxClusterSize: 0 }).fit(toy), "invalid maxClusterSize: 0"],
    ["alpha 0", () => new HDBSCAN({ alpha: 0 }).fit(toy), "invalid alpha: 0 (must be a finite number > 0)"],
    ["metric", () => new HDBSCAN({ metric: "l3" as "euclidean" }).fit(toy), 'invalid metric: "l3"'],
    [
      "method",
      () => new HDBSCAN({ clusterSelectionMethod: "tree" as "eom" }).fit(toy),
      'invalid clusterSelectionMethod: "tree"',
    ],
    ["algorithm", () => new HDBSCAN({ algorithm: "kd" as "auto" }).fit(toy), 'invalid algorithm: "kd"'],
    [
      "boruvka with cosine",
      () => new HDBSCAN({ algorithm: "boruvka", metric: "cosine", minSamples: 2 }).fit(toy),
      'invalid algorithm: "boruvka" (needs metric "euclidean" or "manhattan"',
    ],
    ["leafSize", () => new HDBSCAN({ leafSize: 0 }).fit(toy), "invalid leafSize: 0"],
    [
      "allowSingleCluster",
      () => new HDBSCAN({ allowSingleCluster: 1 as unknown as boolean }).fit(toy),
      "invalid allowSingleCluster: 1",
    ],
    ["one row", () => new HDBSCAN({ minClusterSize: 2, minSamples: 1 }).fit([[1, 2]]), "invalid X: 1 row"],
    ["NaN", () => new HDBSCAN().fit([[0], [Number.NaN], [1], [2], [3]]), "invalid X: NaN at row 1, column 0"],
    [
      "Infinity",
      () => new HDBSCAN().fit([[0], [1], [Number.POSITIVE_INFINITY], [2], [3]]),
      "invalid X: Infinity at row 2",
    ],
    ["ragged", () => new HDBSCAN().fit([[0, 1], [1]]), "invalid X: row 1 has 1 values, expected 2"],
    [
      "sampleWeight",
      () => new HDBSCAN({ minSamples: 2 }).fit(toy, { sampleWeight: [1, 1, 1, 1, 1, 1, 1] }),
      "invalid sampleWeight",
    ],
  ];
  it.each(cases)("%s", (_, run, message) => {
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(message);
  });

  it("validates predict and dbscanClustering arguments", () => {
    const model = new HDBSCAN({ minClusterSize: 3, minSamples: 2 }).fit(toy);
    expect(() => model.predict([[1, 2]])).toThrow("invalid X: 2 features, expected 1");
    expect(() => model.dbscanClustering(Number.NaN)).toThrow("invalid cutDistance: NaN");
    expect(() => model.dbscanClustering(1, 0)).toThrow("invalid minClusterSize: 0");
  });

  it("minSamples defaults to minClusterSize and the estimator keeps its options", () => {
    const est = new HDBSCAN({ minClusterSize: 6 });
    const model = est.fit(moons);
    expect(model.minSamples).toBe(6);
    expect(est.options).toEqual({ minClusterSize: 6 });
    expect(model.nFeaturesIn).toBe(2);
  });
});

function roundTrip(model: HDBSCANModel): HDBSCANModel {
  const restored = modelFromJSON<HDBSCANModel>(JSON.parse(JSON.stringify(model)));
  expect(restored).toBeInstanceOf(HDBSCANModel);
  for (const key of ["labels", "probabilities", "outlierScores", "coreDistances", "selectedClusters"] as const) {
    expect(Array.from(restored[key])).toEqual(Array.from(model[key]));
  }
  expect(Array.from(restored.clusterStability)).toEqual(Array.from(model.clusterStability));
  expect(Array.from(restored.singleLinkageTree.data)).toEqual(Array.from(model.singleLinkageTree.data));
  for (const key of ["parent", "child", "lambdaVal", "childSize"] as const) {
    expect(Array.from(restored.condensedTree[key])).toEqual(Array.from(model.condensedTree[key]));
  }
  expect(restored.nClusters).toBe(model.nClusters);
  expect(restored.toJSON()).toEqual(model.toJSON());
  return restored;
}

describe("HDBSCANModel serialisation and prediction", () => {
  it("toJSON / modelFromJSON round trip, predictions included", () => {
    const model = new HDBSCAN({ minClusterSize: 8, metric: "manhattan", alpha: 1.2, maxClusterSize: 200 }).fit(moons);
    const restored = roundTrip(model);
    const queries: Matrix = asMatrix([
      [0, 0.5],
      [1, -0.5],
      [-3, 3],
      [0.5, 0.25],
    ]);
    expect(Array.from(restored.predict(queries))).toEqual(Array.from(model.predict(queries)));
    expect(restored.dbscanClustering(0.2)).toEqual(model.dbscanClustering(0.2));
    expect(restored.metric).toBe("manhattan");
    expect(restored.alpha).toBe(1.2);
    expect(restored.maxClusterSize).toBe(200);
  });

  it("round trip with infinite lambdas (duplicate rows) and cosine", () => {
    const X = [
      [1, 0],
      [1, 0],
      [1, 0],
      [2, 0.1],
      [0, 1],
      [0, 1],
      [0, 1],
      [0.1, 2],
      [1, 1],
    ];
    const model = new HDBSCAN({ minClusterSize: 3, metric: "cosine", allowSingleCluster: true }).fit(X);
    expect(model.condensedTree.lambdaVal.includes(Number.POSITIVE_INFINITY)).toBe(true);
    roundTrip(model);
  });

  it("rejects malformed JSON", () => {
    const json = new HDBSCAN({ minClusterSize: 3, minSamples: 2 }).fit(toy).toJSON();
    expect(() => modelFromJSON({ ...json, version: 2 })).toThrow("expected HDBSCANModel version 1");
    expect(() => modelFromJSON({ ...json, labels: [0, 1] })).toThrow("labels has the wrong length");
    expect(() => modelFromJSON({ ...json, probabilities: "x" })).toThrow("probabilities is not an array");
  });

  it("predicts the training rows' clusters for clustered rows of moons", () => {
    const model = new HDBSCAN({ minClusterSize: 10 }).fit(moons);
    const predicted = model.approximatePredict(moons);
    let agree = 0;
    let clustered = 0;
    for (let i = 0; i < moons.rows; i++) {
      if (model.labels[i] < 0) continue;
      clustered++;
      if (predicted.labels[i] === model.labels[i]) agree++;
      expect(predicted.probabilities[i]).toBeGreaterThan(0);
    }
    expect(clustered).toBeGreaterThan(200);
    expect(agree / clustered).toBeGreaterThan(0.99);
    // a row far away is noise
    expect(Array.from(model.predict([[40, 40]]))).toEqual([-1]);
  });
});
