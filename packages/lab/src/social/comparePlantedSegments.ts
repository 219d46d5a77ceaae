import { adjustedRandScore, contingencyMatrix } from "@clusterlab/core";

/** Known (planted) account segments against account clusters (see `comparePlantedSegments`). */
export interface PlantedSegmentComparison {
  /** Adjusted Rand index between the segments and the clusters (1 = the same partition, ~0 = unrelated). */
  ari: number;
  /** The segments, sorted: the rows of `counts`. */
  segments: string[];
  /** The clusters that occur, ascending: the columns of `counts`. */
  clusters: number[];
  /** `counts[r][c]`: accounts in segment `segments[r]` and cluster `clusters[c]`. */
  counts: number[][];
}

/**
 * Compares known account segments (e.g. the `account_segment` column planted by
 * `generateSocialPosts`; used for evaluation only, never as a feature) with account clusters:
 * the contingency table and the adjusted Rand index (core `contingencyMatrix`, `adjustedRandScore`).
 */
export function comparePlantedSegments(
  segments: readonly string[],
  clusters: ArrayLike<number>,
): PlantedSegmentComparison {
  const names = [...new Set(segments)].sort();
  const codes = Int32Array.from(segments, (s) => names.indexOf(s));
  const table = contingencyMatrix(codes, clusters);
  const nCols = table.clusters.length;
  return {
    ari: adjustedRandScore(codes, clusters),
    segments: Array.from(table.classes, (c) => names[c]),
    clusters: Array.from(table.clusters),
    counts: Array.from(table.classes, (_, r) => Array.from(table.counts.subarray(r * nCols, (r + 1) * nCols))),
  };
}
