import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LinkageMethod, linkage } from "../../src/hierarchy/index.js";
import { type Matrix, Random, ValidationError } from "../../src/index.js";
import {
  allSets,
  type CaseRef,
  column,
  columnRef,
  fixture,
  METHODS,
  maxRelDiff,
  TIE_ORDER_MAY_DIFFER,
} from "./helpers.js";

const sets = allSets();

function sortedHeights(Z: { rows: number; data: Float64Array } | number[][]): number[] {
  const h = Array.isArray(Z) ? columnRef(Z, 2) : column(Z as Matrix, 2);
  return h.sort((a, b) => a - b);
}

function expectSameTree(Z: Matrix, ref: CaseRef, exactOrder: boolean, label: string): void {
  expect(Z.rows, label).toBe(ref.Z.length);
  expect(Z.cols).toBe(4);
  if (exactOrder) {
    expect(column(Z, 0), `${label} idx1`).toEqual(columnRef(ref.Z, 0));
    expect(column(Z, 1), `${label} idx2`).toEqual(columnRef(ref.Z, 1));
    expect(column(Z, 3), `${label} sizes`).toEqual(columnRef(ref.Z, 3));
    expect(maxRelDiff(column(Z, 2), columnRef(ref.Z, 2)), `${label} heights`).toBeLessThan(1e-9);
  } else {
    expect(maxRelDiff(sortedHeights(Z), sortedHeights(ref.Z)), `${label} sorted heights`).toBeLessThan(1e-9);
    expect(
      column(Z, 3).sort((a, b) => a - b),
      `${label} sorted sizes`,
    ).toEqual(columnRef(ref.Z, 3).sort((a, b) => a - b));
  }
}

describe("linkage matches scipy.cluster.hierarchy.linkage", () => {
  for (const [name, { X }] of Object.entries(sets)) {
    for (const method of METHODS) {
      const key = `${name}:${method}`;
      it(`${key}${TIE_ORDER_MAY_DIFFER.has(key) ? " (ties: sorted heights)" : ""}`, () => {
        const Z = linkage(X, { method });
        expectSameTree(Z, fixture.cases[name].methods[method], !TIE_ORDER_MAY_DIFFER.has(key), key);
      });
    }
  }
});

describe("linkage with cityblock and cosine matches scipy", () => {
  for (const [name, entry] of Object.entries(fixture.cases)) {
    for (const [key, ref] of Object.entries(entry.metrics)) {
      const [method, metric] = key.split("-") as [LinkageMethod, "cityblock" | "cosine"];
      it(`${name}:${key}`, () => {
        const Z = linkage(sets[name].X, { method, metric });
        // Cosine distances can differ from scipy's in the last bit (scipy's kernel sums in a
        // different order), which may reorder exact ties: compare the sorted heights there.
        const exact = metric === "cityblock" || !["iris", "wine"].includes(name);
        expectSameTree(Z, ref, exact, `${name}:${key}`);
      });
    }
  }

  it('accepts "manhattan" as an alias of "cityblock"', () => {
    const X = sets.rand30x3.X;
    expect(linkage(X, { method: "average", metric: "manhattan" }).data).toEqual(
      linkage(X, { method: "average", metric: "cityblock" }).data,
    );
  });
});

describe("linkage edge cases and errors", () => {
  it("two observations give one merge", () => {
    for (const method of METHODS) {
      const Z = linkage(
        [
          [0, 0],
          [3, 4],
        ],
        { method },
      );
      expect(Array.from(Z.data)).toEqual([0, 1, 5, 2]);
    }
  });

  it("identical points merge at height 0", () => {
    const Z = linkage([[1], [1], [1]], { method: "ward" });
    expect(column(Z, 2)).toEqual([0, 0]);
    expect(column(Z, 3)).toEqual([2, 3]);
  });

  it("names the method/metric combination for Euclidean-only methods", () => {
    const X = sets.rand17x5.X;
    expect(() => linkage(X, { method: "ward", metric: "cosine" })).toThrow(
      'invalid metric: "cosine" (method "ward" requires "euclidean")',
    );
    expect(() => linkage(X, { method: "centroid", metric: "manhattan" })).toThrow(/method "centroid" requires/);
    expect(() => linkage(X, { method: "median", metric: "cityblock" })).toThrow(ValidationError);
  });

  it("rejects unknown methods and metrics, one row, and zero rows with cosine", () => {
    const X = sets.rand17x5.X;
    expect(() => linkage(X, { method: "nearest" as LinkageMethod })).toThrow(/invalid method: "nearest"/);
    expect(() => linkage(X, { method: "single", metric: "chebyshev" as "cosine" })).toThrow(/invalid metric/);
    expect(() => linkage([[1, 2]], { method: "single" })).toThrow(
      "invalid X: 1 row (linkage needs at least 2 observations)",
    );
    expect(() =>
      linkage(
        [
          [0, 0],
          [1, 1],
        ],
        { method: "average", metric: "cosine" },
      ),
    ).toThrow(/row 0 is all zeros/);
    expect(() => linkage([[1], [Number.NaN]], { method: "single" })).toThrow(/NaN at row 1/);
  });
});

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { rows, cols, data };
}

function permuteRows(X: Matrix, perm: number[]): Matrix {
  const out = new Float64Array(X.data.length);
  perm.forEach((src, dst) => {
    out.set(X.data.subarray(src * X.cols, (src + 1) * X.cols), dst * X.cols);
  });
  return { rows: X.rows, cols: X.cols, data: out };
}

describe("properties", () => {
  it("permuting the rows leaves the sorted heights unchanged", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(...METHODS),
        (n, d, seed, method) => {
          const X = randomMatrix(n, d, seed);
          const perm = Array.from({ length: n }, (_, i) => i);
          new Random(seed + 1).shuffle(perm);
          const a = sortedHeights(linkage(X, { method }));
          const b = sortedHeights(linkage(permuteRows(X, perm), { method }));
          return maxRelDiff(a, b) < 1e-9;
        },
      ),
      { seed: 20240601, numRuns: 150 },
    );
  });

  it("merge sizes are consistent and heights are monotone for the reducible methods", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom<LinkageMethod>("ward", "complete", "average", "single", "weighted"),
        (n, seed, method) => {
          const Z = linkage(randomMatrix(n, 3, seed), { method });
          const h = column(Z, 2);
          return h.every((v, i) => i === 0 || v >= h[i - 1]) && Z.data[4 * (n - 2) + 3] === n;
        },
      ),
      { seed: 7, numRuns: 100 },
    );
  });
});

describe("memory-light algorithms", () => {
  // A condensed matrix for n = 5000 would be 12.5 M doubles (100 MB), a square one 200 MB:
  // these methods keep only O(n d) (centroids or per-point minima).
  it("ward on 5000 x 8 runs without an n x n matrix", () => {
    const X = randomMatrix(5000, 8, 3);
    const t0 = performance.now();
    const Z = linkage(X, { method: "ward" });
    const ms = performance.now() - t0;
    expect(Z.rows).toBe(4999);
    expect(Z.data[4 * 4998 + 3]).toBe(5000);
    expect(ms).toBeLessThan(10000);
  });

  it("single, centroid and median on 3000 x 8 run without an n x n matrix", () => {
    const X = randomMatrix(3000, 8, 4);
    for (const method of ["single", "centroid", "median"] as const) {
      const Z = linkage(X, { method });
      expect(Z.rows, method).toBe(2999);
      expect(Z.data[4 * 2998 + 3], method).toBe(3000);
    }
  });
});
