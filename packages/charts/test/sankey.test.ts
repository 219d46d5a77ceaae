import { describe, expect, it } from "vitest";
import type { RunComparison } from "../../server/src/apiRuns.js";
import { clusterColor, NEUTRAL_COLOR } from "../src/colors.js";
import { matchedColors, maxWeightMatching, sankeyFigure } from "../src/sankey.js";

// biome-ignore lint/suspicious/noExplicitAny: test access to nested trace fields
type Trace = Record<string, any>;

/** Every assignment of columns to distinct rows, by brute force: the best total weight. */
function bruteForce(w: number[][]): number {
  const nRows = w.length;
  const nCols = w[0].length;
  let best = 0;
  const used = new Array<boolean>(nRows).fill(false);
  const go = (j: number, sum: number) => {
    if (j === nCols) {
      best = Math.max(best, sum);
      return;
    }
    go(j + 1, sum); // column j unmatched
    for (let i = 0; i < nRows; i++) {
      if (used[i]) continue;
      used[i] = true;
      go(j + 1, sum + w[i][j]);
      used[i] = false;
    }
  };
  go(0, 0);
  return best;
}

function total(w: number[][], match: number[]): number {
  return match.reduce((s, i, j) => s + (i >= 0 ? w[i][j] : 0), 0);
}

function comparison(labelsA: number[], labelsB: number[], counts: number[][]): RunComparison {
  const summary = {} as RunComparison["a"];
  return {
    a: summary,
    b: summary,
    rowsCompared: counts.flat().reduce((a, b) => a + b, 0),
    labelsA,
    labelsB,
    counts,
    adjustedRand: 0.5,
    normalizedMutualInfo: 0.5,
  };
}

describe("maxWeightMatching (Hungarian method)", () => {
  it("finds the permutation with the largest overlap, not the greedy one", () => {
    // Greedy (take 9 first) gives 9 + 1 = 10; the optimum is 8 + 8 = 16.
    const w = [
      [9, 8],
      [8, 1],
    ];
    expect(maxWeightMatching(w)).toEqual([1, 0]);
  });

  it("agrees with brute force on random rectangular tables, each row used at most once", () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let t = 0; t < 60; t++) {
      const nRows = 1 + Math.floor(rand() * 5);
      const nCols = 1 + Math.floor(rand() * 5);
      const w = Array.from({ length: nRows }, () => Array.from({ length: nCols }, () => Math.floor(rand() * 50)));
      const match = maxWeightMatching(w);
      expect(match).toHaveLength(nCols);
      const rows = match.filter((i) => i >= 0);
      expect(new Set(rows).size).toBe(rows.length);
      expect(rows.length).toBe(Math.min(nRows, nCols));
      expect(total(w, match)).toBe(bruteForce(w));
    }
  });

  it("handles an empty table", () => {
    expect(maxWeightMatching([])).toEqual([]);
  });
});

describe("matchedColors", () => {
  it("gives a relabelled partition the colours of the first", () => {
    // Run b is run a with labels permuted 0 -> 2, 1 -> 0, 2 -> 1.
    const c = comparison(
      [0, 1, 2],
      [0, 1, 2],
      [
        [0, 0, 50],
        [40, 0, 0],
        [0, 60, 0],
      ],
    );
    expect(matchedColors(c)).toEqual([1, 2, 0]);
  });

  it("gives an extra cluster of b an unused colour, and keeps noise grey", () => {
    const c = comparison(
      [-1, 0, 1],
      [-1, 0, 1, 2],
      [
        [5, 0, 0, 0],
        [0, 30, 0, 20],
        [0, 0, 0, 50],
      ],
    );
    // b2 overlaps a1 most (50); b0 takes a0 (30); b1 overlaps nothing and gets colour 2.
    expect(matchedColors(c)).toEqual([-1, 0, 2, 1]);
  });
});

describe("sankeyFigure", () => {
  const c = comparison(
    [0, 1],
    [0, 1, 2],
    [
      [0, 45, 5],
      [30, 0, 20],
    ],
  );
  const fig = sankeyFigure(c, { nameA: "K-means, k = 2", nameB: "Ward, k = 3" });
  const trace = fig.data[0] as Trace;

  it("draws one node per cluster of each run and one link per non-empty cell", () => {
    expect(trace.type).toBe("sankey");
    expect(trace.node.label).toEqual(["Cluster 0", "Cluster 1", "Cluster 0", "Cluster 1", "Cluster 2"]);
    expect(trace.link.source).toEqual([0, 0, 1, 1]);
    expect(trace.link.target).toEqual([3, 4, 2, 4]);
    expect(trace.link.value).toEqual([45, 5, 30, 20]);
    expect(trace.node.x).toEqual([0.001, 0.001, 0.999, 0.999, 0.999]);
  });

  it("colours matched clusters alike and links by their source", () => {
    // b1 <-> a0 (45), b0 <-> a1 (30), b2 unmatched -> colour 2.
    expect(trace.node.color).toEqual([
      clusterColor(0),
      clusterColor(1),
      clusterColor(1),
      clusterColor(0),
      clusterColor(2),
    ]);
    expect(trace.link.color[0]).toBe("rgba(78, 121, 167, 0.42)");
    expect(trace.link.customdata[0]).toBe("Cluster 0 → Cluster 1: 45 rows (90% of Cluster 0)");
  });

  it("puts b's clusters in the order of their partners, so matched flows run straight", () => {
    const y = trace.node.y as number[];
    // a0 above a1; b1 (partner a0) above b0 (partner a1) above b2 (no partner).
    expect(y[0]).toBeLessThan(y[1]);
    expect(y[3]).toBeLessThan(y[2]);
    expect(y[2]).toBeLessThan(y[4]);
  });

  it("names the two runs above their columns, escaped", () => {
    const f = sankeyFigure(c, { nameA: "<b>x</b>", nameB: "B" });
    expect(f.layout.annotations?.[0].text).toBe("<b>&lt;b&gt;x&lt;/b&gt;</b>");
  });

  it("draws noise grey", () => {
    const n = sankeyFigure(comparison([-1, 0], [0], [[3], [7]]), { nameA: "a", nameB: "b" }).data[0] as Trace;
    expect(n.node.color[0]).toBe(NEUTRAL_COLOR);
    expect(n.node.label[0]).toBe("Noise");
  });
});
