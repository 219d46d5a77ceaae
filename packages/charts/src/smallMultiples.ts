import type { Annotation, LayoutAxis } from "plotly.js-dist-min";
import { GRID_COLOR } from "./theme.js";

/** The axes and titles of a grid of small charts (Plotly subplots), filled row by row. */
export interface SmallMultiples {
  /** Layout entries `xaxis`, `yaxis`, `xaxis2`, ... */
  axes: Record<string, Partial<LayoutAxis>>;
  /** One title per cell, above it. */
  titles: Partial<Annotation>[];
  /** Trace axis names of cell i: `{ xaxis: "x2", yaxis: "y2" }`. */
  cell: (i: number) => { xaxis: string; yaxis: string };
  rows: number;
}

export interface SmallMultiplesOptions {
  /** Cells per row. */
  columns: number;
  /** Horizontal and vertical gaps between cells, as shares of the plot area. Default 0.06 and 0.5 row heights of titles. */
  xGap?: number;
  /** Vertical gap between rows, as a share of one row's height. Default 0.42. */
  yGap?: number;
  /** Extra axis settings for every x axis / y axis. */
  xaxis?: Partial<LayoutAxis>;
  yaxis?: Partial<LayoutAxis>;
}

/**
 * A grid of `n` cells with independent axes, each titled: the layout pieces for small multiples
 * (histograms per column, before/after pairs). Cell 0 is top left.
 */
export function smallMultiples(titles: readonly string[], options: SmallMultiplesOptions): SmallMultiples {
  const n = titles.length;
  const cols = Math.max(1, Math.min(options.columns, n));
  const rows = Math.max(1, Math.ceil(n / cols));
  const xGap = options.xGap ?? 0.06;
  const yGap = options.yGap ?? 0.42;
  const width = (1 - xGap * (cols - 1)) / cols;
  const rowHeight = 1 / (rows + yGap * (rows - 1));
  const height = rowHeight;
  const axes: Record<string, Partial<LayoutAxis>> = {};
  const annotations: Partial<Annotation>[] = [];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const x0 = c * (width + xGap);
    const top = 1 - r * rowHeight * (1 + yGap);
    const y0 = Math.max(0, top - height);
    const suffix = i === 0 ? "" : String(i + 1);
    axes[`xaxis${suffix}`] = {
      domain: [x0, Math.min(1, x0 + width)],
      anchor: `y${suffix}` as LayoutAxis["anchor"],
      gridcolor: GRID_COLOR,
      linecolor: "#d1d5db",
      zerolinecolor: "#d1d5db",
      tickfont: { size: 10 },
      automargin: false,
      nticks: 5,
      ...options.xaxis,
    };
    axes[`yaxis${suffix}`] = {
      domain: [y0, top],
      anchor: `x${suffix}` as LayoutAxis["anchor"],
      gridcolor: GRID_COLOR,
      linecolor: "#d1d5db",
      zerolinecolor: "#d1d5db",
      tickfont: { size: 10 },
      automargin: false,
      nticks: 4,
      rangemode: "tozero",
      ...options.yaxis,
    };
    annotations.push({
      text: titles[i],
      x: x0,
      xref: "paper",
      xanchor: "left",
      y: top,
      yref: "paper",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 12, color: "#374151" },
    });
  }
  return {
    axes,
    titles: annotations,
    cell: (i) => ({ xaxis: i === 0 ? "x" : `x${i + 1}`, yaxis: i === 0 ? "y" : `y${i + 1}` }),
    rows,
  };
}

/** Bin centres and widths of a histogram's edges. */
export function binCentres(edges: readonly number[]): { x: number[]; width: number[] } {
  const x: number[] = [];
  const width: number[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const w = edges[b + 1] - edges[b];
    x.push(edges[b] + w / 2);
    width.push(w > 0 ? w : Math.max(Math.abs(edges[b]) * 0.05, 0.5));
  }
  return { x, width };
}

/** "1,234", "0.123", "12.3k"-free short number for titles and hovers. */
export function short(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  return Number(v.toPrecision(3)).toLocaleString("en-US", { maximumFractionDigits: 3 });
}
