import {
  type AnomalyScoreKind,
  anomalyScores,
  type BootstrapStability,
  bootstrapStability,
  ClusterlabError,
  type DistinguishingFeature,
  type FeatureAssociation,
  type Matrix,
  memoryLogger,
  type SegmentProfiles,
  type SegmentRules,
  type StabilityBand,
  silentLogger,
  takeRows,
} from "@clusterlab/core";
import { DataError, explainSegments, type InputFormat, readTable } from "@clusterlab/lab";
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
import { selectClusterFeatures } from "./cluster.js";
import { fitFeatures, type PipelineArgs } from "./estimators.js";
import type { Features } from "./features.js";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";
import type { ClusterParams } from "./report.js";
import { UsageError } from "./usage.js";

// --- parsing (pure) -----------------------------------------------------------------------------

/** Default of `--tree-depth`. */
export const DEFAULT_TREE_DEPTH = 3;
/** Default of `--stability` (bootstrap resamples). */
export const DEFAULT_STABILITY = 20;
/** Default of `--top` (features printed per segment). */
export const DEFAULT_TOP = 3;
/** Rows of highest anomaly score listed in the report. */
export const ANOMALY_TOP_ROWS = 5;

/** The parsed `clusterlab segments` command line. */
export interface SegmentsArgs extends PipelineArgs {
  command: "segments";
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
  /** `--columns`: the feature columns (default: as `clusterlab cluster`). */
  columns?: string[];
  exclude: string[];
  scale: ScaleMethod;
  algo: AlgorithmName;
  /** `--k` (default 8) for the algorithms taking a number of clusters; null for the others. */
  k: number | null;
  seed: number;
  /** The algorithm's other options, by core option name (as `clusterlab cluster`). */
  options: Record<string, OptionValue>;
  /** `--describe`: other columns to profile (not clustered, not in the rules). */
  describe: string[];
  /** `--tree-depth`: conditions per rule alternative. Default 3. */
  treeDepth: number;
  /** `--min-leaf`: fewest rows in a rule tree's leaf. Default max(1, round(0.03 n)). */
  minLeaf?: number;
  /** `--stability`: bootstrap resamples for the per-segment stability; 0 = none. Default 20. */
  stability: number;
  /** `--top`: distinguishing features listed per segment. Default 3. */
  top: number;
}

type RawOptions = Record<string, string | boolean | undefined>;
const INTEGER = /^[+-]?\d+$/;

function intOption(opts: RawOptions, key: string, flag: string, min: number, max?: number): number | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be an integer ${range})`);
  }
  return value;
}

/** Registers `clusterlab segments` on the program; `onParsed` receives the parsed arguments. */
export function segmentsCommand(program: Command, onParsed: (args: SegmentsArgs) => void): Command {
  const cmd = program
    .command("segments")
    .description("cluster a table and explain the segments: profiles, names, rules, stability")
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
    .option("--seed <n>", "random seed (of the algorithm where it takes one, and of the bootstrap)", "0");
  addAlgorithmFlags(cmd)
    .option(
      "--describe <list>",
      "comma-separated other columns to profile per segment (not clustered), e.g. sex,smoker",
    )
    .option("--tree-depth <n>", "depth of the rule trees: conditions per rule", String(DEFAULT_TREE_DEPTH))
    .option("--min-leaf <n>", "fewest rows in a rule tree's leaf (default: 3% of the rows, at least 1)")
    .option("--stability <n>", "bootstrap resamples for the segments' stability (0 = skip)", String(DEFAULT_STABILITY))
    .option("--top <n>", "distinguishing features listed per segment", String(DEFAULT_TOP))
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line")
    .option(
      "--encoding <name>",
      "text encoding of a delimited file: utf-8 (default), latin-1, windows-1252, utf-16, ...",
    )
    .option("--table <name>", "the table of a DuckDB database file (default: its only table)")
    .option("--drop-missing", "drop rows with missing values in the feature columns (default: error)")
    .option("--json", "print one JSON object (profiles, rules, names, stability, anomaly scores) instead of the report")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Example:
  clusterlab segments examples/data/iris.csv --exclude target --k 3
  clusterlab segments examples/data/tips.csv --algo kprototypes --k 3 --describe size

${algorithmsHelp()}`,
    )
    .action((file: string, opts: RawOptions, c: Command) =>
      onParsed(segmentsArgs(file, opts, (key) => c.getOptionValueSource(key) === "cli")),
    );
  return cmd;
}

/**
 * Parses the options of `clusterlab segments` (as commander hands them over): the clustering flags
 * exactly as `clusterlab cluster` parses them, then the segment flags. `isGiven(attribute)`: whether
 * the option was set on the command line.
 */
