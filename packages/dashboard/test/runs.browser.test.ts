/**
 * The saved runs, the Compare page and the exports in a real browser (Debian's Chromium driven by
 * playwright-core against the real server on 127.0.0.1): every download is checked by reading the
 * file back (CSV, Parquet through DuckDB, model JSON through core's modelFromJSON, the spec through
 * lab's validateSpec, the report's embedded charts), and the runs survive a page reload and a
 * server restart on the same data directory. Skips itself only when /usr/bin/chromium is missing.
 *
 * With CLUSTERLAB_SCREENSHOTS_DIR set, it saves the Runs and Compare pages there.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { modelFromJSON, PipelineModel } from "@clusterlab/core";
import { readTable, validateSpec } from "@clusterlab/lab";
import { type RunningServer, startServer } from "@clusterlab/server";
import type { Browser, Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.js";

const distDir = fileURLToPath(new URL("../dist/", import.meta.url));
const screenshotDir = process.env.CLUSTERLAB_SCREENSHOTS_DIR;

if (!hasChromium) {
  console.warn(`skipping the browser tests: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);
}

/** Waits until the Cluster page shows a finished run (every chart drawn) other than `previous`. */
async function waitForRun(page: Page, previous?: string | null): Promise<string> {
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-testid="results"]');
      const run = el?.getAttribute("data-run");
      const drawn = (document.documentElement.dataset.plotsPending ?? "0") === "0";
      return el?.getAttribute("data-busy") === "false" && run && run !== prev && drawn;
    },
    previous ?? null,
    { timeout: 20_000 },
  );
  return (await page.getAttribute('[data-testid="results"]', "data-run"))!;
}

/**
 * A copy of the built page whose index.html finds every asset it names: other builds may rewrite
 * dist/ while this file runs, so the server serves the copy.
 */
