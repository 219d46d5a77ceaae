import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import { iris, run } from "./helpers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-plot-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("clusterlab plot: parsing", () => {
  it("takes the data, the kind, the spec flags and the chart options", () => {
    const a = parseArgs([
      "plot",
      "x.csv",
      "--kind",
      "elbow",
      "--algo",
      "agglomerative",
      "--linkage",
      "average",
      "--k-max",
      "6",
      "--out",
      "e.html",
    ]);
    expect(a).toMatchObject({
      command: "plot",
      kind: "elbow",
      out: "e.html",
      kMax: 6,
      specFlags: { data: "x.csv", algo: "agglomerative", linkage: "average" },
    });
  });

  it("refuses a bad command line with one-line usage errors", () => {
    expect(() => parseArgs(["plot", "x.csv", "--out", "e.html"])).toThrow(/--kind/);
    expect(() => parseArgs(["plot", "x.csv", "--kind", "pie", "--out", "e.html"])).toThrow(UsageError);
    expect(() => parseArgs(["plot", "x.csv", "--kind", "sizes", "--out", "e.png"])).toThrow(
      /invalid --out: "e.png" \(write a \.html or a \.json file\)/,
    );
    expect(() => parseArgs(["plot", "--kind", "sizes", "--out", "e.html"])).toThrow(/give the data/);
    expect(() => parseArgs(["plot", "x.csv", "--kind", "sizes", "--out", "e.html", "--k-max", "1"])).toThrow(/--k-max/);
  });
});

describe("clusterlab plot: running", () => {
  it("writes the elbow chart of k-means on iris as a self-contained page", async () => {
    const out = join(dir, "elbow.html");
    const r = await run([
      "plot",
      iris,
      "--target",
      "target",
      "--k",
      "3",
      "--kind",
      "elbow",
      "--k-max",
      "6",
      "--out",
      out,
      "-q",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*elbow\.html \([\d.]+ MB\): elbow of kmeans \(3 clusters\), \d+ traces\n$/);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("Plotly.newPlot");
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it("writes HDBSCAN's condensed tree as the chart spec JSON", async () => {
    const out = join(dir, "tree.json");
    const r = await run([
      "plot",
      iris,
      "--target",
      "target",
      "--algo",
      "hdbscan",
      "--min-cluster-size",
      "10",
      "--kind",
      "condensedTree",
      "--out",
      out,
      "-q",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const spec = JSON.parse(readFileSync(out, "utf8"));
    expect(spec.kind).toBe("condensedTree");
    expect(spec.title).toBe("HDBSCAN condensed tree");
    const selected = spec.figure.data.filter((t: { name?: string }) => /^Cluster \d/.test(t.name ?? ""));
    expect(selected.length).toBeGreaterThanOrEqual(2);
  });

  it("fails with one line listing the kinds when the kind does not apply", async () => {
    const r = await run(["plot", iris, "--kind", "dendrogram", "--out", join(dir, "d.html"), "-q"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not apply to kmeans \(kinds for kmeans: cluster, tsne, umap, elbow/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("makes a missing --out folder, and fails with one line naming an --out it cannot write", async () => {
    const nested = join(dir, "new", "sizes.json");
    const ok = await run(["plot", iris, "--kind", "sizes", "--out", nested, "-q"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(nested, "utf8")).kind).toBe("sizes");
    const blocked = join(nested, "x.html");
    const r = await run(["plot", iris, "--kind", "sizes", "--out", blocked, "-q"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot write ${JSON.stringify(blocked)}`);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
