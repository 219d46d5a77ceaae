import { describe, expect, it } from "vitest";
import { ALGORITHM_NAMES, type AnalysisSpec, normalizeSpec, validateSpec } from "../../src/index.js";

// The normalised spec of every algorithm (every default written out, nulls included) must read back
// through validateSpec: saved runs and exported specs are normalised specs.
describe("every algorithm's normalised spec validates", () => {
  for (const name of ALGORITHM_NAMES) {
    it(name, () => {
      const spec = { version: 1, data: { path: "a.csv" }, algorithm: { name } } as AnalysisSpec;
      const normalized = normalizeSpec(validateSpec(spec));
      const text = JSON.parse(JSON.stringify(normalized));
      expect(() => validateSpec(text)).not.toThrow();
      expect(normalizeSpec(validateSpec(text))).toEqual(normalized);
    });
  }
});
