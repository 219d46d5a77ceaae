/** The chart builders of the results views: projections (2-D, 3-D), segments, evaluation, anomalies. */
import { describe, expect, it } from "vitest";
import { clusterColor, NEUTRAL_COLOR } from "../src/colors.js";
import { STABILITY_BANDS, stabilityFigure } from "../src/evaluation.js";
import type { BoxStats, ProfileResult, ProjectionResult } from "../src/index.js";
import { wrapLabel } from "../src/labels.js";
import { parcoordsFigure } from "../src/parcoords.js";
import { profileFigure } from "../src/profile.js";
import { radarFigure } from "../src/radar.js";
import { ANOMALY_COLOR, scatterFigure } from "../src/scatter.js";
import { embeddedProjection, localIndices, scatter3dFigure } from "../src/scatter3d.js";
import { segmentBoxesFigure } from "../src/segmentBoxes.js";
import { segmentProfileFigure } from "../src/segmentProfile.js";

// biome-ignore lint/suspicious/noExplicitAny: test access to nested trace fields
type Trace = Record<string, any>;

const projection: ProjectionResult = {
  geometryId: "g-test",
  geometryOmitted: false,
  probability: null,
  explainedVarianceRatio: [0.7, 0.2],
  x: [0, 1, 2, 3, 4],
  y: [0, 1, 0, 1, 0],
  label: [0, 1, 1, 2, -1],
  row: [0, 1, 2, 5, 9],
  values: [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
    [9, 10],
  ],
  sampled: false,
  centroids: { x: [0, 1.5, 3], y: [0, 0.5, 1] },
};

/** t-SNE of points 0, 1, 2 and 4 (a sample: point 3 left out), in 3-D. */
const coords = {
  method: "tsne" as const,
  points: [0, 1, 2, 4],
  coords: [
    [10, 20, 40, 50],
    [1, 2, 4, 5],
    [-1, -2, -4, -5],
  ],
  axisTitles: ["t-SNE 1", "t-SNE 2", "t-SNE 3"],
};

describe("scatterFigure: anomalies and axis titles", () => {
  it("rings the given points in red over their clusters and names the axes", () => {
    const fig = scatterFigure(projection, 3, ["a", "b"], { anomalies: [1, 3], axisTitles: ["UMAP 1", "UMAP 2"] });
    const traces = fig.data as Trace[];
    const ring = traces.find((t) => String(t.name).startsWith("Anomalies"))!;
    expect(ring.name).toBe("Anomalies (2)");
    expect(ring.x).toEqual([1, 3]);
    expect(ring.y).toEqual([1, 1]);
    expect(ring.marker.symbol).toBe("circle-open");
    expect(ring.marker.color).toBe(ANOMALY_COLOR);
    // Clicking or lassoing a ring maps back to its points.
    expect(fig.pointIndex[traces.indexOf(ring)]).toEqual([1, 3]);
    expect(fig.traceCluster[traces.indexOf(ring)]).toBeNull();
    expect((fig.layout.xaxis as Trace).title.text).toBe("UMAP 1");
    expect((fig.layout.yaxis as Trace).title.text).toBe("UMAP 2");
  });

  it("dims the rings of the clusters not highlighted and draws none without anomalies", () => {
    const fig = scatterFigure(projection, 3, ["a", "b"], { anomalies: [1, 3], highlight: 2 });
    const ring = (fig.data as Trace[]).find((t) => String(t.name).startsWith("Anomalies"))!;
    expect(ring.marker.opacity).toEqual([0.15, 1]);
    const plain = scatterFigure(projection, 3, ["a", "b"], { anomalies: [] });
    expect((plain.data as Trace[]).some((t) => String(t.name).startsWith("Anomalies"))).toBe(false);
    expect((plain.layout.xaxis as Trace).title.text).toBe("PC1 (70.0% of variance)");
  });
});

