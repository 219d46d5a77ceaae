import {
  ClusterlabError,
  calinskiHarabaszScore,
  daviesBouldinScore,
  type Matrix,
  memoryLogger,
  silhouetteScore,
} from "@clusterlab/core";
import { DataError, numericMatrix, readTable, writeTable } from "@clusterlab/lab";
import { type ClusterArgs, SILHOUETTE_EXACT_MAX } from "./args.js";
import { makePipeline } from "./estimators.js";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";
import { writeModelFile } from "./modelFile.js";
import { type ClusterMetrics, type ClusterReport, clusterColumn, clusterSizes } from "./report.js";

function tryMetric(compute: () => number, name: string, warnings: string[]): number | null {
  try {
    const v = compute();
    return Number.isFinite(v) ? v : null;
  } catch (error) {
    if (error instanceof ClusterlabError) {
      warnings.push(`${name} not computed: ${error.message}`);
      return null;
    }
    throw error;
  }
}

function numberOrNull(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}

/**
 * Runs `clusterlab cluster`: reads the table, builds the feature matrix, fits
 * `[scaler,] clusterer`, computes metrics on the scaled features, writes the requested outputs and
 * returns the report (the caller prints it).
 */
export async function runCluster(args: ClusterArgs, io: CommandIO): Promise<ClusterReport> {
  const start = performance.now();
  const table = await readTable(args.file, { format: args.format, delimiter: args.delimiter, header: args.header });
  const {
    matrix: X,
    columns,
    rowsDropped,
    rowIndex,
  } = numericMatrix(table, {
    columns: args.columns,
    exclude: args.exclude,
    dropMissing: args.dropMissing,
    dropMissingHint: "--drop-missing",
  });
  const loadSeconds = secondsSince(start);
  const n = X.rows;
  if (args.k > n) {
    throw new DataError(`invalid --k: ${args.k} (must be <= the number of rows, ${n})`);
  }
  const progress = progressPrinter(io, !args.quiet && n > PROGRESS_MIN_ROWS);
  progress(`loaded ${n} rows x ${X.cols} features from ${args.file} in ${loadSeconds.toFixed(2)}s`);

  const logger = memoryLogger();
  let lastReport = performance.now();
  const pipeline = makePipeline(
    args,
    logger,
    n > PROGRESS_MIN_ROWS && !args.quiet
      ? (info) => {
          const now = performance.now();
          if (now - lastReport < 1000) return;
          lastReport = now;
          progress(
            `  run ${info.run + 1}, iteration ${info.iteration}: inertia ${info.inertia.toPrecision(6)}, ${info.labelsChanged} labels changed`,
          );
        }
      : undefined,
  );
  progress(`fitting ${args.algo} (k=${args.k}) with ${args.scale} scaling...`);
  const fitStart = performance.now();
  const model = pipeline.fit(X);
  const fitSeconds = secondsSince(fitStart);
  progress(`fit done in ${fitSeconds.toFixed(2)}s`);
  const labels = model.labels;
  const final = model.finalModel as unknown as Record<string, unknown>;
  const k = model.nClusters;

  // Metrics are computed where the clusterer worked: on the scaled features.
  const metricsStart = performance.now();
  const Xs: Matrix = args.scale === "none" ? X : model.transform(X);
  const warnings: string[] = [];
  const sampleSize =
    args.silhouetteSample !== undefined
      ? args.silhouetteSample === 0 || args.silhouetteSample >= n
        ? null
        : args.silhouetteSample
      : n > SILHOUETTE_EXACT_MAX
        ? SILHOUETTE_EXACT_MAX
        : null;
  progress(`computing metrics${sampleSize !== null ? ` (silhouette on a sample of ${sampleSize} rows)` : ""}...`);
  const sizes = clusterSizes(labels, k);
  const nonEmpty = sizes.filter((size) => size > 0).length;
  const scorable = nonEmpty >= 2 && nonEmpty <= n - 1;
  if (!scorable) {
    warnings.push(
      `silhouette, calinski-harabasz and davies-bouldin need 2 to n-1 non-empty clusters (got ${nonEmpty} for ${n} rows)`,
    );
  }
  const metrics: ClusterMetrics = {
    silhouette: scorable
      ? tryMetric(
          () => silhouetteScore(Xs, labels, sampleSize !== null ? { sampleSize, seed: args.seed } : {}),
          "silhouette",
          warnings,
        )
      : null,
    calinskiHarabasz: scorable
      ? tryMetric(() => calinskiHarabaszScore(Xs, labels), "calinski-harabasz", warnings)
      : null,
    daviesBouldin: scorable ? tryMetric(() => daviesBouldinScore(Xs, labels), "davies-bouldin", warnings) : null,
    inertia: numberOrNull(final.inertia),
  };
  const metricsSeconds = secondsSince(metricsStart);

  const writeStart = performance.now();
  if (args.out) {
    progress(`writing ${args.out}...`);
    await writeTable(args.out, table, { cluster: clusterColumn(labels, table.nRows, rowIndex) });
  }
  const spec = {
    algorithm: args.algo,
    scale: args.scale,
    nClusters: args.k,
    seed: args.seed,
    init: args.init ?? null,
    nInit: args.nInit ?? null,
    maxIter: args.maxIter ?? null,
    tol: args.tol ?? null,
    batchSize: args.batchSize ?? null,
  };
  if (args.model) {
    await writeModelFile(args.model, model.toJSON(), { input: args.file, columns, spec, nSamples: n });
  }
  const { algorithm, ...params } = spec;
  return {
    input: args.file,
    algorithm,
    params,
    columns,
    nSamples: n,
    nFeatures: X.cols,
    rowsDropped,
    nClusters: k,
    clusterSizes: sizes,
    converged: typeof final.converged === "boolean" ? final.converged : null,
    nIter: numberOrNull(final.nIter),
    metrics,
    silhouetteSampleSize: sampleSize,
    warnings: [...logger.messages, ...warnings],
    outputs: { out: args.out ?? null, model: args.model ?? null },
    timings: {
      loadSeconds,
      fitSeconds,
      metricsSeconds,
      writeSeconds: secondsSince(writeStart),
      totalSeconds: secondsSince(start),
    },
  };
}
