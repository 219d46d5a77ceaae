import { formatShort } from "./format.js";
import type { ProfileResult, ProjectionResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

/** What a lasso selection holds: its rows, their clusters and their feature means. */
export interface SelectionSummary {
  count: number;
  /** Rows per cluster (key -1: noise). */
  byCluster: Map<number, number>;
  /** Mean of each feature over the selected rows (raw values). */
  means: number[];
}

/** Summarises the displayed points at `indices` (indices into the projection arrays). */
export function summarizeSelection(p: ProjectionResult, indices: readonly number[]): SelectionSummary {
  const d = p.values[0]?.length ?? 0;
  const sums = new Array<number>(d).fill(0);
  const byCluster = new Map<number, number>();
  for (const i of indices) {
    const c = p.label[i];
    byCluster.set(c, (byCluster.get(c) ?? 0) + 1);
    const row = p.values[i];
    for (let j = 0; j < d; j++) sums[j] += row[j];
  }
  return {
    count: indices.length,
    byCluster,
    means: sums.map((s) => (indices.length > 0 ? s / indices.length : Number.NaN)),
  };
}

/**
 * The mean profile of a selection: for each feature, how far the selected rows' mean sits from the
 * overall mean, in standard deviations (red above, blue below), with the raw mean as the label.
 */
export function selectionProfileFigure(s: SelectionSummary, profile: ProfileResult): Figure {
  const z = s.means.map((m, j) =>
    profile.overallStd[j] > 0 ? (m - profile.overallMean[j]) / profile.overallStd[j] : 0,
  );
  const limit = Math.max(1, ...z.map((v) => Math.abs(v))) * 1.25;
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: profile.columns,
        x: z,
        marker: { color: z.map((v) => (v >= 0 ? "#d6604d" : "#4393c3")) },
        text: s.means.map((m) => `mean ${formatShort(m)}`),
        textposition: "outside",
        cliponaxis: false,
        hovertemplate: "<b>%{y}</b><br>%{text}<br>%{x:.2f} sd from the overall mean<extra></extra>",
      },
    ],
    layout: baseLayout({
      xaxis: axis("Selected rows' mean, in standard deviations from the overall mean", {
        range: [-limit, limit],
        zeroline: true,
        zerolinecolor: "#9ca3af",
      }),
      yaxis: axis("", { autorange: "reversed", automargin: true }),
      margin: { l: 16, r: 24, t: 8, b: 44 },
      bargap: 0.35,
    }),
  };
}
