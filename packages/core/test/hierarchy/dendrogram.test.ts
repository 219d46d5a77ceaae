import { describe, expect, it } from "vitest";
import { dendrogramLayout, leavesList, linkage, optimalLeafOrdering } from "../../src/hierarchy/index.js";
import { asMatrix } from "../../src/index.js";
import { allSets, type DendroRef, fixture, METHODS, maxRelDiff } from "./helpers.js";

const sets = allSets();

function expectLayout(Z: ReturnType<typeof asMatrix>, ref: DendroRef, options: Parameters<typeof dendrogramLayout>[1]) {
  const out = dendrogramLayout(Z, options);
  expect(out.icoord).toEqual(ref.icoord);
  expect(maxRelDiff(out.dcoord.flat(), ref.dcoord.flat())).toBeLessThan(1e-12);
  expect(out.ivl).toEqual(ref.ivl);
  expect(out.leaves).toEqual(ref.leaves);
  expect(out.colorList).toEqual(ref.colorList);
  expect(out.leavesColorList).toEqual(ref.leavesColorList);
  return out;
}

describe("leavesList and optimalLeafOrdering match scipy", () => {
  for (const name of Object.keys(sets)) {
    for (const method of METHODS) {
      it(`${name}:${method}`, () => {
        const ref = fixture.cases[name].methods[method];
        const Z = asMatrix(ref.Z);
        expect(Array.from(leavesList(Z))).toEqual(ref.leaves);
        // Optimal leaf ordering is O(n^3): checked on every set up to 200 points and on one large tree.
        if (Z.rows >= 200 && `${name}:${method}` !== "blobsOverlap:average") return;
        const ordered = optimalLeafOrdering(Z, sets[name].X);
        expect(Array.from(leavesList(ordered))).toEqual(ref.olo);
        // Same merges and heights, children possibly swapped.
        for (let r = 0; r < Z.rows; r++) {
          const a = [Z.data[4 * r], Z.data[4 * r + 1]].sort((p, q) => p - q);
          const b = [ordered.data[4 * r], ordered.data[4 * r + 1]].sort((p, q) => p - q);
          expect(b).toEqual(a);
          expect(ordered.data[4 * r + 2]).toBe(Z.data[4 * r + 2]);
        }
      });
    }
  }

  it("linkage(optimalOrdering) equals optimalLeafOrdering(linkage)", () => {
    const X = sets.rand30x3.X;
    const Z = linkage(X, { method: "average" });
    expect(linkage(X, { method: "average", optimalOrdering: true }).data).toEqual(optimalLeafOrdering(Z, X).data);
  });

  it("does not increase the sum of adjacent leaf distances", () => {
    const X = sets.rand50x2.X;
    const cost = (order: Int32Array) => {
      let s = 0;
      for (let i = 1; i < order.length; i++) {
        const a = order[i - 1];
        const b = order[i];
        s += Math.hypot(X.data[2 * a] - X.data[2 * b], X.data[2 * a + 1] - X.data[2 * b + 1]);
      }
      return s;
    };
    for (const method of METHODS) {
      const Z = linkage(X, { method });
      expect(cost(leavesList(optimalLeafOrdering(Z, X)))).toBeLessThanOrEqual(cost(leavesList(Z)) + 1e-9);
    }
  });
});

describe("dendrogramLayout matches scipy's dendrogram(no_plot=True)", () => {
  for (const name of Object.keys(sets)) {
    for (const method of METHODS) {
      it(`${name}:${method}`, () => {
        const ref = fixture.cases[name].methods[method];
        const Z = asMatrix(ref.Z);
        const lastp = ref.dendroLastp as DendroRef;
        const out = expectLayout(Z, lastp, { truncateMode: "lastp", p: lastp.p });
        // Collapsed leaves carry their sizes; they add up to n.
        expect(out.leafSizes.reduce((a, b) => a + b, 0)).toBe(Z.rows + 1);
        out.leaves.forEach((leaf, i) => {
          expect(out.leafSizes[i]).toBe(leaf < Z.rows + 1 ? 1 : Z.data[4 * (leaf - Z.rows - 1) + 3]);
        });
        const level = ref.dendroLevel as DendroRef;
        expectLayout(Z, level, { truncateMode: "level", p: level.p });
        if (ref.dendroFull) {
          const full = expectLayout(Z, ref.dendroFull, {});
          expect(full.leaves).toEqual(Array.from(leavesList(Z)));
          expect(full.icoord.length).toBe(Z.rows);
        }
      });
    }
  }

  it("options: labels, threshold, counts, palette, sorting", () => {
    const Z = linkage([[0], [1], [5], [6.5], [20]], { method: "single" });
    const out = dendrogramLayout(Z, {
      labels: ["a", "b", "c", "d", "e"],
      colorThreshold: 3,
      palette: ["red", "blue"],
      aboveThresholdColor: "gray",
    });
    expect(out.ivl).toEqual(["e", "a", "b", "c", "d"]);
    expect(out.colorList).toEqual(["red", "blue", "gray", "gray"]);
    expect(out.icoord[0]).toEqual([15, 15, 25, 25]);
    const counts = dendrogramLayout(Z, { truncateMode: "lastp", p: 2, showLeafCounts: false });
    expect(counts.ivl).toEqual(["4", ""]);
    expect(counts.leafSizes).toEqual([1, 4]);
    const sorted = dendrogramLayout(Z, { countSort: "descending" });
    expect(sorted.leaves[sorted.leaves.length - 1]).toBe(4);
    expect(() => dendrogramLayout(Z, { labels: ["a"] })).toThrow("invalid labels: 1 labels for 5 observations");
    expect(() => dendrogramLayout(Z, { p: -1 })).toThrow("invalid p: -1");
    expect(() => dendrogramLayout(Z, { truncateMode: "top" as "level" })).toThrow(/invalid truncateMode/);
  });

  it("handles deep chains without recursion", () => {
    // A caterpillar tree of depth n - 1: merge r joins the previous cluster with observation r + 1.
    const n = 50000;
    const data = new Float64Array(4 * (n - 1));
    for (let r = 0; r < n - 1; r++) data.set([r === 0 ? 0 : n + r - 1, r + 1, r + 1, r + 2], 4 * r);
    const Z = { rows: n - 1, cols: 4, data };
    const out = dendrogramLayout(Z, {});
    expect(out.leaves.length).toBe(n);
    expect(out.icoord.length).toBe(n - 1);
    expect(Array.from(leavesList(Z))).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
