/**
 * The standalone HTML report: one self-contained file (styles, the report page's script with
 * Plotly inlined, and the data as JSON) that opens from disk with no network access.
 *
 * `buildReportPayload` runs the same analysis as the dashboard's API (`runClusterJob`,
 * `runSweepJob`, in-process) and `profileTable` for the data summary; `renderReportHtml` writes
 * the page around the bundle built by `packages/dashboard/vite.report.config.ts`.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DataError,
  escapeHtml,
  jsonForScript,
  numericMatrix,
  profileTable,
  scriptForHtml,
  type Table,
} from "@clusterlab/lab";
import { buildStructure, fitAlgorithm, runSweep, structureSpec, usesStructure } from "./algorithms.js";
import { type LabelSource, prepare, rowLimit, runViewJob } from "./analysis.js";
import { ALGORITHM_PARAMS, type ClusterParams, K_ALGORITHMS, type Scaling, type SweepResult } from "./api.js";
import { resolveParams } from "./params.js";
import type { ReportAlgorithm, ReportColumn, ReportParams, ReportPayload } from "./reportPayload.js";
import { VERSION } from "./version.js";

export type * from "./reportPayload.js";
// Safe embedding of JSON, scripts and text in the page: lab's (shared with plotModel's HTML files).
export { escapeHtml, jsonForScript, scriptForHtml };

/** Largest k of the choice-of-k sweep (lowered to n - 1). */
export const REPORT_SWEEP_K_MAX = 10;

/** What to analyse for a report. */
export interface ReportOptions {
  /** Name shown for the input (a path is reduced to its base name). */
  input: string;
  /** Feature columns. Default: the columns whose inferred role is numeric (not ids or the target). */
  columns?: readonly string[];
  /** Columns to leave out. */
  exclude?: readonly string[];
  /** Default "standard". */
  scaling?: Scaling;
  /** Default "kmeans". */
  algorithm?: ReportAlgorithm;
  /**
   * The algorithm's parameters (`ClusterParams`: k, linkage, covariance type, eps, min samples, ...);
   * the others are ignored. Defaults as the dashboard's (k 3, ward linkage, full covariance, ...).
   */
  params?: Partial<ReportParams>;
  /** Default 0. */
  seed?: number;
  /** Drop rows with missing values in the features (default true, as the dashboard). */
  dropMissing?: boolean;
  /** Compute the k-means choice-of-k sweep (default: for the algorithms with a k). */
  sweep?: boolean;
  /** Largest k of the sweep (default 10, and at least k). */
  sweepKMax?: number;
  /** Page title. Default "Clustering report: <input>". */
  title?: string;
  /** The report's time (tests pin it). Default now. */
  createdAt?: Date;
}

