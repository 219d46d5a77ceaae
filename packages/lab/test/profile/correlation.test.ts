import { describe, expect, it } from "vitest";
import { pearsonCorrelation, topCorrelations } from "../../src/index.js";

const NaN_ = Number.NaN;

describe("pearsonCorrelation", () => {
  it("is pairwise complete, as pandas' DataFrame.corr()", () => {
    const a = Float64Array.from([1, 2, NaN_, 4, 5, 6]);
    const b = Float64Array.from([2, NaN_, 3, 5, 4, 7]);
    const c = Float64Array.from([10, 8, 6, 4, 2, 1]);
    const m = pearsonCorrelation([a, b, c]);
    // pandas.DataFrame({a, b, c}).corr()
    const expected = [
      [1, 0.8894991799933215, -0.9961164901835043],
      [0.8894991799933215, 1, -0.8573263357356672],
      [-0.9961164901835043, -0.8573263357356672, 1],
    ];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(m[i][j]).toBeCloseTo(expected[i][j], 12);
  });

  it("is exact for linear relations, across blocks of rows, with large offsets", () => {
    const n = 5000;
    const x = Float64Array.from({ length: n }, (_, i) => 1e8 + Math.sin(i));
    const y = x.map((v) => 3 - 2 * v);
    const m = pearsonCorrelation([x, y]);
    expect(m[0][1]).toBeCloseTo(-1, 9);
  });

  it("gives null for a constant column or fewer than 2 common rows", () => {
    const m = pearsonCorrelation([Float64Array.from([1, 2, 3]), Float64Array.from([5, 5, 5])]);
    expect(m).toEqual([
      [1, null],
      [null, null],
    ]);
    const sparse = pearsonCorrelation([Float64Array.from([1, NaN_, 3]), Float64Array.from([NaN_, 2, 4])]);
    expect(sparse[0][1]).toBeNull();
  });
});

describe("topCorrelations", () => {
  it("sorts by |r| and skips null", () => {
    const m = [
      [1, 0.2, -0.9],
      [0.2, 1, null],
      [-0.9, null, 1],
    ];
    expect(topCorrelations(["a", "b", "c"], m, 5)).toEqual([
      { a: "a", b: "c", r: -0.9 },
      { a: "a", b: "b", r: 0.2 },
    ]);
    expect(topCorrelations(["a", "b", "c"], m, 1)).toHaveLength(1);
  });
});
