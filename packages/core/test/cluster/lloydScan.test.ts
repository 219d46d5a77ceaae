// Lloyd's rescan in sorted order (lloydScan.ts): whatever the start centre, it must return the label
// of a plain scan (lowest index among exact ties), the exact distance to it, and a lower bound on
// the distance to every other centre; the sort must order each row by distance, ties by index.
import { describe, expect, it } from "vitest";
import { sqDist } from "../../src/cluster/kmeansKernels.js";
import {
  centerOrder,
  ORDER_LENGTH,
  orderLength,
  scanLabel,
  scanSecond,
  scanSorted,
} from "../../src/cluster/lloydScan.js";
import { Random } from "../../src/index.js";

function halfDistances(C: Float64Array, k: number, d: number): Float64Array {
  const half = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) half[a * k + b] = Math.sqrt(sqDist(C, a * d, C, b * d, d)) / 2;
  return half;
}

/** Plain scan: nearest (lowest index among ties) and the second smallest distance. */
function plain(
  X: Float64Array,
  xo: number,
  C: Float64Array,
  k: number,
  d: number,
): { label: number; s: number; second: number } {
  let label = 0;
  let s = sqDist(X, xo, C, 0, d);
  for (let j = 1; j < k; j++) {
    const v = sqDist(X, xo, C, j * d, d);
    if (v < s) {
      s = v;
      label = j;
    }
  }
  let second = Number.POSITIVE_INFINITY;
  for (let j = 0; j < k; j++) if (j !== label) second = Math.min(second, Math.sqrt(sqDist(X, xo, C, j * d, d)));
  return { label, s, second };
}

function check(X: Float64Array, n: number, C: Float64Array, k: number, d: number): number {
  const half = halfDistances(C, k, d);
  const order = new Int32Array(k * orderLength(k));
  centerOrder(half, k, order, new Float64Array(k));
  const margin = 1e-9;
  let checked = 0;
  for (let i = 0; i < n; i++) {
    const ref = plain(X, i * d, C, k, d);
    for (let start = 0; start < k; start++) {
      const dist = scanSorted(X, i * d, C, k, d, half, order, margin, start, sqDist(X, i * d, C, start * d, d));
      expect(scanLabel).toBe(ref.label);
      expect(dist).toBe(Math.sqrt(ref.s));
      expect(scanSecond).toBeLessThanOrEqual(ref.second + 1e-12);
      checked++;
    }
  }
  return checked;
}

describe("centerOrder", () => {
  it("sorts each centre's others by distance, ties by index", () => {
    const k = 6;
    const d = 1;
    const C = new Float64Array([0, 2, -2, 1, 2, -1]);
    const order = new Int32Array(k * (k - 1));
    centerOrder(halfDistances(C, k, d), k, order, new Float64Array(k));
    expect(Array.from(order.subarray(0, k - 1))).toEqual([3, 5, 1, 2, 4]);
    expect(Array.from(order.subarray(1 * (k - 1), 2 * (k - 1)))).toEqual([4, 3, 0, 5, 2]);
  });
});

describe("centerOrder with more centres than a row holds", () => {
  it("lists each centre's ORDER_LENGTH nearest, by (distance, index)", () => {
    const rng = new Random(8);
    const k = 90;
    const d = 2;
    // Coordinates on a coarse grid: many equal distances.
    const C = new Float64Array(k * d).map(() => Math.floor(rng.float() * 6));
    const half = halfDistances(C, k, d);
    const len = orderLength(k);
    expect(len).toBe(ORDER_LENGTH);
    const order = new Int32Array(k * len);
    centerOrder(half, k, order, new Float64Array(k));
    for (let a = 0; a < k; a++) {
      const expected = Array.from({ length: k }, (_, j) => j)
        .filter((j) => j !== a)
        .sort((x, y) => half[a * k + x] - half[a * k + y] || x - y)
        .slice(0, len);
      expect(Array.from(order.subarray(a * len, (a + 1) * len))).toEqual(expected);
    }
  });
});

describe("scanSorted", () => {
  it("equals a plain scan from every start with more centres than a row lists (k = 40, 75)", () => {
    const rng = new Random(4);
    let checked = 0;
    for (const [k, d] of [
      [40, 2],
      [75, 3],
    ]) {
      const n = 30;
      const X = new Float64Array(n * d).map(() => rng.float() * 10);
      const C = new Float64Array(k * d).map(() => rng.float() * 10);
      checked += check(X, n, C, k, d);
      // Far-away samples: the start's nearest centres do not rule out the unlisted ones.
      const far = new Float64Array(n * d).map(() => 50 + rng.float() * 100);
      checked += check(far, n, C, k, d);
      // Duplicated centres on a grid, with samples on it: exact ties everywhere.
      const G = new Float64Array(k * d).map(() => Math.floor(rng.float() * 4));
      const Xg = new Float64Array(n * d).map(() => Math.floor(rng.float() * 8) / 2);
      checked += check(Xg, n, G, k, d);
    }
    expect(checked).toBe(30 * 3 * (40 + 75));
  });

  it("equals a plain scan from every start on random data (k = 1..9, d = 1..5)", () => {
    const rng = new Random(3);
    let checked = 0;
    for (let k = 1; k <= 9; k++) {
      for (let d = 1; d <= 5; d++) {
        const n = 40;
        const X = new Float64Array(n * d).map(() => rng.float() * 10);
        const C = new Float64Array(k * d).map(() => rng.float() * 10);
        checked += check(X, n, C, k, d);
      }
    }
    expect(checked).toBe(40 * 5 * 45);
  });

  it("breaks exact ties by the lowest index: duplicated centres and points on a grid", () => {
    const d = 2;
    // Centres on a unit grid, two of them duplicated; points on the half-unit grid sit at equal
    // distances from two or four centres.
    const C = new Float64Array([0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 2, 2]);
    const k = C.length / d;
    const pts: number[] = [];
    for (let a = -2; a <= 6; a++) for (let b = -2; b <= 6; b++) pts.push(a / 2, b / 2);
    const X = new Float64Array(pts);
    expect(check(X, pts.length / d, C, k, d)).toBe((pts.length / d) * k);
  });

  it("returns a lower bound that matches the second distance when the scan must compute it", () => {
    // Two close centres and a far one: the second nearest is always computed.
    const C = new Float64Array([0, 0, 1, 0, 100, 0]);
    const X = new Float64Array([0.2, 0.1]);
    const half = halfDistances(C, 3, 2);
    const order = new Int32Array(3 * orderLength(3));
    centerOrder(half, 3, order, new Float64Array(3));
    const dist = scanSorted(X, 0, C, 3, 2, half, order, 1e-9, 2, sqDist(X, 0, C, 4, 2));
    expect(scanLabel).toBe(0);
    expect(dist).toBe(Math.sqrt(0.2 * 0.2 + 0.1 * 0.1));
    expect(scanSecond).toBe(Math.sqrt(0.8 * 0.8 + 0.1 * 0.1));
  });
});
