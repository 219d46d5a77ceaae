import { KMeans } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { openChdbEngine, sqlKMeans } from "../../src/sql/index.js";
import { kmeansConformance } from "./conformance.js";
import { blobs, findChdb, loadTable, pick, relDiff } from "./helpers.js";

const chdb = await findChdb();
if (chdb) console.warn(`skipping ClickHouse (chdb) tests: ${chdb}`);

describe.skipIf(chdb !== undefined)("sqlKMeans on ClickHouse (chdb, embedded)", () => {
  kmeansConformance(() => openChdbEngine());
});

describe.skipIf(chdb !== undefined)("sqlKMeans on Nullable ClickHouse columns", () => {
  it("clusters Nullable(Float64) columns without NULLs, and names a NULL", async () => {
    const engine = await openChdbEngine();
    try {
      const X = blobs(300, 2, 3, 5);
      await loadTable(engine, "raw", X);
      await engine.query(
        "CREATE TABLE pts (id Int32, x0 Nullable(Float64), x1 Nullable(Float64)) ENGINE = MergeTree ORDER BY id",
      );
      await engine.query("INSERT INTO pts SELECT id, x0, x1 FROM raw");
      const init = pick(X, [0, 1, 2]);
      const res = await sqlKMeans(engine, { table: "pts", columns: ["x0", "x1"], init });
      const core = new KMeans({ nClusters: 3, init }).fit(X);
      expect(relDiff(res.inertia, core.inertia)).toBeLessThan(1e-9);
      await engine.query("INSERT INTO pts VALUES (300, NULL, 1)");
      await expect(sqlKMeans(engine, { table: "pts", columns: ["x0", "x1"], init })).rejects.toThrow(
        'column "x0" has 1 NULL value(s)',
      );
    } finally {
      await engine.close();
    }
  });
});
