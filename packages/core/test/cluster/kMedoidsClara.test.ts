import { describe, expect, it } from "vitest";
import { KMedoids, KMedoidsModel } from "../../src/cluster/kMedoids.js";
import { ValidationError } from "../../src/errors.js";
import { asMatrix, type Matrix } from "../../src/index.js";
import { memoryLogger, silentLogger } from "../../src/logger.js";
import { Random } from "../../src/random.js";
import { modelFromJSON } from "../../src/serialize.js";
import { loadDatasets, samePartition } from "../fixtures.js";

const datasets = loadDatasets();

/** n points around `centres` gaussian blobs in 2-D (std 1, centres 12 apart on a ring), drawn with `seed`. */
function blobs(n: number, centres: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = i % centres;
    const angle = (2 * Math.PI * c) / centres;
    data[2 * i] = 12 * Math.cos(angle) + rng.normal();
    data[2 * i + 1] = 12 * Math.sin(angle) + rng.normal();
  }
  return { rows: n, cols: 2, data };
}

describe("KMedoids CLARA", () => {
  it("hand-computed toy case: two groups, any sample finds the same medoid values", () => {
    // 1-D groups {0, 0, 0, 1} and {10, 10, 10, 11}. A sample of 6 of the 8 rows misses 2, so it holds at
    // least two 0s and two 10s, and PAM on it picks a 0 and a 10 (a 0 costs 1 for its group, the 1 costs 2
    // or 3). Over the full data the total is |1 - 0| + |11 - 10| = 2 whatever the seed.
    const X = [[0], [0], [0], [1], [10], [10], [10], [11]];
    for (let seed = 0; seed < 6; seed++) {
      const model = new KMedoids({ nClusters: 2, method: "clara", samplingSize: 6, nSamplings: 3, seed }).fit(X);
      expect(model.inertia, `seed ${seed}`).toBe(2);
      const values = Array.from(model.medoidIndices, (i) => X[i][0]).sort((a, b) => a - b);
      expect(values).toEqual([0, 10]);
      expect(samePartition(model.labels, [0, 0, 0, 0, 1, 1, 1, 1])).toBe(true);
      const near0 = model.labels[0];
      expect(Array.from(model.predict([[0.4], [6], [-3]]))).toEqual([near0, 1 - near0, near0]);
    }
  });

  it("labels are every row's nearest medoid; medoid indices point into the full data", () => {
    const X = datasets.blobsOverlap.X;
    const model = new KMedoids({ nClusters: 5, method: "clara", seed: 3 }).fit(X);
    expect(model.predict(X)).toEqual(model.labels);
    for (let c = 0; c < 5; c++) {
      const i = model.medoidIndices[c];
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(X.rows);
      expect(model.labels[i]).toBe(c);
      expect(Array.from(model.clusterCenters.data.subarray(c * 3, c * 3 + 3))).toEqual(
        Array.from(X.data.subarray(i * 3, i * 3 + 3)),
      );
    }
    // inertia = sum of the distances to the assigned medoid (transform gives them)
    const dist = model.transform(X);
    let s = 0;
    for (let o = 0; o < X.rows; o++) s += dist.data[o * 5 + model.labels[o]];
    expect(Math.abs(s - model.inertia)).toBeLessThan(1e-9 * model.inertia);
  });

  it("same seed, same model; later samplings extend the same sequence, so more samplings never cost more", () => {
    const X = blobs(1500, 5, 1);
    const a = new KMedoids({ nClusters: 5, method: "clara", seed: 4 }).fit(X);
    const b = new KMedoids({ nClusters: 5, method: "clara", seed: 4 }).fit(X);
    expect(b.toJSON()).toEqual(a.toJSON());
    const one = new KMedoids({ nClusters: 5, method: "clara", seed: 4, nSamplings: 1 }).fit(X);
    const ten = new KMedoids({ nClusters: 5, method: "clara", seed: 4, nSamplings: 10 }).fit(X);
    expect(a.inertia).toBeLessThanOrEqual(one.inertia);
    expect(ten.inertia).toBeLessThanOrEqual(a.inertia);
    for (const init of ["random", "k-medoids++"] as const) {
      const c = new KMedoids({ nClusters: 5, method: "clara", init, seed: 8 }).fit(X);
      const d = new KMedoids({ nClusters: 5, method: "clara", init, seed: 8 }).fit(X);
      expect(d.toJSON()).toEqual(c.toJSON());
    }
  });

  it("samplingSize = n is exactly PAM (same start, same seed)", () => {
    for (const [name, k] of [
      ["iris", 3],
      ["wine", 4],
      ["blobsOverlap", 5],
    ] as const) {
      const X = datasets[name].X;
      for (const metric of ["euclidean", "manhattan", "cosine"] as const) {
        for (const init of ["build", "random", "k-medoids++"] as const) {
          const pam = new KMedoids({ nClusters: k, metric, init, seed: 2, logger: silentLogger }).fit(X);
          const clara = new KMedoids({
            nClusters: k,
            metric,
            init,
            seed: 2,
            method: "clara",
            samplingSize: X.rows,
            logger: silentLogger,
          }).fit(X);
          const tag = `${name} ${metric} ${init}`;
          expect(Array.from(clara.medoidIndices), tag).toEqual(Array.from(pam.medoidIndices));
          expect(clara.labels, tag).toEqual(pam.labels);
          expect(clara.inertia, tag).toBe(pam.inertia);
          expect(clara.nIter, tag).toBe(pam.nIter);
        }
      }
    }
  });

  it("on 3000 blob points, CLARA's total dissimilarity is within a few % of PAM's", () => {
    // Measured ratios CLARA / PAM for seeds 0, 1, 2: 1.074, 1.022, 1.088 with the defaults (5 samples of
    // 52 rows, about 9 rows per cluster) and 1.024, 1.010, 1.011 with 5 samples of 200 rows.
    const X = blobs(3000, 6, 7);
    const pam = new KMedoids({ nClusters: 6 }).fit(X);
    for (const seed of [0, 1, 2]) {
      const small = new KMedoids({ nClusters: 6, method: "clara", seed }).fit(X);
      expect(small.inertia / pam.inertia, `seed ${seed}, defaults`).toBeLessThan(1.1);
      const large = new KMedoids({ nClusters: 6, method: "clara", seed, samplingSize: 200 }).fit(X);
      expect(large.inertia / pam.inertia, `seed ${seed}, samplingSize 200`).toBeLessThan(1.03);
      expect(new Set(large.labels).size).toBe(6);
    }
  });

  it("fits 200,000 rows (an n x n matrix would need 320 GB); maxSamples does not apply", () => {
    const X = blobs(200_000, 4, 3);
    const model = new KMedoids({ nClusters: 4, method: "clara", nSamplings: 2, maxSamples: 10 }).fit(X);
    expect(model.labels.length).toBe(200_000);
    expect(new Set(model.labels).size).toBe(4);
    // Each ring centre gets one medoid, near its centre.
    for (let c = 0; c < 4; c++) {
      const x = model.clusterCenters.data[2 * c];
      const y = model.clusterCenters.data[2 * c + 1];
      expect(Math.abs(Math.hypot(x, y) - 12)).toBeLessThan(1.5);
    }
  });

  it("k = 1 takes the most central row of the sample; warns about duplicates like PAM", () => {
    const X = [[0], [1], [2], [10], [11]];
    const one = new KMedoids({ nClusters: 1, method: "clara", samplingSize: 5 }).fit(X);
    expect(Array.from(one.medoidIndices)).toEqual([2]);
    expect(one.inertia).toBe(2 + 1 + 0 + 8 + 9);
    const log = memoryLogger();
    const dup = new KMedoids({ nClusters: 8, method: "clara", logger: log }).fit(datasets.duplicates.X);
    expect(dup.nClusters).toBe(8);
    expect(log.messages.some((m) => /non-empty clusters out of 8/.test(m))).toBe(true);
  });

  it("round-trips through JSON", () => {
    const X = datasets.iris.X;
    const model = new KMedoids({ nClusters: 3, method: "clara", metric: "manhattan", seed: 5 }).fit(X);
    const back = modelFromJSON<KMedoidsModel>(JSON.parse(JSON.stringify(model)));
    expect(back).toBeInstanceOf(KMedoidsModel);
    expect(back.toJSON()).toEqual(model.toJSON());
    expect(back.predict(X)).toEqual(model.labels);
  });

  it("names bad options", () => {
    const Y = asMatrix([
      [0, 0],
      [1, 1],
      [5, 5],
      [6, 6],
    ]);
    const clara = (o: object) => () => new KMedoids({ nClusters: 2, method: "clara", ...o }).fit(Y);
    expect(clara({ samplingSize: 1 })).toThrow("invalid samplingSize: 1 (must be an integer in [2, 4])");
    expect(clara({ samplingSize: 5 })).toThrow("invalid samplingSize: 5 (must be an integer in [2, 4])");
    expect(clara({ nSamplings: 0 })).toThrow("invalid nSamplings: 0 (must be an integer >= 1)");
    expect(clara({ nSamplings: 1.5 })).toThrow(ValidationError);
    expect(clara({ init: [0, 2] })).toThrow(/invalid init: \[0,2\] \(explicit medoids are not supported/);
    // The CLARA-only options are ignored by the other methods.
    expect(new KMedoids({ nClusters: 2, samplingSize: 1 }).fit(Y).nClusters).toBe(2);
  });
});
