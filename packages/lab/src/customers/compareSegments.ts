import { adjustedRandScore, contingencyMatrix } from "@clusterlab/core";
import { RFM_SEGMENTS, type RfmSegment } from "./rfmSegment.js";

/** Rule-based segments against clusters (see `compareSegments`). */
export interface SegmentClusterComparison {
  /** Adjusted Rand index between the segments and the clusters (1 = the same partition, ~0 = unrelated). */
  ari: number;
  /** The segments that occur, in `RFM_SEGMENTS` order: the rows of `counts`. */
  segments: RfmSegment[];
  /** The clusters that occur, ascending: the columns of `counts`. */
  clusters: number[];
  /** `counts[r][c]`: customers in segment `segments[r]` and cluster `clusters[c]`. */
  counts: number[][];
}

/**
 * Compares the rule-based RFM segments with clusters: the contingency table (segments x clusters,
 * core's `contingencyMatrix`) and the adjusted Rand index (`adjustedRandScore`).
 */
export function compareSegments(
  segments: readonly RfmSegment[],
  clusters: ArrayLike<number>,
): SegmentClusterComparison {
  const codes = Int32Array.from(segments, (s) => {
    const c = RFM_SEGMENTS.indexOf(s);
    if (c < 0) throw new Error(`unknown RFM segment: ${JSON.stringify(s)}`);
    return c;
  });
  const table = contingencyMatrix(codes, clusters);
  const nCols = table.clusters.length;
  const counts = Array.from(table.classes, (_, r) => Array.from(table.counts.subarray(r * nCols, (r + 1) * nCols)));
  return {
    ari: adjustedRandScore(codes, clusters),
    segments: Array.from(table.classes, (c) => RFM_SEGMENTS[c]),
    clusters: Array.from(table.clusters),
    counts,
  };
}
