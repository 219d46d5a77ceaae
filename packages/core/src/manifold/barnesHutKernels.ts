// The space-partitioning tree behind Barnes-Hut t-SNE: a quadtree (2-D) or octree (3-D) over the
// current embedding, rebuilt every iteration, and the repulsive-force sum over it.
// Private helper of tsne.ts (not in the manifold barrel).

/** Most points a leaf holds before it is split: 1, so the cells are those of scikit-learn's `_QuadTree`. */
const LEAF_SIZE = 1;
/** Cells stop splitting at this depth (only reached by (nearly) coincident points). */
const MAX_DEPTH = 48;
/** Node record: barycentre (dim values), squared largest side, point count. */
const REC = 5;

/**
 * A 2^d-ary space-partitioning tree (d = 1, 2 or 3) in flat arrays. The root cell is the bounding
 * box of the points with its upper side pushed out slightly (as scikit-learn's `_QuadTree`); a cell
 * with more than `LEAF_SIZE` points is split at its centre into up to 2^d children (empty ones are
 * not stored; a coordinate equal to the centre goes to the upper half). Every cell keeps its point
 * count, barycentre and squared largest side.
 *
 * Layout for fast traversal: cells are numbered in depth-first preorder and `skip[c]` is the first
 * cell after c's subtree, so a walk needs no stack (descend: c + 1; prune or finish: skip[c]; a leaf
 * is a cell with skip[c] = c + 1). Points are stored in tree order (a leaf is contiguous) and queried
 * in that order, so consecutive queries walk nearly the same cells. Arrays are reused between builds.
 */
export class SpaceTree {
  readonly dim: number;
  private n = 0;
  private count = 0;
  private capacity = 0;
  /** Per cell: barycentre, squared largest side and size (stride REC). */
  private rec = new Float64Array(0);
  private skip = new Int32Array(0);
  private start = new Int32Array(0);
  private end = new Int32Array(0);
  private parent = new Int32Array(0);
  private low = new Float64Array(0);
  private high = new Float64Array(0);
  /** Tree position -> point index. */
  private perm = new Int32Array(0);
  private pts = new Float64Array(0);
  private scratch = new Int32Array(0);
  private codes = new Uint8Array(0);
  private stackI = new Int32Array(0);
  private stackF = new Float64Array(0);
  /** Build scratch: points per orthant, fill positions, the centre of the cell being split. */
  private readonly orthantCounts: Int32Array;
  private readonly orthantFill: Int32Array;
  private readonly centre: Float64Array;

  constructor(dim: number) {
    if (dim < 1 || dim > 3) throw new Error(`SpaceTree: dim ${dim} (must be 1, 2 or 3)`);
    this.dim = dim;
    this.orthantCounts = new Int32Array(1 << dim);
    this.orthantFill = new Int32Array(1 << dim);
    this.centre = new Float64Array(dim);
  }

  /** Number of cells of the last build. */
  get cells(): number {
    return this.count;
  }

