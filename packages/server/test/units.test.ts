import { describe, expect, it } from "vitest";
import { byteSize, LruCache } from "../src/cache.js";
import { displayName, formatFromName, isTargetLike } from "../src/datasets.js";
import { HttpError } from "../src/httpError.js";
import { validationMessage } from "../src/schemas.js";
import { CancelledError, WorkerPool } from "../src/workerPool.js";

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
  const bad = { rows: 3, cols: 1, data: Float64Array.from([1, Number.NaN, 3]) };

  it("reports a task's error as a 400 and keeps working", async () => {
    const pool = new WorkerPool(1);
    try {
      const error = await pool
        .run("fit", { Xs: bad, algorithm: "kmeans", params: { k: 2 }, seed: 0 })
        .promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).statusCode).toBe(400);
      expect((error as HttpError).message).toMatch(/NaN|finite|missing/i);
      const good = await pool.run("fit", {
        Xs: { rows: 4, cols: 1, data: Float64Array.from([1, 2, 10, 11]) },
        algorithm: "kmeans",
        params: { k: 2 },
        seed: 0,
      }).promise;
      expect(new Set(good.labels).size).toBe(2);
      // Several tasks queue up on one worker and all finish.
      const six = { rows: 6, cols: 1, data: Float64Array.from([1, 2, 3, 10, 11, 12]) };
      const many = await Promise.all(
        [2, 3, 4].map((k) => pool.run("sweep", { Xs: six, seed: 0, kMin: 2, kMax: k }).promise),
      );
      expect(many.map((s) => s.ks.length)).toEqual([1, 2, 3]);
    } finally {
      await pool.close();
    }
  });

  it("reports progress, cancels a running task by replacing its worker, and keeps working", async () => {
    const pool = new WorkerPool(1, { viewWorkers: 0 });
    try {
      const handle = pool.run("spin", { ms: 20_000 });
      const seen: (number | null)[] = [];
      handle.subscribe((p) => seen.push(p.fraction));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(seen.length).toBeGreaterThan(0);
      const started = Date.now();
      handle.cancel();
      const error = await handle.promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CancelledError);
      expect((error as HttpError).statusCode).toBe(409);
      expect(Date.now() - started).toBeLessThan(2000);
      // A queued task is cancelled without running; the next one runs on a fresh worker.
      const first = pool.run("spin", { ms: 50 });
      const queued = pool.run("spin", { ms: 50 });
      queued.cancel();
      await expect(queued.promise).rejects.toBeInstanceOf(CancelledError);
      expect((await first.promise).spun).toBeGreaterThanOrEqual(50);
    } finally {
      await pool.close();
    }
  });

  it("runs a short view task on its own worker while a long task holds the other", async () => {
    const pool = new WorkerPool(1, { viewWorkers: 1 });
    try {
      const long = pool.run("spin", { ms: 3000 });
      const started = Date.now();
      const X = { rows: 4, cols: 2, data: Float64Array.from([0, 0, 1, 1, 5, 5, 6, 6]) };
      const prepared = await pool.run("prepare", { X, scaling: "standard", seed: 0 }).promise;
      expect(prepared.display.rows).toHaveLength(4);
      expect(Date.now() - started).toBeLessThan(2500);
      long.cancel();
    } finally {
      await pool.close();
    }
  });

  it("rejects tasks after close", async () => {
    const pool = new WorkerPool(1);
    await pool.close();
    await expect(pool.run("spin", { ms: 1 }).promise).rejects.toThrow("shutting down");
  });
});

