import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  clusterColumn,
  DataError,
  defaultStoreDir,
  detectFormat,
  type Experiment,
  type InputFormat,
  type NormalizedAnalysisSpec,
  normalizeSpec,
  openStore,
  outputFormat,
  type RunResult,
  readTable,
  runSpec,
  type ScalingMethod,
  type Store,
  setup,
  type TableFormat,
  toModelFile,
  validateSpec,
  writeModelFile,
  writeTable,
} from "@clusterlab/lab";
import { type Command, Option } from "commander";
import { sourceOptions } from "./args.js";
import type { CommandIO } from "./io.js";
import { addSpecFlags, SPEC_FLAG_ATTRIBUTES, specFromFlags } from "./specFlags.js";
import { intOption, listOption, type RawOptions, UsageError } from "./usage.js";

// --- shared helpers of run / runs / sweep / compare ---------------------------------------------

/** Options as commander hands them over. */
export { intOption, listOption, type RawOptions };

/** A number with about 4 significant digits, "n/a" for null. */
export function formatValue(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "n/a";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x !== 0 && (Math.abs(x) >= 1e7 || Math.abs(x) < 1e-3)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

/** A text table: `headers`, then rows; columns whose `right[j]` is true are right-aligned. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly boolean[] = [],
): string[] {
  const widths = headers.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (right[j] ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** The store directory: `--store`, else `$CLUSTERLAB_HOME`, else `~/.clusterlab`. */
export function storeDirFor(store: string | undefined, io: CommandIO): string {
  return store !== undefined ? resolve(store) : defaultStoreDir(io.env);
}

/** Progress lines on stderr, only once a command has been running for a second (short runs stay quiet). */
export function slowProgress(io: CommandIO, quiet: boolean): (message: string) => void {
  const start = performance.now();
  return (message) => {
    if (!quiet && performance.now() - start > 1000) io.stderr(`clusterlab: ${message}\n`);
  };
}

/** The sizes of the clusters as `0: 50 (33.3%), 1: 100 (66.7%)`. */
export function sizesText(sizes: readonly number[], nNoise: number): string {
  const total = sizes.reduce((a, b) => a + b, 0) + nNoise;
  const share = (n: number) => (total > 0 ? `${((100 * n) / total).toFixed(1)}%` : "0%");
  const parts = sizes.map((n, c) => `${c}: ${n} (${share(n)})`);
  if (nNoise > 0) parts.push(`noise: ${nNoise} (${share(nNoise)})`);
  return parts.join(", ");
}

/** How `sweep` and `compare` read the data and choose the features (an experiment's setup). */
export interface DataArgs {
  file: string;
  format?: InputFormat;
  delimiter?: string;
  header: boolean;
  /** `--encoding`: text encoding of a delimited file. */
  encoding?: string;
  /** `--table`: the table of a DuckDB database file. */
  table?: string;
  target?: string;
  columns?: string[];
  exclude: string[];
  scale: ScalingMethod;
  seed: number;
}

const SCALINGS = ["standard", "minmax", "robust", "maxabs", "none"] as const;
const FORMATS = ["csv", "tsv", "parquet", "json", "ndjson", "arrow", "duckdb"] as const;

/** Adds the data and feature options shared by `sweep` and `compare`. */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .option("--target <column>", "the target column: kept out of the features, used for ARI / NMI")
    .option("--columns <list>", "comma-separated feature columns (default: every numeric and categorical column)")
    .option("--exclude <list>", "comma-separated columns to leave out")
    .addOption(new Option("--scale <method>", "scaling of the numeric features").choices(SCALINGS).default("standard"))
    .option("--seed <n>", "random seed", "0")
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line")
    .option("--encoding <name>", "text encoding: utf-8 (default), latin-1, windows-1252, utf-16, ...")
    .option("--table <name>", "the table of a DuckDB database file (default: its only table)");
}

/** Parses the data and feature options. */
export function dataArgs(file: string, opts: RawOptions): DataArgs {
  const args: DataArgs = {
    file,
    header: opts.header !== false,
    exclude: listOption(opts, "exclude", "--exclude") ?? [],
    scale: (opts.scale as ScalingMethod | undefined) ?? "standard",
    seed: intOption(opts, "seed", "--seed", 0) ?? 0,
  };
  if (opts.format !== undefined) args.format = opts.format as InputFormat;
  if (opts.delimiter !== undefined) {
    const d = String(opts.delimiter);
    if (d === "") throw new UsageError('invalid --delimiter: "" (must be a character, "\\t" or "auto")');
    args.delimiter = d;
  }
  Object.assign(args, sourceOptions(opts));
  if (opts.target !== undefined) {
    const target = String(opts.target);
    if (target.trim() === "") throw new UsageError('invalid --target: "" (must be a column name)');
    args.target = target;
  }
  const columns = listOption(opts, "columns", "--columns");
  if (columns) args.columns = columns;
  return args;
}

