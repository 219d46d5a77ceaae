import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matrix, Random, UniformGrid } from "../../src/index.js";

describe("UniformGrid", () => {
  it("every row within the radius (Euclidean or Manhattan) lies in a neighbour cell; cells partition the sorted rows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (n, d, radius, discrete, seed) => {
          const rng = new Random(seed);
          const data = new Float64Array(n * d);
          // discrete data puts many rows exactly on cell boundaries and at distance exactly `radius`
          for (let i = 0; i < data.length; i++) data[i] = discrete ? rng.int(6) * radius * 0.5 : rng.normal() * 3;
          const grid = UniformGrid.build(matrix(n, d, data), radius);
          expect(grid).not.toBeNull();
          if (!grid) return;
          // sorted order is a permutation, cells are contiguous ranges in index order inside each cell
          expect(Array.from(grid.order).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
          const problems: string[] = [];
          for (let c = 0; c < grid.cellCount; c++) {
            for (let s = grid.cellStart[c]; s < grid.cellStart[c + 1]; s++) {
              if (grid.cellOf[s] !== c) problems.push(`cellOf ${s}`);
              if (grid.position[grid.order[s]] !== s) problems.push(`position ${s}`);
              if (s > grid.cellStart[c] && grid.order[s] < grid.order[s - 1]) problems.push(`unstable ${s}`);
              for (let t = 0; t < d; t++) {
                const v = grid.points[s * d + t];
                if (v !== data[grid.order[s] * d + t]) problems.push(`points ${s}`);
                if (v < grid.lower[c * d + t] || v > grid.upper[c * d + t]) problems.push(`box ${c}`);
              }
            }
          }
          const nb = new Int32Array(grid.stencilSize);
          for (let i = 0; i < n; i++) {
            const s = grid.position[i];
            const count = grid.neighborCells(grid.cellOf[s], nb);
            if (nb[0] !== grid.cellOf[s]) problems.push(`self first ${i}`);
            const covered = new Uint8Array(n);
            for (let h = 0; h < count; h++) {
              for (let t = grid.cellStart[nb[h]]; t < grid.cellStart[nb[h] + 1]; t++) covered[grid.order[t]] = 1;
            }
            for (let j = 0; j < n; j++) {
              let l1 = 0;
              let sq = 0;
              for (let t = 0; t < d; t++) {
                const diff = data[i * d + t] - data[j * d + t];
                l1 += Math.abs(diff);
                sq += diff * diff;
              }
              if ((sq <= radius * radius || l1 <= radius) && !covered[j]) problems.push(`missed ${i}-${j}`);
            }
          }
          expect(problems).toEqual([]);
        },
      ),
      { seed: 99, numRuns: 150 },
    );
  });

  it("uses the documented stencils: 3 cells in 1-D, 21 in 2-D, 117 in 3-D", () => {
    const one = UniformGrid.build(matrix(2, 1, Float64Array.of(0, 10)), 1)!;
    const two = UniformGrid.build(matrix(2, 2, Float64Array.of(0, 0, 10, 10)), 1)!;
    const three = UniformGrid.build(matrix(2, 3, Float64Array.of(0, 0, 0, 10, 10, 10)), 1)!;
    expect([one.stencilSize, two.stencilSize, three.stencilSize]).toEqual([3, 21, 117]);
  });

  it("returns null when the grid would be too large, and rejects a bad radius", () => {
    expect(UniformGrid.build(matrix(2, 2, Float64Array.of(0, 0, 1e6, 1e6)), 1e-4)).toBeNull();
    expect(UniformGrid.build(matrix(2, 1, Float64Array.of(0, 1e12)), 1e-6)).toBeNull();
    expect(() => UniformGrid.build(matrix(1, 1), 0)).toThrow("invalid radius: 0");
  });

  it("works through the hash table when the grid is sparse", () => {
    // two far-apart clumps: the bounding box spans many more cells than 4n + 65536
    const rng = new Random(1);
    const n = 200;
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const off = i < n / 2 ? 0 : 100;
      data[2 * i] = off + rng.float();
      data[2 * i + 1] = off + rng.float();
    }
    const grid = UniformGrid.build(matrix(n, 2, data), 0.05)!;
    const nb = new Int32Array(grid.stencilSize);
    let found = 0;
    for (let c = 0; c < grid.cellCount; c++) found += grid.neighborCells(c, nb);
    expect(found).toBeGreaterThan(grid.cellCount);
  });
});
