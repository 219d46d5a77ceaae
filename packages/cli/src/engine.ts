import { existsSync } from "node:fs";
import { extname } from "node:path";
import type { Matrix } from "@clusterlab/core";
import {
  bisectingLabeler,
  DataError,
  gaussianMixtureLabeler,
  nearestCenterLabeler,
  nearestPointLabeler,
  numericMatrix,
  openChdbEngine,
  openDuckDBEngine,
  openPostgresEngine,
  readTable,
  type SqlEngine,
  type SqlLabeler,
  sqlBisectingKMeans,
  sqlGaussianMixture,
  sqlKMeans,
  sqlNumber,
  sqlSampleMatrix,
  sqlSilhouetteScore,
  writeLabels,
} from "@clusterlab/lab";
import { Command, CommanderError, Option } from "commander";
import {
  ALGORITHM_FLAGS,
  ALGORITHM_TABLE,
  type AlgorithmName,
  flagHelp,
  GLOBAL_FLAGS,
  parseAlgorithmOptions,
  placeholder,
  type RawValue,
} from "./algorithms.js";
import { type CommandIO, progressPrinter, secondsSince } from "./io.js";
import { intOption, listOption, UsageError } from "./usage.js";

/** The SQL engines `clusterlab cluster --engine` runs on. */
export const ENGINES = ["duckdb", "postgres", "clickhouse"] as const;
export type EngineName = (typeof ENGINES)[number];

/** Algorithms pushed down whole (one scan per iteration). */
const PUSHED = ["kmeans", "bisecting-kmeans", "gmm"] as const;
/** Algorithms fitted in process on a seeded sample, then assigned by a pushed-down pass. */
const SAMPLED = ["dbscan", "hdbscan", "agglomerative"] as const;
const ENGINE_ALGOS: readonly string[] = [...PUSHED, ...SAMPLED];
const ENGINE_SCALERS = ["standard", "minmax", "none"] as const;

/** The parsed `clusterlab cluster --engine ...` command line. */
export interface EngineArgs {
  command: "cluster-engine";
  engine: EngineName;
  /** DuckDB: database file (default in memory); PostgreSQL: `postgres://` URL; ClickHouse: `chdb:` or `chdb:DIR`. */
  connection?: string;
  /** A table (or view) of the database. Exactly one of `table` and `file`. */
  table?: string;
  /** DuckDB only: a Parquet/CSV/TSV/JSON file (or glob), scanned out of core. */
  file?: string;
  columns?: string[];
  algo: AlgorithmName;
  /** `--k` (default 8) for the algorithms taking it; null for the others. */
  k: number | null;
  /** Whether `--k` was given (an explicit centres file sets k otherwise). */
  kGiven: boolean;
  seed: number;
  scale: (typeof ENGINE_SCALERS)[number];
  /** `k-means||` (default), `random` or `explicit` (with `centers`). */
  init: "k-means||" | "random" | "explicit";
  /** A table file of initial centres (one row per cluster, the feature columns by name), for `--init explicit`. */
  centers?: string;
  /** Parsed algorithm options (core names). */
  options: Record<string, unknown>;
  outTable?: string;
  out?: string;
  /** Rows of the silhouette sample (0: no silhouette). */
  silhouetteSample: number;
  /** Rows fitted in process for dbscan / hdbscan / agglomerative. */
  sample: number;
  /** Largest number of labelled sample points the assignment pass compares each row with. */
  representatives: number;
  json: boolean;
  quiet: boolean;
}

/** The report of an engine run (printed as text, or as JSON with `--json`). */
export interface EngineReport {
  engine: EngineName;
  connection: string | null;
  input: string;
  algorithm: AlgorithmName;
  columns: string[];
  scale: string;
  params: Record<string, unknown>;
  nSamples: number;
  nClusters: number;
  clusterSizes: number[];
  nNoise: number;
  converged: boolean | null;
  nIter: number | null;
  inertia: number | null;
  lowerBound: number | null;
  /** Cluster centres (k x d) in the units of the input columns; null for sampled algorithms. */
  centers: number[][] | null;
  /** The centres the pushed-down k-means started from, in scaled units (reproducible in core). */
  initialCenters: number[][] | null;
  silhouette: number | null;
  silhouetteSampleSize: number | null;
  /** Scans of the source by the fit, the scaling statistics included (not the output and silhouette passes). */
  scans: number;
  /** Null when the result is the algorithm's own; otherwise what the approximation is. */
  approximate: string | null;
  warnings: string[];
  outputs: { outTable: string | null; out: string | null };
  timings: { fitSeconds: number; outputSeconds: number; totalSeconds: number };
}

