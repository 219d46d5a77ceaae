import { ClusterlabError, chooseK, memoryLogger } from "@clusterlab/core";
import { DataError } from "../errors.js";
import { ALGORITHM_INFO, algorithmName } from "../run/estimatorFromSpec.js";
import { resolveFeatures } from "../run/resolveFeatures.js";
import { runSpec } from "../run/runSpec.js";
import { SILHOUETTE_SAMPLE_SIZE } from "../run/scoreClustering.js";
import type { AlgorithmName, AlgorithmSpec } from "../spec/analysisSpec.js";
import { ALGORITHM_NAMES, type NormalizedAnalysisSpec, normalizeSpec } from "../spec/normalizeSpec.js";
import { validateSpec } from "../spec/validateSpec.js";
import type { Table } from "../table.js";
import { prepareMatrix } from "./prepareMatrix.js";

/** Options for `compareModels`. */
export interface CompareModelsOptions {
  /** Algorithms to compare (spec names or PyCaret-style ids). Default: every algorithm applicable to the features. */
  algorithms?: readonly string[];
  /** Number of clusters of the k-based algorithms. Default: the k with the best silhouette of a k-means sweep over 2..`kMax`. */
  k?: number;
  /** Largest k of that sweep. Default 10. */
  kMax?: number;
  /** Extra parameters per algorithm (spec names), e.g. `{ dbscan: { eps: 0.8 } }`. Default none. */
  params?: Partial<Record<AlgorithmName, Record<string, unknown>>>;
  /** O(n^2) algorithms (kmedoids, agglomerative, affinity propagation, spectral) are skipped above this many rows. Default 5,000. */
  maxQuadraticRows?: number;
  /** Silhouette on a seeded sample of this many rows above it. Default 10,000. */
  silhouetteSampleSize?: number;
  /** Called before each algorithm. Default none. */
  onProgress?: (algorithm: AlgorithmName, index: number, total: number) => void;
}

/** One algorithm's row of the comparison. */
export interface CompareRow {
  /** 1 = best; null for rows without a silhouette (failed, skipped, a single cluster). */
  rank: number | null;
  algorithm: AlgorithmName;
  /** PyCaret-style id. */
  id: string;
  title: string;
  /** The number of clusters asked for (k-based algorithms), else null. */
  k: number | null;
  /** Clusters found. */
  nClusters: number | null;
  nNoise: number | null;
  /** Share of the fitted rows labelled noise. */
  noiseShare: number | null;
  silhouette: number | null;
  calinskiHarabasz: number | null;
  daviesBouldin: number | null;
  /** Agreement with the target (when the experiment names one). */
  adjustedRand: number | null;
  normalizedMutualInfo: number | null;
  /** "euclidean" on the preprocessed features; "mismatch" for kmodes / kprototypes (their own dissimilarity). */
  silhouetteDistance: "euclidean" | "mismatch";
  fitSeconds: number | null;
  totalSeconds: number;
  status: "ok" | "failed" | "skipped";
  /** Why the algorithm failed or was skipped. */
  error: string | null;
}

/** The outcome of `compareModels`. */
export interface CompareModelsResult {
  /**
   * Ranked rows: by silhouette (higher first), then Calinski-Harabasz (higher), then Davies-Bouldin
   * (lower), first the rows whose silhouettes are comparable (Euclidean, at most half the rows
   * noise), then the other scored rows (mostly noise; kmodes / kprototypes), then rows without a
   * silhouette, failures and skipped algorithms.
   */
  rows: CompareRow[];
  /** The k used for the k-based algorithms. */
  k: number;
  /** "given", or "silhouette" when chosen by the k-means sweep. */
  kBy: "given" | "silhouette";
  kReason: string;
  target: string | null;
  warnings: string[];
  seconds: number;
}

/** Above this share of noise a row is ranked after the others (its silhouette covers few rows). */
export const MAX_NOISE_SHARE = 0.5;

