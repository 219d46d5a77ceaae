import { useMemo, useState } from "react";
import type { BicSweepResult, ClustermapNormalization, ClustermapResult, ClusterResult, SweepResult } from "../api.js";
import { bicFigure } from "../charts/bic.js";
import { clustermapFigure } from "../charts/clustermap.js";
import { condensedTreeFigure } from "../charts/condensedTree.js";
import { clustersAtHeight, dendrogramFigure } from "../charts/dendrogram.js";
import { profileFigure } from "../charts/profile.js";
import { reachabilityFigure } from "../charts/reachability.js";
import { scatterFigure } from "../charts/scatter.js";
import { selectionProfileFigure, summarizeSelection } from "../charts/selection.js";
import { silhouetteFigure } from "../charts/silhouette.js";
import { sizesFigure } from "../charts/sizes.js";
import { sweepFigure } from "../charts/sweep.js";
import { clusterColor, clusterName } from "../colors.js";
import { ChartCard } from "./ChartCard.js";
import { K_MAX, K_MIN, type Settings } from "./ControlPanel.js";
import { type ClickedPoint, Plot } from "./Plot.js";

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

  const scatter = useMemo(
    () =>
      scatterFigure(result.projection, result.k, result.columns, {
        highlight,
        lasso: true,
        uirevision: result.projection.geometryId,
        selectionRevision: props.selectionRevision,
      }),
    [result, highlight, props.selectionRevision],
  );
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

  const scatterSubtitle = [
    result.projection.sampled ? `A sample of ${points.toLocaleString("en-US")} rows.` : "Each point is a row.",
    result.nNoise > 0 ? "Noise is grey." : "",
    result.projection.probability ? "Opacity is each row's membership strength." : "Crosses mark the cluster means.",
    "Drag a lasso to select rows; click a legend entry or a point to highlight its cluster.",
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <div className="grid">
      <ChartCard
        title="Clusters on the first two principal components"
        subtitle={scatterSubtitle}
        wide
        busy={stale}
        testId="card-scatter"
      >
        <Plot
          figure={scatter}
          testId="scatter"
          height={460}
          priority={10}
          onLegendClick={(curve) => onHighlight(scatter.traceCluster[curve] ?? null)}
          onClickPoint={(p) => {
            const c = scatter.traceCluster[p.curveNumber];
            if (c !== null && c !== undefined) onHighlight(c);
            else {
              const i = scatter.pointIndex[p.curveNumber]?.[p.pointIndex];
              if (i !== undefined) onHighlight(result.projection.label[i]);
            }
          }}
          onSelected={(pts) => {
            if (!pts) return onSelection(null);
            const indices: number[] = [];
            for (const p of pts) {
              const i = scatter.pointIndex[p.curveNumber]?.[p.pointIndex];
              if (i !== undefined) indices.push(i);
            }
            onSelection(indices);
          }}
        />
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
              <fieldset className="segmented" aria-label="Criterion">
                <button
                  type="button"
                  className={kView === "bic" ? "on" : ""}
                  onClick={() => setKView("bic")}
                  data-testid="kview-bic"
                >
                  BIC
                </button>
                <button type="button" className={kView === "kmeans" ? "on" : ""} onClick={() => setKView("kmeans")}>
                  k-means
                </button>
              </fieldset>
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
      <ChartCard
        title="Cluster profiles"
        subtitle="Feature means per cluster, coloured by how far they sit from the overall mean (in standard deviations); click a row to highlight it"
        busy={stale}
        testId="card-profile"
        wide={!(sweepFig || bicFig || sweeping)}
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
