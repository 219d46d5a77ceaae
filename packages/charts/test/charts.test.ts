import { describe, expect, it } from "vitest";
import { CLUSTER_COLORS, clusterColor, NEUTRAL_COLOR } from "../src/colors.js";
import { dendrogramFigure } from "../src/dendrogram.js";
import { formatMetric, formatShort, formatValue } from "../src/format.js";
import type { DendrogramResult, ProjectionResult, SweepResult } from "../src/index.js";
import { profileFigure } from "../src/profile.js";
import { scatterFigure, WEBGL_THRESHOLD } from "../src/scatter.js";
import { silhouetteFigure } from "../src/silhouette.js";
import { sizesFigure } from "../src/sizes.js";
import { sweepFigure } from "../src/sweep.js";

// Traces are plain objects; the tests read their fields without Plotly's trace union types.
// biome-ignore lint/suspicious/noExplicitAny: test access to nested trace fields
type Trace = Record<string, any>;

const projection: ProjectionResult = {
  geometryId: "g-test",
  geometryOmitted: false,
  probability: null,
  explainedVarianceRatio: [0.7, 0.2],
  x: [0, 1, 2, 3],
  y: [0, 1, 0, 1],
  label: [0, 1, 1, 2],
  row: [0, 1, 2, 5],
  values: [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8.123456789],
  ],
  sampled: false,
  centroids: { x: [0, 1.5, 3], y: [0, 0.5, 1] },
};

describe("cluster colours", () => {
  it("give each of 12 clusters its own colour, grey for none", () => {
    expect(new Set(CLUSTER_COLORS).size).toBe(12);
    expect(clusterColor(12)).toBe(clusterColor(0));
    expect(clusterColor(-1)).toBe(NEUTRAL_COLOR);
  });

  it("are the same in the scatter, the sizes, the silhouette plot and the profile", () => {
    const scatter = scatterFigure(projection, 3, ["a", "b"]).data as Trace[];
    const sizes = sizesFigure([1, 2, 1]).data[0] as Trace;
    const silhouette = silhouetteFigure(
      { sampleSize: 4, perCluster: [[0.5], [0.4, 0.2], [0.1]], clusterMeans: [0.5, 0.3, 0.1] },
      0.3,
    ).data as Trace[];
    const profile = profileFigure(
      { columns: ["a"], means: [[1], [2], [3]], z: [[-1], [0], [1]], overallMean: [2], overallStd: [1] },
      [1, 2, 1],
    ).data[0] as Trace;
    for (let c = 0; c < 3; c++) {
      expect(scatter[c].marker.color).toBe(clusterColor(c));
      expect(sizes.marker.color[c]).toBe(clusterColor(c));
      expect(silhouette[c].fillcolor).toBe(clusterColor(c));
      expect(profile.y[c]).toContain(clusterColor(c));
    }
  });
});

describe("scatterFigure", () => {
  it("draws one trace per cluster with the row values in the hover, then the centroids", () => {
    const fig = scatterFigure(projection, 3, ["a", "b"]);
    const traces = fig.data as Trace[];
    expect(traces).toHaveLength(5);
    expect(traces[1].x).toEqual([1, 2]);
    expect(traces[1].customdata).toEqual([
      [1, "3", "4"],
      [2, "5", "6"],
    ]);
    expect(traces[2].customdata[0]).toEqual([5, "7", "8.12346"]);
    expect(traces[0].hovertemplate).toContain("a: %{customdata[1]}<br>b: %{customdata[2]}");
    expect(traces[0].type).toBe("scatter");
    expect(traces[4].x).toEqual([0, 1.5, 3]);
    expect(fig.layout.xaxis?.title).toMatchObject({ text: "PC1 (70.0% of variance)" });
  });

  it("switches to WebGL for many points", () => {
    const n = WEBGL_THRESHOLD + 1;
    const big: ProjectionResult = {
      ...projection,
      x: new Array(n).fill(0),
      y: new Array(n).fill(0),
      label: new Array(n).fill(0),
      row: Array.from({ length: n }, (_, i) => i),
      values: new Array(n).fill([1, 2]),
    };
    expect((scatterFigure(big, 1, ["a", "b"]).data[0] as Trace).type).toBe("scattergl");
  });
});

