import { ALGORITHM_INFO, ALGORITHM_NAMES, type AlgorithmName, algorithmName, type TuneKResult } from "@clusterlab/lab";
import type { Command } from "commander";
import type { CommandIO } from "./io.js";
import {
  addDataOptions,
  type DataArgs,
  dataArgs,
  formatValue,
  intOption,
  type RawOptions,
  renderTable,
  setupFromArgs,
  slowProgress,
} from "./run.js";
import { UsageError } from "./usage.js";

/** The parsed `clusterlab sweep` command line. */
export interface SweepArgs extends DataArgs {
  command: "sweep";
  algo: AlgorithmName;
  kMin: number;
  kMax: number;
  /** `--gap`: also compute the gap statistic. */
  gap: boolean;
  /** `--b N`: reference sets of the gap statistic. Default 10. */
  b: number;
  /** `--no-stability`: skip bootstrap stability and prediction strength (faster). Default: computed. */
  stability: boolean;
  /** `--bootstrap N`: bootstrap replicates per k for the stability. Default 10. */
  bootstrap: number;
  json: boolean;
  quiet: boolean;
}

/** The algorithms with a number of clusters (what `sweep --algo` accepts). */
export const SWEEP_ALGORITHMS = ALGORITHM_NAMES.filter((n) => ALGORITHM_INFO[n].kParam !== null);

