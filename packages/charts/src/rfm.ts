import { clusterColor } from "./colors.js";
import { percent } from "./palette.js";
import { axis, baseLayout, type Figure } from "./theme.js";
import type { RfmResult } from "./workflowTypes.js";

/** A colour per named RFM segment, from the best customers (greens) to the lost ones (greys). */
export const SEGMENT_COLORS: Readonly<Record<string, string>> = {
  Champions: "#1b7f4b",
  "Loyal Customers": "#38a169",
  "Potential Loyalists": "#7cc57f",
  "New Customers": "#4e79a7",
  Promising: "#76b7b2",
  "Need Attention": "#edc948",
  "About to Sleep": "#f1a340",
  "Can't Lose Them": "#e15759",
  "At Risk": "#f28e2b",
  Hibernating: "#a0a7b4",
  Lost: "#6b7280",
};

export function segmentColor(segment: string): string {
  return SEGMENT_COLORS[segment] ?? "#9ca3af";
}

/** Customers per rule-based segment, one bar each in the segment's colour, labelled with count and share. */
export function segmentSizesFigure(segments: RfmResult["segments"]): Figure {
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: segments.map((s) => s.segment),
        x: segments.map((s) => s.count),
        customdata: segments.map((s) => [s.description, s.recency.median, s.frequency.median, s.monetary.median]),
        marker: { color: segments.map((s) => segmentColor(s.segment)) },
        text: segments.map((s) => `${s.count.toLocaleString("en-US")} (${percent(s.share)})`),
        textposition: "outside",
        cliponaxis: false,
        hovertemplate:
          "<b>%{y}</b>: %{customdata[0]}<br>%{x} customers<br>median recency %{customdata[1]} days, %{customdata[2]} orders, %{customdata[3]:,.0f} spent<extra></extra>",
      },
    ],
    layout: baseLayout({
      margin: { l: 132, r: 24, t: 8, b: 40 },
      xaxis: axis("Customers", {
        rangemode: "tozero",
        range: [0, Math.max(1, ...segments.map((s) => s.count)) * 1.25],
      }),
      yaxis: axis("", { autorange: "reversed", type: "category" }),
      bargap: 0.25,
    }),
  };
}

/**
 * Customers on recency (days since the last order) against monetary value (log scale), coloured by
 * cluster, one trace per cluster named after its generated name; marker size grows with frequency.
 */
export function rfmScatterFigure(points: RfmResult["points"], profiles: RfmResult["clustering"]["profiles"]): Figure {
  const data: Figure["data"] = profiles.map((p) => {
    const idx: number[] = [];
    for (let i = 0; i < points.cluster.length; i++) if (points.cluster[i] === p.cluster) idx.push(i);
    return {
      type: "scattergl",
      mode: "markers",
      name: `${p.cluster} · ${p.name}`,
      x: idx.map((i) => points.recency[i]),
      y: idx.map((i) => Math.max(points.monetary[i], 0.01)),
      customdata: idx.map((i) => [points.frequency[i], points.segment[i]]),
      marker: {
        color: clusterColor(p.cluster),
        size: idx.map((i) => 5 + Math.min(10, Math.sqrt(points.frequency[i]) * 2)),
        opacity: 0.75,
        line: { width: 0 },
      },
      hovertemplate: `<b>${p.name}</b><br>recency %{x} days · %{customdata[0]} orders<br>monetary %{y:,.2f}<br>segment: %{customdata[1]}<extra></extra>`,
    };
  });
  return {
    data,
    layout: baseLayout({
      showlegend: true,
      legend: { orientation: "h", y: -0.18, x: 0, font: { size: 11 } },
      margin: { l: 64, r: 12, t: 8, b: 72 },
      xaxis: axis("Recency (days since the last order)", { rangemode: "tozero" }),
      yaxis: axis("Monetary (total spent, log scale)", { type: "log", dtick: 1 }),
      hovermode: "closest",
    }),
  };
}

/** The R x F score grid: customers per cell (text) and the segment each cell maps to (colour, hover). */
export function rfmGridFigure(
  scoreGrid: readonly (readonly number[])[],
  gridSegments: readonly (readonly string[])[],
): Figure {
  // Rows R = 5 (top) .. 1; columns F = 1..5. `gridSegments[5 - r][f - 1]` as lab's RFM_SEGMENT_GRID.
  const names = [...new Set(gridSegments.flat())];
  const z: number[][] = [];
  const text: string[][] = [];
  for (let r = 5; r >= 1; r--) {
    const seg = gridSegments[5 - r];
    z.push(seg.map((s) => names.indexOf(s)));
    text.push(scoreGrid[r - 1].map((n, f) => `<b>${n}</b><br><span style="font-size:9px">${seg[f]}</span>`));
  }
  return {
    data: [
      {
        type: "heatmap",
        x: ["F 1", "F 2", "F 3", "F 4", "F 5"],
        y: ["R 5", "R 4", "R 3", "R 2", "R 1"],
        z,
        zmin: -0.5,
        zmax: names.length - 0.5,
        text: text as unknown as string[],
        texttemplate: "%{text}",
        textfont: { size: 11, color: "#ffffff" },
        customdata: gridSegments as unknown as string[][],
        colorscale: names.flatMap((name, i) => [
          [i / names.length, segmentColor(name)],
          [(i + 1) / names.length, segmentColor(name)],
        ]) as [number, string][],
        showscale: false,
        xgap: 2,
        ygap: 2,
        hovertemplate: "%{y}, %{x}: <b>%{customdata}</b><extra></extra>",
      },
    ],
    layout: baseLayout({
      margin: { l: 40, r: 8, t: 8, b: 40 },
      xaxis: axis("Frequency score", { type: "category", showgrid: false }),
      yaxis: axis("Recency score", { type: "category", showgrid: false, autorange: "reversed" }),
    }),
  };
}
