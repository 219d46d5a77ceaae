import type { Data, Shape } from "plotly.js-dist-min";
import { clusterColor, clusterName } from "./colors.js";
import { wrapLabel } from "./labels.js";
import type { StabilityResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

/** Hennig's bands of the mean bootstrap Jaccard: below 0.6 dissolved, 0.6-0.75 patterns, 0.75-0.85 stable, above highly stable. */
export const STABILITY_BANDS: [number, string][] = [
  [0.6, "dissolved below"],
  [0.75, "stable above"],
  [0.85, "highly stable"],
];

/**
 * Bootstrap stability per cluster: the mean Jaccard similarity of each cluster with its best match
 * over the resampled refits, as bars in the cluster's colour, with Hennig's 0.6 / 0.75 / 0.85 bands
 * dashed. `customdata` of each bar is its cluster.
 */
export function stabilityFigure(stability: StabilityResult, names?: ReadonlyMap<number, string>): Figure {
  const clusters = stability.clusters.filter((c) => c.meanJaccard !== null);
  const x = clusters.map((c) => wrapLabel(names?.get(c.label) ?? clusterName(c.label), 16));
  const shapes: Partial<Shape>[] = STABILITY_BANDS.map(([y]) => ({
    type: "line",
    xref: "paper",
    x0: 0,
    x1: 1,
    y0: y,
    y1: y,
    line: { color: y === 0.6 ? "#dc2626" : "#9ca3af", width: 1, dash: "dash" },
  }));
  return {
    data: [
      {
        type: "bar",
        x,
        y: clusters.map((c) => c.meanJaccard),
        marker: { color: clusters.map((c) => clusterColor(c.label)) },
        customdata: clusters.map((c) => c.label),
        text: clusters.map((c) => `${(c.meanJaccard ?? 0).toFixed(2)}`),
        textposition: "outside",
        cliponaxis: false,
        hovertext: clusters.map((c) => `${c.band ?? ""} · ${c.size.toLocaleString("en-US")} rows`),
        hovertemplate: "<b>%{x}</b><br>mean Jaccard %{y:.3f}<br>%{hovertext}<extra></extra>",
      } as Data,
    ],
    layout: baseLayout({
      xaxis: axis("", { showgrid: false, tickangle: 0, tickfont: { size: 10 } }),
      yaxis: axis("Mean Jaccard (bootstrap)", { range: [0, 1.08] }),
      shapes,
      margin: { l: 56, r: 16, t: 16, b: 16 },
    }),
  };
}
