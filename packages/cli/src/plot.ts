import { statSync } from "node:fs";
import { extname } from "node:path";
import { PLOT_KINDS, type PlotKind, plotModel, runSpec, savePlot } from "@clusterlab/lab";
import { type Command, Option } from "commander";
import type { CommandIO } from "./io.js";
import { intOption, listOption, type RawOptions, slowProgress, specOfRunArgs } from "./run.js";
import { addSpecFlags, SPEC_FLAG_ATTRIBUTES, specFromFlags } from "./specFlags.js";
import { UsageError } from "./usage.js";

/** The parsed `clusterlab plot` command line. */
export interface PlotArgs {
  command: "plot";
  /** `--spec FILE`: an analysis spec; the data file and the flags override its fields. */
  spec?: string;
  /** The spec flags given (commander attribute -> value; the data file as `data`). */
  specFlags: Record<string, string | boolean | string[]>;
  kind: PlotKind;
  /** The chart to write: `.html` (self-contained page, plotly.js inlined) or `.json` (the chart spec). */
  out: string;
  kMin?: number;
  kMax?: number;
  features?: string[];
  maxPoints?: number;
  title?: string;
  quiet: boolean;
}

/** Registers `clusterlab plot` on the program. */
export function plotCommand(program: Command, onParsed: (args: PlotArgs) => void): Command {
  const cmd = program
    .command("plot")
    .description("fit a model and write one of its charts (Plotly) as a self-contained HTML page or JSON")
    .argument("[file]", "input table (the spec's --data)")
    .addOption(new Option("--kind <kind>", "the chart").choices(PLOT_KINDS).makeOptionMandatory())
    .requiredOption(
      "--out <file>",
      "the chart to write: .html (plotly.js inlined, no network) or .json (the chart spec)",
    )
    .option("--spec <file>", "an analysis spec (JSON); the file and the flags override its fields");
  return addSpecFlags(cmd)
    .option("--k-min <n>", "elbow / bic: smallest k (default 2)")
    .option("--k-max <n>", "elbow / bic: largest k (default 10)")
    .option("--features <list>", "distribution: comma-separated numeric features (default: all, at most 12)")
    .option("--max-points <n>", "cluster / tsne / umap: most points drawn")
    .option("--title <text>", "the chart's title")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Kinds: cluster (PCA scatter with centres), tsne, umap, elbow, silhouette, sizes, profile,
distribution, and per method: dendrogram (agglomerative), reachability (OPTICS, DBSCAN),
condensedTree (HDBSCAN), bic (gmm). A kind that does not apply lists the ones that do.

Examples:
  clusterlab plot examples/data/iris.csv --target target --kind elbow --out iris-elbow.html
  clusterlab plot examples/data/iris.csv --algo hdbscan --min-cluster-size 10 --kind condensedTree --out tree.json`,
    )
    .action((file: string | undefined, opts: RawOptions, command: Command) =>
      onParsed(plotArgs(file, opts, (key) => command.getOptionValueSource(key) === "cli")),
    );
}

/** Parses the options of `clusterlab plot`. */
export function plotArgs(
  file: string | undefined,
  opts: RawOptions,
  isGiven: (attribute: string) => boolean = (key) => opts[key] !== undefined,
): PlotArgs {
  const out = String(opts.out ?? "");
  if (![".html", ".htm", ".json"].includes(extname(out).toLowerCase())) {
    throw new UsageError(`invalid --out: ${JSON.stringify(out)} (write a .html or a .json file)`);
  }
  const kind = String(opts.kind ?? "");
  if (!(PLOT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`invalid --kind: ${JSON.stringify(kind)} (kinds: ${PLOT_KINDS.join(", ")})`);
  }
  const specFlags: PlotArgs["specFlags"] = {};
  for (const key of SPEC_FLAG_ATTRIBUTES) {
    const value = (opts as Record<string, string | boolean | string[] | undefined>)[key];
    if (value !== undefined && isGiven(key)) specFlags[key] = value;
  }
  if (file !== undefined) specFlags.data = file;
  const spec = opts.spec === undefined ? undefined : String(opts.spec);
  if (spec === undefined && specFlags.data === undefined && specFlags.dataset === undefined) {
    throw new UsageError("give the data: `clusterlab plot file.csv --kind ...` (or --spec spec.json)");
  }
  // Check the flags now (a bad value is a usage error, exit 2).
  specFromFlags(spec === undefined ? undefined : {}, specFlags, (key) => specFlags[key] !== undefined);
  const args: PlotArgs = { command: "plot", specFlags, kind: kind as PlotKind, out, quiet: opts.quiet === true };
  if (spec !== undefined) args.spec = spec;
  const kMin = intOption(opts, "kMin", "--k-min", 1);
  const kMax = intOption(opts, "kMax", "--k-max", 2);
  const maxPoints = intOption(opts, "maxPoints", "--max-points", 10);
  if (kMin !== undefined) args.kMin = kMin;
  if (kMax !== undefined) args.kMax = kMax;
  if (maxPoints !== undefined) args.maxPoints = maxPoints;
  const features = listOption(opts, "features", "--features");
  if (features) args.features = features;
  if (opts.title !== undefined) args.title = String(opts.title);
  return args;
}

/** What `clusterlab plot` prints. */
export interface PlotSummary {
  out: string;
  bytes: number;
  kind: PlotKind;
  title: string;
  algorithm: string;
  nClusters: number;
  traces: number;
}

/** Runs `clusterlab plot`: runs the spec (not saved in the store), builds the chart, writes it. */
export async function runPlot(args: PlotArgs, io: CommandIO): Promise<PlotSummary> {
  const progress = slowProgress(io, args.quiet);
  // The spec file (if any) with the flags applied, as `clusterlab run` reads it.
  const spec = await specOfRunArgs({
    command: "run",
    ...(args.spec !== undefined && { spec: args.spec }),
    specFlags: args.specFlags,
    printSpec: false,
    save: false,
    json: false,
    quiet: args.quiet,
  });
  progress(`fitting the spec's model...`);
  const result = await runSpec(spec);
  const model = { algorithm: result.spec.algorithm.name, labels: result.labels, result, analysis: result.analysis };
  progress(`${args.kind} chart of ${model.algorithm}...`);
  const chart = await plotModel(model, result.table, args.kind, {
    ...(args.kMin !== undefined && { kMin: args.kMin }),
    ...(args.kMax !== undefined && { kMax: args.kMax }),
    ...(args.features && { features: args.features }),
    ...(args.maxPoints !== undefined && { maxPoints: args.maxPoints }),
    ...(args.title !== undefined && { title: args.title }),
  });
  await savePlot(chart, args.out);
  return {
    out: args.out,
    bytes: statSync(args.out).size,
    kind: chart.kind,
    title: chart.title,
    algorithm: model.algorithm,
    nClusters: result.nClusters,
    traces: chart.figure.data.length,
  };
}

/** One line for people. */
export function formatPlotSummary(s: PlotSummary): string {
  const size = s.bytes >= 1e6 ? `${(s.bytes / 1e6).toFixed(1)} MB` : `${(s.bytes / 1e3).toFixed(1)} kB`;
  return `wrote ${s.out} (${size}): ${s.kind} of ${s.algorithm} (${s.nClusters} clusters), ${s.traces} trace${s.traces === 1 ? "" : "s"}\n`;
}
