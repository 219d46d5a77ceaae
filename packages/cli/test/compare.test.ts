import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { iris, repoRoot, run } from "./helpers.js";

const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");

describe("clusterlab compare", () => {
  it("ranks the algorithms with external metrics (process, JSON)", () => {
    const r = spawnSync(
      process.execPath,
      [
        bin,
        "compare",
        iris,
        "--algos",
        "kmeans,gmm,hclust,dbscan",
        "--k",
        "3",
        "--target",
        "target",
        "--exclude",
        "target_name",
        "--json",
        "-q",
      ],
      { cwd: repoRoot, encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.k).toBe(3);
    expect(report.rows.map((row: { id: string }) => row.id).sort()).toEqual(["dbscan", "gmm", "hclust", "kmeans"]);
    expect(report.rows[0].rank).toBe(1);
    for (const row of report.rows) expect(row.adjustedRand).toBeTypeOf("number");
  });

  it("prints a ranked table; a failing algorithm gets an error row", async () => {
    const r = await run([
      "compare",
      iris,
      "--algos",
      "kmeans,ap,kmodes",
      "--k",
      "3",
      "--target",
      "target",
      "--exclude",
      "target_name",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rank\s+model\s+k\s+clusters\s+noise\s+silhouette/);
    expect(r.stdout).toMatch(/ARI\s+NMI/);
    expect(r.stdout).toMatch(/-\s+kmodes.*failed: /);
    expect(r.stdout).toMatch(/best by silhouette: /);
  });

  it("errors: unknown algorithm (exit 2), missing file (exit 1)", async () => {
    const bad = await run(["compare", iris, "--algos", "kmeans,nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^clusterlab: error: invalid --algos: "nope"/);
    const missing = await run(["compare", "none.csv"]);
    expect(missing.code).toBe(1);
  });
});
