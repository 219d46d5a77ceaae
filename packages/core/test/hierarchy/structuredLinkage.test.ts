import { describe, expect, it } from "vitest";
import { AgglomerativeClustering, type LinkageMethod } from "../../src/hierarchy/index.js";
import { asMatrix, type Matrix, memoryLogger } from "../../src/index.js";
import { samePartition } from "../fixtures.js";
import { allSets, fixture, maxRelDiff } from "./helpers.js";

interface KnnLinkageRef {
  linkage: "complete" | "average" | "single";
  metric: "euclidean" | "manhattan" | "cosine";
  nNeighbors: number;
  children: number[];
  distances: number[];
  nConnectedComponents: number;
  labels: Record<string, number[]>;
  early: { nClusters: number; labels: number[] } | null;
}

const connectivitySets = (
  fixture as unknown as {
    connectivitySets: Record<string, { X: number[][]; k: number; knnLinkage: Record<string, KnnLinkageRef> }>;
  }
).connectivitySets;

const cases: { name: string; X: Matrix; k: number; refs: Record<string, KnnLinkageRef> }[] = [];
for (const [name, { X, k }] of Object.entries(allSets())) {
  cases.push({ name, X, k, refs: fixture.cases[name].sklearn.knnLinkage as Record<string, KnnLinkageRef> });
}
for (const [name, d] of Object.entries(connectivitySets)) {
  cases.push({ name, X: asMatrix(d.X), k: d.k, refs: d.knnLinkage });
}

/**
 * Sets with exact distance ties where our result may legitimately differ from scikit-learn's:
 * - iris (duplicate rows, one-decimal grid): several points are equally far at the k-th
 *   neighbour, and kneighbors_graph's tie order is its own, so the graphs (hence the trees)
 *   differ. The partitions into 2 and 3 clusters (the fixture's k) still agree.
 * - duplicates (exact duplicate points): equal merge heights, merged in another order in a few
 *   places; sorted heights are identical and the partitions into 2 and 3 clusters agree.
 */
const TIES = new Set(["iris", "duplicates"]);

function fitRef(X: Matrix, ref: KnnLinkageRef, nClusters: number, computeFullTree: boolean) {
  const log = memoryLogger();
  const model = new AgglomerativeClustering({
    nClusters,
    linkage: ref.linkage as LinkageMethod,
    metric: ref.metric,
    connectivity: { nNeighbors: ref.nNeighbors },
    computeFullTree,
    computeDistances: computeFullTree,
    logger: log,
  }).fit(X);
  return { model, log };
}

describe("complete / average / single with a k-nearest-neighbour connectivity match scikit-learn", () => {
  for (const c of cases) {
    it(`${c.name}: ${Object.keys(c.refs).length} cases`, () => {
      expect(Object.keys(c.refs).length).toBeGreaterThan(0);
      for (const [key, ref] of Object.entries(c.refs)) {
        const tag = `${c.name} ${key}`;
        const { model, log } = fitRef(c.X, ref, c.k, true);
        expect(model.nConnectedComponents, tag).toBe(ref.nConnectedComponents);
        expect(log.messages.length, tag).toBe(ref.nConnectedComponents > 1 ? 1 : 0);
        if (TIES.has(c.name)) {
          for (const kk of ["2", String(c.k)]) {
            const cut = fitRef(c.X, ref, Number(kk), true).model;
            expect(samePartition(cut.labels, ref.labels[kk]), `${tag} k=${kk}`).toBe(true);
          }
          continue;
        }
        // The same tree: merges, heights (to rounding) and the very same label numbers at every cut.
        expect(Array.from(model.children), tag).toEqual(ref.children);
        expect(maxRelDiff(model.distances!, ref.distances), tag).toBeLessThan(1e-9);
        for (const [kk, labels] of Object.entries(ref.labels)) {
          const cut = fitRef(c.X, ref, Number(kk), true).model;
          expect(Array.from(cut.labels), `${tag} k=${kk}`).toEqual(labels);
        }
        if (ref.early) {
          const early = fitRef(c.X, ref, ref.early.nClusters, false).model;
          expect(Array.from(early.labels), `${tag} early`).toEqual(ref.early.labels);
          expect(early.linkageMatrix).toBeNull();
        }
        // The scipy-format tree is valid: sizes add up, heights never decrease.
        const Z = model.linkageMatrix!;
        expect(Z.data[4 * (Z.rows - 1) + 3], tag).toBe(c.X.rows);
        for (let r = 1; r < Z.rows; r++) expect(Z.data[4 * r + 2]).toBeGreaterThanOrEqual(Z.data[4 * (r - 1) + 2]);
      }
    });
  }
});

