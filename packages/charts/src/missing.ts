import type { ProfileColumn } from "./dataTypes.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export const MISSING_COLOR = "#e15759";
export const COMPLETE_COLOR = "#d1d5db";

/**
 * Missing values per column: one horizontal bar per column, as long as its share of missing
 * values (most missing on top; columns with none keep a thin grey stub so every column is listed),
 * labelled with the count and the share.
 */
export function missingFigure(columns: readonly ProfileColumn[], nRows: number): Figure {
  const order = columns
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.missing - a.c.missing || a.i - b.i)
    .map(({ c }) => c);
  // Plotly draws the first category at the bottom: reverse so the most missing is on top.
  const rows = [...order].reverse();
  const maxShare = Math.max(...rows.map((c) => c.missingShare), 0);
  const stub = Math.max(maxShare, 0.01) * 0.012;
  const label = (c: ProfileColumn) =>
    c.missing === 0
      ? "none"
      : `${c.missing.toLocaleString("en-US")} (${(c.missingShare * 100).toFixed(c.missingShare < 0.1 ? 1 : 0)}%)`;
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: rows.map((c) => c.name),
        x: rows.map((c) => (c.missing === 0 ? stub : c.missingShare) * 100),
        marker: { color: rows.map((c) => (c.missing === 0 ? COMPLETE_COLOR : MISSING_COLOR)) },
        text: rows.map(label),
        textposition: "outside",
        cliponaxis: false,
        customdata: rows.map((c) => c.missing),
        hovertemplate: `<b>%{y}</b><br>%{customdata} of ${nRows.toLocaleString("en-US")} rows missing<extra></extra>`,
      },
    ],
    layout: baseLayout({
      xaxis: axis("Missing (% of rows)", {
        rangemode: "tozero",
        range: [0, Math.max(maxShare * 100 * 1.3, 5)],
        ticksuffix: "%",
      }),
      yaxis: axis("", { type: "category", automargin: true }),
      bargap: 0.35,
      margin: { l: 56, r: 24, t: 8, b: 44 },
    }),
  };
}
