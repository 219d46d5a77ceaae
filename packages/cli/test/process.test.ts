import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iris, repoRoot } from "./helpers.js";

// These tests run the built CLI (`npx tsc -b` first; `npm test` builds before vitest).
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/main.js"));

function clusterlab(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLUSTERLAB_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  if (!built) throw new Error("packages/cli/dist is missing: run `npx tsc -b` before these tests");
  dir = mkdtempSync(join(tmpdir(), "clusterlab-bin-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("bin/clusterlab.js", () => {
  it("prints version and help", () => {
    const v = clusterlab(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const h = clusterlab(["--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("Usage: clusterlab");
  });

  it("clusters iris to JSON and writes the output file", () => {
    const out = join(dir, "iris.csv");
    const r = clusterlab(["cluster", iris, "--exclude", "target", "--k", "3", "--json", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ nSamples: 150, nFeatures: 4, nClusters: 3 });
    expect(report.metrics.silhouette).toBeGreaterThan(0);
    expect(report.metrics.silhouette).toBeLessThan(1);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(151);
    expect(lines[0].split(",").at(-1)).toBe("cluster");
  });

  it("runs dbscan with noise and agglomerative, and predicts with the saved model", () => {
    const out = join(dir, "dbscan.csv");
    const model = join(dir, "dbscan.json");
    const r = clusterlab([
      "cluster",
      iris,
      "--exclude",
      "target",
      "--algo",
      "dbscan",
      "--eps",
      "0.5",
      "--json",
      "--out",
      out,
      "--model",
      model,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ algorithm: "dbscan", nClusters: 2, nNoise: 34, metricsOn: "non-noise points" });
    expect(report.params).toEqual({ scale: "standard", seed: 0, eps: 0.5 });
    const labels = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",").at(-1));
    expect(labels.filter((l) => l === "-1")).toHaveLength(34);
    const p = clusterlab(["predict", iris, "--model", model]);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/noise\s+34\s+22\.7%/);
    expect(p.stdout).toContain("a Clusterlab convention");

    const a = clusterlab([
      "cluster",
      iris,
      "--exclude",
      "target",
      "--algo",
      "agglomerative",
      "--k",
      "3",
      "--linkage",
      "average",
    ]);
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    expect(a.stdout).toContain("algorithm   agglomerative (k=3, linkage=average)");
    expect(a.stdout).toMatch(/cophenetic corr\.\s+0\.\d{4}/);

    const bad = clusterlab(["cluster", iris, "--algo", "agglomerative", "--eps", "0.5"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "clusterlab: error: --eps does not apply to --algo agglomerative (it takes: --k, --distance-threshold, --linkage, --metric, --connectivity-neighbors)\n",
    );
  });

  it("exits non-zero with one line on stderr for bad input", () => {
    for (const [args, code] of [
      [["cluster", "missing.csv"], 1],
      [["cluster", iris, "--k", "abc"], 2],
      [["cluster", iris, "--nope"], 2],
      [["cluster", iris, "--exclude", "target", "--k", "151"], 1],
    ] as [string[], number][]) {
      const r = clusterlab(args);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^clusterlab: error: [^\n]+\n$/);
    }
  });
});
