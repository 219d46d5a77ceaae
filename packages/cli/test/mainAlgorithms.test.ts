import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adjustedRandScore, modelFromJSON } from "@clusterlab/core";
import { getColumn, readTable } from "@clusterlab/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALGORITHM_TABLE, ALGORITHMS, type AlgorithmName } from "../src/algorithms.js";
import type { ClusterReport, PredictReport } from "../src/report.js";
import { iris, repoRoot, run } from "./helpers.js";

const penguins = join(repoRoot, "examples/data/penguins.csv");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-algos-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  /** Arguments after `cluster <file>`. */
  argv: string[];
  file: string;
  /** Smallest adjusted Rand index against the species (noise as its own group). */
  minAri: number;
  /** Whether predicting the training rows must give back the training labels exactly. */
  samePredict: boolean;
}

const IRIS = ["--exclude", "target"];
const CASES: Record<AlgorithmName, Case> = {
  kmeans: { file: iris, argv: [...IRIS, "--k", "3"], minAri: 0.5, samePredict: true },
  "minibatch-kmeans": { file: iris, argv: [...IRIS, "--k", "3", "--batch-size", "64"], minAri: 0.5, samePredict: true },
  "bisecting-kmeans": { file: iris, argv: [...IRIS, "--k", "3"], minAri: 0.5, samePredict: true },
  kmedoids: { file: iris, argv: [...IRIS, "--k", "3"], minAri: 0.5, samePredict: true },
  agglomerative: { file: iris, argv: [...IRIS, "--k", "3", "--linkage", "ward"], minAri: 0.5, samePredict: false },
  dbscan: { file: iris, argv: [...IRIS, "--eps", "0.5", "--min-samples", "5"], minAri: 0.4, samePredict: true },
  hdbscan: { file: iris, argv: [...IRIS, "--min-cluster-size", "10"], minAri: 0.5, samePredict: false },
  optics: { file: iris, argv: [...IRIS, "--min-samples", "10"], minAri: 0.2, samePredict: true },
  gmm: { file: iris, argv: [...IRIS, "--k", "3", "--covariance-type", "full"], minAri: 0.5, samePredict: true },
  meanshift: { file: iris, argv: [...IRIS], minAri: 0.5, samePredict: true },
  "affinity-propagation": { file: iris, argv: [...IRIS, "--damping", "0.9"], minAri: 0.3, samePredict: true },
  spectral: { file: iris, argv: [...IRIS, "--k", "3"], minAri: 0.5, samePredict: false },
  birch: { file: iris, argv: [...IRIS, "--k", "3"], minAri: 0.5, samePredict: true },
  kmodes: { file: penguins, argv: ["--k", "3"], minAri: 0.2, samePredict: true },
  kprototypes: {
    file: penguins,
    argv: ["--k", "3", "--exclude", "year", "--drop-missing"],
    minAri: 0.5,
    samePredict: true,
  },
};

/** The labels of an output file's `cluster` column and the species of its rows (null where dropped). */
async function labelsAndSpecies(path: string): Promise<{ labels: number[]; species: number[] }> {
  const table = await readTable(path);
  const cluster = getColumn(table, "cluster").values as Float64Array;
  const species = getColumn(table, table.columns.some((c) => c.name === "species") ? "species" : "target");
  const codes = new Map<unknown, number>();
  const labels: number[] = [];
  const truth: number[] = [];
  for (let i = 0; i < table.nRows; i++) {
    if (Number.isNaN(cluster[i])) continue; // dropped for missing values
    const s = species.values[i];
    if (!codes.has(s)) codes.set(s, codes.size);
    labels.push(cluster[i]);
    truth.push(codes.get(s)!);
  }
  return { labels, species: truth };
}

