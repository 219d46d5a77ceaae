/**
 * Cluster colours, the same in every chart: cluster c is `clusterColor(c)`. Tableau's 10 colours
 * plus two, distinguishable for k up to 12 (the slider's maximum); beyond, they repeat.
 */
export const CLUSTER_COLORS = [
  "#4e79a7",
  "#f28e2b",
  "#59a14f",
  "#e15759",
  "#b07aa1",
  "#76b7b2",
  "#edc948",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
  "#1f3b73",
  "#8cd17d",
] as const;

/** Colour of links above the dendrogram cut, of noise and of other neutral marks. */
export const NEUTRAL_COLOR = "#9ca3af";

/** Colour of what is dimmed while another cluster is highlighted. */
export const DIM_COLOR = "#e5e7eb";

/** Above this many clusters the charts stop drawing one legend entry / band / bar per cluster. */
export const MAX_CLUSTERS_DRAWN = 30;

export function clusterColor(cluster: number): string {
  if (cluster < 0) return NEUTRAL_COLOR;
  return CLUSTER_COLORS[cluster % CLUSTER_COLORS.length];
}

/** "Cluster 2": the name used in every chart and in the labelled CSV's `cluster` column (0-based); -1 is "Noise". */
export function clusterName(cluster: number): string {
  return cluster < 0 ? "Noise" : `Cluster ${cluster}`;
}

/** `#rrggbb` with an alpha, as `rgba(...)`. */
export function withAlpha(hex: string, alpha: number): string {
  const v = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
}

/** Whether cluster c is drawn at full strength: nothing is highlighted, or c is. */
export function isLit(cluster: number, highlight: number | null | undefined): boolean {
  return highlight === null || highlight === undefined || highlight === cluster;
}

/** The clusters to draw individually when there are many: the largest `max`, in cluster order. */
export function largestClusters(sizes: readonly number[], max = MAX_CLUSTERS_DRAWN): number[] {
  if (sizes.length <= max) return sizes.map((_, c) => c);
  return sizes
    .map((s, c) => [s, c] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, max)
    .map(([, c]) => c)
    .sort((a, b) => a - b);
}
