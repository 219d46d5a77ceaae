import {
  clusterColor,
  contingencyFigure,
  formatMetric,
  formatValue,
  percent,
  rfmGridFigure,
  rfmScatterFigure,
  segmentColor,
  segmentSizesFigure,
  wrap,
} from "@clusterlab/charts";
import { useEffect, useMemo, useState } from "react";
import { type RfmResult, workflowApi } from "../api.js";
import { AutoKField } from "../components/AutoKField.js";
import { ChartCard } from "../components/ChartCard.js";
import { datasetName } from "../components/datasetName.js";
import { Plot } from "../components/Plot.js";
import {
  ColumnSelect,
  DatasetPicker,
  useTableColumns,
  useUploads,
  useWorkflowSamples,
} from "../components/workflows/DatasetPicker.js";
import { useDebounced, useWorkflowRequest } from "../components/workflows/useWorkflowRequest.js";
import { ControlSection, Tile, WorkflowShell } from "../components/workflows/WorkflowShell.js";
import type { PageContext } from "./registry.js";

interface Mapping {
  customerId: string | null;
  date: string | null;
  amount: string | null;
  orderId: string | null;
}

/** A column whose name matches one of the patterns (case-insensitive), else null. */
function guess(names: readonly string[], patterns: readonly RegExp[]): string | null {
  for (const p of patterns) {
    const hit = names.find((n) => p.test(n));
    if (hit) return hit;
  }
  return null;
}

function money(v: number): string {
  return v >= 1000 ? Math.round(v).toLocaleString("en-US") : v.toFixed(v >= 100 ? 0 : 2);
}

