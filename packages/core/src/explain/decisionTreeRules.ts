import { ValidationError } from "../errors.js";
import type { Matrix } from "../matrix.js";
import { Random } from "../random.js";
import { checkInt } from "../validate.js";
import { type CartNode, type CartTree, cartPresort, cartTreeFromPresorted } from "./cartTree.js";
import { categoryCodes, checkSegmentLabels, type ExplainInput, explainColumns, segmentId } from "./internal.js";
import { formatRuleNumber, readableThreshold } from "./readableThreshold.js";

/** Options for `decisionTreeRules`. */
export interface DecisionTreeRulesOptions {
  /** Column names when `X` is a matrix (a `Frame` names its own). Default `x0`, `x1`, ... */
  featureNames?: readonly string[];
  /** Depth of each tree: at most this many conditions per alternative. Default 3. */
  maxDepth?: number;
  /** Fewest training rows in a leaf. Default `max(1, round(0.03 n))` (n: the rows the trees grow on): leaves of at least 3% of the rows keep the rules short. */
  minSamplesLeaf?: number;
  /** Categorical columns: indicator features for at most this many most frequent categories each. Default 20. */
  maxCategories?: number;
  /**
   * Above this many rows the trees are grown on a seeded random sample of this many rows (precision
   * and recall are still computed on every row). Default 50 000.
   */
  sampleSize?: number;
  /** Seed of that sample. Default 0. */
  seed?: number;
}

/**
 * One condition of a rule, on one column. Numeric: `lower < x <= upper` (either bound may be
 * absent). Categorical: `x is equals`, or `x is none of notIn`.
 */
export interface RuleCondition {
  feature: string;
  kind: "numeric" | "categorical";
  /** Exclusive lower bound (numeric). */
  lower?: number;
  /** Inclusive upper bound (numeric). */
  upper?: number;
  /** The category the row must have (categorical). */
  equals?: string | null;
  /** Categories the row must not have (categorical). */
  notIn?: (string | null)[];
  /** The condition as text, e.g. `income > 72.5`, `0.8 < petal_width <= 1.75`, `day is Sun`. */
  text: string;
}

/** The rule describing one segment (see `decisionTreeRules`). */
export interface SegmentRule {
  /** The cluster label (-1: noise). */
  label: number;
  id: string;
  /** The rule as text: conditions joined with `and`, alternatives with `or`; `"all rows"` when unconditional. */
  rule: string;
  /** The alternatives (positive leaves of the tree), most segment rows first; each a list of conditions. */
  alternatives: RuleCondition[][];
  /** Rows of the segment. */
  size: number;
  /** Rows matching the rule. */
  matched: number;
  /** Segment rows matching the rule. */
  truePositives: number;
  /** truePositives / matched (1 when nothing matches). */
  precision: number;
  /** truePositives / size. */
  recall: number;
  f1: number;
  /**
   * True when the rule is the tree's prediction for the segment (its leaves where the segment is the
   * majority); false when no leaf has a majority of the segment and the rule is instead the leaf with
   * the highest share of it.
   */
  majority: boolean;
  /** Training accuracy of the segment-vs-rest tree (on the rows it was grown on). */
  treeAccuracy: number;
}

/** What `decisionTreeRules` returns. */
export interface SegmentRules {
  maxDepth: number;
  minSamplesLeaf: number;
  /** Rows the trees were grown on (all rows, or a sample of `sampleSize`). */
  treeRows: number;
  /** One rule per segment: clusters by ascending label, then noise. */
  rules: SegmentRule[];
}

const MISSING = "(missing)";

function categoryText(c: string | null): string {
  return c === null ? MISSING : c;
}

/** The model's input columns: numeric features, and categorical columns as 0/1 indicators. */
interface TreeFeature {
  column: string;
  kind: "numeric" | "categorical";
  /** The category for an indicator feature. */
  category?: string | null;
}

