import {
  BisectingKMeans,
  DBSCAN,
  GaussianMixture,
  KMeans,
  kmeansPlusPlusInit,
  type Matrix,
  silhouetteScore,
} from "@clusterlab/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  bisectingLabeler,
  gaussianMixtureLabeler,
  nearestCenterLabeler,
  nearestPointLabeler,
  type SqlEngine,
  sqlBisectingKMeans,
  sqlGaussianMixture,
  sqlKMeans,
  sqlKMeansParallelInit,
  sqlKSweep,
  sqlNumber,
  sqlSampleMatrix,
  sqlSilhouetteScore,
  writeLabels,
} from "../../src/sql/index.js";
import { blobs, loadTable, maxRelDiff, pick, relDiff } from "./helpers.js";

/** Sum over rows of the squared distance to the nearest centre, and the labels (ties lowest). */
function nearest(X: Matrix, c: Matrix): { cost: number; labels: Int32Array } {
  const d = X.cols;
  const labels = new Int32Array(X.rows);
  let cost = 0;
  for (let i = 0; i < X.rows; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let j = 0; j < c.rows; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = X.data[i * d + t] - c.data[j * d + t];
        s += v * v;
      }
      if (s < best) {
        best = s;
        labels[i] = j;
      }
    }
    cost += best;
  }
  return { cost, labels };
}

let counter = 0;

/**
 * Agreement suite of the other pushdowns (k-means||, diagonal GMM, bisecting k-means, sampled
 * silhouette, k sweep, sample-then-assign) against in-process core, on the engine `open()` returns.
 */
