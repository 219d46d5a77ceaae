import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  anomalyContributions,
  clusterAnomalyScores,
  DBSCAN,
  GaussianMixture,
  HDBSCAN,
  KMeans,
  KMedoids,
  type Matrix,
  OPTICS,
  Pipeline,
  Random,
  rocAuc,
  SpectralClustering,
  StandardScaler,
  scoreOrder,
  silentLogger,
} from "../../src/index.js";
import { loadFixture, maxAbsDiff } from "../fixtures.js";
import { blobs } from "./helpers.js";

/** 100 rows of a 3-D standard normal blob, then 5 far points (rows 100-104) in different directions. */
function blobWithOutliers(seed = 1): Matrix {
  const { X } = blobs([[0, 0, 0]], 100, 1, seed);
  const far = [8, 0, 0, 0, -8, 0, 0, 0, 9, 6, 6, 0, -6, 0, -6];
  return { rows: 105, cols: 3, data: Float64Array.of(...X.data, ...far) };
}
const planted = [100, 101, 102, 103, 104];
const top5 = (scores: Float64Array) => Array.from(scoreOrder(scores).slice(0, 5)).sort((a, b) => a - b);

describe("clusterAnomalyScores", () => {
  const X = blobWithOutliers();
  const cases: [string, () => object, string][] = [
    ["kmeans", () => new KMeans({ nClusters: 1, seed: 0, logger: silentLogger }).fit(X), "relativeCenterDistance"],
    ["kmedoids", () => new KMedoids({ nClusters: 1, seed: 0 }).fit(X), "relativeCenterDistance"],
    ["gmm", () => new GaussianMixture({ nComponents: 1, seed: 0 }).fit(X), "negativeLogLikelihood"],
    ["hdbscan", () => new HDBSCAN({ minClusterSize: 10 }).fit(X), "glosh"],
    ["dbscan", () => new DBSCAN({ eps: 1, minSamples: 5 }).fit(X), "coreSampleDistance"],
    ["optics", () => new OPTICS({ minSamples: 5 }).fit(X), "coreDistance"],
  ];
  for (const [name, fit, kind] of cases) {
    it(`${name}: the 5 planted far points rank top`, () => {
      const a = clusterAnomalyScores(fit(), X);
      expect(a.kind).toBe(kind);
      expect(a.scores).toHaveLength(105);
      expect(top5(a.scores)).toEqual(planted);
      expect(a.clusters).toHaveLength(105);
    });
  }

  it("k-means: distance to the nearest centre over the cluster's median distance", () => {
    // A tight cluster (sd 0.2) and a loose one (sd 2); one extra row 2 units from each centre.
    const { X: B } = blobs(
      [
        [0, 0],
        [30, 0],
      ],
      50,
      1,
      3,
    );
    const data = Float64Array.from(B.data);
    for (let i = 0; i < 50; i++) for (let t = 0; t < 2; t++) data[i * 2 + t] *= 0.2;
    for (let i = 50; i < 100; i++) data[i * 2 + 1] *= 2;
    for (let i = 50; i < 100; i++) data[i * 2] = 30 + 2 * (data[i * 2] - 30);
    const M: Matrix = { rows: 102, cols: 2, data: Float64Array.of(...data, 0, 2, 30, 2) };
    const model = new KMeans({ nClusters: 2, seed: 0, logger: silentLogger }).fit(M);
    const a = clusterAnomalyScores(model, M);
    const c = model.clusterCenters.data;
    for (const i of [0, 77, 100, 101]) {
      const j = a.clusters[i];
      const d = Math.hypot(M.data[i * 2] - c[j * 2], M.data[i * 2 + 1] - c[j * 2 + 1]);
      expect(a.scores[i]).toBeCloseTo(d / a.spreads![j], 12);
    }
    // Same raw distance, but the tight cluster's outlier is far more unusual.
    expect(a.scores[100]).toBeGreaterThan(5 * a.scores[101]);
    expect(scoreOrder(a.scores)[0]).toBe(100);
    // Spread = the median member distance.
    const members = Array.from(a.scores.keys()).filter((i) => a.clusters[i] === a.clusters[0]);
    const rel = members.map((i) => a.scores[i]).sort((x, y) => x - y);
    const h = rel.length >> 1;
    expect(rel.length % 2 ? rel[h] : (rel[h - 1] + rel[h]) / 2).toBeCloseTo(1, 12);
  });

  it("dbscan: score > 1 exactly for the noise rows", () => {
    const model = new DBSCAN({ eps: 1, minSamples: 5 }).fit(X);
    const a = clusterAnomalyScores(model, X);
    for (let i = 0; i < X.rows; i++) {
      expect(a.scores[i] > 1, `row ${i}`).toBe(model.labels[i] === -1);
      if (model.labels[i] === -1) expect(a.clusters[i]).toBe(-1);
    }
    for (const c of model.coreSampleIndices) expect(a.scores[c]).toBe(0);
  });

  it("unwraps a pipeline and is deterministic per seed", () => {
    const fit = (seed: number) =>
      new Pipeline({
        steps: [
          ["scale", new StandardScaler()],
          ["kmeans", new KMeans({ nClusters: 3, seed, logger: silentLogger })],
        ],
      }).fit(X);
    const a = clusterAnomalyScores(fit(4), X);
    expect(Array.from(clusterAnomalyScores(fit(4), X).scores)).toEqual(Array.from(a.scores));
    expect(a.kind).toBe("relativeCenterDistance");
  });

  it("refuses a model without a score and new rows for GLOSH", () => {
    const spectral = new SpectralClustering({ nClusters: 2, seed: 0 }).fit(X);
    expect(() => clusterAnomalyScores(spectral, X)).toThrow(/has no anomaly score/);
    const h = new HDBSCAN({ minClusterSize: 10 }).fit(X);
    expect(() => clusterAnomalyScores(h, [[0, 0, 0]])).toThrow(/training rows only/);
  });

  it("matches scikit-learn on the wine outlier file (k = 1 centre distance, one-component GMM)", () => {
    const fx = loadFixture<{
      wineOutliers: {
        file: string;
        kmeans1: { scores: number[]; rocAuc: number };
        gmm1: { scores: number[]; rocAuc: number };
      };
    }>("anomalies").wineOutliers;
    const lines = readFileSync(new URL(`../../../../${fx.file}`, import.meta.url), "utf8")
      .trim()
      .split("\n")
      .slice(1);
    const rows = lines.map((l) => l.split(",").map(Number));
    const W: Matrix = { rows: rows.length, cols: 13, data: Float64Array.from(rows.flatMap((r) => r.slice(0, 13))) };
    const truth = rows.map((r) => r[13]);
    const pipe = (step: [string, never]) => new Pipeline({ steps: [["scale", new StandardScaler()], step] }).fit(W);
    const k1 = clusterAnomalyScores(
      pipe(["kmeans", new KMeans({ nClusters: 1, seed: 0, logger: silentLogger }) as never]),
      W,
    );
    expect(maxAbsDiff(k1.scores, fx.kmeans1.scores)).toBeLessThan(1e-9);
    expect(rocAuc(k1.scores, truth)).toBeCloseTo(fx.kmeans1.rocAuc, 12);
    const g1 = clusterAnomalyScores(pipe(["gmm", new GaussianMixture({ nComponents: 1, seed: 0 }) as never]), W);
    // Minus the log density, about 10-40 here: agree to 1e-6 relative.
    expect(maxAbsDiff(g1.scores, fx.gmm1.scores)).toBeLessThan(1e-6 * Math.max(...fx.gmm1.scores.map(Math.abs)));
    expect(rocAuc(g1.scores, truth)).toBeCloseTo(fx.gmm1.rocAuc, 12);
  });
});

