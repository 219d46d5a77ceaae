import { type Logger, type Matrix, Pipeline, type PipelineStep } from "@clusterlab/core";
import { DataError } from "../errors.js";
import { featureTransformer, pcaFor } from "../run/buildPreprocessing.js";
import { featureFrame, resolveFeatures } from "../run/resolveFeatures.js";
import { removeOutliers, usableRows } from "../run/rowFilters.js";
import type { NormalizedAnalysisSpec } from "../spec/normalizeSpec.js";
import type { Table } from "../table.js";

/** The preprocessed feature matrix of an experiment (what numeric algorithms cluster). */
export interface PreparedMatrix {
  /** Rows x preprocessed features (imputed, transformed, scaled, encoded, PCA). */
  X: Matrix;
  /** Table row of each matrix row. */
  rows: Int32Array;
  numeric: string[];
  categorical: string[];
  target: string | null;
  warnings: string[];
}

/**
 * Applies a spec's columns and preprocessing (not its split) to a table, as `runSpec` does for a
 * numeric algorithm, and returns the matrix the clusterer would see: used by `tuneK`,
 * `compareModels` and the gap statistic, which fit many models on the same features.
 */
export function prepareMatrix(spec: NormalizedAnalysisSpec, table: Table, logger?: Logger): PreparedMatrix {
  const features = resolveFeatures(table, spec, "numeric");
  const { numeric, categorical } = features;
  const warnings = [...features.warnings];
  const pre = spec.preprocessing;
  const usable = usableRows(table, numeric, categorical, pre);
  const cleaned = removeOutliers(table, numeric, usable.rows, pre, logger);
  if (cleaned.warning) warnings.push(cleaned.warning);
  const rows = cleaned.rows;
  const steps: [string, PipelineStep][] = [];
  const columns = featureTransformer(numeric, categorical, pre, logger ? { logger } : {});
  if (!columns) throw new DataError(`no features to cluster in ${table.source}`);
  steps.push(["columns", columns]);
  const pca = pcaFor(pre.pca, logger ? { logger } : {});
  if (pca) steps.push(["pca", pca]);
  const frame = featureFrame(table, [...numeric, ...categorical], rows);
  const { output } = new Pipeline({ steps }).fitTransform(frame);
  return { X: output, rows, numeric, categorical, target: features.target, warnings };
}
