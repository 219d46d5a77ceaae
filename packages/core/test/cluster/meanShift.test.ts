import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimateBandwidth } from "../../src/cluster/estimateBandwidth.js";
import { MeanShift, MeanShiftModel } from "../../src/cluster/meanShift.js";
import { numpySum, roundHalfEven } from "../../src/cluster/meanShiftKernels.js";
import { ValidationError } from "../../src/errors.js";
import { memoryLogger, silentLogger } from "../../src/logger.js";
import type { Matrix } from "../../src/matrix.js";
import { modelFromJSON } from "../../src/serialize.js";
import { closeTo, loadDatasets, loadFixture, samePartition } from "../fixtures.js";

interface MeanShiftCase {
  name: string;
  dataset: string;
  bandwidth: number | null;
  binSeeding: boolean;
  minBinFreq: number;
  clusterAll: boolean;
  maxIter: number;
  seeds: number[][] | null;
  bandwidthUsed: number;
  centers: number[][];
  labels: number[];
  nIter: number;
  warnings: string[];
}
interface Fixture {
  estimateBandwidth: { dataset: string; quantile: number; bandwidth: number }[];
  meanShift: MeanShiftCase[];
}

const fixture = loadFixture<Fixture>("exemplar");
const datasets = loadDatasets();

/** Max abs difference between our centres and scikit-learn's, matched through the labels. */
function centerDiff(labels: Int32Array, centers: Matrix, refLabels: number[], ref: number[][]): number {
  const map = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) map.set(labels[i], refLabels[i]);
  let m = 0;
  for (const [a, b] of map) {
    for (let t = 0; t < centers.cols; t++) m = Math.max(m, Math.abs(centers.data[a * centers.cols + t] - ref[b][t]));
  }
  return m;
}

describe("estimateBandwidth vs scikit-learn", () => {
  it("equals estimate_bandwidth on every dataset and quantile", () => {
    for (const c of fixture.estimateBandwidth) {
      const bw = estimateBandwidth(datasets[c.dataset].X, { quantile: c.quantile });
      expect(closeTo(bw, c.bandwidth, 1e-13), `${c.dataset} q=${c.quantile}: ${bw} vs ${c.bandwidth}`).toBe(true);
    }
  });

  it("subsamples with nSamples deterministically by seed", () => {
    const X = datasets.blobsOverlap.X;
    const a = estimateBandwidth(X, { nSamples: 100, seed: 3 });
    expect(estimateBandwidth(X, { nSamples: 100, seed: 3 })).toBe(a);
    expect(estimateBandwidth(X, { nSamples: 1000 })).toBe(estimateBandwidth(X));
    expect(a).toBeGreaterThan(0);
  });

  it("names bad options", () => {
    expect(() => estimateBandwidth([[1], [2]], { quantile: 1.5 })).toThrow(/invalid quantile: 1.5/);
    expect(() => estimateBandwidth([[1], [2]], { nSamples: 0 })).toThrow(/invalid nSamples: 0/);
  });
});

describe("MeanShift vs scikit-learn", () => {
  for (const c of fixture.meanShift) {
    it(c.name, () => {
      const log = memoryLogger();
      const model = new MeanShift({
        bandwidth: c.bandwidth ?? undefined,
        binSeeding: c.binSeeding,
        minBinFreq: c.minBinFreq,
        clusterAll: c.clusterAll,
        maxIter: c.maxIter,
        seeds: c.seeds ?? undefined,
        logger: log,
      }).fit(datasets[c.dataset].X);
      expect(closeTo(model.bandwidth, c.bandwidthUsed, 1e-13)).toBe(true);
      expect(model.nClusters).toBe(c.centers.length);
      // Centres come in scikit-learn's order (intensity, then coordinates), so labels are equal, not just
      // the same partition.
      expect(Array.from(model.labels)).toEqual(c.labels);
      expect(samePartition(model.labels, c.labels)).toBe(true);
      expect(centerDiff(model.labels, model.clusterCenters, c.labels, c.centers)).toBeLessThan(1e-9);
      for (let j = 0; j < c.centers.length; j++) {
        for (let t = 0; t < model.nFeaturesIn; t++) {
          expect(Math.abs(model.clusterCenters.data[j * model.nFeaturesIn + t] - c.centers[j][t])).toBeLessThan(1e-9);
        }
      }
      expect(model.nIter).toBe(c.nIter);
      expect(log.messages.length).toBe(c.warnings.length);
      if (c.clusterAll) expect(Array.from(model.predict(datasets[c.dataset].X))).toEqual(Array.from(model.labels));
    });
  }
});

