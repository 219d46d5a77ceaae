import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTable } from "@clusterlab/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import type { TextReport } from "../src/text.js";
import { repoRoot, run } from "./helpers.js";

const spam = join(repoRoot, "examples/data/spam_assassin_subset.csv");
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/text.js"));

function usage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain("\n");
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

let dir: string;
let small: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-cli-text-"));
  small = join(dir, "small.csv");
  const rows = [
    ["pets", "The cat chased the dog around the garden."],
    ["pets", "My dog and my cat sleep in the garden."],
    ["pets", "A kitten and a puppy: every cat and dog loves the garden."],
    ["pets", "Dogs bark, cats purr; the puppy plays with the kitten and the dog."],
    ["markets", "Stock markets fell as investors sold shares."],
    ["markets", "Investors bought shares when stock prices rose."],
    ["markets", "The stock market rally lifted share prices for investors."],
    ["markets", "Shares and stock prices: investors watch the market."],
  ];
  writeFileSync(small, `topic,body\n${rows.map(([t, b]) => `${t},"${b}"`).join("\n")}\n`);
  writeFileSync(join(dir, "empty.csv"), "id,body\n1,\n2,\n");
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("clusterlab text: parsing", () => {
  it("applies the defaults", () => {
    expect(parseArgs(["text", "d.csv", "--text-column", "body"])).toEqual({
      command: "text",
      file: "d.csv",
      header: true,
      textColumns: ["body"],
      k: 8,
      algo: "kmeans",
      lsa: 100,
      minDf: 2,
      maxDf: { proportion: 0.95 },
      stem: false,
      stopWords: true,
      minLength: 2,
      numbers: true,
      topTerms: 10,
      seed: 0,
      json: false,
      quiet: false,
    });
  });

  it("parses every option", () => {
    const args = parseArgs([
      "text",
      "d.tsv",
      "--text-column",
      "subject,body",
      "--label-column",
      "label",
      "--algo",
      "hdbscan",
      "--min-cluster-size",
      "5",
      "--lsa",
      "50",
      "--min-df",
      "0.01",
      "--max-df",
      "1.0",
      "--max-features",
      "5000",
      "--stem",
      "--no-stop-words",
      "--min-length",
      "3",
      "--no-numbers",
      "--top-terms",
      "5",
      "--seed",
      "2",
      "--out",
      "o.parquet",
      "--json",
      "-q",
    ]);
    expect(args).toMatchObject({
      textColumns: ["subject", "body"],
      labelColumn: "label",
      algo: "hdbscan",
      k: null,
      minClusterSize: 5,
      lsa: 50,
      minDf: { proportion: 0.01 },
      maxDf: { proportion: 1 },
      maxFeatures: 5000,
      stem: true,
      stopWords: false,
      minLength: 3,
      numbers: false,
      topTerms: 5,
      seed: 2,
      out: "o.parquet",
      json: true,
      quiet: true,
    });
    expect(parseArgs(["text", "d.csv", "--text-column", "b", "--max-df", "100"])).toMatchObject({ maxDf: 100 });
  });

  it("rejects bad flags with one line", () => {
    expect(usage(["text", "d.csv"])).toMatch(/required option '--text-column <list>' not specified/);
    expect(usage(["text", "d.csv", "--text-column", "a,,b"])).toMatch(/invalid --text-column/);
    expect(usage(["text", "d.csv", "--text-column", "b", "--min-df", "1.5"])).toMatch(/invalid --min-df: "1.5"/);
    expect(usage(["text", "d.csv", "--text-column", "b", "--max-df", "-2"])).toMatch(/invalid --max-df/);
    expect(usage(["text", "d.csv", "--text-column", "b", "--algo", "hdbscan", "--k", "3"])).toMatch(
      /--k does not apply to --algo hdbscan/,
    );
    expect(usage(["text", "d.csv", "--text-column", "b", "--algo", "agglomerative", "--lsa", "0"])).toMatch(
      /--lsa 0 only works with --algo kmeans/,
    );
    expect(usage(["text", "d.csv", "--text-column", "b", "--min-cluster-size", "5"])).toMatch(
      /--min-cluster-size only applies to --algo hdbscan/,
    );
    expect(usage(["text", "d.csv", "--text-column", "b", "--out", "x.xlsx"])).toMatch(/invalid --out/);
  });
});

