import { describe, expect, it } from "vitest";
import {
  cophenet,
  copheneticCorrelation,
  cutTree,
  fcluster,
  inconsistent,
  isMonotonic,
  type LinkageMatrix,
  linkage,
  maxDists,
} from "../../src/hierarchy/index.js";
import { asMatrix, matrix, toRows } from "../../src/index.js";
import { closeTo, samePartition } from "../fixtures.js";
import { allSets, fixture, METHODS, maxRelDiff, TIE_ORDER_MAY_DIFFER } from "./helpers.js";

const sets = allSets();

/** scipy's own Z (so cuts are compared on identical trees) and ours. */
function trees(name: string, method: string): { ours: LinkageMatrix; scipy: LinkageMatrix } {
  return {
    ours: linkage(sets[name].X, { method: method as (typeof METHODS)[number] }),
    scipy: asMatrix(fixture.cases[name].methods[method].Z),
  };
}

describe("fcluster matches scipy (1-based labels, same numbers)", () => {
  for (const name of Object.keys(sets)) {
    for (const method of METHODS) {
      const key = `${name}:${method}`;
      const ref = fixture.cases[name].methods[method];
      const exact = !TIE_ORDER_MAY_DIFFER.has(key);
      it(`${key}${exact ? "" : " (ties: partitions)"}`, () => {
        const { ours, scipy } = trees(name, method);
        const same = (a: Int32Array, b: number[], what: string) => {
          if (exact) expect(Array.from(a), what).toEqual(b);
          else expect(samePartition(a, b), what).toBe(true);
        };
        same(fcluster(ours, ref.maxclust.t, { criterion: "maxclust" }), ref.maxclust.labels, "maxclust");
        if (ref.distance)
          same(fcluster(ours, ref.distance.t, { criterion: "distance" }), ref.distance.labels, "distance");
        if (ref.inconsistentCut) {
          const { t, depth, labels } = ref.inconsistentCut;
          // On scipy's own tree the numbers must agree exactly, ties or not.
          expect(
            Array.from(fcluster(scipy, t, { criterion: "inconsistent", depth })),
            "inconsistent on scipy Z",
          ).toEqual(labels);
          if (exact)
            expect(Array.from(fcluster(ours, t, { criterion: "inconsistent", depth })), "inconsistent").toEqual(labels);
        }
        expect(Array.from(fcluster(scipy, ref.maxclust.t, { criterion: "maxclust" }))).toEqual(ref.maxclust.labels);
      });
    }
  }
});

describe("inconsistent matches scipy", () => {
  for (const name of Object.keys(sets)) {
    for (const method of METHODS) {
      it(`${name}:${method}`, () => {
        const ref = fixture.cases[name].methods[method];
        const { scipy } = trees(name, method);
        for (const [depth, R] of [
          [2, ref.inconsistent],
          [3, ref.inconsistent3],
        ] as const) {
          if (!R) continue;
          const ours = toRows(inconsistent(scipy, depth));
          expect(maxRelDiff(ours.flat(), R.flat()), `depth ${depth}`).toBeLessThan(1e-9);
        }
      });
    }
  }

  it("depth 0 and 1 use the merge alone; errors name depth", () => {
    const Z = linkage(sets.rand17x5.X, { method: "average" });
    const R1 = inconsistent(Z, 1);
    for (let r = 0; r < Z.rows; r++) {
      expect(R1.data[4 * r]).toBe(Z.data[4 * r + 2]);
      expect(R1.data[4 * r + 2]).toBe(1);
      expect(R1.data[4 * r + 3]).toBe(0);
    }
    expect(Array.from(inconsistent(Z, 0).data)).toEqual(Array.from(R1.data));
    expect(() => inconsistent(Z, -1)).toThrow("invalid depth: -1");
    expect(() => inconsistent(Z, 1.5)).toThrow("invalid depth: 1.5");
  });
});

describe("cophenetic correlation matches scipy", () => {
  for (const [name, entry] of Object.entries(fixture.cases)) {
    for (const method of METHODS) {
      const key = `${name}:${method}`;
      it(key, () => {
        const ours = linkage(sets[name].X, { method });
        const c = copheneticCorrelation(ours, sets[name].X);
        expect(
          closeTo(c, entry.methods[method].cophCorr, 1e-9, 1e-12),
          `${c} vs ${entry.methods[method].cophCorr}`,
        ).toBe(true);
      });
    }
    for (const [key, ref] of Object.entries(entry.metrics)) {
      it(`${name}:${key}`, () => {
        const [method, metric] = key.split("-") as ["average", "cityblock" | "cosine"];
        const Z = linkage(sets[name].X, { method, metric });
        const c = copheneticCorrelation(Z, sets[name].X, { metric });
        expect(closeTo(c, ref.cophCorr, 1e-9, 1e-12), `${c} vs ${ref.cophCorr}`).toBe(true);
      });
    }
  }

  it("cophenet gives the height of the first common merge, in condensed order", () => {
    const X = sets.rand17x5.X;
    const Z = linkage(X, { method: "complete" });
    const c = cophenet(Z);
    const n = X.rows;
    expect(c.length).toBe((n * (n - 1)) / 2);
    // Brute force: the lowest merge whose subtree holds both i and j.
    const members: Set<number>[] = [];
    for (let i = 0; i < n; i++) members.push(new Set([i]));
    const heightOf = new Map<string, number>();
    for (let r = 0; r < Z.rows; r++) {
      const a = members[Z.data[4 * r]];
      const b = members[Z.data[4 * r + 1]];
      for (const i of a) for (const j of b) heightOf.set(`${Math.min(i, j)},${Math.max(i, j)}`, Z.data[4 * r + 2]);
      members.push(new Set([...a, ...b]));
    }
    let p = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(c[p++]).toBe(heightOf.get(`${i},${j}`));
  });

  it("accepts a condensed distance array", () => {
    const X = sets.rand30x3.X;
    const Z = linkage(X, { method: "average" });
    const n = X.rows;
    const y = new Float64Array((n * (n - 1)) / 2);
    let p = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        let s = 0;
        for (let t = 0; t < X.cols; t++) s += (X.data[i * X.cols + t] - X.data[j * X.cols + t]) ** 2;
        y[p++] = Math.sqrt(s);
      }
    expect(copheneticCorrelation(Z, y)).toBeCloseTo(copheneticCorrelation(Z, X), 12);
    expect(() => copheneticCorrelation(Z, new Float64Array(5))).toThrow(/not n\(n-1\)\/2/);
  });
});

