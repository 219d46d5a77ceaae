/**
 * The workflow pages (Image, Documents, Customers, Social, Anomalies) in a real browser: Debian's
 * Chromium driven by playwright-core against the real server on 127.0.0.1 (a free port). Skips
 * itself, saying why, only when /usr/bin/chromium is missing.
 *
 * With CLUSTERLAB_SCREENSHOTS_DIR set, it saves workflow-image.png, workflow-text.png,
 * workflow-rfm.png, workflow-social.png and workflow-anomalies.png there.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  console.warn(
    `skipping the workflow browser tests: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`,
  );
}

/** Waits until the page's results show a finished request newer than `previous`, every chart drawn. */
async function waitForResult(page: Page, id: string, previous = "0"): Promise<string> {
  await page.waitForFunction(
    ([wid, prev]) => {
      const el = document.querySelector(`[data-testid="wf-${wid}"]`);
      const run = el?.getAttribute("data-run");
      const drawn = (document.documentElement.dataset.plotsPending ?? "0") === "0";
      return (
        el?.getAttribute("data-busy") === "false" &&
        run !== null &&
        run !== undefined &&
        Number(run) > Number(prev) &&
        drawn
      );
    },
    [id, previous] as const,
    { timeout: 60_000 },
  );
  return (await page.getAttribute(`[data-testid="wf-${id}"]`, "data-run"))!;
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(() => (document.documentElement.dataset.plotsPending ?? "0") === "0");
  await page.waitForTimeout(250);
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
    // The panel scrolls on its own in a window; in a full-page image it shows whole.
    document.querySelector<HTMLElement>(".wf-panel")?.style.setProperty("max-height", "none");
  });
  await page.mouse.move(2, 2);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
  await page.evaluate(() => document.querySelector<HTMLElement>(".wf-panel")?.style.removeProperty("max-height"));
}

