import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Birch, BirchModel } from "../../src/cluster/birch.js";
import { fma } from "../../src/cluster/birchArithmetic.js";
import { KMeans } from "../../src/cluster/kMeans.js";
import { asMatrix, type Matrix, takeRows } from "../../src/index.js";
import { memoryLogger, silentLogger } from "../../src/logger.js";
import { modelFromJSON } from "../../src/serialize.js";
import { closeTo, type Dataset, loadDatasets, loadFixture, maxAbsDiff, samePartition } from "../fixtures.js";

interface BirchCase {
  name: string;
  dataset: string;
  threshold: number;
  branchingFactor: number;
  k: number;
  centers: number[][];
  subclusterLabels: number[];
  labels: number[];
  warnings: string[];
  labelsNone?: number[];
  transformFirstRows?: number[][];
  partial?: {
    half: number;
    first: { centers: number[][]; labels: number[] };
    centers: number[][];
    subclusterLabels: number[];
    labels: number[];
  };
}
interface Fixture {
  extraDatasets: Record<string, { X: number[][]; labelsTrue: number[]; k: number; description: string }>;
  birch: BirchCase[];
}

const fixture = loadFixture<Fixture>("spectral");
const datasets: Record<string, Dataset> = loadDatasets();
for (const [name, d] of Object.entries(fixture.extraDatasets)) {
  datasets[name] = { X: asMatrix(d.X), labelsTrue: Int32Array.from(d.labelsTrue), k: d.k, description: d.description };
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

function expectCenters(got: Matrix, ref: number[][]): void {
  expect(got.rows).toBe(ref.length);
  expect(maxAbsDiff(got.data, ref.flat())).toBeLessThanOrEqual(1e-9);
}

describe("Birch vs scikit-learn (CF tree, same input order)", () => {
  for (const c of fixture.birch) {
    it(c.name, () => {
      const X = datasets[c.dataset].X;
      const logger = memoryLogger();
      const opts = { threshold: c.threshold, branchingFactor: c.branchingFactor, nClusters: c.k, logger };
      const model = new Birch(opts).fit(X);
      expectCenters(model.subclusterCenters, c.centers);
      // Ward on the same centres: scikit-learn's numbering.
      expect(Array.from(model.subclusterLabels)).toEqual(c.subclusterLabels);
      expect(samePartition(model.labels, c.labels)).toBe(true);
      expect(logger.messages).toEqual(c.warnings);
      expect(model.nClusters).toBe(Math.max(...c.subclusterLabels) + 1);
      if (c.labelsNone) {
        const none = new Birch({ ...opts, nClusters: null }).fit(X);
        expect(Array.from(none.labels)).toEqual(c.labelsNone);
      }
      if (c.transformFirstRows) {
        const t = model.transform(takeRows(X, [0, 1, 2]));
        const ref = c.transformFirstRows.flat();
        // scikit-learn expands |x|^2 - 2 x.c + |c|^2, which loses ~sqrt(eps)|x| near zero distance.
        for (let i = 0; i < ref.length; i++) expect(closeTo(t.data[i], ref[i], 1e-7, 1e-6)).toBe(true);
      }
      if (c.partial) {
        const p = c.partial;
        const first = new Birch({ ...opts, logger: silentLogger }).partialFit(takeRows(X, range(0, p.half)));
        expectCenters(first.subclusterCenters, p.first.centers);
        expect(samePartition(first.labels, p.first.labels)).toBe(true);
        const second = first.partialFit(takeRows(X, range(p.half, X.rows)));
        expectCenters(second.subclusterCenters, p.centers);
        expect(Array.from(second.subclusterLabels)).toEqual(p.subclusterLabels);
        expect(samePartition(second.labels, p.labels)).toBe(true);
        expect(second.nSamplesSeen).toBe(X.rows);
      }
    });
  }
});

describe("Birch behaviour", () => {
  const X = datasets.blobs.X;

  it("partialFit returns a new model and leaves the original unchanged", () => {
    const a = new Birch({ threshold: 0.3, nClusters: 4 }).fit(takeRows(X, range(0, 150)));
    const centers = Array.from(a.subclusterCenters.data);
    const b = a.partialFit(takeRows(X, range(150, 300)));
    const c = a.partialFit(takeRows(X, range(150, 300)));
    expect(Array.from(a.subclusterCenters.data)).toEqual(centers);
    expect(Array.from(b.subclusterCenters.data)).toEqual(Array.from(c.subclusterCenters.data));
    expect(b.subclusterCenters.rows).toBeGreaterThan(a.subclusterCenters.rows);
    expect(b.labels.length).toBe(150);
    // Sizes add up to the samples seen.
    expect(b.subclusterSizes.reduce((s, v) => s + v, 0)).toBe(300);
  });

  it("round-trips through JSON and continues exactly", () => {
    const a = new Birch({ threshold: 0.4, branchingFactor: 4, nClusters: 4 }).fit(takeRows(X, range(0, 200)));
    const back = modelFromJSON<BirchModel>(JSON.parse(JSON.stringify(a)));
    expect(back).toBeInstanceOf(BirchModel);
    expect(Array.from(back.subclusterCenters.data)).toEqual(Array.from(a.subclusterCenters.data));
    expect(Array.from(back.subclusterLabels)).toEqual(Array.from(a.subclusterLabels));
    expect(Array.from(back.predict(X))).toEqual(Array.from(a.predict(X)));
    const rest = takeRows(X, range(200, 300));
    const p1 = a.partialFit(rest);
    const p2 = back.partialFit(rest);
    expect(Array.from(p2.subclusterCenters.data)).toEqual(Array.from(p1.subclusterCenters.data));
    expect(Array.from(p2.labels)).toEqual(Array.from(p1.labels));
    expect(() => BirchModel.fromJSON({ ...a.toJSON(), subclusterLabels: [0] })).toThrow("invalid model JSON");
  });

  it("accepts any clusterer as the global step, and withClusterer swaps it", () => {
    const km = new KMeans({ nClusters: 4, seed: 0, nInit: 5 });
    const model = new Birch({ threshold: 0.3, nClusters: km }).fit(X);
    expect(model.nClusters).toBe(4);
    expect(Array.from(model.subclusterLabels)).toEqual(Array.from(km.fit(model.subclusterCenters).labels));
    const json = JSON.parse(JSON.stringify(model));
    expect(json.clusterer).toBe("custom");
    const back = BirchModel.fromJSON(json);
    expect(Array.from(back.predict(X))).toEqual(Array.from(model.predict(X)));
    expect(() => back.partialFit(X)).toThrow("withClusterer");
    const ward = back.withClusterer(4);
    const direct = new Birch({ threshold: 0.3, nClusters: 4 }).fit(X);
    expect(Array.from(ward.subclusterLabels)).toEqual(Array.from(direct.subclusterLabels));
    expect(ward.labels.length).toBe(0);
    expect(ward.partialFit(takeRows(X, [0, 1])).labels.length).toBe(2);
  });

  it("computeLabels: false leaves labels empty; nClusters null labels the subclusters", () => {
    const m = new Birch({ threshold: 0.3, computeLabels: false }).fit(X);
    expect(m.labels.length).toBe(0);
    const n = new Birch({ threshold: 0.3, nClusters: null }).fit(X);
    expect(Array.from(n.subclusterLabels)).toEqual(range(0, n.subclusterCenters.rows));
  });

  it("a single subcluster with nClusters 1 is one cluster", () => {
    const m = new Birch({ threshold: 100, nClusters: 1 }).fit(X);
    expect(m.subclusterCenters.rows).toBe(1);
    expect(new Set(m.labels)).toEqual(new Set([0]));
  });

  it("names invalid options and data", () => {
    expect(() => new Birch({ threshold: 0 }).fit(X)).toThrow("invalid threshold: 0");
    expect(() => new Birch({ branchingFactor: 1 }).fit(X)).toThrow("invalid branchingFactor: 1");
    expect(() => new Birch({ nClusters: 0 }).fit(X)).toThrow("invalid nClusters: 0");
    expect(() => new Birch({ nClusters: 2.5 }).fit(X)).toThrow("invalid nClusters: 2.5");
    expect(() => new Birch({ nClusters: "x" as unknown as number }).fit(X)).toThrow('invalid nClusters: "x"');
    expect(() => new Birch().fit(X, { sampleWeight: new Float64Array(300) })).toThrow("invalid sampleWeight");
    const m = new Birch({ threshold: 0.5 }).fit(X);
    expect(() => m.predict([[1, 2, 3]])).toThrow("invalid X: 3 features, expected 2");
    expect(() => m.partialFit([[1]])).toThrow("invalid X: 1 features, expected 2");
    expect(() => m.transform([[Number.NaN, 1]])).toThrow("invalid X: NaN at row 0, column 0");
  });
});

/** round(a * b + c) exactly, with BigInt arithmetic (reference for the emulated FMA). */
function exactFma(a: number, b: number, c: number): number {
  const parts = (x: number): [bigint, number] => {
    if (x === 0) return [0n, 0];
    const f = new Float64Array([x]);
    const bits = new BigUint64Array(f.buffer)[0];
    const sign = bits >> 63n ? -1n : 1n;
    const exp = Number((bits >> 52n) & 0x7ffn);
    const frac = bits & ((1n << 52n) - 1n);
    return exp === 0 ? [sign * frac, -1074] : [sign * (frac | (1n << 52n)), exp - 1075];
  };
  const [ma, ea] = parts(a);
  const [mb, eb] = parts(b);
  const [mc, ec] = parts(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  const sum = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e));
  // Round the integer to 53 bits (Number(bigint) rounds to nearest, ties to even), then scale exactly.
  return Number(sum) * 2 ** e;
}

describe("emulated fused multiply-add (BIRCH split distances)", () => {
  it("equals the correctly rounded a * b + c", () => {
    // Ordinary magnitudes (no underflow in the reference's final scaling).
    const num = fc
      .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
      .map((x) => (Math.abs(x) < 1e-100 ? 0 : x));
    fc.assert(
      fc.property(num, num, num, (a, b, c) => {
        expect(Object.is(fma(a, b, c), exactFma(a, b, c)) || fma(a, b, c) === exactFma(a, b, c)).toBe(true);
      }),
      { seed: 3, numRuns: 2000 },
    );
    // Cases where the separate multiply-add rounds differently.
    const a = 1 + 2 ** -30;
    expect(fma(a, a, -1)).toBe(exactFma(a, a, -1));
    expect(fma(a, a, -1)).not.toBe(a * a - 1);
    expect(fma(0.1, 10, -1)).toBe(exactFma(0.1, 10, -1));
  });
});
