import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SegmentsReport } from "../src/segments.js";
import { iris, repoRoot } from "./helpers.js";

// Runs the built CLI (`npx tsc -b` first; `npm test` builds before vitest).
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/segments.js"));

function clusterlab(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLUSTERLAB_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("bin/clusterlab.js segments", () => {
  it("explains the iris segments as a process", () => {
    if (!built) throw new Error("packages/cli/dist/segments.js is missing: run `npx tsc -b` before these tests");
    const r = clusterlab([
      "segments",
      "examples/data/iris.csv",
      "--exclude",
      "target",
      "--k",
      "3",
      "--stability",
      "5",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as SegmentsReport;
    expect(report.nSamples).toBe(150);
    expect(
      report.ranking
        .slice(0, 2)
        .map((f) => f.feature)
        .sort(),
    ).toEqual(["petal_length_cm", "petal_width_cm"]);
    expect(report.segments.map((s) => s.size).sort((a, b) => a - b)).toEqual([44, 50, 56]);
    expect(new Set(report.segments.map((s) => s.name)).size).toBe(3);
    const text = clusterlab(["segments", iris, "--exclude", "target", "--k", "3", "--stability", "0"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('"Very low petal length cm, very low petal width cm"');
    const bad = clusterlab(["segments", iris, "--top", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('clusterlab: error: invalid --top: "0" (must be an integer >= 1)\n');
  });
});
