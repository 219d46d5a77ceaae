import { beforeAll, describe, expect, it } from "vitest";
import { type DatasetProfile, profileTable, readTable, type Table } from "../../src/index.js";
import { dataset, range, table } from "../schema/tables.js";

/** Every number in the profile is finite (JSON has no NaN/Infinity). */
function finiteNumbers(value: unknown, path = ""): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => finiteNumbers(v, `${path}/${i}`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => finiteNumbers(v, `${path}/${k}`));
  }
  return [];
}

let penguins: Table;
let iris: Table;
let p: DatasetProfile;
beforeAll(async () => {
  penguins = await readTable(dataset("penguins"));
  iris = await readTable(dataset("iris"));
  p = profileTable(penguins);
});

const column = (profile: DatasetProfile, name: string) => profile.columns.find((c) => c.name === name)!;

describe("profileTable on penguins", () => {
  it("has roles, missing and distinct counts per column", () => {
    expect(p).toMatchObject({ version: 1, nRows: 344, nColumns: 8, seed: 0, target: null });
    expect(p.features).toEqual([
      "species",
      "island",
      "bill_length_mm",
      "bill_depth_mm",
      "flipper_length_mm",
      "body_mass_g",
      "sex",
      "year",
    ]);
    expect(column(p, "bill_length_mm")).toMatchObject({
      role: "numeric",
      type: "DOUBLE",
      count: 342,
      missing: 2,
      missingShare: 2 / 344,
      distinct: 164,
      categories: null,
      lengths: null,
    });
    expect(column(p, "sex")).toMatchObject({ role: "categorical", missing: 11, distinct: 2 });
  });

  it("matches pandas on the numeric summary of bill_length_mm", () => {
    const s = column(p, "bill_length_mm").numeric!;
    expect(s.mean).toBeCloseTo(43.9219298245614, 10);
    expect(s.std).toBeCloseTo(5.4595837139265315, 10);
    expect(s.skewness).toBeCloseTo(0.05311806699132413, 10);
    expect([s.min, s.q05, s.q25, s.median, s.q75, s.q95, s.max]).toEqual(
      [32.1, 35.7, 39.225, 44.45, 48.5, 51.995, 59.6].map((x) => expect.closeTo(x, 10)),
    );
    expect(s.outliers).toBe(0);
    // numpy.histogram(bill_length_mm.dropna(), bins=20)
    expect(s.histogram!.counts).toEqual([2, 7, 20, 20, 30, 27, 29, 19, 17, 32, 34, 21, 27, 34, 13, 3, 3, 2, 1, 1]);
    expect(s.histogram!.edges).toHaveLength(21);
    expect(column(p, "body_mass_g").numeric!.skewness).toBeCloseTo(0.4703293304801231, 10);
  });

  it("lists the top categories with counts and shares", () => {
    expect(column(p, "species").categories).toEqual({
      top: [
        { value: "Adelie", count: 152, share: 152 / 344 },
        { value: "Gentoo", count: 124, share: 124 / 344 },
        { value: "Chinstrap", count: 68, share: 68 / 344 },
      ],
      otherCount: 0,
      otherValues: 0,
    });
    expect(column(p, "year").categories!.top.map((t) => t.value)).toEqual(["2009", "2008", "2007"]);
    expect(column(p, "species").lengths).toEqual({ min: 6, mean: (152 * 6 + 124 * 6 + 68 * 9) / 344, max: 9 });
    const top1 = profileTable(penguins, { topCategories: 1 });
    expect(column(top1, "island").categories).toMatchObject({ otherCount: 176, otherValues: 2 });
  });

  it("summarises missingness by row and column", () => {
    expect(p.missing).toEqual({
      cells: 19,
      cellShare: 19 / (344 * 8),
      rows: 11,
      rowShare: 11 / 344,
      featureRows: 11,
      columns: [
        { name: "sex", missing: 11, share: 11 / 344 },
        { name: "bill_length_mm", missing: 2, share: 2 / 344 },
        { name: "bill_depth_mm", missing: 2, share: 2 / 344 },
        { name: "flipper_length_mm", missing: 2, share: 2 / 344 },
        { name: "body_mass_g", missing: 2, share: 2 / 344 },
      ],
    });
  });

  it("correlates the numeric features (pandas' corr) and lists the top pairs", () => {
    const c = p.correlation!;
    expect(c.columns).toEqual(["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]);
    expect(c.matrix[2][3]).toBeCloseTo(0.8712017673060111, 12);
    expect(c.matrix[0][1]).toBeCloseTo(-0.2350528703555336, 12);
    expect(c.top[0]).toEqual({ a: "flipper_length_mm", b: "body_mass_g", r: expect.closeTo(0.8712, 4) });
    expect(c.top).toHaveLength(6);
  });

  it("computes the Hopkins statistic and a PCA preview on the complete rows", () => {
    expect(p.hopkins).toMatchObject({
      columns: ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"],
      rows: 342,
      referenceSize: 342,
      sampleSize: 50,
    });
    expect(p.hopkins!.statistic).toBeGreaterThan(0.6);
    const pca = p.pca!;
    // sklearn PCA(2) on StandardScaler().fit_transform(dropna)
    expect(pca.explainedVarianceRatio[0]).toBeCloseTo(0.6884387809732923, 10);
    expect(pca.explainedVarianceRatio[1]).toBeCloseTo(0.19312918846397073, 10);
    expect(pca.rows).toBe(342);
    expect(pca.indices).toHaveLength(342);
    expect(pca.indices.slice(0, 4)).toEqual([0, 1, 2, 4]); // row 3 has missing measurements
    expect(pca.x).toHaveLength(342);
    expect(pca.components[0]).toHaveLength(4);
    expect(p.notes).toEqual([
      "Hopkins statistic and PCA preview use the 342 of 344 rows with every numeric feature observed",
    ]);
  });

  it("is plain JSON: finite numbers only, and the same for the same seed", () => {
    expect(finiteNumbers(p)).toEqual([]);
    expect(JSON.stringify(profileTable(penguins))).toBe(JSON.stringify(p));
    const other = profileTable(penguins, { seed: 7 });
    expect(other.seed).toBe(7);
    expect(other.hopkins!.statistic).not.toBe(p.hopkins!.statistic);
  });

  it("passes user roles and the target to the schema", () => {
    const q = profileTable(penguins, { target: "species", roles: { year: "numeric" } });
    expect(q.target).toBe("species");
    expect(q.features).not.toContain("species");
    expect(column(q, "species").categories!.top).toHaveLength(3);
    expect(q.correlation!.columns).toContain("year");
  });
});

describe("profileTable on iris", () => {
  it("finds a strong clustering tendency (Hopkins > 0.7) for every seed tried", () => {
    for (const seed of [0, 1, 2, 3]) {
      const h = profileTable(iris, { seed }).hopkins!;
      expect(h.statistic, `seed ${seed}`).toBeGreaterThan(0.7);
      expect(h.interpretation).toBe("strong clustering tendency");
    }
  });

  it("samples rows above sampleRows and preview points above previewPoints (seeded)", () => {
    const q = profileTable(iris, { sampleRows: 100, previewPoints: 40 });
    expect(q.pca!.rows).toBe(100);
    expect(q.pca!.indices).toHaveLength(40);
    expect([...q.pca!.indices].sort((a, b) => a - b)).toEqual(q.pca!.indices);
    expect(q.hopkins!.rows).toBe(150);
    expect(q.hopkins!.referenceSize).toBe(100);
    expect(q.notes).toContain("Hopkins statistic and PCA preview computed on a seeded sample of 100 of 150 rows");
    expect(profileTable(iris).pca!.explainedVarianceRatio[0]).toBeCloseTo(0.7296244541329985, 10);
  });
});

describe("profileTable edge cases", () => {
  it("explains what it could not compute", () => {
    const one = profileTable(table({ x: range(30, (i) => i * 1.5), g: range(30, (i) => ["a", "b"][i % 2]) }));
    expect(one.correlation).toBeNull();
    expect(one.pca).toBeNull();
    expect(one.hopkins).not.toBeNull();
    expect(one.notes).toEqual([
      "correlations not computed: 1 numeric feature (need 2)",
      "PCA preview not computed: needs 2 non-constant numeric features and 2 complete rows",
    ]);
    const none = profileTable(table({ g: range(30, (i) => ["a", "b"][i % 2]) }));
    expect(none.hopkins).toBeNull();
    expect(none.notes).toContain("Hopkins statistic and PCA preview not computed: no numeric features");
  });

  it("profiles text, identifier, datetime and constant columns", () => {
    const t = table(
      {
        id: range(20, (i) => `id-${i}`),
        when: range(20, (i) => `2024-02-${String(i + 1).padStart(2, "0")}`),
        k: range(20, () => 3),
      },
      { when: "DATE" },
    );
    const q = profileTable(t);
    expect(column(q, "id")).toMatchObject({ role: "identifier", categories: null, lengths: { min: 4, max: 5 } });
    expect(column(q, "when")).toMatchObject({ role: "datetime", range: { min: "2024-02-01", max: "2024-02-20" } });
    expect(column(q, "k")).toMatchObject({
      role: "constant",
      categories: { top: [{ value: "3", count: 20, share: 1 }], otherCount: 0, otherValues: 0 },
    });
  });

  it("validates its options", () => {
    expect(() => profileTable(iris, { histogramBins: 0 })).toThrow(
      "invalid histogramBins: 0 (must be an integer >= 1)",
    );
    expect(() => profileTable(iris, { seed: Number.NaN })).toThrow("invalid seed: NaN (must be a finite number)");
  });
});

describe("profileTable categories", () => {
  it("orders ties by value and counts the rest", () => {
    const t = table({ g: ["b", "a", "c", "a", "b", "d", null, "e", "e"] });
    const c = profileTable(t, { topCategories: 3 }).columns[0];
    expect(c.categories).toEqual({
      top: [
        { value: "a", count: 2, share: 2 / 8 },
        { value: "b", count: 2, share: 2 / 8 },
        { value: "e", count: 2, share: 2 / 8 },
      ],
      otherCount: 2,
      otherValues: 2,
    });
  });
});
