import {
  ClusterlabError,
  calinskiHarabaszScore,
  copheneticCorrelation,
  daviesBouldinScore,
  type LinkageMatrix,
  type LinkageMetric,
  type Matrix,
  memoryLogger,
  silhouetteScore,
  takeRows,
} from "@clusterlab/core";
import {
  clusterFeatureColumns,
  DataError,
  readTable,
  specFromClusterFlags,
  type Table,
  writeTable,
} from "@clusterlab/lab";
import { ALGORITHM_TABLE, type AlgorithmName, coreOptions, type OptionValue } from "./algorithms.js";
import { type ClusterArgs, SILHOUETTE_EXACT_MAX } from "./args.js";
import { fitFeatures } from "./estimators.js";
import { type Features, mismatchEncoding, mismatchEncodingWidth, selectFeatures } from "./features.js";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";
import { writeModelFile } from "./modelFile.js";
import {
  type ClusterMetrics,
  type ClusterParams,
  type ClusterReport,
  clusterColumn,
  clusterSizes,
  countNoise,
} from "./report.js";

/** Above this many rows the cophenetic correlation (n(n-1)/2 distances) is skipped. */
export const COPHENETIC_MAX_ROWS = 3000;
/** Largest categorical encoding (rows x width doubles) built for the silhouette of kmodes / kprototypes. */
const ENCODING_MAX_CELLS = 20_000_000;

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

/** The fitted model's fields the report reads (each model has some of them). */
interface FinalModel {
  inertia?: unknown;
  cost?: unknown;
  gamma?: unknown;
  converged?: unknown;
  nIter?: unknown;
  bic?: (X: Matrix) => number;
  aic?: (X: Matrix) => number;
  linkageMatrix?: LinkageMatrix | null;
  metric?: unknown;
}

/** The options of `clusterlab cluster` (and `segments`, `anomalies`) that choose the features. */
export interface ClusterFeatureFlags {
  algo: AlgorithmName;
  columns?: readonly string[];
  exclude: readonly string[];
  dropMissing: boolean;
  /** The algorithm's options (kprototypes' `categorical`). */
  options: Readonly<Record<string, OptionValue>>;
}

/**
 * Selects the features of a `clusterlab cluster` command line: a numeric algorithm's numeric
 * columns, or for kmodes / kprototypes the columns and kinds decided by the analysis spec's column
 * roles (lab's `clusterFeatureColumns`, on `inferSchema`), so a run and its `--print-spec` spec
 * cluster the same columns. `segments` and `anomalies` select theirs the same way.
 */
export function selectClusterFeatures(table: Table, flags: ClusterFeatureFlags): Features {
  const input = ALGORITHM_TABLE[flags.algo].input;
  if (input === "numeric") {
    return selectFeatures(table, input, {
      columns: flags.columns,
      exclude: flags.exclude,
      dropMissing: flags.dropMissing,
    });
  }
  const chosen = clusterFeatureColumns(table, flags);
  return selectFeatures(table, input, {
    columns: [...chosen.numeric, ...chosen.categorical],
    exclude: flags.exclude,
    dropMissing: flags.dropMissing,
    categorical: chosen.categorical,
  });
}

/** Reads the table of a `clusterlab cluster` command line and selects its features (`selectClusterFeatures`). */
async function readClusterFeatures(args: ClusterArgs): Promise<{ table: Table; features: Features }> {
  const table = await readTable(args.file, {
    format: args.format,
    delimiter: args.delimiter,
    header: args.header,
    encoding: args.encoding,
    table: args.table,
  });
  return { table, features: selectClusterFeatures(table, args) };
}

/**
 * `clusterlab cluster --print-spec`: the normalised analysis spec the command line amounts to (lab's
 * `specFromClusterFlags` with the features the run would use), as JSON text; `clusterlab run` on it
 * gives the same labels. Reads the table (to decide the features) but fits nothing.
 */
