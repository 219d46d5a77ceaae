import { formatMetric, sankeyFigure } from "@clusterlab/charts";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  type Algorithm,
  api,
  type CompareResult,
  type CompareRowResult,
  type JobStatus,
  newJobId,
  type RunComparison,
  type RunSummary,
  runsApi,
} from "../api.js";
import { ChartCard } from "../components/ChartCard.js";
import { ALGORITHM_LABELS } from "../components/ControlPanel.js";
import { Plot } from "../components/Plot.js";
import { runTitle, type SortKey, sortRows, sortValue, whenText } from "../runSettings.js";
import type { PageContext } from "./registry.js";

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `#/compare?a=...&b=...` -> the two run ids. */
function runsFromHash(): { a: string | null; b: string | null } {
  const q = new URLSearchParams(window.location.hash.split("?")[1] ?? "");
  return { a: q.get("a"), b: q.get("b") };
}

interface Column {
  key: SortKey;
  label: string;
  title?: string;
  /** Which end is better (for the default direction and the highlight). */
  better?: "high" | "low";
  format: (r: CompareRowResult) => string;
  external?: boolean;
}

const COLUMNS: Column[] = [
  { key: "rank", label: "Rank", format: (r) => (r.rank === null ? "—" : String(r.rank)) },
  { key: "title", label: "Algorithm", format: (r) => r.title },
  { key: "nClusters", label: "Clusters", format: (r) => (r.nClusters === null ? "—" : String(r.nClusters)) },
  {
    key: "noiseShare",
    label: "Noise",
    format: (r) => (r.noiseShare === null ? "—" : `${Math.round(r.noiseShare * 100)}%`),
  },
  {
    key: "silhouette",
    label: "Silhouette",
    title: "Mean silhouette (−1 to 1), noise left out: higher is better",
    better: "high",
    format: (r) => formatMetric(r.silhouette),
  },
  {
    key: "calinskiHarabasz",
    label: "Calinski-Harabasz",
    title: "Between- over within-cluster dispersion: higher is better",
    better: "high",
    format: (r) => formatMetric(r.calinskiHarabasz),
  },
  {
    key: "daviesBouldin",
    label: "Davies-Bouldin",
    title: "Average similarity of each cluster with its closest: lower is better",
    better: "low",
    format: (r) => formatMetric(r.daviesBouldin),
  },
  {
    key: "adjustedRand",
    label: "ARI",
    title: "Adjusted Rand index against the label column (1: the same partition, 0: chance)",
    better: "high",
    format: (r) => formatMetric(r.adjustedRand),
    external: true,
  },
  {
    key: "normalizedMutualInfo",
    label: "NMI",
    title: "Normalised mutual information against the label column (0 to 1)",
    better: "high",
    format: (r) => formatMetric(r.normalizedMutualInfo),
    external: true,
  },
  {
    key: "fitSeconds",
    label: "Fit",
    better: "low",
    format: (r) =>
      r.fitSeconds === null
        ? "—"
        : r.fitSeconds < 1
          ? `${Math.round(r.fitSeconds * 1000)} ms`
          : `${r.fitSeconds.toFixed(1)} s`,
  },
];

const DASHBOARD_ALGORITHMS = new Set<string>(Object.keys(ALGORITHM_LABELS));

/** The model comparison (every algorithm ranked on the current features) and the Sankey of two saved runs. */
export function ComparePage(ctx: PageContext) {
  return (
    <div className="runs-page" data-testid="compare-page">
      <div className="runs-head">
        <div>
          <h1>Compare</h1>
          <p className="muted">
            Rank every algorithm on the Cluster page's dataset and features, and see how the clusters of two saved runs
            map onto each other.
          </p>
        </div>
      </div>
      <ModelComparison {...ctx} />
      <RunFlow {...ctx} />
    </div>
  );
}

