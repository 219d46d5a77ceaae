import { checkInt } from "@clusterlab/core";
import { DataError } from "../errors.js";
import type { SqlEngine } from "./sqlEngine.js";
import { type SqlKMeansOptions, sqlKMeans } from "./sqlKMeans.js";

/** Options for `sqlKSweep`: those of `sqlKMeans` (without `nClusters` and matrix init) plus the ks. */
export interface SqlKSweepOptions extends Omit<SqlKMeansOptions, "nClusters" | "init" | "onIteration"> {
  /** The numbers of clusters to try (integers >= 1, distinct). */
  ks: readonly number[];
  /** Initialisation of every run. Default `"k-means||"`. */
  init?: "random" | "k-means||";
}

/** One k of the sweep. */
export interface SqlKSweepPoint {
  k: number;
  inertia: number;
  nIter: number;
  converged: boolean;
  scans: number;
  seconds: number;
}

/**
 * The k sweep (elbow curve) pushed down: one `sqlKMeans` per k (same seed), returning the inertia
 * of each. Every run is independent; the scans add up (each k: statistics + init + iterations + final).
 */
export async function sqlKSweep(engine: SqlEngine, options: SqlKSweepOptions): Promise<SqlKSweepPoint[]> {
  const { ks, ...rest } = options;
  if (!Array.isArray(ks) || ks.length === 0) throw new DataError("invalid ks: [] (need at least one k)");
  const seen = new Set<number>();
  for (const k of ks) {
    checkInt(k, "k", 1);
    if (seen.has(k)) throw new DataError(`invalid ks: ${k} is given twice`);
    seen.add(k);
  }
  const out: SqlKSweepPoint[] = [];
  for (const k of ks) {
    const start = performance.now();
    const r = await sqlKMeans(engine, { ...rest, nClusters: k, init: options.init ?? "k-means||" });
    out.push({
      k,
      inertia: r.inertia,
      nIter: r.nIter,
      converged: r.converged,
      scans: r.scans,
      seconds: (performance.now() - start) / 1000,
    });
  }
  return out;
}
