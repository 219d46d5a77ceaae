import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Progress } from "./algorithms.js";
import { HttpError } from "./httpError.js";
import type { TaskKind, TaskTypes, WorkerRequest, WorkerResponse } from "./worker.js";

/**
 * The compiled worker script. Running from the sources (the tests), it is the built copy in
 * `dist/`: a worker thread cannot load TypeScript.
 */
export function defaultWorkerUrl(): URL {
  const beside = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL("../dist/worker.js", import.meta.url);
}

/** The answer to a cancelled task or job (409). */
export class CancelledError extends HttpError {
  constructor(message = "cancelled: the job was stopped before it finished") {
    super(409, message);
  }
}

/**
 * "fit": long computations (fits, sweeps, precomputed structures). "view": short ones (reading
 * labels off a structure and computing the views, preparing features, the clustermap), which may
 * also use a worker of their own so that a long fit never delays them.
 */
export type Lane = "fit" | "view";

/** A task sent to the pool: its result, its progress, and a way to stop it. */
export class TaskHandle<T> {
  readonly promise: Promise<T>;
  private readonly listeners = new Set<(p: Progress) => void>();
  private last: Progress | null = null;
  private settled = false;

  constructor(
    executor: (resolve: (value: T) => void, reject: (error: Error) => void) => void,
    private readonly stop: () => void,
  ) {
    this.promise = new Promise<T>((resolve, reject) =>
      executor(
        (value) => {
          this.settled = true;
          resolve(value);
        },
        (error) => {
          this.settled = true;
          reject(error);
        },
      ),
    );
    // A handle nobody awaits (after a cancel) must not raise an unhandled rejection.
    this.promise.catch(() => {});
  }

  get done(): boolean {
    return this.settled;
  }

  /** The latest progress, or null. */
  get progress(): Progress | null {
    return this.last;
  }

  /** Calls `listener` with each progress report (and the latest one at once); returns the unsubscribe. */
  subscribe(listener: (p: Progress) => void): () => void {
    this.listeners.add(listener);
    if (this.last) listener(this.last);
    return () => this.listeners.delete(listener);
  }

  report(p: Progress): void {
    this.last = p;
    for (const listener of this.listeners) listener(p);
  }

  /** Stops the task: removed from the queue, or its worker terminated (and replaced on demand). */
  cancel(): void {
    if (!this.settled) this.stop();
  }
}

interface Task {
  request: WorkerRequest;
  lane: Lane;
  handle: TaskHandle<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  lane: Lane;
  task: Task | null;
}

/** Options of a `WorkerPool`. */
export interface WorkerPoolOptions {
  /** Extra workers that only take "view" tasks. Default 1. */
  viewWorkers?: number;
  url?: URL;
}

/**
 * Worker threads that run the heavy tasks (fits, sweeps, precomputations, views) so the event loop
 * stays free. `size` workers take every task; `viewWorkers` more take only short "view" tasks, so a
 * long fit never delays a re-cut. Tasks wait in a queue (view tasks first) when no suitable worker is
 * free. A task that throws rejects with an `HttpError` (400 for a user error such as k > n, 500
 * otherwise); a worker that dies is replaced, failing only its own task; a cancelled task rejects
 * with a `CancelledError` and its worker is terminated and replaced.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly url: URL;
  private readonly viewWorkers: number;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size = 1,
    options: WorkerPoolOptions = {},
  ) {
    this.url = options.url ?? defaultWorkerUrl();
    this.viewWorkers = options.viewWorkers ?? 1;
    if (!existsSync(fileURLToPath(this.url))) {
      throw new Error(`worker script not found: ${fileURLToPath(this.url)} (run \`npm run build\` first)`);
    }
  }

  /** Workers alive (idle or busy). */
  get workers(): number {
    return this.slots.length;
  }

  /** Starts a task; see `TaskTypes` for the inputs and results. */
  run<K extends TaskKind>(
    kind: K,
    input: TaskTypes[K]["input"],
    options: { lane?: Lane } = {},
  ): TaskHandle<TaskTypes[K]["output"]> {
    const lane =
      options.lane ??
      (kind === "view" || kind === "silhouette" || kind === "prepare" || kind === "clustermap" ? "view" : "fit");
    let task!: Task;
    const handle = new TaskHandle<TaskTypes[K]["output"]>(
      (resolve, reject) => {
        task = {
          request: { id: this.nextId++, kind, input },
          lane,
          handle: undefined as unknown as TaskHandle<unknown>,
          resolve: resolve as (value: unknown) => void,
          reject,
        };
      },
      () => this.cancel(task),
    );
    task.handle = handle as TaskHandle<unknown>;
    if (this.closed) task.reject(new HttpError(503, "the server is shutting down"));
    else {
      this.queue.push(task);
      this.dispatch();
    }
    return handle;
  }

  /** Stops every worker; queued tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new HttpError(503, "the server is shutting down"));
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.task?.reject(new HttpError(503, "the server is shutting down"));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private cancel(task: Task): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      task.reject(new CancelledError());
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (!slot) return;
    // Forget the worker first, so its exit is not taken for a crash; a fresh one is spawned on demand.
    this.slots.splice(this.slots.indexOf(slot), 1);
    slot.task = null;
    void slot.worker.terminate();
    task.reject(new CancelledError());
    this.dispatch();
  }

  private dispatch(): void {
    if (this.closed) return;
    // View tasks first: they are short and the page waits for them.
    this.queue.sort((a, b) => (a.lane === b.lane ? 0 : a.lane === "view" ? -1 : 1));
    for (let i = 0; i < this.queue.length; ) {
      const task = this.queue[i];
      const slot = this.freeSlot(task.lane);
      if (!slot) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      slot.task = task;
      slot.worker.postMessage(task.request);
    }
  }

  private freeSlot(lane: Lane): Slot | undefined {
    const idle = (l: Lane) => this.slots.find((s) => s.lane === l && s.task === null);
    const count = (l: Lane) => this.slots.filter((s) => s.lane === l).length;
    if (lane === "view") {
      const slot = idle("view") ?? (count("view") < this.viewWorkers ? this.spawn("view") : undefined);
      if (slot) return slot;
    }
    return idle("fit") ?? (count("fit") < this.size ? this.spawn("fit") : undefined);
  }

  private spawn(lane: Lane): Slot {
    const worker = new Worker(this.url);
    const slot: Slot = { worker, lane, task: null };
    this.slots.push(slot);
    worker.on("message", (response: WorkerResponse) => {
      const task = slot.task;
      if (!task || task.request.id !== response.id) return;
      if (response.type === "progress") {
        task.handle.report(response.progress);
        return;
      }
      slot.task = null;
      if (response.ok) task.resolve(response.result);
      else {
        const error = new HttpError(response.userError ? 400 : 500, response.message);
        if (response.stack) error.stack = response.stack;
        task.reject(error);
      }
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      const task = slot.task;
      slot.task = null;
      if (task) task.reject(new HttpError(500, `the computation failed: ${error.message}`));
      if (!this.closed) this.dispatch();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`worker stopped with exit code ${code}`)));
    return slot;
  }
}
