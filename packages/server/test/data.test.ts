/**
 * The Data page's endpoints and preprocessing: `GET /api/datasets/:id/profile` (lab's profile, with
 * the user's roles, cached), `POST /api/preprocess/preview`, and `FeatureRequest.preprocess` on the
 * analysis endpoints (imputation, encoding, transform, outliers, PCA), with bad input.
 */
import { fileURLToPath } from "node:url";
import { StandardScaler } from "@clusterlab/core";
import { iqrOutliers, profileTable, readTable, YeoJohnson } from "@clusterlab/lab";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClustermapResult, ClusterResult, SweepResult } from "../src/api.js";
import type { DatasetProfileResult, PreprocessPreviewResult } from "../src/apiData.js";
import { IRIS_FEATURES, testApp, upload } from "./helpers.js";

const PENGUINS_CSV = fileURLToPath(new URL("../../../examples/data/penguins.csv", import.meta.url));
const PENGUIN_NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];

let app: FastifyInstance;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ app, cleanup } = await testApp());
});
afterAll(async () => {
  await cleanup();
});

function profile(dataset: string, roles?: Record<string, string>) {
  const query = roles ? `?roles=${encodeURIComponent(JSON.stringify(roles))}` : "";
  return app.inject({ method: "GET", url: `/api/datasets/${dataset}/profile${query}` });
}

function cluster(payload: Record<string, unknown>) {
  return app.inject({ method: "POST", url: "/api/cluster", payload });
}

