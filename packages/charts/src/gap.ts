import type { Annotation, Data, Shape } from "plotly.js-dist-min";
import { axis, baseLayout, type Figure } from "./theme.js";

export const GAP_COLOR = "#7c3aed";
export const STABILITY_COLOR = "#ea580c";
/** Hennig's "stable" band starts at a mean bootstrap Jaccard of 0.75. */
export const STABLE_JACCARD_LINE = 0.75;

/** `POST /api/sweep/gap` answer: the gap statistic and the bootstrap stability of k-means for each k. */
export interface GapSweepResult {
  /** The k values, increasing (k = 1 has a gap but no stability). */
  ks: number[];
  /** Gap(k) = E*[log W_k] - log W_k (Tibshirani, Walther and Hastie). */
  gap: number[];
  /** s_k = sd_k sqrt(1 + 1/B): the standard error of Gap(k), drawn as its error bar. */
  s: number[];
  /** Tibshirani's choice: the smallest k with Gap(k) >= Gap(k+1) - s(k+1). */
  k: number;
  /** That choice in words, with its numbers. */
  reason: string;
  /** Reference data sets (B). */
  b: number;
  /** Mean over the clusters of their mean bootstrap Jaccard, per k (null for k = 1 or when it failed). */
  stability: (number | null)[];
  /** The least stable cluster's mean bootstrap Jaccard, per k. */
  stabilityMin: (number | null)[];
  /** Largest k whose every cluster keeps a mean Jaccard >= 0.75, or null. */
  stableK: number | null;
  /** Bootstrap replicates per k. */
  nBootstrap: number;
  /** Rows the statistics were computed on (a seeded subsample when the selection is larger). */
  rowsUsed: number;
  /** True when `rowsUsed` is a seeded subsample of the `nRows` rows. */
  sampled: boolean;
  nRows: number;
  rowsDropped: number;
}

/**
 * Gap and stability: Gap(k) with its standard-error bars (left axis) and Tibshirani's chosen k
 * marked; the mean and weakest-cluster bootstrap Jaccard (right axis, 0 to 1) with the 0.75 line
 * above which a cluster counts as stable; the current k as a shaded band.
 */
export function gapFigure(g: GapSweepResult, currentK: number | null): Figure {
  const chosen = g.ks.indexOf(g.k);
  const stableAt = g.ks.map((k, i) => (k >= 2 && g.stability[i] !== null ? i : -1)).filter((i) => i >= 0);
  const data: Data[] = [
    {
      type: "scatter",
      mode: "lines+markers",
      name: "Gap(k) ± s",
      x: g.ks,
      y: g.gap,
      error_y: { type: "data", array: g.s, visible: true, color: GAP_COLOR, thickness: 1.2, width: 4 },
      line: { color: GAP_COLOR, width: 2 },
      marker: { size: 7 },
      hovertemplate: "k = %{x}<br>gap %{y:.3f} ± %{error_y.array:.3f}<extra></extra>",
    },
    {
      type: "scatter",
      mode: "lines+markers",
      name: "Stability (mean Jaccard)",
      x: stableAt.map((i) => g.ks[i]),
      y: stableAt.map((i) => g.stability[i] as number),
      yaxis: "y2",
      line: { color: STABILITY_COLOR, width: 2, dash: "dot" },
      marker: { size: 7, symbol: "square" },
      hovertemplate: "k = %{x}<br>mean Jaccard %{y:.3f}<extra></extra>",
    },
    {
      type: "scatter",
      mode: "lines+markers",
      name: "Weakest cluster",
      x: stableAt.map((i) => g.ks[i]),
      y: stableAt.map((i) => g.stabilityMin[i] ?? Number.NaN),
      yaxis: "y2",
      line: { color: STABILITY_COLOR, width: 1, dash: "dash" },
      marker: { size: 6, symbol: "triangle-down-open", color: STABILITY_COLOR },
      opacity: 0.75,
      hovertemplate: "k = %{x}<br>weakest cluster %{y:.3f}<extra></extra>",
    },
  ];
  if (chosen >= 0) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: "Gap choice",
      x: [g.k],
      y: [g.gap[chosen]],
      marker: { size: 16, symbol: "star-open", color: "#dc2626", line: { width: 2.5, color: "#dc2626" } },
      hovertemplate: "gap statistic chooses k = %{x}<extra></extra>",
    });
  }
  const shapes: Partial<Shape>[] = [
    {
      type: "line",
      xref: "paper",
      x0: 0,
      x1: 1,
      yref: "y2",
      y0: STABLE_JACCARD_LINE,
      y1: STABLE_JACCARD_LINE,
      line: { color: STABILITY_COLOR, width: 1, dash: "dashdot" },
    },
  ];
  const annotations: Partial<Annotation>[] = [
    {
      xref: "paper",
      x: 1,
      xanchor: "right",
      yref: "y2",
      y: STABLE_JACCARD_LINE,
      yanchor: "bottom",
      text: `stable ≥ ${STABLE_JACCARD_LINE}`,
      showarrow: false,
      font: { size: 10, color: STABILITY_COLOR },
    },
  ];
  if (chosen >= 0) {
    annotations.push({
      x: g.k,
      y: 1,
      yref: "paper",
      yanchor: "bottom",
      text: `gap k = ${g.k}`,
      showarrow: false,
      font: { size: 11, color: "#dc2626" },
    });
  }
  const first = g.ks[0];
  const last = g.ks[g.ks.length - 1];
  if (currentK !== null && currentK >= first && currentK <= last) {
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
      xaxis: axis("Number of clusters k", { dtick: 1, range: [first - 0.5, last + 0.5] }),
      yaxis: axis("Gap(k)", { color: GAP_COLOR, zeroline: true }),
      yaxis2: axis("Bootstrap Jaccard", {
        overlaying: "y",
        side: "right",
        color: STABILITY_COLOR,
        showgrid: false,
        range: [0, 1.05],
        dtick: 0.25,
        tickformat: ".2f",
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
