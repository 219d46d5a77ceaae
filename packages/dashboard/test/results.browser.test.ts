/**
 * The results views in Chromium against the real server: the scatter switched to t-SNE and to UMAP in 3-D,
 * anomalies ringed, the Segments page (named segments, rules, parallel coordinates, distributions),
 * the evaluation numbers and the anomalies table. Skips, saying why, only without /usr/bin/chromium.
 *
 * With CLUSTERLAB_SCREENSHOTS_DIR set, it saves dashboard-tsne.png, dashboard-3d.png,
 * dashboard-segments.png and dashboard-evaluation.png there.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, startServer } from "@clusterlab/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.js";

const dashboardDist = fileURLToPath(new URL("../dist/index.html", import.meta.url));
const screenshotDir = process.env.CLUSTERLAB_SCREENSHOTS_DIR;

if (!hasChromium) {
  console.warn(`skipping the results browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

async function waitForRun(page: Page, previous?: string | null): Promise<string> {
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-testid="results"]');
      const run = el?.getAttribute("data-run");
      const drawn = (document.documentElement.dataset.plotsPending ?? "0") === "0";
      return el?.getAttribute("data-busy") === "false" && run && run !== prev && drawn;
    },
    previous ?? null,
    { timeout: 30_000 },
  );
  return (await page.getAttribute('[data-testid="results"]', "data-run"))!;
}

/** Trace types and names of the scatter as Plotly holds them. */
function scatterTraces(page: Page): Promise<{ type: string; name: string; n: number }[]> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="scatter"]') as unknown as {
      data?: { type: string; name?: string; x?: unknown[] }[];
    };
    return (el.data ?? []).map((t) => ({ type: t.type, name: t.name ?? "", n: t.x?.length ?? 0 }));
  });
}

async function shoot(page: Page, name: string, selector?: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.waitForFunction(() => (document.documentElement.dataset.plotsPending ?? "0") === "0");
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(2, 2);
  await page.waitForTimeout(300);
  if (selector) await page.locator(selector).screenshot({ path: join(screenshotDir, name) });
  else await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
}