describe("clusterlab text: running", () => {
  it("clusters two obvious topics perfectly and writes the rows plus cluster", async () => {
    const out = join(dir, "small-out.csv");
    const r = await run(["text", small, "--text-column", "body", "--k", "2", "--label-column", "topic", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("spherical k-means (cosine) on LSA");
    expect(r.stdout).toMatch(/Against "topic": ARI 1\.000, NMI 1\.000, V-measure 1\.000/);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("topic,body,cluster");
    const clusters = lines.slice(1).map((l) => l.split(",").at(-1));
    expect(new Set(clusters.slice(0, 4)).size).toBe(1);
    expect(new Set(clusters.slice(4)).size).toBe(1);
    expect(clusters[0]).not.toBe(clusters[4]);
  });

  it("answers bad data with exit code 1 and one line", async () => {
    for (const [args, message] of [
      [["text", join(dir, "empty.csv"), "--text-column", "body"], /text column "body" in .*empty.csv is empty/],
      [["text", small, "--text-column", "nope"], /unknown column "nope"/],
      [["text", small, "--text-column", "body", "--label-column", "zzz"], /unknown column "zzz"/],
      [
        ["text", small, "--text-column", "body", "--k", "9"],
        /invalid k: 9 \(must be <= the number of documents with terms, 8\)/,
      ],
    ] as [string[], RegExp][]) {
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^clusterlab: error: /);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("clusterlab text: process", () => {
  it("clusters the SpamAssassin subset with external metrics (JSON and --out)", async () => {
    if (!built) throw new Error("packages/cli/dist is missing: run `npx tsc -b` before these tests");
    const out = join(dir, "spam-labelled.csv");
    const p = spawnSync(
      process.execPath,
      [
        bin,
        "text",
        spam,
        "--text-column",
        "subject,body",
        "--k",
        "8",
        "--label-column",
        "group",
        "--json",
        "--out",
        out,
      ],
      { cwd: repoRoot, encoding: "utf8", env: { ...process.env, CLUSTERLAB_DEBUG: "" } },
    );
    expect(p.stderr).toBe("");
    expect(p.status).toBe(0);
    const report = JSON.parse(p.stdout) as TextReport;
    expect(report).toMatchObject({ nDocuments: 1350, nClusters: 8, algorithm: "kmeans", nEmpty: 1 });
    expect(report.lsa.nComponents).toBe(100);
    expect(report.clusters).toHaveLength(8);
    expect(report.clusters.reduce((s, c) => s + c.size, 0)).toBe(1349);
    for (const c of report.clusters) {
      expect(c.topTerms).toHaveLength(10);
      expect(c.representatives).toHaveLength(3);
    }
    // Topic clusters only partly follow spam / easy ham / hard ham: the measured values (seed 0).
    const e = report.external!;
    expect(e.contingency.classes).toEqual(["easy-ham-1", "hard-ham-1", "spam-1"]);
    expect(e.normalizedMutualInfo).toBeGreaterThan(0.25);
    expect(e.normalizedMutualInfo).toBeLessThan(0.5);
    expect(e.adjustedRandIndex).toBeGreaterThan(0.15);
    expect(e.vMeasure).toBeCloseTo(e.normalizedMutualInfo, 10); // V-measure = arithmetic NMI
    expect(report.map.x).toHaveLength(1350);
    expect(report.map.x.filter((v) => v === null)).toHaveLength(1);
    // The output CSV: the input rows (some bodies span lines) plus `cluster`.
    expect(readFileSync(out, "utf8").split("\n")[0]).toBe("msg_id,group,label,subject,body,cluster");
    const written = await readTable(out);
    expect(written.nRows).toBe(1350);
    const cluster = written.columns.find((c) => c.name === "cluster")!;
    expect(cluster.kind).toBe("numeric");
    const values = Array.from(cluster.values as Float64Array);
    expect(Math.min(...values)).toBe(-1);
    expect(Math.max(...values)).toBe(7);
    expect(report.timings.totalSeconds).toBeLessThan(30);
  });
});
