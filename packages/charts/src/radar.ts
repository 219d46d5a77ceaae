import type { Data } from "plotly.js-dist-min";
import { clusterColor, clusterName, isLit, withAlpha } from "./colors.js";
import { formatShort } from "./format.js";
import type { ProfileResult } from "./results.js";
import { baseLayout, type Figure } from "./theme.js";

export interface RadarOptions {
  names?: ReadonlyMap<number, string>;
  highlight?: number | null;
}

/**
 * A radar (scatterpolar) per segment, overlaid: each feature's mean in standard deviations from the
 * overall mean (the profile's z), so features of any unit share one scale; 0 is the data's mean.
 * Empty clusters are left out. Each trace's `customdata` is its cluster.
 */
export function radarFigure(p: ProfileResult, sizes: number[], options: RadarOptions = {}): Figure {
  const highlight = options.highlight ?? null;
  const theta = [...p.columns, p.columns[0]];
  const data: Data[] = [];
  let limit = 1;
  p.z.forEach((row, c) => {
    if ((sizes[c] ?? 0) === 0) return;
    for (const v of row) limit = Math.max(limit, Math.abs(v));
    const lit = isLit(c, highlight);
    const name = options.names?.get(c) ?? clusterName(c);
    data.push({
      type: "scatterpolar",
      mode: "lines+markers",
      name,
      r: [...row, row[0]],
      theta,
      fill: "toself",
      fillcolor: withAlpha(clusterColor(c), lit ? 0.12 : 0.02),
      line: { color: clusterColor(c), width: highlight === c ? 3 : 2 },
      marker: { size: 5, color: clusterColor(c) },
      opacity: lit ? 1 : 0.25,
      customdata: theta.map(() => c),
      text: [...p.means[c], p.means[c][0]].map((v) => formatShort(v)),
      hovertemplate: `<b>${name.replace(/</g, "&lt;")}</b><br>%{theta}: mean %{text} (z = %{r:.2f})<extra></extra>`,
    } as Data);
  });
  return {
    data,
    layout: baseLayout({
      showlegend: true,
      legend: { orientation: "h", x: 0, y: -0.08, font: { size: 11 } },
      margin: { l: 48, r: 48, t: 24, b: 24 },
      polar: {
        radialaxis: {
          range: [-Math.ceil(limit), Math.ceil(limit)],
          tickfont: { size: 10 },
          gridcolor: "#e5e7eb",
          angle: 90,
        },
        angularaxis: { tickfont: { size: 11 }, gridcolor: "#eceff3" },
        bgcolor: "#ffffff",
      } as never,
    }),
  };
}
