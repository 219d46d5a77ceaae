import { anomalyRankFigure, anomalyScatterFigure, formatMetric, formatShort } from "@clusterlab/charts";
import { useEffect, useMemo, useState } from "react";
import { type AnomalyMethod, type AnomalyResult, workflowApi } from "../api.js";
import { ChartCard } from "../components/ChartCard.js";
import { datasetName } from "../components/datasetName.js";
import { OptionSelect } from "../components/OptionSelect.js";
import { Plot } from "../components/Plot.js";
import {
  ColumnSelect,
  DatasetPicker,
  useTableColumns,
  useUploads,
  useWorkflowSamples,
} from "../components/workflows/DatasetPicker.js";
import { useDebounced, useWorkflowRequest } from "../components/workflows/useWorkflowRequest.js";
import { ControlSection, SliderField, Tile, WorkflowShell } from "../components/workflows/WorkflowShell.js";
import type { PageContext } from "./registry.js";

const METHODS: { value: AnomalyMethod; label: string }[] = [
  { value: "kmeans", label: "k-means: distance to the centre" },
  { value: "glosh", label: "HDBSCAN: GLOSH outlier score" },
  { value: "gmm", label: "Gaussian mixture: low likelihood" },
  { value: "dbscan", label: "DBSCAN: noise (distance to a core)" },
];

type Covariance = "full" | "diag" | "spherical" | "tied";

