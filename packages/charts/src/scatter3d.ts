/**
 * The scatter on another projection than the 2-D PCA of the cluster answer: t-SNE, UMAP (2-D or
 * 3-D) or PCA in 3-D (`POST /api/projection`). `embeddedProjection` puts the projection's
 * coordinates in the place of the PCA ones (a `ProjectionResult` the 2-D `scatterFigure` draws, so
 * highlight, lasso and anomalies work the same); `scatter3dFigure` draws three components with
 * Plotly's WebGL `scatter3d`.
 */
import type { Data, Datum } from "plotly.js-dist-min";
import { clusterColor, clusterName, isLit, MAX_CLUSTERS_DRAWN, NEUTRAL_COLOR } from "./colors.js";
import { formatValue } from "./format.js";
import type { ProjectionMethod, ProjectionResult } from "./results.js";
import { ANOMALY_COLOR } from "./scatter.js";
import { baseLayout, type Figure, GRID_COLOR } from "./theme.js";

/** What the page has of a `POST /api/projection` answer. */
export interface ProjectionCoords {
  method: ProjectionMethod;
  /** Positions (into the cluster answer's projection arrays) placed. */
  points: number[];
  /** One array per component, aligned with `points`. */
  coords: number[][];
  axisTitles: string[];
}

/** A projection of the displayed points: a `ProjectionResult` (x, y: the first two components) plus z. */
export interface EmbeddedProjection extends ProjectionResult {
  /** Third component, or null in 2-D. */
  z: number[] | null;
  /** Position in the cluster answer's projection arrays of each point here. */
  positions: number[];
  axisTitles: string[];
  /** Cluster centres: the mean position of each cluster's points here (null for a cluster with none). */
  centroidsZ: (number | null)[] | null;
}

export const PROJECTION_LABELS: Record<ProjectionMethod, string> = {
  pca: "PCA",
  tsne: "t-SNE",
  umap: "UMAP",
};

/**
 * The displayed points placed by `c` (their labels, rows, values and strengths taken from `p`), the
 * cluster centres as the mean position of each cluster's points (for PCA the projected cluster
 * mean itself; for t-SNE and UMAP, which do not map a mean to a point, the centre of the cloud).
 */
export function embeddedProjection(p: ProjectionResult, c: ProjectionCoords, k: number): EmbeddedProjection {
  const pts = c.points;
  const x = c.coords[0] ?? [];
  const y = c.coords[1] ?? pts.map(() => 0);
  const z = c.coords.length >= 3 ? c.coords[2] : null;
  const label = pts.map((i) => p.label[i]);
  const sums = Array.from({ length: k }, () => [0, 0, 0, 0]);
  label.forEach((l, i) => {
    if (l < 0 || l >= k) return;
    const s = sums[l];
    s[0] += x[i];
    s[1] += y[i];
    s[2] += z ? z[i] : 0;
    s[3] += 1;
  });
  const centre = (axis: number) => sums.map((s) => (s[3] > 0 ? s[axis] / s[3] : null));
  return {
    ...p,
    x,
    y,
    z,
    label,
    probability: p.probability ? pts.map((i) => p.probability![i]) : null,
    row: pts.map((i) => p.row[i]),
    values: pts.map((i) => p.values[i]),
    sampled: p.sampled || pts.length < p.x.length,
    centroids: { x: centre(0), y: centre(1) },
    centroidsZ: z ? centre(2) : null,
    positions: pts,
    axisTitles: c.axisTitles,
  };
}

/** The indices (into `e`'s arrays) of the given positions of the cluster answer's points that `e` has. */
export function localIndices(e: EmbeddedProjection, positions: readonly number[]): number[] {
  const at = new Map<number, number>();
  for (let i = 0; i < e.positions.length; i++) at.set(e.positions[i], i);
  const out: number[] = [];
  for (const p of positions) {
    const i = at.get(p);
    if (i !== undefined) out.push(i);
  }
  return out;
}

export interface Scatter3dOptions {
  highlight?: number | null;
  /** Points (indices into `e`'s arrays) ringed as anomalies. */
  anomalies?: readonly number[] | null;
  /** Keeps the camera across redraws while it stays the same. */
  uirevision?: string;
}

/** The 3-D scatter figure plus, for each trace, the cluster it draws (null: none or several) and its points. */
export interface Scatter3dFigure extends Figure {
  traceCluster: (number | null)[];
  pointIndex: number[][];
}

/**
 * Three components as a WebGL `scatter3d`: one trace per cluster in its colour (all clusters in one
 * trace above 30), noise grey, the cluster centres as diamonds outlined in black, anomalies as red rings, and a
 * hover with the row number and its feature values. A highlighted cluster stays opaque, the others
 * fade (scatter3d has one opacity per trace).
 */
