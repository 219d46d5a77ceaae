import type { ColumnRole } from "../schema/columnRole.js";
import type { DataFormat } from "./analysisSpec.js";
import { type NormalizedAnalysisSpec, normalizeSpec } from "./normalizeSpec.js";
import { validateSpec } from "./validateSpec.js";

/**
 * The options of `clusterlab cluster` that describe the analysis: the CLI's `ClusterArgs` has this
 * shape, plus output options that are not part of a spec (`--out`, `--model`, `--json`, ...).
 */
export interface ClusterFlags {
  file: string;
  format?: DataFormat;
  delimiter?: string;
  header: boolean;
  dropMissing: boolean;
  columns?: readonly string[];
  exclude: readonly string[];
  scale: "standard" | "minmax" | "robust" | "none";
  /** `--algo`: one of the spec's algorithm names (checked by `validateSpec`). */
  algo: string;
  /** `--k`: `nClusters` (`nComponents` for gmm); null or absent for algorithms without one. */
  k?: number | null;
  seed: number;
  /**
   * The algorithm's other options by core option name (`--min-samples 10` -> `{ minSamples: 10 }`);
   * kprototypes' `categorical` column list becomes `categorical` roles.
   */
  options?: Readonly<Record<string, unknown>>;
  /** k-means options given as separate fields (the first command line had only these). */
  nInit?: number;
  maxIter?: number;
  tol?: number;
  init?: string;
  batchSize?: number;
}

/** Options for `specFromClusterFlags`. */
export interface SpecFromClusterFlagsOptions {
  /**
   * The numeric columns of the input table, in order. The command line's default features are
   * "every numeric column" while the spec's are "every numeric or categorical column by role";
   * given the numeric columns, the spec lists them explicitly (as `include`, each with role
   * `numeric`) so both use exactly the same features. Not used by kmodes and kprototypes, which
   * take categorical columns. Default: not known; the spec then uses the columns whose role is
   * numeric (integer codes inferred as categorical are left out).
   */
  numericColumns?: readonly string[];
}

const CATEGORICAL_ALGORITHMS = new Set(["kmodes", "kprototypes"]);

/**
 * The analysis spec (normalised, every default written out) equivalent to a `clusterlab cluster`
 * command line, so the command line and the spec describe a run the same way:
 * - `<file> --format --delimiter --no-header` -> `data`;
 * - `--columns` -> `columns.include` (role numeric, except for kmodes/kprototypes),
 *   `--exclude` -> `columns.exclude`;
 * - `--drop-missing` -> imputation `"drop"` for numeric and categorical features, else `"error"`
 *   (the command line refuses missing values);
 * - categorical encoding `"none"` (the command line clusters numeric columns, and kmodes and
 *   kprototypes take categories directly);
 * - `--scale` -> `preprocessing.scaling`; `--algo` -> `algorithm.name`; `--k` -> `nClusters`
 *   (`nComponents` for gmm); the algorithm's other flags -> `algorithm.params` under their core
 *   names; `--seed` -> `seed`.
 * Throws a `SpecError` when the result does not validate (an unknown file extension, an option the
 * spec does not know).
 */
export function specFromClusterFlags(
  flags: ClusterFlags,
  options: SpecFromClusterFlagsOptions = {},
): NormalizedAnalysisSpec {
  const categoricalAlgorithm = CATEGORICAL_ALGORITHMS.has(flags.algo);
  const exclude = [...flags.exclude];
  let include: string[] | null = null;
  if (flags.columns) include = [...flags.columns];
  else if (options.numericColumns && !categoricalAlgorithm) {
    include = options.numericColumns.filter((c) => !exclude.includes(c));
  }
  const roles: Record<string, ColumnRole> = {};
  if (!categoricalAlgorithm) for (const c of include ?? []) roles[c] = "numeric";

  const params: Record<string, unknown> = {};
  if (flags.k != null) params[flags.algo === "gmm" ? "nComponents" : "nClusters"] = flags.k;
  const legacy = {
    init: flags.init,
    nInit: flags.nInit,
    maxIter: flags.maxIter,
    tol: flags.tol,
    batchSize: flags.batchSize,
  };
  for (const [key, value] of Object.entries({ ...legacy, ...flags.options })) {
    if (value === undefined || key === "seed") continue;
    if (key === "categorical" && Array.isArray(value)) {
      for (const c of value) roles[String(c)] = "categorical";
      continue;
    }
    params[key] = value;
  }
  const missing = flags.dropMissing ? "drop" : "error";
  const spec = {
    version: 1,
    data: {
      path: flags.file,
      ...(flags.format !== undefined && { format: flags.format }),
      ...(flags.delimiter !== undefined && { delimiter: flags.delimiter }),
      ...(flags.header === false && { header: false }),
    },
    columns: { roles, include, exclude },
    preprocessing: {
      imputation: { numeric: missing, categorical: missing },
      encoding: "none",
      scaling: flags.scale,
    },
    algorithm: { name: flags.algo, params },
    seed: flags.seed,
  };
  return normalizeSpec(validateSpec(spec));
}
