import type { ReactNode } from "react";
import type {
  Algorithm,
  ClustermapNormalization,
  ClusterResult,
  ClusterSelectionMethodName,
  CovarianceTypeName,
  DatasetDetail,
  DatasetSummary,
  Linkage,
  MetricName,
  Scaling,
  SpectralAffinityName,
} from "../api.js";
import { Upload } from "./Upload.js";

/** Everything the user can set; the results follow from it. */
export interface Settings {
  dataset: string;
  columns: string[];
  scaling: Scaling;
  algorithm: Algorithm;
  k: number;
  linkage: Linkage;
  /** Agglomerative: the dendrogram cut height (set by dragging the cut), or null to cut into k. */
  cutHeight: number | null;
  covarianceType: CovarianceTypeName;
  metric: MetricName;
  /** DBSCAN eps / HDBSCAN cut distance, or null for the server's suggestion. */
  eps: number | null;
  minSamples: number;
  minClusterSize: number;
  clusterSelectionMethod: ClusterSelectionMethodName;
  xi: number;
  damping: number;
  /** Mean shift bandwidth, or null to estimate it. */
  bandwidth: number | null;
  threshold: number;
  branchingFactor: number;
  affinity: SpectralAffinityName;
  nNeighbors: number;
  batchSize: number;
  /** How the clustermap normalises its values. */
  normalization: ClustermapNormalization;
}

export const K_MIN = 2;
export const K_MAX = 12;

export const DEFAULT_SETTINGS: Settings = {
  dataset: "",
  columns: [],
  scaling: "standard",
  algorithm: "kmeans",
  k: 3,
  linkage: "ward",
  cutHeight: null,
  covarianceType: "full",
  metric: "euclidean",
  eps: null,
  minSamples: 5,
  minClusterSize: 5,
  clusterSelectionMethod: "eom",
  xi: 0.05,
  damping: 0.5,
  bandwidth: null,
  threshold: 0.5,
  branchingFactor: 50,
  affinity: "rbf",
  nNeighbors: 10,
  batchSize: 1024,
  normalization: "z-score-columns",
};

export const ALGORITHM_LABELS: Record<Algorithm, string> = {
  kmeans: "K-means",
  "minibatch-kmeans": "Mini-batch k-means",
  "bisecting-kmeans": "Bisecting k-means",
  kmedoids: "K-medoids (PAM)",
  gmm: "Gaussian mixture",
  agglomerative: "Agglomerative (hierarchical)",
  dbscan: "DBSCAN",
  optics: "OPTICS (xi)",
  hdbscan: "HDBSCAN",
  meanshift: "Mean shift",
  "affinity-propagation": "Affinity propagation",
  spectral: "Spectral clustering",
  birch: "BIRCH",
};

const ALGORITHM_GROUPS: [string, Algorithm[]][] = [
  ["Centroids", ["kmeans", "minibatch-kmeans", "bisecting-kmeans", "kmedoids", "gmm"]],
  ["Hierarchy", ["agglomerative", "birch"]],
  ["Density", ["dbscan", "optics", "hdbscan", "meanshift"]],
  ["Graph", ["affinity-propagation", "spectral"]],
];

/** Algorithms with the k slider. */
export const USES_K: readonly Algorithm[] = [
  "kmeans",
  "minibatch-kmeans",
  "bisecting-kmeans",
  "kmedoids",
  "gmm",
  "agglomerative",
  "spectral",
  "birch",
];

const SCALING_LABELS: Record<Scaling, string> = {
  standard: "Standardise (z-score)",
  minmax: "Min-max to [0, 1]",
  robust: "Robust (median, IQR)",
  none: "None",
};

const LINKAGE_LABELS: Record<Linkage, string> = {
  ward: "Ward",
  complete: "Complete",
  average: "Average",
  single: "Single",
};

const COVARIANCE_LABELS: Record<CovarianceTypeName, string> = {
  full: "Full",
  tied: "Tied",
  diag: "Diagonal",
  spherical: "Spherical",
};

const METRIC_LABELS: Record<MetricName, string> = {
  euclidean: "Euclidean",
  manhattan: "Manhattan",
  cosine: "Cosine",
};

const SELECTION_LABELS: Record<ClusterSelectionMethodName, string> = {
  eom: "Most stable clusters (EOM)",
  leaf: "Leaves of the tree",
  dbscan: "DBSCAN* cut at eps",
};

interface ControlPanelProps {
  datasets: DatasetSummary[];
  detail: DatasetDetail | null;
  settings: Settings;
  /** The latest result (eps ranges, the k of a dendrogram cut). */
  result: ClusterResult | null;
  maxUploadMb: number;
  uploading: boolean;
  downloadUrl: string | null;
  downloadName: string;
  onChange: (patch: Partial<Settings>) => void;
  onUpload: (file: File) => void;
  onError: (message: string) => void;
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return Number(v.toPrecision(3)).toString();
}

