import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Random } from "@clusterlab/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChartSpec,
  DataError,
  type Experiment,
  type ExperimentModel,
  PLOT_DATA_ID,
  PLOT_KINDS,
  plotKindsFor,
  plotModelHtml,
  setup,
  type Table,
} from "../../src/index.js";
import { example, tempDir } from "../run/helpers.js";

const tmp = tempDir("clusterlab-plot-");
afterAll(() => tmp.cleanup());

// biome-ignore lint/suspicious/noExplicitAny: Plotly traces are loosely typed JSON here.
type Trace = Record<string, any>;
const traces = (c: ChartSpec) => c.figure.data as Trace[];
const named = (c: ChartSpec, prefix: string) => traces(c).filter((t) => String(t.name ?? "").startsWith(prefix));
/** Points of a trace (null gaps between polylines left out). */
const points = (t: Trace) => (t.x as unknown[]).filter((v) => v !== null).length;

/** Three tight Gaussian blobs of 40 rows in 2-D plus 6 scattered rows far from them (noise for DBSCAN/HDBSCAN). */
function blobsWithNoise(): Table {
  const rng = new Random(7);
  const centres = [
    [0, 0],
    [6, 0],
    [3, 6],
  ];
  const x: number[] = [];
  const y: number[] = [];
  for (const [cx, cy] of centres) {
    for (let i = 0; i < 40; i++) {
      x.push(cx + 0.4 * rng.normal());
      y.push(cy + 0.4 * rng.normal());
    }
  }
  const outliers = [
    [-8, 9],
    [14, 12],
    [15, -9],
    [-9, -8],
    [3, -12],
    [-12, 3],
  ];
  for (const [ox, oy] of outliers) {
    x.push(ox);
    y.push(oy);
  }
  return {
    source: "blobs",
    nRows: x.length,
    columns: [
      { name: "x", type: "DOUBLE", kind: "numeric", values: Float64Array.from(x) },
      { name: "y", type: "DOUBLE", kind: "numeric", values: Float64Array.from(y) },
    ],
  };
}

let iris: Experiment;
let kmeans: ExperimentModel;
let blobs: Experiment;
beforeAll(async () => {
  iris = await setup(example("iris"), { target: "target", exclude: ["target_name"], seed: 0 });
  kmeans = await iris.createModel("kmeans", { nClusters: 3 });
  blobs = await setup(blobsWithNoise(), { seed: 0 });
});

