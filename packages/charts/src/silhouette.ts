import type { Annotation, Data, Shape } from "plotly.js-dist-min";
import { CLUSTER_COLORS, clusterColor, clusterName, isLit, MAX_CLUSTERS_DRAWN, withAlpha } from "./colors.js";
import type { SilhouettePlotResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export interface SilhouetteOptions {
  /** The cluster drawn at full strength (the others faded), or null. */
  highlight?: number | null;
}

/**
 * The classic silhouette plot (Rousseeuw): each cluster's silhouette values sorted in decreasing
 * order and drawn as a filled horizontal profile, clusters stacked with a gap, and a dashed line
 * at the mean silhouette. Each band's label (left) is clickable: its annotation `name` is the cluster.
 * Above 30 clusters, bands of the same colour share a trace.
 */
export function silhouetteFigure(
  s: SilhouettePlotResult,
  average: number | null,
  options: SilhouetteOptions = {},
): Figure {
  const highlight = options.highlight ?? null;
  const total = s.perCluster.reduce((a, v) => a + v.length, 0);
  const gap = Math.max(2, Math.round(total * 0.04 * Math.min(1, 12 / Math.max(1, s.perCluster.length))));
  const many = s.perCluster.length > MAX_CLUSTERS_DRAWN;
  const data: Data[] = [];
  const shared = new Map<number, { x: (number | null)[]; y: (number | null)[] }>();
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
    const lit = isLit(c, highlight);
    const mean = s.clusterMeans[c];
    if (many) {
      const key = c % CLUSTER_COLORS.length;
      let g = shared.get(key);
      if (!g) {
        g = { x: [], y: [] };
        shared.set(key, g);
      }
      g.x.push(...xs, null);
      g.y.push(...ys, null);
    } else {
      data.push({
        type: "scatter",
        mode: "lines",
        x: xs,
        y: ys,
        fill: "toself",
        fillcolor: lit ? clusterColor(c) : withAlpha(clusterColor(c), 0.18),
        line: { color: lit ? clusterColor(c) : withAlpha(clusterColor(c), 0.18), width: 1, shape: "hv" },
        name: clusterName(c),
        hoveron: "fills",
        text: `${clusterName(c)}: ${values.length} rows, mean silhouette ${mean === null ? "–" : mean.toFixed(3)}`,
        hoverinfo: "text",
      } as Data);
    }
    if (!many || values.length >= total * 0.03) {
      annotations.push({
        x: 0,
        xref: "paper",
        xanchor: "right",
        y: y0 + sorted.length / 2,
        text: clusterName(c).replace("Cluster ", ""),
        showarrow: false,
        font: { size: 12, color: lit ? clusterColor(c) : "#d1d5db" },
        captureevents: true,
        name: String(c),
        hovertext: `${clusterName(c)}: ${values.length} rows, mean silhouette ${mean === null ? "–" : mean.toFixed(3)}`,
      });
    }
    y0 += sorted.length + gap;
  });
  for (const [key, g] of shared) {
    data.push({
      type: "scatter",
      mode: "lines",
      x: g.x,
      y: g.y,
      fill: "toself",
      fillcolor: CLUSTER_COLORS[key],
      line: { color: CLUSTER_COLORS[key], width: 1, shape: "hv" },
      hoverinfo: "skip",
    });
  }
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
      hovermode: "closest",
    }),
  };
}
