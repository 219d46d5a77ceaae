import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AnomaliesReport } from "../src/anomalies.js";
import { parseArgs, UsageError } from "../src/args.js";
import { iris, repoRoot, run } from "./helpers.js";

const wine = join(repoRoot, "examples/data/wine_outliers.csv");
const dir = mkdtempSync(join(tmpdir(), "clusterlab-anomalies-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no error for ${argv.join(" ")}`);
}

describe("anomalies arguments", () => {
  it("parses the clustering flags as `cluster` does, and the anomaly flags", () => {
    expect(parseArgs(["anomalies", "x.csv"])).toEqual({
      command: "anomalies",
      file: "x.csv",
      header: true,
      dropMissing: false,
      json: false,
      quiet: false,
      exclude: [],
      scale: "standard",
      algo: "kmeans",
      k: 8,
      seed: 0,
      options: {},
      contamination: 0.05,
      threshold: null,
      positive: "1",
      top: 20,
    });
    const a = parseArgs([
      "anomalies",
      "x.csv",
      "--method",
      "hdbscan",
      "--min-cluster-size",
      "10",
      "--threshold",
      "0.8",
      "--label-column",
      "is_outlier",
      "--positive",
      "yes",
      "--top",
      "5",
      "--exclude",
      "id",
      "--out",
      "o.csv",
    ]);
    expect(a).toMatchObject({
      algo: "hdbscan",
      k: null,
      options: { minClusterSize: 10 },
      contamination: null,
      threshold: 0.8,
      labelColumn: "is_outlier",
      positive: "yes",
      top: 5,
      exclude: ["id"],
      out: "o.csv",
    });
    // --algo works too; kmedoids keeps its own --method.
    expect(parseArgs(["anomalies", "x.csv", "--algo", "gmm", "--k", "2", "--contamination", "0.1"])).toMatchObject({
      algo: "gmm",
      k: 2,
      contamination: 0.1,
    });
    expect(parseArgs(["anomalies", "x.csv", "--algo", "kmedoids", "--method", "alternate"])).toMatchObject({
      algo: "kmedoids",
      options: { method: "alternate" },
    });
  });

  it("refuses a bad contamination, both cut rules, a method without a score, a stray --positive", () => {
    expect(usage(["anomalies", "x.csv", "--contamination", "0"])).toBe(
      'invalid --contamination: "0" (must be a number in (0, 0.5])',
    );
    expect(usage(["anomalies", "x.csv", "--contamination", "0.6"])).toMatch(/must be a number in \(0, 0.5\]/);
    expect(usage(["anomalies", "x.csv", "--contamination", "lots"])).toMatch(/invalid --contamination/);
    expect(usage(["anomalies", "x.csv", "--contamination", "0.1", "--threshold", "2"])).toMatch(/cannot be combined/);
    expect(usage(["anomalies", "x.csv", "--algo", "spectral"])).toMatch(
      /^--algo spectral has no anomaly score \(use one of: kmeans/,
    );
    expect(usage(["anomalies", "x.csv", "--method", "kmodes"])).toMatch(/--algo kmodes has no anomaly score/);
    expect(usage(["anomalies", "x.csv", "--method", "isolation-forest"])).toMatch(
      /^invalid --method: "isolation-forest"/,
    );
    expect(usage(["anomalies", "x.csv", "--method", "gmm", "--algo", "kmeans"])).toMatch(/disagree/);
    expect(usage(["anomalies", "x.csv", "--positive", "1"])).toMatch(/--positive needs --label-column/);
    expect(usage(["anomalies", "x.csv", "--columns", "a,y", "--label-column", "y"])).toMatch(/must not be a feature/);
    expect(usage(["anomalies", "x.csv", "--top", "0"])).toBe('invalid --top: "0" (must be an integer >= 1)');
    expect(usage(["anomalies", "x.csv", "--eps", "1"])).toMatch(/--eps does not apply to --algo kmeans/);
  });
});

describe("clusterlab anomalies", () => {
  it("scores the wine outlier file, evaluates against the label, writes the rows with scores", async () => {
    const out = join(dir, "scored.csv");
    const r = await run([
      "anomalies",
      wine,
      "--k",
      "2",
      "--label-column",
      "is_outlier",
      "--contamination",
      "0.05",
      "--out",
      out,
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AnomaliesReport;
    expect(report.columns).toHaveLength(13);
    expect(report.columns).not.toContain("is_outlier");
    expect(report.nSamples).toBe(140);
    expect(report.score.kind).toBe("relativeCenterDistance");
    expect(report.nAnomalies).toBe(7);
    expect(report.anomalies).toHaveLength(7);
    expect(report.anomalies[0].features).toHaveLength(3);
    expect(report.evaluation).toMatchObject({ labelColumn: "is_outlier", positive: "1", nPositive: 10, nRows: 140 });
    expect(report.evaluation!.rocAuc).toBeCloseTo(0.839, 3);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(141);
    const header = lines[0].split(",");
    expect(header.slice(-3)).toEqual(["is_outlier", "anomaly_score", "is_anomaly"]);
    const flagged = lines.slice(1).filter((l) => l.endsWith(",1"));
    expect(flagged).toHaveLength(7);
    const topRow = report.anomalies[0].row;
    expect(Number(lines[1 + topRow].split(",")[14])).toBeCloseTo(report.anomalies[0].score, 9);
  });

  it("prints the top anomalies with their unusual features; --threshold 1 is DBSCAN's noise", async () => {
    const r = await run([
      "anomalies",
      wine,
      "--method",
      "dbscan",
      "--eps",
      "2.5",
      "--min-samples",
      "5",
      "--threshold",
      "1",
      "--top",
      "2",
      "--label-column",
      "is_outlier",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 cluster + 43 noise rows");
    expect(r.stdout).toContain("flagged 43 of 140 rows: score > 1");
    expect(r.stdout).toContain("top 2 anomalies:");
    expect(r.stdout).toMatch(
      / {2}1\. row \d+ {2}score [\d.]+ {2}\(noise, compared with cluster 0\)\n {7}\S+ +\S+ vs typical \S+ \([+-][\d.]+ sd, (higher|lower)\)/,
    );
    expect(r.stdout).toContain("evaluation against is_outlier = 1: 10 outliers in 140 rows (7.1%)");
    expect(r.stdout).toMatch(/ROC AUC 0\.958/);
  });

  it("answers bad data with one line and exit 1", async () => {
    const missing = await run(["anomalies", wine, "--label-column", "outlier"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^clusterlab: error: label column "outlier" not found in .*wine_outliers\.csv \(columns: alcohol,/,
    );
    const nothing = await run(["anomalies", wine, "--label-column", "is_outlier", "--positive", "yes"]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/is numeric, but the positive value "yes" is not a number\n$/);
    const tooMany = await run(["anomalies", iris, "--exclude", "target", "--k", "151"]);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toBe("clusterlab: error: invalid --k: 151 (must be <= the number of rows, 150)\n");
  });
});
