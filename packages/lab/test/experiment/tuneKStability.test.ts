import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bootstrapStability, KMeans, predictionStrength, Random } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { DataError, prepareMatrix, readTable, recommend, setup, type Table } from "../../src/index.js";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** `perBlob` rows around each centre (unit Gaussian noise scaled by `spread`), seeded. */
function blobs(centres: [number, number][], perBlob: number, spread: number, seed: number): Table {
  const random = new Random(seed);
  const n = centres.length * perBlob;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let c = 0; c < centres.length; c++) {
    for (let i = 0; i < perBlob; i++) {
      x[c * perBlob + i] = centres[c][0] + spread * random.normal();
      y[c * perBlob + i] = centres[c][1] + spread * random.normal();
    }
  }
  return {
    source: "blobs",
    nRows: n,
    columns: [
      { name: "x", type: "DOUBLE", kind: "numeric", values: x },
      { name: "y", type: "DOUBLE", kind: "numeric", values: y },
    ],
  };
}

const three = blobs(
  [
    [0, 0],
    [10, 0],
    [5, 9],
  ],
  40,
  1,
  7,
);

describe("tuneK with bootstrap stability and prediction strength", () => {
  it("on three separated blobs: stability and prediction strength vote k=3, with evidence, and k=3 is recommended", async () => {
    const exp = await setup(three, { seed: 1 });
    const r = await exp.tuneK("kmeans", { kMin: 2, kMax: 5, stability: { nBootstrap: 8 } });
    expect(r.stability).toEqual({ nBootstrap: 8, predictionStrength: true, rows: 120 });
    const byK = new Map(r.entries.map((e) => [e.k, e]));
    // Three real clusters are recovered in every replicate; four or five split a blob arbitrarily.
    expect(byK.get(3)!.stabilityMin!).toBeGreaterThan(0.95);
    expect(byK.get(5)!.stabilityMin!).toBeLessThan(0.75);
    expect(byK.get(3)!.predictionStrength!).toBeGreaterThan(0.95);
    expect(byK.get(5)!.predictionStrength!).toBeLessThan(0.8);
    expect(r.votes.stability).toBe(3);
    expect(r.votes.predictionStrength).toBe(3);
    expect(r.evidence.stability).toMatch(
      /^largest k whose every cluster has a bootstrap Jaccard >= 0\.75: k=3 \(weakest cluster [\d.]+, mean [\d.]+\)$/,
    );
    expect(r.evidence.predictionStrength).toMatch(/^largest k with prediction strength >= 0\.8: k=3 \([\d.]+\)$/);
    expect(r.evidence.silhouette).toMatch(/^highest silhouette [\d.]+ at k=3$/);
    expect(r.recommendation.k).toBe(3);
    expect(r.recommendation.by).toEqual(expect.arrayContaining(["silhouette", "stability", "predictionStrength"]));
    expect(r.recommendation.reason).toMatch(/^k=3 is chosen by .*stability.*predictionStrength/);
  });

  it("the per-k values are core's bootstrapStability and predictionStrength on the prepared matrix", async () => {
    const exp = await setup(three, { seed: 2 });
    const r = await exp.tuneK("kmeans", { kMin: 3, kMax: 4, stability: { nBootstrap: 5 } });
    const X = prepareMatrix(exp.specFor("kmeans"), three).X;
    const make = (k: number) => new KMeans({ nClusters: k, seed: 2 });
    for (const e of r.entries) {
      const bs = bootstrapStability(X, (sample) => make(e.k).fit(sample).labels, { nBootstrap: 5, seed: 2 });
      const means = bs.clusters.map((c) => c.meanJaccard as number);
      expect(e.stability).toBe(bs.meanJaccard);
      expect(e.stabilityMin).toBe(Math.min(...means));
      expect(e.predictionStrength).toBe(predictionStrength(X, make, e.k, { seed: 2 }).predictionStrength);
    }
  });

  it("stability: false switches the resampling off (no values, no votes)", async () => {
    const exp = await setup(three, { seed: 1 });
    const off = await exp.tuneK("kmeans", { kMin: 2, kMax: 4, stability: false });
    expect(off.stability).toBeNull();
    expect(off.entries.every((e) => e.stability === undefined && e.predictionStrength === undefined)).toBe(true);
    expect(off.votes.stability).toBeUndefined();
    expect(off.votes.predictionStrength).toBeUndefined();
    expect(off.evidence.stability).toBeUndefined();
    // The other criteria are unchanged by the switch.
    const on = await exp.tuneK("kmeans", { kMin: 2, kMax: 4, stability: { nBootstrap: 3 } });
    expect(on.entries.map((e) => e.silhouette)).toEqual(off.entries.map((e) => e.silhouette));
    expect(on.votes.silhouette).toBe(off.votes.silhouette);
  });

  it("prediction strength can be switched off alone; large inputs use a seeded subset", async () => {
    const exp = await setup(three, { seed: 1 });
    const r = await exp.tuneK("kmeans", {
      kMin: 2,
      kMax: 3,
      stability: { nBootstrap: 3, predictionStrength: false, maxRows: 60 },
    });
    expect(r.stability).toEqual({ nBootstrap: 3, predictionStrength: false, rows: 60 });
    expect(r.entries.every((e) => e.predictionStrength === null && typeof e.stability === "number")).toBe(true);
    expect(r.warnings).toContain("stability and prediction strength are computed on a random subset of 60 rows");
    await expect(exp.tuneK("kmeans", { stability: { nBootstrap: 0 } })).rejects.toThrow(DataError);
    await expect(exp.tuneK("kmeans", { stability: { nBootstrap: 0 } })).rejects.toThrow(
      "invalid stability.nBootstrap: 0 (must be an integer >= 1)",
    );
  });

  it("k = 1 has no stability; gmm gets stability next to BIC", async () => {
    const exp = await setup(three, { seed: 1 });
    const r = await exp.tuneK("gmm", { kMin: 1, kMax: 3, stability: { nBootstrap: 3 } });
    expect(r.entries[0]).toMatchObject({ k: 1, stability: null, predictionStrength: null });
    expect(r.entries.slice(1).every((e) => typeof e.stability === "number" && typeof e.bic === "number")).toBe(true);
    expect(r.votes.bic).toBe(3);
    expect(r.evidence.bic).toMatch(/^lowest BIC -?[\d.e+]+ at k=3$/);
  });

  it("kprototypes gets bootstrap stability (refitting the analysis on resampled rows), no prediction strength", async () => {
    const penguins = await setup(await readTable(join(repoRoot, "examples/data/penguins.csv")), {
      target: "species",
      seed: 3,
    });
    const r = await penguins.tuneK("kprototypes", {
      kMin: 2,
      kMax: 3,
      params: { nInit: 2 },
      stability: { nBootstrap: 3, maxRows: 200 },
    });
    expect(r.stability).toEqual({ nBootstrap: 3, predictionStrength: false, rows: 200 });
    for (const e of r.entries) {
      expect(e.stability).toBeGreaterThan(0);
      expect(e.stability).toBeLessThanOrEqual(1);
      expect(e.stabilityMin).toBeLessThanOrEqual(e.stability as number);
      expect(e.predictionStrength).toBeNull();
    }
    expect(r.votes.stability).toBeTypeOf("number");
    expect(r.votes.predictionStrength).toBeUndefined();
    expect(r.warnings).toContain("stability is computed on a random subset of 200 rows");
  });

  it("recommend counts the stability votes like the others", () => {
    const rec = recommend({ silhouette: 2, stability: 3, predictionStrength: 3, elbow: 2, gap: 3 }, 2);
    expect(rec.k).toBe(3);
    expect(rec.by).toEqual(["stability", "predictionStrength", "gap"]);
  });
});
