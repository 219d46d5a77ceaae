/**
 * `POST /api/sweep/gap`: the gap statistic and bootstrap stability per k, run as a job in the
 * worker pool (progress, cancel) on a seeded subsample of at most 3,000 rows; and its 400s.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobStatus, UploadResult } from "../src/api.js";
import type { GapSweepResult } from "../src/apiGap.js";
import { GAP_MAX_ROWS, gapSample, runGapTask } from "../src/gapTask.js";
import { IRIS_FEATURES, testApp, upload } from "./helpers.js";

let app: FastifyInstance;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ app, cleanup } = await testApp({ workers: 2 }));
});
afterAll(async () => {
  await cleanup();
});

const iris = { dataset: "iris", columns: IRIS_FEATURES };

function post(payload: Record<string, unknown>) {
  return app.inject({ method: "POST", url: "/api/sweep/gap", payload });
}

/** `n` rows around each centre (deterministic jitter), columns f0..f2. */
function blobsCsv(n: number, centres: number[][]): string {
  const lines = ["f0,f1,f2"];
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length];
    lines.push(c.map((v, j) => (v + Math.sin(i * 12.9898 + j * 78.233) * 1.5).toFixed(4)).join(","));
  }
  return `${lines.join("\n")}\n`;
}

describe("POST /api/sweep/gap", () => {
  it("answers the gap with its standard errors and chosen k, and the stability per k, on iris", async () => {
    const r = await post({ ...iris, kMin: 1, kMax: 8 });
    expect(r.statusCode).toBe(200);
    const g = r.json() as GapSweepResult;
    expect(g.ks).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(g.gap).toHaveLength(8);
    expect(g.s).toHaveLength(8);
    expect(g.s.every((v) => v >= 0)).toBe(true);
    expect(g.ks).toContain(g.k);
    expect(g.k).toBeGreaterThanOrEqual(2);
    // Tibshirani's rule holds at the chosen k.
    const i = g.ks.indexOf(g.k);
    if (i + 1 < g.ks.length) expect(g.gap[i]).toBeGreaterThanOrEqual(g.gap[i + 1] - g.s[i + 1] - 1e-9);
    expect(g.reason).toMatch(/Gap\(k\)/);
    expect(g.b).toBe(10);
    expect(g.nBootstrap).toBe(10);
    expect(g.stability[0]).toBeNull();
    expect(g.stabilityMin[0]).toBeNull();
    for (let j = 1; j < g.ks.length; j++) {
      expect(g.stability[j]).toBeGreaterThan(0);
      expect(g.stability[j]).toBeLessThanOrEqual(1);
      expect(g.stabilityMin[j]).toBeLessThanOrEqual(g.stability[j] as number);
    }
    // Two clusters of iris (setosa and the rest) are recovered by every bootstrap sample.
    expect(g.stabilityMin[1]).toBeGreaterThan(0.9);
    expect(g.stableK).not.toBeNull();
    expect(g.stabilityMin[g.ks.indexOf(g.stableK as number)]).toBeGreaterThanOrEqual(0.75);
    expect(g).toMatchObject({ rowsUsed: 150, sampled: false, nRows: 150, rowsDropped: 0 });
  });

  it("is deterministic and cached: the same request answers the same numbers", async () => {
    const a = (await post({ ...iris, kMax: 4, b: 4, nBootstrap: 3, seed: 7 })).json() as GapSweepResult;
    const b = (await post({ ...iris, kMax: 4, b: 4, nBootstrap: 3, seed: 7 })).json() as GapSweepResult;
    expect(b).toEqual(a);
    expect(a.ks).toEqual([1, 2, 3, 4]);
    expect(a.b).toBe(4);
    expect(a.nBootstrap).toBe(3);
  });

  it("works on a seeded subsample of at most 3,000 rows and says so", async () => {
    const csv = blobsCsv(3500, [
      [0, 0, 0],
      [10, 10, 10],
    ]);
    const id = ((await upload(app, "gap-big.csv", csv)).json() as UploadResult).dataset.id;
    const r = await post({ dataset: id, columns: ["f0", "f1", "f2"], kMin: 1, kMax: 3, b: 2, nBootstrap: 2 });
    expect(r.statusCode).toBe(200);
    const g = r.json() as GapSweepResult;
    expect(g).toMatchObject({ rowsUsed: GAP_MAX_ROWS, sampled: true, nRows: 3500 });
    expect(g.ks).toEqual([1, 2, 3]);
    // The two blobs are found in every bootstrap sample.
    expect(g.stabilityMin[1]).toBeGreaterThan(0.99);
  });

  it("rejects an invalid k range and other bad input with a 400 naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...iris, kMin: 6, kMax: 3 }, "invalid body.kMax: 3 (must be >= body.kMin = 6)"],
      [{ ...iris, kMax: 99 }, "invalid body.kMax: 99 (must be <= 20)"],
      [{ ...iris, kMin: 0 }, "invalid body.kMin: 0 (must be >= 1)"],
      [{ ...iris, kMin: 2.5 }, "invalid body.kMin"],
      [{ ...iris, b: 1 }, "invalid body.b: 1 (must be >= 2)"],
      [{ ...iris, nBootstrap: 0 }, "invalid body.nBootstrap: 0 (must be >= 1)"],
      [{ ...iris, columns: ["nope"] }, "invalid body.columns"],
      [{ ...iris, k: 3 }, "k"],
      [{ columns: IRIS_FEATURES }, "dataset"],
    ];
    for (const [payload, error] of cases) {
      const r = await post(payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error).toContain(error);
    }
  });

  it("needs at least 3 rows", async () => {
    const id = ((await upload(app, "tiny.csv", "a,b\n1,2\n3,4\n")).json() as UploadResult).dataset.id;
    const r = await post({ dataset: id, columns: ["a", "b"] });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe("the gap statistic needs at least 3 rows (the selection has 2)");
  });

  it("runs as a job: reports its progress, can be cancelled (409) and the server keeps serving", async () => {
    const csv = blobsCsv(2900, [
      [0, 0, 0],
      [5, 5, 5],
      [0, 8, 0],
    ]);
    const id = ((await upload(app, "gap-slow.csv", csv)).json() as UploadResult).dataset.id;
    const jobId = "gap-cancel-1";
    const started = Date.now();
    const pending = post({ dataset: id, columns: ["f0", "f1", "f2"], kMin: 1, kMax: 20, b: 50, nBootstrap: 50, jobId });
    let status: JobStatus | null = null;
    for (let i = 0; i < 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const r = await app.inject({ method: "GET", url: `/api/jobs/${jobId}` });
      if (r.statusCode !== 200) continue;
      status = r.json() as JobStatus;
      if (status.message.startsWith("gap statistic: k =")) break;
    }
    expect(status).toMatchObject({ id: jobId, kind: "gap-sweep", state: "running" });
    expect(status!.message).toMatch(/^gap statistic: k = \d+ \(\d+ of 20\)/);
    expect(status!.progress).toBeGreaterThan(0);
    expect(status!.progress).toBeLessThan(1);
    const cancel = await app.inject({ method: "DELETE", url: `/api/jobs/${jobId}` });
    expect(cancel.json().state).toBe("cancelled");
    const answer = await pending;
    expect(answer.statusCode).toBe(409);
    expect(answer.json().error).toMatch(/^cancelled/);
    expect(Date.now() - started).toBeLessThan(20_000);
    const again = await post({ ...iris, kMax: 3, b: 2, nBootstrap: 2 });
    expect(again.statusCode).toBe(200);
  });
});

describe("runGapTask", () => {
  it("subsamples with a seed, keeping the rows' order", () => {
    const X = { rows: 10, cols: 1, data: Float64Array.from({ length: 10 }, (_, i) => i) };
    const a = gapSample(X, 4, 1);
    expect(a.rows).toBe(4);
    expect(Array.from(a.data)).toEqual([...a.data].sort((p, q) => p - q));
    expect(gapSample(X, 4, 1).data).toEqual(a.data);
    expect(gapSample(X, 20, 1)).toBe(X);
  });

  it("lowers kMax to the rows - 1 and reports progress up to 1", () => {
    const X = { rows: 5, cols: 1, data: Float64Array.from([0, 0.1, 5, 5.1, 9]) };
    const fractions: number[] = [];
    const out = runGapTask({ Xs: X, seed: 0, kMin: 1, kMax: 12, b: 3, nBootstrap: 2 }, (p) =>
      fractions.push(p.fraction ?? -1),
    );
    expect(out.ks).toEqual([1, 2, 3, 4]);
    expect(fractions[fractions.length - 1]).toBeCloseTo(1);
    expect(fractions).toEqual([...fractions].sort((p, q) => p - q));
  });
});
