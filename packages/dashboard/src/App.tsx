import { clusterColor, clusterName } from "@clusterlab/charts";
import { useCallback, useEffect, useRef, useState } from "react";
import {
  ALGORITHM_PARAMS,
  ApiRequestError,
  api,
  type BicSweepResult,
  type ClustermapResult,
  type ClusterParams,
  type ClusterResult,
  type DatasetDetail,
  type DatasetSummary,
  type JobStatus,
  newJobId,
  type ServerConfig,
  type SweepResult,
} from "./api.js";
import { ChartCard } from "./components/ChartCard.js";
import {
  ALGORITHM_LABELS,
  ControlPanel,
  DEFAULT_SETTINGS,
  K_MAX,
  K_MIN,
  type Settings,
  USES_K,
} from "./components/ControlPanel.js";
import { MetricsCards } from "./components/MetricsCards.js";
import { PreviewTable } from "./components/PreviewTable.js";
import { type ProjectionGeometry, ResultsGrid } from "./components/ResultsGrid.js";
import { StatusBar } from "./components/StatusBar.js";
import { PAGES, type PageContext, pageFromHash } from "./pages/registry.js";
import { preprocessFor } from "./preprocess.js";

/** Delay after a change that follows another within this time (a slider dragged fires on every step). */
const CLUSTER_DEBOUNCE_MS = 100;
const SWEEP_DEBOUNCE_MS = 350;
const CLUSTERMAP_DEBOUNCE_MS = 500;
/** A request is shown in the status bar (with its progress and Cancel) once it has run this long. */
const PROGRESS_AFTER_MS = 350;
const POLL_MS = 300;

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

function isCancelled(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 409 && error.message.startsWith("cancelled");
}

/** The parameters the chosen algorithm reads, from the settings. */
function paramsFor(s: Settings): ClusterParams {
  const all: ClusterParams = {
    k: s.k,
    linkage: s.linkage,
    distanceThreshold: s.cutHeight,
    covarianceType: s.covarianceType,
    metric: s.algorithm === "agglomerative" && s.linkage === "ward" ? "euclidean" : s.metric,
    eps: s.eps,
    minSamples: s.minSamples,
    minClusterSize: s.minClusterSize,
    clusterSelectionMethod: s.clusterSelectionMethod,
    xi: s.xi,
    damping: s.damping,
    bandwidth: s.bandwidth,
    threshold: s.threshold,
    branchingFactor: s.branchingFactor,
    affinity: s.affinity,
    nNeighbors: s.nNeighbors,
    batchSize: s.batchSize,
  };
  const out: Record<string, unknown> = {};
  for (const name of ALGORITHM_PARAMS[s.algorithm]) out[name] = all[name];
  return out as ClusterParams;
}

/** A request in flight, shown in the status bar once it takes a while. */
interface ActiveJob {
  id: string;
  label: string;
  started: number;
}