/**
 * Rules describing each segment, from shallow surrogate decision trees: **one-vs-rest**, one CART
 * tree (`cartTree`: Gini, best threshold, depth `maxDepth`) per segment separating its rows from all
 * others, so each segment gets its own short rule, e.g. `income > 72.5 and spending_score <= 35`.
 * The rule is the disjunction of the tree's leaves where the segment is the majority (sibling leaves
 * with the same prediction are merged first); when there is no such leaf, the leaf with the highest
 * share of the segment is used and `majority` is false. Conditions on the same column along a path are
 * merged (`0.8 < x <= 1.75`); thresholds are shortened with `readableThreshold` to the fewest
 * significant digits that keep the split of the tree's rows or move the threshold by at most 1% of
 * the feature's standard deviation (`72.5`, not `72.4986`); the precision and recall reported are
 * those of the rule as printed (computed on every row), so any such shift is accounted for. Kept
 * from the tree: the split
 * of the training rows, so the reported precision and recall (on the training rows) are those of the
 * rule as printed.
 *
 * Numeric columns are used as they are (they must be finite); string columns of a `Frame` become 0/1
 * indicators of their `maxCategories` most frequent categories (`day is Sun`, `day is not Sun`;
 * `null` is the category `(missing)`). Noise rows (label -1) form a segment of their own. Above
 * `sampleSize` rows the trees are grown on a seeded sample (sorting every feature of millions of rows
 * for a description is not worth it); the rule is then still scored on every row.
 */
export function decisionTreeRules(
  X: ExplainInput,
  labels: ArrayLike<number>,
  options: DecisionTreeRulesOptions = {},
): SegmentRules {
  const columns = explainColumns(X, options.featureNames);
  const n = columns[0].values.length;
  const { labels: lab, groups } = checkSegmentLabels(labels, n);
  const maxDepth = checkInt(options.maxDepth ?? 3, "maxDepth", 1);
  const maxCategories = checkInt(options.maxCategories ?? 20, "maxCategories", 1);
  const sampleSize = checkInt(options.sampleSize ?? 50_000, "sampleSize", 1);
  // The rows the trees are grown on.
  const sample = n > sampleSize ? new Random(options.seed ?? 0).sampleWithoutReplacement(n, sampleSize).sort() : null;
  const nt = sample ? sample.length : n;
  const at = (r: number) => (sample ? sample[r] : r);
  const minSamplesLeaf = checkInt(options.minSamplesLeaf ?? Math.max(1, Math.round(0.03 * nt)), "minSamplesLeaf", 1);

  // The feature matrix: numeric columns, then indicators, in column order.
  const features: TreeFeature[] = [];
  const vectors: Float64Array[] = [];
  const columnCategories = new Map<string, (string | null)[]>();
  for (const c of columns) {
    if (c.kind === "numeric") {
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(c.values[i])) {
          throw new ValidationError(
            `invalid X: missing value at row ${i} of column ${c.name} (decision tree rules need complete numeric columns)`,
          );
        }
      }
      features.push({ column: c.name, kind: "numeric" });
      vectors.push(c.values);
    } else {
      const { codes, categories } = categoryCodes(c.values);
      columnCategories.set(c.name, categories);
      const counts = new Float64Array(categories.length);
      for (let i = 0; i < n; i++) counts[codes[i]]++;
      const order = categories.map((_, k) => k).sort((a, b) => counts[b] - counts[a] || a - b);
      // With two categories one indicator says it all.
      const kept = order.slice(0, Math.min(maxCategories, categories.length === 2 ? 1 : categories.length));
      for (const k of kept) {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = codes[i] === k ? 1 : 0;
        features.push({ column: c.name, kind: "categorical", category: categories[k] });
        vectors.push(v);
      }
    }
  }
  const d = features.length;
  const data = new Float64Array(nt * d);
  for (let j = 0; j < d; j++) for (let r = 0; r < nt; r++) data[r * d + j] = vectors[j][at(r)];
  const m: Matrix = { rows: nt, cols: d, data };
  const sorted = cartPresort(m);
  // Thresholds may move by 1% of a numeric feature's SD when that makes them shorter.
  const tolerance = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    if (features[j].kind !== "numeric") continue;
    let mean = 0;
    let ss = 0;
    for (let r = 0; r < nt; r++) {
      const v = data[r * d + j];
      const delta = v - mean;
      mean += delta / (r + 1);
      ss += delta * (v - mean);
    }
    tolerance[j] = 0.01 * Math.sqrt(ss / nt);
  }
  const columnOrder = new Map(columns.map((c, j) => [c.name, j]));

  const rules = groups.map((g): SegmentRule => {
    let size = 0;
    for (let i = 0; i < n; i++) if (lab[i] === g) size++;
    const y = new Int32Array(nt);
    let inSample = 0;
    for (let r = 0; r < nt; r++) {
      if (lab[at(r)] === g) {
        y[r] = 1;
        inSample++;
      }
    }
    const classes = inSample === nt ? [1] : inSample === 0 ? [0] : [0, 1];
    const codes = inSample === nt ? new Int32Array(nt) : y;
    const tree = cartTreeFromPresorted(m, codes, classes, sorted, { maxDepth, minSamplesLeaf });
    const positive = (node: CartNode) => classes[node.prediction] === 1;
    let chosen = leafPaths(tree, positive, true, tolerance).filter((p) => p.positive);
    let majority = true;
    if (chosen.length === 0) {
      majority = false;
      // Every leaf predicts "rest": pick among the leaves as grown (not merged).
      const paths = leafPaths(tree, positive, false, tolerance);
      const share = (p: LeafPath) => positives(tree, p.node, classes) / tree.nodes[p.node].nSamples;
      let best: LeafPath | null = null;
      for (const p of paths) {
        const s = share(p);
        const bestShare = best === null ? -1 : share(best);
        if (
          s > bestShare ||
          (s === bestShare && best && positives(tree, p.node, classes) > positives(tree, best.node, classes))
        ) {
          best = p;
        }
      }
      chosen = best ? [best] : [];
    }
    const alternatives = chosen
      .map((p) => ({
        conditions: mergeConditions(p.steps, features, columnOrder, columnCategories),
        tp: positives(tree, p.node, classes),
      }))
      .sort((a, b) => b.tp - a.tp)
      .map((a) => a.conditions);
    // Evaluate the rule as printed on the training rows.
    let matched = 0;
    let tp = 0;
    for (let i = 0; i < n; i++) {
      if (alternatives.some((conds) => conds.every((c) => holds(c, columns[columnOrder.get(c.feature)!], i)))) {
        matched++;
        if (lab[i] === g) tp++;
      }
    }
    const precision = matched > 0 ? tp / matched : 1;
    const recall = size > 0 ? tp / size : 0;
    return {
      label: g,
      id: segmentId(g),
      rule: ruleText(alternatives),
      alternatives,
      size,
      matched,
      truePositives: tp,
      precision,
      recall,
      f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      majority,
      treeAccuracy: tree.trainingAccuracy,
    };
  });
  return { maxDepth, minSamplesLeaf, treeRows: nt, rules };
}

