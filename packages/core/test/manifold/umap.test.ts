import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  asMatrix,
  findAbParams,
  fuzzySimplicialSet,
  kNeighbors,
  memoryLogger,
  modelFromJSON,
  Random,
  trustworthiness,
  UMAP,
  UMAPModel,
} from "../../src/index.js";
import { epochsPerSample, membershipStrengths, smoothKnnDist } from "../../src/manifold/umapKernels.js";
import { maxAbsDiff } from "../fixtures.js";
import { knnAccuracy, manifoldData } from "./shared.js";

const { fixture, datasets } = manifoldData();
const U = fixture.umap;
const X = (name: string) => datasets[name].X;

describe("findAbParams", () => {
  it("fits the curve as umap-learn's find_ab_params (scipy curve_fit) within 1e-5", () => {
    // scipy's MINPACK stops at ~1e-6 relative; Levenberg-Marquardt here runs to convergence (its
    // optimum has the lower residual in every case checked).
    for (const c of U.ab) {
      const { a, b } = findAbParams(c.spread, c.minDist);
      expect(Math.abs(a - c.a) / c.a, `a for ${c.spread}, ${c.minDist}`).toBeLessThan(1e-5);
      expect(Math.abs(b - c.b) / c.b, `b for ${c.spread}, ${c.minDist}`).toBeLessThan(1e-5);
    }
    const { a, b } = findAbParams(1, 0.1);
    expect(a).toBeCloseTo(1.577, 3);
    expect(b).toBeCloseTo(0.895, 3);
  });

  it("names bad arguments", () => {
    expect(() => findAbParams(0, 0.1)).toThrow(/invalid spread: 0/);
    expect(() => findAbParams(1, -1)).toThrow(/invalid minDist: -1/);
  });
});

describe("fuzzySimplicialSet", () => {
  it("equals our numpy transcription of umap-learn's fuzzy_simplicial_set within 1e-9", () => {
    // The reference is OUR transcription (reference/manifold.py; umap-learn is not installable there),
    // in float64 over exact neighbours; umap-learn itself stores the weights in float32.
    for (const c of U.graphs) {
      const g = fuzzySimplicialSet(X(c.dataset), {
        nNeighbors: c.nNeighbors,
        metric: c.metric,
        localConnectivity: c.localConnectivity,
        setOpMixRatio: c.setOpMixRatio,
      });
      const label = `${c.dataset} ${c.metric} k=${c.nNeighbors}`;
      expect(Array.from(g.graph.indptr), label).toEqual(c.indptr);
      expect(Array.from(g.graph.indices), label).toEqual(c.indices);
      expect(maxAbsDiff(g.graph.data, c.data), label).toBeLessThanOrEqual(1e-9);
      expect(maxAbsDiff(g.sigmas, c.sigmas), label).toBeLessThanOrEqual(1e-9);
      expect(maxAbsDiff(g.rhos, c.rhos), label).toBeLessThanOrEqual(1e-9);
    }
  });

  it("the transform memberships (local connectivity - 1, bipartite) equal the transcription within 1e-9", () => {
    for (const c of U.transformGraphs) {
      const Q = asMatrix(c.query);
      const k = c.nNeighbors;
      const knn = kNeighbors(X(c.dataset), k, { metric: c.metric, query: Q });
      expect(Array.from(knn.indices)).toEqual(c.indices.flat());
      const { sigmas, rhos } = smoothKnnDist(knn.distances, Q.rows, k, 0);
      const w = membershipStrengths(knn.indices, knn.distances, Q.rows, k, sigmas, rhos, true);
      expect(maxAbsDiff(w, c.weights.flat()), c.dataset).toBeLessThanOrEqual(1e-9);
      expect(maxAbsDiff(sigmas, c.sigmas)).toBeLessThanOrEqual(1e-9);
      // The first query equals a training point: distance 0, weight 1 (cosine: 1 - u.u rounds to ~1e-16).
      if (c.metric !== "cosine") expect(c.weights[0][0]).toBe(1);
    }
  });

  it("is symmetric with weights in (0, 1], and each point keeps a weight-1 edge (to its nearest neighbour)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 12 }), (seed, k) => {
        const rng = new Random(seed);
        const M = asMatrix(Array.from({ length: 30 }, () => [rng.normal(), rng.normal(), rng.float()]));
        const { graph } = fuzzySimplicialSet(M, { nNeighbors: k });
        const get = (i: number, j: number) => {
          for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) if (graph.indices[p] === j) return graph.data[p];
          return 0;
        };
        for (let i = 0; i < 30; i++) {
          let max = 0;
          for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) {
            const j = graph.indices[p];
            expect(j).not.toBe(i);
            expect(graph.data[p]).toBeGreaterThan(0);
            expect(graph.data[p]).toBeLessThanOrEqual(1);
            expect(get(j, i)).toBe(graph.data[p]);
            max = Math.max(max, graph.data[p]);
          }
          expect(max).toBeCloseTo(1, 14); // 1 + w - 1 * w may round to 1 - 1e-16
        }
      }),
      { seed: 11, numRuns: 25 },
    );
  });

  it("samples every edge on a schedule proportional to its weight", () => {
    const eps = epochsPerSample(Float64Array.from([1, 0.5, 0.25, 0]), 200);
    expect(Array.from(eps)).toEqual([1, 2, 4, -1]);
  });
});

