import {
  COLUMN_ROLES,
  type ColumnRole,
  INPUT_FORMATS,
  type InputFormat,
  normalizeEncoding,
  outputFormat,
} from "@clusterlab/lab";
import { Command, CommanderError, Option } from "commander";
import {
  ALGORITHM_FLAGS,
  ALGORITHM_TABLE,
  ALGORITHMS,
  type AlgorithmName,
  algorithmsHelp,
  DEFAULT_K,
  flagHelp,
  GLOBAL_FLAGS,
  type OptionValue,
  parseAlgorithmOptions,
  placeholder,
  type RawValue,
} from "./algorithms.js";
import { type AnomaliesArgs, anomaliesCommand } from "./anomalies.js";
import { type CompareArgs, compareCommand } from "./compare.js";
import { type GenerateArgs, generateCommand } from "./generate.js";
import { type HtmlReportArgs, reportCommand } from "./htmlReport.js";
import { type ImageArgs, imageCommand } from "./image.js";
import { type PlotArgs, plotCommand } from "./plot.js";
import { type RfmArgs, rfmCommand } from "./rfm.js";
import { type RunArgs, runCommand } from "./run.js";
import { type RunsArgs, runsCommand } from "./runs.js";
import { type SegmentsArgs, segmentsCommand } from "./segments.js";
import { type SocialArgs, socialCommand } from "./social.js";
import { type SweepArgs, sweepCommand } from "./sweep.js";
import { type TextArgs, textCommand } from "./text.js";
import { intOption, listOption as sharedListOption, UsageError } from "./usage.js";
import { VERSION } from "./version.js";

export { UsageError };

export const SCALERS = ["standard", "minmax", "robust", "none"] as const;
export type ScaleMethod = (typeof SCALERS)[number];
export const FORMATS = INPUT_FORMATS;
/** Up to this many rows the silhouette is exact; above, it is computed on a seeded sample of this size. */
export const SILHOUETTE_EXACT_MAX = 10_000;

/** How to read the input file (shared by `cluster` and `predict`). */
export interface InputArgs {
  file: string;
  format?: InputFormat;
  delimiter?: string;
  header: boolean;
  /** `--encoding`: text encoding of a delimited text file (default UTF-8; a UTF-16 BOM is honoured). */
  encoding?: string;
  /** `--table`: the table of a DuckDB database file (default: its only table). */
  table?: string;
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
  /** `--k` (default 8) for the algorithms taking a number of clusters or components; null for the others. */
  k: number | null;
  /** `--seed`: the algorithm's seed where it takes one, and the silhouette sample's. */
  seed: number;
  /**
   * The algorithm's other options given on the command line, parsed, by core option name
   * (`--min-samples 10` -> `{ minSamples: 10 }`); see `ALGORITHM_TABLE`.
   */
  options: Record<string, OptionValue>;
  model?: string;
  /** Rows for the silhouette sample; 0 means exact. Default: exact up to 10 000 rows, else a 10 000-row sample. */
  silhouetteSample?: number;
  /** `--print-spec`: print the analysis spec of the command line (for `clusterlab run`) instead of clustering. */
  printSpec?: boolean;
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

export type ParsedArgs =
  | ClusterArgs
  | PredictArgs
  | ProfileArgs
  | ServeArgs
  | RfmArgs
  | GenerateArgs
  | ImageArgs
  | TextArgs
  | SocialArgs
  | SegmentsArgs
  | RunArgs
  | RunsArgs
  | SweepArgs
  | CompareArgs
  | AnomaliesArgs
  | HtmlReportArgs
  | PlotArgs
  | InfoArgs;

type RawOptions = Record<string, string | boolean | undefined>;

/**
 * Adds `--encoding` and `--table` (how to read a delimited text file / which table of a DuckDB file);
 * `sourceOptions` checks their values.
 */
export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option(
      "--encoding <name>",
      "text encoding of a delimited file: utf-8 (default), latin-1, windows-1252, utf-16, ...",
    )
    .option("--table <name>", "the table of a DuckDB database file (default: its only table)");
}

function inputOptions(cmd: Command): Command {
  cmd
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line");
  return addSourceOptions(cmd)
    .option("--drop-missing", "drop rows with missing values in the used columns (default: error)")
    .option("--out <file>", "write all input rows plus a `cluster` column (.csv, .tsv, .parquet, .json)")
    .option("--json", "print one JSON object on stdout instead of the report")
    .option("-q, --quiet", "no progress lines on stderr");
}

