import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import { iris, repoRoot, run } from "./helpers.js";

const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/main.js"));
const bundleBuilt = existsSync(join(repoRoot, "packages/dashboard/dist-report/report.js"));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-html-report-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("clusterlab report: parsing", () => {
  it("parses the spec flags with defaults", () => {
    const a = parseArgs(["report", "x.csv", "--out", "r.html"]);
    expect(a).toMatchObject({
      command: "report",
      file: "x.csv",
      out: "r.html",
      algo: "kmeans",
      k: 3,
      scale: "standard",
      seed: 0,
      linkage: "ward",
      covarianceType: "full",
      dropMissing: false,
      kMax: 10,
      exclude: [],
      header: true,
    });
    const b = parseArgs([
      "report",
      "x.csv",
      "--out=r.htm",
      "--algo",
      "agglomerative",
      "--k",
      "5",
      "--linkage",
      "average",
      "--columns",
      "a,b",
      "--exclude",
      "id",
      "--scale",
      "robust",
      "--seed",
      "7",
      "--drop-missing",
      "--no-sweep",
      "--title",
      "T",
    ]);
    expect(b).toMatchObject({
      algo: "agglomerative",
      k: 5,
      linkage: "average",
      columns: ["a", "b"],
      exclude: ["id"],
      scale: "robust",
      seed: 7,
      dropMissing: true,
      kMax: null,
      title: "T",
    });
  });

  it("parses the parameters of DBSCAN, OPTICS, HDBSCAN and the other algorithms", () => {
    const a = parseArgs([
      "report",
      "x.csv",
      "--out",
      "r.html",
      "--algo",
      "hdbscan",
      "--min-cluster-size",
      "10",
      "--min-samples",
      "4",
      "--cluster-selection-method",
      "leaf",
      "--metric",
      "manhattan",
    ]);
    expect(a).toMatchObject({
      algo: "hdbscan",
      params: { minClusterSize: 10, minSamples: 4, clusterSelectionMethod: "leaf", metric: "manhattan" },
    });
    const b = parseArgs(["report", "x.csv", "--out", "r.html", "--algo", "dbscan", "--eps", "0.4"]);
    expect(b).toMatchObject({ algo: "dbscan", params: { eps: 0.4 } });
    expect(parseArgs(["report", "x.csv", "--out", "r.html"])).toMatchObject({ params: {} });
  });

  it("refuses a bad command line with one-line usage errors", () => {
    expect(() => parseArgs(["report", "x.csv"])).toThrow(/--out/);
    expect(() => parseArgs(["report", "x.csv", "--out", "r.csv"])).toThrow(/end the name with \.html/);
    expect(() => parseArgs(["report", "x.csv", "--out", "r.html", "--k", "1"])).toThrow(/invalid --k/);
    expect(() => parseArgs(["report", "x.csv", "--out", "r.html", "--algo", "kmodes"])).toThrow(UsageError);
    expect(() => parseArgs(["report", "x.csv", "--out", "r.html", "--algo", "dbscan", "--eps", "-1"])).toThrow(
      /invalid --eps: "-1"/,
    );
    expect(() => parseArgs(["report", "x.csv", "--out", "r.html", "--min-samples", "2.5"])).toThrow(
      /invalid --min-samples: "2.5" \(must be an integer >= 0\)/,
    );
    expect(() => parseArgs(["report", "x.csv", "--out", "r.html", "--metric", "chebyshev"])).toThrow(UsageError);
    expect(() => parseArgs(["report", "x.csv", "--out", "r.html", "--columns", "a,,b"])).toThrow(/--columns/);
  });
});

describe.skipIf(!bundleBuilt)("clusterlab report: running", () => {
  it("writes the iris report in-process", async () => {
    const out = join(dir, "iris.html");
    const r = await run(["report", iris, "--k", "3", "--out", out, "-q"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote .*iris\.html \([\d.]+ MB\): 150 rows, k = 3, silhouette 0\.463, suggested k = 2\n$/,
    );
    const html = readFileSync(out, "utf8");
    expect(html).toContain('<script type="application/json" id="clusterlab-report-data">');
    expect(html).toContain("<title>Clustering report: iris.csv</title>");
  });

  it("writes a DBSCAN report with its noise and reachability plot", async () => {
    const out = join(dir, "iris-dbscan.html");
    const r = await run(["report", iris, "--algo", "dbscan", "--eps", "0.5", "--out", out, "-q"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const html = readFileSync(out, "utf8");
    const open = '<script type="application/json" id="clusterlab-report-data">';
    const start = html.indexOf(open) + open.length;
    const payload = JSON.parse(html.slice(start, html.indexOf("</script>", start)));
    expect(payload.spec).toMatchObject({ algorithm: "dbscan", params: { eps: 0.5, minSamples: 5 } });
    expect(payload.cluster.nNoise).toBeGreaterThan(0);
    expect(payload.cluster.reachability.eps).toBe(0.5);
  });

  it("fails on bad data with exit 1 and one line", async () => {
    const r = await run(["report", iris, "--columns", "nope", "--out", join(dir, "bad.html"), "-q"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^clusterlab: error: .*nope.*\n$/);
    const missing = await run(["report", join(dir, "missing.csv"), "--out", join(dir, "m.html"), "-q"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.split("\n")).toHaveLength(2);
  });

  it.skipIf(!built)("runs as a process: bin/clusterlab.js report iris", () => {
    const out = join(dir, "iris-process.html");
    const r = spawnSync(
      process.execPath,
      [bin, "report", "examples/data/iris.csv", "--algo", "agglomerative", "--k", "3", "--out", out],
      { cwd: repoRoot, encoding: "utf8", env: { ...process.env, CLUSTERLAB_DEBUG: "" } },
    );
    expect(r.stderr).not.toContain("error");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote .* 150 rows, k = 3/);
    const html = readFileSync(out, "utf8");
    expect(html.length).toBeGreaterThan(3_000_000);
    const json = html.slice(html.indexOf('id="clusterlab-report-data">') + 28, html.indexOf("</script>"));
    const payload = JSON.parse(json);
    expect(payload.spec.algorithm).toBe("agglomerative");
    expect(payload.cluster.dendrogram).not.toBeNull();
    const usage = spawnSync(process.execPath, [bin, "report", "examples/data/iris.csv"], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim().split("\n")).toHaveLength(1);
  });
});
