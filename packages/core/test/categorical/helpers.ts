import type { Frame } from "../../src/index.js";
import { loadFixture } from "../fixtures.js";

export interface FrameRef {
  names: string[];
  kinds: ("num" | "cat")[];
  columns: (number | string | null)[][];
  labelsTrue?: number[];
}

export interface KModesCaseRef {
  name: string;
  dataset: string;
  k: number;
  init: string | (string | null)[][];
  nInit: number;
  maxIter: number;
  seed: number;
  labels: number[];
  modes: (string | null)[][];
  cost: number;
  nIter: number;
  epochCosts: number[];
}

export interface KPrototypesCaseRef {
  name: string;
  dataset: string;
  k: number;
  kUsed: number;
  init: string | { numeric: number[][]; categorical: (string | null)[][] };
  nInit: number;
  maxIter: number;
  seed: number;
  gammaOption: number | null;
  gamma: number;
  labels: number[];
  numericCentroids: number[][];
  categoricalCentroids: (string | null)[][];
  cost: number;
  nIter: number;
  epochCosts: number[];
}

export interface GowerRef {
  name: string;
  frame: FrameRef;
  weights: number[] | null;
  condensed: (number | null)[];
}

export interface CategoricalFixture {
  datasets: Record<string, FrameRef>;
  kmodes: KModesCaseRef[];
  kprototypes: KPrototypesCaseRef[];
  gammaNumpy: Record<string, number>;
  gower: GowerRef[];
  gowerTo: { frame: FrameRef; rows: Record<string, (number | null)[]> };
  randomCheck: { seed: number; uint32: number[]; int7: number[]; float: number[]; normal: number[] };
}

let cached: CategoricalFixture | undefined;

/** reference/fixtures/categorical.json (written by reference/categorical.py). */
export function categoricalFixture(): CategoricalFixture {
  cached ??= loadFixture<CategoricalFixture>("categorical");
  return cached;
}

/** A fixture frame as a `Frame`: numeric columns as Float64Array (null = NaN), string columns as is. */
export function toFrame(ref: FrameRef): Frame {
  return {
    names: [...ref.names],
    rows: ref.columns[0].length,
    columns: ref.columns.map((c, j) =>
      ref.kinds[j] === "num"
        ? Float64Array.from(c, (v) => (v === null ? Number.NaN : (v as number)))
        : (c as (string | null)[]),
    ),
  };
}

/** Numbers from JSON where null stands for NaN. */
export function nullToNaN(a: (number | null)[]): Float64Array {
  return Float64Array.from(a, (v) => (v === null ? Number.NaN : v));
}

/** Max |a - b| treating NaN == NaN as equal (Infinity when only one side is NaN). */
export function maxDiffNaN(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Number.POSITIVE_INFINITY;
      continue;
    }
    m = Math.max(m, Math.abs(x - y));
  }
  return m;
}
