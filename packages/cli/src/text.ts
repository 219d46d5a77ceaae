import { type DocumentFrequencyBound, memoryLogger } from "@clusterlab/core";
import {
  clusterDocuments,
  DEFAULT_LSA_COMPONENTS,
  documentTexts,
  labelValues,
  outputFormat,
  readTable,
  type TableFormat,
  TEXT_ALGORITHMS,
  type TextAlgorithm,
  writeTable,
} from "@clusterlab/lab";
import { type Command, Option } from "commander";
import { type CommandIO, progressPrinter, secondsSince } from "./io.js";
import { UsageError } from "./usage.js";

// --- parsing (pure) -----------------------------------------------------------------------------

/** Default k of `clusterlab text`. */
export const DEFAULT_TEXT_K = 8;

/** The parsed `clusterlab text` command line. */
export interface TextArgs {
  command: "text";
  file: string;
  format?: TableFormat;
  delimiter?: string;
  header: boolean;
  /** `--text-column`: one or more columns, joined with a newline per row. */
  textColumns: string[];
  /** `--label-column`: known classes, for external metrics only. */
  labelColumn?: string;
  /** `--k`; null for hdbscan (which finds its own). Default 8. */
  k: number | null;
  algo: TextAlgorithm;
  /** `--lsa`: LSA dimensions, 0 for none. Default 100. */
  lsa: number;
  /** `--min-df`, `--max-df`: a count (integer) or a proportion (written with a decimal point). */
  minDf: DocumentFrequencyBound;
  maxDf: DocumentFrequencyBound;
  maxFeatures?: number;
  stem: boolean;
  /** false with `--no-stop-words`. */
  stopWords: boolean;
  minLength: number;
  /** false with `--no-numbers` (drop tokens made only of digits). */
  numbers: boolean;
  /** `--min-cluster-size` (hdbscan). Default 10. */
  minClusterSize?: number;
  topTerms: number;
  seed: number;
  out?: string;
  json: boolean;
  quiet: boolean;
}

type RawOptions = Record<string, string | boolean | undefined>;

const FORMATS = ["csv", "tsv", "parquet", "json", "ndjson"] as const;
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

/**
 * A document-frequency flag, read like scikit-learn's int / float: `2` is a count of documents,
 * `0.95` or `1.0` a proportion of them.
 */
export function parseDocumentFrequency(raw: string, flag: string): DocumentFrequencyBound {
  const text = raw.trim();
  const value = Number(text);
  if (INTEGER.test(text) && Number.isSafeInteger(value) && value >= 0) return value;
  if (text !== "" && /^[0-9.eE+-]+$/.test(text) && Number.isFinite(value) && value >= 0 && value <= 1) {
    return { proportion: value };
  }
  throw new UsageError(
    `invalid ${flag}: ${JSON.stringify(raw)} (must be a count of documents, e.g. 2, or a proportion in [0, 1], e.g. 0.95)`,
  );
}

function columnList(raw: string | boolean | undefined, flag: string): string[] {
  const items = String(raw)
    .split(",")
    .map((s) => s.trim());
  if (raw === undefined || items.some((s) => s === "")) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be a comma-separated list of column names)`);
  }
  return items;
}

/** Registers `clusterlab text` on the program; `onParsed` receives the parsed arguments. */
export function textCommand(program: Command, onParsed: (args: TextArgs) => void): Command {
  return program
    .command("text")
    .description("cluster the documents of a text column by topic (TF-IDF, LSA, spherical k-means)")
    .argument("<file>", "input table (.csv, .tsv, .txt, .parquet, .json, .ndjson)")
    .requiredOption("--text-column <list>", "column(s) holding the text; several are joined, e.g. subject,body")
    .option("--label-column <column>", "known classes: report ARI, NMI and V-measure against them (never a feature)")
    .option("-k, --k <n>", `number of clusters (default ${DEFAULT_TEXT_K}; not with hdbscan)`)
    .addOption(
      new Option("--algo <name>", "kmeans: spherical (cosine); agglomerative: average linkage, cosine; hdbscan")
        .choices(TEXT_ALGORITHMS)
        .default("kmeans"),
    )
    .option(
      "--lsa <n>",
      "LSA dimensions (truncated SVD of the TF-IDF); 0 = cluster the TF-IDF rows (kmeans only)",
      String(DEFAULT_LSA_COMPONENTS),
    )
    .option("--min-df <n|x>", "drop terms in fewer documents: a count (2) or a proportion (0.01)", "2")
    .option("--max-df <n|x>", "drop terms in more documents: a count or a proportion", "0.95")
    .option("--max-features <n>", "keep only the n most frequent terms")
    .option("--stem", "reduce words to their Porter stems")
    .option("--no-stop-words", "keep English stop words")
    .option("--min-length <n>", "shortest token kept, in characters", "2")
    .option("--no-numbers", "drop tokens made only of digits")
    .option("--min-cluster-size <n>", "smallest cluster (hdbscan only; default 10)")
    .option("--top-terms <n>", "terms listed per cluster", "10")
    .option("--seed <n>", "random seed (SVD sketch, k-means seeding)", "0")
    .option("--out <file>", "write all input rows plus a `cluster` column (-1: no terms, or noise)")
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line")
    .option("--json", "print one JSON object (clusters, top terms, metrics, 2-D map) instead of the report")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Example:
  clusterlab text examples/data/spam_assassin_subset.csv --text-column subject,body --k 8 --label-column group`,
    )
    .action((file: string, opts: RawOptions) => onParsed(textArgs(file, opts)));
}

