import { invalid } from "../errors.js";
import type { Matrix } from "../matrix.js";

/** Largest number of (possibly empty) cells a grid may span; beyond it `UniformGrid.build` returns null. */
export const MAX_GRID_CELLS = 2 ** 31 - 1;

/** Largest number of cells along one axis (keeps the cell arithmetic far from rounding trouble). */
const MAX_CELLS_PER_AXIS = 2 ** 26;

/**
 * A uniform grid for fixed-radius neighbour search in low dimension (DBSCAN's fast path for d <= 3).
 *
 * Cells are axis-aligned cubes of side `radius / sqrt(d)` (times 1 + 2^-20, a margin that absorbs
 * rounding in the cell computation), so a cell's diagonal is about `radius`. Only occupied cells are
 * stored: rows are sorted by cell with a stable radix sort (rows of one cell stay in index order);
 * `order`/`cellStart` give each cell's rows as a range, `points` holds the coordinates in that order,
 * `lower`/`upper` each cell's bounding box (of its actual rows, not of the cell). Every row within
 * Euclidean distance `radius` of a row of cell c (hence also within Manhattan distance `radius`) lies
 * in one of the cells returned by `neighborCells(c, out)`: the cells at offsets up to ceil(sqrt(d))
 * per axis, minus the corner offsets that are provably farther than `radius` (21 cells in 2-D, 117 in
 * 3-D). It does not cover a Chebyshev ball. Nothing is allocated per point; neighbour cells are found
 * through a dense table (when the grid spans at most 4n + 65536 cells) or an open-addressing hash.
 *
 * Callers combine it with bounding-box tests on `lower`/`upper`: computed with the same subtractions
 * as a per-row distance, they never disagree with the per-row test (rounding is monotone).
 */