describe.skipIf(!hasChromium)("workflow pages in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let scratch: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(dashboardDist)) {
      throw new Error("packages/dashboard/dist is missing: run `npm run build` before the browser tests");
    }
    dataDir = mkdtempSync(join(tmpdir(), "clusterlab-wf-browser-"));
    scratch = mkdtempSync(join(tmpdir(), "clusterlab-wf-files-"));
    server = await startServer({ host: "127.0.0.1", port: 0, dataDir, workers: 2 });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("segments the bundled image; moving the k slider changes the segmented image and the palette", async () => {
    await page.goto(`${server.url}#/image`);
    const first = await waitForResult(page, "image");
    await page.waitForSelector('[data-testid="segmented-image"]');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="original-image"]');
      return img?.complete && img.naturalWidth === 600;
    });
    expect(await page.getAttribute('[data-testid="segmented-image"]', "data-k")).toBe("6");
    expect(await page.$$('[data-testid="swatches"] li')).toHaveLength(6);
    expect(await page.$$('[data-testid="palette"] .barlayer path')).toHaveLength(6);
    const before = await page.getAttribute('[data-testid="segmented-image"]', "src");
    await shoot(page, "workflow-image.png");

    await page.locator('[data-testid="image-k"]').fill("3");
    await waitForResult(page, "image", first);
    expect(await page.textContent('[data-testid="image-k-value"]')).toBe("3");
    expect(await page.getAttribute('[data-testid="segmented-image"]', "data-k")).toBe("3");
    expect(await page.getAttribute('[data-testid="segmented-image"]', "src")).not.toBe(before);
    expect(await page.$$('[data-testid="swatches"] li')).toHaveLength(3);
    // The segmented image, drawn by the browser, has exactly 3 colours.
    const colours = await page.evaluate(async () => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="segmented-image"]')!;
      await img.decode();
      const c = document.createElement("canvas");
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const set = new Set<number>();
      for (let i = 0; i < d.length; i += 4) set.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return { n: set.size, w: c.width, h: c.height };
    });
    expect(colours).toEqual({ n: 3, w: 600, h: 400 });
    // The mask view paints the label mask with the cluster colours.
    await page.click('[data-testid="image-view-mask"]');
    await page.waitForSelector('[data-testid="mask-canvas"]');
  });

  it("answers an uploaded file that is not an image with a clear error", async () => {
    const path = join(scratch, "notes.png");
    writeFileSync(path, "this is not an image\n");
    await page.setInputFiles('[data-testid="image-upload"]', path);
    await page.waitForSelector('[data-testid="error"]');
    expect(await page.textContent('[data-testid="error"]')).toContain("not an image: notes.png");
    await page.click('[data-testid="error"] .banner-close');
  });

  it("segments an uploaded image", async () => {
    const path = join(scratch, "my photo.jpg");
    // The bundled photo under the user's own file name (sharp reads the content, whatever the extension).
    writeFileSync(path, readFileSync(fileURLToPath(new URL("../../../examples/data/coffee.png", import.meta.url))));
    const before = await page.getAttribute('[data-testid="wf-image"]', "data-run");
    await page.setInputFiles('[data-testid="image-upload"]', path);
    await waitForResult(page, "image", before!);
    expect(await page.textContent('[data-testid="wf-image"] h1')).toBe("my photo.jpg");
    expect(await page.inputValue('[data-testid="image-select"]')).toMatch(/^img-[0-9a-f]{16}$/);
    expect(await page.$$('[data-testid="swatches"] li')).toHaveLength(3);
  });

  it("clusters the bundled e-mails: map, top terms per cluster and external scores", async () => {
    await page.goto(`${server.url}#/text`);
    await waitForResult(page, "text");
    await page.waitForSelector('[data-testid="text-map"] .gl-container canvas', { state: "attached" });
    expect(await page.$$('[data-testid="text-clusters"] > section')).toHaveLength(8);
    expect(await page.textContent('[data-testid="tile-ari"] .metric-value')).toBe("0.241");
    expect(await page.textContent('[data-testid="text-cluster-0"]')).toMatch(/documents/);
    // Charts below the fold are drawn when scrolled to: the contingency of clusters against the classes.
    await page.locator('[data-testid="card-text-contingency"]').scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-testid="text-contingency"] .hm, [data-testid="text-contingency"] .heatmaplayer', {
      state: "attached",
    });
    await shoot(page, "workflow-text.png");
  }, 90_000);

  it("segments the bundled customers: segment bars, R x F grid, clusters, contingency and the download", async () => {
    await page.goto(`${server.url}#/customers`);
    const first = await waitForResult(page, "rfm");
    expect(await page.textContent('[data-testid="tile-customers"] .metric-value')).toBe("467");
    expect(await page.inputValue('[data-testid="rfm-customer"]')).toBe("customer_id");
    expect(await page.inputValue('[data-testid="rfm-date"]')).toBe("order_date");
    expect(await page.inputValue('[data-testid="rfm-amount"]')).toBe("amount");
    expect(await page.$$('[data-testid="rfm-profiles"] tbody tr')).toHaveLength(4);
    const bars = await page.$$eval('[data-testid="rfm-segments"] .barlayer path', (p) => p.length);
    expect(bars).toBeGreaterThanOrEqual(5);
    await page.locator('[data-testid="card-rfm-contingency"]').scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-testid="rfm-contingency"] .hm, [data-testid="rfm-contingency"] .heatmaplayer', {
      state: "attached",
    });
    expect(await page.textContent('[data-testid="tile-ari"] .metric-value')).toMatch(/^0\.\d{3}$/);
    await shoot(page, "workflow-rfm.png");
    // The per-customer table downloads as CSV with one row per customer.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="rfm-download"]')]);
    const file = join(scratch, "customers.csv");
    await download.saveAs(file);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(468);
    expect(lines[0]).toContain("segment");
    // k = 3 re-clusters.
    await page.locator('[data-testid="rfm-k"]').fill("3");
    await waitForResult(page, "rfm", first);
    expect(await page.$$('[data-testid="rfm-profiles"] tbody tr')).toHaveLength(3);
  }, 90_000);

  it("answers transactions with negative amounts with a clear error naming the column", async () => {
    const path = join(scratch, "refunds.csv");
    writeFileSync(path, "customer_id,order_date,amount\nA,2024-01-01,10\nB,2024-01-02,-5\nC,2024-01-03,7\n");
    const before = await page.getAttribute('[data-testid="wf-rfm"]', "data-run");
    await page.setInputFiles('[data-testid="wf-rfm-controls"] [data-testid="upload-input"]', path);
    await page.waitForSelector('[data-testid="wf-error"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="wf-error"]')).toContain('amount column "amount" has 1 negative value');
    expect(await page.getAttribute('[data-testid="wf-rfm"]', "data-run")).toBe(before);
  }, 60_000);

  it("shows the social accounts' segments and what works, as charts", async () => {
    await page.goto(`${server.url}#/social`);
    await waitForResult(page, "social");
    expect(await page.textContent('[data-testid="tile-posts"] .metric-value')).toBe("3,000");
    expect(await page.$$('[data-testid="social-segments"] .barlayer path')).toHaveLength(5);
    expect(await page.$$('[data-testid="social-accounts"] tbody tr')).toHaveLength(5);
    // Content type: one bar trace per group (all accounts + 5 segments).
    expect(await page.$$('[data-testid="social-type"] .barlayer .trace')).toHaveLength(6);
    await shoot(page, "workflow-social.png");
    expect(await page.$$('[data-testid="social-hour"] .scatterlayer .trace')).toHaveLength(6);
  }, 90_000);

  it("ranks the wine outliers, marks them on the scatter and evaluates against the label", async () => {
    await page.goto(`${server.url}#/anomalies`);
    const first = await waitForResult(page, "anomalies");
    expect(await page.textContent('[data-testid="tile-flagged"] .metric-value')).toBe("10 of 140");
    expect(await page.textContent('[data-testid="tile-auc"] .metric-value')).toBe("0.944");
    expect(await page.$$('[data-testid="anomaly-table"] tbody tr')).toHaveLength(10);
    expect(await page.$$('[data-testid="anomaly-scatter"] .scatterlayer .trace')).toHaveLength(2);
    await shoot(page, "workflow-anomalies.png");
    // More contamination flags more rows; another method scores differently.
    await page.locator('[data-testid="anomalies-contamination"]').fill("0.2");
    const second = await waitForResult(page, "anomalies", first);
    expect(await page.textContent('[data-testid="tile-flagged"] .metric-value')).toBe("28 of 140");
    await page.selectOption('[data-testid="anomalies-method"]', "dbscan");
    await waitForResult(page, "anomalies", second);
    expect(await page.textContent('[data-testid="tile-clusters"] .metric-hint')).toContain("noise");
  }, 90_000);

  it("has no page errors", () => {
    expect(errors).toEqual([]);
  });
});