describe("MeanShift behaviour", () => {
  const X = datasets.aniso.X;

  it("k-d tree and brute-force searches give the same model", () => {
    for (const binSeeding of [false, true]) {
      const a = new MeanShift({ bandwidth: 1, binSeeding, algorithm: "kdtree" }).fit(X);
      const b = new MeanShift({ bandwidth: 1, binSeeding, algorithm: "brute" }).fit(X);
      expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
      expect(a.nIter).toBe(b.nIter);
      for (let i = 0; i < a.clusterCenters.data.length; i++) {
        expect(Math.abs(a.clusterCenters.data[i] - b.clusterCenters.data[i])).toBeLessThan(1e-12);
      }
    }
  });

  it("is deterministic (same options, same result; seed only affects the nSamples estimate)", () => {
    const a = new MeanShift({ nSamples: 120, seed: 5 }).fit(X);
    const b = new MeanShift({ nSamples: 120, seed: 5 }).fit(X);
    expect(b.bandwidth).toBe(a.bandwidth);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.clusterCenters.data)).toEqual(Array.from(a.clusterCenters.data));
  });

  it("labels orphans -1 when clusterAll is false, and predict still assigns them", () => {
    const model = new MeanShift({ bandwidth: 1.5, clusterAll: false }).fit(datasets.variedVariance.X);
    const orphans = Array.from(model.labels).filter((l) => l === -1).length;
    expect(orphans).toBeGreaterThan(0);
    const p = model.predict(datasets.variedVariance.X);
    for (let i = 0; i < p.length; i++) {
      if (model.labels[i] >= 0) expect(p[i]).toBe(model.labels[i]);
      else expect(p[i]).toBeGreaterThanOrEqual(0);
    }
  });

  it("warns and uses the samples when binning keeps one bin per sample", () => {
    const log = memoryLogger();
    const Y = [
      [0, 0],
      [10, 10],
      [20, 0],
    ];
    const model = new MeanShift({ bandwidth: 1, binSeeding: true, logger: log }).fit(Y);
    expect(log.messages.length).toBe(1);
    expect(log.messages[0]).toMatch(/binning data failed/);
    expect(model.nClusters).toBe(3);
  });

  it("stops every climb after maxIter iterations", () => {
    const model = new MeanShift({ bandwidth: 0.7, maxIter: 2 }).fit(datasets.iris.X);
    expect(model.nIter).toBe(2);
    expect(new MeanShift({ bandwidth: 0.7, maxIter: 0 }).fit(datasets.iris.X).nIter).toBe(0);
  });

  it("uses explicit seeds", () => {
    const model = new MeanShift({ bandwidth: 2, seeds: [[0, 0]] }).fit([
      [0, 0],
      [1, 0],
      [0, 1],
      [9, 9],
    ]);
    expect(model.nClusters).toBe(1);
    expect(Array.from(model.clusterCenters.data)).toEqual([1 / 3, 1 / 3]);
  });

  it("names bad options and data", () => {
    const Y = [
      [0, 0],
      [1, 1],
    ];
    expect(() => new MeanShift({ bandwidth: 0 }).fit(Y)).toThrow(ValidationError);
    expect(() => new MeanShift({ bandwidth: 0 }).fit(Y)).toThrow(/invalid bandwidth: 0/);
    expect(() => new MeanShift({ bandwidth: -1 }).fit(Y)).toThrow(/invalid bandwidth: -1/);
    expect(() => new MeanShift({ bandwidth: Number.NaN }).fit(Y)).toThrow(/invalid bandwidth: NaN/);
    expect(() => new MeanShift({ maxIter: -1 }).fit(Y)).toThrow(/invalid maxIter: -1/);
    expect(() => new MeanShift({ minBinFreq: 0 }).fit(Y)).toThrow(/invalid minBinFreq: 0/);
    expect(() => new MeanShift({ bandwidth: 1, binSeeding: true, minBinFreq: 5 }).fit(Y)).toThrow(
      /invalid minBinFreq: 5/,
    );
    expect(() => new MeanShift({ bandwidth: 1, seeds: [[1, 2, 3]] }).fit(Y)).toThrow(/invalid seeds/);
    expect(() => new MeanShift({ bandwidth: 1, seeds: [[50, 50]] }).fit(Y)).toThrow(/invalid bandwidth: 1/);
    expect(() =>
      new MeanShift().fit([
        [1, 1],
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/invalid bandwidth: 0/);
    expect(() => new MeanShift({ bandwidth: 1 }).fit([[Number.NaN, 1]])).toThrow(/invalid X/);
    const model = new MeanShift({ bandwidth: 1 }).fit(Y);
    expect(() => model.predict([[1, 2, 3]])).toThrow(/invalid X: 3 features, expected 2/);
  });

  it("round-trips through JSON", () => {
    const model = new MeanShift({ bandwidth: 1.5, clusterAll: false }).fit(datasets.variedVariance.X);
    const back = modelFromJSON<MeanShiftModel>(JSON.parse(JSON.stringify(model)));
    expect(back).toBeInstanceOf(MeanShiftModel);
    expect(back.toJSON()).toEqual(model.toJSON());
    expect(Array.from(back.predict(datasets.variedVariance.X))).toEqual(
      Array.from(model.predict(datasets.variedVariance.X)),
    );
    expect(() => MeanShiftModel.fromJSON({ type: "MeanShiftModel", version: 2 })).toThrow(/invalid model JSON/);
  });

  it("property: every centre is a mean of samples, labels index the nearest centre", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })), {
          minLength: 2,
          maxLength: 40,
        }),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        (pts, bw) => {
          const model = new MeanShift({ bandwidth: bw, logger: silentLogger }).fit(pts);
          const k = model.nClusters;
          expect(k).toBeGreaterThanOrEqual(1);
          // centres are pairwise farther apart than the bandwidth
          const c = model.clusterCenters.data;
          for (let a = 0; a < k; a++) {
            for (let b = a + 1; b < k; b++) {
              expect(Math.hypot(c[2 * a] - c[2 * b], c[2 * a + 1] - c[2 * b + 1])).toBeGreaterThan(bw);
            }
          }
          expect(Array.from(model.predict(pts))).toEqual(Array.from(model.labels));
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });
});

describe("meanShift kernels", () => {
  it("numpySum reproduces numpy's pairwise summation shape", () => {
    const a = new Float64Array(300);
    for (let i = 0; i < a.length; i++) a[i] = 1 / (i + 1);
    let seq = 0;
    for (let i = 0; i < a.length; i++) seq += a[i];
    expect(closeTo(numpySum(a, 0, 300), seq, 1e-14)).toBe(true);
    expect(numpySum(a, 0, 5)).toBe(1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5);
  });

  it("roundHalfEven rounds ties to even like np.round", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });
});