export function scatter3dFigure(
  e: EmbeddedProjection,
  k: number,
  columns: string[],
  options: Scatter3dOptions = {},
): Scatter3dFigure {
  const highlight = options.highlight ?? null;
  const z = e.z ?? e.x.map(() => 0);
  const n = e.x.length;
  const size = n > 5000 ? 2 : n > 1000 ? 3 : 4;
  const byCluster: number[][] = Array.from({ length: k }, () => []);
  const noise: number[] = [];
  e.label.forEach((c, i) => {
    if (c >= 0 && c < k) byCluster[c].push(i);
    else if (c < 0) noise.push(i);
  });
  const hoverLines = columns.map((name, j) => `${name}: %{customdata[${j + 1}]}`).join("<br>");
  const customdata = (idx: number[]) =>
    idx.map((i) => [e.row[i], ...e.values[i].map((v) => formatValue(v))]) as unknown as Datum[];
  const coords = (idx: number[]) => ({ x: idx.map((i) => e.x[i]), y: idx.map((i) => e.y[i]), z: idx.map((i) => z[i]) });
  const data: Data[] = [];
  const traceCluster: (number | null)[] = [];
  const pointIndex: number[][] = [];
  if (noise.length > 0) {
    data.push({
      type: "scatter3d",
      mode: "markers",
      name: `Noise (${noise.length.toLocaleString("en-US")})`,
      ...coords(noise),
      customdata: customdata(noise),
      marker: { color: NEUTRAL_COLOR, size, opacity: isLit(-1, highlight) ? 0.5 : 0.06 },
      hovertemplate: `<b>Noise</b> · row %{customdata[0]}<br>${hoverLines}<extra></extra>`,
    } as Data);
    traceCluster.push(-1);
    pointIndex.push(noise);
  }
  if (k <= MAX_CLUSTERS_DRAWN) {
    byCluster.forEach((idx, c) => {
      data.push({
        type: "scatter3d",
        mode: "markers",
        name: `${clusterName(c)} (${idx.length.toLocaleString("en-US")})`,
        ...coords(idx),
        customdata: customdata(idx),
        marker: {
          color: clusterColor(c),
          size: size + (highlight === c ? 1 : 0),
          opacity: isLit(c, highlight) ? 0.85 : 0.06,
        },
        hovertemplate: `<b>${clusterName(c)}</b> · row %{customdata[0]}<br>${hoverLines}<extra></extra>`,
      } as Data);
      traceCluster.push(c);
      pointIndex.push(idx);
    });
  } else {
    const idx = byCluster.flat();
    data.push({
      type: "scatter3d",
      mode: "markers",
      name: `${k} clusters`,
      ...coords(idx),
      customdata: customdata(idx),
      text: idx.map((i) => clusterName(e.label[i])),
      marker: { color: idx.map((i) => clusterColor(e.label[i])), size, opacity: 0.85 },
      hovertemplate: `<b>%{text}</b> · row %{customdata[0]}<br>${hoverLines}<extra></extra>`,
    } as Data);
    traceCluster.push(null);
    pointIndex.push(idx);
  }
  const anomalies = options.anomalies ?? [];
  if (anomalies.length > 0) {
    const idx = [...anomalies];
    data.push({
      type: "scatter3d",
      mode: "markers",
      name: `Anomalies (${idx.length.toLocaleString("en-US")})`,
      ...coords(idx),
      customdata: customdata(idx),
      text: idx.map((i) => clusterName(e.label[i])),
      marker: { symbol: "circle-open", color: ANOMALY_COLOR, size: size + 5, line: { color: ANOMALY_COLOR, width: 2 } },
      hovertemplate: `<b>Anomaly</b> · %{text} · row %{customdata[0]}<br>${hoverLines}<extra></extra>`,
    } as Data);
    traceCluster.push(null);
    pointIndex.push(idx);
  }
  const shown = k <= MAX_CLUSTERS_DRAWN ? e.centroids.x.map((v, c) => (v === null ? -1 : c)).filter((c) => c >= 0) : [];
  const cz = e.centroidsZ ?? [];
  data.push({
    type: "scatter3d",
    mode: "markers",
    name: "Centres",
    x: shown.map((c) => e.centroids.x[c]),
    y: shown.map((c) => e.centroids.y[c]),
    z: shown.map((c) => cz[c] ?? 0),
    text: shown.map((c) => clusterName(c)),
    marker: {
      symbol: "diamond",
      size: 8,
      color: shown.map((c) => (isLit(c, highlight) ? clusterColor(c) : "#e5e7eb")),
      line: { width: 2, color: "#111827" },
    },
    hovertemplate: "<b>%{text}</b> centre<extra></extra>",
    showlegend: false,
  } as Data);
  traceCluster.push(null);
  pointIndex.push([]);
  const axis3 = (title: string) => ({
    title: { text: title, font: { size: 12, color: "#4b5563" } },
    gridcolor: GRID_COLOR,
    zerolinecolor: "#d1d5db",
    backgroundcolor: "#fafbfc",
    showbackground: true,
    tickfont: { size: 10 },
  });
  return {
    data,
    traceCluster,
    pointIndex,
    layout: baseLayout({
      showlegend: true,
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 12 } },
      margin: { l: 0, r: 0, t: 36, b: 0 },
      scene: {
        xaxis: axis3(e.axisTitles[0] ?? "1"),
        yaxis: axis3(e.axisTitles[1] ?? "2"),
        zaxis: axis3(e.axisTitles[2] ?? "3"),
        aspectmode: "cube",
        camera: { eye: { x: 1.5, y: 1.5, z: 1.1 } },
      } as never,
      hovermode: "closest",
      uirevision: options.uirevision,
    }),
  };
}
