/** The chart builders of the interactive views: noise, highlight, many clusters, and the new charts. */
import { describe, expect, it } from "vitest";
import { bicFigure } from "../src/bic.js";
import { clustermapFigure } from "../src/clustermap.js";
import { clusterColor, clusterName, DIM_COLOR, largestClusters, NEUTRAL_COLOR, withAlpha } from "../src/colors.js";
import { condensedTreeFigure } from "../src/condensedTree.js";
import { clustersAtHeight, dendrogramFigure } from "../src/dendrogram.js";
import type {
  BicSweepResult,
  ClustermapResult,
  CondensedTreeResult,
  DendrogramResult,
  ProfileResult,
  ProjectionResult,
  ReachabilityResult,
} from "../src/index.js";
import { profileFigure } from "../src/profile.js";
import { INFINITE_COLOR, reachabilityFigure } from "../src/reachability.js";
import { scatterFigure } from "../src/scatter.js";
import { selectionProfileFigure, summarizeSelection } from "../src/selection.js";
import { silhouetteFigure } from "../src/silhouette.js";
import { sizesFigure } from "../src/sizes.js";

// biome-ignore lint/suspicious/noExplicitAny: test access to nested trace fields
type Trace = Record<string, any>;

const projection: ProjectionResult = {
  geometryId: "g-1",
  geometryOmitted: false,
  explainedVarianceRatio: [0.6, 0.3],
  x: [0, 1, 2, 3, 4],
  y: [0, 1, 0, 1, 0],
  label: [0, 1, -1, 1, 0],
  probability: [1, 0.5, 0, 0.2, 0.9],
  row: [0, 1, 2, 3, 4],
  values: [
    [1, 10],
    [2, 20],
    [3, 30],
    [4, 40],
    [5, 50],
  ],
  sampled: false,
  centroids: { x: [2, 2], y: [0, 1] },
};

describe("colours", () => {
  it("name noise, fade colours and pick the largest clusters", () => {
    expect(clusterName(-1)).toBe("Noise");
    expect(withAlpha("#4e79a7", 0.5)).toBe("rgba(78, 121, 167, 0.5)");
    expect(largestClusters([5, 1, 9])).toEqual([0, 1, 2]);
    const sizes = Array.from({ length: 40 }, (_, c) => c);
    const top = largestClusters(sizes);
    expect(top).toHaveLength(30);
    expect(top[0]).toBe(10);
  });
});

describe("scatterFigure with noise, membership and a highlight", () => {
  it("draws noise first in grey, sets each point's opacity from its membership and dims the others", () => {
    const fig = scatterFigure(projection, 2, ["a", "b"], { highlight: 1, lasso: true, uirevision: "g-1" });
    const traces = fig.data as Trace[];
    expect(fig.traceCluster).toEqual([-1, 0, 1, null, null]);
    expect(fig.pointIndex.slice(0, 3)).toEqual([[2], [0, 4], [1, 3]]);
    expect(traces[0]).toMatchObject({ name: "Noise (1)" });
    expect(traces[0].marker.color).toBe(NEUTRAL_COLOR);
    // Cluster 0 is dimmed (x 0.1), cluster 1 is lit: opacity 0.15 + 0.85 p.
    expect(traces[1].marker.opacity[0]).toBeCloseTo(0.1);
    expect(traces[2].marker.opacity).toEqual([0.15 + 0.85 * 0.5, 0.15 + 0.85 * 0.2]);
    // The membership is in the hover.
    expect(traces[2].customdata[0]).toEqual([1, "2", "20", "0.50"]);
    expect(traces[2].hovertemplate).toContain("membership: %{customdata[3]}");
    expect(fig.layout.dragmode).toBe("lasso");
    expect(fig.layout.uirevision).toBe("g-1");
  });

  it("shares one trace among more than 30 clusters", () => {
    const k = 40;
    const many: ProjectionResult = {
      ...projection,
      probability: null,
      label: [0, 35, 39, 1, -1],
      centroids: { x: new Array(k).fill(0), y: new Array(k).fill(0) },
    };
    const fig = scatterFigure(many, k, ["a", "b"]);
    const traces = fig.data as Trace[];
    expect(fig.traceCluster).toEqual([-1, null, null, null]);
    expect(traces[1].marker.color).toEqual([clusterColor(0), clusterColor(1), clusterColor(35), clusterColor(39)]);
    expect(traces[2].x).toEqual([]);
  });
});

