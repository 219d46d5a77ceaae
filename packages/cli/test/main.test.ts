import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { modelFromJSON, type PipelineModel } from "@clusterlab/core";
import { getColumn, numericMatrix, readTable } from "@clusterlab/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterReport } from "../src/report.js";
import { iris, run } from "./helpers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const irisFeatures = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"];

describe("clusterlab cluster (in-process)", () => {
  it("reports JSON with sizes, metrics and timings", async () => {
    const r = await run(["cluster", iris, "--exclude", "target", "--k", "3", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ClusterReport;
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(report).toMatchObject({
      algorithm: "kmeans",
      nSamples: 150,
      nFeatures: 4,
      nClusters: 3,
      columns: irisFeatures,
      params: { nClusters: 3, scale: "standard", seed: 0 },
      silhouetteSampleSize: null,
      rowsDropped: 0,
    });
    expect(report.clusterSizes).toHaveLength(3);
    expect(report.clusterSizes.reduce((a, b) => a + b, 0)).toBe(150);
    const m = report.metrics;
    expect(m.silhouette).toBeGreaterThan(0);
    expect(m.silhouette).toBeLessThan(1);
    expect(m.calinskiHarabasz).toBeGreaterThan(0);
    expect(m.daviesBouldin).toBeGreaterThan(0);
    expect(m.inertia).toBeGreaterThan(0);
    for (const key of ["loadSeconds", "fitSeconds", "totalSeconds"] as const) {
      expect(report.timings[key]).toBeGreaterThanOrEqual(0);
    }
  });

  it("is deterministic for a seed and prints a readable report", async () => {
    const a = await run(["cluster", iris, "--columns", irisFeatures.join(","), "-k", "3", "--json"]);
    const b = await run(["cluster", iris, "--exclude", "target", "-k", "3", "--json"]);
    expect(JSON.parse(a.stdout).clusterSizes).toEqual(JSON.parse(b.stdout).clusterSizes);
    const text = await run(["cluster", iris, "--exclude", "target", "-k", "3"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("rows        150");
    expect(text.stdout).toContain("silhouette");
    expect(text.stdout).toContain("(exact; euclidean)");
  });

  it("runs every algorithm and scaler", async () => {
    for (const algo of ["kmeans", "minibatch-kmeans", "bisecting-kmeans"]) {
      for (const scale of ["standard", "minmax", "robust", "none"]) {
        const r = await run([
          "cluster",
          iris,
          "--exclude",
          "target",
          "-k",
          "3",
          "--algo",
          algo,
          "--scale",
          scale,
          "--json",
        ]);
        expect(r.stderr, `${algo}/${scale}`).toBe("");
        const report = JSON.parse(r.stdout) as ClusterReport;
        expect(report.algorithm).toBe(algo);
        expect(report.nClusters).toBe(3);
        expect(report.metrics.silhouette).toBeGreaterThan(0);
      }
    }
  });

  it("reports null metrics with one warning for a single cluster", async () => {
    const r = await run(["cluster", iris, "--exclude", "target", "-k", "1", "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ClusterReport;
    expect(report.clusterSizes).toEqual([150]);
    expect(report.metrics).toMatchObject({ silhouette: null, calinskiHarabasz: null, daviesBouldin: null });
    expect(report.metrics.inertia).toBeCloseTo(600, 6); // 150 rows x 4 standardized features
    expect(report.warnings).toEqual([
      "silhouette, calinski-harabasz and davies-bouldin need 2 to n-1 non-empty clusters (got 1 for 150 rows)",
    ]);
  });

  it("samples the silhouette on request and says so", async () => {
    const r = await run(["cluster", iris, "--exclude", "target", "-k", "3", "--silhouette-sample", "50", "--json"]);
    const report = JSON.parse(r.stdout) as ClusterReport;
    expect(report.silhouetteSampleSize).toBe(50);
    expect(report.metrics.silhouette).toBeGreaterThan(0);
    const text = await run(["cluster", iris, "--exclude", "target", "-k", "3", "--silhouette-sample", "50"]);
    expect(text.stdout).toContain("on a sample of 50 of 150 rows");
  });

  it("writes CSV and Parquet with every input row plus a cluster column", async () => {
    const csv = join(dir, "out", "iris-clusters.csv");
    const r = await run(["cluster", iris, "--exclude", "target", "-k", "3", "--out", csv, "--json"]);
    expect(r.code).toBe(0);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    expect(lines).toHaveLength(151);
    expect(lines[0]).toBe(`${irisFeatures.join(",")},target,target_name,cluster`);
    expect(lines[1]).toMatch(/^5\.1,3\.5,1\.4,0\.2,0,setosa,[0-2]$/);

    const pq = join(dir, "iris-clusters.parquet");
    await run(["cluster", iris, "--exclude", "target", "-k", "3", "--out", pq]);
    const t = await readTable(pq);
    expect(t.nRows).toBe(150);
    expect(getColumn(t, "cluster").type).toBe("INTEGER");
    expect(getColumn(t, "target_name").values[0]).toBe("setosa");
    const fromCsv = await readTable(csv);
    expect(Array.from(getColumn(t, "cluster").values as Float64Array)).toEqual(
      Array.from(getColumn(fromCsv, "cluster").values as Float64Array),
    );
  });

  it("saves a model that modelFromJSON restores and that predicts the same labels", async () => {
    const model = join(dir, "iris-model.json");
    const out = join(dir, "iris-labels.csv");
    const r = await run(["cluster", iris, "--exclude", "target", "-k", "3", "--model", model, "--out", out]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(model, "utf8"));
    expect(json.type).toBe("PipelineModel");
    expect(json.clusterlab).toMatchObject({
      format: "clusterlab-model",
      columns: irisFeatures,
      spec: { algorithm: "kmeans", scale: "standard", nClusters: 3, seed: 0 },
      nSamples: 150,
    });
    const pipeline = modelFromJSON<PipelineModel>(json);
    const table = await readTable(out);
    const { matrix } = numericMatrix(table, { columns: json.clusterlab.columns });
    const expected = Array.from(getColumn(table, "cluster").values as Float64Array);
    expect(Array.from(pipeline.predict(matrix))).toEqual(expected);

    const predicted = join(dir, "predicted.csv");
    const p = await run(["predict", iris, "--model", model, "--out", predicted, "--json"]);
    expect(p.stderr).toBe("");
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ nSamples: 150, nClusters: 3 });
    expect(readFileSync(predicted, "utf8")).toBe(readFileSync(out, "utf8"));
  });

  it("drops rows with missing values on request and leaves their cluster empty", async () => {
    const path = join(dir, "missing.csv");
    writeFileSync(path, "id,x,y\n1,1,1\n2,,1.1\n3,5,5\n4,5.1,5.2\n5,0.9,1\n");
    const fail = await run(["cluster", path, "--exclude", "id", "-k", "2"]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toBe('clusterlab: error: column "x" has 1 missing value; impute them or pass --drop-missing\n');
    const out = join(dir, "missing-out.csv");
    const ok = await run(["cluster", path, "--exclude", "id", "-k", "2", "--drop-missing", "--out", out, "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ nSamples: 4, rowsDropped: 1 });
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[2]).toBe("2,,1.1,");
  });
});

describe("clusterlab errors (in-process)", () => {
  const cases: [string, string[], number, RegExp][] = [
    ["missing file", ["cluster", "nope.csv"], 1, /^file not found: nope\.csv$/],
    ["unknown flag", ["cluster", "x.csv", "--bogus"], 2, /^unknown option '--bogus'$/],
    ["invalid number", ["cluster", "x.csv", "--k", "abc"], 2, /^invalid --k: "abc"/],
    [
      "k > n",
      ["cluster", iris, "--exclude", "target", "--k", "500"],
      1,
      /^invalid --k: 500 \(must be <= the number of rows, 150\)$/,
    ],
    [
      "unknown column",
      ["cluster", iris, "--columns", "petal"],
      1,
      /^unknown column "petal" in .*iris\.csv \(columns: sepal_length_cm/,
    ],
    ["text column", ["cluster", iris, "--columns", "target_name"], 1, /^column "target_name" .* is not numeric/],
    ["model missing", ["predict", iris, "--model", "nope.json"], 1, /^model file not found: nope\.json$/],
  ];
  for (const [name, argv, code, pattern] of cases) {
    it(`${name}: exit ${code}, one line on stderr`, async () => {
      const r = await run(argv);
      expect(r.code).toBe(code);
      expect(r.stdout).toBe("");
      const lines = r.stderr.split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe("");
      expect(lines[0].startsWith("clusterlab: error: ")).toBe(true);
      expect(lines[0].slice("clusterlab: error: ".length)).toMatch(pattern);
    });
  }

  it("reports empty files, ragged rows and tables without numeric columns", async () => {
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, "a,b\n");
    const ragged = join(dir, "ragged.csv");
    writeFileSync(ragged, "a,b,c\n1,2,3\n4,5\n");
    const text = join(dir, "text.csv");
    writeFileSync(text, "a,b\nx,y\nz,w\n");
    const xlsx = join(dir, "data.xlsx");
    writeFileSync(xlsx, "PK");
    const expectations: [string, string][] = [
      [
        xlsx,
        `unsupported file type: ${xlsx} (expected .csv, .tsv, .txt, .parquet, .json, .ndjson, .jsonl, .arrow, .feather, .ipc or .duckdb)`,
      ],
      [empty, `empty file: ${empty} (no rows)`],
      [ragged, `malformed row in ${ragged}: line 3 has 2 fields, expected 3 ("4,5")`],
      [text, `no numeric columns in ${text} (columns: a, b)`],
    ];
    for (const [file, message] of expectations) {
      const r = await run(["cluster", file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`clusterlab: error: ${message}\n`);
    }
  });

  it("prints a stack trace only with CLUSTERLAB_DEBUG=1", async () => {
    const r = await run(["cluster", "nope.csv"], { CLUSTERLAB_DEBUG: "1" });
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n").length).toBeGreaterThan(2);
    expect(r.stderr).toContain("    at ");
  });
});
