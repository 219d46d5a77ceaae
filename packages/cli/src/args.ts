import { outputFormat, type TableFormat } from "@clusterlab/lab";
import { Command, CommanderError, Option } from "commander";
import { VERSION } from "./version.js";

/** A mistake on the command line (unknown flag, bad number, ...): exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const SCALERS = ["standard", "minmax", "robust", "none"] as const;
export type ScaleMethod = (typeof SCALERS)[number];
export const ALGORITHMS = ["kmeans", "minibatch-kmeans", "bisecting-kmeans"] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];
export const INITS = ["k-means++", "random"] as const;
export type InitMethod = (typeof INITS)[number];
export const FORMATS = ["csv", "tsv", "parquet", "json", "ndjson"] as const;

/** Default number of clusters, as in scikit-learn's KMeans. */
export const DEFAULT_K = 8;
/** Up to this many rows the silhouette is exact; above, it is computed on a seeded sample of this size. */
export const SILHOUETTE_EXACT_MAX = 10_000;

/** How to read the input file (shared by `cluster` and `predict`). */
export interface InputArgs {
  file: string;
  format?: TableFormat;
  delimiter?: string;
  header: boolean;
  dropMissing: boolean;
  json: boolean;
  quiet: boolean;
  out?: string;
}

/** The parsed `clusterlab cluster` command line. */
export interface ClusterArgs extends InputArgs {
  command: "cluster";
  columns?: string[];
  exclude: string[];
  scale: ScaleMethod;
  algo: AlgorithmName;
  k: number;
  seed: number;
  nInit?: number;
  maxIter?: number;
  tol?: number;
  init?: InitMethod;
  batchSize?: number;
  model?: string;
  /** Rows for the silhouette sample; 0 means exact. Default: exact up to 10 000 rows, else a 10 000-row sample. */
  silhouetteSample?: number;
}

/** The parsed `clusterlab predict` command line. */
export interface PredictArgs extends InputArgs {
  command: "predict";
  model: string;
}

/** `--help` or `--version`: print `text` to stdout and exit 0. */
export interface InfoArgs {
  command: "help" | "version";
  text: string;
}

export type ParsedArgs = ClusterArgs | PredictArgs | InfoArgs;

type RawOptions = Record<string, string | boolean | undefined>;

function inputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line")
    .option("--drop-missing", "drop rows with missing values in the used columns (default: error)")
    .option("--out <file>", "write all input rows plus a `cluster` column (.csv, .tsv, .parquet, .json)")
    .option("--json", "print one JSON object on stdout instead of the report")
    .option("-q, --quiet", "no progress lines on stderr");
}

/** Builds the commander program; `onParsed` receives each parsed command. Does not print or exit. */
function buildProgram(onParsed: (args: ParsedArgs) => void, out: { text: string }): Command {
  const program = new Command("clusterlab")
    .description("Clustering and segmentation analysis of tabular data (CSV, TSV, Parquet, JSON)")
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
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
    .addHelpText(
      "after",
      `
Exit codes: 0 success, 1 bad data or failed run, 2 bad command line.
Set CLUSTERLAB_DEBUG=1 to print stack traces.

Example:
  clusterlab cluster examples/data/iris.csv --exclude target --k 3 --out iris-clusters.csv`,
    );

  const cluster = program
    .command("cluster")
    .description("cluster the rows of a table and report sizes and quality metrics")
    .argument("<file>", "input table (.csv, .tsv, .txt, .parquet, .json, .ndjson)")
    .option("--columns <list>", "comma-separated feature columns (default: every numeric column)")
    .option("--exclude <list>", "comma-separated columns to leave out (e.g. id,target)")
    .addOption(new Option("--scale <method>", "feature scaling").choices(SCALERS).default("standard"))
    .addOption(new Option("--algo <name>", "clustering algorithm").choices(ALGORITHMS).default("kmeans"))
    .option("-k, --k <n>", "number of clusters", String(DEFAULT_K))
    .option("--seed <n>", "random seed", "0")
    .option("--n-init <n>", "number of initialisations (best inertia wins; default: the algorithm's)")
    .option("--max-iter <n>", "maximum iterations per run (default: the algorithm's)")
    .option("--tol <x>", "convergence tolerance (default: the algorithm's)")
    .addOption(new Option("--init <method>", "initialisation (default: k-means++)").choices(INITS))
    .option("--batch-size <n>", "mini-batch size (minibatch-kmeans only)")
    .option("--model <file>", "save the fitted pipeline (scaler + model) as JSON for `clusterlab predict`")
    .option(
      "--silhouette-sample <n>",
      `silhouette on a seeded sample of n rows; 0 = exact (default: exact up to ${SILHOUETTE_EXACT_MAX} rows, else sampled)`,
    );
  inputOptions(cluster).action((file: string, opts: RawOptions) => onParsed(clusterArgs(file, opts)));

  const predict = program
    .command("predict")
    .description("assign the rows of a table to the clusters of a saved model")
    .argument("<file>", "input table with the model's feature columns")
    .requiredOption("--model <file>", "model JSON written by `clusterlab cluster --model`");
  inputOptions(predict).action((file: string, opts: RawOptions) => onParsed(predictArgs(file, opts)));

  for (const cmd of [cluster, predict]) {
    cmd
      .helpOption("-h, --help", "show help")
      .showSuggestionAfterError(true)
      .exitOverride()
      .configureOutput(program.configureOutput());
  }
  return program;
}

