import type { Data } from "plotly.js-dist-min";
import type { ProfileResult } from "../api.js";
import { clusterColor, clusterName } from "../colors.js";
import { formatShort } from "../format.js";
import { baseLayout, type Figure } from "./theme.js";

/**
 * Segment profiles: a heatmap of each cluster's feature means, standardised per feature
 * ((cluster mean - overall mean) / overall std; red above average, blue below), with the raw
 * means written in the cells.
 */
export function profileFigure(p: ProfileResult, sizes: number[]): Figure {
  const k = p.z.length;
  const d = p.columns.length;
  const limit = Math.max(1, ...p.z.flat().map((v) => Math.abs(v)));
  const rowLabels = p.z.map(
    (_, c) => `<span style="color:${clusterColor(c)}">■</span> ${clusterName(c)} (${sizes[c] ?? 0})`,
  );
  const showText = k * d <= 120;
  return {
    data: [
      {
        type: "heatmap",
        z: p.z,
        x: p.columns,
        y: rowLabels,
        zmin: -limit,
        zmax: limit,
        colorscale: [
          [0, "#2166ac"],
          [0.25, "#92c5de"],
          [0.5, "#f7f7f7"],
          [0.75, "#f4a582"],
          [1, "#b2182b"],
        ],
        text: p.means.map((row) => row.map((v) => formatShort(v))) as unknown as string[],
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
    }),
  };
}
