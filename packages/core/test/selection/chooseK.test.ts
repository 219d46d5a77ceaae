import { describe, expect, it } from "vitest";
import {
  type ChooseKOptions,
  calinskiHarabaszScore,
  chooseK,
  daviesBouldinScore,
  KMeans,
  type KSweepEntry,
  type Matrix,
  memoryLogger,
  Random,
  silentLogger,
  silhouetteScore,
  ValidationError,
} from "../../src/index.js";
import { loadDatasets } from "../fixtures.js";

/** Well-separated Gaussian blobs: centres on a circle of radius `spread`, unit spread. */
function blobs(k: number, perCluster: number, d: number, seed: number, spread = 20): Matrix {
  const rng = new Random(seed);
  const n = k * perCluster;
  const data = new Float64Array(n * d);
  for (let c = 0; c < k; c++) {
    const angle = (2 * Math.PI * c) / k;
    for (let i = 0; i < perCluster; i++) {
      const row = (c * perCluster + i) * d;
      for (let j = 0; j < d; j++) {
        const centre = j === 0 ? spread * Math.cos(angle) : j === 1 ? spread * Math.sin(angle) : (c % 2) * spread;
        data[row + j] = centre + rng.normal();
      }
    }
  }
  return { rows: n, cols: d, data };
}

describe("chooseK on well-separated blobs", () => {
  for (const [k, d, seed] of [
    [3, 2, 1],
    [4, 2, 2],
    [5, 3, 3],
    [6, 4, 4],
  ] as const) {
    it(`finds k = ${k} (d = ${d})`, () => {
      const X = blobs(k, 40, d, seed);
      const r = chooseK(X, { kMin: 2, kMax: 9, nInit: 3, logger: silentLogger });
      expect(r.suggestion.k).toBe(k);
      expect(r.suggestion.by).toBe("silhouette");
      expect(r.elbow).toBe(k);
      expect(r.suggestion.reason).toMatch(`highest silhouette at k=${k}`);
      expect(r.suggestion.reason).toMatch("the inertia elbow agrees");
    });
  }
});

