import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortFloat64 } from "../../src/index.js";

function same(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(a[i] === 0 && b[i] === 0)) return false;
  return true;
}

describe("sortFloat64", () => {
  it("sorts like Float64Array.prototype.sort on large mixed inputs (radix path)", () => {
    let state = 12345;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    const special = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1];
    for (const n of [4096, 10_000, 50_000]) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = next();
        a[i] =
          r < 0.05
            ? special[i % special.length]
            : r < 0.3
              ? Math.round((r - 0.15) * 100)
              : (r - 0.5) * 10 ** ((i % 40) - 20);
      }
      const expected = a.slice().sort();
      const actual = sortFloat64(a);
      expect(actual).toBe(a);
      expect(same(actual, expected)).toBe(true);
    }
  });

  it("keeps equal values and skips passes whose digit never changes", () => {
    const a = new Float64Array(5000).fill(3);
    a[17] = 2;
    expect(Array.from(sortFloat64(a).subarray(0, 3))).toEqual([2, 3, 3]);
    const ints = Float64Array.from({ length: 6000 }, (_, i) => (i * 7919) % 6000);
    expect(
      same(
        sortFloat64(ints),
        Float64Array.from({ length: 6000 }, (_, i) => i),
      ),
    ).toBe(true);
  });

  it("property: equals the built-in sort (fixed seed)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 0, maxLength: 9000 }), (values) => {
        const a = Float64Array.from(values);
        return same(sortFloat64(a.slice()), a.slice().sort());
      }),
      { seed: 42, numRuns: 40 },
    );
  });
});
