import type { Matrix } from "../../matrix.js";
import { ActiveSet } from "./activeSet.js";
import { condensedRowBase } from "./distances.js";
import { relabelSorted } from "./relabel.js";

export const COMPLETE = 1;
export const AVERAGE = 2;
export const WEIGHTED = 3;
export type ChainMethod = typeof COMPLETE | typeof AVERAGE | typeof WEIGHTED;

/**
 * Nearest-neighbour chain (Murtagh 1983; Müllner 2011, section 3.4) on a condensed distance
 * matrix, for the reducible schemes complete, average and weighted, with the Lance-Williams
 * updates written in place into `D` (which is consumed). O(n^2) time, and the n(n-1)/2
 * doubles of `D` as memory. Same loop order and tie rules as scipy's `nn_chain`, so equal
 * input distances give the same linkage matrix.
 */
export function nnChainCondensed(D: Float64Array, n: number, method: ChainMethod): Matrix {
  const base = condensedRowBase(n);
  const size = new Int32Array(n).fill(1);
  const active = new ActiveSet(n);
  const ids = active.ids;
  const chain = new Int32Array(n);
  let chainLength = 0;
  const ra = new Int32Array(n - 1);
  const rb = new Int32Array(n - 1);
  const rh = new Float64Array(n - 1);

  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chain[0] = ids[0];
      chainLength = 1;
    }
    let x = 0;
    let y = 0;
    let currentMin = 0;
    for (;;) {
      x = chain[chainLength - 1];
      if (chainLength > 1) {
        y = chain[chainLength - 2];
        currentMin = x < y ? D[base[x] + y] : D[base[y] + x];
      } else {
        currentMin = Number.POSITIVE_INFINITY;
      }
      const count = active.count;
      for (let t = 0; t < count; t++) {
        const i = ids[t];
        if (i === x) continue;
        const dist = i < x ? D[base[i] + x] : D[base[x] + i];
        if (dist < currentMin) {
          currentMin = dist;
          y = i;
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const nx = size[x];
    const ny = size[y];
    ra[k] = x;
    rb[k] = y;
    rh[k] = currentMin;
    size[x] = 0;
    size[y] = nx + ny;
    active.remove(x);

    const count = active.count;
    for (let t = 0; t < count; t++) {
      const i = ids[t];
      if (i === y) continue;
      const ix = i < x ? base[i] + x : base[x] + i;
      const iy = i < y ? base[i] + y : base[y] + i;
      const dxi = D[ix];
      const dyi = D[iy];
      let v: number;
      if (method === COMPLETE) v = Math.max(dxi, dyi);
      else if (method === AVERAGE) v = (nx * dxi + ny * dyi) / (nx + ny);
      else v = 0.5 * (dxi + dyi);
      D[iy] = v;
    }
  }
  return relabelSorted(n, ra, rb, rh);
}