/** Customer segmentation: RFM scores and named segments from transactions, then clusters on R, F, M. */
export function CustomersPage({ datasets, onError }: PageContext) {
  const samples = useWorkflowSamples(onError);
  const bundled = useMemo(() => (samples?.samples ?? []).filter((s) => s.workflow === "rfm"), [samples]);
  const [uploads, addUpload] = useUploads(datasets);
  const [dataset, setDataset] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Mapping>({ customerId: null, date: null, amount: null, orderId: null });
  const [asOf, setAsOf] = useState("");
  const [autoK, setAutoK] = useState(false);
  const [k, setK] = useState(4);
  const { columns } = useTableColumns(dataset, bundled, onError);
  const [configured, setConfigured] = useState<string | null>(null);
  const request = useWorkflowRequest<RfmResult>();
  const { run } = request;

  useEffect(() => {
    if (dataset === null && bundled.length > 0) setDataset(bundled[0].id);
  }, [dataset, bundled]);
  useEffect(() => {
    if (!dataset || !columns || configured === dataset) return;
    const d = bundled.find((s) => s.id === dataset)?.defaults ?? {};
    const names = columns.map((c) => c.name);
    const numeric = columns.filter((c) => c.numeric).map((c) => c.name);
    const used = new Set<string>();
    const pick = (key: string, patterns: RegExp[], among = names) => {
      const given = typeof d[key] === "string" && names.includes(d[key] as string) ? (d[key] as string) : null;
      const hit =
        given ??
        guess(
          among.filter((n) => !used.has(n)),
          patterns,
        );
      if (hit) used.add(hit);
      return hit;
    };
    const customerId = pick("customerId", [/^customer_?id$/i, /customer|client|user/i]);
    const date = pick("date", [/^(order_?)?date$/i, /date|time|day/i]);
    const amount = pick("amount", [/^amount$/i, /amount|total|revenue|price|value|spend/i], numeric);
    const orderId = pick("orderId", [/^order_?id$/i, /^invoice/i, /order_?(no|num|number)$/i]);
    setMapping({ customerId, date, amount, orderId });
    setAsOf("");
    setConfigured(dataset);
  }, [dataset, columns, bundled, configured]);

  const ready =
    dataset !== null && configured === dataset && !!mapping.customerId && !!mapping.date && !!mapping.amount;
  useDebounced(
    () => {
      if (!ready || !dataset) return;
      run("rfm", (jobId, signal) =>
        workflowApi.rfm(
          {
            dataset,
            customerId: mapping.customerId!,
            date: mapping.date!,
            amount: mapping.amount!,
            orderId: mapping.orderId,
            asOf: asOf === "" ? null : asOf,
            k: autoK ? null : k,
            jobId,
          },
          signal,
        ),
      );
    },
    ready ? JSON.stringify([dataset, mapping, asOf, autoK, k]) : "",
    300,
  );

  const r = request.result;
  const cols = columns ?? [];
  const name = datasetName(bundled, uploads, dataset, "Customers");
  const set = (patch: Partial<Mapping>) => setMapping((m) => ({ ...m, ...patch }));

  const controls = (
    <>
      <ControlSection title="Transactions">
        <DatasetPicker
          samples={bundled}
          uploads={uploads}
          value={dataset}
          maxUploadMb={100}
          testId="rfm-dataset"
          onChange={setDataset}
          onUploaded={addUpload}
          onError={onError}
        />
      </ControlSection>
      <ControlSection title="Columns">
        <ColumnSelect
          label="Customer id"
          value={mapping.customerId}
          columns={cols}
          allowNone="choose…"
          testId="rfm-customer"
          onChange={(v) => set({ customerId: v })}
        />
        <ColumnSelect
          label="Order date"
          value={mapping.date}
          columns={cols}
          allowNone="choose…"
          testId="rfm-date"
          onChange={(v) => set({ date: v })}
        />
        <ColumnSelect
          label="Amount"
          value={mapping.amount}
          columns={cols.filter((c) => c.numeric || c.name === mapping.amount)}
          allowNone="choose…"
          testId="rfm-amount"
          onChange={(v) => set({ amount: v })}
        />
        <ColumnSelect
          label="Order id (optional)"
          value={mapping.orderId}
          columns={cols}
          allowNone="none: one row = one order"
          testId="rfm-order"
          onChange={(v) => set({ orderId: v })}
        />
        <label className="field">
          As-of date
          <span className="wf-inline">
            <input type="date" value={asOf} data-testid="rfm-asof" onChange={(e) => setAsOf(e.target.value)} />
          </span>
        </label>
        <p className="wf-note">
          {r?.asOfDefault ? `Default: ${r.asOf}, the day after the last order.` : "Recency is counted up to this day."}
        </p>
      </ControlSection>
      <ControlSection title="Clusters">
        <AutoKField
          label="Clusters (k)"
          auto={autoK}
          onAutoChange={setAutoK}
          autoTestId="rfm-auto-k"
          k={k}
          onKChange={setK}
          testId="rfm-k"
        />
        <p className="wf-note">k-means on log recency, log frequency and log monetary value, standardised.</p>
      </ControlSection>
      {r ? (
        <ControlSection title="Download">
          <a className="button" href={workflowApi.rfmCsvUrl(r.resultId)} download data-testid="rfm-download">
            Per-customer table (CSV)
          </a>
        </ControlSection>
      ) : null}
    </>
  );

  return (
    <WorkflowShell
      id="rfm"
      title={name}
      intro="Customers scored on recency, frequency and monetary value (RFM), named by rule, then clustered"
      controls={controls}
      request={request}
    >
      {r ? (
        <>
          <div className="metrics">
            <Tile
              label="Customers"
              value={r.nCustomers.toLocaleString("en-US")}
              hint={`${r.nRows.toLocaleString("en-US")} transactions`}
              testId="customers"
            />
            <Tile
              label="As of"
              value={r.asOf}
              hint={r.asOfDefault ? "day after the last order" : "chosen"}
              testId="asof"
            />
            <Tile
              label="Rule segments"
              value={String(r.segments.length)}
              hint="from the R × F grid"
              testId="segments"
            />
            <Tile
              label="Clusters"
              value={String(r.clustering.k)}
              hint={`${r.clustering.chosenBy === "user" ? "chosen" : `by ${r.clustering.chosenBy}`} · silhouette ${formatMetric(r.clustering.silhouette)}`}
              testId="k"
            />
            <Tile
              label="Segments vs clusters"
              value={formatMetric(r.comparison.ari)}
              hint="adjusted Rand index"
              testId="ari"
            />
          </div>
          <div className="grid">
            <ChartCard
              title="Rule-based segments"
              subtitle="customers per named RFM segment"
              busy={request.busy}
              testId="card-rfm-segments"
            >
              <Plot figure={segmentSizesFigure(r.segments)} testId="rfm-segments" height={340} />
            </ChartCard>
            <ChartCard
              title="The R × F grid"
              subtitle="customers per recency and frequency score (5 = best); colour = the segment"
              busy={request.busy}
              testId="card-rfm-grid"
            >
              <Plot figure={rfmGridFigure(r.scoreGrid, r.scoreGridSegments)} testId="rfm-grid" height={340} />
            </ChartCard>
            <ChartCard
              title="Clusters"
              subtitle="each customer's recency and spend; bigger = more orders"
              busy={request.busy}
              testId="card-rfm-scatter"
            >
              <Plot figure={rfmScatterFigure(r.points, r.clustering.profiles)} testId="rfm-scatter" height={360} />
            </ChartCard>
            <ChartCard
              title="Cluster profiles"
              subtitle="medians per cluster, with the generated names"
              busy={request.busy}
              testId="card-rfm-profiles"
            >
              <div className="wf-table-wrap">
                <table className="wf-table" data-testid="rfm-profiles">
                  <thead>
                    <tr>
                      <th>Cluster</th>
                      <th className="num">Customers</th>
                      <th className="num">Recency (days)</th>
                      <th className="num">Orders</th>
                      <th className="num">Spent</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.clustering.profiles.map((p) => (
                      <tr key={p.cluster}>
                        <td>
                          <span
                            className="wf-dot"
                            style={{ background: clusterColor(p.cluster), display: "inline-block" }}
                          />{" "}
                          <b>{p.cluster}</b> · {p.name}
                        </td>
                        <td className="num">
                          {p.size.toLocaleString("en-US")} <span className="muted">({percent(p.share)})</span>
                        </td>
                        <td className="num">{formatValue(p.recency.median)}</td>
                        <td className="num">{formatValue(p.frequency.median)}</td>
                        <td className="num">{money(p.monetary.median)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="wf-pills" style={{ marginTop: 12 }}>
                {r.segments.map((s) => (
                  <span key={s.segment} className="wf-pill" title={s.description}>
                    <span style={{ color: segmentColor(s.segment) }}>●</span> {s.segment}: {s.description}
                  </span>
                ))}
              </div>
            </ChartCard>
            <ChartCard
              title="Rule segments against clusters"
              subtitle={`customers per segment and cluster (colour = share of the segment) · ARI ${formatMetric(r.comparison.ari)}`}
              wide
              busy={request.busy}
              testId="card-rfm-contingency"
            >
              <Plot
                figure={contingencyFigure({
                  rows: r.comparison.segments,
                  columns: r.comparison.clusters.map((c) =>
                    wrap(`${c} · ${r.clustering.profiles.find((p) => p.cluster === c)?.name ?? ""}`, 24),
                  ),
                  counts: r.comparison.counts,
                  rowTitle: "segment",
                  columnTitle: "cluster",
                })}
                testId="rfm-contingency"
                height={Math.max(260, 30 * r.comparison.segments.length + 90)}
                lazy
              />
            </ChartCard>
            <ChartCard
              title="Per-customer table"
              subtitle={`the first rows of ${r.nCustomers.toLocaleString("en-US")}; download the whole table on the left`}
              wide
              testId="card-rfm-preview"
            >
              <div className="wf-table-wrap">
                <table className="wf-table wf-nowrap" data-testid="rfm-preview">
                  <thead>
                    <tr>
                      {r.preview.columns.map((c) => (
                        <th key={c}>{c}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {r.preview.rows.map((row, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no id
                      <tr key={i}>
                        {row.map((v, j) => (
                          <td key={r.preview.columns[j]} className={typeof v === "number" ? "num" : undefined}>
                            {typeof v === "number" && !Number.isInteger(v) ? money(v) : formatValue(v)}
                          </td>
                        ))}
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
