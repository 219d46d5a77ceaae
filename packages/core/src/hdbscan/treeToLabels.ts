import type { CondensedTree } from "./condenseTree.js";

/** How flat clusters are picked from the condensed tree. */
export type ClusterSelectionMethod = "eom" | "leaf";

/** Options for `treeToLabels` (the cluster-selection part of `HDBSCANOptions`). */
export interface TreeToLabelsOptions {
  /** `"eom"` (excess of mass) or `"leaf"`. */
  method: ClusterSelectionMethod;
  /** Allow the root (every row) to be the single cluster. */
  allowSingleCluster: boolean;
  /** Merge clusters born below this distance into their parents (0: off). */
  epsilon: number;
  /** EOM never keeps a cluster with more rows (Infinity: no limit). */
  maxClusterSize: number;
}

/** Flat clustering read off a condensed tree. */
export interface TreeLabels {
  /** Cluster of each row, -1 for noise; clusters numbered in increasing condensed-tree id. */
  labels: Int32Array;
  /** Membership strength of each row in its cluster (0 for noise). */
  probabilities: Float64Array;
  /** Condensed-tree id of each cluster (`selected[label]`), increasing. */
  selected: Int32Array;
  /** Stability (excess of mass) of each selected cluster, before EOM's propagation. */
  stability: Float64Array;
}

/**
 * Selects clusters from a condensed tree and labels the rows, following scikit-learn's `_tree.pyx`
 * (`_compute_stability`, `_get_clusters`, `epsilon_search`, `_do_labelling`, `get_probabilities`):
 *
 * - stability of cluster C: sum over its rows of `(lambda - birth(C)) * childSize`, accumulated in
 *   row order (birth of the root is 0);
 * - `"eom"`: from the deepest cluster up, a cluster whose children's (propagated) stability sum exceeds
 *   its own, or whose size exceeds `maxClusterSize`, is replaced by them (its stability becomes the sum);
 *   otherwise it is kept and everything below it is dropped. The root takes part only with
 *   `allowSingleCluster` (its size then counts the rows in its child clusters only, as scikit-learn);
 * - `"leaf"`: the leaves of the cluster tree (none, hence all noise, when the tree never splits);
 * - `epsilon > 0`: a selected cluster born at a distance below epsilon is replaced by its first ancestor
 *   born above epsilon (not the root unless `allowSingleCluster`; with a child of the root instead);
 * - a row belongs to the selected cluster above it, otherwise it is noise. With `allowSingleCluster` and
 *   only one selected cluster, rows left at the root join it when their lambda is at least the root's
 *   largest lambda (or 1 / epsilon when epsilon > 0); if that single cluster is not the root, such rows
 *   stay noise (scikit-learn raises a KeyError there);
 * - probability: `min(lambda, maxLambda) / maxLambda`, with maxLambda the largest lambda among the rows
 *   whose parent is the selected cluster itself (1 when maxLambda is 0 or lambda is infinite).
 */