export class UniformGrid {
  /** Number of rows. */
  readonly rows: number;
  /** Number of features. */
  readonly cols: number;
  /** Side of a cell. */
  readonly cellSide: number;
  /** Number of occupied cells. */
  readonly cellCount: number;
  /** Most cells `neighborCells` can return. */
  readonly stencilSize: number;
  /** Sorted position -> original row index. */
  readonly order: Int32Array;
  /** Original row index -> sorted position. */
  readonly position: Int32Array;
  /** Rows of cell c are sorted positions `cellStart[c] .. cellStart[c + 1] - 1` (length cellCount + 1). */
  readonly cellStart: Int32Array;
  /** Cell of each sorted position. */
  readonly cellOf: Int32Array;
  /** Coordinates in sorted order (row-major). */
  readonly points: Float64Array;
  /** Bounding box of each cell's rows (cellCount x cols). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;

  private readonly stencilDelta: Float64Array;
  private readonly cellKeys: Float64Array;
  private readonly table: Int32Array | null;
  private readonly hashKeys: Float64Array | null;
  private readonly hashValues: Int32Array | null;
  private readonly hashMask: number;

  private constructor(f: {
    rows: number;
    cols: number;
    cellSide: number;
    order: Int32Array;
    position: Int32Array;
    cellStart: Int32Array;
    cellOf: Int32Array;
    points: Float64Array;
    lower: Float64Array;
    upper: Float64Array;
    stencilDelta: Float64Array;
    cellKeys: Float64Array;
    table: Int32Array | null;
    hashKeys: Float64Array | null;
    hashValues: Int32Array | null;
    hashMask: number;
  }) {
    this.rows = f.rows;
    this.cols = f.cols;
    this.cellSide = f.cellSide;
    this.order = f.order;
    this.position = f.position;
    this.cellStart = f.cellStart;
    this.cellOf = f.cellOf;
    this.points = f.points;
    this.lower = f.lower;
    this.upper = f.upper;
    this.stencilDelta = f.stencilDelta;
    this.cellKeys = f.cellKeys;
    this.table = f.table;
    this.hashKeys = f.hashKeys;
    this.hashValues = f.hashValues;
    this.hashMask = f.hashMask;
    this.cellCount = f.cellStart.length - 1;
    this.stencilSize = f.stencilDelta.length;
  }

  /**
   * Builds the grid for neighbour radius `radius` (> 0, finite), or returns null when the bounding box
   * would span more than `maxCells` cells (or 2^26 along one axis): a tiny radius against a wide range.
   * Callers then use a tree.
   */
  static build(X: Matrix, radius: number, maxCells = MAX_GRID_CELLS): UniformGrid | null {
    if (!(radius > 0) || !Number.isFinite(radius)) throw invalid("radius", radius, "must be a finite number > 0");
    const n = X.rows;
    const d = X.cols;
    const data = X.data;
    const side = (radius / Math.sqrt(d)) * (1 + 2 ** -20);
    const reach = Math.ceil(radius / side);
    const min = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
    const max = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < d; t++) {
        const v = data[i * d + t];
        if (v < min[t]) min[t] = v;
        if (v > max[t]) max[t] = v;
      }
    }
    // cells per axis and row-major strides (last axis fastest)
    const axisCounts = new Int32Array(d);
    const strides = new Float64Array(d);
    let total = 1;
    // The grid is padded with `reach` empty cells on each side, so a stencil offset from an occupied
    // cell never leaves the box and needs no bounds check.
    for (let t = d - 1; t >= 0; t--) {
      const m = n === 0 ? 1 : Math.floor((max[t] - min[t]) / side) + 1;
      if (!(m <= MAX_CELLS_PER_AXIS)) return null;
      axisCounts[t] = m;
      strides[t] = total;
      total *= m + 2 * reach;
      if (total > maxCells) return null;
    }
    const inv = 1 / side;
    const keys = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let key = 0;
      for (let t = 0; t < d; t++) {
        let c = Math.floor((data[i * d + t] - min[t]) * inv);
        if (c >= axisCounts[t]) c = axisCounts[t] - 1;
        key += (c + reach) * strides[t];
      }
      keys[i] = key;
    }
    const { order, sortedKeys, sortedPoints: points } = radixSortRows(keys, data, d, total);
    let cellCount = 0;
    for (let s = 0; s < n; s++) if (s === 0 || sortedKeys[s] !== sortedKeys[s - 1]) cellCount++;
    const cellStart = new Int32Array(cellCount + 1);
    const cellKeys = new Float64Array(cellCount);
    const cellOf = new Int32Array(n);
    const position = new Int32Array(n);
    const lower = new Float64Array(cellCount * d).fill(Number.POSITIVE_INFINITY);
    const upper = new Float64Array(cellCount * d).fill(Number.NEGATIVE_INFINITY);
    let c = -1;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      if (s === 0 || sortedKeys[s] !== sortedKeys[s - 1]) {
        c++;
        cellStart[c] = s;
        cellKeys[c] = sortedKeys[s];
      }
      cellOf[s] = c;
      position[i] = s;
      for (let t = 0; t < d; t++) {
        const v = points[s * d + t];
        if (v < lower[c * d + t]) lower[c * d + t] = v;
        if (v > upper[c * d + t]) upper[c * d + t] = v;
      }
    }
    cellStart[cellCount] = n;

    // Stencil: offsets in {-reach..reach}^d whose cells can hold a row within `radius`. Two rows in cells
    // offset by o are at least side * sqrt(sum max(|o_t| - 1, 0)^2) apart; offsets where that bound
    // exceeds radius by the 2^-20 margin (e.g. the (2, 2) corners in 2-D) are dropped. Self comes first.
    const width = 2 * reach + 1;
    const all = width ** d;
    const offs: number[] = [];
    for (let k = 0; k < all; k++) {
      let r = k;
      const o: number[] = new Array(d);
      let gaps = 0;
      let zero = true;
      for (let t = d - 1; t >= 0; t--) {
        o[t] = (r % width) - reach;
        r = Math.floor(r / width);
        const g = Math.max(Math.abs(o[t]) - 1, 0);
        gaps += g * g;
        if (o[t] !== 0) zero = false;
      }
      if (zero) continue;
      if (gaps * side * side > radius * radius * (1 + 2 ** -22)) continue;
      offs.push(...o);
    }
    const stencilSize = offs.length / d + 1;
    const stencilOffsets = new Int32Array(stencilSize * d);
    stencilOffsets.set(offs, d);
    const stencilDelta = new Float64Array(stencilSize);
    for (let k = 0; k < stencilSize; k++) {
      let delta = 0;
      for (let t = 0; t < d; t++) delta += stencilOffsets[k * d + t] * strides[t];
      stencilDelta[k] = delta;
    }

    let table: Int32Array | null = null;
    let hashKeys: Float64Array | null = null;
    let hashValues: Int32Array | null = null;
    let hashMask = 0;
    if (total <= 4 * n + 65536) {
      table = new Int32Array(total).fill(-1);
      for (let q = 0; q < cellCount; q++) table[cellKeys[q]] = q;
    } else {
      let cap = 16;
      while (cap < 2 * cellCount) cap *= 2;
      hashMask = cap - 1;
      hashKeys = new Float64Array(cap).fill(-1);
      hashValues = new Int32Array(cap);
      for (let q = 0; q < cellCount; q++) {
        let h = hashSlot(cellKeys[q], hashMask);
        while (hashKeys[h] !== -1) h = (h + 1) & hashMask;
        hashKeys[h] = cellKeys[q];
        hashValues[h] = q;
      }
    }
    return new UniformGrid({
      rows: n,
      cols: d,
      cellSide: side,
      order,
      position,
      cellStart,
      cellOf,
      points,
      lower,
      upper,
      stencilDelta,
      cellKeys,
      table,
      hashKeys,
      hashValues,
      hashMask,
    });
  }

  /**
   * Writes the occupied cells that can hold a neighbour of a row of `cell` into `out` (`cell` itself
   * first) and returns how many; `out` needs `stencilSize` entries.
   */
  neighborCells(cell: number, out: Int32Array): number {
    const { stencilDelta, table } = this;
    const key = this.cellKeys[cell];
    out[0] = cell;
    let count = 1;
    const m = stencilDelta.length;
    if (table) {
      for (let k = 1; k < m; k++) {
        const q = table[key + stencilDelta[k]];
        if (q >= 0) out[count++] = q;
      }
    } else {
      for (let k = 1; k < m; k++) {
        const q = this.lookup(key + stencilDelta[k]);
        if (q >= 0) out[count++] = q;
      }
    }
    return count;
  }

  private lookup(key: number): number {
    const hk = this.hashKeys!;
    const mask = this.hashMask;
    let h = hashSlot(key, mask);
    for (;;) {
      const v = hk[h];
      if (v === key) return this.hashValues![h];
      if (v === -1) return -1;
      h = (h + 1) & mask;
    }
  }
}

