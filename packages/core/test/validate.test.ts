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
