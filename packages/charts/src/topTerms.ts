import { clusterColor, clusterName, withAlpha } from "./colors.js";
import { axis, baseLayout, type Figure } from "./theme.js";
import type { TextClusterResult, TextClusterSummary } from "./workflowTypes.js";

/** One cluster's top terms as horizontal bars (largest weight on top) in the cluster's colour. */
export function topTermsFigure(cluster: TextClusterSummary, max = 10): Figure {
  const terms = cluster.topTerms.slice(0, max);
  const color = clusterColor(cluster.cluster);
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: terms.map((t) => t.term),
        x: terms.map((t) => t.weight),
        marker: { color: withAlpha(color, 0.85) },
        hovertemplate: "<b>%{y}</b><br>mean TF-IDF weight %{x:.4f}<extra></extra>",
      },
    ],
    layout: baseLayout({
      margin: { l: 96, r: 12, t: 4, b: 30 },
      xaxis: axis("", { rangemode: "tozero", tickformat: ".2f", nticks: 4 }),
      yaxis: axis("", { autorange: "reversed", type: "category", tickfont: { size: 11 } }),
      bargap: 0.2,
    }),
  };
}

/** Up to 12 marker symbols telling known classes apart on the map. */
const CLASS_SYMBOLS = [
  "circle",
  "diamond",
  "square",
  "triangle-up",
  "x",
  "cross",
  "star",
  "triangle-down",
  "pentagon",
  "hexagon",
  "hourglass",
  "bowtie",
] as const;

/**
 * The documents' 2-D map (PCA of the LSA embedding): one trace per cluster in its colour (noise
 * grey), hover showing the first words of the document and its known class; with `bySymbol`, the
 * known class is also drawn as the marker's shape.
 */
export function textMapFigure(map: TextClusterResult["map"], options: { bySymbol?: boolean } = {}): Figure {
  const clusters = [...new Set(map.cluster)].sort((a, b) => a - b);
  const classes = map.label ? [...new Set(map.label.map((l) => l ?? "(none)"))].sort() : [];
  const symbolOf = (i: number) =>
    map.label && options.bySymbol
      ? CLASS_SYMBOLS[classes.indexOf(map.label[i] ?? "(none)") % CLASS_SYMBOLS.length]
      : "circle";
  const data: Figure["data"] = clusters.map((c) => {
    const idx: number[] = [];
    for (let i = 0; i < map.cluster.length; i++) if (map.cluster[i] === c) idx.push(i);
    return {
      type: "scattergl",
      mode: "markers",
      name: clusterName(c),
      x: idx.map((i) => map.x[i]),
      y: idx.map((i) => map.y[i]),
      customdata: idx.map((i) => [map.row[i], map.preview[i], map.label ? (map.label[i] ?? "") : ""]),
      marker: {
        color: clusterColor(c),
        size: 6,
        opacity: c < 0 ? 0.45 : 0.8,
        symbol: idx.map(symbolOf),
        line: { width: 0 },
      },
      hovertemplate: `<b>${clusterName(c)}</b> · row %{customdata[0]}${map.label ? "<br>class: %{customdata[2]}" : ""}<br>%{customdata[1]}<extra></extra>`,
    };
  });
  const [v1, v2] = map.explainedVarianceRatio;
  return {
    data,
    layout: baseLayout({
      showlegend: true,
      legend: { orientation: "h", y: -0.14, x: 0, font: { size: 11 } },
      margin: { l: 48, r: 12, t: 8, b: 64 },
      xaxis: axis(`PC 1 (${(v1 * 100).toFixed(1)}% of the LSA variance)`, { zeroline: false }),
      yaxis: axis(`PC 2 (${(v2 * 100).toFixed(1)}%)`, { zeroline: false }),
      hovermode: "closest",
    }),
  };
}