describe("sizesFigure", () => {
  it("adds noise as a grey bar and fades the clusters not highlighted", () => {
    const fig = sizesFigure([3, 5], { nNoise: 2, highlight: 0 });
    const bar = fig.data[0] as Trace;
    expect(bar.x).toEqual(["Cluster 0", "Cluster 1", "Noise"]);
    expect(bar.y).toEqual([3, 5, 2]);
    expect(bar.customdata).toEqual([0, 1, -1]);
    expect(bar.marker.color[2]).toBe(NEUTRAL_COLOR);
    expect(bar.marker.opacity).toEqual([1, 0.25, 0.25]);
    expect(bar.text).toEqual(["3 (30%)", "5 (50%)", "2 (20%)"]);
  });

  it("keeps the 30 largest of many clusters and says so", () => {
    const sizes = Array.from({ length: 45 }, (_, c) => c + 1);
    const fig = sizesFigure(sizes);
    expect((fig.data[0] as Trace).x).toHaveLength(30);
    expect(fig.layout.annotations?.[0]?.text).toBe("the 30 largest of 45 clusters");
  });
});

describe("silhouette and profile with a highlight", () => {
  it("fades the other bands and makes the labels clickable", () => {
    const fig = silhouetteFigure({ sampleSize: 3, perCluster: [[0.5], [0.4, 0.2]], clusterMeans: [0.5, 0.3] }, 0.37, {
      highlight: 1,
    });
    const traces = fig.data as Trace[];
    expect(traces[0].fillcolor).toBe(withAlpha(clusterColor(0), 0.18));
    expect(traces[1].fillcolor).toBe(clusterColor(1));
    const labels = fig.layout.annotations!.filter((a) => a.captureevents);
    expect(labels.map((a) => a.name)).toEqual(["0", "1"]);
  });

  it("outlines the highlighted profile row and veils the others", () => {
    const p: ProfileResult = {
      columns: ["a"],
      means: [[1], [2], [3]],
      z: [[-1], [0], [1]],
      overallMean: [2],
      overallStd: [1],
    };
    const fig = profileFigure(p, [1, 1, 1], { highlight: 2 });
    const shapes = fig.layout.shapes!;
    expect(shapes).toHaveLength(3);
    expect(shapes[2]).toMatchObject({ y0: 1.5, y1: 2.5, line: { color: "#111827", width: 2 } });
    expect((fig.data[0] as Trace).customdata).toEqual([[0], [1], [2]]);
  });
});

describe("dendrogram cut", () => {
  const d: DendrogramResult = {
    icoord: [
      [5, 5, 15, 15],
      [25, 25, 35, 35],
      [10, 10, 30, 30],
    ],
    dcoord: [
      [0, 1, 1, 0],
      [0, 2, 2, 0],
      [1, 5, 5, 2],
    ],
    ivl: ["0", "1", "2", "3"],
    leafClusters: [0, 0, 1, 1],
    linkClusters: [0, 1, -1],
    cutHeight: 3,
    cutBy: "height",
    topHeights: [5, 2, 1],
  };

  it("counts the clusters of a cut from the top merge heights", () => {
    expect(clustersAtHeight(d.topHeights, 6)).toBe(1);
    expect(clustersAtHeight(d.topHeights, 3)).toBe(2);
    expect(clustersAtHeight(d.topHeights, 1.5)).toBe(3);
    expect(clustersAtHeight(d.topHeights, 0.5)).toBe(4);
  });

  it("labels a height cut and greys the links of the clusters not highlighted", () => {
    const fig = dendrogramFigure(d, 2, { highlight: 1 });
    const traces = fig.data as Trace[];
    expect(traces.map((t) => t.line?.color)).toEqual([NEUTRAL_COLOR, DIM_COLOR, clusterColor(1), undefined]);
    expect(traces[3].customdata).toEqual([0, 0, 1, 1]);
    expect(fig.layout.annotations?.[0]?.text).toBe("cut at 3: k = 2");
    expect(fig.layout.shapes?.[0]).toMatchObject({ y0: 3, y1: 3, xref: "paper" });
  });
});

