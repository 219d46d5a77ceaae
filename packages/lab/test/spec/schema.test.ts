import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module without type declarations (the `npm run schema` script)
import { generateSpecSchema, SCHEMA_PATH, schemaText } from "../../schema/generate.mjs";
import { ALGORITHM_DEFAULTS, ALGORITHM_NAMES, analysisSpecSchema, normalizeSpec } from "../../src/index.js";

interface PropertySchema {
  description?: string;
  default?: unknown;
}
type Definitions = Record<string, { properties?: Record<string, PropertySchema> } & Record<string, unknown>>;
const definitions = (analysisSpecSchema as { definitions: Definitions }).definitions;

describe("analysis-spec.schema.json", () => {
  it("equals a fresh generation from the TypeScript types (run `npm run schema` after editing them)", () => {
    const fresh = generateSpecSchema();
    expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(schemaText(fresh));
  }, 30_000);

  it("documents every field and forbids unknown ones", () => {
    const undocumented: string[] = [];
    for (const [name, def] of Object.entries(definitions)) {
      if (def.type === "object" && def.properties && !name.endsWith("Spec") && def.additionalProperties !== false) {
        undocumented.push(`${name} allows additional properties`);
      }
      for (const [prop, schema] of Object.entries(def.properties ?? {})) {
        // The discriminators (`name`, `method`) are self-explanatory constants.
        if (!schema.description && prop !== "name" && prop !== "method") undocumented.push(`${name}.${prop}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it("lists the algorithms of ALGORITHM_DEFAULTS, in order", () => {
    const names = (definitions.AlgorithmSpec.properties as Record<string, { enum: string[] }>).name.enum;
    expect(names).toEqual(ALGORITHM_NAMES);
    expect(ALGORITHM_NAMES).toHaveLength(15);
  });

  it("has the parameter names and defaults that normalizeSpec fills in, per algorithm", () => {
    for (const name of ALGORITHM_NAMES) {
      const specDef =
        definitions[
          Object.keys(definitions).find((d) => {
            const props = definitions[d].properties as Record<string, { const?: string }> | undefined;
            return d.endsWith("Spec") && props?.name?.const === name;
          })!
        ];
      const ref = (specDef.properties as Record<string, { $ref: string }>).params.$ref.split("/").pop()!;
      const params = definitions[ref].properties!;
      expect(Object.keys(params), name).toEqual(Object.keys(ALGORITHM_DEFAULTS[name]));
      const normalized = normalizeSpec({ version: 1, data: { dataset: "x" }, algorithm: { name } }).algorithm
        .params as Record<string, unknown>;
      expect(Object.keys(normalized), name).toEqual(Object.keys(params));
      for (const [key, schema] of Object.entries(params)) {
        if ("default" in schema) expect(normalized[key], `${name}.${key}`).toEqual(schema.default);
        else expect(schema.description, `${name}.${key} explains its computed default`).toMatch(/Default: /);
      }
    }
  });

  it("has the section defaults that normalizeSpec fills in", () => {
    const n = normalizeSpec({ version: 1, data: { path: "a.csv" }, algorithm: { name: "kmeans" } });
    const iqr = normalizeSpec({
      version: 1,
      data: { path: "a.csv" },
      preprocessing: { outliers: { method: "iqr" } },
      algorithm: { name: "kmeans" },
    }).preprocessing.outliers;
    const sections: [string, Record<string, unknown>][] = [
      ["ColumnsSpec", n.columns],
      ["PreprocessingSpec", n.preprocessing],
      ["ImputationSpec", n.preprocessing.imputation],
      ["IqrOutlierSpec", iqr as Record<string, unknown>],
      ["FileDataSpec", n.data as Record<string, unknown>],
    ];
    for (const [def, values] of sections) {
      for (const [key, schema] of Object.entries(definitions[def].properties!)) {
        // Object defaults ({}) stand for "every field at its default", checked one level down.
        if ("default" in schema && !(typeof schema.default === "object" && schema.default !== null)) {
          expect(values[key], `${def}.${key}`).toEqual(schema.default);
        }
      }
    }
    const top = definitions.AnalysisSpec.properties!;
    expect(n.seed).toBe(top.seed.default);
    expect(n.split).toBe(top.split.default);
  });
});
