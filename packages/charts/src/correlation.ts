import type { ProfileCorrelation } from "./dataTypes.js";
import { baseLayout, type Figure } from "./theme.js";

/** Diverging scale for correlations: blue for -1, white for 0, red for +1. */
export const CORRELATION_SCALE: [number, string][] = [
  [0, "#2166ac"],
  [0.25, "#92c5de"],
  [0.5, "#f7f7f7"],
  [0.75, "#f4a582"],
  [1, "#b2182b"],
];

/**
 * The correlation heatmap of the numeric features: Pearson's r in each cell on a fixed [-1, 1]
 * diverging scale, written in the cell (white text on strong colours), the first column at the top
 * left as in a correlation table. Undefined correlations (a constant column) are blank.
 */
export function correlationFigure(corr: ProfileCorrelation): Figure {
  const names = corr.columns;
  const n = names.length;
  const short = names.map((s) => (s.length > 18 ? `${s.slice(0, 17)}…` : s));
  const z = corr.matrix.map((row) => row.map((v) => (v === null ? null : Math.round(v * 1000) / 1000)));
  const annotations = [];
  if (n <= 16) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = z[i][j];
        if (v === null) continue;
        annotations.push({
          x: short[j],
          y: short[i],
          text: v.toFixed(2),
          showarrow: false,
          font: { size: n > 10 ? 9 : 11, color: Math.abs(v) > 0.6 ? "#ffffff" : "#374151" },
        });
      }
    }
  }
  return {
    data: [
      {
        type: "heatmap",
        x: short,
        y: short,
        z,
        zmin: -1,
        zmax: 1,
        colorscale: CORRELATION_SCALE,
        xgap: 1,
        ygap: 1,
        customdata: names.map((a) => names.map((b) => `${a} × ${b}`)),
        hovertemplate: "<b>%{customdata}</b><br>r = %{z:.3f}<extra></extra>",
        colorbar: { thickness: 10, len: 0.9, tickvals: [-1, -0.5, 0, 0.5, 1], outlinewidth: 0 },
      },
    ],
    layout: baseLayout({
      xaxis: { tickangle: -35, tickfont: { size: 11 }, automargin: true, showgrid: false },
      yaxis: { autorange: "reversed", tickfont: { size: 11 }, automargin: true, showgrid: false },
      annotations,
      margin: { l: 8, r: 8, t: 8, b: 8 },
    }),
  };
}
