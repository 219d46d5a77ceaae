#!/usr/bin/env node
/**
 * Measures the Cluster page's redraw in Chromium on a large upload: after each k-slider move, the
 * time from the input to the cluster answer (server + JSON; a change after a pause is sent at once),
 * from the answer to React's commit (the figures built), from the commit to the charts in the
 * 1440 x 1000 window drawn by Plotly ("in view": on-screen charts are drawn first) and to every chart
 * drawn ("all": those scrolled away too), with each chart's own draw time.
 *
 *   npm run build && node packages/dashboard/scripts/redraw-latency.mjs [rows=100000] [features=5] [k|cut|eps|all] [minSamples=5]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "@clusterlab/server";
import { chromium } from "playwright-core";

const n = Number(process.argv[2] ?? 100_000);
const d = Number(process.argv[3] ?? 5);
/** "k" (the k-means k slider), "cut" (agglomerative ward's cut by k), "eps" (DBSCAN's eps slider) or "all". */
const modeArg = process.argv[4] ?? "k";
const modes = modeArg === "all" ? ["k", "cut", "eps"] : [modeArg];
/** DBSCAN's min samples for the eps moves (the dashboard's default is 5). */
const minSamples = Number(process.argv[5] ?? 5);

function csv(rows, dims, seed = 1) {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 6 }, () => Array.from({ length: dims }, () => rand() * 20 - 10));
  const lines = [Array.from({ length: dims }, (_, j) => `f${j}`).join(",")];
  for (let i = 0; i < rows; i++) {
    if (i % 50 === 0) {
      lines.push(Array.from({ length: dims }, () => (rand() * 30 - 15).toFixed(3)).join(","));
      continue;
    }
    const c = centres[i % centres.length];
    lines.push(c.map((v) => (v + gauss() * 1.2).toFixed(3)).join(","));
  }
  return `${lines.join("\n")}\n`;
}

