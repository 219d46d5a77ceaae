import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel } from "@clusterlab/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, run } from "./helpers.js";

const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
let dir: string;
let store: string;
let runId: string;

function clusterlab(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLUSTERLAB_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-runs-"));
  store = join(dir, "store");
  const spec = join(dir, "penguins.json");
  writeFileSync(
    spec,
    JSON.stringify({
      version: 1,
      data: { path: "examples/data/penguins.csv" },
      columns: { target: "species" },
      preprocessing: { transform: "yeoJohnson" },
      algorithm: { name: "gmm", params: { nComponents: 3 } },
    }),
  );
  const r = clusterlab(["run", spec, "--store", store, "--json", "-q"]);
  if (r.code !== 0) throw new Error(r.stderr);
  runId = JSON.parse(r.stdout).runId;
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("clusterlab runs", () => {
  it("lists the saved runs (text and JSON)", async () => {
    const text = clusterlab(["runs", "--store", store]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^id\s+created\s+status\s+algorithm/);
    expect(text.stdout).toContain(runId);
    expect(text.stdout).toContain("(1 run in ");
    const json = await run(["runs", "list", "--store", store, "--json"]);
    expect(JSON.parse(json.stdout).runs.map((r: { id: string }) => r.id)).toEqual([runId]);
  });

  it("shows a run by a unique prefix and exports its model", async () => {
    const model = join(dir, "model.json");
    const r = await run(["runs", "show", runId.slice(0, 20), "--store", store, "--model", model]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`run ${runId} (succeeded`);
    expect(r.stdout).toContain('"name": "gmm"');
    expect((await loadModel(model)).analysis.spec.algorithm.name).toBe("gmm");
  });

  it("re-runs a saved run with identical labels (as a process), then deletes it", async () => {
    const r = clusterlab(["runs", "rerun", runId, "--store", store, "--json", "-q"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.identicalLabels).toBe(true);
    expect(report.previous.id).toBe(runId);
    const deleted = await run(["runs", "delete", report.run.runId, "--store", store]);
    expect(deleted.stdout).toBe(`deleted run ${report.run.runId} from ${store}\n`);
    const list = await run(["runs", "--store", store, "--json"]);
    expect(JSON.parse(list.stdout).runs).toHaveLength(1);
  });

  it("errors: unknown id (exit 1), bad action or missing id (exit 2)", async () => {
    const unknown = await run(["runs", "show", "run-x", "--store", store]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^clusterlab: error: unknown run: "run-x"/);
    expect((await run(["runs", "show", "--store", store])).code).toBe(2);
    const bad = await run(["runs", "frob", "--store", store]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('clusterlab: error: invalid action: "frob" (must be one of list, show, rerun, delete)\n');
    expect((await run(["runs", "list", "--limit", "0", "--store", store])).code).toBe(2);
  });
});
