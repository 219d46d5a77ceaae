import { describe, expect, it } from "vitest";
import { parseKRange } from "../src/sweep.js";
import { iris, run } from "./helpers.js";

describe("clusterlab sweep", () => {
  it("scores each k and suggests one (JSON)", async () => {
    const r = await run([
      "sweep",
      iris,
      "--target",
      "target",
      "--exclude",
      "target_name",
      "--k",
      "2..5",
      "--json",
      "-q",
    ]);
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

  it("shows bootstrap stability and prediction strength columns with the evidence; --no-stability drops them", async () => {
    const r = await run(["sweep", iris, "--exclude", "target,target_name", "--k", "2..4", "--bootstrap", "4", "-q"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /k\s+clusters\s+silhouette\s+calinski-harabasz\s+davies-bouldin\s+inertia\s+stability\s+weakest\s+pred-strength/,
    );
    expect(r.stdout).toContain(
      "stability: mean and weakest cluster's Jaccard over 4 bootstrap refits (>= 0.75 stable)",
    );
    expect(r.stdout).toMatch(/^ {2}silhouette +k=2 {2}highest silhouette [\d.]+ at k=2$/m);
    expect(r.stdout).toMatch(/^ {2}stability +k=\d {2}(largest k whose every cluster|no k has every cluster)/m);
    const rows = r.stdout.split("\n").filter((l) => /^\s*[234]\s+[234]\s/.test(l));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const cells = row.trim().split(/\s+/);
      const [stability, weakest, strength] = cells.slice(-3).map(Number);
      expect(weakest).toBeLessThanOrEqual(stability);
      expect(stability).toBeGreaterThan(0);
      expect(stability).toBeLessThanOrEqual(1);
      expect(strength).toBeGreaterThanOrEqual(0);
      expect(strength).toBeLessThanOrEqual(1);
    }
    const json = JSON.parse(
      (await run(["sweep", iris, "--exclude", "target,target_name", "--k", "2..3", "--bootstrap", "3", "--json", "-q"]))
        .stdout,
    );
    expect(json.stability).toEqual({ nBootstrap: 3, predictionStrength: true, rows: 150 });
    expect(json.votes.stability).toBeTypeOf("number");
    expect(json.evidence.stability).toBeTypeOf("string");
    const off = await run([
      "sweep",
      iris,
      "--exclude",
      "target,target_name",
      "--k",
      "2..3",
      "--no-stability",
      "--json",
    ]);
    const offReport = JSON.parse(off.stdout);
    expect(offReport.stability).toBeNull();
    expect(offReport.votes.stability).toBeUndefined();
    expect(offReport.entries.every((e: { stability?: number }) => e.stability === undefined)).toBe(true);
    expect((await run(["sweep", iris, "--bootstrap", "0"])).code).toBe(2);
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
