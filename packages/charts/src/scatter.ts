import type { Data, Datum } from "plotly.js-dist-min";
import { clusterColor, clusterName, isLit, MAX_CLUSTERS_DRAWN, NEUTRAL_COLOR } from "./colors.js";
import { formatValue } from "./format.js";
import type { ProjectionResult } from "./results.js";
import { axis, baseLayout, type Figure } from "./theme.js";

/** Above this many points the scatter is drawn with WebGL (scattergl) rather than SVG. */
export const WEBGL_THRESHOLD = 5000;

/** Colour of the rings around anomalies. */
export const ANOMALY_COLOR = "#b91c1c";

export interface ScatterOptions {
  /** The cluster drawn at full strength (the others dimmed), or null. */
  highlight?: number | null;
  /** Start in lasso-selection mode (the dashboard) rather than zoom (the report). */
  lasso?: boolean;
  /** Keeps zoom and selection across redraws while it stays the same (Plotly's uirevision). */
  uirevision?: string;
  /** Changing it clears the lasso selection (Plotly's selectionrevision). */
  selectionRevision?: number;
  /** Axis titles (default: the principal components with their share of the variance). */
  axisTitles?: [string, string];
  /** Points (indices into the projection arrays) ringed as anomalies, or null. */
  anomalies?: readonly number[] | null;
}

/** The scatter figure plus, for each trace, the cluster it draws (null: none or several) and its points' indices. */
export interface ScatterFigure extends Figure {
  traceCluster: (number | null)[];
  /** Index into the projection arrays of each point of each trace (empty for the centroid traces). */
  pointIndex: number[][];
}

/** Each displayed row's number and formatted values, computed once per geometry (labels change more often). */
const formatted = new WeakMap<object, (string | number)[][]>();

function formattedRows(p: ProjectionResult): (string | number)[][] {
  let rows = formatted.get(p.values);
  if (!rows || rows.length !== p.values.length) {
    rows = p.values.map((values, i) => [p.row[i], ...values.map((v) => formatValue(v))]);
    formatted.set(p.values, rows);
  }
  return rows;
}

/**
 * The PCA scatter: one trace per cluster (its colour), noise in grey, the cluster means as large
 * outlined crosses, and a hover listing the row number and its feature values. Membership
 * strengths (HDBSCAN, mixtures) set each point's opacity. Above 30 clusters, the clusters share
 * one trace (coloured per point).
 */
