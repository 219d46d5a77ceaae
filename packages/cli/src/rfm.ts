import { memoryLogger } from "@clusterlab/core";
import {
  type CustomerSegmentation,
  customerSegmentsTable,
  outputFormat,
  type RfmClusterProfile,
  type RfmScoreMethod,
  type RfmSegmentSummary,
  type RfmSweepEntry,
  segmentCustomers,
  type TableFormat,
  writeTable,
} from "@clusterlab/lab";
import { type Command, Option } from "commander";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";
import { UsageError } from "./usage.js";

// --- parsing (pure) -----------------------------------------------------------------------------

/** The parsed `clusterlab rfm` command line. */
export interface RfmArgs {
  command: "rfm";
  file: string;
  format?: TableFormat;
  delimiter?: string;
  header: boolean;
  /** `--customer-id`, `--date`, `--amount`: the mapped columns (required). */
  customerId: string;
  date: string;
  amount: string;
  /** `--order-id`: count distinct orders instead of rows. */
  orderId?: string;
  /** `--as-of YYYY-MM-DD`. Default: the day after the latest order. */
  asOf?: string;
  /** `--date-format`: strptime format of a text date column (e.g. %d/%m/%Y). Default: ISO dates. */
  dateFormat?: string;
  /** `--k`: number of clusters. Default: chosen by a silhouette sweep over 2..`kMax`. */
  k?: number;
  /** `--k-max`: largest k of the sweep. Default 8. */
  kMax: number;
  seed: number;
  /** `--scores ntile|rank`. Default ntile. */
  scores: RfmScoreMethod;
  out?: string;
  json: boolean;
  quiet: boolean;
}

type RawOptions = Record<string, string | boolean | undefined>;

const FORMATS = ["csv", "tsv", "parquet", "json", "ndjson"] as const;
const INTEGER = /^[+-]?\d+$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

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

function columnOption(opts: RawOptions, key: string, flag: string): string | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const name = String(raw);
  if (name.trim() === "") throw new UsageError(`invalid ${flag}: "" (must be a column name)`);
  return name;
}

/** Checks a `YYYY-MM-DD` flag value (a real calendar date). */
export function parseIsoDate(raw: string, flag: string): string {
  const text = raw.trim();
  const m = ISO_DATE.exec(text);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be a date YYYY-MM-DD)`);
  }
  return text;
}

function checkOut(path: string): string {
  try {
    outputFormat(path);
  } catch (error) {
    throw new UsageError(`invalid --out: ${(error as Error).message}`);
  }
  return path;
}

/** Registers `clusterlab rfm` on the program; `onParsed` receives the parsed arguments. */
export function rfmCommand(program: Command, onParsed: (args: RfmArgs) => void): Command {
  return program
    .command("rfm")
    .description("customer segmentation from a transactions table: RFM, named segments, k-means clusters")
    .argument("<transactions>", "transactions table (.csv, .tsv, .txt, .parquet, .json, .ndjson)")
    .requiredOption("--customer-id <column>", "column with the customer id")
    .requiredOption("--date <column>", "column with the order date")
    .requiredOption("--amount <column>", "column with the order amount (>= 0)")
    .option("--order-id <column>", "column with an order id (frequency counts distinct orders; default: rows)")
    .option("--as-of <date>", "analysis date YYYY-MM-DD (default: the day after the latest order)")
    .option("--date-format <format>", "strptime format of a text date column, e.g. %d/%m/%Y (default: ISO dates)")
    .option("-k, --k <n>", "number of clusters (default: the best silhouette over 2..--k-max)")
    .option("--k-max <n>", "largest k tried when --k is not given", "8")
    .option("--seed <n>", "random seed of k-means", "0")
    .addOption(
      new Option("--scores <method>", "quintile scores: ntile (SQL NTILE) or rank (ties share a score)")
        .choices(["ntile", "rank"])
        .default("ntile"),
    )
    .option("--out <file>", "write one row per customer (RFM, scores, segment, cluster) (.csv, .parquet, ...)")
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line")
    .option("--json", "print one JSON object on stdout instead of the report")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Example:
  clusterlab rfm examples/data/transactions_synthetic.csv --customer-id customer_id --date order_date --amount amount --out customers.csv`,
    )
    .action((file: string, opts: RawOptions) => onParsed(rfmArgs(file, opts)));
}

