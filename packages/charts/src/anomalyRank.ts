import { axis, baseLayout, type Figure } from "./theme.js";
import type { AnomalyResult } from "./workflowTypes.js";

/** Colour of flagged rows. */
export const FLAGGED_COLOR = "#dc2626";
/** Colour of the rows not flagged. */
export const NORMAL_COLOR = "#4e79a7";

/**
 * The rows on the first two principal components of the standardised features: colour = anomaly
 * score (light to dark), flagged rows drawn larger with a red ring, and known outliers (label column)
 * as diamonds. Traces: rows not flagged, flagged rows (so the legend reads "flagged").
 */
export function anomalyScatterFigure(map: AnomalyResult["map"]): Figure {
  const idx = (flagged: boolean) => map.flagged.flatMap((f, i) => (f === flagged ? [i] : []));
  const symbol = (i: number) => (map.known?.[i] ? "diamond" : "circle");
  const scores = map.score;
  const cmin = Math.min(...scores);
  const cmax = Math.max(...scores);
  const trace = (rows: number[], flagged: boolean): Figure["data"][number] => ({
    type: "scatter",
    mode: "markers",
    name: flagged ? "flagged" : "not flagged",
    x: rows.map((i) => map.x[i]),
    y: rows.map((i) => map.y[i]),
    customdata: rows.map((i) => [map.row[i], scores[i], map.known ? (map.known[i] ? "yes" : "no") : "n/a"]),
    marker: {
      color: rows.map((i) => scores[i]),
      cmin,
      cmax,
      colorscale: [
        [0, "#dbeafe"],
        [0.5, "#6366f1"],
        [1, "#312e81"],
      ],
      showscale: !flagged,
      colorbar: { title: { text: "score", font: { size: 11 } }, thickness: 10 },
      size: flagged ? 13 : 8,
      symbol: rows.map(symbol),
      line: flagged ? { color: FLAGGED_COLOR, width: 2.5 } : { color: "#ffffff", width: 0.5 },
      opacity: 0.9,
    },
    hovertemplate: `<b>row %{customdata[0]}</b>${flagged ? " (flagged)" : ""}<br>score %{customdata[1]:.3f}<br>known outlier: %{customdata[2]}<extra></extra>`,
  });
  const [v1, v2] = map.explainedVarianceRatio;
  return {
    data: [trace(idx(false), false), trace(idx(true), true)],
    layout: baseLayout({
      margin: { l: 52, r: 12, t: 8, b: 48 },
      xaxis: axis(`PC 1 (${(v1 * 100).toFixed(1)}%)`, { zeroline: false }),
      yaxis: axis(`PC 2 (${(v2 * 100).toFixed(1)}%)`, { zeroline: false }),
      hovermode: "closest",
    }),
  };
}

/**
 * Every row's score, highest first (x = rank): flagged rows red, the others blue; known outliers
 * (label column) marked with a dark diamond; the dashed line is the flagging threshold.
 */
export function anomalyRankFigure(map: AnomalyResult["map"], threshold: number | null): Figure {
  const order = map.score.map((_, i) => i).sort((a, b) => map.score[b] - map.score[a] || a - b);
  const ranks = order.map((_, r) => r + 1);
  const data: Figure["data"] = [
    {
      type: "bar",
      name: "score",
      showlegend: false,
      x: ranks,
      y: order.map((i) => map.score[i]),
      customdata: order.map((i) => map.row[i]),
      marker: { color: order.map((i) => (map.flagged[i] ? FLAGGED_COLOR : NORMAL_COLOR)) },
      hovertemplate: "rank %{x} · row %{customdata}<br>score %{y:.3f}<extra></extra>",
    },
  ];
  if (map.known) {
    const known = order.flatMap((i, r) => (map.known![i] ? [r] : []));
    data.push({
      type: "scatter",
      mode: "markers",
      name: "known outlier",
      x: known.map((r) => r + 1),
      y: known.map((r) => map.score[order[r]]),
      marker: { symbol: "diamond", size: 9, color: "#111827", line: { color: "#ffffff", width: 1 } },
      hovertemplate: "known outlier · rank %{x}<extra></extra>",
    });
  }
  return {
    data,
    layout: baseLayout({
      showlegend: map.known !== null,
      legend: { orientation: "h", y: 1.02, yanchor: "bottom", x: 1, xanchor: "right", font: { size: 11 } },
      margin: { l: 52, r: 12, t: 24, b: 44 },
      xaxis: axis("Rank (highest score first)", { zeroline: false }),
      yaxis: axis("Anomaly score", { rangemode: "tozero" }),
      bargap: 0.05,
      shapes:
        threshold === null
          ? []
          : [
              {
                type: "line",
                xref: "paper",
                x0: 0,
                x1: 1,
                y0: threshold,
                y1: threshold,
                line: { color: FLAGGED_COLOR, dash: "dash", width: 1 },
              },
            ],
    }),
  };
}
