import { describe, expect, it } from "vitest";
import { heldOutEvaluation, internalScores, KMeans, Pipeline, StandardScaler, silentLogger } from "../../src/index.js";
import { blobs, THREE_BLOBS, uniform } from "./helpers.js";

const kmeans = (k: number) => () => new KMeans({ nClusters: k, seed: 3, logger: silentLogger });

describe("heldOutEvaluation", () => {
  it("gives ARI ~1 on separated blobs and good test-set scores", () => {
    const { X } = blobs(THREE_BLOBS, 50, 1);
    const e = heldOutEvaluation(X, kmeans(3), { testSize: 0.3, seed: 4 });
    expect([e.nTrain, e.nTest]).toEqual([105, 45]);
    expect(e.testIndices).toHaveLength(45);
    expect(new Set([...e.trainIndices, ...e.testIndices]).size).toBe(150);
    expect(e.ari).toBeCloseTo(1, 12);
    expect(e.test.nClusters).toBe(3);
    expect(e.test.silhouette!).toBeGreaterThan(0.8);
    expect(e.test.daviesBouldin!).toBeLessThan(0.3);
    expect(e.train.silhouette!).toBeGreaterThan(0.8);
    // Same seed, same result.
    expect(heldOutEvaluation(X, kmeans(3), { testSize: 0.3, seed: 4 })).toEqual(e);
  });

  it("agrees less on structureless data, and scores pipelines on the scaled rows", () => {
    const X = uniform(200);
    const e = heldOutEvaluation(X, kmeans(5), { seed: 1 });
    // Measured: ARI 0.42 on uniform noise (k = 5) against 1.00 for the blobs (test silhouette 0.32 vs 0.85).
    expect(e.ari).toBeLessThan(0.9);
    const { X: B } = blobs(
      [
        [0, 0],
        [1000, 0],
      ],
      30,
      1,
    );
    const pipe = () =>
      new Pipeline({
        steps: [
          ["scale", new StandardScaler()],
          ["kmeans", new KMeans({ nClusters: 2, seed: 0, logger: silentLogger })],
        ],
      });
    const p = heldOutEvaluation(B, pipe, { seed: 2 });
    expect(p.ari).toBe(1);
    // On the scaled rows the second feature still carries some spread; on raw rows the silhouette is ~1.
    const raw = heldOutEvaluation(B, kmeans(2), { seed: 2 });
    expect(raw.test.silhouette!).toBeGreaterThan(p.test.silhouette! - 1e-9);
    expect(p.test.calinskiHarabasz).not.toBeCloseTo(raw.test.calinskiHarabasz!, 3);
  });

  it("rejects a split leaving too few rows, and scores degenerate labellings as null", () => {
    const { X } = blobs(THREE_BLOBS, 1, 1);
    expect(() => heldOutEvaluation(X, kmeans(1), { testSize: 0.9 })).toThrow(/invalid testSize/);
    expect(() => heldOutEvaluation(X, kmeans(1), { testSize: 1 })).toThrow(/testSize/);
    const s = internalScores({ rows: 4, cols: 1, data: Float64Array.of(0, 1, 2, 3) }, Int32Array.of(0, 0, -1, -1));
    expect(s).toEqual({ silhouette: null, calinskiHarabasz: null, daviesBouldin: null, nClusters: 1, nNoise: 2 });
  });
});
