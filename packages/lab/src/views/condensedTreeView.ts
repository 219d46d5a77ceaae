import type { CondensedClusterResult, CondensedTreeResult } from "@clusterlab/charts";
import type { CondensedTree } from "@clusterlab/core";

/** Most clusters drawn in the condensed tree (the largest). */
export const CONDENSED_MAX_CLUSTERS = 300;

/**
 * The condensed tree as icicles: each cluster is a polygon centred on its slot, as wide as the rows
 * still in it at each lambda (rows fall out as lambda grows), children placed under their parent.
 */
export function condensedTreeView(
  tree: CondensedTree,
  n: number,
  selected: Int32Array | null,
  selectedStability: Float64Array | null,
  cutRange: [number, number],
  suggestedCut: number,
  cut: number | null,
): CondensedTreeResult {
  const m = tree.parent.length;
  let maxId = n;
  let maxLambda = 0;
  for (let r = 0; r < m; r++) {
    maxId = Math.max(maxId, tree.parent[r], tree.child[r]);
    const l = tree.lambdaVal[r];
    if (Number.isFinite(l)) maxLambda = Math.max(maxLambda, l);
  }
  if (maxLambda <= 0) maxLambda = 1;
  const count = maxId - n + 1;
  const birth = new Float64Array(count);
  const death = new Float64Array(count);
  const size = new Float64Array(count);
  const parent = new Int32Array(count).fill(-1);
  const stability = new Float64Array(count);
  const events: { lambda: number; size: number }[][] = Array.from({ length: count }, () => []);
  const children: number[][] = Array.from({ length: count }, () => []);
  size[0] = n;
  const cap = (l: number) => (Number.isFinite(l) ? l : maxLambda);
  for (let r = 0; r < m; r++) {
    const p = tree.parent[r] - n;
    const c = tree.child[r];
    const l = cap(tree.lambdaVal[r]);
    const s = tree.childSize[r];
    if (c >= n) {
      const ci = c - n;
      birth[ci] = l;
      size[ci] = s;
      parent[ci] = p;
      children[p].push(ci);
    }
    events[p].push({ lambda: l, size: s });
    death[p] = Math.max(death[p], l);
  }
  for (let c = 0; c < count; c++) {
    for (const e of events[c]) stability[c] += (e.lambda - birth[c]) * e.size;
    if (death[c] <= birth[c]) death[c] = birth[c] + maxLambda * 0.005;
  }
  const labelOf = new Map<number, number>();
  if (selected) {
    selected.forEach((id, label) => {
      labelOf.set(id - n, label);
    });
  }
  // The largest clusters (a parent is never smaller than its child, and comes first on a tie).
  const order = Array.from({ length: count }, (_, i) => i).filter((i) => i === 0 || parent[i] >= 0);
  order.sort((a, b) => size[b] - size[a] || a - b);
  const drawn = new Set(order.slice(0, CONDENSED_MAX_CLUSTERS));
  // Slots: the root spans [0, n); the children of a cluster share its slot, centred, left to right.
  const x0 = new Float64Array(count);
  const queue = [0];
  for (let head = 0; head < queue.length; head++) {
    const c = queue[head];
    const kids = children[c].filter((k) => drawn.has(k));
    const total = kids.reduce((a, k) => a + size[k], 0);
    let start = x0[c] + (size[c] - total) / 2;
    for (const k of kids) {
      x0[k] = start;
      start += size[k];
      queue.push(k);
    }
  }
  const clusters: CondensedClusterResult[] = [];
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  for (const c of queue) {
    const evs = events[c].sort((a, b) => a.lambda - b.lambda);
    // Widths over at most 24 steps between birth and death: rows leave at each event.
    const steps = Math.min(24, Math.max(1, evs.length));
    const bounds: number[] = [birth[c]];
    for (let s = 1; s < steps; s++) bounds.push(evs[Math.floor((s * evs.length) / steps)].lambda);
    bounds.push(death[c]);
    const widths: number[] = [];
    let e = 0;
    let removed = 0;
    for (let s = 0; s < bounds.length - 1; s++) {
      // Rows that left strictly before this step's start (the split at death keeps its rows until the end).
      while (e < evs.length && evs[e].lambda < bounds[s] && evs[e].lambda < death[c]) removed += evs[e++].size;
      widths.push(Math.max(size[c] - removed, Math.min(size[c], 1)));
    }
    const centre = x0[c] + size[c] / 2;
    const left: [number, number][] = [];
    for (let s = 0; s < widths.length; s++) {
      left.push([centre - widths[s] / 2, bounds[s]]);
      left.push([centre - widths[s] / 2, bounds[s + 1]]);
    }
    const right = left.map(([x, y]) => [2 * centre - x, y] as [number, number]).reverse();
    const polygon = [...left, ...right, left[0]];
    clusters.push({
      id: c + n,
      parent: parent[c] >= 0 ? parent[c] + n : -1,
      birth: round(birth[c]),
      death: round(death[c]),
      size: size[c],
      stability: round(labelOf.has(c) && selectedStability ? selectedStability[labelOf.get(c)!] : stability[c]),
      label: labelOf.get(c) ?? -1,
      polygonX: polygon.map((p) => round(p[0])),
      polygonY: polygon.map((p) => round(p[1])),
      x: round(centre),
    });
  }
  return {
    clusters,
    maxLambda,
    width: n,
    truncated: drawn.size < order.length,
    cutRange,
    suggestedCut,
    cut,
  };
}