describe("silhouetteFigure", () => {
  it("stacks each cluster's sorted values as a closed band and marks the mean", () => {
    const fig = silhouetteFigure(
      {
        sampleSize: 5,
        perCluster: [
          [0.9, 0.5],
          [0.3, -0.2, 0.1],
        ],
        clusterMeans: [0.7, 0.07],
      },
      0.32,
    );
    const [a, b] = fig.data as Trace[];
    expect(a.x).toEqual([0, 0.5, 0.9, 0]);
    expect(b.x).toEqual([0, -0.2, 0.1, 0.3, 0]);
    expect(b.y[0]).toBeGreaterThan(a.y[a.y.length - 1]);
    expect(fig.layout.shapes?.[0]).toMatchObject({ x0: 0.32, x1: 0.32 });
    expect((fig.layout.xaxis!.range as number[])[0]).toBeLessThan(-0.2);
  });

  it("skips empty clusters", () => {
    const fig = silhouetteFigure(
      { sampleSize: 2, perCluster: [[0.5], [], [0.4]], clusterMeans: [0.5, null, 0.4] },
      null,
    );
    expect((fig.data as Trace[]).map((t) => t.fillcolor)).toEqual([clusterColor(0), clusterColor(2)]);
    expect(fig.layout.shapes).toEqual([]);
  });
});

describe("sweepFigure", () => {
  const sweep: SweepResult = {
    ks: [2, 3, 4, 5],
    inertia: [100, 50, 40, 35],
    silhouette: [0.5, 0.7, 0.4, null],
    calinskiHarabasz: [1, 2, 3, null],
    daviesBouldin: [1, 0.5, 0.8, null],
    elbow: 3,
    suggestion: { k: 3, by: "silhouette", reason: "..." },
    nRows: 100,
    rowsDropped: 0,
  };

  it("draws inertia, silhouette (right axis), the elbow, the suggestion and the current k", () => {
    const fig = sweepFigure(sweep, 4);
    const traces = fig.data as Trace[];
    expect(traces.map((t) => t.name)).toEqual(["Inertia (WCSS)", "Silhouette", "Elbow"]);
    expect(traces[1].yaxis).toBe("y2");
    expect(Number.isNaN(traces[1].y[3])).toBe(true);
    expect(traces[2]).toMatchObject({ x: [3], y: [50] });
    expect(fig.layout.shapes?.[0]).toMatchObject({ x0: 3, x1: 3 });
    expect(fig.layout.shapes?.[1]).toMatchObject({ type: "rect", x0: 3.65, x1: 4.35 });
    expect(fig.layout.annotations?.[0]?.text).toBe("suggested k = 3");
  });

  it("omits the elbow when there is none and the band when k is outside the sweep", () => {
    const fig = sweepFigure({ ...sweep, elbow: null }, 9);
    expect((fig.data as Trace[]).map((t) => t.name)).toEqual(["Inertia (WCSS)", "Silhouette"]);
    expect(fig.layout.shapes).toHaveLength(1);
  });
});

describe("dendrogramFigure", () => {
  it("groups links by cluster (grey above the cut) and labels the leaves", () => {
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
      ivl: ["0", "(3)", "7", "2"],
      leafClusters: [0, 0, 1, 1],
      linkClusters: [0, 1, -1],
      cutHeight: 3.5,
      cutBy: "k",
      topHeights: [5, 2, 1],
    };
    const fig = dendrogramFigure(d, 2);
    const traces = fig.data as Trace[];
    expect(traces.map((t) => t.line?.color)).toEqual([NEUTRAL_COLOR, clusterColor(0), clusterColor(1), undefined]);
    expect(traces[1].x).toEqual([5, 5, 15, 15, null]);
    expect(traces[3].marker.color).toEqual([clusterColor(0), clusterColor(0), clusterColor(1), clusterColor(1)]);
    expect(fig.layout.xaxis?.ticktext).toEqual(["#0", "(3)", "#7", "#2"]);
    expect(fig.layout.shapes?.[0]).toMatchObject({ y0: 3.5, y1: 3.5 });
  });
});

describe("formatting", () => {
  it("formats metrics, values and short numbers", () => {
    expect(formatMetric(0.46304)).toBe("0.463");
    expect(formatMetric(241.426)).toBe("241.4");
    expect(formatMetric(12345.6)).toBe("12,346");
    expect(formatMetric(null)).toBe("–");
    expect(formatValue(5.123456789)).toBe("5.12346");
    expect(formatValue(3)).toBe("3");
    expect(formatValue(null)).toBe("");
    expect(formatShort(5.83393)).toBe("5.83");
    expect(formatShort(0.24567)).toBe("0.246");
    expect(formatShort(1065.4)).toBe("1,065");
  });
});
