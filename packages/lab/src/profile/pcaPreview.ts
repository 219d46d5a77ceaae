import { type Matrix, memoryLogger, PCA, Random } from "@clusterlab/core";

/** A 2-D PCA map of (a sample of) the rows, for a first look at the data. */
export interface PcaPreview {
  /** The standardised numeric features the PCA was fitted on. */
  columns: string[];
  /** Rows the PCA was fitted on (those with every feature observed, or a seeded sample of them). */
  rows: number;
  /** Share of the total variance of the standardised features along PC1 and PC2. */
  explainedVarianceRatio: [number, number];
  /** Loadings: `components[k][j]` is the weight of `columns[j]` in PC k+1. */
  components: [number[], number[]];
  /** Table row index of each point, ascending. */
  indices: number[];
  /** PC1 coordinate of each point. */
  x: number[];
  /** PC2 coordinate of each point. */
  y: number[];
}

/** Options for `pcaPreview`. */
export interface PcaPreviewOptions {
  /** Points in the preview: a seeded random sample of at most this many rows. Default 5000. */
  maxPoints?: number;
  /** Seed of the sample. Default 0. */
  seed?: number;
}

/**
 * Fits core's `PCA` (2 components) on all rows of a standardised matrix `Z` (n x d, d >= 2) and
 * projects a seeded sample of at most `maxPoints` rows. `rowIndex[i]` is the table row of `Z` row i.
 * Warnings of the PCA (zero total variance) are returned, not printed.
 */
export function pcaPreview(
  Z: Matrix,
  columns: readonly string[],
  rowIndex: ArrayLike<number>,
  options: PcaPreviewOptions = {},
): { preview: PcaPreview; warnings: string[] } {
  const { maxPoints = 5000, seed = 0 } = options;
  const logger = memoryLogger();
  const model = new PCA({ nComponents: 2, logger }).fit(Z);
  const n = Z.rows;
  const d = Z.cols;
  let sample: Int32Array;
  if (n > maxPoints) {
    sample = new Random(seed).sampleWithoutReplacement(n, maxPoints).sort();
  } else {
    sample = new Int32Array(n);
    for (let i = 0; i < n; i++) sample[i] = i;
  }
  const points = new Float64Array(sample.length * d);
  for (let k = 0; k < sample.length; k++) points.set(Z.data.subarray(sample[k] * d, sample[k] * d + d), k * d);
  const projected = model.transform({ rows: sample.length, cols: d, data: points });
  const x = new Array<number>(sample.length);
  const y = new Array<number>(sample.length);
  const indices = new Array<number>(sample.length);
  for (let k = 0; k < sample.length; k++) {
    x[k] = projected.data[2 * k];
    y[k] = projected.data[2 * k + 1];
    indices[k] = rowIndex[sample[k]];
  }
  const c = model.components.data;
  return {
    preview: {
      columns: [...columns],
      rows: n,
      explainedVarianceRatio: [model.explainedVarianceRatio[0], model.explainedVarianceRatio[1]],
      components: [Array.from(c.subarray(0, d)), Array.from(c.subarray(d, 2 * d))],
      indices,
      x,
      y,
    },
    warnings: logger.messages,
  };
}
