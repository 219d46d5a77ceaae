import type { Matrix } from "../matrix.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import type { CondensedTree } from "./condenseTree.js";
import type { HDBSCANMetric } from "./hdbscanMetric.js";

/** What `hdbscanApproximatePredict` needs from a fitted HDBSCAN (built once per model by `hdbscanPredictionData`). */
export interface HDBSCANPredictionData {
  /** Training rows. */
  X: Matrix;
  metric: HDBSCANMetric;
  alpha: number;
  minSamples: number;
  /** Core distances of the training rows, as used in the mutual reachability distance. */
  core: Float64Array;
  /** Whether core distances are divided by alpha (cosine, as scikit-learn's brute-force path) or not. */
  coreDividedByAlpha: boolean;
  /** Condensed-tree parent of each training row and the lambda at which it leaves it. */
  pointParent: Int32Array;
  pointLambda: Float64Array;
  /** Per cluster node (index id - n): parent node (-1 for the root) and birth lambda. */
  clusterParent: Int32Array;
  clusterBirth: Float64Array;
  /** Per cluster node: label of the selected cluster at or above it (-1 if none). */
  clusterLabel: Int32Array;
  /** Per cluster node: the largest lambda of the rows whose parent is that selected cluster. */
  clusterMaxLambda: Float64Array;
}

/** Gathers `HDBSCANPredictionData` from a fitted model's parts. */
export function hdbscanPredictionData(
  X: Matrix,
  metric: HDBSCANMetric,
  alpha: number,
  minSamples: number,
  core: Float64Array,
  tree: CondensedTree,
  selected: Int32Array,
): HDBSCANPredictionData {
  const n = X.rows;
  const { parent, child, lambdaVal } = tree;
  let maxId = n;
  for (let r = 0; r < parent.length; r++) if (parent[r] > maxId) maxId = parent[r];
  const C = maxId - n + 1;
  const pointParent = new Int32Array(n);
  const pointLambda = new Float64Array(n);
  const clusterParent = new Int32Array(C).fill(-1);
  const clusterBirth = new Float64Array(C);
  const ownMax = new Float64Array(C).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < parent.length; r++) {
    const c = child[r];
    const p = parent[r] - n;
    if (lambdaVal[r] > ownMax[p]) ownMax[p] = lambdaVal[r];
    if (c < n) {
      pointParent[c] = p;
      pointLambda[c] = lambdaVal[r];
    } else {
      clusterParent[c - n] = p;
      clusterBirth[c - n] = lambdaVal[r];
    }
  }
  const selectedLabel = new Int32Array(C).fill(-1);
  for (let l = 0; l < selected.length; l++) selectedLabel[selected[l] - n] = l;
  const clusterLabel = new Int32Array(C).fill(-1);
  const clusterMaxLambda = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    // parents have smaller ids, so they are done first
    if (selectedLabel[c] >= 0) {
      clusterLabel[c] = selectedLabel[c];
      clusterMaxLambda[c] = ownMax[c];
    } else if (c > 0) {
      clusterLabel[c] = clusterLabel[clusterParent[c]];
      clusterMaxLambda[c] = clusterMaxLambda[clusterParent[c]];
    }
  }
  return {
    X,
    metric,
    alpha,
    minSamples,
    core,
    coreDividedByAlpha: metric === "cosine",
    pointParent,
    pointLambda,
    clusterParent,
    clusterBirth,
    clusterLabel,
    clusterMaxLambda,
  };
}