/** Runs the analysis and returns the report's data (plain JSON). Bad input throws `DataError`. */
export function buildReportPayload(table: Table, options: ReportOptions): ReportPayload {
  const input = basename(options.input);
  const seed = options.seed ?? 0;
  const scaling = options.scaling ?? "standard";
  const algorithm = options.algorithm ?? "kmeans";
  const params: ReportParams = resolveParams(algorithm, options.params ?? {});
  const hasK = K_ALGORITHMS.includes(algorithm) && (params.distanceThreshold ?? null) === null;
  const dropMissing = options.dropMissing ?? true;
  const exclude = [...(options.exclude ?? [])];
  const profile = profileTable(table, { seed });
  const excluded = new Set(exclude);
  let columns = options.columns ? [...options.columns] : undefined;
  if (!columns) {
    const numericRole = profile.columns.filter((c) => c.role === "numeric" && !excluded.has(c.name)).map((c) => c.name);
    // Nothing inferred as a numeric feature: fall back to every numeric column (numericMatrix's default).
    columns = numericRole.length > 0 ? numericRole : undefined;
  }
  const m = numericMatrix(table, { columns, exclude, dropMissing, dropMissingHint: "--drop-missing" });
  const n = m.matrix.rows;
  if (n < 2) throw new DataError(`too few rows to cluster: the selection has ${n}`);
  if (hasK) {
    const k = params.k as number;
    if (!Number.isInteger(k) || k < 2) throw new DataError(`invalid k: ${k} (must be an integer >= 2)`);
    if (k > n) throw new DataError(`invalid k: ${k} (must be <= the number of rows, ${n})`);
  }
  if (algorithm === "agglomerative" && params.linkage === "ward" && params.metric !== "euclidean") {
    throw new DataError(
      `invalid metric: ${JSON.stringify(params.metric)} (ward linkage works only with "euclidean"; choose complete, average or single linkage for another distance)`,
    );
  }
  const limit = rowLimit(algorithm, params, m.columns.length);
  if (limit && n > limit[1]) {
    throw new DataError(
      `${algorithm === "agglomerative" ? `agglomerative clustering (${params.linkage} linkage)` : algorithm} is limited to ${limit[1]} rows (this selection has ${n}); use a k-means variant, or fewer rows`,
    );
  }
  // The dashboard's pipeline, in-process: scale + PCA, fit (or the linkage tree, OPTICS ordering,
  // HDBSCAN hierarchy), then the views.
  const jobParams: ClusterParams = params;
  const prepared = prepare(m.matrix, scaling, seed);
  const fitStart = performance.now();
  const source: LabelSource = usesStructure(algorithm)
    ? { kind: "structure", structure: buildStructure(prepared.Xs, structureSpec(algorithm, jobParams)) }
    : { kind: "fit", fit: fitAlgorithm(prepared.Xs, algorithm, jobParams, seed), precomputed: false };
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const out = runViewJob({
    X: m.matrix,
    Xs: prepared.Xs,
    columns: m.columns,
    display: prepared.display,
    seed,
    algorithm,
    params: jobParams,
    source,
    withGeometry: true,
  });
  const rowIndex = m.rowIndex;
  const projection = {
    ...out.projection,
    geometryId: "report",
    geometryOmitted: false,
    row: rowIndex ? out.projection.row.map((r) => rowIndex[r]) : out.projection.row,
  };
  const warnings = [...out.warnings];
  if (m.rowsDropped > 0) {
    warnings.unshift(`${m.rowsDropped} of ${table.nRows} rows have missing values in the features and were left out`);
  }

  let sweep: SweepResult | null = null;
  let sweepRange: { kMin: number; kMax: number } | null = null;
  if ((options.sweep ?? hasK) && n >= 3) {
    const kMax = Math.min(Math.max(options.sweepKMax ?? REPORT_SWEEP_K_MAX, hasK ? (params.k as number) : 2), n - 1);
    sweepRange = { kMin: 2, kMax };
    const s = runSweep(prepared.Xs, seed, 2, kMax);
    sweep = {
      ks: s.ks,
      inertia: s.inertia,
      silhouette: s.silhouette,
      calinskiHarabasz: s.calinskiHarabasz,
      daviesBouldin: s.daviesBouldin,
      elbow: s.elbow,
      suggestion: s.suggestion,
      nRows: n,
      rowsDropped: m.rowsDropped,
    };
  }

  const used = new Set(m.columns);
  const dataColumns: ReportColumn[] = profile.columns.map((c) => ({
    name: c.name,
    type: c.type,
    role: c.role,
    reason: c.reason,
    missing: c.missing,
    distinct: c.distinct,
    used: used.has(c.name),
  }));
  return {
    version: 1,
    title: options.title ?? `Clustering report: ${input}`,
    createdAt: (options.createdAt ?? new Date()).toISOString(),
    clusterlabVersion: VERSION,
    data: {
      nRows: table.nRows,
      nColumns: table.columns.length,
      columns: dataColumns,
      missing: { cells: profile.missing.cells, rows: profile.missing.rows },
      target: profile.target,
      hopkins: profile.hopkins
        ? { value: profile.hopkins.statistic, interpretation: profile.hopkins.interpretation }
        : null,
    },
    spec: {
      input,
      columns: m.columns,
      exclude,
      scaling,
      algorithm,
      // Only the algorithm's own parameters, with those worked out by the fit (DBSCAN's eps).
      params: Object.fromEntries(
        ALGORITHM_PARAMS[algorithm].map((name) => [name, out.resolved[name] ?? params[name] ?? null]),
      ) as ReportParams,
      seed,
      dropMissing,
      sweep: sweepRange,
    },
    cluster: {
      nRows: n,
      rowsDropped: m.rowsDropped,
      k: out.k,
      sizes: out.sizes,
      nNoise: out.nNoise,
      metrics: out.metrics,
      projection,
      silhouette: out.silhouette,
      profile: out.profile,
      dendrogram: out.dendrogram,
      reachability: out.reachability,
      condensedTree: out.condensedTree,
      fitSeconds,
    },
    sweep,
    warnings,
  };
}

/** The report page's script and styles (`@clusterlab/dashboard`'s `dist-report/`). */
export interface ReportAssets {
  js: string;
  css: string;
}

/** The built report bundle's folder. */
export function defaultReportAssetsDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve("@clusterlab/dashboard/package.json")), "dist-report");
  } catch {
    return fileURLToPath(new URL("../../dashboard/dist-report/", import.meta.url));
  }
}

/** Reads `report.js` and `report.css`; a missing build is a one-line error naming the fix. */
export function loadReportAssets(dir: string = defaultReportAssetsDir()): ReportAssets {
  const js = join(dir, "report.js");
  if (!existsSync(js)) {
    throw new DataError(`the report page is not built (${js} is missing): run \`npm run build\``);
  }
  const css = join(dir, "report.css");
  return { js: readFileSync(js, "utf8"), css: existsSync(css) ? readFileSync(css, "utf8") : "" };
}

/** The id of the payload's `<script type="application/json">` element. */
export const REPORT_DATA_ID = "clusterlab-report-data";

/** The whole report page: template, inlined styles and script, and the payload. */
export function renderReportHtml(payload: ReportPayload, assets: ReportAssets = loadReportAssets()): string {
  const css = assets.css.replace(/<\/style/gi, "<\\/style");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Clusterlab ${escapeHtml(payload.clusterlabVersion)}">
<title>${escapeHtml(payload.title)}</title>
<style>
${css}
</style>
</head>
<body>
<div id="report" data-ready="false"><noscript>This report draws its charts with JavaScript: allow scripts for this file to see them.</noscript></div>
<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScript(payload)}</script>
<script>
${scriptForHtml(assets.js)}
</script>
</body>
</html>
`;
}
