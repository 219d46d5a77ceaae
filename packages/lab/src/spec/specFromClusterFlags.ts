import { DataError } from "../errors.js";
import type { ColumnRole } from "../schema/columnRole.js";
import { inferSchema } from "../schema/inferSchema.js";
import { getColumn, type Table } from "../table.js";
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
  /** `--encoding`: the text encoding of a delimited file (spec `data.encoding`). */
  encoding?: string;
  /** `--table`: the table of a DuckDB file (spec `data.table`). */
  table?: string;
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
   * numeric (integer codes inferred as categorical are left out). Ignored when `features` is given.
   */
  numericColumns?: readonly string[];
  /**
   * The feature columns the command line used, by kind (`clusterFeatureColumns`, or the numeric
   * columns of a numeric algorithm). The spec then lists exactly these as `include`, each with its
   * role (`numeric` / `categorical`), numeric ones first, so `runSpec` clusters the same columns in
   * the same order. Default: not known (see `numericColumns`).
   */
  features?: { numeric: readonly string[]; categorical: readonly string[] };
}

/** The feature columns of a `clusterlab cluster` command line, by kind, in the order they are clustered. */
export interface ClusterFeatureColumns {
  numeric: string[];
  categorical: string[];
}

const CATEGORICAL_ALGORITHMS = new Set(["kmodes", "kprototypes"]);

/**
 * Which columns `clusterlab cluster` clusters, and as which kind, decided by the same column roles
 * as an analysis spec (`inferSchema`, as `runSpec`'s `resolveFeatures` does), so a command line and
 * the spec it prints (`--print-spec`) agree: a small integer code such as a year (3 distinct values
 * in 344 rows) is categorical, an identifier or free text is not a feature.
 * - numeric algorithms: `--columns`, else every column read as numbers, minus `--exclude` (the
 *   command line's rule; the printed spec lists them with role `numeric`);
 * - kmodes: `--columns` (any type, as categories), else the columns with role `categorical`;
 * - kprototypes: `--columns`, else the columns with a feature role (`numeric` / `categorical`),
 *   minus `--exclude`; the categorical ones are `--categorical`, else those with role
 *   `categorical` (a named column with another role counts as categorical when it is text,
 *   numeric otherwise).
 * A `DataError` names an unknown column, or says what is missing (with each column's role).
 */
export function clusterFeatureColumns(
  table: Table,
  flags: Pick<ClusterFlags, "algo" | "columns" | "exclude" | "options">,
): ClusterFeatureColumns {
  for (const name of flags.exclude) getColumn(table, name);
  if (flags.columns) for (const name of flags.columns) getColumn(table, name);
  const excluded = new Set(flags.exclude);
  const categoricalAlgorithm = CATEGORICAL_ALGORITHMS.has(flags.algo);
  if (!categoricalAlgorithm) {
    const names = flags.columns ?? table.columns.filter((c) => c.kind === "numeric").map((c) => c.name);
    return { numeric: names.filter((name) => !excluded.has(name)), categorical: [] };
  }
  const schema = inferSchema(table);
  const roleOf = new Map(schema.columns.map((c) => [c.name, c]));
  const roleList = () => schema.columns.map((c) => `${c.name}: ${c.role}`).join(", ");
  if (flags.algo === "kmodes") {
    const chosen = (flags.columns ?? schema.columns.filter((c) => c.role === "categorical").map((c) => c.name)).filter(
      (name) => !excluded.has(name),
    );
    if (chosen.length === 0) {
      throw new DataError(
        `no categorical columns in ${table.source} for kmodes (roles: ${roleList()}); name the columns to cluster with --columns`,
      );
    }
    return { numeric: [], categorical: chosen };
  }
  const used = (flags.columns ?? schema.features).filter((name) => !excluded.has(name));
  const given = flags.options?.categorical;
  let categorical: string[];
  if (Array.isArray(given)) {
    categorical = given.map(String);
    for (const name of categorical) {
      getColumn(table, name);
      if (!used.includes(name)) {
        throw new DataError(`--categorical column ${JSON.stringify(name)} is not among the used columns`);
      }
    }
  } else {
    categorical = used.filter((name) => {
      const role = roleOf.get(name)!.role;
      return role === "categorical" || (role !== "numeric" && getColumn(table, name).kind === "string");
    });
  }
  const isCategorical = new Set(categorical);
  const numeric = used.filter((name) => !isCategorical.has(name));
  if (numeric.length === 0 || categorical.length === 0) {
    throw new DataError(
      `kprototypes needs numeric and categorical columns (numeric: ${numeric.join(", ") || "none"}; categorical: ${categorical.join(", ") || "none"}; roles: ${roleList()}); use kmodes for categorical columns only, another algorithm for numeric ones`,
    );
  }
  return { numeric, categorical };
}

/**
 * The analysis spec (normalised, every default written out) equivalent to a `clusterlab cluster`
 * command line, so the command line and the spec describe a run the same way:
 * - `<file> --format --delimiter --no-header --encoding --table` -> `data`;
 * - with `options.features` (what `clusterlab cluster --print-spec` passes), those columns ->
 *   `columns.include`, each with its role; else `--columns` -> `columns.include` (role numeric,
 *   except for kmodes/kprototypes); `--exclude` -> `columns.exclude`;
 * - `--drop-missing` -> imputation `"drop"` for numeric and categorical features, else `"error"`
 *   (the command line refuses missing numbers), except categorical imputation `"constant"` with
 *   fill value `""` for kmodes / kprototypes, where a missing category is a category of its own;
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
  const roles: Record<string, ColumnRole> = {};
  if (options.features) {
    const { numeric, categorical } = options.features;
    include = [...numeric, ...categorical];
    for (const c of numeric) roles[c] = "numeric";
    for (const c of categorical) roles[c] = "categorical";
  } else {
    if (flags.columns) include = [...flags.columns];
    else if (options.numericColumns && !categoricalAlgorithm) {
      include = options.numericColumns.filter((c) => !exclude.includes(c));
    }
    if (!categoricalAlgorithm) for (const c of include ?? []) roles[c] = "numeric";
  }

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
      if (!options.features) for (const c of value) roles[String(c)] = "categorical";
      continue;
    }
    params[key] = value;
  }
  const missing = flags.dropMissing ? "drop" : "error";
  // The command line clusters a missing category as a category of its own; so does "constant", and
  // the fill value "" is numbered first, as the missing category is (core's sorted category order).
  const categoricalMissing =
    categoricalAlgorithm && !flags.dropMissing
      ? { categorical: "constant", categoricalFillValue: "" }
      : { categorical: missing };
  const spec = {
    version: 1,
    data: {
      path: flags.file,
      ...(flags.format !== undefined && { format: flags.format }),
      ...(flags.delimiter !== undefined && { delimiter: flags.delimiter }),
      ...(flags.header === false && { header: false }),
      ...(flags.encoding !== undefined && { encoding: flags.encoding }),
      ...(flags.table !== undefined && { table: flags.table }),
    },
    columns: { roles, include, exclude },
    preprocessing: {
      imputation: { numeric: missing, ...categoricalMissing },
      encoding: "none",
      scaling: flags.scale,
    },
    algorithm: { name: flags.algo, params },
    seed: flags.seed,
  };
  return normalizeSpec(validateSpec(spec));
}
