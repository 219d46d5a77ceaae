import { randomBytes } from "node:crypto";
import { HttpError } from "./httpError.js";

/** What is kept of a clustering run: enough to write the labelled file. */
export interface StoredRun {
  id: string;
  dataset: string;
  /** Cluster of each clustered row. */
  labels: Int32Array;
  /** File row of each clustered row when rows were dropped; undefined when every row was used. */
  rowIndex?: Int32Array;
  /** Rows in the file. */
  nRowsTotal: number;
}

/** The most recent runs, in memory (the oldest is dropped past `capacity`). */
export class RunStore {
  private readonly runs = new Map<string, StoredRun>();

  constructor(private readonly capacity = 100) {}

  add(run: Omit<StoredRun, "id">): StoredRun {
    const stored = { ...run, id: `r-${randomBytes(8).toString("hex")}` };
    this.runs.set(stored.id, stored);
    while (this.runs.size > this.capacity) this.runs.delete(this.runs.keys().next().value!);
    return stored;
  }

  get(id: string): StoredRun {
    const run = this.runs.get(id);
    if (!run)
      throw new HttpError(
        404,
        `unknown run: ${JSON.stringify(id.slice(0, 100))} (runs are kept in memory until the server restarts)`,
      );
    return run;
  }

  /** The `cluster` column for every file row: the label, or null for a row that was dropped. */
  static clusterColumn(run: StoredRun): Int32Array | (number | null)[] {
    if (!run.rowIndex) return run.labels;
    const out = new Array<number | null>(run.nRowsTotal).fill(null);
    for (let r = 0; r < run.rowIndex.length; r++) out[run.rowIndex[r]] = run.labels[r];
    return out;
  }
}
