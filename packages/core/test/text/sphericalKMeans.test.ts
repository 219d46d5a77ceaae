import { describe, expect, it } from "vitest";
import {
  csrFromDense,
  memoryLogger,
  modelFromJSON,
  SphericalKMeans,
  type SphericalKMeansModel,
} from "../../src/index.js";
import { samePartition } from "../fixtures.js";

describe("SphericalKMeans", () => {
  // Three directions, each row a scaled, slightly perturbed copy: the scale must not matter.
  const rows = [
    [1, 0.1, 0],
    [5, 0.3, 0.2],
    [0.2, 0, 0.01],
    [0, 1, 0.1],
    [0.1, 7, 0],
    [0, 0.3, 0.02],
    [0, 0.1, 1],
    [0.2, 0, 3],
    [0, 0.05, 0.4],
  ];
  const truth = [0, 0, 0, 1, 1, 1, 2, 2, 2];

  it("clusters by direction, not by length, for dense and sparse input", () => {
    const dense = new SphericalKMeans({ nClusters: 3, seed: 0 }).fit(rows);
    expect(samePartition(dense.labels, truth)).toBe(true);
    const sparse = new SphericalKMeans({ nClusters: 3, seed: 0 }).fit(
      csrFromDense({ rows: 9, cols: 3, data: Float64Array.from(rows.flat()) }),
    );
    expect(Array.from(sparse.labels)).toEqual(Array.from(dense.labels));
    expect(dense.converged).toBe(true);
    for (let j = 0; j < 3; j++) {
      const c = dense.clusterCenters.data.subarray(j * 3, j * 3 + 3);
      expect(Math.hypot(...c)).toBeCloseTo(1, 12);
    }
    expect(dense.objective).toBeGreaterThan(8.9);
    expect(dense.inertia).toBeCloseTo(9 - dense.objective, 12);
    expect(
      Array.from(
        dense.predict([
          [3, 0, 0],
          [0, 0, 2],
          [0, 0, 0],
        ]),
      ),
    ).toEqual([dense.labels[0], dense.labels[6], -1]);
  });

  it("labels all-zero rows -1 and leaves them out", () => {
    const model = new SphericalKMeans({ nClusters: 3 }).fit([...rows, [0, 0, 0]]);
    expect(model.labels[9]).toBe(-1);
    expect(samePartition(model.labels.subarray(0, 9), truth)).toBe(true);
    expect(() =>
      new SphericalKMeans({ nClusters: 3 }).fit([
        [0, 0],
        [0, 0],
        [1, 0],
      ]),
    ).toThrow(/non-zero rows, 1/);
  });

  it("is reproducible, keeps the best of nInit runs and warns on duplicates", () => {
    const a = new SphericalKMeans({ nClusters: 3, seed: 4, nInit: 3 }).fit(rows);
    const b = new SphericalKMeans({ nClusters: 3, seed: 4, nInit: 3 }).fit(rows);
    expect(a.labels).toEqual(b.labels);
    const logger = memoryLogger();
    new SphericalKMeans({ nClusters: 2, logger }).fit([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    expect(logger.messages.join()).toMatch(/distinct clusters \(1\)/);
  });

  it("round-trips through JSON", () => {
    const model = new SphericalKMeans({ nClusters: 3 }).fit(rows);
    const back = modelFromJSON<SphericalKMeansModel>(JSON.parse(JSON.stringify(model)));
    expect(back.predict(rows)).toEqual(model.predict(rows));
    expect(back.objective).toBe(model.objective);
  });
});
