import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers.js";

// These tests run the built CLI (`npx tsc -b` first; `npm test` builds before vitest).
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/main.js"));
const telco = join(repoRoot, "examples/data/telco_customers.csv");
const penguins = join(repoRoot, "examples/data/penguins.csv");

function clusterlab(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLUSTERLAB_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The `cluster` column of a CSV written by `--out` (empty cells as null). */
function clusterColumn(path: string): (number | null)[] {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const header = lines[0].split(",").map((h) => h.replace(/"/g, ""));
  const at = header.indexOf("cluster");
  return lines.slice(1).map((line) => {
    const cell = line.split(",").at(at - header.length) ?? "";
    return cell === "" ? null : Number(cell);
  });
}

let dir: string;
beforeAll(() => {
  if (!built) throw new Error("packages/cli/dist is missing: run `npx tsc -b` before these tests");
  dir = mkdtempSync(join(tmpdir(), "clusterlab-predict-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runSpecFile(name: string, spec: object): { model: string; out: string } {
  const specPath = join(dir, `${name}.json`);
  writeFileSync(specPath, JSON.stringify(spec));
  const model = join(dir, `${name}.model.json`);
  const out = join(dir, `${name}.out.csv`);
  const r = clusterlab(["run", specPath, "--no-save", "--model", model, "--out", out, "-q", "--json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return { model, out };
}

describe("clusterlab predict <model.json> <file> with categorical features (as a process)", () => {
  it("telco: one-hot encoded categories + Yeo-Johnson + k-means from `clusterlab run` predict the run's labels", () => {
    const { model, out } = runSpecFile("telco", {
      version: 1,
      data: { path: telco },
      columns: { target: "churn" },
      preprocessing: { transform: "yeoJohnson" },
      algorithm: { name: "kmeans", params: { nClusters: 4 } },
    });
    const predicted = join(dir, "telco.predicted.csv");
    const p = clusterlab(["predict", model, telco, "--out", predicted, "--json"]);
    expect(p.stderr).toBe("");
    expect(p.code).toBe(0);
    const report = JSON.parse(p.stdout);
    expect(report).toMatchObject({ algorithm: "kmeans", nSamples: 7043, rowsDropped: 0, nClusters: 4 });
    expect(report.columns).toContain("contract");
    expect(clusterColumn(predicted)).toEqual(clusterColumn(out));

    // A category the model never saw: named with its column and row.
    const lines = readFileSync(telco, "utf8").split("\n");
    lines[3] = lines[3].replace('"Month-to-month"', '"Weekly"').replace('"One year"', '"Weekly"');
    const unseen = join(dir, "telco-unseen.csv");
    writeFileSync(unseen, lines.join("\n"));
    const u = clusterlab(["predict", model, unseen]);
    expect(u.code).toBe(1);
    expect(u.stderr.trim()).toMatch(
      /^clusterlab: error: unseen category "Weekly" in column "contract" of .*telco-unseen\.csv: row 3 \(line 4\); the model was fitted on 3 categories: "Month-to-month", "One year", "Two year"$/,
    );

    // A feature column the file lacks.
    const cut = join(dir, "telco-cut.csv");
    writeFileSync(cut, readFileSync(telco, "utf8").replace(/"tenure"/, '"months"'));
    const c = clusterlab(["predict", model, cut]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/^clusterlab: error: .*telco-cut\.csv has no column "tenure", which the model .* needs/);
  });

  it("penguins: k-prototypes (categories + numbers, missing values imputed) and k-modes", () => {
    const kproto = runSpecFile("penguins-kproto", {
      version: 1,
      data: { path: penguins },
      columns: { target: "species" },
      algorithm: { name: "kprototypes", params: { nClusters: 3 } },
    });
    const predicted = join(dir, "kproto.predicted.csv");
    const p = clusterlab(["predict", kproto.model, penguins, "--out", predicted, "--json"]);
    expect(p.stderr).toBe("");
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ algorithm: "kprototypes", nSamples: 344, nClusters: 3 });
    expect(clusterColumn(predicted)).toEqual(clusterColumn(kproto.out));

    // Imputation "error": missing values stop the prediction (naming the column), unless --drop-missing.
    const strict = runSpecFile("penguins-kmodes", {
      version: 1,
      data: { path: penguins },
      columns: { include: ["island", "sex"] },
      preprocessing: { imputation: { categorical: "drop" } },
      algorithm: { name: "kmodes", params: { nClusters: 3 } },
    });
    const e = clusterlab(["predict", strict.model, penguins]);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(
      /^clusterlab: error: column "sex" has 11 missing values \(first in row 4\); the model was fitted with imputation "drop".*--drop-missing/,
    );
    const dropped = join(dir, "kmodes.predicted.csv");
    const d = clusterlab(["predict", strict.model, penguins, "--drop-missing", "--out", dropped, "--json"]);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ nSamples: 333, rowsDropped: 11 });
    const labels = clusterColumn(dropped);
    expect(labels.filter((l) => l === null)).toHaveLength(11);
    expect(labels).toEqual(clusterColumn(strict.out));

    // The older form, with a model of `clusterlab cluster --algo kprototypes --model`.
    const legacy = join(dir, "legacy.model.json");
    const c = clusterlab([
      "cluster",
      penguins,
      "--algo",
      "kprototypes",
      "--k",
      "3",
      "--drop-missing",
      "--model",
      legacy,
    ]);
    expect(c.code).toBe(0);
    const unseen = join(dir, "penguins-unseen.csv");
    writeFileSync(unseen, readFileSync(penguins, "utf8").replace(/"Torgersen"/g, '"Atlantis"'));
    const u = clusterlab(["predict", unseen, "--model", legacy, "--drop-missing"]);
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(
      /^clusterlab: error: unseen category "Atlantis" in column "island" of .*penguins-unseen\.csv: row 1 \(line 2\) and 51 more rows; the model was fitted on 3 categories: "Biscoe", "Dream", "Torgersen"/,
    );
    const ok = clusterlab(["predict", legacy, penguins, "--drop-missing", "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ algorithm: "kprototypes", nSamples: 333 });
  });

  it("usage errors for the positional form", () => {
    const r = clusterlab(["predict", "model.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing the input table: `clusterlab predict <model.json> <file>`");
  });
});