describe("every algorithm (in-process): cluster, save, predict", () => {
  for (const algo of ALGORITHMS) {
    it(algo, async () => {
      const c = CASES[algo];
      const out = join(dir, `${algo}.csv`);
      const model = join(dir, `${algo}.json`);
      const r = await run(["cluster", c.file, "--algo", algo, ...c.argv, "--out", out, "--model", model, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as ClusterReport;
      const spec = ALGORITHM_TABLE[algo];
      const n = report.nSamples;
      expect(report.algorithm).toBe(algo);
      expect(report.nClusters).toBeGreaterThanOrEqual(2);
      expect(report.clusterSizes).toHaveLength(report.nClusters);
      expect(report.clusterSizes.every((s) => s > 0)).toBe(true);
      expect(report.clusterSizes.reduce((a, b) => a + b, 0) + report.nNoise).toBe(n);
      expect(report.metricsOn).toBe(report.nNoise > 0 ? "non-noise points" : "all points");
      expect(report.predict).toEqual(spec.predict);
      if (report.params.nClusters !== undefined || report.params.nComponents !== undefined) {
        expect(report.nClusters).toBe(3);
      }
      const m = report.metrics;
      expect(m.silhouette).toBeGreaterThan(0);
      expect(m.silhouette).toBeLessThanOrEqual(1);
      if (spec.input === "numeric") {
        expect(report.categoricalColumns).toEqual([]);
        expect(m.calinskiHarabasz).toBeGreaterThan(0);
        expect(m.daviesBouldin).toBeGreaterThan(0);
      } else {
        // Columns by the spec's roles: `year` (3 integer codes) is categorical (kprototypes excludes it).
        expect(report.categoricalColumns).toEqual(["species", "island", "sex", ...(algo === "kmodes" ? ["year"] : [])]);
        expect(m.calinskiHarabasz).toBeNull();
        expect(m.cost).toBeGreaterThan(0);
      }
      const hasInertia = ["kmeans", "minibatch-kmeans", "bisecting-kmeans", "kmedoids"].includes(algo);
      expect("inertia" in m, "inertia").toBe(hasInertia);
      expect("bic" in m && "aic" in m, "bic/aic").toBe(algo === "gmm");
      expect("copheneticCorrelation" in m, "cophenetic").toBe(algo === "agglomerative");
      if (algo === "agglomerative") expect(m.copheneticCorrelation).toBeGreaterThan(0.5);
      if (algo === "dbscan") expect(report.nNoise).toBeGreaterThan(0);

      const { labels, species } = await labelsAndSpecies(out);
      expect(labels).toHaveLength(n);
      expect(adjustedRandScore(species, labels), "ARI vs species").toBeGreaterThan(c.minAri);

      // The model file restores, and `clusterlab predict` assigns the same rows.
      const saved = JSON.parse(readFileSync(model, "utf8"));
      expect(saved.clusterlab.spec.algorithm).toBe(algo);
      expect(modelFromJSON<{ nClusters: number }>(saved).nClusters).toBe(report.nClusters);
      const predicted = join(dir, `${algo}-predicted.csv`);
      const drop = c.argv.includes("--drop-missing") ? ["--drop-missing"] : [];
      const p = await run(["predict", c.file, "--model", model, "--out", predicted, "--json", ...drop]);
      expect(p.stderr).toBe("");
      expect(p.code).toBe(0);
      const pr = JSON.parse(p.stdout) as PredictReport;
      expect(pr).toMatchObject({ algorithm: algo, nSamples: n, nClusters: report.nClusters, predict: spec.predict });
      const again = (await labelsAndSpecies(predicted)).labels;
      const agree = again.filter((label, i) => label === labels[i]).length;
      if (c.samePredict) expect(agree).toBe(n);
      else expect(agree / n).toBeGreaterThan(0.9);
    });
  }
});

describe("algorithm-specific output (in-process)", () => {
  it("prints noise as its own row and cuts agglomerative trees by height", async () => {
    const text = await run(["cluster", iris, ...IRIS, "--algo", "dbscan", "--eps", "0.5"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\n {2}noise\s+34\s+22\.7%\n/);
    expect(text.stdout).toContain("metrics (on the 116 non-noise points, standard-scaled features)");
    const cut = await run([
      "cluster",
      iris,
      ...IRIS,
      "--algo",
      "agglomerative",
      "--distance-threshold",
      "10",
      "--json",
    ]);
    const report = JSON.parse(cut.stdout) as ClusterReport;
    expect(report.params).toMatchObject({ distanceThreshold: 10 });
    expect(report.params.nClusters).toBeUndefined();
    expect(report.nClusters).toBeGreaterThanOrEqual(2);
  });

  it("reports null metrics when everything is noise", async () => {
    const r = await run(["cluster", iris, ...IRIS, "--algo", "dbscan", "--eps", "0.01", "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ClusterReport;
    expect(report).toMatchObject({ nClusters: 0, nNoise: 150, metricsOn: "non-noise points" });
    expect(report.metrics).toMatchObject({ silhouette: null, calinskiHarabasz: null, daviesBouldin: null });
    expect(report.warnings).toEqual([
      "silhouette, calinski-harabasz and davies-bouldin need 2 to n-1 non-empty clusters (got 0 for 0 non-noise rows)",
    ]);
  });

  it("takes kprototypes' categorical columns from --categorical and refuses missing numbers", async () => {
    const r = await run([
      "cluster",
      penguins,
      "--algo",
      "kprototypes",
      "--columns",
      "bill_length_mm,flipper_length_mm,island,year",
      "--categorical",
      "island,year",
      "--drop-missing",
      "--k",
      "2",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as ClusterReport;
    expect(report.columns).toEqual(["bill_length_mm", "flipper_length_mm", "island", "year"]);
    expect(report.categoricalColumns).toEqual(["island", "year"]);
    expect(report.params).toMatchObject({ categorical: ["island", "year"], nClusters: 2 });
    const missing = await run(["cluster", penguins, "--algo", "kprototypes"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'clusterlab: error: column "bill_length_mm" has 2 missing values; impute them or pass --drop-missing\n',
    );
    const numericOnly = await run(["cluster", iris, "--algo", "kprototypes", "--exclude", "target,target_name"]);
    expect(numericOnly.stderr).toMatch(/^clusterlab: error: kprototypes needs numeric and categorical columns/);
    // iris' `target` (3 integer codes) is categorical by role, so kmodes clusters it unless excluded.
    const noText = await run(["cluster", iris, "--algo", "kmodes", "--exclude", "target,target_name"]);
    expect(noText.stderr).toMatch(
      /^clusterlab: error: no categorical columns in .* for kmodes \(roles: sepal_length_cm: numeric, .*target: categorical.*\); name the columns to cluster with --columns/,
    );
  });
});