/** Anomalies: rows scored by a clustering, the top ones explained by their unusual features. */
export function AnomaliesPage({ datasets, onError }: PageContext) {
  const samples = useWorkflowSamples(onError);
  const bundled = useMemo(() => (samples?.samples ?? []).filter((s) => s.workflow === "anomalies"), [samples]);
  const [uploads, addUpload] = useUploads(datasets);
  const [dataset, setDataset] = useState<string | null>(null);
  const [method, setMethod] = useState<AnomalyMethod>("kmeans");
  const [k, setK] = useState(1);
  const [covarianceType, setCovarianceType] = useState<Covariance>("diag");
  const [eps, setEps] = useState(2.5);
  const [minSamples, setMinSamples] = useState(5);
  const [minClusterSize, setMinClusterSize] = useState(5);
  const [contamination, setContamination] = useState(0.07);
  const [labelColumn, setLabelColumn] = useState<string | null>(null);
  const [positive, setPositive] = useState("1");
  const [features, setFeatures] = useState<string[]>([]);
  const { columns } = useTableColumns(dataset, bundled, onError);
  const [configured, setConfigured] = useState<string | null>(null);
  const request = useWorkflowRequest<AnomalyResult>();
  const { run } = request;

  useEffect(() => {
    if (dataset === null && bundled.length > 0) setDataset(bundled[0].id);
  }, [dataset, bundled]);
  useEffect(() => {
    if (!dataset || !columns || configured === dataset) return;
    const d = bundled.find((s) => s.id === dataset)?.defaults ?? {};
    const label = typeof d.labelColumn === "string" ? d.labelColumn : null;
    setLabelColumn(label);
    setPositive(typeof d.positive === "string" ? d.positive : "1");
    setFeatures(
      columns.filter((c) => c.numeric && c.name !== label && !/(^|_)id$|^id|^target/i.test(c.name)).map((c) => c.name),
    );
    setConfigured(dataset);
  }, [dataset, columns, bundled, configured]);

  const usedFeatures = features.filter((f) => f !== labelColumn);
  const ready = dataset !== null && configured === dataset && usedFeatures.length > 0;
  useDebounced(
    () => {
      if (!ready || !dataset) return;
      run("anomalies", (jobId, signal) =>
        workflowApi.anomalies(
          {
            dataset,
            method,
            columns: usedFeatures,
            labelColumn,
            positive,
            contamination,
            k,
            covarianceType,
            eps,
            minSamples,
            minClusterSize,
            jobId,
          },
          signal,
        ),
      );
    },
    ready
      ? JSON.stringify([
          dataset,
          method,
          usedFeatures,
          labelColumn,
          positive,
          contamination,
          k,
          covarianceType,
          eps,
          minSamples,
          minClusterSize,
        ])
      : "",
    250,
  );

  const r = request.result;
  const numeric = (columns ?? []).filter((c) => c.numeric && c.name !== labelColumn);
  const name = datasetName(bundled, uploads, dataset, "Anomalies");
  const ev = r?.evaluation ?? null;

  const controls = (
    <>
      <ControlSection title="Data">
        <DatasetPicker
          samples={bundled}
          uploads={uploads}
          value={dataset}
          maxUploadMb={100}
          testId="anomalies-dataset"
          onChange={setDataset}
          onUploaded={addUpload}
          onError={onError}
        />
        {columns ? (
          <ColumnSelect
            label="Known outliers (for evaluation only)"
            value={labelColumn}
            columns={columns}
            allowNone="none"
            testId="anomalies-label"
            onChange={setLabelColumn}
          />
        ) : null}
        {labelColumn !== null ? (
          <label className="field">
            Outlier value
            <span className="wf-inline">
              <input
                type="text"
                value={positive}
                data-testid="anomalies-positive"
                onChange={(e) => setPositive(e.target.value)}
              />
            </span>
          </label>
        ) : null}
        {columns ? (
          <div className="field">
            <span className="field-row">
              Features{" "}
              <span className="muted small">
                {usedFeatures.length} of {numeric.length}, standardised
              </span>
            </span>
            <div className="wf-checks" data-testid="anomalies-features">
              {numeric.map((c) => (
                <label key={c.name} className="check">
                  <input
                    type="checkbox"
                    checked={features.includes(c.name)}
                    onChange={(e) =>
                      setFeatures((list) => (e.target.checked ? [...list, c.name] : list.filter((n) => n !== c.name)))
                    }
                  />
                  <span className="column-name">{c.name}</span>
                </label>
              ))}
            </div>
          </div>
        ) : null}
      </ControlSection>
      <ControlSection title="Method">
        <OptionSelect label="Score" value={method} options={METHODS} testId="anomalies-method" onChange={setMethod} />
        {method === "kmeans" || method === "gmm" ? (
          <SliderField
            label={method === "gmm" ? "Components" : "Clusters (k)"}
            value={k}
            min={1}
            max={10}
            testId="anomalies-k"
            onChange={setK}
          />
        ) : null}
        {method === "gmm" ? (
          <label className="field">
            Covariance
            <select
              value={covarianceType}
              data-testid="anomalies-covariance"
              onChange={(e) => setCovarianceType(e.target.value as Covariance)}
            >
              <option value="full">full</option>
              <option value="diag">diagonal</option>
              <option value="spherical">spherical</option>
              <option value="tied">tied</option>
            </select>
          </label>
        ) : null}
        {method === "dbscan" ? (
          <>
            <SliderField
              label="eps (standardised units)"
              value={eps}
              min={0.5}
              max={6}
              step={0.1}
              format={(v) => v.toFixed(1)}
              testId="anomalies-eps"
              onChange={setEps}
            />
            <SliderField
              label="Min samples"
              value={minSamples}
              min={2}
              max={20}
              testId="anomalies-min-samples"
              onChange={setMinSamples}
            />
          </>
        ) : null}
        {method === "glosh" ? (
          <SliderField
            label="Smallest cluster"
            value={minClusterSize}
            min={2}
            max={40}
            testId="anomalies-min-cluster-size"
            onChange={setMinClusterSize}
          />
        ) : null}
        <SliderField
          label="Contamination"
          value={contamination}
          min={0.01}
          max={0.5}
          step={0.01}
          format={(v) => `${Math.round(v * 100)}%`}
          testId="anomalies-contamination"
          onChange={setContamination}
        />
        <p className="wf-note">The share of rows flagged: those with the highest scores.</p>
      </ControlSection>
    </>
  );

  return (
    <WorkflowShell
      id="anomalies"
      title={name}
      intro="Rows scored by how badly they fit a clustering; the flagged ones and the features that make them unusual"
      controls={controls}
      request={request}
    >
      {r ? (
        <>
          <div className="metrics">
            <Tile
              label="Flagged"
              value={`${r.nAnomalies} of ${r.nRows.toLocaleString("en-US")}`}
              hint={`score ≥ ${r.threshold === null ? "–" : formatShort(r.threshold)}`}
              testId="flagged"
            />
            <Tile
              label="Clusters"
              value={String(r.nClusters)}
              hint={r.nNoise > 0 ? `+ ${r.nNoise} noise rows` : `${r.columns.length} features`}
              testId="clusters"
            />
            {ev ? (
              <>
                <Tile
                  label="ROC AUC"
                  value={formatMetric(ev.rocAuc)}
                  hint={`${ev.nPositive} known outliers`}
                  testId="auc"
                />
                <Tile
                  label="Average precision"
                  value={formatMetric(ev.averagePrecision)}
                  hint={`chance ${formatMetric(ev.nPositive / r.nRows)}`}
                  testId="ap"
                />
                <Tile
                  label="Precision"
                  value={formatMetric(ev.flagged?.precision ?? null)}
                  hint={`of the ${r.nAnomalies} flagged`}
                  testId="precision"
                />
                <Tile
                  label="Recall"
                  value={formatMetric(ev.flagged?.recall ?? null)}
                  hint={`at the true share: P = R = ${formatMetric(ev.atTrueContamination.precision)}`}
                  testId="recall"
                />
              </>
            ) : (
              <Tile label="Evaluation" value="–" hint="choose a column of known outliers" testId="auc" />
            )}
          </div>
          {r.warnings.length > 0 ? <div className="banner banner-warning">{r.warnings.join(" · ")}</div> : null}
          <div className="grid">
            <ChartCard
              title="Rows on two principal components"
              subtitle={`colour = ${r.description}; red rings: flagged${r.map.known ? "; diamonds: known outliers" : ""}`}
              busy={request.busy}
              testId="card-anomaly-scatter"
            >
              <Plot figure={anomalyScatterFigure(r.map)} testId="anomaly-scatter" height={380} />
            </ChartCard>
            <ChartCard
              title="Scores, ranked"
              subtitle="every row's score, highest first; red = flagged, dashed = the cut"
              busy={request.busy}
              testId="card-anomaly-rank"
            >
              <Plot figure={anomalyRankFigure(r.map, r.threshold)} testId="anomaly-rank" height={380} />
            </ChartCard>
            <ChartCard
              title="Flagged rows"
              subtitle="highest score first, with the features furthest from their cluster's typical values (in standard deviations)"
              wide
              busy={request.busy}
              testId="card-anomaly-table"
            >
              <div className="wf-table-wrap">
                <table className="wf-table" data-testid="anomaly-table">
                  <thead>
                    <tr>
                      <th className="num">#</th>
                      <th className="num">Row</th>
                      <th className="num">Score</th>
                      {r.map.known ? <th>Known outlier</th> : null}
                      <th>Cluster</th>
                      <th>What makes it unusual</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.anomalies.map((a) => (
                      <tr key={a.row} className={a.known ? "wf-known" : undefined}>
                        <td className="num">{a.rank}</td>
                        <td className="num">{a.row}</td>
                        <td className="num">{formatShort(a.score)}</td>
                        {r.map.known ? <td>{a.known ? "yes" : "no"}</td> : null}
                        <td>
                          {a.cluster >= 0
                            ? a.cluster
                            : a.comparedWith >= 0
                              ? `noise (near ${a.comparedWith})`
                              : "noise"}
                        </td>
                        <td>
                          {a.features.map((f) => (
                            <span key={f.feature} className="wf-feature">
                              {f.feature} <b>{formatShort(f.value)}</b>{" "}
                              <span className="muted">vs {formatShort(f.typical)}</span>{" "}
                              <span className={f.direction === "higher" ? "wf-up" : "wf-down"}>
                                {f.z >= 0 ? "+" : ""}
                                {f.z.toFixed(1)} sd
                              </span>
                            </span>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </ChartCard>
          </div>
        </>
      ) : (
        <div className="skeleton" style={{ height: 420 }} />
      )}
    </WorkflowShell>
  );
}
