import type { Data } from "plotly.js-dist-min";
import type { DistributionSummary, PreprocessPreviewFeature } from "./dataTypes.js";
import { binCentres, short, smallMultiples } from "./smallMultiples.js";
import { baseLayout, type Figure } from "./theme.js";

export const BEFORE_COLOR = "#9ca3af";
export const AFTER_COLOR = "#4e79a7";

export interface BeforeAfterOptions {
  /** What "after" means, e.g. "Yeo-Johnson, standardised". Default "after preprocessing". */
  afterLabel?: string;
  /** Most features drawn (the first ones). Default 8. */
  maxFeatures?: number;
}

function histogramTrace(s: DistributionSummary, color: string, name: string): Data {
  const { x, width } = binCentres(s.histogram.edges);
  return {
    type: "bar",
    x,
    y: s.histogram.counts,
    width,
    marker: { color, line: { color: "#ffffff", width: 0.5 } },
    customdata: s.histogram.counts.map((_, b) => [s.histogram.edges[b], s.histogram.edges[b + 1]]),
    hovertemplate: `${name}<br>%{customdata[0]:.4~g} to %{customdata[1]:.4~g}: %{y} rows<extra></extra>`,
  };
}

/** A median line and the quartile box drawn as a shaded band behind one cell's histogram. */
function quartileShapes(s: DistributionSummary, xref: string, yref: string, color: string) {
  const domain = `${yref} domain`;
  return [
    {
      type: "rect" as const,
      xref: xref as "x",
      yref: domain as "y",
      x0: s.q25,
      x1: s.q75,
      y0: 0,
      y1: 1,
      fillcolor: color,
      opacity: 0.12,
      line: { width: 0 },
      layer: "below" as const,
    },
    {
      type: "line" as const,
      xref: xref as "x",
      yref: domain as "y",
      x0: s.median,
      x1: s.median,
      y0: 0,
      y1: 1,
      line: { color, width: 1.5, dash: "dot" as const },
    },
  ];
}

/**
 * Each numeric feature before preprocessing (raw values, grey) and after it (the values the
 * clusterer sees before any PCA: imputed, transformed, scaled; blue), side by side, one row per
 * feature: histograms with the quartile box shaded and the median dotted. The titles give the
 * median and the interquartile range of each side.
 */
export function beforeAfterFigure(
  features: readonly PreprocessPreviewFeature[],
  options: BeforeAfterOptions = {},
): Figure {
  const shown = features.slice(0, options.maxFeatures ?? 8);
  const afterLabel = options.afterLabel ?? "after preprocessing";
  const titles: string[] = [];
  const cells: { s: DistributionSummary | null; color: string; name: string }[] = [];
  for (const f of shown) {
    const describe = (s: DistributionSummary | null) =>
      s ? `median ${short(s.median)}, IQR ${short(s.q25)} to ${short(s.q75)}` : "no values";
    titles.push(`<b>${f.name}</b> <span style="color:#6b7280">raw · ${describe(f.before)}</span>`);
    titles.push(`<b>${f.name}</b> <span style="color:#6b7280">${afterLabel} · ${describe(f.after)}</span>`);
    cells.push({ s: f.before, color: BEFORE_COLOR, name: `<b>${f.name}</b> (raw)` });
    cells.push({ s: f.after, color: AFTER_COLOR, name: `<b>${f.name}</b> (${afterLabel})` });
  }
  const grid = smallMultiples(titles, { columns: 2, xGap: 0.07, yGap: 0.55 });
  const data: Data[] = [];
  const shapes: ReturnType<typeof quartileShapes> = [];
  cells.forEach((cell, i) => {
    if (!cell.s) return;
    const axes = grid.cell(i);
    data.push({ ...histogramTrace(cell.s, cell.color, cell.name), ...axes } as Data);
    shapes.push(...quartileShapes(cell.s, axes.xaxis, axes.yaxis, cell.color));
  });
  return {
    data,
    layout: baseLayout({
      ...grid.axes,
      annotations: grid.titles,
      shapes,
      bargap: 0.05,
      margin: { l: 40, r: 12, t: 26, b: 28 },
    }),
  };
}

/** A height for the before/after figure: one row of `rowHeight` px per feature drawn. */
export function beforeAfterHeight(
  features: readonly PreprocessPreviewFeature[],
  maxFeatures = 8,
  rowHeight = 130,
): number {
  return Math.max(1, Math.min(features.length, maxFeatures)) * rowHeight + 40;
}
