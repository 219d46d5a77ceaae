/**
 * End-to-end test of the dashboard in a real browser: Debian's Chromium driven by playwright-core
 * against the real server on 127.0.0.1 (a free port). Skips itself, saying why, only when
 * /usr/bin/chromium is missing (CI installs it: see .ci/run).
 *
 * With CLUSTERLAB_SCREENSHOTS_DIR set (`npm run screenshots`), it also saves the main views there.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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
  console.warn(`skipping the browser tests: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);
}

/** The distinct fill colours of the cluster points in the scatter (centroid crosses have no fill). */
function scatterColours(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const fills = [...document.querySelectorAll<SVGPathElement>('[data-testid="scatter"] .scatterlayer path.point')]
      .map((p) => p.style.fill)
      .filter((f) => f && f !== "none");
    return [...new Set(fills)];
  });
}

function countBars(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('[data-testid="sizes"] .barlayer path').length);
}

/** Waits until the results show a finished run (no request in flight, every chart drawn) different from `previous`. */
async function waitForRun(page: Page, previous?: string | null): Promise<string> {
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-testid="results"]');
      const run = el?.getAttribute("data-run");
      // Charts are drawn one after the other: wait until none is left to draw.
      const drawn = (document.documentElement.dataset.plotsPending ?? "0") === "0";
      return el?.getAttribute("data-busy") === "false" && run && run !== prev && drawn;
    },
    previous ?? null,
    { timeout: 20_000 },
  );
  return (await page.getAttribute('[data-testid="results"]', "data-run"))!;
}

/** The text of a metric card's value. */
function metric(page: Page, name: string): Promise<string | null> {
  return page.textContent(`[data-testid="metric-${name}"] .metric-value`);
}

/** Mouse-drags from one point to another in steps (Plotly listens to mouse events, not to drag and drop). */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / 8, from.y + ((to.y - from.y) * i) / 8);
  }
  await page.mouse.up();
}

/** A screenshot of one element (the clustermap's card). */
async function shootElement(page: Page, selector: string, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(2, 2);
  await page.waitForTimeout(300);
  await page.locator(selector).screenshot({ path: join(screenshotDir, name) });
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  // No focus ring left on the control the test just used, no mode bar of a hovered chart, and the
  // sticky top bar and panel at the top of the page.
  // Charts below the fold are drawn when they come near the screen: scroll through the page first.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(() => (document.documentElement.dataset.plotsPending ?? "0") === "0");
  await page.waitForTimeout(200);
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
    // The panel scrolls on its own in a window; in a full-page image it shows whole.
    document.querySelector<HTMLElement>(".panel")?.style.setProperty("height", "auto");
  });
  await page.mouse.move(2, 2);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
  await page.evaluate(() => document.querySelector<HTMLElement>(".panel")?.style.removeProperty("height"));
}

