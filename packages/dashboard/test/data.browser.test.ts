/**
 * The Data page and the Preprocess section in a real browser (Debian's Chromium through
 * playwright-core, the real server on 127.0.0.1): open the Data page on penguins, read its profile,
 * make species the target, switch to the Cluster page, turn on one-hot encoding (island and sex
 * become features), a Yeo-Johnson transform and a PCA, and see the result re-clustered on them;
 * back on the Data page, each feature before and after. Skips itself when /usr/bin/chromium is
 * missing. With CLUSTERLAB_SCREENSHOTS_DIR set it saves dashboard-data.png and dashboard-preprocess.png.
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
  console.warn(`skipping the Data page browser test: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

/** Waits for a finished clustering different from `previous`, every chart drawn. */
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

/** Scrolls through the page so the lazy charts draw, then waits until none is left to draw. */
async function drawAll(page: Page): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(() => (document.documentElement.dataset.plotsPending ?? "0") === "0");
  await page.waitForTimeout(200);
  await page.evaluate(() => window.scrollTo(0, 0));
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await drawAll(page);
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    document.querySelector<HTMLElement>(".panel")?.style.setProperty("height", "auto");
  });
  await page.mouse.move(2, 2);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
  await page.evaluate(() => document.querySelector<HTMLElement>(".panel")?.style.removeProperty("height"));
}

function headerMeta(page: Page): Promise<string | null> {
  return page.textContent('[data-testid="header-meta"]');
}

describe.skipIf(!hasChromium)("Data page and preprocessing in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(dashboardDist)) {
      throw new Error("packages/dashboard/dist is missing: run `npm run build` before the browser tests");
    }
    dataDir = mkdtempSync(join(tmpdir(), "clusterlab-data-browser-"));
    server = await startServer({ host: "127.0.0.1", port: 0, dataDir, workers: 1 });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("profiles penguins, makes species the target, and one-hot + PCA re-clusters on the categories", async () => {
    await page.goto(`${server.url}#/data`);
    await page.waitForSelector('[data-testid="data-page"]');
    await page.selectOption('[data-testid="data-dataset-select"]', "penguins");
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Data: penguins");
    await page.waitForSelector('[data-testid="column-summary"] tr[data-column="island"]');
    // The profile: roles inferred by lab, the Hopkins statistic with its reading, the charts.
    expect(await page.inputValue('[data-testid="role-island"]')).toBe("categorical");
    expect(await page.inputValue('[data-testid="role-bill_length_mm"]')).toBe("numeric");
    expect(await page.textContent('[data-testid="hopkins-reading"]')).toMatch(
      /^Clustering tendency 0\.\d\d: strong clustering tendency/,
    );
    expect(await page.textContent('[data-testid="column-summary"] tr[data-column="sex"]')).toContain("11 (3.2%)");
    await page.waitForSelector('[data-testid="missing-chart"] .barlayer path');
    await page.waitForSelector(
      '[data-testid="correlation-chart"] .heatmaplayer image, [data-testid="correlation-chart"] .hm image',
    );
    await drawAll(page);
    // Small multiples: a histogram or bars for each of the 8 columns.
    expect(await page.$$('[data-testid="distributions-chart"] .barlayer .trace')).toHaveLength(8);

    // species is the label: make it the target (kept out of the features).
    await page.selectOption('[data-testid="role-species"]', "target");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="data-meta"]')?.textContent?.includes("target species"),
    );
    expect(await page.getAttribute('[data-testid="role-species"]', "class")).toContain("role-user");

    // The Cluster page: 4 numeric features at first.
    await page.click('[data-testid="page-cluster"]');
    let run = await waitForRun(page);
    expect(await headerMeta(page)).toContain("4 features");
    expect(await page.textContent('[data-testid="columns-not-used"]')).toContain("species (target)");
    const categorical = () =>
      page.$$eval('[data-testid="categorical-columns"] input', (inputs) =>
        inputs.map((i) => [(i as HTMLInputElement).checked, (i as HTMLInputElement).disabled]),
      );
    // island and sex are offered, but not usable before an encoding is chosen.
    expect(await categorical()).toEqual([
      [false, true],
      [false, true],
    ]);

    // One-hot encoding: island and sex are ticked and the rows re-clustered on 6 features.
    await page.selectOption('[data-testid="encoding-select"]', "onehot");
    run = await waitForRun(page, run);
    expect(await headerMeta(page)).toContain("6 features");
    expect(await categorical()).toEqual([
      [true, false],
      [true, false],
    ]);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="profile"]')?.textContent?.includes("island_Biscoe"),
    );

    // A Yeo-Johnson transform, then a PCA with 3 components: clustered again.
    await page.selectOption('[data-testid="transform-select"]', "yeoJohnson");
    run = await waitForRun(page, run);
    await page.selectOption('[data-testid="pca-select"]', "components");
    await page.locator('[data-testid="pca-components-slider"]').fill("3");
    run = await waitForRun(page, run);
    expect(await page.textContent('[data-testid="pca-components-slider-value"]')).toBe("3");
    expect(await headerMeta(page)).toContain("6 features");
    expect(await page.textContent('[data-testid="metric-k"] .metric-value')).toBe("3");
    expect(errors).toEqual([]);
    await shoot(page, "dashboard-preprocess.png");

    // Back on the Data page: each numeric feature before and after (4 features x 2 histograms).
    await page.click('[data-testid="page-data"]');
    await page.waitForSelector('[data-testid="card-before-after"]');
    await page.locator('[data-testid="card-before-after"]').scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-testid="before-after-chart"] .barlayer .trace');
    expect(await page.$$('[data-testid="before-after-chart"] .barlayer .trace')).toHaveLength(8);
    const subtitle = await page.textContent('[data-testid="card-before-after"] .card-subtitle');
    expect(subtitle).toContain("Yeo-Johnson, standardised");
    expect(subtitle).toMatch(/PCA keeps 3 components \(\d+% of the variance\)/);
    expect(subtitle).toContain("342 of 344 rows used, 2 dropped for missing values");
    expect(await page.inputValue('[data-testid="role-species"]')).toBe("target");
    expect(errors).toEqual([]);
    await shoot(page, "dashboard-data.png");
  }, 120_000);
});