/** Whether a command line is `cluster ... --engine ...` (handled here rather than by `parseArgs`). */
export function isEngineCommand(argv: readonly string[]): boolean {
  return argv[0] === "cluster" && argv.some((a) => a === "--engine" || a.startsWith("--engine="));
}

function engineCommand(onParsed: (args: EngineArgs) => void, out: { text: string }): Command {
  const cmd = new Command("clusterlab cluster")
    .description("cluster a table where it lives: pushed down into DuckDB, PostgreSQL or ClickHouse")
    .argument(
      "[file]",
      "DuckDB only: a Parquet/CSV/TSV/JSON file or glob, scanned out of core (or a .duckdb database, with --table)",
    )
    .addOption(new Option("--engine <name>", "SQL engine").choices(ENGINES).makeOptionMandatory())
    .option(
      "--connection <url>",
      "duckdb: database file (default in memory); postgres: postgres://user@host:port/db; clickhouse: chdb: or chdb:DIR (embedded)",
    )
    .option("--table <name>", "table or view to cluster (instead of a file)")
    .option("--columns <list>", "comma-separated feature columns (default: every numeric column)")
    .addOption(
      new Option("--algo <name>", "algorithm (dbscan, hdbscan, agglomerative: fitted on a sample, then assigned)")
        .choices(ENGINE_ALGOS)
        .default("kmeans"),
    )
    .addOption(
      new Option("--scale <method>", "scaling of the features, computed in the engine")
        .choices(ENGINE_SCALERS)
        .default("standard"),
    )
    .option("--seed <n>", "random seed", "0")
    .option("--centers <file>", "initial centres for --init explicit (a table with the feature columns)")
    .option("--out-table <name>", "create this table: every row plus a `cluster` column")
    .option("--silhouette-sample <n>", "silhouette on a seeded sample of n rows (0: none)", "10000")
    .option("--sample <n>", "dbscan, hdbscan, agglomerative: rows fitted in process", "2000")
    .option(
      "--representatives <n>",
      "dbscan, hdbscan, agglomerative: labelled sample points each row is compared with",
      "256",
    )
    .option("--out <file>", "duckdb: write every row plus a `cluster` column to this Parquet file")
    .option("--json", "print one JSON object on stdout instead of the report")
    .option("-q, --quiet", "no progress lines on stderr");
  // The algorithm flags of the algorithms available here (another algorithm's flag is unknown).
  for (const flag of ALGORITHM_FLAGS) {
    if (GLOBAL_FLAGS.has(flag.name) || !flag.uses.some((u) => ENGINE_ALGOS.includes(u.algo))) continue;
    if (flag.name === "k") cmd.option("-k, --k <n>", "number of clusters (or mixture components)");
    else if (flag.name === "init")
      cmd.option(
        "--init <method>",
        "kmeans: k-means|| (default), random, explicit; bisecting-kmeans: k-means||, random",
      );
    else if (flag.arity === "value") cmd.option(`--${flag.name} ${placeholder(flag)}`, flagHelp(flag));
    else cmd.option(`--${flag.name}`, flagHelp(flag));
  }
  return cmd
    .helpOption("-h, --help", "show help")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        out.text += s;
      },
      writeErr: (s) => {
        out.text += s;
      },
      outputError: () => {},
    })
    .action((file: string | undefined, opts: Record<string, string | boolean | undefined>, c: Command) =>
      onParsed(engineArgs(file, opts, (key) => c.getOptionValueSource(key) === "cli")),
    );
}

