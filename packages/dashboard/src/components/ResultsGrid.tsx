import {
  bicFigure,
  clusterColor,
  clustermapFigure,
  clusterName,
  clustersAtHeight,
  condensedTreeFigure,
  dendrogramFigure,
  embeddedProjection,
  localIndices,
  PROJECTION_LABELS,
  profileFigure,
  reachabilityFigure,
  scatter3dFigure,
  scatterFigure,
  selectionProfileFigure,
  silhouetteFigure,
  sizesFigure,
  summarizeSelection,
  sweepFigure,
} from "@clusterlab/charts";
import { useMemo, useState } from "react";
import type { PreprocessRequest } from "../api.js";
import {
  type BicSweepResult,
  type ClustermapNormalization,
  type ClustermapResult,
  type ClusterResult,
  type ProjectionMethod,
  resultsApi,
  type SweepResult,
} from "../api.js";
import { ChartCard } from "./ChartCard.js";
import { K_MAX, K_MIN, type Settings } from "./ControlPanel.js";
import { GapCard } from "./GapCard.js";
import { JobProgress } from "./JobProgress.js";
import { type ClickedPoint, Plot } from "./Plot.js";
import { featureRequestOf, useJob } from "./resultsJobs.js";
import { ToggleGroup } from "./ToggleGroup.js";

/** The displayed points' coordinates and values, kept by the page between answers on the same features. */
export interface ProjectionGeometry {
  id: string;
  x: number[];
  y: number[];
  row: number[];
  values: number[][];
}

interface ResultsGridProps {
  result: ClusterResult;
  settings: Settings;
  sweep: SweepResult | null;
  sweeping: boolean;
  bic: BicSweepResult | null;
  clustermap: ClustermapResult | null;
  stale: boolean;
  highlight: number | null;
  /** Lasso-selected points (indices into the projection arrays), or null. */
  selection: number[] | null;
  /** Bumped when the page clears the selection, so that the scatter drops its lasso too. */
  selectionRevision: number;
  onHighlight: (cluster: number | null) => void;
  onSelection: (indices: number[] | null) => void;
  onChange: (patch: Partial<Settings>) => void;
  /** The preprocessing of the cluster request (sent with the projection and anomalies requests). */
  preprocess?: PreprocessRequest;
}

