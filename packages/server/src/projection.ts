/**
 * The projections of the dashboard's scatter besides the 2-D PCA of `analysis.ts`: PCA in 3-D,
 * t-SNE and UMAP (lab's `embedRows`), computed in a worker thread for the displayed points.
 * Pure functions of their inputs; no Node APIs.
 */
import type { Matrix } from "@clusterlab/core";
import { embedRows, TSNE_MAX_POINTS, UMAP_FIT_MAX_POINTS } from "@clusterlab/lab";
import type { ProgressFn } from "./algorithms.js";
import type { ProjectionMethod } from "./apiResults.js";
import { shareFloat, shareInt } from "./shared.js";

export { TSNE_MAX_POINTS, UMAP_FIT_MAX_POINTS };

export interface ProjectionJob {
  Xs: Matrix;
  /** Matrix rows of the displayed points (`Display.rows`). */
  displayRows: Int32Array;
  method: ProjectionMethod;
  nComponents: number;
  seed: number;
  /** Most points t-SNE places / UMAP is fitted on. Default `TSNE_MAX_POINTS` / `UMAP_FIT_MAX_POINTS`. */
  maxPoints?: number;
}

export interface ProjectionOutput {
  /** Positions (into the displayed points) placed, increasing. */
  points: Int32Array;
  /** One array per component, aligned with `points`. */
  coords: Float64Array[];
  fitted: number;
  transformed: number;
  axisTitles: string[];
}

function throttled(report: ProgressFn, ms = 150): ProgressFn {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < ms && p.fraction !== 1) return;
    last = now;
    report(p);
  };
}

/** Places the displayed points by PCA (2 or 3 components), t-SNE or UMAP (lab's `embedRows`), in shared buffers. */
export function runProjectionJob(job: ProjectionJob, onProgress: ProgressFn = () => {}): ProjectionOutput {
  const { Xs, displayRows, method, nComponents, seed } = job;
  const out = embedRows(Xs, displayRows, method, nComponents, seed, {
    ...(job.maxPoints !== undefined && { maxPoints: job.maxPoints }),
    onProgress: throttled(onProgress),
    column: shareFloat,
  });
  return { ...out, points: shareInt(out.points) };
}
