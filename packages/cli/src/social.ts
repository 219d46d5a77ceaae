import { memoryLogger } from "@clusterlab/core";
import {
  type AccountClusterProfile,
  analyzeSocial,
  outputFormat,
  type PlantedSegmentComparison,
  POST_CLUSTER_ALGORITHMS,
  type PostClusterAlgorithm,
  type PostClusterProfile,
  SOCIAL_DEFAULT_COLUMNS,
  type SocialAnalysis,
  type SocialColumnMapping,
  type SocialColumnRole,
  type SocialColumnsOption,
  type SocialLevel,
  type SocialRateBasis,
  type SocialSweepEntry,
  socialAccountsTable,
  socialPostsTable,
  type TableFormat,
  type WhatWorksGroup,
  writeTable,
} from "@clusterlab/lab";
import { type Command, Option } from "commander";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";
import { UsageError } from "./usage.js";

// --- parsing (pure) -----------------------------------------------------------------------------

/** The parsed `clusterlab social` command line. */
export interface SocialArgs {
  command: "social";
  file: string;
  format?: TableFormat;
  delimiter?: string;
  header: boolean;
  /**
   * The column mapping from `--account`, `--timestamp`, `--likes`, ... (a column name) and
   * `--no-impressions`, `--no-followers`, ... (`null`: leave the role out). Roles not given take
   * the defaults of the bundled file (`SOCIAL_DEFAULT_COLUMNS`).
   */
  columns: SocialColumnsOption;
  /** `--timestamp-format`: strptime format of a text timestamp column. Default: ISO timestamps. */
  timestampFormat?: string;
  /** `--rate impressions|followers`: denominator of the engagement rate. Default: impressions when mapped. */
  rate?: SocialRateBasis;
  /** `--level accounts|posts`: what `--k` and `--out` are about. Default accounts. */
  level: SocialLevel;
  /** `--algo kmeans|gmm`: the post clustering (with `--level posts`). Default kmeans. */
  algo: PostClusterAlgorithm;
  /** `--k`: clusters of the level. Default: the best silhouette over 2..`kMax`. */
  k?: number;
  /** `--k-max`: largest k of the sweeps. Default 8. */
  kMax: number;
  seed: number;
  /** `--min-posts`: fewest posts for a level to be best or worst in "what works". Default 10. */
  minPosts: number;
  out?: string;
  json: boolean;
  quiet: boolean;
}

type RawOptions = Record<string, string | boolean | undefined>;

const FORMATS = ["csv", "tsv", "parquet", "json", "ndjson"] as const;
const LEVELS = ["accounts", "posts"] as const;
const INTEGER = /^[+-]?\d+$/;

/** The column flags: role, flag, attribute, whether `--no-<flag>` exists, help. */
const COLUMN_FLAGS: { role: SocialColumnRole; flag: string; key: string; optional: boolean; help: string }[] = [
  { role: "account", flag: "account", key: "account", optional: false, help: "column with the account" },
  { role: "timestamp", flag: "timestamp", key: "timestamp", optional: false, help: "column with the post time" },
  { role: "likes", flag: "likes", key: "likes", optional: true, help: "column with the likes" },
  { role: "comments", flag: "comments", key: "comments", optional: true, help: "column with the comments" },
  { role: "shares", flag: "shares", key: "shares", optional: true, help: "column with the shares" },
  { role: "impressions", flag: "impressions", key: "impressions", optional: true, help: "column with the impressions" },
  {
    role: "followers",
    flag: "followers",
    key: "followers",
    optional: true,
    help: "column with the account's followers",
  },
  { role: "type", flag: "type", key: "type", optional: true, help: "column with the post type" },
  { role: "text", flag: "text", key: "text", optional: true, help: "column with the post text" },
  { role: "postId", flag: "post-id", key: "postId", optional: true, help: "column with the post id" },
  {
    role: "segment",
    flag: "segment",
    key: "segment",
    optional: true,
    help: "column with known account segments, compared with the clusters (never a feature)",
  },
];

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

function checkOut(path: string): string {
  try {
    outputFormat(path);
  } catch (error) {
    throw new UsageError(`invalid --out: ${(error as Error).message}`);
  }
  return path;
}