describe.skipIf(!hasChromium)("dashboard in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let downloads: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(dashboardDist)) {
      throw new Error("packages/dashboard/dist is missing: run `npm run build` before the browser tests");
    }
    dataDir = mkdtempSync(join(tmpdir(), "clusterlab-browser-"));
    downloads = mkdtempSync(join(tmpdir(), "clusterlab-downloads-"));
    server = await startServer({ host: "127.0.0.1", port: 0, dataDir, workers: 1 });
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
  });

  it("opens on iris with three coloured clusters and every chart", async () => {
    await page.goto(server.url);
    await waitForRun(page);
    await page.waitForSelector('[data-testid="scatter"] .scatterlayer path.point');
    expect(await page.textContent("h1")).toBe("iris");
    expect(await scatterColours(page)).toHaveLength(3);
    expect(await countBars(page)).toBe(3);
    expect(await page.textContent('[data-testid="metric-k"] .metric-value')).toBe("3");
    expect(await page.textContent('[data-testid="metric-silhouette"] .metric-value')).toBe("0.463");
    // The target column is left out by default.
    const checked = await page.$$eval('[data-testid="columns"] input', (inputs) =>
      inputs.map((i) => (i as HTMLInputElement).checked),
    );
    expect(checked).toEqual([true, true, true, true, false]);
    // Silhouette plot: one filled profile per cluster; profile heatmap drawn; sweep with its suggestion.
    await page.waitForSelector('[data-testid="silhouette"] .scatterlayer .trace');
    expect(await page.$$('[data-testid="silhouette"] .scatterlayer .trace')).toHaveLength(3);
    await page.waitForSelector('[data-testid="profile"] .heatmaplayer image, [data-testid="profile"] .hm image');
    await page.waitForSelector('[data-testid="sweep"] .scatterlayer .trace');
    expect(await page.textContent('[data-testid="card-sweep"]')).toContain("suggested k = 2");
    // Hovering a point shows its row values.
    // (Plotly's drag layer sits above the points, so move the mouse rather than hover the element.)
    const box = (await (await page.$('[data-testid="scatter"] .scatterlayer path.point'))!.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector(".hoverlayer .hovertext", { timeout: 5_000 });
    expect(await page.textContent(".hoverlayer")).toMatch(/petal_length_cm: [\d.]+/);
    await page.mouse.move(5, 5);
    await shoot(page, "dashboard-iris-kmeans.png");
  });

  it("re-clusters when the k slider moves: four bars, four colours", async () => {
    const before = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.locator('[data-testid="k-slider"]').fill("4");
    await waitForRun(page, before);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="sizes"] .barlayer path').length === 4);
    expect(await countBars(page)).toBe(4);
    expect(await scatterColours(page)).toHaveLength(4);
    expect(await page.textContent('[data-testid="k-value"]')).toBe("4");
    expect(await page.$$('[data-testid="silhouette"] .scatterlayer .trace')).toHaveLength(4);
  });

  it("shows the dendrogram for agglomerative clustering, coloured like the clusters", async () => {
    const before = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.selectOption('[data-testid="algorithm-select"]', "agglomerative");
    await waitForRun(page, before);
    await page.waitForSelector('[data-testid="dendrogram"] .scatterlayer .trace');
    await page.waitForSelector('[data-testid="linkage-select"]');
    const strokes = await page.evaluate(() => {
      const lines = [
        ...document.querySelectorAll<SVGPathElement>('[data-testid="dendrogram"] .scatterlayer path.js-line'),
      ];
      return [...new Set(lines.map((l) => l.style.stroke))];
    });
    // Four cluster colours plus grey above the cut.
    expect(strokes).toHaveLength(5);
    const clusterFills = await scatterColours(page);
    for (const fill of clusterFills) expect(strokes).toContain(fill);
    expect(await page.textContent('[data-testid="card-dendrogram"]')).toContain("cut: k = 4");
  });

  it("drags the dendrogram's cut line: the tree is re-cut and every view follows", async () => {
    const before = await page.getAttribute('[data-testid="results"]', "data-run");
    // The cut is a horizontal line (a zero-height box): scroll it into view, then grab it.
    await page.locator('[data-testid="dendrogram"]').scrollIntoViewIfNeeded();
    const box = (await page.locator('[data-testid="dendrogram"] .shapelayer path').first().boundingBox())!;
    const start = { x: box.x + box.width * 0.3, y: box.y + box.height / 2 };
    // Up a little: a higher cut, fewer clusters.
    await drag(page, start, { x: start.x, y: start.y - 40 });
    await waitForRun(page, before);
    await page.waitForFunction(() =>
      /cut at [\d.]+: k = [23](?!\d)/.test(
        document.querySelector('[data-testid="card-dendrogram"]')?.textContent ?? "",
      ),
    );
    await waitForRun(page, before);
    const bars = await countBars(page);
    expect(bars).toBeGreaterThanOrEqual(2);
    expect(bars).toBeLessThan(4);
    expect(await page.textContent('[data-testid="card-dendrogram"]')).toMatch(
      new RegExp(`cut at [\\d.]+: k = ${bars}`),
    );
    expect(await metric(page, "k")).toBe(String(bars));
    expect(await scatterColours(page)).toHaveLength(bars);
    expect(await page.textContent('[data-testid="cut-k"]')).toBe(String(bars));
    expect(await page.textContent('[data-testid="k-value"]')).toBe(String(bars));
    await shoot(page, "dashboard-iris-agglomerative.png");
    // The cut slider moves it too, back down: more clusters.
    const again = await page.getAttribute('[data-testid="results"]', "data-run");
    const slider = page.locator('[data-testid="cut-slider"]');
    const min = Number(await slider.getAttribute("min"));
    const max = Number(await slider.getAttribute("max"));
    await slider.fill(String(min + (max - min) * 0.05));
    await waitForRun(page, again);
    expect(await countBars(page)).toBeGreaterThan(bars);
    expect(await page.textContent('[data-testid="header-meta"]')).toMatch(/re-read from the precomputed linkage tree/);
  });

  it("highlights a clicked cluster in every chart, and lassoes rows to see their mean profile", async () => {
    // Click the first bar of the sizes chart (Plotly hit-tests the mouse position).
    await page.locator('[data-testid="sizes"]').scrollIntoViewIfNeeded();
    const bar = (await page.locator('[data-testid="sizes"] .barlayer path').first().boundingBox())!;
    await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.waitForSelector('[data-testid="highlight-chip"]');
    expect(await page.textContent('[data-testid="highlight-chip"]')).toContain("Cluster 0 highlighted");
    await page.waitForFunction(() => {
      const opacities = [...document.querySelectorAll<SVGPathElement>('[data-testid="sizes"] .barlayer path')].map(
        (p) => p.style.opacity,
      );
      return opacities[0] === "1" && opacities.slice(1).every((o) => o === "0.25");
    });
    // The scatter dims the other clusters; the dendrogram greys their links.
    const dimmed = await page.evaluate(() =>
      [...document.querySelectorAll<SVGPathElement>('[data-testid="scatter"] .scatterlayer path.point')].some(
        (p) => Number(p.style.opacity) <= 0.1,
      ),
    );
    expect(dimmed).toBe(true);
    // Clicking a profile row highlights that cluster instead; the chip clears it.
    await page.click('[data-testid="highlight-chip"]');
    await page.waitForSelector('[data-testid="highlight-chip"]', { state: "detached" });

    // Lasso the left group of points (setosa, far left on PC1).
    await page.locator('[data-testid="scatter"]').scrollIntoViewIfNeeded();
    const area = (await page.locator('[data-testid="scatter"] .nsewdrag').first().boundingBox())!;
    const at = (fx: number, fy: number) => ({ x: area.x + area.width * fx, y: area.y + area.height * fy });
    await page.mouse.move(at(0.01, 0.02).x, at(0.01, 0.02).y);
    await page.mouse.down();
    for (const [fx, fy] of [
      [0.3, 0.02],
      [0.3, 0.98],
      [0.01, 0.98],
      [0.01, 0.03],
    ]) {
      await page.mouse.move(at(fx, fy).x, at(fx, fy).y, { steps: 6 });
    }
    await page.mouse.up();
    await page.waitForSelector('[data-testid="card-selection"] [data-testid="selection-profile"] .barlayer path');
    const title = await page.textContent('[data-testid="card-selection"] h2');
    const count = Number(title!.match(/Selection: (\d+) rows/)![1]);
    expect(count).toBeGreaterThanOrEqual(45);
    expect(count).toBeLessThanOrEqual(55);
    // Four features, four bars of the mean profile; the selection's clusters are listed.
    expect(await page.$$('[data-testid="selection-profile"] .barlayer path')).toHaveLength(4);
    expect(await page.textContent('[data-testid="selection-clusters"]')).toMatch(/Cluster \d+: \d+ \(\d+%\)/);
    await page.click('[data-testid="clear-selection"]');
    await page.waitForSelector('[data-testid="card-selection"]', { state: "detached" });
    // The lasso is gone from the scatter too: no point is left dimmed by the selection.
    await page.waitForFunction(
      () =>
        document.querySelectorAll(
          '[data-testid="scatter"] .selectionlayer path, [data-testid="scatter"] .select-outline',
        ).length === 0,
    );
  });

  it("DBSCAN: moving eps re-extracts the OPTICS ordering; noise is grey and counted", async () => {
    const before = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.selectOption('[data-testid="algorithm-select"]', "dbscan");
    const first = await waitForRun(page, before);
    // The reachability plot: one filled outline per cluster, plus noise and the starts of regions.
    await page.waitForSelector('[data-testid="reachability"] .scatterlayer path.js-fill');
    const reachFills = await page.evaluate(() =>
      [...document.querySelectorAll<SVGPathElement>('[data-testid="reachability"] .scatterlayer path.js-fill')].map(
        (p) => p.style.fill,
      ),
    );
    expect(reachFills).toContain("rgb(156, 163, 175)");
    const k0 = await metric(page, "k");
    const noise0 = Number(await metric(page, "noise"));
    expect(k0).toBe("2");
    expect(noise0).toBeGreaterThan(0);
    // Noise is a grey bar of the sizes chart and a grey trace of the scatter.
    expect(await page.textContent('[data-testid="card-sizes"]')).toContain("Noise");
    expect(await page.textContent('[data-testid="scatter"] .legend')).toMatch(/Noise \(\d+\)/);
    // A smaller eps: more clusters split off and more rows become noise.
    await page.locator('[data-testid="eps-slider"]').fill("0.4");
    await waitForRun(page, first);
    const k1 = await metric(page, "k");
    const reachAfter = await page.$$('[data-testid="reachability"] .scatterlayer path.js-fill');
    expect(reachAfter.length).toBe(Number(k1) + 2);
    const noise1 = Number(await metric(page, "noise"));
    expect(k1).not.toBe(k0);
    expect(noise1).toBeGreaterThan(noise0);
    expect(await page.textContent('[data-testid="card-reachability"]')).toMatch(/eps = 0\.(39|4)/);
    expect(await page.textContent('[data-testid="header-meta"]')).toMatch(
      /re-read from the precomputed OPTICS ordering/,
    );
    await shoot(page, "dashboard-iris-dbscan.png");
  });

  it("HDBSCAN: the condensed tree, membership strengths as opacity", async () => {
    const before = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.selectOption('[data-testid="algorithm-select"]', "hdbscan");
    await waitForRun(page, before);
    await page.waitForSelector('[data-testid="condensed-tree"] .scatterlayer .trace');
    const k = Number(await metric(page, "k"));
    expect(k).toBeGreaterThanOrEqual(2);
    // One filled icicle per selected cluster, in the cluster colours.
    const fills = await page.evaluate(() =>
      [...document.querySelectorAll<SVGPathElement>('[data-testid="condensed-tree"] .scatterlayer path.js-fill')].map(
        (p) => p.style.fill,
      ),
    );
    const clusterFills = (await scatterColours(page)).filter((f) => f !== "rgb(156, 163, 175)");
    expect(clusterFills).toHaveLength(k);
    for (const fill of clusterFills) expect(fills).toContain(fill);
    // Membership strength: the scatter's points are not all equally opaque.
    const opacities = await page.evaluate(
      () =>
        new Set(
          [...document.querySelectorAll<SVGPathElement>('[data-testid="scatter"] .scatterlayer path.point')].map(
            (p) => p.style.opacity,
          ),
        ).size,
    );
    expect(opacities).toBeGreaterThan(2);
    await shoot(page, "dashboard-iris-hdbscan.png");
    // The clustermap is drawn once it comes on screen.
    await page.locator('[data-testid="card-clustermap"]').scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-testid="clustermap"] .heatmaplayer image, [data-testid="clustermap"] .hm image');
    await shootElement(page, '[data-testid="card-clustermap"]', "dashboard-clustermap.png");
  });

  it("Gaussian mixture: the BIC of each k in the choosing-k panel, click a k to use it", async () => {
    const before = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.selectOption('[data-testid="algorithm-select"]', "gmm");
    const run = await waitForRun(page, before);
    await page.waitForSelector('[data-testid="bic"] .scatterlayer .trace');
    expect(await page.textContent('[data-testid="card-sweep"]')).toMatch(/the lowest BIC is at k = \d+/);
    expect(await metric(page, "bic")).toMatch(/^[\d,.-]+$/);
    await page.waitForSelector('[data-testid="covariance-select"]');
    // Read off the mixtures precomputed by the BIC sweep.
    expect(await page.textContent('[data-testid="k-value"]')).toBe("4");
    await page.locator('[data-testid="k-slider"]').fill("5");
    await waitForRun(page, run);
    expect(await countBars(page)).toBe(5);
  });

  it("uploads a CSV, clusters it and downloads the labelled CSV", async () => {
    const before = await page.getAttribute('[data-testid="results"]', "data-run");
    const rows = ["id,x,y"];
    for (let i = 0; i < 90; i++) {
      const g = i % 3;
      rows.push(`${i},${g * 10 + Math.sin(i)},${(g === 1 ? 10 : 0) + Math.cos(i * 1.3)}`);
    }
    await page.setInputFiles('[data-testid="upload-input"]', {
      name: "three-groups.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${rows.join("\n")}\n`),
    });
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "three-groups.csv");
    expect(await page.inputValue('[data-testid="dataset-select"]')).toMatch(/^u-[0-9a-f]{16}$/);
    await page.selectOption('[data-testid="algorithm-select"]', "kmeans");
    await page.locator('[data-testid="k-slider"]').fill("3");
    await waitForRun(page, before);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="sizes"] .barlayer path').length === 3);
    // id is left out by default; x and y are used.
    const checked = await page.$$eval('[data-testid="columns"] input', (inputs) =>
      inputs.map((i) => (i as HTMLInputElement).checked),
    );
    expect(checked).toEqual([false, true, true]);
    expect(await scatterColours(page)).toHaveLength(3);
    expect(await page.textContent('[data-testid="card-sizes"]')).toContain("30 (33%)");
    await shoot(page, "dashboard-upload.png");

    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="download-csv"]')]);
    expect(download.suggestedFilename()).toBe("three-groups-clusters.csv");
    const path = join(downloads, "labelled.csv");
    await download.saveAs(path);
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines[0]).toBe("id,x,y,cluster");
    expect(lines).toHaveLength(91);
    const labels = lines.slice(1).map((l) => Number(l.split(",")[3]));
    expect(new Set(labels).size).toBe(3);
    // Rows of the same group share a cluster.
    for (let i = 3; i < 90; i++) expect(labels[i]).toBe(labels[i % 3]);
  });

  it("shows a long job's progress in the status bar and cancels it; the page stays responsive", async () => {
    const rows = ["a,b,c"];
    for (let i = 0; i < 2900; i++)
      rows.push(`${(i % 7) + Math.sin(i)},${(i % 5) * 2 + Math.cos(i)},${(i % 3) + Math.sin(i * 0.7)}`);
    await page.setInputFiles('[data-testid="upload-input"]', {
      name: "slow.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${rows.join("\n")}\n`),
    });
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "slow.csv");
    await waitForRun(page, await page.getAttribute('[data-testid="results"]', "data-run"));
    await page.selectOption('[data-testid="algorithm-select"]', "affinity-propagation");
    await page.waitForFunction(
      () =>
        /affinity propagation on 2900 rows/.test(
          document.querySelector('[data-testid="job-status"]')?.textContent ?? "",
        ),
      null,
      { timeout: 15_000 },
    );
    // The page answers while the job runs: the dataset select still works.
    expect(await page.inputValue('[data-testid="algorithm-select"]')).toBe("affinity-propagation");
    await page.click('[data-testid="cancel"]');
    await page.waitForSelector('[data-testid="notice"]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid="notice"]')).toContain("Cancelled");
    await page.waitForSelector('[data-testid="cancel"]', { state: "detached" });
    // And the next request runs on a fresh worker.
    const before = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.selectOption('[data-testid="algorithm-select"]', "kmeans");
    await waitForRun(page, before);
  });

  it("shows the server's message when a request fails", async () => {
    await page.setInputFiles('[data-testid="upload-input"]', {
      name: "broken.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("a,b,c\n1,2,3\n4,5\n"),
    });
    await page.waitForSelector('[data-testid="error"]');
    expect(await page.textContent('[data-testid="error"]')).toContain(
      'malformed row in broken.csv: line 3 has 2 fields, expected 3 ("4,5")',
    );
    expect(errors).toEqual([]);
  });
});
