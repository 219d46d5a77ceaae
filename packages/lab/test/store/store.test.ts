import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultStoreDir,
  openStore,
  type RunResult,
  runSpec,
  STORE_DATABASE,
  type Store,
  StoreError,
  UNASSIGNED,
  withDatabase,
} from "../../src/index.js";
import { example, repoRoot, sameBytes, tempDir } from "../run/helpers.js";

const tmp = tempDir("clusterlab-store-");
afterAll(() => tmp.cleanup());

const irisSpec = {
  version: 1,
  data: { path: "examples/data/iris.csv" },
  columns: { target: "target", exclude: ["target_name"] },
  algorithm: { name: "kmeans", params: { nClusters: 3 } },
};

async function count(store: Store, table: string): Promise<number> {
  return withDatabase(store.path, async (c) =>
    Number((await c.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]),
  );
}

async function counts(store: Store): Promise<number[]> {
  return [
    await count(store, "runs"),
    await count(store, "run_labels"),
    await count(store, "models"),
    await count(store, "datasets"),
  ];
}

let store: Store;
let first: RunResult;
beforeAll(async () => {
  store = await openStore(join(tmp.dir, "main"));
  first = await runSpec(irisSpec, { store, baseDir: repoRoot });
});

describe("openStore", () => {
  it("creates the directory and the database file; the default is $CLUSTERLAB_HOME or ~/.clusterlab", () => {
    expect(existsSync(join(store.dir, STORE_DATABASE))).toBe(true);
    expect(defaultStoreDir({ CLUSTERLAB_HOME: "/data/cl" })).toBe("/data/cl");
    expect(defaultStoreDir({})).toMatch(/\.clusterlab$/);
  });
});

describe("saved runs", () => {
  it("keeps the spec, metrics, timings, labels, model and dataset of a run", async () => {
    expect(first.runId).toMatch(/^run-/);
    const run = await store.getRun(first.runId!);
    expect(run).toMatchObject({
      status: "succeeded",
      algorithm: "kmeans",
      nRows: 150,
      nClusters: 3,
      error: null,
      baseDir: repoRoot.replace(/\/$/, ""),
    });
    expect(run.spec).toEqual(first.spec);
    expect(run.metrics?.silhouette).toBe(first.metrics.silhouette);
    expect(run.timings?.fitSeconds).toBe(first.timings.fitSeconds);
    expect(sameBytes(await store.getLabels(run.id), first.labels)).toBe(true);
    const model = await store.getModel(run.id);
    expect(model?.type).toBe("PipelineModel");
    expect(model?.clusterlab.spec).toEqual(first.spec);
    const datasets = await store.listDatasets();
    expect(datasets).toHaveLength(1);
    expect(datasets[0]).toMatchObject({ name: "iris.csv", path: example("iris"), format: "csv", rows: 150 });
    expect(run.datasetId).toBe(datasets[0].id);
  });

  it("finds runs by a unique id prefix and names unknown ids", async () => {
    expect((await store.getRun(first.runId!.slice(0, 22))).id).toBe(first.runId);
    await expect(store.getRun("run-nope")).rejects.toThrow(/unknown run: "run-nope"/);
    await expect(store.getRun("run-nope")).rejects.toBeInstanceOf(StoreError);
  });

  it("re-runs a saved run bit for bit (from another working directory)", async () => {
    const cwd = process.cwd();
    process.chdir(tmp.dir);
    try {
      const { result, previous, identicalLabels } = await store.rerun(first.runId!);
      expect(previous.id).toBe(first.runId);
      expect(identicalLabels).toBe(true);
      expect(sameBytes(result.labels, first.labels)).toBe(true);
      expect(result.runId).not.toBe(first.runId);
      await store.deleteRun(result.runId!);
    } finally {
      process.chdir(cwd);
    }
  });

  it("stores rows that were not clustered as NULL and reads them back as UNASSIGNED", async () => {
    const r = await runSpec(
      { ...irisSpec, preprocessing: { outliers: { method: "iqr" } } },
      { store, baseDir: repoRoot },
    );
    const labels = await store.getLabels(r.runId!);
    expect(labels.filter((l) => l === UNASSIGNED).length).toBe(r.rows.outliers);
    expect(sameBytes(labels, r.labels)).toBe(true);
    await store.deleteRun(r.runId!);
  });

  it("runs a registered dataset by id", async () => {
    const dataset = await store.addDataset(example("penguins"), { name: "penguins" });
    expect(dataset.id).toMatch(/^ds-penguins-/);
    const r = await runSpec(
      {
        version: 1,
        data: { dataset: dataset.id },
        columns: { target: "species" },
        algorithm: { name: "kmeans", params: { nClusters: 3 } },
      },
      { store },
    );
    expect(r.rows.total).toBe(344);
    expect((await store.getRun(r.runId!)).datasetId).toBe(dataset.id);
    await store.deleteRun(r.runId!);
    await expect(store.getDataset("ds-none")).rejects.toThrow(/unknown dataset/);
  });
});