export function pushdownConformance(open: () => Promise<SqlEngine | undefined>): void {
  let engine: SqlEngine | undefined;
  const X = blobs(1200, 4, 5, 7, 2.5);
  const cols = ["x0", "x1", "x2", "x3"];
  beforeAll(async () => {
    engine = await open();
    if (engine) await loadTable(engine, "pts", X);
  });
  afterAll(async () => {
    await engine?.close();
  });
  const quiet = { warn: () => {} };

  async function labelsOf(e: SqlEngine, name: string): Promise<number[]> {
    const rows = await e.query(`SELECT cluster FROM ${e.dialect.ident(name)} ORDER BY id`);
    return rows.map((r) => sqlNumber(r.cluster));
  }

  it("k-means|| is seeded, costs about as little as in-process k-means++, and k-means from it matches core", async (ctx) => {
    if (!engine) return ctx.skip();
    const src = { from: engine.dialect.ident("pts"), columns: cols };
    const a = await sqlKMeansParallelInit(engine, src, 5, { seed: 4 });
    const b = await sqlKMeansParallelInit(engine, src, 5, { seed: 4 });
    const c = await sqlKMeansParallelInit(engine, src, 5, { seed: 5 });
    expect(Array.from(a.centers.data)).toEqual(Array.from(b.centers.data));
    expect(Array.from(a.centers.data)).not.toEqual(Array.from(c.centers.data));
    expect(a.scans).toBe(5 + 2);
    expect(a.candidates.rows).toBe(1 + 5 * 10);
    expect(a.weights.reduce((s, w) => s + w, 0)).toBe(X.rows);
    // Initial cost against core's greedy k-means++ on the same data (mean over 8 seeds).
    let kpp = 0;
    for (let s = 0; s < 8; s++) kpp += nearest(X, kmeansPlusPlusInit(X, 5, { seed: s })).cost / 8;
    let par = nearest(X, a.centers).cost / 4 + nearest(X, c.centers).cost / 4;
    for (const seed of [6, 7])
      par += nearest(X, (await sqlKMeansParallelInit(engine, src, 5, { seed })).centers).cost / 4;
    expect(par).toBeLessThan(1.5 * kpp);
    const res = await sqlKMeans(engine, { table: "pts", columns: cols, nClusters: 5, init: "k-means||", seed: 4 });
    expect(Array.from(res.initialCenters.data)).toEqual(Array.from(a.centers.data));
    expect(res.scans).toBe(res.nIter + 2 + a.scans);
    const core = new KMeans({ nClusters: 5, init: res.initialCenters, logger: quiet }).fit(X);
    expect(relDiff(res.inertia, core.inertia)).toBeLessThan(1e-9);
    expect(res.nIter).toBe(core.nIter);
    expect(res.inertia).toBeLessThanOrEqual(nearest(X, a.centers).cost);
    const out = `kmpar_${counter++}`;
    await writeLabels(engine, nearestCenterLabeler(res.clusterCenters), { table: "pts", columns: cols, target: out });
    expect(await labelsOf(engine, out)).toEqual(Array.from(core.labels));
  });

  it("k-means|| with many candidates (k = 60: 601) stays within every engine's limits", async (ctx) => {
    if (!engine) return ctx.skip();
    const res = await sqlKMeans(engine, {
      table: "pts",
      columns: cols,
      nClusters: 60,
      init: "k-means||",
      maxIter: 2,
      logger: quiet,
    });
    expect(res.initialCenters.rows).toBe(60);
    const core = new KMeans({ nClusters: 60, init: res.initialCenters, maxIter: 2, logger: quiet }).fit(X);
    expect(relDiff(res.inertia, core.inertia)).toBeLessThan(1e-9);
  });

  it("diagonal GMM matches core GaussianMixture from the same initial parameters", async (ctx) => {
    if (!engine) return ctx.skip();
    const means = pick(X, [0, 6, 12, 18, 24]);
    const precisions = new Float64Array(5 * 4).fill(0.25);
    const weights = [0.2, 0.2, 0.2, 0.2, 0.2];
    const iters: number[] = [];
    const res = await sqlGaussianMixture(engine, {
      table: "pts",
      columns: cols,
      init: { weights, means, precisions: { rows: 5, cols: 4, data: precisions } },
      onIteration: (i) => iters.push(i.lowerBound),
    });
    const core = new GaussianMixture({
      nComponents: 5,
      covarianceType: "diag",
      weightsInit: weights,
      meansInit: means,
      precisionsInit: { rows: 5, cols: 4, data: precisions },
      logger: quiet,
    }).fit(X);
    expect(res.nIter).toBe(core.nIter);
    expect(res.nIter).toBeGreaterThan(2);
    expect(res.converged).toBe(core.converged);
    expect(maxRelDiff(res.means.data, core.means.data)).toBeLessThan(1e-9);
    expect(maxRelDiff(res.covariances.data, core.covariances)).toBeLessThan(1e-9);
    expect(maxRelDiff(res.weights, core.weights)).toBeLessThan(1e-9);
    expect(relDiff(res.lowerBound, core.lowerBound)).toBeLessThan(1e-9);
    expect(iters.length).toBe(res.nIter);
    const out = `gmm_${counter++}`;
    const labeler = gaussianMixtureLabeler(res.weights, res.means, res.precisionsCholesky);
    await writeLabels(engine, labeler, { table: "pts", columns: cols, target: out });
    expect(await labelsOf(engine, out)).toEqual(Array.from(core.labels));
    const sizes = new Float64Array(5);
    for (const l of core.labels) sizes[l]++;
    expect(Array.from(res.componentSizes)).toEqual(Array.from(sizes));
  });

  it('diagonal GMM from the pushed-down "kmeans" init is reproduced by core from its initial parameters', async (ctx) => {
    if (!engine) return ctx.skip();
    const res = await sqlGaussianMixture(engine, { table: "pts", columns: cols, nComponents: 3, seed: 2, tol: 1e-6 });
    const p = res.initialParams;
    const core = new GaussianMixture({
      nComponents: 3,
      covarianceType: "diag",
      weightsInit: p.weights,
      meansInit: p.means,
      precisionsInit: p.precisions,
      tol: 1e-6,
      logger: quiet,
    }).fit(X);
    expect(res.nIter).toBe(core.nIter);
    expect(maxRelDiff(res.means.data, core.means.data)).toBeLessThan(1e-9);
    expect(maxRelDiff(res.covariances.data, core.covariances)).toBeLessThan(1e-9);
    await expect(
      sqlGaussianMixture(engine, {
        table: "pts",
        columns: cols,
        init: { weights: [0.5, 0.6], means: pick(X, [0, 1]), precisions: pick(X, [0, 1]) },
      }),
    ).rejects.toThrow("invalid init.weights");
  });

  it("bisecting k-means: every split is core KMeans on the split's rows, labels by descending the tree", async (ctx) => {
    if (!engine) return ctx.skip();
    for (const strategy of ["biggestInertia", "largestCluster"] as const) {
      const res = await sqlBisectingKMeans(engine, {
        table: "pts",
        columns: cols,
        nClusters: 5,
        tol: 0,
        seed: 3,
        bisectingStrategy: strategy,
      });
      // Replay in process: the same leaf choice and the same 2-means from the same initial centres.
      const members: Int32Array[] = [Int32Array.from({ length: X.rows }, (_, i) => i)];
      const owner = res.nodes.map(() => -1);
      owner[0] = 0;
      for (const split of res.splits) {
        const idx = members[owner[split.node]];
        const sub = pick(X, Array.from(idx));
        const km = new KMeans({ nClusters: 2, init: split.initialCenters, tol: 0, logger: quiet }).fit(sub);
        expect(maxRelDiff(split.centers.data, km.clusterCenters.data)).toBeLessThan(1e-9);
        expect(split.nIter).toBe(km.nIter);
        const node = res.nodes[split.node];
        for (const [child, side] of [
          [node.left, 0],
          [node.right, 1],
        ] as const) {
          owner[child] = members.length;
          members.push(idx.filter((_, r) => km.labels[r] === side));
          expect(res.nodes[child].size).toBe(members[owner[child]].length);
        }
      }
      const expected = new Array<number>(X.rows).fill(-1);
      res.nodes.forEach((node, i) => {
        if (node.label >= 0) for (const r of members[owner[i]]) expected[r] = node.label;
      });
      const out = `bis_${counter++}`;
      await writeLabels(engine, bisectingLabeler(res.nodes), { table: "pts", columns: cols, target: out });
      const labels = await labelsOf(engine, out);
      expect(labels).toEqual(expected);
      const { cost } = nearest(X, res.clusterCenters);
      expect(res.inertia).toBeGreaterThanOrEqual(cost * (1 - 1e-9));
      // Same algorithm as core's BisectingKMeans: on these separated blobs, the same partition quality.
      const core = new BisectingKMeans({ nClusters: 5, bisectingStrategy: strategy, seed: 3, logger: quiet }).fit(X);
      expect(res.inertia).toBeLessThan(1.05 * core.inertia);
    }
  });

  it("sampled silhouette equals core's silhouette of the same seeded sample", async (ctx) => {
    if (!engine) return ctx.skip();
    const centers = pick(X, [0, 1, 2, 3, 4]);
    const labeler = nearestCenterLabeler(centers);
    const s = await sqlSilhouetteScore(engine, labeler, { table: "pts", columns: cols, sampleSize: 300, seed: 9 });
    const { X: sample } = await sqlSampleMatrix(engine, { table: "pts", columns: cols }, 300, 9);
    expect(sample.rows).toBe(300);
    const expected = silhouetteScore(sample, nearest(sample, centers).labels);
    expect(s.sampleSize).toBe(300);
    expect(relDiff(s.score as number, expected)).toBeLessThan(1e-12);
    const again = await sqlSilhouetteScore(engine, labeler, { table: "pts", columns: cols, sampleSize: 300, seed: 9 });
    expect(again.score).toBe(s.score);
  });

  it("k sweep: inertia per k equals core KMeans from the same initial centres", async (ctx) => {
    if (!engine) return ctx.skip();
    const sweep = await sqlKSweep(engine, { table: "pts", columns: cols, ks: [1, 2, 5], seed: 1 });
    expect(sweep.map((p) => p.k)).toEqual([1, 2, 5]);
    const mean = new Float64Array(4);
    for (let i = 0; i < X.rows; i++) for (let t = 0; t < 4; t++) mean[t] += X.data[i * 4 + t] / X.rows;
    expect(relDiff(sweep[0].inertia, nearest(X, { rows: 1, cols: 4, data: mean }).cost)).toBeLessThan(1e-9);
    for (const p of sweep.slice(1)) {
      const r = await sqlKMeans(engine, { table: "pts", columns: cols, nClusters: p.k, init: "k-means||", seed: 1 });
      const core = new KMeans({ nClusters: p.k, init: r.initialCenters, logger: quiet }).fit(X);
      expect(relDiff(p.inertia, core.inertia)).toBeLessThan(1e-9);
    }
    expect(sweep[2].inertia).toBeLessThan(sweep[1].inertia);
    await expect(sqlKSweep(engine, { table: "pts", columns: cols, ks: [2, 2] })).rejects.toThrow("2 is given twice");
  });

  it("DBSCAN on a seeded sample, then a pushed-down nearest-core-point pass (noise beyond eps)", async (ctx) => {
    if (!engine) return ctx.skip();
    const { X: sample } = await sqlSampleMatrix(engine, { table: "pts", columns: cols }, 400, 2);
    const eps = 3.5;
    const model = new DBSCAN({ eps, minSamples: 5 }).fit(sample);
    const core = model.components;
    const coreLabels = Array.from(model.coreSampleIndices, (i) => model.labels[i]);
    expect(new Set(coreLabels).size).toBeGreaterThan(1);
    const out = `db_${counter++}`;
    await writeLabels(engine, nearestPointLabeler(core, coreLabels, eps), { table: "pts", columns: cols, target: out });
    const labels = await labelsOf(engine, out);
    // In process: nearest core sample, noise when it is farther than eps.
    const d = 4;
    const expected = Array.from({ length: X.rows }, (_, i) => {
      let best = Number.POSITIVE_INFINITY;
      let arg = -1;
      for (let j = 0; j < core.rows; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const v = X.data[i * d + t] - core.data[j * d + t];
          s += v * v;
        }
        if (s < best) {
          best = s;
          arg = j;
        }
      }
      return best > eps * eps ? -1 : coreLabels[arg];
    });
    expect(labels).toEqual(expected);
    expect(labels.filter((l) => l === -1).length).toBeLessThan(X.rows / 2);
  });
}
