import { randomBytes } from "node:crypto";
import type { JobState, JobStatus } from "./api.js";
import { HttpError } from "./httpError.js";
import { CancelledError, type TaskHandle } from "./workerPool.js";

/** Finished jobs kept for `GET /api/jobs/:id` (the most recent), and for how long. */
const FINISHED_KEPT = 200;
const FINISHED_TTL_MS = 10 * 60_000;

/**
 * One API request's work, possibly several worker tasks in a row (features, a precomputed structure,
 * the views). Its progress is that of the task it waits for; cancelling it cancels that task (its
 * worker is terminated), even when the task is shared with another request.
 */
export class Job {
  state: JobState = "running";
  message = "queued";
  progress: number | null = null;
  error?: string;
  readonly startedAt = Date.now();
  finishedAt: number | null = null;
  private readonly waiting = new Set<TaskHandle<unknown>>();
  private cancelled = false;

  constructor(
    readonly id: string,
    readonly kind: string,
  ) {}

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Throws a `CancelledError` once the job was cancelled. */
  check(): void {
    if (this.cancelled) throw new CancelledError();
  }

  setStage(message: string, progress: number | null = null): void {
    this.message = message;
    this.progress = progress;
  }

  /**
   * Waits for `promise` (by default the task's own), following `handle`'s progress; cancelling the job
   * meanwhile cancels the task.
   */
  async follow<T>(handle: TaskHandle<unknown> | undefined, promise: Promise<T>): Promise<T> {
    this.check();
    if (!handle) return promise;
    this.waiting.add(handle);
    const unsubscribe = handle.subscribe((p) => {
      this.message = p.message;
      this.progress = p.fraction;
    });
    try {
      return await promise;
    } finally {
      unsubscribe();
      this.waiting.delete(handle);
      this.check();
    }
  }

  /** Waits for a task of its own. */
  wait<T>(handle: TaskHandle<T>): Promise<T> {
    return this.follow(handle as TaskHandle<unknown>, handle.promise);
  }

  cancel(): void {
    if (this.state !== "running") return;
    this.cancelled = true;
    for (const handle of this.waiting) handle.cancel();
  }

  finish(error?: unknown): void {
    if (this.state !== "running") return;
    this.finishedAt = Date.now();
    if (error === undefined) {
      this.state = "done";
      this.message = "done";
      this.progress = 1;
    } else {
      this.state = this.cancelled || error instanceof CancelledError ? "cancelled" : "failed";
      this.error = error instanceof Error ? error.message : String(error);
      this.message = this.state;
    }
  }

  status(): JobStatus {
    const end = this.finishedAt ?? Date.now();
    const status: JobStatus = {
      id: this.id,
      kind: this.kind,
      // A cancel is answered at once; the request itself ends a moment later.
      state: this.cancelled && this.state === "running" ? "cancelled" : this.state,
      message: this.cancelled && this.state === "running" ? "cancelling" : this.message,
      progress: this.progress,
      elapsedSeconds: (end - this.startedAt) / 1000,
    };
    if (this.error !== undefined) status.error = this.error;
    return status;
  }
}

/** The running jobs and the recently finished ones, by id. */
export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  /** Starts a job under the client's id (409 when a running job has it) or a generated one. */
  start(kind: string, id?: string): Job {
    this.prune();
    const key = id ?? `j-${randomBytes(8).toString("hex")}`;
    const existing = this.jobs.get(key);
    if (existing && existing.state === "running") {
      throw new HttpError(409, `invalid body.jobId: ${JSON.stringify(key)} (a running job already has this id)`);
    }
    const job = new Job(key, kind);
    this.jobs.delete(key);
    this.jobs.set(key, job);
    return job;
  }

  /** Runs `work` as a job: finished (done, failed or cancelled) whatever happens. */
  async run<T>(kind: string, id: string | undefined, work: (job: Job) => Promise<T>): Promise<T> {
    const job = this.start(kind, id);
    try {
      const result = await work(job);
      job.check();
      job.finish();
      return result;
    } catch (error) {
      job.finish(error);
      if (job.isCancelled && !(error instanceof CancelledError)) throw new CancelledError();
      throw error;
    }
  }

  get(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) {
      throw new HttpError(
        404,
        `unknown job: ${JSON.stringify(id.slice(0, 100))} (finished jobs are kept for 10 minutes)`,
      );
    }
    return job;
  }

  list(): JobStatus[] {
    this.prune();
    return [...this.jobs.values()].map((j) => j.status());
  }

  private prune(): void {
    const now = Date.now();
    let finished = 0;
    for (const job of this.jobs.values()) if (job.state !== "running") finished++;
    for (const [id, job] of this.jobs) {
      if (job.state === "running") continue;
      if (finished > FINISHED_KEPT || now - (job.finishedAt ?? now) > FINISHED_TTL_MS) {
        this.jobs.delete(id);
        finished--;
      }
    }
  }
}
