/**
 * Draws the report page from its payload: plain DOM (text set with `textContent`, never as HTML)
 * and one Plotly chart per figure of `reportCharts`.
 */

import { clusterColor, clusterName, formatMetric } from "@clusterlab/charts";
import Plotly, { type Config } from "plotly.js-dist-min";
import {
  ALGORITHM_LABELS,
  type ReportPayload,
  reportCharts,
  reportMetrics,
  reportParameters,
  reproduceCommand,
} from "./figures.js";

const CONFIG: Partial<Config> = {
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
  toImageButtonOptions: { format: "png", scale: 2 },
};

type Child = Node | string | null | undefined | false;

/** `el("div", { class: "x" }, child...)`: an element with attributes and text or element children. */
function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return el("section", { class: "section", "data-testid": `section-${id}` }, el("h2", {}, title), ...children);
}

function table(headers: string[], rows: Child[][], testId: string): HTMLElement {
  return el(
    "table",
    { class: "table", "data-testid": testId },
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((cell) => el("td", {}, cell))))),
  );
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function dataSection(p: ReportPayload): HTMLElement {
  const d = p.data;
  const used = d.columns.filter((c) => c.used).length;
  const facts = el(
    "div",
    { class: "facts" },
    ...[
      ["Rows", count(d.nRows)],
      ["Columns", count(d.nColumns)],
      ["Features used", count(used)],
      ["Missing cells", count(d.missing.cells)],
      ["Rows with a missing value", count(d.missing.rows)],
    ].map(([label, value]) => el("div", { class: "fact" }, el("span", {}, label), el("strong", {}, value))),
  );
  const rows = d.columns.map((c) => [
    el("span", { class: "colname" }, c.name),
    el("code", {}, c.type),
    el("span", { class: `role role-${c.role}`, title: c.reason }, c.role),
    c.missing > 0 ? `${count(c.missing)} (${((c.missing / Math.max(1, d.nRows)) * 100).toFixed(1)}%)` : "0",
    count(c.distinct),
    c.used ? el("span", { class: "used" }, "✓ feature") : "",
  ]);
  const notes: Child[] = [];
  if (d.target) notes.push(el("p", { class: "note" }, `Target-like column left out of the features: ${d.target}.`));
  if (d.hopkins) {
    notes.push(
      el(
        "p",
        { class: "note" },
        `Hopkins statistic of the numeric features: ${d.hopkins.value.toFixed(3)} (${d.hopkins.interpretation}; 0.5 is random, near 1 is clustered).`,
      ),
    );
  }
  return section(
    "data",
    "Data",
    facts,
    table(["Column", "Type", "Role", "Missing", "Distinct", "Used"], rows, "columns-table"),
    ...notes,
  );
}

function parametersSection(p: ReportPayload): HTMLElement {
  const rows = reportParameters(p);
  return section(
    "parameters",
    "Preprocessing and model",
    el(
      "dl",
      { class: "params", "data-testid": "parameters" },
      ...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]),
    ),
  );
}

function metricsSection(p: ReportPayload): HTMLElement {
  return section(
    "metrics",
    "Metrics",
    el(
      "div",
      { class: "metrics" },
      ...reportMetrics(p).map((m) =>
        el(
          "div",
          { class: "metric", "data-testid": `metric-${m.id}` },
          el("div", { class: "metric-label" }, m.label),
          el("div", { class: "metric-value" }, m.value),
          el("div", { class: "metric-hint" }, m.hint),
        ),
      ),
    ),
  );
}

