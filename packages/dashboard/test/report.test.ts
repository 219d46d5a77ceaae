import { fileURLToPath } from "node:url";
import { readTable } from "@clusterlab/lab";
import { buildReportPayload } from "@clusterlab/server";
import { describe, expect, it } from "vitest";
import { reportCharts, reportMetrics, reportParameters, reproduceCommand } from "../src/report/figures.js";

const irisPath = fileURLToPath(new URL("../../../examples/data/iris.csv", import.meta.url));

describe("report figures (the dashboard's chart functions on the report payload)", async () => {
  const iris = await readTable(irisPath);
  const kmeans = buildReportPayload(iris, { input: "iris.csv", params: { k: 3 } });
  const agglo = buildReportPayload(iris, {
    input: "iris.csv",
    algorithm: "agglomerative",
    params: { k: 4 },
    sweep: false,
    dropMissing: false,
  });
  const dbscan = buildReportPayload(iris, { input: "iris.csv", algorithm: "dbscan", params: { eps: 0.5 } });
  const hdbscan = buildReportPayload(iris, { input: "iris.csv", algorithm: "hdbscan", params: { minClusterSize: 10 } });

  it("builds every chart of a k-means report, in page order", () => {
    const charts = reportCharts(kmeans);
    expect(charts.map((c) => c.id)).toEqual(["sweep", "scatter", "sizes", "silhouette", "profile"]);
    const scatter = charts.find((c) => c.id === "scatter")!;
    // k cluster traces plus the centroid crosses (outline + cross).
    const names = scatter.figure.data.map((t) => (t as { name?: string }).name ?? "");
    expect(names.filter((n) => n.startsWith("Cluster "))).toHaveLength(3);
    expect(charts.find((c) => c.id === "sweep")!.caption).toContain("Suggested k = 2");
    for (const c of charts) expect(c.height).toBeGreaterThan(100);
  });

  it("adds the dendrogram for agglomerative clustering and leaves out the sweep when absent", () => {
    const ids = reportCharts(agglo).map((c) => c.id);
    expect(ids).toContain("dendrogram");
    expect(ids).not.toContain("sweep");
  });

  it("lists the metrics and parameters", () => {
    const metrics = reportMetrics(kmeans);
    expect(metrics.map((m) => m.id)).toEqual(["k", "silhouette", "calinski-harabasz", "davies-bouldin", "inertia"]);
    expect(metrics.find((m) => m.id === "silhouette")!.value).toBe("0.463");
    expect(reportMetrics(agglo).map((m) => m.id)).not.toContain("inertia");
    const params = Object.fromEntries(reportParameters(agglo));
    expect(params.Algorithm).toBe("Agglomerative (hierarchical)");
    expect(params.Linkage).toBe("ward");
    expect(params["Clusters k"]).toBe("4");
  });

  it("writes the command line that reproduces the report, quoted for the shell", () => {
    expect(reproduceCommand(kmeans)).toBe(
      "clusterlab report iris.csv --columns sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm --scale standard --algo kmeans --k 3 --seed 0 --drop-missing --out report.html",
    );
    const odd = { ...agglo, spec: { ...agglo.spec, input: "my data.csv", columns: ["a b", "it's"] } };
    expect(reproduceCommand(odd)).toContain(`'my data.csv' --columns 'a b,it'\\''s'`);
    expect(reproduceCommand(agglo)).toContain("--linkage ward");
  });

  it("draws DBSCAN's noise and its reachability plot with the eps cut", () => {
    const charts = reportCharts(dbscan);
    expect(charts.map((c) => c.id)).toEqual(["scatter", "sizes", "silhouette", "profile", "reachability"]);
    const names = (id: string) =>
      charts.find((c) => c.id === id)!.figure.data.map((t) => (t as { name?: string }).name ?? "");
    expect(names("scatter").filter((n) => n.startsWith("Noise"))).toEqual([`Noise (${dbscan.cluster.nNoise})`]);
    expect(names("scatter").filter((n) => n.startsWith("Cluster "))).toHaveLength(dbscan.cluster.k);
    // Sizes: one bar per cluster and a last grey bar for the noise.
    const bars = charts.find((c) => c.id === "sizes")!.figure.data[0] as { x: string[]; y: number[] };
    expect(bars.y).toEqual([...dbscan.cluster.sizes, dbscan.cluster.nNoise]);
    const reach = charts.find((c) => c.id === "reachability")!;
    expect(reach.caption).toContain("eps = 0.5");
    expect(JSON.stringify(reach.figure.layout.shapes)).toContain('"y0":0.5');
    const metrics = reportMetrics(dbscan);
    expect(metrics.find((m) => m.id === "noise")!.value).toBe(String(dbscan.cluster.nNoise));
    expect(metrics.find((m) => m.id === "k")!.hint).toContain(`of 150 rows clustered`);
    const params = Object.fromEntries(reportParameters(dbscan));
    expect(params.Algorithm).toBe("DBSCAN");
    expect(params["eps (neighbourhood radius)"]).toBe("0.5");
    expect(params["Min samples"]).toBe("5");
    expect(params.Seed).toBeUndefined();
    expect(reproduceCommand(dbscan)).toContain("--algo dbscan --eps 0.5 --min-samples 5 --metric euclidean --seed 0");
  });

  it("draws HDBSCAN's condensed tree with its selected clusters", () => {
    const charts = reportCharts(hdbscan);
    expect(charts.map((c) => c.id)).toEqual(["scatter", "sizes", "silhouette", "profile", "condensed-tree"]);
    const tree = charts.find((c) => c.id === "condensed-tree")!;
    const selected = tree.figure.data.filter((t) => /^Cluster \d/.test((t as { name?: string }).name ?? ""));
    expect(selected).toHaveLength(hdbscan.cluster.k);
    expect(reportMetrics(hdbscan).map((m) => m.id)).toContain("noise");
    expect(Object.fromEntries(reportParameters(hdbscan))["Min cluster size"]).toBe("10");
    expect(reproduceCommand(hdbscan)).toContain("--algo hdbscan --min-cluster-size 10 --min-samples 5");
    expect(reproduceCommand(hdbscan)).not.toContain("--eps");
  });
});
