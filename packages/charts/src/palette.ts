import { axis, baseLayout, type Figure } from "./theme.js";
import type { ImagePaletteEntry } from "./workflowTypes.js";

/** "42.1%" (one decimal below 10%). */
export function percent(share: number): string {
  const p = share * 100;
  return `${p < 10 ? p.toFixed(1) : p.toFixed(0)}%`;
}

/**
 * The palette of an image segmentation: one horizontal bar per cluster, in the cluster's own colour,
 * as long as its share of the pixels and labelled with the share; the largest on top.
 */
export function paletteFigure(palette: readonly ImagePaletteEntry[]): Figure {
  const names = palette.map((p, c) => `${c} · ${p.hex}`);
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: names,
        x: palette.map((p) => p.share * 100),
        customdata: palette.map((_, c) => c),
        marker: { color: palette.map((p) => p.hex), line: { color: "#d1d5db", width: 1 } },
        text: palette.map((p) => percent(p.share)),
        textposition: "outside",
        cliponaxis: false,
        hovertemplate: "<b>%{y}</b><br>%{x:.1f}% of the pixels<extra></extra>",
      },
    ],
    layout: baseLayout({
      margin: { l: 96, r: 40, t: 8, b: 40 },
      xaxis: axis("Share of pixels (%)", {
        rangemode: "tozero",
        range: [0, Math.max(...palette.map((p) => p.share * 100), 1) * 1.2],
      }),
      yaxis: axis("", {
        autorange: "reversed",
        type: "category",
        tickfont: { size: 11, family: "ui-monospace, monospace" },
      }),
      bargap: 0.25,
    }),
  };
}
