import { ALGORITHM_INFO, ALGORITHM_NAMES, algorithmName, type CompareModelsResult } from "@clusterlab/lab";
import type { Command } from "commander";
import type { CommandIO } from "./io.js";
import {
  addDataOptions,
  type DataArgs,
  dataArgs,
  formatValue,
  intOption,
  listOption,
  type RawOptions,
  renderTable,
  setupFromArgs,
  slowProgress,
} from "./run.js";
import { UsageError } from "./usage.js";

/** The parsed `clusterlab compare` command line. */
export interface CompareArgs extends DataArgs {
  command: "compare";
  /** `--algos a,b,c` (spec names or PyCaret-style ids); default every applicable algorithm. */
  algos?: string[];
  /** `--k N` for the k-based algorithms; default the silhouette-best k of a k-means sweep. */
  k?: number;
  /** `--k-max N`: largest k of that sweep. Default 10. */
  kMax: number;
  /** `--max-quadratic-rows N`: skip O(n^2) methods above. Default 5000. */
  maxQuadraticRows: number;
  json: boolean;
  quiet: boolean;
}

function algorithmList(): string {
  return ALGORITHM_NAMES.map((n) => (ALGORITHM_INFO[n].id === n ? n : `${n} (${ALGORITHM_INFO[n].id})`)).join(", ");
}

/** Registers `clusterlab compare` on the program. */
export function compareCommand(program: Command, onParsed: (args: CompareArgs) => void): Command {
  const cmd = program
    .command("compare")
    .description(
      "fit several algorithms with the same preprocessing and rank them (silhouette, CH, DB; ARI/NMI with --target)",
    )
    .argument("<file>", "input table (.csv, .tsv, .txt, .parquet, .json, .ndjson)")
    .option("--algos <list>", `comma-separated algorithms (default: every applicable one): ${algorithmList()}`)
    .option(
      "-k, --k <n>",
      "number of clusters of the k-based algorithms (default: the best silhouette of a k-means sweep)",
    )
    .option("--k-max <n>", "largest k of that sweep", "10")
    .option("--max-quadratic-rows <n>", "skip O(n^2) algorithms above this many rows", "5000");
  return addDataOptions(cmd)
    .option("--json", "print one JSON object on stdout instead of the table")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Example:
  clusterlab compare examples/data/iris.csv --target target --exclude target_name --algos kmeans,gmm,hclust,dbscan --k 3`,
    )
    .action((file: string, opts: RawOptions) => onParsed(compareArgs(file, opts)));
}

/** Parses the options of `clusterlab compare`. */
export function compareArgs(file: string, opts: RawOptions): CompareArgs {
  const args: CompareArgs = {
    ...dataArgs(file, opts),
    command: "compare",
    kMax: intOption(opts, "kMax", "--k-max", 2) ?? 10,
    maxQuadraticRows: intOption(opts, "maxQuadraticRows", "--max-quadratic-rows", 1) ?? 5000,
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
  const algos = listOption(opts, "algos", "--algos");
  if (algos) {
    for (const a of algos) {
      if (!algorithmName(a))
        throw new UsageError(`invalid --algos: ${JSON.stringify(a)} (algorithms: ${algorithmList()})`);
    }
    args.algos = algos;
  }
  const k = intOption(opts, "k", "--k", 1);
  if (k !== undefined) args.k = k;
  return args;
}

/** What `clusterlab compare` reports. */
export interface CompareReport extends CompareModelsResult {
  input: string;
  nRows: number;
}

/** Runs `clusterlab compare`. */
export async function runCompare(args: CompareArgs, io: CommandIO): Promise<CompareReport> {
  const progress = slowProgress(io, args.quiet);
  const exp = await setupFromArgs(args);
  const result = await exp.compareModels({
    ...(args.algos && { algorithms: args.algos }),
    ...(args.k !== undefined && { k: args.k }),
    kMax: args.kMax,
    maxQuadraticRows: args.maxQuadraticRows,
    onProgress: (name, i, total) => progress(`${i + 1}/${total}: ${name}`),
  });
  return { ...result, input: args.file, nRows: exp.table.nRows };
}

/** The ranked table for people. */
export function formatCompareReport(r: CompareReport): string {
  const external = r.target !== null;
  const headers = ["rank", "model", "k", "clusters", "noise", "silhouette", "calinski-harabasz", "davies-bouldin"];
  if (external) headers.push("ARI", "NMI");
  headers.push("seconds");
  const rows = r.rows.map((row) => {
    const cells = [
      row.rank === null ? "-" : String(row.rank),
      row.id,
      row.k === null ? "" : String(row.k),
      row.nClusters === null ? "" : String(row.nClusters),
      row.nNoise === null ? "" : String(row.nNoise),
      formatValue(row.silhouette),
      formatValue(row.calinskiHarabasz),
      formatValue(row.daviesBouldin),
    ];
    if (external) cells.push(formatValue(row.adjustedRand), formatValue(row.normalizedMutualInfo));
    cells.push(row.totalSeconds.toFixed(2));
    if (row.error) cells.push(`${row.status}: ${row.error.replace(/^skipped: /, "")}`);
    return cells;
  });
  const right = headers.map((h) => h !== "model");
  const lines = [`${r.input} (${r.nRows} rows); k = ${r.k} (${r.kReason})`, ""];
  lines.push(...renderTable(headers, rows, right));
  lines.push("");
  const best = r.rows.find((row) => row.rank === 1);
  if (best) lines.push(`best by silhouette: ${best.id} (${best.title}), silhouette ${formatValue(best.silhouette)}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return `${lines.join("\n")}\n`;
}