describe("GET /api/datasets/:id/profile", () => {
  it("is lab's profile of the table, computed once and then cached", async () => {
    const r = await profile("penguins");
    expect(r.statusCode).toBe(200);
    const p = r.json<DatasetProfileResult>();
    const direct = profileTable(await readTable(PENGUINS_CSV), { seed: 0 });
    expect(p.dataset).toBe("penguins");
    expect(p.nRows).toBe(344);
    expect(p.columns.map((c) => [c.name, c.role])).toEqual(direct.columns.map((c) => [c.name, c.role]));
    expect(p.columns.find((c) => c.name === "island")?.categories?.top[0]).toEqual(
      direct.columns.find((c) => c.name === "island")?.categories?.top[0],
    );
    expect(p.columns.find((c) => c.name === "bill_length_mm")?.numeric?.mean).toBeCloseTo(43.92193, 4);
    expect(p.missing.columns.find((c) => c.name === "sex")?.missing).toBe(11);
    expect(p.correlation?.columns).toEqual(PENGUIN_NUMERIC);
    expect(p.hopkins?.statistic).toBe(direct.hopkins?.statistic);
    expect(p.hopkins?.interpretation).toBe("strong clustering tendency");
    expect(p.pca?.x.length).toBeGreaterThan(300);
    const again = (await profile("penguins")).json<DatasetProfileResult>();
    expect(again.seconds).toBe(0);
    expect(again.hopkins).toEqual(p.hopkins);
  });

  it("applies the user's roles: a target, an ignored column, a numeric column as categorical", async () => {
    const r = await profile("penguins", { species: "target", year: "ignored", body_mass_g: "categorical" });
    expect(r.statusCode).toBe(200);
    const p = r.json<DatasetProfileResult>();
    const role = (name: string) => p.columns.find((c) => c.name === name)!;
    expect(p.target).toBe("species");
    expect(role("year")).toMatchObject({ role: "ignored", userSet: true, inferredRole: "categorical" });
    expect(role("body_mass_g").role).toBe("categorical");
    expect(p.features).toEqual([
      "island",
      "bill_length_mm",
      "bill_depth_mm",
      "flipper_length_mm",
      "body_mass_g",
      "sex",
    ]);
    expect(p.correlation?.columns).toEqual(["bill_length_mm", "bill_depth_mm", "flipper_length_mm"]);
  });

  it("answers bad roles and unknown datasets with a 4xx naming the problem", async () => {
    let r = await profile("penguins", { nope: "numeric" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^invalid querystring.roles: unknown column "nope"/);
    r = await profile("penguins", { species: "label" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^invalid querystring.roles.species: "label" \(must be one of numeric, categorical/);
    r = await profile("penguins", { island: "numeric" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/island/);
    r = await app.inject({ method: "GET", url: "/api/datasets/penguins/profile?roles=%7Bx" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^invalid querystring.roles: not JSON/);
    r = await profile("nope");
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toBe('unknown dataset: "nope"');
  });
});

describe("FeatureRequest.preprocess", () => {
  it("an empty preprocess clusters exactly as no preprocess", async () => {
    const base = { dataset: "iris", columns: IRIS_FEATURES, algorithm: "kmeans", params: { k: 3 } };
    const a = (await cluster(base)).json<ClusterResult>();
    const b = (await cluster({ ...base, preprocess: {} })).json<ClusterResult>();
    expect(b.labels).toEqual(a.labels);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.columns).toEqual(a.columns);
    expect(b.projection.explainedVarianceRatio).toEqual(a.projection.explainedVarianceRatio);
  });

  it("one-hot encodes text columns: each cluster's shares of one column's categories sum to 1", async () => {
    const r = await cluster({
      dataset: "penguins",
      columns: [...PENGUIN_NUMERIC, "island", "sex"],
      algorithm: "kmeans",
      params: { k: 3 },
      preprocess: { encoding: "onehot" },
    });
    expect(r.statusCode).toBe(200);
    const res = r.json<ClusterResult>();
    expect(res.columns).toEqual([
      ...PENGUIN_NUMERIC,
      "island_Biscoe",
      "island_Dream",
      "island_Torgersen",
      "sex_female",
      "sex_male",
    ]);
    // 2 rows miss every measurement (dropped); sex is imputed with its most frequent value.
    expect(res.nRows).toBe(342);
    expect(res.rowsDropped).toBe(2);
    expect(res.k).toBe(3);
    for (const means of res.profile.means) {
      expect(means[4] + means[5] + means[6]).toBeCloseTo(1, 10);
      expect(means[7] + means[8]).toBeCloseTo(1, 10);
    }
  });

  it("ordinal codes, a numeric column declared categorical, and mean imputation keep every row", async () => {
    const r = await cluster({
      dataset: "penguins",
      columns: [...PENGUIN_NUMERIC, "island", "year"],
      algorithm: "kmeans",
      params: { k: 3 },
      preprocess: { encoding: "ordinal", categorical: ["year"], imputation: { numeric: "mean" } },
    });
    expect(r.statusCode).toBe(200);
    const res = r.json<ClusterResult>();
    expect(res.columns).toEqual([...PENGUIN_NUMERIC, "island", "year"]);
    expect(res.nRows).toBe(344);
    expect(res.rowsDropped).toBe(0);
    // The codes of year (3 categories) are 0, 1, 2: every cluster mean lies in [0, 2].
    for (const means of res.profile.means) {
      expect(means[5]).toBeGreaterThanOrEqual(0);
      expect(means[5]).toBeLessThanOrEqual(2);
    }
  });

  it("removes IQR outliers as lab's rule finds them; they have no cluster in the labelled CSV", async () => {
    const table = await readTable(fileURLToPath(new URL("../../../examples/data/wine.csv", import.meta.url)));
    const columns = ["alcohol", "malic_acid", "ash", "magnesium", "proline"];
    const n = table.nRows;
    const data = new Float64Array(n * columns.length);
    columns.forEach((name, j) => {
      const values = table.columns.find((c) => c.name === name)!.values as Float64Array;
      for (let i = 0; i < n; i++) data[i * columns.length + j] = values[i];
    });
    const { outlier } = iqrOutliers({ rows: n, cols: columns.length, data }, 1.5);
    const expected = outlier.reduce((a, b) => a + b, 0);
    expect(expected).toBeGreaterThan(0);
    const r = await cluster({
      dataset: "wine",
      columns,
      algorithm: "kmeans",
      params: { k: 3 },
      preprocess: { outliers: { method: "iqr", factor: 1.5 } },
    });
    expect(r.statusCode).toBe(200);
    const res = r.json<ClusterResult>();
    expect(res.nRows).toBe(n - expected);
    expect(res.warnings[0]).toBe(`${expected} rows removed as outliers (IQR rule): they have no cluster`);
    const csv = await app.inject({ method: "GET", url: `/api/runs/${res.runId}/labelled.csv` });
    const empty = csv.body
      .trim()
      .split("\n")
      .slice(1)
      .filter((line) => line.endsWith(","));
    expect(empty).toHaveLength(expected);
  });

  it("PCA: the clusterer sees the components (the clustermap names them); sweeps work on them", async () => {
    const base = {
      dataset: "penguins",
      columns: [...PENGUIN_NUMERIC, "island", "sex"],
      preprocess: { encoding: "onehot", pca: { nComponents: 3 } },
    };
    const c = await cluster({ ...base, algorithm: "agglomerative", params: { k: 4 } });
    expect(c.statusCode).toBe(200);
    expect(c.json<ClusterResult>().k).toBe(4);
    const map = await app.inject({ method: "POST", url: "/api/clustermap", payload: base });
    expect(map.statusCode).toBe(200);
    expect([...map.json<ClustermapResult>().columns].sort()).toEqual(["PC1", "PC2", "PC3"]);
    const sweep = await app.inject({ method: "POST", url: "/api/sweep", payload: { ...base, kMax: 5 } });
    expect(sweep.statusCode).toBe(200);
    expect(sweep.json<SweepResult>().ks).toEqual([2, 3, 4, 5]);
    const preview = await app.inject({
      method: "POST",
      url: "/api/preprocess/preview",
      payload: { ...base, preprocess: { ...base.preprocess, pca: { varianceRatio: 0.9 } } },
    });
    const p = preview.json<PreprocessPreviewResult>();
    expect(p.pcaExplained).toBeGreaterThan(0.9);
    expect(p.pcaComponents).toBeGreaterThanOrEqual(2);
    expect(p.pcaComponents).toBeLessThan(9);
  });

  it("the preview shows each numeric feature before and after (Yeo-Johnson, then standardised)", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/preprocess/preview",
      payload: { dataset: "iris", columns: IRIS_FEATURES, preprocess: { transform: "yeoJohnson" } },
    });
    expect(r.statusCode).toBe(200);
    const p = r.json<PreprocessPreviewResult>();
    expect(p.features.map((f) => f.name)).toEqual(IRIS_FEATURES);
    const table = await readTable(fileURLToPath(new URL("../../../examples/data/iris.csv", import.meta.url)));
    const X = {
      rows: 150,
      cols: 4,
      data: new Float64Array(600).map((_, i) => {
        const c = table.columns.find((col) => col.name === IRIS_FEATURES[i % 4])!;
        return (c.values as Float64Array)[Math.floor(i / 4)];
      }),
    };
    const t = new StandardScaler().fit(new YeoJohnson().fit(X).transform(X));
    const Z = t.transform(new YeoJohnson().fit(X).transform(X));
    const petal = Array.from({ length: 150 }, (_, i) => Z.data[i * 4 + 2]).sort((a, b) => a - b);
    const f = p.features[2];
    expect(f.before?.min).toBe(1);
    expect(f.before?.max).toBe(6.9);
    expect(f.after?.min).toBeCloseTo(petal[0], 10);
    expect(f.after?.max).toBeCloseTo(petal[149], 10);
    expect(f.after?.mean).toBeCloseTo(0, 10);
    expect(f.after?.histogram.counts.reduce((a, b) => a + b, 0)).toBe(150);
    expect(p.nRows).toBe(150);
    expect(p.pcaComponents).toBeNull();
  });

  it("answers bad preprocessing with a 400 naming the field", async () => {
    const base = { dataset: "penguins", columns: PENGUIN_NUMERIC, algorithm: "kmeans" };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ pca: 0 }, /^invalid body\.preprocess\.pca: 0 \(must be "none", \{"nComponents": n\}/],
      [{ pca: { nComponents: 0 } }, /^invalid body\.preprocess\.pca\.nComponents: 0 \(must be an integer from 1/],
      [{ pca: { varianceRatio: 1 } }, /^invalid body\.preprocess\.pca\.varianceRatio: 1 \(must be > 0 and < 1\)/],
      [{ pca: { nComponents: 7 } }, /^invalid body\.preprocess\.pca\.nComponents: 7 \(must be <= 4/],
      [{ encoding: "dummy" }, /^invalid body\.preprocess\.encoding: "dummy" \(must be one of none, onehot, ordinal\)/],
      [{ imputation: { numeric: "zero" } }, /^invalid body\.preprocess\.imputation\.numeric: "zero" \(must be one of/],
      [{ outliers: { method: "zscore" } }, /^invalid body\.preprocess\.outliers\.method: "zscore"/],
      [{ outliers: { method: "iqr", factor: -1 } }, /^invalid body\.preprocess\.outliers\.factor: -1/],
      [
        { categorical: ["island"] },
        /^invalid body\.preprocess\.categorical: "island" \(must be one of body\.columns\)/,
      ],
      [{ scale: "x" }, /^unknown field body\.preprocess\.scale$/],
    ];
    for (const [preprocess, message] of cases) {
      const r = await cluster({ ...base, preprocess });
      expect(r.statusCode, JSON.stringify(preprocess)).toBe(400);
      expect(r.json().error).toMatch(message);
    }
    // Text columns without an encoding; log1p of negative values.
    let r = await cluster({ ...base, columns: [...PENGUIN_NUMERIC, "island"], preprocess: {} });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^invalid body\.preprocess\.encoding: "none" \("island" is categorical/);
    r = await cluster({
      dataset: "iris",
      columns: IRIS_FEATURES,
      algorithm: "kmeans",
      preprocess: { transform: "log1p", pca: { nComponents: 2 } },
    });
    expect(r.statusCode).toBe(200);
    const up = await upload(app, "negative.csv", "x,y\n-2,1\n0.5,2\n3,4\n5,1\n");
    const id = up.json().dataset.id;
    r = await cluster({
      dataset: id,
      columns: ["x", "y"],
      algorithm: "kmeans",
      params: { k: 2 },
      preprocess: { transform: "log1p" },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/^invalid body\.preprocess\.transform: "log1p" \(-2 at row 0.*use "yeoJohnson"/);
    // The server keeps serving.
    expect((await app.inject({ method: "GET", url: "/api/config" })).statusCode).toBe(200);
  });
});
