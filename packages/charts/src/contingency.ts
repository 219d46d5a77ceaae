import { axis, baseLayout, type Figure } from "./theme.js";

export interface ContingencyInput {
  /** Row names (top to bottom). */
  rows: readonly string[];
  /** Column names (left to right). */
  columns: readonly string[];
  /** `counts[r][c]`. */
  counts: readonly (readonly number[])[];
  rowTitle: string;
  columnTitle: string;
}

/**
 * A contingency table as a heatmap: cell colour = the share of its row that falls in the column
 * (so rows of different sizes compare), cell text = the count. Empty cells show no number.
 */
export function contingencyFigure(input: ContingencyInput): Figure {
  const { rows, columns, counts } = input;
  const rowShare = counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((v) => v / total);
  });
  const longest = Math.max(0, ...rows.map((r) => r.length));
  return {
    data: [
      {
        type: "heatmap",
        x: [...columns],
        y: [...rows],
        z: rowShare,
        zmin: 0,
        zmax: 1,
        text: counts.map((row) => row.map((v) => (v === 0 ? "" : v.toLocaleString("en-US")))) as unknown as string[],
        texttemplate: "%{text}",
        textfont: { size: 11 },
        customdata: counts as unknown as number[][],
        colorscale: [
          [0, "#f8fafc"],
          [0.5, "#93c5fd"],
          [1, "#1e3a8a"],
        ],
        colorbar: { title: { text: "share<br>of row", font: { size: 11 } }, thickness: 10, tickformat: ".0%" },
        hovertemplate: `${input.rowTitle} <b>%{y}</b><br>${input.columnTitle} <b>%{x}</b><br>%{customdata} (%{z:.0%} of the row)<extra></extra>`,
        xgap: 2,
        ygap: 2,
      },
    ],
    layout: baseLayout({
      margin: { l: Math.min(180, 16 + longest * 7), r: 12, t: 8, b: 64 },
      xaxis: axis(input.columnTitle, { type: "category", side: "bottom", showgrid: false, tickangle: 0 }),
      yaxis: axis("", { type: "category", autorange: "reversed", showgrid: false }),
    }),
  };
}

/** Breaks a label into lines of at most `width` characters (at spaces), joined by `<br>`. */
export function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("<br>");
}
