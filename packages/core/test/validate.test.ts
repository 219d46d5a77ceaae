import { describe, expect, it } from "vitest";
import { asMatrix, checkNClusters, checkSampleWeight, matrix } from "../src/index.js";

describe("asMatrix", () => {
  it("converts nested arrays to a row-major matrix", () => {
    const m = asMatrix([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(m.rows).toBe(3);
    expect(m.cols).toBe(2);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("names the ragged row", () => {
    expect(() =>
      asMatrix([
        [1, 2, 3, 4],
        [1, 2, 3, 4],
        [1, 2, 3],
      ]),
    ).toThrow("invalid X: row 2 has 3 values, expected 4");
  });

  it("rejects NaN and Infinity with row and column", () => {
    expect(() =>
      asMatrix([
        [1, 2],
        [3, Number.NaN],
      ]),
    ).toThrow("invalid X: NaN at row 1, column 1");
    expect(() => asMatrix(matrix(2, 2, Float64Array.of(1, Number.POSITIVE_INFINITY, 0, 0)))).toThrow(
      "invalid X: Infinity at row 0, column 1",
    );
  });

  it("allows NaN as missing when asked, but never Infinity", () => {
    expect(asMatrix([[1, Number.NaN]], { allowNaN: true }).data[1]).toBeNaN();
    expect(asMatrix([[1, null as unknown as number]], { allowNaN: true }).data[1]).toBeNaN();
    expect(() => asMatrix([[1, Number.NEGATIVE_INFINITY]], { allowNaN: true })).toThrow("-Infinity at row 0, column 1");
  });

  it("finds the first non-finite value wherever it sits (blocks of eight, the tail, after NaN allowed)", () => {
    for (const n of [8, 9, 24, 61]) {
      for (let at = 0; at < n; at++) {
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          const data = Float64Array.from({ length: n }, (_, i) => (i % 5) - 2);
          data[at] = bad;
          if (at + 2 < n) data[at + 2] = Number.NaN; // a later one is not the one named
          const m = matrix(1, n, data);
          const where = `at row 0, column ${at}`;
          expect(() => asMatrix(m), `${n} ${at} ${bad}`).toThrow(`invalid X: ${bad} ${where} (values must be finite)`);
          const cols = n % 3 === 0 ? 3 : 1;
          const i = Math.floor(at / cols);
          expect(() => asMatrix(matrix(n / cols, cols, data))).toThrow(
            `invalid X: ${bad} at row ${i}, column ${at - i * cols}`,
          );
          if (Number.isNaN(bad)) {
            // NaN allowed: the next non-finite value that is not NaN is named, or none.
            data[n - 1] = Number.NEGATIVE_INFINITY;
            expect(() => asMatrix(matrix(1, n, data), { allowNaN: true })).toThrow(
              `-Infinity at row 0, column ${n - 1}`,
            );
          }
        }
      }
    }
    const clean = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e308);
    expect(asMatrix(matrix(100, 10, clean)).rows).toBe(100);
  });

  it("rejects empty input, non-numbers and a wrong feature count", () => {
    expect(() => asMatrix([])).toThrow("invalid X: empty (0 rows; at least 1 required)");
    expect(() => asMatrix([[]])).toThrow("invalid X: no columns");
    expect(() => asMatrix([[1, "a" as unknown as number]])).toThrow(
      'invalid X: value "a" at row 0, column 1 is not a number',
    );
    expect(() => asMatrix([[1, 2]], { cols: 3 })).toThrow("invalid X: 2 features, expected 3 (as seen in fit)");
  });
});

describe("checkNClusters", () => {
  it("accepts 1 <= k <= n and names k and n otherwise", () => {
    expect(() => checkNClusters(3, 3)).not.toThrow();
    expect(() => checkNClusters(0, 3)).toThrow("invalid nClusters: 0 (must be an integer >= 1)");
    expect(() => checkNClusters(2.5, 3)).toThrow("invalid nClusters: 2.5");
    expect(() => checkNClusters(4, 3)).toThrow("n_samples=3 should be >= nClusters=4");
  });
});

describe("checkSampleWeight", () => {
  it("defaults to ones and rejects bad weights by index", () => {
    expect(Array.from(checkSampleWeight(undefined, 3))).toEqual([1, 1, 1]);
    expect(() => checkSampleWeight([1, -1], 2)).toThrow("invalid sampleWeight: -1 at index 1");
    expect(() => checkSampleWeight([1], 2)).toThrow("length 1, expected 2");
    expect(() => checkSampleWeight([0, 0], 2)).toThrow("all weights are zero");
  });
});