export function treeToLabels(tree: CondensedTree, n: number, options: TreeToLabelsOptions): TreeLabels {
  const { parent, child, lambdaVal, childSize } = tree;
  const { method, allowSingleCluster, epsilon, maxClusterSize } = options;
  const rows = parent.length;
  const root = n;
  let maxId = root;
  for (let r = 0; r < rows; r++) if (parent[r] > maxId) maxId = parent[r];
  const C = maxId - root + 1;
  // Cluster structure (local index = id - n).
  const birth = new Float64Array(C).fill(Number.NaN);
  birth[0] = 0;
  const parentOf = new Int32Array(C).fill(-1);
  const childA = new Int32Array(C).fill(-1);
  const childB = new Int32Array(C).fill(-1);
  const size = new Float64Array(C);
  let clusterRows = 0;
  for (let r = 0; r < rows; r++) {
    const c = child[r];
    if (c < n) continue;
    const lc = c - root;
    const lp = parent[r] - root;
    birth[lc] = lambdaVal[r];
    parentOf[lc] = lp;
    size[lc] = childSize[r];
    if (childA[lp] < 0) childA[lp] = lc;
    else childB[lp] = lc;
    clusterRows++;
  }
  const stability = new Float64Array(C);
  for (let r = 0; r < rows; r++) {
    const lp = parent[r] - root;
    stability[lp] += (lambdaVal[r] - birth[lp]) * childSize[r];
  }
  const ownStability = stability.slice();
  if (allowSingleCluster) size[0] = childA[0] >= 0 ? size[childA[0]] + size[childB[0]] : 0;
  const first = allowSingleCluster ? 0 : 1; // clusters taking part in the selection: ids >= root + first
  const isCluster = new Uint8Array(C);

  if (method === "eom") {
    const decision = new Uint8Array(C);
    for (let c = C - 1; c >= first; c--) {
      const a = childA[c];
      const subtree = a >= 0 ? stability[a] + stability[childB[c]] : 0;
      if (subtree > stability[c] || size[c] > maxClusterSize) {
        stability[c] = subtree;
      } else {
        decision[c] = 1;
      }
    }
    // A cluster stays selected unless an ancestor was selected (which drops its whole subtree).
    const blocked = new Uint8Array(C);
    for (let c = 1; c < C; c++) {
      const p = parentOf[c];
      blocked[c] = blocked[p] | decision[p];
    }
    for (let c = first; c < C; c++) isCluster[c] = decision[c] && !blocked[c] ? 1 : 0;
    if (epsilon !== 0 && clusterRows > 0) {
      const candidates: number[] = [];
      for (let c = first; c < C; c++) if (isCluster[c]) candidates.push(c);
      let selected: Uint8Array;
      if (candidates.length === 1 && candidates[0] === 0) {
        selected = new Uint8Array(C);
        if (allowSingleCluster) selected[0] = 1;
      } else {
        selected = epsilonSearch(candidates, C, parentOf, childA, childB, birth, epsilon, allowSingleCluster);
      }
      for (let c = first; c < C; c++) isCluster[c] = selected[c];
    }
  } else {
    const candidates: number[] = [];
    if (clusterRows > 0) for (let c = 1; c < C; c++) if (childA[c] < 0) candidates.push(c);
    const selected =
      epsilon !== 0
        ? epsilonSearch(candidates, C, parentOf, childA, childB, birth, epsilon, allowSingleCluster)
        : markAll(candidates, C);
    for (let c = first; c < C; c++) isCluster[c] = selected[c];
  }

  // Labels: clusters numbered by increasing id.
  const labelOf = new Int32Array(C).fill(-1);
  let nSelected = 0;
  for (let c = 0; c < C; c++) if (isCluster[c]) labelOf[c] = nSelected++;
  const selectedIds = new Int32Array(nSelected);
  const selectedStability = new Float64Array(nSelected);
  for (let c = 0; c < C; c++) {
    if (isCluster[c]) {
      selectedIds[labelOf[c]] = c + root;
      selectedStability[labelOf[c]] = ownStability[c];
    }
  }
  // The selected cluster (or the root) owning each cluster node.
  const owner = new Int32Array(C);
  for (let c = 1; c < C; c++) owner[c] = isCluster[c] ? c : owner[parentOf[c]];
  const labels = new Int32Array(n).fill(-1);
  let rootThreshold = Number.NaN;
  const singleAtRoot = nSelected === 1 && allowSingleCluster;
  if (singleAtRoot) {
    if (epsilon !== 0) {
      rootThreshold = 1 / epsilon;
    } else {
      rootThreshold = Number.NEGATIVE_INFINITY;
      for (let r = 0; r < rows; r++)
        if (parent[r] === root && lambdaVal[r] > rootThreshold) rootThreshold = lambdaVal[r];
    }
  }
  for (let r = 0; r < rows; r++) {
    const p = child[r];
    if (p >= n) continue;
    const o = owner[parent[r] - root];
    if (o !== 0) labels[p] = labelOf[o];
    else if (singleAtRoot && lambdaVal[r] >= rootThreshold) labels[p] = labelOf[0];
  }

  // Probabilities: deaths as scikit-learn's `max_lambdas` (the largest lambda of each parent's last run of rows).
  const deaths = new Float64Array(C);
  if (rows > 0) {
    let current = parent[0];
    let maxLambda = lambdaVal[0];
    for (let r = 1; r < rows; r++) {
      const p = parent[r];
      const l = lambdaVal[r];
      if (p === current) {
        if (l > maxLambda) maxLambda = l;
      } else {
        deaths[current - root] = maxLambda;
        current = p;
        maxLambda = l;
      }
    }
    deaths[current - root] = maxLambda;
  }
  const probabilities = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const p = child[r];
    if (p >= n) continue;
    const label = labels[p];
    if (label < 0) continue;
    const maxLambda = deaths[selectedIds[label] - root];
    const l = lambdaVal[r];
    if (maxLambda === 0 || l === Number.POSITIVE_INFINITY) probabilities[p] = 1;
    else probabilities[p] = Math.min(l, maxLambda) / maxLambda;
  }
  return { labels, probabilities, selected: selectedIds, stability: selectedStability };
}

function markAll(ids: number[], C: number): Uint8Array {
  const out = new Uint8Array(C);
  for (const c of ids) out[c] = 1;
  return out;
}

/**
 * scikit-learn's `epsilon_search`: a candidate born at a distance (1 / lambda) below epsilon is replaced
 * by `traverse_upwards` (its first ancestor born above epsilon; the root's child on its path when the
 * root is reached, or the root itself with `allowSingleCluster`), once per subtree. The result does not
 * depend on the order of the candidates.
 */
function epsilonSearch(
  candidates: number[],
  C: number,
  parentOf: Int32Array,
  childA: Int32Array,
  childB: Int32Array,
  birth: Float64Array,
  epsilon: number,
  allowSingleCluster: boolean,
): Uint8Array {
  const selected = new Uint8Array(C);
  const processed = new Uint8Array(C);
  const stack: number[] = [];
  for (const leaf of candidates) {
    const eps = 1 / birth[leaf];
    if (eps < epsilon) {
      if (processed[leaf]) continue;
      let node = leaf;
      let chosen = -1;
      while (chosen < 0) {
        const p = parentOf[node];
        if (p === 0) {
          chosen = allowSingleCluster ? 0 : node;
        } else if (1 / birth[p] > epsilon) {
          chosen = p;
        } else {
          node = p;
        }
      }
      selected[chosen] = 1;
      stack.length = 0;
      if (childA[chosen] >= 0) stack.push(childA[chosen], childB[chosen]);
      while (stack.length > 0) {
        const x = stack.pop() as number;
        processed[x] = 1;
        if (childA[x] >= 0) stack.push(childA[x], childB[x]);
      }
    } else {
      selected[leaf] = 1;
    }
  }
  return selected;
}