const INTEGER = /^[+-]?\d+$/;

function intOption(opts: RawOptions, key: string, flag: string, min: number): number | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be an integer >= ${min})`);
  }
  return value;
}

function numberOption(opts: RawOptions, key: string, flag: string, min: number): number | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value) || value < min) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be a number >= ${min})`);
  }
  return value;
}

function listOption(opts: RawOptions, key: string, flag: string): string[] | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const items = String(raw)
    .split(",")
    .map((s) => s.trim());
  if (items.some((s) => s === "")) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be a comma-separated list of column names)`);
  }
  return items;
}

function checkOutPath(path: string | undefined): void {
  if (path === undefined) return;
  try {
    outputFormat(path);
  } catch (error) {
    throw new UsageError(`invalid --out: ${(error as Error).message}`);
  }
}

function inputArgs(file: string, opts: RawOptions): InputArgs {
  const args: InputArgs = {
    file,
    header: opts.header !== false,
    dropMissing: opts.dropMissing === true,
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
  if (opts.format !== undefined) args.format = opts.format as TableFormat;
  if (opts.delimiter !== undefined) {
    const d = String(opts.delimiter);
    if (d === "") throw new UsageError('invalid --delimiter: "" (must be a character, "\\t" or "auto")');
    args.delimiter = d;
  }
  if (opts.out !== undefined) {
    checkOutPath(String(opts.out));
    args.out = String(opts.out);
  }
  return args;
}

function clusterArgs(file: string, opts: RawOptions): ClusterArgs {
  const args: ClusterArgs = {
    ...inputArgs(file, opts),
    command: "cluster",
    exclude: listOption(opts, "exclude", "--exclude") ?? [],
    scale: opts.scale as ScaleMethod,
    algo: opts.algo as AlgorithmName,
    k: intOption(opts, "k", "--k", 1)!,
    seed: intOption(opts, "seed", "--seed", 0)!,
  };
  const columns = listOption(opts, "columns", "--columns");
  if (columns) args.columns = columns;
  const nInit = intOption(opts, "nInit", "--n-init", 1);
  if (nInit !== undefined) args.nInit = nInit;
  const maxIter = intOption(opts, "maxIter", "--max-iter", 1);
  if (maxIter !== undefined) args.maxIter = maxIter;
  const tol = numberOption(opts, "tol", "--tol", 0);
  if (tol !== undefined) args.tol = tol;
  if (opts.init !== undefined) args.init = opts.init as InitMethod;
  const batchSize = intOption(opts, "batchSize", "--batch-size", 1);
  if (batchSize !== undefined) {
    if (args.algo !== "minibatch-kmeans") {
      throw new UsageError(`--batch-size only applies to --algo minibatch-kmeans (got --algo ${args.algo})`);
    }
    args.batchSize = batchSize;
  }
  if (opts.model !== undefined) args.model = String(opts.model);
  const sample = intOption(opts, "silhouetteSample", "--silhouette-sample", 0);
  if (sample !== undefined) {
    if (sample === 1) throw new UsageError('invalid --silhouette-sample: "1" (must be 0 for exact, or >= 2)');
    args.silhouetteSample = sample;
  }
  return args;
}

function predictArgs(file: string, opts: RawOptions): PredictArgs {
  return { ...inputArgs(file, opts), command: "predict", model: String(opts.model) };
}

/** Commander's message without its `error: ` prefix, on one line. */
function commanderMessage(error: CommanderError): string {
  return error.message
    .replace(/^error: /, "")
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

/**
 * Parses a full `clusterlab` command line (without `node` and the script), e.g.
 * `["cluster", "iris.csv", "--k", "3"]`. Pure: prints nothing and never exits. Returns the
 * command to run, or help/version text; throws `UsageError` (one-line message) on a bad command line.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const out = { text: "" };
  let parsed: ParsedArgs | undefined;
  const program = buildProgram((args) => {
    parsed = args;
  }, out);
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof CommanderError) {
      if (error.code === "commander.version") return { command: "version", text: out.text };
      if (error.code === "commander.helpDisplayed" || error.code === "commander.help") {
        return { command: "help", text: out.text };
      }
      throw new UsageError(commanderMessage(error));
    }
    throw error;
  }
  if (!parsed) return { command: "help", text: program.helpInformation() };
  return parsed;
}

/** Parses the arguments of `clusterlab cluster` (everything after `cluster`). */
export function parseClusterArgs(argv: readonly string[]): ClusterArgs {
  const parsed = parseArgs(["cluster", ...argv]);
  if (parsed.command !== "cluster") throw new UsageError(`expected cluster arguments, got ${parsed.command}`);
  return parsed;
}