/** The experiment of `sweep` / `compare`. */
export async function setupFromArgs(args: DataArgs): Promise<Experiment> {
  const format = args.format ?? detectFormat(args.file).format;
  if (args.encoding !== undefined || args.table !== undefined || format === "arrow" || format === "duckdb") {
    // Sources the experiment's own reader takes no options for: read here, hand over the table.
    const table = await readTable(args.file, {
      format,
      ...(args.delimiter !== undefined && { delimiter: args.delimiter }),
      header: args.header,
      ...(args.encoding !== undefined && { encoding: args.encoding }),
      ...(args.table !== undefined && { table: args.table }),
    });
    return setup(table, {
      ...(args.target !== undefined && { target: args.target }),
      ...(args.columns && { include: args.columns }),
      exclude: args.exclude,
      preprocessing: { scaling: args.scale },
      seed: args.seed,
    });
  }
  return setup(args.file, {
    ...(args.target !== undefined && { target: args.target }),
    ...(args.columns && { include: args.columns }),
    exclude: args.exclude,
    preprocessing: { scaling: args.scale },
    seed: args.seed,
    ...(args.format && { format: args.format as TableFormat }),
    ...(args.delimiter !== undefined && { delimiter: args.delimiter }),
    ...(args.header === false && { header: false }),
  });
}

// --- clusterlab run -----------------------------------------------------------------------------

/** The parsed `clusterlab run` command line. */
export interface RunArgs {
  command: "run";
  /** The spec file (JSON); absent when the spec comes from the flags alone. */
  spec?: string;
  /**
   * The spec flags given on the command line (commander attribute -> value, see `specFlags.ts`),
   * applied on top of the spec file. Empty when there are none.
   */
  specFlags: Record<string, string | boolean | string[]>;
  /** `--print-spec`: print the normalised spec the file and flags make, and do not run it. */
  printSpec: boolean;
  /** `--store DIR`. Default: `$CLUSTERLAB_HOME` or `~/.clusterlab`. */
  store?: string;
  /** `--no-save`: do not save the run in the store. */
  save: boolean;
  /** `--out FILE`: every input row plus a `cluster` column. */
  out?: string;
  /** `--model FILE`: the fitted pipeline as portable JSON. */
  model?: string;
  json: boolean;
  quiet: boolean;
}

/** Registers `clusterlab run` on the program. */
export function runCommand(program: Command, onParsed: (args: RunArgs) => void): Command {
  const cmd = program
    .command("run")
    .description("execute an analysis spec (a JSON file, flags, or both) and save the run in the store")
    .argument("[spec]", "analysis spec file (JSON; see docs/workflow.md); the flags below override its fields")
    .option("--print-spec", "print the normalised spec (file + flags) as JSON and exit without running it");
  return addSpecFlags(cmd)
    .option("--store <dir>", "store directory (default: $CLUSTERLAB_HOME or ~/.clusterlab)")
    .option("--no-save", "do not save the run in the store")
    .option("--out <file>", "write every input row plus a `cluster` column (.csv, .tsv, .parquet, .json)")
    .option("--model <file>", "write the fitted pipeline as portable JSON")
    .option("--json", "print one JSON object on stdout instead of the report")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Relative data paths in the spec are resolved against the current directory. Every field of the
spec has a flag (algorithm parameters: --<name-in-kebab-case>, e.g. --max-iter 100), so
\`clusterlab run --data d.csv --algo gmm --k 3 --print-spec > spec.json\` writes the spec that
\`clusterlab run spec.json\` re-executes with the same labels.

Example:
  clusterlab run iris-kmeans.json --out iris-clusters.csv`,
    )
    .action((spec: string | undefined, opts: RawOptions, command: Command) =>
      onParsed(runArgs(spec, opts, (key) => command.getOptionValueSource(key) === "cli")),
    );
}

function checkOut(path: string, flag: string): string {
  try {
    outputFormat(path);
  } catch (error) {
    throw new UsageError(`invalid ${flag}: ${(error as Error).message}`);
  }
  return path;
}

