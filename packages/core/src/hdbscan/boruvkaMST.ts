import type { BoruvkaTree } from "./boruvkaTree.js";
import { allocateMSTEdges, type MSTEdges } from "./mstEdges.js";

/**
 * Boruvka's algorithm on the mutual reachability graph, with a k-d tree to find each component's
 * lightest outgoing edge (the approach of McInnes & Healy, "Accelerated hierarchical density based
 * clustering", 2017, with single-tree rather than dual-tree queries). For Euclidean or Manhattan
 * distance in low dimension.
 *
 * `tree` is built on the data (`new BoruvkaTree(X, leafSize)`); `core` holds the core distances by row.
 * Each round labels every row with its component, marks the tree nodes lying inside one component, and
 * for every row q searches the tree for the lightest edge `max(core[q], core[p], dist(q, p) / alpha)` to
 * a row p of another component, skipping a node when it lies in q's component or when
 * `max(core[q], minCore(node), boxDistance(q, node) / alpha)` is not below the component's best edge so
 * far (and skipping q itself when `core[q]` is not). The lightest edge of every component is then added
 * (an edge closing a cycle, which only happens between equal weights, is dropped). The first round is
 * seeded with the k nearest neighbours that gave the core distances, which already hold most rows'
 * lightest edges. The rounds at least halve the number of components.
 *
 * Edge weights are computed exactly as in `primMST` (same doubles), and the result is a minimum spanning
 * tree. When several minimum spanning trees exist (equal weights) it may pick a different one from Prim's;
 * the single linkage tree then differs only in the order of merges at equal heights.
 */