interface RangeProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  testId: string;
  /** `data-testid` of the value shown. Default `<testId>-value`. */
  valueTestId?: string;
  onChange: (v: number) => void;
  /** Shown instead of the value (e.g. "auto 0.42"). */
  display?: string;
  disabled?: boolean;
  hint?: ReactNode;
}

/** A labelled slider with its value and its range. */
function Range(p: RangeProps) {
  return (
    <label className={`field${p.disabled ? " field-disabled" : ""}`}>
      <span className="field-row">
        <span>{p.label}</span>
        <output className="k-value" data-testid={p.valueTestId ?? `${p.testId}-value`}>
          {p.display ?? fmt(p.value)}
        </output>
      </span>
      <input
        type="range"
        min={p.min}
        max={p.max}
        step={p.step}
        value={Math.min(p.max, Math.max(p.min, p.value))}
        disabled={p.disabled}
        data-testid={p.testId}
        onChange={(event) => p.onChange(Number(event.target.value))}
      />
      <span className="range-scale" aria-hidden="true">
        <span>{fmt(p.min)}</span>
        <span>{fmt(p.max)}</span>
      </span>
      {p.hint ? <span className="field-hint">{p.hint}</span> : null}
    </label>
  );
}

interface SelectProps<T extends string> {
  label: string;
  value: T;
  options: Record<T, string>;
  testId: string;
  onChange: (v: T) => void;
  disabled?: Partial<Record<T, boolean>>;
}

