import type { Data } from "plotly.js-dist-min";
import { clusterColor, clusterName } from "./colors.js";
import { baseLayout, type Figure } from "./theme.js";

export interface ParcoordsInput {
  features: string[];
  /** values[feature][i]: the sampled rows' values. */
  values: number[][];
  /** Label of each sampled row (-1: noise). */
  labels: number[];
}

export interface ParcoordsOptions {
  /** Segment name per label (default "Cluster c" / "Noise"). */
  names?: ReadonlyMap<number, string>;
  /** Only this segment drawn in colour (the others grey), or null. */
  highlight?: number | null;
}

/**
 * Parallel coordinates of a sample of rows: one vertical axis per feature (its own range), one line
 * per row coloured by its segment (the dashboard's cluster colours; noise grey). Plotly's parcoords
 * colours lines through a colour scale, so each label gets a flat band of the scale in its colour.
 */
export function parcoordsFigure(input: ParcoordsInput, options: ParcoordsOptions = {}): Figure {
  const highlight = options.highlight ?? null;
  const labels = input.labels;
  const distinct = [...new Set(labels)].sort((a, b) => a - b);
  // Label -> position in [0, m - 1]; the scale has a flat band per position.
  const index = new Map(distinct.map((l, i) => [l, i]));
  const m = Math.max(1, distinct.length);
  const colorscale: [number, string][] = [];
  distinct.forEach((l, i) => {
    const colour = highlight === null || highlight === l ? clusterColor(l) : "#e5e7eb";
    colorscale.push([i / m, colour], [(i + 1) / m, colour]);
  });
  if (colorscale.length === 0) colorscale.push([0, "#9ca3af"], [1, "#9ca3af"]);
  const dimensions = input.features.map((name, j) => {
    const v = input.values[j];
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const x of v) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    return { label: name, values: v, range: Number.isFinite(lo) ? [lo, hi === lo ? lo + 1 : hi] : [0, 1] };
  });
  const names = options.names;
  return {
    data: [
      {
        type: "parcoords",
        // The colour value of a row: the middle of its label's band.
        line: {
          color: labels.map((l) => ((index.get(l) ?? 0) + 0.5) / m),
          cmin: 0,
          cmax: 1,
          colorscale,
          showscale: false,
        },
        dimensions,
        labelfont: { size: 12 },
        tickfont: { size: 10 },
        rangefont: { size: 9 },
        // Legend is drawn by the page (parcoords has none): the names by label.
        meta: distinct.map((l) => names?.get(l) ?? clusterName(l)),
      } as unknown as Data,
    ],
    layout: baseLayout({ margin: { l: 48, r: 48, t: 52, b: 24 } }),
  };
}
