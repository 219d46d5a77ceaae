import { useCallback, useEffect, useRef, useState } from "react";
import { ApiRequestError, api, type JobStatus, newJobId } from "../../api.js";

/** A request is shown with its progress (and Cancel) once it has run this long. */
const PROGRESS_AFTER_MS = 350;
const POLL_MS = 300;

function message(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export interface WorkflowRequest<T> {
  /** The latest successful answer (kept while the next one runs). */
  result: T | null;
  /** A counter that changes with every new result (for `data-run`). */
  revision: number;
  busy: boolean;
  /** The server's progress of the running job, once it has run a moment. */
  status: JobStatus | null;
  error: string | null;
  /** Sends a request as a job; an earlier one still running is dropped (its answer ignored). */
  run: (kind: string, call: (jobId: string, signal: AbortSignal) => Promise<T>) => void;
  /** Stops the running job on the server. */
  cancel: () => void;
  clearError: () => void;
}

/**
 * One workflow page's request to the server: run as a job under a fresh id, its progress read from
 * `GET /api/jobs/:id` while it runs, cancellable; a newer request supersedes an older one.
 */
export function useWorkflowRequest<T>(): WorkflowRequest<T> {
  const [result, setResult] = useState<T | null>(null);
  const [revision, setRevision] = useState(0);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = useRef<{ id: string; controller: AbortController; timer: ReturnType<typeof setTimeout> } | null>(
    null,
  );

  const finish = useCallback((id: string) => {
    const c = current.current;
    if (!c || c.id !== id) return false;
    clearTimeout(c.timer);
    current.current = null;
    setBusy(false);
    setStatus(null);
    return true;
  }, []);

  const run = useCallback(
    (kind: string, call: (jobId: string, signal: AbortSignal) => Promise<T>) => {
      const previous = current.current;
      if (previous) {
        clearTimeout(previous.timer);
        previous.controller.abort();
      }
      const id = newJobId(kind);
      const controller = new AbortController();
      const poll = () => {
        api
          .job(id)
          .then((s) => {
            if (current.current?.id === id) setStatus(s);
          })
          .catch(() => {});
        if (current.current?.id === id) current.current.timer = setTimeout(poll, POLL_MS);
      };
      current.current = { id, controller, timer: setTimeout(poll, PROGRESS_AFTER_MS) };
      setBusy(true);
      setStatus(null);
      call(id, controller.signal)
        .then((value) => {
          if (finish(id)) {
            setResult(value);
            setRevision((r) => r + 1);
            setError(null);
          }
        })
        .catch((e: unknown) => {
          if (e instanceof Error && e.name === "AbortError") return;
          if (finish(id)) setError(message(e));
        });
    },
    [finish],
  );

  const cancel = useCallback(() => {
    const c = current.current;
    if (!c) return;
    api.cancelJob(c.id).catch(() => {});
    c.controller.abort();
    finish(c.id);
  }, [finish]);

  useEffect(
    () => () => {
      const c = current.current;
      if (c) {
        clearTimeout(c.timer);
        c.controller.abort();
      }
    },
    [],
  );

  return { result, revision, busy, status, error, run, cancel, clearError: () => setError(null) };
}

/** Calls `fn` once `key` (what the call depends on, e.g. a JSON of the settings) has stopped changing for `ms` milliseconds. */
export function useDebounced(fn: () => void, key: string, ms: number): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (key === "") return;
    const t = setTimeout(() => latest.current(), ms);
    return () => clearTimeout(t);
  }, [key, ms]);
}
