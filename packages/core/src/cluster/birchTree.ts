// The clustering-feature (CF) tree of BIRCH, replaying scikit-learn 1.9's `_CFNode` /
// `_CFSubcluster` / `_split_node` operation by operation (same insertion order, same
// floating-point formulas), so the leaf subclusters come out the same. Private helper of birch.ts.
import { ValidationError } from "../errors.js";
import { gramFma, squaredNormEinsum } from "./birchArithmetic.js";

/** A clustering feature: count, linear sum and sum of squared norms of a set of samples. */
export interface CFSubcluster {
  n: number;
  /** Linear sum (length d; owned, except for a sample on its way down the tree). */
  ls: Float64Array;
  /** Sum of squared norms. */
  ss: number;
  /** Centroid (length d; owned, except for a sample on its way down the tree). */
  centroid: Float64Array;
  /** Squared norm of the centroid. */
  sqNorm: number;
  /** The node this subcluster summarises (non-leaf levels), or null in a leaf. */
  child: CFNode | null;
}

/** A node: up to branchingFactor (+1 transiently) subclusters; leaves are doubly linked. */
export interface CFNode {
  isLeaf: boolean;
  subclusters: CFSubcluster[];
  /** Centroids of the subclusters, row-major, (branchingFactor + 1) x d. */
  centroids: Float64Array;
  /** Squared norms of the centroids. */
  sqNorms: Float64Array;
  prevLeaf: CFNode | null;
  nextLeaf: CFNode | null;
}

/** The whole tree: the root, the dummy leaf heading the leaf list, and the parameters. */
export interface CFTree {
  root: CFNode;
  dummy: CFNode;
  d: number;
  threshold: number;
  branchingFactor: number;
}

function dot(a: Float64Array, b: Float64Array, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[t] * b[t];
  return s;
}

function newNode(isLeaf: boolean, bf: number, d: number): CFNode {
  return {
    isLeaf,
    subclusters: [],
    centroids: new Float64Array((bf + 1) * d),
    sqNorms: new Float64Array(bf + 1),
    prevLeaf: null,
    nextLeaf: null,
  };
}

/** An empty tree: a leaf root behind a dummy leaf. */
export function newTree(d: number, threshold: number, branchingFactor: number): CFTree {
  const root = newNode(true, branchingFactor, d);
  const dummy = newNode(true, branchingFactor, d);
  dummy.nextLeaf = root;
  root.prevLeaf = dummy;
  return { root, dummy, d, threshold, branchingFactor };
}

function emptySubcluster(d: number, child: CFNode): CFSubcluster {
  return { n: 0, ls: new Float64Array(d), ss: 0, centroid: new Float64Array(d), sqNorm: 0, child };
}

function append(node: CFNode, sub: CFSubcluster, d: number): void {
  const i = node.subclusters.length;
  node.subclusters.push(sub);
  node.centroids.set(sub.centroid, i * d);
  node.sqNorms[i] = sub.sqNorm;
}

/** `_CFSubcluster.update`: adds `b` into `a` (centroid = linear sum / n). */
function update(a: CFSubcluster, b: CFSubcluster, d: number): void {
  a.n += b.n;
  for (let t = 0; t < d; t++) a.ls[t] += b.ls[t];
  a.ss += b.ss;
  for (let t = 0; t < d; t++) a.centroid[t] = a.ls[t] / a.n;
  a.sqNorm = dot(a.centroid, a.centroid, d);
}

/** Gives a sample subcluster its own arrays before it is stored in the tree. */
function own(sub: CFSubcluster): CFSubcluster {
  sub.ls = sub.ls.slice();
  sub.centroid = sub.centroid.slice();
  return sub;
}

/** Scratch space for `merge`. */
interface Scratch {
  ls: Float64Array;
  centroid: Float64Array;
}

/**
 * `_CFSubcluster.merge_subcluster`: absorbs `b` into `a` when the merged squared radius
 * `ss / n - ||ls / n||^2` is <= threshold^2 (the centroid computed as `(1 / n) * ls`, as scikit-learn).
 */
