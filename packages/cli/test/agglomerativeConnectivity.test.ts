import { readFileSync } from "node:fs";
import { AgglomerativeClustering, StandardScaler } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { parseClusterArgs } from "../src/args.js";
import { iris, run } from "./helpers.js";

/** The four iris features, standardised as `clusterlab cluster` does by default. */
function scaledIris() {
  const lines = readFileSync(iris, "utf8").trimEnd().split("\n").slice(1);
  const X = lines.map((line) => line.split(",").slice(0, 4).map(Number));
  return new StandardScaler().fit(X).transform(X);
}

function sortedSizes(labels: Int32Array): number[] {
  const sizes = new Map<number, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  return [...sizes.values()].sort((a, b) => a - b);
}

describe("clusterlab cluster --algo agglomerative --connectivity-neighbors", () => {
  it("parses to core's connectivityNeighbors option", () => {
    const parsed = parseClusterArgs(["d.csv", "--algo", "agglomerative", "--connectivity-neighbors", "10"]);
    expect(parsed.options).toMatchObject({ connectivityNeighbors: 10 });
  });

  it("fits the k-nearest-neighbour-constrained tree, as core does with connectivity: { nNeighbors }", async () => {
    for (const linkage of ["ward", "single"] as const) {
      const r = await run([
        "cluster",
        iris,
        "--exclude",
        "target,target_name",
        "--algo",
        "agglomerative",
        "--linkage",
        linkage,
        "--k",
        "3",
        "--connectivity-neighbors",
        "10",
        "--json",
      ]);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { params: Record<string, unknown>; clusterSizes: number[] };
      expect(report.params).toMatchObject({ nClusters: 3, linkage, connectivityNeighbors: 10 });
      const core = new AgglomerativeClustering({ nClusters: 3, linkage, connectivity: { nNeighbors: 10 } }).fit(
        scaledIris(),
      );
      expect([...report.clusterSizes].sort((a, b) => a - b)).toEqual(sortedSizes(core.labels));
    }
  });

  it("rejects a value below 1 and linkages without a connectivity variant", async () => {
    const zero = await run(["cluster", iris, "--algo", "agglomerative", "--connectivity-neighbors", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--connectivity-neighbors/);
    const centroid = await run([
      "cluster",
      iris,
      "--exclude",
      "target,target_name",
      "--algo",
      "agglomerative",
      "--linkage",
      "centroid",
      "--connectivity-neighbors",
      "5",
    ]);
    expect(centroid.code).not.toBe(0);
    expect(centroid.stderr).toMatch(/connectivityNeighbors/);
  });
});
