import { formatMetric } from "@clusterlab/charts";
import { useCallback, useEffect, useState } from "react";
import { type RunList, type RunSummary, runsApi } from "../api.js";
import { ChartCard } from "../components/ChartCard.js";
import { paramsText, runTitle, settingsFromRun, whenText } from "../runSettings.js";
import type { PageContext } from "./registry.js";

const PAGE_SIZE = 25;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The saved runs (every clustering of the Cluster page, kept in the lab store): a table to open a
 * run again on the Cluster page, pin it, download its labelled CSV, delete it, or pick two to
 * compare on the Compare page.
 */
export function RunsPage(ctx: PageContext) {
  const { datasets, openCluster, onError, result } = ctx;
  const [dataset, setDataset] = useState<string>("");
  const [pinnedOnly, setPinnedOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<RunList | null>(null);
  const [loading, setLoading] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [opening, setOpening] = useState<string | null>(null);

  const load = useCallback(() => {
    setLoading(true);
    return runsApi
      .list({
        ...(dataset && { dataset }),
        ...(pinnedOnly && { pinned: true }),
        limit: PAGE_SIZE,
        offset,
      })
      .then(setList)
      .catch((e: unknown) => onError(message(e)))
      .finally(() => setLoading(false));
  }, [dataset, pinnedOnly, offset, onError]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (confirming === null) return;
    const t = setTimeout(() => setConfirming(null), 4000);
    return () => clearTimeout(t);
  }, [confirming]);

  const open = (run: RunSummary) => {
    setOpening(run.id);
    runsApi
      .get(run.id)
      .then((detail) => openCluster(settingsFromRun(detail.settings)))
      .catch((e: unknown) => onError(message(e)))
      .finally(() => setOpening(null));
  };

  const togglePin = (run: RunSummary) => {
    runsApi
      .patch(run.id, { pinned: !run.pinned })
      .then((r) =>
        setList((l) => (l ? { ...l, runs: l.runs.map((x) => (x.id === r.id ? { ...x, pinned: r.pinned } : x)) } : l)),
      )
      .catch((e: unknown) => onError(message(e)));
  };

  const remove = (run: RunSummary) => {
    if (confirming !== run.id) {
      setConfirming(run.id);
      return;
    }
    setConfirming(null);
    runsApi
      .remove(run.id)
      .then(() => {
        setPicked((p) => p.filter((id) => id !== run.id));
        return load();
      })
      .catch((e: unknown) => onError(message(e)));
  };

  const pick = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const pickedRuns = picked.map((id) => list?.runs.find((r) => r.id === id)).filter((r) => r !== undefined);
  const sameDataset = pickedRuns.length === 2 && pickedRuns[0].dataset === pickedRuns[1].dataset;

  const total = list?.total ?? 0;
  const runs = list?.runs ?? [];

  return (
    <div className="runs-page" data-testid="runs-page">
      <div className="runs-head">
        <div>
          <h1>Saved runs</h1>
          <p className="muted">
            Every clustering made on the Cluster page is saved in the data directory's store and survives a restart. The
            latest {list?.historyPerDataset ?? 50} per dataset are kept; pin a run (★) to keep it for good.
          </p>
        </div>
        <div className="runs-toolbar">
          <label className="runs-field">
            <span>Dataset</span>
            <select
              value={dataset}
              data-testid="runs-dataset"
              onChange={(e) => {
                setDataset(e.target.value);
                setOffset(0);
              }}
            >
              <option value="">All datasets</option>
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label className="runs-check">
            <input
              type="checkbox"
              checked={pinnedOnly}
              data-testid="runs-pinned-only"
              onChange={(e) => {
                setPinnedOnly(e.target.checked);
                setOffset(0);
              }}
            />
            Pinned only
          </label>
          <button type="button" className="runs-button" onClick={() => void load()} disabled={loading}>
            Refresh
          </button>
          <a
            className={`runs-button runs-primary${sameDataset ? "" : " disabled"}`}
            aria-disabled={!sameDataset}
            href={sameDataset ? `#/compare?a=${pickedRuns[0].id}&b=${pickedRuns[1].id}` : undefined}
            data-testid="runs-compare"
            title={
              sameDataset
                ? "See how the clusters of the two runs map onto each other"
                : "Tick two runs of the same dataset to compare them"
            }
          >
            Compare {picked.length === 2 ? "the two runs" : `(${picked.length}/2 ticked)`}
          </a>
        </div>
      </div>

      {list?.saveError ? (
        <div className="banner banner-warning" data-testid="runs-save-error">
          {list.saveError}: the runs being saved then are missing from this list.
        </div>
      ) : null}
      <ChartCard
        title={loading && !list ? "Loading…" : `${total.toLocaleString("en-US")} run${total === 1 ? "" : "s"}`}
        subtitle={
          total > 0
            ? "Newest first. Open restores the settings on the Cluster page and shows the same clusters."
            : undefined
        }
        wide
        busy={loading && list !== null}
        testId="runs-card"
      >
        {runs.length === 0 && !loading ? (
          <div className="empty" data-testid="runs-empty">
            {pinnedOnly
              ? "No pinned runs yet."
              : "No runs yet: cluster a dataset on the Cluster page and it shows up here."}
          </div>
        ) : (
          <div className="runs-table-wrap">
            <table className="runs-table" data-testid="runs-table">
              <thead>
                <tr>
                  <th aria-label="Compare" />
                  <th aria-label="Pinned" />
                  <th>Run</th>
                  <th>Dataset</th>
                  <th>When</th>
                  <th className="num">k</th>
                  <th>Parameters</th>
                  <th className="num" title="Silhouette: −1 to 1, higher is better">
                    Silhouette
                  </th>
                  <th className="num" title="Calinski-Harabasz: higher is better">
                    CH
                  </th>
                  <th className="num" title="Davies-Bouldin: lower is better">
                    DB
                  </th>
                  <th className="num">Rows</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => {
                  const current = result?.runId === run.id;
                  return (
                    <tr
                      key={run.id}
                      data-testid="run-row"
                      data-run={run.id}
                      className={`${current ? "current" : ""}${picked.includes(run.id) ? " picked" : ""}`}
                    >
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Compare ${runTitle(run)}`}
                          checked={picked.includes(run.id)}
                          onChange={() => pick(run.id)}
                          data-testid="run-pick"
                        />
                      </td>
                      <td>
                        <button
                          type="button"
                          className={`runs-star${run.pinned ? " on" : ""}`}
                          onClick={() => togglePin(run)}
                          aria-pressed={run.pinned}
                          title={
                            run.pinned ? "Pinned: kept until deleted. Click to unpin" : "Pin: keep this run for good"
                          }
                          data-testid="run-pin"
                        >
                          {run.pinned ? "★" : "☆"}
                        </button>
                      </td>
                      <td>
                        <div className="runs-title">
                          {runTitle(run)}
                          {current ? <span className="runs-badge">shown</span> : null}
                        </div>
                        <div className="runs-sub" title={run.columns.join(", ")}>
                          {run.columns.length} feature{run.columns.length === 1 ? "" : "s"} · {run.scaling} scaling
                        </div>
                      </td>
                      <td>{run.datasetName}</td>
                      <td title={new Date(run.created).toLocaleString()}>{whenText(run.created)}</td>
                      <td className="num">{run.k}</td>
                      <td className="runs-params">{paramsText(run.params) || "—"}</td>
                      <td className="num">{formatMetric(run.metrics.silhouette)}</td>
                      <td className="num">{formatMetric(run.metrics.calinskiHarabasz)}</td>
                      <td className="num">{formatMetric(run.metrics.daviesBouldin)}</td>
                      <td className="num">
                        {run.nRows.toLocaleString("en-US")}
                        {run.nNoise > 0 ? (
                          <div className="runs-sub">{run.nNoise.toLocaleString("en-US")} noise</div>
                        ) : null}
                      </td>
                      <td className="runs-actions">
                        <button
                          type="button"
                          className="runs-button runs-primary"
                          onClick={() => open(run)}
                          disabled={opening === run.id}
                          data-testid="run-open"
                        >
                          {opening === run.id ? "Opening…" : "Open"}
                        </button>
                        <a
                          className="runs-button"
                          href={runsApi.fileUrl(run.id, "labelled.csv")}
                          download
                          data-testid="run-csv"
                          title="Every row of the file plus the cluster column"
                        >
                          CSV
                        </a>
                        <button
                          type="button"
                          className={`runs-button runs-danger${confirming === run.id ? " confirm" : ""}`}
                          onClick={() => remove(run)}
                          data-testid="run-delete"
                        >
                          {confirming === run.id ? "Delete?" : "Delete"}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {total > PAGE_SIZE ? (
          <div className="runs-pager">
            <button
              type="button"
              className="runs-button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
            >
              ← Newer
            </button>
            <span className="muted">
              {offset + 1}–{Math.min(total, offset + PAGE_SIZE)} of {total}
            </span>
            <button
              type="button"
              className="runs-button"
              disabled={offset + PAGE_SIZE >= total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
              data-testid="runs-older"
            >
              Older →
            </button>
          </div>
        ) : null}
      </ChartCard>
    </div>
  );
}
