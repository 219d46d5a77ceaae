import { ValidationError } from "../errors.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { asMatrix, checkInt } from "../validate.js";

/** Options for `cartTree`. */
export interface CartTreeOptions {
  /** Maximum depth (the root is depth 0). Default 3. */
  maxDepth?: number;
  /** Fewest training rows in each leaf (a split leaving fewer on a side is not considered). Default 1. */
  minSamplesLeaf?: number;
  /** Fewest training rows in a node for it to be split. Default 2. */
  minSamplesSplit?: number;
}

/** One node of a `CartTree` (a leaf when `feature` is -1). */
export interface CartNode {
  /** Feature index of the split; -1 for a leaf. */
  feature: number;
  /** Rows with `x[feature] <= threshold` go left. NaN for a leaf. */
  threshold: number;
  /** Largest training value of `feature` going left (NaN for a leaf). */
  leftMax: number;
  /** Smallest training value of `feature` going right (NaN for a leaf). Any threshold in [leftMax, rightMin) splits the training rows alike. */
  rightMin: number;
  /** Child node indices; -1 for a leaf. */
  left: number;
  right: number;
  depth: number;
  nSamples: number;
  /** Training rows of each class in the node (indexed like `CartTree.classes`). */
  counts: number[];
  /** Gini impurity of the node. */
  impurity: number;
  /** Index into `classes` of the majority class (ties: the lowest). */
  prediction: number;
}

/** A fitted classification tree (see `cartTree`). */
export interface CartTree {
  /** Nodes in depth-first order, the root first, left subtrees before right ones (as scikit-learn numbers them). */
  nodes: CartNode[];
  /** The distinct class values, ascending. */
  classes: number[];
  nFeatures: number;
  /** Share of the training rows the tree classifies correctly. */
  trainingAccuracy: number;
}

/** Values closer than this count as equal when looking for thresholds (scikit-learn's FEATURE_THRESHOLD). */
const FEATURE_THRESHOLD = 1e-7;
const EPSILON = 2.220446049250313e-16;

/**
 * A CART classification tree (Breiman et al. 1984) as scikit-learn's `DecisionTreeClassifier` with
 * `criterion="gini"`, `splitter="best"` and every feature considered: each node takes the split
 * `x[f] <= t` that most reduces the weighted Gini impurity of its children, over every feature and
 * every threshold `t` halfway between consecutive distinct values; a node becomes a leaf at
 * `maxDepth`, when pure, when smaller than `minSamplesSplit` (or `2 * minSamplesLeaf`), or when no
 * split keeps `minSamplesLeaf` rows on each side. A split is taken even when it does not lower the
 * impurity (as scikit-learn). Ties between splits go to the lower feature index, then the lower
 * threshold (scikit-learn visits the features in a random order, so it can break exact ties
 * differently). Features are presorted once, so a node costs O(rows x features).
 *
 * `X` must be finite (no missing values); `y` holds integer class values.
 */
export function cartTree(X: MatrixLike, y: ArrayLike<number>, options: CartTreeOptions = {}): CartTree {
  const m = asMatrix(X);
  const n = m.rows;
  if (y == null || y.length !== n) {
    throw new ValidationError(`invalid y: length ${y == null ? "none" : y.length}, expected ${n} (one per row)`);
  }
  const values = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(y[i])) throw new ValidationError(`invalid y: ${y[i]} at index ${i} (must be an integer)`);
    values.add(y[i]);
  }
  const classes = [...values].sort((a, b) => a - b);
  const index = new Map(classes.map((c, k) => [c, k]));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = index.get(y[i])!;
  return cartTreeFromPresorted(m, codes, classes, cartPresort(m), options);
}

/** Row indices of `m` sorted by each column (ascending; ties by row index). */
export function cartPresort(m: Matrix): Int32Array[] {
  const { rows, cols, data } = m;
  const out: Int32Array[] = [];
  const column = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) column[i] = data[i * cols + j];
    const idx = new Int32Array(rows);
    for (let i = 0; i < rows; i++) idx[i] = i;
    idx.sort((a, b) => column[a] - column[b] || a - b);
    out.push(idx);
  }
  return out;
}

/**
 * The tree for class codes `codes` (0 .. classes.length - 1) given the presorted feature orders
 * (from `cartPresort(m)`), so that several trees on the same rows share one sort.
 */
