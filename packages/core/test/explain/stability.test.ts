import { describe, expect, it } from "vitest";
import {
  bootstrapStability,
  frame,
  KMeans,
  type Matrix,
  predictionStrength,
  silentLogger,
  stabilityBand,
} from "../../src/index.js";
import { blobs, THREE_BLOBS, uniform } from "./helpers.js";

const kmeans = (k: number) => new KMeans({ nClusters: k, seed: 3, logger: silentLogger });
const fitPredict = (k: number) => (sample: Matrix) => kmeans(k).fit(sample).labels;

describe("bootstrapStability", () => {
  it("finds well-separated blobs highly stable (Jaccard > 0.95)", () => {
    const { X } = blobs(THREE_BLOBS, 40, 1);
    const s = bootstrapStability(X, fitPredict(3), { nBootstrap: 20, seed: 7 });
    expect(s.nBootstrap).toBe(20);
    expect(s.clusters).toHaveLength(3);
    for (const c of s.clusters) {
      expect(c.size).toBe(40);
      expect(c.jaccards).toHaveLength(20);
      expect(c.meanJaccard).toBeGreaterThan(0.95);
      expect(c.band).toBe("highly stable");
      expect(c.dissolved).toBe(0);
      expect(c.recovered).toBe(20);
    }
    expect(s.meanJaccard).toBeGreaterThan(0.95);
  });

  it("finds k = 4 on uniform noise less stable", () => {
    const X = uniform(120);
    const s = bootstrapStability(X, fitPredict(4), { nBootstrap: 20, seed: 7 });
    const blobsMean = bootstrapStability(blobs(THREE_BLOBS, 40, 1).X, fitPredict(3), { nBootstrap: 20, seed: 7 })
      .meanJaccard!;
    // Measured: 0.83 for uniform noise (clusters 0.76 to 0.92) against 1.00 for the blobs.
    expect(s.meanJaccard!).toBeLessThan(0.9);
    expect(s.meanJaccard!).toBeLessThan(blobsMean - 0.1);
    expect(Math.min(...s.clusters.map((c) => c.meanJaccard!))).toBeLessThan(0.85);
  });

  it("is deterministic for a seed, takes given labels, and works on frames", () => {
    const { X, labels } = blobs(THREE_BLOBS, 15, 3);
    const a = bootstrapStability(X, fitPredict(3), { nBootstrap: 5, seed: 1 });
    const b = bootstrapStability(X, fitPredict(3), { nBootstrap: 5, seed: 1 });
    expect(b).toEqual(a);
    const c = bootstrapStability(X, fitPredict(3), { nBootstrap: 5, seed: 2 });
    expect(c.clusters.map((x) => x.jaccards)).not.toEqual(a.clusters.map((x) => x.jaccards));
    let calls = 0;
    const given = bootstrapStability(
      X,
      (sample) => {
        calls++;
        return kmeans(3).fit(sample).labels;
      },
      { nBootstrap: 3, labels },
    );
    expect(calls).toBe(3);
    expect(given.clusters.map((x) => x.size)).toEqual([15, 15, 15]);
    // A frame is resampled as a frame; `rows` says which original rows were drawn.
    const f = frame({ x: Float64Array.from({ length: 10 }, (_, i) => (i < 5 ? 0 : 10)) });
    const seen: number[] = [];
    const fs = bootstrapStability(
      f,
      (sample, rows) => {
        expect(sample.rows).toBe(10);
        seen.push(rows.length);
        return Int32Array.from(sample.columns[0] as Float64Array, (v) => (v > 5 ? 1 : 0));
      },
      { nBootstrap: 2 },
    );
    expect(seen).toEqual([10, 10, 10]);
    expect(fs.clusters.every((x) => x.meanJaccard === 1)).toBe(true);
  });

  it("scores noise rows as members of no cluster", () => {
    // The refit calls every row of cluster 1 noise: cluster 1 then never matches.
    const X = { rows: 6, cols: 1, data: Float64Array.of(0, 0, 0, 5, 5, 5) };
    const s = bootstrapStability(X, (sample) => Int32Array.from(sample.data, (v) => (v > 2 ? -1 : 0)), {
      labels: [0, 0, 0, 1, 1, 1],
      nBootstrap: 4,
    });
    expect(s.clusters[0].meanJaccard).toBe(1);
    expect(s.clusters[1].meanJaccard).toBe(0);
    expect(s.clusters[1].band).toBe("dissolved");
  });

  it("bands", () => {
    expect([0.5, 0.6, 0.7, 0.75, 0.85, 0.9].map(stabilityBand)).toEqual([
      "dissolved",
      "patterns",
      "patterns",
      "stable",
      "stable",
      "highly stable",
    ]);
  });
});

describe("predictionStrength", () => {
  it("is high for the true k on blobs and lower for too many clusters", () => {
    const { X } = blobs(THREE_BLOBS, 40, 1);
    const at3 = predictionStrength(X, kmeans, 3, { seed: 5 });
    expect(at3).toMatchObject({ k: 3, folds: 2, repeats: 1 });
    expect(at3.values).toHaveLength(2);
    expect(at3.predictionStrength).toBeGreaterThan(0.95);
    const at6 = predictionStrength(X, kmeans, 6, { seed: 5 });
    // Measured: 1.00 at k = 3; 0.49 at k = 2, 0.59 at k = 4, 0.40 at k = 6.
    expect(at6.predictionStrength).toBeLessThan(at3.predictionStrength - 0.1);
    expect(predictionStrength(X, kmeans, 3, { seed: 5 })).toEqual(at3);
    expect(predictionStrength(X, kmeans, 1).predictionStrength).toBe(1);
    const more = predictionStrength(X, kmeans, 3, { seed: 5, folds: 3, repeats: 2 });
    expect(more.values).toHaveLength(6);
  });

  it("rejects bad options", () => {
    const { X } = blobs(THREE_BLOBS, 2, 1);
    expect(() => predictionStrength(X, kmeans, 0)).toThrow(/invalid k/);
    expect(() => predictionStrength(X, kmeans, 2, { folds: 1 })).toThrow(/invalid folds/);
    expect(() => predictionStrength(X, kmeans, 2, { folds: 7 })).toThrow(/must be <= the number of rows/);
  });
});