describe("failures leave earlier runs intact", () => {
  it("an invalid spec leaves the store unchanged", async () => {
    const before = await counts(store);
    await expect(
      runSpec({ ...irisSpec, algorithm: { name: "kmeans", params: { nClusters: -1 } } }, { store }),
    ).rejects.toThrow(/\/algorithm\/params\/nClusters/);
    await expect(runSpec({ ...irisSpec, extra: true }, { store })).rejects.toThrow(/\/extra/);
    expect(await counts(store)).toEqual(before);
  });

  it("a run that fails mid-way adds only a failed-run record", async () => {
    const before = await counts(store);
    await expect(
      runSpec({ ...irisSpec, algorithm: { name: "kmeans", params: { nClusters: 500 } } }, { store, baseDir: repoRoot }),
    ).rejects.toThrow(/nClusters/);
    const after = await counts(store);
    expect(after).toEqual([before[0] + 1, before[1], before[2], before[3]]);
    const failed = (await store.listRuns({ status: "failed" }))[0];
    expect(failed.error).toMatch(/nClusters/);
    expect(failed.metrics).toBeNull();
    expect(await store.getLabels(failed.id)).toHaveLength(0);
    expect(await store.getModel(failed.id)).toBeNull();
    expect(sameBytes(await store.getLabels(first.runId!), first.labels)).toBe(true);
    await store.deleteRun(failed.id);
  });

  it("a save that throws between writes is rolled back (no half-written run)", async () => {
    const before = await counts(store);
    const broken = { ...first } as RunResult;
    Object.defineProperty(broken, "analysis", {
      get() {
        throw new Error("disk on fire");
      },
    });
    await expect(store.saveRun(broken, { baseDir: repoRoot })).rejects.toThrow(/disk on fire/);
    expect(await counts(store)).toEqual(before);
    expect((await store.getRun(first.runId!)).status).toBe("succeeded");
  });
});

describe("concurrency", () => {
  it("serialises writes of concurrent runs and of two store objects in one process", async () => {
    const dir = join(tmp.dir, "concurrent");
    const a = await openStore(dir);
    const b = await openStore(dir);
    const results = await Promise.all([
      runSpec(irisSpec, { store: a, baseDir: repoRoot }),
      runSpec(irisSpec, { store: b, baseDir: repoRoot }),
      runSpec({ ...irisSpec, seed: 1 }, { store: a, baseDir: repoRoot }),
      a.listRuns(),
      runSpec({ ...irisSpec, seed: 2 }, { store: b, baseDir: repoRoot }),
    ]);
    const runs = await a.listRuns();
    expect(runs).toHaveLength(4);
    for (const r of results.filter((x): x is RunResult => "labels" in x)) {
      expect(sameBytes(await b.getLabels(r.runId!), r.labels)).toBe(true);
    }
  });

  it("waits for another process holding the file, and names it after the timeout", async () => {
    const dir = join(tmp.dir, "locked");
    const local = await openStore(dir);
    const script = `
      import duckdb from "@duckdb/node-api";
      const instance = await duckdb.DuckDBInstance.create(${JSON.stringify(local.path)});
      const c = await instance.connect();
      await c.run("SELECT 1");
      process.stdout.write("holding\\n");
      setTimeout(() => { c.closeSync(); instance.closeSync(); }, 1500);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((r) => child.on("exit", r));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d) => String(d).includes("holding") && resolve());
      child.on("exit", (code) => reject(new Error(`holder exited early (${code})`)));
    });
    const impatient = await openStore(dir, { lockTimeoutMs: 100 }).catch((e) => e);
    expect(impatient).toBeInstanceOf(StoreError);
    expect(impatient.message).toMatch(/in use by another process \(PID \d+\)/);
    const started = Date.now();
    expect(await local.listRuns()).toEqual([]);
    expect(Date.now() - started).toBeGreaterThan(300);
    await exited;
  });
});
