import { type ReactNode, useEffect, useRef } from "react";
import type {
  Algorithm,
  CategoricalImputationName,
  ClustermapNormalization,
  ClusterResult,
  ClusterSelectionMethodName,
  CovarianceTypeName,
  DatasetDetail,
  DatasetSummary,
  EncodingName,
  Linkage,
  MetricName,
  NumericImputationName,
  Scaling,
  SpectralAffinityName,
  TransformName,
} from "../api.js";
import { useProfile } from "../pages/dataModel.js";
import {
  DEFAULT_PREPROCESS,
  featureOptions,
  type PreprocessSettings,
  type RoleOverrides,
  suggestedCategorical,
} from "../preprocess.js";
import { DatasetOptions } from "./DatasetOptions.js";
import { ExportLinks } from "./ExportLinks.js";
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
  /** Column roles set on the Data page, per dataset (they decide the features offered). */
  roles: RoleOverrides;
  /** The Preprocess section: imputation, encoding, transform, outliers, PCA (`preprocess.ts`). */
  preprocess: PreprocessSettings;
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
  roles: {},
  preprocess: DEFAULT_PREPROCESS,
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

const NUMERIC_IMPUTATION_LABELS: Record<NumericImputationName, string> = {
  drop: "Drop the rows",
  mean: "Fill with the mean",
  median: "Fill with the median",
  mostFrequent: "Fill with the most frequent",
};

const CATEGORICAL_IMPUTATION_LABELS: Record<CategoricalImputationName, string> = {
  mostFrequent: "Most frequent category",
  constant: "A category of its own",
  drop: "Drop the rows",
};

const ENCODING_LABELS: Record<EncodingName, string> = {
  none: "Off (numbers only)",
  onehot: "One-hot (0/1 per category)",
  ordinal: "Ordinal (category codes)",
};

const TRANSFORM_LABELS: Record<TransformName, string> = {
  none: "None",
  log1p: "log(1 + x) (counts, amounts)",
  yeoJohnson: "Yeo-Johnson (any sign)",
};

const PCA_LABELS: Record<PreprocessSettings["pca"], string> = {
  none: "Off",
  components: "Number of components",
  variance: "Share of variance kept",
};

const OUTLIER_LABELS: Record<PreprocessSettings["outliers"], string> = {
  none: "Keep every row",
  iqr: "Remove (IQR rule)",
};

interface PreprocessSectionProps {
  settings: Settings;
  nColumns: number;
  onChange: (patch: Partial<Settings>) => void;
  onPreprocess: (patch: Partial<PreprocessSettings>) => void;
}

/**
 * Preprocess: what happens to the features before clustering, in this order: missing values,
 * transform, outlier removal, scaling, encoding of categories, PCA (the analysis spec's order).
 */
function PreprocessSection({ settings, nColumns, onChange, onPreprocess }: PreprocessSectionProps) {
  const p = settings.preprocess;
  const maxComponents = Math.max(1, nColumns);
  return (
    <section className="panel-section" data-testid="preprocess">
      <div className="section-title">
        <h3>Preprocess</h3>
        <a className="small" href="#/data" title="Each feature before and after, on the Data page">
          Before / after
        </a>
      </div>
      <Select
        label="Missing numbers"
        value={p.numericImputation}
        options={NUMERIC_IMPUTATION_LABELS}
        testId="impute-numeric-select"
        onChange={(numericImputation) => onPreprocess({ numericImputation })}
      />
      <Select
        label="Categorical encoding"
        value={p.encoding}
        options={ENCODING_LABELS}
        testId="encoding-select"
        onChange={(encoding) => onPreprocess({ encoding })}
      />
      {p.encoding !== "none" ? (
        <Select
          label="Missing categories"
          value={p.categoricalImputation}
          options={CATEGORICAL_IMPUTATION_LABELS}
          testId="impute-categorical-select"
          onChange={(categoricalImputation) => onPreprocess({ categoricalImputation })}
        />
      ) : null}
      <Select
        label="Transform"
        value={p.transform}
        options={TRANSFORM_LABELS}
        testId="transform-select"
        onChange={(transform) => onPreprocess({ transform })}
      />
      <Select
        label="Outliers"
        value={p.outliers}
        options={OUTLIER_LABELS}
        testId="outliers-select"
        onChange={(outliers) => onPreprocess({ outliers })}
      />
      {p.outliers === "iqr" ? (
        <Range
          label="IQR factor"
          value={p.outlierFactor}
          min={0.5}
          max={5}
          step={0.1}
          testId="outlier-factor-slider"
          onChange={(outlierFactor) => onPreprocess({ outlierFactor })}
          hint="Rows with a number outside [Q1 − f·IQR, Q3 + f·IQR] get no cluster"
        />
      ) : null}
      <Select
        label="Scaling"
        value={settings.scaling}
        options={SCALING_LABELS}
        testId="scaling-select"
        onChange={(scaling) => onChange({ scaling })}
      />
      <Select
        label="PCA"
        value={p.pca}
        options={PCA_LABELS}
        testId="pca-select"
        onChange={(pca) => onPreprocess({ pca })}
      />
      {p.pca === "components" ? (
        <Range
          label="Components"
          value={Math.min(p.pcaComponents, maxComponents)}
          min={1}
          max={Math.max(2, maxComponents)}
          step={1}
          testId="pca-components-slider"
          onChange={(pcaComponents) => onPreprocess({ pcaComponents })}
          hint="The clusterer sees the first principal components"
        />
      ) : null}
      {p.pca === "variance" ? (
        <Range
          label="Variance kept"
          value={p.pcaVariance}
          min={0.5}
          max={0.99}
          step={0.01}
          testId="pca-variance-slider"
          display={`${Math.round(p.pcaVariance * 100)}%`}
          onChange={(pcaVariance) => onPreprocess({ pcaVariance })}
          hint="The fewest components that keep this share of the variance"
        />
      ) : null}
    </section>
  );
}

