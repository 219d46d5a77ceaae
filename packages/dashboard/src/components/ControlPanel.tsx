import type { Algorithm, CovarianceTypeName, DatasetDetail, DatasetSummary, Linkage, Scaling } from "../api.js";
import { Upload } from "./Upload.js";

/** Everything the user can set; the results follow from it. */
export interface Settings {
  dataset: string;
  columns: string[];
  scaling: Scaling;
  algorithm: Algorithm;
  k: number;
  linkage: Linkage;
  covarianceType: CovarianceTypeName;
}

export const K_MIN = 2;
export const K_MAX = 12;

const ALGORITHM_LABELS: Record<Algorithm, string> = {
  kmeans: "K-means",
  "minibatch-kmeans": "Mini-batch k-means",
  "bisecting-kmeans": "Bisecting k-means",
  gmm: "Gaussian mixture",
  agglomerative: "Agglomerative (hierarchical)",
};

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

interface ControlPanelProps {
  datasets: DatasetSummary[];
  detail: DatasetDetail | null;
  settings: Settings;
  maxUploadMb: number;
  uploading: boolean;
  downloadUrl: string | null;
  downloadName: string;
  onChange: (patch: Partial<Settings>) => void;
  onUpload: (file: File) => void;
  onError: (message: string) => void;
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
        <label className="field">
          <span>Scaling</span>
          <select
            data-testid="scaling-select"
            value={settings.scaling}
            onChange={(event) => onChange({ scaling: event.target.value as Scaling })}
          >
            {(Object.keys(SCALING_LABELS) as Scaling[]).map((s) => (
              <option key={s} value={s}>
                {SCALING_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
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
            {(Object.keys(ALGORITHM_LABELS) as Algorithm[]).map((a) => (
              <option key={a} value={a}>
                {ALGORITHM_LABELS[a]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-row">
            <span>{settings.algorithm === "gmm" ? "Components k" : "Clusters k"}</span>
            <output className="k-value" data-testid="k-value">
              {settings.k}
            </output>
          </span>
          <input
            type="range"
            min={K_MIN}
            max={K_MAX}
            step={1}
            value={settings.k}
            data-testid="k-slider"
            onChange={(event) => onChange({ k: Number(event.target.value) })}
          />
          <span className="range-scale" aria-hidden="true">
            <span>{K_MIN}</span>
            <span>{K_MAX}</span>
          </span>
        </label>
        {settings.algorithm === "agglomerative" ? (
          <label className="field">
            <span>Linkage</span>
            <select
              data-testid="linkage-select"
              value={settings.linkage}
              onChange={(event) => onChange({ linkage: event.target.value as Linkage })}
            >
              {(Object.keys(LINKAGE_LABELS) as Linkage[]).map((l) => (
                <option key={l} value={l}>
                  {LINKAGE_LABELS[l]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {settings.algorithm === "gmm" ? (
          <label className="field">
            <span>Covariance type</span>
            <select
              data-testid="covariance-select"
              value={settings.covarianceType}
              onChange={(event) => onChange({ covarianceType: event.target.value as CovarianceTypeName })}
            >
              {(Object.keys(COVARIANCE_LABELS) as CovarianceTypeName[]).map((c) => (
                <option key={c} value={c}>
                  {COVARIANCE_LABELS[c]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
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
          Every row of the file plus a <code>cluster</code> column.
        </p>
      </section>
    </aside>
  );
}