/** Parses the options of `clusterlab run`. `isGiven(attribute)`: whether an option was on the command line. */
export function runArgs(
  spec: string | undefined,
  opts: RawOptions,
  isGiven: (attribute: string) => boolean = (key) => opts[key] !== undefined,
): RunArgs {
  const specFlags: RunArgs["specFlags"] = {};
  for (const key of SPEC_FLAG_ATTRIBUTES) {
    const value = (opts as Record<string, string | boolean | string[] | undefined>)[key];
    if (value !== undefined && isGiven(key)) specFlags[key] = value;
  }
  if (spec === undefined && specFlags.data === undefined && specFlags.dataset === undefined) {
    throw new UsageError(
      "give a spec file or the data: `clusterlab run spec.json` or `clusterlab run --data file.csv ...`",
    );
  }
  // Check the flags now (a bad value is a usage error, exit 2), on an empty spec.
  specFromFlags(spec === undefined ? undefined : {}, specFlags, (key) => specFlags[key] !== undefined);
  const args: RunArgs = {
    command: "run",
    ...(spec !== undefined && { spec }),
    specFlags,
    printSpec: opts.printSpec === true,
    save: opts.save !== false,
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
  if (opts.store !== undefined) args.store = String(opts.store);
  if (opts.out !== undefined) args.out = checkOut(String(opts.out), "--out");
  if (opts.model !== undefined) args.model = String(opts.model);
  return args;
}

/** The JSON of a run for scripts: everything but the per-row arrays and the live model. */
export interface RunReport {
  runId: string | null;
  store: string | null;
  source: string;
  spec: NormalizedAnalysisSpec;
  rows: RunResult["rows"];
  nClusters: number;
  clusterSizes: number[];
  nNoise: number;
  features: RunResult["features"];
  metrics: RunResult["metrics"];
  test: {
    nRows: number;
    metrics: NonNullable<RunResult["test"]>["metrics"];
    adjustedRandWithRefit: number;
    refitNClusters: number;
  } | null;
  timings: RunResult["timings"];
  warnings: string[];
  outputs: { out: string | null; model: string | null };
}

/** The report of a run (shared with `clusterlab runs rerun`). */
export function runReport(result: RunResult, store: Store | null, outputs: RunReport["outputs"]): RunReport {
  return {
    runId: result.runId,
    store: store ? store.dir : null,
    source: result.source,
    spec: result.spec,
    rows: result.rows,
    nClusters: result.nClusters,
    clusterSizes: result.clusterSizes,
    nNoise: result.nNoise,
    features: result.features,
    metrics: result.metrics,
    test: result.test
      ? {
          nRows: result.test.rows.length,
          metrics: result.test.metrics,
          adjustedRandWithRefit: result.test.adjustedRandWithRefit,
          refitNClusters: result.test.refitNClusters,
        }
      : null,
    timings: result.timings,
    warnings: result.warnings,
    outputs,
  };
}

async function readSpecFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DataError(`spec file not found: ${path}`);
    throw new DataError(`cannot read spec file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DataError(`invalid spec file ${path}: not JSON (${(error as Error).message})`);
  }
}

/** The raw spec of a `clusterlab run` command line: the spec file (if any) with the flags applied. */
export async function specOfRunArgs(args: RunArgs): Promise<unknown> {
  const base = args.spec === undefined ? undefined : await readSpecFile(args.spec);
  if (Object.keys(args.specFlags).length === 0) return base;
  return specFromFlags(base, args.specFlags, (key) => args.specFlags[key] !== undefined);
}

/** `clusterlab run --print-spec`: the normalised spec as pretty JSON (validated: a bad field is a `SpecError`). */
export async function printSpecText(args: RunArgs): Promise<string> {
  return `${JSON.stringify(normalizeSpec(validateSpec(await specOfRunArgs(args))), null, 2)}\n`;
}

/** Runs `clusterlab run`: executes the spec, saves the run (unless `--no-save`), writes `--out` / `--model`. */
export async function runRun(args: RunArgs, io: CommandIO): Promise<RunReport> {
  const spec = await specOfRunArgs(args);
  const progress = slowProgress(io, args.quiet);
  const store = args.save ? await openStore(storeDirFor(args.store, io)) : null;
  const result = await runSpec(spec, {
    ...(store && { store }),
    onProgress: (event) => progress(event.message),
  });
  if (args.out) {
    progress(`writing ${args.out}`);
    await writeTable(args.out, result.table, { cluster: clusterColumn(result.labels) });
  }
  if (args.model) {
    await writeModelFile(
      args.model,
      toModelFile(result.analysis, { input: result.source, nSamples: result.rows.fitted }),
    );
  }
  return runReport(result, store, { out: args.out ?? null, model: args.model ?? null });
}

/** The report for people. */
export function formatRunReport(r: RunReport): string {
  const lines: string[] = [];
  const algo = r.spec.algorithm;
  lines.push(r.runId ? `run ${r.runId} (saved in ${r.store})` : "run (not saved)");
  lines.push(`data:       ${r.source}`);
  const rows = r.rows;
  const rowNotes: string[] = [];
  if (rows.droppedMissing > 0) rowNotes.push(`${rows.droppedMissing} dropped for missing values`);
  if (rows.outliers > 0) rowNotes.push(`${rows.outliers} outliers removed`);
  if (rows.test > 0) rowNotes.push(`${rows.test} held out`);
  lines.push(
    `rows:       ${rows.fitted} fitted of ${rows.total}${rowNotes.length > 0 ? ` (${rowNotes.join(", ")})` : ""}`,
  );
  const f = r.features;
  lines.push(
    `features:   ${f.numeric.length} numeric${f.numeric.length > 0 ? ` (${f.numeric.join(", ")})` : ""}; ${f.categorical.length} categorical${f.categorical.length > 0 ? ` (${f.categorical.join(", ")})` : ""}`,
  );
  if (f.target) lines.push(`target:     ${f.target}`);
  const params = Object.entries(algo.params as Record<string, unknown>)
    .map(([k, v]) => `${k}=${v === null ? "auto" : String(v)}`)
    .join(", ");
  lines.push(`algorithm:  ${algo.name} (${params})`);
  lines.push(`clusters:   ${r.nClusters}: ${sizesText(r.clusterSizes, r.nNoise)}`);
  const m = r.metrics;
  lines.push("");
  lines.push("metrics (fitted rows, noise excluded):");
  lines.push(
    `  silhouette          ${formatValue(m.silhouette)}${m.silhouetteSampleSize ? ` (sample of ${m.silhouetteSampleSize} rows)` : ""}`,
  );
  lines.push(`  calinski-harabasz   ${formatValue(m.calinskiHarabasz)}`);
  lines.push(`  davies-bouldin      ${formatValue(m.daviesBouldin)}`);
  if (m.inertia !== undefined) lines.push(`  inertia             ${formatValue(m.inertia)}`);
  if (m.cost !== undefined) lines.push(`  cost                ${formatValue(m.cost)}`);
  if (m.bic !== undefined) lines.push(`  bic                 ${formatValue(m.bic)}`);
  if (m.external) {
    lines.push(`  ${`ARI vs ${f.target}`.padEnd(19)} ${formatValue(m.external.adjustedRand)}`);
    lines.push(`  ${`NMI vs ${f.target}`.padEnd(19)} ${formatValue(m.external.normalizedMutualInfo)}`);
  }
  if (r.test) {
    const t = r.test;
    lines.push("");
    lines.push(`held-out rows (${t.nRows}): predicted by the fitted model`);
    lines.push(`  silhouette          ${formatValue(t.metrics.silhouette)}`);
    lines.push(
      `  ARI with a refit    ${formatValue(t.adjustedRandWithRefit)} (refit on the held-out rows: ${t.refitNClusters} clusters)`,
    );
    if (t.metrics.external)
      lines.push(`  ${`ARI vs ${f.target}`.padEnd(19)} ${formatValue(t.metrics.external.adjustedRand)}`);
  }
  const tm = r.timings;
  lines.push("");
  lines.push(
    `time: ${tm.totalSeconds.toFixed(2)}s (read ${tm.readSeconds.toFixed(2)}s, fit ${tm.fitSeconds.toFixed(2)}s, metrics ${tm.metricsSeconds.toFixed(2)}s${tm.testSeconds > 0 ? `, test ${tm.testSeconds.toFixed(2)}s` : ""}${tm.saveSeconds > 0 ? `, save ${tm.saveSeconds.toFixed(2)}s` : ""})`,
  );
  if (r.outputs.out) lines.push(`wrote ${r.outputs.out}`);
  if (r.outputs.model) lines.push(`wrote ${r.outputs.model}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return `${lines.join("\n")}\n`;
}
