// Barrel for column roles and schema inference: one export line per file.
export * from "./columnFacts.js";
export * from "./columnRole.js";
export * from "./inferSchema.js";
export * from "./sortFloat64.js";
