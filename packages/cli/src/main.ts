import { ClusterlabError } from "@clusterlab/core";
import { formatAnomaliesReport, runAnomalies } from "./anomalies.js";
import { parseArgs, UsageError } from "./args.js";
import { clusterSpecText, runCluster } from "./cluster.js";
import { formatCompareReport, runCompare } from "./compare.js";
import { runEngineCommand } from "./engine.js";
import { formatGenerateReport, runGenerate } from "./generate.js";
import { formatHtmlReportSummary, runHtmlReport } from "./htmlReport.js";
import { formatImageReport, runImage } from "./image.js";
import { type CommandIO, processIO } from "./io.js";
import { formatPlotSummary, runPlot } from "./plot.js";
import { runPredict } from "./predict.js";
import { formatProfileReport, runProfile } from "./profile.js";
import { formatClusterReport, formatPredictReport } from "./report.js";
import { formatRfmReport, runRfm } from "./rfm.js";
import { formatRunReport, printSpecText, runRun } from "./run.js";
import { formatRunsReport, runRuns } from "./runs.js";
import { formatSegmentsReport, runSegments } from "./segments.js";
import { formatSocialReport, runSocial } from "./social.js";
import { formatSweepReport, runSweep } from "./sweep.js";
import { formatTextReport, runText } from "./text.js";
import { extractThreads, installThreads, THREADS_HELP } from "./threads.js";

/** Exit code of a successful run. */
export const EXIT_OK = 0;
/** Exit code for bad data or a failed run (missing file, no numeric column, k > n, ...). */
export const EXIT_FAILURE = 1;
/** Exit code for a bad command line (unknown flag, invalid number, missing argument). */
export const EXIT_USAGE = 2;

/** One line: the message's first line (DuckDB and others can be multi-line). */
function oneLine(message: string): string {
  const lines = message.split("\n").map((l) => l.trim());
  return lines.find((l) => l !== "") ?? "unknown error";
}

/**
 * Entry point of the `clusterlab` command: runs the command line `argv` (without `node` and the
 * script) and returns the process exit code. Errors are printed as one line on stderr,
 * `clusterlab: error: <message>`, with a stack trace only when CLUSTERLAB_DEBUG=1.
 * The global option `--threads <n>` (default: the available cores) sets the threads of the numeric
 * kernels for the command (see threads.ts); its worker threads are terminated before returning.
 */
export async function main(argv: readonly string[], io: CommandIO = processIO): Promise<number> {
  const cleanup: { uninstall: (() => Promise<void>) | null } = { uninstall: null };
  try {
    return await dispatch(argv, io, cleanup);
  } finally {
    await cleanup.uninstall?.();
  }
}

async function dispatch(
  argv: readonly string[],
  io: CommandIO,
  cleanup: { uninstall: (() => Promise<void>) | null },
): Promise<number> {
  try {
    const global = extractThreads(argv);
    // `cluster --engine ...` runs pushed down into a SQL engine (its own flags: see engine.ts).
    const engineOutput = await runEngineCommand(global.argv, io);
    if (engineOutput !== undefined) {
      io.stdout(engineOutput);
      return EXIT_OK;
    }
    const parsed = parseArgs(global.argv);
    // The server runs its fits in its own worker pool.
    if (!["help", "version", "serve"].includes(parsed.command)) cleanup.uninstall = installThreads(global.threads);
    switch (parsed.command) {
      case "help":
      case "version":
        io.stdout(
          parsed.text.startsWith("Usage: clusterlab [options]") ? `${parsed.text}${THREADS_HELP}` : parsed.text,
        );
        return EXIT_OK;
      case "cluster": {
        if (parsed.printSpec) {
          io.stdout(await clusterSpecText(parsed));
          return EXIT_OK;
        }
        const report = await runCluster(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatClusterReport(report));
        return EXIT_OK;
      }
      case "predict": {
        const report = await runPredict(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatPredictReport(report));
        return EXIT_OK;
      }
      case "profile": {
        const report = await runProfile(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report.profile)}\n` : formatProfileReport(report));
        return EXIT_OK;
      }
      case "serve": {
        // Loaded on demand: the server (Fastify) is not needed by the other commands.
        const { runServe } = await import("./serve.js");
        return await runServe(parsed, io);
      }
      case "rfm": {
        const report = await runRfm(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatRfmReport(report));
        return EXIT_OK;
      }
      case "generate": {
        const report = await runGenerate(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatGenerateReport(report));
        return EXIT_OK;
      }
      case "image": {
        const report = await runImage(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatImageReport(report));
        return EXIT_OK;
      }
      case "text": {
        const report = await runText(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatTextReport(report));
        return EXIT_OK;
      }
      case "run": {
        if (parsed.printSpec) {
          io.stdout(await printSpecText(parsed));
          return EXIT_OK;
        }
        const report = await runRun(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatRunReport(report));
        return EXIT_OK;
      }
      case "runs": {
        const report = await runRuns(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatRunsReport(report));
        return EXIT_OK;
      }
      case "sweep": {
        const report = await runSweep(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatSweepReport(report));
        return EXIT_OK;
      }
      case "anomalies": {
        const report = await runAnomalies(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatAnomaliesReport(report));
        return EXIT_OK;
      }
      case "compare": {
        const report = await runCompare(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatCompareReport(report));
        return EXIT_OK;
      }
      case "segments": {
        const report = await runSegments(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatSegmentsReport(report));
        return EXIT_OK;
      }
      case "report": {
        const summary = await runHtmlReport(parsed, io);
        io.stdout(formatHtmlReportSummary(summary));
        return EXIT_OK;
      }
      case "plot": {
        const summary = await runPlot(parsed, io);
        io.stdout(formatPlotSummary(summary));
        return EXIT_OK;
      }
      case "social": {
        const report = await runSocial(parsed, io);
        io.stdout(parsed.json ? `${JSON.stringify(report)}\n` : formatSocialReport(report));
        return EXIT_OK;
      }
    }
  } catch (error) {
    const debug = io.env.CLUSTERLAB_DEBUG === "1";
    const message = error instanceof Error ? error.message : String(error);
    const known = error instanceof UsageError || error instanceof ClusterlabError;
    const suffix = known || debug ? "" : " (unexpected error; set CLUSTERLAB_DEBUG=1 for a stack trace)";
    io.stderr(`clusterlab: error: ${oneLine(message)}${suffix}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
}
