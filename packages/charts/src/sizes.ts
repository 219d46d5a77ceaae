import type { Annotation } from "plotly.js-dist-min";
import { clusterColor, clusterName, isLit, largestClusters, NEUTRAL_COLOR } from "./colors.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export interface SizesOptions {
  /** Rows labelled noise: drawn as a grey last bar. */
  nNoise?: number;
  /** The cluster drawn at full strength (the others faded), or null. */
  highlight?: number | null;
}

/**
 * Cluster sizes: one bar per cluster in its colour (the 30 largest when there are more), labelled
 * with the count and the share, and noise as a grey bar. Each bar's `customdata` is its cluster
 * (-1 for noise), for clicks.
 */
export function sizesFigure(sizes: number[], options: SizesOptions = {}): Figure {
  const nNoise = options.nNoise ?? 0;
  const highlight = options.highlight ?? null;
  const total = sizes.reduce((a, b) => a + b, 0) + nNoise || 1;
  const shown = largestClusters(sizes);
  const clusters = nNoise > 0 ? [...shown, -1] : shown;
  const count = (c: number) => (c < 0 ? nNoise : sizes[c]);
  const annotations: Partial<Annotation>[] = [];
  if (shown.length < sizes.length) {
    annotations.push({
      x: 1,
      xref: "paper",
      xanchor: "right",
      y: 1,
      yref: "paper",
      yanchor: "bottom",
      text: `the ${shown.length} largest of ${sizes.length} clusters`,
      showarrow: false,
      font: { size: 11, color: "#6b7280" },
    });
  }
  return {
    data: [
      {
        type: "bar",
        x: clusters.map((c) => clusterName(c)),
        y: clusters.map(count),
        customdata: clusters,
        marker: {
          color: clusters.map((c) => (c < 0 ? NEUTRAL_COLOR : clusterColor(c))),
          opacity: clusters.map((c) => (isLit(c, highlight) ? 1 : 0.25)),
          line: { color: clusters.map((c) => (highlight === c ? "#111827" : "rgba(0,0,0,0)")), width: 1.5 },
        },
        text: clusters.map((c) => `${count(c).toLocaleString("en-US")} (${Math.round((count(c) / total) * 100)}%)`),
        textposition: "outside",
        cliponaxis: false,
        hovertemplate: "<b>%{x}</b><br>%{y} rows<extra></extra>",
      },
    ],
    layout: baseLayout({
      xaxis: axis("", { type: "category", tickangle: clusters.length > 6 ? -35 : 0 }),
      yaxis: axis("Rows", { rangemode: "tozero", range: [0, Math.max(...clusters.map(count), 1) * 1.18] }),
      bargap: 0.3,
      annotations,
    }),
  };
}
