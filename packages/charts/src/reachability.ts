import type { Annotation, Data, Shape } from "plotly.js-dist-min";
import {
  CLUSTER_COLORS,
  clusterColor,
  clusterName,
  isLit,
  MAX_CLUSTERS_DRAWN,
  NEUTRAL_COLOR,
  withAlpha,
} from "./colors.js";
import type { ReachabilityResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export interface ReachabilityOptions {
  highlight?: number | null;
}

/** The reachability figure plus the cluster each trace draws (-1: noise, null: the region starts). */
export interface ReachabilityFigure extends Figure {
  traceCluster: (number | null)[];
}

/** Colour of the bars of infinite reachability (the first row of each region). */
export const INFINITE_COLOR = "#4b5563";

/**
 * The OPTICS reachability plot: the reachability of each row in the OPTICS ordering (or of each
 * block of rows on large data) as bars, coloured by cluster, noise grey; valleys are clusters.
 * Infinite reachability (the first row of a region) is a dark bar to the top. For DBSCAN, eps is
 * a dashed red line: the first shape of the layout, which the dashboard lets the user drag.
 *
 * Consecutive bars of one cluster are drawn as one filled step outline (one trace per cluster,
 * hover and click on its fill), which keeps thousands of bars cheap to redraw.
 */
export function reachabilityFigure(r: ReachabilityResult, options: ReachabilityOptions = {}): ReachabilityFigure {
  const highlight = options.highlight ?? null;
  const finite = r.reachability.filter((v): v is number => v !== null);
  const top = Math.max(r.eps ?? 0, ...finite, r.epsRange[1] * 0.5) * 1.08 || 1;
  const n = r.reachability.length;
  // Above 30 clusters, the clusters of one colour share a trace (null in traceCluster).
  const many = new Set(r.labels).size > MAX_CLUSTERS_DRAWN + 1;
  const groupOf = (cluster: number | null): string =>
    cluster === null ? "inf" : many && cluster >= 0 ? `colour ${cluster % CLUSTER_COLORS.length}` : String(cluster);
  // One outline per run of consecutive bars with the same key (a cluster, or "infinite").
  const groups = new Map<
    string,
    { cluster: number | null; shared: boolean; x: (number | null)[]; y: (number | null)[]; bars: number }
  >();
  let start = 0;
  while (start < n) {
    const infinite = r.reachability[start] === null;
    const cluster = infinite ? null : r.labels[start];
    let end = start + 1;
    while (end < n && (r.reachability[end] === null) === infinite && (infinite || r.labels[end] === cluster)) end++;
    const key = groupOf(cluster);
    let g = groups.get(key);
    if (!g) {
      g = {
        cluster: many && cluster !== null && cluster >= 0 ? cluster % CLUSTER_COLORS.length : cluster,
        shared: key.startsWith("colour"),
        x: [],
        y: [],
        bars: 0,
      };
      groups.set(key, g);
    }
    g.x.push(start - 0.5);
    g.y.push(0);
    for (let i = start; i < end; i++) {
      const v = r.reachability[i] ?? top;
      g.x.push(i - 0.5, i + 0.5);
      g.y.push(v, v);
    }
    g.x.push(end - 0.5, start - 0.5, null);
    g.y.push(0, 0, null);
    g.bars += end - start;
    start = end;
  }
  const data: Data[] = [];
  const traceCluster: (number | null)[] = [];
  const ordered = [...groups.values()].sort((a, b) => (a.cluster ?? -2) - (b.cluster ?? -2));
  for (const g of ordered) {
    const base = g.cluster === null ? INFINITE_COLOR : g.cluster < 0 ? NEUTRAL_COLOR : clusterColor(g.cluster);
    const lit = g.cluster === null || g.shared || isLit(g.cluster, highlight);
    const colour = lit ? base : withAlpha(base, 0.18);
    const what =
      g.cluster === null ? "start of a region (infinite reachability)" : g.shared ? "clusters" : clusterName(g.cluster);
    data.push({
      type: "scatter",
      mode: "lines",
      x: g.x,
      y: g.y,
      fill: "toself",
      fillcolor: colour,
      line: { color: colour, width: 0.5 },
      hoveron: "fills",
      hoverinfo: "text",
      text: `${what}: ${g.bars} ${r.binSize > 1 ? "bars" : "rows"}`,
      name: what,
    } as Data);
    traceCluster.push(g.shared ? null : g.cluster);
  }
  const shapes: Partial<Shape>[] = [];
  const annotations: Partial<Annotation>[] = [];
  if (r.eps !== null) {
    shapes.push({
      type: "line",
      xref: "paper",
      x0: 0,
      x1: 1,
      y0: r.eps,
      y1: r.eps,
      line: { color: "#dc2626", width: 3, dash: "dash" },
    });
    annotations.push({
      x: 1,
      xref: "paper",
      xanchor: "right",
      y: r.eps,
      yanchor: "bottom",
      text: `eps = ${Number(r.eps.toPrecision(3))}`,
      showarrow: false,
      font: { size: 11, color: "#dc2626" },
      bgcolor: "rgba(255,255,255,0.8)",
    });
  }
  return {
    data,
    traceCluster,
    layout: baseLayout({
      xaxis: axis(
        r.binSize > 1 ? `OPTICS ordering (each bar: ${r.binSize} rows, their largest reachability)` : "OPTICS ordering",
        { showgrid: false, range: [-0.5, n - 0.5], fixedrange: true, zeroline: false },
      ),
      yaxis: axis("Reachability distance", { range: [0, top], fixedrange: true }),
      shapes,
      annotations,
      margin: { l: 60, r: 16, t: 12, b: 48 },
      hovermode: "closest",
    }),
  };
}