function ModelComparison({ detail, settings, datasets, openCluster, onError }: PageContext) {
  const [k, setK] = useState<string>("auto");
  const [target, setTarget] = useState<string>("auto");
  const [result, setResult] = useState<CompareResult | null>(null);
  const [job, setJob] = useState<JobStatus | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "rank", descending: false });
  const abort = useRef<AbortController | null>(null);

  const datasetName = datasets.find((d) => d.id === settings.dataset)?.name ?? settings.dataset;
  const ready = detail !== null && detail.id === settings.dataset && settings.columns.length > 0;
  const candidates = useMemo(
    () => (detail ? detail.columns.map((c) => c.name).filter((c) => !settings.columns.includes(c)) : []),
    [detail, settings.columns],
  );
  const stale =
    result !== null &&
    (result.dataset !== settings.dataset || result.columns.join("\u0000") !== settings.columns.join("\u0000"));

  // Progress of the running comparison.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      api
        .job(running)
        .then(setJob)
        .catch(() => {});
    }, 300);
    return () => clearInterval(timer);
  }, [running]);

  useEffect(() => () => abort.current?.abort(), []);

  const run = () => {
    const jobId = newJobId("compare");
    const controller = new AbortController();
    abort.current = controller;
    setRunning(jobId);
    setJob(null);
    runsApi
      .compareModels(
        {
          dataset: settings.dataset,
          columns: settings.columns,
          scaling: settings.scaling,
          ...(k !== "auto" && { k: Number(k) }),
          ...(target === "none" ? { target: null } : target !== "auto" ? { target } : {}),
          jobId,
        },
        controller.signal,
      )
      .then((r) => {
        setResult(r);
        setSort({ key: "rank", descending: false });
      })
      .catch((e: unknown) => {
        if ((e as Error).name !== "AbortError" && !message(e).startsWith("cancelled")) onError(message(e));
      })
      .finally(() => {
        setRunning(null);
        setJob(null);
      });
  };

  const cancel = () => {
    if (running) void api.cancelJob(running).catch(() => {});
  };

  const shown = result ? sortRows(result.rows, sort.key, sort.descending) : [];
  const hasExternal = result?.target != null;
  const columns = COLUMNS.filter((c) => !c.external || hasExternal);
  const best = (c: Column): number | null => {
    if (!result || !c.better) return null;
    const values = result.rows
      .filter((r) => r.status === "ok")
      .map((r) => sortValue(r, c.key))
      .filter((v): v is number => typeof v === "number");
    if (values.length === 0) return null;
    return c.better === "high" ? Math.max(...values) : Math.min(...values);
  };
  const bests = new Map(columns.map((c) => [c.key, best(c)]));

  const header = (c: Column) => {
    const on = sort.key === c.key;
    const click = () =>
      setSort((s) =>
        s.key === c.key ? { key: c.key, descending: !s.descending } : { key: c.key, descending: c.better === "high" },
      );
    return (
      <th
        key={c.key}
        className={c.key === "title" ? "" : "num"}
        title={c.title}
        aria-sort={on ? (sort.descending ? "descending" : "ascending") : "none"}
      >
        <button type="button" className={`runs-sort${on ? " on" : ""}`} onClick={click} data-testid={`sort-${c.key}`}>
          {c.label}
          <span aria-hidden="true">{on ? (sort.descending ? " ▼" : " ▲") : ""}</span>
        </button>
      </th>
    );
  };

  return (
    <ChartCard
      title="Model comparison"
      subtitle={
        ready
          ? `${datasetName} · ${settings.columns.length} feature${settings.columns.length === 1 ? "" : "s"} · ${settings.scaling} scaling — every algorithm fitted with the same preprocessing (lab's compareModels), ranked by silhouette`
          : "Open a dataset and choose feature columns on the Cluster page first"
      }
      wide
      testId="compare-models"
      busy={running !== null}
    >
      <div className="runs-toolbar compare-toolbar">
        <label className="runs-field">
          <span>k for the k-based algorithms</span>
          <select value={k} onChange={(e) => setK(e.target.value)} data-testid="compare-k">
            <option value="auto">best silhouette of a k-means sweep</option>
            {Array.from({ length: 11 }, (_, i) => i + 2).map((v) => (
              <option key={v} value={String(v)}>
                k = {v}
              </option>
            ))}
          </select>
        </label>
        <label className="runs-field">
          <span>Label column (ARI, NMI)</span>
          <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="compare-target">
            <option value="auto">detect (target, label, class, species…)</option>
            <option value="none">none</option>
            {candidates.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <button type="button" className="runs-button runs-danger" onClick={cancel} data-testid="compare-cancel">
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="runs-button runs-primary"
            disabled={!ready}
            onClick={run}
            data-testid="compare-run"
          >
            {result ? "Run again" : "Compare algorithms"}
          </button>
        )}
      </div>
      {running ? (
        <div className="compare-progress" data-testid="compare-progress">
          <div className="jobbar">
            <i style={{ width: `${Math.round((job?.progress ?? 0) * 100)}%` }} />
          </div>
          <span className="muted small">{job?.message ?? "starting…"}</span>
        </div>
      ) : null}
      {result ? (
        <>
          <p className="muted small compare-meta" data-testid="compare-meta">
            k = {result.k} ({result.kReason}) ·{" "}
            {result.target ? (
              <>
                compared with the label column <b>{result.target}</b>
              </>
            ) : (
              "no label column: internal metrics only"
            )}{" "}
            · {result.seconds.toFixed(1)} s{stale ? " · the features changed since: run again" : ""}
          </p>
          {result.warnings.length ? (
            <div className="banner banner-warning">
              {result.warnings.map((w) => (
                <div key={w}>{w}</div>
              ))}
            </div>
          ) : null}
          <div className="runs-table-wrap">
            <table className="runs-table compare-table" data-testid="compare-table">
              <thead>
                <tr>
                  {columns.map(header)}
                  <th />
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr
                    key={r.algorithm}
                    data-testid="compare-row"
                    data-algorithm={r.algorithm}
                    className={r.status === "ok" ? "" : "muted-row"}
                  >
                    {columns.map((c) => {
                      const v = sortValue(r, c.key);
                      const isBest = r.status === "ok" && c.better && v !== null && v === bests.get(c.key);
                      return (
                        <td key={c.key} className={`${c.key === "title" ? "" : "num"}${isBest ? " best" : ""}`}>
                          {c.key === "title" ? (
                            <>
                              <div className="runs-title">{r.title}</div>
                              {r.status !== "ok" ? (
                                <div className="runs-sub" title={r.error ?? ""}>
                                  {r.status}: {(r.error ?? "").replace(/^skipped: /, "")}
                                </div>
                              ) : r.k !== null ? (
                                <div className="runs-sub">k = {r.k}</div>
                              ) : null}
                            </>
                          ) : (
                            c.format(r)
                          )}
                        </td>
                      );
                    })}
                    <td className="runs-actions">
                      {r.status === "ok" && DASHBOARD_ALGORITHMS.has(r.algorithm) ? (
                        <button
                          type="button"
                          className="runs-button"
                          onClick={() =>
                            openCluster({
                              algorithm: r.algorithm as Algorithm,
                              ...(r.k !== null && { k: r.k, cutHeight: null }),
                            })
                          }
                          title="Open this algorithm on the Cluster page"
                        >
                          Open
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : !running ? (
        <div className="empty">
          Fits every algorithm on the current features and ranks them: silhouette, Calinski-Harabasz and Davies-Bouldin,
          plus ARI and NMI when the data has a label column.
        </div>
      ) : null}
    </ChartCard>
  );
}

function RunFlow({ settings, onError }: PageContext) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const initial = useMemo(runsFromHash, []);
  const [a, setA] = useState<string | null>(initial.a);
  const [b, setB] = useState<string | null>(initial.b);
  const [comparison, setComparison] = useState<RunComparison | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    runsApi
      .list({ limit: 200 })
      .then((l) => {
        setRuns(l.runs);
        // Default: the two newest runs of the Cluster page's dataset.
        const mine = l.runs.filter((r) => r.dataset === settings.dataset);
        setA((x) => x ?? mine[1]?.id ?? null);
        setB((x) => x ?? mine[0]?.id ?? null);
      })
      .catch((e: unknown) => onError(message(e)));
  }, [settings.dataset, onError]);

  useEffect(() => {
    if (!a || !b) {
      setComparison(null);
      return;
    }
    let cancelled = false;
    setLoading(true);
    runsApi
      .compareRuns(a, b)
      .then((c) => !cancelled && setComparison(c))
      .catch((e: unknown) => {
        if (cancelled) return;
        setComparison(null);
        onError(message(e));
      })
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [a, b, onError]);

  const runA = runs?.find((r) => r.id === a) ?? null;
  const optionsB = runs?.filter((r) => !runA || r.dataset === runA.dataset) ?? [];
  const label = (r: RunSummary) => `${runTitle(r)} — ${r.datasetName}, ${whenText(r.created)}`;
  const figure = useMemo(
    () =>
      comparison
        ? sankeyFigure(comparison, {
            nameA: `A: ${runTitle(comparison.a)}`,
            nameB: `B: ${runTitle(comparison.b)}`,
          })
        : null,
    [comparison],
  );
  const height = comparison
    ? Math.max(360, Math.min(720, 36 * Math.max(comparison.labelsA.length, comparison.labelsB.length) + 160))
    : 360;

  return (
    <ChartCard
      title="How two runs' clusters map onto each other"
      subtitle="Each band is the rows in a cluster of run A (left) and a cluster of run B (right). Run B's clusters take the colour of the cluster of A they overlap most (a one-to-one matching), so corresponding clusters share a colour."
      wide
      testId="compare-flow"
      busy={loading}
    >
      <div className="runs-toolbar compare-toolbar">
        <label className="runs-field runs-field-wide">
          <span>Run A</span>
          <select
            value={a ?? ""}
            onChange={(e) => {
              setA(e.target.value || null);
              const next = runs?.find((r) => r.id === e.target.value);
              if (next && runB(runs, b)?.dataset !== next.dataset) setB(null);
            }}
            data-testid="flow-a"
          >
            <option value="">Choose a saved run…</option>
            {(runs ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {label(r)}
              </option>
            ))}
          </select>
        </label>
        <label className="runs-field runs-field-wide">
          <span>Run B (same dataset)</span>
          <select value={b ?? ""} onChange={(e) => setB(e.target.value || null)} data-testid="flow-b">
            <option value="">Choose a saved run…</option>
            {optionsB.map((r) => (
              <option key={r.id} value={r.id}>
                {label(r)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {comparison && figure ? (
        <>
          <div className="compare-scores" data-testid="flow-scores">
            <div className="metric">
              <div className="metric-label">Adjusted Rand index</div>
              <div className="metric-value" data-testid="flow-ari">
                {formatMetric(comparison.adjustedRand)}
              </div>
              <div className="metric-hint">1: the same partition, 0: chance agreement</div>
            </div>
            <div className="metric">
              <div className="metric-label">Normalised mutual information</div>
              <div className="metric-value">{formatMetric(comparison.normalizedMutualInfo)}</div>
              <div className="metric-hint">0 to 1, higher is closer</div>
            </div>
            <div className="metric">
              <div className="metric-label">Rows compared</div>
              <div className="metric-value">{comparison.rowsCompared.toLocaleString("en-US")}</div>
              <div className="metric-hint">clustered in both runs (noise included)</div>
            </div>
          </div>
          <Plot figure={figure} testId="sankey" height={height} />
        </>
      ) : (
        <div className="empty" data-testid="flow-empty">
          {runs && runs.length < 2
            ? "Save at least two runs of a dataset (cluster it twice on the Cluster page) to compare them."
            : "Choose two runs of the same dataset."}
        </div>
      )}
    </ChartCard>
  );
}

function runB(runs: RunSummary[] | null, id: string | null): RunSummary | undefined {
  return runs?.find((r) => r.id === id);
}
