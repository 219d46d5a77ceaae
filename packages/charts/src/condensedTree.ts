import type { Annotation, Data, Shape } from "plotly.js-dist-min";
import { clusterColor, clusterName, isLit, withAlpha } from "./colors.js";
import type { CondensedTreeResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export interface CondensedTreeOptions {
  highlight?: number | null;
}

const UNSELECTED_FILL = "#e5e7eb";
const UNSELECTED_LINE = "#9ca3af";

/**
 * The HDBSCAN condensed tree as icicles (as the hdbscan library's plot): lambda = 1 / distance grows
 * downwards; each cluster is as wide as the rows still in it, narrowing as rows fall out, and splits
 * into its children. The selected clusters are filled in their colours, the others grey. With the
 * DBSCAN* cut, the cut is a dashed line at lambda = 1 / eps. Hover a cluster for its size and
 * stability; its marker's `customdata` is its label (-1 when not selected), for clicks.
 */
export function condensedTreeFigure(t: CondensedTreeResult, options: CondensedTreeOptions = {}): Figure {
  const highlight = options.highlight ?? null;
  const data: Data[] = [];
  const grey = { x: [] as (number | null)[], y: [] as (number | null)[] };
  const links = { x: [] as (number | null)[], y: [] as (number | null)[] };
  const byId = new Map(t.clusters.map((c) => [c.id, c]));
  for (const c of t.clusters) {
    if (c.label >= 0) {
      const lit = isLit(c.label, highlight);
      data.push({
        type: "scatter",
        mode: "lines",
        x: c.polygonX,
        y: c.polygonY,
        fill: "toself",
        fillcolor: lit ? clusterColor(c.label) : withAlpha(clusterColor(c.label), 0.2),
        line: { color: lit ? clusterColor(c.label) : withAlpha(clusterColor(c.label), 0.3), width: 1 },
        hoverinfo: "skip",
        name: clusterName(c.label),
      });
    } else {
      grey.x.push(...c.polygonX, null);
      grey.y.push(...c.polygonY, null);
    }
    const parent = byId.get(c.parent);
    if (parent) {
      links.x.push(parent.x, c.x, null);
      links.y.push(c.birth, c.birth, null);
    }
  }
  data.unshift({
    type: "scatter",
    mode: "lines",
    x: grey.x,
    y: grey.y,
    fill: "toself",
    fillcolor: UNSELECTED_FILL,
    line: { color: UNSELECTED_LINE, width: 0.8 },
    hoverinfo: "skip",
    name: "other clusters",
  });
  data.push({
    type: "scatter",
    mode: "lines",
    x: links.x,
    y: links.y,
    line: { color: "#6b7280", width: 1 },
    hoverinfo: "skip",
  });
  data.push({
    type: "scatter",
    mode: "markers",
    x: t.clusters.map((c) => c.x),
    y: t.clusters.map((c) => c.birth),
    customdata: t.clusters.map((c) => c.label),
    marker: { size: 12, color: "rgba(0,0,0,0)" },
    text: t.clusters.map(
      (c) =>
        `${c.label >= 0 ? `<b>${clusterName(c.label)}</b> (selected)` : "not selected"}<br>${c.size.toLocaleString("en-US")} rows at lambda ${c.birth.toPrecision(3)}<br>stability ${c.stability.toPrecision(3)}`,
    ),
    hovertemplate: "%{text}<extra></extra>",
  });
  const shapes: Partial<Shape>[] = [];
  const annotations: Partial<Annotation>[] = [];
  if (t.cut !== null && t.cut > 0) {
    const lambda = 1 / t.cut;
    shapes.push({
      type: "line",
      xref: "paper",
      x0: 0,
      x1: 1,
      y0: lambda,
      y1: lambda,
      line: { color: "#dc2626", width: 2, dash: "dash" },
    });
    annotations.push({
      x: 1,
      xref: "paper",
      xanchor: "right",
      y: lambda,
      yanchor: "top",
      text: `DBSCAN* cut: eps = ${Number(t.cut.toPrecision(3))}`,
      showarrow: false,
      font: { size: 11, color: "#dc2626" },
      bgcolor: "rgba(255,255,255,0.8)",
    });
  }
  const bottom = Math.max(...t.clusters.map((c) => c.death), t.cut ? 1 / t.cut : 0) * 1.03 || 1;
  return {
    data,
    layout: baseLayout({
      xaxis: axis("", {
        showticklabels: false,
        showgrid: false,
        zeroline: false,
        range: [0, t.width],
        fixedrange: true,
      }),
      yaxis: axis("λ = 1 / distance", { range: [bottom, 0], zeroline: false }),
      shapes,
      annotations,
      margin: { l: 60, r: 16, t: 12, b: 16 },
      hovermode: "closest",
    }),
  };
}