/**
 * Labels and membership probabilities of new rows against a fitted HDBSCAN, in the manner of the hdbscan
 * library's `approximate_predict` (the clustering itself is not changed):
 *
 * 1. the new row's core distance is taken as if it were added to the training set: the distance to its
 *    `(minSamples - 1)`-th nearest training row (0 when `minSamples = 1`);
 * 2. its nearest training row in mutual reachability distance `max(core(q), core(p), dist(q, p) / alpha)`
 *    is found exactly (ties: the nearer, then the smaller index), giving `lambda = 1 / that distance`;
 * 3. starting from that neighbour's cluster in the condensed tree, and when the neighbour stayed longer
 *    than the new row would (its lambda is larger), the row climbs to the ancestor cluster alive at
 *    `lambda` (the first whose birth lambda is below it);
 * 4. the row gets the label of the selected cluster at or above that cluster, else -1 (noise); its
 *    probability is `min(lambda, maxLambda) / maxLambda` with the selected cluster's maxLambda (0 for noise).
 *
 * Differences from the library: the library takes the new row's core distance from its
 * `(min_samples + 1)`-th neighbour and only looks at `2 * min_samples` neighbours; this uses the
 * definition of fit (the row counts as one of its `minSamples`) and an exact search.
 */
export function hdbscanApproximatePredict(
  data: HDBSCANPredictionData,
  Q: Matrix,
): { labels: Int32Array; probabilities: Float64Array } {
  const m = Q.rows;
  const labels = new Int32Array(m).fill(-1);
  const probabilities = new Float64Array(m);
  if (m === 0) return { labels, probabilities };
  let anyCluster = false;
  for (let c = 0; c < data.clusterLabel.length; c++) if (data.clusterLabel[c] >= 0) anyCluster = true;
  if (!anyCluster) return { labels, probabilities };
  const { X, metric, alpha, minSamples, core, coreDividedByAlpha } = data;
  const n = X.rows;
  const d = Q.cols;
  let pending = new Int32Array(m);
  for (let i = 0; i < m; i++) pending[i] = i;
  let pendingCount = m;
  let k = Math.min(n, Math.max(2 * minSamples, 16));
  while (pendingCount > 0) {
    const qdata = new Float64Array(pendingCount * d);
    for (let r = 0; r < pendingCount; r++) qdata.set(Q.data.subarray(pending[r] * d, (pending[r] + 1) * d), r * d);
    const { indices, distances } = kNeighbors(X, k, {
      metric,
      query: { rows: pendingCount, cols: d, data: qdata },
    });
    const next = new Int32Array(pendingCount);
    let nextCount = 0;
    for (let r = 0; r < pendingCount; r++) {
      const base = r * k;
      let coreQ = minSamples >= 2 ? distances[base + minSamples - 2] : 0;
      if (coreDividedByAlpha) coreQ /= alpha;
      let best = Number.POSITIVE_INFINITY;
      let nearest = -1;
      for (let t = 0; t < k; t++) {
        const j = indices[base + t];
        let dist = distances[base + t];
        if (alpha !== 1) dist /= alpha;
        const cj = core[j];
        let mrd = Math.max(coreQ, cj);
        if (dist > mrd) mrd = dist;
        if (mrd < best) {
          best = mrd;
          nearest = j;
        }
      }
      const farthest = alpha !== 1 ? distances[base + k - 1] / alpha : distances[base + k - 1];
      if (k < n && best > farthest) {
        next[nextCount++] = pending[r]; // a row beyond the k nearest might be closer in reachability
        continue;
      }
      const [label, probability] = assign(data, nearest, best);
      labels[pending[r]] = label;
      probabilities[pending[r]] = probability;
    }
    pending = next;
    pendingCount = nextCount;
    k = Math.min(n, 4 * k);
  }
  return { labels, probabilities };
}

function assign(data: HDBSCANPredictionData, nearest: number, mrd: number): [number, number] {
  const lambda = mrd > 0 ? 1 / mrd : Number.POSITIVE_INFINITY;
  let cluster = data.pointParent[nearest];
  if (data.pointLambda[nearest] > lambda) {
    while (cluster > 0 && data.clusterBirth[cluster] >= lambda) cluster = data.clusterParent[cluster];
  }
  const label = data.clusterLabel[cluster];
  if (label < 0) return [-1, 0];
  const maxLambda = data.clusterMaxLambda[cluster];
  if (!(maxLambda > 0) || lambda >= maxLambda) return [label, 1];
  return [label, lambda / maxLambda];
}