/** Builds the commander program; `onParsed` receives each parsed command. Does not print or exit. */
function buildProgram(onParsed: (args: ParsedArgs) => void, out: { text: string }): Command {
  const program = new Command("clusterlab")
    .description("Clustering and segmentation analysis of tabular data (CSV, TSV, Parquet, JSON, Arrow, DuckDB)")
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
    .argument("<file>", "input table (.csv, .tsv, .txt, .parquet, .json, .ndjson, .arrow, .feather, .duckdb)")
    .option(
      "--columns <list>",
      "comma-separated feature columns (default: every numeric column; kmodes: the categorical ones by inferred role, e.g. text labels, small integer codes; kprototypes: both)",
    )
    .option("--exclude <list>", "comma-separated columns to leave out (e.g. id,target)")
    .addOption(
      new Option("--scale <method>", "scaling of the numeric features (not for kmodes)")
        .choices(SCALERS)
        .default("standard"),
    )
    .addOption(new Option("--algo <name>", "clustering algorithm").choices(ALGORITHMS).default("kmeans"))
    .option("--seed <n>", "random seed (of the algorithm where it takes one, and of the silhouette sample)", "0");
  addAlgorithmFlags(cluster)
    .option("--model <file>", "save the fitted pipeline (scaler + model) as JSON for `clusterlab predict`")
    .option(
      "--silhouette-sample <n>",
      `silhouette on a seeded sample of n rows; 0 = exact (default: exact up to ${SILHOUETTE_EXACT_MAX} rows, else sampled)`,
    )
    .option(
      "--print-spec",
      "print the analysis spec these flags amount to (JSON for `clusterlab run`, same labels) instead of clustering",
    )
    .addHelpText("after", `\n${algorithmsHelp()}`);
  inputOptions(cluster).action((file: string, opts: RawOptions, cmd: Command) =>
    onParsed(clusterArgs(file, opts, (key) => cmd.getOptionValueSource(key) === "cli")),
  );

  const predict = program
    .command("predict")
    .description("assign the rows of a table to the clusters of a saved model: clusterlab predict <model.json> <file>")
    .argument("<model>", "model JSON written by `clusterlab run --model` or `clusterlab cluster --model`")
    .argument("[file]", "input table with the model's feature columns")
    .option("--model <file>", "the model JSON, for the older form `clusterlab predict <file> --model <model.json>`");
  inputOptions(predict).action((first: string, second: string | undefined, opts: RawOptions) =>
    onParsed(predictArgs(first, second, opts)),
  );

  const profile = profileCommand(program, onParsed);
  const serve = serveCommand(program, onParsed);
  const rfm = rfmCommand(program, onParsed);
  const generate = generateCommand(program, onParsed);

  const image = imageCommand(program, onParsed);
  const text = textCommand(program, onParsed);
  const social = socialCommand(program, onParsed);
  const segments = segmentsCommand(program, onParsed);
  const run = runCommand(program, onParsed);
  const runs = runsCommand(program, onParsed);
  const sweep = sweepCommand(program, onParsed);
  const compare = compareCommand(program, onParsed);
  const anomalies = anomaliesCommand(program, onParsed);
  const htmlReport = reportCommand(program, onParsed);
  const plot = plotCommand(program, onParsed);
  for (const cmd of [
    cluster,
    predict,
    profile,
    serve,
    rfm,
    generate,
    image,
    text,
    social,
    segments,
    run,
    runs,
    sweep,
    compare,
    anomalies,
    htmlReport,
    plot,
  ]) {
    cmd
      .helpOption("-h, --help", "show help")
      .showSuggestionAfterError(true)
      .exitOverride()
      .configureOutput(program.configureOutput());
  }
  return program;
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
  return sharedListOption(opts, key, flag, "list of column names");
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
  if (opts.format !== undefined) args.format = opts.format as InputFormat;
  if (opts.delimiter !== undefined) {
    const d = String(opts.delimiter);
    if (d === "") throw new UsageError('invalid --delimiter: "" (must be a character, "\\t" or "auto")');
    args.delimiter = d;
  }
  Object.assign(args, sourceOptions(opts));
  if (opts.out !== undefined) {
    checkOutPath(String(opts.out));
    args.out = String(opts.out);
  }
  return args;
}

/** `--encoding` and `--table`, checked: an unknown encoding or an empty table name is a usage error. */
export function sourceOptions(opts: RawOptions): { encoding?: string; table?: string } {
  const out: { encoding?: string; table?: string } = {};
  if (opts.encoding !== undefined) {
    const encoding = String(opts.encoding);
    try {
      normalizeEncoding(encoding);
    } catch (error) {
      throw new UsageError(`invalid --encoding: ${(error as Error).message.replace(/^invalid encoding: /, "")}`);
    }
    out.encoding = encoding;
  }
  if (opts.table !== undefined) {
    const table = String(opts.table);
    if (table.trim() === "") throw new UsageError('invalid --table: "" (must be a table name)');
    out.table = table;
  }
  return out;
}