/** Parses the options of `clusterlab text` (as commander hands them over). */
export function textArgs(file: string, opts: RawOptions): TextArgs {
  const algo = (opts.algo as TextAlgorithm | undefined) ?? "kmeans";
  const kGiven = intOption(opts, "k", "--k", 1);
  if (algo === "hdbscan" && kGiven !== undefined) {
    throw new UsageError(
      "--k does not apply to --algo hdbscan (it finds the number of clusters; see --min-cluster-size)",
    );
  }
  const lsa = intOption(opts, "lsa", "--lsa", 0) ?? DEFAULT_LSA_COMPONENTS;
  if (lsa === 0 && algo !== "kmeans")
    throw new UsageError(`--lsa 0 only works with --algo kmeans (got --algo ${algo})`);
  const args: TextArgs = {
    command: "text",
    file,
    header: opts.header !== false,
    textColumns: columnList(opts.textColumn, "--text-column"),
    k: algo === "hdbscan" ? null : (kGiven ?? DEFAULT_TEXT_K),
    algo,
    lsa,
    minDf: parseDocumentFrequency(String(opts.minDf ?? "2"), "--min-df"),
    maxDf: parseDocumentFrequency(String(opts.maxDf ?? "0.95"), "--max-df"),
    stem: opts.stem === true,
    stopWords: opts.stopWords !== false,
    minLength: intOption(opts, "minLength", "--min-length", 1) ?? 2,
    numbers: opts.numbers !== false,
    topTerms: intOption(opts, "topTerms", "--top-terms", 0) ?? 10,
    seed: intOption(opts, "seed", "--seed", 0) ?? 0,
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
  if (opts.format !== undefined) args.format = opts.format as TableFormat;
  if (opts.delimiter !== undefined) {
    const d = String(opts.delimiter);
    if (d === "") throw new UsageError('invalid --delimiter: "" (must be a character, "\\t" or "auto")');
    args.delimiter = d;
  }
  if (opts.labelColumn !== undefined) {
    const label = String(opts.labelColumn);
    if (label.trim() === "") throw new UsageError('invalid --label-column: "" (must be a column name)');
    args.labelColumn = label;
  }
  const maxFeatures = intOption(opts, "maxFeatures", "--max-features", 1);
  if (maxFeatures !== undefined) args.maxFeatures = maxFeatures;
  const minClusterSize = intOption(opts, "minClusterSize", "--min-cluster-size", 2);
  if (minClusterSize !== undefined) {
    if (algo !== "hdbscan")
      throw new UsageError(`--min-cluster-size only applies to --algo hdbscan (got --algo ${algo})`);
    args.minClusterSize = minClusterSize;
  }
  if (opts.out !== undefined) {
    const out = String(opts.out);
    try {
      outputFormat(out);
    } catch (error) {
      throw new UsageError(`invalid --out: ${(error as Error).message}`);
    }
    args.out = out;
  }
  return args;
}

// --- running ------------------------------------------------------------------------------------

/** One cluster in the report. */
export interface TextClusterReport {
  cluster: number;
  size: number;
  share: number;
  topTerms: { term: string; weight: number }[];
  /** Documents closest to the centre: input row (0-based), cosine similarity, first 100 characters. */
  representatives: { row: number; similarity: number; preview: string }[];
}

/** What `clusterlab text` computed (its `--json` output). */
export interface TextReport {
  input: string;
  textColumns: string[];
  labelColumn: string | null;
  nDocuments: number;
  /** Documents with no term left after tokenising and pruning (cluster -1). */
  nEmpty: number;
  /** HDBSCAN noise documents (cluster -1). */
  nNoise: number;
  vocabularySize: number;
  algorithm: TextAlgorithm;
  params: {
    k: number | null;
    lsa: number;
    minDf: DocumentFrequencyBound;
    maxDf: DocumentFrequencyBound;
    maxFeatures: number | null;
    stem: boolean;
    stopWords: boolean;
    minLength: number;
    numbers: boolean;
    minClusterSize: number | null;
    seed: number;
  };
  lsa: { nComponents: number; explainedVarianceRatio: number };
  nClusters: number;
  clusters: TextClusterReport[];
  external: {
    adjustedRandIndex: number;
    normalizedMutualInfo: number;
    vMeasure: number;
    homogeneity: number;
    completeness: number;
    contingency: { clusters: number[]; classes: string[]; counts: number[][] };
  } | null;
  /** 2-D map (PCA of the LSA embedding), one point per input row; null for documents without terms. */
  map: { x: (number | null)[]; y: (number | null)[]; explainedVarianceRatio: [number, number] };
  outputs: { out: string | null };
  warnings: string[];
  timings: {
    loadSeconds: number;
    tokenizeSeconds: number;
    tfidfSeconds: number;
    lsaSeconds: number;
    clusterSeconds: number;
    summarySeconds: number;
    writeSeconds: number;
    totalSeconds: number;
  };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

function preview(text: string | null, length = 100): string {
  const t = (text ?? "").replace(/\s+/g, " ").trim();
  return t.length <= length ? t : `${t.slice(0, length - 3)}...`;
}

/** Runs `clusterlab text`: reads the table, clusters the documents, writes `--out`, returns the report. */
export async function runText(args: TextArgs, io: CommandIO): Promise<TextReport> {
  const start = performance.now();
  const table = await readTable(args.file, { format: args.format, delimiter: args.delimiter, header: args.header });
  const texts = documentTexts(table, args.textColumns);
  const classes = args.labelColumn !== undefined ? labelValues(table, args.labelColumn) : undefined;
  const loadSeconds = secondsSince(start);
  const progress = progressPrinter(io, !args.quiet && table.nRows > 20_000);
  progress(`loaded ${table.nRows} documents from ${args.file} in ${loadSeconds.toFixed(2)}s`);
  const logger = memoryLogger();
  const result = clusterDocuments(texts, {
    ...(args.k !== null && { nClusters: args.k }),
    algorithm: args.algo,
    lsa: args.lsa,
    tokenizer: {
      stem: args.stem,
      minLength: args.minLength,
      numbers: args.numbers,
      ...(!args.stopWords && { stopWords: null }),
    },
    tfidf: {
      minDf: args.minDf,
      maxDf: args.maxDf,
      ...(args.maxFeatures !== undefined && { maxFeatures: args.maxFeatures }),
    },
    ...(args.minClusterSize !== undefined && { minClusterSize: args.minClusterSize }),
    nTopTerms: args.topTerms,
    ...(classes !== undefined && { labels: classes }),
    seed: args.seed,
    logger,
  });
  progress(`${result.nClusters} clusters in ${result.timings.totalSeconds.toFixed(2)}s`);
  const writeStart = performance.now();
  if (args.out) await writeTable(args.out, table, { cluster: result.labels });
  const writeSeconds = secondsSince(writeStart);
  const n = result.nDocuments;
  const num = (v: number) => (Number.isNaN(v) ? null : round(v, 5));
  return {
    input: args.file,
    textColumns: args.textColumns,
    labelColumn: args.labelColumn ?? null,
    nDocuments: n,
    nEmpty: result.nEmpty,
    nNoise: result.nNoise,
    vocabularySize: result.vocabularySize,
    algorithm: result.algorithm,
    params: {
      k: args.k,
      lsa: args.lsa,
      minDf: args.minDf,
      maxDf: args.maxDf,
      maxFeatures: args.maxFeatures ?? null,
      stem: args.stem,
      stopWords: args.stopWords,
      minLength: args.minLength,
      numbers: args.numbers,
      minClusterSize: args.algo === "hdbscan" ? (args.minClusterSize ?? 10) : null,
      seed: args.seed,
    },
    lsa: { nComponents: result.lsa.nComponents, explainedVarianceRatio: round(result.lsa.explainedVarianceRatio, 6) },
    nClusters: result.nClusters,
    clusters: result.clusters.map((c) => ({
      cluster: c.cluster,
      size: c.size,
      share: round(c.size / n, 6),
      topTerms: c.topTerms.map((t) => ({ term: t.term, weight: round(t.weight, 6) })),
      representatives: c.representatives.map((r) => ({
        row: r.index,
        similarity: round(r.similarity, 6),
        preview: preview(texts[r.index]),
      })),
    })),
    external: result.external
      ? {
          ...result.external,
          adjustedRandIndex: round(result.external.adjustedRandIndex, 6),
          normalizedMutualInfo: round(result.external.normalizedMutualInfo, 6),
          vMeasure: round(result.external.vMeasure, 6),
          homogeneity: round(result.external.homogeneity, 6),
          completeness: round(result.external.completeness, 6),
        }
      : null,
    map: {
      x: Array.from(result.map.x, num),
      y: Array.from(result.map.y, num),
      explainedVarianceRatio: [
        round(result.map.explainedVarianceRatio[0], 6),
        round(result.map.explainedVarianceRatio[1], 6),
      ],
    },
    outputs: { out: args.out ?? null },
    warnings: [...logger.messages],
    timings: { loadSeconds, ...result.timings, writeSeconds, totalSeconds: secondsSince(start) },
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function dfText(b: DocumentFrequencyBound): string {
  return typeof b === "number" ? String(b) : `${b.proportion} (proportion)`;
}

/** The human-readable report of `clusterlab text`. */
export function formatTextReport(r: TextReport): string {
  const out: string[] = [];
  const p = r.params;
  out.push(
    `${r.input}: ${r.nDocuments} documents (text: ${r.textColumns.join(", ")}), ${r.vocabularySize} terms (min-df ${dfText(p.minDf)}, max-df ${dfText(p.maxDf)}${p.stem ? ", Porter stems" : ""}, sublinear tf)`,
  );
  const space =
    r.lsa.nComponents > 0
      ? `LSA ${r.lsa.nComponents} dimensions (${(100 * r.lsa.explainedVarianceRatio).toFixed(1)}% of the TF-IDF variance)`
      : "TF-IDF rows";
  const algo =
    r.algorithm === "kmeans"
      ? "spherical k-means (cosine)"
      : r.algorithm === "agglomerative"
        ? "agglomerative (average linkage, cosine)"
        : `HDBSCAN (min cluster size ${p.minClusterSize})`;
  out.push(`${algo} on ${space}: ${r.nClusters} clusters`);
  const minus = [r.nEmpty > 0 ? `${r.nEmpty} without terms` : "", r.nNoise > 0 ? `${r.nNoise} noise` : ""].filter(
    (s) => s !== "",
  );
  if (minus.length > 0) out.push(`Cluster -1: ${minus.join(", ")}`);
  for (const c of r.clusters) {
    out.push("");
    out.push(`cluster ${c.cluster}: ${c.size} documents (${(100 * c.share).toFixed(1)}%)`);
    if (c.topTerms.length > 0) out.push(`  top terms: ${c.topTerms.map((t) => t.term).join(", ")}`);
    for (const d of c.representatives) out.push(`  row ${d.row}: ${preview(d.preview, 90)}`);
  }
  if (r.external) {
    const e = r.external;
    out.push("");
    out.push(
      `Against ${JSON.stringify(r.labelColumn)}: ARI ${e.adjustedRandIndex.toFixed(3)}, NMI ${e.normalizedMutualInfo.toFixed(3)}, V-measure ${e.vMeasure.toFixed(3)} (homogeneity ${e.homogeneity.toFixed(3)}, completeness ${e.completeness.toFixed(3)})`,
    );
    const width = Math.max(7, ...e.contingency.classes.map((c) => c.length + 2));
    out.push((pad("cluster", 9) + e.contingency.classes.map((c) => pad(c, width)).join("")).trimEnd());
    e.contingency.clusters.forEach((c, i) => {
      out.push((pad(String(c), 9) + e.contingency.counts[i].map((v) => pad(String(v), width)).join("")).trimEnd());
    });
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  out.push("");
  if (r.outputs.out) out.push(`Wrote ${r.outputs.out} (input rows + cluster)`);
  const t = r.timings;
  out.push(
    `Time: load ${t.loadSeconds.toFixed(2)}s, tokenize ${t.tokenizeSeconds.toFixed(2)}s, tf-idf ${t.tfidfSeconds.toFixed(2)}s, lsa ${t.lsaSeconds.toFixed(2)}s, cluster ${t.clusterSeconds.toFixed(2)}s, total ${t.totalSeconds.toFixed(2)}s`,
  );
  return `${out.join("\n")}\n`;
}
