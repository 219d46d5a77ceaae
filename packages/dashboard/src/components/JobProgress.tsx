import type { JobStatus } from "../api.js";

interface JobProgressProps {
  /** What is computed, shown until the server reports its progress. */
  label: string;
  status: JobStatus | null;
  onCancel: () => void;
  testId?: string;
}

/** A running job inside a card: what it is doing, a progress bar, and Cancel. */
export function JobProgress({ label, status, onCancel, testId }: JobProgressProps) {
  const fraction = status?.progress ?? null;
  return (
    <div className="rv-progress" data-testid={testId} role="status">
      <div className="rv-progress-text">
        <span className="rv-spinner" aria-hidden="true" />
        <span>{status?.message && status.message !== "queued" ? status.message : label}</span>
        {status ? <span className="muted">{status.elapsedSeconds.toFixed(0)} s</span> : null}
        <button
          type="button"
          className="text-button"
          onClick={onCancel}
          data-testid={testId ? `${testId}-cancel` : undefined}
        >
          Cancel
        </button>
      </div>
      <div className="rv-progress-track">
        <div
          className={fraction === null ? "rv-progress-bar rv-indeterminate" : "rv-progress-bar"}
          style={fraction === null ? undefined : { width: `${Math.round(fraction * 100)}%` }}
        />
      </div>
    </div>
  );
}
