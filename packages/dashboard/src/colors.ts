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

/** Colour of links above the dendrogram cut and of other neutral marks. */
export const NEUTRAL_COLOR = "#9ca3af";

export function clusterColor(cluster: number): string {
  if (cluster < 0) return NEUTRAL_COLOR;
  return CLUSTER_COLORS[cluster % CLUSTER_COLORS.length];
}

/** "Cluster 2": the name used in every chart and in the labelled CSV's `cluster` column (0-based). */
export function clusterName(cluster: number): string {
  return `Cluster ${cluster}`;
}
