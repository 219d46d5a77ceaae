import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import { featureText, type SegmentsReport } from "../src/segments.js";
import { iris, repoRoot, run } from "./helpers.js";

const tips = join(repoRoot, "examples/data/tips.csv");

describe("segments arguments", () => {
  it("parses the clustering flags as `cluster` does, and the segment flags", () => {
    expect(parseArgs(["segments", "x.csv"])).toEqual({
      command: "segments",
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
      describe: [],
      treeDepth: 3,
      stability: 20,
      top: 3,
    });
    const a = parseArgs([
      "segments",
      "x.tsv",
      "--algo",
      "dbscan",
      "--eps",
      "0.5",
      "--columns",
      "a,b",
      "--exclude",
      "id",
      "--scale",
      "robust",
      "--seed",
      "4",
      "--describe",
      "sex, smoker",
      "--tree-depth",
      "2",
      "--min-leaf",
      "6",
      "--stability",
      "0",
      "--top",
      "5",
      "--json",
      "-q",
      "--drop-missing",
    ]);
    expect(a).toMatchObject({
      command: "segments",
      algo: "dbscan",
      k: null,
      options: { eps: 0.5 },
      columns: ["a", "b"],
      exclude: ["id"],
      scale: "robust",
      seed: 4,
      describe: ["sex", "smoker"],
      treeDepth: 2,
      minLeaf: 6,
      stability: 0,
      top: 5,
      json: true,
      quiet: true,
      dropMissing: true,
    });
  });

  it("refuses bad command lines with one-line usage errors", () => {
    const bad: [string[], RegExp][] = [
      [["segments", "x.csv", "--tree-depth", "0"], /invalid --tree-depth: "0" \(must be an integer in \[1, 10\]\)/],
      [["segments", "x.csv", "--stability", "-1"], /invalid --stability/],
      [["segments", "x.csv", "--top", "x"], /invalid --top/],
      [["segments", "x.csv", "--min-leaf", "0"], /invalid --min-leaf/],
      [["segments", "x.csv", "--describe", "a,,b"], /invalid --describe/],
      [["segments", "x.csv", "--algo", "dbscan", "--k", "3"], /--k does not apply to --algo dbscan/],
      [["segments", "x.csv", "--k", "0"], /invalid --k/],
      [["segments", "x.csv", "--out", "o.csv"], /unknown option '--out'/],
      [["segments"], /missing required argument 'file'/],
    ];
    for (const [argv, message] of bad) {
      let error: unknown;
      try {
        parseArgs(argv);
      } catch (e) {
        error = e;
      }
      expect(error, argv.join(" ")).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
    const help = parseArgs(["segments", "--help"]) as { text: string };
    expect(help.text).toContain("--tree-depth");
    expect(help.text).toContain("--stability");
  });
});

describe("clusterlab segments (in-process)", () => {
  it("iris: JSON with profiles, rules, names, stability and anomaly scores; the petals rank top", async () => {
    const r = await run(["segments", iris, "--exclude", "target", "--k", "3", "--stability", "5", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as SegmentsReport;
    expect(report).toMatchObject({ algorithm: "kmeans", nSamples: 150, nClusters: 3, nNoise: 0, rowsDropped: 0 });
    expect(report.ranking.slice(0, 2).map((f) => f.feature)).toEqual(["petal_length_cm", "petal_width_cm"]);
    expect(report.segments).toHaveLength(3);
    expect(new Set(report.segments.map((s) => s.name)).size).toBe(3);
    const setosa = report.segments.find((s) => s.size === 50)!;
    expect(setosa.topFeatures[0].feature).toBe("petal_length_cm");
    expect(setosa.topFeatures[0].text).toMatch(/^lower: mean 1.46 vs/);
    expect(setosa).toMatchObject({ rule: "petal_length_cm <= 2", precision: 1, recall: 1 });
    expect(setosa.stability!.meanJaccard!).toBeGreaterThan(0.9);
    expect(report.stability!.nBootstrap).toBe(5);
    expect(report.anomaly!.kind).toBe("centerDistance");
    expect(report.anomaly!.top).toHaveLength(5);
    expect(report.profiles.segments).toHaveLength(3);
    expect(report.rules.rules).toHaveLength(3);
    for (const s of report.segments) expect(s.meanAnomalyScore).toBeGreaterThan(0);
    // Same seed, same result.
    const again = JSON.parse(
      (await run(["segments", iris, "--exclude", "target", "--k", "3", "--stability", "5", "--json"])).stdout,
    ) as SegmentsReport;
    expect(again.segments).toEqual(report.segments);
  });

  it("iris: the report for people", async () => {
    const r = await run(["segments", iris, "--exclude", "target", "--k", "3", "--stability", "3"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("segments of");
    expect(r.stdout).toMatch(/columns by association with the segments: petal_length_cm 0\.96, petal_width_cm/);
    expect(r.stdout).toMatch(/segment \d {2}"Very low petal length cm, very low petal width cm"/);
    expect(r.stdout).toContain("rule: petal_length_cm <= 2   (precision 1, recall 1)");
    expect(r.stdout).toMatch(/stability \d\.\d+ \((highly stable|stable|patterns|dissolved)\)/);
    expect(r.stdout).toContain("anomaly score: euclidean distance to the nearest cluster centre");
  });

  it("tips: mixed types (kprototypes) and described categories with lifts", async () => {
    const r = await run(["segments", tips, "--algo", "kprototypes", "--k", "3", "--stability", "0", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as SegmentsReport;
    // Columns by the spec's roles, as `clusterlab cluster`: `size` (6 integer codes) is categorical.
    expect(report.categoricalColumns).toEqual(["sex", "smoker", "day", "time", "size"]);
    expect(report.stability).toBeNull();
    expect(report.anomaly).toBeNull();
    const time = report.profiles.segments[0].features.find((f) => f.feature === "time")!;
    expect(time.kind).toBe("categorical");
    const d = await run([
      "segments",
      tips,
      "--k",
      "3",
      "--describe",
      "sex,smoker,day,time",
      "--stability",
      "0",
      "--top",
      "5",
    ]);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/(Dinner|Lunch|Sun|Sat|Thur|Fri): \d+\.\d% vs \d+\.\d% overall \(lift \d/);
  });

  it("noise is a segment; errors are one line with exit codes 1 and 2", async () => {
    const h = await run(["segments", iris, "--exclude", "target", "--algo", "hdbscan", "--stability", "0", "--json"]);
    expect(h.code).toBe(0);
    const report = JSON.parse(h.stdout) as SegmentsReport;
    expect(report.segments.at(-1)).toMatchObject({ id: "noise", name: "Noise", label: -1, stability: null });
    expect(report.anomaly!.kind).toBe("glosh");
    const missing = await run(["segments", "nope.csv"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("clusterlab: error: file not found: nope.csv\n");
    const described = await run(["segments", iris, "--describe", "petal_width_cm", "--k", "3"]);
    expect(described.code).toBe(1);
    expect(described.stderr).toMatch(/is a feature; --describe takes other columns\n$/);
    const unknown = await run(["segments", iris, "--describe", "nope", "--k", "3", "--stability", "0"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown column "nope"/);
    const usage = await run(["segments", iris, "--tree-depth", "99"]);
    expect(usage.code).toBe(2);
  });

  it("describes excluded columns, and drops rows with missing values", async () => {
    const r = await run([
      "segments",
      iris,
      "--exclude",
      "target,target_name",
      "--describe",
      "target_name",
      "--k",
      "3",
      "--stability",
      "0",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as SegmentsReport;
    expect(report.describe).toEqual(["target_name"]);
    const setosa = report.profiles.segments.find((s) => s.size === 50)!;
    const species = setosa.features.find((f) => f.feature === "target_name")!;
    expect(species.kind === "categorical" && species.topCategory).toMatchObject({
      category: "setosa",
      share: 1,
      lift: 3,
    });
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-segments-"));
    try {
      const file = join(dir, "gaps.csv");
      const rows = ["a,b,g"];
      for (let i = 0; i < 40; i++)
        rows.push(`${i < 20 ? i % 5 : 50 + (i % 5)},${i === 7 ? "" : i % 3},${i < 20 ? "x" : "y"}`);
      writeFileSync(file, `${rows.join("\n")}\n`);
      const failed = await run(["segments", file, "--k", "2"]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/missing value/);
      const dropped = await run([
        "segments",
        file,
        "--k",
        "2",
        "--drop-missing",
        "--describe",
        "g",
        "--stability",
        "3",
        "--json",
      ]);
      expect(dropped.stderr).toBe("");
      const d = JSON.parse(dropped.stdout) as SegmentsReport;
      expect([d.nSamples, d.rowsDropped]).toEqual([39, 1]);
      expect(d.segments.map((s) => s.size).sort()).toEqual([19, 20]);
      // Anomaly rows are table rows: row 7 (dropped) never appears; rows after it keep their index.
      expect(d.anomaly!.top.every((t) => t.row !== 7 && t.row < 40)).toBe(true);
      expect(d.segments.every((s) => s.precision === 1 && s.recall === 1)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("featureText", () => {
    expect(
      featureText({ feature: "x", kind: "numeric", effect: 0.5, d: -1.234, direction: "lower", mean: 1, restMean: 2 }),
    ).toBe("lower: mean 1 vs 2 in the rest (d = -1.23)");
    expect(
      featureText({
        feature: "t",
        kind: "categorical",
        effect: 0.2,
        category: "Dinner",
        share: 0.8,
        overallShare: 0.5,
        lift: 1.6,
      }),
    ).toBe("Dinner: 80.0% vs 50.0% overall (lift 1.6, V = 0.2)");
  });
});
