import { DataError, openStore, type RunRecord, writeModelFile } from "@clusterlab/lab";
import type { Command } from "commander";
import type { CommandIO } from "./io.js";
import {
  formatRunReport,
  formatValue,
  intOption,
  type RawOptions,
  type RunReport,
  renderTable,
  runReport,
  slowProgress,
  storeDirFor,
} from "./run.js";
import { UsageError } from "./usage.js";

/** What `clusterlab runs` does. */
export const RUNS_ACTIONS = ["list", "show", "rerun", "delete"] as const;
export type RunsAction = (typeof RUNS_ACTIONS)[number];

/** The parsed `clusterlab runs` command line. */
export interface RunsArgs {
  command: "runs";
  action: RunsAction;
  /** The run id (or a unique prefix of it) for show / rerun / delete. */
  id?: string;
  store?: string;
  /** `--limit N` for list. Default 50. */
  limit: number;
  /** `--model FILE` for show: write the run's saved model. */
  model?: string;
  json: boolean;
  quiet: boolean;
}

/** Registers `clusterlab runs` on the program. */
export function runsCommand(program: Command, onParsed: (args: RunsArgs) => void): Command {
  return program
    .command("runs")
    .description("list, show, re-run or delete the runs saved in the store")
    .argument("[action]", `one of ${RUNS_ACTIONS.join(", ")} (default: list)`)
    .argument("[id]", "run id, or a unique prefix of it (show, rerun, delete)")
    .option("--store <dir>", "store directory (default: $CLUSTERLAB_HOME or ~/.clusterlab)")
    .option("--limit <n>", "most recent runs listed", "50")
    .option("--model <file>", "show: also write the run's fitted model as JSON")
    .option("--json", "print JSON on stdout instead of text")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Examples:
  clusterlab runs
  clusterlab runs show run-20250101-120000-ab12cd
  clusterlab runs rerun run-2025       (a unique prefix is enough)`,
    )
    .action((action: string | undefined, id: string | undefined, opts: RawOptions) =>
      onParsed(runsArgs(action, id, opts)),
    );
}

/** Parses the arguments of `clusterlab runs`. */
export function runsArgs(action: string | undefined, id: string | undefined, opts: RawOptions): RunsArgs {
  const a = action ?? "list";
  if (!(RUNS_ACTIONS as readonly string[]).includes(a)) {
    throw new UsageError(`invalid action: ${JSON.stringify(a)} (must be one of ${RUNS_ACTIONS.join(", ")})`);
  }
  if (a === "list" && id !== undefined) throw new UsageError(`runs list takes no run id (got ${JSON.stringify(id)})`);
  if (a !== "list" && (id === undefined || id.trim() === "")) throw new UsageError(`runs ${a} needs a run id`);
  const args: RunsArgs = {
    command: "runs",
    action: a as RunsAction,
    limit: intOption(opts, "limit", "--limit", 1) ?? 50,
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
  if (id !== undefined) args.id = id;
  if (opts.store !== undefined) args.store = String(opts.store);
  if (opts.model !== undefined) {
    if (a !== "show") throw new UsageError("--model applies to runs show");
    args.model = String(opts.model);
  }
  return args;
}

/** What `clusterlab runs` reports. */
export type RunsReport =
  | { action: "list"; store: string; runs: RunRecord[] }
  | {
      action: "show";
      store: string;
      run: RunRecord;
      labels: { rows: number; assigned: number };
      outputs: { model: string | null };
    }
  | { action: "rerun"; store: string; previous: RunRecord; identicalLabels: boolean; run: RunReport }
  | { action: "delete"; store: string; deleted: string };

/** Runs `clusterlab runs`. */
export async function runRuns(args: RunsArgs, io: CommandIO): Promise<RunsReport> {
  const store = await openStore(storeDirFor(args.store, io));
  switch (args.action) {
    case "list":
      return { action: "list", store: store.dir, runs: await store.listRuns({ limit: args.limit }) };
    case "show": {
      const run = await store.getRun(args.id!);
      const labels = await store.getLabels(run.id);
      let assigned = 0;
      for (const l of labels) if (l >= -1) assigned++;
      if (args.model) {
        const model = await store.getModel(run.id);
        if (!model) throw new DataError(`run ${run.id} has no model (it ${run.status})`);
        await writeModelFile(args.model, model);
      }
      return {
        action: "show",
        store: store.dir,
        run,
        labels: { rows: labels.length, assigned },
        outputs: { model: args.model ?? null },
      };
    }
    case "rerun": {
      const progress = slowProgress(io, args.quiet);
      const { result, previous, identicalLabels } = await store.rerun(args.id!, {
        onProgress: (event) => progress(event.message),
      });
      return {
        action: "rerun",
        store: store.dir,
        previous,
        identicalLabels,
        run: runReport(result, store, { out: null, model: null }),
      };
    }
    case "delete": {
      const run = await store.getRun(args.id!);
      await store.deleteRun(run.id);
      return { action: "delete", store: store.dir, deleted: run.id };
    }
  }
}

function dataOf(run: RunRecord): string {
  const data = run.spec.data;
  return "path" in data ? data.path : `dataset ${data.dataset}`;
}

/** The report for people. */
export function formatRunsReport(r: RunsReport): string {
  switch (r.action) {
    case "list": {
      if (r.runs.length === 0) return `no runs in ${r.store}\n`;
      const rows = r.runs.map((run) => [
        run.id,
        run.created.replace("T", " ").replace(/\.\d+Z$/, "Z"),
        run.status,
        run.algorithm,
        run.nClusters === null ? "" : String(run.nClusters),
        run.metrics ? formatValue(run.metrics.silhouette) : "",
        dataOf(run).split("/").pop() ?? "",
      ]);
      const lines = renderTable(["id", "created", "status", "algorithm", "k", "silhouette", "data"], rows, [
        false,
        false,
        false,
        false,
        true,
        true,
        false,
      ]);
      return `${lines.join("\n")}\n(${r.runs.length} run${r.runs.length === 1 ? "" : "s"} in ${r.store})\n`;
    }
    case "show": {
      const run = r.run;
      const lines = [
        `run ${run.id} (${run.status}, ${run.created})`,
        `data:      ${dataOf(run)} (relative to ${run.baseDir})`,
        `algorithm: ${run.algorithm}`,
      ];
      if (run.error) lines.push(`error:     ${run.error}`);
      if (run.nClusters !== null) {
        lines.push(`clusters:  ${run.nClusters}; labels for ${r.labels.assigned} of ${r.labels.rows} rows`);
      }
      if (run.metrics) {
        const m = run.metrics;
        lines.push(
          `metrics:   silhouette ${formatValue(m.silhouette)}, calinski-harabasz ${formatValue(m.calinskiHarabasz)}, davies-bouldin ${formatValue(m.daviesBouldin)}${m.external ? `, ARI ${formatValue(m.external.adjustedRand)}` : ""}`,
        );
      }
      if (run.timings) lines.push(`time:      ${run.timings.totalSeconds.toFixed(2)}s`);
      for (const w of run.warnings) lines.push(`warning:   ${w}`);
      lines.push("spec:");
      lines.push(
        ...JSON.stringify(run.spec, null, 2)
          .split("\n")
          .map((l) => `  ${l}`),
      );
      if (r.outputs.model) lines.push(`wrote ${r.outputs.model}`);
      return `${lines.join("\n")}\n`;
    }
    case "rerun":
      return `re-ran ${r.previous.id}: labels ${r.identicalLabels ? "identical" : "DIFFERENT"} to the saved run\n${formatRunReport(r.run)}`;
    case "delete":
      return `deleted run ${r.deleted} from ${r.store}\n`;
  }
}
