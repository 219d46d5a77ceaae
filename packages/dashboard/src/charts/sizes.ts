import { clusterColor, clusterName } from "../colors.js";
import { axis, baseLayout, type Figure } from "./theme.js";

/** Cluster sizes: one bar per cluster in its colour, labelled with the count and the share. */
export function sizesFigure(sizes: number[]): Figure {
  const total = sizes.reduce((a, b) => a + b, 0) || 1;
  return {
    data: [
      {
        type: "bar",
        x: sizes.map((_, c) => clusterName(c)),
        y: sizes,
        marker: { color: sizes.map((_, c) => clusterColor(c)) },
        text: sizes.map((s) => `${s} (${Math.round((s / total) * 100)}%)`),
        textposition: "outside",
        cliponaxis: false,
        hovertemplate: "<b>%{x}</b><br>%{y} rows<extra></extra>",
      },
    ],
    layout: baseLayout({
      xaxis: axis("", { type: "category", tickangle: sizes.length > 6 ? -35 : 0 }),
      yaxis: axis("Rows", { rangemode: "tozero", range: [0, Math.max(...sizes, 1) * 1.18] }),
      bargap: 0.3,
    }),
  };
}