describe("structured linkage, hand-computed", () => {
  const fit = (X: number[][], linkage: LinkageMethod, nNeighbors: number) => {
    const log = memoryLogger();
    const model = new AgglomerativeClustering({
      nClusters: 2,
      linkage,
      connectivity: { nNeighbors },
      computeDistances: true,
      logger: log,
    }).fit(X);
    return { model, log };
  };

  it("a chain graph: only neighbours along the line merge, with edge-based heights", () => {
    // x = 0, 1, 3, 7, 12 with 1 neighbour each: edges 0-1 (1), 1-3 (2), 3-7 (4), 7-12 (5), a chain.
    // Complete linkage on the graph: {0,1} at 1; its only edge is to 3 with weight d(1, 3) = 2 (the
    // pair 0-3 is no edge, so 3 is not counted); then 7 at 4 and 12 at 5. Unconstrained complete
    // linkage would join 3 at d(0, 3) = 3 and cut into {0,1,3} | {7,12}; here the cut is {0..7} | {12}.
    const X = [[0], [1], [3], [7], [12]];
    for (const linkage of ["complete", "average", "single"] as const) {
      const { model, log } = fit(X, linkage, 1);
      expect(Array.from(model.distances!), linkage).toEqual([1, 2, 4, 5]);
      expect(Array.from(model.labels), linkage).toEqual([0, 0, 0, 0, 1]);
      expect(log.messages).toEqual([]);
    }
    expect(Array.from(fit(X, "complete", 1).model.children)).toEqual([0, 1, 2, 5, 3, 6, 4, 7]);
    // single keeps scikit-learn's orientation (the cluster of the edge's lower end first)
    expect(Array.from(fit(X, "single", 1).model.children)).toEqual([0, 1, 5, 2, 6, 3, 7, 4]);
  });

  it("a complete graph gives ordinary linkage: 0, 1, 3 join at 1, then at 3 / 2.5 / 2", () => {
    const X = [[0], [1], [3]];
    expect(Array.from(fit(X, "complete", 2).model.distances!)).toEqual([1, 3]);
    expect(Array.from(fit(X, "average", 2).model.distances!)).toEqual([1, 2.5]);
    expect(Array.from(fit(X, "single", 2).model.distances!)).toEqual([1, 2]);
  });

  it("a disconnected graph is completed through the closest pair, with a warning", () => {
    // x = 0, 1, 10, 11, 1 neighbour: components {0, 1} and {10, 11}, joined by the edge 1-10 (9).
    // Both pairs merge at 1; Python's heap pops the pair (10, 11) first, as scikit-learn does.
    const X = [[0], [1], [10], [11]];
    const { model, log } = fit(X, "complete", 1);
    expect(model.nConnectedComponents).toBe(2);
    expect(log.messages.length).toBe(1);
    expect(log.messages[0]).toMatch(/2 connected components/);
    expect(Array.from(model.children)).toEqual([2, 3, 0, 1, 4, 5]);
    expect(Array.from(model.distances!)).toEqual([1, 1, 9]);
    expect(Array.from(model.labels)).toEqual([0, 0, 1, 1]);
  });

  it("fits 30,000 rows with a 5-neighbour graph for every linkage (an n x n matrix would be 7.2 GB)", () => {
    const n = 30_000;
    const data = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      data[2 * i] = (i % 173) * 0.1 + (i % 3) * 40;
      data[2 * i + 1] = Math.floor(i / 173) * 0.41;
    }
    const X = { rows: n, cols: 2, data };
    for (const linkage of ["ward", "complete", "average", "single"] as const) {
      const model = new AgglomerativeClustering({
        nClusters: 3,
        linkage,
        connectivity: { nNeighbors: 5 },
        computeFullTree: true,
        logger: memoryLogger(),
      }).fit(X);
      // Three vertical bands (x in [0, 17.2] + 40 (i mod 3)), 22.8 apart: three graph components that every
      // linkage keeps apart.
      expect(
        samePartition(
          model.labels,
          Int32Array.from({ length: n }, (_, i) => i % 3),
        ),
        linkage,
      ).toBe(true);
      expect(model.linkageMatrix!.rows).toBe(n - 1);
    }
  }, 60_000);

  it("rejects connectivity for weighted, centroid and median", () => {
    for (const linkage of ["weighted", "centroid", "median"] as const) {
      expect(() =>
        new AgglomerativeClustering({ linkage, connectivity: { nNeighbors: 2 } }).fit([[0], [1], [3]]),
      ).toThrow(`only supported with linkage "ward", "complete", "average" or "single" (got "${linkage}")`);
    }
  });
});

describe("connectivityNeighbors (the command line's and the spec's shorthand)", () => {
  const X = allSets().rand120x4.X;

  it("gives the same model as connectivity: { nNeighbors }", () => {
    for (const linkage of ["ward", "complete", "average", "single"] as const) {
      const a = new AgglomerativeClustering({ nClusters: 4, linkage, connectivityNeighbors: 6 }).fit(X);
      const b = new AgglomerativeClustering({ nClusters: 4, linkage, connectivity: { nNeighbors: 6 } }).fit(X);
      expect(Array.from(a.labels), linkage).toEqual(Array.from(b.labels));
      expect(Array.from(a.children), linkage).toEqual(Array.from(b.children));
    }
  });

  it("names the option in its errors, and refuses both forms at once", () => {
    expect(() => new AgglomerativeClustering({ connectivityNeighbors: 0 }).fit(X)).toThrow(/connectivityNeighbors/);
    expect(() => new AgglomerativeClustering({ linkage: "median", connectivityNeighbors: 5 }).fit(X)).toThrow(
      /invalid connectivityNeighbors: 5 .*only supported with linkage/,
    );
    expect(() =>
      new AgglomerativeClustering({ connectivityNeighbors: 5, connectivity: { nNeighbors: 5 } }).fit(X),
    ).toThrow("both connectivity and connectivityNeighbors are set");
  });
});
