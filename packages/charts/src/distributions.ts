import type { Data } from "plotly.js-dist-min";
import type { ProfileColumn } from "./dataTypes.js";
import { binCentres, short, smallMultiples } from "./smallMultiples.js";
import { baseLayout, type Figure } from "./theme.js";

/** Colours of the distributions: numeric columns, categorical ones, and the rest (`other`). */
export const NUMERIC_COLOR = "#4e79a7";
export const CATEGORICAL_COLOR = "#59a14f";
export const OTHER_COLOR = "#bab0ac";

export interface DistributionsOptions {
  /** Cells per row. Default 4. */
  columns?: number;
  /** Most categories drawn per column (the most frequent; the rest as one "other" bar). Default 8. */
  maxCategories?: number;
  /** Most columns drawn (the first ones with something to draw). Default 24. */
  maxColumns?: number;
}

/** Most columns the distributions figure draws by default. */
export const MAX_DISTRIBUTIONS = 24;

/** Whether a column has something to draw: a histogram (numbers) or category counts. */
export function hasDistribution(c: ProfileColumn): boolean {
  return (c.numeric?.histogram ?? null) !== null || (c.categories?.top.length ?? 0) > 0;
}

/** Whether a column is drawn as category bars (the profile counted its values) rather than a histogram. */
function usesCategories(c: ProfileColumn): boolean {
  return (c.categories?.top.length ?? 0) > 0;
}

/** The bars of one column: its histogram, or its most frequent categories (plus "other"). */
function columnTrace(c: ProfileColumn, maxCategories: number): Data {
  if (usesCategories(c) && c.categories) {
    const top = c.categories.top.slice(0, maxCategories);
    const rest = c.categories.otherCount + c.categories.top.slice(maxCategories).reduce((a, t) => a + t.count, 0);
    const labels = top.map((t) => (t.value.length > 14 ? `${t.value.slice(0, 13)}…` : t.value));
    const counts = top.map((t) => t.count);
    const colors = top.map(() => CATEGORICAL_COLOR);
    if (rest > 0) {
      labels.push("other");
      counts.push(rest);
      colors.push(OTHER_COLOR);
    }
    return {
      type: "bar",
      x: labels,
      y: counts,
      marker: { color: colors },
      hovertemplate: `<b>${c.name}</b> = %{x}<br>%{y} rows<extra></extra>`,
    };
  }
  const h = c.numeric!.histogram!;
  const { x, width } = binCentres(h.edges);
  return {
    type: "bar",
    x,
    y: h.counts,
    width,
    marker: { color: NUMERIC_COLOR, line: { color: "#ffffff", width: 0.5 } },
    customdata: h.counts.map((_, b) => [h.edges[b], h.edges[b + 1]]),
    hovertemplate: `<b>${c.name}</b><br>%{customdata[0]:.4~g} to %{customdata[1]:.4~g}: %{y} rows<extra></extra>`,
  };
}

/**
 * Small multiples of each column's distribution: a histogram for numbers (the profile's equal-width
 * bins), bars of the most frequent values for categories (green; "other" grey). Columns with
 * nothing to draw (free text, identifiers without numbers) are left out. The title gives the role,
 * and the missing count when there are any.
 */
export function distributionsFigure(columns: readonly ProfileColumn[], options: DistributionsOptions = {}): Figure {
  const shown = columns.filter(hasDistribution).slice(0, options.maxColumns ?? MAX_DISTRIBUTIONS);
  const maxCategories = options.maxCategories ?? 8;
  const titles = shown.map(
    (c) =>
      `<b>${c.name}</b> <span style="color:#6b7280">${c.role}${c.missing > 0 ? ` · ${short(c.missing)} missing` : ""}</span>`,
  );
  const grid = smallMultiples(titles, { columns: options.columns ?? 4, xGap: 0.05, yGap: 0.5 });
  const data: Data[] = shown.map((c, i) => ({ ...columnTrace(c, maxCategories), ...grid.cell(i) }) as Data);
  const axes = { ...grid.axes };
  shown.forEach((c, i) => {
    const key = i === 0 ? "xaxis" : `xaxis${i + 1}`;
    if (usesCategories(c)) {
      axes[key] = { ...axes[key], type: "category", tickangle: -30, nticks: undefined };
    }
  });
  return {
    data,
    layout: baseLayout({
      ...axes,
      annotations: grid.titles,
      bargap: 0.15,
      margin: { l: 40, r: 12, t: 28, b: 44 },
    }),
  };
}

/** A height for the distributions figure: rows of cells of `cellHeight` px. */
export function distributionsHeight(columns: readonly ProfileColumn[], perRow = 4, cellHeight = 170): number {
  const n = Math.min(columns.filter(hasDistribution).length, MAX_DISTRIBUTIONS);
  return Math.max(1, Math.ceil(n / perRow)) * cellHeight + 40;
}
