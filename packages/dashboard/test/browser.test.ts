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
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
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

/** Waits until the results show a finished run (no request in flight) different from `previous`. */
async function waitForRun(page: Page, previous?: string | null): Promise<string> {
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-testid="results"]');
      const run = el?.getAttribute("data-run");
      return el?.getAttribute("data-busy") === "false" && run && run !== prev;
    },
    previous ?? null,
    { timeout: 20_000 },
  );
  return (await page.getAttribute('[data-testid="results"]', "data-run"))!;
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  // No focus ring left on the control the test just used.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
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
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
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
    await shoot(page, "dashboard-iris-agglomerative.png");
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
