import { type AnomalyEvaluation, type ClusterAnomalyScoreKind, memoryLogger } from "@clusterlab/core";
import {
  anomalyColumns,
  columnNames,
  DataError,
  DEFAULT_TOP_ANOMALIES,
  detectAnomalies,
  type InputFormat,
  outlierIndicator,
  type RankedAnomaly,
  readTable,
  writeTable,
} from "@clusterlab/lab";
import { type Command, Option } from "commander";
import {
  ALGORITHM_TABLE,
  ALGORITHMS,
  type AlgorithmName,
  algorithmsHelp,
  coreOptions,
  type OptionValue,
} from "./algorithms.js";
import { addAlgorithmFlags, clusterArgs, FORMATS, SCALERS, type ScaleMethod } from "./args.js";
import { fitFeatures, type PipelineArgs } from "./estimators.js";
import { selectFeatures } from "./features.js";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";
import { type ClusterParams, countNoise } from "./report.js";
import { UsageError } from "./usage.js";

// --- parsing (pure) -----------------------------------------------------------------------------

/** Default of `--contamination`. */
export const DEFAULT_CONTAMINATION = 0.05;
/** Default of `--positive`. */
export const DEFAULT_POSITIVE = "1";

/** Algorithms without an anomaly score (no centres, density, GLOSH, core samples or core distances). */
const UNSCORED: ReadonlySet<AlgorithmName> = new Set(["spectral", "birch", "kmodes", "kprototypes"]);
/** The algorithms `clusterlab anomalies` accepts. */
export const ANOMALY_ALGORITHMS: readonly AlgorithmName[] = ALGORITHMS.filter((a) => !UNSCORED.has(a));

/** The parsed `clusterlab anomalies` command line. */
export interface AnomaliesArgs extends PipelineArgs {
  command: "anomalies";
  file: string;
  format?: InputFormat;
  delimiter?: string;
  header: boolean;
  /** `--encoding`: text encoding of a delimited file (default UTF-8). */
  encoding?: string;
  /** `--table`: the table of a DuckDB database file (default: its only table). */
  table?: string;
  dropMissing: boolean;
  json: boolean;
  quiet: boolean;
  /** `--out`: the input rows plus `anomaly_score` and `is_anomaly`. */
  out?: string;
  /** `--columns`: the feature columns (default: every numeric column but the label column). */
  columns?: string[];
  exclude: string[];
  scale: ScaleMethod;
  /** `--algo` (or `--method` with an algorithm name). Default kmeans. */
  algo: AlgorithmName;
  /** `--k` (default 8) for the algorithms taking a number of clusters; null for the others. */
  k: number | null;
  seed: number;
  /** The algorithm's other options, by core option name (as `clusterlab cluster`). */
  options: Record<string, OptionValue>;
  /** `--contamination`: share of rows flagged, in (0, 0.5]; null with `--threshold`. Default 0.05. */
  contamination: number | null;
  /** `--threshold`: flag rows scoring above it; null unless given. */
  threshold: number | null;
  /** `--label-column`: known outliers, for the evaluation (never a feature). */
  labelColumn?: string;
  /** `--positive`: the label column's value of an outlier. Default "1". */
  positive: string;
  /** `--top`: anomalies listed (with their unusual features). Default 20. */
  top: number;
}

type RawOptions = Record<string, string | boolean | undefined>;
const INTEGER = /^[+-]?\d+$/;

