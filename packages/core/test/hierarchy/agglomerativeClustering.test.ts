import { describe, expect, it } from "vitest";
import {
  AgglomerativeClustering,
  AgglomerativeClusteringModel,
  fcluster,
  type LinkageMethod,
} from "../../src/hierarchy/index.js";
import { memoryLogger, modelFromJSON, ValidationError } from "../../src/index.js";
import { samePartition } from "../fixtures.js";
import { allSets, fixture, maxRelDiff } from "./helpers.js";

const sets = allSets();

describe("labels match scikit-learn's AgglomerativeClustering", () => {
  for (const [name, { X, k }] of Object.entries(sets)) {
    const ref = fixture.cases[name].sklearn;
    it(`${name}: ward, complete, average, single`, () => {
      for (const link of ["ward", "complete", "average", "single"] as LinkageMethod[]) {
        const model = new AgglomerativeClustering({ nClusters: k, linkage: link }).fit(X);
        const expected = ref[link] as number[];
        // The same numbers, not just the same partition.
        expect(Array.from(model.labels), link).toEqual(expected);
        expect(model.nClusters).toBe(k);
      }
    });

    it(`${name}: manhattan and cosine`, () => {
      for (const [key, expected] of Object.entries(ref)) {
        const m = /^(complete|average|single)-(manhattan|cosine)$/.exec(key);
        if (!m) continue;
        const model = new AgglomerativeClustering({
          nClusters: k,
          linkage: m[1] as LinkageMethod,
          metric: m[2] as "manhattan" | "cosine",
        }).fit(X);
        expect(Array.from(model.labels), key).toEqual(expected);
      }
    });

    if (ref.wardThreshold) {
      it(`${name}: distanceThreshold`, () => {
        const { threshold, nClusters, labels } = ref.wardThreshold!;
        const model = new AgglomerativeClustering({ distanceThreshold: threshold }).fit(X);
        expect(model.nClusters).toBe(nClusters);
        expect(Array.from(model.labels)).toEqual(labels);
        expect(model.distances).not.toBeNull();
      });
    }

    if (ref.wardKnn) {
      it(`${name}: k-nearest-neighbour connectivity (structured ward)`, () => {
        const knn = ref.wardKnn!;
        const log = memoryLogger();
        const model = new AgglomerativeClustering({
          nClusters: k,
          connectivity: { nNeighbors: knn.nNeighbors },
          computeFullTree: true,
          computeDistances: true,
          logger: log,
        }).fit(X);
        expect(model.nConnectedComponents).toBe(knn.nConnectedComponents);
        expect(log.messages.length).toBe(knn.nConnectedComponents > 1 ? 1 : 0);
        expect(samePartition(model.labels, knn.labels)).toBe(true);
        expect(Array.from(model.children)).toEqual(knn.children);
        expect(maxRelDiff(model.distances!, knn.distances)).toBeLessThan(1e-9);
        expect(Array.from(model.labels)).toEqual(knn.labels);

        const early = new AgglomerativeClustering({
          nClusters: k,
          connectivity: { nNeighbors: knn.nNeighbors },
          computeFullTree: false,
          logger: log,
        }).fit(X);
        expect(Array.from(early.labels)).toEqual(ref.wardKnnEarly!.labels);
        expect(Array.from(early.children)).toEqual(ref.wardKnnEarly!.children);
        expect(early.linkageMatrix).toBeNull();
      });
    }
  }
});

