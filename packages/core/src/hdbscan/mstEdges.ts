/**
 * A minimum spanning tree of the mutual reachability graph as `n - 1` edges in the order an algorithm
 * found them: edge e joins rows `from[e]` and `to[e]` with weight `weight[e]`.
 */
export interface MSTEdges {
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

/** Allocates room for the `n - 1` edges of a spanning tree on `n` rows. */
export function allocateMSTEdges(n: number): MSTEdges {
  const m = Math.max(0, n - 1);
  return { from: new Int32Array(m), to: new Int32Array(m), weight: new Float64Array(m) };
}
