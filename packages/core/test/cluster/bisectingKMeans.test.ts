import { describe, expect, it } from "vitest";
import { BisectingKMeans, BisectingKMeansModel, memoryLogger, modelFromJSON, silentLogger } from "../../src/index.js";
import { loadDatasets, loadFixture, samePartition } from "../fixtures.js";

interface Fixture {
  bisecting: Record<string, { biggest_inertia: number[]; largest_cluster: number[] }>;
}
const fixture = loadFixture<Fixture>("kmeans");
const datasets = loadDatasets();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe("BisectingKMeans quality vs scikit-learn (k-means++ init, seeds 0..7)", () => {
  for (const [name, ds] of Object.entries(datasets)) {
    for (const [strategy, key] of [
      ["biggestInertia", "biggest_inertia"],
      ["largestCluster", "largest_cluster"],
    ] as const) {
      it(`${name} (${strategy}): median inertia within 2% of scikit-learn's`, () => {
        const ours = Array.from(
          { length: 8 },
          (_, seed) =>
            new BisectingKMeans({
              nClusters: ds.k,
              init: "k-means++",
              seed,
              bisectingStrategy: strategy,
              logger: silentLogger,
            }).fit(ds.X).inertia,
        );
        expect(median(ours)).toBeLessThanOrEqual(median(fixture.bisecting[name][key]) * 1.02 + 1e-9);
      });
    }
  }
});

describe("BisectingKMeans", () => {
  it("predict descends the tree and reproduces the training labels", () => {
    for (const [name, ds] of Object.entries(datasets)) {
      for (const init of ["random", "k-means++"] as const) {
        const model = new BisectingKMeans({ nClusters: ds.k, init, seed: 1, logger: silentLogger }).fit(ds.X);
        expect(Array.from(model.predict(ds.X)), name).toEqual(Array.from(model.labels));
        expect(model.tree.left.length).toBe(2 * ds.k - 1);
        const leafLabels = Array.from(model.tree.label).filter((l) => l >= 0);
        expect(leafLabels).toEqual(Array.from({ length: ds.k }, (_, i) => i));
      }
    }
  });

  it("lloyd and elkan give identical trees", () => {
    const ds = datasets.blobsOverlap;
    const a = new BisectingKMeans({ nClusters: 5, seed: 3, algorithm: "lloyd" }).fit(ds.X);
    const b = new BisectingKMeans({ nClusters: 5, seed: 3, algorithm: "elkan" }).fit(ds.X);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.tree.centers)).toEqual(Array.from(a.tree.centers));
    expect(b.inertia).toBe(a.inertia);
  });

  it("the two strategies split different leaves", () => {
    // A large tight group (30 points in two sub-groups 1 apart) and a small spread group (4
    // points, two pairs 20 apart). After the first split, biggestInertia splits the spread
    // group; largestCluster splits the large one.
    const X: number[][] = [];
    for (let i = 0; i < 15; i++) X.push([i * 0.01], [1 + i * 0.01]);
    X.push([100], [101], [120], [121]);
    const truthBig = [...Array.from({ length: 30 }, () => 0), 1, 1, 2, 2];
    const truthLarge = [...Array.from({ length: 30 }, (_, i) => i % 2), 2, 2, 2, 2];
    for (let seed = 0; seed < 5; seed++) {
      const big = new BisectingKMeans({ nClusters: 3, bisectingStrategy: "biggestInertia", seed }).fit(X);
      const large = new BisectingKMeans({ nClusters: 3, bisectingStrategy: "largestCluster", seed }).fit(X);
      expect(samePartition(big.labels, truthBig)).toBe(true);
      expect(samePartition(large.labels, truthLarge)).toBe(true);
      expect(big.inertia).toBeCloseTo(8.556, 10);
      expect(large.inertia).toBeCloseTo(401.056, 10);
    }
  });

  it("k = 1 keeps every sample in one cluster at the mean", () => {
    const model = new BisectingKMeans({ nClusters: 1 }).fit([[0], [2], [4]]);
    expect(Array.from(model.labels)).toEqual([0, 0, 0]);
    expect(Array.from(model.clusterCenters.data)).toEqual([2]);
    expect(model.inertia).toBe(8);
    expect(Array.from(model.predict([[100]]))).toEqual([0]);
  });

  it("uses sample weights", () => {
    const X = [[0], [1], [10], [11]];
    const model = new BisectingKMeans({ nClusters: 2, init: "k-means++" }).fit(X, { sampleWeight: [1, 3, 1, 1] });
    const centres = Array.from(model.clusterCenters.data).sort((a, b) => a - b);
    expect(centres).toEqual([0.75, 10.5]);
    expect(model.inertia).toBeCloseTo(1.25, 12);
    expect(-model.score(X, { sampleWeight: [1, 3, 1, 1] })).toBeCloseTo(1.25, 12);
  });

  it("warns when duplicates leave an empty cluster", () => {
    const logger = memoryLogger();
    const model = new BisectingKMeans({ nClusters: 3, logger }).fit([[0], [0], [0], [5]]);
    expect(logger.messages[0]).toContain("Number of distinct clusters (2) found smaller than nClusters (3)");
    expect(model.inertia).toBe(0);
  });

  it("round-trips through JSON", () => {
    const ds = datasets.wine;
    const model = new BisectingKMeans({ nClusters: 4, seed: 2 }).fit(ds.X);
    const json = JSON.parse(JSON.stringify(model));
    expect(json.type).toBe("BisectingKMeansModel");
    expect(json.version).toBe(1);
    const back = modelFromJSON<BisectingKMeansModel>(json);
    expect(back).toBeInstanceOf(BisectingKMeansModel);
    expect(Array.from(back.predict(ds.X))).toEqual(Array.from(model.predict(ds.X)));
    expect(Array.from(back.transform(ds.X).data)).toEqual(Array.from(model.transform(ds.X).data));
    expect(back.inertia).toBe(model.inertia);
    expect(() =>
      BisectingKMeansModel.fromJSON({ ...json, tree: { ...json.tree, left: [0, -1, -1, -1, -1, -1, -1] } }),
    ).toThrow("tree node 0 is malformed");
  });

  it("validates its options", () => {
    const X = [[0], [1], [2]];
    expect(() => new BisectingKMeans({ nClusters: 4 }).fit(X)).toThrow("invalid nClusters: 4");
    expect(() =>
      new BisectingKMeans({ bisectingStrategy: "biggest_inertia" as "biggestInertia", nClusters: 2 }).fit(X),
    ).toThrow('invalid bisectingStrategy: "biggest_inertia"');
    expect(() => new BisectingKMeans({ nClusters: 2, nInit: 0 }).fit(X)).toThrow("invalid nInit: 0");
  });
});
