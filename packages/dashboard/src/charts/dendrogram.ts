import type { Data } from "plotly.js-dist-min";
import type { DendrogramResult } from "../api.js";
import { clusterColor, NEUTRAL_COLOR } from "../colors.js";
import { axis, baseLayout, type Figure } from "./theme.js";

/**
 * The dendrogram of the last merges (truncated to 30 leaves), links coloured by the cluster they
 * belong to (grey above the cut), with the cut that gives k clusters as a dashed line.
 */
export function dendrogramFigure(d: DendrogramResult, k: number): Figure {
  // One trace per colour: the links are 4-point polylines separated by gaps (null).
  const groups = new Map<number, { x: (number | null)[]; y: (number | null)[] }>();
  d.icoord.forEach((xs, j) => {
    const c = d.linkClusters[j];
    let g = groups.get(c);
    if (!g) {
      g = { x: [], y: [] };
      groups.set(c, g);
    }
    g.x.push(...xs, null);
    g.y.push(...d.dcoord[j], null);
  });
  const data: Data[] = [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([c, g]) => ({
      type: "scatter",
      mode: "lines",
      x: g.x,
      y: g.y,
      line: { color: c < 0 ? NEUTRAL_COLOR : clusterColor(c), width: 2 },
      hoverinfo: "skip",
    }));
  const leafX = d.ivl.map((_, i) => 5 + 10 * i);
  data.push({
    type: "scatter",
    mode: "markers",
    x: leafX,
    y: leafX.map(() => 0),
    marker: { size: 7, color: d.leafClusters.map((c) => clusterColor(c)) },
    text: d.ivl.map((label, i) =>
      label.startsWith("(")
        ? `${label.slice(1, -1)} rows, cluster ${d.leafClusters[i]}`
        : `row ${label}, cluster ${d.leafClusters[i]}`,
    ),
    hovertemplate: "%{text}<extra></extra>",
  });
  const maxHeight = Math.max(...d.dcoord.flat(), d.cutHeight);
  return {
    data,
    layout: baseLayout({
      xaxis: axis("", {
        tickvals: leafX,
        // A single row reads "#41", a collapsed subtree "(12)" (its number of rows).
        ticktext: d.ivl.map((label) => (label.startsWith("(") ? label : `#${label}`)),
        tickangle: -60,
        tickfont: { size: 10 },
        showgrid: false,
        zeroline: false,
        range: [0, 10 * d.ivl.length],
      }),
      yaxis: axis("Merge height", { rangemode: "tozero", range: [0, maxHeight * 1.08] }),
      shapes: [
        {
          type: "line",
          x0: 0,
          x1: 1,
          xref: "paper",
          y0: d.cutHeight,
          y1: d.cutHeight,
          line: { color: "#dc2626", width: 1.5, dash: "dash" },
        },
      ],
      annotations: [
        {
          x: 1,
          xref: "paper",
          xanchor: "right",
          y: d.cutHeight,
          yanchor: "bottom",
          text: `cut: k = ${k}`,
          showarrow: false,
          font: { size: 11, color: "#dc2626" },
        },
      ],
      margin: { l: 60, r: 16, t: 12, b: 64 },
      hovermode: "closest",
    }),
  };
}
