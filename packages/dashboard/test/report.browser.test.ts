/**
 * The standalone report in a real browser: Debian's Chromium (playwright-core) opens report files
 * from disk (file://) with every network request refused and recorded, and the charts must draw.
 * Skips itself, saying why, only when /usr/bin/chromium is missing.
 *
 * With CLUSTERLAB_SCREENSHOTS_DIR set, it also saves report-iris.png there.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readTable } from "@clusterlab/lab";
import { buildReportPayload, loadReportAssets, type ReportOptions, renderReportHtml } from "@clusterlab/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium.js";

const irisPath = fileURLToPath(new URL("../../../examples/data/iris.csv", import.meta.url));
const screenshotDir = process.env.CLUSTERLAB_SCREENSHOTS_DIR;
const EVIL = "</script><img src=x onerror=alert(1)>";

if (!hasChromium) {
  console.warn(
    `skipping the report browser tests: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`,
  );
}

describe.skipIf(!hasChromium)("standalone report in Chromium, offline", () => {
  let browser: Browser;
  let dir: string;

  async function writeReport(name: string, table: Parameters<typeof buildReportPayload>[0], options: ReportOptions) {
    const path = join(dir, name);
    writeFileSync(path, renderReportHtml(buildReportPayload(table, options), loadReportAssets()));
    return path;
  }

  /** Opens a report file with the network refused; returns the page and what it tried to fetch. */
  async function open(path: string) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, offline: true });
    const attempted: string[] = [];
    const errors: string[] = [];
    const dialogs: string[] = [];
    await context.route(
      (url) => url.protocol !== "file:",
      (route) => {
        attempted.push(route.request().url());
        return route.abort("internetdisconnected");
      },
    );
    const page: Page = await context.newPage();
    page.on("request", (r) => {
      if (!/^(file|data|blob):/.test(r.url())) attempted.push(r.url());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(path).href);
    await page.waitForSelector('#report[data-ready="true"]', { timeout: 30_000 });
    return { page, attempted, errors, dialogs, close: () => context.close() };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "clusterlab-report-browser-"));
    browser = await launchChromium(["--host-resolver-rules=MAP * ~NOTFOUND"]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("draws every chart of the iris report from disk with no network", async () => {
    const iris = await readTable(irisPath);
    const path = await writeReport("iris.html", iris, { input: irisPath, params: { k: 3 } });
    const { page, attempted, errors, close } = await open(path);
    try {
      for (const id of ["sweep", "scatter", "sizes", "silhouette", "profile"]) {
        expect(await page.$$(`[data-testid="${id}"] .main-svg`), id).not.toHaveLength(0);
      }
      expect(await page.$('[data-testid="dendrogram"]')).toBeNull();
      // One scatter trace per cluster (Plotly keeps the figure on the element).
      const clusterTraces = await page.evaluate(() => {
        const gd = document.querySelector('[data-testid="scatter"]') as unknown as { data: { name?: string }[] };
        return gd.data.filter((t) => t.name?.startsWith("Cluster ")).length;
      });
      expect(clusterTraces).toBe(3);
      const colours = await page.evaluate(() => {
        const fills = [...document.querySelectorAll<SVGPathElement>('[data-testid="scatter"] .scatterlayer path.point')]
          .map((p) => p.style.fill)
          .filter((f) => f && f !== "none");
        return new Set(fills).size;
      });
      expect(colours).toBe(3);
      expect(await page.$$('[data-testid="sizes"] .barlayer path')).toHaveLength(3);
      expect(await page.textContent('[data-testid="metric-silhouette"] .metric-value')).toBe("0.463");
      expect(await page.textContent('[data-testid="card-sweep"]')).toContain("suggested k = 2");
      expect(await page.textContent('[data-testid="columns-table"]')).toContain("petal_width_cm");
      expect(await page.textContent('[data-testid="command"]')).toContain("clusterlab report iris.csv");
      // Hover works offline too.
      const point = (await page.$('[data-testid="scatter"] .scatterlayer path.point'))!;
      await point.scrollIntoViewIfNeeded();
      const box = (await point.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForSelector(".hoverlayer .hovertext", { timeout: 5_000 });
      await page.mouse.move(5, 5);
      await page.evaluate(() => window.scrollTo(0, 0));
      if (screenshotDir) {
        mkdirSync(screenshotDir, { recursive: true });
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(screenshotDir, "report-iris.png"), fullPage: true });
      }
      expect(errors).toEqual([]);
      expect(attempted).toEqual([]);
    } finally {
      await close();
    }
  });

  it("draws the dendrogram of an agglomerative report", async () => {
    const iris = await readTable(irisPath);
    const path = await writeReport("agglo.html", iris, {
      input: irisPath,
      algorithm: "agglomerative",
      params: { k: 4 },
      sweep: false,
    });
    const { page, attempted, errors, close } = await open(path);
    try {
      expect(await page.$$('[data-testid="dendrogram"] .main-svg')).not.toHaveLength(0);
      expect(await page.textContent('[data-testid="card-dendrogram"]')).toContain("cut: k = 4");
      expect(await page.$('[data-testid="sweep"]')).toBeNull();
      expect(errors).toEqual([]);
      expect(attempted).toEqual([]);
    } finally {
      await close();
    }
  });

  it("draws DBSCAN's reachability plot and HDBSCAN's condensed tree, with their noise", async () => {
    const iris = await readTable(irisPath);
    for (const [algorithm, params, chart] of [
      ["dbscan", { eps: 0.5 }, "reachability"],
      ["hdbscan", { minClusterSize: 10 }, "condensed-tree"],
    ] as const) {
      const path = await writeReport(`${algorithm}.html`, iris, { input: irisPath, algorithm, params });
      const { page, attempted, errors, close } = await open(path);
      try {
        for (const id of ["scatter", "sizes", "silhouette", "profile", chart]) {
          expect(await page.$$(`[data-testid="${id}"] .main-svg`), `${algorithm} ${id}`).not.toHaveLength(0);
        }
        expect(await page.$('[data-testid="sweep"]')).toBeNull();
        const noise = await page.evaluate(() => {
          const gd = document.querySelector('[data-testid="scatter"]') as unknown as { data: { name?: string }[] };
          return gd.data.filter((t) => t.name?.startsWith("Noise")).length;
        });
        expect(noise).toBe(1);
        expect(await page.textContent('[data-testid="metric-noise"] .metric-value')).toMatch(/^\d+$/);
        expect(await page.textContent('[data-testid="command"]')).toContain(`--algo ${algorithm}`);
        expect(errors).toEqual([]);
        expect(attempted).toEqual([]);
      } finally {
        await close();
      }
    }
  });

  it("shows a hostile column name as text: no script runs, no element is injected", async () => {
    const csv = join(dir, "evil.csv");
    const rows = [`"${EVIL}",b`];
    for (let i = 0; i < 40; i++) rows.push(`${(i % 2) * 10 + (i % 7) / 7},${(i % 2) * 5 + (i % 3) / 3}`);
    writeFileSync(csv, `${rows.join("\n")}\n`);
    const table = await readTable(csv);
    const path = await writeReport("evil.html", table, { input: csv, params: { k: 2 }, title: `Report ${EVIL}` });
    const { page, attempted, errors, dialogs, close } = await open(path);
    try {
      expect(await page.textContent('[data-testid="title"]')).toBe(`Report ${EVIL}`);
      expect(await page.title()).toBe(`Report ${EVIL}`);
      expect(await page.textContent('[data-testid="columns-table"]')).toContain(EVIL);
      expect(await page.$$('img[src="x"]')).toHaveLength(0);
      expect(await page.$$('[data-testid="profile"] .main-svg')).not.toHaveLength(0);
      await page.waitForTimeout(200);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(attempted).toEqual([]);
    } finally {
      await close();
    }
  });
});