/**
 * Ranking groups: 0 comparable (Euclidean silhouette, at most half noise), 1 scored but not
 * comparable (mostly noise, or kmodes / kprototypes' own dissimilarity), 2 no silhouette, 3 failed,
 * 4 skipped.
 */
function group(r: CompareRow): number {
  if (r.status === "failed") return 3;
  if (r.status === "skipped") return 4;
  if (r.silhouette === null) return 2;
  return r.silhouetteDistance === "euclidean" && (r.noiseShare ?? 0) <= MAX_NOISE_SHARE ? 0 : 1;
}

function compareRows(a: CompareRow, b: CompareRow): number {
  const order = group;
  const oa = order(a);
  const ob = order(b);
  if (oa !== ob) return oa - ob;
  if (oa > 1) return 0;
  const s = (b.silhouette as number) - (a.silhouette as number);
  if (s !== 0) return s;
  const ch = (b.calinskiHarabasz ?? Number.NEGATIVE_INFINITY) - (a.calinskiHarabasz ?? Number.NEGATIVE_INFINITY);
  if (ch !== 0 && !Number.isNaN(ch)) return ch;
  return (a.daviesBouldin ?? Number.POSITIVE_INFINITY) - (b.daviesBouldin ?? Number.POSITIVE_INFINITY);
}

function emptyRow(
  name: AlgorithmName,
  k: number | null,
  status: "failed" | "skipped",
  error: string,
  seconds: number,
): CompareRow {
  const info = ALGORITHM_INFO[name];
  return {
    rank: null,
    algorithm: name,
    id: info.id,
    title: info.title,
    k,
    nClusters: null,
    nNoise: null,
    noiseShare: null,
    silhouette: null,
    calinskiHarabasz: null,
    daviesBouldin: null,
    adjustedRand: null,
    normalizedMutualInfo: null,
    silhouetteDistance: info.input === "numeric" ? "euclidean" : "mismatch",
    fitSeconds: null,
    totalSeconds: seconds,
    status,
    error,
  };
}

/**
 * Fits each algorithm on the experiment's data with the same preprocessing and ranks them: k-based
 * algorithms at `k` (or the silhouette-best k of a k-means sweep), the others (density-based, mean
 * shift, affinity propagation) at their defaults. Each row has the internal metrics (noise
 * excluded), ARI / NMI against the target when one is named, the number of clusters and noise, and
 * timings. An algorithm that fails gets a row with its error instead of stopping the comparison.
 */