describe("cutTree matches scipy's cut_tree (0-based, first-appearance order)", () => {
  for (const name of Object.keys(sets)) {
    for (const method of ["ward", "complete", "average", "single", "weighted"]) {
      it(`${name}:${method}`, () => {
        const ref = fixture.cases[name].methods[method];
        const { ours, scipy } = trees(name, method);
        if (ref.cutTree) {
          expect(Array.from(cutTree(scipy, { nClusters: ref.cutTree.nClusters }))).toEqual(ref.cutTree.labels);
          const mine = cutTree(ours, { nClusters: ref.cutTree.nClusters });
          expect(samePartition(mine, ref.cutTree.labels)).toBe(true);
        }
        if (ref.cutTreeHeight) {
          expect(Array.from(cutTree(scipy, { height: ref.cutTreeHeight.height }))).toEqual(ref.cutTreeHeight.labels);
        }
      });
    }
  }

  it("agrees with fcluster maxclust on monotone trees without ties at the cut", () => {
    const Z = linkage(sets.rand120x4.X, { method: "ward" });
    for (const k of [1, 2, 5, 17, 120]) {
      expect(samePartition(cutTree(Z, { nClusters: k }), fcluster(Z, k, { criterion: "maxclust" }))).toBe(true);
    }
  });

  it("gives exactly k clusters on trees with inversions", () => {
    const Z = linkage(sets.rand120x4.X, { method: "centroid" });
    expect(isMonotonic(Z)).toBe(false);
    for (const k of [1, 3, 10, 60, 120]) expect(new Set(cutTree(Z, { nClusters: k })).size).toBe(k);
  });

  it("names bad options", () => {
    const Z = linkage(sets.rand17x5.X, { method: "single" });
    expect(() => cutTree(Z, { nClusters: 0 })).toThrow("invalid nClusters: 0");
    expect(() => cutTree(Z, { nClusters: 18 })).toThrow("invalid nClusters: 18");
    expect(() => cutTree(Z, {} as { nClusters: number })).toThrow(/set exactly one of nClusters and height/);
  });
});

describe("fcluster details", () => {
  const Z = linkage(sets.rand50x2.X, { method: "average" });

  it("maxclust >= n gives singletons 1..n, 1 gives one cluster", () => {
    expect(Array.from(fcluster(Z, 50, { criterion: "maxclust" }))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(fcluster(Z, 1, { criterion: "maxclust" }))).toEqual(new Set([1]));
  });

  it("distance cuts keep merges <= t", () => {
    const h = Z.data[4 * 10 + 2];
    const labels = fcluster(Z, h, { criterion: "distance" });
    expect(new Set(labels).size).toBe(50 - 11);
  });

  it("uses a given R for inconsistent", () => {
    const R = inconsistent(Z, 3);
    expect(Array.from(fcluster(Z, 0.8, { criterion: "inconsistent", R }))).toEqual(
      Array.from(fcluster(Z, 0.8, { criterion: "inconsistent", depth: 3 })),
    );
    expect(() => fcluster(Z, 0.8, { criterion: "inconsistent", R: matrix(3, 4) })).toThrow(/invalid R: 3 x 4/);
  });

  it("maxDists is the running maximum of heights", () => {
    const Zc = linkage(sets.rand50x2.X, { method: "median" });
    const md = maxDists(Zc);
    expect(md[md.length - 1]).toBe(Math.max(...Array.from({ length: Zc.rows }, (_, r) => Zc.data[4 * r + 2])));
  });

  it("validates Z and t", () => {
    expect(() => fcluster(Z, 0, { criterion: "maxclust" })).toThrow("invalid t: 0");
    expect(() => fcluster(Z, 2, { criterion: "bogus" as "maxclust" })).toThrow(/invalid criterion: "bogus"/);
    expect(() => fcluster([[0, 1, 1, 2, 9]], 1, { criterion: "distance" })).toThrow(/5 columns, expected 4/);
    expect(() =>
      fcluster(
        [
          [0, 3, 1, 2],
          [1, 2, 2, 3],
        ],
        1,
        { criterion: "distance" },
      ),
    ).toThrow("invalid Z: row 0 uses cluster 3 before it is formed");
    expect(() =>
      fcluster(
        [
          [0, 1, 1, 2],
          [0, 2, 2, 3],
        ],
        1,
        { criterion: "distance" },
      ),
    ).toThrow("invalid Z: cluster 0 is merged twice (again in row 1)");
    expect(() => fcluster([[0, 1, 1, 3]], 1, { criterion: "distance" })).toThrow(/size 3, expected 2/);
    expect(() => fcluster([[0, 1, -1, 2]], 1, { criterion: "distance" })).toThrow(/height -1/);
  });
});