describe("AgglomerativeClustering model", () => {
  const { X } = sets.blobsOverlap;

  it("exposes the scipy tree, children and distances", () => {
    const model = new AgglomerativeClustering({ nClusters: 5, computeDistances: true }).fit(X);
    const Z = model.linkageMatrix!;
    expect(Z.rows).toBe(399);
    expect(model.children.length).toBe(2 * 399);
    expect(Array.from(model.distances!)).toEqual(Array.from({ length: 399 }, (_, r) => Z.data[4 * r + 2]));
    expect(samePartition(model.labels, fcluster(Z, 5, { criterion: "maxclust" }))).toBe(true);
    expect(new AgglomerativeClustering({ nClusters: 5 }).fit(X).distances).toBeNull();
  });

  it("predict assigns training points to their cluster when clusters are compact", () => {
    const model = new AgglomerativeClustering({ nClusters: 4 }).fit(sets.rand120x4.X);
    const pred = model.predict(sets.rand120x4.X);
    let agree = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === model.labels[i]) agree++;
    expect(agree / pred.length).toBeGreaterThan(0.85);
    // Centres are the cluster means.
    const c0 = model.clusterCenters.data.subarray(0, 4);
    const members = [...model.labels.keys()].filter((i) => model.labels[i] === 0);
    const mean = [0, 1, 2, 3].map(
      (t) => members.reduce((s, i) => s + sets.rand120x4.X.data[4 * i + t], 0) / members.length,
    );
    expect(maxRelDiff(c0, mean)).toBeLessThan(1e-12);
    expect(() => model.predict([[1, 2]])).toThrow("invalid X: 2 features, expected 4 (as seen in fit)");
  });

  it("round-trips through JSON", () => {
    for (const options of [
      { nClusters: 3, linkage: "average" as const, metric: "cosine" as const, computeDistances: true },
      { nClusters: 3, connectivity: { nNeighbors: 5 }, computeFullTree: false },
    ]) {
      const model = new AgglomerativeClustering({ ...options, logger: memoryLogger() }).fit(sets.rand50x2.X);
      const back = modelFromJSON<AgglomerativeClusteringModel>(JSON.parse(JSON.stringify(model)));
      expect(back).toBeInstanceOf(AgglomerativeClusteringModel);
      expect(back.labels).toEqual(model.labels);
      expect(back.children).toEqual(model.children);
      expect(back.distances).toEqual(model.distances);
      expect(back.linkageMatrix).toEqual(model.linkageMatrix);
      expect(back.predict(sets.rand50x2.X)).toEqual(model.predict(sets.rand50x2.X));
      expect(back.toJSON()).toEqual(model.toJSON());
    }
  });

  it("names its errors", () => {
    const small = sets.rand17x5.X;
    expect(() => new AgglomerativeClustering({ linkage: "ward", metric: "cosine" }).fit(small)).toThrow(
      'invalid metric: "cosine" (linkage "ward" works only with "euclidean")',
    );
    expect(() => new AgglomerativeClustering({ nClusters: 18 }).fit(small)).toThrow(
      "invalid nClusters: 18 (n_samples=17 should be >= nClusters=18)",
    );
    expect(() => new AgglomerativeClustering({ nClusters: 2, distanceThreshold: 1 }).fit(small)).toThrow(
      /both nClusters \(2\) and distanceThreshold \(1\) are set/,
    );
    expect(() => new AgglomerativeClustering({ nClusters: null }).fit(small)).toThrow(
      /neither nClusters nor distanceThreshold is set/,
    );
    expect(() => new AgglomerativeClustering({ distanceThreshold: -1 }).fit(small)).toThrow(
      "invalid distanceThreshold: -1",
    );
    expect(() => new AgglomerativeClustering({ distanceThreshold: 1, computeFullTree: false }).fit(small)).toThrow(
      /computeFullTree: false/,
    );
    expect(() =>
      new AgglomerativeClustering({ linkage: "weighted", connectivity: { nNeighbors: 3 } }).fit(small),
    ).toThrow(/only supported with linkage "ward", "complete", "average" or "single"/);
    expect(() => new AgglomerativeClustering({ connectivity: { nNeighbors: 17 } }).fit(small)).toThrow(
      "invalid connectivity.nNeighbors: 17 (must be an integer in [1, 16])",
    );
    expect(() => new AgglomerativeClustering().fit(small, { sampleWeight: new Float64Array(17) })).toThrow(
      ValidationError,
    );
    expect(() => new AgglomerativeClustering().fit([[1, 2]])).toThrow(/at least 2 samples/);
  });
});