/** Registers every flag of `ALGORITHM_FLAGS` (the algorithm table) on a command (cluster, segments). */
export function addAlgorithmFlags(cmd: Command): Command {
  for (const flag of ALGORITHM_FLAGS) {
    if (GLOBAL_FLAGS.has(flag.name)) continue;
    if (flag.name === "k") {
      cmd.option("-k, --k <n>", flagHelp(flag), String(DEFAULT_K));
    } else if (flag.arity === "value") {
      cmd.option(`--${flag.name} ${placeholder(flag)}`, flagHelp(flag));
    } else {
      cmd.option(`--${flag.name}`, flagHelp(flag));
    }
  }
  return cmd;
}

/**
 * `isGiven(attribute)`: whether the option was set on the command line (not by a default), from
 * commander's `getOptionValueSource`.
 */
export function clusterArgs(file: string, opts: RawOptions, isGiven: (attribute: string) => boolean): ClusterArgs {
  const algo = opts.algo as AlgorithmName;
  const spec = ALGORITHM_TABLE[algo];
  const given: Record<string, RawValue> = {};
  for (const flag of ALGORITHM_FLAGS) {
    const value = opts[flag.attribute];
    if (!GLOBAL_FLAGS.has(flag.name) && value !== undefined && isGiven(flag.attribute)) given[flag.name] = value;
  }
  const { k, options } = parseAlgorithmOptions(algo, given);
  if (spec.input === "categorical" && isGiven("scale")) {
    throw new UsageError(
      `--scale does not apply to --algo ${algo} (it clusters categorical columns, which are not scaled)`,
    );
  }
  const args: ClusterArgs = {
    ...inputArgs(file, opts),
    command: "cluster",
    exclude: listOption(opts, "exclude", "--exclude") ?? [],
    scale: spec.input === "categorical" ? "none" : (opts.scale as ScaleMethod),
    algo,
    k,
    seed: intOption(opts, "seed", "--seed", 0)!,
    options,
  };
  const columns = listOption(opts, "columns", "--columns");
  if (columns) args.columns = columns;
  if (opts.model !== undefined) args.model = String(opts.model);
  if (opts.printSpec === true) {
    const outputs = ["out", "model", "silhouetteSample"].filter((key) => opts[key] !== undefined);
    if (outputs.length > 0) {
      const flags = outputs.map((key) => (key === "silhouetteSample" ? "--silhouette-sample" : `--${key}`));
      throw new UsageError(
        `--print-spec prints the analysis spec and runs nothing, so ${flags.join(", ")} ${flags.length === 1 ? "does" : "do"} not apply (give ${flags.length === 1 ? "it" : "them"} to \`clusterlab run spec.json\`, or drop --print-spec)`,
      );
    }
    args.printSpec = true;
  }
  const sample = intOption(opts, "silhouetteSample", "--silhouette-sample", 0);
  if (sample !== undefined) {
    if (sample === 1) throw new UsageError('invalid --silhouette-sample: "1" (must be 0 for exact, or >= 2)');
    args.silhouetteSample = sample;
  }
  return args;
}

/** `predict <model> <file>`, or the older `predict <file> --model <model>`. */
function predictArgs(first: string, second: string | undefined, opts: RawOptions): PredictArgs {
  if (opts.model !== undefined) {
    if (second !== undefined) {
      throw new UsageError(
        "give the model once: `clusterlab predict <model.json> <file>` or `clusterlab predict <file> --model <model.json>`",
      );
    }
    return { ...inputArgs(first, opts), command: "predict", model: String(opts.model) };
  }
  if (second === undefined) {
    throw new UsageError("missing the input table: `clusterlab predict <model.json> <file>`");
  }
  return { ...inputArgs(second, opts), command: "predict", model: first };
}

// --- clusterlab profile -------------------------------------------------------------------------