function engineArgs(
  file: string | undefined,
  opts: Record<string, string | boolean | undefined>,
  isGiven: (key: string) => boolean,
): EngineArgs {
  const engine = opts.engine as EngineName;
  const algo = opts.algo as AlgorithmName;
  const table = opts.table === undefined ? undefined : String(opts.table);
  // A DuckDB database file as the argument (as `clusterlab cluster db.duckdb --table t`) is the connection.
  if (file !== undefined && /\.(duckdb|ddb)$/i.test(file) && engine === "duckdb") {
    if (opts.connection !== undefined)
      throw new UsageError("give the DuckDB database either as the file argument or as --connection");
    if (table === undefined) throw new UsageError(`--table is needed with the DuckDB database ${file}`);
    opts.connection = file;
    file = undefined;
  }
  if ((file === undefined) === (table === undefined)) {
    throw new UsageError("give exactly one of a file argument and --table (with --engine)");
  }
  if (file !== undefined && engine !== "duckdb") {
    throw new UsageError(`a file argument needs --engine duckdb (got --engine ${engine}; use --table)`);
  }
  if (engine === "postgres" && opts.connection === undefined) {
    throw new UsageError("--engine postgres needs --connection postgres://user@host:port/database");
  }
  const outTable = opts.outTable === undefined ? undefined : String(opts.outTable);
  const out = opts.out === undefined ? undefined : String(opts.out);
  if (outTable !== undefined && out !== undefined) throw new UsageError("give at most one of --out and --out-table");
  if (out !== undefined) {
    if (engine !== "duckdb") throw new UsageError(`--out needs --engine duckdb (use --out-table on ${engine})`);
    if (extname(out).toLowerCase() !== ".parquet") {
      throw new UsageError(`invalid --out: ${JSON.stringify(out)} (with --engine the output is a .parquet file)`);
    }
  }
  // Algorithm flags: --init is this command's own (k-means||, random, explicit), the rest go to the table.
  const given: Record<string, RawValue> = {};
  for (const flag of ALGORITHM_FLAGS) {
    const value = opts[flag.attribute];
    if (GLOBAL_FLAGS.has(flag.name) || flag.name === "init" || value === undefined || !isGiven(flag.attribute)) {
      continue;
    }
    given[flag.name] = value as RawValue;
  }
  const { k, options } = parseAlgorithmOptions(algo, given);
  const rawInit = opts.init === undefined ? undefined : String(opts.init);
  if (rawInit !== undefined && !(PUSHED as readonly string[]).includes(algo)) {
    throw new UsageError(`--init does not apply to --algo ${algo} with --engine`);
  }
  const inits = algo === "kmeans" ? ["k-means||", "random", "explicit"] : ["k-means||", "random"];
  if (rawInit !== undefined && (algo === "gmm" || !inits.includes(rawInit))) {
    throw new UsageError(
      algo === "gmm"
        ? "--init does not apply to --algo gmm with --engine (its EM starts from a pushed-down k-means with k-means|| seeding)"
        : `invalid --init: ${JSON.stringify(rawInit)} (with --engine and --algo ${algo}: ${inits.join(", ")})`,
    );
  }
  const init = (rawInit ?? "k-means||") as EngineArgs["init"];
  if (init === "explicit" && opts.centers === undefined) throw new UsageError("--init explicit needs --centers FILE");
  if (opts.centers !== undefined && init !== "explicit") throw new UsageError("--centers needs --init explicit");
  const unsupported: Record<string, readonly string[]> = {
    kmeans: ["nInit"],
    "bisecting-kmeans": ["nInit"],
    gmm: ["nInit", "initParams"],
  };
  for (const name of unsupported[algo] ?? []) {
    if (options[name] !== undefined) throw new UsageError(`--${kebab(name)} is not supported with --engine`);
  }
  if (algo === "gmm" && options.covarianceType !== undefined && options.covarianceType !== "diag") {
    throw new UsageError(
      `invalid --covariance-type: ${JSON.stringify(options.covarianceType)} (with --engine only diag is pushed down)`,
    );
  }
  if (options.metric !== undefined && options.metric !== "euclidean") {
    throw new UsageError(`invalid --metric: ${JSON.stringify(options.metric)} (with --engine only euclidean)`);
  }
  const args: EngineArgs = {
    command: "cluster-engine",
    engine,
    algo,
    k,
    kGiven: given.k !== undefined,
    seed: intOption(opts, "seed", "--seed", 0) as number,
    scale: opts.scale as EngineArgs["scale"],
    init,
    options,
    silhouetteSample: intOption(opts, "silhouetteSample", "--silhouette-sample", 0) as number,
    sample: intOption(opts, "sample", "--sample", 2) as number,
    representatives: intOption(opts, "representatives", "--representatives", 1) as number,
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
  if (args.representatives > 1000) {
    throw new UsageError(`invalid --representatives: "${args.representatives}" (must be <= 1000)`);
  }
  if (opts.connection !== undefined) args.connection = String(opts.connection);
  if (table !== undefined) args.table = table;
  if (file !== undefined) args.file = file;
  if (opts.centers !== undefined) args.centers = String(opts.centers);
  if (outTable !== undefined) args.outTable = outTable;
  if (out !== undefined) args.out = out;
  const columns = listOption(opts, "columns", "--columns");
  if (columns !== undefined) args.columns = columns;
  return args;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Parses `clusterlab cluster ... --engine ...` (the whole command line, `cluster` first). Returns
 * help text for `--help`; throws `UsageError` on a bad command line.
 */
export function parseEngineArgs(argv: readonly string[]): EngineArgs | { command: "help"; text: string } {
  const out = { text: "" };
  let parsed: EngineArgs | undefined;
  const cmd = engineCommand((a) => {
    parsed = a;
  }, out);
  try {
    cmd.parse(argv.slice(1), { from: "user" });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.help") {
        return { command: "help", text: out.text };
      }
      const message = error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
      // A flag of `clusterlab cluster` that the pushed-down run does not take: say it is --engine's limit.
      const hint =
        error.code === "commander.unknownOption"
          ? " (not taken with --engine; see cluster --engine duckdb --help)"
          : "";
      throw new UsageError(`${message}${hint}`);
    }
    throw error;
  }
  if (!parsed) throw new UsageError("cluster --engine: nothing to do");
  return parsed;
}