/** The left panel: data, features, preprocessing, model and export. */
export function ControlPanel(props: ControlPanelProps) {
  const { datasets, detail, settings, onChange } = props;
  const samples = datasets.filter((d) => d.kind === "sample");
  const uploads = datasets.filter((d) => d.kind === "upload");
  const overrides = settings.roles[settings.dataset];
  const { profile } = useProfile(settings.dataset, overrides);
  const options = featureOptions(detail, overrides, profile?.columns ?? null);
  const numericNames = new Set(options.numeric);
  const numeric = detail?.columns.filter((c) => numericNames.has(c.name)) ?? [];
  const chosen = new Set(settings.columns);
  const order = [...options.numeric, ...options.categorical];
  const encoding = settings.preprocess.encoding;
  const chosenCategorical = options.categorical.filter((name) => chosen.has(name));

  function toggle(name: string) {
    const next = order.filter((n) => (n === name ? !chosen.has(n) : chosen.has(n)));
    onChange({ columns: next });
  }

  /** Numeric columns from `names`, the chosen categorical ones kept. */
  function numericColumns(names: string[]): string[] {
    const keep = new Set([...names, ...chosenCategorical]);
    return order.filter((n) => keep.has(n));
  }

  // With an encoding on, a newly opened dataset gets its categorical features ticked too (once).
  const ticked = useRef<string | null>(null);
  const profileReady = profile !== null && detail !== null && profile.dataset === detail.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the dataset's columns and profile arrive
  useEffect(() => {
    if (!profileReady || !detail || detail.id !== settings.dataset || ticked.current === detail.id) return;
    ticked.current = detail.id;
    if (encoding === "none" || chosenCategorical.length > 0) return;
    const add = new Set(suggestedCategorical(options));
    if (add.size > 0) onChange({ columns: order.filter((n) => chosen.has(n) || add.has(n)) });
  }, [profileReady, detail?.id]);

  function setPreprocess(patch: Partial<PreprocessSettings>) {
    const next = { ...settings.preprocess, ...patch };
    const change: Partial<Settings> = { preprocess: next };
    if (patch.encoding !== undefined && patch.encoding !== encoding) {
      const categorical = new Set(options.categorical);
      if (patch.encoding === "none") {
        // Categories cannot be used without an encoding.
        change.columns = settings.columns.filter((n) => !categorical.has(n));
      } else if (encoding === "none" && chosenCategorical.length === 0) {
        // Switched on: the categorical features are ticked, but label-like ones (species, id).
        const add = new Set(suggestedCategorical(options));
        change.columns = order.filter((n) => chosen.has(n) || add.has(n));
      }
    }
    onChange(change);
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
            <DatasetOptions samples={samples} uploads={uploads} />
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
            {settings.columns.length - chosenCategorical.length} of {numeric.length}
          </span>
        </div>
        <div className="column-actions">
          <button
            type="button"
            className="text-button"
            onClick={() => onChange({ columns: numericColumns(numeric.map((c) => c.name)) })}
          >
            All
          </button>
          <button
            type="button"
            className="text-button"
            onClick={() => onChange({ columns: numericColumns(numeric.filter((c) => c.suggested).map((c) => c.name)) })}
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
        {options.categorical.length > 0 ? (
          <div className="prep-categorical">
            <div className="section-title">
              <span className="prep-subtitle">Categorical</span>
              <span className="muted">
                {chosenCategorical.length} of {options.categorical.length}
              </span>
            </div>
            <ul className="columns" data-testid="categorical-columns">
              {options.categorical.map((name) => (
                <li key={name}>
                  <label className={`check${encoding === "none" ? " check-disabled" : ""}`}>
                    <input
                      type="checkbox"
                      checked={chosen.has(name)}
                      disabled={encoding === "none"}
                      onChange={() => toggle(name)}
                    />
                    <span className="column-name" title={name}>
                      {name}
                    </span>
                    {profile?.columns.find((c) => c.name === name)?.distinct ? (
                      <span className="badge badge-muted">
                        {profile.columns.find((c) => c.name === name)!.distinct} values
                      </span>
                    ) : null}
                  </label>
                </li>
              ))}
            </ul>
            {encoding === "none" ? (
              <p className="muted small">Choose an encoding under Preprocess to use these.</p>
            ) : null}
          </div>
        ) : null}
        {options.excluded.length > 0 ? (
          <p className="muted small" data-testid="columns-not-used">
            Not used: {options.excluded.map((c) => `${c.name} (${c.role})`).join(", ")}.{" "}
            <a href="#/data">Change roles on the Data page</a>
          </p>
        ) : null}
      </section>

      <PreprocessSection
        settings={settings}
        nColumns={settings.columns.length}
        onChange={onChange}
        onPreprocess={setPreprocess}
      />

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
        <ExportLinks
          runId={props.downloadUrl && props.result ? props.result.runId : null}
          algorithm={props.result?.algorithm ?? null}
          baseName={props.downloadName.replace(/-clusters\.csv$/, "")}
          onError={props.onError}
        />
      </section>
    </aside>
  );
}
