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
});