function Select<T extends string>(p: SelectProps<T>) {
  return (
    <label className="field">
      <span>{p.label}</span>
      <select data-testid={p.testId} value={p.value} onChange={(event) => p.onChange(event.target.value as T)}>
        {(Object.keys(p.options) as T[]).map((o) => (
          <option key={o} value={o} disabled={p.disabled?.[o]}>
            {p.options[o]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The eps slider's range: from the latest result of the same kind, else none yet. */
function epsRange(result: ClusterResult | null, algorithm: Algorithm): [number, number] | null {
  if (!result || result.algorithm !== algorithm) return null;
  if (algorithm === "dbscan" && result.reachability) return result.reachability.epsRange;
  if (algorithm === "hdbscan" && result.condensedTree) return result.condensedTree.cutRange;
  return null;
}

/** The parameters of the chosen algorithm. */
function AlgorithmParams({ settings: s, result, detail, onChange }: ControlPanelProps) {
  const a = s.algorithm;
  const nRows = detail?.nRows ?? 1000;
  const controls: ReactNode[] = [];
  if (USES_K.includes(a)) {
    const cutK = a === "agglomerative" && s.cutHeight !== null && result?.algorithm === a ? result.k : null;
    controls.push(
      <Range
        key="k"
        label={a === "gmm" ? "Components k" : "Clusters k"}
        value={cutK ?? s.k}
        min={K_MIN}
        max={K_MAX}
        step={1}
        testId="k-slider"
        valueTestId="k-value"
        display={String(cutK ?? s.k)}
        onChange={(k) => onChange({ k, cutHeight: null })}
        hint={
          a === "agglomerative" && s.cutHeight !== null ? (
            <>
              Set by the dendrogram cut at {fmt(s.cutHeight)}.{" "}
              <button type="button" className="text-button" onClick={() => onChange({ cutHeight: null })}>
                Cut into k instead
              </button>
            </>
          ) : undefined
        }
      />,
    );
  }
  if (a === "agglomerative") {
    controls.push(
      <Select
        key="linkage"
        label="Linkage"
        value={s.linkage}
        options={LINKAGE_LABELS}
        testId="linkage-select"
        onChange={(linkage) =>
          onChange({ linkage, cutHeight: null, ...(linkage === "ward" ? { metric: "euclidean" as const } : {}) })
        }
      />,
    );
  }
  if (a === "gmm") {
    controls.push(
      <Select
        key="cov"
        label="Covariance type"
        value={s.covarianceType}
        options={COVARIANCE_LABELS}
        testId="covariance-select"
        onChange={(covarianceType) => onChange({ covarianceType })}
      />,
    );
  }
  if (a === "dbscan" || a === "optics" || a === "hdbscan") {
    controls.push(
      <Range
        key="minSamples"
        label="Min samples"
        value={s.minSamples}
        min={2}
        max={50}
        step={1}
        testId="min-samples-slider"
        onChange={(minSamples) => onChange({ minSamples })}
        hint="Neighbours (itself included) that make a core point"
      />,
    );
  }
  if (a === "hdbscan" || a === "optics") {
    const max = Math.max(20, Math.min(500, Math.floor(nRows / 4)));
    controls.push(
      <Range
        key="mcs"
        label="Min cluster size"
        value={s.minClusterSize}
        min={2}
        max={max}
        step={1}
        testId="min-cluster-size-slider"
        onChange={(minClusterSize) => onChange({ minClusterSize })}
      />,
    );
  }
  if (a === "hdbscan") {
    controls.push(
      <Select
        key="selection"
        label="Cluster selection"
        value={s.clusterSelectionMethod}
        options={SELECTION_LABELS}
        testId="selection-select"
        onChange={(clusterSelectionMethod) => onChange({ clusterSelectionMethod })}
      />,
    );
  }
  if (a === "dbscan" || (a === "hdbscan" && s.clusterSelectionMethod === "dbscan")) {
    const range = epsRange(result, a);
    const resolved = result?.algorithm === a ? (result.params.eps ?? null) : null;
    const value = s.eps ?? resolved ?? 0;
    const [lo, hi] = range ?? [0, 1];
    controls.push(
      <Range
        key="eps"
        label={a === "dbscan" ? "eps (neighbourhood radius)" : "Cut distance eps"}
        value={value}
        min={Number(lo.toPrecision(3))}
        max={Number(hi.toPrecision(3))}
        step={Number(((hi - lo) / 200).toPrecision(2)) || 0.001}
        testId="eps-slider"
        display={range ? `${s.eps === null ? "auto " : ""}${fmt(value)}` : "auto"}
        disabled={!range}
        onChange={(eps) => onChange({ eps })}
        hint={
          s.eps !== null ? (
            <button type="button" className="text-button" onClick={() => onChange({ eps: null })}>
              Use the suggested eps
            </button>
          ) : (
            "On the scaled features; drag the red line on the chart too"
          )
        }
      />,
    );
  }
  if (a === "optics") {
    controls.push(
      <Range
        key="xi"
        label="xi (steepness)"
        value={s.xi}
        min={0.01}
        max={0.5}
        step={0.01}
        testId="xi-slider"
        onChange={(xi) => onChange({ xi })}
      />,
    );
  }
  const metricAllowed =
    a === "kmedoids" || a === "dbscan" || a === "optics" || a === "hdbscan" || a === "agglomerative";
  if (metricAllowed) {
    const wardOnly = a === "agglomerative" && s.linkage === "ward";
    controls.push(
      <Select
        key="metric"
        label="Distance"
        value={wardOnly ? "euclidean" : s.metric}
        options={METRIC_LABELS}
        testId="metric-select"
        disabled={wardOnly ? { manhattan: true, cosine: true } : undefined}
        onChange={(metric) => onChange({ metric, cutHeight: null })}
      />,
    );
  }
  if (a === "affinity-propagation") {
    controls.push(
      <Range
        key="damping"
        label="Damping"
        value={s.damping}
        min={0.5}
        max={0.99}
        step={0.01}
        testId="damping-slider"
        onChange={(damping) => onChange({ damping })}
      />,
    );
  }
  if (a === "meanshift") {
    controls.push(
      <label key="bw-auto" className="check">
        <input
          type="checkbox"
          checked={s.bandwidth === null}
          data-testid="bandwidth-auto"
          onChange={(event) => onChange({ bandwidth: event.target.checked ? null : 1 })}
        />
        <span>Estimate the bandwidth</span>
      </label>,
      <Range
        key="bandwidth"
        label="Bandwidth"
        value={s.bandwidth ?? 1}
        min={0.1}
        max={5}
        step={0.05}
        testId="bandwidth-slider"
        display={s.bandwidth === null ? "auto" : undefined}
        disabled={s.bandwidth === null}
        onChange={(bandwidth) => onChange({ bandwidth })}
      />,
    );
  }
  if (a === "birch") {
    controls.push(
      <Range
        key="threshold"
        label="Threshold (subcluster radius)"
        value={s.threshold}
        min={0.05}
        max={3}
        step={0.05}
        testId="threshold-slider"
        onChange={(threshold) => onChange({ threshold })}
      />,
      <Range
        key="bf"
        label="Branching factor"
        value={s.branchingFactor}
        min={2}
        max={200}
        step={1}
        testId="branching-slider"
        onChange={(branchingFactor) => onChange({ branchingFactor })}
      />,
    );
  }
  if (a === "spectral") {
    controls.push(
      <Select
        key="affinity"
        label="Affinity"
        value={s.affinity}
        options={{ rbf: "RBF kernel", nearestNeighbors: "Nearest-neighbour graph" }}
        testId="affinity-select"
        onChange={(affinity) => onChange({ affinity })}
      />,
    );
    if (s.affinity === "nearestNeighbors") {
      controls.push(
        <Range
          key="nn"
          label="Neighbours"
          value={s.nNeighbors}
          min={2}
          max={50}
          step={1}
          testId="neighbours-slider"
          onChange={(nNeighbors) => onChange({ nNeighbors })}
        />,
      );
    }
  }
  if (a === "minibatch-kmeans") {
    controls.push(
      <Select
        key="batch"
        label="Batch size"
        value={String(s.batchSize) as "256" | "1024" | "4096"}
        options={{ "256": "256", "1024": "1,024", "4096": "4,096" }}
        testId="batch-select"
        onChange={(v) => onChange({ batchSize: Number(v) })}
      />,
    );
  }
  return <>{controls}</>;
}

/** The left panel: data, features, preprocessing, model and export. */
export function ControlPanel(props: ControlPanelProps) {
  const { datasets, detail, settings, onChange } = props;
  const samples = datasets.filter((d) => d.kind === "sample");
  const uploads = datasets.filter((d) => d.kind === "upload");
  const numeric = detail?.columns.filter((c) => c.numeric) ?? [];
  const chosen = new Set(settings.columns);

  function toggle(name: string) {
    const next = numeric.map((c) => c.name).filter((n) => (n === name ? !chosen.has(n) : chosen.has(n)));
    onChange({ columns: next });
  }

  return (
    <aside className="panel" aria-label="Analysis settings">
      <section className="panel-section">
        <h3>Data</h3>
        <label className="field">
          <span>Dataset</span>
          <select
            data-testid="dataset-select"
            value={settings.dataset}
            onChange={(event) => onChange({ dataset: event.target.value })}
          >
            <optgroup label="Samples">
              {samples.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </optgroup>
            {uploads.length > 0 ? (
              <optgroup label="Uploaded">
                {uploads.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </label>
        <Upload
          maxUploadMb={props.maxUploadMb}
          busy={props.uploading}
          onFile={props.onUpload}
          onError={props.onError}
        />
      </section>

      <section className="panel-section">
        <div className="section-title">
          <h3>Features</h3>
          <span className="muted">
            {settings.columns.length} of {numeric.length}
          </span>
        </div>
        <div className="column-actions">
          <button
            type="button"
            className="text-button"
            onClick={() => onChange({ columns: numeric.map((c) => c.name) })}
          >
            All
          </button>
          <button
            type="button"
            className="text-button"
            onClick={() => onChange({ columns: numeric.filter((c) => c.suggested).map((c) => c.name) })}
          >
            Suggested
          </button>
        </div>
        <ul className="columns" data-testid="columns">
          {numeric.map((c) => (
            <li key={c.name}>
              <label className="check">
                <input type="checkbox" checked={chosen.has(c.name)} onChange={() => toggle(c.name)} />
                <span className="column-name" title={c.name}>
                  {c.name}
                </span>
                {c.missing > 0 ? (
                  <span className="badge" title={`${c.missing} missing values: those rows are left out`}>
                    {c.missing} NA
                  </span>
                ) : null}
                {!c.suggested ? (
                  <span className="badge badge-muted" title="looks like a label or an id">
                    label?
                  </span>
                ) : null}
              </label>
            </li>
          ))}
        </ul>
        {detail && detail.columns.length > numeric.length ? (
          <p className="muted small">
            Text columns not used:{" "}
            {detail.columns
              .filter((c) => !c.numeric)
              .map((c) => c.name)
              .join(", ")}
          </p>
        ) : null}
      </section>

      <section className="panel-section">
        <h3>Preprocessing</h3>
        <Select
          label="Scaling"
          value={settings.scaling}
          options={SCALING_LABELS}
          testId="scaling-select"
          onChange={(scaling) => onChange({ scaling })}
        />
      </section>

      <section className="panel-section">
        <h3>Model</h3>
        <label className="field">
          <span>Algorithm</span>
          <select
            data-testid="algorithm-select"
            value={settings.algorithm}
            onChange={(event) => onChange({ algorithm: event.target.value as Algorithm })}
          >
            {ALGORITHM_GROUPS.map(([group, algorithms]) => (
              <optgroup key={group} label={group}>
                {algorithms.map((a) => (
                  <option key={a} value={a}>
                    {ALGORITHM_LABELS[a]}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <AlgorithmParams {...props} />
      </section>

      <section className="panel-section">
        <h3>Export</h3>
        {props.downloadUrl ? (
          <a className="button" href={props.downloadUrl} download={props.downloadName} data-testid="download-csv">
            Download labelled CSV
          </a>
        ) : (
          <span className="button button-disabled" aria-disabled="true">
            Download labelled CSV
          </span>
        )}
        <p className="muted small">
          Every row of the file plus a <code>cluster</code> column (-1: noise).
        </p>
      </section>
    </aside>
  );
}