/** Registers `clusterlab social` on the program; `onParsed` receives the parsed arguments. */
export function socialCommand(program: Command, onParsed: (args: SocialArgs) => void): Command {
  const cmd = program
    .command("social")
    .description("social-media posts: engagement features, account and post clusters, what works")
    .argument("<posts>", "posts table, one row per post (.csv, .tsv, .txt, .parquet, .json, .ndjson)");
  for (const c of COLUMN_FLAGS) {
    const ifPresent = c.optional && c.role !== "likes" && c.role !== "comments" && c.role !== "shares";
    cmd.option(
      `--${c.flag} <column>`,
      `${c.help} (default: "${SOCIAL_DEFAULT_COLUMNS[c.role]}"${ifPresent ? ", if present" : ""})`,
    );
    if (c.optional) cmd.option(`--no-${c.flag}`, `leave the ${c.flag.replace("-", " ")} column out`);
  }
  return cmd
    .option(
      "--timestamp-format <format>",
      "strptime format of a text timestamp column, e.g. %d/%m/%Y %H:%M (default: ISO timestamps)",
    )
    .addOption(
      new Option(
        "--rate <basis>",
        "engagement rate by impressions or by followers (default: impressions when there is such a column)",
      ).choices(["impressions", "followers"]),
    )
    .addOption(
      new Option("--level <level>", "what to cluster and write with --out: accounts, or posts (and accounts)")
        .choices(LEVELS)
        .default("accounts"),
    )
    .addOption(
      new Option("--algo <name>", "post clustering with --level posts: kmeans or gmm (diagonal Gaussian mixture)")
        .choices(POST_CLUSTER_ALGORITHMS)
        .default("kmeans"),
    )
    .option("-k, --k <n>", "number of clusters of the level (default: the best silhouette over 2..--k-max)")
    .option("--k-max <n>", "largest k tried when --k is not given", "8")
    .option("--seed <n>", "random seed of the clusterings", "0")
    .option("--min-posts <n>", "fewest posts for a type, hour, ... to be called best or worst", "10")
    .option("--out <file>", "write one row per account (or post, with --level posts) with features and cluster")
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line")
    .option("--json", "print one JSON object on stdout instead of the report")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Engagement = likes + comments + shares; the engagement rate is engagement / impressions (or / followers
without an impressions column). Column defaults match examples/data/social_posts_synthetic.csv.

Example:
  clusterlab social examples/data/social_posts_synthetic.csv --k 5 --out accounts.csv`,
    )
    .action((file: string, opts: RawOptions) => onParsed(socialArgs(file, opts)));
}

/** Parses the options of `clusterlab social` (as commander hands them over). */
export function socialArgs(file: string, opts: RawOptions): SocialArgs {
  const columns: SocialColumnsOption = {};
  for (const c of COLUMN_FLAGS) {
    const raw = opts[c.key];
    if (raw === undefined || raw === true) continue;
    if (raw === false) {
      columns[c.role] = null;
      continue;
    }
    const name = String(raw);
    if (name.trim() === "") throw new UsageError(`invalid --${c.flag}: "" (must be a column name)`);
    columns[c.role] = name;
  }
  if (columns.likes === null && columns.comments === null && columns.shares === null) {
    throw new UsageError("--no-likes, --no-comments and --no-shares leave no engagement count: keep at least one");
  }
  if (columns.impressions === null && columns.followers === null) {
    throw new UsageError("--no-impressions and --no-followers leave no denominator for the engagement rate: keep one");
  }
  const level = (opts.level as SocialLevel | undefined) ?? "accounts";
  const args: SocialArgs = {
    command: "social",
    file,
    header: opts.header !== false,
    columns,
    level,
    algo: (opts.algo as PostClusterAlgorithm | undefined) ?? "kmeans",
    kMax: intOption(opts, "kMax", "--k-max", 2) ?? 8,
    seed: intOption(opts, "seed", "--seed", 0) ?? 0,
    minPosts: intOption(opts, "minPosts", "--min-posts", 1) ?? 10,
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
  if (args.algo !== "kmeans" && level !== "posts") {
    throw new UsageError("--algo applies to the post clustering: add --level posts");
  }
  if (opts.rate !== undefined) {
    args.rate = opts.rate as SocialRateBasis;
    if (columns[args.rate] === null)
      throw new UsageError(`--rate ${args.rate} needs the ${args.rate} column: drop --no-${args.rate}`);
  }
  if (opts.format !== undefined) args.format = opts.format as TableFormat;
  if (opts.delimiter !== undefined) {
    const d = String(opts.delimiter);
    if (d === "") throw new UsageError('invalid --delimiter: "" (must be a character, "\\t" or "auto")');
    args.delimiter = d;
  }
  if (opts.timestampFormat !== undefined) {
    const f = String(opts.timestampFormat);
    if (!f.includes("%")) {
      throw new UsageError(`invalid --timestamp-format: ${JSON.stringify(f)} (a strptime format, e.g. %d/%m/%Y %H:%M)`);
    }
    args.timestampFormat = f;
  }
  const k = intOption(opts, "k", "--k", 1);
  if (k !== undefined) args.k = k;
  if (opts.out !== undefined) args.out = checkOut(String(opts.out));
  return args;
}

// --- running ------------------------------------------------------------------------------------

/** A clustering as reported. */
export interface SocialClusteringReport<P> {
  k: number;
  chosenBy: string;
  reason: string;
  features: string[];
  silhouette: number | null;
  sweep: SocialSweepEntry[] | null;
  profiles: P[];
}

/** What `clusterlab social` reports (the `--json` output). */
export interface SocialReport {
  input: string;
  columns: SocialColumnMapping;
  level: SocialLevel;
  nPosts: number;
  nAccounts: number;
  firstPost: string;
  lastPost: string;
  windowDays: number;
  rateBasis: SocialRateBasis;
  types: string[];
  /** Medians over accounts. */
  overall: { postsPerWeek: number; followers: number | null; medianRate: number };
  accounts: SocialClusteringReport<AccountClusterProfile>;
  /** Account clusters vs the segment column (when there is one). */
  comparison: PlantedSegmentComparison | null;
  /** With `--level posts`. */
  posts: (SocialClusteringReport<PostClusterProfile> & { algorithm: PostClusterAlgorithm }) | null;
  whatWorks: WhatWorksGroup[];
  warnings: string[];
  outputs: { out: string | null; rows: SocialLevel | null };
  timings: { analysisSeconds: number; writeSeconds: number; totalSeconds: number };
}

function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort();
  if (s.length === 0) return Number.NaN;
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Runs `clusterlab social`: engagement features (SQL in DuckDB), account clusters (and post
 * clusters with `--level posts`), what works per account cluster, the comparison with a segment
 * column; writes `--out` and returns the report.
 */
export async function runSocial(args: SocialArgs, io: CommandIO): Promise<SocialReport> {
  const start = performance.now();
  const progress = progressPrinter(io, !args.quiet);
  const logger = memoryLogger();
  const postsLevel = args.level === "posts";
  const result: SocialAnalysis = await analyzeSocial(args.file, {
    columns: args.columns,
    timestampFormat: args.timestampFormat,
    timestampFormatHint: "--timestamp-format",
    rateBasis: args.rate,
    format: args.format,
    delimiter: args.delimiter,
    header: args.header,
    level: args.level,
    accountClustering: { k: postsLevel ? undefined : args.k, kMax: args.kMax, seed: args.seed, logger },
    postClustering: {
      algorithm: args.algo,
      k: postsLevel ? args.k : undefined,
      kMax: args.kMax,
      seed: args.seed,
      logger,
    },
    minPosts: args.minPosts,
  });
  const analysed = performance.now();
  const { features, accounts, posts } = result;
  const warnings = [...features.warnings, ...new Set(logger.messages)];
  const writeStart = performance.now();
  if (args.out) {
    if (features.nPosts > PROGRESS_MIN_ROWS) progress(`writing ${args.out}...`);
    await writeTable(args.out, postsLevel ? socialPostsTable(result) : socialAccountsTable(result));
  }
  const followers = median(features.accounts.followers);
  return {
    input: args.file,
    columns: features.columns,
    level: args.level,
    nPosts: features.nPosts,
    nAccounts: features.nAccounts,
    firstPost: features.firstPost,
    lastPost: features.lastPost,
    windowDays: features.windowDays,
    rateBasis: features.rateBasis,
    types: features.types,
    overall: {
      postsPerWeek: median(features.accounts.postsPerWeek),
      followers: Number.isNaN(followers) ? null : followers,
      medianRate: median(features.accounts.medianRate),
    },
    accounts: {
      k: accounts.k,
      chosenBy: accounts.chosenBy,
      reason: accounts.reason,
      features: accounts.features,
      silhouette: accounts.silhouette,
      sweep: accounts.sweep,
      profiles: accounts.profiles,
    },
    comparison: result.comparison,
    posts: posts
      ? {
          algorithm: posts.algorithm,
          k: posts.k,
          chosenBy: posts.chosenBy,
          reason: posts.reason,
          features: posts.features,
          silhouette: posts.silhouette,
          sweep: posts.sweep,
          profiles: posts.profiles,
        }
      : null,
    whatWorks: result.whatWorks,
    warnings,
    outputs: { out: args.out ?? null, rows: args.out ? args.level : null },
    timings: {
      analysisSeconds: Math.round(analysed - start) / 1000,
      writeSeconds: secondsSince(writeStart),
      totalSeconds: secondsSince(start),
    },
  };
}

// --- report -------------------------------------------------------------------------------------

function num(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return "n/a";
  const [int, frac] = (Number.isInteger(x) ? x.toString() : x.toFixed(digits)).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+$)/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

function count(n: number, one: string): string {
  return `${num(n)} ${n === 1 ? one : `${one}s`}`;
}

function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : "n/a";
}

function table(header: string[], rows: string[][], left = 1): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, j) => (j < left ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ")}`.trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** `"video 45%"`: the largest share of a mix. */
function top(mix: Record<string, number>): string {
  const [name, share] = Object.entries(mix).sort((a, b) => b[1] - a[1])[0] ?? ["n/a", Number.NaN];
  return `${name} ${pct(share, 0)}`;
}

function sweepLine(sweep: SocialSweepEntry[] | null): string[] {
  if (!sweep) return [];
  return [
    `  silhouette by k: ${sweep.map((e) => `${e.k}: ${e.silhouette === null ? "n/a" : e.silhouette.toFixed(3)}`).join(", ")}`,
  ];
}

function how(chosenBy: string): string {
  return chosenBy === "user" ? "k given" : chosenBy === "silhouette" ? "k by the best silhouette" : `k by ${chosenBy}`;
}

/** The human-readable report of `clusterlab social`. */
export function formatSocialReport(report: SocialReport): string {
  const out: string[] = [];
  const c = report.columns;
  out.push(
    `Social media of ${report.input}: ${count(report.nPosts, "post")}, ${count(report.nAccounts, "account")}, ${report.firstPost.slice(0, 16)} to ${report.lastPost.slice(0, 16)} (${report.windowDays} days)`,
  );
  const mapped = (Object.keys(c) as SocialColumnRole[])
    .filter((r) => c[r] !== null)
    .map((r) => `${r} ${JSON.stringify(c[r])}`);
  out.push(`Columns: ${mapped.join(", ")}`);
  const parts = (["likes", "comments", "shares"] as const).filter((r) => c[r] !== null).join(" + ");
  out.push(`Engagement = ${parts}; engagement rate = engagement / ${report.rateBasis}`);
  const o = report.overall;
  out.push(
    `Per account (median): ${num(o.postsPerWeek)} posts/week${o.followers === null ? "" : `, ${num(o.followers, 0)} followers`}, engagement rate ${pct(o.medianRate, 2)}`,
  );
  out.push("");
  const a = report.accounts;
  out.push(
    `Account clusters: k-means on standardised ${a.features.length} features (${a.features.join(", ")}); k = ${a.k} (${how(a.chosenBy)}), silhouette ${a.silhouette === null ? "n/a" : a.silhouette.toFixed(3)}`,
  );
  out.push(...sweepLine(a.sweep));
  out.push(
    table(
      ["cluster", "name", "accounts", "posts/week", "followers", "eng. rate", "top type", "top daypart"],
      a.profiles.map((p) => [
        String(p.cluster),
        p.name,
        num(p.size),
        num(p.postsPerWeek.median),
        num(p.followers.median, 0),
        pct(p.medianRate.median, 2),
        top(p.typeMix),
        top(p.daypartMix),
      ]),
      2,
    ),
  );
  const cmp = report.comparison;
  if (cmp) {
    out.push("");
    out.push(
      `Account clusters vs the segment column ${JSON.stringify(c.segment)} (accounts; adjusted Rand index ${cmp.ari.toFixed(3)}):`,
    );
    out.push(
      table(
        ["segment", ...cmp.clusters.map((k) => `c${k}`)],
        cmp.segments.map((s, r) => [s, ...cmp.counts[r].map((v) => num(v))]),
      ),
    );
  }
  const p = report.posts;
  if (p) {
    out.push("");
    out.push(
      `Post clusters: ${p.algorithm === "gmm" ? "Gaussian mixture (diagonal)" : "k-means"} on standardised ${p.features.join(", ")}; k = ${p.k} (${how(p.chosenBy)}), silhouette ${p.silhouette === null ? "n/a" : p.silhouette.toFixed(3)}`,
    );
    out.push(...sweepLine(p.sweep));
    out.push(
      table(
        ["cluster", "name", "posts", "share", "lift", "eng. rate", "top type", "top daypart"],
        p.profiles.map((q) => [
          String(q.cluster),
          q.name,
          num(q.size),
          pct(q.share),
          `${q.lift.toFixed(2)}x`,
          pct(q.rate.median, 2),
          top(q.typeMix),
          top(q.daypartMix),
        ]),
        2,
      ),
    );
  }
  out.push("");
  out.push(
    "What works (lift = median over posts of the post's engagement rate / its account's median rate; 1.00x = a typical post):",
  );
  for (const g of report.whatWorks) {
    const label = g.cluster === null ? g.group : `cluster ${g.cluster} "${g.group}"`;
    out.push(
      `  ${label} (${count(g.accounts, "account")}, ${count(g.posts, "post")}, median rate ${pct(g.medianRate, 2)}):`,
    );
    for (const s of g.summary) out.push(`    ${s}`);
  }
  for (const w of report.warnings) out.push(`warning: ${w}`);
  if (report.outputs.out) {
    out.push(`\nWrote ${report.outputs.out} (one row per ${report.outputs.rows === "posts" ? "post" : "account"})`);
  }
  return `${out.join("\n")}\n`;
}
