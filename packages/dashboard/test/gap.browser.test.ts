/**
 * The Cluster page's "Gap and stability" card in Chromium against the real server: on iris, after
 * the k sweep, it asks for `POST /api/sweep/gap` (its progress bar shows while it runs) and draws
 * Gap(k) for k = 1..12 with error bars, the stability for k = 2..12 and the gap's chosen k; a new
 * scaling asks again. Skips, saying why, only without /usr/bin/chromium.
 *
 * With CLUSTERLAB_SCREENSHOTS_DIR set, it saves dashboard-gap.png there.
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
  console.warn(`skipping the gap browser test: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

async function waitForRun(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="results"]');
      const drawn = (document.documentElement.dataset.plotsPending ?? "0") === "0";
      return el?.getAttribute("data-busy") === "false" && el.getAttribute("data-run") && drawn;
    },
    null,
    { timeout: 30_000 },
  );
}

interface TraceSummary {
  name: string;
  n: number;
  x: number[];
  yaxis: string;
  errors: number;
}

/** The gap chart's traces as Plotly holds them. */
function gapTraces(page: Page): Promise<TraceSummary[]> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="gap"]') as unknown as {
      data?: { name?: string; x?: number[]; yaxis?: string; error_y?: { array?: number[] } }[];
    };
    return (el.data ?? []).map((t) => ({
      name: t.name ?? "",
      n: t.x?.length ?? 0,
      x: t.x ?? [],
      yaxis: t.yaxis ?? "y",
      errors: t.error_y?.array?.length ?? 0,
    }));
  });
}

/** The gap chart's drawn markers (points of the scatter traces, as SVG paths). */
function waitForGapChart(page: Page): Promise<unknown> {
  return page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="gap"]') as unknown as { data?: unknown[] } | null;
      const drawn = (document.documentElement.dataset.plotsPending ?? "0") === "0";
      return el?.data && el.data.length >= 3 && drawn && !document.querySelector('[data-testid="gap-progress"]');
    },
    null,
    { timeout: 60_000 },
  );
}

describe.skipIf(!hasChromium)("the Gap and stability card in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(dashboardDist)) throw new Error("packages/dashboard/dist is missing: run `npm run build` first");
    dataDir = mkdtempSync(join(tmpdir(), "clusterlab-gap-browser-"));
    server = await startServer({ host: "127.0.0.1", port: 0, dataDir, workers: 1 });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    // Record whether the card's progress bar was ever shown (the job may be quick on iris).
    await page.addInitScript(() => {
      const w = window as unknown as { gapProgressSeen: number };
      w.gapProgressSeen = 0;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="gap-progress"]')) w.gapProgressSeen++;
      }).observe(document, { childList: true, subtree: true });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("opens iris and, after the sweep, draws the gap for k = 1..12 and the stability for k = 2..12", async () => {
    await page.goto(server.url);
    await waitForRun(page);
    expect(await page.textContent("h1")).toBe("iris");
    await page.waitForSelector('[data-testid="card-gap"]');
    await waitForGapChart(page);
    expect(
      await page.evaluate(() => (window as unknown as { gapProgressSeen: number }).gapProgressSeen),
    ).toBeGreaterThan(0);
    const traces = await gapTraces(page);
    const gap = traces.find((t) => t.name.startsWith("Gap(k)"))!;
    expect(gap.n).toBe(12);
    expect(gap.x).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(gap.errors).toBe(12);
    const stability = traces.find((t) => t.name.startsWith("Stability"))!;
    expect(stability.n).toBe(11);
    expect(stability.yaxis).toBe("y2");
    expect(traces.find((t) => t.name === "Weakest cluster")?.n).toBe(11);
    expect(traces.find((t) => t.name === "Gap choice")?.n).toBe(1);
    // Drawn: 12 gap markers with their error bars (the first trace of the main plot), and
    // 11 stability markers (the first trace of the overlaid second axis).
    const drawn = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-testid="gap"] .scatterlayer'), (layer) => {
        const first = layer.querySelector(".trace");
        return {
          points: first?.querySelectorAll(".points path.point").length ?? 0,
          errorBars: first?.querySelectorAll(".errorbar").length ?? 0,
        };
      }),
    );
    expect(drawn[0]).toEqual({ points: 12, errorBars: 12 });
    expect(drawn[1].points).toBe(11);
    const text = await page.textContent('[data-testid="card-gap"]');
    expect(text).toContain("Gap and stability");
    expect(text).toMatch(/chooses k = \d+/);
    expect(text).toContain("On all 150 rows");
    expect(text).toContain("stable ≥ 0.75");
    // It sits next to "Choosing k".
    const sweepBox = (await page.locator('[data-testid="card-sweep"]').boundingBox())!;
    const gapBox = (await page.locator('[data-testid="card-gap"]').boundingBox())!;
    expect(Math.abs(sweepBox.y - gapBox.y)).toBeLessThan(2);
    expect(gapBox.x).toBeGreaterThan(sweepBox.x + sweepBox.width - 1);
    if (screenshotDir) {
      mkdirSync(screenshotDir, { recursive: true });
      await page.locator('[data-testid="card-gap"]').scrollIntoViewIfNeeded();
      await page.mouse.move(2, 2);
      await page.waitForTimeout(300);
      const x = sweepBox.x;
      const top = (await page.locator('[data-testid="card-sweep"]').boundingBox())!.y;
      await page.screenshot({
        path: join(screenshotDir, "dashboard-gap.png"),
        clip: { x, y: top, width: gapBox.x + gapBox.width - x, height: Math.max(sweepBox.height, gapBox.height) },
      });
    }
  }, 90_000);

  it("asks again for new settings; no gap job is left running or failed", async () => {
    await page.selectOption('[data-testid="scaling-select"]', "minmax");
    // The new scaling first hides the old chart (the request waits for the new sweep).
    await page.waitForFunction(() => !document.querySelector('[data-testid="gap"]'), null, { timeout: 30_000 });
    await waitForGapChart(page);
    const gap = (await gapTraces(page)).find((t) => t.name.startsWith("Gap(k)"))!;
    expect(gap.n).toBe(12);
    const jobs = (await page.evaluate(() => fetch("/api/jobs").then((r) => r.json()))) as {
      jobs: { kind: string; state: string }[];
    };
    const gapJobs = jobs.jobs.filter((j) => j.kind === "gap-sweep");
    expect(gapJobs.length).toBeGreaterThanOrEqual(2);
    expect(gapJobs.every((j) => j.state === "done" || j.state === "cancelled")).toBe(true);
    expect(errors).toEqual([]);
  }, 90_000);
});