describe("embeddedProjection", () => {
  const e = embeddedProjection(projection, coords, 3);

  it("takes the placed points' labels, rows and values, and their positions", () => {
    expect(e.x).toEqual([10, 20, 40, 50]);
    expect(e.y).toEqual([1, 2, 4, 5]);
    expect(e.z).toEqual([-1, -2, -4, -5]);
    expect(e.label).toEqual([0, 1, 1, -1]);
    expect(e.row).toEqual([0, 1, 2, 9]);
    expect(e.values[3]).toEqual([9, 10]);
    expect(e.positions).toEqual([0, 1, 2, 4]);
    expect(e.sampled).toBe(true);
  });

  it("puts each cluster's centre at the mean of its points (none for a cluster without points here)", () => {
    expect(e.centroids.x).toEqual([10, 30, null]);
    expect(e.centroids.y).toEqual([1, 3, null]);
    expect(e.centroidsZ).toEqual([-1, -3, null]);
  });

  it("maps positions of the cluster answer to its own indices, dropping those it lacks", () => {
    expect(localIndices(e, [4, 3, 1])).toEqual([3, 1]);
  });

  it("draws in 2-D through scatterFigure, with the embedding's axes", () => {
    const fig = scatterFigure(e, 3, ["a", "b"], { axisTitles: ["t-SNE 1", "t-SNE 2"] });
    const c1 = (fig.data as Trace[]).find((t) => String(t.name).startsWith("Cluster 1"))!;
    expect(c1.x).toEqual([20, 40]);
    // pointIndex is into e's arrays; e.positions maps it back to the cluster answer's points.
    const local = fig.pointIndex[(fig.data as Trace[]).indexOf(c1)];
    expect(local.map((i) => e.positions[i])).toEqual([1, 2]);
  });
});

describe("scatter3dFigure", () => {
  const e = embeddedProjection(projection, coords, 3);

  it("draws one WebGL scatter3d trace per cluster in its colour, noise grey, centres and hover rows", () => {
    const fig = scatter3dFigure(e, 3, ["a", "b"]);
    const traces = fig.data as Trace[];
    expect(traces.every((t) => t.type === "scatter3d")).toBe(true);
    const noise = traces[0];
    expect(noise.marker.color).toBe(NEUTRAL_COLOR);
    expect(noise.z).toEqual([-5]);
    const byName = (name: string) => traces.find((t) => String(t.name).startsWith(name))!;
    expect(byName("Cluster 0").marker.color).toBe(clusterColor(0));
    expect(byName("Cluster 1").marker.color).toBe(clusterColor(1));
    expect(byName("Cluster 1").z).toEqual([-2, -4]);
    expect(byName("Cluster 1").customdata).toEqual([
      [1, "3", "4"],
      [2, "5", "6"],
    ]);
    expect(byName("Cluster 1").hovertemplate).toContain("row %{customdata[0]}");
    const centres = traces.at(-1)!;
    expect(centres.x).toEqual([10, 30]);
    expect(centres.z).toEqual([-1, -3]);
    expect(fig.traceCluster).toEqual([-1, 0, 1, 2, null]);
    expect((fig.layout as Trace).scene.zaxis.title.text).toBe("t-SNE 3");
  });

  it("fades the clusters not highlighted and rings anomalies", () => {
    const fig = scatter3dFigure(e, 3, ["a", "b"], { highlight: 1, anomalies: [2] });
    const traces = fig.data as Trace[];
    const c0 = traces.find((t) => String(t.name).startsWith("Cluster 0"))!;
    const c1 = traces.find((t) => String(t.name).startsWith("Cluster 1"))!;
    expect(c0.marker.opacity).toBeLessThan(0.1);
    expect(c1.marker.opacity).toBeGreaterThan(0.8);
    const ring = traces.find((t) => String(t.name).startsWith("Anomalies"))!;
    expect(ring.x).toEqual([40]);
    expect(ring.marker.color).toBe(ANOMALY_COLOR);
  });

  it("shares one trace above 30 clusters", () => {
    const many = { ...e, label: [0, 31, 32, -1] };
    const fig = scatter3dFigure(many, 40, ["a", "b"]);
    expect((fig.data as Trace[]).filter((t) => String(t.name).endsWith("clusters"))).toHaveLength(1);
  });
});

