import { describe, expect, it } from "vitest";
import { COSINE, EUCLIDEAN, MANHATTAN, type MetricCode, rowDistance } from "../../src/hierarchy/internal/distances.js";
import { mstSingleVectors } from "../../src/hierarchy/internal/mstSingle.js";
import { relabelSorted } from "../../src/hierarchy/internal/relabel.js";
import { wardChainVectors } from "../../src/hierarchy/internal/wardChain.js";
import { type Matrix, Random } from "../../src/index.js";
import { allSets } from "./helpers.js";

/** Prim's algorithm exactly as scipy / scikit-learn loop it: all points in index order, distances with their square root. */
function referencePrim(X: Matrix, metric: MetricCode, sklearnOrientation: boolean): Matrix {
  const n = X.rows;
  const d = X.cols;
  let norms: Float64Array | null = null;
  if (metric === COSINE) {
    norms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += X.data[i * d + t] ** 2;
      norms[i] = Math.sqrt(s);
    }
  }
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const ra = new Int32Array(n - 1);
  const rb = new Int32Array(n - 1);
  const rh = new Float64Array(n - 1);
  let x = 0;
  for (let k = 0; k < n - 1; k++) {
    inTree[x] = 1;
    let cur = Number.POSITIVE_INFINITY;
    let y = 0;
    for (let i = 0; i < n; i++) {
      if (inTree[i]) continue;
      const dist = rowDistance(X.data, x, i, d, metric, norms);
      if (best[i] > dist) best[i] = dist;
      if (best[i] < cur) {
        cur = best[i];
        y = i;
      }
    }
    ra[k] = x;
    rb[k] = y;
    rh[k] = cur;
    x = y;
  }
  return relabelSorted(n, ra, rb, rh, sklearnOrientation);
}

/** Random data with many exact ties: small integers (duplicate rows, equal distances). */
function gridData(rows: number, cols: number, levels: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(levels);
  return { rows, cols, data };
}

function blobData(rows: number, cols: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(5);
    for (let t = 0; t < cols; t++) data[i * cols + t] = c * 7 + rng.normal() * (1 + (c % 3));
  }
  return { rows, cols, data };
}

function hasZeroRow(X: Matrix): boolean {
  for (let i = 0; i < X.rows; i++) {
    let zero = true;
    for (let t = 0; t < X.cols; t++) if (X.data[i * X.cols + t] !== 0) zero = false;
    if (zero) return true;
  }
  return false;
}

const cases: [string, Matrix][] = [
  ["grid 300 x 3 (ties)", gridData(300, 3, 4, 1)],
  ["grid 200 x 8 (ties)", gridData(200, 8, 3, 2)],
  ["grid 150 x 1 (ties)", gridData(150, 1, 10, 3)],
  ["grid 120 x 2 (duplicates)", gridData(120, 2, 3, 4)],
  ["blobs 500 x 8", blobData(500, 8, 5)],
  ["blobs 400 x 5", blobData(400, 5, 6)],
  ["blobs 300 x 20", blobData(300, 20, 7)],
  ["blobs 2000 x 8 (many blocks)", blobData(2000, 8, 8)],
  ["grid 1500 x 2 (many blocks, ties)", gridData(1500, 2, 12, 9)],
];
for (const [name, { X }] of Object.entries(allSets())) cases.push([`fixture ${name}`, X]);

describe("single linkage: the packed Prim loop takes the same steps as scipy's loop", () => {
  for (const [name, X] of cases) {
    for (const [metricName, metric] of [
      ["euclidean", EUCLIDEAN],
      ["manhattan", MANHATTAN],
      ["cosine", COSINE],
    ] as const) {
      if (metric === COSINE && hasZeroRow(X)) continue; // a zero row has no cosine distance
      it(`${name}, ${metricName}`, () => {
        for (const oriented of [false, true]) {
          const Z = mstSingleVectors(X, metric, oriented);
          const ref = referencePrim(X, metric, oriented);
          expect(Array.from(Z.data)).toEqual(Array.from(ref.data));
        }
      });
    }
  }
});

describe("ward: the k-d tree chain gives the same linkage matrix as the scan", () => {
  for (const [name, X] of cases) {
    it(name, () => {
      const tree = wardChainVectors(X, "tree");
      const scan = wardChainVectors(X, "scan");
      expect(Array.from(tree.data)).toEqual(Array.from(scan.data));
    });
  }

  it("two and three rows, and all rows equal", () => {
    for (const X of [
      { rows: 2, cols: 2, data: Float64Array.from([0, 0, 3, 4]) },
      { rows: 3, cols: 1, data: Float64Array.from([1, 1, 1]) },
      gridData(80, 2, 1, 9),
    ]) {
      expect(Array.from(wardChainVectors(X, "tree").data)).toEqual(Array.from(wardChainVectors(X, "scan").data));
    }
  });
});