export function segmentsArgs(file: string, opts: RawOptions, isGiven: (attribute: string) => boolean): SegmentsArgs {
  const cluster = clusterArgs(file, opts, isGiven);
  const args: SegmentsArgs = {
    command: "segments",
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
    describe: [],
    treeDepth: intOption(opts, "treeDepth", "--tree-depth", 1, 10) ?? DEFAULT_TREE_DEPTH,
    stability: intOption(opts, "stability", "--stability", 0, 10_000) ?? DEFAULT_STABILITY,
    top: intOption(opts, "top", "--top", 1) ?? DEFAULT_TOP,
  };
  if (cluster.format !== undefined) args.format = cluster.format;
  if (cluster.delimiter !== undefined) args.delimiter = cluster.delimiter;
  if (cluster.encoding !== undefined) args.encoding = cluster.encoding;
  if (cluster.table !== undefined) args.table = cluster.table;
  if (cluster.columns !== undefined) args.columns = cluster.columns;
  const minLeaf = intOption(opts, "minLeaf", "--min-leaf", 1);
  if (minLeaf !== undefined) args.minLeaf = minLeaf;
  if (opts.describe !== undefined) {
    const items = String(opts.describe)
      .split(",")
      .map((s) => s.trim());
    if (items.some((s) => s === "")) {
      throw new UsageError(
        `invalid --describe: ${JSON.stringify(opts.describe)} (must be a comma-separated list of column names)`,
      );
    }
    args.describe = items;
  }
  return args;
}

// --- running -------------------------------------------------------------------------------------

/** One distinguishing feature of a segment, with a line of text for people. */
export type SegmentFeatureReport = DistinguishingFeature & {
  /** e.g. `lower: mean 1.46 vs 4.93 in the rest (d = -5.05)`, `Dinner: 95% vs 72% overall (lift 1.32)`. */
  text: string;
};

/** One segment in the `clusterlab segments` report. */
export interface SegmentReport {
  /** Cluster label (-1: noise). */
  label: number;
  /** `"0"`, `"1"`, ... or `"noise"`. */
  id: string;
  name: string;
  size: number;
  share: number;
  topFeatures: SegmentFeatureReport[];
  rule: string;
  /** Rows matching the rule that are in the segment / rows matching it. */
  precision: number;
  /** Rows of the segment matching the rule / rows of the segment. */
  recall: number;
  /** False when no leaf of the rule tree has a majority of the segment (the rule is its purest leaf). */
  ruleIsMajority: boolean;
  /** Bootstrap stability (mean Jaccard) and its band; null for noise or without `--stability`. */
  stability: { meanJaccard: number | null; band: StabilityBand | null } | null;
  /** Mean anomaly score of the segment's rows; null when the algorithm has no score. */
  meanAnomalyScore: number | null;
}

/** What `clusterlab segments` reports (the `--json` output). */
export interface SegmentsReport {
  input: string;
  algorithm: AlgorithmName;
  params: ClusterParams;
  /** The clustering's feature columns: numeric ones, then categorical ones. */
  columns: string[];
  categoricalColumns: string[];
  /** `--describe` columns (profiled only). */
  describe: string[];
  nSamples: number;
  rowsDropped: number;
  nClusters: number;
  nNoise: number;
  segments: SegmentReport[];
  /** Every profiled column by its association with the segmentation (eta or Cramér's V), strongest first. */
  ranking: FeatureAssociation[];
  /** Bootstrap stability (Hennig's clusterwise Jaccard), or null with `--stability 0` or when a refit failed. */
  stability: BootstrapStability | null;
  /** Per-row anomaly scores summarised, or null when the algorithm has none. */
  anomaly: {
    kind: AnomalyScoreKind;
    description: string;
    /** The rows with the highest scores (row: index of the table row, 0-based), highest first. */
    top: { row: number; segment: string; score: number }[];
  } | null;
  /** Full profiles: every column, per segment. */
  profiles: SegmentProfiles;
  /** Full rules: alternatives and conditions, tree settings. */
  rules: SegmentRules;
  warnings: string[];
  timings: {
    loadSeconds: number;
    fitSeconds: number;
    explainSeconds: number;
    stabilitySeconds: number;
    totalSeconds: number;
  };
}

function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(digits)));
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** The line describing one distinguishing feature. */
export function featureText(f: DistinguishingFeature): string {
  if (f.kind === "numeric") {
    return `${f.direction === "same" ? "same" : f.direction}: mean ${num(f.mean)} vs ${num(f.restMean)} in the rest (d = ${num(f.d, 3)})`;
  }
  if (f.category === undefined) return `no over-represented category (V = ${num(f.effect)})`;
  const category = f.category === null ? "(missing)" : f.category;
  return `${category}: ${pct(f.share ?? 0)} vs ${pct(f.overallShare ?? 0)} overall (lift ${num(f.lift)}, V = ${num(f.effect)})`;
}