describe("reachabilityFigure", () => {
  const r: ReachabilityResult = {
    reachability: [null, 0.2, 0.3, 1.5, 0.25, 0.2],
    labels: [0, 0, 0, -1, 1, 1],
    binSize: 1,
    eps: 0.5,
    epsRange: [0.05, 1.8],
    suggestedEps: 0.5,
    maxEps: null,
    minSamples: 5,
  };

  it("draws the bars of each cluster as one filled outline, infinite ones dark to the top, and the eps line", () => {
    const fig = reachabilityFigure(r);
    const traces = fig.data as Trace[];
    const top = 1.5 * 1.08;
    // Infinite first, then noise, then the clusters.
    expect(fig.traceCluster).toEqual([null, -1, 0, 1]);
    expect(traces.map((t) => t.fillcolor)).toEqual([INFINITE_COLOR, NEUTRAL_COLOR, clusterColor(0), clusterColor(1)]);
    expect(traces[0].y[0]).toBe(0);
    expect(traces[0].y[1]).toBeCloseTo(top);
    // Cluster 0: bars 1 and 2 as one step outline.
    expect(traces[2].x).toEqual([0.5, 0.5, 1.5, 1.5, 2.5, 2.5, 0.5, null]);
    expect(traces[2].y).toEqual([0, 0.2, 0.2, 0.3, 0.3, 0, 0, null]);
    expect(traces[3].text).toBe("Cluster 1: 2 rows");
    expect(fig.layout.shapes?.[0]).toMatchObject({ y0: 0.5, y1: 0.5 });
    expect(fig.layout.annotations?.[0]?.text).toBe("eps = 0.5");
  });

  it("fades the clusters not highlighted; no eps line for OPTICS xi; names binned bars", () => {
    const lit = reachabilityFigure(r, { highlight: 1 }).data as Trace[];
    expect(lit[2].fillcolor).toBe(withAlpha(clusterColor(0), 0.18));
    expect(lit[3].fillcolor).toBe(clusterColor(1));
    const fig = reachabilityFigure({ ...r, eps: null, binSize: 40 });
    expect(fig.layout.shapes).toEqual([]);
    const title = fig.layout.xaxis?.title as { text: string };
    expect(title.text).toContain("each bar: 40 rows");
  });
});

describe("condensedTreeFigure", () => {
  const t: CondensedTreeResult = {
    clusters: [
      {
        id: 10,
        parent: -1,
        birth: 0,
        death: 1,
        size: 10,
        stability: 1,
        label: -1,
        polygonX: [0, 0, 10, 10, 0],
        polygonY: [0, 1, 1, 0, 0],
        x: 5,
      },
      {
        id: 11,
        parent: 10,
        birth: 1,
        death: 3,
        size: 6,
        stability: 2,
        label: 0,
        polygonX: [0, 0, 6, 6, 0],
        polygonY: [1, 3, 3, 1, 1],
        x: 3,
      },
      {
        id: 12,
        parent: 10,
        birth: 1,
        death: 2,
        size: 4,
        stability: 1.5,
        label: 1,
        polygonX: [6, 6, 10, 10, 6],
        polygonY: [1, 2, 2, 1, 1],
        x: 8,
      },
    ],
    maxLambda: 3,
    width: 10,
    truncated: false,
    cutRange: [0.3, 2],
    suggestedCut: 0.5,
    cut: null,
  };

  it("fills the selected clusters in their colours and the others grey, lambda downwards", () => {
    const fig = condensedTreeFigure(t);
    const traces = fig.data as Trace[];
    expect(traces[0].fillcolor).toBe("#e5e7eb");
    expect(traces[0].x).toEqual([0, 0, 10, 10, 0, null]);
    expect(traces[1].fillcolor).toBe(clusterColor(0));
    expect(traces[2].fillcolor).toBe(clusterColor(1));
    // Sibling links at the split, then the markers for hover and clicks.
    expect(traces[3].x).toEqual([5, 3, null, 5, 8, null]);
    expect(traces[4].customdata).toEqual([-1, 0, 1]);
    const range = fig.layout.yaxis?.range as number[];
    expect(range[0]).toBeGreaterThan(range[1]);
  });

  it("draws the DBSCAN* cut at lambda = 1 / eps", () => {
    const fig = condensedTreeFigure({ ...t, cut: 0.5 });
    expect(fig.layout.shapes?.[0]).toMatchObject({ y0: 2, y1: 2 });
  });
});