/** Parses the options of `clusterlab rfm` (as commander hands them over). */
export function rfmArgs(file: string, opts: RawOptions): RfmArgs {
  const args: RfmArgs = {
    command: "rfm",
    file,
    header: opts.header !== false,
    customerId: columnOption(opts, "customerId", "--customer-id")!,
    date: columnOption(opts, "date", "--date")!,
    amount: columnOption(opts, "amount", "--amount")!,
    kMax: intOption(opts, "kMax", "--k-max", 2) ?? 8,
    seed: intOption(opts, "seed", "--seed", 0) ?? 0,
    scores: (opts.scores as RfmScoreMethod | undefined) ?? "ntile",
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
  if (opts.format !== undefined) args.format = opts.format as TableFormat;
  if (opts.delimiter !== undefined) {
    const d = String(opts.delimiter);
    if (d === "") throw new UsageError('invalid --delimiter: "" (must be a character, "\\t" or "auto")');
    args.delimiter = d;
  }
  const orderId = columnOption(opts, "orderId", "--order-id");
  if (orderId !== undefined) args.orderId = orderId;
  if (opts.asOf !== undefined) args.asOf = parseIsoDate(String(opts.asOf), "--as-of");
  if (opts.dateFormat !== undefined) {
    const f = String(opts.dateFormat);
    if (!f.includes("%"))
      throw new UsageError(`invalid --date-format: ${JSON.stringify(f)} (a strptime format, e.g. %d/%m/%Y)`);
    args.dateFormat = f;
  }
  const k = intOption(opts, "k", "--k", 1);
  if (k !== undefined) args.k = k;
  if (opts.out !== undefined) args.out = checkOut(String(opts.out));
  return args;
}

// --- running ------------------------------------------------------------------------------------

/** What `clusterlab rfm` reports (the `--json` output). */
export interface RfmReport {
  input: string;
  columns: { customerId: string; date: string; amount: string; orderId: string | null };
  asOf: string;
  /** Whether `asOf` is the default (the day after the latest order). */
  asOfDefault: boolean;
  scoreMethod: RfmScoreMethod;
  nTransactions: number;
  nExcludedAfterAsOf: number;
  nCustomers: number;
  /** Medians and means over customers. */
  overall: {
    recency: { mean: number; median: number };
    frequency: { mean: number; median: number };
    monetary: { mean: number; median: number };
  };
  segments: RfmSegmentSummary[];
  clustering: {
    k: number;
    chosenBy: string;
    reason: string;
    features: string[];
    silhouette: number | null;
    sweep: RfmSweepEntry[] | null;
    profiles: RfmClusterProfile[];
  };
  comparison: { ari: number; segments: string[]; clusters: number[]; counts: number[][] };
  warnings: string[];
  outputs: { out: string | null };
  /** `analysisSeconds`: RFM in DuckDB, scores, segments and clustering. */
  timings: { analysisSeconds: number; writeSeconds: number; totalSeconds: number };
}

function meanMedian(values: Float64Array): { mean: number; median: number } {
  const s = Float64Array.from(values).sort();
  let total = 0;
  for (const v of s) total += v;
  const h = s.length >> 1;
  return { mean: total / s.length, median: s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2 };
}

/**
 * Runs `clusterlab rfm`: RFM per customer (SQL in DuckDB), scores and named segments, k-means on
 * the log-standardised measures, segments vs clusters; writes `--out` and returns the report.
 */
export async function runRfm(args: RfmArgs, io: CommandIO): Promise<RfmReport> {
  const start = performance.now();
  const progress = progressPrinter(io, !args.quiet);
  const logger = memoryLogger();
  const result: CustomerSegmentation = await segmentCustomers(args.file, {
    customerId: args.customerId,
    date: args.date,
    amount: args.amount,
    orderId: args.orderId,
    asOf: args.asOf,
    dateFormat: args.dateFormat,
    dateFormatHint: "--date-format",
    scoreMethod: args.scores,
    format: args.format,
    delimiter: args.delimiter,
    header: args.header,
    clustering: { k: args.k, kMax: args.kMax, seed: args.seed, logger },
  });
  const analysed = performance.now();
  const { rfm, clustering } = result;
  const warnings = [...logger.messages];
  if (rfm.nExcludedAfterAsOf > 0) {
    warnings.push(`${rfm.nExcludedAfterAsOf} transactions dated after the as-of date ${rfm.asOf} were left out`);
  }
  const writeStart = performance.now();
  if (args.out) {
    if (rfm.nRows > PROGRESS_MIN_ROWS) progress(`writing ${rfm.n} customers to ${args.out}...`);
    await writeTable(args.out, customerSegmentsTable(result));
  }
  const { comparison } = result;
  return {
    input: args.file,
    columns: rfm.columns,
    asOf: rfm.asOf,
    asOfDefault: rfm.asOfDefault,
    scoreMethod: rfm.scoreMethod,
    nTransactions: rfm.nRows - rfm.nExcludedAfterAsOf,
    nExcludedAfterAsOf: rfm.nExcludedAfterAsOf,
    nCustomers: rfm.n,
    overall: {
      recency: meanMedian(rfm.recency),
      frequency: meanMedian(rfm.frequency),
      monetary: meanMedian(rfm.monetary),
    },
    segments: result.segments,
    clustering: {
      k: clustering.k,
      chosenBy: clustering.chosenBy,
      reason: clustering.reason,
      features: clustering.features,
      silhouette: clustering.silhouette,
      sweep: clustering.sweep,
      profiles: clustering.profiles,
    },
    comparison: { ...comparison, segments: [...comparison.segments] },
    warnings,
    outputs: { out: args.out ?? null },
    timings: {
      analysisSeconds: Math.round(analysed - start) / 1000,
      writeSeconds: secondsSince(writeStart),
      totalSeconds: secondsSince(start),
    },
  };
}

// --- report -------------------------------------------------------------------------------------

/** `x` with thousands separators; integers as such, others with `digits` decimals. */
function num(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return "n/a";
  const [int, frac] = (Number.isInteger(x) ? x.toString() : x.toFixed(digits)).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+$)/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** A text table: the first `left` columns left-aligned, the others right-aligned. */
function table(header: string[], rows: string[][], left = 1): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, j) => (j < left ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ")}`.trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** The human-readable report of `clusterlab rfm`. */
export function formatRfmReport(report: RfmReport): string {
  const out: string[] = [];
  const c = report.columns;
  out.push(
    `RFM of ${report.input}: ${num(report.nTransactions)} transactions, ${num(report.nCustomers)} customers, as of ${report.asOf}${report.asOfDefault ? " (the day after the latest order)" : ""}`,
  );
  out.push(
    `Columns: customer id ${JSON.stringify(c.customerId)}, date ${JSON.stringify(c.date)}, amount ${JSON.stringify(c.amount)}${c.orderId ? `, order id ${JSON.stringify(c.orderId)}` : ""}; scores by ${report.scoreMethod}`,
  );
  const o = report.overall;
  out.push(
    `Per customer (median / mean): recency ${num(o.recency.median)} / ${num(o.recency.mean)} days, frequency ${num(o.frequency.median)} / ${num(o.frequency.mean)} orders, monetary ${num(o.monetary.median, 2)} / ${num(o.monetary.mean, 2)}`,
  );
  out.push("");
  out.push("Rule-based RFM segments (R/F score grid; medians):");
  out.push(
    table(
      ["segment", "customers", "share", "recency", "frequency", "monetary"],
      report.segments.map((s) => [
        s.segment,
        num(s.count),
        pct(s.share),
        num(s.recency.median),
        num(s.frequency.median),
        num(s.monetary.median, 2),
      ]),
    ),
  );
  out.push("");
  const cl = report.clustering;
  const how =
    cl.chosenBy === "user"
      ? "k given"
      : cl.chosenBy === "silhouette"
        ? "k by the best silhouette"
        : `k by ${cl.chosenBy}`;
  out.push(
    `Clusters: k-means on standardised ${cl.features.join(", ")}; k = ${cl.k} (${how}), silhouette ${cl.silhouette === null ? "n/a" : cl.silhouette.toFixed(3)}`,
  );
  if (cl.sweep) {
    out.push(
      `  silhouette by k: ${cl.sweep.map((e) => `${e.k}: ${e.silhouette === null ? "n/a" : e.silhouette.toFixed(3)}`).join(", ")}`,
    );
  }
  out.push(
    table(
      ["cluster", "name", "customers", "share", "recency", "frequency", "monetary"],
      cl.profiles.map((p) => [
        String(p.cluster),
        p.name,
        num(p.size),
        pct(p.share),
        num(p.recency.median),
        num(p.frequency.median),
        num(p.monetary.median, 2),
      ]),
      2,
    ),
  );
  out.push("");
  const cmp = report.comparison;
  out.push(`Segments vs clusters (customers; adjusted Rand index ${cmp.ari.toFixed(3)}):`);
  out.push(
    table(
      ["segment", ...cmp.clusters.map((k) => `c${k}`)],
      cmp.segments.map((s, r) => [s, ...cmp.counts[r].map((v) => num(v))]),
    ),
  );
  for (const w of report.warnings) out.push(`warning: ${w}`);
  if (report.outputs.out) out.push(`\nWrote ${report.outputs.out} (one row per customer)`);
  return `${out.join("\n")}\n`;
}
