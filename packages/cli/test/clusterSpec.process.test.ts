import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "../src/args.js";
import { repoRoot } from "./helpers.js";

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
  dir = mkdtempSync(join(tmpdir(), "clusterlab-clusterspec-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The `cluster` column of a labelled CSV written by `--out`. */
function clusterColumn(path: string): string[] {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const header = lines[0].split(",");
  const at = header.indexOf("cluster");
  expect(at).toBeGreaterThanOrEqual(0);
  return lines.slice(1).map((line) => line.split(",")[at]);
}

/**
 * `clusterlab cluster <flags>` and `clusterlab run` of the spec `cluster <flags> --print-spec`
 * prints: both write the same labelled table.
 */
function roundTrip(name: string, flags: string[]) {
  const direct = join(dir, `${name}-cluster.csv`);
  const a = clusterlab(["cluster", ...flags, "-q", "--out", direct, "--json"]);
  expect(a.stderr).toBe("");
  expect(a.code).toBe(0);
  const p = clusterlab(["cluster", ...flags, "--print-spec"]);
  expect(p.stderr).toBe("");
  expect(p.code).toBe(0);
  const specFile = join(dir, `${name}.json`);
  writeFileSync(specFile, p.stdout);
  const again = join(dir, `${name}-run.csv`);
  const b = clusterlab(["run", specFile, "--no-save", "-q", "--out", again, "--json"]);
  expect(b.stderr).toBe("");
  expect(b.code).toBe(0);
  const labels = clusterColumn(direct);
  expect(new Set(labels).size).toBeGreaterThan(1);
  expect(readFileSync(again, "utf8")).toBe(readFileSync(direct, "utf8"));
  return { report: JSON.parse(a.stdout), spec: JSON.parse(p.stdout), run: JSON.parse(b.stdout), labels };
}

describe("clusterlab cluster --print-spec: `run` of the printed spec gives identical labels (as a process)", () => {
  it("kmeans on iris", () => {
    const { report, spec, run } = roundTrip("iris-kmeans", [
      "examples/data/iris.csv",
      "--exclude",
      "target,target_name",
      "--k",
      "3",
      "--scale",
      "robust",
      "--n-init",
      "3",
      "--seed",
      "5",
    ]);
    expect(spec.columns.include).toEqual(report.columns);
    expect(spec.algorithm).toMatchObject({ name: "kmeans", params: { nClusters: 3, nInit: 3 } });
    expect(spec).toMatchObject({ seed: 5, preprocessing: { scaling: "robust", encoding: "none" } });
    expect(run.nClusters).toBe(3);
  });

  it("kprototypes on penguins: `year` (3 integer codes) is categorical on both paths", () => {
    const { report, spec, run } = roundTrip("penguins-kprototypes", [
      "examples/data/penguins.csv",
      "--algo",
      "kprototypes",
      "--k",
      "3",
      "--drop-missing",
    ]);
    expect(report.categoricalColumns).toEqual(["species", "island", "sex", "year"]);
    expect(report.columns).toEqual([
      "bill_length_mm",
      "bill_depth_mm",
      "flipper_length_mm",
      "body_mass_g",
      "species",
      "island",
      "sex",
      "year",
    ]);
    expect(spec.columns.include).toEqual(report.columns);
    expect(spec.columns.roles).toMatchObject({ year: "categorical", body_mass_g: "numeric" });
    expect(spec.preprocessing.imputation).toMatchObject({ numeric: "drop", categorical: "drop" });
    expect(run.features).toMatchObject({ categorical: ["species", "island", "sex", "year"] });
    expect(run.rows).toMatchObject({ droppedMissing: 11, fitted: 333 });
  });

  it("agglomerative on wine", () => {
    const { report, spec } = roundTrip("wine-agglomerative", [
      "examples/data/wine.csv",
      "--exclude",
      "target,target_name",
      "--algo",
      "agglomerative",
      "--k",
      "3",
      "--linkage",
      "average",
    ]);
    expect(report.columns).toHaveLength(13);
    expect(spec.algorithm).toMatchObject({ name: "agglomerative", params: { nClusters: 3, linkage: "average" } });
  });

  it("kmodes on penguins with missing categories (a category of its own on both paths)", () => {
    const { report, spec } = roundTrip("penguins-kmodes", [
      "examples/data/penguins.csv",
      "--algo",
      "kmodes",
      "--k",
      "3",
    ]);
    expect(report.columns).toEqual(["species", "island", "sex", "year"]);
    expect(spec.preprocessing.imputation).toMatchObject({ categorical: "constant", categoricalFillValue: "" });
  });

  it("--print-spec refuses the output flags, which a spec does not hold", () => {
    expect(parseArgs(["cluster", "d.csv", "--print-spec"])).toMatchObject({ command: "cluster", printSpec: true });
    expect(() => parseArgs(["cluster", "d.csv", "--print-spec", "--out", "o.csv"])).toThrow(
      "--print-spec prints the analysis spec and runs nothing, so --out does not apply (give it to `clusterlab run spec.json`, or drop --print-spec)",
    );
    expect(() =>
      parseArgs(["cluster", "d.csv", "--print-spec", "--model", "m.json", "--silhouette-sample", "9"]),
    ).toThrow(/so --model, --silhouette-sample do not apply \(give them to/);
    const r = clusterlab(["cluster", "examples/data/iris.csv", "--print-spec", "--out", "x.csv"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("--print-spec fails like the run would, and writes nothing on stdout", () => {
    const r = clusterlab(["cluster", "examples/data/iris.csv", "--columns", "nope", "--print-spec"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^clusterlab: error: .*"nope"/);
  });
});
