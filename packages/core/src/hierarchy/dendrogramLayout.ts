import { invalid, ValidationError } from "../errors.js";
import { asLinkageMatrix, type LinkageMatrixLike } from "./linkageMatrix.js";

/** How to sort the two children of each link (scipy's `count_sort` / `distance_sort`). */
export type DendrogramSort = boolean | "ascending" | "descending";

/** Options for `dendrogramLayout`. */
export interface DendrogramLayoutOptions {
  /**
   * Collapse part of the tree. "lastp": keep only the last `p` merges, so `p` leaves remain
   * (non-singleton ones stand for whole clusters). "level": keep `p` levels below the root.
   * Default null (the full tree).
   */
  truncateMode?: "lastp" | "level" | null;
  /** Parameter of `truncateMode` (integer >= 0). Default 30. For "lastp", 0 or > n means n; for "level", 0 means no limit. */
  p?: number;
  /**
   * Links lower than this get one colour per cluster below the threshold; links at or above it
   * get `aboveThresholdColor`. A value <= 0 colours everything `aboveThresholdColor`.
   * Default 0.7 * the largest height (scipy's default).
   */
  colorThreshold?: number;
  /** Leaf labels, one per observation. Default: the observation ids as strings. */
  labels?: readonly string[];
  /** Order children by their number of observations: true/"ascending" puts the smaller cluster first. Default false. */
  countSort?: DendrogramSort;
  /** Order children by their height: true/"ascending" puts the lower one first (ignored when countSort is set). Default false. */
  distanceSort?: DendrogramSort;
  /** Label collapsed leaves with their size, e.g. "(12)"; otherwise with "". Default true. */
  showLeafCounts?: boolean;
  /** Colours cycled for the clusters below the threshold. Default scipy's ["C1", ..., "C9"] (matplotlib cycle names). */
  palette?: readonly string[];
  /** Colour of links at or above the threshold. Default "C0". */
  aboveThresholdColor?: string;
}

/**
 * Everything needed to draw a dendrogram, in scipy's `dendrogram(Z, no_plot=True)` conventions
 * (orientation "top"): leaf k sits at x = 5 + 10 k, a link is the 4-point polyline
 * `(icoord[j][t], dcoord[j][t])` going up from the left child, across at the merge height and
 * down to the right child. Links are listed in post-order, as scipy does.
 */
export interface DendrogramLayout {
  /** x coordinates of each link: [left, left, right, right]. */
  icoord: number[][];
  /** y coordinates of each link: [left child height, height, height, right child height]. */
  dcoord: number[][];
  /** Leaf labels left to right; collapsed leaves read "(size)" (or "" without showLeafCounts). */
  ivl: string[];
  /** Node id of each leaf left to right: an observation (< n) or a collapsed cluster (>= n). */
  leaves: number[];
  /** Number of observations under each leaf (1 for an observation, the cluster size for a collapsed leaf). */
  leafSizes: number[];
  /** Colour of each link (same order as icoord). */
  colorList: string[];
  /** Colour of the link above each leaf (scipy's `leaves_color_list`); null when the root itself is the only leaf. */
  leavesColorList: (string | null)[];
}

const DEFAULT_PALETTE = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"];

interface Frame {
  i: number;
  iv: number;
  level: number;
  stage: number;
  ua: number;
  ub: number;
  uiva: number;
  uwa: number;
  uah: number;
  uamd: number;
  h: number;
  color: string;
}

/**
 * Computes dendrogram coordinates and labels for a chart (no drawing). Reproduces scipy's
 * `dendrogram(Z, p, truncate_mode, color_threshold, labels, count_sort, distance_sort,
 * show_leaf_counts, no_plot=True)` output: icoord, dcoord, ivl, leaves, color_list and
 * leaves_color_list, plus the size of every (possibly collapsed) leaf. Iterative, so deep trees
 * do not overflow the stack.
 */
