import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getParallelExecutor, setParallelExecutor } from "@clusterlab/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractThreads, installThreads } from "../src/threads.js";
import { repoRoot } from "./helpers.js";

// Runs the built CLI (`npx tsc -b` first) as a process.
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/main.js"));

function clusterlab(args: string[]) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLUSTERLAB_DEBUG: "" },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

let dir: string;
let csv: string;
beforeAll(() => {
  if (!built) throw new Error("packages/cli/dist is missing: run `npx tsc -b` before these tests");
  dir = mkdtempSync(join(tmpdir(), "clusterlab-threads-"));
  // 30 000 rows x 4 features (several blocks of rows, so the worker threads take some), seeded.
  let s = 12345;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const lines = ["a,b,c,d"];
  for (let i = 0; i < 30_000; i++) {
    const c = i % 5;
    const row = [0, 1, 2, 3].map((t) => (c * (t + 1) + 2 * (rand() + rand() + rand() - 1.5)).toFixed(6));
    lines.push(row.join(","));
  }
  csv = join(dir, "data.csv");
  writeFileSync(csv, `${lines.join("\n")}\n`);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("--threads", () => {
  it("parses the global option anywhere before --", () => {
    expect(extractThreads(["cluster", "x.csv", "--threads", "3", "--k", "2"])).toEqual({
      argv: ["cluster", "x.csv", "--k", "2"],
      threads: 3,
    });
    expect(extractThreads(["--threads=1", "cluster", "x.csv"])).toEqual({ argv: ["cluster", "x.csv"], threads: 1 });
    expect(extractThreads(["cluster", "--", "--threads", "2"])).toEqual({
      argv: ["cluster", "--", "--threads", "2"],
      threads: undefined,
    });
    expect(() => extractThreads(["cluster", "--threads", "0"])).toThrow(/invalid --threads/);
    expect(() => extractThreads(["cluster", "--threads", "1.5"])).toThrow(/invalid --threads/);
    expect(() => extractThreads(["cluster", "--threads"])).toThrow(/argument missing/);
  });

  it("installs an executor of n - 1 workers and puts back the previous one", async () => {
    const before = { workers: 0, run: () => [] };
    setParallelExecutor(before);
    try {
      const uninstall = installThreads(3);
      expect(getParallelExecutor()?.workers).toBe(2);
      await uninstall();
      expect(getParallelExecutor()).toBe(before);
      const none = installThreads(1);
      expect(getParallelExecutor()).toBe(null);
      await none();
      expect(getParallelExecutor()).toBe(before);
    } finally {
      setParallelExecutor(null);
    }
  });

  it("gives identical labels with 1 and 2 threads (k-means and its k-means++ init), and exits promptly", () => {
    const outputs: string[] = [];
    const reports: unknown[] = [];
    for (const threads of ["1", "2"]) {
      const out = join(dir, `labels-${threads}.csv`);
      const r = clusterlab(["cluster", csv, "--k", "5", "--json", "-q", "--out", out, "--threads", threads]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      outputs.push(readFileSync(out, "utf8"));
      const report = JSON.parse(r.stdout);
      reports.push(report.metrics);
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[0].split("\n")[0]).toBe("a,b,c,d,cluster");
    expect(reports[1]).toEqual(reports[0]);
  });

  it("rejects an invalid thread count with exit code 2", () => {
    const r = clusterlab(["cluster", csv, "--threads", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("invalid --threads");
  });
});