/** Registers `clusterlab anomalies` on the program; `onParsed` receives the parsed arguments. */
export function anomaliesCommand(program: Command, onParsed: (args: AnomaliesArgs) => void): Command {
  const cmd = program
    .command("anomalies")
    .description(
      "score every row's anomaly with a clustering, flag the top ones and say which features make them unusual",
    )
    .argument("<file>", "input table (.csv, .tsv, .txt, .parquet, .json, .ndjson, .arrow, .feather, .duckdb)")
    .option(
      "--columns <list>",
      "comma-separated feature columns (default: every numeric column except --exclude and --label-column)",
    )
    .option("--exclude <list>", "comma-separated columns to leave out (e.g. id)")
    .addOption(new Option("--scale <method>", "scaling of the numeric features").choices(SCALERS).default("standard"))
    .addOption(
      new Option("--algo <name>", "clustering method that scores the rows (also --method <name>)")
        .choices(ALGORITHMS)
        .default("kmeans"),
    )
    .option("--seed <n>", "random seed of the algorithm", "0");
  addAlgorithmFlags(cmd);
  const method = cmd.options.find((o) => o.long === "--method");
  if (method) {
    method.description = `the clustering method, as --algo (${ANOMALY_ALGORITHMS.join(", ")}); with --algo kmedoids: ${method.description}`;
  }
  // Birch's --threshold (registered by the algorithm table) means the anomaly threshold here:
  // birch has no anomaly score, so the flag is free.
  const thresholdHelp = "flag the rows whose score is above x instead of a share (--contamination)";
  const threshold = cmd.options.find((o) => o.long === "--threshold");
  if (threshold) threshold.description = thresholdHelp;
  else cmd.option("--threshold <x>", thresholdHelp);
  cmd
    .option("--contamination <x>", "share of rows flagged as anomalies, in (0, 0.5] (default: 0.05)")
    .option("--label-column <column>", "known outliers, to evaluate the scores (ROC AUC, precision, recall)")
    .option("--positive <value>", "the label column's value of an outlier", DEFAULT_POSITIVE)
    .option("--top <n>", "anomalies listed with their unusual features", String(DEFAULT_TOP_ANOMALIES))
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line")
    .option(
      "--encoding <name>",
      "text encoding of a delimited file: utf-8 (default), latin-1, windows-1252, utf-16, ...",
    )
    .option("--table <name>", "the table of a DuckDB database file (default: its only table)")
    .option("--drop-missing", "drop rows with missing values in the feature columns (default: error)")
    .option("--out <file>", "write the input rows plus anomaly_score and is_anomaly (.csv, .tsv, .parquet, .json)")
    .option("--json", "print one JSON object (scores summary, anomalies, evaluation) instead of the report")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Scores (higher = more anomalous): centre methods: distance to the nearest centre / that cluster's
median distance; gmm: minus the log density; hdbscan: GLOSH; dbscan: distance to the nearest core
sample / eps (> 1 = noise); optics: core distance. spectral, birch, kmodes, kprototypes have none.

Example:
  clusterlab anomalies examples/data/wine_outliers.csv --algo kmeans --k 2 --label-column is_outlier
  clusterlab anomalies data.csv --method hdbscan --min-cluster-size 10 --contamination 0.02 --out scored.csv

${algorithmsHelp()}`,
    )
    .action((file: string, opts: RawOptions, c: Command) =>
      onParsed(anomaliesArgs(file, opts, (key) => c.getOptionValueSource(key) === "cli")),
    );
  return cmd;
}

function numberOption(opts: RawOptions, key: string, flag: string, ok: (x: number) => boolean, must: string) {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value) || !ok(value)) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be ${must})`);
  }
  return value;
}

/**
 * Parses the options of `clusterlab anomalies` (as commander hands them over): the clustering flags
 * exactly as `clusterlab cluster` parses them (`--method <algorithm>` standing for `--algo`; kmedoids'
 * own `--method pam|alternate` keeps its meaning), then the anomaly flags. `isGiven(attribute)`:
 * whether the option was set on the command line.
 */