/** The features (and rows, by `rowIndex`) of `features` at the given rows. */
function subsetFeatures(features: Features, rows: Int32Array): Features {
  return {
    matrix: takeRows(features.matrix, rows),
    numericColumns: features.numericColumns,
    categoricalColumns: features.categoricalColumns,
    categorical: features.categorical.map((column) => {
      if (column instanceof Float64Array) return Float64Array.from(rows, (i) => column[i]);
      return Array.from(rows, (i) => column[i]);
    }),
    rowsDropped: 0,
  };
}

/**
 * Runs `clusterlab segments`: clusters the table as `clusterlab cluster` does (same feature
 * selection and `[scaler,] clusterer` fit), then explains the segments (`explainSegments`: profiles,
 * names, surrogate-tree rules), measures their bootstrap stability (`--stability` refits of the same
 * pipeline) and summarises the model's anomaly scores. Returns the report (the caller prints it).
 */
export async function runSegments(args: SegmentsArgs, io: CommandIO): Promise<SegmentsReport> {
  const start = performance.now();
  const spec = ALGORITHM_TABLE[args.algo];
  const table = await readTable(args.file, {
    format: args.format,
    delimiter: args.delimiter,
    header: args.header,
    encoding: args.encoding,
    table: args.table,
  });
  const features = selectClusterFeatures(table, args);
  const columns = [...features.numericColumns, ...features.categoricalColumns];
  const n = features.matrix.rows;
  const loadSeconds = secondsSince(start);
  if (args.k !== null && args.k > n) {
    throw new DataError(`invalid --k: ${args.k} (must be <= the number of rows, ${n})`);
  }
  const progress = progressPrinter(io, !args.quiet && n > PROGRESS_MIN_ROWS);
  progress(`loaded ${n} rows x ${columns.length} features from ${args.file}`);

  const logger = memoryLogger();
  const fitStart = performance.now();
  progress(`fitting ${args.algo}${args.k !== null ? ` (k=${args.k})` : ""}...`);
  const { model } = fitFeatures(args, features, logger);
  const labels = model.labels;
  const fitSeconds = secondsSince(fitStart);

  const explainStart = performance.now();
  progress("profiling the segments...");
  const explained = explainSegments(table, labels, {
    features: columns,
    categorical: features.categoricalColumns,
    describe: args.describe,
    ...(features.rowIndex && { rowIndex: features.rowIndex }),
    treeDepth: args.treeDepth,
    ...(args.minLeaf !== undefined && { minSamplesLeaf: args.minLeaf }),
    topFeatures: args.top,
  });

  const warnings: string[] = [];
  let anomaly: SegmentsReport["anomaly"] = null;
  let anomalyScoresOf: Float64Array | null = null;
  if (spec.input === "numeric") {
    try {
      const a = anomalyScores(model, features.matrix);
      anomalyScoresOf = a.scores;
      const order = Array.from(a.scores.keys()).sort((i, j) => a.scores[j] - a.scores[i] || i - j);
      anomaly = {
        kind: a.kind,
        description: a.description,
        top: order.slice(0, ANOMALY_TOP_ROWS).map((i) => ({
          row: features.rowIndex ? features.rowIndex[i] : i,
          segment: labels[i] < 0 ? "noise" : String(labels[i]),
          score: a.scores[i],
        })),
      };
    } catch (error) {
      if (!(error instanceof ClusterlabError)) throw error;
    }
  }
  const explainSeconds = secondsSince(explainStart);

  const stabilityStart = performance.now();
  let stability: BootstrapStability | null = null;
  if (args.stability > 0) {
    progress(`bootstrap stability: ${args.stability} refits...`);
    try {
      const refit = (rows: Int32Array) => fitFeatures(args, subsetFeatures(features, rows), silentLogger).model.labels;
      const onReplicate = (done: number, total: number) => progress(`  resample ${done}/${total}`);
      stability =
        features.matrix.cols > 0
          ? bootstrapStability(features.matrix, (_: Matrix, rows: Int32Array) => refit(rows), {
              nBootstrap: args.stability,
              seed: args.seed,
              labels,
              onReplicate,
            })
          : bootstrapStability(
              { names: ["row"], columns: [Float64Array.from(labels.keys())], rows: n },
              (_, rows) => refit(rows),
              { nBootstrap: args.stability, seed: args.seed, labels, onReplicate },
            );
    } catch (error) {
      if (!(error instanceof ClusterlabError)) throw error;
      warnings.push(`stability not computed: ${error.message}`);
    }
  }
  const stabilitySeconds = secondsSince(stabilityStart);

  const segments = explained.segments.map((s): SegmentReport => {
    const st = stability?.clusters.find((c) => c.label === s.label);
    let meanAnomalyScore: number | null = null;
    if (anomalyScoresOf) {
      let sum = 0;
      for (let i = 0; i < n; i++) if (labels[i] === s.label) sum += anomalyScoresOf[i];
      meanAnomalyScore = s.size > 0 ? sum / s.size : null;
    }
    return {
      label: s.label,
      id: s.id,
      name: s.name,
      size: s.size,
      share: s.share,
      topFeatures: s.topFeatures.map((f) => ({ ...f, text: featureText(f) })),
      rule: s.rule,
      precision: s.precision,
      recall: s.recall,
      ruleIsMajority: s.ruleIsMajority,
      stability: st ? { meanJaccard: st.meanJaccard, band: st.band } : null,
      meanAnomalyScore,
    };
  });
  return {
    input: args.file,
    algorithm: args.algo,
    params: { scale: args.scale, seed: args.seed, ...coreOptions(args.algo, args) },
    columns,
    categoricalColumns: features.categoricalColumns,
    describe: args.describe,
    nSamples: n,
    rowsDropped: features.rowsDropped,
    nClusters: model.nClusters,
    nNoise: explained.profiles.nNoise,
    segments,
    ranking: explained.profiles.ranking,
    stability,
    anomaly,
    profiles: explained.profiles,
    rules: explained.rules,
    warnings: [...logger.messages, ...warnings],
    timings: { loadSeconds, fitSeconds, explainSeconds, stabilitySeconds, totalSeconds: secondsSince(start) },
  };
}