export function boruvkaMST(
  tree: BoruvkaTree,
  core: Float64Array,
  metric: "euclidean" | "manhattan",
  alpha: number,
  seedNeighbors: Int32Array | null,
  seedK: number,
): MSTEdges {
  const n = tree.rows;
  const d = tree.cols;
  const edges = allocateMSTEdges(n);
  if (n < 2) return edges;
  tree.setCore(core);
  const { perm, points, nodeStart, nodeEnd, nodeLeft, nodeRight, lower, upper, minCore, nodeCount } = tree;
  const coreT = tree.core;
  const euclidean = metric === "euclidean";
  const scale = alpha !== 1;
  const position = new Int32Array(n);
  for (let s = 0; s < n; s++) position[perm[s]] = s;

  // Union-find over original row indices (union by size, path halving).
  const ufParent = new Int32Array(n);
  const ufSize = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) ufParent[i] = i;
  const find = (x: number): number => {
    while (ufParent[x] !== x) {
      ufParent[x] = ufParent[ufParent[x]];
      x = ufParent[x];
    }
    return x;
  };

  // Per component (indexed by its union-find root): best edge so far.
  const bestW = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const bestFrom = new Int32Array(n).fill(-1);
  const bestTo = new Int32Array(n).fill(-1);
  const comp = new Int32Array(n); // component of each tree position
  const nodeComp = new Int32Array(nodeCount);
  const stackNode = new Int32Array(2 * tree.depth + 4);
  const stackBound = new Float64Array(2 * tree.depth + 4);

  const distance = (a: number, b: number): number => {
    let s = 0;
    if (euclidean) {
      for (let t = 0; t < d; t++) {
        const diff = points[a + t] - points[b + t];
        s += diff * diff;
      }
      s = Math.sqrt(s);
    } else {
      for (let t = 0; t < d; t++) s += Math.abs(points[a + t] - points[b + t]);
    }
    return scale ? s / alpha : s;
  };
  /** Lower bound on the distance from the row at `qa` (offset in `points`) to any row of `node`. */
  const boxDistance = (qa: number, node: number): number => {
    const base = node * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = points[qa + t];
      const lo = lower[base + t];
      const hi = upper[base + t];
      const gap = v < lo ? lo - v : v > hi ? v - hi : 0;
      s += euclidean ? gap * gap : gap;
    }
    if (euclidean) s = Math.sqrt(s);
    return scale ? s / alpha : s;
  };

  // Seed: the neighbours found for the core distances.
  if (seedNeighbors !== null) {
    for (let i = 0; i < n; i++) {
      const qa = position[i] * d;
      const ci = core[i];
      for (let r = 0; r < seedK; r++) {
        const j = seedNeighbors[i * seedK + r];
        if (j === i) continue;
        const cj = core[j];
        let w = Math.max(ci, cj);
        if (w >= bestW[i]) continue;
        const dist = distance(qa, position[j] * d);
        if (dist > w) w = dist;
        if (w < bestW[i]) {
          bestW[i] = w;
          bestFrom[i] = i;
          bestTo[i] = j;
        }
      }
    }
  }

  const roots = new Int32Array(n);
  let edgeCount = 0;
  while (edgeCount < n - 1) {
    let rootCount = 0;
    for (let i = 0; i < n; i++) if (find(i) === i) roots[rootCount++] = i;
    for (let s = 0; s < n; s++) comp[s] = find(perm[s]);
    for (let node = nodeCount - 1; node >= 0; node--) {
      const l = nodeLeft[node];
      if (l < 0) {
        const start = nodeStart[node];
        const c = comp[start];
        let same = c;
        for (let s = start + 1; s < nodeEnd[node]; s++) {
          if (comp[s] !== c) {
            same = -1;
            break;
          }
        }
        nodeComp[node] = same;
      } else {
        const a = nodeComp[l];
        nodeComp[node] = a >= 0 && a === nodeComp[nodeRight[node]] ? a : -1;
      }
    }
    for (let q = 0; q < n; q++) {
      const c = comp[q];
      const cq = coreT[q];
      if (cq >= bestW[c]) continue;
      const qa = q * d;
      let sp = 0;
      stackNode[sp] = 0;
      stackBound[sp++] = 0;
      while (sp > 0) {
        sp--;
        const node = stackNode[sp];
        if (stackBound[sp] >= bestW[c] || nodeComp[node] === c) continue;
        const left = nodeLeft[node];
        if (left < 0) {
          for (let s = nodeStart[node]; s < nodeEnd[node]; s++) {
            if (comp[s] === c) continue;
            const cs = coreT[s];
            let w = Math.max(cq, cs);
            if (w >= bestW[c]) continue;
            const dist = distance(qa, s * d);
            if (dist > w) w = dist;
            if (w < bestW[c]) {
              bestW[c] = w;
              bestFrom[c] = perm[q];
              bestTo[c] = perm[s];
            }
          }
          continue;
        }
        const right = nodeRight[node];
        let lb = Math.max(cq, minCore[left]);
        let rb = Math.max(cq, minCore[right]);
        const best = bestW[c];
        if (lb < best && nodeComp[left] !== c) {
          const bd = boxDistance(qa, left);
          if (bd > lb) lb = bd;
        } else {
          lb = Number.POSITIVE_INFINITY;
        }
        if (rb < best && nodeComp[right] !== c) {
          const bd = boxDistance(qa, right);
          if (bd > rb) rb = bd;
        } else {
          rb = Number.POSITIVE_INFINITY;
        }
        // push the farther child first so the nearer one is searched first
        if (lb <= rb) {
          if (rb < best) {
            stackNode[sp] = right;
            stackBound[sp++] = rb;
          }
          if (lb < best) {
            stackNode[sp] = left;
            stackBound[sp++] = lb;
          }
        } else {
          if (lb < best) {
            stackNode[sp] = left;
            stackBound[sp++] = lb;
          }
          if (rb < best) {
            stackNode[sp] = right;
            stackBound[sp++] = rb;
          }
        }
      }
    }
    // Add every component's lightest edge (in order of component root, skipping cycles).
    let added = 0;
    for (let r = 0; r < rootCount; r++) {
      const i = roots[r];
      if (bestTo[i] < 0) continue;
      const a = bestFrom[i];
      const b = bestTo[i];
      const w = bestW[i];
      const ra = find(a);
      const rb = find(b);
      if (ra === rb) continue;
      edges.from[edgeCount] = a;
      edges.to[edgeCount] = b;
      edges.weight[edgeCount] = w;
      edgeCount++;
      added++;
      if (ufSize[ra] < ufSize[rb]) {
        ufParent[ra] = rb;
        ufSize[rb] += ufSize[ra];
      } else {
        ufParent[rb] = ra;
        ufSize[ra] += ufSize[rb];
      }
    }
    if (added === 0) throw new Error("boruvkaMST: no edge added in a round (internal error)");
    bestW.fill(Number.POSITIVE_INFINITY);
    bestFrom.fill(-1);
    bestTo.fill(-1);
  }
  return edges;
}