function merge(a: CFSubcluster, b: CFSubcluster, threshold: number, d: number, s: Scratch): boolean {
  const newSs = a.ss + b.ss;
  const newN = a.n + b.n;
  const inv = 1 / newN;
  for (let t = 0; t < d; t++) {
    const v = a.ls[t] + b.ls[t];
    s.ls[t] = v;
    s.centroid[t] = inv * v;
  }
  const newSqNorm = dot(s.centroid, s.centroid, d);
  const sqRadius = newSs / newN - newSqNorm;
  if (sqRadius <= threshold * threshold) {
    a.n = newN;
    a.ls.set(s.ls);
    a.ss = newSs;
    a.centroid.set(s.centroid);
    a.sqNorm = newSqNorm;
    return true;
  }
  return false;
}

/**
 * `_split_node`: the two subclusters farthest apart (largest squared distance, first in row-major
 * order; distances as scikit-learn's `euclidean_distances`: `(-2 c_i.c_j + |c_i|^2) + |c_j|^2`,
 * clipped at 0, zero diagonal, with its kernels' rounding replayed by birchArithmetic.ts, since the
 * mirror entries d(i, j) and d(j, i) differ only by rounding and decide which seed comes first)
 * seed two new nodes; every subcluster goes to the nearer seed (the
 * second on ties). Leaves are relinked in place of the old one.
 */
function splitNode(node: CFNode, tree: CFTree): [CFSubcluster, CFSubcluster] {
  const { d, branchingFactor: bf } = tree;
  const node1 = newNode(node.isLeaf, bf, d);
  const node2 = newNode(node.isLeaf, bf, d);
  const s1 = emptySubcluster(d, node1);
  const s2 = emptySubcluster(d, node2);
  if (node.isLeaf) {
    if (node.prevLeaf !== null) node.prevLeaf.nextLeaf = node1;
    node1.prevLeaf = node.prevLeaf;
    node1.nextLeaf = node2;
    node2.prevLeaf = node1;
    node2.nextLeaf = node.nextLeaf;
    if (node.nextLeaf !== null) node.nextLeaf.prevLeaf = node2;
  }
  const m = node.subclusters.length;
  const C = node.centroids;
  const xx = new Float64Array(m);
  for (let i = 0; i < m; i++) xx[i] = squaredNormEinsum(C, i, d);
  const dist = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const g = -2 * gramFma(C, i, j, d);
      const a = g + xx[i] + xx[j];
      const b = g + xx[j] + xx[i];
      dist[i * m + j] = Math.max(a, 0);
      dist[j * m + i] = Math.max(b, 0);
    }
  }
  let f0 = 0;
  let f1 = 0;
  let best = dist[0];
  for (let p = 1; p < m * m; p++) {
    if (dist[p] > best) {
      best = dist[p];
      f0 = Math.floor(p / m);
      f1 = p - f0 * m;
    }
  }
  const subs = node.subclusters;
  for (let i = 0; i < m; i++) {
    const closer1 = i === f0 || dist[f0 * m + i] < dist[f1 * m + i];
    if (closer1) {
      append(node1, subs[i], d);
      update(s1, subs[i], d);
    } else {
      append(node2, subs[i], d);
      update(s2, subs[i], d);
    }
  }
  return [s1, s2];
}

