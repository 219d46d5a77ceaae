import { useEffect, useMemo, useState } from "react";
import {
  ApiRequestError,
  api,
  type DatasetSummary,
  type WorkflowColumn,
  type WorkflowSample,
  type WorkflowSampleList,
  workflowApi,
} from "../../api.js";
import { DatasetOptions } from "../DatasetOptions.js";
import { Upload } from "../Upload.js";

let samplesPromise: Promise<WorkflowSampleList> | null = null;

/** The bundled workflow examples (asked once per page load). */
export function useWorkflowSamples(onError: (message: string) => void): WorkflowSampleList | null {
  const [list, setList] = useState<WorkflowSampleList | null>(null);
  useEffect(() => {
    samplesPromise ??= workflowApi.samples();
    samplesPromise.then(setList).catch((e: unknown) => {
      samplesPromise = null;
      onError(e instanceof Error ? e.message : String(e));
    });
  }, [onError]);
  return list;
}

/** The columns of a table: a bundled example's from the list, an upload's from `GET /api/datasets/:id`. */
export function useTableColumns(
  id: string | null,
  samples: readonly WorkflowSample[],
  onError: (message: string) => void,
): { columns: WorkflowColumn[] | null; nRows: number | null } {
  const [state, setState] = useState<{ id: string; columns: WorkflowColumn[]; nRows: number } | null>(null);
  const sample = samples.find((s) => s.id === id);
  useEffect(() => {
    if (id === null || sample) return;
    let alive = true;
    api
      .dataset(id)
      .then((d) => {
        if (alive) {
          setState({
            id,
            nRows: d.nRows,
            columns: d.columns.map((c) => ({ name: c.name, type: c.type, numeric: c.numeric })),
          });
        }
      })
      .catch((e: unknown) => onError(e instanceof ApiRequestError ? e.message : String(e)));
    return () => {
      alive = false;
    };
  }, [id, sample, onError]);
  if (sample) return { columns: sample.columns, nRows: sample.nRows };
  if (state && state.id === id) return { columns: state.columns, nRows: state.nRows };
  return { columns: null, nRows: null };
}

interface DatasetPickerProps {
  /** The bundled examples offered (this workflow's). */
  samples: readonly WorkflowSample[];
  /** Uploaded datasets known to the server. */
  uploads: readonly DatasetSummary[];
  value: string | null;
  maxUploadMb: number;
  testId: string;
  onChange: (id: string) => void;
  onUploaded: (dataset: DatasetSummary) => void;
  onError: (message: string) => void;
}

/** A table for a workflow: a bundled example or an uploaded file (CSV, TSV, Parquet, JSON). */
export function DatasetPicker(props: DatasetPickerProps) {
  const [uploading, setUploading] = useState(false);
  const sample = props.samples.find((s) => s.id === props.value);
  return (
    <>
      <label className="field">
        Data
        <select value={props.value ?? ""} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value)}>
          <DatasetOptions samples={props.samples} uploads={props.uploads} samplesLabel="Bundled example" />
        </select>
      </label>
      {sample ? <p className="wf-note">{sample.description}</p> : null}
      <Upload
        maxUploadMb={props.maxUploadMb}
        busy={uploading}
        onError={props.onError}
        onFile={(file) => {
          setUploading(true);
          api
            .upload(file)
            .then((r) => {
              props.onUploaded(r.dataset);
              props.onChange(r.dataset.id);
            })
            .catch((e: unknown) => props.onError(e instanceof Error ? e.message : String(e)))
            .finally(() => setUploading(false));
        }}
      />
    </>
  );
}

/** A dropdown of column names (optionally with a "none" entry). */
export function ColumnSelect(props: {
  label: string;
  value: string | null;
  columns: readonly WorkflowColumn[];
  testId: string;
  allowNone?: string;
  onChange: (v: string | null) => void;
}) {
  return (
    <label className="field">
      {props.label}
      <select
        value={props.value ?? ""}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value === "" ? null : e.target.value)}
      >
        {props.allowNone !== undefined ? <option value="">{props.allowNone}</option> : null}
        {props.value !== null && !props.columns.some((c) => c.name === props.value) ? (
          <option value={props.value}>{props.value} (not in this file)</option>
        ) : null}
        {props.columns.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Uploaded datasets: the server's list plus those uploaded on this page. */
export function useUploads(datasets: readonly DatasetSummary[]): [DatasetSummary[], (d: DatasetSummary) => void] {
  const [extra, setExtra] = useState<DatasetSummary[]>([]);
  const all = useMemo(() => {
    const out = datasets.filter((d) => d.kind === "upload");
    for (const d of extra) if (!out.some((o) => o.id === d.id)) out.push(d);
    return out;
  }, [datasets, extra]);
  return [all, (d) => setExtra((list) => [...list, d])];
}