/** The parsed `clusterlab profile` command line. */
export interface ProfileArgs {
  command: "profile";
  file: string;
  format?: InputFormat;
  delimiter?: string;
  header: boolean;
  /** `--encoding`: text encoding of a delimited file (default UTF-8). */
  encoding?: string;
  /** `--table`: the table of a DuckDB database file (default: its only table). */
  table?: string;
  /** `--target`: the target column. */
  target?: string;
  /** `--role col=role` (repeatable): roles replacing the inferred ones. */
  roles: Record<string, ColumnRole>;
  seed: number;
  json: boolean;
  quiet: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function profileCommand(program: Command, onParsed: (args: ParsedArgs) => void): Command {
  const cmd = program
    .command("profile")
    .description("profile a table: column roles, statistics, missing values, correlations, clustering tendency")
    .argument("<file>", "input table (.csv, .tsv, .txt, .parquet, .json, .ndjson, .arrow, .feather, .duckdb)")
    .option("--target <column>", "the target column (kept out of the features)")
    .option("--role <column=role>", `set a column's role, repeatable (roles: ${COLUMN_ROLES.join(", ")})`, collect)
    .option("--seed <n>", "random seed of the samples (Hopkins statistic, PCA preview)", "0")
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line");
  return addSourceOptions(cmd)
    .option("--json", "print the full profile as one JSON object")
    .option("-q, --quiet", "no progress lines on stderr")
    .action((file: string, opts: RawOptions & { role?: string[] }) => onParsed(profileArgs(file, opts)));
}

/** Parses `--role` values (`column=role`, split at the last `=`). */
export function parseRoles(values: readonly string[]): Record<string, ColumnRole> {
  const roles: Record<string, ColumnRole> = {};
  for (const value of values) {
    const at = value.lastIndexOf("=");
    const column = value.slice(0, at);
    const role = value.slice(at + 1).trim();
    if (at <= 0 || column.trim() === "") {
      throw new UsageError(`invalid --role: ${JSON.stringify(value)} (expected column=role)`);
    }
    if (!(COLUMN_ROLES as readonly string[]).includes(role)) {
      throw new UsageError(`invalid --role: ${JSON.stringify(value)} (role must be one of ${COLUMN_ROLES.join(", ")})`);
    }
    if (Object.hasOwn(roles, column) && roles[column] !== role) {
      throw new UsageError(`invalid --role: column ${JSON.stringify(column)} is given two roles`);
    }
    roles[column] = role as ColumnRole;
  }
  return roles;
}

function profileArgs(file: string, opts: RawOptions & { role?: string[] }): ProfileArgs {
  const { out: _out, dropMissing: _dropMissing, ...input } = inputArgs(file, opts);
  const args: ProfileArgs = {
    ...input,
    command: "profile",
    roles: parseRoles(opts.role ?? []),
    seed: intOption(opts, "seed", "--seed", 0)!,
  };
  if (opts.target !== undefined) {
    const target = String(opts.target);
    if (target.trim() === "") throw new UsageError('invalid --target: "" (must be a column name)');
    args.target = target;
  }
  return args;
}

// --- clusterlab serve ---------------------------------------------------------------------------

/** The parsed `clusterlab serve` command line. */
export interface ServeArgs {
  command: "serve";
  /** Address to bind. Default 127.0.0.1; any other than loopback requires a token. */
  host: string;
  /** Port. Default 8765 (0 picks a free port). */
  port: number;
  /** Where uploads are kept. Default ~/.clusterlab. */
  dataDir?: string;
  /** Upload size limit in MB. Default 100. */
  maxUploadMb: number;
  /** The dataset the page opens on. Default iris. */
  openDataset: string;
  /** The API token. Default: none on loopback, generated otherwise. */
  token?: string;
}

function serveCommand(program: Command, onParsed: (args: ParsedArgs) => void): Command {
  return program
    .command("serve")
    .description("start the interactive dashboard (web server on 127.0.0.1 by default)")
    .option("--port <n>", "port to listen on (0 = any free port)", "8765")
    .option("--host <address>", "address to bind (other than loopback requires a token)", "127.0.0.1")
    .option("--data-dir <dir>", "where uploaded datasets are kept (default: ~/.clusterlab)")
    .option("--max-upload-mb <n>", "largest accepted upload, in MB", "100")
    .option("--open-dataset <id>", "dataset the page opens on (iris, wine, penguins, tips or an upload id)", "iris")
    .option("--token <token>", "API token (default: none on loopback, generated otherwise)")
    .action((opts: RawOptions) => onParsed(serveArgs(opts)));
}

function serveArgs(opts: RawOptions): ServeArgs {
  const args: ServeArgs = {
    command: "serve",
    host: String(opts.host).trim(),
    port: intOption(opts, "port", "--port", 0)!,
    maxUploadMb: numberOption(opts, "maxUploadMb", "--max-upload-mb", 0)!,
    openDataset: String(opts.openDataset),
  };
  if (args.port > 65535) throw new UsageError(`invalid --port: "${args.port}" (must be an integer <= 65535)`);
  if (args.maxUploadMb <= 0) throw new UsageError(`invalid --max-upload-mb: "${args.maxUploadMb}" (must be > 0)`);
  if (args.host === "") throw new UsageError('invalid --host: "" (must be an address, e.g. 127.0.0.1)');
  if (opts.dataDir !== undefined) args.dataDir = String(opts.dataDir);
  if (opts.token !== undefined) {
    const token = String(opts.token);
    if (token.length < 8) throw new UsageError("invalid --token: too short (use at least 8 characters)");
    args.token = token;
  }
  return args;
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
