import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel, openStore } from "@clusterlab/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, run } from "./helpers.js";

// Process tests run the built CLI (`npx tsc -b` first).
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");

let dir: string;
let store: string;
let spec: string;
beforeAll(() => {
  if (!existsSync(join(repoRoot, "packages/cli/dist/main.js"))) throw new Error("run `npx tsc -b` before these tests");
  dir = mkdtempSync(join(tmpdir(), "clusterlab-run-"));
  store = join(dir, "store");
  spec = join(dir, "iris.json");
  writeFileSync(
    spec,
    JSON.stringify({
      version: 1,
      data: { path: "examples/data/iris.csv" },
      columns: { target: "target", exclude: ["target_name"] },
      algorithm: { name: "kmeans", params: { nClusters: 3 } },
      split: { testSize: 0.2 },
    }),
  );
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function clusterlab(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLUSTERLAB_DEBUG: "", CLUSTERLAB_HOME: join(dir, "home") },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("clusterlab run (process)", () => {
  it("executes a spec, saves the run, writes the labelled rows and the model", async () => {
    const out = join(dir, "out.csv");
    const model = join(dir, "model.json");
    const r = clusterlab(["run", spec, "--store", store, "--json", "--out", out, "--model", model, "-q"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.runId).toMatch(/^run-/);
    expect(report).toMatchObject({ nClusters: 3, rows: { total: 150, fitted: 120, test: 30 } });
    expect(report.test.adjustedRandWithRefit).toBeGreaterThan(0);
    expect(report.metrics.silhouette).toBeGreaterThan(0.3);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(151);
    expect(lines[0].endsWith(",cluster")).toBe(true);
    const saved = await openStore(store);
    const labels = await saved.getLabels(report.runId);
    const written = lines.slice(1).map((l) => Number(l.split(",").at(-1)));
    expect(Array.from(labels)).toEqual(written);
    const loaded = await loadModel(model);
    expect(loaded.analysis.spec).toEqual(report.spec);
  });

  it("prints a report for people and uses $CLUSTERLAB_HOME by default", () => {
    const r = clusterlab(["run", spec]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run run-.* \(saved in .*home\)/);
    expect(r.stdout).toContain("held-out rows (30)");
    expect(r.stdout).toContain("ARI with a refit");
    expect(existsSync(join(dir, "home", "clusterlab.duckdb"))).toBe(true);
  });

  it("fails with one line and exit 1 on a bad spec, leaving the store unchanged", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        version: 1,
        data: { path: "examples/data/iris.csv" },
        algorithm: { name: "kmeans", params: { nClusters: 3, speed: 11 } },
      }),
    );
    const before = (await (await openStore(store)).listRuns()).length;
    const r = clusterlab(["run", bad, "--store", store]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "clusterlab: error: invalid spec: /algorithm/params/speed: 11 (unknown field; allowed: nClusters, init, nInit, maxIter, tol, algorithm)\n",
    );
    expect((await (await openStore(store)).listRuns()).length).toBe(before);
  });
});

describe("clusterlab run (in-process)", () => {
  it("runs without saving with --no-save", async () => {
    const r = await run(["run", spec, "--no-save", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runId).toBeNull();
  });

  it("names a missing or malformed spec file (exit 1) and a bad --out (exit 2)", async () => {
    const missing = await run(["run", join(dir, "none.json"), "--store", store]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^clusterlab: error: spec file not found: /);
    const text = join(dir, "text.json");
    writeFileSync(text, "{ nope");
    const malformed = await run(["run", text, "--store", store]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/invalid spec file .*: not JSON/);
    const out = await run(["run", spec, "--store", store, "--out", "x.xlsx"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^clusterlab: error: invalid --out/);
    const none = await run(["run"]);
    expect(none.code).toBe(2);
  });

  it("records a run that fails on the data as failed", async () => {
    const failing = join(dir, "failing.json");
    writeFileSync(
      failing,
      JSON.stringify({
        version: 1,
        data: { path: "examples/data/penguins.csv" },
        preprocessing: { imputation: { numeric: "error" } },
        algorithm: { name: "kmeans" },
      }),
    );
    const cwd = process.cwd();
    process.chdir(repoRoot);
    try {
      const r = await run(["run", failing, "--store", store]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^clusterlab: error: column "bill_length_mm" has 2 missing values/);
    } finally {
      process.chdir(cwd);
    }
    const failed = await (await openStore(store)).listRuns({ status: "failed" });
    expect(failed[0].error).toMatch(/bill_length_mm/);
  });
});
