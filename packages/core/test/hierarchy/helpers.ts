import { asMatrix, type Matrix } from "../../src/index.js";
import { loadDatasets, loadFixture } from "../fixtures.js";

export interface DendroRef {
  p?: number;
  icoord: number[][];
  dcoord: number[][];
  ivl: string[];
  leaves: number[];
  colorList: string[];
  leavesColorList: (string | null)[];
}

export interface CaseRef {
  Z: number[][];
  maxclust: { t: number; labels: number[] };
  cophCorr: number;
  distance?: { t: number; labels: number[] };
  inconsistentCut?: { t: number; depth: number; labels: number[] };
  inconsistent?: number[][];
  inconsistent3?: number[][];
  leaves?: number[];
  olo?: number[];
  dendroLastp?: DendroRef;
  dendroLevel?: DendroRef;
  dendroFull?: DendroRef;
  cutTree?: { nClusters: number; labels: number[] };
  cutTreeHeight?: { height: number; labels: number[] };
}

export interface SklearnRef {
  [key: string]: unknown;
  wardThreshold?: { threshold: number; nClusters: number; labels: number[] };
  wardKnn?: {
    nNeighbors: number;
    labels: number[];
    children: number[];
    distances: number[];
    nConnectedComponents: number;
  };
  wardKnnEarly?: { labels: number[]; children: number[] };
}

export interface HierarchyFixture {
  meta: Record<string, string>;
  extraDatasets: Record<string, { X: number[][]; k: number; description: string }>;
  cases: Record<string, { methods: Record<string, CaseRef>; metrics: Record<string, CaseRef>; sklearn: SklearnRef }>;
}

export const fixture = loadFixture<HierarchyFixture>("hierarchy");

/** Shared datasets plus the fixture's extra random sets, as name -> { X, k }. */
export function allSets(): Record<string, { X: Matrix; k: number }> {
  const out: Record<string, { X: Matrix; k: number }> = {};
  for (const [name, d] of Object.entries(loadDatasets())) out[name] = { X: d.X, k: d.k };
  for (const [name, d] of Object.entries(fixture.extraDatasets)) out[name] = { X: asMatrix(d.X), k: d.k };
  return out;
}

export const METHODS = ["ward", "complete", "average", "single", "weighted", "centroid", "median"] as const;

/** Largest relative difference between two arrays of heights. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    const s = Math.max(Math.abs(a[i]), Math.abs(b[i]));
    m = Math.max(m, s === 0 ? d : d / s);
  }
  return m;
}

export function column(Z: Matrix, j: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < Z.rows; r++) out.push(Z.data[4 * r + j]);
  return out;
}

export function columnRef(Z: number[][], j: number): number[] {
  return Z.map((r) => r[j]);
}

/**
 * Datasets whose distances have exact ties where our heights differ from scipy's in the last
 * bit, so tie order (hence merge order) can differ: iris (duplicate rows, one-decimal grid) for
 * the methods whose heights we compute from centroids instead of scipy's Lance-Williams updates.
 * There we compare sorted heights and, in fcluster.test.ts, partitions.
 */
export const TIE_ORDER_MAY_DIFFER = new Set(["iris:ward", "iris:centroid", "iris:median"]);