describe.skipIf(!hasChromium)("results views in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(dashboardDist)) throw new Error("packages/dashboard/dist is missing: run `npm run build` first");
    dataDir = mkdtempSync(join(tmpdir(), "clusterlab-results-browser-"));
    server = await startServer({ host: "127.0.0.1", port: 0, dataDir, workers: 1 });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(server.url);
    await waitForRun(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("switches the scatter to t-SNE, then to UMAP in 3-D, and rings anomalies", async () => {
    expect((await scatterTraces(page)).every((t) => t.type === "scatter")).toBe(true);
    await page.selectOption('[data-testid="projection-select"]', "tsne");
    await page.waitForSelector('[data-testid="projection-meta"][data-method="tsne"][data-dims="2"]', {
      timeout: 30_000,
    });
    await page.waitForFunction(() => (document.documentElement.dataset.plotsPending ?? "0") === "0");
    expect(await page.textContent('[data-testid="card-scatter"] h2')).toBe("Clusters on t-SNE (2-D)");
    const xTitle = await page.textContent('[data-testid="scatter"] .xtitle');
    expect(xTitle).toBe("t-SNE 1");
    const traces = await scatterTraces(page);
    // Three clusters of iris' 150 rows, each in its own trace.
    expect(
      traces
        .filter((t) => t.name.startsWith("Cluster"))
        .map((t) => t.n)
        .reduce((a, b) => a + b),
    ).toBe(150);
    // Moving k recolours the same t-SNE points without recomputing them.
    const before = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.locator('[data-testid="k-slider"]').fill("4");
    await waitForRun(page, before);
    await page.waitForSelector('[data-testid="projection-meta"][data-method="tsne"]');
    expect((await scatterTraces(page)).filter((t) => t.name.startsWith("Cluster"))).toHaveLength(4);
    expect(await page.textContent('[data-testid="projection-meta"]')).toMatch(/t-SNE 2-D of 150 points/);
    await shoot(page, "dashboard-tsne.png", '[data-testid="card-scatter"]');

    // 3-D (UMAP: core's 3-D t-SNE takes several times as long as its 2-D one).
    await page.selectOption('[data-testid="projection-select"]', "umap");
    await page.click('[data-testid="dims-3"]');
    await page.waitForSelector('[data-testid="projection-meta"][data-method="umap"][data-dims="3"]', {
      timeout: 30_000,
    });
    await page.waitForFunction(() => (document.documentElement.dataset.plotsPending ?? "0") === "0");
    const traces3 = await scatterTraces(page);
    expect(traces3.every((t) => t.type === "scatter3d")).toBe(true);
    expect(await page.locator('[data-testid="scatter"] .gl-container canvas').count()).toBeGreaterThan(0);

    await page.check('[data-testid="anomalies-toggle"]');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="scatter"]') as unknown as { data?: { name?: string }[] };
      return (el.data ?? []).some((t) => t.name?.startsWith("Anomalies ("));
    });
    const ring = (await scatterTraces(page)).find((t) => t.name.startsWith("Anomalies"))!;
    // 5% of 150 rows.
    expect(ring.n).toBe(8);
    // The subtitle says which score the server used (a k-means run: the distance to the centre).
    expect(await page.textContent('[data-testid="card-scatter"] .card-subtitle')).toContain(
      "rows with the highest anomaly score (distance to the nearest cluster centre",
    );
    await shoot(page, "dashboard-3d.png", '[data-testid="card-scatter"]');

    // Back to the 2-D PCA: the lasso and the highlight work as before.
    await page.uncheck('[data-testid="anomalies-toggle"]');
    await page.selectOption('[data-testid="projection-select"]', "pca");
    await page.click('[data-testid="dims-2"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="card-scatter"] h2')?.textContent?.includes("principal"),
    );
    await page.waitForFunction(() => (document.documentElement.dataset.plotsPending ?? "0") === "0");
    expect((await scatterTraces(page)).every((t) => t.type === "scatter")).toBe(true);
  });

  it("opens the Segments page: named segments with rules, parallel coordinates, boxes", async () => {
    await page.click('[data-testid="page-segments"]');
    await page.waitForSelector('[data-testid="segment-card"]', { timeout: 30_000 });
    const names = await page.locator('[data-testid="segment-name"]').allTextContents();
    expect(names.length).toBe(4);
    expect(new Set(names).size).toBe(4);
    for (const n of names) expect(n).toMatch(/[a-z]/);
    const rules = await page.locator('[data-testid="segment-rule"] code').allTextContents();
    expect(rules.every((r) => /(<=|>)/.test(r))).toBe(true);
    await page.waitForSelector('[data-testid="parcoords"] .parcoords', { timeout: 20_000 });
    // One parcoords axis per feature.
    expect(await page.locator('[data-testid="parcoords"] .y-axis').count()).toBe(4);
    await page.waitForSelector('[data-testid="segment-boxes"] .boxlayer path', { timeout: 20_000 });
    expect(await page.locator('[data-testid="segment-profile"] .hm').count()).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid="evaluation"]', { timeout: 60_000 });
    await shoot(page, "dashboard-segments.png");
  }, 90_000);

  it("shows the evaluation numbers and the anomalies table", async () => {
    const ari = await page.textContent('[data-testid="eval-ari"] .metric-value');
    expect(Number(ari)).toBeGreaterThan(0);
    expect(Number(ari)).toBeLessThanOrEqual(1);
    const stability = await page.textContent('[data-testid="eval-stability"] .metric-value');
    expect(Number(stability)).toBeGreaterThan(0.3);
    expect(Number(await page.textContent('[data-testid="eval-strength"] .metric-value'))).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid="stability"] .barlayer path');
    expect(await page.locator('[data-testid="stability"] .barlayer path').count()).toBe(4);
    await page.waitForSelector('[data-testid="anomalies-table"] tbody tr');
    expect(await page.locator('[data-testid="anomalies-table"] tbody tr').count()).toBe(8);
    expect(await page.textContent('[data-testid="card-anomalies"] .card-subtitle')).toMatch(
      /^Score: distance to the nearest cluster centre .* 8 of 150 rows flagged/,
    );
    await page.locator('[data-testid="contamination-slider"]').fill("0.1");
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="anomalies-table"] tbody tr').length === 15,
    );
    await page.waitForFunction(() => (document.documentElement.dataset.plotsPending ?? "0") === "0");
    await page.evaluate(() => {
      const heading = [...document.querySelectorAll("h2")].find((h) => h.textContent === "Evaluation");
      if (heading) window.scrollTo(0, heading.getBoundingClientRect().top + window.scrollY - 64);
    });
    if (screenshotDir) {
      mkdirSync(screenshotDir, { recursive: true });
      await page.mouse.move(2, 2);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(screenshotDir, "dashboard-evaluation.png"), fullPage: false });
    }
    expect(errors).toEqual([]);
  }, 60_000);
});
