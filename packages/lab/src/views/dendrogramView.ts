import type { DendrogramResult } from "@clusterlab/charts";
import { dendrogramLayout, type LinkageMatrix } from "@clusterlab/core";

/** Leaves kept in the dendrogram (scipy's truncate_mode="lastp"). */
export const DENDROGRAM_LEAVES = 30;
/** Merge heights sent with a dendrogram (to show the k of a cut while it is dragged). */
export const DENDROGRAM_TOP_HEIGHTS = 60;

/** The node id of one observation under `node` in a scipy linkage matrix. */
function anyLeaf(Z: LinkageMatrix, n: number, node: number): number {
  while (node >= n) node = Z.data[(node - n) * 4];
  return node;
}

/**
 * The dendrogram of a linkage matrix cut into k clusters (or at the height `threshold`), truncated
 * to its last `leaves` merges (scipy's truncate_mode="lastp") and coloured by the clusters of `labels`.
 */
export function dendrogramView(
  Z: LinkageMatrix,
  labels: Int32Array,
  k: number,
  threshold: number | null,
  leaves: number = DENDROGRAM_LEAVES,
): DendrogramResult {
  const n = Z.rows + 1;
  const heights = Array.from({ length: Z.rows }, (_, r) => Z.data[r * 4 + 2]);
  const sorted = [...heights].sort((a, b) => a - b);
  // Cut into k: between the (n-k)-th and (n-k+1)-th lowest merge.
  let cutHeight: number;
  if (threshold !== null) cutHeight = threshold;
  else {
    const below = n - k - 1 >= 0 ? sorted[n - k - 1] : 0;
    const above = sorted[Math.min(n - k, sorted.length - 1)];
    cutHeight = (below + above) / 2;
  }
  const palette = Array.from({ length: Math.max(k, 1) + 1 }, (_, i) => `c${i}`);
  const layout = dendrogramLayout(Z, {
    truncateMode: "lastp",
    p: leaves,
    colorThreshold: cutHeight,
    palette,
    aboveThresholdColor: "above",
    countSort: false,
    distanceSort: false,
    labels: Array.from({ length: n }, (_, i) => String(i)),
  });
  const leafClusters = layout.leaves.map((node) => labels[anyLeaf(Z, n, node)]);
  const colourToCluster = new Map<string, number>();
  layout.leavesColorList.forEach((colour, i) => {
    if (colour !== null && colour !== "above") colourToCluster.set(colour, leafClusters[i]);
  });
  const linkClusters = layout.colorList.map((colour) => colourToCluster.get(colour) ?? -1);
  return {
    icoord: layout.icoord,
    dcoord: layout.dcoord,
    ivl: layout.ivl,
    leafClusters,
    linkClusters,
    cutHeight,
    cutBy: threshold !== null ? "height" : "k",
    topHeights: sorted.slice(-DENDROGRAM_TOP_HEIGHTS).reverse(),
  };
}
