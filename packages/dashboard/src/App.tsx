import { useCallback, useEffect, useMemo, useState } from "react";
import {
  ApiRequestError,
  api,
  type ClusterResult,
  type DatasetDetail,
  type DatasetSummary,
  type ServerConfig,
  type SweepResult,
} from "./api.js";
import { dendrogramFigure } from "./charts/dendrogram.js";
import { profileFigure } from "./charts/profile.js";
import { scatterFigure } from "./charts/scatter.js";
import { silhouetteFigure } from "./charts/silhouette.js";
import { sizesFigure } from "./charts/sizes.js";
import { sweepFigure } from "./charts/sweep.js";
import { ChartCard } from "./components/ChartCard.js";
import { ControlPanel, K_MAX, K_MIN, type Settings } from "./components/ControlPanel.js";
import { MetricsCards } from "./components/MetricsCards.js";
import { Plot } from "./components/Plot.js";
import { PreviewTable } from "./components/PreviewTable.js";

/** Delay after the last change before clustering again (the k slider fires on every step). */
const CLUSTER_DEBOUNCE_MS = 200;
const SWEEP_DEBOUNCE_MS = 350;

/** "3 ms", "<1 ms", "1.2 s". */
function formatDuration(seconds: number): string {
  if (seconds < 0.001) return "<1 ms";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds.toFixed(1)} s`;
}

function message(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

const INITIAL: Settings = {
  dataset: "",
  columns: [],
  scaling: "standard",
  algorithm: "kmeans",
  k: 3,
  linkage: "ward",
  covarianceType: "full",
};

const ALGORITHM_NAMES: Record<Settings["algorithm"], string> = {
  kmeans: "k-means",
  "minibatch-kmeans": "mini-batch k-means",
  "bisecting-kmeans": "bisecting k-means",
  gmm: "Gaussian mixture",
  agglomerative: "agglomerative",
};

export function App() {
  const [config, setConfig] = useState<ServerConfig | null>(null);
  const [datasets, setDatasets] = useState<DatasetSummary[]>([]);
  const [detail, setDetail] = useState<DatasetDetail | null>(null);
  const [settings, setSettings] = useState<Settings>(INITIAL);
  const [result, setResult] = useState<ClusterResult | null>(null);
  const [sweep, setSweep] = useState<SweepResult | null>(null);
  const [clustering, setClustering] = useState(false);
  const [sweeping, setSweeping] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const change = useCallback((patch: Partial<Settings>) => setSettings((s) => ({ ...s, ...patch })), []);

  useEffect(() => {
    Promise.all([api.config(), api.datasets()])
      .then(([c, list]) => {
        setConfig(c);
        setDatasets(list.datasets);
        const first = c.openDataset ?? list.datasets[0]?.id ?? "";
        setSettings((s) => ({ ...s, dataset: first }));
      })
      .catch((e: unknown) => setError(message(e)));
  }, []);

  // A new dataset: load its columns and tick the suggested numeric ones.
  useEffect(() => {
    if (!settings.dataset) return;
    let cancelled = false;
    setDetail(null);
    setResult(null);
    setSweep(null);
    api
      .dataset(settings.dataset)
      .then((d) => {
        if (cancelled) return;
        setDetail(d);
        setSettings((s) => ({ ...s, columns: d.columns.filter((c) => c.numeric && c.suggested).map((c) => c.name) }));
      })
      .catch((e: unknown) => !cancelled && setError(message(e)));
    return () => {
      cancelled = true;
    };
  }, [settings.dataset]);

  const ready =
    detail !== null &&
    detail.id === settings.dataset &&
    settings.columns.length > 0 &&
    settings.columns.every((name) => detail.columns.some((c) => c.name === name));

  const { dataset, columns, scaling, algorithm, k, linkage, covarianceType } = settings;
  const clusterKey = JSON.stringify([dataset, columns, scaling, algorithm, k, linkage, covarianceType]);
  const sweepKey = JSON.stringify([dataset, columns, scaling]);

  // Re-cluster (debounced) whenever a setting changes; a newer request cancels the older one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: clusterKey stands for every setting used
  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setClustering(true);
      api
        .cluster(
          { dataset, columns, scaling, algorithm, params: { k, linkage, covarianceType }, seed: 0 },
          controller.signal,
        )
        .then((r) => {
          setResult(r);
          setError(null);
        })
        .catch((e: unknown) => {
          if (!isAbort(e)) setError(message(e));
        })
        .finally(() => {
          if (!controller.signal.aborted) setClustering(false);
        });
    }, CLUSTER_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [clusterKey, ready]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: sweepKey stands for every setting used
  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSweeping(true);
      api
        .sweep({ dataset, columns, scaling, kMin: K_MIN, kMax: K_MAX, seed: 0 }, controller.signal)
        .then(setSweep)
        .catch((e: unknown) => {
          if (!isAbort(e)) setError(message(e));
        })
        .finally(() => {
          if (!controller.signal.aborted) setSweeping(false);
        });
    }, SWEEP_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [sweepKey, ready]);

  const upload = useCallback(
    (file: File) => {
      setUploading(true);
      api
        .upload(file)
        .then(async ({ dataset: uploaded }) => {
          const list = await api.datasets();
          setDatasets(list.datasets);
          change({ dataset: uploaded.id });
          setError(null);
        })
        .catch((e: unknown) => setError(message(e)))
        .finally(() => setUploading(false));
    },
    [change],
  );

  const figures = useMemo(() => {
    if (!result) return null;
    return {
      scatter: scatterFigure(result.projection, result.k, result.columns),
      sizes: sizesFigure(result.sizes),
      silhouette: result.silhouette ? silhouetteFigure(result.silhouette, result.metrics.silhouette) : null,
      profile: profileFigure(result.profile, result.sizes),
      dendrogram: result.dendrogram ? dendrogramFigure(result.dendrogram, result.k) : null,
    };
  }, [result]);
  const sweepFig = useMemo(() => (sweep ? sweepFigure(sweep, result?.k ?? null) : null), [sweep, result?.k]);

  const current = datasets.find((d) => d.id === settings.dataset);
  const downloadName = `${(current?.name ?? "dataset").replace(/\.[^.]*$/, "")}-clusters.csv`;
  const busy = clustering || sweeping || uploading;
  const stale = result !== null && (result.dataset !== settings.dataset || clustering);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            <i style={{ background: "#4e79a7" }} />
            <i style={{ background: "#f28e2b" }} />
            <i style={{ background: "#59a14f" }} />
          </span>
          <span className="brand-name">Clusterlab</span>
          <span className="brand-sub">Clustering dashboard</span>
        </div>
        <div className={`status${busy ? " status-busy" : ""}`} data-testid="status" aria-live="polite">
          {uploading ? "Uploading…" : clustering ? "Clustering…" : sweeping ? "Scoring k…" : "Ready"}
        </div>
      </header>
      <div className="layout">
        <ControlPanel
          datasets={datasets}
          detail={detail}
          settings={settings}
          maxUploadMb={config?.maxUploadMb ?? 100}
          uploading={uploading}
          downloadUrl={result && !stale ? api.labelledCsvUrl(result.runId) : null}
          downloadName={downloadName}
          onChange={change}
          onUpload={upload}
          onError={setError}
        />
        <main className="results" data-testid="results" data-busy={busy ? "true" : "false"} data-run={result?.runId}>
          {busy ? <div className="progress" aria-hidden="true" /> : null}
          {error ? (
            <div className="banner banner-error" role="alert" data-testid="error">
              <span>{error}</span>
              <button type="button" className="banner-close" onClick={() => setError(null)} aria-label="Dismiss">
                ×
              </button>
            </div>
          ) : null}
          <div className="results-header">
            <div>
              <h1>{current?.name ?? "…"}</h1>
              <p className="muted">
                {detail
                  ? `${detail.nRows.toLocaleString("en-US")} rows · ${detail.columns.length} columns · ${settings.columns.length} features`
                  : "Loading the dataset…"}
                {result && !stale
                  ? ` · ${ALGORITHM_NAMES[result.algorithm]}, k = ${result.k}, fitted in ${formatDuration(result.timings.fitSeconds)}`
                  : ""}
              </p>
            </div>
          </div>
          {result?.warnings.length ? (
            <div className="banner banner-warning" data-testid="warnings">
              {result.warnings.map((w) => (
                <div key={w}>{w}</div>
              ))}
            </div>
          ) : null}
          {detail && settings.columns.length === 0 ? (
            <div className="banner banner-info">
              Choose at least one feature column on the left to cluster the rows.
            </div>
          ) : null}
          {result ? <MetricsCards result={result} /> : <div className="metrics metrics-placeholder" />}
          {figures && result ? (
            <div className="grid">
              <ChartCard
                title="Clusters on the first two principal components"
                subtitle={
                  result.projection.sampled
                    ? `A sample of ${result.projection.x.length.toLocaleString("en-US")} rows; crosses mark the cluster means`
                    : "Each point is a row; crosses mark the cluster means. Hover a point to see its values."
                }
                wide
                busy={stale}
                testId="card-scatter"
              >
                <Plot figure={figures.scatter} testId="scatter" height={440} />
              </ChartCard>
              {figures.dendrogram ? (
                <ChartCard
                  title="Dendrogram"
                  subtitle="The last 30 merges; leaves in brackets stand for several rows. The dashed line cuts the tree into k clusters."
                  wide
                  busy={stale}
                  testId="card-dendrogram"
                >
                  <Plot figure={figures.dendrogram} testId="dendrogram" height={360} />
                </ChartCard>
              ) : null}
              <ChartCard title="Cluster sizes" subtitle="Rows in each cluster" busy={stale} testId="card-sizes">
                <Plot figure={figures.sizes} testId="sizes" height={320} />
              </ChartCard>
              <ChartCard
                title="Silhouette plot"
                subtitle={
                  result.silhouette && result.silhouette.sampleSize < result.nRows
                    ? `Per row, sorted within each cluster (a sample of ${result.silhouette.sampleSize.toLocaleString("en-US")} rows)`
                    : "Per row, sorted within each cluster; the dashed line is the mean"
                }
                busy={stale}
                testId="card-silhouette"
              >
                {figures.silhouette ? (
                  <Plot figure={figures.silhouette} testId="silhouette" height={320} />
                ) : (
                  <p className="empty">The silhouette needs at least two non-empty clusters.</p>
                )}
              </ChartCard>
              <ChartCard
                title="Choosing k"
                subtitle={sweep ? sweep.suggestion.reason : "Scoring k-means for k = 2 to 12…"}
                busy={sweeping}
                testId="card-sweep"
              >
                {sweepFig ? (
                  <Plot
                    figure={sweepFig}
                    testId="sweep"
                    height={320}
                    onClickX={(x) => {
                      if (Number.isInteger(x) && x >= K_MIN && x <= K_MAX) change({ k: x });
                    }}
                  />
                ) : (
                  <div className="skeleton" style={{ height: 320 }} />
                )}
              </ChartCard>
              <ChartCard
                title="Cluster profiles"
                subtitle="Feature means per cluster, coloured by how far they sit from the overall mean (in standard deviations)"
                busy={stale}
                testId="card-profile"
              >
                <Plot
                  figure={figures.profile}
                  testId="profile"
                  height={Math.max(320, Math.min(460, 90 + result.k * 34))}
                />
              </ChartCard>
            </div>
          ) : (
            <div className="grid">
              <div className="card card-wide skeleton" style={{ height: 480 }} />
              <div className="card skeleton" style={{ height: 360 }} />
              <div className="card skeleton" style={{ height: 360 }} />
            </div>
          )}
          {detail ? (
            <ChartCard title="Data preview" subtitle={`The first ${detail.preview.length} rows`} wide>
              <PreviewTable dataset={detail} />
            </ChartCard>
          ) : null}
        </main>
      </div>
    </div>
  );
}