// --- report --------------------------------------------------------------------------------------

/** The people-readable report of `clusterlab segments`. */
export function formatSegmentsReport(r: SegmentsReport): string {
  const lines: string[] = [];
  const k = r.params.nClusters ?? r.params.nComponents;
  const scaling =
    r.params.scale === "none" || r.columns.length === r.categoricalColumns.length ? "" : `, ${r.params.scale} scaling`;
  lines.push(
    `segments of ${r.input}: ${r.algorithm}${k !== undefined ? ` (k=${k}${scaling})` : scaling ? ` (${scaling.slice(2)})` : ""}, ${r.nSamples} rows x ${r.columns.length} features${r.rowsDropped > 0 ? ` (${r.rowsDropped} rows with missing values dropped)` : ""}`,
  );
  lines.push(`${r.nClusters} clusters${r.nNoise > 0 ? ` + ${r.nNoise} noise rows` : ""}`);
  lines.push(
    `columns by association with the segments: ${r.ranking.map((f) => `${f.feature} ${num(f.effect, 2)}`).join(", ")}`,
  );
  const idWidth = Math.max(...r.segments.map((s) => s.id.length));
  for (const s of r.segments) {
    lines.push("");
    lines.push(`segment ${s.id.padEnd(idWidth)}  "${s.name}"`);
    const stab =
      s.stability && s.stability.meanJaccard !== null
        ? `   stability ${num(s.stability.meanJaccard, 2)} (${s.stability.band})`
        : "";
    lines.push(`  ${s.size} rows (${pct(s.share)})${stab}`);
    if (s.topFeatures.length > 0) {
      const w = Math.max(...s.topFeatures.map((f) => f.feature.length));
      lines.push("  top features:");
      for (const f of s.topFeatures) lines.push(`    ${f.feature.padEnd(w)}  ${f.text}`);
    }
    lines.push(
      `  rule: ${s.rule}   (precision ${num(s.precision, 2)}, recall ${num(s.recall, 2)}${s.ruleIsMajority ? "" : "; no leaf has a majority of the segment"})`,
    );
  }
  lines.push("");
  if (r.stability) {
    lines.push(
      `stability: ${r.stability.nBootstrap} bootstrap refits, clusterwise Jaccard (Hennig): mean ${num(r.stability.meanJaccard, 2)} (< 0.6 dissolved, 0.6-0.75 patterns, 0.75-0.85 stable, > 0.85 highly stable)`,
    );
  }
  if (r.anomaly) {
    const top = r.anomaly.top.map((t) => `row ${t.row} (segment ${t.segment}, ${num(t.score)})`).join(", ");
    lines.push(`anomaly score: ${r.anomaly.description}; highest: ${top}`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return `${lines.join("\n")}\n`;
}