export async function compareModels(
  spec: NormalizedAnalysisSpec,
  table: Table,
  options: CompareModelsOptions = {},
): Promise<CompareModelsResult> {
  const start = performance.now();
  const warnings: string[] = [];
  const maxQuadratic = options.maxQuadraticRows ?? 5000;
  const sampleSize = options.silhouetteSampleSize ?? SILHOUETTE_SAMPLE_SIZE;

  let names: AlgorithmName[];
  if (options.algorithms) {
    names = options.algorithms.map((a) => {
      const name = algorithmName(a);
      if (!name) {
        const known = ALGORITHM_NAMES.map((n) => `${n} (${ALGORITHM_INFO[n].id})`).join(", ");
        throw new DataError(`unknown algorithm: ${JSON.stringify(a)} (known: ${known})`);
      }
      return name;
    });
  } else {
    // Every algorithm whose input the features provide (kmodes needs categorical features, kprototypes both).
    names = ALGORITHM_NAMES.filter((name) => {
      const input = ALGORITHM_INFO[name].input;
      if (input === "numeric") return true;
      try {
        resolveFeatures(table, spec, input);
        return true;
      } catch (error) {
        if (error instanceof DataError) return false;
        throw error;
      }
    });
  }

  let k: number;
  let kBy: CompareModelsResult["kBy"];
  let kReason: string;
  if (options.k !== undefined) {
    if (!Number.isInteger(options.k) || options.k < 1)
      throw new DataError(`invalid k: ${options.k} (must be an integer >= 1)`);
    k = options.k;
    kBy = "given";
    kReason = `k=${k} given`;
  } else {
    const prepared = prepareMatrix(spec, table, memoryLogger());
    const n = prepared.X.rows;
    const kMax = Math.max(2, Math.min(options.kMax ?? 10, n - 1));
    const sweep = chooseK(prepared.X, {
      kMin: 2,
      kMax,
      seed: spec.seed,
      ...(n > sampleSize && { silhouetteSampleSize: sampleSize }),
      logger: memoryLogger(),
    });
    k = sweep.suggestion.k;
    kBy = "silhouette";
    kReason = `k-means sweep over 2..${kMax}: ${sweep.suggestion.reason}`;
  }

  const rows: CompareRow[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const info = ALGORITHM_INFO[name];
    options.onProgress?.(name, i, names.length);
    const kFor = info.kParam ? k : null;
    const t0 = performance.now();
    if (info.quadratic && table.nRows > maxQuadratic) {
      rows.push(
        emptyRow(
          name,
          kFor,
          "skipped",
          `skipped: O(n^2) method on ${table.nRows} rows (above maxQuadraticRows ${maxQuadratic})`,
          0,
        ),
      );
      continue;
    }
    const params: Record<string, unknown> = { ...(options.params?.[name] ?? {}) };
    if (info.kParam) {
      params[info.kParam] = k;
      if (name === "agglomerative") params.distanceThreshold = null;
    }
    try {
      const algorithm = { name, params } as AlgorithmSpec;
      const runSpecValue = normalizeSpec(validateSpec({ ...spec, algorithm }));
      const result = await runSpec(runSpecValue, { table, silhouetteSampleSize: sampleSize });
      const external = result.metrics.external ?? null;
      rows.push({
        rank: null,
        algorithm: name,
        id: info.id,
        title: info.title,
        k: kFor,
        nClusters: result.nClusters,
        nNoise: result.nNoise,
        noiseShare: result.rows.fitted > 0 ? result.nNoise / result.rows.fitted : 0,
        silhouette: result.metrics.silhouette,
        calinskiHarabasz: result.metrics.calinskiHarabasz,
        daviesBouldin: result.metrics.daviesBouldin,
        adjustedRand: external ? external.adjustedRand : null,
        normalizedMutualInfo: external ? external.normalizedMutualInfo : null,
        silhouetteDistance: info.input === "numeric" ? "euclidean" : "mismatch",
        fitSeconds: result.timings.fitSeconds,
        totalSeconds: Math.round(performance.now() - t0) / 1000,
        status: "ok",
        error: null,
      });
    } catch (error) {
      if (!(error instanceof ClusterlabError)) throw error;
      const message = error.message.split("\n")[0];
      rows.push(emptyRow(name, kFor, "failed", message, Math.round(performance.now() - t0) / 1000));
    }
  }
  rows.sort(compareRows);
  let rank = 1;
  for (const row of rows) if (row.status === "ok" && row.silhouette !== null) row.rank = rank++;
  if (rows.some((r) => r.silhouetteDistance === "mismatch" && r.status === "ok")) {
    warnings.push(
      "kmodes / kprototypes silhouettes use their own dissimilarity (differing categories): ranked after the Euclidean ones",
    );
  }
  const noisy = rows.filter((r) => (r.noiseShare ?? 0) > MAX_NOISE_SHARE).map((r) => r.id);
  if (noisy.length > 0) {
    warnings.push(
      `more than half of the rows are noise for ${noisy.join(", ")} (their silhouette covers the rest only): ranked after the others`,
    );
  }
  return {
    rows,
    k,
    kBy,
    kReason,
    target: spec.columns.target,
    warnings,
    seconds: Math.round(performance.now() - start) / 1000,
  };
}