const NORMALIZATIONS: Record<ClustermapNormalization, string> = {
  none: "Scaled values",
  "z-score-columns": "z-score per feature",
  "z-score-rows": "z-score per row",
  "standard-scale-columns": "0–1 per feature",
  "standard-scale-rows": "0–1 per row",
};

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** 0.05 -> "5%". */
function formatShare(v: number): string {
  return `${Number((v * 100).toPrecision(3))}%`;
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

function clusterOfPoint(p: ClickedPoint): number | null {
  const c = p.customdata;
  if (typeof c === "number") return c;
  if (Array.isArray(c) && typeof c[0] === "number") return c[0];
  return null;
}

/** The dendrogram cut slider's range: from the 30-cluster cut to the 2-cluster cut. */
function cutRange(topHeights: number[]): [number, number] {
  const hi = topHeights[0] ?? 1;
  const maxK = Math.min(30, topHeights.length);
  const lo = topHeights.length > maxK ? (topHeights[maxK - 1] + topHeights[maxK]) / 2 : 0;
  return [lo, hi];
}

/** Every view of a clustering, linked: clicking a cluster anywhere highlights it everywhere. */
export function ResultsGrid(props: ResultsGridProps) {
  const { result, settings, sweep, sweeping, bic, clustermap, stale, highlight, selection } = props;
  const { onHighlight, onSelection, onChange } = props;
  const [kView, setKView] = useState<"bic" | "kmeans">("bic");

  // The scatter's projection: the answer's 2-D PCA, or PCA 3-D / t-SNE / UMAP from POST /api/projection
  // (cached per features on the server: moving k only recolours the points).
  const [view, setView] = useState<{ method: ProjectionMethod; dims: 2 | 3 }>({ method: "pca", dims: 2 });
  const [showAnomalies, setShowAnomalies] = useState(false);
  const [contamination, setContamination] = useState(0.05);
  const geometryId = result.projection.geometryId;
  const projectionKey = view.method === "pca" && view.dims === 2 ? null : `${geometryId}|${view.method}|${view.dims}`;
  const projection = useJob("projection", projectionKey, (jobId, signal) =>
    resultsApi.projection(
      { ...featureRequestOf(result, props.preprocess), method: view.method, nComponents: view.dims, jobId },
      signal,
    ),
  );
  const anomalies = useJob("anomalies", showAnomalies ? `${result.runId}|${contamination}` : null, (jobId, signal) =>
    resultsApi.anomalies(
      { ...featureRequestOf(result, props.preprocess), runId: result.runId, contamination, jobId },
      signal,
    ),
  );
  const embedded = useMemo(
    () =>
      projection.data && projection.data.geometryId === geometryId
        ? embeddedProjection(result.projection, projection.data, result.k)
        : null,
    [projection.data, result, geometryId],
  );
  const anomalyPoints =
    anomalies.data && anomalies.data.geometryId === geometryId ? anomalies.data.displayedPoints : null;
  const scatter = useMemo(() => {
    if (embedded && view.dims === 3) {
      return {
        ...scatter3dFigure(embedded, result.k, result.columns, {
          highlight,
          anomalies: anomalyPoints ? localIndices(embedded, anomalyPoints) : null,
          uirevision: projectionKey ?? geometryId,
        }),
        positions: embedded.positions,
        threeD: true,
      };
    }
    if (embedded) {
      return {
        ...scatterFigure(embedded, result.k, result.columns, {
          highlight,
          lasso: true,
          uirevision: projectionKey ?? geometryId,
          selectionRevision: props.selectionRevision,
          axisTitles: [embedded.axisTitles[0], embedded.axisTitles[1]],
          anomalies: anomalyPoints ? localIndices(embedded, anomalyPoints) : null,
        }),
        positions: embedded.positions,
        threeD: false,
      };
    }
    return {
      ...scatterFigure(result.projection, result.k, result.columns, {
        highlight,
        lasso: true,
        uirevision: geometryId,
        selectionRevision: props.selectionRevision,
        anomalies: anomalyPoints,
      }),
      positions: null,
      threeD: false,
    };
  }, [result, highlight, props.selectionRevision, embedded, view.dims, anomalyPoints, projectionKey, geometryId]);
  /** Position in the answer's projection arrays of point i of a trace's `pointIndex`. */
  const positionOf = (local: number) => (scatter.positions ? scatter.positions[local] : local);
  const changeView = (next: { method: ProjectionMethod; dims: 2 | 3 }) => {
    if (next.method !== view.method || next.dims !== view.dims) {
      onSelection(null);
      setView(next);
    }
  };
  const sizes = useMemo(() => sizesFigure(result.sizes, { nNoise: result.nNoise, highlight }), [result, highlight]);
  const silhouette = useMemo(
    () => (result.silhouette ? silhouetteFigure(result.silhouette, result.metrics.silhouette, { highlight }) : null),
    [result, highlight],
  );
  const profile = useMemo(() => profileFigure(result.profile, result.sizes, { highlight }), [result, highlight]);
  const dendrogram = useMemo(
    () => (result.dendrogram ? dendrogramFigure(result.dendrogram, result.k, { highlight }) : null),
    [result, highlight],
  );
  const reachability = useMemo(
    () => (result.reachability ? reachabilityFigure(result.reachability, { highlight }) : null),
    [result, highlight],
  );
  const condensed = useMemo(
    () => (result.condensedTree ? condensedTreeFigure(result.condensedTree, { highlight }) : null),
    [result, highlight],
  );
  const sweepFig = useMemo(() => (sweep ? sweepFigure(sweep, result.k) : null), [sweep, result.k]);
  const bicFig = useMemo(() => (bic ? bicFigure(bic, result.k) : null), [bic, result.k]);
  const cmap = useMemo(
    () => (clustermap ? clustermapFigure(clustermap, { labels: result.labels, highlight }) : null),
    [clustermap, result, highlight],
  );
  const summary = useMemo(
    () => (selection && selection.length > 0 ? summarizeSelection(result.projection, selection) : null),
    [selection, result],
  );
  const selectionFig = useMemo(
    () => (summary ? selectionProfileFigure(summary, result.profile) : null),
    [summary, result],
  );

  const chooseK = (k: number) => {
    if (Number.isInteger(k) && k >= K_MIN && k <= K_MAX) onChange({ k, cutHeight: null });
  };
  const gmm = result.algorithm === "gmm";
  const showBic = gmm && kView === "bic";
  const points = result.projection.x.length;

  const shownMethod = embedded ? view.method : "pca";
  const shownDims = embedded ? view.dims : 2;
  const pd = projection.data;
  const scatterSubtitle = [
    shownMethod === "tsne" && pd && pd.fitted < pd.nDisplayed
      ? `t-SNE of a seeded sample of ${pd.fitted.toLocaleString("en-US")} of the ${pd.nDisplayed.toLocaleString("en-US")} displayed rows (t-SNE cannot place further rows).`
      : shownMethod === "umap" && pd && pd.transformed > 0
        ? `UMAP fitted on a seeded sample of ${pd.fitted.toLocaleString("en-US")} rows; the other ${pd.transformed.toLocaleString("en-US")} placed by its transform.`
        : result.projection.sampled
          ? `A sample of ${points.toLocaleString("en-US")} rows.`
          : "Each point is a row.",
    result.nNoise > 0 ? "Noise is grey." : "",
    shownMethod === "pca"
      ? result.projection.probability && shownDims === 2
        ? "Opacity is each row's membership strength."
        : shownDims === 3
          ? "Diamonds mark the cluster means."
          : "Crosses mark the cluster means."
      : shownDims === 3
        ? "Diamonds mark the centre of each cluster's points."
        : "Crosses mark the centre of each cluster's points.",
    anomalyPoints && anomalies.data
      ? `Red rings: the ${formatShare(contamination)} of rows with the highest anomaly score (${anomalies.data.description}).`
      : "",
    shownDims === 3
      ? "Drag to rotate, scroll to zoom; click a legend entry to highlight its cluster."
      : "Drag a lasso to select rows; click a legend entry or a point to highlight its cluster.",
  ]
    .filter(Boolean)
    .join(" ");
  const scatterTitle =
    shownMethod === "pca" && shownDims === 2
      ? "Clusters on the first two principal components"
      : shownMethod === "pca"
        ? "Clusters on the first three principal components"
        : `Clusters on ${PROJECTION_LABELS[shownMethod]} (${shownDims}-D)`;

  return (
    <div className="grid">
      <ChartCard
        title={scatterTitle}
        subtitle={scatterSubtitle}
        wide
        busy={stale}
        testId="card-scatter"
        actions={
          <div className="rv-scatter-actions">
            <label className="rv-inline">
              <span>Projection</span>
              <select
                data-testid="projection-select"
                value={view.method}
                onChange={(event) => changeView({ method: event.target.value as ProjectionMethod, dims: view.dims })}
              >
                {(Object.keys(PROJECTION_LABELS) as ProjectionMethod[]).map((m) => (
                  <option key={m} value={m}>
                    {PROJECTION_LABELS[m]}
                  </option>
                ))}
              </select>
            </label>
            <ToggleGroup
              label="Dimensions"
              value={view.dims}
              options={([2, 3] as const).map((d) => ({ value: d, label: `${d}-D`, testId: `dims-${d}` }))}
              onChange={(dims) => changeView({ method: view.method, dims })}
            />
            <label
              className="rv-inline rv-check"
              title="Ring the rows with the highest anomaly score: the run's own algorithm's where it has one (GLOSH, likelihood, distance to a core sample), else the distance to the cluster centre"
            >
              <input
                type="checkbox"
                checked={showAnomalies}
                data-testid="anomalies-toggle"
                onChange={(event) => setShowAnomalies(event.target.checked)}
              />
              <span>Anomalies</span>
            </label>
            {showAnomalies ? (
              <select
                aria-label="Share of rows flagged"
                data-testid="anomalies-share"
                value={contamination}
                onChange={(event) => setContamination(Number(event.target.value))}
              >
                {[0.01, 0.02, 0.05, 0.1].map((c) => (
                  <option key={c} value={c}>
                    top {formatShare(c)}
                  </option>
                ))}
              </select>
            ) : null}
          </div>
        }
      >
        {projection.running ? (
          <JobProgress
            label={`Computing the ${PROJECTION_LABELS[view.method]} projection…`}
            status={projection.status}
            onCancel={projection.cancel}
            testId="projection-progress"
          />
        ) : null}
        {projection.error ? (
          <p className="rv-error" data-testid="projection-error">
            {PROJECTION_LABELS[view.method]}: {projection.error}
          </p>
        ) : null}
        {anomalies.error ? <p className="rv-error">Anomalies: {anomalies.error}</p> : null}
        <Plot
          figure={scatter}
          testId="scatter"
          height={scatter.threeD ? 520 : 460}
          priority={10}
          onLegendClick={(curve) => onHighlight(scatter.traceCluster[curve] ?? null)}
          onClickPoint={(p) => {
            const c = scatter.traceCluster[p.curveNumber];
            if (c !== null && c !== undefined) onHighlight(c);
            else {
              const i = scatter.pointIndex[p.curveNumber]?.[p.pointIndex];
              if (i !== undefined) onHighlight(result.projection.label[positionOf(i)]);
            }
          }}
          onSelected={
            scatter.threeD
              ? undefined
              : (pts) => {
                  if (!pts) return onSelection(null);
                  const indices = new Set<number>();
                  for (const p of pts) {
                    const i = scatter.pointIndex[p.curveNumber]?.[p.pointIndex];
                    if (i !== undefined) indices.add(positionOf(i));
                  }
                  onSelection([...indices]);
                }
          }
        />
        <p className="rv-projection-meta" data-testid="projection-meta" data-method={shownMethod} data-dims={shownDims}>
          {shownMethod === "pca" && shownDims === 2
            ? ""
            : pd
              ? `${PROJECTION_LABELS[shownMethod]} ${shownDims}-D of ${pd.points.length.toLocaleString("en-US")} points${pd.cached ? " (cached)" : `, computed in ${pd.seconds.toFixed(1)} s`}`
              : ""}
        </p>
      </ChartCard>
      {summary && selectionFig ? (
        <ChartCard
          title={`Selection: ${summary.count.toLocaleString("en-US")} rows`}
          subtitle={
            result.projection.sampled
              ? "Lasso-selected rows of the displayed sample: their clusters and their mean profile"
              : "Lasso-selected rows: their clusters and their mean profile"
          }
          wide
          testId="card-selection"
          actions={
            <button
              type="button"
              className="text-button"
              data-testid="clear-selection"
              onClick={() => onSelection(null)}
            >
              Clear selection
            </button>
          }
        >
          <div className="selection">
            <ul className="selection-clusters" data-testid="selection-clusters">
              {[...summary.byCluster.entries()]
                .sort((a, b) => b[1] - a[1])
                .map(([c, n]) => (
                  <li key={c}>
                    <button type="button" className="chip chip-small" onClick={() => onHighlight(c)}>
                      <i style={{ background: clusterColor(c) }} />
                      {clusterName(c)}: {n.toLocaleString("en-US")} ({Math.round((n / summary.count) * 100)}%)
                    </button>
                  </li>
                ))}
            </ul>
            <div className="selection-plot">
              <Plot
                figure={selectionFig}
                testId="selection-profile"
                priority={7}
                height={Math.max(180, 40 + 26 * result.columns.length)}
              />
            </div>
          </div>
        </ChartCard>
      ) : null}
      {dendrogram && result.dendrogram ? <DendrogramCard {...props} figure={dendrogram} /> : null}
      {reachability && result.reachability ? (
        <ChartCard
          title="OPTICS reachability plot"
          subtitle={
            result.algorithm === "dbscan"
              ? `Rows in the OPTICS ordering (min samples ${result.reachability.minSamples}); valleys are clusters. Drag the red eps line (or the eps slider): DBSCAN at eps is read off this one ordering, equal to DBSCAN up to border rows.`
              : `Rows in the OPTICS ordering (min samples ${result.reachability.minSamples}); valleys are clusters, extracted by their steep edges (xi = ${settings.xi}).`
          }
          wide
          busy={stale}
          testId="card-reachability"
        >
          <Plot
            figure={reachability}
            testId="reachability"
            height={300}
            priority={8}
            onClickPoint={(p) => onHighlight(reachability.traceCluster[p.curveNumber] ?? null)}
            onShapeMoved={
              result.algorithm === "dbscan"
                ? (y) => {
                    const [lo, hi] = result.reachability!.epsRange;
                    const eps = Number(clamp(y, lo, hi).toPrecision(4));
                    if (Math.abs(eps - (result.reachability!.eps ?? 0)) > (hi - lo) * 1e-4) onChange({ eps });
                  }
                : undefined
            }
          />
        </ChartCard>
      ) : null}
      {condensed && result.condensedTree ? (
        <ChartCard
          title="HDBSCAN condensed tree"
          subtitle={
            result.condensedTree.cut !== null
              ? "λ = 1 / distance grows downwards; each icicle is as wide as the rows still in the cluster. The dashed line is the DBSCAN* cut."
              : `λ = 1 / distance grows downwards; each icicle is as wide as the rows still in the cluster. Coloured: the clusters selected (${settings.clusterSelectionMethod === "leaf" ? "leaves" : "most stable"}).${result.condensedTree.truncated ? " The 300 largest clusters are drawn." : ""}`
          }
          wide
          busy={stale}
          testId="card-condensed-tree"
        >
          <Plot
            figure={condensed}
            testId="condensed-tree"
            height={380}
            priority={8}
            onClickPoint={(p) => onHighlight(clusterOfPoint(p))}
          />
        </ChartCard>
      ) : null}
      <ChartCard
        title="Cluster sizes"
        subtitle="Rows in each cluster; click a bar to highlight it"
        busy={stale}
        testId="card-sizes"
      >
        <Plot
          figure={sizes}
          testId="sizes"
          height={320}
          priority={6}
          onClickPoint={(p) => onHighlight(clusterOfPoint(p))}
        />
      </ChartCard>
      <ChartCard
        title="Silhouette plot"
        subtitle={
          result.silhouette && result.silhouette.sampleSize < result.nRows - result.nNoise
            ? `Per row, sorted within each cluster (a sample of ${result.silhouette.sampleSize.toLocaleString("en-US")} rows)`
            : `Per row, sorted within each cluster; the dashed line is the mean${result.nNoise > 0 ? " (noise left out)" : ""}`
        }
        busy={stale}
        testId="card-silhouette"
      >
        {silhouette ? (
          <Plot
            figure={silhouette}
            testId="silhouette"
            height={320}
            priority={5}
            onClickAnnotation={(name) => onHighlight(Number(name))}
            onClickPoint={(p) => {
              const nonEmpty = result
                .silhouette!.perCluster.map((v, c) => (v.length > 0 ? c : -1))
                .filter((c) => c >= 0);
              if (nonEmpty.length <= 30) onHighlight(nonEmpty[p.curveNumber] ?? null);
            }}
          />
        ) : (
          <p className="empty">The silhouette needs at least two non-empty clusters.</p>
        )}
      </ChartCard>
      {sweepFig || bicFig || sweeping ? (
        <ChartCard
          title={showBic ? "Choosing k: BIC of the mixture" : "Choosing k"}
          subtitle={
            showBic
              ? bic
                ? `Gaussian mixtures (${bic.covarianceType} covariance) for k = ${bic.ks[0]} to ${bic.ks[bic.ks.length - 1]}; the lowest BIC is at k = ${bic.best}. Click a point to use that k.`
                : "Fitting a mixture for each k…"
              : sweep
                ? sweep.suggestion.reason
                : "Scoring k-means for k = 2 to 12…"
          }
          busy={showBic ? !bic : sweeping}
          testId="card-sweep"
          actions={
            gmm ? (
              <ToggleGroup
                label="Criterion"
                value={kView}
                options={[
                  { value: "bic", label: "BIC", testId: "kview-bic" },
                  { value: "kmeans", label: "k-means" },
                ]}
                onChange={setKView}
              />
            ) : undefined
          }
        >
          {showBic ? (
            bicFig ? (
              <Plot figure={bicFig} testId="bic" height={320} onClickX={chooseK} />
            ) : (
              <div className="skeleton" style={{ height: 320 }} />
            )
          ) : sweepFig ? (
            <Plot figure={sweepFig} testId="sweep" height={320} onClickX={chooseK} />
          ) : (
            <div className="skeleton" style={{ height: 320 }} />
          )}
        </ChartCard>
      ) : null}
      {sweepFig || bicFig || sweeping ? (
        <GapCard
          settings={settings}
          preprocess={props.preprocess}
          sweepReady={sweep !== null && !sweeping}
          currentK={result.k}
          onChooseK={chooseK}
        />
      ) : null}
      <ChartCard
        title="Cluster profiles"
        subtitle="Feature means per cluster, coloured by how far they sit from the overall mean (in standard deviations); click a row to highlight it"
        busy={stale}
        testId="card-profile"
        wide
      >
        <Plot
          figure={profile}
          testId="profile"
          priority={4}
          height={Math.max(320, Math.min(460, 90 + Math.min(result.k, 30) * 34))}
          onClickPoint={(p) => onHighlight(clusterOfPoint(p))}
        />
      </ChartCard>
      <ChartCard
        title="Clustermap"
        subtitle={
          clustermap
            ? `${clustermap.sampled ? `A sample of ${clustermap.values.length.toLocaleString("en-US")} rows` : "Every row"} × the features, both ordered by average-linkage dendrograms (as seaborn's clustermap); the strip shows each row's cluster.`
            : "Rows and features ordered by their dendrograms…"
        }
        wide
        testId="card-clustermap"
        actions={
          <select
            data-testid="normalization-select"
            value={settings.normalization}
            onChange={(event) => onChange({ normalization: event.target.value as ClustermapNormalization })}
          >
            {(Object.keys(NORMALIZATIONS) as ClustermapNormalization[]).map((n) => (
              <option key={n} value={n}>
                {NORMALIZATIONS[n]}
              </option>
            ))}
          </select>
        }
      >
        {cmap ? (
          <Plot
            figure={cmap}
            testId="clustermap"
            height={560}
            lazy
            onClickPoint={(p) => onHighlight(clusterOfPoint(p))}
          />
        ) : (
          <div className="skeleton" style={{ height: 560 }} />
        )}
      </ChartCard>
    </div>
  );
}

/** The dendrogram with its draggable cut line and the cut-height slider under it. */
function DendrogramCard(props: ResultsGridProps & { figure: ReturnType<typeof dendrogramFigure> }) {
  const { result, settings, stale, onHighlight, onChange, figure } = props;
  const d = result.dendrogram!;
  const [lo, hi] = cutRange(d.topHeights);
  const value = clamp(settings.cutHeight ?? d.cutHeight, lo, hi);
  const k = clustersAtHeight(d.topHeights, value);
  const setCut = (h: number) => {
    const next = Number(clamp(h, lo, hi).toPrecision(5));
    // Plotly also reports a shape that was clicked but not moved: nothing to do then.
    if (Math.abs(next - value) > (hi - lo) * 1e-4) onChange({ cutHeight: next });
  };
  return (
    <ChartCard
      title="Dendrogram"
      subtitle="The last 30 merges; leaves in brackets stand for several rows. Drag the red cut line up or down (or use the slider): every view follows the new cut."
      wide
      busy={stale}
      testId="card-dendrogram"
    >
      <Plot
        figure={figure}
        testId="dendrogram"
        height={360}
        priority={8}
        onClickPoint={(p) => onHighlight(clusterOfPoint(p))}
        onShapeMoved={setCut}
      />
      <label className="cut-slider">
        <span>
          Cut height <output data-testid="cut-value">{fmt(value)}</output> → <b data-testid="cut-k">{k}</b> clusters
        </span>
        <input
          type="range"
          min={lo}
          max={hi}
          step={(hi - lo) / 400 || 0.001}
          value={value}
          data-testid="cut-slider"
          onChange={(event) => setCut(Number(event.target.value))}
        />
      </label>
    </ChartCard>
  );
}
