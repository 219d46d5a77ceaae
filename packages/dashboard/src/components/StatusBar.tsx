import type { JobStatus } from "../api.js";

interface StatusBarProps {
  busy: boolean;
  /** What is happening when no long job is shown ("Ready", "Clustering…"). */
  label: string;
  /** The long-running request to show, with its latest status from the server. */
  job: { id: string; label: string; started: number; status: JobStatus } | null;
  onCancel: () => void;
}

/** The status in the top bar: "Ready", or a long job's progress with a Cancel button. */
export function StatusBar({ busy, label, job, onCancel }: StatusBarProps) {
  if (job && job.status.state === "running") {
    const fraction = job.status.progress;
    const seconds = Math.round(job.status.elapsedSeconds);
    return (
      <div className="jobstatus" data-testid="job-status" aria-live="polite">
        <span className="status status-busy" data-testid="status" title={job.status.message}>
          {job.status.message} · {seconds} s
        </span>
        <span className={`jobbar${fraction === null ? " jobbar-indeterminate" : ""}`} aria-hidden="true">
          <i style={fraction === null ? undefined : { width: `${Math.round(fraction * 100)}%` }} />
        </span>
        <button type="button" className="cancel-button" data-testid="cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <div className={`status${busy ? " status-busy" : ""}`} data-testid="status" aria-live="polite">
      {label}
    </div>
  );
}
