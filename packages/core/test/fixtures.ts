import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { asMatrix, type Matrix } from "../src/index.js";

const dir = fileURLToPath(new URL("../../../reference/fixtures/", import.meta.url));

/** Reads reference/fixtures/<name>.json (written by reference/generate.py). */
export function loadFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${dir}${name}.json`, "utf8")) as T;
}

export interface Dataset {
  X: Matrix;
  labelsTrue: Int32Array;
  k: number;
  description: string;
}

/** The shared reference datasets (iris, wine, blobsOverlap, aniso, variedVariance, oneFeature, duplicates, singleCluster, kEqualsN). */
export function loadDatasets(): Record<string, Dataset> {
  const raw = loadFixture<{
    datasets: Record<string, { X: number[][]; labelsTrue: number[]; k: number; description: string }>;
  }>("datasets").datasets;
  const out: Record<string, Dataset> = {};
  for (const [name, d] of Object.entries(raw)) {
    out[name] = { X: asMatrix(d.X), labelsTrue: Int32Array.from(d.labelsTrue), k: d.k, description: d.description };
  }
  return out;
}

/** Asserts |a - b| <= rtol * max(|a|, |b|) + atol; returns a message or null. */
export function closeTo(a: number, b: number, rtol = 1e-9, atol = 1e-12): boolean {
  return Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b)) + atol;
}

/** Maximum absolute difference between two numeric arrays (throws on length mismatch). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** True when two labelings are equal up to a renaming of the labels (a bijection). */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if ((ab.has(x) && ab.get(x) !== y) || (ba.has(y) && ba.get(y) !== x)) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}