  private grow(need: number): void {
    if (need <= this.capacity) return;
    const cap = Math.max(need, this.capacity * 2, 64);
    const d = this.dim;
    const c = this.count;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a.subarray(0, c));
      return b;
    };
    const f64 = (a: Float64Array, w: number) => {
      const b = new Float64Array(cap * w);
      b.set(a.subarray(0, c * w));
      return b;
    };
    this.rec = f64(this.rec, REC);
    this.skip = i32(this.skip);
    this.start = i32(this.start);
    this.end = i32(this.end);
    this.parent = i32(this.parent);
    this.low = f64(this.low, d);
    this.high = f64(this.high, d);
    this.capacity = cap;
  }

  /** Builds the tree over the n x dim row-major points `Y`. */
  build(Y: Float64Array, n: number): void {
    const d = this.dim;
    if (this.perm.length !== n) {
      this.perm = new Int32Array(n);
      this.pts = new Float64Array(n * d);
      this.scratch = new Int32Array(n);
    }
    this.n = n;
    const perm = this.perm;
    for (let i = 0; i < n; i++) perm[i] = i;
    this.count = 0;
    this.grow(Math.max(16, Math.ceil((2 * n) / LEAF_SIZE)));
    const nc = 1 << d;
    // Pending cells on a stack: (start, end, depth, parent) and their box (low, high per axis).
    const maxPending = MAX_DEPTH * (nc - 1) + 2;
    if (this.stackI.length < maxPending * 4) {
      this.stackI = new Int32Array(maxPending * 4);
      this.stackF = new Float64Array(maxPending * 2 * d);
    }
    const stackI = this.stackI;
    const stackF = this.stackF;
    let sp = 0;
    for (let t = 0; t < d; t++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const v = Y[i * d + t];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      stackF[2 * t] = lo;
      stackF[2 * t + 1] = Math.max(hi * (1 + 1e-3 * Math.sign(hi)), hi + 1e-3);
    }
    stackI[0] = 0;
    stackI[1] = n;
    stackI[2] = 0;
    stackI[3] = -1;
    sp = 1;
    const counts = this.orthantCounts;
    const fill = this.orthantFill;
    const centre = this.centre;
    const scratch = this.scratch;
    if (this.codes.length < n) this.codes = new Uint8Array(n);
    const codes = this.codes;
    while (sp > 0) {
      // Pop a cell and give it the next preorder number.
      sp--;
      const s = stackI[sp * 4];
      const e = stackI[sp * 4 + 1];
      const depth = stackI[sp * 4 + 2];
      const par = stackI[sp * 4 + 3];
      if (this.count >= this.capacity) this.grow(this.count + 1);
      const id = this.count++;
      this.start[id] = s;
      this.end[id] = e;
      this.parent[id] = par;
      let w2 = 0;
      const bf = sp * 2 * d;
      for (let t = 0; t < d; t++) {
        const lo = stackF[bf + 2 * t];
        const hi = stackF[bf + 2 * t + 1];
        this.low[id * d + t] = lo;
        this.high[id * d + t] = hi;
        centre[t] = (lo + hi) / 2;
        const w = hi - lo;
        if (w * w > w2) w2 = w * w;
      }
      this.rec[id * REC + d] = w2;
      if (e - s <= LEAF_SIZE || depth >= MAX_DEPTH) continue;
      // Split at the centre: counting sort of the points into the 2^d orthants.
      counts.fill(0);
      for (let p = s; p < e; p++) {
        const i = perm[p];
        let c = 0;
        for (let t = 0; t < d; t++) c = (c << 1) | (Y[i * d + t] >= centre[t] ? 1 : 0);
        codes[p] = c;
        counts[c]++;
      }
      let at = s;
      for (let c = 0; c < nc; c++) {
        fill[c] = at;
        at += counts[c];
      }
      for (let p = s; p < e; p++) scratch[fill[codes[p]]++] = perm[p];
      for (let p = s; p < e; p++) perm[p] = scratch[p];
      // Push the non-empty children in reverse so the first is numbered next (preorder).
      for (let c = nc - 1; c >= 0; c--) {
        if (counts[c] === 0) continue;
        const cb = sp * 2 * d;
        for (let t = 0; t < d; t++) {
          const upper = (c >> (d - 1 - t)) & 1;
          stackF[cb + 2 * t] = upper ? centre[t] : this.low[id * d + t];
          stackF[cb + 2 * t + 1] = upper ? this.high[id * d + t] : centre[t];
        }
        stackI[sp * 4] = fill[c] - counts[c];
        stackI[sp * 4 + 1] = fill[c];
        stackI[sp * 4 + 2] = depth + 1;
        stackI[sp * 4 + 3] = id;
        sp++;
      }
    }
    // Points in tree order; sizes, barycentres and skip pointers bottom-up (children follow parents).
    const pts = this.pts;
    for (let p = 0; p < n; p++) {
      const i = perm[p];
      for (let t = 0; t < d; t++) pts[p * d + t] = Y[i * d + t];
    }
    const rec = this.rec;
    const total = this.count;
    for (let c = 0; c < total; c++) {
      const r = c * REC;
      for (let t = 0; t < d; t++) rec[r + t] = 0;
      rec[r + 4] = 0;
      this.skip[c] = c + 1;
    }
    for (let c = total - 1; c >= 0; c--) {
      const r = c * REC;
      if (this.skip[c] === c + 1) {
        // A leaf: sum its points.
        for (let p = this.start[c]; p < this.end[c]; p++) for (let t = 0; t < d; t++) rec[r + t] += pts[p * d + t];
        rec[r + 4] = this.end[c] - this.start[c];
      }
      const par = this.parent[c];
      if (par >= 0) {
        const pr = par * REC;
        for (let t = 0; t < d; t++) rec[pr + t] += rec[r + t];
        rec[pr + 4] += rec[r + 4];
        if (this.skip[c] > this.skip[par]) this.skip[par] = this.skip[c];
      }
      const size = rec[r + 4];
      for (let t = 0; t < d; t++) rec[r + t] /= size;
    }
  }

  /**
   * Repulsion for every point against the tree (built on the same `Y`): a cell whose squared largest
   * side is below `theta2` times the squared distance from the point to its barycentre is taken as
   * one body of `count` points at the barycentre (scikit-learn's `summarize` test); a near leaf is
   * summed point by point, skipping the point itself. With the kernel
   * `w = (dof / (dof + dist^2))^((dof + 1) / 2)`, writes `neg_i = sum count * w^2 * (y_i - c)` into
   * `neg` and returns `Z = sum_i sum count * w`.
   */
  repulsion(dof: number, theta2: number, neg: Float64Array): number {
    if (this.dim === 2 && dof === 1) return this.repulsion2(theta2, neg);
    if (this.dim === 3) return this.repulsion3(dof, theta2, neg);
    const d = this.dim;
    const n = this.n;
    const exponent = (dof + 1) / 2;
    const { rec, skip, start, end, pts, perm } = this;
    const total = this.count;
    const diff = new Float64Array(d);
    const force = new Float64Array(d);
    let sumQ = 0;
    for (let self = 0; self < n; self++) {
      const qb = self * d;
      force.fill(0);
      let c = 0;
      while (c < total) {
        const r = c * REC;
        let dist2 = 0;
        for (let t = 0; t < d; t++) {
          const v = pts[qb + t] - rec[r + t];
          diff[t] = v;
          dist2 += v * v;
        }
        const next = skip[c];
        if (rec[r + d] < theta2 * dist2) {
          const size = rec[r + 4];
          let w = dof / (dof + dist2);
          if (dof !== 1) w = w ** exponent;
          sumQ += size * w;
          const mult = size * w * w;
          for (let t = 0; t < d; t++) force[t] += mult * diff[t];
          c = next;
        } else if (next === c + 1) {
          for (let p = start[c]; p < end[c]; p++) {
            if (p === self) continue;
            let pd2 = 0;
            for (let t = 0; t < d; t++) {
              const v = pts[qb + t] - pts[p * d + t];
              diff[t] = v;
              pd2 += v * v;
            }
            let w = dof / (dof + pd2);
            if (dof !== 1) w = w ** exponent;
            sumQ += w;
            const mult = w * w;
            for (let t = 0; t < d; t++) force[t] += mult * diff[t];
          }
          c = next;
        } else {
          c++;
        }
      }
      const i = perm[self];
      for (let t = 0; t < d; t++) neg[i * d + t] = force[t];
    }
    return sumQ;
  }

  /**
   * `repulsion` specialised to 3-D: coordinates in locals, and the kernel power `(dof + 1) / 2` taken
   * without `Math.pow` for the usual dof = 2 (t-SNE's `max(nComponents - 1, 1)`): `w^1.5 = w sqrt(w)`.
   */
  private repulsion3(dof: number, theta2: number, neg: Float64Array): number {
    const n = this.n;
    const { rec, skip, start, end, pts, perm } = this;
    const total = this.count;
    // 0: dof 1 (w), 1: dof 2 (w sqrt w), 2: any other dof (w ** exponent).
    const mode = dof === 1 ? 0 : dof === 2 ? 1 : 2;
    const exponent = (dof + 1) / 2;
    let sumQ = 0;
    for (let self = 0; self < n; self++) {
      const x = pts[3 * self];
      const y = pts[3 * self + 1];
      const z = pts[3 * self + 2];
      let fx = 0;
      let fy = 0;
      let fz = 0;
      let c = 0;
      while (c < total) {
        const r = c * REC;
        const dx = x - rec[r];
        const dy = y - rec[r + 1];
        const dz = z - rec[r + 2];
        const dist2 = dx * dx + dy * dy + dz * dz;
        const next = skip[c];
        if (rec[r + 3] < theta2 * dist2) {
          const size = rec[r + 4];
          let w = dof / (dof + dist2);
          if (mode === 1) w *= Math.sqrt(w);
          else if (mode === 2) w **= exponent;
          sumQ += size * w;
          const mult = size * w * w;
          fx += mult * dx;
          fy += mult * dy;
          fz += mult * dz;
          c = next;
        } else if (next === c + 1) {
          const s = start[c];
          const e = end[c];
          if (e - s === 1) {
            // A one-point leaf: its barycentre is the point.
            if (s !== self) {
              let w = dof / (dof + dist2);
              if (mode === 1) w *= Math.sqrt(w);
              else if (mode === 2) w **= exponent;
              sumQ += w;
              const mult = w * w;
              fx += mult * dx;
              fy += mult * dy;
              fz += mult * dz;
            }
          } else {
            for (let p = s; p < e; p++) {
              if (p === self) continue;
              const px = x - pts[3 * p];
              const py = y - pts[3 * p + 1];
              const pz = z - pts[3 * p + 2];
              let w = dof / (dof + px * px + py * py + pz * pz);
              if (mode === 1) w *= Math.sqrt(w);
              else if (mode === 2) w **= exponent;
              sumQ += w;
              const mult = w * w;
              fx += mult * px;
              fy += mult * py;
              fz += mult * pz;
            }
          }
          c = next;
        } else {
          c++;
        }
      }
      const i = perm[self];
      neg[3 * i] = fx;
      neg[3 * i + 1] = fy;
      neg[3 * i + 2] = fz;
    }
    return sumQ;
  }

  /** `repulsion` specialised to 2-D with one degree of freedom (w = 1 / (1 + dist^2)). */
  private repulsion2(theta2: number, neg: Float64Array): number {
    const n = this.n;
    const { rec, skip, start, end, pts, perm } = this;
    const total = this.count;
    let sumQ = 0;
    for (let self = 0; self < n; self++) {
      const x = pts[2 * self];
      const y = pts[2 * self + 1];
      let fx = 0;
      let fy = 0;
      let c = 0;
      while (c < total) {
        const r = c * REC;
        const dx = x - rec[r];
        const dy = y - rec[r + 1];
        const dist2 = dx * dx + dy * dy;
        const next = skip[c];
        if (rec[r + 2] < theta2 * dist2) {
          const size = rec[r + 4];
          const w = 1 / (1 + dist2);
          sumQ += size * w;
          const mult = size * w * w;
          fx += mult * dx;
          fy += mult * dy;
          c = next;
        } else if (next === c + 1) {
          const s = start[c];
          const e = end[c];
          if (e - s === 1) {
            // A one-point leaf: its barycentre is the point.
            if (s !== self) {
              const w = 1 / (1 + dist2);
              sumQ += w;
              const mult = w * w;
              fx += mult * dx;
              fy += mult * dy;
            }
          } else {
            for (let p = s; p < e; p++) {
              if (p === self) continue;
              const px = x - pts[2 * p];
              const py = y - pts[2 * p + 1];
              const w = 1 / (1 + px * px + py * py);
              sumQ += w;
              const mult = w * w;
              fx += mult * px;
              fy += mult * py;
            }
          }
          c = next;
        } else {
          c++;
        }
      }
      const i = perm[self];
      neg[2 * i] = fx;
      neg[2 * i + 1] = fy;
    }
    return sumQ;
  }
}