export function scatterFigure(
  p: ProjectionResult,
  k: number,
  columns: string[],
  options: ScatterOptions = {},
): ScatterFigure {
  const highlight = options.highlight ?? null;
  const n = p.x.length;
  const type = n > WEBGL_THRESHOLD ? "scattergl" : "scatter";
  const big = n > 2000;
  const probability = p.probability ?? null;
  const byCluster: number[][] = Array.from({ length: k }, () => []);
  const noise: number[] = [];
  p.label.forEach((c, i) => {
    if (c >= 0 && c < k) byCluster[c].push(i);
    else if (c < 0) noise.push(i);
  });
  // customdata: [file row, feature values..., membership strength]; the hover lists them.
  const hoverLines = [
    ...columns.map((name, j) => `${name}: %{customdata[${j + 1}]}`),
    ...(probability ? [`membership: %{customdata[${columns.length + 1}]}`] : []),
  ].join("<br>");
  const rows = formattedRows(p);
  const customdata = (indices: number[]) =>
    (probability
      ? indices.map((i) => [...rows[i], (probability[i] ?? 0).toFixed(2)])
      : indices.map((i) => rows[i])) as unknown as Datum[];
  const opacityOf = (indices: number[], lit: boolean, base: number) => {
    const factor = lit ? 1 : 0.1;
    if (!probability) return base * factor;
    return indices.map((i) => (0.15 + 0.85 * (probability[i] ?? 1)) * factor);
  };
  const data: Data[] = [];
  const traceCluster: (number | null)[] = [];
  const pointIndex: number[][] = [];
  if (noise.length > 0) {
    const lit = isLit(-1, highlight);
    data.push({
      type,
      mode: "markers",
      name: `Noise (${noise.length.toLocaleString("en-US")})`,
      x: noise.map((i) => p.x[i]),
      y: noise.map((i) => p.y[i]),
      customdata: customdata(noise),
      marker: { color: NEUTRAL_COLOR, size: big ? 4 : 6, opacity: lit ? 0.55 : 0.08, symbol: "circle" },
      hovertemplate: `<b>Noise</b> · row %{customdata[0]}<br>${hoverLines}<extra></extra>`,
    });
    traceCluster.push(-1);
    pointIndex.push(noise);
  }
  if (k <= MAX_CLUSTERS_DRAWN) {
    byCluster.forEach((indices, c) => {
      const lit = isLit(c, highlight);
      const focused = highlight === c;
      data.push({
        type,
        mode: "markers",
        name: `${clusterName(c)} (${indices.length.toLocaleString("en-US")})`,
        x: indices.map((i) => p.x[i]),
        y: indices.map((i) => p.y[i]),
        customdata: customdata(indices),
        marker: {
          color: clusterColor(c),
          size: (big ? 5 : 8) + (focused ? 2 : 0),
          opacity: opacityOf(indices, lit, 0.85),
          line: { width: big ? 0 : 0.6, color: "#ffffff" },
        },
        hovertemplate: `<b>${clusterName(c)}</b> · row %{customdata[0]}<br>${hoverLines}<extra></extra>`,
      } as Data);
      traceCluster.push(c);
      pointIndex.push(indices);
    });
  } else {
    const indices = byCluster.flat();
    data.push({
      type,
      mode: "markers",
      name: `${k} clusters`,
      x: indices.map((i) => p.x[i]),
      y: indices.map((i) => p.y[i]),
      customdata: customdata(indices),
      text: indices.map((i) => clusterName(p.label[i])),
      marker: {
        color: indices.map((i) => clusterColor(p.label[i])),
        size: big ? 5 : 7,
        opacity: indices.map(
          (i) => (probability ? 0.15 + 0.85 * (probability[i] ?? 1) : 0.85) * (isLit(p.label[i], highlight) ? 1 : 0.1),
        ),
      },
      hovertemplate: `<b>%{text}</b> · row %{customdata[0]}<br>${hoverLines}<extra></extra>`,
    } as Data);
    traceCluster.push(null);
    pointIndex.push(indices);
  }
  const anomalies = options.anomalies ?? null;
  if (anomalies && anomalies.length > 0) {
    // Open rings drawn over the points: the rows flagged as anomalies.
    data.push({
      type,
      mode: "markers",
      name: `Anomalies (${anomalies.length.toLocaleString("en-US")})`,
      x: anomalies.map((i) => p.x[i]),
      y: anomalies.map((i) => p.y[i]),
      customdata: customdata([...anomalies]),
      text: anomalies.map((i) => clusterName(p.label[i])),
      marker: {
        symbol: "circle-open",
        size: big ? 11 : 14,
        color: ANOMALY_COLOR,
        line: { width: 2, color: ANOMALY_COLOR },
        opacity: anomalies.map((i) => (isLit(p.label[i], highlight) ? 1 : 0.15)),
      },
      hovertemplate: `<b>Anomaly</b> · %{text} · row %{customdata[0]}<br>${hoverLines}<extra></extra>`,
    } as Data);
    traceCluster.push(null);
    pointIndex.push([...anomalies]);
  }
  const present = p.centroids.x.map((x, c) => (x === null ? -1 : c)).filter((c) => c >= 0);
  const shown = k <= MAX_CLUSTERS_DRAWN ? present : [];
  // A dark outline under each centroid cross keeps it visible on top of its own cluster.
  data.push({
    type: "scatter",
    mode: "markers",
    x: shown.map((c) => p.centroids.x[c]),
    y: shown.map((c) => p.centroids.y[c]),
    marker: {
      symbol: "x-thin-open",
      size: 22,
      line: { width: 7, color: "#111827" },
      color: "#111827",
      opacity: shown.map((c) => (isLit(c, highlight) ? 1 : 0.1)),
    },
    hoverinfo: "skip",
    showlegend: false,
  } as Data);
  data.push({
    type: "scatter",
    mode: "markers",
    name: "Centroids",
    x: shown.map((c) => p.centroids.x[c]),
    y: shown.map((c) => p.centroids.y[c]),
    text: shown.map((c) => clusterName(c)),
    marker: {
      symbol: "x-thin-open",
      size: 20,
      color: shown.map((c) => clusterColor(c)),
      line: { width: 4, color: shown.map((c) => clusterColor(c)) },
      opacity: shown.map((c) => (isLit(c, highlight) ? 1 : 0.1)),
    },
    hovertemplate: "<b>%{text}</b> centroid<extra></extra>",
    showlegend: false,
  } as Data);
  traceCluster.push(null, null);
  pointIndex.push([], []);
  const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
  return {
    data,
    traceCluster,
    pointIndex,
    layout: baseLayout({
      xaxis: axis(options.axisTitles?.[0] ?? `PC1 (${pct(p.explainedVarianceRatio[0])} of variance)`),
      yaxis: axis(options.axisTitles?.[1] ?? `PC2 (${pct(p.explainedVarianceRatio[1])} of variance)`),
      showlegend: true,
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 12 } },
      margin: { l: 56, r: 16, t: 36, b: 48 },
      hovermode: "closest",
      dragmode: options.lasso ? "lasso" : "zoom",
      uirevision: options.uirevision,
      selectionrevision: options.selectionRevision,
    }),
  };
}