export function anomaliesArgs(file: string, opts: RawOptions, isGiven: (attribute: string) => boolean): AnomaliesArgs {
  const raw: RawOptions = { ...opts };
  let given = isGiven;
  const method = opts.method === undefined ? undefined : String(opts.method).trim();
  if (method !== undefined && isGiven("method") && (ALGORITHMS as readonly string[]).includes(method)) {
    if (isGiven("algo") && opts.algo !== method) {
      throw new UsageError(`--method ${method} and --algo ${String(opts.algo)} disagree (give one of them)`);
    }
    raw.algo = method;
    raw.method = undefined;
    given = (attribute) => (attribute === "method" ? false : attribute === "algo" ? true : isGiven(attribute));
  } else if (method !== undefined && isGiven("method") && opts.algo !== "kmedoids") {
    throw new UsageError(
      `invalid --method: ${JSON.stringify(opts.method)} (must be one of ${ANOMALY_ALGORITHMS.join(", ")}; pam or alternate with --algo kmedoids)`,
    );
  }
  const algo = raw.algo as AlgorithmName;
  if (UNSCORED.has(algo)) {
    throw new UsageError(`--algo ${algo} has no anomaly score (use one of: ${ANOMALY_ALGORITHMS.join(", ")})`);
  }
  // --threshold is the anomaly threshold, not an algorithm option (see anomaliesCommand).
  raw.threshold = undefined;
  const withoutThreshold = given;
  const cluster = clusterArgs(file, raw, (attribute) => attribute !== "threshold" && withoutThreshold(attribute));
  const args: AnomaliesArgs = {
    command: "anomalies",
    file: cluster.file,
    header: cluster.header,
    dropMissing: cluster.dropMissing,
    json: cluster.json,
    quiet: cluster.quiet,
    exclude: cluster.exclude,
    scale: cluster.scale,
    algo: cluster.algo,
    k: cluster.k,
    seed: cluster.seed,
    options: cluster.options,
    contamination: null,
    threshold: null,
    positive: String(opts.positive ?? DEFAULT_POSITIVE),
    top: DEFAULT_TOP_ANOMALIES,
  };
  if (cluster.format !== undefined) args.format = cluster.format;
  if (cluster.delimiter !== undefined) args.delimiter = cluster.delimiter;
  if (cluster.encoding !== undefined) args.encoding = cluster.encoding;
  if (cluster.table !== undefined) args.table = cluster.table;
  if (cluster.columns !== undefined) args.columns = cluster.columns;
  if (cluster.out !== undefined) args.out = cluster.out;
  const contamination = numberOption(
    opts,
    "contamination",
    "--contamination",
    (x) => x > 0 && x <= 0.5,
    "a number in (0, 0.5]",
  );
  const threshold = numberOption(opts, "threshold", "--threshold", () => true, "a number");
  if (contamination !== undefined && threshold !== undefined) {
    throw new UsageError("--contamination and --threshold cannot be combined (give one of them)");
  }
  if (threshold !== undefined) args.threshold = threshold;
  else args.contamination = contamination ?? DEFAULT_CONTAMINATION;
  if (opts.top !== undefined) {
    const text = String(opts.top).trim();
    const top = Number(text);
    if (!INTEGER.test(text) || !Number.isSafeInteger(top) || top < 1) {
      throw new UsageError(`invalid --top: ${JSON.stringify(opts.top)} (must be an integer >= 1)`);
    }
    args.top = top;
  }
  if (opts.labelColumn !== undefined) {
    const label = String(opts.labelColumn);
    if (label.trim() === "") throw new UsageError('invalid --label-column: "" (must be a column name)');
    if (args.columns?.includes(label)) {
      throw new UsageError(`--label-column ${label} is also in --columns (the label must not be a feature)`);
    }
    args.labelColumn = label;
  } else if (isGiven("positive")) {
    throw new UsageError("--positive needs --label-column (the column holding the known outliers)");
  }
  return args;
}

// --- running -------------------------------------------------------------------------------------

/** The evaluation against the label column, in the report. */
export type AnomaliesEvaluationReport = AnomalyEvaluation & { labelColumn: string; positive: string };

