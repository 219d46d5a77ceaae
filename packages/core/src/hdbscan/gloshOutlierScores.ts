import type { CondensedTree } from "./condenseTree.js";

/**
 * GLOSH outlier scores (Campello, Moulavi, Zimek & Sander, "Hierarchical density estimates for data
 * clustering, visualization, and outlier detection", 2015) from a condensed tree, as the hdbscan
 * library's `outlier_scores` computes them:
 *
 * - `lambdaMax(C)`: the largest lambda of any row in cluster C or in the clusters below it (the density
 *   of its densest region);
 * - the score of a row that leaves cluster C at lambda `l` is `(lambdaMax(C) - l) / lambdaMax(C)`, i.e.
 *   `1 - l / lambdaMax(C)`: 0 for the densest rows, near 1 for outliers.
 *
 * Scores are 0 when `lambdaMax(C)` is 0 or `l` is infinite (a duplicate row). One deliberate difference:
 * when `lambdaMax(C)` is infinite (C holds duplicate rows) and `l` is finite, the library computes
 * inf / inf = NaN; this returns the limit, 1.
 */
export function gloshOutlierScores(tree: CondensedTree, n: number): Float64Array {
  const { parent, child, lambdaVal } = tree;
  const rows = parent.length;
  const root = n;
  let maxId = root;
  for (let r = 0; r < rows; r++) if (parent[r] > maxId) maxId = parent[r];
  const deaths = new Float64Array(maxId - root + 1);
  for (let r = 0; r < rows; r++) {
    const p = parent[r] - root;
    if (lambdaVal[r] > deaths[p]) deaths[p] = lambdaVal[r];
  }
  // Children have larger ids than their parents and come later in the rows: propagate bottom-up.
  for (let r = rows - 1; r >= 0; r--) {
    const c = child[r];
    if (c < n) continue;
    const p = parent[r] - root;
    if (deaths[c - root] > deaths[p]) deaths[p] = deaths[c - root];
  }
  const scores = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const point = child[r];
    if (point >= n) continue;
    const lambdaMax = deaths[parent[r] - root];
    const l = lambdaVal[r];
    if (lambdaMax === 0 || l === Number.POSITIVE_INFINITY) scores[point] = 0;
    else if (lambdaMax === Number.POSITIVE_INFINITY) scores[point] = 1;
    else scores[point] = (lambdaMax - l) / lambdaMax;
  }
  return scores;
}