export function cartTreeFromPresorted(
  m: Matrix,
  codes: Int32Array,
  classes: number[],
  sorted: readonly Int32Array[],
  options: CartTreeOptions = {},
): CartTree {
  const maxDepth = checkInt(options.maxDepth ?? 3, "maxDepth", 0);
  const minLeaf = checkInt(options.minSamplesLeaf ?? 1, "minSamplesLeaf", 1);
  const minSplit = checkInt(options.minSamplesSplit ?? 2, "minSamplesSplit", 2);
  const { rows: n, cols: d, data } = m;
  const k = classes.length;
  const nodes: CartNode[] = [];
  const goLeft = new Uint8Array(n);
  const leftCounts = new Float64Array(k);
  const rightCounts = new Float64Array(k);

  const gini = (counts: ArrayLike<number>, total: number): number => {
    let s = 0;
    for (let c = 0; c < k; c++) s += counts[c] * counts[c];
    return total > 0 ? 1 - s / (total * total) : 0;
  };

  // orders[f]: the node's rows sorted by feature f.
  const grow = (orders: Int32Array[], depth: number): number => {
    const size = orders.length > 0 ? orders[0].length : 0;
    const counts = new Array<number>(k).fill(0);
    const first = orders[0];
    for (let r = 0; r < size; r++) counts[codes[first[r]]]++;
    let prediction = 0;
    for (let c = 1; c < k; c++) if (counts[c] > counts[prediction]) prediction = c;
    const impurity = gini(counts, size);
    const id = nodes.length;
    const node: CartNode = {
      feature: -1,
      threshold: Number.NaN,
      leftMax: Number.NaN,
      rightMin: Number.NaN,
      left: -1,
      right: -1,
      depth,
      nSamples: size,
      counts,
      impurity,
      prediction,
    };
    nodes.push(node);
    if (depth >= maxDepth || size < minSplit || size < 2 * minLeaf || impurity <= EPSILON) return id;

    let bestFeature = -1;
    let bestPos = -1;
    let bestProxy = Number.NEGATIVE_INFINITY;
    for (let f = 0; f < d; f++) {
      const order = orders[f];
      const lo = data[order[0] * d + f];
      const hi = data[order[size - 1] * d + f];
      if (hi <= lo + FEATURE_THRESHOLD) continue;
      leftCounts.fill(0);
      for (let c = 0; c < k; c++) rightCounts[c] = counts[c];
      let sumLeft = 0;
      let sumRight = 0;
      for (let c = 0; c < k; c++) sumRight += rightCounts[c] * rightCounts[c];
      for (let r = 0; r < size - 1; r++) {
        const code = codes[order[r]];
        // Move row r from right to left, updating the sums of squared counts.
        sumLeft += 2 * leftCounts[code] + 1;
        leftCounts[code]++;
        sumRight -= 2 * rightCounts[code] - 1;
        rightCounts[code]--;
        const x = data[order[r] * d + f];
        const next = data[order[r + 1] * d + f];
        if (next <= x + FEATURE_THRESHOLD) continue;
        const nLeft = r + 1;
        const nRight = size - nLeft;
        if (nLeft < minLeaf || nRight < minLeaf) continue;
        // Maximising sum(left^2)/nLeft + sum(right^2)/nRight minimises the weighted Gini of the children.
        const proxy = sumLeft / nLeft + sumRight / nRight;
        if (proxy > bestProxy) {
          bestProxy = proxy;
          bestFeature = f;
          bestPos = r;
        }
      }
    }
    if (bestFeature < 0) return id;

    const order = orders[bestFeature];
    const leftMax = data[order[bestPos] * d + bestFeature];
    const rightMin = data[order[bestPos + 1] * d + bestFeature];
    let threshold = leftMax / 2 + rightMin / 2;
    if (threshold === rightMin || !Number.isFinite(threshold)) threshold = leftMax;
    for (let r = 0; r < size; r++) goLeft[order[r]] = r <= bestPos ? 1 : 0;
    const nLeft = bestPos + 1;
    const leftOrders: Int32Array[] = [];
    const rightOrders: Int32Array[] = [];
    for (let f = 0; f < d; f++) {
      const o = orders[f];
      const l = new Int32Array(nLeft);
      const rt = new Int32Array(size - nLeft);
      let a = 0;
      let b = 0;
      for (let r = 0; r < size; r++) {
        const i = o[r];
        if (goLeft[i]) l[a++] = i;
        else rt[b++] = i;
      }
      leftOrders.push(l);
      rightOrders.push(rt);
    }
    node.feature = bestFeature;
    node.threshold = threshold;
    node.leftMax = leftMax;
    node.rightMin = rightMin;
    node.left = grow(leftOrders, depth + 1);
    node.right = grow(rightOrders, depth + 1);
    return id;
  };

  if (n === 0) throw new ValidationError("invalid X: empty (0 rows; at least 1 required)");
  grow(
    sorted.map((o) => o),
    0,
  );
  const tree: CartTree = { nodes, classes, nFeatures: d, trainingAccuracy: 0 };
  const leaves = cartApply(tree, m);
  let correct = 0;
  for (let i = 0; i < n; i++) if (nodes[leaves[i]].prediction === codes[i]) correct++;
  tree.trainingAccuracy = correct / n;
  return tree;
}

/** The leaf (node index) each row of `X` falls in. */
export function cartApply(tree: CartTree, X: MatrixLike): Int32Array {
  const m = asMatrix(X, { cols: tree.nFeatures });
  const out = new Int32Array(m.rows);
  const { nodes } = tree;
  for (let i = 0; i < m.rows; i++) {
    let t = 0;
    while (nodes[t].feature >= 0) {
      const node = nodes[t];
      t = m.data[i * m.cols + node.feature] <= node.threshold ? node.left : node.right;
    }
    out[i] = t;
  }
  return out;
}

/** The predicted class value of each row of `X`. */
export function cartPredict(tree: CartTree, X: MatrixLike): Int32Array {
  const leaves = cartApply(tree, X);
  const out = new Int32Array(leaves.length);
  for (let i = 0; i < leaves.length; i++) out[i] = tree.classes[tree.nodes[leaves[i]].prediction];
  return out;
}