describe("anomalyContributions", () => {
  it("names the planted deviant feature, with direction and typical value", () => {
    const random = new Random(5);
    const n = 60;
    const data = new Float64Array(n * 4);
    for (let i = 0; i < n; i++) {
      // Two clusters in 4 features; feature scales differ (1, 10, 100, 0.1).
      const c = i < 30 ? 0 : 1;
      const scale = [1, 10, 100, 0.1];
      for (let t = 0; t < 4; t++) data[i * 4 + t] = scale[t] * (c * 5 + random.normal());
    }
    // Row 40 (cluster 1) is normal except feature 2, 6 SDs low.
    data[40 * 4 + 2] = 100 * (5 - 6);
    const clusters = Int32Array.from({ length: n }, (_, i) => (i < 30 ? 0 : 1));
    const [r] = anomalyContributions({ rows: n, cols: 4, data }, clusters, [40], {
      featureNames: ["a", "b", "c", "d"],
      reference: Uint8Array.from({ length: n }, (_, i) => (i === 40 ? 0 : 1)),
    });
    expect(r.row).toBe(40);
    expect(r.cluster).toBe(1);
    expect(r.features).toHaveLength(3);
    const f = r.features[0];
    expect(f.feature).toBe("c");
    expect(f.direction).toBe("lower");
    expect(f.z).toBeLessThan(-4);
    expect(f.typical).toBeGreaterThan(400);
    expect(f.value).toBe(-100);
    expect(f.z).toBeCloseTo((f.value - f.typical) / f.sd, 12);
  });

  it("compares a noise row with the nearest cluster, and a lone row with the whole data", () => {
    const data = Float64Array.of(0, 0, 1, 1, 0, 1, 10, 10, 11, 11, 10, 11, 9, 12, 50, 50);
    const X: Matrix = { rows: 8, cols: 2, data };
    const out = anomalyContributions(X, [0, 0, 0, 1, 1, 1, -1, 2], [6, 7, 0], { top: 1 });
    expect(out[0]).toMatchObject({ row: 6, cluster: 1, nearest: true });
    expect(out[1]).toMatchObject({ row: 7, cluster: -1, nearest: false });
    expect(out[2].features).toHaveLength(1);
    expect(() => anomalyContributions(X, [0], [0])).toThrow(/one per row/);
  });
});
