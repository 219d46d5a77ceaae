import type { Data, Shape } from "plotly.js-dist-min";
import { clusterColor, clusterName, largestClusters } from "./colors.js";
import { formatShort } from "./format.js";
import type { ProfileResult } from "./results.js";
import { baseLayout, type Figure } from "./theme.js";

export interface ProfileOptions {
  /** The cluster whose row is outlined (the others veiled), or null. */
  highlight?: number | null;
}

/** Diverging colour scale of standardised values: blue below the mean, red above. */
export const DIVERGING_SCALE: [number, string][] = [
  [0, "#2166ac"],
  [0.25, "#92c5de"],
  [0.5, "#f7f7f7"],
  [0.75, "#f4a582"],
  [1, "#b2182b"],
];

/**
 * Segment profiles: a heatmap of each cluster's feature means, standardised per feature
 * ((cluster mean - overall mean) / overall std; red above average, blue below), with the raw
 * means written in the cells. The 30 largest clusters when there are more. Each cell's
 * `customdata` is its cluster, for clicks.
 */
export function profileFigure(p: ProfileResult, sizes: number[], options: ProfileOptions = {}): Figure {
  const highlight = options.highlight ?? null;
  const rows = largestClusters(sizes.length === p.z.length ? sizes : p.z.map(() => 1));
  const d = p.columns.length;
  const z = rows.map((c) => p.z[c]);
  const limit = Math.max(1, ...z.flat().map((v) => Math.abs(v)));
  const rowLabels = rows.map(
    (c) =>
      `<span style="color:${clusterColor(c)}">■</span> ${clusterName(c)} (${(sizes[c] ?? 0).toLocaleString("en-US")})`,
  );
  const showText = rows.length * d <= 120;
  const shapes: Partial<Shape>[] = [];
  const at = highlight === null ? -1 : rows.indexOf(highlight);
  if (at >= 0) {
    rows.forEach((_, r) => {
      if (r === at) return;
      shapes.push({
        type: "rect",
        xref: "paper",
        x0: 0,
        x1: 1,
        y0: r - 0.5,
        y1: r + 0.5,
        fillcolor: "rgba(255,255,255,0.72)",
        line: { width: 0 },
      });
    });
    shapes.push({
      type: "rect",
      xref: "paper",
      x0: 0,
      x1: 1,
      y0: at - 0.5,
      y1: at + 0.5,
      line: { color: "#111827", width: 2 },
    });
  }
  return {
    data: [
      {
        type: "heatmap",
        z,
        x: p.columns,
        y: rowLabels,
        zmin: -limit,
        zmax: limit,
        colorscale: DIVERGING_SCALE,
        text: rows.map((c) => p.means[c].map((v) => formatShort(v))) as unknown as string[],
        customdata: rows.map((c) => p.columns.map(() => c)) as unknown as string[],
        texttemplate: showText ? "%{text}" : "",
        textfont: { size: 11 },
        xgap: 2,
        ygap: 2,
        colorbar: { title: { text: "z", side: "top" }, thickness: 12, len: 0.9, tickfont: { size: 11 } },
        hovertemplate: "%{y}<br><b>%{x}</b><br>mean %{text}<br>z = %{z:.2f}<extra></extra>",
      } as Data,
    ],
    layout: baseLayout({
      xaxis: {
        tickangle: d > 3 || Math.max(...p.columns.map((c) => c.length)) > 12 ? -30 : 0,
        automargin: true,
        tickfont: { size: 11 },
      },
      yaxis: { autorange: "reversed", automargin: true, tickfont: { size: 12 } },
      margin: { l: 16, r: 16, t: 12, b: 16 },
      shapes,
    }),
  };
}
