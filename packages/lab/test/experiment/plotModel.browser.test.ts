/**
 * plotModel's self-contained HTML page in a real browser: Debian's Chromium (playwright-core) opens
 * it from disk (file://) with every network request refused and recorded, and the chart must draw
 * with the figure's traces. Skips itself, saying why, only when /usr/bin/chromium is missing.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setup } from "../../src/index.js";
import { example } from "../run/helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `skipping the plotModel browser test: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`,
  );
}

describe.skipIf(!hasChromium)("plotModel's HTML page in Chromium, offline", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "clusterlab-plot-browser-"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND"],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("draws the silhouette plot and the PCA scatter from disk with no network", async () => {
    const exp = await setup(example("iris"), { target: "target", exclude: ["target_name"] });
    const model = await exp.createModel("kmeans", { nClusters: 3 });
    for (const kind of ["silhouette", "cluster"] as const) {
      const path = join(dir, `${kind}.html`);
      const spec = await exp.plotModel(model, kind, { save: path });
      const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, offline: true });
      const attempted: string[] = [];
      const errors: string[] = [];
      await context.route(
        (url) => url.protocol !== "file:",
        (route) => {
          attempted.push(route.request().url());
          return route.abort("internetdisconnected");
        },
      );
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      try {
        await page.goto(pathToFileURL(path).href);
        await page.waitForSelector('#chart[data-ready="true"]', { timeout: 30_000 });
        expect(await page.$$("#chart .main-svg")).not.toHaveLength(0);
        const names = await page.evaluate(() =>
          (document.getElementById("chart") as unknown as { data: { name?: string }[] }).data.map((t) => t.name ?? ""),
        );
        expect(names).toEqual(spec.figure.data.map((t) => (t as { name?: string }).name ?? ""));
        expect(names.filter((n) => n.startsWith("Cluster "))).toHaveLength(3);
        expect(await page.textContent("h1")).toBe(spec.title);
        expect(errors).toEqual([]);
        expect(attempted).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
});
