import type { Data } from "plotly.js-dist-min";
import { clusterColor, clusterName, isLit, withAlpha } from "./colors.js";
import { wrapLabel } from "./labels.js";
import type { BoxStats } from "./results.js";
import { smallMultiples } from "./smallMultiples.js";
import { axis, baseLayout, type Figure } from "./theme.js";

export interface SegmentBoxesOptions {
  names?: ReadonlyMap<number, string>;
  highlight?: number | null;
}

/**
 * One feature's distribution in each segment as box plots (quartiles, median, mean dashed, Tukey's
 * whiskers), computed on every row by the server, one colour per segment (noise grey). Each box's
 * `customdata` is its cluster.
 */
export function segmentBoxesFigure(
  feature: string,
  boxes: (BoxStats | null)[],
  labels: number[],
  options: SegmentBoxesOptions = {},
): Figure {
  const highlight = options.highlight ?? null;
  const data: Data[] = [];
  labels.forEach((label, s) => {
    const b = boxes[s];
    if (!b) return;
    const name = options.names?.get(label) ?? clusterName(label);
    const lit = isLit(label, highlight);
    const colour = clusterColor(label);
    data.push({
      type: "box",
      name,
      x: [wrapLabel(name, 24)],
      q1: [b.q1],
      median: [b.median],
      q3: [b.q3],
      lowerfence: [b.lowerFence],
      upperfence: [b.upperFence],
      mean: [b.mean],
      boxmean: true,
      marker: { color: colour },
      line: { color: colour, width: highlight === label ? 2.5 : 1.5 },
      fillcolor: withAlpha(colour, lit ? 0.35 : 0.06),
      opacity: lit ? 1 : 0.35,
      customdata: [label],
      hovertemplate: `<b>${name.replace(/</g, "&lt;")}</b><br>${feature}<br>median ${b.median}, quartiles ${b.q1} – ${b.q3}<br>mean ${b.mean}; min ${b.min}, max ${b.max}<extra></extra>`,
    } as unknown as Data);
  });
  return {
    data,
    layout: baseLayout({
      xaxis: axis("", { tickangle: 0, showgrid: false, tickfont: { size: 11 } }),
      yaxis: axis(feature),
      margin: { l: 64, r: 16, t: 12, b: 16 },
      boxgap: 0.35,
    }),
  };
}

/**
 * Several features' distributions per segment: `segmentBoxesFigure` for each feature in a grid of
 * small multiples (`columns` per row), each cell titled with its feature. `boxes[f][s]` is the box of
 * feature f in segment s (labels[s]).
 */
export function segmentBoxesGridFigure(
  features: readonly string[],
  boxes: readonly (BoxStats | null)[][],
  labels: number[],
  options: SegmentBoxesOptions & { columns?: number } = {},
): Figure {
  const grid = smallMultiples(features, { columns: options.columns ?? 3, yaxis: { rangemode: "normal" } });
  const data: Data[] = [];
  features.forEach((feature, f) => {
    const cell = grid.cell(f);
    for (const trace of segmentBoxesFigure(feature, boxes[f], labels, options).data) {
      data.push({ ...trace, ...cell, showlegend: false } as Data);
    }
  });
  return {
    data,
    layout: baseLayout({
      ...grid.axes,
      annotations: grid.titles,
      margin: { l: 48, r: 16, t: 28, b: 24 },
      boxgap: 0.3,
    }),
  };
}
