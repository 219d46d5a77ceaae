import { generateSocialPosts, generateTransactions, outputFormat, writeTable } from "@clusterlab/lab";
import { Argument, type Command } from "commander";
import type { CommandIO } from "./io.js";
import { parseIsoDate } from "./rfm.js";
import { UsageError } from "./usage.js";

/** Datasets `clusterlab generate` can write. */
export const GENERATED_KINDS = ["transactions", "social"] as const;
export type GeneratedKind = (typeof GENERATED_KINDS)[number];

/** The parsed `clusterlab generate` command line. */
export interface GenerateArgs {
  command: "generate";
  kind: GeneratedKind;
  /** `--rows`: rows to write. Default 4000 (transactions) or 3000 (social). */
  rows?: number;
  /** `--accounts` (social only): number of accounts. Default 25. */
  accounts?: number;
  /** `--end-date YYYY-MM-DD`: last day of the data. Default 2024-12-31. */
  endDate?: string;
  seed: number;
  out: string;
  json: boolean;
}

type RawOptions = Record<string, string | boolean | undefined>;

function positiveInt(opts: RawOptions, key: string, flag: string): number | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (!/^\+?\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be an integer >= 1)`);
  }
  return value;
}

/** Registers `clusterlab generate` on the program; `onParsed` receives the parsed arguments. */
export function generateCommand(program: Command, onParsed: (args: GenerateArgs) => void): Command {
  return program
    .command("generate")
    .description("write a synthetic, seeded example dataset (retail transactions or social-media posts)")
    .addArgument(new Argument("<kind>", "what to generate").choices(GENERATED_KINDS))
    .requiredOption("--out <file>", "output file (.csv, .tsv, .parquet, .json, .ndjson)")
    .option("--rows <n>", "number of rows (default: 4000 transactions, 3000 posts)")
    .option("--seed <n>", "random seed (the same seed gives the same data)", "0")
    .option("--accounts <n>", "social only: number of accounts (default 25)")
    .option("--end-date <date>", "last day of the data, YYYY-MM-DD (default 2024-12-31)")
    .option("--json", "print one JSON object on stdout instead of the summary line")
    .addHelpText(
      "after",
      `
The data is synthetic (drawn from planted behavioural segments, kept in a ground-truth column):
no real customer, account or post is behind it.

Example:
  clusterlab generate transactions --rows 5000 --seed 0 --out transactions.csv`,
    )
    .action((kind: string, opts: RawOptions) => onParsed(generateArgs(kind, opts)));
}

/** Parses the options of `clusterlab generate`. */
export function generateArgs(kind: string, opts: RawOptions): GenerateArgs {
  const out = String(opts.out);
  try {
    outputFormat(out);
  } catch (error) {
    throw new UsageError(`invalid --out: ${(error as Error).message}`);
  }
  const seedText = String(opts.seed ?? "0").trim();
  const seed = Number(seedText);
  if (!/^\+?\d+$/.test(seedText) || !Number.isSafeInteger(seed)) {
    throw new UsageError(`invalid --seed: ${JSON.stringify(opts.seed)} (must be an integer >= 0)`);
  }
  const args: GenerateArgs = { command: "generate", kind: kind as GeneratedKind, seed, out, json: opts.json === true };
  const rows = positiveInt(opts, "rows", "--rows");
  if (rows !== undefined) args.rows = rows;
  const accounts = positiveInt(opts, "accounts", "--accounts");
  if (accounts !== undefined) {
    if (kind !== "social") throw new UsageError("--accounts only applies to `generate social`");
    args.accounts = accounts;
  }
  if (opts.endDate !== undefined) args.endDate = parseIsoDate(String(opts.endDate), "--end-date");
  return args;
}

/** What `clusterlab generate` reports. */
export interface GenerateReport {
  kind: GeneratedKind;
  out: string;
  rows: number;
  columns: string[];
  seed: number;
  /** Customers (transactions) or accounts (social). */
  entities: number;
  /** Entities per planted segment. */
  plantedSegments: Record<string, number>;
  synthetic: true;
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** Runs `clusterlab generate`: generates the dataset and writes it. */
export async function runGenerate(args: GenerateArgs, _io: CommandIO): Promise<GenerateReport> {
  if (args.kind === "transactions") {
    const g = generateTransactions({ rows: args.rows, seed: args.seed, endDate: args.endDate });
    await writeTable(args.out, g.table);
    return {
      kind: args.kind,
      out: args.out,
      rows: g.table.nRows,
      columns: g.table.columns.map((c) => c.name),
      seed: args.seed,
      entities: g.customerIds.length,
      plantedSegments: tally(g.customerSegments),
      synthetic: true,
    };
  }
  const g = generateSocialPosts({ rows: args.rows, seed: args.seed, endDate: args.endDate, accounts: args.accounts });
  await writeTable(args.out, g.table);
  return {
    kind: args.kind,
    out: args.out,
    rows: g.table.nRows,
    columns: g.table.columns.map((c) => c.name),
    seed: args.seed,
    entities: g.accounts.length,
    plantedSegments: tally(g.accountSegments),
    synthetic: true,
  };
}

/** The one-paragraph summary of `clusterlab generate`. */
export function formatGenerateReport(report: GenerateReport): string {
  const what = report.kind === "transactions" ? "customers" : "accounts";
  const segments = Object.entries(report.plantedSegments)
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");
  return (
    `Wrote ${report.out}: ${report.rows} synthetic ${report.kind === "transactions" ? "transactions" : "posts"} ` +
    `of ${report.entities} ${what} (seed ${report.seed}; planted segments: ${segments})\n`
  );
}