/** Registers `clusterlab sweep` on the program. */
export function sweepCommand(program: Command, onParsed: (args: SweepArgs) => void): Command {
  const cmd = program
    .command("sweep")
    .description(
      "score each number of clusters k and suggest one (silhouette, CH, DB, elbow, BIC, gap statistic, bootstrap stability, prediction strength)",
    )
    .argument("<file>", "input table (.csv, .tsv, .txt, .parquet, .json, .ndjson, .arrow, .duckdb)")
    .option("--algo <name>", `algorithm with a number of clusters: ${SWEEP_ALGORITHMS.join(", ")}`, "kmeans")
    .option("-k, --k <range>", "the k values: min..max", "2..10")
    .option("--gap", "also compute the gap statistic (B + 1 fits per k)")
    .option("--b <n>", "reference data sets of the gap statistic", "10")
    .option("--no-stability", "skip bootstrap stability and prediction strength (faster)")
    .option("--bootstrap <n>", "bootstrap replicates per k for the stability", "10");
  return addDataOptions(cmd)
    .option("--json", "print one JSON object on stdout instead of the table")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Example:
  clusterlab sweep examples/data/iris.csv --target target --exclude target_name --k 2..8 --gap`,
    )
    .action((file: string, opts: RawOptions) => onParsed(sweepArgs(file, opts)));
}

/** Parses `--k`: `min..max` (or `min-max`, or one k). */
export function parseKRange(raw: string): { kMin: number; kMax: number } {
  const text = raw.trim();
  const m = /^(\d+)\s*(?:\.\.|-|:)\s*(\d+)$/.exec(text) ?? /^(\d+)$/.exec(text);
  const kMin = m ? Number(m[1]) : Number.NaN;
  const kMax = m ? Number(m[2] ?? m[1]) : Number.NaN;
  if (!m || kMin < 1 || kMax < kMin) {
    throw new UsageError(
      `invalid --k: ${JSON.stringify(raw)} (must be a range min..max with 1 <= min <= max, e.g. 2..10)`,
    );
  }
  return { kMin, kMax };
}

/** Parses the options of `clusterlab sweep`. */
export function sweepArgs(file: string, opts: RawOptions): SweepArgs {
  const raw = String(opts.algo ?? "kmeans");
  const algo = algorithmName(raw);
  if (!algo || ALGORITHM_INFO[algo].kParam === null) {
    throw new UsageError(
      `invalid --algo: ${JSON.stringify(raw)} (must be an algorithm with a number of clusters: ${SWEEP_ALGORITHMS.join(", ")})`,
    );
  }
  return {
    ...dataArgs(file, opts),
    command: "sweep",
    algo,
    ...parseKRange(String(opts.k ?? "2..10")),
    gap: opts.gap === true,
    b: intOption(opts, "b", "--b", 2) ?? 10,
    stability: opts.stability !== false,
    bootstrap: intOption(opts, "bootstrap", "--bootstrap", 1) ?? 10,
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
}

/** What `clusterlab sweep` reports. */
export interface SweepReport extends TuneKResult {
  input: string;
  target: string | null;
  nRows: number;
}

/** Runs `clusterlab sweep`. */
export async function runSweep(args: SweepArgs, io: CommandIO): Promise<SweepReport> {
  const progress = slowProgress(io, args.quiet);
  const exp = await setupFromArgs(args);
  const result = await exp.tuneK(args.algo, {
    kMin: args.kMin,
    kMax: args.kMax,
    ...(args.gap && { gap: { b: args.b } }),
    stability: args.stability ? { nBootstrap: args.bootstrap } : false,
    onProgress: (k) => progress(`k=${k} done`),
    // The resampling is the slow step (nBootstrap + 1, and 4, fits per k): one line per k.
    onStabilityProgress: (k, done, total) =>
      progress(`stability k=${k} done (${done}/${total}; ${args.bootstrap} bootstrap refits per k)`),
  });
  return { ...result, input: args.file, target: args.target ?? null, nRows: exp.table.nRows };
}

/** The table for people. */
export function formatSweepReport(r: SweepReport): string {
  const hasBic = r.entries.some((e) => e.bic !== undefined);
  const gap = r.gap;
  const cost = r.algorithm === "kmodes" || r.algorithm === "kprototypes";
  const headers = ["k", "clusters", "silhouette", "calinski-harabasz", "davies-bouldin", cost ? "cost" : "inertia"];
  if (hasBic) headers.push("bic");
  if (gap) headers.push("gap", "s_k");
  const stability = r.stability !== null;
  const strength = r.stability?.predictionStrength === true;
  if (stability) headers.push("stability", "weakest");
  if (strength) headers.push("pred-strength");
  const rows = r.entries.map((e, i) => {
    const row = [
      String(e.k),
      e.nClusters === null ? "" : String(e.nClusters),
      formatValue(e.silhouette),
      formatValue(e.calinskiHarabasz),
      formatValue(e.daviesBouldin),
      formatValue(e.inertia),
    ];
    if (hasBic) row.push(formatValue(e.bic));
    if (gap) row.push(formatValue(gap.gap[i]), formatValue(gap.s[i]));
    if (stability) row.push(formatValue(e.stability), formatValue(e.stabilityMin));
    if (strength) row.push(formatValue(e.predictionStrength));
    if (e.error) row.push(`error: ${e.error}`);
    return row;
  });
  const lines = [`${r.algorithm} on ${r.input} (${r.nRows} rows), k = ${r.ks[0]}..${r.ks[r.ks.length - 1]}`, ""];
  lines.push(
    ...renderTable(
      headers,
      rows,
      headers.map(() => true),
    ),
  );
  lines.push("");
  if (stability) {
    lines.push(
      `stability: mean and weakest cluster's Jaccard over ${r.stability!.nBootstrap} bootstrap refits${r.stability!.rows < r.nRows ? ` of a ${r.stability!.rows}-row subset` : ""} (>= 0.75 stable)${strength ? "; pred-strength: 2-fold prediction strength (>= 0.8 strong)" : ""}`,
    );
  }
  lines.push("");
  if (Object.keys(r.votes).length === 0) lines.push("criteria: none could be computed");
  else lines.push("evidence:");
  for (const criterion of Object.keys(r.votes) as (keyof typeof r.votes)[]) {
    lines.push(`  ${criterion.padEnd(18)} k=${r.votes[criterion]}  ${r.evidence[criterion] ?? ""}`.trimEnd());
  }
  for (const criterion of Object.keys(r.evidence) as (keyof typeof r.evidence)[]) {
    if (r.votes[criterion] === undefined) lines.push(`  ${criterion.padEnd(18)} -    ${r.evidence[criterion]}`);
  }
  if (gap) lines.push(`gap statistic (B=${gap.b}, ${gap.reference} reference): ${gap.reason}`);
  lines.push(`suggestion: k=${r.recommendation.k} (${r.recommendation.reason})`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return `${lines.join("\n")}\n`;
}
