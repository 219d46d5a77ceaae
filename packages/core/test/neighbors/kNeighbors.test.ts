import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bruteKNeighbors,
  bruteRadiusGraph,
  kNeighbors,
  matrix,
  type NeighborMetric,
  Random,
  resolveNeighborAlgorithm,
  roundDecimals15,
  rowDistance,
  unitRows,
} from "../../src/index.js";
import { infs, loadDensityFixture } from "../density/densityFixture.js";

function randomData(rng: Random, n: number, d: number, discrete: boolean): Float64Array {
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = discrete ? rng.int(3) : rng.normal();
  return data;
}

describe("kNeighbors", () => {
  it("k-d tree and brute force give identical indices and distances (ties by index)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.constantFrom<NeighborMetric>("euclidean", "manhattan"),
        fc.integer({ min: 0, max: 1e6 }),
        (n, d, discrete, metric, seed) => {
          const X = matrix(n, d, randomData(new Random(seed), n, d, discrete));
          const k = 1 + (seed % n);
          const a = kNeighbors(X, k, { metric, algorithm: "kdtree", leafSize: 3 });
          const b = kNeighbors(X, k, { metric, algorithm: "brute" });
          expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
          expect(Array.from(a.distances)).toEqual(Array.from(b.distances));
          for (let i = 0; i < n; i++) expect(a.distances[i * k]).toBe(0); // each row finds itself (or a duplicate)
        },
      ),
      { seed: 7, numRuns: 80 },
    );
  });

  it("cosine (brute force) matches a direct computation", () => {
    const rng = new Random(3);
    const n = 40;
    const d = 5;
    const X = matrix(n, d, randomData(rng, n, d, false));
    const u = unitRows(X);
    const k = 6;
    const res = kNeighbors(X, k, { metric: "cosine" });
    for (let i = 0; i < n; i++) {
      const all = Array.from({ length: n }, (_, j) => ({ j, v: rowDistance("cosine", u, i, u, j, d) }));
      all.sort((a, b) => a.v - b.v || a.j - b.j);
      expect(Array.from(res.indices.subarray(i * k, (i + 1) * k))).toEqual(all.slice(0, k).map((e) => e.j));
      expect(Array.from(res.distances.subarray(i * k, (i + 1) * k))).toEqual(all.slice(0, k).map((e) => e.v));
    }
  });

  it("queries other rows with the query option", () => {
    const X = [[0], [1], [3], [7]];
    const res = kNeighbors(X, 2, { query: [[2.5], [-1]] });
    expect(Array.from(res.indices)).toEqual([2, 1, 0, 1]);
    expect(Array.from(res.distances)).toEqual([0.5, 1.5, 1, 2]);
    expect(() => kNeighbors(X, 2, { query: [[1, 2]] })).toThrow("invalid query: 2 features, expected 1");
    expect(() => kNeighbors(X, 5)).toThrow("invalid k: 5");
    expect(() => kNeighbors(X, 1, { metric: "l3" as NeighborMetric })).toThrow('invalid metric: "l3"');
  });

  it("k-th distances (rounded as scikit-learn) equal the OPTICS core distances of the fixture", () => {
    const f = loadDensityFixture();
    let compared = 0;
    for (const c of f.optics) {
      if (c.metric === "cosine") continue;
      const X = f.data[c.dataset];
      const k = c.minSamples;
      const res = kNeighbors(X, k, { metric: c.metric });
      const expected = infs(c.coreDistances);
      for (let i = 0; i < X.rows; i++) {
        if (expected[i] === Number.POSITIVE_INFINITY) continue;
        expect(roundDecimals15(res.distances[i * k + k - 1])).toBe(expected[i]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });

  it("resolveNeighborAlgorithm: k-d tree up to 15 features, brute force for cosine or more features", () => {
    expect(resolveNeighborAlgorithm("auto", "euclidean", 2)).toBe("kdtree");
    expect(resolveNeighborAlgorithm("auto", "manhattan", 15)).toBe("kdtree");
    expect(resolveNeighborAlgorithm("auto", "euclidean", 16)).toBe("brute");
    expect(resolveNeighborAlgorithm("auto", "cosine", 2)).toBe("brute");
    expect(resolveNeighborAlgorithm("brute", "euclidean", 2)).toBe("brute");
    expect(() => resolveNeighborAlgorithm("kdtree", "cosine", 2)).toThrow('invalid algorithm: "kdtree"');
  });
});

describe("bruteRadiusGraph", () => {
  it("lists every pair within r exactly once per side, self included", () => {
    const rng = new Random(5);
    const n = 300; // more than one block
    const d = 3;
    const data = randomData(rng, n, d, true);
    const X = matrix(n, d, data);
    for (const metric of ["euclidean", "manhattan", "cosine"] as const) {
      const r = metric === "cosine" ? 0.2 : 1;
      const g = bruteRadiusGraph(X, r, metric);
      const u = metric === "cosine" ? unitRows(X) : data;
      for (let i = 0; i < n; i++) {
        const got = Array.from(g.neighbors.subarray(g.offsets[i], g.offsets[i + 1])).sort((a, b) => a - b);
        const expected: number[] = [];
        for (let j = 0; j < n; j++) {
          let within: boolean;
          if (metric === "euclidean") {
            let s = 0;
            for (let t = 0; t < d; t++) s += (data[i * d + t] - data[j * d + t]) ** 2;
            within = s <= r * r;
          } else within = rowDistance(metric, u, i, u, j, d) <= r;
          if (within) expected.push(j);
        }
        expect(got).toEqual(expected);
      }
    }
  });

  it("bruteKNeighbors checks its arguments", () => {
    const X = matrix(2, 1, Float64Array.of(0, 1));
    expect(() => bruteKNeighbors(X, matrix(1, 2), 1, "euclidean")).toThrow("invalid query");
    expect(() => bruteKNeighbors(X, X, 0, "euclidean")).toThrow("invalid k: 0");
  });
});
