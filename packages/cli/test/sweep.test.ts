import { describe, expect, it } from "vitest";
import { parseKRange } from "../src/sweep.js";
import { iris, run } from "./helpers.js";

describe("clusterlab sweep", () => {
  it("scores each k and suggests one (JSON)", async () => {
    const r = await run(["sweep", iris, "--target", "target", "--exclude", "target_name", "--k", "2..5", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ks).toEqual([2, 3, 4, 5]);
    expect(report.entries).toHaveLength(4);
    expect(report.votes.silhouette).toBe(2);
    expect(report.recommendation.k).toBe(2);
    expect(report.gap).toBeNull();
  });

  it("prints a table with the gap statistic and a suggestion", async () => {
    const r = await run(["sweep", iris, "--exclude", "target,target_name", "--k", "1..4", "--gap", "--b", "5"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/k\s+clusters\s+silhouette\s+calinski-harabasz\s+davies-bouldin\s+inertia\s+gap\s+s_k/);
    expect(r.stdout).toMatch(/gap statistic \(B=5, uniform reference\)/);
    expect(r.stdout).toMatch(/suggestion: k=\d/);
  });

  it("sweeps gmm with BIC", async () => {
    const r = await run(["sweep", iris, "--exclude", "target,target_name", "--algo", "gmm", "--k", "2..3", "--json"]);
    expect(JSON.parse(r.stdout).entries.every((e: { bic?: number }) => typeof e.bic === "number")).toBe(true);
  });

  it("refuses a bad range or an algorithm without k (exit 2) and a missing file (exit 1)", async () => {
    expect(parseKRange("2..12")).toEqual({ kMin: 2, kMax: 12 });
    expect(parseKRange("3")).toEqual({ kMin: 3, kMax: 3 });
    const range = await run(["sweep", iris, "--k", "5..2"]);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/^clusterlab: error: invalid --k: "5\.\.2"/);
    const algo = await run(["sweep", iris, "--algo", "dbscan"]);
    expect(algo.code).toBe(2);
    const missing = await run(["sweep", "nope.csv"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("clusterlab: error: file not found: nope.csv\n");
  });
});
