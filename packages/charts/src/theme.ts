import type { Data, Layout, LayoutAxis } from "plotly.js-dist-min";
/** Plotly figure: traces plus layout, as built by the pure chart functions in this folder. */
export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
}

export const FONT = 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif';
export const TEXT_COLOR = "#374151";
export const GRID_COLOR = "#eceff3";

/** The shared look: white background, light grid, readable 12 px text, titles left to the card. */
export function baseLayout(overrides: Partial<Layout> = {}): Partial<Layout> {
  return {
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    font: { family: FONT, size: 12, color: TEXT_COLOR },
    margin: { l: 56, r: 16, t: 12, b: 48 },
    hoverlabel: { font: { family: FONT, size: 12 }, bordercolor: "#d1d5db" },
    showlegend: false,
    autosize: true,
    ...overrides,
  };
}

/** An axis with the shared grid and a title. */
export function axis(title: string, extra: Partial<LayoutAxis> = {}): Partial<LayoutAxis> {
  return {
    title: { text: title, font: { size: 12, color: "#4b5563" }, standoff: 8 },
    gridcolor: GRID_COLOR,
    zerolinecolor: "#d1d5db",
    linecolor: "#d1d5db",
    tickfont: { size: 11 },
    automargin: true,
    ...extra,
  };
}
