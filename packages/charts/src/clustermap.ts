import type { Data } from "plotly.js-dist-min";
import { clusterColor, clusterName, DIM_COLOR, isLit, NEUTRAL_COLOR } from "./colors.js";
import { DIVERGING_SCALE } from "./profile.js";
import type { ClustermapResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export interface ClustermapOptions {
  /** Cluster of each clustered row (`ClusterResult.labels`): the colour strip. */
  labels?: readonly number[] | null;
  highlight?: number | null;
}

const VIRIDIS: [number, string][] = [
  [0, "#440154"],
  [0.25, "#3b528b"],
  [0.5, "#21918c"],
  [0.75, "#5ec962"],
  [1, "#fde725"],
];

function lines(icoord: number[][], dcoord: number[][], swap: boolean) {
  const x: (number | null)[] = [];
  const y: (number | null)[] = [];
  icoord.forEach((xs, i) => {
    const ys = dcoord[i];
    if (swap) {
      x.push(...ys, null);
      y.push(...xs, null);
    } else {
      x.push(...xs, null);
      y.push(...ys, null);
    }
  });
  return { x, y };
}

/**
 * A clustermap as seaborn draws it: the (scaled, optionally normalised) data as a heatmap, rows and
 * columns reordered by their average-linkage dendrograms drawn alongside (rows left, columns on top),
 * and a strip of each row's cluster colour between the row dendrogram and the heatmap. The strip's
 * and the heatmap's `customdata` is the row's cluster, for clicks.
 */
export function clustermapFigure(m: ClustermapResult, options: ClustermapOptions = {}): Figure {
  const highlight = options.highlight ?? null;
  const rows = m.values.length;
  const cols = m.columns.length;
  const ys = Array.from({ length: rows }, (_, i) => 5 + 10 * i);
  const xs = Array.from({ length: cols }, (_, j) => 5 + 10 * j);
  const clusterOf = m.rowIndex.map((r) => options.labels?.[r] ?? -2);
  const sequential = m.normalization.startsWith("standard-scale");
  const flat = m.values.flat().map((v) => Math.abs(v));
  flat.sort((a, b) => a - b);
  const limit = flat.length > 0 ? Math.max(1e-9, flat[Math.floor(0.98 * (flat.length - 1))]) : 1;
  const data: Data[] = [];
  // Row dendrogram (left), column dendrogram (top).
  const rowLines = lines(m.rowDendrogram.icoord, m.rowDendrogram.dcoord, true);
  data.push({
    type: "scatter",
    mode: "lines",
    x: rowLines.x,
    y: rowLines.y,
    xaxis: "x2",
    yaxis: "y",
    line: { color: "#6b7280", width: 0.7 },
    hoverinfo: "skip",
  });
  if (m.columnDendrogram) {
    const colLines = lines(m.columnDendrogram.icoord, m.columnDendrogram.dcoord, false);
    data.push({
      type: "scatter",
      mode: "lines",
      x: colLines.x,
      y: colLines.y,
      xaxis: "x",
      yaxis: "y2",
      line: { color: "#6b7280", width: 1 },
      hoverinfo: "skip",
    });
  }
  // The cluster strip: a one-column heatmap with one colour per cluster (noise grey).
  const k = Math.max(0, ...clusterOf) + 1;
  const categories = k + 1; // noise (or unknown) first
  const stripScale: [number, string][] = [];
  for (let i = 0; i < categories; i++) {
    const c = i - 1;
    const colour = c < 0 ? NEUTRAL_COLOR : isLit(c, highlight) ? clusterColor(c) : DIM_COLOR;
    stripScale.push([i / categories, colour], [(i + 1) / categories, colour]);
  }
  data.push({
    type: "heatmap",
    x: [0],
    y: ys,
    z: clusterOf.map((c) => [Math.max(-1, c) + 1]),
    customdata: clusterOf.map((c) => [c]) as unknown as string[],
    text: clusterOf.map((c) => [c === -2 ? "" : clusterName(c)]) as unknown as string[],
    xaxis: "x3",
    yaxis: "y",
    zmin: -0.5,
    zmax: categories - 0.5,
    colorscale: stripScale,
    showscale: false,
    hovertemplate: "%{text}<extra></extra>",
  } as Data);
  data.push({
    type: "heatmap",
    x: xs,
    y: ys,
    z: m.values,
    customdata: m.values.map((row, i) => row.map(() => clusterOf[i])) as unknown as string[],
    text: m.values.map((row, i) =>
      row.map(() => `row ${m.fileRow[i]}${clusterOf[i] === -2 ? "" : ` · ${clusterName(clusterOf[i])}`}`),
    ) as unknown as string[],
    zmin: sequential ? 0 : -limit,
    zmax: sequential ? 1 : limit,
    colorscale: sequential ? VIRIDIS : DIVERGING_SCALE,
    colorbar: { thickness: 12, len: 0.6, y: 0.4, tickfont: { size: 11 } },
    hovertemplate: "%{text}<br>value %{z:.3g}<extra></extra>",
  } as Data);
  const maxRowHeight = Math.max(1e-9, ...m.rowDendrogram.dcoord.flat());
  return {
    data,
    layout: baseLayout({
      xaxis: axis("", {
        domain: [0.2, 0.93],
        tickvals: xs,
        ticktext: m.columns,
        tickangle: cols > 4 ? -35 : 0,
        range: [0, 10 * cols],
        showgrid: false,
        zeroline: false,
        anchor: "y",
        fixedrange: true,
        showline: false,
        ticks: "",
      }),
      yaxis: axis("", {
        domain: [0, m.columnDendrogram ? 0.8 : 1],
        range: [10 * rows, 0],
        showticklabels: false,
        showgrid: false,
        zeroline: false,
        fixedrange: true,
        showline: false,
        ticks: "",
      }),
      xaxis2: axis("", {
        domain: [0, 0.15],
        range: [maxRowHeight * 1.02, 0],
        showline: false,
        ticks: "",
        showticklabels: false,
        showgrid: false,
        zeroline: false,
        anchor: "y",
        fixedrange: true,
      }),
      xaxis3: axis("", {
        domain: [0.16, 0.19],
        showline: false,
        ticks: "",
        showticklabels: false,
        showgrid: false,
        zeroline: false,
        anchor: "y",
        fixedrange: true,
      }),
      yaxis2: axis("", {
        domain: [0.82, 1],
        showline: false,
        ticks: "",
        showticklabels: false,
        showgrid: false,
        zeroline: false,
        anchor: "x",
        rangemode: "tozero",
        fixedrange: true,
      }),
      margin: { l: 12, r: 12, t: 8, b: 8 },
      hovermode: "closest",
    }),
  };
}
