import { statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { type InputFormat, readTable } from "@clusterlab/lab";
import type { ClusterParams, CovarianceTypeName, Linkage, ReportAlgorithm, Scaling } from "@clusterlab/server";
import { type Command, Option } from "commander";
import { sourceOptions } from "./args.js";
import { type CommandIO, progressPrinter, secondsSince } from "./io.js";
import { intOption, listOption, type RawOptions } from "./run.js";
import { UsageError } from "./usage.js";

const FORMATS = ["csv", "tsv", "parquet", "json", "ndjson", "arrow", "duckdb"] as const;
// The server's lists (api.ts), repeated so that parsing the command line does not load the server.
const SCALINGS = ["standard", "minmax", "robust", "none"] as const satisfies readonly Scaling[];
const ALGORITHMS = [
  "kmeans",
  "minibatch-kmeans",
  "bisecting-kmeans",
  "kmedoids",
  "gmm",
  "agglomerative",
  "dbscan",
  "optics",
  "hdbscan",
  "meanshift",
  "affinity-propagation",
  "spectral",
  "birch",
] as const satisfies readonly ReportAlgorithm[];
const LINKAGES = ["ward", "complete", "average", "single"] as const satisfies readonly Linkage[];
const COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"] as const satisfies readonly CovarianceTypeName[];
const METRICS = ["euclidean", "manhattan", "cosine"] as const satisfies readonly NonNullable<ClusterParams["metric"]>[];
const SELECTION_METHODS = ["eom", "leaf", "dbscan"] as const satisfies readonly NonNullable<
  ClusterParams["clusterSelectionMethod"]
>[];
const AFFINITIES = ["rbf", "nearestNeighbors"] as const satisfies readonly NonNullable<ClusterParams["affinity"]>[];

/**
 * The numeric parameters of the other algorithms (the server's `ClusterParams`), as
 * `--kebab-case` flags: [flag and value, attribute, integer, description]. Each algorithm reads its own.
 */
const NUMBER_FLAGS = [
  ["eps <x>", "eps", false, "DBSCAN radius / HDBSCAN cut (scaled features; default: the knee of the core distances)"],
  ["min-samples <n>", "minSamples", true, "DBSCAN / OPTICS / HDBSCAN neighbourhood size (default 5)"],
  ["min-cluster-size <n>", "minClusterSize", true, "HDBSCAN / OPTICS smallest cluster (default 5 / min samples)"],
  ["xi <x>", "xi", false, "OPTICS steepness (default 0.05)"],
  ["distance-threshold <x>", "distanceThreshold", false, "agglomerative: cut the tree at this height instead of k"],
  ["damping <x>", "damping", false, "affinity propagation damping (default 0.5)"],
  ["bandwidth <x>", "bandwidth", false, "mean shift bandwidth (default: estimated)"],
  ["threshold <x>", "threshold", false, "BIRCH subcluster radius (default 0.5)"],
  ["branching-factor <n>", "branchingFactor", true, "BIRCH branching factor (default 50)"],
  ["n-neighbors <n>", "nNeighbors", true, "spectral nearest-neighbours affinity (default 10)"],
  ["batch-size <n>", "batchSize", true, "mini-batch k-means batch size (default 1024)"],
] as const satisfies readonly (readonly [string, keyof ClusterParams, boolean, string])[];

/** The parsed `clusterlab report` command line. */
export interface HtmlReportArgs {
  command: "report";
  file: string;
  /** The HTML file to write (.html or .htm). */
  out: string;
  format?: InputFormat;
  delimiter?: string;
  header: boolean;
  /** `--encoding`: text encoding of a delimited file (default UTF-8). */
  encoding?: string;
  /** `--table`: the table of a DuckDB database file (default: its only table). */
  table?: string;
  columns?: string[];
  exclude: string[];
  scale: Scaling;
  algo: ReportAlgorithm;
  k: number;
  linkage: Linkage;
  covarianceType: CovarianceTypeName;
  /** The other algorithms' parameters given (`--eps`, `--min-samples`, `--metric`, ...). */
  params: Partial<ClusterParams>;
  seed: number;
  dropMissing: boolean;
  /** Largest k of the choice-of-k sweep; null with `--no-sweep`. */
  kMax: number | null;
  title?: string;
  quiet: boolean;
}

/** Registers `clusterlab report` on the program. */
export function reportCommand(program: Command, onParsed: (args: HtmlReportArgs) => void): Command {
  const command = program
    .command("report")
    .description("write a standalone HTML report (interactive charts, no network needed) of a clustering")
    .argument("<file>", "input table (.csv, .tsv, .txt, .parquet, .json, .ndjson, .arrow, .feather, .duckdb)")
    .requiredOption("--out <file>", "the HTML file to write (.html)")
    .option(
      "--columns <list>",
      "comma-separated numeric feature columns (default: the columns inferred as numeric features)",
    )
    .option("--exclude <list>", "comma-separated columns to leave out (e.g. id,target)")
    .addOption(new Option("--scale <method>", "scaling of the features").choices(SCALINGS).default("standard"))
    .addOption(new Option("--algo <name>", "clustering algorithm").choices(ALGORITHMS).default("kmeans"))
    .option("-k, --k <n>", "number of clusters (components for gmm)", "3")
    .addOption(new Option("--linkage <name>", "agglomerative linkage").choices(LINKAGES).default("ward"))
    .addOption(new Option("--covariance-type <type>", "gmm covariance type").choices(COVARIANCE_TYPES).default("full"))
    .addOption(
      new Option("--metric <name>", "distance (k-medoids, agglomerative, DBSCAN, OPTICS, HDBSCAN)").choices(METRICS),
    )
    .addOption(new Option("--cluster-selection-method <name>", "HDBSCAN flat clustering").choices(SELECTION_METHODS))
    .addOption(new Option("--affinity <name>", "spectral clustering affinity").choices(AFFINITIES))
    .option("--seed <n>", "random seed", "0")
    .option("--drop-missing", "drop rows with missing values in the features (default: error)")
    .option("--k-max <n>", "largest k of the choice-of-k sweep (k-means, from k = 2)", "10")
    .option("--no-sweep", "leave out the choice-of-k sweep")
    .option("--title <text>", "the report's title (default: Clustering report: <file>)")
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line")
    .option(
      "--encoding <name>",
      "text encoding of a delimited file: utf-8 (default), latin-1, windows-1252, utf-16, ...",
    )
    .option("--table <name>", "the table of a DuckDB database file (default: its only table)")
    .option("-q, --quiet", "no progress lines on stderr");
  for (const [flag, , , description] of NUMBER_FLAGS) command.option(`--${flag}`, description);
  return command
    .addHelpText(
      "after",
      `
Examples:
  clusterlab report examples/data/iris.csv --k 3 --out iris-report.html
  clusterlab report examples/data/iris.csv --algo hdbscan --min-cluster-size 10 --out iris-hdbscan.html`,
    )
    .action((file: string, opts: RawOptions) => onParsed(htmlReportArgs(file, opts)));
}

/** Parses the options of `clusterlab report` (pure; a bad value is a one-line `UsageError`). */
export function htmlReportArgs(file: string, opts: RawOptions): HtmlReportArgs {
  const out = String(opts.out ?? "");
  if (!/\.html?$/i.test(extname(out))) {
    throw new UsageError(`invalid --out: ${JSON.stringify(out)} (the report is an HTML file: end the name with .html)`);
  }
  const k = intOption(opts, "k", "--k", 2)!;
  const sweep = opts.sweep !== false;
  const kMax = intOption(opts, "kMax", "--k-max", 2)!;
  const args: HtmlReportArgs = {
    command: "report",
    file,
    out,
    header: opts.header !== false,
    exclude: listOption(opts, "exclude", "--exclude") ?? [],
    scale: opts.scale as Scaling,
    algo: opts.algo as ReportAlgorithm,
    k,
    linkage: opts.linkage as Linkage,
    covarianceType: opts.covarianceType as CovarianceTypeName,
    params: reportParams(opts),
    seed: intOption(opts, "seed", "--seed", 0)!,
    dropMissing: opts.dropMissing === true,
    kMax: sweep ? kMax : null,
    quiet: opts.quiet === true,
  };
  const columns = listOption(opts, "columns", "--columns");
  if (columns) args.columns = columns;
  if (opts.format !== undefined) args.format = opts.format as InputFormat;
  if (opts.delimiter !== undefined) {
    const d = String(opts.delimiter);
    if (d === "") throw new UsageError('invalid --delimiter: "" (must be a character, "\\t" or "auto")');
    args.delimiter = d;
  }
  Object.assign(args, sourceOptions(opts));
  if (opts.title !== undefined) args.title = String(opts.title);
  return args;
}

/** The other algorithms' parameters on the command line (numbers checked: finite, integers where needed). */
function reportParams(opts: RawOptions): Partial<ClusterParams> {
  const params: Record<string, unknown> = {};
  for (const [flag, key, integer] of NUMBER_FLAGS) {
    const raw = opts[key];
    if (raw === undefined) continue;
    const text = String(raw).trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      throw new UsageError(
        `invalid --${flag.split(" ")[0]}: ${JSON.stringify(String(raw))} (must be ${integer ? "an integer" : "a number"} >= 0)`,
      );
    }
    params[key] = value;
  }
  if (opts.metric !== undefined) params.metric = opts.metric;
  if (opts.clusterSelectionMethod !== undefined) params.clusterSelectionMethod = opts.clusterSelectionMethod;
  if (opts.affinity !== undefined) params.affinity = opts.affinity;
  return params as Partial<ClusterParams>;
}

