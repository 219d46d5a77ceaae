/**
 * The ascending list of live cluster slots. Scans iterate it in increasing slot order (so ties
 * resolve to the lowest slot, as in scipy's loops over `range(n)` that skip dead slots) without
 * visiting dead slots. Removal is a binary search plus a memmove: O(n), O(n^2) over a run.
 */
export class ActiveSet {
  readonly ids: Int32Array;
  count: number;

  constructor(n: number) {
    this.ids = new Int32Array(n);
    for (let i = 0; i < n; i++) this.ids[i] = i;
    this.count = n;
  }

  /** Position of `v` (which must be live), or of the first live slot > v. */
  lowerBound(v: number): number {
    const ids = this.ids;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  remove(v: number): void {
    const p = this.lowerBound(v);
    this.ids.copyWithin(p, p + 1, this.count);
    this.count--;
  }
}
