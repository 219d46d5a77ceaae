#!/usr/bin/env node
// Generates analysis-spec.schema.json from the AnalysisSpec interfaces in src/spec/analysisSpec.ts
// (`npm run schema` at the repository root). The committed file must equal a fresh generation:
// packages/lab/test/spec/schema.test.ts checks it, so the types and the schema never drift.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/** The path of the committed schema. */
export const SCHEMA_PATH = here("./analysis-spec.schema.json");

/** The JSON Schema of `AnalysisSpec`, generated from the TypeScript types. */
export function generateSpecSchema() {
  const schema = createGenerator({
    path: here("../src/spec/analysisSpec.ts"),
    tsconfig: here("../tsconfig.json"),
    type: "AnalysisSpec",
    expose: "export",
    topRef: true,
    jsDoc: "extended",
    sortProps: false,
    additionalProperties: false,
    skipTypeCheck: true,
  }).createSchema("AnalysisSpec");
  return {
    title: "Clusterlab analysis spec",
    description: "Generated from packages/lab/src/spec/analysisSpec.ts by `npm run schema`; do not edit.",
    ...schema,
  };
}

/** The schema as the committed file holds it (2-space JSON and a final newline). */
export function schemaText(schema = generateSpecSchema()) {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_PATH, schemaText());
  console.log(`wrote ${SCHEMA_PATH}`);
}