export function dendrogramLayout(Z: LinkageMatrixLike, options: DendrogramLayoutOptions = {}): DendrogramLayout {
  const z = asLinkageMatrix(Z);
  const zd = z.data;
  const n = z.rows + 1;
  const mode = options.truncateMode ?? null;
  if (mode !== null && mode !== "lastp" && mode !== "level") {
    throw invalid("truncateMode", mode, 'must be "lastp", "level" or null');
  }
  let p = options.p ?? 30;
  if (typeof p !== "number" || !Number.isInteger(p) || p < 0) throw invalid("p", p, "must be an integer >= 0");
  if (mode === "lastp" && (p > n || p === 0)) p = n;
  if (mode === "level" && p <= 0) p = Number.POSITIVE_INFINITY;
  const labels = options.labels;
  if (labels !== undefined && labels.length !== n) {
    throw new ValidationError(`invalid labels: ${labels.length} labels for ${n} observations`);
  }
  const showLeafCounts = options.showLeafCounts ?? true;
  const palette = options.palette ?? DEFAULT_PALETTE;
  if (palette.length === 0) throw invalid("palette", palette, "must have at least one colour");
  const above = options.aboveThresholdColor ?? "C0";
  let threshold = options.colorThreshold;
  if (threshold === undefined) {
    let mh = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < z.rows; r++) mh = Math.max(mh, zd[4 * r + 2]);
    threshold = 0.7 * mh;
  } else if (typeof threshold !== "number" || Number.isNaN(threshold)) {
    throw invalid("colorThreshold", threshold, "must be a number");
  }
  const countSort = options.countSort ?? false;
  const distanceSort = options.distanceSort ?? false;

  const out: DendrogramLayout = {
    icoord: [],
    dcoord: [],
    ivl: [],
    leaves: [],
    leafSizes: [],
    colorList: [],
    leavesColorList: [],
  };
  let currentColor = 0;
  let below = false;

  const singleton = (i: number) => {
    out.leaves.push(i);
    out.ivl.push(labels ? labels[i] : String(i));
    out.leafSizes.push(1);
  };
  const collapsed = (i: number) => {
    const size = zd[4 * (i - n) + 3];
    out.leaves.push(i);
    out.ivl.push(showLeafCounts ? `(${size})` : "");
    out.leafSizes.push(size);
  };
  /** Places node i as a leaf if it is one (or is truncated); returns false for an inner node. */
  const placeLeaf = (i: number, level: number): boolean => {
    if (mode === "lastp") {
      if (2 * n - p > i && i >= n) {
        collapsed(i);
        return true;
      }
    } else if (mode === "level") {
      if (i > n && level > p) {
        collapsed(i);
        return true;
      }
    }
    if (i < n) {
      singleton(i);
      return true;
    }
    return false;
  };

  // Return values of the last finished subtree: x of its top, width, height, max height below.
  let rx = 0;
  let rw = 0;
  let rh = 0;
  let rmd = 0;
  const frames: Frame[] = [];
  /** Places a leaf (setting the return values) or pushes a frame for an inner node (returns true). */
  const enter = (i: number, iv: number, level: number): boolean => {
    if (placeLeaf(i, level)) {
      rx = iv + 5;
      rw = 10;
      rh = 0;
      rmd = i >= n ? zd[4 * (i - n) + 2] : 0;
      return false;
    }
    frames.push({ i, iv, level, stage: 0, ua: 0, ub: 0, uiva: 0, uwa: 0, uah: 0, uamd: 0, h: 0, color: "" });
    return true;
  };

  enter(2 * n - 2, 0, 0);
  while (frames.length > 0) {
    const f = frames[frames.length - 1];
    if (f.stage === 0) {
      const r = f.i - n;
      const aa = zd[4 * r];
      const ab = zd[4 * r + 1];
      const na = aa >= n ? zd[4 * (aa - n) + 3] : 1;
      const da = aa >= n ? zd[4 * (aa - n) + 2] : 0;
      const nb = ab >= n ? zd[4 * (ab - n) + 3] : 1;
      const db = ab >= n ? zd[4 * (ab - n) + 2] : 0;
      let swap = false;
      if (countSort === "ascending" || countSort === true) swap = na > nb;
      else if (countSort === "descending") swap = !(na > nb);
      else if (distanceSort === "ascending" || distanceSort === true) swap = da > db;
      else if (distanceSort === "descending") swap = !(da > db);
      f.ua = swap ? ab : aa;
      f.ub = swap ? aa : ab;
      f.stage = 1;
      if (enter(f.ua, f.iv, f.level + 1)) continue;
    }
    if (f.stage === 1) {
      f.uiva = rx;
      f.uwa = rw;
      f.uah = rh;
      f.uamd = rmd;
      const h = zd[4 * (f.i - n) + 2];
      f.h = h;
      // The colour is decided between the two subtrees, as in scipy: it depends on what the
      // left subtree did to the colour cycle.
      if (h >= threshold || threshold <= 0) {
        f.color = above;
        if (below) currentColor = (currentColor + 1) % palette.length;
        below = false;
      } else {
        below = true;
        f.color = palette[currentColor];
      }
      f.stage = 2;
      if (enter(f.ub, f.iv + f.uwa, f.level + 1)) continue;
    }
    const h = f.h;
    const maxDist = Math.max(f.uamd, rmd, h);
    out.icoord.push([f.uiva, f.uiva, rx, rx]);
    out.dcoord.push([f.uah, h, h, rh]);
    out.colorList.push(f.color);
    frames.pop();
    rx = (f.uiva + rx) / 2;
    rw = f.uwa + rw;
    rh = h;
    rmd = maxDist;
  }

  out.leavesColorList = new Array(out.leaves.length).fill(null);
  for (let j = 0; j < out.icoord.length; j++) {
    const xs = out.icoord[j];
    const ys = out.dcoord[j];
    for (let t = 0; t < 4; t++) {
      const x = xs[t];
      // scipy's rule: a point at height 0 on an odd multiple of 5 is a leaf.
      if (ys[t] === 0 && x % 5 === 0 && x % 2 === 1) out.leavesColorList[(x - 5) / 10] = out.colorList[j];
    }
  }
  return out;
}
