/**
 * Requests of the results views (projections, segments, evaluation, anomalies) as jobs: each runs
 * under a fresh job id, its progress is polled while it takes a while, and it can be cancelled.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { PreprocessRequest } from "../api.js";
import { ApiRequestError, api, type ClusterResult, type JobStatus, newJobId } from "../api.js";

/** The feature request of a run: the same features (and so the same cached matrices) as its cluster request. */
export function featureRequestOf(result: ClusterResult, preprocess: PreprocessRequest | undefined) {
  return {
    dataset: result.dataset,
    columns: result.columns,
    scaling: result.scaling,
    seed: result.seed,
    ...(preprocess !== undefined && { preprocess }),
  };
}

export interface JobView<T> {
  data: T | null;
  error: string | null;
  /** The job's latest progress while it runs (after a short delay), else null. */
  status: JobStatus | null;
  running: boolean;
  cancel: () => void;
}

const POLL_AFTER_MS = 300;
const POLL_MS = 300;

/**
 * Runs `start` whenever `key` changes (null: nothing to run), as a job whose progress is polled;
 * a newer key aborts the older request. `data` is the answer for the current key only.
 */
export function useJob<T>(
  kind: string,
  key: string | null,
  start: (jobId: string, signal: AbortSignal) => Promise<T>,
): JobView<T> {
  const [state, setState] = useState<{ key: string | null; data: T | null; error: string | null }>({
    key: null,
    data: null,
    error: null,
  });
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [running, setRunning] = useState(false);
  const jobRef = useRef<string | null>(null);
  const startRef = useRef(start);
  startRef.current = start;

  useEffect(() => {
    if (key === null) {
      setState({ key: null, data: null, error: null });
      setRunning(false);
      setStatus(null);
      return;
    }
    const controller = new AbortController();
    const jobId = newJobId(kind);
    jobRef.current = jobId;
    setRunning(true);
    setStatus(null);
    let stopped = false;
    let done = false;
    const poll = () => {
      api
        .job(jobId)
        .then((s) => {
          if (!stopped && s.state === "running") setStatus(s);
        })
        .catch(() => {});
    };
    const first = setTimeout(poll, POLL_AFTER_MS);
    const timer = setInterval(poll, POLL_MS);
    startRef
      .current(jobId, controller.signal)
      .then((data) => {
        if (!stopped) setState({ key, data, error: null });
      })
      .catch((e: unknown) => {
        if (stopped || (e instanceof Error && e.name === "AbortError")) return;
        const cancelled = e instanceof ApiRequestError && e.status === 409 && e.message.startsWith("cancelled");
        const message = cancelled ? "Cancelled." : e instanceof Error ? e.message : String(e);
        setState({ key, data: null, error: message });
      })
      .finally(() => {
        done = true;
        if (stopped) return;
        stopped = true;
        clearTimeout(first);
        clearInterval(timer);
        setRunning(false);
        setStatus(null);
      });
    return () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      controller.abort();
      // The server goes on with an abandoned job unless told: cancel it.
      if (!done) void api.cancelJob(jobId).catch(() => {});
    };
  }, [key, kind]);

  const cancel = useCallback(() => {
    if (jobRef.current) void api.cancelJob(jobRef.current).catch(() => {});
  }, []);

  const current = state.key === key;
  return {
    data: current ? state.data : null,
    error: current ? state.error : null,
    status: running ? status : null,
    running,
    cancel,
  };
}
