import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AnomaliesReport } from "../src/anomalies.js";
import { repoRoot } from "./helpers.js";

// Runs the built CLI (`npx tsc -b` first; `npm test` builds before vitest).
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/anomalies.js"));

function clusterlab(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLUSTERLAB_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("bin/clusterlab.js anomalies", () => {
  it("scores the bundled wine outlier file as a process", () => {
    if (!built) throw new Error("packages/cli/dist/anomalies.js is missing: run `npx tsc -b` before these tests");
    const r = clusterlab([
      "anomalies",
      "examples/data/wine_outliers.csv",
      "--method",
      "kmeans",
      "--k",
      "1",
      "--label-column",
      "is_outlier",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AnomaliesReport;
    expect(report.nSamples).toBe(140);
    // k = 1: the score is the distance to the mean over the median distance (as reference/anomalies.py).
    expect(report.evaluation!.rocAuc).toBeCloseTo(0.9438461538461539, 12);
    expect(report.evaluation!.atTrueContamination.precision).toBe(0.5);
    const text = clusterlab(["anomalies", "examples/data/wine_outliers.csv", "--k", "1", "--top", "1"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("flagged 7 of 140 rows (contamination 0.05)");
    const bad = clusterlab(["anomalies", "examples/data/wine_outliers.csv", "--contamination", "0.9"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('clusterlab: error: invalid --contamination: "0.9" (must be a number in (0, 0.5])\n');
  });
});
