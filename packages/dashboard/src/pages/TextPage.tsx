import {
  clusterColor,
  clusterName,
  contingencyFigure,
  formatMetric,
  percent,
  textMapFigure,
  topTermsFigure,
} from "@clusterlab/charts";
import { useEffect, useMemo, useState } from "react";
import { type TextAlgorithmName, type TextClusterResult, type WorkflowColumn, workflowApi } from "../api.js";
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
import { ControlSection, Segmented, SliderField, Tile, WorkflowShell } from "../components/workflows/WorkflowShell.js";
import type { PageContext } from "./registry.js";

const ALGORITHMS: { value: TextAlgorithmName; label: string }[] = [
  { value: "kmeans", label: "Spherical k-means (cosine)" },
  { value: "agglomerative", label: "Agglomerative (cosine, average)" },
  { value: "hdbscan", label: "HDBSCAN on LSA" },
];

/** Documents by topic: TF-IDF, LSA and a clustering, described by top terms and representative documents. */
export function TextPage({ datasets, onError }: PageContext) {
  const samples = useWorkflowSamples(onError);
  const bundled = useMemo(() => (samples?.samples ?? []).filter((s) => s.workflow === "text"), [samples]);
  const [uploads, addUpload] = useUploads(datasets);
  const [dataset, setDataset] = useState<string | null>(null);
  const [textColumns, setTextColumns] = useState<string[]>([]);
  const [labelColumn, setLabelColumn] = useState<string | null>(null);
  const [algorithm, setAlgorithm] = useState<TextAlgorithmName>("kmeans");
  const [k, setK] = useState(8);
  const [minClusterSize, setMinClusterSize] = useState(10);
  const [bySymbol, setBySymbol] = useState<"cluster" | "class">("cluster");
  const { columns } = useTableColumns(dataset, bundled, onError);
  const request = useWorkflowRequest<TextClusterResult>();
  const { run } = request;

  // Start on the bundled corpus; a new table gets its suggested (or first) text column.
  useEffect(() => {
    if (dataset === null && bundled.length > 0) setDataset(bundled[0].id);
  }, [dataset, bundled]);
  const [configured, setConfigured] = useState<string | null>(null);
  useEffect(() => {
    if (!dataset || !columns || configured === dataset) return;
    const sample = bundled.find((s) => s.id === dataset);
    const text = columns.filter((c) => !c.numeric).map((c) => c.name);
    const suggested = (sample?.defaults.textColumns as string[] | undefined) ?? text.slice(0, 1);
    setTextColumns(suggested.filter((c) => text.includes(c)));
    setLabelColumn((sample?.defaults.labelColumn as string | undefined) ?? null);
    setConfigured(dataset);
  }, [dataset, columns, bundled, configured]);

  const ready = dataset !== null && configured === dataset && textColumns.length > 0;
  useDebounced(
    () => {
      if (!ready || !dataset) return;
      run("text", (jobId, signal) =>
        workflowApi.text({ dataset, textColumns, labelColumn, algorithm, k, minClusterSize, jobId }, signal),
      );
    },
    ready ? JSON.stringify([dataset, textColumns, labelColumn, algorithm, k, minClusterSize]) : "",
    300,
  );

  const r = request.result;
  const stringColumns: WorkflowColumn[] = (columns ?? []).filter((c) => !c.numeric);
  const labelChoices: WorkflowColumn[] = (columns ?? []).filter((c) => !textColumns.includes(c.name));
  const name = datasetName(bundled, uploads, dataset, "Documents");

  const controls = (
    <>
      <ControlSection title="Corpus">
        <DatasetPicker
          samples={bundled}
          uploads={uploads}
          value={dataset}
          maxUploadMb={100}
          testId="text-dataset"
          onChange={setDataset}
          onUploaded={addUpload}
          onError={onError}
        />
        {columns ? (
          <div className="field">
            Text columns
            <div className="wf-checks" data-testid="text-columns">
              {stringColumns.length === 0 ? <span className="muted small">no text column in this file</span> : null}
              {stringColumns.map((c) => (
                <label key={c.name} className="check">
                  <input
                    type="checkbox"
                    checked={textColumns.includes(c.name)}
                    onChange={(e) =>
                      setTextColumns((list) =>
                        e.target.checked ? [...list, c.name] : list.filter((n) => n !== c.name),
                      )
                    }
                  />
                  <span className="column-name">{c.name}</span>
                </label>
              ))}
            </div>
          </div>
        ) : null}
        {columns ? (
          <ColumnSelect
            label="Known classes (for the scores only)"
            value={labelColumn}
            columns={labelChoices}
            allowNone="none"
            testId="text-label"
            onChange={setLabelColumn}
          />
        ) : null}
      </ControlSection>
      <ControlSection title="Clustering">
        <OptionSelect
          label="Algorithm"
          value={algorithm}
          options={ALGORITHMS}
          testId="text-algorithm"
          onChange={setAlgorithm}
        />
        {algorithm === "hdbscan" ? (
          <SliderField
            label="Smallest cluster"
            value={minClusterSize}
            min={3}
            max={60}
            testId="text-min-cluster-size"
            onChange={setMinClusterSize}
          />
        ) : (
          <SliderField label="Clusters (k)" value={k} min={2} max={20} testId="text-k" onChange={setK} />
        )}
        <p className="wf-note">
          TF-IDF (sublinear tf, terms in at least 2 and at most 95% of the documents), reduced to 100 LSA dimensions.
        </p>
      </ControlSection>
    </>
  );

  const noise = r ? r.nNoise + r.nEmpty : 0;
  return (
    <WorkflowShell
      id="text"
      title={name}
      intro="Documents grouped by topic: the words that define each group, its typical documents and a map"
      controls={controls}
      request={request}
    >
      {r ? (
        <div className="metrics">
          <Tile
            label="Documents"
            value={r.nDocuments.toLocaleString("en-US")}
            hint={`${r.vocabularySize.toLocaleString("en-US")} terms`}
            testId="documents"
          />
          <Tile
            label="Clusters"
            value={String(r.nClusters)}
            hint={noise > 0 ? `+ ${noise} unassigned (grey)` : r.algorithm}
            testId="clusters"
          />
          <Tile
            label="LSA variance"
            value={percent(r.lsa.explainedVarianceRatio)}
            hint={`${r.lsa.nComponents} dimensions`}
            testId="lsa"
          />
          {r.external ? (
            <>
              <Tile
                label="Adjusted Rand"
                value={formatMetric(r.external.adjustedRandIndex)}
                hint={`vs ${r.external.labelColumn}`}
                testId="ari"
              />
              <Tile
                label="NMI"
                value={formatMetric(r.external.normalizedMutualInfo)}
                hint={`homog. ${formatMetric(r.external.homogeneity)} · compl. ${formatMetric(r.external.completeness)}`}
                testId="nmi"
              />
            </>
          ) : (
            <Tile label="External scores" value="–" hint="choose a column of known classes" testId="ari" />
          )}
        </div>
      ) : (
        <div className="metrics metrics-placeholder skeleton" />
      )}
      {r && r.warnings.length > 0 ? <div className="banner banner-warning">{r.warnings.join(" · ")}</div> : null}
      {r ? (
        <>
          <div className="grid">
            <ChartCard
              title="Map of the documents"
              subtitle={`PCA of the LSA embedding, coloured by cluster${r.map.sampled ? ` (${r.map.x.length.toLocaleString("en-US")} shown)` : ""}; hover a point to read it`}
              wide
              busy={request.busy}
              testId="card-text-map"
              actions={
                r.map.label ? (
                  <Segmented
                    value={bySymbol}
                    testId="text-symbols"
                    options={[
                      { value: "cluster", label: "Colour" },
                      { value: "class", label: "+ class shape" },
                    ]}
                    onChange={setBySymbol}
                  />
                ) : null
              }
            >
              <Plot figure={textMapFigure(r.map, { bySymbol: bySymbol === "class" })} testId="text-map" height={440} />
            </ChartCard>
          </div>
          <div className="wf-cluster-grid" data-testid="text-clusters">
            {r.clusters.map((c) => (
              <section key={c.cluster} className="card wf-cluster" data-testid={`text-cluster-${c.cluster}`}>
                <header className="wf-cluster-header">
                  <span className="wf-dot" style={{ background: clusterColor(c.cluster) }} />
                  <h2>{clusterName(c.cluster)}</h2>
                  <span className="muted small">
                    {c.size.toLocaleString("en-US")} documents · {percent(c.share)}
                  </span>
                </header>
                <p className="wf-terms">
                  {c.topTerms
                    .slice(0, 5)
                    .map((t) => t.term)
                    .join(" · ")}
                </p>
                <Plot figure={topTermsFigure(c)} testId={`top-terms-${c.cluster}`} height={210} lazy />
                <ol className="wf-reps">
                  {c.representatives.map((rep) => (
                    <li key={rep.row} title={`row ${rep.row}, cosine similarity ${rep.similarity.toFixed(3)}`}>
                      {rep.label ? <span className="badge">{rep.label}</span> : null} {rep.preview}
                    </li>
                  ))}
                </ol>
              </section>
            ))}
          </div>
          {r.external ? (
            <div className="grid">
              <ChartCard
                title={`Clusters against ${r.external.labelColumn}`}
                subtitle="documents per cluster and class; colour = share of the cluster"
                wide
                testId="card-text-contingency"
              >
                <Plot
                  figure={contingencyFigure({
                    rows: r.external.contingency.clusters.map((c) => clusterName(c)),
                    columns: r.external.contingency.classes,
                    counts: r.external.contingency.counts,
                    rowTitle: "cluster",
                    columnTitle: r.external.labelColumn,
                  })}
                  testId="text-contingency"
                  height={Math.max(220, 30 * r.external.contingency.clusters.length + 90)}
                  lazy
                />
              </ChartCard>
            </div>
          ) : null}
        </>
      ) : (
        <div className="skeleton" style={{ height: 440 }} />
      )}
    </WorkflowShell>
  );
}
