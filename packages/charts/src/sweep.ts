import type { Annotation, Data, Shape } from "plotly.js-dist-min";
import type { SweepResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export const INERTIA_COLOR = "#4f46e5";
export const SILHOUETTE_COLOR = "#0d9488";

/**
 * Choosing k: the k-means inertia (WCSS, left axis) with its elbow marked, the mean silhouette
 * (right axis), the suggested k as a dashed line and the current k as a shaded band.
 */
export function sweepFigure(s: SweepResult, currentK: number | null): Figure {
  const data: Data[] = [
    {
      type: "scatter",
      mode: "lines+markers",
      name: "Inertia (WCSS)",
      x: s.ks,
      y: s.inertia,
      line: { color: INERTIA_COLOR, width: 2 },
      marker: { size: 7 },
      hovertemplate: "k = %{x}<br>inertia %{y:.4g}<extra></extra>",
    },
    {
      type: "scatter",
      mode: "lines+markers",
      name: "Silhouette",
      x: s.ks,
      y: s.silhouette.map((v) => v ?? Number.NaN),
      yaxis: "y2",
      line: { color: SILHOUETTE_COLOR, width: 2, dash: "dot" },
      marker: { size: 7, symbol: "square" },
      hovertemplate: "k = %{x}<br>silhouette %{y:.3f}<extra></extra>",
    },
  ];
  const annotations: Partial<Annotation>[] = [];
  if (s.elbow !== null) {
    const i = s.ks.indexOf(s.elbow);
    data.push({
      type: "scatter",
      mode: "markers",
      name: "Elbow",
      x: [s.elbow],
      y: [s.inertia[i]],
      marker: { size: 15, symbol: "diamond-open", color: INERTIA_COLOR, line: { width: 2.5, color: INERTIA_COLOR } },
      hovertemplate: "elbow at k = %{x}<extra></extra>",
    });
  }
  const shapes: Partial<Shape>[] = [
    {
      type: "line",
      x0: s.suggestion.k,
      x1: s.suggestion.k,
      y0: 0,
      y1: 1,
      yref: "paper",
      line: { color: "#dc2626", width: 1.5, dash: "dash" },
    },
  ];
  annotations.push({
    x: s.suggestion.k,
    y: 1,
    yref: "paper",
    yanchor: "bottom",
    text: `suggested k = ${s.suggestion.k}`,
    showarrow: false,
    font: { size: 11, color: "#dc2626" },
  });
  if (currentK !== null && currentK >= s.ks[0] && currentK <= s.ks[s.ks.length - 1]) {
    shapes.push({
      type: "rect",
      x0: currentK - 0.35,
      x1: currentK + 0.35,
      y0: 0,
      y1: 1,
      yref: "paper",
      fillcolor: "#6366f1",
      opacity: 0.08,
      line: { width: 0 },
      layer: "below",
    });
  }
  const silhouetteTop = Math.min(1, Math.max(0.1, ...s.silhouette.map((v) => v ?? 0)) * 1.1);
  return {
    data,
    layout: baseLayout({
      xaxis: axis("Number of clusters k", { dtick: 1, range: [s.ks[0] - 0.5, s.ks[s.ks.length - 1] + 0.5] }),
      yaxis: axis("Inertia (WCSS)", { color: INERTIA_COLOR, rangemode: "tozero" }),
      yaxis2: axis("Silhouette", {
        overlaying: "y",
        side: "right",
        color: SILHOUETTE_COLOR,
        showgrid: false,
        range: [0, silhouetteTop],
        dtick: silhouetteTop > 0.6 ? 0.2 : 0.1,
        tickformat: ".1f",
      }),
      showlegend: true,
      legend: { orientation: "h", x: 0, y: -0.28, font: { size: 11 } },
      margin: { l: 60, r: 56, t: 24, b: 72 },
      shapes,
      annotations,
      hovermode: "x unified",
    }),
  };
}