function sweepTable(p: ReportPayload): HTMLElement | null {
  const s = p.sweep;
  if (!s) return null;
  const rows = s.ks.map((k, i) => {
    const mark = [
      k === s.suggestion.k ? "suggested" : "",
      k === s.elbow ? "elbow" : "",
      k === p.cluster.k ? "this run" : "",
    ]
      .filter(Boolean)
      .join(", ");
    return [
      String(k),
      formatMetric(s.inertia[i]),
      formatMetric(s.silhouette[i]),
      formatMetric(s.calinskiHarabasz[i]),
      formatMetric(s.daviesBouldin[i]),
      mark,
    ];
  });
  return el(
    "details",
    { class: "sweep-table" },
    el("summary", {}, "Scores for each k (k-means)"),
    table(["k", "Inertia", "Silhouette", "Calinski-Harabasz", "Davies-Bouldin", ""], rows, "sweep-table"),
  );
}

function clusterLegend(p: ReportPayload): HTMLElement {
  const total = p.cluster.sizes.reduce((a, b) => a + b, 0) || 1;
  return el(
    "div",
    { class: "legend" },
    ...p.cluster.sizes.map((size, c) =>
      el(
        "span",
        { class: "legend-item" },
        el("span", { class: "swatch", style: `background:${clusterColor(c)}` }),
        `${clusterName(c)}: ${count(size)} (${Math.round((size / total) * 100)}%)`,
      ),
    ),
  );
}

/** Renders the page into `root`; resolves when every chart is drawn (`root.dataset.ready = "true"`). */
export async function renderReport(root: HTMLElement, p: ReportPayload): Promise<void> {
  root.replaceChildren();
  const created = new Date(p.createdAt);
  const header = el(
    "header",
    { class: "header" },
    el(
      "div",
      {},
      el("div", { class: "brand" }, "Clusterlab report"),
      el("h1", { "data-testid": "title" }, p.title),
      el(
        "p",
        { class: "subtitle" },
        `${ALGORITHM_LABELS[p.spec.algorithm] ?? p.spec.algorithm}, k = ${p.cluster.k}, on ${count(p.cluster.nRows)} rows × ${p.spec.columns.length} features · written ${Number.isNaN(created.getTime()) ? p.createdAt : `${created.toISOString().slice(0, 16).replace("T", " ")} UTC`} by Clusterlab ${p.clusterlabVersion}`,
      ),
    ),
  );
  const charts = reportCharts(p);
  const cards = charts.map((chart) => {
    const plot = el("div", { class: "plot", "data-testid": chart.id, style: `height:${chart.height}px` });
    const card = el(
      "figure",
      { class: `card${chart.wide ? " wide" : ""}`, "data-testid": `card-${chart.id}` },
      el("h3", {}, chart.title),
      el("figcaption", {}, chart.caption),
      chart.id === "sizes" ? clusterLegend(p) : null,
      plot,
      chart.id === "sweep" ? sweepTable(p) : null,
    );
    return { chart, plot, card };
  });
  const warnings =
    p.warnings.length > 0
      ? section("warnings", "Warnings", el("ul", { class: "warnings" }, ...p.warnings.map((w) => el("li", {}, w))))
      : null;
  const spec = section(
    "spec",
    "Specification",
    el("p", { class: "note" }, "To write this report again:"),
    el("pre", { class: "command", "data-testid": "command" }, reproduceCommand(p)),
    el(
      "details",
      {},
      el("summary", {}, "Parameters as JSON"),
      el("pre", { class: "json", "data-testid": "spec-json" }, JSON.stringify(p.spec, null, 2)),
    ),
  );
  root.append(
    header,
    el(
      "main",
      { class: "content" },
      el("div", { class: "two" }, dataSection(p), parametersSection(p)),
      metricsSection(p),
      section("charts", "Results", el("div", { class: "grid" }, ...cards.map((c) => c.card))),
      warnings,
      spec,
    ),
    el(
      "footer",
      { class: "footer" },
      "Standalone report: the charts are interactive (hover, zoom, download as PNG) and need no network.",
    ),
  );
  await Promise.all(
    cards.map(async ({ chart, plot }) => {
      await Plotly.newPlot(plot, chart.figure.data, { ...chart.figure.layout, height: chart.height }, CONFIG);
      plot.dataset.rendered = "1";
    }),
  );
  root.dataset.ready = "true";
}