describe("chooseK result", () => {
  const X = blobs(4, 30, 2, 7);

  it("has one entry per k, matching KMeans and the metrics run directly", () => {
    const options: ChooseKOptions = { kMin: 1, kMax: 6, seed: 5, nInit: 2, keepLabels: true };
    const r = chooseK(X, options);
    expect(r.ks).toEqual([1, 2, 3, 4, 5, 6]);
    for (const a of [r.inertia, r.silhouette, r.calinskiHarabasz, r.daviesBouldin, r.labels!])
      expect(a).toHaveLength(6);
    // k = 1: internal metrics undefined
    expect(r.silhouette[0]).toBeNull();
    expect(r.calinskiHarabasz[0]).toBeNull();
    expect(r.daviesBouldin[0]).toBeNull();
    for (let i = 0; i < r.ks.length; i++) {
      const model = new KMeans({ nClusters: r.ks[i], seed: 5, nInit: 2 }).fit(X);
      expect(r.inertia[i]).toBe(model.inertia);
      expect(Array.from(r.labels![i])).toEqual(Array.from(model.labels));
      if (i > 0) {
        expect(r.silhouette[i]).toBe(silhouetteScore(X, model.labels));
        expect(r.calinskiHarabasz[i]).toBe(calinskiHarabaszScore(X, model.labels));
        expect(r.daviesBouldin[i]).toBe(daviesBouldinScore(X, model.labels));
      }
    }
    // inertia decreases with k on this data
    for (let i = 1; i < r.inertia.length; i++) expect(r.inertia[i]).toBeLessThan(r.inertia[i - 1]);
  });

  it("omits labels unless asked", () => {
    expect(chooseK(X, { kMax: 4 }).labels).toBeUndefined();
  });

  it("is deterministic for a seed", () => {
    const a = chooseK(X, { kMax: 7, seed: 11, silhouetteSampleSize: 60 });
    const b = chooseK(X, { kMax: 7, seed: 11, silhouetteSampleSize: 60 });
    expect(b).toEqual(a);
  });

  it("samples the silhouette when asked", () => {
    const full = chooseK(X, { kMax: 5, keepLabels: true });
    const sampled = chooseK(X, { kMax: 5, silhouetteSampleSize: 50, seed: 0, keepLabels: true });
    expect(sampled.inertia).toEqual(full.inertia);
    for (let i = 0; i < full.ks.length; i++) {
      expect(sampled.silhouette[i]).toBe(silhouetteScore(X, full.labels![i], { sampleSize: 50, seed: 0 }));
    }
    // at or above n every sample is used
    expect(chooseK(X, { kMax: 5, silhouetteSampleSize: 1000 }).silhouette).toEqual(full.silhouette);
  });

  it("reports progress in increasing k", () => {
    const seen: number[] = [];
    const entries: KSweepEntry[] = [];
    const r = chooseK(X, {
      kMin: 2,
      kMax: 5,
      onProgress: (k, entry) => {
        seen.push(k);
        entries.push(entry);
      },
    });
    expect(seen).toEqual([2, 3, 4, 5]);
    expect(entries.map((e) => e.k)).toEqual(seen);
    expect(entries.map((e) => e.inertia)).toEqual(r.inertia);
    expect(entries.map((e) => e.silhouette)).toEqual(r.silhouette);
    expect(entries[0].labels).toHaveLength(X.rows);
  });

  it("defaults to k = 2..10", () => {
    const r = chooseK(X);
    expect(r.ks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("lowers the default kMax to n on tiny data", () => {
    const tiny = [[0], [1], [5], [6], [10]];
    const r = chooseK(tiny, { logger: silentLogger });
    expect(r.ks).toEqual([2, 3, 4, 5]);
    // k = n: every point its own cluster, internal metrics undefined
    expect(r.silhouette[3]).toBeNull();
    expect(r.suggestion.k).toBe(3);
  });

  it("records null metrics when k-means finds fewer distinct clusters than k", () => {
    const { X: dup } = loadDatasets().duplicates; // 25 points, 6 distinct
    const logger = memoryLogger();
    const r = chooseK(dup, { kMin: 6, kMax: 8, logger });
    expect(r.silhouette[0]).not.toBeNull();
    expect(logger.messages.length).toBeGreaterThan(0); // KMeans warns about k > distinct points
    expect(r.suggestion.by).toBe("silhouette");
  });

  it("falls back to kMin when there is neither a silhouette nor an elbow", () => {
    const one = chooseK([[0], [1], [2]], { kMin: 1, kMax: 1 });
    expect(one.elbow).toBeNull();
    expect(one.suggestion).toEqual({
      k: 1,
      by: "fallback",
      reason: "no silhouette could be computed and the inertia curve has no elbow; defaulting to kMin=1",
    });
    expect(one.ks).toEqual([1]);
  });

  it("states the elbow when it disagrees (iris: silhouette 2, elbow 3)", () => {
    const { X: iris } = loadDatasets().iris;
    const r = chooseK(iris, { kMin: 1, kMax: 10, nInit: 10 });
    expect(r.suggestion.k).toBe(2);
    expect(r.elbow).toBe(3);
    expect(r.suggestion.reason).toMatch(
      /highest silhouette at k=2 \(0\.68\d\); the inertia elbow is at k=3 \(silhouette 0\.55\d\)/,
    );
  });
});

describe("chooseK errors name the value", () => {
  const X = blobs(3, 5, 2, 1); // n = 15
  const cases: [ChooseKOptions, string][] = [
    [{ kMin: 0 }, "invalid kMin: 0 (must be an integer >= 1)"],
    [{ kMin: 1.5 }, "invalid kMin: 1.5"],
    [{ kMin: 5, kMax: 4 }, "invalid kMax: 4 (must be >= kMin = 5)"],
    [{ kMax: 16 }, "invalid kMax: 16 (must be <= n_samples = 15)"],
    [{ kMin: 16, kMax: 16 }, "invalid kMin: 16 (must be <= n_samples = 15)"],
    [{ kMax: 2.5 }, "invalid kMax: 2.5 (must be an integer)"],
    [{ nInit: 0 }, "invalid nInit: 0"],
    [{ algorithm: "fast" as "lloyd" }, 'invalid algorithm: "fast"'],
    [{ silhouetteSampleSize: 1 }, "invalid silhouetteSampleSize: 1 (must be an integer >= 2)"],
    [{ seed: Number.NaN }, "invalid seed: NaN"],
    [{ onProgress: 3 as unknown as () => void }, "invalid onProgress: 3 (must be a function)"],
  ];
  for (const [options, message] of cases) {
    it(message, () => {
      expect(() => chooseK(X, options)).toThrow(ValidationError);
      expect(() => chooseK(X, options)).toThrow(message);
    });
  }
  it("rejects bad data", () => {
    expect(() => chooseK([])).toThrow("invalid X: empty");
  });
});
