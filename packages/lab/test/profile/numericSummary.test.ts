import { describe, expect, it } from "vitest";
import { histogramSorted, numericSummary, quantileSorted } from "../../src/index.js";

const oneToTen = Float64Array.from({ length: 10 }, (_, i) => i + 1);

describe("quantileSorted", () => {
  it("interpolates linearly between order statistics (numpy's default)", () => {
    // numpy.quantile(arange(1, 11), [.05, .25, .5, .75, .95])
    const expected = [1.45, 3.25, 5.5, 7.75, 9.55];
    [0.05, 0.25, 0.5, 0.75, 0.95].forEach((p, k) => {
      expect(quantileSorted(oneToTen, p)).toBeCloseTo(expected[k], 12);
    });
    expect(quantileSorted(oneToTen, 0)).toBe(1);
    expect(quantileSorted(oneToTen, 1)).toBe(10);
    expect(quantileSorted([7], 0.3)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe("histogramSorted", () => {
  it("has equal-width bins from min to max, the last one closed (numpy.histogram)", () => {
    const h = histogramSorted(
      Float64Array.from({ length: 11 }, (_, i) => i),
      5,
    )!;
    expect(h.edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(h.counts).toEqual([2, 2, 2, 2, 3]);
  });

  it("a single value gives one bin; infinities are skipped; no finite value gives null", () => {
    expect(histogramSorted([4, 4, 4], 20)).toEqual({ edges: [4, 4], counts: [3] });
    expect(histogramSorted([-Infinity, 1, 3, Infinity], 2)).toEqual({ edges: [1, 2, 3], counts: [1, 1] });
    expect(histogramSorted([-Infinity, Infinity], 2)).toBeNull();
  });
});

describe("numericSummary", () => {
  it("matches pandas: mean, std (n - 1), quantiles, skewness (adjusted), Tukey outliers", () => {
    const s = numericSummary(Float64Array.from([1, 1, 2, 3, 50]), 20);
    expect(s.mean).toBeCloseTo(11.4, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(466.3), 12); // pd.Series([1, 1, 2, 3, 50]).std() = 21.594
    expect(s.skewness).toBeCloseTo(2.2278767904071066, 12);
    expect([s.min, s.q25, s.median, s.q75, s.max]).toEqual([1, 1, 2, 3, 50]);
    expect(s.outlierFences).toEqual([-2, 6]);
    expect(s.outliers).toBe(1);
    expect(s.histogram!.counts.reduce((a, b) => a + b)).toBe(5);
    expect(s.histogram!.counts[0]).toBe(4);
    expect(s.histogram!.counts[19]).toBe(1);
  });

  it("symmetric data have skewness 0; constant data skewness 0 and std 0; short data null", () => {
    expect(numericSummary(oneToTen, 20).skewness).toBeCloseTo(0, 12);
    const constant = numericSummary(Float64Array.from([0.1, 0.1, 0.1, 0.1]), 20);
    expect(constant.skewness).toBe(0);
    expect(constant.std).toBeCloseTo(0, 15);
    const two = numericSummary(Float64Array.from([1, 2]), 20);
    expect(two.skewness).toBeNull();
    expect(numericSummary(Float64Array.from([5]), 20).std).toBeNull();
  });

  it("is accurate with a large offset (corrected two-pass)", () => {
    const s = numericSummary(Float64Array.from([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4]), 4);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 6);
  });

  it("reports infinite values as a null mean", () => {
    const s = numericSummary(Float64Array.from([1, 2, Infinity]), 4);
    expect(s.mean).toBeNull();
    expect(s.max).toBe(Infinity);
  });
});
