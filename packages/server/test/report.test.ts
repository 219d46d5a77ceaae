import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataError, readTable, type Table } from "@clusterlab/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildReportPayload,
  escapeHtml,
  jsonForScript,
  loadReportAssets,
  REPORT_DATA_ID,
  type ReportPayload,
  renderReportHtml,
  scriptForHtml,
} from "../src/report.js";

const irisPath = fileURLToPath(new URL("../../../examples/data/iris.csv", import.meta.url));
const EVIL = "</script><img src=x onerror=alert(1)>";
const FAKE_ASSETS = { js: "window.REPORT_BUNDLE = 1;", css: "body { color: red }" };

let iris: Table;
let dir: string;

beforeAll(async () => {
  iris = await readTable(irisPath);
  dir = mkdtempSync(join(tmpdir(), "clusterlab-report-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The JSON text between the payload's script tags. */
function embedded(html: string): string {
  const open = `<script type="application/json" id="${REPORT_DATA_ID}">`;
  const start = html.indexOf(open) + open.length;
  return html.slice(start, html.indexOf("</script>", start));
}

describe("buildReportPayload", () => {
  it("clusters iris, sweeps k and summarises the data", () => {
    const p = buildReportPayload(iris, { input: irisPath, params: { k: 3 }, createdAt: new Date(0) });
    expect(p.version).toBe(1);
    expect(p.title).toBe("Clustering report: iris.csv");
    expect(p.createdAt).toBe("1970-01-01T00:00:00.000Z");
    expect(p.spec.input).toBe("iris.csv");
    // The inferred numeric features: not the label columns.
    expect(p.spec.columns).toEqual(["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]);
    expect(p.data.nRows).toBe(150);
    expect(p.data.nColumns).toBe(6);
    expect(p.data.columns.filter((c) => c.used).map((c) => c.name)).toEqual(p.spec.columns);
    expect(p.data.missing).toEqual({ cells: 0, rows: 0 });
    expect(p.cluster.k).toBe(3);
    expect(p.cluster.sizes.reduce((a, b) => a + b, 0)).toBe(150);
    expect(p.cluster.metrics.silhouette).toBeCloseTo(0.463, 3);
    expect(p.cluster.projection.x).toHaveLength(150);
    expect(p.cluster.silhouette?.perCluster).toHaveLength(3);
    expect(p.cluster.profile.columns).toEqual(p.spec.columns);
    expect(p.cluster.dendrogram).toBeNull();
    expect(p.sweep?.ks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(p.sweep?.suggestion.k).toBe(2);
    expect(p.spec.sweep).toEqual({ kMin: 2, kMax: 10 });
    // Plain JSON: survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it("includes the dendrogram for agglomerative clustering and honours the spec", () => {
    const p = buildReportPayload(iris, {
      input: "iris.csv",
      columns: ["petal_length_cm", "petal_width_cm"],
      algorithm: "agglomerative",
      params: { k: 4, linkage: "average" },
      scaling: "minmax",
      sweep: false,
    });
    expect(p.cluster.k).toBe(4);
    expect(p.cluster.dendrogram?.ivl.length).toBeGreaterThan(4);
    expect(p.spec).toMatchObject({
      algorithm: "agglomerative",
      scaling: "minmax",
      params: { k: 4, linkage: "average" },
    });
    expect(p.sweep).toBeNull();
  });

  it("covers DBSCAN: noise, the eps it chose, the reachability plot, and no k sweep by default", () => {
    const p = buildReportPayload(iris, { input: "iris.csv", algorithm: "dbscan", params: { minSamples: 5 } });
    expect(p.spec.algorithm).toBe("dbscan");
    // Only DBSCAN's own parameters, with the eps worked out from the data (the knee of the core distances).
    expect(Object.keys(p.spec.params).sort()).toEqual(["eps", "metric", "minSamples"]);
    const eps = p.spec.params.eps as number;
    expect(eps).toBeGreaterThan(0);
    expect(p.cluster.nNoise).toBeGreaterThan(0);
    expect(p.cluster.sizes.reduce((a, b) => a + b, 0) + p.cluster.nNoise).toBe(150);
    expect(p.cluster.k).toBe(p.cluster.sizes.length);
    expect(p.cluster.projection.label.filter((l) => l === -1)).toHaveLength(p.cluster.nNoise);
    expect(p.cluster.reachability?.eps).toBe(eps);
    expect(p.cluster.reachability?.reachability).toHaveLength(150);
    expect(p.cluster.condensedTree).toBeNull();
    expect(p.cluster.dendrogram).toBeNull();
    expect(p.sweep).toBeNull();
    expect(p.spec.sweep).toBeNull();
    // The same eps given back reproduces the clustering.
    const again = buildReportPayload(iris, { input: "iris.csv", algorithm: "dbscan", params: p.spec.params });
    expect(again.cluster.sizes).toEqual(p.cluster.sizes);
  });

  it("covers HDBSCAN (condensed tree, noise) and the other algorithms of the dashboard", () => {
    const p = buildReportPayload(iris, { input: "iris.csv", algorithm: "hdbscan", params: { minClusterSize: 10 } });
    expect(p.spec.params).toMatchObject({ minClusterSize: 10, minSamples: 5, clusterSelectionMethod: "eom" });
    expect(p.cluster.k).toBeGreaterThanOrEqual(2);
    expect(p.cluster.nNoise).toBeGreaterThan(0);
    const selected = p.cluster.condensedTree?.clusters.filter((c) => c.label >= 0).map((c) => c.label);
    expect(selected?.sort()).toEqual([...Array(p.cluster.k).keys()]);
    expect(p.cluster.reachability).toBeNull();

    const optics = buildReportPayload(iris, { input: "iris.csv", algorithm: "optics", sweep: false });
    expect(optics.cluster.reachability?.eps).toBeNull();
    for (const algorithm of ["meanshift", "affinity-propagation", "spectral", "birch", "kmedoids"] as const) {
      const r = buildReportPayload(iris, { input: "iris.csv", algorithm, params: { k: 3 }, sweep: false });
      expect(r.spec.algorithm).toBe(algorithm);
      expect(r.cluster.sizes.reduce((a, b) => a + b, 0)).toBe(150);
      expect(r.cluster.nNoise).toBe(0);
      if (algorithm === "spectral" || algorithm === "birch" || algorithm === "kmedoids") {
        expect(r.cluster.k).toBe(3);
        expect(r.spec.params.k).toBe(3);
      } else {
        expect(r.spec.params.k).toBeUndefined();
      }
    }
  });

  it("refuses bad input with one-line data errors", () => {
    expect(() => buildReportPayload(iris, { input: "iris.csv", params: { k: 151 } })).toThrow(DataError);
    expect(() => buildReportPayload(iris, { input: "iris.csv", params: { k: 151 } })).toThrow(/<= the number of rows/);
    expect(() => buildReportPayload(iris, { input: "iris.csv", columns: ["nope"] })).toThrow(/nope/);
    expect(() => buildReportPayload(iris, { input: "iris.csv", columns: ["target_name"] })).toThrow(/not numeric/);
    expect(() =>
      buildReportPayload(iris, {
        input: "iris.csv",
        algorithm: "agglomerative",
        params: { linkage: "ward", metric: "manhattan" },
      }),
    ).toThrow(/ward linkage works only with "euclidean"/);
  });
});

describe("renderReportHtml", () => {
  it("embeds the payload, the styles and the script", () => {
    const p = buildReportPayload(iris, { input: "iris.csv", sweep: false });
    const html = renderReportHtml(p, FAKE_ASSETS);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<title>Clustering report: iris.csv</title>");
    expect(html).toContain("body { color: red }");
    expect(html).toContain("window.REPORT_BUNDLE = 1;");
    expect(JSON.parse(embedded(html))).toEqual(p);
    // Nothing is loaded from elsewhere.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it("keeps a hostile column name inside the JSON (no </script> break-out)", async () => {
    const csv = join(dir, "evil.csv");
    const rows = [`"${EVIL}",b,"<!--c"`];
    for (let i = 0; i < 30; i++) rows.push(`${i % 3 === 0 ? i : i * 10},${(i * 7) % 11},${i % 5}`);
    writeFileSync(csv, `${rows.join("\n")}\n`);
    const table = await readTable(csv);
    const p: ReportPayload = buildReportPayload(table, {
      input: csv,
      title: `Report ${EVIL}`,
      params: { k: 2 },
    });
    expect(p.spec.columns).toContain(EVIL);
    const html = renderReportHtml(p, FAKE_ASSETS);
    // Exactly the template's two </script> tags, and the hostile text never appears raw.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<!--c");
    expect(html).toContain(`<title>Report ${escapeHtml(EVIL)}</title>`);
    const json = embedded(html);
    expect(json).not.toMatch(/[<>]/);
    expect(JSON.parse(json)).toEqual(p);
  });

  it("escapes what could end the script element in the bundle itself", () => {
    const js = 'var a = "</script><b>"; var b = /<!--x/; var c = `</SCRIPT>`;';
    const safe = scriptForHtml(js);
    expect(safe).not.toMatch(/<\/script|<!--/i);
    // Same program: the escaped strings and regex mean the same.
    const run = (code: string) => new Function(`${code}; return [a, b.test("<!--x"), b.test("x"), c];`)();
    expect(run(safe)).toEqual(run(js));
    const html = renderReportHtml(buildReportPayload(iris, { input: "iris.csv", sweep: false }), { js, css: "" });
    expect(html.match(/<\/script/gi)).toHaveLength(2);
  });

  it("writes JSON that reads back exactly", () => {
    const value = { s: 'a</script>&<!-- \u2028\u2029 "q" é', n: [1.5, null] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it("inlines the built report bundle (Plotly included) when it is built", () => {
    let assets: ReturnType<typeof loadReportAssets>;
    try {
      assets = loadReportAssets();
    } catch (error) {
      expect((error as Error).message).toMatch(/npm run build/);
      return;
    }
    const html = renderReportHtml(buildReportPayload(iris, { input: "iris.csv", sweep: false }), assets);
    expect(assets.js.length).toBeGreaterThan(3_000_000);
    expect(html.length).toBeGreaterThan(assets.js.length);
    expect(html).toContain("clusterlab-report-data");
    expect(html.match(/<\/script/gi)).toHaveLength(2);
  });
});
