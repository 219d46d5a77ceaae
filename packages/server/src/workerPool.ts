import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ClusterJob, ClusterOutput, SweepJob, SweepOutput } from "./analysis.js";
import { HttpError } from "./httpError.js";
import type { WorkerRequest, WorkerResponse } from "./worker.js";

/**
 * The compiled worker script. Running from the sources (the tests), it is the built copy in
 * `dist/`: a worker thread cannot load TypeScript.
 */
export function defaultWorkerUrl(): URL {
  const beside = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL("../dist/worker.js", import.meta.url);
}

interface Task {
  request: WorkerRequest;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

/**
 * A few worker threads that run the heavy jobs (fits, sweeps) so the event loop stays free for
 * other requests. Jobs wait in a queue when every worker is busy. A job that throws rejects with
 * an `HttpError` (400 for a user error such as k > n, 500 otherwise); a worker that dies is
 * replaced, failing only its own job.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size = 1,
    private readonly url: URL = defaultWorkerUrl(),
  ) {
    if (!existsSync(fileURLToPath(url))) {
      throw new Error(`worker script not found: ${fileURLToPath(url)} (run \`npm run build\` first)`);
    }
  }

  cluster(job: ClusterJob): Promise<ClusterOutput> {
    return this.run({ id: this.nextId++, kind: "cluster", job }) as Promise<ClusterOutput>;
  }

  sweep(job: SweepJob): Promise<SweepOutput> {
    return this.run({ id: this.nextId++, kind: "sweep", job }) as Promise<SweepOutput>;
  }

  /** Stops every worker; queued jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new HttpError(503, "the server is shutting down"));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private run(request: WorkerRequest): Promise<unknown> {
    if (this.closed) return Promise.reject(new HttpError(503, "the server is shutting down"));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.postMessage(task.request);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.url);
    const slot: Slot = { worker, task: null };
    this.slots.push(slot);
    worker.on("message", (response: WorkerResponse) => {
      const task = slot.task;
      if (!task || task.request.id !== response.id) return;
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