/** `_CFNode.insert_cf_subcluster`; returns true when this node now needs a split. */
function insert(node: CFNode, sub: CFSubcluster, tree: CFTree, scratch: Scratch): boolean {
  const { d, threshold, branchingFactor: bf } = tree;
  const subs = node.subclusters;
  if (subs.length === 0) {
    append(node, own(sub), d);
    return false;
  }
  // Closest subcluster by -2 c.x + |c|^2 (the same argmin as the squared distance).
  let ci = 0;
  let best = Number.POSITIVE_INFINITY;
  const x = sub.centroid;
  for (let i = 0; i < subs.length; i++) {
    const v = dot(node.centroids.subarray(i * d, (i + 1) * d), x, d) * -2 + node.sqNorms[i];
    if (v < best) {
      best = v;
      ci = i;
    }
  }
  const closest = subs[ci];
  if (closest.child !== null) {
    const split = insert(closest.child, sub, tree, scratch);
    if (!split) {
      update(closest, sub, d);
      node.centroids.set(closest.centroid, ci * d);
      node.sqNorms[ci] = closest.sqNorm;
      return false;
    }
    const [n1, n2] = splitNode(closest.child, tree);
    // update_split_subclusters: n1 replaces the split subcluster, n2 is appended.
    subs[ci] = n1;
    node.centroids.set(n1.centroid, ci * d);
    node.sqNorms[ci] = n1.sqNorm;
    append(node, n2, d);
    return subs.length > bf;
  }
  if (merge(closest, sub, threshold, d, scratch)) {
    node.centroids.set(closest.centroid, ci * d);
    node.sqNorms[ci] = closest.sqNorm;
    return false;
  }
  append(node, own(sub), d);
  return subs.length > bf;
}

/** Inserts rows [0, rows) of X (row-major, d columns) in order, as scikit-learn's `_fit` loop. */
export function insertRows(tree: CFTree, data: Float64Array, rows: number): void {
  const { d, branchingFactor: bf } = tree;
  if (rows === 0) return;
  const scratch: Scratch = { ls: new Float64Array(d), centroid: new Float64Array(d) };
  for (let r = 0; r < rows; r++) {
    const x = data.subarray(r * d, (r + 1) * d);
    const sq = dot(x, x, d);
    const sub: CFSubcluster = { n: 1, ls: x, ss: sq, centroid: x, sqNorm: sq, child: null };
    if (insert(tree.root, sub, tree, scratch)) {
      const [s1, s2] = splitNode(tree.root, tree);
      const root = newNode(false, bf, d);
      append(root, s1, d);
      append(root, s2, d);
      tree.root = root;
    }
  }
}

/** The leaves in linked-list order. */
export function leaves(tree: CFTree): CFNode[] {
  const out: CFNode[] = [];
  for (let p = tree.dummy.nextLeaf; p !== null; p = p.nextLeaf) out.push(p);
  return out;
}

/** Leaf subcluster centroids in leaf order (scikit-learn's `subcluster_centers_`), with their sizes. */
export function leafCentroids(tree: CFTree): { centers: Float64Array; sizes: Float64Array; count: number } {
  const { d } = tree;
  const ls = leaves(tree);
  let count = 0;
  for (const leaf of ls) count += leaf.subclusters.length;
  const centers = new Float64Array(count * d);
  const sizes = new Float64Array(count);
  let r = 0;
  for (const leaf of ls) {
    const m = leaf.subclusters.length;
    centers.set(leaf.centroids.subarray(0, m * d), r * d);
    for (let i = 0; i < m; i++) sizes[r + i] = leaf.subclusters[i].n;
    r += m;
  }
  return { centers, sizes, count };
}

/** A deep copy (nodes, subclusters, arrays and leaf links), so a fitted model stays immutable. */
export function cloneTree(tree: CFTree): CFTree {
  const map = new Map<CFNode, CFNode>();
  const copyNode = (node: CFNode): CFNode => {
    const c: CFNode = {
      isLeaf: node.isLeaf,
      subclusters: [],
      centroids: node.centroids.slice(),
      sqNorms: node.sqNorms.slice(),
      prevLeaf: null,
      nextLeaf: null,
    };
    map.set(node, c);
    for (const s of node.subclusters) {
      c.subclusters.push({
        n: s.n,
        ls: s.ls.slice(),
        ss: s.ss,
        centroid: s.centroid.slice(),
        sqNorm: s.sqNorm,
        child: s.child === null ? null : copyNode(s.child),
      });
    }
    return c;
  };
  const root = copyNode(tree.root);
  const dummy = copyNode(tree.dummy);
  let prev = dummy;
  for (let p = tree.dummy.nextLeaf; p !== null; p = p.nextLeaf) {
    const c = map.get(p);
    if (c === undefined) throw new Error("cloneTree: a leaf in the list is not in the tree");
    prev.nextLeaf = c;
    c.prevLeaf = prev;
    prev = c;
  }
  return { root, dummy, d: tree.d, threshold: tree.threshold, branchingFactor: tree.branchingFactor };
}

