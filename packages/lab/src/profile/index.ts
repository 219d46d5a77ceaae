// Barrel for the EDA profile: one export line per file.
export * from "./correlation.js";
export * from "./hopkins.js";
export * from "./numericSummary.js";
export * from "./pcaPreview.js";
export * from "./profileTable.js";
