import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asMatrix, type Matrix, trustworthiness } from "../../src/index.js";
import { manifoldData } from "./shared.js";

const { fixture, datasets } = manifoldData();

/** The definition, written out: full argsort of each row (exact squared distances, ties by index). */
function naiveTrustworthiness(X: Matrix, E: Matrix, k: number): number {
  const n = X.rows;
  const sq = (M: Matrix, i: number, j: number) => {
    let s = 0;
    for (let t = 0; t < M.cols; t++) s += (M.data[i * M.cols + t] - M.data[j * M.cols + t]) ** 2;
    return s;
  };
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const others = [...Array(n).keys()].filter((j) => j !== i);
    const byX = [...others].sort((a, b) => sq(X, i, a) - sq(X, i, b) || a - b);
    const rank = new Map(byX.map((j, r) => [j, r + 1]));
    const byE = [...others].sort((a, b) => sq(E, i, a) - sq(E, i, b) || a - b).slice(0, k);
    for (const j of byE) sum += Math.max(0, (rank.get(j) as number) - k);
  }
  return 1 - (sum * 2) / (n * k * (2 * n - 3 * k - 1));
}

describe("trustworthiness", () => {
  it("equals scikit-learn's on every tie-free fixture case within 1e-12", () => {
    const cases = fixture.trustworthiness.filter((c) => c.tieFree);
    expect(cases.length).toBeGreaterThanOrEqual(24);
    for (const c of cases) {
      const t = trustworthiness(datasets[c.dataset].X, c.embedding, { nNeighbors: c.nNeighbors });
      expect(Math.abs(t - c.value), `${c.dataset} ${c.embeddingName} k=${c.nNeighbors}`).toBeLessThanOrEqual(1e-12);
    }
  });

  it("is within 5e-4 on iris, whose tied input distances scikit-learn ranks in argsort order", () => {
    // iris has one-decimal values, so many input distances tie; scikit-learn orders ties by an
    // unstable argsort of its dot-product distances, Clusterlab by sample index.
    const cases = fixture.trustworthiness.filter((c) => !c.tieFree);
    expect(cases.every((c) => c.dataset === "iris")).toBe(true);
    for (const c of cases) {
      const t = trustworthiness(datasets[c.dataset].X, c.embedding, { nNeighbors: c.nNeighbors });
      expect(Math.abs(t - c.value)).toBeLessThan(5e-4);
    }
  });

  it("is 1 for an embedding that keeps every neighbourhood, and matches the written-out definition", () => {
    const X = datasets.wine.X;
    expect(trustworthiness(X, X, { nNeighbors: 7 })).toBe(1);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: -5, max: 5 }),
            fc.integer({ min: -5, max: 5 }),
            fc.double({ min: -3, max: 3, noNaN: true }),
          ),
          {
            minLength: 12,
            maxLength: 40,
          },
        ),
        fc.integer({ min: 1, max: 5 }),
        (rows, k) => {
          const X = asMatrix(rows.map(([a, b, c]) => [a, b, c]));
          const E = asMatrix(rows.map(([a, , c]) => [a + 0.1 * c, c]));
          const kk = Math.min(k, Math.ceil(X.rows / 2) - 1);
          const t = trustworthiness(X, E, { nNeighbors: kk });
          expect(Math.abs(t - naiveTrustworthiness(X, E, kk))).toBeLessThan(1e-12);
        },
      ),
      { seed: 17, numRuns: 60 },
    );
  });

  it("ranks by sorting for k > 32 with the same result as the definition", () => {
    const X = datasets.blobsOverlap.X;
    const sub = asMatrix(Array.from({ length: 90 }, (_, i) => Array.from(X.data.subarray(i * 3, i * 3 + 3))));
    const E = asMatrix(Array.from({ length: 90 }, (_, i) => [sub.data[i * 3], sub.data[i * 3 + 2]]));
    expect(Math.abs(trustworthiness(sub, E, { nNeighbors: 40 }) - naiveTrustworthiness(sub, E, 40))).toBeLessThan(
      1e-12,
    );
  });

  it("supports manhattan and cosine input distances", () => {
    const X = datasets.wine.X;
    const c = fixture.trustworthiness.find(
      (t) => t.dataset === "wine" && t.embeddingName === "pca" && t.nNeighbors === 5,
    );
    const E = asMatrix(c?.embedding ?? []);
    for (const metric of ["manhattan", "cosine"] as const) {
      const t = trustworthiness(X, E, { nNeighbors: 5, metric });
      expect(t).toBeGreaterThan(0.5);
      expect(t).toBeLessThanOrEqual(1);
    }
  });

  it("names bad arguments", () => {
    const X = datasets.iris.X;
    expect(() => trustworthiness(X, X, { nNeighbors: 75 })).toThrow(
      /invalid nNeighbors: 75 \(must be less than nSamples \/ 2 = 75\)/,
    );
    expect(() => trustworthiness(X, X, { nNeighbors: 0 })).toThrow(/invalid nNeighbors: 0/);
    expect(() => trustworthiness(X, [[1, 2]])).toThrow(/invalid embedding: 1 rows, expected 150/);
  });
});
