import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname } from "node:path";
import { DataError } from "../errors.js";
import { escapeHtml, jsonForScript, scriptForHtml } from "../htmlEmbed.js";
import type { ChartSpec } from "./plotModel.js";

/** The id of the figure's `<script type="application/json">` element in `plotModelHtml`'s page. */
export const PLOT_DATA_ID = "clusterlab-figure";

let plotlyCache: string | null = null;

/** plotly.js-dist-min's bundle (read once), inlined by `plotModelHtml`. */
export function plotlyBundle(): string {
  if (plotlyCache === null) {
    const require = createRequire(import.meta.url);
    let path: string;
    try {
      path = require.resolve("plotly.js-dist-min");
    } catch {
      throw new DataError("plotly.js-dist-min is not installed: run `npm install` (plotModel's HTML inlines it)");
    }
    plotlyCache = readFileSync(path, "utf8");
  }
  return plotlyCache;
}

/** Options for `plotModelHtml`. */
export interface PlotModelHtmlOptions {
  /** Page title. Default: the chart's title. */
  title?: string;
  /** Chart height in pixels. Default 560. */
  height?: number;
  /** plotly.js's bundle to inline. Default: plotly.js-dist-min's (`plotlyBundle()`). */
  plotly?: string;
}

/**
 * One chart as a self-contained HTML page: the figure as JSON, plotly.js-dist-min inlined, no
 * network access needed (open it from disk). The chart div gets `data-ready="true"` once drawn.
 */
export function plotModelHtml(spec: ChartSpec, options: PlotModelHtmlOptions = {}): string {
  const title = options.title ?? spec.title;
  const height = options.height ?? 560;
  const plotly = options.plotly ?? plotlyBundle();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Clusterlab plotModel">
<title>${escapeHtml(title)}</title>
<style>
body { margin: 0; padding: 24px 32px; font-family: Inter, "Segoe UI", system-ui, -apple-system, sans-serif; color: #1f2937; background: #f8fafc; }
h1 { font-size: 20px; font-weight: 600; margin: 0 0 16px; }
#chart { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px; height: ${height}px; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div id="chart" data-kind="${escapeHtml(spec.kind)}" data-ready="false"></div>
<script type="application/json" id="${PLOT_DATA_ID}">${jsonForScript(spec)}</script>
<script>
${scriptForHtml(plotly)}
</script>
<script>
(function () {
  var spec = JSON.parse(document.getElementById("${PLOT_DATA_ID}").textContent);
  var chart = document.getElementById("chart");
  Plotly.newPlot(chart, spec.figure.data, spec.figure.layout, { responsive: true, displaylogo: false }).then(function () {
    chart.setAttribute("data-ready", "true");
  });
})();
</script>
</body>
</html>
`;
}

/**
 * Writes a chart: `.html` / `.htm` as `plotModelHtml`'s self-contained page, `.json` as the chart
 * spec (`{ kind, title, figure }`). Another extension is a `DataError`.
 */
export async function savePlot(spec: ChartSpec, path: string, options: PlotModelHtmlOptions = {}): Promise<void> {
  const ext = extname(path).toLowerCase();
  let text: string;
  if (ext === ".html" || ext === ".htm") text = plotModelHtml(spec, options);
  else if (ext === ".json") text = `${JSON.stringify(spec)}\n`;
  else throw new DataError(`invalid out: ${JSON.stringify(path)} (write a .html or a .json file)`);
  // Like writeTable and saveModel: the folder is made if missing; a path that cannot be written
  // (a file in the way, no permission) is a DataError naming it, not an unexpected error.
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`cannot write ${JSON.stringify(path)}: ${code ?? (error as Error).message}`);
  }
}