/** The URL without its password. */
function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, "$1:***@");
}

async function openEngine(args: EngineArgs): Promise<SqlEngine> {
  const c = args.connection;
  switch (args.engine) {
    case "duckdb": {
      const path = c === undefined ? ":memory:" : c.replace(/^duckdb:(\/\/)?/, "") || ":memory:";
      if (path !== ":memory:" && !existsSync(path)) {
        throw new DataError(`DuckDB database not found: ${JSON.stringify(path)} (--connection)`);
      }
      return openDuckDBEngine(path);
    }
    case "postgres": {
      const url = c as string;
      if (!/^postgres(ql)?:\/\/[^/]/.test(url)) {
        throw new UsageError(
          `invalid --connection: ${JSON.stringify(redact(url))} (expected postgres://user@host:port/database)`,
        );
      }
      try {
        return await openPostgresEngine(url);
      } catch (error) {
        throw new DataError(
          `cannot connect to ${redact(url)}: ${(error as Error).message.replace(/^cannot connect to PostgreSQL: /, "")}`,
        );
      }
    }
    case "clickhouse": {
      const url = c ?? "chdb:";
      const m = /^chdb:(.*)$/.exec(url);
      if (!m) {
        throw new UsageError(
          `invalid --connection: ${JSON.stringify(redact(url))} (the clickhouse engine is embedded chdb: use chdb: or chdb:DIR)`,
        );
      }
      const dir = m[1].replace(/^\/\//, "");
      return openChdbEngine(dir === "" ? {} : { path: dir });
    }
  }
}

/** The FROM item of a file, by extension (DuckDB table functions, streamed). */
function fileFrom(file: string): string {
  const glob = /[*?[]/.test(file);
  if (!glob && !existsSync(file)) throw new DataError(`file not found: ${file}`);
  const quoted = `'${file.replace(/'/g, "''")}'`;
  const ext = extname(file.replace(/\*+$/, "")).toLowerCase();
  if (ext === ".parquet") return `read_parquet(${quoted})`;
  if (ext === ".csv" || ext === ".txt") return `read_csv(${quoted}, header = true)`;
  if (ext === ".tsv") return `read_csv(${quoted}, header = true, delim = '\t')`;
  if (ext === ".json" || ext === ".ndjson") return `read_json_auto(${quoted})`;
  throw new DataError(
    `unsupported file type: ${JSON.stringify(file)} (with --engine duckdb: .parquet, .csv, .tsv, .txt, .json, .ndjson)`,
  );
}

interface Prepared {
  /** FROM item with the scaled features `__cl_f0..` next to every source column. */
  from: string;
  features: string[];
  /** Source columns written to the output. */
  keep: string[];
  columns: string[];
  /** Per column: scaled = (x - shift) / scale. */
  shift: Float64Array;
  scale: Float64Array;
  nSamples: number;
}

/** Checks the columns, computes the scaler in one scan and wraps the source in a scaling subquery. */
async function prepare(engine: SqlEngine, args: EngineArgs, from: string, label: string): Promise<Prepared> {
  // Scans: this one statistics scan (counted in the report's `scans`), plus the algorithm's.
  const dialect = engine.dialect;
  let types: Awaited<ReturnType<SqlEngine["columnTypes"]>>;
  try {
    types = await engine.columnTypes(`SELECT * FROM ${from}`);
  } catch (error) {
    const first = (error as Error).message.split("\n")[0];
    throw new DataError(`cannot read ${label}: ${first}`);
  }
  const byName = new Map(types.map((t) => [t.name, t]));
  let columns: string[];
  if (args.columns) {
    columns = args.columns;
    for (const c of columns) {
      const t = byName.get(c);
      if (!t) {
        throw new DataError(
          `column ${JSON.stringify(c)} not found in ${label} (columns: ${types.map((x) => x.name).join(", ")})`,
        );
      }
      if (!t.numeric) {
        throw new DataError(
          `column ${JSON.stringify(c)} of ${label} is ${t.type}, not numeric (clustering needs numbers)`,
        );
      }
    }
  } else {
    columns = types.filter((t) => t.numeric).map((t) => t.name);
    if (columns.length === 0) throw new DataError(`${label} has no numeric column`);
  }
  const d = columns.length;
  const aggs = ["COUNT(*) AS n"];
  columns.forEach((c, t) => {
    const col = dialect.ident(c);
    aggs.push(`COUNT(${col}) AS c${t}`);
    if (args.scale === "standard") aggs.push(`AVG(${col}) AS a${t}`, `${dialect.varPop(col)} AS b${t}`);
    if (args.scale === "minmax") aggs.push(`MIN(${col}) AS a${t}`, `MAX(${col}) AS b${t}`);
  });
  const stats = (await engine.query(`SELECT ${aggs.join(", ")} FROM ${from}`))[0];
  const n = sqlNumber(stats.n);
  if (!(n >= 1)) throw new DataError(`${label} has no rows`);
  const shift = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  columns.forEach((c, t) => {
    const nulls = n - sqlNumber(stats[`c${t}`]);
    if (nulls > 0) throw new DataError(`column ${JSON.stringify(c)} has ${nulls} NULL value(s) (drop or impute them)`);
    if (args.scale === "standard") {
      shift[t] = sqlNumber(stats[`a${t}`]);
      const sd = Math.sqrt(sqlNumber(stats[`b${t}`]));
      scale[t] = sd > 0 ? sd : 1;
    } else if (args.scale === "minmax") {
      shift[t] = sqlNumber(stats[`a${t}`]);
      const range = sqlNumber(stats[`b${t}`]) - shift[t];
      scale[t] = range > 0 ? range : 1;
    }
  });
  const features = columns.map((_, t) => `__cl_f${t}`);
  const exprs = columns.map((c, t) => {
    const col = dialect.ident(c);
    const x =
      args.scale === "none" ? `${col} * 1e+0` : `(${col} - ${dialect.number(shift[t])}) / ${dialect.number(scale[t])}`;
    return `${x} AS ${features[t]}`;
  });
  const keep = types.map((t) => t.name);
  if (keep.includes("cluster") && (args.outTable !== undefined || args.out !== undefined)) {
    throw new DataError(`${label} already has a column named "cluster" (the output adds one)`);
  }
  return {
    from: `(SELECT *, ${exprs.join(", ")} FROM ${from}) AS __cl_in`,
    features,
    keep,
    columns,
    shift,
    scale,
    nSamples: n,
  };
}

/** Initial centres from a table file (its feature columns by name), scaled like the data. */
async function explicitCenters(file: string, p: Prepared, k: number | null): Promise<Matrix> {
  const table = await readTable(file);
  const m = numericMatrix(table, { columns: p.columns }).matrix;
  if (k !== null && m.rows !== k) throw new DataError(`--centers ${file}: ${m.rows} rows, but --k is ${k}`);
  const d = p.columns.length;
  const data = new Float64Array(m.rows * d);
  for (let i = 0; i < m.rows; i++) {
    for (let t = 0; t < d; t++) data[i * d + t] = (m.data[i * d + t] - p.shift[t]) / p.scale[t];
  }
  return { rows: m.rows, cols: d, data };
}

function unscale(c: Matrix, p: Prepared): number[][] {
  const d = c.cols;
  return Array.from({ length: c.rows }, (_, i) =>
    Array.from({ length: d }, (_, t) => c.data[i * d + t] * p.scale[t] + p.shift[t]),
  );
}

function rowsOf(c: Matrix): number[][] {
  return Array.from({ length: c.rows }, (_, i) => Array.from(c.data.subarray(i * c.cols, (i + 1) * c.cols)));
}

/** Evenly spaced indices: at most `max` of `0..n-1`. */
function spread(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}

/** Runs `clusterlab cluster --engine ...` and returns its report. */
export async function runEngineCluster(args: EngineArgs, io: CommandIO): Promise<EngineReport> {
  const start = performance.now();
  const progress = progressPrinter(io, !args.quiet);
  const engine = await openEngine(args);
  try {
    const label = args.table !== undefined ? `table ${JSON.stringify(args.table)}` : (args.file as string);
    const from = args.table !== undefined ? engine.dialect.ident(args.table) : fileFrom(args.file as string);
    const p = await prepare(engine, args, from, label);
    const ref = { from: p.from, columns: p.features };
    const k = args.k ?? 8;
    progress(`${p.nSamples} rows x ${p.columns.length} features in ${label} (${args.engine}); fitting ${args.algo}...`);
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m) };
    const o = args.options as Record<string, number | string | undefined>;
    let labeler: SqlLabeler;
    let report: Pick<
      EngineReport,
      | "nClusters"
      | "converged"
      | "nIter"
      | "inertia"
      | "lowerBound"
      | "centers"
      | "initialCenters"
      | "scans"
      | "approximate"
    >;
    let sizes: number[] | undefined;
    const fitStart = performance.now();
    const onIteration = (info: { iteration: number; seconds: number }) =>
      progress(`  iteration ${info.iteration}: ${info.seconds.toFixed(2)}s`);
    if (args.algo === "kmeans") {
      const init =
        args.init === "explicit"
          ? await explicitCenters(args.centers as string, p, args.kGiven ? args.k : null)
          : args.init;
      const r = await sqlKMeans(engine, {
        ...ref,
        nClusters: typeof init === "string" ? k : init.rows,
        init,
        maxIter: o.maxIter as number | undefined,
        tol: o.tol as number | undefined,
        seed: args.seed,
        logger,
        onIteration,
      });
      labeler = nearestCenterLabeler(r.clusterCenters);
      sizes = Array.from(r.clusterSizes);
      report = {
        nClusters: r.clusterCenters.rows,
        converged: r.converged,
        nIter: r.nIter,
        inertia: r.inertia,
        lowerBound: null,
        centers: unscale(r.clusterCenters, p),
        initialCenters: rowsOf(r.initialCenters),
        scans: r.scans + 1,
        approximate: null,
      };
    } else if (args.algo === "bisecting-kmeans") {
      const r = await sqlBisectingKMeans(engine, {
        ...ref,
        nClusters: k,
        init: args.init === "explicit" ? "random" : args.init,
        maxIter: o.maxIter as number | undefined,
        tol: o.tol as number | undefined,
        bisectingStrategy: o.bisectingStrategy as "biggestInertia" | "largestCluster" | undefined,
        seed: args.seed,
        logger,
      });
      labeler = bisectingLabeler(r.nodes);
      sizes = Array.from(r.clusterSizes);
      report = {
        nClusters: r.clusterCenters.rows,
        converged: null,
        nIter: null,
        inertia: r.inertia,
        lowerBound: null,
        centers: unscale(r.clusterCenters, p),
        initialCenters: null,
        scans: r.scans + 1,
        approximate: null,
      };
    } else if (args.algo === "gmm") {
      const r = await sqlGaussianMixture(engine, {
        ...ref,
        nComponents: k,
        tol: o.tol as number | undefined,
        regCovar: o.regCovar as number | undefined,
        maxIter: o.maxIter as number | undefined,
        seed: args.seed,
        onIteration: (info) =>
          progress(`  EM iteration ${info.iteration}: lower bound ${info.lowerBound.toPrecision(8)}`),
      });
      if (!r.converged) warnings.push(`gmm did not converge in ${r.nIter} EM iterations`);
      labeler = gaussianMixtureLabeler(r.weights, r.means, r.precisionsCholesky);
      sizes = Array.from(r.componentSizes);
      report = {
        nClusters: k,
        converged: r.converged,
        nIter: r.nIter,
        inertia: null,
        lowerBound: r.lowerBound,
        centers: unscale(r.means, p),
        initialCenters: null,
        scans: r.scans + 1,
        approximate: null,
      };
    } else {
      // DBSCAN / HDBSCAN / agglomerative: fitted in process on a seeded sample, then assigned in the engine.
      const { X } = await sqlSampleMatrix(engine, ref, args.sample, args.seed);
      const spec = ALGORITHM_TABLE[args.algo];
      const options: Record<string, unknown> = { ...args.options };
      if (args.k !== null) {
        const kOption = spec.options.find((b) => b.flag === "k");
        if (kOption) options[kOption.option] = args.k;
      }
      if (X.rows < 2) throw new DataError(`the sample has ${X.rows} row(s); clustering needs at least 2`);
      if (args.k !== null && args.k > X.rows) {
        throw new DataError(`invalid --k: ${args.k} (must be <= the sample's ${X.rows} rows)`);
      }
      const estimator = spec.create(options, { logger }) as unknown as { fit(X: Matrix): unknown };
      const model = estimator.fit(X) as {
        labels: Int32Array;
        coreSampleIndices?: Int32Array;
      };
      let points: number[];
      let eps: number | undefined;
      let rule: string;
      if (args.algo === "dbscan") {
        points = Array.from(model.coreSampleIndices ?? []);
        eps = Number(o.eps ?? 0.5);
        rule = "the cluster of the nearest core point of the sample within eps, else noise";
      } else {
        points = Array.from({ length: X.rows }, (_, i) => i);
        rule = "the label of the nearest sample point (noise if that point is noise)";
      }
      if (points.length === 0)
        throw new DataError(`${args.algo} on the sample found no cluster (every sample row is noise)`);
      const chosen = spread(points.length, args.representatives).map((i) => points[i]);
      const reps: Matrix = { rows: chosen.length, cols: X.cols, data: new Float64Array(chosen.length * X.cols) };
      chosen.forEach((i, r) => {
        reps.data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), r * X.cols);
      });
      const repLabels = chosen.map((i) => model.labels[i]);
      labeler = nearestPointLabeler(reps, repLabels, eps);
      const nLabels = new Set(Array.from(model.labels).filter((l) => l >= 0)).size;
      report = {
        nClusters: nLabels,
        converged: null,
        nIter: null,
        inertia: null,
        lowerBound: null,
        centers: null,
        initialCenters: null,
        scans: 2,
        approximate:
          `${args.algo} was fitted in process on a seeded sample of ${X.rows} of ${p.nSamples} rows; every row then got ` +
          `${rule}, comparing it with ${chosen.length} labelled sample points. Rows outside the sample are not ` +
          `clustered by ${args.algo} itself: clusters too small to appear in the sample are missed.`,
      };
    }
    const fitSeconds = secondsSince(fitStart);
    progress(`fit done in ${fitSeconds.toFixed(2)}s (${report.scans} scans)`);

    const outStart = performance.now();
    if (sizes === undefined || report.approximate !== null) {
      // One counting pass through the labeler (sampled algorithms, noise included).
      const select = labeler(engine.dialect, ref, [], "__cl_label");
      const rows = await engine.query(
        `SELECT __cl_label AS j, COUNT(*) AS n FROM (${select}) AS __cl_c GROUP BY __cl_label`,
      );
      const byLabel = new Map(rows.map((r) => [sqlNumber(r.j), sqlNumber(r.n)]));
      sizes = Array.from({ length: report.nClusters }, (_, j) => byLabel.get(j) ?? 0);
      sizes.push(byLabel.get(-1) ?? 0);
    }
    const nNoise = report.approximate !== null ? (sizes.pop() as number) : 0;
    let silhouette: number | null = null;
    let silhouetteSampleSize: number | null = null;
    if (args.silhouetteSample > 0) {
      progress(`silhouette on a seeded sample of up to ${args.silhouetteSample} rows...`);
      const s = await sqlSilhouetteScore(engine, labeler, {
        ...ref,
        sampleSize: args.silhouetteSample,
        seed: args.seed,
      });
      silhouette = s.score;
      silhouetteSampleSize = s.sampleSize;
      if (s.reason) warnings.push(`silhouette not computed: ${s.reason}`);
    }
    if (args.outTable !== undefined || args.out !== undefined) {
      progress(`writing ${args.outTable ?? args.out}...`);
      try {
        await writeLabels(engine, labeler, {
          ...ref,
          keep: p.keep,
          ...(args.outTable !== undefined ? { target: args.outTable } : { parquet: args.out }),
        });
      } catch (error) {
        const first = (error as Error).message.split("\n")[0];
        throw new DataError(
          `cannot write ${args.outTable !== undefined ? `table ${JSON.stringify(args.outTable)}` : args.out}: ${first}`,
        );
      }
    }
    const params: Record<string, unknown> = {
      k: args.k,
      init: PUSHED.includes(args.algo as never) ? args.init : null,
      seed: args.seed,
      ...args.options,
    };
    if (report.approximate !== null)
      Object.assign(params, { sample: args.sample, representatives: args.representatives });
    return {
      engine: args.engine,
      connection: args.connection === undefined ? null : redact(args.connection),
      input: args.table ?? (args.file as string),
      algorithm: args.algo,
      columns: p.columns,
      scale: args.scale,
      params,
      nSamples: p.nSamples,
      ...report,
      clusterSizes: sizes,
      nNoise,
      silhouette,
      silhouetteSampleSize,
      warnings,
      outputs: { outTable: args.outTable ?? null, out: args.out ?? null },
      timings: { fitSeconds, outputSeconds: secondsSince(outStart), totalSeconds: secondsSince(start) },
    };
  } finally {
    await engine.close();
  }
}