function positives(tree: CartTree, node: number, classes: number[]): number {
  const k = classes.indexOf(1);
  return k < 0 ? 0 : tree.nodes[node].counts[k];
}

interface PathStep {
  feature: number;
  /** true: `x <= threshold` (left); false: `x > threshold` (right). */
  left: boolean;
  /** The shortened threshold. */
  threshold: number;
  /** The tree's threshold. */
  exact: number;
}

interface LeafPath {
  node: number;
  positive: boolean;
  steps: PathStep[];
}

/**
 * The leaves of the tree with their paths; with `merge`, every subtree whose leaves all share one
 * prediction is first merged into a single leaf (such splits do not change the rule).
 */
function leafPaths(
  tree: CartTree,
  positive: (node: CartNode) => boolean,
  merge: boolean,
  tolerance: Float64Array,
): LeafPath[] {
  const { nodes } = tree;
  // uniform[t]: 1 / 0 when every leaf under t predicts positive / negative, -1 when mixed.
  const uniform = new Int8Array(nodes.length);
  const visit = (t: number): number => {
    const node = nodes[t];
    if (node.feature < 0) return (uniform[t] = positive(node) ? 1 : 0);
    const a = visit(node.left);
    const b = visit(node.right);
    return (uniform[t] = a === b ? a : -1);
  };
  visit(0);
  const out: LeafPath[] = [];
  const walk = (t: number, steps: PathStep[]) => {
    const node = nodes[t];
    if (node.feature < 0 || (merge && uniform[t] >= 0)) {
      // A merged subtree is reported as one leaf: its root with the uniform prediction.
      out.push({ node: t, positive: node.feature < 0 ? positive(node) : uniform[t] === 1, steps });
      return;
    }
    const exact = node.threshold;
    const threshold = readableThreshold(node.leftMax, node.rightMin, exact, tolerance[node.feature]);
    walk(node.left, [...steps, { feature: node.feature, left: true, threshold, exact }]);
    walk(node.right, [...steps, { feature: node.feature, left: false, threshold, exact }]);
  };
  walk(0, []);
  return out;
}