describe("UMAP", () => {
  const fits = new Map<string, UMAPModel>();
  const fitted = (name: string) => {
    let m = fits.get(name);
    if (!m) {
      m = new UMAP({ seed: 1 }).fit(X(name));
      fits.set(name, m);
    }
    return m;
  };

  it("keeps local structure on iris, wine and blobs (trustworthiness >= 0.9) and separates the blobs", () => {
    for (const name of ["iris", "wine", "blobs"]) {
      const model = fitted(name);
      expect(model.embedding.rows).toBe(X(name).rows);
      expect(model.nEpochs).toBe(500);
      expect(trustworthiness(X(name), model.embedding), name).toBeGreaterThanOrEqual(0.9);
    }
    expect(knnAccuracy(fitted("blobs").embedding, datasets.blobs.labelsTrue)).toBeGreaterThan(0.95);
  });

  it("is deterministic per seed", () => {
    const M = X("iris");
    const a = new UMAP({ seed: 7, nEpochs: 100 }).fit(M);
    const b = new UMAP({ seed: 7, nEpochs: 100 }).fit(M);
    const c = new UMAP({ seed: 8, nEpochs: 100 }).fit(M);
    expect(Array.from(a.embedding.data)).toEqual(Array.from(b.embedding.data));
    expect(maxAbsDiff(a.embedding.data, c.embedding.data)).toBeGreaterThan(1e-3);
    const ta = a.transform(M);
    expect(Array.from(a.transform(M).data)).toEqual(Array.from(ta.data));
  });

  it("transform places new points next to their neighbours' embeddings", () => {
    const model = fitted("blobs");
    const M = X("blobs");
    const rng = new Random(2);
    const picks = Array.from({ length: 40 }, () => rng.int(M.rows));
    const Q = asMatrix(
      picks.map((i) => Array.from(M.data.subarray(i * 8, (i + 1) * 8), (v) => v + 0.3 * rng.normal())),
    );
    const E = model.transform(Q);
    expect(E.rows).toBe(40);
    expect(E.cols).toBe(2);
    // The nearest training embedding of each new point carries the blob of the point it came from.
    const knn = kNeighbors(model.embedding, 1, { query: E });
    let same = 0;
    for (let t = 0; t < 40; t++)
      if (datasets.blobs.labelsTrue[knn.indices[t]] === datasets.blobs.labelsTrue[picks[t]]) same++;
    expect(same / 40).toBeGreaterThan(0.95);
    expect(trustworthiness(M, model.transform(M))).toBeGreaterThan(0.9);
  });

  it("supports manhattan and cosine distances, 3 components, random and explicit inits", () => {
    const M = X("wine");
    for (const metric of ["manhattan", "cosine"] as const) {
      const model = new UMAP({ metric, nEpochs: 200, seed: 3 }).fit(M);
      expect(trustworthiness(M, model.embedding, { metric })).toBeGreaterThan(0.85);
      expect(model.transform([Array.from(M.data.subarray(0, 13))]).rows).toBe(1);
    }
    const three = new UMAP({ nComponents: 3, nEpochs: 200, init: "random" }).fit(M);
    expect(three.embedding.cols).toBe(3);
    expect(trustworthiness(M, three.embedding)).toBeGreaterThan(0.85);
    const init = Array.from({ length: M.rows }, (_, i) => [M.data[i * 13], M.data[i * 13 + 1]]);
    const explicit = new UMAP({ init, nEpochs: 200 }).fit(M);
    expect(trustworthiness(M, explicit.embedding)).toBeGreaterThan(0.85);
  });

  it("lays out a disconnected graph component by component", () => {
    // Six tight, far-apart groups: the kNN graph (k = 5) has 6 components > 2 dim, so the
    // component positions come from a spectral embedding of their centroids.
    const rng = new Random(9);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let g = 0; g < 6; g++) {
      for (let t = 0; t < 20; t++) {
        rows.push([g * 50 + rng.normal(), (g % 2) * 80 + rng.normal(), rng.normal()]);
        labels.push(g);
      }
    }
    const M = asMatrix(rows);
    const logger = memoryLogger();
    const model = new UMAP({ nNeighbors: 5, seed: 2, logger, nEpochs: 200 }).fit(M);
    expect(logger.messages).toEqual([]);
    expect(model.embedding.data.every((v) => Number.isFinite(v))).toBe(true);
    expect(knnAccuracy(model.embedding, labels)).toBe(1);
  });

  it("onEpoch reports progress and can stop", () => {
    let last = 0;
    new UMAP({
      nEpochs: 50,
      onEpoch: (p) => {
        last = p.epoch;
        expect(p.nEpochs).toBe(50);
        return p.epoch < 20;
      },
    }).fit(X("iris"));
    expect(last).toBe(20);
  });

  it("round-trips through JSON, transform included", () => {
    const model = new UMAP({ nEpochs: 60, seed: 5 }).fit(X("iris"));
    const back = modelFromJSON<UMAPModel>(JSON.parse(JSON.stringify(model)));
    expect(back).toBeInstanceOf(UMAPModel);
    expect(Array.from(back.embedding.data)).toEqual(Array.from(model.embedding.data));
    expect(back.a).toBe(model.a);
    const Q = [[5.1, 3.5, 1.4, 0.25]];
    expect(Array.from(back.transform(Q).data)).toEqual(Array.from(model.transform(Q).data));
  });

  it("names bad options", () => {
    const M = X("kEqualsN"); // 12 samples
    expect(() => new UMAP({ nNeighbors: 12 }).fit(M)).toThrow(
      /invalid nNeighbors: 12 \(must be at most nSamples - 1 = 11\)/,
    );
    expect(() => new UMAP({ nNeighbors: 1 }).fit(M)).toThrow(/invalid nNeighbors: 1 \(must be an integer >= 2\)/);
    expect(() => new UMAP({ nNeighbors: 5, minDist: 2 }).fit(M)).toThrow(
      /invalid minDist: 2 \(must be at most spread \(1\)\)/,
    );
    expect(() => new UMAP({ nNeighbors: 5, nEpochs: 0 }).fit(M)).toThrow(/invalid nEpochs: 0/);
    expect(() => new UMAP({ nNeighbors: 5, metric: "chebyshev" as "cosine" }).fit(M)).toThrow(
      /invalid metric: "chebyshev"/,
    );
    expect(() => new UMAP({ nNeighbors: 5, init: [[0, 0]] }).fit(M)).toThrow(/invalid init: 1 x 2 matrix/);
    expect(() => new UMAP({ nNeighbors: 5, init: "pca" as "random" }).fit(M)).toThrow(/invalid init: "pca"/);
    expect(() => new UMAP({ nNeighbors: 5, setOpMixRatio: 2 }).fit(M)).toThrow(/invalid setOpMixRatio: 2/);
    const model = new UMAP({ nNeighbors: 5, nEpochs: 20 }).fit(M);
    expect(() => model.transform([[1, 2]])).toThrow(/invalid X: 2 features, expected 3/);
  });
});
