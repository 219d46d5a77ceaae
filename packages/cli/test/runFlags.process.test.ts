import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  dir = mkdtempSync(join(tmpdir(), "clusterlab-runflags-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the flags, prints their spec, re-runs the printed spec: both runs must give the same labels. */
function roundTrip(name: string, flags: string[]): { spec: Record<string, unknown>; labels: string } {
  const direct = join(dir, `${name}-flags.csv`);
  const a = clusterlab(["run", ...flags, "--no-save", "-q", "--out", direct]);
  expect(a.stderr).toBe("");
  expect(a.code).toBe(0);
  const p = clusterlab(["run", ...flags, "--print-spec"]);
  expect(p.stderr).toBe("");
  expect(p.code).toBe(0);
  const specFile = join(dir, `${name}.json`);
  writeFileSync(specFile, p.stdout);
  const again = join(dir, `${name}-spec.csv`);
  const b = clusterlab(["run", specFile, "--no-save", "-q", "--out", again, "--json"]);
  expect(b.stderr).toBe("");
  expect(b.code).toBe(0);
  const labels = readFileSync(direct, "utf8");
  expect(readFileSync(again, "utf8")).toBe(labels);
  const spec = JSON.parse(p.stdout);
  expect(JSON.parse(b.stdout).spec).toEqual(spec);
  return { spec, labels };
}

describe("clusterlab run: flags -> --print-spec -> run spec.json gives identical labels (as a process)", () => {
  it("k-means with roles, imputation, Yeo-Johnson, IQR outliers, PCA by variance and a held-out split", () => {
    const { spec, labels } = roundTrip("penguins-kmeans", [
      "--data",
      "examples/data/penguins.csv",
      "--target",
      "species",
      "--role",
      "year=categorical",
      "--impute-numeric",
      "median",
      "--categorical-encoding",
      "onehot",
      "--transform",
      "yeoJohnson",
      "--outliers",
      "iqr",
      "--iqr-factor",
      "2",
      "--scale",
      "robust",
      "--pca",
      "0.9",
      "--test-size",
      "0.25",
      "--split-seed",
      "3",
      "--algo",
      "kmeans",
      "--k",
      "3",
      "--n-init",
      "4",
      "--seed",
      "5",
    ]);
    expect(spec).toMatchObject({
      data: { path: "examples/data/penguins.csv", format: "csv" },
      columns: { roles: { year: "categorical" }, target: "species" },
      preprocessing: {
        imputation: { numeric: "median" },
        transform: "yeoJohnson",
        outliers: { method: "iqr", factor: 2 },
        scaling: "robust",
        pca: { varianceRatio: 0.9 },
      },
      algorithm: { name: "kmeans", params: { nClusters: 3, nInit: 4 } },
      seed: 5,
      split: { testSize: 0.25, seed: 3 },
    });
    // Some rows were clustered into 3 clusters.
    const cluster = labels
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").at(-1));
    expect(new Set(cluster.filter((c) => c !== "")).size).toBe(3);
  });

  it("k-prototypes with constant imputation of missing categories", () => {
    const { spec } = roundTrip("penguins-kproto", [
      "--data",
      "examples/data/penguins.csv",
      "--exclude",
      "species",
      "--impute-categorical",
      "constant",
      "--categorical-fill",
      "unknown",
      "--algo",
      "kprototypes",
      "--k",
      "3",
      "--n-init",
      "2",
    ]);
    expect(spec).toMatchObject({
      preprocessing: { imputation: { categorical: "constant", categoricalFillValue: "unknown" } },
      algorithm: { name: "kprototypes", params: { nClusters: 3, nInit: 2 } },
    });
  });

  it("a bad flag value is a usage error (exit 2); an invalid spec field an error naming it (exit 1)", () => {
    const bad = clusterlab(["run", "--data", "examples/data/iris.csv", "--tol", "fast"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('clusterlab: error: invalid --tol: "fast" (must be a number)\n');
    const range = clusterlab(["run", "--data", "examples/data/iris.csv", "--k", "0", "--print-spec"]);
    expect(range.code).toBe(1);
    expect(range.stderr).toMatch(/^clusterlab: error: invalid spec: \/algorithm\/params\/nClusters: 0/);
  });
});