const dataDir = mkdtempSync(join(tmpdir(), "clusterlab-redraw-"));
let server = await startServer({ host: "127.0.0.1", port: 0, dataDir, openDataset: null });
const up = await fetch(`${server.url.replace(/\/$/, "")}/api/datasets?name=big.csv`, {
  method: "POST",
  headers: { "content-type": "application/octet-stream" },
  body: csv(n, d),
});
const id = (await up.json()).dataset.id;
await server.close();
server = await startServer({ host: "127.0.0.1", port: 0, dataDir, openDataset: id, workers: 2 });

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.addInitScript(() => {
    const w = window;
    w.__marks = { response: 0, commit: 0, drawn: 0 };
    const original = w.fetch.bind(w);
    w.fetch = async (...args) => {
      const r = await original(...args);
      if (String(args[0]).includes("/api/cluster")) {
        const text = r.text.bind(r);
        r.text = async () => {
          const t = await text();
          w.__marks.response = performance.now();
          return t;
        };
      }
      return r;
    };
    // Every frame: when the shown run changes (React's commit), and when no chart is left to draw.
    let run = null;
    const tick = () => {
      const now = performance.now();
      const el = document.querySelector('[data-testid="results"]');
      const r = el?.getAttribute("data-run") ?? null;
      if (r !== run) {
        run = r;
        w.__marks.commit = now;
      }
      if (document.documentElement.dataset.plotsPending === "0" && w.__marks.commit > w.__marks.drawn) {
        w.__marks.drawn = now;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.goto(server.url);
  const settled = (prev) =>
    page.waitForFunction(
      (p) => {
        const el = document.querySelector('[data-testid="results"]');
        const run = el?.getAttribute("data-run");
        return (
          run &&
          run !== p &&
          el.getAttribute("data-busy") === "false" &&
          (document.documentElement.dataset.plotsPending ?? "0") === "0"
        );
      },
      prev,
      { timeout: 300_000 },
    );
  await settled(null);
  // The k sweep precomputes every k: wait for it (the "Choosing k" chart).
  await page.waitForSelector('[data-testid="sweep"] .scatterlayer', { timeout: 120_000 });
  await page.waitForTimeout(1000);
  /** Runs `move`, waits for the new run to be drawn, prints the split of the time. */
  const measure = async (label, move) => {
    const prev = await page.getAttribute('[data-testid="results"]', "data-run");
    const t0 = await page.evaluate(() => performance.now());
    await move();
    await settled(prev);
    await page.waitForTimeout(50);
    const m = await page.evaluate(() => {
      const marks = window.__marks;
      // The charts in the window (1440 x 1000): when the last of them was redrawn for this run.
      let inView = marks.commit;
      for (const el of document.querySelectorAll(".plot[data-drawn-at]")) {
        const box = el.getBoundingClientRect();
        const at = Number(el.dataset.drawnAt);
        if (box.bottom > 0 && box.top < window.innerHeight && at > marks.commit) inView = Math.max(inView, at);
      }
      return {
        ...marks,
        inView,
        charts: [...document.querySelectorAll(".plot[data-draw-ms]")]
          .map((el) => `${el.dataset.testid}:${el.dataset.drawMs}`)
          .join(" "),
      };
    });
    const f = (v) => String(Math.round(v)).padStart(6);
    console.log(
      `${label.padEnd(6)} ${f(m.response - t0)}        ${f(m.commit - m.response)}        ${f(m.inView - m.commit)}       ${f(m.drawn - m.commit)}  ${f(m.inView - t0)}    ${f(m.drawn - t0)}  | ${m.charts}`,
    );
  };
  const header =
    "       input->answer  answer->commit  commit->in view  ->all drawn  in view  all    | per chart draw ms";
  if (modes.includes("k")) {
    console.log(`${n} rows x ${d} features; k-means; k slider moves (ms):`);
    console.log(header);
    for (const k of [4, 5, 6, 7, 6, 5, 4, 3]) {
      await measure(`k=${k}`, () => page.locator('[data-testid="k-slider"]').fill(String(k)));
    }
  }
  if (modes.includes("cut")) {
    // Agglomerative (ward) cuts its one linkage tree: wait for the tree, then move k.
    const prev = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.selectOption('[data-testid="algorithm-select"]', "agglomerative");
    await settled(prev);
    await page.waitForTimeout(1000);
    console.log(`${n} rows x ${d} features; agglomerative (ward); cuts of the tree by k (ms):`);
    console.log(header);
    for (const k of [4, 5, 6, 7, 6, 5]) {
      await measure(`k=${k}`, () => page.locator('[data-testid="k-slider"]').fill(String(k)));
    }
  }
  if (modes.includes("eps")) {
    // DBSCAN reads its labels off one OPTICS ordering: wait for it, then move eps across its range.
    const prev = await page.getAttribute('[data-testid="results"]', "data-run");
    await page.selectOption('[data-testid="algorithm-select"]', "dbscan");
    await settled(prev);
    if (minSamples !== 5) {
      // Another min samples: a new OPTICS ordering (the eps slider waits for it).
      const before = await page.getAttribute('[data-testid="results"]', "data-run");
      await page.locator('[data-testid="min-samples-slider"]').fill(String(minSamples));
      await settled(before);
    }
    await page.waitForSelector('[data-testid="eps-slider"]:not([disabled])', { timeout: 300_000 });
    await page.waitForTimeout(1000);
    const { min, max } = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="eps-slider"]');
      return { min: Number(el.min), max: Number(el.max) };
    });
    console.log(`${n} rows x ${d} features; DBSCAN (min samples ${minSamples}); eps slider moves (ms):`);
    console.log(header);
    for (const share of [0.3, 0.35, 0.4, 0.45, 0.4, 0.35]) {
      const eps = (min + share * (max - min)).toPrecision(3);
      await measure(`${eps}`, () => page.locator('[data-testid="eps-slider"]').fill(eps));
    }
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
