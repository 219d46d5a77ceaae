import type { ProjectionResult } from "@clusterlab/charts";
import { type Matrix, memoryLogger, PCA, takeRows } from "@clusterlab/core";
import { clusterMeans } from "./clusterProfile.js";
import { sampleRows } from "./rowSample.js";

/** Most points of a scatter view (a seeded sample above). */
export const MAX_DISPLAY_POINTS = 20_000;

/** The displayed points and the PCA that places them (and the cluster means). */
export interface Display {
  /** Matrix rows shown (all, or a seeded sample), increasing. */
  rows: Int32Array;
  x: Float64Array;
  y: Float64Array;
  explainedVarianceRatio: number[];
  /** PCA mean and components (nComponents x d) to project cluster means. */
  mean: Float64Array;
  components: Float64Array;
  nComponents: number;
}

/**
 * Places the rows of Xs (all, or a seeded sample of `maxPoints`) on their first two principal
 * components. Default `maxPoints`: `MAX_DISPLAY_POINTS`.
 */
export function pcaDisplay(Xs: Matrix, seed: number, maxPoints: number = MAX_DISPLAY_POINTS): Display {
  const n = Xs.rows;
  const nComponents = Math.min(2, Xs.cols, n);
  const pca = new PCA({ nComponents, logger: memoryLogger() }).fit(Xs);
  const rows = sampleRows(n, maxPoints, seed);
  const coords = pca.transform(takeRows(Xs, rows));
  const c = coords.cols;
  const x = new Float64Array(rows.length);
  const y = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    x[r] = coords.data[r * c];
    y[r] = c > 1 ? coords.data[r * c + 1] : 0;
  }
  const ratio = Array.from(pca.explainedVarianceRatio);
  while (ratio.length < 2) ratio.push(0);
  return {
    rows,
    x,
    y,
    explainedVarianceRatio: ratio,
    mean: Float64Array.from(pca.mean),
    components: Float64Array.from(pca.components.data),
    nComponents: c,
  };
}

/**
 * The scatter view of a clustering: the displayed points (raw values of X for the hover), their
 * labels and probabilities, and the cluster means of Xs projected by the display's PCA. Without
 * `withGeometry` the coordinates, rows and values are left out (a client that has them).
 */
export function projectionView(
  X: Matrix,
  Xs: Matrix,
  display: Display,
  labels: Int32Array,
  probability: Float64Array | null,
  k: number,
  sizes: number[],
  withGeometry: boolean,
): Omit<ProjectionResult, "geometryId" | "geometryOmitted"> {
  const { rows } = display;
  const d = X.cols;
  const label: number[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) label[r] = labels[rows[r]];
  const centres = clusterMeans(Xs, labels, k, sizes);
  const cx: (number | null)[] = new Array(k).fill(null);
  const cy: (number | null)[] = new Array(k).fill(null);
  const ds = Xs.cols;
  for (let c = 0; c < k; c++) {
    if (sizes[c] === 0) continue;
    const coords = [0, 0];
    for (let j = 0; j < display.nComponents; j++) {
      let s = 0;
      for (let f = 0; f < ds; f++) s += (centres[c * ds + f] - display.mean[f]) * display.components[j * ds + f];
      coords[j] = s;
    }
    cx[c] = coords[0];
    cy[c] = coords[1];
  }
  const values: number[][] = [];
  if (withGeometry) {
    for (let r = 0; r < rows.length; r++) values.push(Array.from(X.data.subarray(rows[r] * d, rows[r] * d + d)));
  }
  return {
    explainedVarianceRatio: display.explainedVarianceRatio,
    x: withGeometry ? Array.from(display.x) : [],
    y: withGeometry ? Array.from(display.y) : [],
    label,
    probability: probability ? Array.from(rows, (r) => Math.round(probability[r] * 1000) / 1000) : null,
    row: withGeometry ? Array.from(rows) : [],
    values,
    sampled: rows.length < X.rows,
    centroids: { x: cx, y: cy },
  };
}