export async function clusterSpecText(args: ClusterArgs): Promise<string> {
  const { features } = await readClusterFeatures(args);
  const spec = specFromClusterFlags(args, {
    features: { numeric: features.numericColumns, categorical: features.categoricalColumns },
  });
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/**
 * Runs `clusterlab cluster`: reads the table, selects the features of `--algo` (numeric columns, or
 * for kmodes / kprototypes the columns by role, see `readClusterFeatures`), fits
 * `[scaler,] clusterer`, computes metrics on the scaled features of the non-noise rows, writes the
 * requested outputs and returns the report (the caller prints it).
 */
export async function runCluster(args: ClusterArgs, io: CommandIO): Promise<ClusterReport> {
  const start = performance.now();
  const spec = ALGORITHM_TABLE[args.algo];
  const { table, features } = await readClusterFeatures(args);
  const X = features.matrix;
  const { rowsDropped, rowIndex } = features;
  const columns = [...features.numericColumns, ...features.categoricalColumns];
  const loadSeconds = secondsSince(start);
  const n = X.rows;
  if (args.k !== null && args.k > n) {
    throw new DataError(`invalid --k: ${args.k} (must be <= the number of rows, ${n})`);
  }
  const progress = progressPrinter(io, !args.quiet && n > PROGRESS_MIN_ROWS);
  progress(`loaded ${n} rows x ${columns.length} features from ${args.file} in ${loadSeconds.toFixed(2)}s`);

  const logger = memoryLogger();
  let lastReport = performance.now();
  const onIteration =
    n > PROGRESS_MIN_ROWS && !args.quiet
      ? (info: { run: number; iteration: number; inertia: number; labelsChanged: number }) => {
          const now = performance.now();
          if (now - lastReport < 1000) return;
          lastReport = now;
          progress(
            `  run ${info.run + 1}, iteration ${info.iteration}: inertia ${info.inertia.toPrecision(6)}, ${info.labelsChanged} labels changed`,
          );
        }
      : undefined;
  progress(
    `fitting ${args.algo}${args.k !== null ? ` (k=${args.k})` : ""}${features.numericColumns.length > 0 ? ` with ${args.scale} scaling` : ""}...`,
  );
  const fitStart = performance.now();
  // Metrics are computed where the clusterer worked: on the scaled features (Xs).
  const { model, Xs } = fitFeatures(args, features, logger, onIteration);
  const fitSeconds = secondsSince(fitStart);
  progress(`fit done in ${fitSeconds.toFixed(2)}s`);
  const labels = model.labels;
  const final = model.finalModel as unknown as FinalModel;
  const k = model.nClusters;

  const metricsStart = performance.now();
  const warnings: string[] = [];
  const sizes = clusterSizes(labels, k);
  const nNoise = countNoise(labels);
  const scoredRows = n - nNoise;
  const sampleSize =
    args.silhouetteSample !== undefined
      ? args.silhouetteSample === 0 || args.silhouetteSample >= scoredRows
        ? null
        : args.silhouetteSample
      : scoredRows > SILHOUETTE_EXACT_MAX
        ? SILHOUETTE_EXACT_MAX
        : null;
  progress(`computing metrics${sampleSize !== null ? ` (silhouette on a sample of ${sampleSize} rows)` : ""}...`);
  const nonEmpty = sizes.filter((size) => size > 0).length;
  const scorable = nonEmpty >= 2 && nonEmpty <= scoredRows - 1;
  if (!scorable) {
    warnings.push(
      `silhouette, calinski-harabasz and davies-bouldin need 2 to n-1 non-empty clusters (got ${nonEmpty} for ${scoredRows} ${nNoise > 0 ? "non-noise " : ""}rows)`,
    );
  }
  // The rows scored: all, or the non-noise ones.
  let kept: Int32Array | null = null;
  let scoredLabels: Int32Array = labels;
  if (nNoise > 0) {
    kept = new Int32Array(scoredRows);
    for (let i = 0, r = 0; i < n; i++) if (labels[i] >= 0) kept[r++] = i;
    scoredLabels = new Int32Array(scoredRows);
    for (let r = 0; r < scoredRows; r++) scoredLabels[r] = labels[kept[r]];
  }
  const scoredXs = kept ? takeRows(Xs, kept) : Xs;
  const sampling = sampleSize !== null ? { sampleSize, seed: args.seed } : {};
  let silhouette: number | null = null;
  let silhouetteDistance = "euclidean";
  let calinskiHarabasz: number | null = null;
  let daviesBouldin: number | null = null;
  if (spec.input === "numeric") {
    if (scorable) {
      silhouette = tryMetric(() => silhouetteScore(scoredXs, scoredLabels, sampling), "silhouette", warnings);
      calinskiHarabasz = tryMetric(() => calinskiHarabaszScore(scoredXs, scoredLabels), "calinski-harabasz", warnings);
      daviesBouldin = tryMetric(() => daviesBouldinScore(scoredXs, scoredLabels), "davies-bouldin", warnings);
    }
  } else {
    // The silhouette under the model's own dissimilarity (squared distance on the scaled numeric
    // features + weight x differing categories), through an encoding whose squared Euclidean distance is it.
    const weight = spec.input === "categorical" ? 1 : (numberOrNull(final.gamma) ?? 1);
    silhouetteDistance =
      spec.input === "categorical"
        ? "number of differing categories"
        : `squared euclidean + ${Number(weight.toPrecision(4))} x differing categories`;
    const width = mismatchEncodingWidth(features);
    if (scorable && width * scoredRows > ENCODING_MAX_CELLS) {
      warnings.push(`silhouette not computed: the categorical encoding would be ${scoredRows} x ${width}`);
    } else if (scorable) {
      const encoded = mismatchEncoding(features, Xs, weight);
      const scored = kept ? takeRows(encoded, kept) : encoded;
      silhouette = tryMetric(
        () => silhouetteScore(scored, scoredLabels, { ...sampling, metric: "sqeuclidean" }),
        "silhouette",
        warnings,
      );
    }
  }
  const metrics: ClusterMetrics = { silhouette, calinskiHarabasz, daviesBouldin };
  const inertia = numberOrNull(final.inertia);
  if (inertia !== null) metrics.inertia = inertia;
  const cost = numberOrNull(final.cost);
  if (cost !== null) metrics.cost = cost;
  if (typeof final.bic === "function" && typeof final.aic === "function") {
    const bic = tryMetric(() => (final.bic as (X: Matrix) => number).call(final, Xs), "bic", warnings);
    const aic = tryMetric(() => (final.aic as (X: Matrix) => number).call(final, Xs), "aic", warnings);
    if (bic !== null) metrics.bic = bic;
    if (aic !== null) metrics.aic = aic;
  }
  if (args.algo === "agglomerative") {
    const Z = final.linkageMatrix;
    metrics.copheneticCorrelation =
      Z && n <= COPHENETIC_MAX_ROWS && n >= 3
        ? tryMetric(
            () => copheneticCorrelation(Z, Xs, { metric: final.metric as LinkageMetric }),
            "cophenetic correlation",
            warnings,
          )
        : null;
  }
  const metricsSeconds = secondsSince(metricsStart);

  const writeStart = performance.now();
  if (args.out) {
    progress(`writing ${args.out}...`);
    await writeTable(args.out, table, { cluster: clusterColumn(labels, table.nRows, rowIndex) });
  }
  const params: ClusterParams = { scale: args.scale, seed: args.seed, ...coreOptions(args.algo, args) };
  if (args.model) {
    await writeModelFile(args.model, model.toJSON(), {
      input: args.file,
      columns,
      spec: { algorithm: args.algo, ...params },
      nSamples: n,
      ...(spec.input !== "numeric" && {
        features: { numeric: features.numericColumns, categorical: features.categoricalColumns },
      }),
    });
  }
  return {
    input: args.file,
    algorithm: args.algo,
    params,
    columns,
    categoricalColumns: features.categoricalColumns,
    nSamples: n,
    nFeatures: columns.length,
    rowsDropped,
    nClusters: k,
    clusterSizes: sizes,
    nNoise,
    converged: typeof final.converged === "boolean" ? final.converged : null,
    nIter: numberOrNull(final.nIter),
    metrics,
    metricsOn: nNoise > 0 ? "non-noise points" : "all points",
    silhouetteDistance,
    silhouetteSampleSize: sampleSize,
    predict: spec.predict,
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