/** What `clusterlab anomalies` reports (the `--json` output). */
export interface AnomaliesReport {
  input: string;
  algorithm: AlgorithmName;
  params: ClusterParams;
  /** The feature columns. */
  columns: string[];
  nSamples: number;
  rowsDropped: number;
  nClusters: number;
  nNoise: number;
  score: {
    kind: ClusterAnomalyScoreKind;
    description: string;
    min: number;
    median: number;
    max: number;
  };
  /** How rows were flagged: the top `contamination` share, or the scores above `threshold`. */
  rule: "contamination" | "threshold";
  contamination: number | null;
  /** With `threshold`: the threshold given (flagged iff score > it); with `contamination`: the lowest flagged score. */
  threshold: number | null;
  nAnomalies: number;
  /** Rows scoring exactly the lowest flagged score but left unflagged (tie at the cut, broken by row order). */
  tiedAtCut: number;
  /** The flagged rows, highest score first (at most `--top`), with their unusual features. */
  anomalies: RankedAnomaly[];
  /** Against `--label-column`, or null without it. */
  evaluation: AnomaliesEvaluationReport | null;
  /** The `--out` file, or null. */
  output: string | null;
  warnings: string[];
  timings: { loadSeconds: number; fitSeconds: number; scoreSeconds: number; totalSeconds: number };
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * Runs `clusterlab anomalies`: selects and fits the features as `clusterlab cluster` does (same
 * `[scaler,] clusterer` pipeline; the label column is never a feature), scores every row, flags the
 * anomalies and explains the top ones (lab `detectAnomalies`), evaluates against the label column,
 * writes `--out` and returns the report (the caller prints it).
 */
export async function runAnomalies(args: AnomaliesArgs, io: CommandIO): Promise<AnomaliesReport> {
  const start = performance.now();
  const table = await readTable(args.file, {
    format: args.format,
    delimiter: args.delimiter,
    header: args.header,
    encoding: args.encoding,
    table: args.table,
  });
  const exclude = [...args.exclude];
  if (args.labelColumn !== undefined) {
    if (!table.columns.some((c) => c.name === args.labelColumn)) {
      throw new DataError(
        `label column ${JSON.stringify(args.labelColumn)} not found in ${table.source} (columns: ${columnNames(table).join(", ")})`,
      );
    }
    if (!exclude.includes(args.labelColumn)) exclude.push(args.labelColumn);
  }
  const features = selectFeatures(table, ALGORITHM_TABLE[args.algo].input, {
    columns: args.columns,
    exclude,
    dropMissing: args.dropMissing,
  });
  const X = features.matrix;
  const n = X.rows;
  const loadSeconds = secondsSince(start);
  if (args.k !== null && args.k > n) {
    throw new DataError(`invalid --k: ${args.k} (must be <= the number of rows, ${n})`);
  }
  const progress = progressPrinter(io, !args.quiet && n > PROGRESS_MIN_ROWS);
  progress(`loaded ${n} rows x ${features.numericColumns.length} features from ${args.file}`);
  const truth =
    args.labelColumn !== undefined
      ? outlierIndicator(table, args.labelColumn, args.positive, features.rowIndex)
      : undefined;

  const logger = memoryLogger();
  const fitStart = performance.now();
  progress(`fitting ${args.algo}${args.k !== null ? ` (k=${args.k})` : ""}...`);
  const { model } = fitFeatures(args, features, logger);
  const fitSeconds = secondsSince(fitStart);

  const scoreStart = performance.now();
  progress("scoring the rows...");
  const detection = detectAnomalies(model, X, {
    featureNames: features.numericColumns,
    ...(args.threshold !== null ? { threshold: args.threshold } : { contamination: args.contamination! }),
    top: args.top,
    ...(truth && { truth }),
    ...(features.rowIndex && { rowIndex: features.rowIndex }),
  });
  const scoreSeconds = secondsSince(scoreStart);
  const warnings: string[] = [];
  const { flags } = detection;
  if (flags.tiedAtCut > 0) {
    warnings.push(
      `${flags.tiedAtCut} more row${flags.tiedAtCut === 1 ? "" : "s"} tie with the lowest flagged score ${flags.threshold}; the tie is broken by row order (use --threshold to flag all or none of them)`,
    );
  }
  if (args.out !== undefined) {
    progress(`writing ${args.out}...`);
    await writeTable(args.out, table, { ...anomalyColumns(detection, table.nRows, features.rowIndex) });
  }
  const sorted = Float64Array.from(detection.scores).sort();
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? sorted[n >> 1] : (sorted[(n >> 1) - 1] + sorted[n >> 1]) / 2;
  return {
    input: args.file,
    algorithm: args.algo,
    params: { scale: args.scale, seed: args.seed, ...coreOptions(args.algo, args) },
    columns: features.numericColumns,
    nSamples: n,
    rowsDropped: features.rowsDropped,
    nClusters: model.nClusters,
    nNoise: countNoise(model.labels),
    score: {
      kind: detection.kind,
      description: detection.description,
      min: sorted[0],
      median,
      max: sorted[n - 1],
    },
    rule: flags.rule,
    contamination: flags.contamination,
    threshold: finiteOrNull(flags.threshold),
    nAnomalies: flags.nAnomalies,
    tiedAtCut: flags.tiedAtCut,
    anomalies: detection.anomalies,
    evaluation:
      detection.evaluation && args.labelColumn !== undefined
        ? { labelColumn: args.labelColumn, positive: args.positive, ...detection.evaluation }
        : null,
    output: args.out ?? null,
    warnings: [...logger.messages, ...warnings],
    timings: { loadSeconds, fitSeconds, scoreSeconds, totalSeconds: secondsSince(start) },
  };
}

// --- report --------------------------------------------------------------------------------------

function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(digits)));
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** The people-readable report of `clusterlab anomalies`. */
export function formatAnomaliesReport(r: AnomaliesReport): string {
  const lines: string[] = [];
  const k = r.params.nClusters ?? r.params.nComponents;
  const scaling = r.params.scale === "none" ? "" : `${r.params.scale} scaling`;
  const setup = [k !== undefined ? `k=${k}` : "", scaling].filter((s) => s !== "").join(", ");
  lines.push(
    `anomalies in ${r.input}: ${r.algorithm}${setup ? ` (${setup})` : ""}, ${r.nSamples} rows x ${r.columns.length} features${r.rowsDropped > 0 ? ` (${r.rowsDropped} rows with missing values dropped)` : ""}`,
  );
  lines.push(
    `${r.nClusters} cluster${r.nClusters === 1 ? "" : "s"}${r.nNoise > 0 ? ` + ${r.nNoise} noise row${r.nNoise === 1 ? "" : "s"}` : ""}`,
  );
  lines.push(
    `score: ${r.score.description} (higher = more anomalous); min ${num(r.score.min)}, median ${num(r.score.median)}, max ${num(r.score.max)}`,
  );
  lines.push(
    r.rule === "threshold"
      ? `flagged ${r.nAnomalies} of ${r.nSamples} rows: score > ${num(r.threshold)}`
      : `flagged ${r.nAnomalies} of ${r.nSamples} rows (contamination ${r.contamination}): score >= ${num(r.threshold)}`,
  );
  if (r.anomalies.length > 0) {
    lines.push("");
    lines.push(
      r.anomalies.length < r.nAnomalies ? `top ${r.anomalies.length} anomalies:` : `anomalies (${r.anomalies.length}):`,
    );
    const rankWidth = String(r.anomalies.length).length;
    for (const a of r.anomalies) {
      const where =
        a.cluster >= 0
          ? `cluster ${a.cluster}`
          : a.comparedWith >= 0
            ? `noise, compared with cluster ${a.comparedWith}`
            : "noise, compared with all rows";
      lines.push(`  ${String(a.rank).padStart(rankWidth)}. row ${a.row}  score ${num(a.score)}  (${where})`);
      const w = Math.max(...a.features.map((f) => f.feature.length));
      for (const f of a.features) {
        const z = `${f.z >= 0 ? "+" : ""}${num(f.z, 2)}`;
        lines.push(
          `  ${" ".repeat(rankWidth)}    ${f.feature.padEnd(w)}  ${num(f.value)} vs typical ${num(f.typical)} (${z} sd, ${f.direction})`,
        );
      }
    }
  }
  const e = r.evaluation;
  if (e) {
    lines.push("");
    lines.push(
      `evaluation against ${e.labelColumn} = ${e.positive}: ${e.nPositive} outliers in ${e.nRows} rows (${pct(e.positiveShare)})`,
    );
    lines.push(`  ROC AUC ${num(e.rocAuc)}   average precision ${num(e.averagePrecision)}`);
    const t = e.atTrueContamination;
    lines.push(
      `  at the true contamination (top ${t.nFlagged} rows): precision ${num(t.precision)}, recall ${num(t.recall)}`,
    );
    if (e.flagged) {
      lines.push(
        `  flagged rows (${e.flagged.nFlagged}): precision ${num(e.flagged.precision)}, recall ${num(e.flagged.recall)}, F1 ${num(e.flagged.f1)}`,
      );
    }
  }
  if (r.output) lines.push(`wrote ${r.output}: the input rows plus anomaly_score and is_anomaly`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return `${lines.join("\n")}\n`;
}
