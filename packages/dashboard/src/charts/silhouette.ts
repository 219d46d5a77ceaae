import type { Annotation, Data, Shape } from "plotly.js-dist-min";
import type { SilhouettePlotResult } from "../api.js";
import { clusterColor, clusterName } from "../colors.js";
import { axis, baseLayout, type Figure } from "./theme.js";

/**
 * The classic silhouette plot (Rousseeuw): each cluster's silhouette values sorted in decreasing
 * order and drawn as a filled horizontal profile, clusters stacked with a gap, and a dashed line
 * at the mean silhouette.
 */
export function silhouetteFigure(s: SilhouettePlotResult, average: number | null): Figure {
  const total = s.perCluster.reduce((a, v) => a + v.length, 0);
  const gap = Math.max(2, Math.round(total * 0.04));
  const data: Data[] = [];
  const annotations: Partial<Annotation>[] = [];
  let y0 = gap;
  let minValue = 0;
  s.perCluster.forEach((values, c) => {
    if (values.length === 0) return;
    // Lowest values at the bottom of the band: the profile reads as a horizontal bar chart.
    const sorted = [...values].sort((a, b) => a - b);
    const xs = [0, ...sorted, 0];
    const ys = [y0, ...sorted.map((_, i) => y0 + i + 0.5), y0 + sorted.length];
    minValue = Math.min(minValue, sorted[0]);
    data.push({
      type: "scatter",
      mode: "lines",
      x: xs,
      y: ys,
      fill: "toself",
      fillcolor: clusterColor(c),
      line: { color: clusterColor(c), width: 1, shape: "hv" },
      name: clusterName(c),
      hoverinfo: "skip",
    });
    const mean = s.clusterMeans[c];
    annotations.push({
      x: 0,
      xref: "paper",
      xanchor: "right",
      y: y0 + sorted.length / 2,
      text: clusterName(c).replace("Cluster ", ""),
      showarrow: false,
      font: { size: 12, color: clusterColor(c) },
      hovertext: `${clusterName(c)}: ${values.length} rows, mean silhouette ${mean === null ? "–" : mean.toFixed(3)}`,
    });
    y0 += sorted.length + gap;
  });
  const shapes: Partial<Shape>[] = [];
  if (average !== null) {
    shapes.push({
      type: "line",
      x0: average,
      x1: average,
      y0: 0,
      y1: 1,
      yref: "paper",
      line: { color: "#dc2626", width: 1.5, dash: "dash" },
    });
    annotations.push({
      x: average,
      y: 1,
      yref: "paper",
      yanchor: "bottom",
      text: `mean ${average.toFixed(3)}`,
      showarrow: false,
      font: { size: 11, color: "#dc2626" },
    });
  }
  return {
    data,
    layout: baseLayout({
      xaxis: axis("Silhouette coefficient", { range: [Math.min(-0.1, minValue - 0.05), 1], zeroline: true }),
      yaxis: axis("", { showticklabels: false, showgrid: false, range: [0, y0], zeroline: false }),
      margin: { l: 36, r: 16, t: 24, b: 48 },
      shapes,
      annotations,
      hovermode: false,
    }),
  };
}