describe("plotModel on k-means (iris)", () => {
  it("lists the kinds that apply, and each algorithm's own charts", () => {
    expect(iris.plotKinds(kmeans)).toEqual([
      "cluster",
      "tsne",
      "umap",
      "elbow",
      "silhouette",
      "sizes",
      "profile",
      "distribution",
    ]);
    expect(plotKindsFor("agglomerative")).toContain("dendrogram");
    expect(plotKindsFor("optics")).toContain("reachability");
    expect(plotKindsFor("dbscan")).toEqual(expect.arrayContaining(["reachability", "silhouette"]));
    expect(plotKindsFor("dbscan")).not.toContain("elbow");
    expect(plotKindsFor("hdbscan")).toContain("condensedTree");
    expect(plotKindsFor("gmm")).toEqual(expect.arrayContaining(["bic", "elbow"]));
    expect(plotKindsFor("kmodes")).toEqual([]);
    // Every kind is drawn for some algorithm.
    const all = new Set(
      ["kmeans", "agglomerative", "optics", "hdbscan", "gmm"].flatMap((a) => plotKindsFor(a as never)),
    );
    expect([...PLOT_KINDS].filter((k) => !all.has(k))).toEqual([]);
  });

  it("cluster: a PCA scatter with one trace per cluster holding its rows, and the centroids", async () => {
    const c = await iris.plotModel(kmeans, "cluster");
    expect(c.kind).toBe("cluster");
    expect(c.title).toMatch(/principal components/);
    const clusters = named(c, "Cluster ");
    expect(clusters).toHaveLength(3);
    const sizes = [0, 1, 2].map((k) => kmeans.labels.filter((l) => l === k).length);
    expect(clusters.map(points)).toEqual(sizes);
    const centroids = named(c, "Centroids");
    expect(centroids).toHaveLength(1);
    expect(points(centroids[0])).toBe(3);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c); // plain JSON
  });

  it("silhouette: one filled profile per cluster with one value per row, and the mean line", async () => {
    const c = await iris.plotModel(kmeans, "silhouette");
    const bands = named(c, "Cluster ");
    expect(bands).toHaveLength(3);
    // Each band is [0, ...sorted values, 0].
    const counts = bands.map((t) => points(t) - 2);
    expect(counts).toEqual([0, 1, 2].map((k) => kmeans.labels.filter((l) => l === k).length));
    const values = bands.flatMap((t) => (t.x as number[]).slice(1, -1));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(kmeans.metrics.silhouette as number, 10);
  });

  it("sizes, profile and distribution", async () => {
    const sizes = await iris.plotModel(kmeans, "sizes");
    const bars = traces(sizes).filter((t) => t.type === "bar");
    expect(bars).toHaveLength(1);
    expect((bars[0].y as number[]).reduce((a, b) => a + b, 0)).toBe(150);

    const profile = await iris.plotModel(kmeans, "profile");
    const heat = traces(profile).filter((t) => t.type === "heatmap");
    expect(heat).toHaveLength(1);
    expect(heat[0].z).toHaveLength(3);
    expect(heat[0].z[0]).toHaveLength(4);

    const dist = await iris.plotModel(kmeans, "distribution", { features: ["petal_length_cm", "sepal_width_cm"] });
    const boxes = traces(dist).filter((t) => t.type === "box");
    expect(boxes).toHaveLength(2 * 3);
    expect(new Set(boxes.map((t) => t.xaxis))).toEqual(new Set(["x", "x2"]));
    await expect(iris.plotModel(kmeans, "distribution", { features: ["nope"] })).rejects.toThrow(
      /invalid features: "nope" is not a numeric feature/,
    );
  });

  it("elbow: the k sweep (inertia falling, its knee marked) over the asked range", async () => {
    const c = await iris.plotModel(kmeans, "elbow", { kMin: 2, kMax: 7 });
    const inertia = named(c, "Inertia")[0];
    expect(inertia.x).toEqual([2, 3, 4, 5, 6, 7]);
    const ys = inertia.y as number[];
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeLessThan(ys[i - 1]);
    expect(named(c, "Silhouette")[0].x).toEqual([2, 3, 4, 5, 6, 7]);
    expect(named(c, "Elbow")).toHaveLength(1);
  });

  it("tsne and umap place every row", async () => {
    for (const kind of ["tsne", "umap"] as const) {
      const c = await iris.plotModel(kmeans, kind);
      const clusters = named(c, "Cluster ");
      expect(clusters).toHaveLength(3);
      expect(clusters.reduce((a, t) => a + points(t), 0)).toBe(150);
      expect(JSON.stringify(c.figure.layout)).toContain(kind === "tsne" ? "t-SNE 1" : "UMAP 1");
    }
  });

  it("an unknown kind, or one that does not apply, is an error listing the kinds that do", async () => {
    await expect(iris.plotModel(kmeans, "pie")).rejects.toThrow(
      'unknown plot kind: "pie" (kinds for kmeans: cluster, tsne, umap, elbow, silhouette, sizes, profile, distribution)',
    );
    await expect(iris.plotModel(kmeans, "dendrogram")).rejects.toThrow(
      /plot kind "dendrogram" does not apply to kmeans \(kinds for kmeans: cluster, .*distribution\)/,
    );
  });
});