describe("clustermapFigure", () => {
  const m: ClustermapResult = {
    columns: ["b", "a"],
    rowIndex: [2, 0, 1],
    fileRow: [5, 0, 1],
    values: [
      [1, -1],
      [0.5, 0],
      [-1, 1],
    ],
    rowDendrogram: {
      icoord: [
        [15, 15, 25, 25],
        [5, 5, 20, 20],
      ],
      dcoord: [
        [0, 1, 1, 0],
        [0, 2, 2, 1],
      ],
    },
    columnDendrogram: { icoord: [[5, 5, 15, 15]], dcoord: [[0, 3, 3, 0]] },
    normalization: "z-score-columns",
    sampled: false,
    nRows: 3,
  };

  it("draws the dendrograms beside the heatmap and a strip of the rows' clusters", () => {
    const fig = clustermapFigure(m, { labels: [1, 0, -1], highlight: null });
    const traces = fig.data as Trace[];
    // Row dendrogram: heights on x (the left axis), leaf positions on y.
    expect(traces[0]).toMatchObject({ xaxis: "x2", yaxis: "y" });
    expect(traces[0].x.slice(0, 4)).toEqual([0, 1, 1, 0]);
    expect(traces[1]).toMatchObject({ xaxis: "x", yaxis: "y2" });
    const strip = traces[2];
    expect(strip.z).toEqual([[0], [2], [1]]);
    expect(strip.customdata).toEqual([[-1], [1], [0]]);
    const heat = traces[3];
    expect(heat.y).toEqual([5, 15, 25]);
    expect(heat.zmin).toBe(-heat.zmax);
    expect(fig.layout.xaxis?.ticktext).toEqual(["b", "a"]);
  });

  it("greys the strip of the clusters not highlighted, and uses a 0-1 scale for standard-scaling", () => {
    const fig = clustermapFigure({ ...m, normalization: "standard-scale-rows" }, { labels: [1, 0, -1], highlight: 0 });
    const traces = fig.data as Trace[];
    const scale = traces[2].colorscale as [number, string][];
    expect(scale.map((s) => s[1])).toEqual([
      NEUTRAL_COLOR,
      NEUTRAL_COLOR,
      clusterColor(0),
      clusterColor(0),
      DIM_COLOR,
      DIM_COLOR,
    ]);
    expect([traces[3].zmin, traces[3].zmax]).toEqual([0, 1]);
  });
});

describe("bicFigure and the lasso selection", () => {
  it("plots the BIC per k and marks the lowest", () => {
    const b: BicSweepResult = {
      ks: [1, 2, 3],
      bic: [30, 10, 20],
      best: 2,
      covarianceType: "full",
      nRows: 9,
      rowsDropped: 0,
    };
    const fig = bicFigure(b, 3);
    const traces = fig.data as Trace[];
    expect(traces[0].y).toEqual([30, 10, 20]);
    expect(traces[1]).toMatchObject({ x: [2], y: [10] });
    expect(fig.layout.annotations?.[0]?.text).toBe("lowest BIC: k = 2");
    expect(fig.layout.shapes?.[0]).toMatchObject({ x0: 2.65, x1: 3.35 });
  });

  it("summarises selected rows and compares their means with the overall mean", () => {
    const s = summarizeSelection(projection, [1, 3, 2]);
    expect(s.count).toBe(3);
    expect([...s.byCluster.entries()]).toEqual([
      [1, 2],
      [-1, 1],
    ]);
    expect(s.means).toEqual([3, 30]);
    const profile: ProfileResult = { columns: ["a", "b"], means: [], z: [], overallMean: [2, 30], overallStd: [1, 0] };
    const fig = selectionProfileFigure(s, profile);
    const bar = fig.data[0] as Trace;
    expect(bar.x).toEqual([1, 0]);
    expect(bar.text).toEqual(["mean 3", "mean 30"]);
  });
});