async function stableDistCopy(): Promise<string> {
  for (let attempt = 0; attempt < 15; attempt++) {
    const copy = mkdtempSync(join(tmpdir(), "clusterlab-runs-dist-"));
    try {
      cpSync(distDir, copy, { recursive: true });
      const html = readFileSync(join(copy, "index.html"), "utf8");
      const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
      if (assets.length > 0 && assets.every((a) => existsSync(join(copy, a)))) return copy;
    } catch {
      // dist/ is being rebuilt: try again.
    }
    rmSync(copy, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error("packages/dashboard/dist stays incomplete: run `npm run build`");
}

/** A screenshot of the whole page, or of one element. */
async function shoot(page: Page, name: string, selector?: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(2, 2);
  await page.waitForTimeout(300);
  if (selector) await page.locator(selector).screenshot({ path: join(screenshotDir, name) });
  else await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
}

describe.skipIf(!hasChromium)("saved runs, Compare and export in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let downloads: string;
  let dashboardDir: string;
  const errors: string[] = [];
  let kmeansRun = "";
  let wardRun = "";

  /** Clicks `selector` and saves the download it starts; returns its path and suggested name. */
  async function download(selector: string, name: string): Promise<{ path: string; file: Download }> {
    const [file] = await Promise.all([page.waitForEvent("download", { timeout: 20_000 }), page.click(selector)]);
    const path = join(downloads, name);
    await file.saveAs(path);
    return { path, file };
  }

  async function api<T>(path: string): Promise<T> {
    const r = await fetch(new URL(path, server.url));
    expect(r.status, path).toBe(200);
    return (await r.json()) as T;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "clusterlab-runs-browser-"));
    downloads = mkdtempSync(join(tmpdir(), "clusterlab-runs-downloads-"));
    dashboardDir = await stableDistCopy();
    server = await startServer({ host: "127.0.0.1", port: 0, dataDir, dashboardDir, workers: 1 });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (downloads) rmSync(downloads, { recursive: true, force: true });
    if (dashboardDir) rmSync(dashboardDir, { recursive: true, force: true });
  });

  it("exports the current run: labelled CSV and Parquet, model JSON, spec and report", async () => {
    await page.goto(server.url);
    kmeansRun = await waitForRun(page);

    const csv = await download('[data-testid="download-csv"]', "iris.csv");
    const lines = readFileSync(csv.path, "utf8").trim().split("\n");
    expect(lines[0].split(",").at(-1)).toBe("cluster");
    expect(lines).toHaveLength(151);

    const pq = await download('[data-testid="export-labelled-parquet"]', "iris.parquet");
    expect(pq.file.suggestedFilename()).toBe("iris-clusters.parquet");
    const table = await readTable(pq.path);
    const cluster = table.columns.find((c) => c.name === "cluster");
    expect(cluster?.kind).toBe("numeric");
    expect(new Set(Array.from(cluster!.values as ArrayLike<number>))).toEqual(new Set([0, 1, 2]));
    expect(table.nRows).toBe(150);

    const model = await download('[data-testid="export-model-json"]', "model.json");
    expect(model.file.suggestedFilename()).toBe("iris-kmeans-model.json");
    const json = JSON.parse(readFileSync(model.path, "utf8"));
    expect(modelFromJSON(json)).toBeInstanceOf(PipelineModel);
    expect(json.clusterlab.format).toBe("clusterlab-model");

    const spec = await download('[data-testid="export-spec-json"]', "spec.json");
    const parsed = validateSpec(JSON.parse(readFileSync(spec.path, "utf8")));
    expect(parsed.algorithm).toMatchObject({ name: "kmeans", params: { nClusters: 3 } });
    expect(parsed.columns?.include).toEqual(["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]);

    const report = await download('[data-testid="export-report-html"]', "report.html");
    expect(report.file.suggestedFilename()).toBe("iris-report.html");
    const html = readFileSync(report.path, "utf8");
    expect(html).toContain('id="clusterlab-report-data"');
    expect(html).toContain("Plotly");
    const payload = JSON.parse(
      html.slice(html.indexOf(">", html.indexOf('id="clusterlab-report-data"')) + 1, html.indexOf("</script>")),
    );
    expect(payload.cluster.k).toBe(3);
    await shoot(page, "dashboard-export.png", ".panel-section:has(h3:text-is('Export'))");
  }, 60_000);

  it("saves any chart as PNG and SVG", async () => {
    const card = page.locator('[data-testid="card-sizes"]');
    await card.hover();
    const [png] = await Promise.all([
      page.waitForEvent("download"),
      card.locator('[data-testid="export-png"]').click(),
    ]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    await png.saveAs(join(downloads, "sizes.png"));
    const bytes = readFileSync(join(downloads, "sizes.png"));
    expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    const [svg] = await Promise.all([
      page.waitForEvent("download"),
      card.locator('[data-testid="export-svg"]').click(),
    ]);
    expect(svg.suggestedFilename()).toMatch(/\.svg$/);
    await svg.saveAs(join(downloads, "sizes.svg"));
    const text = readFileSync(join(downloads, "sizes.svg"), "utf8");
    expect(text).toMatch(/^<svg/);
    expect(text).toContain("Cluster 0");
    await shoot(page, "dashboard-chart-export.png", '[data-testid="card-sizes"]');
  }, 30_000);

  it("lists the runs on the Runs page, pins one, and keeps them across a reload and a server restart", async () => {
    // A second run: Ward linkage, pinned from the Cluster page.
    await page.selectOption('[data-testid="algorithm-select"]', "agglomerative");
    wardRun = await waitForRun(page, kmeansRun);
    await page.click('[data-testid="pin-run"]');
    await page.waitForSelector('[data-testid="pin-run"]:has-text("Pinned")');

    await page.click('[data-testid="page-runs"]');
    await page.waitForSelector('[data-testid="run-row"]');
    let ids = await page.$$eval('[data-testid="run-row"]', (rows) => rows.map((r) => r.getAttribute("data-run")));
    expect(ids).toEqual([wardRun, kmeansRun]);
    expect(await page.textContent(`[data-run="${wardRun}"] [data-testid="run-pin"]`)).toBe("★");

    await page.reload();
    await page.waitForSelector('[data-testid="run-row"]');
    ids = await page.$$eval('[data-testid="run-row"]', (rows) => rows.map((r) => r.getAttribute("data-run")));
    expect(ids).toEqual([wardRun, kmeansRun]);

    // Restart the server on the same data directory (a new port) and open the Runs page there.
    await server.close();
    server = await startServer({ host: "127.0.0.1", port: 0, dataDir, dashboardDir, workers: 1 });
    await page.goto(`${server.url}#/runs`);
    await page.waitForSelector('[data-testid="run-row"]');
    ids = await page.$$eval('[data-testid="run-row"]', (rows) => rows.map((r) => r.getAttribute("data-run")));
    // The page opened the Cluster page's default run too (newest first).
    expect(ids.slice(-2)).toEqual([wardRun, kmeansRun]);
    expect(await page.textContent(`[data-run="${wardRun}"] [data-testid="run-pin"]`)).toBe("★");
    expect(await page.textContent(`[data-run="${kmeansRun}"]`)).toContain("K-means, k = 3");
    // Tick the two runs: the Compare link opens them side by side.
    await page.click(`[data-run="${wardRun}"] [data-testid="run-pick"]`);
    await page.click(`[data-run="${kmeansRun}"] [data-testid="run-pick"]`);
    expect(await page.getAttribute('[data-testid="runs-compare"]', "href")).toBe(
      `#/compare?a=${wardRun}&b=${kmeansRun}`,
    );
    await shoot(page, "dashboard-runs.png");

    // The labelled CSV of a run made before the restart.
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.click(`[data-run="${kmeansRun}"] [data-testid="run-csv"]`),
    ]);
    await csv.saveAs(join(downloads, "before-restart.csv"));
    const lines = readFileSync(join(downloads, "before-restart.csv"), "utf8").trim().split("\n");
    expect(lines[0].endsWith(",cluster")).toBe(true);
    expect(lines).toHaveLength(151);
  }, 60_000);

  it("opens a saved run on the Cluster page with its settings and the same clusters", async () => {
    const shown = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.click(`[data-run="${wardRun}"] [data-testid="run-open"]`);
    const reopened = await waitForRun(page, shown);
    expect(await page.inputValue('[data-testid="algorithm-select"]')).toBe("agglomerative");
    const comparison = await api<{ adjustedRand: number; rowsCompared: number }>(
      `/api/runs/compare?a=${wardRun}&b=${reopened}`,
    );
    expect(comparison.rowsCompared).toBe(150);
    expect(comparison.adjustedRand).toBe(1);
  }, 30_000);

  it("draws the Sankey of two runs with matched colours and their ARI", async () => {
    await page.goto(`${server.url}#/compare?a=${kmeansRun}&b=${wardRun}`);
    await page.waitForSelector('[data-testid="sankey"] .sankey-node');
    const expected = await api<{ adjustedRand: number; labelsA: number[]; labelsB: number[] }>(
      `/api/runs/compare?a=${kmeansRun}&b=${wardRun}`,
    );
    expect(await page.textContent('[data-testid="flow-ari"]')).toBe(expected.adjustedRand.toFixed(3));
    const nodes = await page.$$('[data-testid="sankey"] .sankey-node');
    expect(nodes).toHaveLength(expected.labelsA.length + expected.labelsB.length);
    // k-means and Ward agree on iris up to the labels: both sides use the same three colours.
    const fills = await page.$$eval('[data-testid="sankey"] .sankey-node rect', (rects) =>
      rects.map((r) => (r as SVGRectElement).style.fill),
    );
    expect(new Set(fills.slice(0, 3))).toEqual(new Set(fills.slice(3)));
    await shoot(page, "dashboard-compare-sankey.png", '[data-testid="compare-flow"]');
  }, 30_000);

  it("ranks every algorithm on the Compare page, with progress, and sorts the table", async () => {
    await page.click('[data-testid="compare-run"]');
    // The job's progress bar and Cancel while it runs.
    await page.waitForSelector('[data-testid="compare-progress"]', { timeout: 5_000 });
    expect(await page.isVisible('[data-testid="compare-cancel"]')).toBe(true);
    await page.waitForSelector('[data-testid="compare-row"]', { timeout: 45_000 });
    const meta = await page.textContent('[data-testid="compare-meta"]');
    expect(meta).toContain("compared with the label column target");
    const rows = await page.$$eval('[data-testid="compare-row"]', (trs) =>
      trs.map((tr) => tr.getAttribute("data-algorithm")),
    );
    expect(rows).toContain("kmeans");
    expect(rows).toContain("hdbscan");
    expect(rows.length).toBeGreaterThanOrEqual(10);
    // The ARI column is there (iris has a label column).
    expect(await page.textContent('[data-testid="compare-table"] thead')).toContain("ARI");
    await shoot(page, "dashboard-compare.png");
    await page.click('[data-testid="sort-daviesBouldin"]');
    const db = await page.$$eval('[data-testid="compare-row"] td:nth-child(7)', (tds) =>
      tds.map((td) => td.textContent ?? ""),
    );
    const values = db.filter((v) => v !== "–" && v !== "—").map(Number);
    expect(values.length).toBeGreaterThan(3);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  }, 60_000);

  it("opens a run of another dataset: the dataset loads with the run's columns and parameters", async () => {
    const made = await fetch(new URL("/api/cluster", server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        dataset: "wine",
        columns: ["alcohol", "flavanoids", "proline"],
        algorithm: "gmm",
        params: { k: 4, covarianceType: "diag" },
      }),
    });
    const wineRun = ((await made.json()) as { runId: string }).runId;
    await page.click('[data-testid="page-runs"]');
    await page.click(`[data-run="${wineRun}"] [data-testid="run-open"]`);
    await page.waitForFunction(() => document.querySelector(".results-header h1")?.textContent === "wine");
    const reopened = await waitForRun(page, wineRun);
    expect(await page.inputValue('[data-testid="algorithm-select"]')).toBe("gmm");
    const checked = await page.$$eval('[data-testid="columns"] input:checked', (inputs) =>
      inputs.map((i) => i.closest("label")?.querySelector(".column-name")?.textContent),
    );
    expect(checked).toEqual(["alcohol", "flavanoids", "proline"]);
    const same = await api<{ adjustedRand: number }>(`/api/runs/compare?a=${wineRun}&b=${reopened}`);
    expect(same.adjustedRand).toBe(1);
  }, 30_000);

  it("deletes a run from the Runs page", async () => {
    await page.click('[data-testid="page-runs"]');
    await page.waitForSelector(`[data-run="${kmeansRun}"]`);
    const before = (await page.$$('[data-testid="run-row"]')).length;
    await page.click(`[data-run="${kmeansRun}"] [data-testid="run-delete"]`);
    await page.click(`[data-run="${kmeansRun}"] [data-testid="run-delete"]:has-text("Delete?")`);
    await page.waitForSelector(`[data-run="${kmeansRun}"]`, { state: "detached" });
    expect((await page.$$('[data-testid="run-row"]')).length).toBe(before - 1);
    const r = await fetch(new URL(`/api/runs/${kmeansRun}`, server.url));
    expect(r.status).toBe(404);
    expect(errors).toEqual([]);
  }, 30_000);
});