describe("segment charts", () => {
  const profile: ProfileResult = {
    columns: ["income", "spend"],
    means: [
      [90, 10],
      [30, 80],
      [50, 50],
    ],
    z: [
      [1.5, -1.2],
      [-1, 1.4],
      [0, 0],
    ],
    overallMean: [55, 45],
    overallStd: [20, 25],
  };
  const names = new Map([
    [0, "High income, low spend"],
    [1, "Low income, very high spend"],
    [2, "Typical"],
    [-1, "Noise"],
  ]);

  it("parcoords: one axis per feature, each line in its segment's colour band", () => {
    const fig = parcoordsFigure(
      {
        features: ["income", "spend"],
        values: [
          [90, 30, 50, 70],
          [10, 80, 50, 20],
        ],
        labels: [0, 1, 2, -1],
      },
      { names },
    );
    const t = fig.data[0] as Trace;
    expect(t.type).toBe("parcoords");
    expect(t.dimensions.map((d: Trace) => d.label)).toEqual(["income", "spend"]);
    expect(t.dimensions[0].range).toEqual([30, 90]);
    // Labels -1, 0, 1, 2 get bands [0, .25), [.25, .5), ...; each row sits in the middle of its band.
    expect(t.line.color).toEqual([0.375, 0.625, 0.875, 0.125]);
    const colourAt = (v: number) => {
      const scale = t.line.colorscale as [number, string][];
      let c = scale[0][1];
      for (const [at, colour] of scale) if (at <= v) c = colour;
      return c;
    };
    expect(colourAt(0.375)).toBe(clusterColor(0));
    expect(colourAt(0.625)).toBe(clusterColor(1));
    expect(colourAt(0.875)).toBe(clusterColor(2));
    expect(colourAt(0.125)).toBe(NEUTRAL_COLOR);
    expect(t.meta).toEqual(["Noise", "High income, low spend", "Low income, very high spend", "Typical"]);
    const lit = parcoordsFigure({ features: ["income"], values: [[1, 2]], labels: [0, 1] }, { highlight: 1 })
      .data[0] as Trace;
    expect(lit.line.colorscale[0][1]).toBe("#e5e7eb");
    expect(lit.line.colorscale[2][1]).toBe(clusterColor(1));
  });

  it("radar: a closed polygon of z per non-empty segment, in its colour", () => {
    const fig = radarFigure(profile, [10, 20, 0], { names });
    const traces = fig.data as Trace[];
    expect(traces).toHaveLength(2);
    expect(traces[0].type).toBe("scatterpolar");
    expect(traces[0].r).toEqual([1.5, -1.2, 1.5]);
    expect(traces[0].theta).toEqual(["income", "spend", "income"]);
    expect(traces[1].line.color).toBe(clusterColor(1));
    expect(traces[1].name).toBe("Low income, very high spend");
    expect((fig.layout as Trace).polar.radialaxis.range).toEqual([-2, 2]);
  });

  it("boxes: the server's quartiles and whiskers per segment, one colour each, none for an empty one", () => {
    const box = (m: number): BoxStats => ({
      min: m - 3,
      q1: m - 1,
      median: m,
      q3: m + 1,
      max: m + 3,
      lowerFence: m - 2,
      upperFence: m + 2,
      mean: m + 0.1,
    });
    const fig = segmentBoxesFigure("income", [box(90), null, box(50)], [0, 1, -1], { names });
    const traces = fig.data as Trace[];
    expect(traces).toHaveLength(2);
    expect(traces[0].type).toBe("box");
    expect(traces[0].q1).toEqual([89]);
    expect(traces[0].upperfence).toEqual([92]);
    expect(traces[0].mean).toEqual([90.1]);
    expect(traces[0].marker.color).toBe(clusterColor(0));
    expect(traces[1].marker.color).toBe(NEUTRAL_COLOR);
    expect(traces[1].x).toEqual(["Noise"]);
    expect(traces[0].x).toEqual(["High income, low spend"]);
  });

  it("profile heatmap: the Cluster page's, rows named after their segments", () => {
    const fig = segmentProfileFigure(profile, [10, 20, 5], names);
    const base = profileFigure(profile, [10, 20, 5]);
    const t = fig.data[0] as Trace;
    expect(t.z).toEqual((base.data[0] as Trace).z);
    const text = (y: string) => y.replace(/<br>/g, " ");
    expect(text(t.y[0])).toContain("High income, low spend (10)");
    expect(t.y[0]).toContain(clusterColor(0));
    expect(t.y[1]).toContain("Low income, very high<br>spend (20)");
    const hostile = segmentProfileFigure(profile, [10, 20, 5], new Map([[0, "<img src=x>"]]));
    expect((hostile.data[0] as Trace).y[0]).toContain("&lt;img src=x&gt;");
  });

  it("stability: a bar per cluster in its colour, Hennig's bands dashed", () => {
    const fig = stabilityFigure(
      {
        nBootstrap: 20,
        meanJaccard: 0.7,
        clusters: [
          { label: 0, size: 50, meanJaccard: 0.95, band: "highly stable" },
          { label: 1, size: 40, meanJaccard: 0.5, band: "dissolved" },
          { label: 2, size: 0, meanJaccard: null, band: null },
        ],
      },
      names,
    );
    const t = fig.data[0] as Trace;
    expect(t.y).toEqual([0.95, 0.5]);
    expect(t.marker.color).toEqual([clusterColor(0), clusterColor(1)]);
    expect(t.customdata).toEqual([0, 1]);
    expect((fig.layout.shapes ?? []).map((s) => s.y0)).toEqual(STABILITY_BANDS.map(([y]) => y));
  });

  it("wraps long labels at spaces", () => {
    expect(wrapLabel("Very high sepal length cm, very high petal width cm", 22)).toBe(
      "Very high sepal length<br>cm, very high petal<br>width cm",
    );
    expect(wrapLabel("short")).toBe("short");
  });
});
