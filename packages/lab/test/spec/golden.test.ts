import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { normalizeSpec, validateSpec } from "../../src/index.js";

// Each examples/<name>.json validates, and normalises to examples/<name>.normalized.json exactly
// (JSON text, 2-space indent). CLUSTERLAB_UPDATE_GOLDEN=1 rewrites the golden files.
const dir = fileURLToPath(new URL("./examples/", import.meta.url));
const examples = readdirSync(dir)
  .filter((f) => f.endsWith(".json") && !f.endsWith(".normalized.json"))
  .sort();
const update = process.env.CLUSTERLAB_UPDATE_GOLDEN === "1";

const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe("analysis spec examples (golden round trip)", () => {
  it("has examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of examples) {
    it(`${file}: JSON -> validate -> normalize -> JSON equals the golden file`, () => {
      const input = JSON.parse(readFileSync(dir + file, "utf8"));
      const before = structuredClone(input);
      const normalized = normalizeSpec(validateSpec(input));
      expect(input).toEqual(before); // neither call modifies its input
      const goldenPath = dir + file.replace(/\.json$/, ".normalized.json");
      if (update) writeFileSync(goldenPath, text(normalized));
      expect(text(normalized)).toBe(readFileSync(goldenPath, "utf8"));
    });

    it(`${file}: the normalised spec is valid and normalises to itself`, () => {
      const golden = JSON.parse(readFileSync(dir + file.replace(/\.json$/, ".normalized.json"), "utf8"));
      expect(validateSpec(golden)).toBe(golden);
      expect(text(normalizeSpec(golden))).toBe(text(golden));
    });
  }
});
