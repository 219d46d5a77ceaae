import type { Data, Datum } from "plotly.js-dist-min";
import type { ProjectionResult } from "../api.js";
import { clusterColor, clusterName } from "../colors.js";
import { formatValue } from "../format.js";
import { axis, baseLayout, type Figure } from "./theme.js";

/** Above this many points the scatter is drawn with WebGL (scattergl) rather than SVG. */
export const WEBGL_THRESHOLD = 5000;

/**
 * The PCA scatter: one trace per cluster (its colour), the cluster means as large outlined
 * crosses, and a hover listing the row number and its feature values.
 */
export function scatterFigure(p: ProjectionResult, k: number, columns: string[]): Figure {
  const type = p.x.length > WEBGL_THRESHOLD ? "scattergl" : "scatter";
  const byCluster: number[][] = Array.from({ length: k }, () => []);
  p.label.forEach((c, i) => {
    if (c >= 0 && c < k) byCluster[c].push(i);
  });
  const hoverLines = columns.map((name, j) => `${name}: %{customdata[${j + 1}]}`).join("<br>");
  const data: Data[] = byCluster.map((indices, c) => ({
    type,
    mode: "markers",
    name: `${clusterName(c)} (${indices.length})`,
    x: indices.map((i) => p.x[i]),
    y: indices.map((i) => p.y[i]),
    customdata: indices.map((i) => [p.row[i], ...p.values[i].map((v) => formatValue(v))]) as unknown as Datum[],
    marker: {
      color: clusterColor(c),
      size: p.x.length > 2000 ? 5 : 8,
      opacity: 0.85,
      line: { width: p.x.length > 2000 ? 0 : 0.6, color: "#ffffff" },
    },
    hovertemplate: `<b>${clusterName(c)}</b> · row %{customdata[0]}<br>${hoverLines}<extra></extra>`,
  }));
  const present = p.centroids.x.map((x, c) => (x === null ? -1 : c)).filter((c) => c >= 0);
  data.push({
    type: "scatter",
    mode: "markers",
    name: "Centroids",
    x: present.map((c) => p.centroids.x[c]),
    y: present.map((c) => p.centroids.y[c]),
    text: present.map((c) => clusterName(c)),
    marker: {
      symbol: "x-thin-open",
      size: 20,
      color: present.map((c) => clusterColor(c)),
      line: { width: 4, color: present.map((c) => clusterColor(c)) },
    },
    hovertemplate: "<b>%{text}</b> centroid<extra></extra>",
    showlegend: false,
  } as Data);
  // A dark outline under each centroid cross keeps it visible on top of its own cluster.
  data.splice(data.length - 1, 0, {
    type: "scatter",
    mode: "markers",
    x: present.map((c) => p.centroids.x[c]),
    y: present.map((c) => p.centroids.y[c]),
    marker: { symbol: "x-thin-open", size: 22, line: { width: 7, color: "#111827" }, color: "#111827" },
    hoverinfo: "skip",
    showlegend: false,
  } as Data);
  const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
  return {
    data,
    layout: baseLayout({
      xaxis: axis(`PC1 (${pct(p.explainedVarianceRatio[0])} of variance)`),
      yaxis: axis(`PC2 (${pct(p.explainedVarianceRatio[1])} of variance)`),
      showlegend: true,
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 12 } },
      margin: { l: 56, r: 16, t: 36, b: 48 },
      hovermode: "closest",
    }),
  };
}