describe("plotModel's method-specific charts", () => {
  it("dendrogram (agglomerative): links coloured by cluster and one leaf marker per kept leaf", async () => {
    const model = await iris.createModel("hclust", { nClusters: 3, linkage: "ward" });
    const c = await iris.plotModel(model, "dendrogram");
    const lines = traces(c).filter((t) => t.mode === "lines");
    const colours = new Set(lines.map((t) => t.line.color));
    expect(colours.size).toBeGreaterThanOrEqual(3); // three clusters (plus the grey links above the cut)
    const leaves = traces(c).filter((t) => t.mode === "markers");
    expect(leaves).toHaveLength(1);
    expect(points(leaves[0])).toBe(30);
    expect(new Set(leaves[0].customdata)).toEqual(new Set([0, 1, 2]));
  });

  it("bic (Gaussian mixture): the BIC per k and its lowest", async () => {
    const model = await iris.createModel("gmm", { nComponents: 3, covarianceType: "diag" });
    const c = await iris.plotModel(model, "bic", { kMin: 2, kMax: 6 });
    const bic = named(c, "BIC")[0];
    expect(bic.x).toEqual([2, 3, 4, 5, 6]);
    expect((bic.y as number[]).every((v) => Number.isFinite(v))).toBe(true);
    const lowest = named(c, "Lowest BIC")[0];
    expect(lowest.y[0]).toBe(Math.min(...(bic.y as number[])));
  });

  it("DBSCAN on blobs: noise drawn apart in the scatter and sizes, and the reachability plot with eps", async () => {
    const model = await blobs.createModel("dbscan", { eps: 0.5, minSamples: 5 });
    expect(model.labels.filter((l) => l === -1).length).toBeGreaterThanOrEqual(6);
    const scatter = await blobs.plotModel(model, "cluster");
    expect(named(scatter, "Cluster ")).toHaveLength(3);
    const noise = named(scatter, "Noise");
    expect(noise).toHaveLength(1);
    expect(points(noise[0])).toBe(model.labels.filter((l) => l === -1).length);
    const sizes = await blobs.plotModel(model, "sizes");
    expect((traces(sizes)[0].x as string[]).some((x) => /noise/i.test(x))).toBe(true);
    const reach = await blobs.plotModel(model, "reachability");
    expect(named(reach, "Cluster ")).toHaveLength(3);
    expect(JSON.stringify(reach.figure.layout)).toContain("eps = 0.5");
    const sil = await blobs.plotModel(model, "silhouette");
    expect(named(sil, "Cluster ").reduce((a, t) => a + points(t) - 2, 0)).toBe(
      model.labels.filter((l) => l >= 0).length,
    );
  });

  it("OPTICS reachability and the HDBSCAN condensed tree on blobs", async () => {
    const optics = await blobs.createModel("optics", { minSamples: 5 });
    const reach = await blobs.plotModel(optics, "reachability");
    expect(traces(reach).length).toBeGreaterThan(0);
    expect(named(reach, "Cluster ").length).toBe(optics.result.nClusters);

    const hdbscan = await blobs.createModel("hdbscan", { minClusterSize: 5 });
    expect(hdbscan.result.nClusters).toBe(3);
    const tree = await blobs.plotModel(hdbscan, "condensedTree");
    const selected = traces(tree).filter((t) => /^Cluster \d/.test(String(t.name)));
    expect(selected).toHaveLength(3);
    await expect(blobs.plotModel(hdbscan, "elbow")).rejects.toThrow(/does not apply to hdbscan/);
  });
});

describe("plotModelHtml and save", () => {
  it("writes one self-contained page (plotly inlined, the figure as JSON) or the JSON spec", async () => {
    const html = join(tmp.dir, "sizes.html");
    const spec = await iris.plotModel(kmeans, "sizes", { save: html, title: "Sizes </script><b>" });
    const text = readFileSync(html, "utf8");
    expect(text).toContain(`id="${PLOT_DATA_ID}"`);
    expect(text).toContain("Plotly.newPlot");
    expect(text.length).toBeGreaterThan(1_000_000); // plotly.js-dist-min inlined
    expect(text).not.toMatch(/<script[^>]+src=/);
    expect(text).toContain("<title>Sizes &lt;/script&gt;&lt;b&gt;</title>");
    const json = text.slice(text.indexOf(`id="${PLOT_DATA_ID}">`) + PLOT_DATA_ID.length + 6, text.indexOf("</script>"));
    expect(JSON.parse(json)).toEqual(spec);

    const out = join(tmp.dir, "sizes.json");
    await iris.plotModel(kmeans, "sizes", { save: out });
    expect(JSON.parse(readFileSync(out, "utf8")).figure).toEqual(spec.figure);
    await expect(iris.plotModel(kmeans, "sizes", { save: join(tmp.dir, "x.png") })).rejects.toThrow(
      /\.html or a \.json/,
    );
    expect(plotModelHtml(spec, { plotly: "/* plotly */" })).toContain("/* plotly */");
  });

  it("makes a missing folder, and names a path it cannot write (a file in the way) in a DataError", async () => {
    const nested = join(tmp.dir, "new", "folder", "sizes.json");
    await iris.plotModel(kmeans, "sizes", { save: nested });
    expect(JSON.parse(readFileSync(nested, "utf8")).kind).toBe("sizes");
    const blocked = join(nested, "under-a-file.json");
    const err = await iris.plotModel(kmeans, "sizes", { save: blocked }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toContain(`cannot write ${JSON.stringify(blocked)}`);
  });
});