export function App() {
  const [config, setConfig] = useState<ServerConfig | null>(null);
  const [datasets, setDatasets] = useState<DatasetSummary[]>([]);
  const [detail, setDetail] = useState<DatasetDetail | null>(null);
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [result, setResult] = useState<ClusterResult | null>(null);
  const [sweep, setSweep] = useState<SweepResult | null>(null);
  const [bic, setBic] = useState<BicSweepResult | null>(null);
  const [clustermap, setClustermap] = useState<{ features: string; data: ClustermapResult } | null>(null);
  const [clustering, setClustering] = useState(false);
  const [sweeping, setSweeping] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [selection, setSelection] = useState<number[] | null>(null);
  const [selectionRevision, setSelectionRevision] = useState(0);
  const select = useCallback((indices: number[] | null) => {
    setSelection(indices);
    if (indices === null) setSelectionRevision((r) => r + 1);
  }, []);
  const [active, setActive] = useState<Record<string, ActiveJob>>({});
  const [progress, setProgress] = useState<Record<string, JobStatus>>({});
  /** The displayed points' coordinates and values, reused while the features stay the same. */
  const geometry = useRef<ProjectionGeometry | null>(null);
  /** When a clustering setting last changed (the leading-edge debounce). */
  const lastClusterChange = useRef(0);
  /** The features and algorithm of the last clustering request (only a parameter moved: sent at once). */
  const lastClusterShape = useRef("");

  const change = useCallback((patch: Partial<Settings>) => setSettings((s) => ({ ...s, ...patch })), []);

  // The page shown follows the address's hash (`#/segments`), so pages can be linked and reloaded.
  const [page, setPage] = useState(() => pageFromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setPage(pageFromHash(window.location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  /** Settings to apply once the dataset they name has loaded (opening a saved run of another dataset). */
  const pendingOpen = useRef<Partial<Settings> | null>(null);
  const openCluster = useCallback((patch?: Partial<Settings>) => {
    if (patch) {
      setSettings((s) => {
        pendingOpen.current = patch.dataset !== undefined && patch.dataset !== s.dataset ? patch : null;
        return { ...s, ...patch };
      });
    }
    window.location.hash = "#/cluster";
  }, []);

  /** Starts showing a request (under its kind), or stops showing it: only if it is still the one shown. */
  const track = useCallback((kind: string, job: ActiveJob | null, id?: string) => {
    setActive((a) => {
      if (!job && id !== undefined && a[kind]?.id !== id) return a;
      const next = { ...a };
      if (job) next[kind] = job;
      else delete next[kind];
      return next;
    });
    if (!job) {
      setProgress((p) => {
        if (id !== undefined && p[kind]?.id !== id && p[kind] !== undefined) return p;
        const next = { ...p };
        delete next[kind];
        return next;
      });
    }
  }, []);

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
    setBic(null);
    setClustermap(null);
    setHighlight(null);
    setSelection(null);
    api
      .dataset(settings.dataset)
      .then((d) => {
        if (cancelled) return;
        setDetail(d);
        const opened = pendingOpen.current?.dataset === d.id ? pendingOpen.current : null;
        pendingOpen.current = null;
        setSettings((s) => ({
          ...s,
          columns: d.columns.filter((c) => c.numeric && c.suggested).map((c) => c.name),
          eps: null,
          cutHeight: null,
          ...opened,
        }));
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

  const { dataset, columns, scaling, algorithm, covarianceType, normalization } = settings;
  const params = paramsFor(settings);
  const preprocess = preprocessFor(settings, detail);
  const featuresKey = JSON.stringify([dataset, columns, scaling, preprocess]);
  const clusterKey = JSON.stringify([featuresKey, algorithm, params]);
  const usesK = USES_K.includes(algorithm);

  // New features: the eps range and the cut height of the old ones mean nothing.
  // biome-ignore lint/correctness/useExhaustiveDependencies: featuresKey stands for the features
  useEffect(() => {
    setSettings((s) => (s.eps === null && s.cutHeight === null ? s : { ...s, eps: null, cutHeight: null }));
  }, [featuresKey]);

  // Re-cluster (debounced) whenever a setting changes; a newer request cancels the older one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: clusterKey stands for every setting used
  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    const jobId = newJobId("cluster");
    // Leading edge: a parameter moved after a pause (same data, features and algorithm) is sent at
    // once; changes in quick succession (a slider being dragged) wait CLUSTER_DEBOUNCE_MS for the
    // next one, and so do other changes (a saved run opened sets several settings in turn).
    const now = performance.now();
    const shape = JSON.stringify([featuresKey, algorithm]);
    const delay =
      shape === lastClusterShape.current && now - lastClusterChange.current > CLUSTER_DEBOUNCE_MS
        ? 0
        : CLUSTER_DEBOUNCE_MS;
    lastClusterChange.current = now;
    lastClusterShape.current = shape;
    const timer = setTimeout(() => {
      setClustering(true);
      track("cluster", { id: jobId, label: `${ALGORITHM_LABELS[algorithm]}`, started: Date.now() });
      const body = { dataset, columns, scaling, preprocess, algorithm, params, seed: 0, jobId };
      const run = (geometryId?: string) => api.cluster({ ...body, geometryId }, controller.signal);
      const have = geometry.current?.id;
      run(have)
        .then(async (r) => {
          let res = r;
          if (res.projection.geometryOmitted) {
            const g = geometry.current;
            if (g && g.id === res.projection.geometryId) {
              res = { ...res, projection: { ...res.projection, x: g.x, y: g.y, row: g.row, values: g.values } };
            } else {
              res = await run(undefined);
            }
          }
          if (!res.projection.geometryOmitted && geometry.current?.id !== res.projection.geometryId) {
            const p = res.projection;
            geometry.current = { id: p.geometryId, x: p.x, y: p.y, row: p.row, values: p.values };
            setSelection(null);
          }
          setResult(res);
          setError(null);
          setNotice(null);
        })
        .catch((e: unknown) => {
          if (isAbort(e)) return;
          if (isCancelled(e)) setNotice("Cancelled. Change a setting to run again.");
          else setError(message(e));
        })
        .finally(() => {
          if (!controller.signal.aborted) {
            setClustering(false);
            track("cluster", null, jobId);
          }
        });
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
      track("cluster", null, jobId);
    };
  }, [clusterKey, ready]);

  // The k-means sweep (precomputes every k's fit too), for the algorithms with a k.
  // biome-ignore lint/correctness/useExhaustiveDependencies: featuresKey stands for every setting used
  useEffect(() => {
    if (!ready || !usesK) return;
    const controller = new AbortController();
    const jobId = newJobId("sweep");
    const timer = setTimeout(() => {
      setSweeping(true);
      track("sweep", { id: jobId, label: "Scoring k", started: Date.now() });
      api
        .sweep({ dataset, columns, scaling, preprocess, kMin: K_MIN, kMax: K_MAX, seed: 0, jobId }, controller.signal)
        .then(setSweep)
        .catch((e: unknown) => {
          if (!isAbort(e) && !isCancelled(e)) setError(message(e));
        })
        .finally(() => {
          if (!controller.signal.aborted) {
            setSweeping(false);
            track("sweep", null, jobId);
          }
        });
    }, SWEEP_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
      setSweeping(false);
      track("sweep", null, jobId);
    };
  }, [featuresKey, ready, usesK]);

  // The mixture's BIC for each k, for the Gaussian mixture.
  // biome-ignore lint/correctness/useExhaustiveDependencies: featuresKey stands for every setting used
  useEffect(() => {
    if (!ready || algorithm !== "gmm") return;
    const controller = new AbortController();
    setBic((b) => (b && b.covarianceType === covarianceType ? b : null));
    const jobId = newJobId("bic");
    const timer = setTimeout(() => {
      track("bic", { id: jobId, label: "Scoring mixtures", started: Date.now() });
      api
        .bicSweep(
          { dataset, columns, scaling, preprocess, kMin: 1, kMax: K_MAX, covarianceType, seed: 0, jobId },
          controller.signal,
        )
        .then(setBic)
        .catch((e: unknown) => {
          if (!isAbort(e) && !isCancelled(e)) setError(message(e));
        })
        .finally(() => {
          if (!controller.signal.aborted) track("bic", null, jobId);
        });
    }, SWEEP_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
      track("bic", null, jobId);
    };
  }, [featuresKey, ready, algorithm === "gmm", covarianceType]);

  // The clustermap of the features (its colour strip follows the current labels).
  // biome-ignore lint/correctness/useExhaustiveDependencies: featuresKey stands for every setting used
  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    const jobId = newJobId("clustermap");
    const timer = setTimeout(() => {
      track("clustermap", { id: jobId, label: "Drawing the clustermap", started: Date.now() });
      api
        .clustermap({ dataset, columns, scaling, preprocess, normalization, seed: 0, jobId }, controller.signal)
        .then((data) => setClustermap({ features: featuresKey, data }))
        .catch((e: unknown) => {
          if (!isAbort(e) && !isCancelled(e)) setError(message(e));
        })
        .finally(() => {
          if (!controller.signal.aborted) track("clustermap", null, jobId);
        });
    }, CLUSTERMAP_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
      track("clustermap", null, jobId);
    };
  }, [featuresKey, ready, normalization]);

  // Progress of the requests that take a while.
  const activeKey = Object.values(active)
    .map((j) => j.id)
    .join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: activeKey stands for the active jobs
  useEffect(() => {
    const jobs = Object.entries(active);
    if (jobs.length === 0) return;
    let stopped = false;
    const poll = async () => {
      const now = Date.now();
      for (const [kind, job] of jobs) {
        if (now - job.started < PROGRESS_AFTER_MS) continue;
        try {
          const status = await api.job(job.id);
          if (!stopped) setProgress((p) => ({ ...p, [kind]: status }));
        } catch {
          // Not started yet on the server, or already forgotten: nothing to show.
        }
      }
    };
    const timer = setInterval(() => void poll(), POLL_MS);
    const first = setTimeout(() => void poll(), PROGRESS_AFTER_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
    };
  }, [activeKey]);

  const cancelAll = useCallback(() => {
    for (const job of Object.values(active)) void api.cancelJob(job.id).catch(() => {});
  }, [active]);

  // A highlight or selection that no longer exists is dropped.
  useEffect(() => {
    if (result && highlight !== null && highlight >= result.k) setHighlight(null);
  }, [result, highlight]);

  const toggleHighlight = useCallback((c: number | null) => {
    if (c === null || !Number.isInteger(c)) return;
    setHighlight((h) => (h === c ? null : c));
  }, []);

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

  const current = datasets.find((d) => d.id === settings.dataset);
  const downloadName = `${(current?.name ?? "dataset").replace(/\.[^.]*$/, "")}-clusters.csv`;
  const busy = clustering || sweeping || uploading;
  const stale = result !== null && (result.dataset !== settings.dataset || clustering);
  const shown = Object.entries(active)
    .filter(([kind]) => progress[kind])
    .sort(([a], [b]) => (a === "cluster" ? -1 : b === "cluster" ? 1 : 0))[0];

  const currentPage = PAGES.find((p) => p.id === page);
  const pageContext: PageContext = {
    datasets,
    detail,
    settings,
    result: stale ? null : result,
    openCluster,
    changeSettings: change,
    onError: setError,
  };

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
        {PAGES.length > 0 ? (
          <nav className="pages" aria-label="Pages">
            {[{ id: "cluster", label: "Cluster" }, ...PAGES].map((p) => (
              <a
                key={p.id}
                href={`#/${p.id}`}
                className={page === p.id ? "page-link active" : "page-link"}
                aria-current={page === p.id ? "page" : undefined}
                data-testid={`page-${p.id}`}
              >
                {p.label}
              </a>
            ))}
          </nav>
        ) : null}
        <StatusBar
          busy={busy}
          label={uploading ? "Uploading…" : clustering ? "Clustering…" : sweeping ? "Scoring k…" : "Ready"}
          job={shown ? { ...shown[1], status: progress[shown[0]] } : null}
          onCancel={cancelAll}
        />
      </header>
      {currentPage ? (
        <div className="page" data-testid={`page-body-${currentPage.id}`}>
          {error ? (
            <div className="banner banner-error" role="alert" data-testid="error">
              <span>{error}</span>
              <button type="button" className="banner-close" onClick={() => setError(null)} aria-label="Dismiss">
                ×
              </button>
            </div>
          ) : null}
          <currentPage.component {...pageContext} />
        </div>
      ) : null}
      <div className="layout" hidden={currentPage !== undefined}>
        <ControlPanel
          datasets={datasets}
          detail={detail}
          settings={settings}
          result={result}
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
          {error && !currentPage ? (
            <div className="banner banner-error" role="alert" data-testid="error">
              <span>{error}</span>
              <button type="button" className="banner-close" onClick={() => setError(null)} aria-label="Dismiss">
                ×
              </button>
            </div>
          ) : null}
          {notice ? (
            <div className="banner banner-info" data-testid="notice">
              {notice}
            </div>
          ) : null}
          <div className="results-header">
            <div>
              <h1>{current?.name ?? "…"}</h1>
              <p className="muted" data-testid="header-meta">
                {detail
                  ? `${detail.nRows.toLocaleString("en-US")} rows · ${detail.columns.length} columns · ${settings.columns.length} features`
                  : "Loading the dataset…"}
                {result && !stale
                  ? ` · ${ALGORITHM_LABELS[result.algorithm]}, ${result.k} clusters${result.nNoise > 0 ? ` + noise` : ""}, ${
                      result.timings.precomputed
                        ? `re-read from the precomputed ${precomputedName(result.algorithm)} in ${formatDuration(result.timings.totalSeconds)}`
                        : `fitted in ${formatDuration(result.timings.fitSeconds)}`
                    }`
                  : ""}
              </p>
            </div>
            {highlight !== null && result ? (
              <button
                type="button"
                className="chip"
                data-testid="highlight-chip"
                onClick={() => setHighlight(null)}
                title="Show every cluster again"
              >
                <i style={{ background: clusterColor(highlight) }} />
                {clusterName(highlight)} highlighted <span aria-hidden="true">×</span>
              </button>
            ) : null}
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
          {result ? (
            <ResultsGrid
              result={result}
              settings={settings}
              sweep={usesK ? sweep : null}
              sweeping={sweeping}
              bic={algorithm === "gmm" ? bic : null}
              clustermap={clustermap && clustermap.features === featuresKey ? clustermap.data : null}
              stale={stale}
              highlight={highlight}
              selection={selection}
              onHighlight={toggleHighlight}
              onSelection={select}
              selectionRevision={selectionRevision}
              onChange={change}
              preprocess={preprocess}
            />
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

function precomputedName(algorithm: ClusterResult["algorithm"]): string {
  switch (algorithm) {
    case "agglomerative":
      return "linkage tree";
    case "dbscan":
    case "optics":
      return "OPTICS ordering";
    case "hdbscan":
      return "HDBSCAN hierarchy";
    case "kmeans":
      return "k sweep";
    case "gmm":
      return "mixtures";
    default:
      return "fit";
  }
}
