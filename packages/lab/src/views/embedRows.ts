import type { ProjectionMethod } from "@clusterlab/charts";
import { type Matrix, memoryLogger, PCA, TSNE, takeRows, UMAP, ValidationError } from "@clusterlab/core";
import { sampleRows } from "./rowSample.js";

/** t-SNE places at most this many points (a seeded sample of the displayed ones above): it has no transform. */
export const TSNE_MAX_POINTS = 5_000;
/** UMAP is fitted on at most this many displayed points; the others are placed by its transform. */
export const UMAP_FIT_MAX_POINTS = 5_000;

/** Progress of a long embedding (t-SNE iterations, UMAP epochs): share done (null: unknown) and what it does. */
export type EmbeddingProgress = (progress: { fraction: number | null; message: string }) => void;

/** Options of `embedRows`. */
export interface EmbedRowsOptions {
  /** Most points t-SNE places / UMAP is fitted on. Default `TSNE_MAX_POINTS` / `UMAP_FIT_MAX_POINTS`. */
  maxPoints?: number;
  /** Called as t-SNE and UMAP progress. Default none. */
  onProgress?: EmbeddingProgress;
  /** Turns each component's column into the array returned (the server shares it between threads). Default: as is. */
  column?: (values: Float64Array) => Float64Array;
}

/** Where `embedRows` placed the points. */
export interface Embedding {
  /** Positions (into `displayRows`) placed, increasing. */
  points: Int32Array;
  /** One array per component, aligned with `points`. */
  coords: Float64Array[];
  /** Points the method was fitted on, and points placed by its transform (UMAP). */
  fitted: number;
  transformed: number;
  axisTitles: string[];
}

function columnsOf(m: Matrix, nComponents: number, share: (v: Float64Array) => Float64Array): Float64Array[] {
  return Array.from({ length: nComponents }, (_, c) => {
    const out = new Float64Array(m.rows);
    if (c < m.cols) for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + c];
    return share(out);
  });
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * Places the rows `displayRows` of Xs by PCA (2 or 3 components), t-SNE (a seeded sample of at most
 * `maxPoints` of them: it has no transform) or UMAP (fitted on such a sample, the others placed by
 * its transform): the scatter views' projections.
 */
export function embedRows(
  Xs: Matrix,
  displayRows: Int32Array,
  method: ProjectionMethod,
  nComponents: number,
  seed: number,
  options: EmbedRowsOptions = {},
): Embedding {
  const report = options.onProgress ?? (() => {});
  const column = options.column ?? ((v: Float64Array) => v);
  const nDisplayed = displayRows.length;
  if (method === "pca") {
    const k = Math.min(nComponents, Xs.cols, Xs.rows);
    report({ fraction: null, message: `PCA (${nComponents} components) of ${Xs.rows.toLocaleString("en-US")} rows` });
    const pca = new PCA({ nComponents: k, logger: memoryLogger() }).fit(Xs);
    const coords = pca.transform(takeRows(Xs, displayRows));
    const ratio = Array.from(pca.explainedVarianceRatio);
    return {
      points: range(nDisplayed),
      coords: columnsOf(coords, nComponents, column),
      fitted: Xs.rows,
      transformed: 0,
      axisTitles: Array.from(
        { length: nComponents },
        (_, c) => `PC${c + 1} (${((ratio[c] ?? 0) * 100).toFixed(1)}% of variance)`,
      ),
    };
  }
  if (method === "tsne") {
    const points = sampleRows(nDisplayed, options.maxPoints ?? TSNE_MAX_POINTS, seed + 3);
    const X = takeRows(
      Xs,
      Array.from(points, (p) => displayRows[p]),
    );
    const m = X.rows;
    if (m < 4) throw new ValidationError(`t-SNE needs at least 4 rows (got ${m})`);
    const maxIter = 1000;
    const model = new TSNE({
      nComponents,
      // PCA initialisation needs at least nComponents features; with fewer, start from random.
      init: X.cols >= nComponents ? "pca" : "random",
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
      points,
      coords: columnsOf(model.embedding, nComponents, column),
      fitted: m,
      transformed: 0,
      axisTitles: Array.from({ length: nComponents }, (_, c) => `t-SNE ${c + 1}`),
    };
  }
  // UMAP: fitted on a seeded sample, the other displayed points placed by its transform.
  const fitPoints = sampleRows(nDisplayed, options.maxPoints ?? UMAP_FIT_MAX_POINTS, seed + 4);
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
    points: range(nDisplayed),
    coords: coords.map((c) => column(c)),
    fitted: m,
    transformed: rest.length,
    axisTitles: Array.from({ length: nComponents }, (_, c) => `UMAP ${c + 1}`),
  };
}