describe("LruCache", () => {
  it("evicts the least recently used entries past its byte budget and shares computations", async () => {
    const cache = new LruCache(100);
    cache.set("a", 1, 40);
    cache.set("b", 2, 40);
    expect(cache.get("a")).toBe(1); // a is now the most recent
    cache.set("c", 3, 40);
    expect(cache.has("b")).toBe(false);
    expect(cache.has("a")).toBe(true);
    expect(cache.bytes).toBe(80);
    cache.set("huge", 4, 1000);
    expect(cache.has("huge")).toBe(false);
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { value: "v", bytes: 10 };
    };
    const one = cache.getOrCompute("k", compute);
    const two = cache.getOrCompute("k", compute);
    expect([one.hit, two.hit]).toEqual(["computed", "joined"]);
    expect(await one.promise).toBe("v");
    expect(await two.promise).toBe("v");
    expect(cache.getOrCompute("k", compute).hit).toBe("cached");
    expect(calls).toBe(1);
    // A failure is not cached.
    const failing = cache.getOrCompute("f", async () => {
      throw new Error("no");
    });
    await expect(failing.promise).rejects.toThrow("no");
    expect(cache.has("f")).toBe(false);
  });

  it("measures typed arrays", () => {
    expect(byteSize({ a: new Float64Array(10), b: [new Int32Array(4)] })).toBe(96);
  });
});

describe("the silhouette task", () => {
  it("gives the view task's silhouette score, plot and warnings (DBSCAN with noise, k-means, one cluster)", async () => {
    const { buildStructure, structureSpec } = await import("../src/algorithms.js");
    const { prepare, runSilhouetteJob, runViewJob } = await import("../src/analysis.js");
    const { resolveParams } = await import("../src/params.js");
    // Three blobs and a few far points, 7,000 rows: above the 5,000-row exact silhouette (a sample).
    const n = 7000;
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      data[2 * i] = c * 10 + Math.sin(i * 12.9898) * 2;
      data[2 * i + 1] = (c === 1 ? 10 : 0) + Math.cos(i * 78.233) * 2;
      if (i % 500 === 0) data[2 * i] += 100;
    }
    const X = { rows: n, cols: 2, data };
    const p = prepare(X, "standard", 0);
    const base = { X, Xs: p.Xs, columns: ["a", "b"], display: p.display, seed: 0, withGeometry: false };
    const dbscan = resolveParams("dbscan", { eps: 0.2 });
    const structure = buildStructure(p.Xs, structureSpec("dbscan", dbscan), () => {});
    const labels = new Int32Array(n).map((_, i) => i % 3);
    const cases = [
      { algorithm: "dbscan" as const, params: dbscan, source: { kind: "structure" as const, structure } },
      {
        algorithm: "kmeans" as const,
        params: resolveParams("kmeans", { k: 3 }),
        source: {
          kind: "fit" as const,
          precomputed: false,
          fit: { labels, inertia: 1, bic: null, probability: null, warnings: [] },
        },
      },
      {
        algorithm: "kmeans" as const,
        params: resolveParams("kmeans", { k: 1 }),
        source: {
          kind: "fit" as const,
          precomputed: false,
          fit: { labels: new Int32Array(n), inertia: 1, bic: null, probability: null, warnings: [] },
        },
      },
    ];
    for (const c of cases) {
      const whole = runViewJob({ ...base, ...c });
      const rest = runViewJob({ ...base, ...c, silhouette: false });
      const sil = runSilhouetteJob({ Xs: p.Xs, seed: 0, ...c });
      expect(rest.silhouette).toBeNull();
      expect(rest.metrics.silhouette).toBeNull();
      expect(sil.score).toBe(whole.metrics.silhouette);
      expect(sil.plot).toEqual(whole.silhouette);
      expect([...rest.warnings, ...sil.warnings].sort()).toEqual([...whole.warnings].sort());
      expect({ ...rest.metrics, silhouette: sil.score }).toEqual(whole.metrics);
    }
    const noisy = runViewJob({ ...base, ...cases[0] });
    expect(noisy.nNoise).toBeGreaterThan(0);
    expect(noisy.metrics.silhouette).not.toBeNull();
    expect(noisy.silhouette?.sampleSize).toBe(5000);
  });
});
