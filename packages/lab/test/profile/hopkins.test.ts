import { Random } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { DataError, hopkinsStatistic, interpretHopkins } from "../../src/index.js";

function uniform(n: number, d: number, seed: number) {
  const r = new Random(seed);
  return { rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => r.float()) };
}

function blobs(n: number, d: number, seed: number) {
  const r = new Random(seed);
  const centres = [0, 10, 20];
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 3];
    for (let j = 0; j < d; j++) data[i * d + j] = c + 0.1 * r.normal();
  }
  return { rows: n, cols: d, data };
}

describe("hopkinsStatistic", () => {
  it("is about 0.5 for uniform data", () => {
    const h = hopkinsStatistic(uniform(2000, 3, 1));
    expect(h.statistic).toBeGreaterThan(0.42);
    expect(h.statistic).toBeLessThan(0.58);
    expect(h).toMatchObject({ sampleSize: 200, referenceSize: 2000 });
  });

  it("is near 1 for tight clusters", () => {
    expect(hopkinsStatistic(blobs(600, 2, 2)).statistic).toBeGreaterThan(0.95);
  });

  it("is below 0.5 for a regular grid", () => {
    const data: number[] = [];
    for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) data.push(i, j);
    const h = hopkinsStatistic({ rows: 900, cols: 2, data: Float64Array.from(data) });
    expect(h.statistic).toBeLessThan(0.4);
  });

  it("is deterministic for a seed and uses a seeded reference subset above maxReferenceRows", () => {
    const X = uniform(3000, 2, 3);
    expect(hopkinsStatistic(X, { seed: 5 })).toEqual(hopkinsStatistic(X, { seed: 5 }));
    expect(hopkinsStatistic(X, { seed: 5 }).statistic).not.toBe(hopkinsStatistic(X, { seed: 6 }).statistic);
    expect(hopkinsStatistic(X, { maxReferenceRows: 1000 })).toMatchObject({ referenceSize: 1000, sampleSize: 100 });
    // m = min(500, max(floor(r / 10), min(r, 50))): every row of a small table is probed.
    expect(hopkinsStatistic(uniform(20, 2, 1)).sampleSize).toBe(20);
    expect(hopkinsStatistic(uniform(20, 2, 1), { sampleSize: 5 }).sampleSize).toBe(5);
  });

  it("refuses bad options and degenerate data", () => {
    expect(() => hopkinsStatistic(uniform(20, 2, 1), { sampleSize: 21 })).toThrow(
      "invalid sampleSize: 21 (must be an integer in [1, 20], the number of reference rows)",
    );
    expect(() => hopkinsStatistic(uniform(20, 2, 1), { maxReferenceRows: 1 })).toThrow(
      "invalid maxReferenceRows: 1 (must be an integer >= 2)",
    );
    expect(() => hopkinsStatistic([[1, 2]])).toThrow(DataError);
    expect(() =>
      hopkinsStatistic([
        [1, 2],
        [1, 2],
        [1, 2],
      ]),
    ).toThrow("all rows are equal");
  });

  it("interpretHopkins", () => {
    expect(interpretHopkins(0.9)).toBe("strong clustering tendency");
    expect(interpretHopkins(0.65)).toBe("moderate clustering tendency");
    expect(interpretHopkins(0.5)).toBe("little clustering tendency (close to uniformly random)");
    expect(interpretHopkins(0.3)).toBe("regularly spaced (no clustering tendency)");
  });
});
