/**
 * The projections of the dashboard's scatter besides the 2-D PCA of `analysis.ts`: PCA in 3-D,
 * t-SNE and UMAP (core `manifold`), computed in a worker thread for the displayed points.
 * Pure functions of their inputs; no Node APIs.
 */
import { type Matrix, memoryLogger, PCA, TSNE, UMAP, ValidationError } from "@clusterlab/core";
import type { ProgressFn } from "./algorithms.js";
import { sampleRows, takeRows } from "./analysis.js";
import type { ProjectionMethod } from "./apiResults.js";
import { shareFloat, shareInt } from "./shared.js";

/** t-SNE places at most this many points (a seeded sample of the displayed ones above): it has no transform. */
export const TSNE_MAX_POINTS = 5_000;
/** UMAP is fitted on at most this many displayed points; the others are placed by its transform. */
export const UMAP_FIT_MAX_POINTS = 5_000;

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

function columnsOf(m: Matrix, nComponents: number): Float64Array[] {
  return Array.from({ length: nComponents }, (_, c) => {
    const out = new Float64Array(m.rows);
    if (c < m.cols) for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + c];
    return shareFloat(out);
  });
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Places the displayed points by PCA (2 or 3 components), t-SNE or UMAP. */
export function runProjectionJob(job: ProjectionJob, onProgress: ProgressFn = () => {}): ProjectionOutput {
  const { Xs, displayRows, method, nComponents, seed } = job;
  const report = throttled(onProgress);
  const nDisplayed = displayRows.length;
  if (method === "pca") {
    const k = Math.min(nComponents, Xs.cols, Xs.rows);
    report({ fraction: null, message: `PCA (${nComponents} components) of ${Xs.rows.toLocaleString("en-US")} rows` });
    const pca = new PCA({ nComponents: k, logger: memoryLogger() }).fit(Xs);
    const coords = pca.transform(takeRows(Xs, displayRows));
    const ratio = Array.from(pca.explainedVarianceRatio);
    return {
      points: shareInt(range(nDisplayed)),
      coords: columnsOf(coords, nComponents),
      fitted: Xs.rows,
      transformed: 0,
      axisTitles: Array.from(
        { length: nComponents },
        (_, c) => `PC${c + 1} (${((ratio[c] ?? 0) * 100).toFixed(1)}% of variance)`,
      ),
    };
  }
  if (method === "tsne") {
    const points = sampleRows(nDisplayed, job.maxPoints ?? TSNE_MAX_POINTS, seed + 3);
    const X = takeRows(
      Xs,
      Array.from(points, (p) => displayRows[p]),
    );
    const m = X.rows;
    if (m < 4) throw new ValidationError(`t-SNE needs at least 4 rows (got ${m})`);
    const maxIter = 1000;
    const model = new TSNE({
      nComponents,
      perplexity: Math.min(30, Math.max(1, Math.floor((m - 1) / 3))),
      seed,
      maxIter,
      onIteration: (p) => {
        report({
          fraction: p.iteration / maxIter,
          message: `t-SNE of ${m.toLocaleString("en-US")} rows: iteration ${p.iteration} of at most ${maxIter}`,
        });
        return undefined;
      },
    }).fit(X);
    return {
      points: shareInt(points),
      coords: columnsOf(model.embedding, nComponents),
      fitted: m,
      transformed: 0,
      axisTitles: Array.from({ length: nComponents }, (_, c) => `t-SNE ${c + 1}`),
    };
  }
  // UMAP: fitted on a seeded sample, the other displayed points placed by its transform.
  const fitPoints = sampleRows(nDisplayed, job.maxPoints ?? UMAP_FIT_MAX_POINTS, seed + 4);
  const X = takeRows(
    Xs,
    Array.from(fitPoints, (p) => displayRows[p]),
  );
  const m = X.rows;
  if (m < 4) throw new ValidationError(`UMAP needs at least 4 rows (got ${m})`);
  const model = new UMAP({
    nComponents,
    nNeighbors: Math.min(15, m - 1),
    seed,
    logger: memoryLogger(),
    onEpoch: (p) => {
      report({
        fraction: (0.8 * p.epoch) / p.nEpochs,
        message: `UMAP of ${m.toLocaleString("en-US")} rows: epoch ${p.epoch} of ${p.nEpochs}`,
      });
      return undefined;
    },
  }).fit(X);
  const coords = Array.from({ length: nComponents }, () => new Float64Array(nDisplayed));
  const put = (position: number, e: Matrix, r: number) => {
    for (let c = 0; c < nComponents; c++) coords[c][position] = e.data[r * e.cols + c];
  };
  for (let r = 0; r < fitPoints.length; r++) put(fitPoints[r], model.embedding, r);
  const rest: number[] = [];
  const fitted = new Uint8Array(nDisplayed);
  for (const p of fitPoints) fitted[p] = 1;
  for (let p = 0; p < nDisplayed; p++) if (!fitted[p]) rest.push(p);
  if (rest.length > 0) {
    report({ fraction: 0.85, message: `UMAP: placing the other ${rest.length.toLocaleString("en-US")} points` });
    const placed = model.transform(
      takeRows(
        Xs,
        rest.map((p) => displayRows[p]),
      ),
    );
    for (let r = 0; r < rest.length; r++) put(rest[r], placed, r);
  }
  return {
    points: shareInt(range(nDisplayed)),
    coords: coords.map((c) => shareFloat(c)),
    fitted: m,
    transformed: rest.length,
    axisTitles: Array.from({ length: nComponents }, (_, c) => `UMAP ${c + 1}`),
  };
}
