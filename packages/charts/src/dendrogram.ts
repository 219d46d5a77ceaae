import type { Data } from "plotly.js-dist-min";
import { clusterColor, DIM_COLOR, isLit, NEUTRAL_COLOR } from "./colors.js";
import type { DendrogramResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export interface DendrogramOptions {
  /** The cluster whose links are drawn in colour (the others faded), or null. */
  highlight?: number | null;
}

/** Number of clusters a cut at height h gives, from the highest merge heights (decreasing). */
export function clustersAtHeight(topHeights: readonly number[], h: number): number {
  let above = 0;
  for (const v of topHeights) if (v >= h) above++;
  return above + 1;
}

/**
 * The dendrogram of the last merges (truncated to 30 leaves), links coloured by the cluster they
 * belong to (grey above the cut), with the cut as a dashed red line: the first shape of the layout,
 * which the dashboard lets the user drag (Plotly's `edits.shapePosition`). The leaf markers'
 * `customdata` is their cluster, for clicks.
 */
export function dendrogramFigure(d: DendrogramResult, k: number, options: DendrogramOptions = {}): Figure {
  const highlight = options.highlight ?? null;
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
      line: {
        color: c < 0 ? NEUTRAL_COLOR : isLit(c, highlight) ? clusterColor(c) : DIM_COLOR,
        width: highlight !== null && highlight === c ? 3 : 2,
      },
      hoverinfo: "skip",
    }));
  const leafX = d.ivl.map((_, i) => 5 + 10 * i);
  data.push({
    type: "scatter",
    mode: "markers",
    x: leafX,
    y: leafX.map(() => 0),
    customdata: d.leafClusters,
    marker: {
      size: 8,
      color: d.leafClusters.map((c) => (isLit(c, highlight) ? clusterColor(c) : DIM_COLOR)),
    },
    text: d.ivl.map((label, i) =>
      label.startsWith("(")
        ? `${label.slice(1, -1)} rows, cluster ${d.leafClusters[i]}`
        : `row ${label}, cluster ${d.leafClusters[i]}`,
    ),
    hovertemplate: "%{text}<extra></extra>",
  });
  const maxHeight = Math.max(...d.dcoord.flat(), d.cutHeight);
  const label = d.cutBy === "height" ? `cut at ${Number(d.cutHeight.toPrecision(3))}: k = ${k}` : `cut: k = ${k}`;
  return {
    data,
    layout: baseLayout({
      xaxis: axis("", {
        tickvals: leafX,
        // A single row reads "#41", a collapsed subtree "(12)" (its number of rows).
        ticktext: d.ivl.map((l) => (l.startsWith("(") ? l : `#${l}`)),
        tickangle: -60,
        tickfont: { size: 10 },
        showgrid: false,
        zeroline: false,
        range: [0, 10 * d.ivl.length],
        fixedrange: true,
      }),
      yaxis: axis("Merge height", { rangemode: "tozero", range: [0, maxHeight * 1.08], fixedrange: true }),
      shapes: [
        {
          type: "line",
          x0: 0,
          x1: 1,
          xref: "paper",
          y0: d.cutHeight,
          y1: d.cutHeight,
          line: { color: "#dc2626", width: 3, dash: "dash" },
        },
      ],
      annotations: [
        {
          x: 1,
          xref: "paper",
          xanchor: "right",
          y: d.cutHeight,
          yanchor: "bottom",
          text: label,
          showarrow: false,
          font: { size: 11, color: "#dc2626" },
        },
      ],
      margin: { l: 60, r: 16, t: 12, b: 64 },
      hovermode: "closest",
    }),
  };
}
