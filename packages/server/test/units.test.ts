import { describe, expect, it } from "vitest";
import { displayName, formatFromName, isTargetLike } from "../src/datasets.js";
import { HttpError } from "../src/httpError.js";
import { validationMessage } from "../src/schemas.js";
import { WorkerPool } from "../src/workerPool.js";

describe("dataset helpers", () => {
  it("keeps only the last segment of an uploaded name, without control characters", () => {
    expect(displayName("../../etc/passwd")).toBe("passwd");
    expect(displayName("C:\\Users\\me\\data.csv")).toBe("data.csv");
    expect(displayName("a\u0000b\nc.csv")).toBe("abc.csv");
    expect(displayName("///")).toBe("upload");
    expect(displayName("x".repeat(500))).toHaveLength(120);
  });

  it("works out the format from the extension", () => {
    expect(formatFromName("a.CSV")).toBe("csv");
    expect(formatFromName("a.txt")).toBe("csv");
    expect(formatFromName("a.tsv")).toBe("tsv");
    expect(formatFromName("a.parquet")).toBe("parquet");
    expect(formatFromName("a.jsonl")).toBe("ndjson");
    expect(formatFromName("a.csv.gz")).toBe("csv");
    expect(formatFromName("a.xlsx")).toBeUndefined();
    expect(formatFromName("noext")).toBeUndefined();
  });

  it("recognises label and id columns", () => {
    for (const name of ["target", "Target", "target_name", "species", "customer_id", "ID", "year", "Unnamed: 0"]) {
      expect(isTargetLike(name), name).toBe(true);
    }
    for (const name of ["sepal_length_cm", "tip", "size", "body_mass_g", "idle_time", "paid"]) {
      expect(isTargetLike(name), name).toBe(false);
    }
  });
});

describe("validationMessage", () => {
  it("names the field as a path", () => {
    expect(
      validationMessage(
        [{ instancePath: "/params/k", keyword: "maximum", message: "must be <= 50", params: {} }],
        "body",
        { params: { k: 60 } },
      ),
    ).toBe("invalid body.params.k: 60 (must be <= 50)");
    expect(
      validationMessage(
        [{ instancePath: "", keyword: "required", params: { missingProperty: "dataset" } }],
        "body",
        {},
      ),
    ).toBe("missing body.dataset");
    expect(
      validationMessage(
        [{ instancePath: "/a~1b", keyword: "additionalProperties", params: { additionalProperty: "x" } }],
        "body",
        {},
      ),
    ).toBe("unknown field body.a/b.x");
  });
});

describe("WorkerPool", () => {
  it("reports a job's error as a 400 and keeps working", async () => {
    const pool = new WorkerPool(1);
    try {
      const bad = {
        X: { rows: 3, cols: 1, data: Float64Array.from([1, Number.NaN, 3]) },
        columns: ["a"],
        scaling: "none" as const,
        seed: 0,
        algorithm: "kmeans" as const,
        params: { k: 2, linkage: "ward" as const, covarianceType: "full" as const },
      };
      const error = await pool.cluster(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).statusCode).toBe(400);
      expect((error as HttpError).message).toMatch(/NaN|finite|missing/i);
      const good = await pool.cluster({ ...bad, X: { rows: 4, cols: 1, data: Float64Array.from([1, 2, 10, 11]) } });
      expect(Array.from(good.sizes)).toEqual([2, 2]);
      // Several jobs queue up on one worker and all finish.
      const six = { rows: 6, cols: 1, data: Float64Array.from([1, 2, 3, 10, 11, 12]) };
      const many = await Promise.all([2, 3, 4].map((k) => pool.sweep({ ...bad, X: six, kMin: 2, kMax: k })));
      expect(many.map((s) => s.ks.length)).toEqual([1, 2, 3]);
    } finally {
      await pool.close();
    }
  });

  it("rejects jobs after close", async () => {
    const pool = new WorkerPool(1);
    await pool.close();
    await expect(pool.sweep({} as never)).rejects.toThrow("shutting down");
  });
});