function fmt(x: number | null, digits = 6): string {
  return x === null ? "-" : Number(x.toPrecision(digits)).toString();
}

/** The text report of an engine run. */
export function formatEngineReport(r: EngineReport): string {
  const lines = [
    `${r.algorithm} on ${r.input} (${r.engine}${r.connection ? ` ${r.connection}` : ""}), pushed down`,
    `  rows ${r.nSamples}, features ${r.columns.length} (${r.columns.join(", ")}), scale ${r.scale}`,
    `  clusters ${r.nClusters}: sizes ${r.clusterSizes.join(", ")}${r.nNoise > 0 ? `, noise ${r.nNoise}` : ""}`,
  ];
  if (r.inertia !== null) lines.push(`  inertia ${fmt(r.inertia, 10)}`);
  if (r.lowerBound !== null) lines.push(`  lower bound (mean log-likelihood) ${fmt(r.lowerBound, 10)}`);
  if (r.nIter !== null) lines.push(`  iterations ${r.nIter}${r.converged ? " (converged)" : " (not converged)"}`);
  lines.push(`  scans of the source ${r.scans}`);
  lines.push(
    `  silhouette ${fmt(r.silhouette, 4)}${r.silhouetteSampleSize !== null ? ` (seeded sample of ${r.silhouetteSampleSize} rows)` : ""}`,
  );
  if (r.approximate) lines.push(`  approximate: ${r.approximate}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  if (r.outputs.outTable) lines.push(`  wrote table ${r.outputs.outTable}`);
  if (r.outputs.out) lines.push(`  wrote ${r.outputs.out}`);
  lines.push(`  time ${r.timings.totalSeconds.toFixed(2)}s (fit ${r.timings.fitSeconds.toFixed(2)}s)`);
  return `${lines.join("\n")}\n`;
}

/**
 * The `cluster --engine` path of `main`: undefined when `argv` is not an engine command, else the
 * report text to print (help text for `--help`).
 */
export async function runEngineCommand(argv: readonly string[], io: CommandIO): Promise<string | undefined> {
  if (!isEngineCommand(argv)) return undefined;
  const parsed = parseEngineArgs(argv);
  if (parsed.command === "help") return parsed.text;
  const report = await runEngineCluster(parsed, io);
  return parsed.json ? `${JSON.stringify(report)}\n` : formatEngineReport(report);
}