/** JSON form of a tree: nodes in depth-first order (root first), subclusters with their child node index. */
export interface CFTreeJSON {
  nodes: {
    leaf: boolean;
    subclusters: { n: number; ls: number[]; ss: number; centroid: number[]; sqNorm: number; child: number }[];
  }[];
  /** Node indices of the leaves in linked-list order. */
  leaves: number[];
}

export function treeToJSON(tree: CFTree): CFTreeJSON {
  const index = new Map<CFNode, number>();
  const nodes: CFTreeJSON["nodes"] = [];
  const visit = (node: CFNode): number => {
    const id = nodes.length;
    index.set(node, id);
    const entry: CFTreeJSON["nodes"][number] = { leaf: node.isLeaf, subclusters: [] };
    nodes.push(entry);
    for (const s of node.subclusters) {
      entry.subclusters.push({
        n: s.n,
        ls: Array.from(s.ls),
        ss: s.ss,
        centroid: Array.from(s.centroid),
        sqNorm: s.sqNorm,
        child: s.child === null ? -1 : visit(s.child),
      });
    }
    return id;
  };
  visit(tree.root);
  const leafIds: number[] = [];
  for (let p = tree.dummy.nextLeaf; p !== null; p = p.nextLeaf) leafIds.push(index.get(p) as number);
  return { nodes, leaves: leafIds };
}

export function treeFromJSON(json: unknown, d: number, threshold: number, branchingFactor: number): CFTree {
  const bad = (why: string) => new ValidationError(`invalid model JSON: tree ${why}`);
  const j = json as CFTreeJSON;
  if (
    typeof j !== "object" ||
    j === null ||
    !Array.isArray(j.nodes) ||
    !Array.isArray(j.leaves) ||
    j.nodes.length === 0
  ) {
    throw bad("must have non-empty nodes and leaves arrays");
  }
  const nodes: CFNode[] = j.nodes.map((e) => newNode(Boolean(e.leaf), branchingFactor, d));
  const used = new Uint8Array(nodes.length);
  const nums = (a: unknown, name: string): Float64Array => {
    if (!Array.isArray(a) || a.length !== d || a.some((v) => typeof v !== "number")) {
      throw bad(`${name} must be an array of ${d} numbers`);
    }
    return Float64Array.from(a as number[]);
  };
  j.nodes.forEach((e, id) => {
    if (!Array.isArray(e.subclusters) || e.subclusters.length > branchingFactor + 1) {
      throw bad(`node ${id} has no valid subclusters array`);
    }
    for (const s of e.subclusters) {
      let child: CFNode | null = null;
      if (s.child !== -1) {
        if (!Number.isInteger(s.child) || s.child <= id || s.child >= nodes.length || used[s.child]) {
          throw bad(`node ${id} refers to an invalid child ${String(s.child)}`);
        }
        used[s.child] = 1;
        child = nodes[s.child];
      }
      if (typeof s.n !== "number" || typeof s.ss !== "number" || typeof s.sqNorm !== "number") {
        throw bad(`node ${id} has a subcluster with non-numeric n, ss or sqNorm`);
      }
      append(
        nodes[id],
        { n: s.n, ls: nums(s.ls, "ls"), ss: s.ss, centroid: nums(s.centroid, "centroid"), sqNorm: s.sqNorm, child },
        d,
      );
    }
  });
  const dummy = newNode(true, branchingFactor, d);
  let prev = dummy;
  for (const id of j.leaves) {
    if (!Number.isInteger(id) || id < 0 || id >= nodes.length || !nodes[id].isLeaf) throw bad(`leaf ${id} is invalid`);
    prev.nextLeaf = nodes[id];
    nodes[id].prevLeaf = prev;
    prev = nodes[id];
  }
  return { root: nodes[0], dummy, d, threshold, branchingFactor };
}
