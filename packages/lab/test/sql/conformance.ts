import { KMeans, type Matrix } from "@clusterlab/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { predictToTable, type SqlEngine, sqlKMeans, sqlNumber } from "../../src/sql/index.js";
import { blobs, loadTable, maxRelDiff, pick, relDiff } from "./helpers.js";

/** Labels of table `name` (column `cluster`) in id order. */
async function labelsOf(engine: SqlEngine, name: string): Promise<Int32Array> {
  const rows = await engine.query(`SELECT cluster FROM ${engine.dialect.ident(name)} ORDER BY id`);
  return Int32Array.from(rows.map((r) => sqlNumber(r.cluster)));
}

let tableCounter = 0;

/**
 * The pushed-down k-means agreement suite (labels identical to core's KMeans lloyd, centres and
 * inertia within 1e-9 relative, nIter equal), run against the engine `open()` returns.
 */
export function kmeansConformance(open: () => Promise<SqlEngine | undefined>): void {
  let engine: SqlEngine | undefined;
  const X = blobs(1200, 4, 5, 7, 2.5);
  beforeAll(async () => {
    engine = await open();
    if (engine) await loadTable(engine, "pts", X);
  });
  afterAll(async () => {
    await engine?.close();
  });

  async function agree(init: Matrix, opts: { maxIter?: number; tol?: number; track?: boolean | "auto" } = {}) {
    const e = engine!;
    const cols = ["x0", "x1", "x2", "x3"];
    const iters: number[] = [];
    const res = await sqlKMeans(e, {
      table: "pts",
      columns: cols,
      init,
      maxIter: opts.maxIter,
      tol: opts.tol,
      trackLabelChanges: opts.track,
      onIteration: (info) => iters.push(info.iteration),
      logger: { warn: () => {} },
    });
    const core = new KMeans({
      nClusters: init.rows,
      init,
      maxIter: opts.maxIter,
      tol: opts.tol,
      logger: { warn: () => {} },
    }).fit(X);
    const out = `labels_${tableCounter++}`;
    await predictToTable(e, { table: "pts", columns: cols, centers: res.clusterCenters, target: out });
    const labels = await labelsOf(e, out);
    expect(Array.from(labels)).toEqual(Array.from(core.labels));
    expect(res.nIter).toBe(core.nIter);
    expect(res.converged).toBe(core.converged);
    expect(relDiff(res.inertia, core.inertia)).toBeLessThan(1e-9);
    expect(maxRelDiff(res.clusterCenters.data, core.clusterCenters.data)).toBeLessThan(1e-9);
    expect(iters.length).toBe(res.nIter);
    expect(res.nSamples).toBe(X.rows);
    return { res, core };
  }

  it.runIf(true)("matches core KMeans from explicit centres (tolerance stop)", async (ctx) => {
    if (!engine) return ctx.skip();
    const { res } = await agree(pick(X, [0, 5, 10, 15, 20]));
    expect(res.converged).toBe(true);
    expect(res.nIter).toBeGreaterThan(2);
    expect(res.scans).toBe(res.nIter + 2);
  });

  it("matches core with tol 0 (strict convergence: no label changed)", async (ctx) => {
    if (!engine) return ctx.skip();
    const { res } = await agree(pick(X, [3, 4, 8, 9, 11]), { tol: 0 });
    expect(res.converged).toBe(true);
  });

  it("matches core when stopped by maxIter", async (ctx) => {
    if (!engine) return ctx.skip();
    const { res } = await agree(pick(X, [3, 4, 8, 9, 11]), { maxIter: 2, tol: 0 });
    expect(res.nIter).toBe(2);
    expect(res.converged).toBe(false);
  });

  it("matches core with label-change tracking forced on", async (ctx) => {
    if (!engine) return ctx.skip();
    await agree(pick(X, [1, 2, 6, 7, 13]), { track: true });
  });

  it("relocates an empty cluster like core", async (ctx) => {
    if (!engine) return ctx.skip();
    const init = pick(X, [0, 5, 10, 15]);
    const far = new Float64Array(5 * 4);
    far.set(init.data);
    far.set([500, 500, 500, 500], 16);
    const { res } = await agree({ rows: 5, cols: 4, data: far });
    expect(res.scans).toBeGreaterThan(res.nIter + 2); // at least one relocation scan
  });

  it("random init is seeded, and core reproduces the run from the returned centres", async (ctx) => {
    if (!engine) return ctx.skip();
    const a = await sqlKMeans(engine, { table: "pts", columns: ["x0", "x1", "x2", "x3"], nClusters: 5, seed: 3 });
    const b = await sqlKMeans(engine, { table: "pts", columns: ["x0", "x1", "x2", "x3"], nClusters: 5, seed: 3 });
    expect(Array.from(a.initialCenters.data)).toEqual(Array.from(b.initialCenters.data));
    expect(a.scans).toBe(a.nIter + 3);
    await agree(a.initialCenters);
  });

  it("rejects NULL features and too many clusters", async (ctx) => {
    // ClickHouse columns are not Nullable unless declared so, and it has no plain UPDATE.
    if (!engine || engine.dialect.name === "clickhouse") return ctx.skip();
    const e = engine;
    await e.query(`CREATE TABLE withnull AS SELECT * FROM pts`);
    await e.query(`UPDATE withnull SET x1 = NULL WHERE id = 3`);
    await expect(sqlKMeans(e, { table: "withnull", columns: ["x0", "x1"], nClusters: 2 })).rejects.toThrow(
      'column "x1" has 1 NULL value(s)',
    );
    await expect(
      sqlKMeans(e, { from: "(SELECT * FROM pts WHERE id < 3) AS s", columns: ["x0"], nClusters: 4 }),
    ).rejects.toThrow("invalid nClusters: 4");
  });
}
