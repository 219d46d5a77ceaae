import type { ReactNode } from "react";
import type { WorkflowRequest } from "./useWorkflowRequest.js";

interface WorkflowShellProps {
  /** Used in test ids: `wf-<id>`. */
  id: string;
  title: string;
  /** One line under the title (what the page does). */
  intro: ReactNode;
  /** The controls on the left. */
  controls: ReactNode;
  /** The page's request: its progress, error (dismissable), Cancel and revision (`data-run`, for the browser tests). */
  request: Pick<WorkflowRequest<unknown>, "busy" | "status" | "error" | "clearError" | "cancel" | "revision">;
  /** Overrides `request.busy` (e.g. busy while an upload runs too). */
  busy?: boolean;
  children: ReactNode;
}

/** A workflow page: controls on the left, the results on the right, the running job's progress on top. */
export function WorkflowShell(props: WorkflowShellProps) {
  const { request } = props;
  const { status } = request;
  const busy = props.busy ?? request.busy;
  const fraction = status?.progress ?? null;
  return (
    <div className="wf-layout">
      <aside className="wf-panel" data-testid={`wf-${props.id}-controls`}>
        {props.controls}
      </aside>
      <main
        className="wf-main"
        data-testid={`wf-${props.id}`}
        data-busy={busy ? "true" : "false"}
        data-run={request.revision}
      >
        {busy ? <div className="progress" aria-hidden="true" /> : null}
        <header className="wf-header">
          <div>
            <h1>{props.title}</h1>
            <p className="muted">{props.intro}</p>
          </div>
          {busy && status && status.state === "running" ? (
            <div className="jobstatus wf-job" data-testid="wf-job" aria-live="polite">
              <span className="status status-busy" title={status.message}>
                {status.message} · {Math.round(status.elapsedSeconds)} s
              </span>
              <span className={`jobbar${fraction === null ? " jobbar-indeterminate" : ""}`} aria-hidden="true">
                <i style={fraction === null ? undefined : { width: `${Math.round(fraction * 100)}%` }} />
              </span>
              <button type="button" className="cancel-button" data-testid="wf-cancel" onClick={request.cancel}>
                Cancel
              </button>
            </div>
          ) : null}
        </header>
        {request.error ? (
          <div className="banner banner-error" role="alert" data-testid="wf-error">
            <span>{request.error}</span>
            <button type="button" className="banner-close" onClick={request.clearError} aria-label="Dismiss">
              ×
            </button>
          </div>
        ) : null}
        {props.children}
      </main>
    </div>
  );
}

/** A titled group of controls in the left panel. */
export function ControlSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="wf-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** A number shown in a tile above the charts. */
export function Tile({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <div className="metric" data-testid={`tile-${testId}`}>
      <div className="metric-label">{label}</div>
      <div className="metric-value">{value}</div>
      {hint ? <div className="metric-hint">{hint}</div> : null}
    </div>
  );
}

/** A slider with its value shown, as on the Cluster page. */
export function SliderField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  testId: string;
  disabled?: boolean;
  format?: (v: number) => string;
  onChange: (v: number) => void;
}) {
  const show = props.format ?? String;
  return (
    <label className={`field${props.disabled ? " field-disabled" : ""}`}>
      <span className="field-row">
        {props.label}
        <span className="k-value" data-testid={`${props.testId}-value`}>
          {show(props.value)}
        </span>
      </span>
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        value={props.value}
        disabled={props.disabled}
        data-testid={props.testId}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
      <span className="range-scale">
        <span>{show(props.min)}</span>
        <span>{show(props.max)}</span>
      </span>
    </label>
  );
}

/** Buttons choosing one of a few values. */
export function Segmented<T extends string>(props: {
  value: T;
  options: readonly { value: T; label: string }[];
  testId: string;
  onChange: (v: T) => void;
}) {
  return (
    <div className="segmented wf-segmented" data-testid={props.testId}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={props.value === o.value}
          className={props.value === o.value ? "on" : ""}
          data-testid={`${props.testId}-${o.value}`}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