/** What `clusterlab report` prints. */
export interface HtmlReportSummary {
  out: string;
  bytes: number;
  nRows: number;
  k: number;
  silhouette: number | null;
  suggestedK: number | null;
  seconds: number;
}

/** Runs `clusterlab report`: reads the table, runs the analysis, writes the HTML file. */
export async function runHtmlReport(args: HtmlReportArgs, io: CommandIO): Promise<HtmlReportSummary> {
  const start = performance.now();
  const progress = progressPrinter(io, !args.quiet);
  // Loaded on demand, as for `serve`: the other commands do not need the server package.
  const { buildReportPayload, loadReportAssets, renderReportHtml } = await import("@clusterlab/server");
  // Fails early (before the analysis) when the report page is not built.
  const assets = loadReportAssets();
  const table = await readTable(args.file, {
    format: args.format,
    delimiter: args.delimiter,
    header: args.header,
    encoding: args.encoding,
    table: args.table,
  });
  progress(`read ${table.nRows} rows from ${args.file}; clustering and sweeping k...`);
  const payload = buildReportPayload(table, {
    input: args.file,
    columns: args.columns,
    exclude: args.exclude,
    scaling: args.scale,
    algorithm: args.algo,
    params: { ...args.params, k: args.k, linkage: args.linkage, covarianceType: args.covarianceType },
    seed: args.seed,
    dropMissing: args.dropMissing,
    sweep: args.kMax !== null,
    ...(args.kMax !== null && { sweepKMax: args.kMax }),
    ...(args.title !== undefined && { title: args.title }),
  });
  await writeFile(args.out, renderReportHtml(payload, assets));
  return {
    out: args.out,
    bytes: statSync(args.out).size,
    nRows: payload.cluster.nRows,
    k: payload.cluster.k,
    silhouette: payload.cluster.metrics.silhouette,
    suggestedK: payload.sweep?.suggestion.k ?? null,
    seconds: secondsSince(start),
  };
}

/** One line for people. */
export function formatHtmlReportSummary(s: HtmlReportSummary): string {
  const mb = (s.bytes / 1048576).toFixed(1);
  const sil = s.silhouette === null ? "" : `, silhouette ${s.silhouette.toFixed(3)}`;
  const suggestion = s.suggestedK === null ? "" : `, suggested k = ${s.suggestedK}`;
  return `wrote ${s.out} (${mb} MB): ${s.nRows} rows, k = ${s.k}${sil}${suggestion}\n`;
}
