import type { Annotation, Data, Shape } from "plotly.js-dist-min";
import type { BicSweepResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export const BIC_COLOR = "#b45309";

/**
 * Choosing the number of mixture components: the BIC of a Gaussian mixture for each k (lower is
 * better), the lowest marked, and the current k shaded. Click a point to use that k.
 */
export function bicFigure(b: BicSweepResult, currentK: number | null): Figure {
  const i = b.ks.indexOf(b.best);
  const data: Data[] = [
    {
      type: "scatter",
      mode: "lines+markers",
      name: "BIC",
      x: b.ks,
      y: b.bic.map((v) => v ?? Number.NaN),
      line: { color: BIC_COLOR, width: 2 },
      marker: { size: 7 },
      hovertemplate: "k = %{x}<br>BIC %{y:.5g}<extra></extra>",
    },
    {
      type: "scatter",
      mode: "markers",
      name: "Lowest BIC",
      x: [b.best],
      y: [b.bic[i] ?? Number.NaN],
      marker: { size: 15, symbol: "diamond-open", color: BIC_COLOR, line: { width: 2.5, color: BIC_COLOR } },
      hovertemplate: "lowest BIC at k = %{x}<extra></extra>",
    },
  ];
  const shapes: Partial<Shape>[] = [];
  const annotations: Partial<Annotation>[] = [
    {
      x: b.best,
      y: 1,
      yref: "paper",
      yanchor: "bottom",
      text: `lowest BIC: k = ${b.best}`,
      showarrow: false,
      font: { size: 11, color: BIC_COLOR },
    },
  ];
  if (currentK !== null && currentK >= b.ks[0] && currentK <= b.ks[b.ks.length - 1]) {
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
  return {
    data,
    layout: baseLayout({
      xaxis: axis("Number of components k", { dtick: 1, range: [b.ks[0] - 0.5, b.ks[b.ks.length - 1] + 0.5] }),
      yaxis: axis(`BIC (${b.covarianceType} covariance)`, { color: BIC_COLOR, tickformat: ".3s" }),
      showlegend: false,
      margin: { l: 64, r: 24, t: 24, b: 48 },
      shapes,
      annotations,
      hovermode: "x unified",
    }),
  };
}