function hashSlot(key: number, mask: number): number {
  let h = Math.imul(key ^ (key >>> 16), 0x45d9f3b);
  h ^= h >>> 16;
  return h & mask;
}

/**
 * Rows stably sorted by non-negative 31-bit keys below `bound` (LSD radix sort, 16-bit digits). The
 * keys and the `d` coordinates travel with the indices, so every pass reads sequentially (gathering
 * coordinates through a random permutation afterwards would miss the cache on every row). Returns the
 * order (sorted position -> row), the keys and the coordinates in that order.
 */
function radixSortRows(
  keys: Int32Array,
  data: Float64Array,
  d: number,
  bound: number,
): { order: Int32Array; sortedKeys: Int32Array; sortedPoints: Float64Array } {
  const n = keys.length;
  let src = new Int32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  let srcKeys: Int32Array = keys;
  let srcVals: Float64Array = data;
  let dst = new Int32Array(n);
  let dstKeys: Int32Array = new Int32Array(n);
  let dstVals: Float64Array = new Float64Array(n * d);
  const count = new Int32Array(65536);
  const passes = bound <= 65536 ? 1 : 2;
  for (let pass = 0; pass < passes; pass++) {
    const shift = 16 * pass;
    count.fill(0);
    for (let s = 0; s < n; s++) count[(srcKeys[s] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let s = 0; s < n; s++) {
      const key = srcKeys[s];
      const at = count[(key >>> shift) & 0xffff]++;
      dst[at] = src[s];
      dstKeys[at] = key;
      for (let t = 0; t < d; t++) dstVals[at * d + t] = srcVals[s * d + t];
    }
    const ti = src;
    src = dst;
    dst = ti;
    const tk = srcKeys === keys ? new Int32Array(n) : srcKeys;
    srcKeys = dstKeys;
    dstKeys = tk;
    const tv = srcVals === data ? new Float64Array(n * d) : srcVals;
    srcVals = dstVals;
    dstVals = tv;
  }
  return { order: src, sortedKeys: srcKeys, sortedPoints: srcVals === data ? data.slice() : srcVals };
}
