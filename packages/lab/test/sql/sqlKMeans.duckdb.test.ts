import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KMeans } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { openDuckDBEngine, predictToTable, sqlKMeans, sqlNumber } from "../../src/sql/index.js";
import { kmeansConformance } from "./conformance.js";
import { blobs, loadTable, pick } from "./helpers.js";

describe("sqlKMeans on DuckDB (in process)", () => {
  kmeansConformance(() => openDuckDBEngine(":memory:", { config: { threads: "2" } }));
});

describe("sqlKMeans on a Parquet file (DuckDB)", () => {
  it("reads a Parquet FROM item and writes labels to Parquet", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-sql-"));
    const engine = await openDuckDBEngine();
    try {
      const X = blobs(600, 3, 3, 11);
      const cols = await loadTable(engine, "t", X);
      const file = join(dir, "in.parquet");
      await engine.query(`COPY t TO '${file}' (FORMAT PARQUET)`);
      const init = pick(X, [0, 1, 2]);
      const res = await sqlKMeans(engine, { from: `read_parquet('${file}')`, columns: cols, init });
      const core = new KMeans({ nClusters: 3, init }).fit(X);
      expect(res.nIter).toBe(core.nIter);
      const out = join(dir, "out.parquet");
      await predictToTable(engine, {
        from: `read_parquet('${file}')`,
        columns: cols,
        centers: res.clusterCenters,
        parquet: out,
      });
      const rows = await engine.query(`SELECT cluster FROM read_parquet('${out}') ORDER BY id`);
      expect(rows.map((r) => sqlNumber(r.cluster))).toEqual(Array.from(core.labels));
      await expect(
        predictToTable(engine, { table: "t", columns: cols, centers: init, target: "t2", labelColumn: "id" }),
      ).rejects.toThrow('invalid labelColumn: "id"');
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