/** Conditions of one path, one per column (in column order): bounds merged, categories combined. */
function mergeConditions(
  steps: PathStep[],
  features: TreeFeature[],
  columnOrder: Map<string, number>,
  columnCategories: Map<string, (string | null)[]>,
): RuleCondition[] {
  const byColumn = new Map<
    string,
    {
      lower?: number;
      upper?: number;
      exactLower?: number;
      exactUpper?: number;
      equals?: string | null;
      notIn: (string | null)[];
    }
  >();
  for (const s of steps) {
    const f = features[s.feature];
    let c = byColumn.get(f.column);
    if (!c) {
      c = { notIn: [] };
      byColumn.set(f.column, c);
    }
    if (f.kind === "numeric") {
      if (s.left) c.upper = c.upper === undefined ? s.threshold : Math.min(c.upper, s.threshold);
      else c.lower = c.lower === undefined ? s.threshold : Math.max(c.lower, s.threshold);
      if (s.left) c.exactUpper = c.exactUpper === undefined ? s.exact : Math.min(c.exactUpper, s.exact);
      else c.exactLower = c.exactLower === undefined ? s.exact : Math.max(c.exactLower, s.exact);
    } else if (s.left) {
      // indicator <= 0.5: not this category
      if (!c.notIn.includes(f.category!)) c.notIn.push(f.category!);
    } else {
      c.equals = f.category!;
    }
  }
  const out: RuleCondition[] = [];
  const names = [...byColumn.keys()].sort((a, b) => columnOrder.get(a)! - columnOrder.get(b)!);
  for (const name of names) {
    const c = byColumn.get(name)!;
    const f = features.find((x) => x.column === name)!;
    if (f.kind === "categorical" && c.equals === undefined) {
      // Excluding all categories but one is that one.
      const remaining = (columnCategories.get(name) ?? []).filter((k) => !c.notIn.includes(k));
      if (remaining.length === 1) c.equals = remaining[0];
    }
    if (f.kind === "numeric") {
      if (c.lower !== undefined && c.upper !== undefined && c.lower >= c.upper) {
        // Shortening collapsed a narrow range: keep the tree's thresholds.
        c.lower = c.exactLower;
        c.upper = c.exactUpper;
      }
      const cond: RuleCondition = { feature: name, kind: "numeric", text: "" };
      if (c.lower !== undefined) cond.lower = c.lower;
      if (c.upper !== undefined) cond.upper = c.upper;
      cond.text =
        c.lower !== undefined && c.upper !== undefined
          ? `${formatRuleNumber(c.lower)} < ${name} <= ${formatRuleNumber(c.upper)}`
          : c.lower !== undefined
            ? `${name} > ${formatRuleNumber(c.lower)}`
            : `${name} <= ${formatRuleNumber(c.upper!)}`;
      out.push(cond);
    } else if (c.equals !== undefined) {
      out.push({ feature: name, kind: "categorical", equals: c.equals, text: `${name} is ${categoryText(c.equals)}` });
    } else {
      const list = c.notIn.map(categoryText);
      out.push({
        feature: name,
        kind: "categorical",
        notIn: [...c.notIn],
        text: list.length === 1 ? `${name} is not ${list[0]}` : `${name} is none of ${list.join(", ")}`,
      });
    }
  }
  return out;
}

function holds(
  c: RuleCondition,
  column: { kind: "numeric"; values: Float64Array } | { kind: "categorical"; values: ReadonlyArray<string | null> },
  i: number,
): boolean {
  if (column.kind === "numeric") {
    const x = column.values[i];
    return (c.lower === undefined || x > c.lower) && (c.upper === undefined || x <= c.upper);
  }
  const v = column.values[i];
  if (c.equals !== undefined) return v === c.equals;
  return !(c.notIn ?? []).includes(v);
}

function ruleText(alternatives: RuleCondition[][]): string {
  if (alternatives.length === 0) return "no rule";
  const parts = alternatives.map((conds) => (conds.length === 0 ? "all rows" : conds.map((c) => c.text).join(" and ")));
  if (parts.length === 1) return parts[0];
  return parts.map((p, i) => (alternatives[i].length > 1 ? `(${p})` : p)).join(" or ");
}
