// Private: the assignment and iteration loops that k-modes and k-prototypes share. They differ only
// in the dissimilarity of a row to a prototype and in what a move updates besides the category
// counts (k-prototypes' numeric sums and means), both given as functions.
import type { Random } from "../random.js";
import { decodeFloats, encodeFloats } from "../serialize.js";
import { addToCounts, type CatData, type ModeState, readLabels, readNumber, refillSource } from "./internal.js";

/** Dissimilarity of row `i` to prototype (mode) `c`: a number >= 0. */
export type RowDissimilarity = (i: number, c: number) => number;

/** Moves row `i` from cluster `from` to cluster `to` (updating counts, modes, sums, ...). */
export type RowMove = (i: number, to: number, from: number) => void;

/**
 * The prototype nearest to row `i` among `k`, the lowest index on ties; `best.d` (when given)
 * receives its dissimilarity. The scan stops at a dissimilarity of 0, which no later prototype can
 * beat (ties go to the lower index), so the result is the full scan's.
 */
export function nearestPrototype(i: number, k: number, dissim: RowDissimilarity, best?: { d: number }): number {
  let bc = 0;
  let bd = dissim(i, 0);
  for (let c = 1; c < k && bd > 0; c++) {
    const d = dissim(i, c);
    if (d < bd) {
      bd = d;
      bc = c;
    }
  }
  if (best) best.d = bd;
  return bc;
}

/** Labels (nearest prototype, lowest index on ties) and cost (sum of the dissimilarities) of rows 0..n-1. */
export function labelsCost(n: number, k: number, dissim: RowDissimilarity): { labels: Int32Array; cost: number } {
  const labels = new Int32Array(n);
  const best = { d: 0 };
  let cost = 0;
  for (let i = 0; i < n; i++) {
    labels[i] = nearestPrototype(i, k, dissim, best);
    cost += best.d;
  }
  return { labels, cost };
}

/**
 * The initial assignment of a run: each row to its nearest prototype, counted in `s` (labels, sizes,
 * category counts); `add(i, c)` (when given) records whatever else the run keeps per cluster.
 */
export function assignInitial(
  data: CatData,
  s: ModeState,
  dissim: RowDissimilarity,
  add?: (i: number, c: number) => void,
): void {
  for (let i = 0; i < data.n; i++) {
    const c = nearestPrototype(i, s.k, dissim);
    s.labels[i] = c;
    s.sizes[c]++;
    add?.(i, c);
    addToCounts(data, s, i, c);
  }
}

/** What `iterateModes` returns: the final labels and cost, the passes run and the cost after each. */
export interface ModesIteration {
  labels: Int32Array;
  cost: number;
  nIter: number;
  /** The cost before the first pass, then after each pass. */
  epochCosts: number[];
}

/**
 * The passes of a k-modes / k-prototypes run after its initial update (the loop of kmodes'
 * `_k_modes_single` and `_k_prototypes_single`): rows are visited in order and each row whose nearest
 * prototype changed is moved at once (`move`); a cluster left empty gets a random row of the largest
 * cluster (`refillSource`, moved by `refill`). The run stops after `maxIter` passes, a pass without
 * moves, or a pass that did not lower the cost.
 */
export function iterateModes(
  s: ModeState,
  n: number,
  maxIter: number,
  rng: Random,
  dissim: RowDissimilarity,
  move: RowMove,
  refill: RowMove,
): ModesIteration {
  const k = s.k;
  let cost = labelsCost(n, k, dissim).cost;
  const epochCosts = [cost];
  let labels: Int32Array | null = null;
  let nIter = 0;
  let converged = false;
  while (nIter < maxIter && !converged) {
    nIter++;
    let moves = 0;
    for (let i = 0; i < n; i++) {
      const c = nearestPrototype(i, k, dissim);
      const old = s.labels[i];
      if (c === old) continue;
      moves++;
      move(i, c, old);
      if (s.sizes[old] === 0) {
        const { from, row } = refillSource(s, rng);
        refill(row, old, from);
      }
    }
    const lc = labelsCost(n, k, dissim);
    converged = moves === 0 || lc.cost >= cost;
    epochCosts.push(lc.cost);
    cost = lc.cost;
    labels = lc.labels;
  }
  if (labels === null) labels = labelsCost(n, k, dissim).labels;
  return { labels, cost, nIter, epochCosts };
}

/** The fields of a fitted run that `KModesModel` and `KPrototypesModel` both keep and save. */
export interface RunFields {
  labels: Int32Array;
  cost: number;
  nIter: number;
  epochCosts: Float64Array;
}

/** `RunFields` as model JSON (the last fields of both models' `toJSON`). */
export function runFieldsToJSON(m: RunFields): { labels: number[]; cost: number; nIter: number; epochCosts: number[] } {
  return { labels: Array.from(m.labels), cost: m.cost, nIter: m.nIter, epochCosts: encodeFloats(m.epochCosts) };
}

/** Reads `RunFields` back from model JSON (errors name the field). */
export function readRunFields(j: Record<string, unknown>): RunFields {
  return {
    labels: readLabels(j, "labels"),
    cost: readNumber(j, "cost"),
    nIter: readNumber(j, "nIter"),
    epochCosts: decodeFloats(j.epochCosts, "epochCosts"),
  };
}
